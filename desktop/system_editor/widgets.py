"""Small widgets of the indicator-system editor, shared by its panes.

``RowTable`` is the small Excel-like table of band rows, checklist items, levels
and the cap's bands (typing replaces, paste a block from Excel/WPS/Word, copy
out); ``PageStack`` shows one page of several at that page's height.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel,
                               QPushButton, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from forms.tsv import join_block, split_block
from forms.numbers import plain
from forms.rules import RULE_TYPES, SOURCES


def object_of(value: object) -> dict[str, Any]:
    """A JSON object of the draft (a rule, a cap), or {} for anything else in its place."""
    return value if isinstance(value, dict) else {}


def text_of(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


def fill_combo(combo: QComboBox, pairs: tuple[tuple[str, str], ...] | list[tuple[str, str]]
               ) -> None:
    combo.clear()
    for key, label in pairs:
        combo.addItem(label, key)


def select_data(combo: QComboBox, key: object) -> None:
    index = combo.findData(key)
    combo.setCurrentIndex(max(index, 0))


def source_pairs() -> list[tuple[str, str]]:
    return [("", "（无：由填报人填写实际值）")] + [
        (key, f"{name}（{how}）") for key, (name, how) in SOURCES.items()]


class RowTable(QTableWidget):
    """A small editable table (band rows, checklist items, levels) with 添加/删除 buttons.

    ``rows_changed`` carries every row's texts after each edit by the clerk (a cell typed
    in, a block pasted, cells cleared, a row removed); rows the program fills in send
    nothing, as a typed cell is taken from the delegate's commit, not from ``itemChanged``."""

    rows_changed = Signal(list)

    def __init__(self, headers: tuple[str, ...], parent: QWidget | None = None):
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(list(headers))
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(headers)):
            self.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setDefaultSectionSize(24)
        # as in Excel: typing replaces, F2 or a double-click edits
        triggers = QAbstractItemView.EditTrigger
        self.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed
                             | triggers.AnyKeyPressed | triggers.SelectedClicked)
        self.setMinimumHeight(90)
        self.setMaximumHeight(144)

    def set_rows(self, rows: list[tuple[str, ...]]) -> None:
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c in range(self.columnCount()):
                self.setItem(r, c, QTableWidgetItem(row[c] if c < len(row) else ""))

    def cell_text(self, row: int, column: int) -> str:
        """A cell's text ("" for a cell with no item)."""
        item = self.item(row, column)
        return item.text() if item is not None else ""

    def rows(self) -> list[tuple[str, ...]]:
        return [tuple(self.cell_text(r, c) for c in range(self.columnCount()))
                for r in range(self.rowCount())]

    def add_row(self) -> int:
        r = self.rowCount()
        self.insertRow(r)
        for c in range(self.columnCount()):
            self.setItem(r, c, QTableWidgetItem(""))
        self.setCurrentCell(r, 0)
        return r

    def remove_current(self) -> None:
        r = self.currentRow()
        if r >= 0:
            self.removeRow(r)
            self.rows_changed.emit(self.rows())

    def commitData(self, editor: QWidget) -> None:  # noqa: N802 (Qt name)
        """The clerk's typing in a cell is written to the table: said if it changed it."""
        before = self.rows()
        super().commitData(editor)
        if self.rows() != before:
            self.rows_changed.emit(self.rows())

    # -------------------------------------------------- Excel-like copy and paste

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_text(QGuiApplication.clipboard().text())
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            QGuiApplication.clipboard().setText(self.copy_text())
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and \
                self.state() != QAbstractItemView.State.EditingState:
            self._set_cells([(i.row(), i.column(), "") for i in self.selectedIndexes()])
            return
        super().keyPressEvent(event)

    def _set_cells(self, cells: list[tuple[int, int, str]]) -> None:
        if not cells:
            return
        for r, c, text in cells:
            while self.rowCount() <= r:
                self.insertRow(self.rowCount())
                for col in range(self.columnCount()):
                    self.setItem(self.rowCount() - 1, col, QTableWidgetItem(""))
            item = self.item(r, c)
            if item is None:
                self.setItem(r, c, QTableWidgetItem(text))
            else:
                item.setText(text)
        self.rows_changed.emit(self.rows())

    def paste_text(self, text: str) -> None:
        """A block copied from Excel, WPS or a Word table: rows added as needed."""
        block = split_block(text)
        top = max(self.currentRow(), 0)
        left = max(self.currentColumn(), 0)
        cells = [(top + i, left + j, value.strip())
                 for i, row in enumerate(block) for j, value in enumerate(row)
                 if left + j < self.columnCount()]
        self._set_cells(cells)

    def copy_text(self) -> str:
        indexes = sorted((i.row(), i.column()) for i in self.selectedIndexes())
        if not indexes:
            return ""
        rows = sorted({r for r, _ in indexes})
        cols = sorted({c for _, c in indexes})
        return join_block([[self.cell_text(r, c) for c in cols] for r in rows])


def table_box(table: RowTable, hint: str) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    if hint:
        label = QLabel(hint)
        label.setWordWrap(True)
        label.setStyleSheet("color: #555;")
        layout.addWidget(label)
    layout.addWidget(table)
    buttons = QHBoxLayout()
    add = QPushButton("添加一行")
    add.setObjectName("add_row")
    remove = QPushButton("删除所选行")
    remove.setObjectName("remove_row")
    add.clicked.connect(table.add_row)
    remove.clicked.connect(table.remove_current)
    buttons.addWidget(add)
    buttons.addWidget(remove)
    buttons.addStretch(1)
    layout.addLayout(buttons)
    return box


class PageStack(QWidget):
    """Pages of which one is shown; unlike QStackedWidget it is only as tall as that page."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._pages: list[QWidget] = []
        self._current: QWidget | None = None

    def addWidget(self, page: QWidget) -> None:  # noqa: N802 (Qt-like name)
        self._pages.append(page)
        self._layout.addWidget(page)
        page.setVisible(self._current is None)
        if self._current is None:
            self._current = page

    def setCurrentWidget(self, page: QWidget) -> None:  # noqa: N802
        self._current = page
        for p in self._pages:
            p.setVisible(p is page)

    def currentWidget(self) -> QWidget | None:  # noqa: N802
        return self._current


def rule_label(kind: object) -> str:
    return RULE_TYPES.get(str(kind), str(kind or ""))


def align_right(item: QTableWidgetItem) -> None:
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)


def band_rows(bands: object, value_key: str) -> list[tuple[str, ...]]:
    """A band list as the editor's rows: 下限, 上限 (">"/"<" when exclusive) and the value."""
    rows: list[tuple[str, ...]] = []
    for band in bands if isinstance(bands, list) else []:
        if not isinstance(band, dict):
            continue
        low, high = text_of(band.get("min")), text_of(band.get("max"))
        if low and band.get("min_inclusive") is False:
            low = ">" + low
        if high and band.get("max_inclusive") is False:
            high = "<" + high
        rows.append((low, high, text_of(band.get(value_key))))
    return rows
