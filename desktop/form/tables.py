"""Excel-like tables for the form: the budget grid, tasks and projects.

``FormTableModel`` maps rows of the open evaluation to cells; a subclass says
how many rows there are, what a cell holds and how a changed row makes a new
snapshot.  Every edit (typing, paste, add/remove row) is one undoable step
through ``document.apply``.  ``desktop.form.table_view.FormTable`` is the view with the
keyboard of a spreadsheet:

- typing on a selected cell replaces its content; F2 or double-click edits;
- Enter moves down, Tab moves right (Shift+Tab left), Esc cancels the edit;
- Ctrl+V pastes a tab-separated block copied from Excel or WPS, adding rows
  where the table can grow; a block with a header row goes to the columns its
  header names; a cell that is not a number is kept, marked and listed as an
  error; text that lands on a computed cell is reported and marked, never
  silently dropped;
- Ctrl+C copies the selection as tab-separated text;
- computed cells (执行率) are grey, read-only, and their tooltip says how they
  are computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, NamedTuple

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from forms.address import Address, parse
from forms.model import Evaluation
from forms.numbers import NumberError, fmt_amount, fmt_rate, parse_number, plain
from forms.validation import ERROR, WARNING, Issue

from desktop.form.blocks import short
from desktop.form.document import Document
from desktop.form.records import CellValue
from desktop.common.widgets import COMPUTED_BG, ERROR_BG, WARNING_BG


TEXT = "text"
AMOUNT = "amount"  # 万元, two decimals with separators
RATE = "rate"  # percent number shown as 43.65%

Index = QModelIndex | QPersistentModelIndex


class GridCell(NamedTuple):
    """A cell of a table by position: its row and its column's key (the field it shows is
    ``FormTableModel.address(row, key)``)."""

    row: int
    key: str


class CellMark(NamedTuple):
    level: str  # forms.validation's ERROR or WARNING
    message: str


class RefusedCell(NamedTuple):
    text: str  # what was typed or pasted, kept in the cell
    message: str  # why it is not a value


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    kind: str = TEXT
    computed: str = ""  # how the value is computed (tooltip); non-empty → read-only
    width: int = 0  # preferred width in pixels; 0 lets the header stretch it
    optional: bool = False  # an empty cell here is normal (no mark)

    @property
    def numeric(self) -> bool:
        return self.kind in (AMOUNT, RATE)


def parse_cell(column: Column, text: str) -> tuple[bool, CellValue, str]:
    """(ok, value, message) for what was typed or pasted into a cell."""
    if not column.numeric:
        return True, text, ""
    try:
        return True, parse_number(text, column.title, required=False), ""
    except NumberError as exc:
        return False, None, str(exc)


def format_cell(column: Column, value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal) and column.kind == AMOUNT:
        return fmt_amount(value)
    if isinstance(value, Decimal) and column.kind == RATE:
        return fmt_rate(value)
    return str(value)


class FormTableModel(QAbstractTableModel):
    """Rows of the open evaluation as table cells; subclasses supply the mapping."""

    columns: tuple[Column, ...] = ()
    can_grow = False  # rows can be added (tasks, projects)
    section = ""
    undo_text = "修改表格"

    def __init__(self, document: Document, parent: QObject | None = None):
        super().__init__(parent)
        self.document = document
        self._rows = self.row_count(document.evaluation)
        # typed/pasted text that is not a number, as the evaluation keeps it
        # (``Evaluation.refused``)
        self.bad: dict[GridCell, RefusedCell] = {}
        # the problems of document.issues
        self.marks: dict[GridCell, CellMark] = {}
        # pasted text that landed on a computed cell, shown while the snapshot the paste
        # left is on screen (an undo or any later edit takes it away)
        self.notes: dict[GridCell, str] = {}
        self._notes_at: object = None
        self.skipped: list[str] = []  # what the last paste could not place, in words
        self._cache: list[list[CellValue]] = []
        self._fill_cache()
        self._load_bad()

    # ---- what a subclass provides
    def row_count(self, ev: Evaluation) -> int:
        raise NotImplementedError

    def cell(self, ev: Evaluation, row: int, key: str) -> CellValue:
        raise NotImplementedError

    def with_cells(self, ev: Evaluation, row: int, values: dict[str, CellValue]) -> Evaluation:
        """A snapshot with ``values`` (key → parsed value) written into ``row``."""
        raise NotImplementedError

    def with_rows(self, ev: Evaluation, count: int) -> Evaluation:
        """A snapshot with ``count`` rows (only where ``can_grow``)."""
        raise NotImplementedError

    def row_title(self, row: int) -> str:
        return str(row + 1)

    def address(self, row: int, key: str) -> Address:
        raise NotImplementedError

    def path(self, row: int, key: str) -> str:
        """The cell's JSON path: the key of its refused entry, the field an edit names."""
        return str(self.address(row, key))

    def cells_for(self, address: Address) -> list[GridCell]:
        """The cells an issue's address refers to (possibly several, possibly none)."""
        return []

    def cell_editable(self, row: int, key: str) -> bool:
        return True

    # ---- Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].title
            if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].computed:
                return f"{self.columns[section].title} = {self.columns[section].computed}（自动计算）"
        elif role == Qt.ItemDataRole.DisplayRole:
            return self.row_title(section)
        return None

    def _fill_cache(self) -> None:
        ev = self.document.evaluation
        self._cache = [[self.cell(ev, r, c.key) for c in self.columns] for r in range(self._rows)]

    def value_at(self, row: int, column: int) -> CellValue:
        return self._cache[row][column]

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid():
            return base
        column = self.columns[index.column()]
        if column.computed or not self.cell_editable(index.row(), column.key):
            return base
        return base | Qt.ItemFlag.ItemIsEditable

    def is_computed(self, row: int, col: int) -> bool:
        column = self.columns[col]
        return bool(column.computed) or not self.cell_editable(row, column.key)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        column = self.columns[col]
        at = GridCell(row, column.key)
        bad = self.bad.get(at)
        mark = self.marks.get(at)
        note = self.notes.get(at) if self._notes_shown() else None
        if note and not mark:
            mark = CellMark(WARNING, note)
        value = self._cache[row][col]
        if role == Qt.ItemDataRole.DisplayRole:
            return bad.text if bad else format_cell(column, value)
        if role == Qt.ItemDataRole.EditRole:
            if bad:
                return bad.text
            if value is None:
                return ""
            return plain(value) if isinstance(value, Decimal) else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column.numeric:
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if bad or (mark and mark.level == ERROR):
                return QBrush(QColor(ERROR_BG))
            if mark:
                return QBrush(QColor(WARNING_BG))
            if self.is_computed(row, col):
                return QBrush(QColor(COMPUTED_BG))
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if bad:
                return QBrush(QColor("#c0392b"))
            if self.is_computed(row, col):
                return QBrush(QColor("#34495e"))
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            tips = []
            if bad:
                tips.append(f"{bad.message}，未采用。请改为数字。")
            if mark:
                tips.append(mark.message)
            if column.computed:
                tips.append(f"自动计算：{column.computed}，不能直接填写")
            elif not self.cell_editable(row, column.key):
                tips.append("此格不需填写")
            if isinstance(value, str) and len(value) > 30:
                tips.append(value)
            return "\n".join(tips) or None
        return None

    def setData(  # noqa: N802 (Qt name)
            self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        return self.set_texts(index.row(), index.column(), [[str(value)]], "修改")

    def set_texts(self, top: int, left: int, block: list[list[str]], verb: str = "粘贴",
                  targets: list[int | None] | None = None) -> bool:
        """Write a block of typed/pasted text starting at (top, left) as one undo step.

        ``targets`` maps the block's columns to the table's (default: side by side
        from ``left``).  Rows are added where the table can grow.  Text that lands
        on a computed cell, or on no column, is not applied: it is listed in
        ``skipped`` and the cell is marked.  Text that is not a number stays in its
        cell, marked, is an error of the document, and the cell's old value is
        cleared (it must not keep scoring).
        """
        ev = self.document.evaluation
        rows_needed = top + len(block)
        if rows_needed > self._rows and self.can_grow:
            ev = self.with_rows(ev, rows_needed)
        available = self.row_count(ev)
        changed_bad = bool(self.notes)
        self.notes = {}
        self._notes_at = None  # while this paste is applied, its notes are its own
        self.skipped = []
        for r, cells in enumerate(block):
            row = top + r
            if row >= available:
                break
            values: dict[str, CellValue] = {}
            for c, text in enumerate(cells):
                col = targets[c] if targets is not None and c < len(targets) else (
                    None if targets is not None else left + c)
                if col is None or col >= len(self.columns) or self.is_computed(row, col):
                    if text.strip():
                        self._skip(row, col, c, text)
                        changed_bad = True
                    continue
                column = self.columns[col]
                ok, parsed, _message = parse_cell(column, text.strip() if column.numeric else text)
                # refused text is kept by the same edit that clears the cell's value
                ev = ev.with_refused(self.path(row, column.key), None if ok else text.strip())
                values[column.key] = parsed if ok else None
            if values:
                ev = self.with_cells(ev, row, values)
        if ev is not self.document.evaluation:
            label = self.columns[left].title if len(block) == 1 and len(block[0]) == 1 else "表格"
            # typing into a cell again (or clearing from it) is one step; a paste is its own
            corner = self.address(top, self.columns[left].key)
            self.document.apply(ev, f"{verb}{label}",
                                merge_key=None if verb == "粘贴" else corner, path=corner)
        self._notes_at = self.document.evaluation
        if changed_bad:
            # document.apply may not have fired (nothing parsed): show the marks anyway
            self.all_changed()
        return True

    def _notes_shown(self) -> bool:
        return bool(self.notes) and (self._notes_at is None
                                     or self._notes_at is self.document.evaluation)

    def _skip(self, row: int, col: int | None, pasted: int, text: str) -> None:
        """Pasted text with no place to go: said in a message and marked on the cell."""
        if col is not None and col < len(self.columns):
            where = f"自动计算的“{self.columns[col].title}”列"
            self.notes[GridCell(row, self.columns[col].key)] = f"粘贴的“{text.strip()}”落在{where}，未采用"
        else:
            where = "表格之外"
        self.skipped.append(f"第 {pasted + 1} 列“{short(text.strip())}”（{where}）")

    def _load_bad(self) -> None:
        """The refused cells of this table, from the evaluation (with their errors)."""
        refused = self.document.evaluation.refused
        entries = self.document.entries if refused else {}
        bad: dict[GridCell, RefusedCell] = {}
        for path, text in refused.items():
            address = parse(path)
            for row, key in self.cells_for(address):
                if row < self._rows and self.address(row, key) == address:
                    issue = entries.get(path)
                    bad[GridCell(row, key)] = RefusedCell(text, issue.message if issue else "")
        self.bad = bad

    def all_changed(self) -> None:
        """Every cell may show something new (values, marks)."""
        self.dataChanged.emit(self.index(0, 0),
                              self.index(self._rows - 1, len(self.columns) - 1))

    def add_row(self) -> int:
        ev = self.document.evaluation
        count = self.row_count(ev)
        self.document.apply(self.with_rows(ev, count + 1), "添加一行",
                            path=self.address(count, ""))
        return count

    def remove_rows(self, rows: list[int]) -> None:
        raise NotImplementedError

    def refresh(self) -> None:
        """Follow the document: rows added/removed, values and marks in place."""
        count = self.row_count(self.document.evaluation)
        shown = (self._cache, self.marks, self._rows, self.bad)
        notes_gone = bool(self.notes) and not self._notes_shown()
        if notes_gone:
            self.notes = {}  # the paste's marks go with its step
        if count > self._rows:
            self.beginInsertRows(QModelIndex(), self._rows, count - 1)
            self._rows = count
            self._fill_cache()
            self.endInsertRows()
        elif count < self._rows:
            self.beginRemoveRows(QModelIndex(), count, self._rows - 1)
            self._rows = count
            self._fill_cache()
            self.endRemoveRows()
        else:
            self._fill_cache()
        self._load_bad()
        self._marks_from(self.document.issues)
        if not notes_gone and shown == (self._cache, self.marks, self._rows, self.bad):
            return  # an edit elsewhere in the form: nothing to repaint here
        if self._rows:
            self.all_changed()
        self.headerDataChanged.emit(Qt.Orientation.Vertical, 0, max(0, self._rows - 1))

    def _marks_from(self, issues: list[Issue]) -> None:
        marks: dict[GridCell, CellMark] = {}
        for issue in issues:
            if issue.section != self.section:
                continue
            for cell in self.cells_for(issue.address):
                if cell in marks:
                    level, text = marks[cell]
                    level = ERROR if ERROR in (level, issue.level) else level
                    marks[cell] = CellMark(level, f"{text}\n{issue.message}")
                else:
                    marks[cell] = CellMark(issue.level, issue.message)
        self.marks = marks

    def column_of(self, key: str) -> int:
        return next(i for i, c in enumerate(self.columns) if c.key == key)
