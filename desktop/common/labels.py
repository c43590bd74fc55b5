"""A label that always takes one line, whatever its text (the form holds still)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class OneLineLabel(QLabel):
    """A label that always takes one line: a text too long for its width ends in “…”
    and is shown whole in the tooltip, so a longer or shorter text moves nothing below."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._full = ""
        self.setWordWrap(False)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def set_line(self, text: str) -> None:
        self._full = text
        self._elide()

    def line(self) -> str:
        """The whole text, however much of it shows."""
        return self._full

    def _elide(self) -> None:
        width = max(self.contentsRect().width(), 40)
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width)
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self._elide()
