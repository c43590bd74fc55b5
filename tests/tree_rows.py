"""Rows of the indicator page's tree, read through its model (``model.index`` / ``data``).

``Row`` names a row by its position, so it reads what the model shows now, after
any number of edits, as a clerk looking at the same row would.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush

from forms.address import LeafField, NodeAddress


class Row:
    def __init__(self, page: Any, address: NodeAddress):
        self.page = page
        self.address = address

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Row) and other.address == self.address

    def __repr__(self) -> str:
        return f"Row({self.address.indices}, {self.text(0)!r})"

    def index(self, column: int = 0) -> Any:
        index = self.page.model.index_of(self.address, column)
        assert index.isValid(), self.address
        return index

    def _data(self, column: int, role: Qt.ItemDataRole) -> Any:
        return self.page.model.data(self.index(column), role)

    def text(self, column: int) -> str:
        return self._data(column, Qt.ItemDataRole.DisplayRole) or ""

    def toolTip(self, column: int) -> str:  # noqa: N802 (as QTreeWidgetItem names it)
        return self._data(column, Qt.ItemDataRole.ToolTipRole) or ""

    def background(self, column: int) -> QBrush:
        return self._data(column, Qt.ItemDataRole.BackgroundRole) or QBrush()

    def foreground(self, column: int) -> QBrush:
        return self._data(column, Qt.ItemDataRole.ForegroundRole) or QBrush()

    def childCount(self) -> int:  # noqa: N802
        return self.page.model.rowCount(self.index())

    def child(self, row: int) -> Row:
        return Row(self.page, NodeAddress(self.address.indices + (row,)))

    def isHidden(self) -> bool:  # noqa: N802
        index = self.index()
        return self.page.tree.isRowHidden(index.row(), index.parent())


def top_rows(page: Any) -> list[Row]:
    return [Row(page, NodeAddress((i,))) for i in range(page.model.rowCount())]


def leaf_row(page: Any, leaf_id: str) -> Row:
    address = page.model.address(page.model.index_of(LeafField(leaf_id)))
    assert address is not None, leaf_id
    return Row(page, address)


def group_row(page: Any, indices: tuple[int, ...]) -> Row:
    return Row(page, NodeAddress(indices))


def leaf_rows(page: Any) -> dict[str, Row]:
    """Every leaf's row by id, in the tree's order."""
    return {leaf_id: leaf_row(page, leaf_id) for leaf_id in page.model.leaf_ids()}


def current_row(page: Any) -> Row | None:
    address = page.model.address(page.tree.currentIndex())
    return Row(page, address) if address is not None else None


def set_current(page: Any, row: Row, column: int = 0) -> None:
    """What ``setCurrentItem(item, column)`` did on the tree."""
    page.tree.setCurrentIndex(row.index(column))
