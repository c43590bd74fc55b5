"""收支情况 › 从预算执行表导入…: the budget system's export, row by row, with what each row
would fill; the clerk unticks what should not be taken, and the rest is one undoable step."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from exports.budget_import import COLUMN_NAMES, Proposal, Row
from forms.numbers import fmt_amount

from desktop.common import messages
from desktop.common.screen import fit_to_screen
from desktop.form.document import Document

HEADERS = ("导入", "表中位置", "表中名称", *COLUMN_NAMES.values(), "填入")


class BudgetImportDialog(QDialog):
    def __init__(self, parent: QWidget | None, name: str, proposal: Proposal):
        super().__init__(parent)
        self.setWindowTitle(f"从预算执行表导入：{name}")
        self.proposal = proposal
        layout = QVBoxLayout(self)
        head = QLabel(f"原表单位：{proposal.unit}（导入时按万元填入）。勾选的行将填入本评价，"
                      "可作为一步撤销；未能对应的行不会导入。")
        head.setWordWrap(True)
        layout.addWidget(head)
        for note in proposal.notes:
            label = QLabel("注意：" + note)
            label.setWordWrap(True)
            label.setStyleSheet("color: #a04000;")
            layout.addWidget(label)
        self.table = QTableWidget(len(proposal.rows), len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        for r, row in enumerate(proposal.rows):
            tick = QTableWidgetItem()
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
            tick.setFlags(flags if row.target else Qt.ItemFlag.NoItemFlags)
            tick.setCheckState(Qt.CheckState.Checked if row.target else Qt.CheckState.Unchecked)
            self.table.setItem(r, 0, tick)
            cells = [row.where, row.label,
                     *(fmt_amount(row.figures[k]) if k in row.figures else "" for k in COLUMN_NAMES),
                     row.note]
            for c, text in enumerate(cells, 1):
                item = QTableWidgetItem(text)
                if 3 <= c < 3 + len(COLUMN_NAMES):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if not row.target:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(r, c, item)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton("导入勾选的行", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok.setEnabled(bool(proposal.placed))
        layout.addWidget(buttons)
        fit_to_screen(self, 900, 480)

    def chosen(self) -> list[Row]:
        return [row for r, row in enumerate(self.proposal.rows)
                if row.target and self._ticked(r)]

    def _ticked(self, row: int) -> bool:
        tick = self.table.item(row, 0)
        return tick is not None and tick.checkState() == Qt.CheckState.Checked


def ask_export_path(parent: QWidget) -> str:
    path, _ = QFileDialog.getOpenFileName(parent, "选择预算执行表", str(Path.home()),
                                          "Excel 工作簿 (*.xlsx *.xlsm)")
    return path


def run_dialog(dialog: QDialog) -> bool:
    return dialog.exec() == QDialog.DialogCode.Accepted


def import_budget(parent: QWidget, document: Document) -> bool:
    """Ask for the export, show what it fills, apply the chosen rows as one step."""
    from exports.budget_import import BudgetImportError, apply, read_budget_export
    from forms.files import ReadFailed, read_bounded

    chosen = ask_export_path(parent)
    if not chosen:
        return False
    try:
        data = read_bounded(chosen, 20 * 1024 * 1024, "预算执行表")
        proposal = read_budget_export(data, document.evaluation)
    except (BudgetImportError, ReadFailed) as exc:
        messages.error(parent, f"无法读取这份预算执行表：{exc}", title="从预算执行表导入")
        return False
    dialog = BudgetImportDialog(parent, Path(chosen).name, proposal)
    if not run_dialog(dialog):
        return False
    rows = dialog.chosen()
    if not rows:
        return False
    document.apply(apply(document.evaluation, rows),
                   f"从预算执行表导入 {len(rows)} 行（{Path(chosen).name}）")
    return True
