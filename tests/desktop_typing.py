"""Typing as a clerk does, in pytest-qt tests of the form pages.

``qtbot.keyClicks`` with non-ASCII text aborts the process (a Qt assertion), so
characters are sent as ``QKeyEvent(Key_unknown, text)`` to whatever widget has
the focus (as a keyboard would), and Chinese arrives as an input-method commit
(``QInputMethodEvent.setCommitString``), which is what a pinyin IME sends.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QtMsgType, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from desktop.form.pages.base import Page
from desktop.common.qt_setup import setup_application
from desktop.common.undo_route import route_undo_keys


def setup_app(qapp) -> None:
    setup_application(qapp)


def focused(default: QWidget | None = None) -> QWidget:
    widget = QApplication.focusWidget() or default
    assert widget is not None, "no widget has the keyboard focus"
    return widget


def press(key: Qt.Key, text: str = "", modifiers=Qt.KeyboardModifier.NoModifier,
          widget: QWidget | None = None) -> None:
    target = widget or focused()
    QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, key, modifiers, text))
    QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyRelease, key, modifiers, text))
    QApplication.processEvents()


def type_text(text: str, widget: QWidget | None = None) -> None:
    """Type ``text`` character by character into the focused widget (any script)."""
    for ch in text:
        press(Qt.Key.Key_unknown, ch, widget=widget)


def ime_commit(text: str, widget: QWidget | None = None) -> None:
    """What a pinyin input method sends when the clerk picks the characters."""
    event = QInputMethodEvent("", [])
    event.setCommitString(text)
    QApplication.sendEvent(widget or focused(), event)
    QApplication.processEvents()


def enter(widget: QWidget | None = None) -> None:
    press(Qt.Key.Key_Return, "\r", widget=widget)


def ctrl(key: Qt.Key, widget: QWidget | None = None) -> None:
    press(key, "", Qt.KeyboardModifier.ControlModifier, widget=widget)


def show(qtbot, widget: QWidget, width: int = 1000, height: int = 600) -> QWidget:
    """Show ``widget`` as a window; a page gets its document's undo keys, as in the main window."""
    if isinstance(widget, Page):
        route_undo_keys(widget, widget.document.undo_stack)
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    QApplication.processEvents()
    return widget


# Qt's own warnings that say nothing about the program (the offscreen platform)
_HARMLESS = ("This plugin does not support",)


@pytest.fixture(autouse=True)
def no_qt_warnings(qtlog):
    """Fail a test whose widgets make Qt warn (a style sheet that does not parse, …)."""
    yield
    warnings = [r.message for r in qtlog.records
                if r.type in (QtMsgType.QtWarningMsg, QtMsgType.QtCriticalMsg)
                and not any(h in r.message for h in _HARMLESS)]
    assert not warnings, warnings


def choose(combo, data: str) -> None:
    """Pick the entry with this data from the drop-down list, as the clerk does with the
    mouse: a choice the program makes (``setCurrentIndex``) is not the clerk's edit."""
    index = combo.findData(data)
    assert index >= 0, f"no entry {data!r}"
    combo.showPopup()
    view = combo.view()
    where = view.visualRect(view.model().index(index, combo.modelColumn())).center()
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=where)
    combo.window().activateWindow()  # the offscreen platform does not give it back itself
    QApplication.processEvents()
    assert combo.currentIndex() == index and not view.isVisible()
