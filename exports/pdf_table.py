"""A ruled table that paginates like a printed form.

Rows are never split, except a single row taller than a page, which is cut
between lines.  Header rows are printed at the top of the table and again at
the top of every page it continues on (never mid-page).  A merged label
(一级/二级指标) that continues onto the next page is printed there again.  The
last ``keep_last`` rows (totals, sign-off) stay with the row before them.

Each cell is broken into lines once (``pdf_text``); a page split only slices
row lists, so a table is laid out in time linear in its text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Flowable

from forms.report import Cell, Table

from .cancel import Cancelled, check
from .pdf_text import Line, Setter

PAD_X, PAD_TOP, PAD_BOTTOM = 2.0, 2.0, 3.0
_MM = 72 / 25.4


@dataclass
class _Anchor:
    row: int
    col: int
    colspan: int
    rowspan: int
    cell: Cell
    lines: list[Line]


class _Layout:
    """The table's cells broken into lines, and each row's height."""

    def __init__(self, table: Table, body: Setter, head: Setter, leading: float,
                 cancelled: Cancelled | None):
        self.widths = [w * _MM for w in table.widths]
        self.x = [sum(self.widths[:i]) for i in range(len(self.widths) + 1)]
        self.leading = leading
        self.body, self.head = body, head
        self.header_rows = table.header_rows
        self.keep_last = table.keep_last
        self.rows: list[list[_Anchor]] = []
        heights: list[float] = []
        spanning: list[_Anchor] = []
        for r, row in enumerate(table.rows):
            if r % 100 == 0:
                check(cancelled)
            anchors = []
            h = leading + PAD_TOP + PAD_BOTTOM
            for c, cell in enumerate(row):
                if cell is None:
                    continue
                colspan = max(1, min(cell.colspan, len(row) - c))
                rowspan = max(1, min(cell.rowspan, len(table.rows) - r))
                width = self.x[c + colspan] - self.x[c] - 2 * PAD_X
                setter = head if cell.head else body
                lines: list[Line] = []
                for para in (cell.text.split("\n") if cell.text else [""]):
                    lines += setter.break_lines(para, width, 0.0, False)
                anchor = _Anchor(r, c, colspan, rowspan, cell, lines)
                anchors.append(anchor)
                if rowspan == 1:
                    h = max(h, len(lines) * leading + PAD_TOP + PAD_BOTTOM)
                else:
                    spanning.append(anchor)
            self.rows.append(anchors)
            heights.append(h)
        for a in spanning:  # a merged cell's text needs the rows' sum: grow the last one
            need = len(a.lines) * leading + PAD_TOP + PAD_BOTTOM
            have = sum(heights[a.row:a.row + a.rowspan])
            if need > have:
                heights[a.row + a.rowspan - 1] += need - have
        self.heights = heights
        self.spanning = spanning


@dataclass
class _Piece:
    """A row, or the part of a row taller than a page: its cells' lines from ``skip`` on."""

    row: int
    height: float
    skip: int = 0  # lines already printed on earlier pages
    take: int | None = None  # lines printed in this piece (None: all the rest)


