"""Exchange layouts: the budget system's own import sheet as an export format.

A layout is a data file (``exports/layouts/*.json``, or the user's ``layouts/`` in
the data folder): for each sheet, which rows it lists (``budget``, ``goals``,
``indicators``) and for each column its key (the system's field name, written in
the first row), its Chinese label (the second row) and the value it holds, named
from ``VALUES`` below.  Adding a layout is adding such a file (docs/exchange.md).

The workbook also carries our hidden data sheet with a cell map of the editable
cells, so ``selfeval import`` (and 导入Excel) reads an exchange workbook back as it
reads ours: nothing is lost, and what the clerk corrected in the visible cells is
taken.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from forms.files import ReadFailed, read_bounded
from forms.model import Evaluation
from forms.scoring import NOT_APPLICABLE, LeafResult, ScoreResult, score

from .cellmap import DATA_SHEET, NUMBER, TEXT, MappedCell, write_data_sheet
from .excel import clean_text
from .tables import BudgetLine, IndicatorRow, budget_lines, indicator_rows, rate_fraction

FORMAT = "selfeval-exchange-layout"
SHIPPED = Path(__file__).with_name("layouts")
ROW_KINDS = ("budget", "goals", "indicators")
KEY_FONT = Font(name="宋体", size=9, color="808080")
LABEL_FONT = Font(name="宋体", size=11, bold=True)


class LayoutError(ValueError):
    """A layout file that cannot be used; ``str()`` says why, in Chinese."""


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    value: str  # a name in VALUES, or "" for a column left empty


@dataclass(frozen=True)
class Sheet:
    title: str
    rows: str  # one of ROW_KINDS
    columns: tuple[Column, ...]


@dataclass(frozen=True)
class Layout:
    id: str
    name: str
    note: str
    sheets: tuple[Sheet, ...]


# ---------------------------------------------------------------- what a column can hold

Cell = tuple[Any, str, tuple[str | int, ...] | None]  # value, kind, package path if editable


def _exec_leaf(ev: Evaluation, result: ScoreResult) -> LeafResult | None:
    for r in result.leaves:
        if r.leaf.source == "budget.execution_rate":
            return r
    return None


def _budget_path(line: BudgetLine, column: str) -> tuple[str | int, ...]:
    if line.key == "total":
        return ("budget", "total", column)
    group, key = line.key.split(".", 1)
    return ("budget", "by_source" if group == "source" else "by_nature", key, column)


BudgetValue = Callable[[Evaluation, ScoreResult, BudgetLine], Cell]
IndicatorValue = Callable[[Evaluation, IndicatorRow], Cell]
GoalsValue = Callable[[Evaluation], Cell]


def _exec_weight(ev: Evaluation, res: ScoreResult, line: BudgetLine) -> Cell:
    """分值 of the 预算执行率 indicator, on the 合计 row (as the ministry's table has it)."""
    found = _exec_leaf(ev, res)
    return (found.leaf.weight if found is not None and line.key == "total" else None, "score",
            None)


def _exec_score(ev: Evaluation, res: ScoreResult, line: BudgetLine) -> Cell:
    found = _exec_leaf(ev, res)
    return (found.score if found is not None and line.key == "total" else None, "score", None)


BUDGET_VALUES: dict[str, BudgetValue] = {
    "budget.name": lambda ev, res, line: (line.name, TEXT, None),
    "budget.initial": lambda ev, res, line: (line.row.initial, "amount",
                                             None if line.key.startswith("nature.")
                                             else _budget_path(line, "initial")),
    "budget.adjusted": lambda ev, res, line: (line.row.adjusted, "amount",
                                              _budget_path(line, "adjusted")),
    "budget.executed": lambda ev, res, line: (line.row.executed, "amount",
                                              _budget_path(line, "executed")),
    "budget.rate": lambda ev, res, line: (rate_fraction(line.rate), "rate", None),
    "budget.weight": _exec_weight,
    "budget.score": _exec_score,
}
INDICATOR_VALUES: dict[str, IndicatorValue] = {
    "indicator.level1": lambda ev, row: (row.name_at(1), TEXT, None),
    "indicator.level2": lambda ev, row: (row.name_at(2), TEXT, None),
    "indicator.level3": lambda ev, row: (row.name_at(3), TEXT, None),
    "indicator.name": lambda ev, row: (row.leaf.name, TEXT, None),
    "indicator.weight": lambda ev, row: (row.leaf.weight, "score", None),
    "indicator.target": lambda ev, row: (row.target_text, TEXT, None),
    "indicator.actual": lambda ev, row: (row.actual_text, TEXT, None),
    "indicator.score": lambda ev, row: ("不适用" if row.result.status == NOT_APPLICABLE
                                        else row.result.score, "score", None),
    "indicator.deviation": lambda ev, row: (row.deviation, TEXT,
                                            ("values", row.leaf.id, "deviation")),
}
GOALS_VALUES: dict[str, GoalsValue] = {
    "department.name": lambda ev: (ev.department.name, TEXT, None),
    "department.year": lambda ev: (ev.department.year, "year", None),
    "goals.targets": lambda ev: (ev.goals.targets, TEXT, ("goals", "targets")),
    "goals.completion": lambda ev: (ev.goals.completion, TEXT, ("goals", "completion")),
    "goals.unmet_reason": lambda ev: (ev.goals.unmet_reason, TEXT, ("goals", "unmet_reason")),
}
VALUES_BY_ROWS: dict[str, dict[str, Any]] = {
    "budget": BUDGET_VALUES, "indicators": INDICATOR_VALUES, "goals": GOALS_VALUES}


# ---------------------------------------------------------------- reading layout files

def read_layout(text: str, where: str = "") -> Layout:
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise LayoutError(f"{where}不是有效的 JSON：{exc}") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise LayoutError(f"{where}不是交换格式文件（format 应为“{FORMAT}”）")
    ident, name = raw.get("id"), raw.get("name")
    if not (isinstance(ident, str) and ident and isinstance(name, str) and name):
        raise LayoutError(f"{where}缺少 id 或 name")
    sheets = []
    for i, s in enumerate(raw.get("sheets") or ()):
        if not isinstance(s, dict) or s.get("rows") not in ROW_KINDS \
                or not isinstance(s.get("title"), str) or not s["title"]:
            raise LayoutError(f"{where}第 {i + 1} 个工作表的 title 或 rows 无效"
                              f"（rows 可为 {'、'.join(ROW_KINDS)}）")
        allowed = VALUES_BY_ROWS[s["rows"]]
        columns = []
        for j, c in enumerate(s.get("columns") or ()):
            if not isinstance(c, dict) or not all(isinstance(c.get(k, ""), str)
                                                  for k in ("key", "label", "value")):
                raise LayoutError(f"{where}“{s['title']}”第 {j + 1} 列无效")
            value = c.get("value", "")
            if value and value not in allowed:
                raise LayoutError(f"{where}“{s['title']}”第 {j + 1} 列的 value“{value}”不认识"
                                  f"（可用：{'、'.join(allowed)}）")
            columns.append(Column(c.get("key", ""), c.get("label", ""), value))
        if not columns:
            raise LayoutError(f"{where}“{s['title']}”没有列")
        sheets.append(Sheet(s["title"][:31], s["rows"], tuple(columns)))
    if not sheets:
        raise LayoutError(f"{where}没有工作表")
    return Layout(ident, name, str(raw.get("note", "")), tuple(sheets))


def layouts(user_folder: Path | None = None) -> dict[str, Layout]:
    """Every layout: the shipped ones, then the user's (a user's file may replace one)."""
    out: dict[str, Layout] = {}
    folders = [SHIPPED] + ([user_folder] if user_folder is not None else [])
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.glob("*.json")):
            try:
                layout = read_layout(read_bounded(path, 1024 * 1024).decode("utf-8", "replace"),
                                     f"{path.name}：")
            except (LayoutError, ReadFailed):
                continue
            out[layout.id] = layout
    return out


