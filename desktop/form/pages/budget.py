"""收支情况 (年度部门整体支出规模): the budget grid, 年末结转和结余, and the report sentence.

Rows: 合计, the four fund sources (按资金来源), the two natures (按支出性质).
Columns: 年初预算数, 全年预算数, 全年执行数 typed; 执行率 computed (read-only).
Sums that do not add up and execution above budget are marked on the cells,
with both figures in the tooltip (the messages come from forms.validation).
"""

from __future__ import annotations

from dataclasses import replace
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from forms.address import Address, BudgetCell, FieldAddress
from forms.budget import effective_total, row_rate
from forms.model import NATURE_ROWS, SOURCE_ROWS, Budget, BudgetRow, Evaluation
from forms.report_data import budget_paragraph

from desktop.form.document import Document
from desktop.form.evidence_list import EvidenceList
from desktop.form.table_view import FormTable
from desktop.form.records import CellValue, with_cells
from desktop.form.tables import AMOUNT, RATE, Column, FormTableModel, GridCell, Index
from desktop.common.widgets import NumberField, ReadOnlyText
from desktop.form.pages.base import Page, hint, subheading

# The grid's rows, each the address of a whole row of the budget table (合计 has no row key)
# and its title.
ROWS: tuple[tuple[BudgetCell, str], ...] = (
    (BudgetCell("total"), "合计"),
    *((BudgetCell("by_source", key), f"资金来源：{name}") for key, name in SOURCE_ROWS),
    *((BudgetCell("by_nature", key), f"支出性质：{name}") for key, name in NATURE_ROWS),
)
_TYPED = ("initial", "adjusted", "executed")  # the columns the clerk fills in
CARRYOVER = FieldAddress("budget", "carryover")  # 年末结转和结余
INCOME = FieldAddress("budget", "appropriation_income")  # 财政拨款收入


class BudgetModel(FormTableModel):
    section = "budget"
    columns = (
        Column("initial", "年初预算数（万元）", AMOUNT),
        Column("adjusted", "全年预算数（万元）", AMOUNT),
        Column("executed", "全年执行数（万元）", AMOUNT),
        Column("rate", "执行率", RATE, computed="全年执行数 / 全年预算数 × 100%"),
    )

    def row_count(self, ev: Evaluation) -> int:
        return len(ROWS)

    def row_title(self, row: int) -> str:
        return ROWS[row][1]

    def _row(self, budget: Budget, row: int) -> BudgetRow:
        where = ROWS[row][0]
        if where.group == "total":
            return effective_total(budget)
        return budget.source(where.row) if where.group == "by_source" else budget.nature(where.row)

    def cell(self, ev: Evaluation, row: int, key: str) -> CellValue:
        budget_row = self._row(ev.budget, row)
        if key == "rate":
            return row_rate(budget_row)
        return budget_row.get(key)

    def with_cells(self, ev: Evaluation, row: int, values: dict[str, CellValue]) -> Evaluation:
        where = ROWS[row][0]
        budget = ev.budget
        if where.group == "total":
            # 合计: only what the clerk typed is kept; an empty column keeps showing the sum
            budget = replace(budget, total=with_cells(budget.total or BudgetRow(), values))
        elif where.group == "by_source":
            by_source = dict(budget.by_source)
            by_source[where.row] = with_cells(budget.source(where.row), values)
            budget = replace(budget, by_source=by_source)
        else:
            by_nature = dict(budget.by_nature)
            by_nature[where.row] = with_cells(budget.nature(where.row), values)
            budget = replace(budget, by_nature=by_nature)
        return replace(ev, budget=budget)

    def address(self, row: int, key: str) -> BudgetCell:
        return replace(ROWS[row][0], column=key)

    def cells_for(self, address: Address) -> list[GridCell]:
        if not isinstance(address, BudgetCell) or address.column not in _TYPED:
            return []
        if address.group == "total":
            return [GridCell(0, address.column)] if not address.row else []
        # no row key: a sum over the group disagrees with 合计, so every row of it is marked
        return [GridCell(i, address.column) for i, (where, _) in enumerate(ROWS)
                if where.group == address.group and address.row in ("", where.row)]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.FontRole and index.isValid() and index.row() == 0:
            font = QFont()
            font.setBold(True)  # 合计 stands out from its parts
            return font
        # 合计 left empty: shown as the sum of the fund-source rows
        total = self.document.evaluation.budget.total
        column = self.columns[index.column()].key if index.isValid() else ""
        if (role == Qt.ItemDataRole.ToolTipRole and index.isValid() and index.row() == 0
                and (total is None or (column != "rate" and total.get(column) is None))):
            tip = super().data(index, role)
            return "\n".join(t for t in ("合计未填写，暂按资金来源各行之和显示；填写后以填写数为准。", tip)
                             if t)
        return super().data(index, role)


