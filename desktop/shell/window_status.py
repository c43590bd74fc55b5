"""The main window's status bar and read-only banner: what the clerk is told about saving.

``StatusMixin`` is mixed into ``MainWindow`` (it uses the window's ``library``,
``db_path``, ``autosave`` and ``_update_title``). The status bar says when the open
evaluation was last saved and that changes are saved automatically; a library that
opened read-only gets a banner instead, and the status bar says nothing is saved.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from collections.abc import Callable

from PySide6.QtWidgets import QLabel, QStatusBar

from desktop.common import messages
from desktop.shell.autosave import Autosave
from desktop.form.document import Document
from forms.storage import Library, StorageError


READ_ONLY_STATUS = "数据库只读：可以查看和导出，修改不会保存"


class StatusMixin:
    """The saved / not saved line, the other-copy note, the database path and the banner."""

    # provided by the window
    library: Library
    db_path: Path
    autosave: Autosave | None
    _failure_shown: bool
    statusBar: Callable[[], QStatusBar]  # noqa: N815 (Qt name)
    _update_title: Callable[[], None]

    def _build_read_only_banner(self) -> QLabel:
        self.read_only_banner = QLabel("")
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setStyleSheet("background: #fef3c7; color: #92400e; padding: 6px;")
        self.read_only_banner.hide()
        return self.read_only_banner

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.saved_label = QLabel("")
        self.saved_label.setObjectName("savedLabel")
        self.lock_label = QLabel("")
        self.lock_label.setStyleSheet("color: #b45309;")
        self.lock_label.hide()
        self.db_label = QLabel(f"数据库 {self._short_path(self.db_path)}")
        self.db_label.setToolTip(str(self.db_path))
        status.addWidget(self.saved_label)
        status.addWidget(self.lock_label)
        status.addPermanentWidget(self.db_label)

    @staticmethod
    def _short_path(path: Path, limit: int = 48) -> str:
        text = str(path)
        if len(text) <= limit:
            return text
        return "…" + text[-(limit - 1):]

    def set_read_only_notice(self) -> None:
        """A banner for a library that opened read-only: nothing typed can be kept."""
        self.read_only_banner.setText(f"数据库是只读的（{self.library.path.parent} 不能写入）："
                                      f"只能查看和导出，修改不会被保存。")
        self.read_only_banner.show()
        self.act_save.setToolTip("数据库是只读的，修改不会被保存")

    def set_other_copy_notice(self, running: bool) -> None:
        self.lock_label.setText("另一个窗口正在使用此数据库，保存时会检查冲突" if running else "")
        self.lock_label.setVisible(running)

    def _opened_text(self, document: Document | None) -> str:
        """The status bar after opening: when the database last received this evaluation."""
        if document is None or document.evaluation_id is None:
            return ""
        if self.library.read_only:  # the banner says why; nothing typed reaches the file
            return READ_ONLY_STATUS
        try:
            when = self.library.updated(document.evaluation_id) or ""
        except (StorageError, sqlite3.Error, OSError):  # not worth an error message
            when = ""
        try:
            stamp = datetime.fromisoformat(when)
        except ValueError:
            return "已打开，修改会自动保存"
        shown = f"{stamp:%H:%M:%S}" if stamp.date() == datetime.now().date() else f"{stamp:%Y-%m-%d %H:%M}"
        return f"上次保存 {shown}，修改会自动保存"

    def _on_document_changed(self) -> None:
        self._update_title()
        if self.autosave is not None and self.autosave.timer.isActive():
            self.saved_label.setText(READ_ONLY_STATUS if self.library.read_only
                                     else "有修改，即将自动保存…")

    def _on_saved(self, when: datetime) -> None:
        self._failure_shown = False
        self.saved_label.setText(f"已自动保存 {when:%H:%M:%S}")
        self.saved_label.setStyleSheet("")
        failed = self.library.snapshot_failed
        if failed:  # the save went through; only the day's copy could not be made: said once
            self.library.snapshot_failed = ""
            messages.warning(self, f"{failed}\n修改已正常保存；请检查数据文件夹所在的磁盘。",
                             title="未能自动备份")

    def _on_save_failed(self, message: str) -> None:
        self.saved_label.setText("未能保存！修改仍在窗口中")
        self.saved_label.setStyleSheet("color: #b91c1c; font-weight: bold;")
        if not self._failure_shown:  # once per failure run, not on every keystroke
            self._failure_shown = True
            messages.error(self, message, title="未能保存")