# ---------------------------------------------------------------- writing

def _cell_value(value: Any, kind: str) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and kind != "amount" \
            else float(value)
    return clean_text(value) if isinstance(value, str) else value


_FORMATS = {"amount": "0.00", "rate": "0.00%", "score": "0.00"}


def layout_bytes(evaluation: Evaluation, layout: Layout) -> bytes:
    """The evaluation in ``layout``, with our hidden data sheet so it can be read back."""
    result = score(evaluation)
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    cells: list[MappedCell] = []
    rows_of: dict[str, list[Any]] = {
        "budget": budget_lines(evaluation),
        "indicators": indicator_rows(evaluation, result),
        "goals": [None],
    }
    for sheet in layout.sheets:
        ws = wb.create_sheet(sheet.title)
        values = VALUES_BY_ROWS[sheet.rows]
        label_col = next((i for i, c in enumerate(sheet.columns)
                          if c.value in ("budget.name", "indicator.name", "department.name")), None)
        for c, column in enumerate(sheet.columns, 1):
            key = ws.cell(row=1, column=c, value=column.key or None)
            key.font = KEY_FONT
            label = ws.cell(row=2, column=c, value=column.label or None)
            label.font = LABEL_FONT
            label.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            ws.column_dimensions[get_column_letter(c)].width = 30 if column.value.endswith(
                ("deviation", "targets", "completion", "unmet_reason")) else 14
        for r, item in enumerate(rows_of[sheet.rows], 3):
            row_label = ""
            for c, column in enumerate(sheet.columns, 1):
                if not column.value:
                    continue
                getter = values[column.value]
                if sheet.rows == "budget":
                    value, kind, path = getter(evaluation, result, item)
                elif sheet.rows == "indicators":
                    value, kind, path = getter(evaluation, item)
                else:
                    value, kind, path = getter(evaluation)
                cell = ws.cell(row=r, column=c, value=_cell_value(value, kind))
                if kind in _FORMATS:
                    cell.number_format = _FORMATS[kind]
                if kind == TEXT:
                    cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                if label_col is not None and c - 1 == label_col:
                    row_label = str(value or "")
                if path is not None and row_label and column.label:
                    cells.append(MappedCell(sheet.title, cell.coordinate,
                                            NUMBER if kind == "amount" else TEXT, path,
                                            f"{row_label} {column.label}"))
        ws.freeze_panes = "A3"
    write_data_sheet(wb.create_sheet(DATA_SHEET), evaluation, cells)
    wb.properties.creator = "selfeval"
    wb.properties.title = clean_text(f"{evaluation.department.year}年度{evaluation.department.name}"
                                     f" {layout.name}")[:250]
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
