"""The Excel workbook (部门整体支出绩效自评表 and its companion sheets).

``workbook_bytes(evaluation)`` returns the .xlsx as bytes.  Every figure is a
value, never a formula, so other programs read the numbers; amounts carry the
``0.00`` format and rates are fractions with ``0.00%`` (rounded to the two
decimals the report prints, so the table and the report agree).  Clerk text is
always stored as text: a text starting with ``=`` stays text, and control
characters Excel refuses are removed.  Several value fields print a line each in
实际完成值 ("等级：…" / "得分：72分", ``value_cells.py``).  Wrapped rows get computed heights
(neither openpyxl nor LibreOffice fits them), and each sheet prints on A4,
fitted to the page width, with a page footer.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from forms.model import GOAL_FIELDS, Evaluation
from forms.numbers import fmt2, fmt_amount, plain
from forms.report.outline import report_options
from forms.report.wording import projects_partial
from forms.rules import kind as rule_kind
from forms.scoring import ScoreResult, score
from forms.value_fields import shipped

from .cellmap import DATA_SHEET, FIELDS, NUMBER, TEXT, MappedCell, write_data_sheet
from .sheet_pages import fit_scale, page_breaks, split_at, usable_height
from .tables import (
    WORKBOOK_TITLE,
    IndicatorRow,
    budget_lines,
    group_levels,
    indicator_rows,
    level_headers,
    project_lines,
    project_total,
    rate_format,
    rate_fraction,
    rule_text,
    rule_type_text,
    spans,
    total_note,
)
from .value_cells import fields_lines, fields_text, shown_fields

SHEET_FORM = "部门整体支出绩效自评表"
SHEET_SCORES = "指标评分表"
SHEET_PROJECTS = "项目支出情况"
SHEET_TASKS = "重点工作任务"

AMOUNT = "0.00"  # 万元, two decimals (as the published tables print them)
AMOUNT_SEPARATED = "#,##0.00"  # 27,247.94: the reports of a notice that write them so


def amount_format(ev: Evaluation) -> str:
    """The workbook's 万元 format, as the report writes amounts (its outline's style)."""
    return AMOUNT_SEPARATED if report_options(ev).style.separators else AMOUNT
RATE = "0.00%"
SCORE = "0.00"
MAX_CELL = 32767

_thin = Side(style="thin", color="000000")
BORDER = Border(left=_thin, right=_thin, top=_thin, bottom=_thin)
FONT = Font(name="宋体", size=11)
FONT_BOLD = Font(name="宋体", size=11, bold=True)
FONT_TITLE = Font(name="宋体", size=18, bold=True)
FONT_SUB = Font(name="宋体", size=12)
WRAP_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
WRAP_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
RIGHT = Alignment(horizontal="right", vertical="center")
LINE_PT = 14.4  # one line of 11 pt 宋体
# the group and leaf columns by the number of group levels (one to three); the leaf
# column of a two-level system takes what its missing 二级 column left
FORM_LEVEL_WIDTHS: dict[int, tuple[float, ...]] = {
    1: (10, 38), 2: (10, 12, 26), 3: (10, 10, 10, 22)}
SCORE_LEVEL_WIDTHS: dict[int, tuple[float, ...]] = {
    1: (10, 32), 2: (10, 12, 20), 3: (10, 10, 10, 18)}
SIDE_MARGIN, TOP_MARGIN, BOTTOM_MARGIN = 0.6, 0.75, 0.95  # inches; the bottom holds the footer
_FILE_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")  # never valid in XML 1.0


def clean_text(text: str) -> str:
    """Text as a cell can hold it: no control characters, at most 32,767 characters."""
    text = _NOT_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", text))
    if len(text) > MAX_CELL:
        text = text[: MAX_CELL - 1] + "…"
    return text


def display_width(text: str) -> int:
    """Columns a text takes: East-Asian wide and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def lines_needed(text: str, width_chars: float) -> int:
    """Lines a wrapped cell needs.  A column-width unit is the width of "0" in the default
    font; an 11 pt 宋体 character is about 2.1 of them, a Latin one about 1.05."""
    usable = max(1.0, width_chars - 0.8)  # cell padding
    return sum(max(1, math.ceil(display_width(part) * 1.05 / usable))
               for part in text.split("\n"))


