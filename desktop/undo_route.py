"""Ctrl+Z / Ctrl+Y anywhere in a window undo that window's evaluation: one route for all.

Stock editors keep an undo history of their own and claim Ctrl+Z before any window
shortcut sees it (line edits, spin boxes, text boxes); others ignore it (check boxes,
combo boxes). One application-wide event filter takes the undo keys first, for every
widget of a window that was given a target (the main window's ``QUndoGroup``), and
applies them there. Nothing is registered per widget, and nothing searches the parents
for a document. Windows without a target (dialogs, the system editor) keep Qt's own
behaviour.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QWidget

UNDO = "undo"
REDO = "redo"


class UndoTarget(Protocol):
    """What the keys act on: a ``QUndoGroup`` or a ``QUndoStack``."""

    def undo(self) -> None: ...

    def redo(self) -> None: ...


def undo_key(event: QEvent) -> str | None:
    """``UNDO``, ``REDO`` or None, for a key press or a shortcut override."""
    if event.type() not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
        return None
    assert isinstance(event, QKeyEvent)
    if event.matches(QKeySequence.StandardKey.Undo):
        return UNDO
    if event.matches(QKeySequence.StandardKey.Redo) or (
            event.key() == Qt.Key.Key_Y
            and event.modifiers() == Qt.KeyboardModifier.ControlModifier):
        return REDO
    return None


class _Target(QObject):
    """A window's undo target, kept as the window's child so it lives and dies with it."""

    def __init__(self, window: QWidget, target: UndoTarget):
        super().__init__(window)
        self.target = target


class _Route(QObject):
    def __init__(self, parent: QObject):
        super().__init__(parent)
        self.applying = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        kind = event.type()
        if kind != QEvent.Type.KeyPress and kind != QEvent.Type.ShortcutOverride:
            return False
        if not isinstance(watched, QWidget):
            return False  # the QWindow passes the key on to the focused widget
        action = undo_key(event)
        if action is None:
            return False
        holder = watched.window().findChild(_Target, "", Qt.FindChildOption.FindDirectChildrenOnly)
        if holder is None:
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # no widget's own history, and no second undo by the window's action
            return True
        self.applying = True
        try:
            holder.target.undo() if action == UNDO else holder.target.redo()
        finally:
            self.applying = False
        return True


_route: _Route | None = None


def route_undo_keys(window: QWidget, target: UndoTarget) -> None:
    """From now on the undo keys in any widget of ``window`` act on ``target``."""
    global _route
    app = QCoreApplication.instance()
    assert app is not None, "a QApplication is needed before routing keys"
    if _route is None or _route.parent() is not app:
        _route = _Route(app)
        app.installEventFilter(_route)
    holder = window.findChild(_Target, "", Qt.FindChildOption.FindDirectChildrenOnly)
    if holder is None:
        _Target(window, target)
    else:
        holder.target = target


def undoing() -> bool:
    """Whether an undo or redo from the keyboard is being applied right now (a field the
    clerk is typing in shows the undone value rather than keeping its half-typed text)."""
    return _route is not None and _route.applying
