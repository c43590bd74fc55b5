"""指标体系编辑器: the window where the clerk enters the year's indicator table.

Left, the systems available (shipped ones read-only, the user's own in the
user data folder); in the middle the tree of 一级/二级/三级 indicators with
分值, the sum of the children, the rule and a problem marker; right, the
selected node's details, its rule parameters and a 试算 preview.  Every edit
goes into a ``forms.system_edit.SystemDraft`` and re-runs ``build_system``: the
problems appear in place (tree marker, field, list below) and disappear when
fixed.  A system with problems may be saved as a draft but not used to score.

``open_system_editor(parent)`` opens the window (non-modal).  The window composes
parts, each a widget that owns its fields and state, reads the window's draft through a
getter and reports through signals: the systems list and file commands
(``files.FilesPane``), the header fields (``header.HeaderPane``), the tree and its
commands (``tree.TreePane``), the status line and problem list (``checks.ChecksPane``)
and the selected node's details (``detail.DetailPane``, with the rule parameter form
``rules``, built field by field in ``params``, and the 试算 preview ``preview``).  The
window holds the draft and its undo stack (``undo``) and, after each part's ``edited``,
records the step and shows the checks in every part.  Beside them: the Excel/clipboard
import ``table_import``; and ``update.offer_system_update(parent, evaluation)``, which
moves an evaluation to another version of its system.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (QApplication, QLabel, QLineEdit, QMainWindow, QPlainTextEdit,
                               QSplitter, QToolBar, QVBoxLayout, QWidget)

from desktop.common.screen import fit_to_screen
from desktop.system_editor.checks import ChecksPane
from desktop.system_editor.detail import DetailPane
from desktop.system_editor.files import FilesPane, Opened
from desktop.system_editor.header import HeaderPane
from desktop.system_editor.tree import TreePane
from desktop.system_editor.undo import FIELD_NAMES, DraftUndo, Edit
from forms.system import Problem
from forms.system_edit import NodePath, SystemDraft


class SystemEditor(QMainWindow):
    """The editor window; one system (draft) at a time."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("指标体系编辑器")
        fit_to_screen(self, 1340, 740)
        self.draft = SystemDraft()
        self.import_notes: list[Problem] = []
        # 撤销/重做: the window's stack, also the target of Ctrl+Z in any of its fields
        self.draft_undo = DraftUndo(self, self._restore)
        self.undo_stack = self.draft_undo.stack
        self.files = FilesPane(self._current, lambda: self.dirty)
        self.heading = HeaderPane(self._current)
        self.indicators = TreePane(self._current)
        self.checks = ChecksPane()
        self.detail = DetailPane(self._current)
        self._build()
        self.files.opened.connect(self._opened)
        self.files.saved.connect(self._saved)
        self.files.said.connect(lambda text: self.statusBar().showMessage(text, 8000))
        for part in (self.heading, self.indicators, self.detail):
            part.edited.connect(self._edited)
        self.indicators.selected.connect(self.detail.load)
        self.indicators.added.connect(self.detail.focus_name)
        self.detail.next_node.connect(self.indicators.add_sibling)
        self.checks.chosen.connect(self.indicators.select)
        self.files.refresh_systems()
        self.files.new_system(ask=False)

    def _current(self) -> SystemDraft:
        return self.draft

    # ================================================================ layout

    def _build(self) -> None:
        bar = QToolBar("指标体系")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(bar)
        self.action_for: dict[str, QAction] = {}
        files = self.files
        for key, text, shortcut, slot in (
            ("new", "新建", QKeySequence.StandardKey.New, lambda: files.new_system()),
            ("open", "打开文件…", QKeySequence.StandardKey.Open, lambda: files.open_file()),
            ("import", "从 Excel 导入…", None, lambda: files.import_excel()),
            ("paste", "粘贴指标表", None, lambda: files.import_clipboard()),
            ("save", "保存", QKeySequence.StandardKey.Save, lambda: files.save()),
            ("copy", "另存为我的体系", None, lambda: files.save_copy()),
            ("export", "导出为文件…", QKeySequence.StandardKey.SaveAs, lambda: files.export_file()),
            ("table", "导出 Excel 指标表…", None, lambda: files.export_table()),
            ("delete", "删除此体系", None, lambda: files.delete_system()),
            ("undo", "撤销", QKeySequence.StandardKey.Undo, lambda: self.undo_stack.undo()),
            ("redo", "重做", QKeySequence.StandardKey.Redo, lambda: self.undo_stack.redo()),
        ):
            action = QAction(text, self)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            bar.addAction(action)
            self.action_for[key] = action
        self.action_for["redo"].setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        stack = self.undo_stack
        for signal in (stack.canUndoChanged, stack.canRedoChanged):
            signal.connect(self._update_undo_actions)
        stack.undoTextChanged.connect(self._undo_tip)
        stack.redoTextChanged.connect(self._undo_tip)
        stack.cleanChanged.connect(self._update_title)
        self._update_undo_actions()

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.setCentralWidget(splitter)
        splitter.addWidget(self.files)  # left: the systems available
        # middle: banner, header, tree, problems
        mid = QWidget()
        ml = QVBoxLayout(mid)
        ml.setContentsMargins(4, 4, 4, 4)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        ml.addWidget(self.banner)
        ml.addWidget(self.heading)
        ml.addWidget(self.indicators, 3)
        ml.addWidget(self.checks)
        splitter.addWidget(mid)
        splitter.addWidget(self.detail)  # right: details of the selected node
        splitter.setSizes([170, 630, 540])
        self.splitter = splitter

    # ================================================================ a draft opened

    def _opened(self, opened: Opened) -> None:
        """Edit ``opened.draft`` from now on, its history starting here (or, for an import,
        at an empty system, the import being its one step)."""
        draft = opened.draft
        self.draft = draft
        first: NodePath | None = (0,) if draft.data["indicators"] else None
        if opened.step:
            self.draft_undo.start(SystemDraft().data)
            self.draft_undo.record(draft.data, opened.step, where=(None, first))
        else:
            self.draft_undo.start(draft.data)
        self.import_notes = opened.notes + [Problem("", m) for m in draft.dropped]
        self.heading.load()
        self.indicators.rebuild(select=first)
        self._apply_read_only()
        self.after_edit(record=False)

    def _saved(self) -> None:
        self.draft_undo.absorb(self.draft.data)  # the id a first save gives is no undo step
        self.undo_stack.setClean()
        self._update_title()

    def _apply_read_only(self) -> None:
        ro = self.files.read_only
        for part in (self.heading, self.indicators, self.detail):
            part.set_read_only(ro)
        self.action_for["save"].setEnabled(not ro)
        self.action_for["delete"].setEnabled(not ro and self.files.file_path is not None)
        self._update_undo_actions()

    # ================================================================ live checks

    @property
    def dirty(self) -> bool:
        """Unsaved changes: the undo stack is away from the step last saved."""
        return not self.undo_stack.isClean()

    def after_edit(self, *, record: bool = True, preview: bool = False, step: str = "",
                   before: NodePath | None = None) -> None:
        """Record the edit just made as an undo step (unless ``record`` is False), then
        re-run the checks and show them in place (tree, fields, list, status).

        ``step`` names an edit that is not typing (a node added, moved, a rule read), made
        while ``before`` was selected; without it the focused field names the step, and
        typing on in the same field of the same node merges into it."""
        path = self.indicators.path
        if record and not self.files.read_only:
            if step:
                self.draft_undo.record(self.draft.data, step, where=(before, path))
            else:
                self._record_typing()
        self.indicators.refresh()
        check = self.draft.check()
        self.heading.mark(check)
        self.detail.mark(check)
        self.checks.show_check(self.draft, self.import_notes)
        self._update_title()
        if preview:
            self.detail.refresh_preview()

    def _edited(self, edit: Edit) -> None:
        self.after_edit(preview=edit.preview, step=edit.step, before=edit.before)

    def _record_typing(self) -> None:
        """The edit just made in the focused field of the selected node, as an undo step."""
        focus = QApplication.focusWidget()
        field = focus.objectName() if focus is not None and focus.window() is self else ""
        typed = field if isinstance(focus, (QLineEdit, QPlainTextEdit)) else ""
        name = FIELD_NAMES.get(field)
        path = self.indicators.path
        self.draft_undo.record(self.draft.data, f"修改{name}" if name else "编辑",
                               key=(typed, path) if typed else None,
                               where=(path, path), field=typed)

    def _update_undo_actions(self, *_: object) -> None:
        ro = self.files.read_only
        self.action_for["undo"].setEnabled(self.undo_stack.canUndo() and not ro)
        self.action_for["redo"].setEnabled(self.undo_stack.canRedo() and not ro)

    def _undo_tip(self, *_: object) -> None:
        for key, what in (("undo", self.undo_stack.undoText()),
                          ("redo", self.undo_stack.redoText())):
            verb = self.action_for[key].text()
            self.action_for[key].setToolTip(f"{verb}：{what}" if what else verb)

    def _restore(self, data: dict[str, Any], select: NodePath | None, field: str,
                 said: str) -> None:
        """An undo or redo: show the draft as it was, the node changed selected and the
        field typed in focused again."""
        self.draft = SystemDraft(data)
        self.heading.load()
        valid = set(self.draft.walk())
        while select and select not in valid:
            select = select[:-1]
        self.indicators.rebuild(select=select or ((0,) if valid else None))
        self.after_edit(record=False)
        if field:
            typed = next((w for w in self.findChildren(QWidget, field)
                          if w.isVisible() and w.isEnabled()), None)
            if typed is not None:
                typed.setFocus()
        self.statusBar().showMessage(said, 8000)

    def _update_title(self, *_: object) -> None:
        name = self.draft.data.get("name") or "未命名指标体系"
        mark = " *" if self.dirty else ""
        self.setWindowTitle(f"指标体系编辑器 — {name}{mark}（{self.files.where}）")
        read_only = self.files.read_only
        if read_only:
            self.banner.setText("内置指标体系，只读。要按本地通知修改，请点工具栏“另存为我的体系”。")
            self.banner.setStyleSheet("background: #eef1f5; padding: 4px;")
        else:
            self.banner.setText("")
            self.banner.setStyleSheet("")
        self.banner.setVisible(read_only)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        if self.files.maybe_keep_changes():
            event.accept()
        else:
            event.ignore()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        """The main window closing: offer to save this system first (or stay open)."""
        if watched is self.parentWidget() and event.type() == QEvent.Type.Close \
                and self.isVisible() and not self.close():
            event.ignore()
            return True
        return super().eventFilter(watched, event)


_OPEN: list[SystemEditor] = []


def open_system_editor(parent: QWidget | None = None) -> SystemEditor:
    """Open (or raise) the editor window; it is not modal, the main window stays usable."""
    for editor in list(_OPEN):
        try:
            if editor.isVisible():
                editor.raise_()
                editor.activateWindow()
                return editor
        except RuntimeError:  # deleted with its parent
            pass
        _OPEN.remove(editor)
    editor = SystemEditor(parent)
    editor.setWindowFlag(Qt.WindowType.Window, True)
    if parent is not None:
        parent.installEventFilter(editor)  # unsaved edits are not lost with the main window
    editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    editor.destroyed.connect(lambda *_: _OPEN.remove(editor) if editor in _OPEN else None)
    _OPEN.append(editor)
    editor.show()
    editor.indicators.tree.setFocus()
    return editor
