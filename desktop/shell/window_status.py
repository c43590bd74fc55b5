"""The main window's status bar and banners: what the clerk is told about saving.

``SaveStatus`` is a part of ``MainWindow``: it owns the labels of the status bar (saved
or not, another copy running, the database path) and the two banners above the pages
(a library that opened read-only; a document shown only to be read). The window tells
it what happened (opened, changed, saved, failed, conflict); it tells the clerk.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QLabel, QMainWindow

from desktop.common import messages
from desktop.form.document import Document
from forms.storage import Library, StorageError


READ_ONLY_STATUS = "数据库只读：可以查看和导出，修改不会保存"
_ALARM = "color: #b91c1c; font-weight: bold;"


class SaveStatus(QObject):
    """The saved / not saved line, the other-copy note, the database path and the banners."""

    def __init__(self, window: QMainWindow, library: Library, db_path: Path):
        super().__init__(window)
        self._window = window
        self._library = library
        self._failure_shown = False
        self.read_only_banner = _banner("readOnlyBanner",
                                        "background: #fef3c7; color: #92400e; padding: 6px;")
        # a document shown only to be read (a submission under review): says so and why
        self.view_only_banner = _banner(
            "viewOnlyBanner", "background: #fee2e2; color: #7f1d1d; font-weight: bold; padding: 6px;")
        self.saved_label = QLabel("")
        self.saved_label.setObjectName("savedLabel")
        self.lock_label = QLabel("")
        self.lock_label.setStyleSheet("color: #b45309;")
        self.lock_label.hide()
        self.db_label = QLabel(f"数据库 {short_path(db_path)}")
        self.db_label.setToolTip(str(db_path))
        status = window.statusBar()
        status.addWidget(self.saved_label)
        status.addWidget(self.lock_label)
        status.addPermanentWidget(self.db_label)

    def say(self, text: str, alarm: bool = False) -> None:
        """The saved line reads ``text`` (in red when ``alarm``)."""
        self.saved_label.setText(text)
        self.saved_label.setStyleSheet(_ALARM if alarm else "")

    def set_read_only_notice(self) -> None:
        """A banner for a library that opened read-only: nothing typed can be kept."""
        self.read_only_banner.setText(f"数据库是只读的（{self._library.path.parent} 不能写入）："
                                      f"只能查看和导出，修改不会被保存。")
        self.read_only_banner.show()

    def set_other_copy_notice(self, running: bool) -> None:
        self.lock_label.setText("另一个窗口正在使用此数据库，保存时会检查冲突" if running else "")
        self.lock_label.setVisible(running)

    def set_view_only(self, note: str) -> None:
        """``note`` (why the document is only read) heads the window; "" hides it."""
        self.view_only_banner.setText(note)
        self.view_only_banner.setVisible(bool(note))

    # ------------------------------------------------------------ what happened

    def opened(self, document: Document | None) -> None:
        """After opening: when the database last received this evaluation."""
        self.say(self._opened_text(document))

    def _opened_text(self, document: Document | None) -> str:
        if document is None or document.evaluation_id is None:
            return ""
        if self._library.read_only:  # the banner says why; nothing typed reaches the file
            return READ_ONLY_STATUS
        try:
            when = self._library.updated(document.evaluation_id) or ""
        except (StorageError, sqlite3.Error, OSError):  # not worth an error message
            when = ""
        try:
            stamp = datetime.fromisoformat(when)
        except ValueError:
            return "已打开，修改会自动保存"
        shown = f"{stamp:%H:%M:%S}" if stamp.date() == datetime.now().date() else f"{stamp:%Y-%m-%d %H:%M}"
        return f"上次保存 {shown}，修改会自动保存"

    def pending(self) -> None:
        """An edit waits for the autosave's timer."""
        self.saved_label.setText(READ_ONLY_STATUS if self._library.read_only
                                 else "有修改，即将自动保存…")

    def saved(self, when: datetime) -> None:
        self._failure_shown = False
        self.say(f"已自动保存 {when:%H:%M:%S}")
        failed = self._library.snapshot_failed
        if failed:  # the save went through; only the day's copy could not be made: said once
            self._library.snapshot_failed = ""
            messages.warning(self._window, f"{failed}\n修改已正常保存；请检查数据文件夹所在的磁盘。",
                             title="未能自动备份")

    def save_failed(self, message: str) -> None:
        self.say("未能保存！修改仍在窗口中", alarm=True)
        if not self._failure_shown:  # once per failure run, not on every keystroke
            self._failure_shown = True
            messages.error(self._window, message, title="未能保存")

    def conflict(self) -> None:
        self.say("未保存：此评价已在另一处被修改", alarm=True)


def _banner(name: str, style: str) -> QLabel:
    banner = QLabel("")
    banner.setObjectName(name)
    banner.setWordWrap(True)
    banner.setStyleSheet(style)
    banner.hide()
    return banner


def short_path(path: Path, limit: int = 48) -> str:
    text = str(path)
    if len(text) <= limit:
        return text
    return "…" + text[-(limit - 1):]
