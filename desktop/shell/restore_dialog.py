"""文件 › 恢复备份… and 评价库 › 回收站…: going back to a snapshot, or to a deleted evaluation.

``RestoreDialog`` lists the snapshots of ``backups/`` (time, why, what each holds); the
clerk restores the evaluations ticked (added beside the current ones, labelled with the
snapshot's time) or the whole library. The current library is copied first either way.
It also shows where the backups are, how much room they take, and their size limit.
``RecycleDialog`` lists 回收站 with the deletion times: restore or delete for good.
"""

from __future__ import annotations

import sqlite3

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QHBoxLayout, QHeaderView, QLabel,
                               QListWidget, QListWidgetItem, QPushButton, QSpinBox,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from desktop.common import messages
from desktop.common.screen import fit_to_screen
from forms import backups
from forms.storage import Library, StorageError

_ID = Qt.ItemDataRole.UserRole + 1


def _table(headers: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _size(n: int) -> str:
    return f"{n / (1 << 20):.1f} MB"


class RestoreDialog(QDialog):
    def __init__(self, library: Library, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("恢复备份")
        self.library = library
        self.restored_library = False  # the whole library was replaced: the window reopens
        self.added: list[int] = []  # evaluations restored beside the current ones
        self.snapshots: list[backups.Snapshot] = []
        self.table = _table(["备份时间", "原因", "评价"])
        self.table.setObjectName("snapshots")
        self.table.itemSelectionChanged.connect(self._show_contents)
        self.contents = QListWidget()
        self.contents.setObjectName("snapshotContents")
        self.restore_some = QPushButton("恢复勾选的评价")
        self.restore_some.setToolTip("加在现有评价旁，标为备份的时间；现有评价不变")
        self.restore_all = QPushButton("恢复整个评价库…")
        self.restore_all.setToolTip("评价库回到备份时的状态；恢复前先备份现在的评价库")
        close = QPushButton("关闭")
        self.restore_some.clicked.connect(self.restore_selected)
        self.restore_all.clicked.connect(self.restore_whole)
        close.clicked.connect(self.reject)
        self.limit = QSpinBox()
        self.limit.setObjectName("backupLimit")
        self.limit.setRange(10, 100000)
        self.limit.setSuffix(" MB")
        self.limit.setValue(backups.limit_bytes(library) >> 20)
        self.limit.editingFinished.connect(self._set_limit)
        self.where = QLabel()
        self.where.setWordWrap(True)
        self.where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        buttons.addWidget(self.restore_some)
        buttons.addWidget(self.restore_all)
        buttons.addStretch(1)
        buttons.addWidget(QLabel("备份占用上限："))
        buttons.addWidget(self.limit)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("自动备份（每天和每次启动后首次保存时、导入替换前、升级前、恢复前）："))
        layout.addWidget(self.table, 2)
        layout.addWidget(QLabel("所选备份中的评价（勾选要恢复的）："))
        layout.addWidget(self.contents, 1)
        layout.addWidget(self.where)
        layout.addLayout(buttons)
        fit_to_screen(self, 820, 520)
        self.refresh()

    def refresh(self) -> None:
        self.snapshots = backups.listing(self.library.path)
        self.table.setRowCount(len(self.snapshots))
        for row, made in enumerate(self.snapshots):
            cells = [f"{made.time:%Y-%m-%d %H:%M:%S}", made.reason,
                     "；".join(str(h) for h in made.evaluations) or "（空）"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        total = sum(s.size for s in self.snapshots)
        self.where.setText(f"备份保存在：{backups.folder_of(self.library.path)}\n"
                           f"共 {len(self.snapshots)} 份，占用 {_size(total)}。可把这个文件夹"
                           f"复制到 U 盘或其他电脑保存。")
        if self.snapshots:
            self.table.selectRow(0)
        self._show_contents()

    def selected(self) -> backups.Snapshot | None:
        rows = self.table.selectionModel().selectedRows()
        return self.snapshots[rows[0].row()] if rows else None

    def _show_contents(self) -> None:
        self.contents.clear()
        made = self.selected()
        for held in made.evaluations if made is not None else ():
            item = QListWidgetItem(f"{held}{'（' + held.label + '）' if held.label else ''}"
                                   f"  {held.grade}")
            item.setData(_ID, held.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.contents.addItem(item)
        self.restore_some.setEnabled(made is not None and bool(made.evaluations))
        self.restore_all.setEnabled(made is not None and not self.library.read_only)

    def ticked(self) -> list[int]:
        return [int(self.contents.item(i).data(_ID)) for i in range(self.contents.count())
                if self.contents.item(i).checkState() == Qt.CheckState.Checked]

    def restore_selected(self) -> None:
        made = self.selected()
        wanted = self.ticked()
        if made is None or not wanted:
            messages.info(self, "请先勾选要恢复的评价。")
            return
        try:
            for evaluation_id in wanted:
                self.added.append(backups.restore_evaluation(self.library, made, evaluation_id))
        except (StorageError, sqlite3.Error, OSError) as exc:
            messages.error(self, f"无法恢复：{exc}")
        else:
            messages.info(self, f"已恢复 {len(wanted)} 份评价，加在现有评价旁，"
                                f"标为“{backups.label_of(made)}”。")
        self.refresh()

    def restore_whole(self) -> None:
        made = self.selected()
        if made is None:
            return
        if not messages.confirm(self, f"把整个评价库恢复到 {made.time:%Y-%m-%d %H:%M} 的状态"
                                      f"（{len(made.evaluations)} 份评价）？\n"
                                      f"之后的修改不在其中；恢复前会先备份现在的评价库，"
                                      f"可以再恢复回来。", yes="恢复", title="恢复整个评价库"):
            return
        try:
            backups.restore_library(self.library, made)
        except (StorageError, sqlite3.Error, OSError) as exc:
            messages.error(self, f"无法恢复：{exc}")
            return
        self.restored_library = True
        messages.info(self, f"评价库已恢复到 {made.time:%Y-%m-%d %H:%M} 的状态。")
        self.accept()

    def _set_limit(self) -> None:
        try:
            self.library.set_meta("backup_limit_mb", str(self.limit.value()))
        except StorageError as exc:
            messages.error(self, str(exc))


class RecycleDialog(QDialog):
    """回收站: deleted evaluations, kept 90 days."""

    def __init__(self, library: Library, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("回收站")
        self.library = library
        self.restored: list[int] = []
        self.table = _table(["单位", "年度", "得分", "删除时间"])
        self.table.setObjectName("recycled")
        restore = QPushButton("恢复")
        purge = QPushButton("彻底删除…")
        close = QPushButton("关闭")
        restore.clicked.connect(self.restore_selected)
        purge.clicked.connect(self.purge_selected)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (restore, purge):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("删除的评价在这里保留 90 天，之后自动彻底删除。"))
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        fit_to_screen(self, 620, 360)
        self.refresh()

    def refresh(self) -> None:
        try:
            self.items = self.library.recycled()
        except StorageError as exc:
            messages.error(self, str(exc))
            self.items = []
        self.table.setRowCount(len(self.items))
        for row, item in enumerate(self.items):
            cells = [item.department, str(item.year), item.total or "—",
                     item.deleted.replace("T", " ")[:16]]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        if self.items:
            self.table.selectRow(0)

    def _selected(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.items[rows[0].row()].rid if rows else None

    def restore_selected(self) -> None:
        rid = self._selected()
        if rid is None:
            return
        try:
            self.restored.append(self.library.undelete(rid))
        except StorageError as exc:
            messages.error(self, f"无法恢复：{exc}")
        self.refresh()

    def purge_selected(self) -> None:
        rid = self._selected()
        if rid is None:
            return
        if not messages.confirm(self, "彻底删除这份评价？此后只能从备份中找回。",
                                yes="彻底删除", title="彻底删除"):
            return
        try:
            self.library.purge(rid)
        except StorageError as exc:
            messages.error(self, f"无法删除：{exc}")
        self.refresh()
