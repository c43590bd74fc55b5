"""指标体系编辑器: the window where the clerk enters the year's indicator table.

Left, the systems available (shipped ones read-only, the user's own in the
user data folder); in the middle the tree of 一级/二级/三级 indicators with
分值, the sum of the children, the rule and a problem marker; right, the
selected node's details, its rule parameters and a 试算 preview.  Every edit
goes into a ``forms.system_edit.SystemDraft`` and re-runs ``build_system``: the
problems appear in place (tree marker, field, list below) and disappear when
fixed.  A system with problems may be saved as a draft but not used to score.

``open_system_editor(parent)`` opens the window (non-modal);
``offer_system_update(parent, evaluation)`` lives in ``system_editor_update``
and is re-exported here.  The detail pane is ``system_editor_detail``, the rule
parameter editors ``system_editor_rules``, the 试算 preview
``system_editor_preview``, the Excel/clipboard import ``system_editor_import``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QBrush, QCloseEvent, QColor, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QApplication, QFileDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QListWidget, QListWidgetItem, QMainWindow, QPlainTextEdit,
                               QPushButton, QSplitter, QToolBar, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from desktop import messages
from desktop.system_editor_detail import NodeDetailMixin
from desktop.system_editor_rules import RowTable, rule_label, text_of
from desktop.system_editor_totals import TotalRules
from forms.catalog import (SystemEntry, SystemFileError, read_system_path, shipped_systems,
                           user_systems)
from forms.files import WriteFailed, os_reason
from forms.model import Evaluation
from forms.numbers import NumberError, fmt_weight, parse_number
from forms.system import Problem
from forms.system_warnings import system_warnings
from forms.system_edit import (LEVEL_NAMES, DraftHistory, NodePath, SystemDraft,
                               node_path_of, safe_file_stem)

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 2
COL_NAME, COL_WEIGHT, COL_SUM, COL_RULE, COL_CHECK = range(5)
TREE_HEADERS = ("指标", "分值", "下级合计", "评分规则", "检查")
SYSTEM_FILTER = "指标体系文件 (*.json);;所有文件 (*)"
EXCEL_FILTER = "Excel 工作簿 (*.xlsx);;所有文件 (*)"
RED = QColor("#c0392b")
GREEN = QColor("#2e7d32")
AMBER = QColor("#b35c00")


def _settings() -> QSettings:
    from forms.paths import user_data_dir

    return QSettings(str(user_data_dir() / "settings.ini"), QSettings.Format.IniFormat)


class SystemEditor(NodeDetailMixin, QMainWindow):
    """The editor window; one system (draft) at a time."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("指标体系编辑器")
        self.resize(1340, 740)
        self.draft = SystemDraft()
        self.entry: SystemEntry | None = None  # where the draft came from (None: new/imported)
        self.file_path: Path | None = None  # the file it is saved to
        self.read_only = False
        self.dirty = False
        self.import_notes: list[Problem] = []
        self.path: NodePath | None = None  # selected node
        self._loading = False
        self._build()
        self.refresh_systems()
        self.new_system(ask=False)

    # ================================================================ layout

    def _build(self) -> None:
        bar = QToolBar("指标体系")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(bar)
        self.actions: dict[str, QAction] = {}
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
            self.actions[key] = action

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
        header = QHBoxLayout()
        form = QFormLayout()
        self.sys_name = QLineEdit()
        self.sys_name.setObjectName("sys_name")
        self.sys_jurisdiction = QLineEdit()
        self.sys_jurisdiction.setObjectName("sys_jurisdiction")
        self.sys_year = QLineEdit()
        self.sys_year.setObjectName("sys_year")
        self.sys_year.setMaximumWidth(70)
        row = QHBoxLayout()
        row.addWidget(self.sys_jurisdiction, 1)
        row.addWidget(QLabel("年度："))
        row.addWidget(self.sys_year)
        form.addRow("体系名称：", self.sys_name)
        form.addRow("适用地区：", row)
        self.sys_name.textEdited.connect(lambda t: self._header("name", t))
        self.sys_jurisdiction.textEdited.connect(lambda t: self._header("jurisdiction", t))
        self.sys_year.textEdited.connect(lambda t: self._header("year", t))
        header.addLayout(form, 3)
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
            buttons.addWidget(button)
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
        ml.addWidget(self.problem_list, 1)
        splitter.addWidget(mid)

        # ---- right: details of the selected node
        right = self._build_detail()
        splitter.addWidget(right)
        splitter.setSizes([170, 630, 540])
        self.splitter = splitter

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
        if not self.dirty or self.read_only:
            return True
        choice = messages.Messages.ask(
            self, "未保存的修改", f"指标体系“{self.draft.data.get('name') or '未命名'}”有未保存的修改。",
            ["保存", "不保存", "取消"])
        if choice == 0:
            return self.save()
        return choice == 1

    def set_draft(self, draft: SystemDraft, *, entry: SystemEntry | None = None,
                  path: Path | None = None, read_only: bool = False, dirty: bool = False,
                  notes: list[Problem] | None = None) -> None:
        self.draft = draft
        self.history = DraftHistory(draft.data)
        self.entry = entry
        self.file_path = path
        self.read_only = read_only
        self.dirty = dirty
        self.import_notes = list(notes or []) + [Problem("", m) for m in draft.dropped]
        self._load_header()
        self.rebuild_tree(select=(0,) if draft.data["indicators"] else None)
        self._apply_read_only()
        self.after_edit(mark_dirty=False)
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
        from desktop.system_editor_import import run_import

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
        self.set_draft(draft, dirty=True, notes=notes)
        return True

    def import_clipboard(self, text: str | None = None) -> bool:
        """粘贴指标表: a table copied from the notice in Word, WPS or Excel."""
        from desktop.system_editor_import import run_paste

        if not self.maybe_keep_changes():
            return False
        if text is None:
            text = QApplication.clipboard().text()
        result = run_paste(self, text)
        if result is None:
            return False
        draft, notes = result
        self.set_draft(draft, dirty=True, notes=notes)
        return True

    def _write(self, path: Path) -> bool:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            from forms.files import write_atomic

            write_atomic(path, self.draft.file_bytes())
        except (WriteFailed, OSError) as exc:
            messages.error(self, str(exc), title="保存失败")
            return False
        return True

    def save(self) -> bool:
        """Save where the system came from, or into the user's systems folder."""
        if self.read_only:
            messages.info(self, "内置指标体系不能修改。请点“另存为我的体系”得到可编辑的副本。")
            return False
        check = self.draft.check()
        if self.file_path is None:
            try:
                self.file_path = self.draft.save_user()
            except WriteFailed as exc:
                messages.error(self, str(exc), title="保存失败")
                return False
        elif not self._write(self.file_path):
            return False
        self.dirty = False
        self.refresh_systems()
        self._update_status()
        if not check.ok:
            self.statusBar().showMessage(
                f"已保存为草稿：有 {len(check.problems)} 处问题，暂不能用于评分", 8000)
        else:
            self.statusBar().showMessage(f"已保存 {self.file_path}", 8000)
        return True

    def save_copy(self) -> bool:
        """另存为我的体系: an editable copy in the user's folder (a new id, same name)."""
        copy = self.draft.copy()
        copy.data.pop("id", None)
        try:
            path = copy.save_user()
        except WriteFailed as exc:
            messages.error(self, str(exc), title="保存失败")
            return False
        entry = next((e for e in user_systems() if e.path == path), None)
        self.set_draft(copy, entry=entry, path=path, read_only=False)
        self.statusBar().showMessage(f"已另存为我的体系（{path.name}），可以编辑了", 8000)
        return True

    def export_file(self, path: str | Path | None = None) -> bool:
        """导出为文件: share the system as a file (the format the program ships its systems in)."""
        if path is None:
            name = safe_file_stem(str(self.draft.data.get("name") or "指标体系"))
            chosen, _ = QFileDialog.getSaveFileName(
                self, "导出指标体系文件", str(Path(self._last_dir()) / f"{name}.json"), SYSTEM_FILTER)
            if not chosen:
                return False
            path = chosen
        p = Path(path)
        self._remember_dir(p)
        if not self._write(p):
            return False
        self.statusBar().showMessage(f"已导出 {p}", 8000)
        return True

    def export_table(self, path: str | Path | None = None) -> bool:
        """导出 Excel 指标表: the system as a notice-like table, to print or send round."""
        from exports.system_table import system_table_bytes

        check = self.draft.check()
        if path is None:
            name = safe_file_stem(str(self.draft.data.get("name") or "指标体系"))
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

            write_atomic(p, system_table_bytes(check.system))
        except (WriteFailed, OSError) as exc:
            messages.error(self, str(exc), title="导出失败")
            return False
        note = "" if check.ok else f"（体系还有 {len(check.problems)} 处问题，表中按现状导出）"
        self.statusBar().showMessage(f"已导出 {p}{note}", 8000)
        return True

    def delete_system(self) -> bool:
        if self.read_only or self.file_path is None:
            messages.info(self, "只能删除“我的”指标体系（内置体系和尚未保存的体系不能删除）。")
            return False
        from forms.paths import user_systems_dir

        if self.file_path.parent != user_systems_dir():
            messages.info(self, "这个体系来自文件夹外的文件，不在“我的指标体系”中，不能在这里删除。")
            return False
        name = self.draft.data.get("name") or self.file_path.name
        if not messages.confirm(self, f"删除指标体系“{name}”？\n已用它创建的评价不受影响"
                                f"（评价保存有自己的体系副本）。", yes="删除"):
            return False
        try:
            self.file_path.unlink()
        except OSError as exc:
            messages.error(self, f"无法删除 {self.file_path}：{os_reason(exc)}")
            return False
        self.dirty = False
        self.file_path = None
        self.new_system(ask=False)
        return True

    def _last_dir(self) -> str:
        return str(_settings().value("system_editor/dir", str(Path.home())))

    def _remember_dir(self, path: Path) -> None:
        _settings().setValue("system_editor/dir", str(path.parent))

    # ================================================================ header

    def _load_header(self) -> None:
        self._loading = True
        try:
            data = self.draft.data
            self.sys_name.setText(str(data.get("name") or ""))
            self.sys_jurisdiction.setText(str(data.get("jurisdiction") or ""))
            self.sys_year.setText(text_of(data.get("year")))
            for field in (self.sys_name, self.sys_jurisdiction):
                field.setCursorPosition(0)  # show the start of a long name
            self.grades.set_rows([(text_of(g.get("min")), str(g.get("grade") or ""))
                                  for g in data.get("grades") or [] if isinstance(g, dict)])
            self.totals.load()
        finally:
            self._loading = False

    def _header(self, key: str, value: str) -> None:
        if self._loading or self.read_only:
            return
        self.draft.set_header(key, value)
        self.after_edit()

    def _grades(self, rows: list[tuple[str, str]]) -> None:
        if self._loading or self.read_only:
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
        self.actions["save"].setEnabled(not ro)
        self.actions["delete"].setEnabled(not ro and self.file_path is not None)

    # ================================================================ tree

    def rebuild_tree(self, select: NodePath | None = None) -> None:
        self._loading = True
        try:
            self.tree.clear()
            items: dict[NodePath, QTreeWidgetItem] = {}
            for path in self.draft.walk():
                parent = items.get(path[:-1])
                item = QTreeWidgetItem(parent) if parent is not None else QTreeWidgetItem(self.tree)
                item.setData(COL_NAME, PATH_ROLE, path)
                items[path] = item
            self.tree.expandAll()
        finally:
            self._loading = False
        self.refresh_tree()
        target = items.get(select) if select is not None else None
        if target is not None:
            self.tree.setCurrentItem(target)
        else:
            self.path = None
            self.load_detail()

    def _items(self) -> list[QTreeWidgetItem]:
        out = []
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            out.append(item)
            stack[0:0] = [item.child(i) for i in range(item.childCount())]
        return out

    def item_at(self, path: NodePath) -> QTreeWidgetItem | None:
        return next((i for i in self._items() if i.data(COL_NAME, PATH_ROLE) == path), None)

    def refresh_tree(self) -> None:
        """Texts, sums and problem markers of every row (after any edit)."""
        check = self.draft.check()
        for item in self._items():
            path: NodePath = item.data(COL_NAME, PATH_ROLE)
            node = self.draft.node(path)
            name = str(node.get("name") or "")
            item.setText(COL_NAME, name or f"（未命名{LEVEL_NAMES[len(path)]}）")
            item.setForeground(COL_NAME, QBrush(QColor("#888" if not name else "#000")))
            weight = node.get("weight")
            share = node.get("share")  # imported as a percent of its parent: show both
            item.setText(COL_WEIGHT, text_of(weight) + (f"（{text_of(share)}%）"
                                                         if share is not None else ""))
            item.setTextAlignment(COL_WEIGHT, Qt.AlignmentFlag.AlignRight)
            if not self.draft.is_leaf(path):
                total = self.draft.children_sum(path)
                item.setText(COL_SUM, fmt_weight(total) if total is not None else "?")
                item.setTextAlignment(COL_SUM, Qt.AlignmentFlag.AlignRight)
                try:
                    same = total is not None and parse_number(weight) == total
                except NumberError:
                    same = False
                item.setForeground(COL_SUM, QBrush(GREEN if same else RED))
                item.setText(COL_RULE, "部门自定义" if node.get("custom") else "")
            else:
                rule = node.get("rule") if isinstance(node.get("rule"), dict) else {}
                item.setText(COL_RULE, rule_label(rule.get("type")))
            own = check.at(path)
            below = check.below(path)
            if own:
                item.setText(COL_CHECK, f"✗ {len(own)}")
                item.setForeground(COL_CHECK, QBrush(RED))
                item.setToolTip(COL_CHECK, "\n".join(p.message for p in own))
                item.setToolTip(COL_NAME, "\n".join([name] + [p.message for p in own]))
            elif below:
                item.setText(COL_CHECK, f"下级 {below} 处")
                item.setForeground(COL_CHECK, QBrush(RED))
                item.setToolTip(COL_CHECK, "下级指标有问题")
                item.setToolTip(COL_NAME, name)
            elif node.get("review"):  # a rule read from the criteria, not yet confirmed
                item.setText(COL_CHECK, "请核对")
                item.setForeground(COL_CHECK, QBrush(AMBER))
                item.setToolTip(COL_CHECK, str(node["review"]))
                item.setToolTip(COL_NAME, name)
            else:
                item.setText(COL_CHECK, "✓")
                item.setForeground(COL_CHECK, QBrush(GREEN))
                item.setToolTip(COL_CHECK, "")
                item.setToolTip(COL_NAME, "\n".join(t for t in (name, str(node.get("criteria")
                                                                       or "")) if t))

    def _selected(self, current: QTreeWidgetItem | None, _previous: Any = None) -> None:
        if self._loading:
            return
        self.path = current.data(COL_NAME, PATH_ROLE) if current is not None else None
        self.load_detail()

    def _structure_changed(self, select: NodePath | None) -> None:
        self.rebuild_tree(select)
        self.after_edit()

    def add_top(self) -> None:
        if not self.read_only:
            self._structure_changed(self.draft.add_child(()))
            self.f_name.setFocus()

    def add_child(self) -> None:
        if self.read_only:
            return
        if self.path is None:
            self.add_top()
            return
        if self.draft.is_leaf(self.path):
            self.add_sibling()
            return
        self._structure_changed(self.draft.add_child(self.path))
        self.f_name.setFocus()

    def add_level(self) -> None:
        self._change_level(self.draft.add_level)

    def remove_level(self) -> None:
        self._change_level(self.draft.remove_level)

    def _change_level(self, operation: Callable[[NodePath], NodePath]) -> None:
        if self.read_only or self.path is None:
            return
        try:
            select = operation(self.path)
        except ValueError as exc:
            messages.warning(self, str(exc))
            return
        self._structure_changed(select)

    def add_sibling(self) -> None:
        if self.read_only:
            return
        if self.path is None:
            self.add_top()
            return
        self._structure_changed(self.draft.add_sibling(self.path))
        self.f_name.setFocus()

    def delete_node(self) -> None:
        if self.read_only or self.path is None:
            return
        node = self.draft.node(self.path)
        name = node.get("name") or "未命名指标"
        leaves = sum(1 for p in self.draft.leaves() if p[:len(self.path)] == self.path)
        what = f"{LEVEL_NAMES[len(self.path)]}“{name}”"
        if not self.draft.is_leaf(self.path):
            what += f"及其下的 {leaves} 个末级指标"
        if not messages.confirm(self, f"删除{what}？", yes="删除"):
            return
        path = self.path
        self.draft.remove(path)
        siblings = self.draft.children(path[:-1])
        if siblings:
            select: NodePath | None = path[:-1] + (min(path[-1], len(siblings) - 1),)
        else:
            select = path[:-1] or None
        self._structure_changed(select)

    def move_node(self, delta: int) -> None:
        if self.read_only or self.path is None:
            return
        new = self.draft.move(self.path, delta)
        if new != self.path:
            self._structure_changed(new)

    # ================================================================ live checks

    def after_edit(self, *, mark_dirty: bool = True, preview: bool = False) -> None:
        """Re-run the checks and show them in place (tree, fields, list, status)."""
        if mark_dirty and not self.read_only:
            self.dirty = True
            self.history.record(self.draft.data, self._edit_key())
        self._update_undo_actions()
        self.refresh_tree()
        self.mark_fields()
        self._fill_problem_list()
        self._update_status()
        if preview and self.path is not None and self.draft.is_leaf(self.path):
            self.preview.load(self.path)

    def _edit_key(self) -> str | None:
        """Typing in one text field merges into one undo step; anything else is its own."""
        focus = QApplication.focusWidget()
        if isinstance(focus, (QLineEdit, QPlainTextEdit)) and focus.objectName():
            return f"{focus.objectName()}{self.path}"
        return None

    def _update_undo_actions(self) -> None:
        if hasattr(self, "history"):
            self.actions["undo"].setEnabled(self.history.can_undo and not self.read_only)
            self.actions["redo"].setEnabled(self.history.can_redo and not self.read_only)

    def _restore(self, data: dict[str, Any] | None) -> None:
        if data is None or self.read_only:
            return
        keep = self.path
        self.draft = SystemDraft(data)
        self.dirty = True
        self._load_header()
        valid = set(self.draft.walk())
        while keep and keep not in valid:
            keep = keep[:-1]
        self.rebuild_tree(select=keep or ((0,) if valid else None))
        self.after_edit(mark_dirty=False)

    def undo(self) -> None:
        self._restore(self.history.undo())

    def redo(self) -> None:
        self._restore(self.history.redo())

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


def offer_system_update(parent: QWidget | None, evaluation: Evaluation) -> Evaluation | None:
    """Offer to update an evaluation to another version of its system (see the dialog)."""
    from desktop.system_editor_update import offer_system_update as offer

    return offer(parent, evaluation)
