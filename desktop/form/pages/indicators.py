"""绩效指标评分: the indicator tree and, below it, the editor of the selected row.

The tree is a view of ``IndicatorTreeModel`` (``desktop.form.indicator_tree``): the
page hands it each snapshot, and the model repaints only the cells that
changed, or resets when the system itself changed (a custom block edited, undo
of such an edit, another evaluation).  Typing in the row goes through
``desktop.form.indicator_inline``; below the tree, ``LeafPanel``
(``desktop.form.leaf_panel``) shows the selected leaf in full.  The page holds the
edits: each is one ``document.apply`` of one field.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from forms import custom_block
from forms.address import Address, LeafField, NodeAddress
from forms.leaf_entry import NUMBER_FIELDS, read_entry
from forms.value_fields import VALUE_FIELDS
from forms.model import Evaluation, LeafValue
from forms.numbers import fmt2, fmt_weight
from forms.scoring import ScoreResult
from forms.system import Group, Leaf
from forms.validation import ERROR

from desktop.form.document import Document
from desktop.form.indicator_inline import InlineDelegate
from desktop.form.indicator_tree import IndicatorTreeModel
from desktop.form.indicator_view import IndicatorTree
from desktop.form.leaf_panel import LeafPanel
from desktop.common.messages import confirm
from desktop.common.widgets import NumberField, set_mark
from desktop.form.pages.base import Page


class IndicatorsPage(Page):
    title = "绩效指标评分"
    section = "values"

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(document, parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 4)
        outer.setSpacing(4)
        top = QHBoxLayout()
        heading = QLabel(self.title)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        heading.setFont(font)
        heading.setStyleSheet("color: #1f3a5f;")
        top.addWidget(heading)
        # with a hundred indicators the clerk wants to see only what still needs work
        self.only_open = QCheckBox("只看需处理的指标", self)
        self.only_open.setObjectName("only_open")
        self.only_open.toggled.connect(lambda _on: self._filter())
        self.only_open.view_control = True  # type: ignore[attr-defined]  # on in a read-only view
        top.addSpacing(16)
        top.addWidget(self.only_open)
        self.summary = QLabel(self)
        self.summary.setObjectName("indicator_summary")
        # never widens the page (the window must stay narrowable); the text is short
        # enough to show whole at 1366×768, the details are in its tooltip
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.summary, 1, Qt.AlignmentFlag.AlignRight)
        outer.addLayout(top)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.model = IndicatorTreeModel(self)
        self.tree = IndicatorTree(self.splitter, self, self.model)
        self.tree.setObjectName("indicator_tree")
        self.tree.setItemDelegate(InlineDelegate(self, self.tree))
        self.tree.selectionModel().currentChanged.connect(lambda *_: self._show_current())

        self.panel_scroll = QScrollArea(self.splitter)
        self.panel_scroll.setWidgetResizable(True)
        self.panel_scroll.setFrameShape(QFrame.Shape.StyledPanel)
        # a scroll bar that came and went would narrow the panel and re-wrap its lines
        self.panel_scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.panel = LeafPanel(self, self)
        self.panel_scroll.setWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        outer.addWidget(self.splitter, 1)
        self._open_leaves: frozenset[str] = frozenset()  # as last filtered
        self._filtered_once = False
        self.refresh()

    # ---- refresh
    def refresh(self) -> None:
        self._stale = False
        ev = self.document.evaluation
        selected = self.model.key(self.tree.currentIndex())
        if self.model.show(ev, self.document.result, self.section_issues()):
            self.tree.expandAll()
            self.tree.doItemsLayout()  # lay the new rows out now, not at the first paint
            self._filtered_once = False  # new rows: apply 只看需处理的指标 again
            index = self.model.index_of(selected) if selected is not None else QModelIndex()
            if not index.isValid():  # first leaf, so the panel shows an editor at once
                ids = self.model.leaf_ids()
                index = self.model.leaf_index(ids[0]) if ids else QModelIndex()
            if index.isValid():
                self.tree.setCurrentIndex(index)
        self._summary(self.document.result)
        if self.model.open_leaves != self._open_leaves or not self._filtered_once:
            self._filter()
        self._show_current()

    def load(self, ev: Evaluation) -> None:
        self.refresh()

    def _filter(self) -> None:
        """Hide the rows with nothing to do when 只看需处理的指标 is ticked; a group stays
        visible while any row below it is."""
        self._filtered_once = True
        self._open_leaves = self.model.open_leaves
        only = self.only_open.isChecked()

        def visit(parent: QModelIndex) -> bool:
            shown = False
            for row in range(self.model.rowCount(parent)):
                index = self.model.index(row, 0, parent)
                leaf_id = self.model.leaf_id(index)
                if leaf_id is not None:
                    visible = not only or leaf_id in self._open_leaves
                else:
                    visible = visit(index) or not only
                if self.tree.isRowHidden(row, parent) != (not visible):
                    self.tree.setRowHidden(row, parent, not visible)
                shown = shown or visible
            return shown

        visit(QModelIndex())

    def _summary(self, result: ScoreResult) -> None:
        text = f"合计 {fmt2(result.total)} 分（{result.grade}）　已填 {result.filled}/{result.leaf_count} 项"
        tip = f"合计 {fmt2(result.total)} 分，等级“{result.grade}”"
        if result.renormalised:
            text += "　按适用指标折算"
            tip += (f"；有不适用指标，按适用指标折算：原始得分 {fmt2(result.raw_sum)} ÷ "
                    f"适用分值 {fmt_weight(result.applicable_weight)} × 100")
        if result.capped and result.cap is not None:
            text += "　已封顶"
            tip += f"；{result.cap.text}（封顶前 {fmt2(result.cap.uncapped)} 分）"
        self.summary.setText(text)
        self.summary.setToolTip(tip)

    # ---- the panel below
    def _show_current(self) -> None:
        index = self.tree.currentIndex()
        item = self.model.item(index)
        address = self.model.address(index)
        ev = self.document.evaluation
        issues = self.section_issues()
        if isinstance(item, Leaf):
            mine = [i for i in issues
                    if isinstance(i.address, LeafField) and i.address.leaf_id == item.id]
            self.panel.show_leaf(item, ev, self.document.result.leaf(item.id), mine,
                                 item.id in self.model.custom_leaves)
        elif isinstance(item, Group) and address is not None:
            subtotal = next((g.score for g in self.document.result.groups
                             if g.address.indices == address.indices), None)
            mine = [x for x in issues if x.address == NodeAddress(address.indices)]
            self.panel.show_group(item, len(address.indices), address.indices, subtotal, mine)
        else:
            self.panel.show_nothing()

    # ---- edits
    def apply_value(self, leaf_id: str, value: LeafValue, field: str) -> None:
        ev = self.document.evaluation
        leaf = ev.system.leaf(leaf_id)
        name = leaf.name if leaf else leaf_id
        self.document.apply(ev.with_value(leaf_id, value), f"修改{name}",
                            merge_key=str(LeafField(leaf_id, field)))

    def add_leaf(self, block: tuple[int, ...]) -> None:
        if len(block) != 2:
            return  # a department's own block is a level-2 group
        after, leaf_id = custom_block.add_leaf(self.document.evaluation, *block)
        self.document.apply(after, "添加自定义指标", path=str(NodeAddress(block)))
        self.ensure_fresh()
        self.focus_leaf(leaf_id)
        self.panel.c_name.setFocus()
        self.panel.c_name.selectAll()

    def remove_leaf(self, leaf_id: str, ask: bool = True) -> None:
        ev = self.document.evaluation
        leaf = ev.system.leaf(leaf_id)
        if leaf is None or leaf_id not in self.model.custom_leaves:
            return
        if ask:
            text = (f"删除自定义指标“{leaf.name}”（{fmt_weight(leaf.weight)} 分）及其填写的内容？"
                    "可用 Ctrl+Z 撤销。")
            if not confirm(self, text, yes="删除指标", no="取消", title="删除指标"):
                return
        self.document.apply(custom_block.remove_leaf(ev, leaf_id), f"删除指标“{leaf.name}”",
                            path=str(LeafField(leaf_id)))

    def define_leaf(self, leaf_id: str, what: str, **changes: Any) -> None:
        after = custom_block.update_leaf(self.document.evaluation, leaf_id, **changes)
        # the history names the indicator and the field ("… › 园区新增企业数 › 分值")
        self.document.apply(after, "修改自定义指标", merge_key=str(LeafField(leaf_id, what)))

    # ---- typing in the tree row
    def inline_commit(self, leaf_id: str, kind: str, text: str) -> bool:
        """Apply what was typed in the row; False when it is refused (kept, marked)."""
        ev = self.document.evaluation
        value = ev.value(leaf_id)
        entry = read_entry(ev.system.leaf(leaf_id), leaf_id, value, kind, text)
        if entry.refused:
            self._inline_refused(leaf_id, text, entry.refused, entry.field)
            return False
        if entry.field == "deviation":
            if entry.value != value:
                self.apply_value(leaf_id, entry.value, entry.field)
            return True
        # accepted text ends the cell's refusal in the same edit (a refused level is a
        # refused percentage)
        refused = "coefficient" if entry.field == "level" else entry.field
        with self.document.refusing(str(LeafField(leaf_id, refused)), None):
            if entry.value != value:
                self.apply_value(leaf_id, entry.value, entry.field)
        return True

    def _inline_refused(self, leaf_id: str, text: str, message: str, kind: str = "actual") -> None:
        """Text that is not a number: kept in the panel's field, marked, an error of the
        document; the old value is cleared so it does not keep scoring."""
        self.focus_leaf(leaf_id)
        value = self.document.evaluation.value(leaf_id)
        # one edit with the clearing
        with self.document.refusing(str(LeafField(leaf_id, kind)), text):
            declared = VALUE_FIELDS.get(kind)
            numeric = kind in NUMBER_FIELDS or (declared is not None
                                                and declared.type in ("number", "count"))
            if numeric and getattr(value, kind) is not None:
                self.apply_value(leaf_id, value.with_fields(**{kind: None}), kind)
        editor = self.panel.editor
        field = editor.input(kind) if editor is not None else None
        if isinstance(field, NumberField):
            field.setText(text)
            field.invalid = message
            field._shown = None
            set_mark(field, ERROR, message)
        rect = self.tree.visualRect(self.model.leaf_index(leaf_id))
        QToolTip.showText(self.tree.mapToGlobal(rect.bottomLeft()), message, self.tree)

    # ---- focus
    def focus_value(self) -> None:
        """The shown leaf's value field (after a refused text in the tree's cell)."""
        self.panel.focus_field("actual")

    def focus_leaf(self, leaf_id: str) -> bool:
        index = self.model.leaf_index(leaf_id)
        if not index.isValid():
            return False
        self.tree.set_current(index)
        return True

    def focus(self, address: Address) -> bool:
        self.ensure_fresh()
        if isinstance(address, LeafField):
            if not self.focus_leaf(address.leaf_id):
                return False
            return self.panel.focus_field(address.field or "actual")
        if isinstance(address, NodeAddress) and address.indices:
            index = self.model.index_of(NodeAddress(address.indices))
            if not index.isValid() or self.model.leaf_id(index) is not None:
                return False
            self.tree.set_current(index)
            self.tree.setFocus()
            return True
        return False

    def set_document(self, document: Document) -> None:
        self.model.system = None  # shown afresh, even when the system is the same object
        super().set_document(document)
