"""从 Excel 导入指标表: the column-mapping step (列对应) and the import itself.

The dialog shows the header row the importer recognised and a few rows below
it; for each field (一级指标, 二级指标, 三级指标, 分值, 评分标准, 指标值…) a
combo says which column holds it.  When the notice's header words differ, the
clerk picks the columns; the import then reports what it could not read row by
row (shown in the editor's problem list), never guessing silently.
"""

from __future__ import annotations

import threading
from functools import partial
from pathlib import Path
from typing import Any, TypeVar
from collections.abc import Callable

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QGridLayout, QHBoxLayout,
                               QHeaderView, QLabel, QProgressDialog, QSpinBox, QTableWidget,
                               QTableWidgetItem, QVBoxLayout, QWidget)

from desktop.common.screen import fit_to_screen
from desktop.common import messages
from exports.system_workbook import (FIELDS, REQUIRED, HeaderInfo, SystemImportError,
                                     header_candidates, header_candidates_text, header_info,
                                     import_raw_sheets, import_raw_text, read_sheets_path)
from forms.system import Problem
from forms.system_edit import SystemDraft

T = TypeVar("T")


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


class MappingDialog(QDialog):
    """Which column is which (列对应), with the header row and a preview of the rows."""

    def __init__(self, info: HeaderInfo, parent: QWidget | None = None,
                 data: bytes | None = None,
                 reread: Callable[[int], HeaderInfo] | None = None):
        super().__init__(parent)
        self.setWindowTitle("导入指标表：确认各列对应")
        fit_to_screen(self, 920, 660)
        self.info = info
        # how to re-read the headers when the clerk moves the header row
        if reread is None and data is not None:
            reread = partial(header_candidates, data)
        self.reread = reread
        layout = QVBoxLayout(self)
        if info.recognised:
            text = (f"在工作表“{info.sheet}”第 {info.row} 行找到表头，已按表头文字对应各列。"
                    f"请核对；不对的地方在下面改选。")
        else:
            text = (f"工作表“{info.sheet}”中没有认出表头（如“一级指标、三级指标、分值、评分标准”）。"
                    f"请指明表头所在行，并为每一项选择对应的列。")
        intro = QLabel(text)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        row.addWidget(QLabel("表头在第"))
        self.header_row = QSpinBox()
        self.header_row.setObjectName("header_row")
        self.header_row.setRange(1, 5000)
        self.header_row.setValue(max(info.row, 1))
        self.header_row.valueChanged.connect(self._row_changed)
        row.addWidget(self.header_row)
        row.addWidget(QLabel("行；数据从下一行开始。"))
        row.addStretch(1)
        layout.addLayout(row)
        # two columns of choices: twelve rows one under another do not fit a 125 % laptop
        form = QGridLayout()
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        self.combos: dict[str, QComboBox] = {}
        for number, (field, label) in enumerate(FIELDS.items()):
            combo = QComboBox()
            combo.setObjectName(f"map_{field}")
            combo.addItem("（无此列）", -1)
            for i, header in enumerate(info.columns):
                combo.addItem(f"{column_letter(i)} 列：{header or '（空）'}", i)
            combo.setCurrentIndex(max(combo.findData(info.mapping.get(field, -1)), 0))
            need = "（必选）" if field in REQUIRED else ""
            caption = QLabel(f"{label}{need}：")
            caption.setBuddy(combo)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)  # a long header is elided, not widening the dialog
            form.addWidget(caption, number // 2, 2 * (number % 2))
            form.addWidget(combo, number // 2, 2 * (number % 2) + 1)
            self.combos[field] = combo
        layout.addLayout(form)
        self.table = QTableWidget()
        self.table.setMinimumHeight(170)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self._fill_samples(info)
        layout.addWidget(QLabel("表头下面的几行："))
        layout.addWidget(self.table, 1)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c0392b;")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox()
        buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _fill_samples(self, info: HeaderInfo) -> None:
        table = self.table
        table.clear()
        table.setRowCount(len(info.samples))
        table.setColumnCount(len(info.columns))
        table.setHorizontalHeaderLabels([f"{column_letter(i)} {h}" for i, h in
                                         enumerate(info.columns)])
        for r, sample in enumerate(info.samples):
            for c, text in enumerate(sample[:len(info.columns)]):
                table.setItem(r, c, QTableWidgetItem(text))

    def _row_changed(self, row: int) -> None:
        """The clerk moved the header row: re-read its words and the rows below it."""
        if self.reread is None:
            return
        try:
            info = self.reread(row)
        except SystemImportError:
            return
        self.info = info
        for field, combo in self.combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem("（无此列）", -1)
            for i, header in enumerate(info.columns):
                combo.addItem(f"{column_letter(i)} 列：{header or '（空）'}", i)
            combo.setCurrentIndex(max(combo.findData(info.mapping.get(field, -1)), 0))
            combo.blockSignals(False)
        self._fill_samples(info)

    def mapping(self) -> dict[str, int]:
        return {f: c.currentData() for f, c in self.combos.items() if c.currentData() >= 0}

    def _accept(self) -> None:
        mapping = self.mapping()
        missing = [FIELDS[f] for f in ("level3", "weight") if f not in mapping]
        if missing:
            self.error.setText(f"请选择“{'”“'.join(missing)}”所在的列。")
            return
        self.accept()


def run_import(parent: QWidget | None, path: Path, *, ask_mapping: bool = True
               ) -> tuple[SystemDraft, list[Problem]] | None:
    """Read the workbook (once, off the window's thread), let the clerk confirm the columns,
    import; None when cancelled or refused."""
    try:
        sheets = off_thread(parent, f"正在读取 {path.name}…", partial(read_sheets_path, path))
    except SystemImportError as exc:
        messages.error(parent, str(exc), title="无法导入")
        return None
    return _run(parent, path.name, partial(header_info, sheets),
                lambda mapping, row: import_raw_sheets(sheets, mapping, name=path.stem,
                                                       header_row=row), ask_mapping)


def off_thread(parent: QWidget | None, label: str, work: Callable[[], T]) -> T:
    """``work()`` on a worker thread while the window keeps drawing (a window-modal progress
    dialog after 0.3 s); its result or its exception, as if called here."""
    outcome: dict[str, Any] = {}
    finished = threading.Event()

    def run() -> None:
        try:
            outcome["value"] = work()
        except BaseException as exc:  # noqa: BLE001 - re-raised on the window's thread
            outcome["error"] = exc
        finally:
            finished.set()

    worker = threading.Thread(target=run, name="import", daemon=True)
    worker.start()
    if not finished.wait(0.05):
        loop = QEventLoop()
        progress = QProgressDialog(label, "", 0, 0, parent)
        progress.setWindowTitle("请稍候")
        progress.setCancelButton(None)  # openpyxl cannot be interrupted
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)
        progress.setValue(0)
        timer = QTimer()
        timer.setInterval(20)
        timer.timeout.connect(lambda: loop.quit() if finished.is_set() else None)
        timer.start()
        loop.exec()
        timer.stop()
        progress.reset()
        progress.deleteLater()
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


def run_paste(parent: QWidget | None, text: str, *, ask_mapping: bool = True
              ) -> tuple[SystemDraft, list[Problem]] | None:
    """The same for a table copied from Word, WPS or Excel (the clipboard's text)."""
    return _run(parent, "剪贴板", partial(header_candidates_text, text),
                lambda mapping, row: import_raw_text(text, mapping, header_row=row), ask_mapping)


def _rules_read(nodes: object) -> tuple[int, int]:
    """(leaves whose rule was read from the criteria, leaves with criteria left 直接评分)."""
    read = unread = 0
    for node in nodes if isinstance(nodes, list) else ():
        if not isinstance(node, dict):
            continue
        if isinstance(node.get("children"), list):
            r, u = _rules_read(node["children"])
            read, unread = read + r, unread + u
        elif node.get("review"):
            read += 1
        elif str(node.get("criteria") or "").strip():
            unread += 1
    return read, unread


def _run(parent: QWidget | None, where: str, headers: Callable[[int | None], HeaderInfo],
         read: Callable[[dict[str, int], int], tuple[dict[str, Any], list[Problem]]],
         ask_mapping: bool) -> tuple[SystemDraft, list[Problem]] | None:
    try:
        info = headers(None)  # the header row the importer finds itself
    except SystemImportError as exc:
        messages.error(parent, f"{where}：{exc}", title="无法导入")
        return None
    mapping, header_row = info.mapping, info.row
    if ask_mapping:
        dialog = MappingDialog(info, parent, reread=headers)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        mapping, header_row = dialog.mapping(), dialog.header_row.value()
    try:  # the recogniser reads every leaf's 评分标准 here: off the window's thread
        raw, problems = off_thread(parent, "正在识别评分标准…", partial(read, mapping, header_row))
    except SystemImportError as exc:
        messages.error(parent, f"{where}：{exc}", title="无法导入")
        return None
    draft = SystemDraft(raw)
    system = draft.check().system
    # the draft's own checks will show the tree problems; keep the row-only ones as notes
    notes = [p for p in problems if not p.system_field]
    leaves = sum(1 for _ in system.leaves())
    recognised, unread = _rules_read(raw.get("indicators"))
    summary = f"已从“{where}”导入 {len(system.indicators)} 个一级指标、{leaves} 个三级指标。"
    if recognised:
        summary += f"其中 {recognised} 个已按评分标准识别出评分规则，标为“请核对”，请逐一核对后确认。"
    if unread:
        summary += f"{unread} 个的评分标准未能识别，暂为“直接评分”，评分标准已保留，请选择评分规则" \
                   f"（选中后点“按评分标准识别”可看原因）。"
    if problems:
        summary += f"\n有 {len(problems)} 处需要核对，已列在编辑器下方的问题清单中。"
    messages.info(parent, summary, title="导入完成")
    return draft, notes
