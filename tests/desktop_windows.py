"""The main window as tests open it: every message it would show logged (questions answered
from a queue), windows of the clerk's screen size, closed and their library released after."""

from __future__ import annotations

from dataclasses import replace

import pytest

from desktop import messages
from desktop.app import create_main_window
from desktop.qt_setup import setup_application


class _Log(list):
    """The messages shown, and the answers queued for the next questions."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[int] = []


@pytest.fixture
def shown(qapp, monkeypatch):
    """Every message the program would show: (kind, title, text); dialogs answered by ``answers``."""
    setup_application(qapp)
    log = _Log()
    answers = log.answers

    def show(parent, kind, title, text, details=""):
        log.append((kind, title, text))

    def ask(parent, title, text, choices, kind="warning", default=0):
        log.append(("ask", title, text))
        return answers.pop(0) if answers else len(choices) - 1

    monkeypatch.setattr(messages.Messages, "show", staticmethod(show))
    monkeypatch.setattr(messages.Messages, "ask", staticmethod(ask))
    return log


@pytest.fixture
def open_window(qtbot, shown):
    windows = []

    def make(db=None, size=(1366, 768)):
        window = create_main_window(db)
        assert window is not None
        qtbot.addWidget(window)
        if size:
            window.resize(*size)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)  # shortcuts need the active window
        windows.append(window)
        return window

    yield make
    for window in windows:
        if window.isVisible():
            window.close()
        window.library.close()


def edit_leaf(window, leaf_id: str, **changes):
    document = window.document
    value = document.evaluation.value(leaf_id)
    document.apply(document.evaluation.with_value(leaf_id, replace(value, **changes)),
                   "编辑", merge_key=f"values.{leaf_id}")