def actual_format(unit: str, option: str = "") -> str:
    """实际完成值's number format: the number as typed (712, 16.5, 95.76; 万元 with two
    decimals) with its unit, after the name of the alternative assessed if any."""
    body = "0.00" if unit == "万元" else "General"
    suffix = f'"{unit}"' if unit and '"' not in unit else ""
    prefix = f'"{option}："' if option and '"' not in option else ""
    return prefix + body + suffix


def shown_number(value: Decimal | None, unit: str) -> str:
    """A figure as ``actual_format`` shows it: 万元 with two decimals, others as typed."""
    if value is None:
        return ""
    return (fmt2(value) if unit == "万元" else plain(value)) + unit


def actual_width(rows: list[IndicatorRow], ev: Evaluation, least: float = 13) -> float:
    """实际完成值's column: wide enough for every figure the clerk typed (those cells stay
    numbers, read back by the import), within reason."""
    widest = max((display_width(shown_number(ev.value(r.leaf.id).actual, r.leaf.unit))
                  for r in rows), default=0)
    # a cell of several fields (等级：…/得分：…) wraps, but its lines read best whole
    several = max((display_width(line) for r in rows
                   for line in fields_lines(r.leaf, ev.value(r.leaf.id))), default=0)
    return min(max(least, widest + 2.0, several * 1.05 + 1.0), 24.0)


def default_workbook_name(evaluation: Evaluation) -> str:
    dept = _FILE_UNSAFE.sub("", evaluation.department.name).strip() or "未命名单位"
    return f"{evaluation.department.year}年度{dept}{WORKBOOK_TITLE}.xlsx"


