"""自动保存: every change of the open evaluation reaches the database within a second.

A single-shot timer starts at the first unsaved change and is not restarted by
later ones, so a clerk who never pauses is still saved every second; when it fires the
current snapshot is saved in one transaction with the revision it was opened
at, so a second copy of the program that saved in between is detected
(``ConflictError``) instead of overwritten.  ``flush()`` saves at once (on
close, before switching evaluation, Ctrl+S).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.form.document import Document
from forms.model import Evaluation
from forms.storage import ConflictError, Library, StorageError

DELAY_MS = 800  # under the promised second, leaving room for the save itself


class Autosave(QObject):
    saved = Signal(datetime)  # when the database received the snapshot
    conflict = Signal(str)  # another copy saved this evaluation; Chinese message
    failed = Signal(str)  # the database refused (disk full, locked…); Chinese message

    def __init__(self, library: Library, document: Document, delay_ms: int = DELAY_MS,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.library = library
        self.document = document
        self._stored: Evaluation = document.evaluation  # what the database holds
        self._blocked = False  # after a conflict: stop saving until the clerk decides
        self._stopped = False
        self.last_saved: datetime | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self._timed_flush)
        document.changed.connect(self._on_changed)

    @property
    def dirty(self) -> bool:
        current = self.document.evaluation
        return not Document.same(current, self._stored)

    @property
    def blocked(self) -> bool:
        """A conflict is waiting for the clerk's decision."""
        return self._blocked

    def _on_changed(self) -> None:
        # started by the first unsaved edit only: fast typing must not postpone the save
        if not self._blocked and not self.timer.isActive():
            self.timer.start()

    def pending(self, *_: object) -> None:
        """Text is being typed into an editor that has not written it into the document yet
        (an open cell, a tree's inline editor, a spin box): the timer starts as for an edit,
        and its quiet commit takes the text when it fires."""
        self._on_changed()

    def mark_stored(self, revision: int) -> None:
        """The database now holds the current snapshot at ``revision`` (after a reload)."""
        self.document.revision = revision
        self._stored = self.document.evaluation
        self._blocked = False

    # set by the window: commit an open cell editor into the document first (on the
    # timer only what can be taken without closing the editor under the clerk's hands)
    before_flush: Callable[[], object] | None = None
    before_timed_flush: Callable[[], object] | None = None

    def _timed_flush(self) -> None:
        self.flush(timed=True)

    def flush(self, timed: bool = False) -> bool:
        """Save now if anything changed; True when the database holds the current snapshot."""
        self.timer.stop()
        commit = self.before_timed_flush if timed else self.before_flush
        if commit is not None:
            commit()
            self.timer.stop()
        if not self.dirty:
            return True
        if self._blocked or self.document.evaluation_id is None:
            return False
        evaluation = self.document.evaluation
        try:
            revision = self.library.save(self.document.evaluation_id, evaluation,
                                         expected_revision=self.document.revision)
        except ConflictError as exc:
            self._blocked = True
            self.conflict.emit(str(exc))
            return False
        except StorageError as exc:
            if self.library.revision(self.document.evaluation_id) is None:
                # deleted by another copy: like a conflict, the clerk decides what to keep
                self._blocked = True
                self.conflict.emit(str(exc))
            else:
                self.failed.emit(str(exc))
            return False
        except (sqlite3.Error, OSError) as exc:  # the environment: disk full, I/O, locked
            self.failed.emit(f"保存失败：{exc}。已填写的内容仍在窗口中，请检查磁盘后按 Ctrl+S 重试。")
            return False
        self.document.revision = revision
        self._stored = evaluation
        self.last_saved = datetime.now()
        self.saved.emit(self.last_saved)
        return True

    def stop(self) -> None:
        """No more saving (the document is closed); safe to call twice."""
        self.timer.stop()
        if not self._stopped:
            self._stopped = True
            self.document.changed.disconnect(self._on_changed)
