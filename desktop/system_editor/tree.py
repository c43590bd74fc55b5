"""The system editor's tree of indicators: its rows, their sums and problem marks,
and the commands that change the tree's shape (add, delete, move, 增加一级/减少一级).

``IndicatorTreeMixin`` is mixed into ``SystemEditor`` (it uses the window's ``draft``,
``path``, ``read_only``, ``tree``, ``f_name`` and ``after_edit``/``load_detail``).
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLineEdit, QTreeWidget, QTreeWidgetItem

from desktop.common import messages
from desktop.system_editor.widgets import rule_label, text_of
from forms.numbers import NumberError, fmt_weight, parse_number
from forms.system_edit import LEVEL_NAMES, NodePath, SystemDraft

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
COL_NAME, COL_WEIGHT, COL_SUM, COL_RULE, COL_CHECK = range(5)
TREE_HEADERS = ("指标", "分值", "下级合计", "评分规则", "检查")
RED = QColor("#c0392b")
GREEN = QColor("#2e7d32")
AMBER = QColor("#b35c00")


class IndicatorTreeMixin:
    """The middle tree; the window provides the rest."""

    # provided by the window
    draft: SystemDraft
    path: NodePath | None
    read_only: bool
    tree: QTreeWidget
    f_name: QLineEdit
    after_edit: Callable[..., None]
    load_detail: Callable[[], None]

    # ================================================================ tree

    def rebuild_tree(self, select: NodePath | None = None) -> None:
        # the rows going and coming are no selection: only ``select`` below is
        with QSignalBlocker(self.tree):
            self.tree.clear()
            items: dict[NodePath, QTreeWidgetItem] = {}
            for path in self.draft.walk():
                parent = items.get(path[:-1])
                item = QTreeWidgetItem(parent) if parent is not None else QTreeWidgetItem(self.tree)
                item.setData(COL_NAME, PATH_ROLE, path)
                items[path] = item
            self.tree.expandAll()
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
        self.path = current.data(COL_NAME, PATH_ROLE) if current is not None else None
        self.load_detail()

    def _structure_changed(self, select: NodePath | None, step: str) -> None:
        """The tree's shape changed (``step`` says how): ``select`` is the node to show;
        the one selected until now is where undo goes back to."""
        before = self.path
        self.rebuild_tree(select)
        self.after_edit(step=step, before=before)

    def add_top(self) -> None:
        if not self.read_only:
            self._structure_changed(self.draft.add_child(()), "添加一级指标")
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
        self._structure_changed(self.draft.add_child(self.path), "添加下级指标")
        self.f_name.setFocus()

    def add_level(self) -> None:
        self._change_level(self.draft.add_level, "增加一级")

    def remove_level(self) -> None:
        self._change_level(self.draft.remove_level, "减少一级")

    def _change_level(self, operation: Callable[[NodePath], NodePath], step: str) -> None:
        if self.read_only or self.path is None:
            return
        try:
            select = operation(self.path)
        except ValueError as exc:
            messages.warning(self, str(exc))
            return
        self._structure_changed(select, step)

    def add_sibling(self) -> None:
        if self.read_only:
            return
        if self.path is None:
            self.add_top()
            return
        self._structure_changed(self.draft.add_sibling(self.path), "添加同级指标")
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
        self._structure_changed(select, f"删除{LEVEL_NAMES[len(path)]}")

    def move_node(self, delta: int) -> None:
        if self.read_only or self.path is None:
            return
        new = self.draft.move(self.path, delta)
        if new != self.path:
            self._structure_changed(new, "上移" if delta < 0 else "下移")
