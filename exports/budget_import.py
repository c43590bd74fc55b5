"""Taking the budget from the budget system's own export (预算执行表) instead of typing it again.

The budget-integration systems export execution as a workbook: rows by 资金来源,
功能科目, 经济分类 or by project, columns such as 年初预算 / 调整预算 / 全年预算 /
执行数 in the words of that system, often in 元.  ``read_budget_export`` finds the
header row of each sheet by those words, the label column left of the figures and
the unit, and proposes what each row fills: a line of our budget table (合计, the
four sources, 基本支出, 项目支出) or a project whose name matches one of the
evaluation's.  Rows it cannot place are listed, never guessed; figures that do not
add up are reported, not forced.  ``apply`` returns the evaluation with the chosen
rows filled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from io import BytesIO
from typing import Any

from forms.model import NATURE_ROWS, SOURCE_ROWS, BudgetRow, Evaluation
from forms.numbers import fmt_amount, round2
from forms.vocabulary import BUDGET_ROW_WORDS, norm
from forms.vocabulary import COLUMN_WORDS as VOCABULARY

from .xlsx_guard import SpreadsheetRefused, check_xlsx, reading_workbook

TEN_THOUSAND = Decimal(10000)
MAX_ROWS, MAX_COLS = 5000, 60

COLUMN_WORDS = {k: v for k, v in VOCABULARY["budget"].items() if k != "rate"}
ROW_WORDS = BUDGET_ROW_WORDS
ROW_NAMES = {"total": "合计", **{f"source.{k}": n for k, n in SOURCE_ROWS},
             **{f"nature.{k}": n for k, n in NATURE_ROWS}}
COLUMN_NAMES = {"initial": "年初预算数", "adjusted": "全年预算数", "executed": "全年执行数"}
_UNIT_YUAN = re.compile(r"单位[:：]?\s*元|（元）|\(元\)")
_UNIT_WAN = re.compile(r"万元")
_PLAIN = re.compile(r"-?\d{1,15}(\.\d{1,6})?")
_GROUPED = re.compile(r"-?\d{1,3}(,\d{3}){1,4}(\.\d{1,6})?")  # thousands separators, as written
_CODE = re.compile(r"^\d{3,}\s*")  # 功能科目 / 经济分类 codes before the name


class BudgetImportError(ValueError):
    """An export that cannot be read; ``str()`` says why, in Chinese."""


@dataclass(frozen=True)
class Row:
    """One row of the export with a label and figures (万元)."""

    sheet: str
    row: int  # 1-based, as Excel numbers it
    label: str
    figures: dict[str, Decimal]  # column key → amount in 万元
    target: str = ""  # "total", "source.general", "project:<index>" … or "" (not placed)
    note: str = ""  # why not placed, or what it fills

    @property
    def where(self) -> str:
        return f"“{self.sheet}”第 {self.row} 行"


@dataclass(frozen=True)
class Proposal:
    rows: tuple[Row, ...]
    unit: str  # "元" or "万元": what the export was in
    notes: tuple[str, ...]  # totals that do not add up, columns not found …

    @property
    def placed(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.target)


def _load(data: bytes) -> Any:
    try:
        check_xlsx(data)
    except SpreadsheetRefused as exc:
        raise BudgetImportError(str(exc)) from None
    from openpyxl import load_workbook

    try:
        with reading_workbook():
            return load_workbook(BytesIO(data), read_only=True, data_only=True)
    except SpreadsheetRefused as exc:
        raise BudgetImportError(str(exc)) from None


def _amount(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        try:
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    if isinstance(value, str):
        text = value.strip()
        if not _PLAIN.fullmatch(text) and not _GROUPED.fullmatch(text):
            return None  # 1,0000 or "约 5" is not read as a number
        return Decimal(text.replace(",", ""))
    return None


def read_budget_export(data: bytes, evaluation: Evaluation) -> Proposal:
    """What each row of the export ``data`` would fill in ``evaluation``."""
    wb = _load(data)
    rows: list[Row] = []
    notes: list[str] = []
    units: set[str] = set()
    projects = {norm(p.name): i for i, p in enumerate(evaluation.projects) if p.name.strip()}
    for ws in wb.worksheets:
        grid = [tuple(r) for r in ws.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLS,
                                               values_only=True)]
        header_at, columns = _header(grid)
        if header_at is None:
            continue
        above = " ".join(str(c) for r in grid[: header_at + 1] for c in r if isinstance(c, str))
        yuan = bool(_UNIT_YUAN.search(above)) and not _UNIT_WAN.search(above)
        if any("（元）" in str(c) or "(元)" in str(c) for c in grid[header_at] if c):
            yuan = True
        units.add("元" if yuan else "万元")
        first_figure = min(columns.values())
        for offset, line in enumerate(grid[header_at + 1:], header_at + 2):
            label = ""
            for c in range(first_figure - 1, -1, -1):  # the nearest text left of the figures
                if c < len(line) and isinstance(line[c], str) and line[c].strip():
                    label = line[c].strip()
                    break
            figures: dict[str, Decimal] = {}
            for key, c in columns.items():
                amount = _amount(line[c]) if c < len(line) else None
                if amount is not None:
                    figures[key] = round2(amount / TEN_THOUSAND) if yuan else round2(amount)
            if not label or not figures:
                continue
            target, note = _place(label, projects, evaluation)
            rows.append(Row(ws.title, offset, label, figures, target, note))
    if not rows:
        raise BudgetImportError("表中没有找到预算数、执行数等列，不像预算执行表。"
                                "请确认选的是从预算管理一体化系统导出的预算执行情况表")
    rows = _first_of_each(rows)
    notes += _sums(rows)
    return Proposal(tuple(rows), "元" if units == {"元"} else "万元", tuple(notes))


def _header(grid: Sequence[tuple[Any, ...]]) -> tuple[int | None, dict[str, int]]:
    """The first row naming at least two of our columns (or 执行数 alone with a 预算 column)."""
    for r, line in enumerate(grid[:40]):
        found: dict[str, int] = {}
        for c, value in enumerate(line):
            word = norm(value)
            for key, words in COLUMN_WORDS.items():
                if word in {norm(w) for w in words} and key not in found:
                    found[key] = c
                    break
        if len(found) >= 2 or ("executed" in found and len(found) == 1 and any(
                "预算" in norm(v) for v in line)):
            return r, found
    return None, {}


def _place(label: str, projects: dict[str, int], evaluation: Evaluation) -> tuple[str, str]:
    name = norm(_CODE.sub("", label))
    for key, words in ROW_WORDS.items():
        if name in {norm(w) for w in words}:
            return key, f"填入{ROW_NAMES[key]}"
    if name in projects:
        index = projects[name]
        return f"project:{index}", f"填入项目“{evaluation.projects[index].name}”"
    return "", "未对应到收支表的行或已有的项目，不导入"


def _first_of_each(rows: list[Row]) -> list[Row]:
    """A target filled by two rows is not guessed: both are left out, with the reason."""
    seen: dict[str, int] = {}
    for row in rows:
        if row.target:
            seen[row.target] = seen.get(row.target, 0) + 1
    return [row if not row.target or seen[row.target] == 1 else
            replace(row, target="", note=f"有多行都是“{row.label}”，请手工填写")
            for row in rows]


def _sums(rows: Iterable[Row]) -> list[str]:
    by = {r.target: r for r in rows if r.target}
    notes = []
    total = by.get("total")
    for group, keys in (("资金来源", [f"source.{k}" for k, _ in SOURCE_ROWS]),
                        ("支出性质", [f"nature.{k}" for k, _ in NATURE_ROWS])):
        parts = [by[k] for k in keys if k in by]
        if total is None or not parts:
            continue
        for column, name in COLUMN_NAMES.items():
            values = [p.figures[column] for p in parts if column in p.figures]
            added = sum(values, Decimal(0))
            if column in total.figures and values and added != total.figures[column]:
                notes.append(f"按{group}各行的{name}之和 {fmt_amount(added)} 万元与合计 "
                             f"{fmt_amount(total.figures[column])} 万元不等（表中原样导入，请核对）")
    return notes


def apply(evaluation: Evaluation, rows: Iterable[Row]) -> Evaluation:
    """``evaluation`` with each chosen row's figures in its place."""
    budget = evaluation.budget
    by_source = dict(budget.by_source)
    by_nature = dict(budget.by_nature)
    total = budget.total
    projects = list(evaluation.projects)
    for row in rows:
        figures = row.figures
        if row.target.startswith("project:"):
            i = int(row.target.split(":", 1)[1])
            if 0 <= i < len(projects):
                project = projects[i]
                projects[i] = replace(project,
                                      budget=figures.get("adjusted", figures.get("initial",
                                                                                 project.budget)),
                                      executed=figures.get("executed", project.executed))
            continue
        changes: dict[str, Any] = {k: v for k, v in figures.items() if k in COLUMN_NAMES}
        if row.target == "total":
            total = replace(total or BudgetRow(), **changes)
        elif row.target.startswith("source."):
            key = row.target.split(".", 1)[1]
            by_source[key] = replace(by_source.get(key) or BudgetRow(), **changes)
        elif row.target.startswith("nature."):
            key = row.target.split(".", 1)[1]
            changes.pop("initial", None)  # the nature rows have no 年初预算数
            by_nature[key] = replace(by_nature.get(key) or BudgetRow(), **changes)
    return replace(evaluation, budget=replace(budget, total=total, by_source=by_source,
                                              by_nature=by_nature), projects=tuple(projects))
