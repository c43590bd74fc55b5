"""The system editor's tree of indicators: its rows, their sums and problem marks,
and the commands that change the tree's shape (add, delete, move, 增加一级/减少一级).

``TreePane`` owns the tree, the buttons under it and their shortcuts, and the node
selected (``path``).  It changes the draft it is given (``draft``, the window's current
one) and says so through signals: ``selected`` when another node is selected,
``edited`` (an ``Edit`` naming the step) after the tree's shape changed, and ``added``
after a new node, whose name the clerk types next.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QAction, QBrush, QColor, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QPushButton,
                               QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget)

from desktop.common import messages
from desktop.common.screen import compact
from desktop.system_editor.undo import Edit
from desktop.system_editor.widgets import object_of, rule_label, text_of
from forms.numbers import NumberError, fmt_weight, parse_number
from forms.system_edit import LEVEL_NAMES, NodePath, SystemDraft

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
COL_NAME, COL_WEIGHT, COL_SUM, COL_RULE, COL_CHECK = range(5)
TREE_HEADERS = ("指标", "分值", "下级合计", "评分规则", "检查")
RED = QColor("#c0392b")
GREEN = QColor("#2e7d32")
AMBER = QColor("#b35c00")


class TreePane(QWidget):
    """The middle tree and its buttons; emits ``selected(NodePath | None)``,
    ``edited(Edit)`` and ``added()``."""

    selected = Signal(object)
    edited = Signal(object)  # Edit
    added = Signal()

    def __init__(self, draft: Callable[[], SystemDraft], parent: QWidget | None = None):
        super().__init__(parent)
        self._draft = draft
        self._read_only = False
        self.path: NodePath | None = None  # the node selected
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
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
        layout.addWidget(self.tree, 1)

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
        layout.addLayout(buttons)
        # the shortcuts act anywhere in the window (their context is the window's)
        for keys, slot in (("Ctrl+Shift+N", self.add_child), ("Ctrl+Return", self.add_sibling),
                           ("Ctrl+Up", lambda: self.move_node(-1)),
                           ("Ctrl+Down", lambda: self.move_node(1))):
            act = QAction(self)
            act.setShortcut(QKeySequence(keys))
            act.triggered.connect(slot)
            self.addAction(act)
        delete = QAction(self)
        delete.setShortcut(QKeySequence(Qt.Key.Key_Delete))
        delete.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        delete.triggered.connect(self.delete_node)
        self.tree.addAction(delete)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for button in self.buttons.values():
            button.setEnabled(not read_only)

    def select(self, path: NodePath) -> None:
        """Select the node at ``path`` (a problem clicked) and scroll it into view."""
        target = self.item_at(path)
        if target is not None:
            self.tree.setCurrentItem(target)
            self.tree.scrollToItem(target)

    # ================================================================ tree

    def rebuild(self, select: NodePath | None = None) -> None:
        """The rows anew (the draft replaced, or its shape changed), ``select`` selected."""
        # the rows going and coming are no selection: only ``select`` below is
        with QSignalBlocker(self.tree):
            self.tree.clear()
            items: dict[NodePath, QTreeWidgetItem] = {}
            for path in self._draft().walk():
                parent = items.get(path[:-1])
                item = QTreeWidgetItem(parent) if parent is not None else QTreeWidgetItem(self.tree)
                item.setData(COL_NAME, PATH_ROLE, path)
                items[path] = item
            self.tree.expandAll()
        self.refresh()
        target = items.get(select) if select is not None else None
        if target is not None:
            self.tree.setCurrentItem(target)
        else:
            self.path = None
            self.selected.emit(None)

    def _items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            if item is None:
                continue
            out.append(item)
            stack[0:0] = [item.child(i) for i in range(item.childCount())]
        return out

    def item_at(self, path: NodePath) -> QTreeWidgetItem | None:
        return next((i for i in self._items() if i.data(COL_NAME, PATH_ROLE) == path), None)

    def refresh(self) -> None:
        """Texts, sums and problem markers of every row (after any edit)."""
        check = self._draft().check()
        for item in self._items():
            path: NodePath = item.data(COL_NAME, PATH_ROLE)
            node = self._draft().node(path)
            name = str(node.get("name") or "")
            item.setText(COL_NAME, name or f"（未命名{LEVEL_NAMES[len(path)]}）")
            item.setForeground(COL_NAME, QBrush(QColor("#888" if not name else "#000")))
            weight = node.get("weight")
            share = node.get("share")  # imported as a percent of its parent: show both
            item.setText(COL_WEIGHT, text_of(weight) + (f"（{text_of(share)}%）"
                                                         if share is not None else ""))
            item.setTextAlignment(COL_WEIGHT, Qt.AlignmentFlag.AlignRight)
            if not self._draft().is_leaf(path):
                total = self._draft().children_sum(path)
                item.setText(COL_SUM, fmt_weight(total) if total is not None else "?")
                item.setTextAlignment(COL_SUM, Qt.AlignmentFlag.AlignRight)
                try:
                    same = total is not None and parse_number(weight) == total
                except NumberError:
                    same = False
                item.setForeground(COL_SUM, QBrush(GREEN if same else RED))
                item.setText(COL_RULE, "部门自定义" if node.get("custom") else "")
            else:
                item.setText(COL_RULE, rule_label(object_of(node.get("rule")).get("type")))
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

    def _selected(self, current: QTreeWidgetItem | None,
                  _previous: QTreeWidgetItem | None = None) -> None:
        self.path = current.data(COL_NAME, PATH_ROLE) if current is not None else None
        self.selected.emit(self.path)

    def _structure_changed(self, select: NodePath | None, step: str) -> None:
        """The tree's shape changed (``step`` says how): ``select`` is the node to show;
        the one selected until now is where undo goes back to."""
        before = self.path
        self.rebuild(select)
        self.edited.emit(Edit(step=step, before=before))

    def add_top(self) -> None:
        if not self._read_only:
            self._structure_changed(self._draft().add_child(()), "添加一级指标")
            self.added.emit()

    def add_child(self) -> None:
        if self._read_only:
            return
        if self.path is None:
            self.add_top()
            return
        if self._draft().is_leaf(self.path):
            self.add_sibling()
            return
        self._structure_changed(self._draft().add_child(self.path), "添加下级指标")
        self.added.emit()

    def add_level(self) -> None:
        self._change_level(self._draft().add_level, "增加一级")

    def remove_level(self) -> None:
        self._change_level(self._draft().remove_level, "减少一级")

    def _change_level(self, operation: Callable[[NodePath], NodePath], step: str) -> None:
        if self._read_only or self.path is None:
            return
        try:
            select = operation(self.path)
        except ValueError as exc:
            messages.warning(self, str(exc))
            return
        self._structure_changed(select, step)

    def add_sibling(self) -> None:
        if self._read_only:
            return
        if self.path is None:
            self.add_top()
            return
        self._structure_changed(self._draft().add_sibling(self.path), "添加同级指标")
        self.added.emit()

    def delete_node(self) -> None:
        if self._read_only or self.path is None:
            return
        node = self._draft().node(self.path)
        name = node.get("name") or "未命名指标"
        leaves = sum(1 for p in self._draft().leaves() if p[:len(self.path)] == self.path)
        what = f"{LEVEL_NAMES[len(self.path)]}“{name}”"
        if not self._draft().is_leaf(self.path):
            what += f"及其下的 {leaves} 个末级指标"
        if not messages.confirm(self, f"删除{what}？", yes="删除"):
            return
        path = self.path
        self._draft().remove(path)
        siblings = self._draft().children(path[:-1])
        if siblings:
            select: NodePath | None = path[:-1] + (min(path[-1], len(siblings) - 1),)
        else:
            select = path[:-1] or None
        self._structure_changed(select, f"删除{LEVEL_NAMES[len(path)]}")

    def move_node(self, delta: int) -> None:
        if self._read_only or self.path is None:
            return
        new = self._draft().move(self.path, delta)
        if new != self.path:
            self._structure_changed(new, "上移" if delta < 0 else "下移")
