"""An indicator system as a notice-like Excel table (指标表), to print or send to colleagues.

The layout is the one notices use and ``exports.system_workbook`` reads back:
一级指标 | 分值 | 二级指标 | 分值 | 三级指标 | 分值 | 指标值 | 计量单位 | 评分标准 |
评分规则, the
upper levels in merged cells, a 合计 row.  Reading the table back gives the same
tree, weights, 指标值 and 评分标准 (the rules themselves live in the system file).
"""

from __future__ import annotations

import io
import unicodedata

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from forms.numbers import fmt_weight, plain
from forms.system import RULE_TYPES, Group, Leaf, System

HEADERS = ("一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "指标值", "计量单位",
           "评分标准", "评分规则")
WIDTHS = (12, 6, 14, 6, 20, 6, 9, 9, 48, 12)
CRITERIA_COL = 9
_SIDE = Side(style="thin")
BORDER = Border(left=_SIDE, right=_SIDE, top=_SIDE, bottom=_SIDE)
FONT = Font(name="宋体", size=10.5)
BOLD = Font(name="宋体", size=10.5, bold=True)
TITLE = Font(name="宋体", size=16, bold=True)
WRAP = Alignment(horizontal="left", vertical="center", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _text(value: str) -> str:
    return str(ILLEGAL_CHARACTERS_RE.sub("", value))[:32000]


def _lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs (wide characters count two columns)."""
    total = 0
    for part in text.split("\n"):
        cols = sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in part)
        total += max(1, -(-int(cols * 1.05) // max(1, int(width - 1))))
    return total


def system_table_bytes(system: System) -> bytes:
    """The system as an .xlsx indicator table (bytes)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "指标表"
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    last = get_column_letter(len(HEADERS))
    ws.append([_text(system.name)])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = TITLE
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 30
    ws.append(list(HEADERS))
    for cell in ws[2]:
        cell.font, cell.alignment, cell.border = BOLD, CENTER, BORDER
    row = 3
    for top in system.indicators:
        top_start = row
        for mid in top.children:
            mid_start = row
            leaves = [mid] if isinstance(mid, Leaf) else list(mid.children)
            for leaf in leaves:
                assert isinstance(leaf, Leaf)
                target = "" if leaf.target is None else plain(leaf.target)
                values = [top.name, _number(top.weight),
                          mid.name if isinstance(mid, Group) else "",
                          _number(mid.weight) if isinstance(mid, Group) else "",
                          leaf.name, _number(leaf.weight), target, leaf.unit, leaf.criteria,
                          RULE_TYPES.get(leaf.rule.type, leaf.rule.type)]
                for col, value in enumerate(values, start=1):
                    cell = ws.cell(row=row, column=col)
                    if isinstance(value, str):
                        cell.value = _text(value)
                        if cell.value.startswith("="):  # a clerk's text, never a formula
                            cell.data_type = "s"
                            cell.quotePrefix = True
                    else:
                        cell.value = value
                    cell.font, cell.border = FONT, BORDER
                    cell.alignment = WRAP if col in (5, CRITERIA_COL) else CENTER
                ws.row_dimensions[row].height = 13.5 * max(_lines(leaf.criteria,
                                                                WIDTHS[CRITERIA_COL - 1]),
                                                         _lines(leaf.name, WIDTHS[4]))
                row += 1
            if row - 1 > mid_start:
                for letter in "CD":
                    ws.merge_cells(f"{letter}{mid_start}:{letter}{row - 1}")
        if row - 1 > top_start:
            for letter in "AB":
                ws.merge_cells(f"{letter}{top_start}:{letter}{row - 1}")
    ws.append(["合计", _number(system.weight), "", "", "", _number(system.weight)])
    for cell in ws[row]:
        cell.font, cell.alignment, cell.border = BOLD, CENTER, BORDER
    ws.print_title_rows = "2:2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _number(value: object) -> int | float | str:
    """A weight as Excel shows it: 10, 0.5 (weights are short decimals)."""
    text = fmt_weight(value)  # type: ignore[arg-type]
    return int(text) if text.lstrip("-").isdigit() else float(text)
