"""The main window's evaluations: opening and switching, the library, new ones, packages.

``Opening`` is a part of ``MainWindow``. It talks to the window through ``Host``, the
few things it needs of it (the document shown, showing another, saving, leaving the
one shown), and says what the status bar should read through ``said``. Whatever is
open is saved before another evaluation is shown; an evaluation that cannot be read
or drawn is marked in the library (``broken``) and never keeps the clerk out.
"""

from __future__ import annotations

import hashlib
import sqlite3
import traceback
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QWidget

from desktop.common import messages

from desktop.shell import safekeeping
from desktop.form.document import Document
from forms.model import Evaluation
from forms.storage import EvaluationUnreadable, Library, StorageError


class Host(Protocol):
    """What ``Opening`` needs of the window that shows the evaluations."""

    @property
    def document(self) -> Document | None: ...

    def set_document(self, document: Document | None) -> None:
        """Show ``document`` (None: nothing)."""

    def save_now(self) -> bool:
        """Everything typed is in the database (False: it could not be saved)."""

    def leave(self, doing: str = "离开") -> bool:
        """The document shown may be left: saved, or the clerk agreed to lose it."""

    def show_section(self, index: int) -> None:
        """Show the ``index``-th section of the form."""


class Opening(QObject):
    """Which evaluation the window shows, and where evaluations come from and go to."""

    said = Signal(str, int)  # a message for the status bar, and how long (ms) it stays

    def __init__(self, host: Host, widget: QWidget, library: Library, settings: QSettings,
                 db_path: Path):
        super().__init__(widget)
        self._host = host
        self._widget = widget  # the parent of the dialogs and messages
        self._library = library
        self._settings = settings
        self._db_path = db_path
        self.broken: dict[int, str] = {}  # evaluations that could not be opened, and why

    # ------------------------------------------------------------ the last one opened

    def _last_key(self) -> str:
        digest = hashlib.sha1(str(self._db_path.resolve()).encode("utf-8")).hexdigest()[:12]
        return f"last_evaluation/{digest}"

    def last_evaluation_id(self) -> int | None:
        value = self._settings.value(self._last_key())
        try:
            return int(str(value)) if value is not None else None
        except (TypeError, ValueError):
            return None

    def remember(self, evaluation_id: int) -> None:
        """``evaluation_id`` opens at the next start on this database."""
        self._settings.setValue(self._last_key(), evaluation_id)

    def open_initial(self) -> None:
        """The last evaluation opened on this database, else the first of the library."""
        wanted = self.last_evaluation_id()
        try:
            ids = [s.id for s in self._library.list()]
        except (StorageError, sqlite3.Error, OSError) as exc:
            messages.error(self._widget, f"无法读取评价库：{exc}")
            ids = []
        opened = False
        if wanted in ids:
            opened = self.open_evaluation(wanted)
        elif ids:
            opened = self.open_evaluation(ids[0])
        else:
            self._host.set_document(None)
        if ids and not opened:
            # the start never depends on one evaluation: the library lets the clerk choose
            QTimer.singleShot(0, self.show_library)

    def open_evaluation(self, evaluation_id: int) -> bool:
        shown = self._host.document
        if shown is not None and shown.evaluation_id == evaluation_id:
            return True
        if not self._host.leave():
            return False
        try:
            evaluation, revision = self._library.get_with_revision(evaluation_id)
        except EvaluationUnreadable as exc:
            self.broken[evaluation_id] = exc.reason
            messages.error(self._widget, f"{exc}\n\n其他评价不受影响。可在评价库中导出它的原始数据，"
                           f"交技术支持处理。", title="无法打开评价")
            return False
        except StorageError as exc:
            messages.error(self._widget, str(exc), title="无法打开评价")
            return False
        try:
            self._host.set_document(Document(evaluation, evaluation_id, revision))
        except Exception:  # noqa: BLE001 - a defect drawing one evaluation must not lock the clerk out
            details = traceback.format_exc()
            self.broken[evaluation_id] = "显示此评价时程序出错"
            try:
                self._host.set_document(None)
            except Exception:  # noqa: BLE001 - the empty page still shows
                pass
            messages.error(self._widget, "显示此评价时程序出错，无法打开。其他评价不受影响；可在评价库中"
                           "导出它的原始数据，交技术支持处理。", title="无法打开评价",
                           details=details)
            return False
        self.broken.pop(evaluation_id, None)
        self.remember(evaluation_id)
        return True

    def show_read_only(self, document: Document) -> bool:
        """Show a document that is not in the library (a submission under review)."""
        if not self._host.leave():
            return False
        self._host.set_document(document)
        return True

    def show_library(self) -> None:
        from desktop.shell.library_dialog import LibraryDialog

        self._host.save_now()  # the list shows the score just typed
        document = self._host.document
        current = document.evaluation_id if document is not None else None
        dialog = LibraryDialog(self._library, self._widget, current_id=current,
                               settings=self._settings, broken=self.broken)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen_id is not None:
            if self.open_evaluation(dialog.chosen_id) and dialog.replace_with is not None:
                self._replace_by_import(dialog.replace_with)

    def new_evaluation(self) -> None:
        from desktop.shell.library_dialog import NewEvaluationDialog

        document = self._host.document
        department = document.evaluation.department.name if document is not None else ""
        dialog = NewEvaluationDialog(self._widget, self._settings, department=department)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if self._add_and_open(dialog.evaluation()) is not None:
            self._host.show_section(0)  # a new evaluation starts at 单位基本情况, not the last page

    def _add_and_open(self, evaluation: Evaluation) -> int | None:
        if not self._host.leave():
            return None
        try:
            new_id = self._library.add(evaluation)
        except (StorageError, sqlite3.Error, OSError) as exc:
            messages.error(self._widget, f"无法保存新的评价：{exc}")
            return None
        self.open_evaluation(new_id)
        return new_id

    def start_next_year(self) -> None:
        document = self._host.document
        if document is None or document.evaluation_id is None:
            return
        if not self._host.leave():
            return
        dept = document.evaluation.department
        if not messages.confirm(
                self._widget, f"新建“{dept.name} {dept.year + 1} 年度”的自评？\n沿用单位信息、"
                              f"指标体系、目标和文字；预算数字、项目金额和指标填报会清空。", yes="新建"):
            return
        try:
            new_id = self._library.start_next_year(document.evaluation_id)
        except StorageError as exc:
            messages.error(self._widget, str(exc))
            return
        self.open_evaluation(new_id)

    def import_package(self) -> None:
        from forms.package import PackageError, load_package

        folder = str(self._settings.value("dirs/package", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(self._widget, "导入评价包", folder,
                                              "评价包 (*.json);;所有文件 (*)")
        if not path:
            return
        self._settings.setValue("dirs/package", str(Path(path).parent))
        try:
            evaluation = load_package(path)
        except PackageError as exc:
            messages.error(self._widget, f"{Path(path).name} 不能导入：{exc}", title="无法导入评价包")
            return
        self.import_evaluation(evaluation)

    def import_evaluation(self, evaluation: Evaluation) -> bool:
        """A package or workbook read in: a new evaluation, or (asked) one of the same year."""
        dept = evaluation.department
        try:
            same = self._library.find_same(dept.name, dept.year)
        except (StorageError, sqlite3.Error, OSError):  # a damaged library: no duplicate to offer
            same = []
        if same:
            answer = safekeeping.ask_duplicate(self._widget, evaluation, same)
            if answer == safekeeping.CANCEL:
                return False
            if answer == safekeeping.REPLACE:
                if not self.open_evaluation(same[0].id):
                    return False
                return self._replace_by_import(evaluation)
            evaluation = safekeeping.labelled_copy(evaluation)
        return self._add_and_open(evaluation) is not None

    def _replace_by_import(self, evaluation: Evaluation) -> bool:
        """The open evaluation takes the imported content, as one step Ctrl+Z takes back."""
        document = self._host.document
        if document is None:
            return False
        from forms import backups

        self._host.save_now()
        try:  # the library as it was, before the import replaces an evaluation
            backups.snapshot(self._library, "import")
        except StorageError as exc:
            messages.warning(self._widget, f"{exc}\n导入仍会进行（可用 Ctrl+Z 撤销）。")
        document.apply(evaluation, "导入替换")
        self.said.emit("已用导入的内容替换；Ctrl+Z 可撤销", 8000)
        return True

    def export_package(self) -> None:
        from forms.files import WriteFailed, write_atomic
        from forms.package import write_package

        document = self._host.document
        if document is None:
            return
        dept = document.evaluation.department
        folder = Path(str(self._settings.value("dirs/package", str(Path.home()))))
        path, _ = QFileDialog.getSaveFileName(self._widget, "导出评价包",
                                              str(folder / f"{dept.name}-{dept.year}.json"),
                                              "评价包 (*.json);;所有文件 (*)")
        if not path:
            return
        self._settings.setValue("dirs/package", str(Path(path).parent))
        try:
            write_atomic(path, write_package(document.evaluation))
        except WriteFailed as exc:
            messages.error(self._widget, str(exc), title="无法导出评价包")
            return
        self.said.emit(f"已导出评价包 {path}", 6000)

    def show_restore(self) -> None:
        """文件 › 恢复备份…: a snapshot's evaluations beside the current ones, or all of it."""
        from desktop.shell.restore_dialog import RestoreDialog

        if not self._host.save_now():
            return
        dialog = RestoreDialog(self._library, self._widget)
        dialog.exec()
        if dialog.restored_library:  # every evaluation may differ now: open afresh
            self._host.set_document(None)
            self.open_initial()
        elif dialog.added:
            self.open_evaluation(dialog.added[-1])

    def export_library(self) -> None:
        """文件 › 导出整个评价库…: every evaluation's package in one zip (for another PC)."""
        from forms import backups
        from forms.files import WriteFailed, write_atomic

        self._host.save_now()
        folder = Path(str(self._settings.value("dirs/package", str(Path.home()))))
        path, _ = QFileDialog.getSaveFileName(self._widget, "导出整个评价库", str(folder / "评价库.zip"),
                                              "评价包压缩文件 (*.zip);;所有文件 (*)")
        if not path:
            return
        self._settings.setValue("dirs/package", str(Path(path).parent))
        try:
            items = [(f"{s.department}-{s.year}-{s.id}", self._library.raw_package(s.id))
                     for s in self._library.list()]
            write_atomic(path, backups.library_zip(items))
        except (WriteFailed, StorageError) as exc:
            messages.error(self._widget, str(exc), title="无法导出评价库")
            return
        self.said.emit(f"已把 {len(items)} 份评价导出到 {path}", 8000)
