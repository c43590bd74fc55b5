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

from exports.tables import spans
from forms.numbers import fmt_weight, plain
from forms.system import RULE_TYPES, Group, Leaf, System

LEVELS = ("一级指标", "二级指标", "三级指标", "四级指标")
TAIL = ("指标值", "计量单位", "评分标准", "评分规则")
HEADERS = ("一级指标", "分值", "二级指标", "分值", "三级指标", "分值", *TAIL)  # three levels
TAIL_WIDTHS = (9, 9, 48, 12)
NAME_WIDTHS = (12, 14, 20, 20)
WIDTHS = (12, 6, 14, 6, 20, 6, *TAIL_WIDTHS)
_SIDE = Side(style="thin")
BORDER = Border(left=_SIDE, right=_SIDE, top=_SIDE, bottom=_SIDE)
FONT = Font(name="宋体", size=10.5)
BOLD = Font(name="宋体", size=10.5, bold=True)
TITLE = Font(name="宋体", size=16, bold=True)
WRAP = Alignment(horizontal="left", vertical="center", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)[:32000]


def _lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs (wide characters count two columns)."""
    total = 0
    for part in text.split("\n"):
        cols = sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in part)
        total += max(1, -(-int(cols * 1.05) // max(1, int(width - 1))))
    return total


def _depth(nodes: tuple[Group | Leaf, ...], level: int = 1) -> int:
    return max((_depth(n.children, level + 1) if isinstance(n, Group) else level
                for n in nodes), default=level)


def _rows(nodes: tuple[Group | Leaf, ...], above: tuple[tuple[int, Group], ...] = ()
          ) -> list[tuple[tuple[tuple[int, Group], ...], Leaf]]:
    """(the groups above with their positions, leaf) for every leaf, in order."""
    out: list[tuple[tuple[tuple[int, Group], ...], Leaf]] = []
    for i, node in enumerate(nodes):
        if isinstance(node, Group):
            out.extend(_rows(node.children, above + ((i, node),)))
        else:
            out.append((above, node))
    return out


def system_table_bytes(system: System) -> bytes:
    """The system as an .xlsx indicator table (bytes): a name and a 分值 column per level
    (two to four), the leaves in the last, upper levels merged over their children."""
    depth = max(2, _depth(system.indicators))
    headers: list[str] = []
    widths: list[int] = []
    for level in range(depth):
        headers += [LEVELS[level], "分值"]
        widths += [NAME_WIDTHS[level] if level < depth - 1 else 20, 6]
    headers += TAIL
    widths += TAIL_WIDTHS
    criteria_col = 2 * depth + 3
    wb = Workbook()
    ws = wb.active
    ws.title = "指标表"
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    last = get_column_letter(len(headers))
    ws.append([_text(system.name)])
    ws.merge_cells(f"A1:{last}1")
    ws["A1"].font = TITLE
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 30
    ws.append(headers)
    for cell in ws[2]:
        cell.font, cell.alignment, cell.border = BOLD, CENTER, BORDER
    rows = _rows(system.indicators)
    for index, (above, leaf) in enumerate(rows):
        row = 3 + index
        values: list[object] = []
        for level in range(depth - 1):
            group = above[level][1] if level < len(above) else None
            values += [group.name if group else "", _number(group.weight) if group else ""]
        target = "" if leaf.target is None else plain(leaf.target)
        values += [leaf.name, _number(leaf.weight), target, leaf.unit, leaf.criteria,
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
            cell.alignment = WRAP if col in (2 * depth - 1, criteria_col) else CENTER
        ws.row_dimensions[row].height = 13.5 * max(_lines(leaf.criteria, widths[criteria_col - 1]),
                                                   _lines(leaf.name, widths[2 * depth - 2]))
    for level in range(depth - 1):
        keys = [tuple(i for i, _ in above[:level + 1]) if level < len(above) else (index,)
                for index, (above, _) in enumerate(rows)]
        for a, b in spans(list(keys)):
            if b > a:
                for col in (2 * level + 1, 2 * level + 2):
                    letter = get_column_letter(col)
                    ws.merge_cells(f"{letter}{3 + a}:{letter}{3 + b}")
    row = 3 + len(rows)
    ws.append(["合计", _number(system.weight)] + [""] * (2 * depth - 3) + [_number(system.weight)])
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
