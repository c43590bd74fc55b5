"""The main window's evaluations: opening and switching, the library, new ones, packages.

``OpeningMixin`` is mixed into ``MainWindow`` (it uses the window's ``library``,
``settings``, ``document``, ``broken``, ``set_document`` and ``_flush_before_leaving``).
Whatever is open is saved before another evaluation is shown; an evaluation that
cannot be read or drawn is marked in the library and never keeps the clerk out.
"""

from __future__ import annotations

import sqlite3
import traceback
from pathlib import Path
from collections.abc import Callable

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QDialog, QFileDialog, QStatusBar

from desktop.common import messages

from desktop.shell import safekeeping
from desktop.form.document import Document
from forms.model import Evaluation
from forms.storage import EvaluationUnreadable, Library, StorageError


class OpeningMixin:
    """Which evaluation the window shows, and where evaluations come from and go to."""

    # provided by the window
    library: Library
    settings: QSettings
    document: Document | None
    broken: dict[int, str]
    set_document: Callable[[Document | None], None]
    last_evaluation_id: Callable[[], int | None]
    _last_key: Callable[[], str]
    _flush_before_leaving: Callable[[], bool]
    statusBar: Callable[[], QStatusBar]  # noqa: N815 (Qt name)

    def open_initial(self) -> None:
        """The last evaluation opened on this database, else the first of the library."""
        wanted = self.last_evaluation_id()
        try:
            ids = [s.id for s in self.library.list()]
        except (StorageError, sqlite3.Error, OSError) as exc:
            messages.error(self, f"无法读取评价库：{exc}")
            ids = []
        opened = False
        if wanted in ids:
            opened = self.open_evaluation(wanted)
        elif ids:
            opened = self.open_evaluation(ids[0])
        else:
            self.set_document(None)
        if ids and not opened:
            # the start never depends on one evaluation: the library lets the clerk choose
            QTimer.singleShot(0, self.show_library)

    def open_evaluation(self, evaluation_id: int) -> bool:
        if self.document is not None and self.document.evaluation_id == evaluation_id:
            return True
        if not self._flush_before_leaving():
            return False
        try:
            evaluation, revision = self.library.get_with_revision(evaluation_id)
        except EvaluationUnreadable as exc:
            self.broken[evaluation_id] = exc.reason
            messages.error(self, f"{exc}\n\n其他评价不受影响。可在评价库中导出它的原始数据，"
                           f"交技术支持处理。", title="无法打开评价")
            return False
        except StorageError as exc:
            messages.error(self, str(exc), title="无法打开评价")
            return False
        try:
            self.set_document(Document(evaluation, evaluation_id, revision))
        except Exception:  # noqa: BLE001 - a defect drawing one evaluation must not lock the clerk out
            details = traceback.format_exc()
            self.broken[evaluation_id] = "显示此评价时程序出错"
            try:
                self.set_document(None)
            except Exception:  # noqa: BLE001 - the empty page still shows
                pass
            messages.error(self, "显示此评价时程序出错，无法打开。其他评价不受影响；可在评价库中"
                           "导出它的原始数据，交技术支持处理。", title="无法打开评价",
                           details=details)
            return False
        self.broken.pop(evaluation_id, None)
        self.settings.setValue(self._last_key(), evaluation_id)
        return True

    def show_read_only(self, document: Document) -> bool:
        """Show a document that is not in the library (a submission under review)."""
        if not self._flush_before_leaving():
            return False
        self.set_document(document)
        return True

    def show_library(self) -> None:
        from desktop.shell.library_dialog import LibraryDialog

        self.save_now()  # the list shows the score just typed
        current = self.document.evaluation_id if self.document is not None else None
        dialog = LibraryDialog(self.library, self, current_id=current, settings=self.settings,
                               broken=self.broken)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen_id is not None:
            if self.open_evaluation(dialog.chosen_id) and dialog.replace_with is not None:
                self._replace_by_import(dialog.replace_with)

    def new_evaluation(self) -> None:
        from desktop.shell.library_dialog import NewEvaluationDialog

        department = self.document.evaluation.department.name if self.document else ""
        dialog = NewEvaluationDialog(self, self.settings, department=department)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if self._add_and_open(dialog.evaluation()) is not None:
            self.show_section(0)  # a new evaluation starts at 单位基本情况, not the last page

    def _add_and_open(self, evaluation: Evaluation) -> int | None:
        if not self._flush_before_leaving():
            return None
        try:
            new_id = self.library.add(evaluation)
        except (StorageError, sqlite3.Error, OSError) as exc:
            messages.error(self, f"无法保存新的评价：{exc}")
            return None
        self.open_evaluation(new_id)
        return new_id

    def start_next_year(self) -> None:
        if self.document is None or self.document.evaluation_id is None:
            return
        if not self._flush_before_leaving():
            return
        dept = self.document.evaluation.department
        if not messages.confirm(
                self, f"新建“{dept.name} {dept.year + 1} 年度”的自评？\n沿用单位信息、指标体系、"
                      f"目标和文字；预算数字、项目金额和指标填报会清空。", yes="新建"):
            return
        try:
            new_id = self.library.start_next_year(self.document.evaluation_id)
        except StorageError as exc:
            messages.error(self, str(exc))
            return
        self.open_evaluation(new_id)

    def import_package(self) -> None:
        from forms.package import PackageError, load_package

        folder = str(self.settings.value("dirs/package", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(self, "导入评价包", folder,
                                              "评价包 (*.json);;所有文件 (*)")
        if not path:
            return
        self.settings.setValue("dirs/package", str(Path(path).parent))
        try:
            evaluation = load_package(path)
        except PackageError as exc:
            messages.error(self, f"{Path(path).name} 不能导入：{exc}", title="无法导入评价包")
            return
        self.import_evaluation(evaluation)

    def import_evaluation(self, evaluation: Evaluation) -> bool:
        """A package or workbook read in: a new evaluation, or (asked) one of the same year."""
        dept = evaluation.department
        try:
            same = self.library.find_same(dept.name, dept.year)
        except (StorageError, sqlite3.Error, OSError):  # a damaged library: no duplicate to offer
            same = []
        if same:
            answer = safekeeping.ask_duplicate(self, evaluation, same)
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
        if self.document is None:
            return False
        from forms import backups

        self.save_now()
        try:  # the library as it was, before the import replaces an evaluation
            backups.snapshot(self.library, "import")
        except StorageError as exc:
            messages.warning(self, f"{exc}\n导入仍会进行（可用 Ctrl+Z 撤销）。")
        self.document.apply(evaluation, "导入替换")
        self.statusBar().showMessage("已用导入的内容替换；Ctrl+Z 可撤销", 8000)
        return True

    def export_package(self) -> None:
        from forms.files import WriteFailed, write_atomic
        from forms.package import write_package

        if self.document is None:
            return
        dept = self.document.evaluation.department
        folder = Path(str(self.settings.value("dirs/package", str(Path.home()))))
        path, _ = QFileDialog.getSaveFileName(self, "导出评价包",
                                              str(folder / f"{dept.name}-{dept.year}.json"),
                                              "评价包 (*.json);;所有文件 (*)")
        if not path:
            return
        self.settings.setValue("dirs/package", str(Path(path).parent))
        try:
            write_atomic(path, write_package(self.document.evaluation))
        except WriteFailed as exc:
            messages.error(self, str(exc), title="无法导出评价包")
            return
        self.statusBar().showMessage(f"已导出评价包 {path}", 6000)

    def show_restore(self) -> None:
        """文件 › 恢复备份…: a snapshot's evaluations beside the current ones, or all of it."""
        from desktop.shell.restore_dialog import RestoreDialog

        if not self.save_now():
            return
        dialog = RestoreDialog(self.library, self)
        dialog.exec()
        if dialog.restored_library:  # every evaluation may differ now: open afresh
            self.set_document(None)
            self.open_initial()
        elif dialog.added:
            self.open_evaluation(dialog.added[-1])

    def export_library(self) -> None:
        """文件 › 导出整个评价库…: every evaluation's package in one zip (for another PC)."""
        from forms import backups
        from forms.files import WriteFailed, write_atomic

        self.save_now()
        folder = Path(str(self.settings.value("dirs/package", str(Path.home()))))
        path, _ = QFileDialog.getSaveFileName(self, "导出整个评价库", str(folder / "评价库.zip"),
                                              "评价包压缩文件 (*.zip);;所有文件 (*)")
        if not path:
            return
        self.settings.setValue("dirs/package", str(Path(path).parent))
        try:
            items = [(f"{s.department}-{s.year}-{s.id}", self.library.raw_package(s.id))
                     for s in self.library.list()]
            write_atomic(path, backups.library_zip(items))
        except (WriteFailed, StorageError) as exc:
            messages.error(self, str(exc), title="无法导出评价库")
            return
        self.statusBar().showMessage(f"已把 {len(items)} 份评价导出到 {path}", 8000)
