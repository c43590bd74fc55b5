"""The system editor's files: the list of systems, opening, importing, saving,
exporting and deleting one.

``FilesPane`` is the left-hand list of systems and owns where the draft came from:
the catalogue entry, the file it is saved to, whether it is read-only (a shipped
system) and the workbook it was imported from.  It reads the window's draft through
``draft`` and asks ``dirty`` whether it has unsaved changes; it tells the window what
happened through signals: ``opened`` (an ``Opened``: a draft to edit from now on),
``saved`` (the draft is on disk: the window's undo stack is clean there) and ``said``
(a line for the status bar).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QApplication, QFileDialog, QLabel, QListWidget, QListWidgetItem,
                               QVBoxLayout, QWidget)

from desktop.common import messages
from forms.catalog import (SystemEntry, SystemFileError, read_system_path, shipped_systems,
                           user_systems)
from forms.files import WriteFailed, os_reason
from forms.system import Problem
from forms.system_edit import SystemDraft, safe_file_stem

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 2
SYSTEM_FILTER = "指标体系文件 (*.json);;所有文件 (*)"
EXCEL_FILTER = "Excel 工作簿 (*.xlsx);;所有文件 (*)"


def _settings() -> QSettings:
    from forms.paths import user_data_dir

    return QSettings(str(user_data_dir() / "settings.ini"), QSettings.Format.IniFormat)


@dataclass(frozen=True)
class Opened:
    """A draft to edit from now on (where it came from stays with the ``FilesPane``).
    With ``step`` (an import) it is a new system filled in that one step, which undo
    takes back; ``notes`` are what the import could not take."""

    draft: SystemDraft
    step: str = ""
    notes: list[Problem] = field(default_factory=list)


class FilesPane(QWidget):
    """The systems available and the commands on files; emits ``opened(Opened)``,
    ``saved()`` and ``said(str)``."""

    opened = Signal(object)  # Opened
    saved = Signal()
    said = Signal(str)

    def __init__(self, draft: Callable[[], SystemDraft], dirty: Callable[[], bool],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._draft = draft
        self._dirty = dirty
        self.entry: SystemEntry | None = None  # where the draft came from (None: new/imported)
        self.file_path: Path | None = None  # the file it is saved to
        self.read_only = False
        self.source_table: Path | None = None  # the workbook imported, never exported over
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(QLabel("可用的指标体系"))
        self.system_list = QListWidget()
        self.system_list.setObjectName("system_list")
        self.system_list.setWordWrap(True)
        self.system_list.itemActivated.connect(self._open_entry_item)
        self.system_list.itemClicked.connect(self._open_entry_item)
        layout.addWidget(self.system_list, 1)
        note = QLabel("内置体系只读：打开后点“另存为我的体系”得到可编辑的副本。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout.addWidget(note)

    @property
    def where(self) -> str:
        """Where the draft lives, for the window's title."""
        return ("内置（只读）" if self.read_only else
                f"文件 {self.file_path.name}" if self.file_path else "尚未保存")

    # ================================================================ systems list

    def refresh_systems(self) -> None:
        self.system_list.clear()
        for entry in shipped_systems() + user_systems():
            year = f" {entry.year}" if entry.year else ""
            kind = "内置" if entry.builtin else "我的"
            draft = ""
            if not entry.builtin:
                try:
                    draft = "（草稿，不能用于评分）" if read_system_path(entry.path)[1] else ""
                except SystemFileError:
                    draft = "（无法读取）"
            item = QListWidgetItem(f"[{kind}] {entry.name or '未命名'}{year}{draft}")
            item.setData(ENTRY_ROLE, entry)
            item.setToolTip(str(entry.path))
            if entry.builtin:
                item.setForeground(QBrush(QColor("#555")))
            self.system_list.addItem(item)
            if self.file_path is not None and entry.path == self.file_path:
                self.system_list.setCurrentItem(item)

    def _open_entry_item(self, item: QListWidgetItem) -> None:
        entry: SystemEntry = item.data(ENTRY_ROLE)
        if self.file_path == entry.path:
            return
        if not self.maybe_keep_changes():
            self.refresh_systems()
            return
        self.open_entry(entry)

    def open_entry(self, entry: SystemEntry) -> bool:
        try:
            draft = SystemDraft.from_path(entry.path)
        except SystemFileError as exc:
            messages.error(self, str(exc), title="无法打开指标体系")
            return False
        self.set_draft(draft, entry=entry, path=entry.path, read_only=entry.builtin)
        return True

    # ================================================================ whole-system commands

    def maybe_keep_changes(self) -> bool:
        """Unsaved changes: save, discard or cancel.  True when the caller may go on."""
        if not self._dirty() or self.read_only:
            return True
        choice = messages.Messages.ask(
            self, "未保存的修改", f"指标体系“{self._draft().data.get('name') or '未命名'}”有未保存的修改。",
            ["保存", "不保存", "取消"])
        if choice == 0:
            return self.save()
        return choice == 1

    def set_draft(self, draft: SystemDraft, *, entry: SystemEntry | None = None,
                  path: Path | None = None, read_only: bool = False, step: str = "",
                  notes: list[Problem] | None = None, source: Path | None = None) -> None:
        """Edit ``draft`` from now on, its undo history starting here.  With ``step`` (an
        import) it is a new system filled in that one step, which undo takes back;
        ``source`` is the workbook it was read from."""
        self.entry = entry
        self.file_path = path
        self.source_table = source
        self.read_only = read_only
        self.opened.emit(Opened(draft, step, list(notes or [])))
        self.refresh_systems()

    def new_system(self, ask: bool = True) -> None:
        if ask and not self.maybe_keep_changes():
            return
        draft = SystemDraft()
        self.set_draft(draft)

    def _ask_open(self, title: str, file_filter: str) -> str:
        """A file chosen in Qt's (Chinese) open dialog, starting in the last folder; '' if none."""
        chosen, _ = QFileDialog.getOpenFileName(self, title, self._last_dir(), file_filter)
        return chosen

    def open_file(self, path: str | Path | None = None) -> bool:
        if not self.maybe_keep_changes():
            return False
        path = path or self._ask_open("打开指标体系文件", SYSTEM_FILTER)
        if not path:
            return False
        p = Path(path)
        self._remember_dir(p)
        try:
            draft = SystemDraft.from_path(p)
        except SystemFileError as exc:
            messages.error(self, str(exc), title="无法打开指标体系文件")
            return False
        builtin = any(e.path == p for e in shipped_systems())
        self.set_draft(draft, path=p, read_only=builtin)
        return True

    def import_excel(self, path: str | Path | None = None) -> bool:
        from desktop.system_editor.table_import import run_import

        if not self.maybe_keep_changes():
            return False
        path = path or self._ask_open("从 Excel 导入指标表", EXCEL_FILTER)
        if not path:
            return False
        self._remember_dir(Path(path))
        result = run_import(self, Path(path))
        if result is None:
            return False
        draft, notes = result
        self.set_draft(draft, step="从 Excel 导入", notes=notes, source=Path(path))
        return True

    def import_clipboard(self, text: str | None = None) -> bool:
        """粘贴指标表: a table copied from the notice in Word, WPS or Excel."""
        from desktop.system_editor.table_import import run_paste

        if not self.maybe_keep_changes():
            return False
        if text is None:
            text = QApplication.clipboard().text()
        result = run_paste(self, text)
        if result is None:
            return False
        draft, notes = result
        self.set_draft(draft, step="粘贴指标表", notes=notes)
        return True

    def _write(self, path: Path, inputs: list[Path] | None = None) -> bool:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            from forms.files import write_atomic

            write_atomic(path, self._draft().file_bytes(), inputs or [])
        except (WriteFailed, OSError) as exc:
            messages.error(self, str(exc), title="保存失败")
            return False
        return True

    def save(self) -> bool:
        """Save where the system came from, or into the user's systems folder."""
        if self.read_only:
            messages.info(self, "内置指标体系不能修改。请点“另存为我的体系”得到可编辑的副本。")
            return False
        check = self._draft().check()
        if self.file_path is None:
            try:
                self.file_path = self._draft().save_user()
            except WriteFailed as exc:
                messages.error(self, str(exc), title="保存失败")
                return False
        elif not self._write(self.file_path):
            return False
        self.saved.emit()  # the window's undo stack: clean here
        self.refresh_systems()
        if not check.ok:
            self.said.emit(f"已保存为草稿：有 {len(check.problems)} 处问题，暂不能用于评分")
        else:
            self.said.emit(f"已保存 {self.file_path}")
        return True

    def save_copy(self) -> bool:
        """另存为我的体系: an editable copy in the user's folder (a new id, same name)."""
        copy = self._draft().copy()
        copy.data.pop("id", None)
        try:
            path = copy.save_user()
        except WriteFailed as exc:
            messages.error(self, str(exc), title="保存失败")
            return False
        entry = next((e for e in user_systems() if e.path == path), None)
        self.set_draft(copy, entry=entry, path=path, read_only=False)
        self.said.emit(f"已另存为我的体系（{path.name}），可以编辑了")
        return True

    def export_file(self, path: str | Path | None = None) -> bool:
        """导出为文件: share the system as a file (the format the program ships its systems in)."""
        if path is None:
            name = safe_file_stem(str(self._draft().data.get("name") or "指标体系"))
            chosen, _ = QFileDialog.getSaveFileName(
                self, "导出指标体系文件", str(Path(self._last_dir()) / f"{name}.json"), SYSTEM_FILTER)
            if not chosen:
                return False
            path = chosen
        p = Path(path)
        self._remember_dir(p)
        # never over the program's own systems or the table the draft came from
        if not self._write(p, [e.path for e in shipped_systems()] + self._sources()):
            return False
        self.said.emit(f"已导出 {p}")
        return True

    def export_table(self, path: str | Path | None = None) -> bool:
        """导出 Excel 指标表: the system as a notice-like table, to print or send round."""
        from exports.system_table import system_table_bytes

        check = self._draft().check()
        if path is None:
            name = safe_file_stem(str(self._draft().data.get("name") or "指标体系"))
            chosen, _ = QFileDialog.getSaveFileName(
                self, "导出 Excel 指标表", str(Path(self._last_dir()) / f"{name}.xlsx"),
                EXCEL_FILTER)
            if not chosen:
                return False
            path = chosen
        p = Path(path)
        self._remember_dir(p)
        try:
            from forms.files import write_atomic

            write_atomic(p, system_table_bytes(check.system), self._sources())
        except (WriteFailed, OSError) as exc:
            messages.error(self, str(exc), title="导出失败")
            return False
        note = "" if check.ok else f"（体系还有 {len(check.problems)} 处问题，表中按现状导出）"
        self.said.emit(f"已导出 {p}{note}")
        return True

    def _sources(self) -> list[Path]:
        return [self.source_table] if self.source_table is not None else []

    def delete_system(self) -> bool:
        if self.read_only or self.file_path is None:
            messages.info(self, "只能删除“我的”指标体系（内置体系和尚未保存的体系不能删除）。")
            return False
        from forms.paths import user_systems_dir

        if self.file_path.parent != user_systems_dir():
            messages.info(self, "这个体系来自文件夹外的文件，不在“我的指标体系”中，不能在这里删除。")
            return False
        name = self._draft().data.get("name") or self.file_path.name
        if not messages.confirm(self, f"删除指标体系“{name}”？\n已用它创建的评价不受影响"
                                f"（评价保存有自己的体系副本）。", yes="删除"):
            return False
        try:
            self.file_path.unlink()
        except OSError as exc:
            messages.error(self, f"无法删除 {self.file_path}：{os_reason(exc)}")
            return False
        self.file_path = None
        self.new_system(ask=False)
        return True

    def _last_dir(self) -> str:
        return str(_settings().value("system_editor/dir", str(Path.home())))

    def _remember_dir(self, path: Path) -> None:
        _settings().setValue("system_editor/dir", str(path.parent))
