"""Blocks of cells as Excel and WPS put them on the clipboard, and how they land.

The text itself is split and joined by ``forms.tsv``.

- ``header_targets``: a block copied with its header row goes to the columns
  its header names;
- ``CommitStartsEdit``: a pinyin commit on a selected cell starts editing it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QLineEdit

from forms.numbers import NumberError, parse_number


def short(text: str, limit: int = 12) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _core(title: str) -> str:
    """A column title without its unit: "全年预算数（万元）" → "全年预算数"."""
    return title.split("（", 1)[0].split("(", 1)[0].strip()


def header_targets(columns: Sequence[Any], first_row: list[str]) -> list[int | None] | None:
    """The table column of each pasted column when ``first_row`` is a header, else None.

    A header cell names a column when one of them contains the other ("预算" and
    "全年预算数"); computed columns take nothing.  The row is a header when at least
    half of its non-empty cells name a column and none is a number.
    """
    targets: list[int | None] = []
    named = filled = 0
    for cell in first_row:
        text = cell.strip()
        if not text:
            targets.append(None)
            continue
        filled += 1
        try:
            parse_number(text, required=False)
            return None  # a figure: data, not a header
        except NumberError:
            pass
        exact = [i for i, c in enumerate(columns) if not c.computed and _core(c.title) == text]
        near = [i for i, c in enumerate(columns)
                if not c.computed and (text in _core(c.title) or _core(c.title) in text)]
        found = exact[0] if exact else (near[0] if len(near) == 1 else None)
        if found is not None and found not in targets:
            named += 1
            targets.append(found)
        else:
            targets.append(None)
    return targets if named and named * 2 >= filled else None


class CommitStartsEdit:
    """Mixin for item views: a pinyin commit on a selected cell starts editing it.

    Stock views ignore an input-method commit unless an editor is open; a clerk
    typing Chinese on a selected cell expects the cell to take the text.
    """

    def inputMethodEvent(self, event: Any) -> None:  # noqa: N802
        view: Any = self
        if view.state() != QAbstractItemView.State.EditingState and event.commitString():
            index = view.currentIndex()
            if index.isValid() and view.model().flags(index) & Qt.ItemFlag.ItemIsEditable:
                if QAbstractItemView.edit(view, index, QAbstractItemView.EditTrigger.EditKeyPressed,
                                          event):
                    editor = QApplication.focusWidget()
                    if isinstance(editor, QLineEdit):
                        editor.setText(event.commitString())
                    return
        super().inputMethodEvent(event)  # type: ignore[misc]