class BudgetPage(Page):
    title = "收支情况"
    section = "budget"

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(document, parent)
        body = self.scroll_body(problems=False)
        body.addWidget(subheading("年度部门整体支出规模（万元）"))
        body.addWidget(hint("按资金来源的四行之和、按支出性质的两行之和都应等于合计；"
                            "执行率自动计算。可从 Excel / WPS 复制整块数字后按 Ctrl+V 粘贴。"))
        self.model = BudgetModel(document, self)
        self.table = FormTable(self.model, self, fit_rows=False)
        self.table.setObjectName("budget.table")
        self.table.verticalHeader().setMinimumWidth(230)
        self._fit_table()
        self.table.header_fitted.connect(self._fit_table)  # a title wrapped onto two lines
        body.addWidget(self.table)
        self.import_button = QPushButton("从预算执行表导入…", self)
        self.import_button.setObjectName("budget.import")
        self.import_button.setToolTip("读入预算管理一体化系统导出的预算执行表，不必再逐格录入")
        self.import_button.clicked.connect(self.import_export)
        row_buttons = QHBoxLayout()
        row_buttons.addWidget(self.import_button)
        row_buttons.addStretch(1)
        body.addLayout(row_buttons)
        # the problems of the grid in words, after every field of the page (the cells are
        # marked too): a message coming or going moves nothing the clerk aims at
        self.problems = QLabel(self)
        self.problems.setObjectName("budget_problems")
        self.problems.setWordWrap(True)

        form = QFormLayout()
        self.carryover = self._amount_field(form, CARRYOVER, "年末结转和结余",
                                            lambda budget, v: replace(budget, carryover=v))
        self.income = self._amount_field(form, INCOME, "财政拨款收入",
                                         lambda budget, v: replace(budget, appropriation_income=v))
        self.income.setToolTip("以决算数为口径的部门整体财政拨款收入；填写后报告写明此数")
        body.addLayout(form)

        body.addWidget(subheading("佐证材料"))
        self.evidence = EvidenceList(lambda: self.document, FieldAddress("budget"), "收支情况",
                                     self)
        self.fields[self.evidence.field] = self.evidence.files
        body.addWidget(self.evidence)
        # the report's sentence changes length with every figure: below the fields, so
        # that it moves none of them
        body.addWidget(subheading("报告中的表述（自动生成，只读）"))
        self.sentence = ReadOnlyText(self)
        body.addWidget(self.sentence)
        body.addStretch(1)
        body.addWidget(self.problems)
        self.refresh()

    def _fit_table(self) -> None:
        # Show every row without an inner scroll bar: the page scrolls instead.
        self.table.resizeRowsToContents()
        header = self.table.horizontalHeader()
        height = max(header.height(), header.minimumHeight()) + 2 * self.table.frameWidth()
        height += sum(self.table.rowHeight(r) for r in range(self.model.rowCount()))
        self.table.setFixedHeight(height + 2)

    def import_export(self) -> None:
        from desktop.form.budget_import_dialog import import_budget

        import_budget(self, self.document)

    def document_switched(self) -> None:
        self.model.document = self.document

    def _amount_field(self, form: QFormLayout, address: FieldAddress, label: str,
                      setter: Callable[[Budget, Decimal | None], Budget]) -> NumberField:
        """One amount of the budget outside the grid (万元), on a row of ``form``;
        ``setter`` makes the budget with the amount the clerk typed."""
        field = NumberField(label, self, path=address)
        field.setObjectName(str(address))
        field.setMaximumWidth(200)
        field.value_edited.connect(
            lambda value: self._amount_edited(address, label, setter, value))
        self.fields[address] = field
        row = QHBoxLayout()
        row.addWidget(field)
        row.addWidget(hint("万元"))
        row.addStretch(1)
        form.addRow(f"{label}：", row)
        return field

    def _amount_edited(self, address: FieldAddress, label: str,
                       setter: Callable[[Budget, Decimal | None], Budget],
                       value: Decimal | None) -> None:
        ev = self.document.evaluation
        after = replace(ev, budget=setter(ev.budget, value))
        self.document.apply(after, f"修改{label}", merge_key=address)

    def load(self, ev: Evaluation) -> None:
        self.model.refresh()
        self.carryover.set_value(ev.budget.carryover)
        self.income.set_value(ev.budget.appropriation_income)
        self.sentence.set_text(budget_paragraph(ev) or "（填写全年预算数和执行数后，这里显示报告中的表述。）")
        self.evidence.refresh()

    def focus(self, address: Address) -> bool:
        self.ensure_fresh()
        if address in self.fields:  # 年末结转和结余, 财政拨款收入, 佐证材料
            return super().focus(address)
        cells = self.model.cells_for(address)
        if not cells:
            if address.section == "budget":
                return self.focus_widget(self.table)
            return False
        self.scroll_to(self.table)
        return self.table.focus_cell(*cells[0])
