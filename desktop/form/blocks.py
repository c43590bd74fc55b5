"""Blocks of cells as Excel and WPS put them on the clipboard, and how they land.

The text itself is split and joined by ``forms.tsv``.

- ``read_header``: a block copied with its header row goes to the columns its
  header names, in the words of ``forms.vocabulary``;
- ``CommitStartsEdit``: a pinyin commit on a selected cell starts editing it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from forms.numbers import NumberError, parse_number
from forms.vocabulary import COLUMN_WORDS, column_for, norm, table_of


def short(text: str, limit: int = 12) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class HeaderMatch:
    """A pasted first row read as a header: the column of each cell (None: not pasted)."""

    targets: list[int | None]
    unknown: list[str]  # header words naming none of the table's columns

    @property
    def sure(self) -> bool:
        return not self.unknown


def _is_number(text: str) -> bool:
    try:
        return parse_number(text, required=False) is not None
    except NumberError:
        return False


class NamedColumn(Protocol):
    """What the header reader needs of a table's column (``desktop.form.tables.Column``)."""

    @property
    def key(self) -> str: ...

    @property
    def title(self) -> str: ...


def read_header(columns: Sequence[NamedColumn], first_row: list[str]) -> HeaderMatch | None:
    """The first row of a pasted block as a header, or None when it is data.

    Each cell is looked up in the words notices and clerks use for the table's columns
    (``forms.vocabulary``), then in the column titles themselves.  The row is a header
    when no cell is a number and at least one names a column: a header never becomes a
    data row.  Words naming no column are listed for the clerk to see before pasting.
    """
    words = COLUMN_WORDS.get(table_of(c.key for c in columns) or "", {})
    keys = [c.key for c in columns]
    targets: list[int | None] = []
    unknown: list[str] = []
    for cell in first_row:
        text = cell.strip()
        if not text:
            targets.append(None)
            continue
        if _is_number(text):
            return None  # a figure: data, not a header
        key = column_for(words, text)
        found = keys.index(key) if key in keys else None
        if found is None:
            exact = [i for i, c in enumerate(columns) if norm(c.title) == norm(text)]
            found = exact[0] if exact else None
        if found is not None and found not in targets:
            targets.append(found)
        else:
            targets.append(None)
            unknown.append(text)
    if all(t is None for t in targets):
        return None
    return HeaderMatch(targets, unknown)


# The mixin is only ever mixed into an item view (before the Qt class in the bases); the type
# checker is told so, and at run time it is a plain class (Qt classes mix in only once).
if TYPE_CHECKING:
    _ItemView = QAbstractItemView
else:
    _ItemView = object


class CommitStartsEdit(_ItemView):
    """Mixin for item views: a pinyin commit on a selected cell starts editing it.

    Stock views ignore an input-method commit unless an editor is open; a clerk
    typing Chinese on a selected cell expects the cell to take the text.
    """

    def inputMethodEvent(self, event: QInputMethodEvent) -> None:  # noqa: N802
        if self.state() != QAbstractItemView.State.EditingState and event.commitString():
            index = self.currentIndex()
            if index.isValid() and self.model().flags(index) & Qt.ItemFlag.ItemIsEditable:
                if QAbstractItemView.edit(self, index, QAbstractItemView.EditTrigger.EditKeyPressed,
                                          event):
                    editor = QApplication.focusWidget()
                    if isinstance(editor, QLineEdit):
                        editor.setText(event.commitString())
                    return
        super().inputMethodEvent(event)
