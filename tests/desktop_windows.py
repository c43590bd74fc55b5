"""The main window as tests open it: every message it would show logged (questions answered
from a queue), windows of the clerk's screen size, closed and their library released after."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMenu

from desktop.common import messages
from desktop.shell.app import create_main_window
from desktop.common.qt_setup import setup_application


class _Log(list):
    """The messages shown, the answers queued for the next questions, the offers made."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[int] = []
        self.first_choice = False  # an unqueued question: its first choice, else its last
        self.offers: list[tuple[str, list[str], object]] = []


@pytest.fixture
def shown(qapp, monkeypatch):
    """Every message the program would show: (kind, title, text); dialogs answered by ``answers``."""
    setup_application(qapp)
    log = _Log()

    def show(parent, kind, title, text, details=""):
        log.append((kind, title, text))

    def ask(parent, title, text, choices, kind="warning", default=0):
        log.append(("ask", title, text))
        if log.answers:
            return log.answers.pop(0)
        return 0 if log.first_choice else len(choices) - 1

    def offer(parent, title, text, choices, chosen):
        log.offers.append((text, choices, chosen))

    monkeypatch.setattr(messages.Messages, "show", staticmethod(show))
    monkeypatch.setattr(messages.Messages, "ask", staticmethod(ask))
    monkeypatch.setattr(messages.Messages, "offer", staticmethod(offer))
    return log


@pytest.fixture
def open_window(qtbot, shown):
    """``open_window()`` starts the program's main window as a clerk's start-up would."""
    windows = []

    def make(db=None, size=(1366, 768), activate=True):
        window = create_main_window(db)
        assert window is not None
        qtbot.addWidget(window)
        if size:
            window.resize(*size)
        window.show()
        if activate:  # keyboard shortcuts need the active window
            window.activateWindow()
            qtbot.waitUntil(window.isActiveWindow)
        else:
            qtbot.waitUntil(window.isVisible)
        windows.append(window)
        return window

    yield make
    for window in windows:
        if window.isVisible():
            window.close()
        window.library.close()


def menu_titled(window, title: str) -> QMenu:
    """The menu bar's menu whose title starts with ``title`` (not through QAction.menu():
    on PySide6 6.8 and 6.9 the menu it returns is deleted with its Python wrapper)."""
    (menu,) = [m for m in window.menuBar().findChildren(QMenu) if m.title().startswith(title)]
    return menu


def show_page(window, section: str):
    """The page of ``section``, shown as a click in the navigation would."""
    index, page = window.page_for(section)
    window.show_section(index)
    QApplication.processEvents()
    return page


def edit_leaf(window, leaf_id: str, **changes):
    document = window.document
    value = document.evaluation.value(leaf_id)
    document.apply(document.evaluation.with_value(leaf_id, replace(value, **changes)),
                   "编辑", merge_key=f"values.{leaf_id}")


def edit_then_kill(script: str, db: Path, wait: float = 1.5) -> None:
    """Run ``script`` (a program on ``db`` that edits and prints "edited") in a process of its
    own and kill it ``wait`` seconds after the edit, as a power cut or the task manager would."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    root = Path(__file__).resolve().parents[1]
    process = subprocess.Popen([sys.executable, "-c", script, str(db)], cwd=root, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == "edited"
        time.sleep(wait)  # the promise is one second; the rest is slack for a busy machine
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
    assert process.returncode == -signal.SIGKILL
