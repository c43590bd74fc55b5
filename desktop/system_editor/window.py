"""指标体系编辑器: the window where the clerk enters the year's indicator table.

Left, the systems available (shipped ones read-only, the user's own in the
user data folder); in the middle the tree of 一级/二级/三级 indicators with
分值, the sum of the children, the rule and a problem marker; right, the
selected node's details, its rule parameters and a 试算 preview.  Every edit
goes into a ``forms.system_edit.SystemDraft`` and re-runs ``build_system``: the
problems appear in place (tree marker, field, list below) and disappear when
fixed.  A system with problems may be saved as a draft but not used to score.

``open_system_editor(parent)`` opens the window (non-modal).  Its parts are the
modules beside this one: the systems list and file commands ``files``, the tree and
its commands ``tree``, the detail pane ``detail``, the rule parameter form ``rules``
(built from the registry, field by field in ``params``), the 试算 preview ``preview``,
the Excel/clipboard import ``table_import``, the undo stack ``undo``; and
``update.offer_system_update(parent, evaluation)``, which moves an evaluation to
another version of its system.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QBrush, QCloseEvent, QColor, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QGroupBox,
                               QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QMainWindow, QPlainTextEdit, QPushButton,
                               QSplitter, QToolBar, QTreeWidget, QVBoxLayout, QWidget)

from desktop.common.screen import compact, fit_to_screen
from desktop.system_editor.detail import NodeDetailMixin
from desktop.system_editor.files import SystemFilesMixin
from desktop.system_editor.totals import TotalRules
from desktop.system_editor.tree import (COL_CHECK, COL_NAME, COL_RULE, COL_SUM, COL_WEIGHT,
                                        PATH_ROLE, RED, TREE_HEADERS, IndicatorTreeMixin)
from desktop.system_editor.undo import FIELD_NAMES, DraftUndo
from desktop.system_editor.widgets import RowTable, text_of
from forms.catalog import SystemEntry
from forms.system import Problem
from forms.system_edit import NodePath, SystemDraft, node_path_of
from forms.system_warnings import system_warnings


class SystemEditor(SystemFilesMixin, IndicatorTreeMixin, NodeDetailMixin, QMainWindow):
    """The editor window; one system (draft) at a time."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("指标体系编辑器")
        fit_to_screen(self, 1340, 740)
        self.draft = SystemDraft()
        self.entry: SystemEntry | None = None  # where the draft came from (None: new/imported)
        self.file_path: Path | None = None  # the file it is saved to
        self.read_only = False
        self.import_notes: list[Problem] = []
        self.path: NodePath | None = None  # selected node
        # 撤销/重做: the window's stack, also the target of Ctrl+Z in any of its fields
        self.draft_undo = DraftUndo(self, self._restore)
        self.undo_stack = self.draft_undo.stack
        self._build()
        self.refresh_systems()
        self.new_system(ask=False)

    # ================================================================ layout

    def _build(self) -> None:
        bar = QToolBar("指标体系")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(bar)
        self.action_for: dict[str, QAction] = {}
        for key, text, shortcut, slot in (
            ("new", "新建", QKeySequence.StandardKey.New, lambda: self.new_system()),
            ("open", "打开文件…", QKeySequence.StandardKey.Open, lambda: self.open_file()),
            ("import", "从 Excel 导入…", None, lambda: self.import_excel()),
            ("paste", "粘贴指标表", None, lambda: self.import_clipboard()),
            ("save", "保存", QKeySequence.StandardKey.Save, lambda: self.save()),
            ("copy", "另存为我的体系", None, lambda: self.save_copy()),
            ("export", "导出为文件…", QKeySequence.StandardKey.SaveAs, lambda: self.export_file()),
            ("table", "导出 Excel 指标表…", None, lambda: self.export_table()),
            ("delete", "删除此体系", None, lambda: self.delete_system()),
            ("undo", "撤销", QKeySequence.StandardKey.Undo, lambda: self.undo()),
            ("redo", "重做", QKeySequence.StandardKey.Redo, lambda: self.redo()),
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
        stack.cleanChanged.connect(self._clean_changed)
        self._update_undo_actions()

        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.setCentralWidget(splitter)

        # ---- left: the systems available
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.setContentsMargins(4, 4, 4, 4)
        ll.addWidget(QLabel("可用的指标体系"))
        self.system_list = QListWidget()
        self.system_list.setObjectName("system_list")
        self.system_list.setWordWrap(True)
        self.system_list.itemActivated.connect(self._open_entry_item)
        self.system_list.itemClicked.connect(self._open_entry_item)
        ll.addWidget(self.system_list, 1)
        note = QLabel("内置体系只读：打开后点“另存为我的体系”得到可编辑的副本。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        ll.addWidget(note)
        splitter.addWidget(left)

        # ---- middle: header, tree, problems
        mid = QWidget()
        ml = QVBoxLayout(mid)
        ml.setContentsMargins(4, 4, 4, 4)
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        ml.addWidget(self.banner)
        # the three header fields on one line, 等级划分 and 总分规则 side by side below it:
        # the middle pane then fits a 125 % laptop screen next to the other two
        header = QHBoxLayout()
        form = QHBoxLayout()
        self.sys_name = QLineEdit()
        self.sys_name.setObjectName("sys_name")
        self.sys_jurisdiction = QLineEdit()
        self.sys_jurisdiction.setObjectName("sys_jurisdiction")
        self.sys_year = QLineEdit()
        self.sys_year.setObjectName("sys_year")
        em = self.sys_name.fontMetrics().horizontalAdvance("国")  # a Chinese character's width
        self.sys_name.setMinimumWidth(em * 8)
        self.sys_jurisdiction.setMinimumWidth(em * 7)  # "广州市黄埔区" readable
        self.sys_year.setMinimumWidth(em * 3)  # "2024"
        self.sys_year.setMaximumWidth(em * 4)
        for text, field, stretch in (("体系名称：", self.sys_name, 3),
                                     ("适用地区：", self.sys_jurisdiction, 2),
                                     ("年度：", self.sys_year, 0)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addWidget(label)
            form.addWidget(field, stretch)
        self.sys_name.textEdited.connect(lambda t: self._header("name", t))
        self.sys_jurisdiction.textEdited.connect(lambda t: self._header("jurisdiction", t))
        self.sys_year.textEdited.connect(lambda t: self._header("year", t))
        ml.addLayout(form)
        self.grades = RowTable(("等级下限（分）", "等级"))
        self.grades.setObjectName("grades")
        self.grades.setMinimumHeight(60)
        self.grades.setMaximumHeight(118)
        self.grades.verticalHeader().setDefaultSectionSize(22)
        self.grades.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.grades.rows_changed.connect(self._grades)
        gbox = QGroupBox("等级划分")
        gbox.setMinimumWidth(150)
        gl = QVBoxLayout(gbox)
        gl.setContentsMargins(4, 2, 4, 2)
        gl.addWidget(self.grades)
        gl.addStretch(1)  # the table at the top when 总分规则 beside it is taller
        header.addWidget(gbox, 2)
        self.totals = TotalRules(lambda: self.draft)
        self.totals.edited.connect(self.after_edit)
        header.addWidget(self.totals, 2)
        ml.addLayout(header)

        self.tree = QTreeWidget()
        self.tree.setObjectName("tree")
        self.tree.setColumnCount(len(TREE_HEADERS))
        self.tree.setHeaderLabels(list(TREE_HEADERS))
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        head = self.tree.header()
        head.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col in (COL_WEIGHT, COL_SUM, COL_RULE, COL_CHECK):
            head.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.currentItemChanged.connect(self._selected)
        ml.addWidget(self.tree, 3)

        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, tip, slot in (
            ("add_top", "添加一级指标", "", self.add_top),
            ("add_child", "添加下级", "Ctrl+Shift+N", self.add_child),
            ("add_sibling", "添加同级", "Ctrl+N 之外的快捷键：Ctrl+Enter", self.add_sibling),
            ("delete_node", "删除", "Delete（先确认）", self.delete_node),
            ("add_level", "增加一级", "把所选指标放进一个同名的新组，下面多一级", self.add_level),
            ("remove_level", "减少一级", "取消所选的组，其下级指标上移一级", self.remove_level),
            ("up", "上移", "Ctrl+↑", lambda: self.move_node(-1)),
            ("down", "下移", "Ctrl+↓", lambda: self.move_node(1)),
        ):
            button = QPushButton(text)
            button.setObjectName(key)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            buttons.addWidget(compact(button))
            self.buttons[key] = button
        buttons.addStretch(1)
        ml.addLayout(buttons)
        for keys, slot in (("Ctrl+Shift+N", self.add_child), ("Ctrl+Return", self.add_sibling),
                           ("Ctrl+Up", lambda: self.move_node(-1)), ("Ctrl+Down", lambda: self.move_node(1))):
            act = QAction(self)
            act.setShortcut(QKeySequence(keys))
            act.triggered.connect(slot)
            self.addAction(act)
        delete = QAction(self)
        delete.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete_node)
        self.tree.addAction(delete)

        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        ml.addWidget(self.status)
        self.problem_list = QListWidget()
        self.problem_list.setObjectName("problems")
        self.problem_list.setMaximumHeight(120)
        self.problem_list.itemClicked.connect(self._problem_clicked)
        self.problem_list.itemActivated.connect(self._problem_clicked)
        ml.addWidget(self.problem_list)
        splitter.addWidget(mid)

        # ---- right: details of the selected node
        right = self.detail_pane = self._build_detail()
        splitter.addWidget(right)
        splitter.setSizes([170, 630, 540])
        self.splitter = splitter

    # ================================================================ header

    def _load_header(self) -> None:
        """Show the draft's header; its fields send only the clerk's edits, so none here."""
        data = self.draft.data
        self.sys_name.setText(str(data.get("name") or ""))
        self.sys_jurisdiction.setText(str(data.get("jurisdiction") or ""))
        self.sys_year.setText(text_of(data.get("year")))
        for field in (self.sys_name, self.sys_jurisdiction):
            field.setCursorPosition(0)  # show the start of a long name
        self.grades.set_rows([((">" if g.get("min_inclusive") is False else "") + text_of(g.get("min")),
                               str(g.get("grade") or ""))
                              for g in data.get("grades") or [] if isinstance(g, dict)])
        self.totals.load()

    def _header(self, key: str, value: str) -> None:
        if self.read_only:
            return
        self.draft.set_header(key, value)
        self.after_edit()

    def _grades(self, rows: list[tuple[str, str]]) -> None:
        if self.read_only:
            return
        self.draft.set_grades(rows)
        self.after_edit()

    def _apply_read_only(self) -> None:
        ro = self.read_only
        for widget in (self.sys_name, self.sys_jurisdiction, self.sys_year, self.f_name,
                       self.f_weight, self.f_id, self.f_unit, self.f_target, self.f_explain):
            widget.setReadOnly(ro)
        self.f_criteria.setReadOnly(ro)
        for widget in (self.f_custom, self.f_source, self.f_rule, self.grades,
                       self.suggest_button):
            widget.setEnabled(not ro)
        self.rule_editor.set_read_only(ro)
        self.totals.set_read_only(ro)
        for button in self.buttons.values():
            button.setEnabled(not ro)
        self.action_for["save"].setEnabled(not ro)
        self.action_for["delete"].setEnabled(not ro and self.file_path is not None)
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
        if record and not self.read_only:
            if step:
                self.draft_undo.record(self.draft.data, step, where=(before, self.path))
            else:
                self._record_typing()
        self.refresh_tree()
        self.mark_fields()
        self._fill_problem_list()
        self._update_status()
        if preview and self.path is not None and self.draft.is_leaf(self.path):
            self.preview.load(self.path)

    def _record_typing(self) -> None:
        """The edit just made in the focused field of the selected node, as an undo step."""
        focus = QApplication.focusWidget()
        field = focus.objectName() if focus is not None and focus.window() is self else ""
        typed = field if isinstance(focus, (QLineEdit, QPlainTextEdit)) else ""
        name = FIELD_NAMES.get(field)
        self.draft_undo.record(self.draft.data, f"修改{name}" if name else "编辑",
                               key=f"{typed}{self.path}" if typed else None,
                               where=(self.path, self.path), field=typed)

    def _update_undo_actions(self, *_: object) -> None:
        self.action_for["undo"].setEnabled(self.undo_stack.canUndo() and not self.read_only)
        self.action_for["redo"].setEnabled(self.undo_stack.canRedo() and not self.read_only)

    def _undo_tip(self, *_: object) -> None:
        for key, what in (("undo", self.undo_stack.undoText()),
                          ("redo", self.undo_stack.redoText())):
            verb = self.action_for[key].text()
            self.action_for[key].setToolTip(f"{verb}：{what}" if what else verb)

    def _clean_changed(self, *_: object) -> None:
        self._update_status()

    def _restore(self, data: dict[str, Any], select: NodePath | None, field: str,
                 said: str) -> None:
        """An undo or redo: show the draft as it was, the node changed selected and the
        field typed in focused again."""
        self.draft = SystemDraft(data)
        self._load_header()
        valid = set(self.draft.walk())
        while select and select not in valid:
            select = select[:-1]
        self.rebuild_tree(select=select or ((0,) if valid else None))
        self.after_edit(record=False)
        if field:
            typed = next((w for w in self.findChildren(QWidget, field)
                          if w.isVisible() and w.isEnabled()), None)
            if typed is not None:
                typed.setFocus()
        self.statusBar().showMessage(said, 8000)

    def undo(self) -> None:
        self.undo_stack.undo()

    def redo(self) -> None:
        self.undo_stack.redo()

    def _fill_problem_list(self) -> None:
        check = self.draft.check()
        self.problem_list.clear()
        for note in self.import_notes:
            item = QListWidgetItem(f"注意：{note.message}")
            item.setForeground(QBrush(QColor("#b7791f")))
            item.setData(PATH_ROLE, None)
            self.problem_list.addItem(item)
        for warning in system_warnings(check.system):  # usable, but worth a look
            item = QListWidgetItem(f"注意：{warning.message}")
            item.setForeground(QBrush(QColor("#b7791f")))
            item.setData(PATH_ROLE, node_path_of(warning.path))
            self.problem_list.addItem(item)
        for path in [()] + self.draft.walk():
            for p in check.at(path):
                item = QListWidgetItem(f"✗ {p.message}")
                item.setForeground(QBrush(RED))
                item.setData(PATH_ROLE, path)
                self.problem_list.addItem(item)
        # an empty list would only take the tree's rows away (the status line says 检查通过)
        self.problem_list.setVisible(self.problem_list.count() > 0)

    def _problem_clicked(self, item: QListWidgetItem) -> None:
        path = item.data(PATH_ROLE)
        if path:
            target = self.item_at(tuple(path))
            if target is not None:
                self.tree.setCurrentItem(target)
                self.tree.scrollToItem(target)

    def _update_status(self) -> None:
        check = self.draft.check()
        leaves = len(self.draft.leaves())
        where = ("内置（只读）" if self.read_only else
                 f"文件 {self.file_path.name}" if self.file_path else "尚未保存")
        if check.ok:
            text = f"✓ 检查通过：{len(self.draft.data['indicators'])} 个一级指标，{leaves} 个末级指标，" \
                   f"总分 100，可以用于评分。"
            self.status.setStyleSheet("color: #2e7d32; font-weight: bold;")
        else:
            text = f"草稿：有 {len(check.problems)} 处问题，暂不能用于评分（可以先保存）。" \
                   f"{leaves} 个末级指标。"
            self.status.setStyleSheet("color: #c0392b; font-weight: bold;")
        unconfirmed = sum(1 for p in self.draft.leaves() if self.draft.node(p).get("review"))
        if unconfirmed:
            text += f"　{unconfirmed} 个指标的评分规则读自评分标准，请核对后确认。"
        self.status.setText(text)
        name = self.draft.data.get("name") or "未命名指标体系"
        self.setWindowTitle(f"指标体系编辑器 — {name}{' *' if self.dirty else ''}（{where}）")
        if self.read_only:
            self.banner.setText("内置指标体系，只读。要按本地通知修改，请点工具栏“另存为我的体系”。")
            self.banner.setStyleSheet("background: #eef1f5; padding: 4px;")
        else:
            self.banner.setText("")
            self.banner.setStyleSheet("")
        self.banner.setVisible(self.read_only)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        if self.maybe_keep_changes():
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
    editor.tree.setFocus()
    return editor