class _Sheet:
    """Writes one sheet: styled cells, merges, row heights, the cell map."""

    def __init__(self, ws: Worksheet, widths: list[float], cells: list[MappedCell],
                 styles: dict[tuple[Any, ...], StyleArray]):
        self.ws = ws
        self.widths = widths
        self.cells = cells
        self.styles = styles
        self.row_lines: dict[int, int] = {}
        self.fixed_height: dict[int, float] = {}
        for i, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = width

    def _width(self, col: int, last_col: int) -> float:
        return sum(self.widths[col - 1:last_col])

    def put(self, row: int, col: int, value: Any, *, last_col: int | None = None,
            last_row: int | None = None, fmt: str | None = None, bold: bool = False,
            align: Alignment = WRAP_LEFT, font: Font | None = None, border: bool = True,
            path: tuple[str | int, ...] | None = None, label: str = "") -> None:
        """One (possibly merged) cell; user text is forced to text."""
        ws = self.ws
        cell = ws.cell(row=row, column=col)
        if isinstance(value, str):
            text = clean_text(value)
            cell.value = text
            formula_like = text.startswith("=")
            span_width = self._width(col, last_col or col)
            if last_row is None or last_row == row:
                self.row_lines[row] = max(self.row_lines.get(row, 1), lines_needed(text, span_width))
        elif value is not None:
            cell.value = value
        font = font or (FONT_BOLD if bold else FONT)
        self._style(cell, font, align, fmt, border)
        if isinstance(value, str) and formula_like:
            # openpyxl would store it as a formula: keep it the clerk's text
            cell.data_type = "s"
            cell.quotePrefix = True
        last_col = last_col or col
        last_row = last_row or row
        if last_col != col or last_row != row:
            for r in range(row, last_row + 1):
                for c in range(col, last_col + 1):
                    if (r, c) != (row, col):
                        self._style(ws.cell(row=r, column=c), font, align, fmt, border)
            # the covered cells keep their borders, so the formatting pass of
            # ws.merge_cells (slow: it rebuilds edge borders cell by cell) is not needed;
            # merges never overlap here, so neither is the check of every earlier one
            ws.merged_cells.ranges.add(MergedCellRange(ws, CellRange(
                min_col=col, min_row=row, max_col=last_col, max_row=last_row).coord))
        if path is not None:
            kind = TEXT if isinstance(value, str) or (value is None and fmt is None) else NUMBER
            self.cells.append(MappedCell(ws.title, cell.coordinate, kind, path, label))

    def _style(self, cell: Any, font: Font, align: Alignment, fmt: str | None,
               border: bool) -> None:
        """Apply a style, reusing the style array of an identical earlier cell.

        Setting font/alignment/border one by one hashes every style object each
        time; with ~1,000 styled cells that was most of the export time.
        """
        key = (id(font), id(align), fmt, border)
        cached = self.styles.get(key)
        if cached is not None:
            cell._style = StyleArray(cached)
            return
        if fmt:
            cell.number_format = fmt
        cell.font = font
        cell.alignment = align
        if border:
            cell.border = BORDER
        self.styles[key] = StyleArray(cell._style)

    amount = AMOUNT  # the 万元 format: with thousands separators where the report has them

    def number(self, row: int, col: int, value: Decimal | None, fmt: str | None = None,
               **kw: Any) -> None:
        self.put(row, col, value, fmt=fmt or self.amount, align=RIGHT, **kw)

    def actual(self, row: int, col: int, r: IndicatorRow) -> None:
        """实际完成值 that is not the clerk's own cell: a number when the rule measured one.

        A number never wraps: one wider than its column shows as "####" in Excel and
        LibreOffice.  The alternative assessed ("公用经费控制率：95.76%") and any figure too
        wide for the column are therefore written as text, which wraps."""
        m = r.measured
        if m is None:
            self.put(row, col, r.actual_text, align=WRAP_CENTER)
            return
        shown = shown_number(m.number, m.unit)
        if r.option_name or display_width(shown) > self.widths[col - 1] - 1.5:
            text = f"{r.option_name}：{shown}" if r.option_name else shown
            self.put(row, col, text, align=WRAP_CENTER)
        else:
            self.number(row, col, m.number, fmt=actual_format(m.unit, r.option_name))

    def labels(self, rows: list[IndicatorRow], start: int, breaks: list[int] | None) -> set[int]:
        """Group labels (one column per level) merged down their rows, once more on each
        page they run onto; with ``breaks`` None only the lines they need are noted (for
        the page breaks).  Returns the rows that now need more lines."""
        taller: set[int] = set()
        for col in range(1, group_levels(rows) + 1):
            for a, b in spans([r.key_at(col) for r in rows]):
                for first, last in split_at(start + a, start + b, breaks or []):
                    row = rows[first - start]
                    text = row.name_at(col)
                    before = self.row_lines.get(first, 1)
                    if breaks is not None:
                        self.put(first, col, text, last_row=last, align=WRAP_CENTER)
                    lines = lines_needed(text, self.widths[col - 1])
                    needed = math.ceil(lines / (last - first + 1))
                    self.row_lines[first] = max(self.row_lines.get(first, 1), needed)
                    if self.row_lines[first] > before:
                        taller.add(first)
        return taller

    def paginate(self, first: int, last: int, *, landscape: bool, title_rows: int = 0,
                 keep: list[tuple[int, int]] | None = None,
                 repeated: tuple[int, int] | None = None) -> list[int]:
        """Set the row breaks of the printed sheet (heights must be set) and return them.

        ``title_rows`` rows from the top, or the ``repeated`` rows (first, last), print
        again at the top of each following page and take that room from it."""
        heights = {r: self.ws.row_dimensions[r].height or 15.0
                   for r in set(self.row_lines) | set(self.fixed_height)}
        scale = fit_scale(self.widths, landscape=landscape, side_margins_in=2 * SIDE_MARGIN)
        top, bottom = repeated or (1, title_rows)
        titles = sum(heights.get(r, 15.0) for r in range(top, bottom + 1))
        usable = usable_height(scale, landscape=landscape,
                               top_bottom_in=TOP_MARGIN + BOTTOM_MARGIN, title_rows_pt=titles)
        breaks = page_breaks(heights, first, last, usable, keep or [])
        for row in breaks:
            self.ws.row_breaks.append(Break(id=row - 1))  # a break after row id
        return breaks

    def heights(self, extra: float = 6.0, rows: set[int] | None = None) -> None:
        """Row heights from the lines each row needs (only ``rows`` if given)."""
        for row, lines in self.row_lines.items():
            if row in self.fixed_height or (rows is not None and row not in rows):
                continue
            self.ws.row_dimensions[row].height = max(20.0, lines * LINE_PT + extra)
        for row, height in self.fixed_height.items():
            self.ws.row_dimensions[row].height = height


