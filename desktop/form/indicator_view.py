"""The indicator tree's view: a spreadsheet's keyboard on leaf rows, copy for Excel."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QInputMethodEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTreeView, QWidget

from forms.tsv import join_block

from desktop.form.blocks import CommitStartsEdit
from desktop.form.document import Document
from desktop.form.indicator_inline import inline_kind
from desktop.form.indicator_tree import (
    COL_ACTUAL,
    COL_CRITERIA,
    COL_DEVIATION,
    COL_NAME,
    COL_SCORE,
    COL_TARGET,
    COL_WEIGHT,
    HEADERS,
    IndicatorTreeModel,
)


class TreeHost(Protocol):
    """What the tree asks of its page: the open document."""

    @property
    def document(self) -> Document: ...


class IndicatorTree(CommitStartsEdit, QTreeView):
    """The tree, with a spreadsheet's keyboard on leaf rows.

    Rows are selected whole, so typing on a leaf row goes to the cell that takes
    it: a figure to 实际完成值 (when the rule takes one there), Chinese text to
    偏差原因 (or to 实际完成值 for a level such as 优).  Enter moves to the next leaf.
    ``page`` gives the open document (``TreeHost``).
    """

    def __init__(self, parent: QWidget, page: TreeHost, model: IndicatorTreeModel):
        super().__init__(parent)
        self.page = page
        self.tree_model = model
        self.setModel(model)
        self.setWordWrap(False)
        # every row is one line (no word wrap): one height for all, so an edit does not
        # measure its rows again
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # 实际完成值 and 偏差原因 can be typed in the row itself, as in a spreadsheet
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        header = self.header()
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        for col, width in ((COL_NAME, 210), (COL_WEIGHT, 48), (COL_TARGET, 80),
                           (COL_ACTUAL, 120), (COL_SCORE, 64)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(col, width)
        header.setSectionResizeMode(COL_CRITERIA, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_DEVIATION, QHeaderView.ResizeMode.Stretch)

    def _leaf_id(self) -> str | None:
        return self.tree_model.leaf_id(self.currentIndex())

    def set_current(self, index: QModelIndex) -> None:
        """Make ``index`` current (its row selected) and show it."""
        self.setCurrentIndex(index)
        self.scrollTo(index)

    def _aim(self, chinese: bool) -> None:
        """Make the cell that takes what is being typed current."""
        leaf_id = self._leaf_id()
        current = self.currentIndex()
        if leaf_id is None or current.column() in (COL_ACTUAL, COL_DEVIATION):
            return  # on a data cell the clerk chose: it takes the typing or nothing does
        ev = self.page.document.evaluation
        actual = inline_kind(ev, leaf_id, COL_ACTUAL)
        if actual and (not chinese or actual == "level"):
            self.setCurrentIndex(current.siblingAtColumn(COL_ACTUAL))
        elif chinese and inline_kind(ev, leaf_id, COL_DEVIATION):
            self.setCurrentIndex(current.siblingAtColumn(COL_DEVIATION))

    def next_leaf(self, column: int) -> None:
        current = self.currentIndex()
        below = self.indexBelow(current) if current.isValid() else QModelIndex()
        while below.isValid() and self.tree_model.leaf_id(below) is None:
            below = self.indexBelow(below)
        if below.isValid():
            self.setCurrentIndex(below.siblingAtColumn(column))

    def rows_text(self, whole: bool) -> str:
        """The current row, or the whole table, as tab-separated text for Excel / Word."""
        rows = []
        if whole:
            rows.append(list(HEADERS))
            index = self.tree_model.index(0, 0)
            while index.isValid():
                rows.append(self._row_texts(index))
                index = self.indexBelow(index)
        elif self.currentIndex().isValid():
            rows.append(self._row_texts(self.currentIndex()))
        return join_block(rows)

    def _row_texts(self, index: QModelIndex) -> list[str]:
        """What the row shows, with the texts shortened on screen given in full."""
        texts = self.tree_model.row_texts(index)
        leaf_id = self.tree_model.leaf_id(index)
        ev = self.page.document.evaluation
        leaf = ev.system.leaf(leaf_id) if leaf_id is not None else None
        if leaf is not None:
            value = ev.value(leaf.id)
            texts[COL_CRITERIA] = leaf.criteria
            texts[COL_DEVIATION] = (f"不适用：{value.reason}" if value.not_applicable
                                    else value.deviation)
        return texts

    def copy_rows(self, whole: bool = False) -> None:
        QGuiApplication.clipboard().setText(self.rows_text(whole))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        menu = QMenu(self)
        menu.addAction("复制此行", lambda: self.copy_rows(False))
        menu.addAction("复制整张评分表", lambda: self.copy_rows(True))
        menu.exec(event.globalPos())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if self.state() != QAbstractItemView.State.EditingState:
            if event.matches(QKeySequence.StandardKey.Copy):
                self.copy_rows(False)
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.next_leaf(self.currentIndex().column())
                return
            text = event.text()
            if text and text.isprintable() and not event.modifiers() & (
                    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
                self._aim(chinese=not text.isascii() and not text.isdigit())
        super().keyPressEvent(event)

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:  # noqa: N802
        if self.state() != QAbstractItemView.State.EditingState and event.commitString():
            self._aim(chinese=True)
        super().inputMethodEvent(event)
