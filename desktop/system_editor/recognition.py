"""按评分标准识别 off the window's thread, with a cancel.

The recogniser is bounded (forms/rules/normalise.py: at most ``MAX_CHARS`` characters, linear
patterns), but it runs in a worker thread all the same, so no criteria text can freeze the
window: the button turns into 取消识别 while it runs, and a result that arrives after a cancel
or after the clerk moved to another indicator is dropped.
"""

from __future__ import annotations

import threading
from decimal import Decimal
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from forms.rules import Suggestion, recognise, unread_reason


class Recognition(QObject):
    """One recognition at a time; ``done(found, reason)`` arrives on the window's thread."""

    done = Signal(object, str)
    _finished = Signal(int, object, str)

    def __init__(self, parent: QObject | None = None,
                 recogniser: Callable[[str, Decimal | None, Decimal | None],
                                      Suggestion | None] = recognise) -> None:
        super().__init__(parent)
        self._job = 0
        self._running = False
        self._recogniser = recogniser
        self._finished.connect(self._arrived)  # emitted by the worker, queued to this thread

    @property
    def running(self) -> bool:
        return self._running

    def start(self, criteria: str, weight: Decimal | None, target: Decimal | None) -> None:
        self._job += 1
        self._running = True
        job = self._job

        def work() -> None:
            try:
                found = self._recogniser(criteria, weight, target)
                reason = "" if found is not None else unread_reason(criteria)
            except Exception as e:  # noqa: BLE001 - a defect in the recogniser: said in the note, button freed
                found, reason = None, f"识别时出错（{type(e).__name__}），保持直接评分"
            self._finished.emit(job, found, reason)

        threading.Thread(target=work, name="recognise-criteria", daemon=True).start()

    def cancel(self) -> bool:
        """Drop the running recognition's result; whether one was running."""
        was = self._running
        self._job += 1
        self._running = False
        return was

    def _arrived(self, job: int, found: Suggestion | None, reason: str) -> None:
        if job != self._job or not self._running:
            return  # cancelled, or superseded by a newer request
        self._running = False
        self.done.emit(found, reason)
