"""评价库 dialog: list the evaluations; new, open, 新建下一年度, delete, import/export a package.

The dialog works on the ``Library`` directly and hands back the id to open
(``chosen_id``) when it is accepted.  The evaluation that is open in the main
window (``current_id``) cannot be deleted from here.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox,
                               QFileDialog, QFormLayout, QHBoxLayout, QHeaderView, QLabel,
                               QLineEdit, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from desktop.common.screen import fit_to_screen
from desktop.common import messages
from forms.model import Evaluation
from forms.storage import EvaluationUnreadable, Library, StorageError, Summary
from forms.system import System

COLUMNS = ("单位", "年度", "指标体系", "得分", "等级", "最后保存")
ID_ROLE = Qt.ItemDataRole.UserRole + 1
PACKAGE_FILTER = "评价包 (*.json);;所有文件 (*)"
SYSTEM_FILTER = "指标体系文件 (*.json);;所有文件 (*)"


def which_copy(s: Summary) -> str:
    """One copy of the library in words: name, year, label, score and when it was saved."""
    label = f"（{s.label}）" if s.label else ""
    return (f"“{s.department} {s.year} 年度”{label}，得分 {s.total or '—'}，"
            f"{_saved_text(s.updated)} 保存")


def _saved_text(updated: str) -> str:
    """``2026-11-21T22:41:07`` → ``2026-11-21 22:41``."""
    return updated.replace("T", " ")[:16]


def _dir_of(settings: QSettings | None, key: str) -> str:
    if settings is None:
        return str(Path.home())
    return str(settings.value(key, str(Path.home())))


def _remember_dir(settings: QSettings | None, key: str, path: str) -> None:
    if settings is not None:
        settings.setValue(key, str(Path(path).parent))


class NewEvaluationDialog(QDialog):
    """新建评价: indicator system (shipped, user, or a file), department, year."""

    def __init__(self, parent: QWidget | None = None, settings: QSettings | None = None,
                 department: str = ""):
        super().__init__(parent)
        self.setWindowTitle("新建评价")
        self.settings = settings
        self.system: System | None = None
        self._systems: list[System | None] = []

        self.system_box = QComboBox()
        self.system_box.setMinimumWidth(380)
        self.file_button = QPushButton("选择指标体系文件…")
        self.file_button.clicked.connect(self._choose_file)
        self.department_edit = QLineEdit(department)
        self.department_edit.setPlaceholderText("例如：穗港科技合作园管委会")
        self.year_spin = QSpinBox()
        self.year_spin.setRange(2000, 2100)
        self.year_spin.setValue(date.today().year - 1)  # 自评 covers the year just ended
        self.year_spin.setSuffix(" 年度")

        system_row = QHBoxLayout()
        system_row.addWidget(self.system_box, 1)
        system_row.addWidget(self.file_button)
        form = QFormLayout()
        form.addRow("指标体系：", system_row)
        form.addRow("单位名称：", self.department_edit)
        form.addRow("年度：", self.year_spin)

        buttons = QDialogButtonBox()
        buttons.addButton("新建", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self._load_systems()
        self._fit_names()

    def _fit_names(self) -> None:
        """The names are long (…指标体系（非官方）（广州市2023年）): show them whole."""
        metrics = self.system_box.fontMetrics()
        widest = max((metrics.horizontalAdvance(self.system_box.itemText(i))
                      for i in range(self.system_box.count())), default=0)
        self.system_box.setMinimumWidth(min(max(380, widest + 48), 760))

    def _load_systems(self) -> None:
        from forms.catalog import SystemFileError, read_system_path, shipped_systems, user_systems

        for kind, entries in (("内置", shipped_systems()), ("自定义", user_systems())):
            for entry in entries:
                try:
                    system, problems = read_system_path(entry.path)
                except SystemFileError:
                    continue
                if problems:
                    continue
                year = f"{entry.year}年" if entry.year else ""
                where = f"（{entry.jurisdiction}{year}）" if entry.jurisdiction or year else ""
                self.system_box.addItem(f"[{kind}] {entry.name}{where}")
                self._systems.append(system)

    def _choose_file(self) -> None:
        from forms.catalog import SystemFileError, read_system_path

        path, _ = QFileDialog.getOpenFileName(self, "选择指标体系文件",
                                              _dir_of(self.settings, "dirs/system"), SYSTEM_FILTER)
        if not path:
            return
        _remember_dir(self.settings, "dirs/system", path)
        try:
            system, problems = read_system_path(path)
        except SystemFileError as exc:
            messages.error(self, str(exc), title="无法使用此指标体系文件")
            return
        if problems:
            lines = "\n".join(f"· {p.message}" for p in problems[:12])
            more = f"\n……共 {len(problems)} 处" if len(problems) > 12 else ""
            messages.error(self, f"指标体系“{system.name}”有误，不能使用：\n{lines}{more}",
                           title="无法使用此指标体系文件")
            return
        self.system_box.addItem(f"[文件] {system.name}（{Path(path).name}）")
        self._systems.append(system)
        self.system_box.setCurrentIndex(self.system_box.count() - 1)
        self._fit_names()

    def accept(self) -> None:
        department = self.department_edit.text().strip()
        index = self.system_box.currentIndex()
        if index < 0 or index >= len(self._systems) or self._systems[index] is None:
            messages.warning(self, "请选择一个指标体系。")
            return
        if not department:
            messages.warning(self, "请填写单位名称。")
            self.department_edit.setFocus()
            return
        self.system = self._systems[index]
        super().accept()

    def evaluation(self) -> Evaluation:
        from forms.model import new_evaluation

        assert self.system is not None
        return new_evaluation(self.system, self.department_edit.text().strip(),
                              self.year_spin.value())


class LibraryDialog(QDialog):
    def __init__(self, library: Library, parent: QWidget | None = None,
                 current_id: int | None = None, settings: QSettings | None = None,
                 broken: dict[int, str] | None = None):
        super().__init__(parent)
        self.setWindowTitle("评价库")
        self.library = library
        # evaluations that could not be opened (id → why): marked, and their raw data offered
        self.broken = broken if broken is not None else {}
        self.current_id = current_id
        self.settings = settings
        self.chosen_id: int | None = None
        self.replace_with: Evaluation | None = None  # an import chosen to replace chosen_id
        self._summaries: list[Summary] = []

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("evaluations")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for column in (1, 3, 4, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.open_button = QPushButton("打开")
        self.new_button = QPushButton("新建…")
        self.next_year_button = QPushButton("新建下一年度")
        self.next_year_button.setToolTip("复制单位、指标体系和文字，清空数字和指标填报，年度加一")
        self.delete_button = QPushButton("删除…")
        self.import_button = QPushButton("导入评价包…")
        self.export_button = QPushButton("导出评价包…")
        self.recycle_button = QPushButton("回收站…")
        self.recycle_button.clicked.connect(self.show_recycle_bin)
        self.close_button = QPushButton("关闭")
        self.open_button.clicked.connect(self.open_selected)
        self.new_button.clicked.connect(self.new_evaluation)
        self.next_year_button.clicked.connect(self.start_next_year)
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button.clicked.connect(self.import_package)
        self.export_button.clicked.connect(self.export_package)
        self.close_button.clicked.connect(self.reject)
        self.open_button.setDefault(True)

        side = QVBoxLayout()
        for button in (self.open_button, self.new_button, self.next_year_button,
                       self.delete_button):
            side.addWidget(button)
        side.addSpacing(16)
        side.addWidget(self.import_button)
        side.addWidget(self.export_button)
        side.addSpacing(16)
        side.addWidget(self.recycle_button)
        side.addStretch(1)
        side.addWidget(self.close_button)
        self.hint = QLabel("双击一行打开。每次修改都会自动保存到数据库。")
        self.hint.setStyleSheet("color: #4b5563;")
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addWidget(self.hint)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 1)
        layout.addLayout(side)
        fit_to_screen(self, 860, 420)
        self.refresh()

    # ------------------------------------------------------------ list

    def refresh(self, select_id: int | None = None) -> None:
        try:
            self._summaries = self.library.list()
        except (StorageError, sqlite3.Error, OSError) as exc:  # an unusable database: tell
            messages.error(self, f"无法读取评价库：{exc}")
            self._summaries = []
        self.table.setRowCount(len(self._summaries))
        wanted = select_id if select_id is not None else self.current_id
        for row, s in enumerate(self._summaries):
            reason = self.broken.get(s.id)
            # the copy's label first: a narrow column still tells two copies apart
            name = f"［{s.label}］{s.department}" if s.label else s.department
            cells = (name, f"{s.year}", s.system_name, s.total,
                     "无法打开" if reason else s.grade, _saved_text(s.updated))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, s.id)
                if reason:
                    item.setForeground(QBrush(QColor("#b91c1c")))
                    item.setToolTip(f"无法打开：{reason}\n可“导出评价包”导出其原始数据，交技术支持处理")
                if column in (1, 3):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if column == 0 and not reason:
                    item.setToolTip(which_copy(s))
                if s.id == self.current_id and column == 0:
                    item.setToolTip("正在编辑：" + which_copy(s))
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.table.setItem(row, column, item)
            if s.id == wanted:
                self.table.selectRow(row)
        if not self.table.selectedItems() and self._summaries:
            self.table.selectRow(0)
        self._update_buttons()

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.table.item(rows[0].row(), 0)
        return int(item.data(ID_ROLE)) if item is not None else None

    def select_id(self, evaluation_id: int) -> None:
        for row, s in enumerate(self._summaries):
            if s.id == evaluation_id:
                self.table.selectRow(row)

    def _update_buttons(self) -> None:
        chosen = self.selected_id()
        for button in (self.open_button, self.next_year_button, self.export_button):
            button.setEnabled(chosen is not None)
        self.delete_button.setEnabled(chosen is not None and chosen != self.current_id)
        self.delete_button.setToolTip("正在编辑的评价不能删除：请先打开其他评价"
                                      if chosen is not None and chosen == self.current_id else "")

    def _summary(self, evaluation_id: int) -> Summary | None:
        return next((s for s in self._summaries if s.id == evaluation_id), None)

    # ------------------------------------------------------------ actions

    def _open(self, evaluation_id: int) -> None:
        reason = self.broken.get(evaluation_id)
        if reason is not None:
            if messages.confirm(self, f"此评价无法打开：{reason}\n\n其他评价不受影响。"
                                f"导出它的原始数据（评价包），交技术支持处理？", yes="导出原始数据…"):
                self.export_package()
            return
        self.chosen_id = evaluation_id
        self.accept()

    def open_selected(self) -> None:
        chosen = self.selected_id()
        if chosen is not None:
            self._open(chosen)

    def new_evaluation(self) -> None:
        summary = self._summary(self.selected_id() or -1)
        dialog = NewEvaluationDialog(self, self.settings,
                                     department=summary.department if summary else "")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            new_id = self.library.add(dialog.evaluation())
        except (StorageError, sqlite3.Error, OSError) as exc:
            messages.error(self, f"无法新建评价：{exc}")
            return
        self._open(new_id)

    def start_next_year(self) -> None:
        chosen = self.selected_id()
        if chosen is None:
            return
        summary = self._summary(chosen)
        if summary is not None and any(s.department == summary.department
                                       and s.year == summary.year + 1 for s in self._summaries):
            if not messages.confirm(self, f"{summary.department} {summary.year + 1} 年度的评价已经存在。"
                                    f"仍要再新建一份吗？", yes="仍要新建"):
                return
        try:
            new_id = self.library.start_next_year(chosen)
        except StorageError as exc:
            messages.error(self, str(exc))
            return
        self._open(new_id)

    def delete_selected(self) -> None:
        chosen = self.selected_id()
        summary = self._summary(chosen) if chosen is not None else None
        if chosen is None or summary is None or chosen == self.current_id:
            return
        text = (f"删除这一份：{which_copy(summary)}？\n"
                f"它会移到“回收站”，90 天内可以恢复，之后自动彻底删除。")
        if not messages.confirm(self, text, yes="删除", title="删除评价"):
            return
        try:
            self.library.delete(chosen)
        except (StorageError, sqlite3.Error, OSError) as exc:
            messages.error(self, f"无法删除：{exc}")
        self.refresh()

    def show_recycle_bin(self) -> None:
        from desktop.shell.restore_dialog import RecycleDialog

        dialog = RecycleDialog(self.library, self)
        dialog.exec()
        self.refresh(select_id=dialog.restored[-1] if dialog.restored else None)

    def import_package(self) -> None:
        from forms.package import PackageError, load_package

        path, _ = QFileDialog.getOpenFileName(self, "导入评价包",
                                              _dir_of(self.settings, "dirs/package"),
                                              PACKAGE_FILTER)
        if not path:
            return
        _remember_dir(self.settings, "dirs/package", path)
        try:
            evaluation = load_package(path)
        except PackageError as exc:
            messages.error(self, f"{Path(path).name} 不能导入：{exc}", title="无法导入评价包")
            return
        from desktop.shell import safekeeping

        dept = evaluation.department
        same = self.library.find_same(dept.name, dept.year)
        if same:
            answer = safekeeping.ask_duplicate(self, evaluation, same)
            if answer == safekeeping.CANCEL:
                return
            if answer == safekeeping.REPLACE:  # the window opens it and replaces, undoably
                self.chosen_id = same[0].id
                self.replace_with = evaluation
                self.accept()
                return
            evaluation = safekeeping.labelled_copy(evaluation)
        try:
            new_id = self.library.add(evaluation)
        except (StorageError, sqlite3.Error, OSError) as exc:
            messages.error(self, f"无法保存导入的评价：{exc}")
            return
        self.refresh(select_id=new_id)
        messages.info(self, f"已导入“{evaluation.department.name} {evaluation.department.year} 年度”。")

    def export_package(self) -> None:
        from forms.files import WriteFailed, write_atomic
        from forms.package import write_package

        chosen = self.selected_id()
        summary = self._summary(chosen) if chosen is not None else None
        if chosen is None or summary is None:
            return
        suggested = str(Path(_dir_of(self.settings, "dirs/package"))
                        / f"{summary.department}-{summary.year}.json")
        path, _ = QFileDialog.getSaveFileName(self, "导出评价包", suggested, PACKAGE_FILTER)
        if not path:
            return
        _remember_dir(self.settings, "dirs/package", path)
        try:
            try:
                data = write_package(self.library.get(chosen))
            except EvaluationUnreadable as exc:
                # the stored text as it is: support may repair what the program cannot read
                self.broken[chosen] = exc.reason
                data = self.library.raw_package(chosen)
            write_atomic(path, data)
        except (WriteFailed, StorageError) as exc:
            messages.error(self, str(exc), title="无法导出评价包")
            return
        messages.info(self, f"已导出到 {path}")
