"""The right-hand pane of the indicator-system editor: the selected node's details.

Name and 分值 of any node; for a 二级指标 the 部门自定义 (custom) flag; for a
三级指标 its 指标值, 单位, 评分标准, 数据来源, 说明阈值, 编号, the rule type with its
parameter editor, 按评分标准识别 (``suggestion.RuleSuggestion``), and the 试算 preview.
Every field writes into the
draft it is given (``draft``, the window's current one) and emits ``edited`` (an
``Edit``: whether the 试算 follows, the step's name for an edit that is not typing);
``mark`` paints the live checks on the fields they concern.  The fields listen only to
what the clerk does (``textEdited``, ``clicked``, ``activated``; the 评分标准 box, which
has no such signal, is filled with its signals blocked), so showing a node writes
nothing back.

``DetailPane`` owns these fields and the node it shows (``path``, set by ``load``);
Enter in 分值 emits ``next_node``, which the window turns into 添加同级.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QFrame, QGroupBox, QHBoxLayout,
                               QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget)

from desktop.system_editor.preview import PreviewBox
from desktop.system_editor.rules import RuleEditor, Steps
from desktop.system_editor.suggestion import RuleSuggestion
from desktop.system_editor.undo import Edit
from desktop.system_editor.widgets import (fill_combo, object_of, select_data, source_pairs,
                                           text_of)
from desktop.common.screen import VerticalScrollArea
from desktop.common.widgets import WrapCheckBox, set_mark
from forms.address import NodeAddress
from forms.address import parse as parse_address
from forms.system import RULE_TYPES, Problem
from forms.system_edit import LEVEL_NAMES, Check, NodePath, SystemDraft

_NODE_FIELDS = ("weight", "name", "target", "id", "source", "explain_below", "custom", "children")


def _field_of(problem: Problem) -> Steps:
    """Which detail field a problem of the node concerns: the steps of its address within
    the node (``NodeAddress.fields``) as far as a field shows them, () for none."""
    address = parse_address(problem.path)
    steps = address.fields if isinstance(address, NodeAddress) else ()
    if steps[:1] == ("rule",):
        if len(steps) > 1:  # a rule parameter: the field the rule editor made for it
            return ("rule", steps[1].split("[", 1)[0])
        return ("target",) if "指标值" in problem.message else ()
    return steps[-1:] if steps and steps[-1] in _NODE_FIELDS else ()


class DetailPane(VerticalScrollArea):
    """The right-hand pane: the selected node's fields, rule and preview; emits
    ``edited(Edit)`` after each edit and ``next_node()`` on Enter in 分值."""

    edited = Signal(object)  # Edit
    next_node = Signal()

    def __init__(self, draft: Callable[[], SystemDraft], parent: QWidget | None = None):
        super().__init__(parent)  # as wide as its fields need: nothing cut off
        self._draft = draft
        self._read_only = False
        self.path: NodePath | None = None  # the node shown
        self.setFrameShape(QFrame.Shape.NoFrame)
        detail = QWidget()
        self.detail_layout = QVBoxLayout(detail)
        self.detail_title = QLabel("选择左侧树中的指标进行编辑")
        self.detail_title.setStyleSheet("font-weight: bold; font-size: 11pt;")
        self.detail_layout.addWidget(self.detail_title)
        self.node_problems = QLabel()
        self.node_problems.setObjectName("node_problems")
        self.node_problems.setWordWrap(True)
        self.node_problems.setStyleSheet("color: #c0392b;")
        self.detail_layout.addWidget(self.node_problems)

        self.node_form_box = QWidget()
        nf = QFormLayout(self.node_form_box)
        nf.setContentsMargins(0, 0, 0, 0)
        self.f_name = QLineEdit()
        self.f_name.setObjectName("f_name")
        self.f_weight = QLineEdit()
        self.f_weight.setObjectName("f_weight")
        self.f_weight.setMaximumWidth(90)
        self.f_custom = WrapCheckBox("部门自定义指标（custom：填报单位可在本分值内增删三级指标）")
        self.f_custom.setObjectName("f_custom")
        nf.addRow("名称：", self.f_name)
        nf.addRow("分值：", self.f_weight)
        nf.addRow(self.f_custom)
        self.f_name.textEdited.connect(self._name)
        self.f_weight.textEdited.connect(self._weight)
        # fast entry of a notice's table: 名称 ⏎ 分值 ⏎ starts the next indicator
        self.f_name.setToolTip("回车：转到分值")
        self.f_weight.setToolTip("回车：添加下一个同级指标")
        self.f_name.returnPressed.connect(self.f_weight.setFocus)
        self.f_weight.returnPressed.connect(self._next_node)
        self.f_custom.clicked.connect(self._custom)
        self.detail_layout.addWidget(self.node_form_box)

        self.leaf_box = QWidget()
        lf = QFormLayout(self.leaf_box)
        lf.setContentsMargins(0, 0, 0, 0)
        self.f_id = QLineEdit()
        self.f_id.setObjectName("f_id")
        self.f_unit = QLineEdit()
        self.f_unit.setObjectName("f_unit")
        self.f_unit.setMaximumWidth(90)
        self.f_target = QLineEdit()
        self.f_target.setObjectName("f_target")
        self.f_target.setMaximumWidth(120)
        unit_row = QHBoxLayout()
        unit_row.addWidget(self.f_target)
        unit_row.addWidget(QLabel("单位："))
        unit_row.addWidget(self.f_unit)
        unit_row.addStretch(1)
        self.f_criteria = QPlainTextEdit()
        self.f_criteria.setObjectName("f_criteria")
        self.f_criteria.setFixedHeight(78)
        self.f_source = QComboBox()
        self.f_source.setObjectName("f_source")
        fill_combo(self.f_source, source_pairs())
        self.f_explain = QLineEdit()
        self.f_explain.setObjectName("f_explain")
        self.f_explain.setMaximumWidth(90)
        self.f_explain.setToolTip("实际值低于此数时，填报人必须写偏差原因（如预算执行率 90）")
        self.f_rule = QComboBox()
        for combo in (self.f_source, self.f_rule):  # long names elided in a narrow pane
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(10)
        self.f_rule.setObjectName("f_rule")
        fill_combo(self.f_rule, list(RULE_TYPES.items()))
        lf.addRow("指标值：", unit_row)
        lf.addRow("评分标准：", self.f_criteria)
        lf.addRow("数据来源：", self.f_source)
        lf.addRow("说明阈值：", self.f_explain)
        lf.addRow("编号（id）：", self.f_id)
        rule_row = QHBoxLayout()
        rule_row.addWidget(self.f_rule, 1)
        self.suggestion = RuleSuggestion(draft, self)  # 按评分标准识别, 确认规则
        self.suggestion.edited.connect(self._rule_read)
        rule_row.addWidget(self.suggestion.button)
        rule_row.addWidget(self.suggestion.confirm_button)
        lf.addRow("评分规则：", rule_row)
        lf.addRow(self.suggestion.note)
        self.f_id.textEdited.connect(lambda t: self._leaf_field("id", t.strip()))
        self.f_unit.textEdited.connect(lambda t: self._leaf_field("unit", t))
        self.f_target.textEdited.connect(lambda t: self._leaf_field("target", t))
        self.f_explain.textEdited.connect(lambda t: self._leaf_field("explain_below", t))
        self.f_criteria.textChanged.connect(self._criteria)
        self.f_source.activated.connect(
            lambda: self._leaf_field("source", self.f_source.currentData()))
        self.f_rule.activated.connect(self._rule_type)
        self.detail_layout.addWidget(self.leaf_box)
        self.rule_editor = RuleEditor(draft)
        self.rule_editor.edited.connect(lambda: self.edited.emit(Edit(preview=True)))
        self.detail_layout.addWidget(self.rule_editor)
        self.preview_group = QGroupBox("试算（输入测试值，看本指标得几分）")
        pl = QVBoxLayout(self.preview_group)
        self.preview = PreviewBox(draft)
        pl.addWidget(self.preview)
        self.detail_layout.addWidget(self.preview_group)
        self.detail_layout.addStretch(1)
        self.setWidget(detail)

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for widget in (self.f_name, self.f_weight, self.f_id, self.f_unit, self.f_target,
                       self.f_explain):
            widget.setReadOnly(read_only)
        self.f_criteria.setReadOnly(read_only)
        for enabled in (self.f_custom, self.f_source, self.f_rule):
            enabled.setEnabled(not read_only)
        self.rule_editor.set_read_only(read_only)
        self.suggestion.set_read_only(read_only)

    def load(self, path: NodePath | None) -> None:
        """Show the node at ``path`` (None: none selected)."""
        self.path = path
        self.node_form_box.setVisible(path is not None)
        is_leaf = path is not None and self._draft().is_leaf(path)
        self.suggestion.show_leaf(path if is_leaf else None)
        self.leaf_box.setVisible(is_leaf)
        self.rule_editor.setVisible(is_leaf)
        self.preview_group.setVisible(is_leaf)
        if path is None:
            self.detail_title.setText("选择树中的指标进行编辑；用下方按钮添加一级指标")
            return
        node = self._draft().node(path)
        self.detail_title.setText(LEVEL_NAMES[len(path)])
        self.f_name.setText(str(node.get("name") or ""))
        self.f_name.setCursorPosition(0)
        self.f_weight.setText(text_of(node.get("weight")))
        self.f_custom.setVisible(len(path) == 2 and not is_leaf)
        self.f_custom.setChecked(bool(node.get("custom")))
        if is_leaf:
            self.f_id.setText(str(node.get("id") or ""))
            self.f_unit.setText(str(node.get("unit") or ""))
            self.f_target.setText(text_of(node.get("target")))
            self.f_explain.setText(text_of(node.get("explain_below")))
            criteria = str(node.get("criteria") or "")
            if self.f_criteria.toPlainText() != criteria:
                with QSignalBlocker(self.f_criteria):  # no signal of its own for the clerk
                    self.f_criteria.setPlainText(criteria)
            select_data(self.f_source, node.get("source") or "")
            select_data(self.f_rule, object_of(node.get("rule")).get("type"))
            self.rule_editor.load(path)
            self.preview.load(path)
        self.mark(self._draft().check())

    def focus_name(self) -> None:
        """The clerk types the name next (a node just added)."""
        self.f_name.setFocus()

    def refresh_preview(self) -> None:
        """The 试算 again, after an edit of the leaf shown."""
        if self.path is not None and self._draft().is_leaf(self.path):
            self.preview.load(self.path)

    def _name(self, text: str) -> None:
        if self.path is None or self._read_only:
            return
        self._draft().rename(self.path, text)
        self.edited.emit(Edit())

    def _weight(self, text: str) -> None:
        if self.path is None or self._read_only:
            return
        self._draft().set_weight(self.path, text)
        self.edited.emit(Edit(preview=True))

    def _next_node(self) -> None:
        if not self._read_only and self.path is not None:
            self.next_node.emit()  # the tree's 添加同级: a new node of the same level

    def _custom(self, on: bool) -> None:
        if self.path is None or self._read_only:
            return
        self._draft().set_field(self.path, "custom", on)
        self.edited.emit(Edit())

    def _leaf_field(self, key: str, value: object) -> None:
        if self.path is None or not self._draft().is_leaf(self.path) \
                or self._read_only:
            return
        self._draft().set_field(self.path, key, value)
        self.edited.emit(Edit(preview=True))

    def _criteria(self) -> None:
        self._leaf_field("criteria", self.f_criteria.toPlainText())

    def _rule_read(self, edit: Edit) -> None:
        """A rule read from the criteria, or confirmed: the fields show it, then the window
        records the step."""
        self.load(self.path)
        self.edited.emit(edit)

    def _rule_type(self) -> None:
        if self.path is None or not self._draft().is_leaf(self.path) \
                or self._read_only:
            return
        self._draft().set_rule_type(self.path, self.f_rule.currentData())
        self.rule_editor.load(self.path)
        self.edited.emit(Edit(preview=True))

    def mark(self, check: Check) -> None:
        """The problems of the node shown, on the fields they concern."""
        own = check.at(self.path) if self.path is not None else ()
        self.node_problems.setText("\n".join(f"✗ {p.message}" for p in own))
        self.node_problems.setVisible(bool(own))
        by_field: dict[Steps, list[str]] = {}
        for p in own:
            by_field.setdefault(_field_of(p), []).append(p.message)
        widgets: dict[Steps, QWidget] = {
            ("name",): self.f_name, ("weight",): self.f_weight, ("target",): self.f_target,
            ("id",): self.f_id, ("explain_below",): self.f_explain, ("source",): self.f_source,
            **self.rule_editor.mark_widgets()}
        # the weight field shows children-sum problems of groups too
        if ("children",) in by_field:
            by_field.setdefault(("weight",), []).extend(by_field.pop(("children",)))
        for key, widget in widgets.items():
            msgs = by_field.get(key)
            set_mark(widget, "error" if msgs else None, "\n".join(msgs or []))
