"""Windows that fit the clerk's screen, whatever its scale and fonts.

A laptop at 125 % or 150 % leaves a window 1093×614, 1536×864 or 1280×720 logical pixels
(less the taskbar).  Every top-level window asks for the size it would like through
``fit_to_screen``, which never gives more than the screen it opens on has room for.
Sizes that hold text are measured with the widget's own font (``text_width``), never
assumed from one font's widths.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QScrollArea, QStyle, QWidget

# What the window manager adds around a window: borders and the title bar (logical pixels,
# Windows 10/11 at any scale, and most Linux desktops).
FRAME = QSize(16, 40)


def room_for(window: QWidget) -> QSize | None:
    """The largest size a window's contents can have on the screen it is (or will be) on."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return None
    available = screen.availableGeometry()
    return QSize(available.width() - FRAME.width(), available.height() - FRAME.height())


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize ``window`` to ``width``×``height``, or to what the screen leaves room for."""
    room = room_for(window)
    if room is not None:
        width, height = min(width, room.width()), min(height, room.height())
    window.resize(width, height)


def text_width(widget: QWidget, text: str) -> int:
    """``text`` as wide as ``widget``'s font draws it."""
    return widget.fontMetrics().horizontalAdvance(text)


def compact(button: QAbstractButton) -> QAbstractButton:
    """A push button as wide as its text needs (the style's 80-pixel minimum is for dialog
    buttons; a row of eight short verbs would not fit a laptop's window with it)."""
    margin = button.style().pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, None, button)
    button.setMinimumWidth(text_width(button, button.text()) + 2 * margin + 8)
    return button


class VerticalScrollArea(QScrollArea):
    """Scrolls up and down only: its contents always get the width they need, so nothing
    inside is cut off on the right and no horizontal scroll bar is ever needed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        # Qt sizes contents whose height depends on their width (wrapping text) before the
        # vertical scroll bar appears, and keeps that width after: hold them to the viewport
        inner = self.widget()
        if event.type() == QEvent.Type.Resize and inner is not None:
            inner.setMaximumWidth(self.viewport().width())
        return super().viewportEvent(event)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is None:
            return hint
        bar = self.verticalScrollBar().sizeHint().width()
        width = inner.minimumSizeHint().width() + bar + 2 * self.frameWidth()
        return QSize(max(hint.width(), width), hint.height())