class FormTable(Flowable):  # type: ignore[misc]
    def __init__(self, layout: _Layout, pieces: list[_Piece], frame_height: float,
                 cancelled: Cancelled | None, first: bool = True):
        super().__init__()
        self.layout = layout
        self.pieces = pieces
        self.frame_height = frame_height
        self.cancelled = cancelled
        self.first = first
        self._header_h = sum(layout.heights[:layout.header_rows])
        self._body_h = sum(p.height for p in pieces)

    @classmethod
    def build(cls, table: Table, body: Setter, head: Setter, leading: float,
              frame_height: float, cancelled: Cancelled | None = None) -> FormTable:
        layout = _Layout(table, body, head, leading, cancelled)
        pieces = [_Piece(r, layout.heights[r]) for r in range(layout.header_rows,
                                                              len(layout.heights))]
        return cls(layout, pieces, frame_height, cancelled)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = self.layout.x[-1]
        self.height = self._header_h + self._body_h
        return self.width, self.height

    def _units(self) -> list[tuple[int, int]]:
        """Runs of pieces that go to a page together: the footer rows with the row before.

        A run taller than a page is given up: its rows go one by one.
        """
        n = len(self.pieces)
        keep = self.layout.keep_last
        last_rows = set(range(len(self.layout.heights) - keep, len(self.layout.heights)))
        units: list[tuple[int, int]] = []
        i = 0
        while i < n:
            j = i + 1
            while j < n and self.pieces[j].row in last_rows:
                j += 1
            if j - i > 1 and self._header_h + sum(p.height for p in self.pieces[i:j]) > \
                    self.frame_height:
                units += [(k, k + 1) for k in range(i, j)]
            else:
                units.append((i, j))
            i = j
        return units

    def _part(self, pieces: list[_Piece], first: bool) -> FormTable:
        return FormTable(self.layout, pieces, self.frame_height, self.cancelled, first)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        check(self.cancelled)
        room = availHeight - self._header_h
        lead = self.layout.leading
        fresh = availHeight >= self.frame_height - 1  # the top of an empty page
        used = 0.0
        cut = 0
        for a, b in self._units():
            h = sum(p.height for p in self.pieces[a:b])
            # measured as the part's wrap() will measure it, within the frame's own tolerance:
            # a part that is a hair too tall makes reportlab give up on the page (LayoutError)
            if self._header_h + sum(p.height for p in self.pieces[:b]) <= availHeight + 1e-7:
                used += h
                cut = b
                continue
            piece = self.pieces[a]
            lines = int((room - used - PAD_TOP - PAD_BOTTOM - 1e-6) // lead)
            tall = self._header_h + piece.height > self.frame_height
            # a row taller than a page is cut between lines, here; anything else waits
            if (tall or (fresh and cut == 0)) and lines >= (3 if cut else 1):
                first = _Piece(piece.row, lines * lead + PAD_TOP + PAD_BOTTOM, piece.skip, lines)
                rest_h = max(piece.height - lines * lead, lead + PAD_TOP + PAD_BOTTOM)
                rest = _Piece(piece.row, rest_h, piece.skip + lines, None)
                return [self._part(self.pieces[:a] + [first], self.first),
                        self._part([rest] + self.pieces[a + 1:], False)]
            break
        if cut == 0:
            return []
        if cut >= len(self.pieces):
            return [self]
        return [self._part(self.pieces[:cut], self.first), self._part(self.pieces[cut:], False)]

    # ------------------------------------------------------------------ drawing

    def draw(self) -> None:
        lay = self.layout
        canvas: Any = self.canv
        canvas.saveState()
        canvas.setLineWidth(0.6)
        top = self.height
        y = top
        header = [_Piece(r, lay.heights[r]) for r in range(lay.header_rows)]
        rows = header + self.pieces
        tops: dict[int, float] = {}
        bottoms: dict[int, float] = {}
        for piece in rows:
            tops.setdefault(piece.row, y)
            y -= piece.height
            bottoms[piece.row] = y
        shown = set(tops)
        drawn: set[int] = set()
        for piece in rows:
            if piece.row % 50 == 0:
                check(self.cancelled)
            for anchor in lay.rows[piece.row]:
                end = anchor.row + anchor.rowspan - 1
                bottom = bottoms.get(end)
                if bottom is None:  # the merged cell runs on past this page
                    bottom = min(bottoms[r] for r in shown if anchor.row <= r <= end)
                self._cell(anchor, tops[piece.row], bottom, piece)
                drawn.add(id(anchor))
        first_row = self.pieces[0].row if self.pieces else None
        if first_row is not None:
            for anchor in lay.spanning:  # labels merged from rows on an earlier page
                if id(anchor) in drawn or not (anchor.row < first_row <= anchor.row +
                                               anchor.rowspan - 1):
                    continue
                end = anchor.row + anchor.rowspan - 1
                bottom = min(bottoms[r] for r in shown if first_row <= r <= end)
                self._cell(anchor, tops[first_row], bottom, None)
        canvas.restoreState()

    def _cell(self, anchor: _Anchor, top: float, bottom: float, piece: _Piece | None) -> None:
        lay = self.layout
        canvas: Any = self.canv
        x0, x1 = lay.x[anchor.col], lay.x[anchor.col + anchor.colspan]
        canvas.rect(x0, bottom, x1 - x0, top - bottom)
        lines = anchor.lines
        if piece is not None and anchor.rowspan == 1 and (piece.skip or piece.take is not None):
            end = None if piece.take is None else piece.skip + piece.take
            lines = lines[piece.skip:end]
        elif piece is not None and piece.skip and anchor.rowspan > 1:
            lines = lines[:0] if len(lines) * lay.leading > top - bottom else lines
        if not lines or not any(line.text for line in lines):
            return
        setter = lay.head if anchor.cell.head else lay.body
        box_h = top - bottom
        text_h = len(lines) * lay.leading
        if text_h > box_h - PAD_TOP - PAD_BOTTOM + 0.01:  # a label cut by the page: clip it
            path = canvas.beginPath()
            path.rect(x0, bottom, x1 - x0, box_h)
            canvas.saveState()
            canvas.clipPath(path, stroke=0, fill=0)
            y = top - PAD_TOP
        else:
            canvas.saveState()
            y = bottom + (box_h + text_h) / 2  # vertically centred
        size = setter.size
        obj = canvas.beginText()
        for line in lines:
            y -= lay.leading
            baseline = y + (lay.leading - size) / 2 + size * 0.14
            setter.draw(canvas, x0 + PAD_X, baseline, line, x1 - x0 - 2 * PAD_X,
                        anchor.cell.align, obj)
        canvas.drawText(obj)
        canvas.restoreState()
