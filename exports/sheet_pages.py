"""Where a printed worksheet's pages end, computed from its column widths and row heights.

Excel and LibreOffice break pages themselves, and a merged 一级/二级 label that
crosses their break is printed on one page only.  The workbook therefore sets
its own row breaks, a little before the printer's would fall, and merges the
labels page by page so each page shows them.  The estimate errs towards short
pages: the column width in points is taken at its narrowest (so the fit-to-width
scale at its largest), and a safety share of the page is left free.
"""

from __future__ import annotations

from collections.abc import Sequence

A4_PT = (595.3, 841.9)  # width, height
CHAR_PT = 5.25  # one column-width unit: 7 pixels of the default font at 96 dpi
DEFAULT_ROW_PT = 15.0  # Excel's default row (LibreOffice's is lower)
SAFETY = 0.94  # share of the estimated page that is filled


def fit_scale(widths: Sequence[float], *, landscape: bool, side_margins_in: float) -> float:
    """The scale ``fitToWidth = 1`` prints at (at most 100%)."""
    page_w = (A4_PT[1] if landscape else A4_PT[0]) - 72 * side_margins_in
    sheet_w = sum(widths) * CHAR_PT
    return min(1.0, page_w / sheet_w) if sheet_w > 0 else 1.0


def usable_height(scale: float, *, landscape: bool, top_bottom_in: float,
                  title_rows_pt: float = 0.0) -> float:
    """Points of rows (at the sheet's own size) a page holds below its repeated title rows."""
    page_h = (A4_PT[0] if landscape else A4_PT[1]) - 72 * top_bottom_in
    return page_h / scale * SAFETY - title_rows_pt


def page_breaks(heights: dict[int, float], first: int, last: int, usable: float,
                keep: Sequence[tuple[int, int]] = ()) -> list[int]:
    """The first row of every page after the first, for rows ``first``..``last``.

    A row never splits; rows in a ``keep`` range (first, last) stay on one page
    when they fit on one.  A row taller than a page gets a page of its own.
    """
    blocks = dict(keep)
    breaks: list[int] = []
    used = 0.0
    row = first
    while row <= last:
        end = min(blocks.get(row, row), last)
        height = sum(heights.get(r, DEFAULT_ROW_PT) for r in range(row, end + 1))
        if height > usable and end > row:  # a block taller than a page: row by row
            end = row
            height = heights.get(row, DEFAULT_ROW_PT)
        if used > 0 and used + height > usable:
            breaks.append(row)
            used = 0.0
        used += height
        if used > usable:  # a row taller than a page fills its own
            if end < last:
                breaks.append(end + 1)
            used = 0.0
        row = end + 1
    return breaks


def split_at(first: int, last: int, breaks: Sequence[int]) -> list[tuple[int, int]]:
    """Rows ``first``..``last`` cut where a page begins: the pieces to merge one by one."""
    pieces: list[tuple[int, int]] = []
    start = first
    for b in breaks:
        if start < b <= last:
            pieces.append((start, b - 1))
            start = b
    pieces.append((start, last))
    return pieces
