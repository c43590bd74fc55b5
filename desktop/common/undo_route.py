"""Ctrl+Z / Ctrl+Y anywhere in a window undo that window's edits: one route for all.

Stock editors keep an undo history of their own and claim Ctrl+Z before any window
shortcut sees it (line edits, spin boxes, text boxes); others ignore it (check boxes,
combo boxes). One route, following the application's focus, takes the undo keys
first in whichever widget has the keyboard, when its window was given a target (the
main window's ``QUndoGroup``, the system editor's ``QUndoStack``), and applies them
there. Nothing is registered per widget, and nothing searches the parents for a
document. Windows without a target (dialogs) keep Qt's own behaviour.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

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


def _target_of(widget: QWidget) -> _Target | None:
    return widget.window().findChild(_Target, "", Qt.FindChildOption.FindDirectChildrenOnly)


class _Route(QObject):
    """Watches the focused widget (the one that receives key presses) of a routed window.

    Filtering the focused widget rather than every object of the application keeps
    the thousands of paint and layout events of a window out of Python.
    """

    def __init__(self, app: QApplication):
        super().__init__(app)
        self.applying = False
        self._watched: QWidget | None = None
        app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        self.watch(new)

    def watch(self, widget: QWidget | None) -> None:
        if self._watched is not None:
            try:
                self._watched.removeEventFilter(self)
            except RuntimeError:
                pass  # the widget is gone already
        self._watched = None
        if widget is not None and _target_of(widget) is not None:
            widget.installEventFilter(self)
            self._watched = widget

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        action = undo_key(event)
        if action is None or not isinstance(watched, QWidget):
            return False
        holder = _target_of(watched)
        if holder is None:
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
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
    app = QApplication.instance()
    assert isinstance(app, QApplication), "a QApplication is needed before routing keys"
    if _route is None or _route.parent() is not app:
        _route = _Route(app)
    holder = window.findChild(_Target, "", Qt.FindChildOption.FindDirectChildrenOnly)
    if holder is None:
        _Target(window, target)
    else:
        holder.target = target
    _route.watch(app.focusWidget())


def undoing() -> bool:
    """Whether an undo or redo from the keyboard is being applied right now (a field the
    clerk is typing in shows the undone value rather than keeping its half-typed text)."""
    return _route is not None and _route.applying