def _print_setup(ws: Worksheet, *, landscape: bool, title_rows: str | None) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = SIDE_MARGIN
    ws.page_margins.top = TOP_MARGIN
    ws.page_margins.bottom = BOTTOM_MARGIN  # room for the footer
    ws.page_margins.footer = 0.4
    ws.print_options.horizontalCentered = True
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddFooter.center.size = 10
    ws.evenFooter.center.text = "第 &P 页 共 &N 页"


def _title(sheet: _Sheet, row: int, text: str, last_col: int, font: Font = FONT_TITLE,
           height: float = 32.0) -> None:
    sheet.put(row, 1, text, last_col=last_col, align=WRAP_CENTER, font=font, border=False)
    sheet.fixed_height[row] = height


# ---------------------------------------------------------------- sheet 1: the form

def _form_sheet(ws: Worksheet, ev: Evaluation, result: ScoreResult, rows: list[IndicatorRow],
                cells: list[MappedCell], styles: dict[tuple[Any, ...], StyleArray]) -> None:
    g = group_levels(rows)  # one column per group level, then the leaf's
    wide = actual_width(rows, ev)  # the last column gives what 实际完成值 needs
    s = _Sheet(ws, list(FORM_LEVEL_WIDTHS[min(g, 3)]) + [13, wide, 7, 8, 33 - (wide - 13)],
               cells, styles)
    last = g + 6  # the last column; the budget block and sign-off stretch to it
    dept = ev.department
    _title(s, 1, WORKBOOK_TITLE, last)
    _title(s, 2, f"（{dept.year}年度）", last, FONT_SUB, 22)
    row = 3
    s.put(row, 1, "单位名称", last_col=2, bold=True, align=WRAP_CENTER)
    s.put(row, 3, dept.name, last_col=last, path=("department", "name"), label="单位名称")
    row += 1
    for key, label in GOAL_FIELDS:
        s.put(row, 1, label, last_col=2, bold=True, align=WRAP_CENTER)
        s.put(row, 3, getattr(ev.goals, key), last_col=last, path=("goals", key), label=label)
        row += 1

    # 年度部门整体支出规模
    lines = budget_lines(ev)
    places = report_options(ev).style.rate_places  # rates print as the report writes them
    s.amount = amount_format(ev)
    first = budget_first = row
    s.put(first, 1, "年度部门整体支出规模（万元）", last_row=row + len(lines) + 1,  # 结转结余
          bold=True, align=WRAP_CENTER)
    s.row_lines[first] = 1
    s.put(row, 2, "项目", last_col=3, bold=True, align=WRAP_CENTER)
    for col, label in ((4, "年初预算数"), (5, "全年预算数"), (6, "全年执行数"), (last, "执行率")):
        s.put(row, col, label, last_col=last - 1 if col == 6 else None, bold=True,
              align=WRAP_CENTER)
    row += 1
    group_rows: dict[str, list[int]] = {}
    for line in lines:
        if line.group:
            group_rows.setdefault(line.group, []).append(row)
            s.put(row, 3, line.name, align=WRAP_LEFT)
        else:
            s.put(row, 2, line.name, last_col=3, bold=True, align=WRAP_CENTER)
        if line.key == "total":
            base: tuple[str | int, ...] = ("budget", "total")
        else:
            kind, key = line.key.split(".")
            base = ("budget", "by_source" if kind == "source" else "by_nature", key)
        for col, column in ((4, "initial"), (5, "adjusted"), (6, "executed")):
            s.number(row, col, line.row.get(column), last_col=last - 1 if col == 6 else None,
                     path=base + (column,), label=f"{line.name} {_COLUMN_NAMES[column]}")
        s.number(row, last, rate_fraction(line.rate, places), fmt=rate_format(line.rate, places))
        row += 1
    for group, grouped in group_rows.items():
        s.put(grouped[0], 2, group, last_row=grouped[-1], align=WRAP_CENTER)
    s.put(row, 2, "年末结转和结余", last_col=3, bold=True, align=WRAP_CENTER)
    s.number(row, 4, ev.budget.carryover, path=("budget", "carryover"), label="年末结转和结余")
    s.put(row, 5, None, last_col=last)
    keep = [(budget_first, row)]
    row += 1

    # 绩效指标
    header = level_headers(g) + ["指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    for col, label in enumerate(header, start=1):
        s.put(row, col, label, bold=True, align=WRAP_CENTER)
    keep.append((row, row + 1))  # the header stays with the first leaf
    header_row = row
    row += 1
    start = row
    for r in rows:
        leaf, value = r.leaf, ev.value(r.leaf.id)
        s.put(row, g + 1, leaf.name)
        s.put(row, g + 2, r.target_text, align=WRAP_CENTER)
        spec = rule_kind(leaf.rule.type)
        numeric = spec.reads_actual and not leaf.source and not value.not_applicable
        # a later kind entered by one declared field: that field is the clerk's cell
        own = spec.fields[0] if len(spec.fields) == 1 and not shipped(spec.fields[0].name) \
            and not value.not_applicable else None
        several = () if value.not_applicable else shown_fields(leaf)
        if several:  # a line per declared field, "等级：…" / "得分：72分", read back as a whole
            s.put(row, g + 3, fields_text(leaf, value.data), fmt="@")
            s.cells.append(MappedCell(ws.title, f"{get_column_letter(g + 3)}{row}", FIELDS,
                                      ("values", leaf.id), f"{leaf.name} 实际完成值"))
        elif numeric:  # the clerk's own cell, read back by the import
            s.number(row, g + 3, value.actual, fmt=actual_format(leaf.unit),
                     path=("values", leaf.id, "actual"), label=f"{leaf.name} 实际完成值")
        elif own is not None and own.type in ("number", "count"):
            s.number(row, g + 3, getattr(value, own.name), fmt=actual_format(own.unit or leaf.unit),
                     path=("values", leaf.id, own.name), label=f"{leaf.name} 实际完成值")
        elif own is not None and own.type == "text":
            s.put(row, g + 3, getattr(value, own.name) or "", path=("values", leaf.id, own.name),
                  label=f"{leaf.name} 实际完成值")  # found again by its row and column heads
        else:
            s.actual(row, g + 3, r)
        s.number(row, g + 4, leaf.weight, fmt="General")
        if leaf.rule.type == "manual" and not value.not_applicable:
            s.number(row, g + 5, r.result.score if value.score is not None else None,
                     fmt=SCORE, path=("values", leaf.id, "score"), label=f"{leaf.name} 得分")
        elif r.result.status == "not_applicable":
            s.put(row, g + 5, "不适用", align=WRAP_CENTER)
        else:
            s.number(row, g + 5, r.result.score, fmt=SCORE)
        s.put(row, last, value.deviation, path=("values", leaf.id, "deviation"),
              label=f"{leaf.name} 偏差原因分析及改进措施")
        row += 1
    s.labels(rows, start, None)  # the lines the labels need, for the page breaks
    total_row = row
    s.put(row, 1, "总分", last_col=last - 3, bold=True, align=WRAP_CENTER)
    s.number(row, last - 2, ev.system.weight, fmt="General", bold=True)
    s.number(row, last - 1, result.total, fmt=SCORE, bold=True)
    note = total_note(result, "按适用指标折算为百分制")
    if not result.complete:
        note = (note + "；" if note else "") + f"尚有 {result.leaf_count - result.filled} 项未填写"
    s.put(row, last, note)
    row += 1
    s.put(row, 1, "自评等级", last_col=last - 3, bold=True, align=WRAP_CENTER)
    s.put(row, last - 2, result.grade, last_col=last, bold=True, align=WRAP_CENTER)
    row += 1
    # the sign-off keeps its place at the right edge; the names take what the levels leave
    s.put(row, 1, "填报人", bold=True, align=WRAP_CENTER)
    s.put(row, 2, dept.preparer, last_col=last - 5, path=("department", "preparer"),
          label="填报人")
    s.put(row, last - 4, "联系电话", bold=True, align=WRAP_CENTER)
    s.put(row, last - 3, dept.phone, last_col=last - 2, path=("department", "phone"),
          label="联系电话")
    s.put(row, last - 1, "填报日期", bold=True, align=WRAP_CENTER)
    s.put(row, last, dept.date, path=("department", "date"), label="填报日期")
    row += 1
    s.put(row, 1, "单位负责人", bold=True, align=WRAP_CENTER)
    s.put(row, 2, dept.head, last_col=last - 5, path=("department", "head"), label="单位负责人")
    s.put(row, last - 4, "财务负责人", bold=True, align=WRAP_CENTER)
    s.put(row, last - 3, dept.finance_head, last_col=last, path=("department", "finance_head"),
          label="财务负责人")
    keep.append((total_row, row))  # total, grade and sign-off print together
    s.heights()
    # the indicators' column headings print again at the top of every page after the
    # first (Excel and LibreOffice repeat title rows only on the pages that follow them)
    _repaginate(s, rows, start, 1, row, landscape=False, keep=keep,
                repeated=(header_row, header_row))
    _print_setup(ws, landscape=False, title_rows=f"{header_row}:{header_row}")


def _repaginate(s: _Sheet, rows: list[IndicatorRow], start: int, first: int, last: int, *,
                landscape: bool, keep: list[tuple[int, int]], title_rows: int = 0,
                repeated: tuple[int, int] | None = None) -> None:
    """Break the pages, then merge the labels page by page."""
    breaks = s.paginate(first, last, landscape=landscape, title_rows=title_rows, keep=keep,
                        repeated=repeated)
    taller = s.labels(rows, start, breaks)
    if taller:
        s.heights(rows=taller)  # a label cut short by a page may need taller rows


_COLUMN_NAMES = {"initial": "年初预算数", "adjusted": "全年预算数", "executed": "全年执行数"}


# ---------------------------------------------------------------- sheet 2: scoring table

def _scores_sheet(ws: Worksheet, ev: Evaluation, result: ScoreResult, rows: list[IndicatorRow],
                  cells: list[MappedCell], styles: dict[tuple[Any, ...], StyleArray]) -> None:
    g = group_levels(rows)
    s = _Sheet(ws, list(SCORE_LEVEL_WIDTHS[min(g, 3)]) + [7, 36, 12, 13, 13, 8, 22], cells,
               styles)
    last = g + 8
    _title(s, 1, f"{ev.department.year}年度{ev.department.name}绩效指标评分表", last, FONT_SUB,
           28)
    header = level_headers(g) + ["分值", "评分标准", "计分方法", "指标值", "实际完成值", "得分",
                                 "评分状态"]
    for col, label in enumerate(header, start=1):
        s.put(2, col, label, bold=True, align=WRAP_CENTER)
    for i, r in enumerate(rows):
        row = 3 + i
        s.put(row, g + 1, r.leaf.name)
        s.number(row, g + 2, r.leaf.weight, fmt="General")
        s.put(row, g + 3, rule_text(r.leaf))
        s.put(row, g + 4, rule_type_text(r.leaf), align=WRAP_CENTER)
        s.put(row, g + 5, r.target_text, align=WRAP_CENTER)
        s.actual(row, g + 6, r)
        if r.result.status == "not_applicable":  # as 附件1, 附件2 and sheet 1 show it
            s.put(row, g + 7, "不适用", align=WRAP_CENTER)
        else:
            s.number(row, g + 7, r.result.score, fmt=SCORE)
        s.put(row, last, r.note)
    s.labels(rows, 3, None)
    end = 3 + len(rows)
    s.put(end, 1, "总分", last_col=g + 1, bold=True, align=WRAP_CENTER)
    s.number(end, g + 2, ev.system.weight, fmt="General", bold=True)
    s.put(end, g + 3, f"自评等级：{result.grade}", last_col=g + 6, bold=True)
    s.number(end, g + 7, result.total, fmt=SCORE, bold=True)
    s.put(end, last, total_note(result))
    s.heights()
    _repaginate(s, rows, 3, 3, end, landscape=True, keep=[], title_rows=2)
    ws.freeze_panes = "A3"  # the header stays in view while scrolling
    _print_setup(ws, landscape=True, title_rows="1:2")


# ---------------------------------------------------------------- sheets 3 and 4

def _projects_sheet(ws: Worksheet, ev: Evaluation, cells: list[MappedCell],
                    styles: dict[tuple[Any, ...], StyleArray]) -> None:
    s = _Sheet(ws, [6, 34, 14, 14, 10, 40], cells, styles)
    places = report_options(ev).style.rate_places
    s.amount = amount_format(ev)
    _title(s, 1, f"{ev.department.year}年度项目支出情况（万元）", 6, FONT_SUB, 28)
    for col, label in enumerate(("序号", "项目名称", "全年预算数", "全年执行数", "执行率", "完成情况"),
                                start=1):
        s.put(2, col, label, bold=True, align=WRAP_CENTER)
    row = 3
    for i, p in enumerate(project_lines(ev)):
        base = ("projects", i)
        s.put(row, 1, p.number, align=WRAP_CENTER)
        s.put(row, 2, p.name, path=base + ("name",), label=f"第 {p.number} 个项目 名称")
        s.number(row, 3, p.budget, path=base + ("budget",), label=f"{p.name} 全年预算数")
        s.number(row, 4, p.executed, path=base + ("executed",), label=f"{p.name} 全年执行数")
        s.number(row, 5, rate_fraction(p.rate, places), fmt=rate_format(p.rate, places))
        s.put(row, 6, p.result, path=base + ("result",), label=f"{p.name} 完成情况")
        row += 1
    total = project_total(ev)
    partial = projects_partial(ev)
    # "合计" stays the row's label: the workbook reader stops the project rows at it
    s.put(row, 1, "合计", last_col=2, bold=True, align=WRAP_CENTER)
    s.number(row, 3, total.budget, bold=True)
    s.number(row, 4, total.executed, bold=True)
    s.number(row, 5, rate_fraction(total.rate, places), fmt=rate_format(total.rate, places),
             bold=True)
    nature = ev.budget.nature("project")
    s.put(row, 6, f"所列项目之和，非全部项目：项目支出全年预算数 {fmt_amount(nature.adjusted)} 万元"
          + (f"，执行数 {fmt_amount(nature.executed)} 万元" if nature.executed is not None else "")
          if partial else None)
    s.heights()
    ws.freeze_panes = "A3"
    _print_setup(ws, landscape=False, title_rows="1:2")


def _tasks_sheet(ws: Worksheet, ev: Evaluation, cells: list[MappedCell],
                 styles: dict[tuple[Any, ...], StyleArray]) -> None:
    s = _Sheet(ws, [6, 26, 36, 46], cells, styles)
    _title(s, 1, f"{ev.department.year}年度重点工作任务完成情况", 4, FONT_SUB, 28)
    for col, label in enumerate(("序号", "重点工作任务", "绩效目标", "完成情况"), start=1):
        s.put(2, col, label, bold=True, align=WRAP_CENTER)
    for i, task in enumerate(ev.tasks):
        row = 3 + i
        base = ("tasks", i)
        s.put(row, 1, i + 1, align=WRAP_CENTER)
        s.put(row, 2, task.name, path=base + ("name",), label=f"第 {i + 1} 项任务 名称")
        s.put(row, 3, task.target, path=base + ("target",), label=f"第 {i + 1} 项任务 绩效目标")
        s.put(row, 4, task.result, path=base + ("result",), label=f"第 {i + 1} 项任务 完成情况")
    s.heights()
    ws.freeze_panes = "A3"
    _print_setup(ws, landscape=False, title_rows="1:2")


def build_workbook(evaluation: Evaluation, result: ScoreResult | None = None) -> Workbook:
    result = result or score(evaluation)
    wb = Workbook()
    cells: list[MappedCell] = []
    form = wb.active
    assert form is not None
    form.title = SHEET_FORM
    styles: dict[tuple[Any, ...], StyleArray] = {}  # style arrays index the workbook's tables
    rows = indicator_rows(evaluation, result)  # both indicator sheets print the same rows
    _form_sheet(form, evaluation, result, rows, cells, styles)
    _scores_sheet(wb.create_sheet(SHEET_SCORES), evaluation, result, rows, cells, styles)
    _projects_sheet(wb.create_sheet(SHEET_PROJECTS), evaluation, cells, styles)
    _tasks_sheet(wb.create_sheet(SHEET_TASKS), evaluation, cells, styles)
    write_data_sheet(wb.create_sheet(DATA_SHEET), evaluation, cells)
    wb.active = 0
    dept = evaluation.department
    wb.properties.title = clean_text(f"{dept.year}年度{dept.name}{WORKBOOK_TITLE}")[:250]
    wb.properties.subject = WORKBOOK_TITLE
    wb.properties.creator = "selfeval"
    return wb


def workbook_bytes(evaluation: Evaluation) -> bytes:
    """The workbook as .xlsx bytes (write them with ``forms.files.write_atomic``)."""
    buffer = BytesIO()
    build_workbook(evaluation).save(buffer)
    return buffer.getvalue()
