"""The editor of the selected row, below the indicator tree.

``LeafPanel`` shows a leaf in full: the rule's editor (``desktop.form.leaf_editors``),
score, 不适用 with its reason, 偏差原因 and, for a leaf of a department-defined
block (部门自定义指标), its definition (``desktop.form.custom_leaf_form``).  A group
shows its subtotal and problems, and a department-defined block offers 添加指标.

Each field reports only itself, through the page, which the panel knows only as a
``LeafHost`` (``apply_value`` with the field's name, ``define_leaf``, ``add_leaf``,
``remove_leaf``).  No field keeps a copy of the value: each shows what the document
holds, and an edit is applied to the value the document holds at that moment.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any, Protocol

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forms.address import LeafField, leaf_of, parse
from forms.evidence import leaf_owner
from forms.model import Evaluation, LeafValue
from forms.numbers import fmt2, fmt_weight
from forms.scoring import STATUS_TEXT, LeafResult
from forms.system import RULE_TYPES, Group, Leaf
from forms.validation import Issue, shared_reason

from desktop.form.custom_leaf_form import CustomLeafForm
from desktop.form.document import Document
from desktop.form.evidence_list import EvidenceList
from desktop.form.indicator_tree import target_text
from desktop.form.leaf_editors import RuleEditor, leaf_editor, rule_summary
from desktop.common.labels import OneLineLabel
from desktop.common.widgets import (ERROR_BG, ERROR_FG, CountedText, LineField, set_mark,
                                    show_problems, worst_level)


class LeafHost(Protocol):
    """What the panel asks of the page it sits on."""

    @property
    def document(self) -> Document: ...

    def apply_value(self, leaf_id: str, value: LeafValue, field: str) -> None: ...

    def add_leaf(self, block: tuple[int, ...]) -> None: ...

    def remove_leaf(self, leaf_id: str, ask: bool = True) -> None: ...

    def define_leaf(self, leaf_id: str, what: str, **changes: Any) -> None: ...


class LeafPanel(QWidget):
    """The full editor of one leaf (or the summary of a group) below the tree."""

    def __init__(self, page: LeafHost, parent: QWidget | None = None):
        super().__init__(parent)
        self.page = page
        self.leaf: Leaf | None = None
        self.editor: RuleEditor | None = None
        self._editor_key: tuple[Any, ...] | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(6)

        # one line whatever the indicator's name: renaming it moves no field below
        self.title = OneLineLabel(self)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        layout.addWidget(self.title)
        self.criteria = QLabel(self)
        self.criteria.setWordWrap(True)
        self.criteria.setStyleSheet("color: #444;")
        self.criteria.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.criteria)
        # what is wrong with this leaf, in words (the fields are also marked); laid out
        # after the leaf's fields, so a message coming or going moves none of them
        self.problems = QLabel(self)
        self.problems.setObjectName("leaf_problems")
        self.problems.setWordWrap(True)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(self.form)
        # value editor and score on one row, how the rule scores just below: the panel
        # must show 偏差原因 without scrolling in a 1366×768 window
        self.editor_host = QWidget(self)
        self.editor_layout = QVBoxLayout(self.editor_host)
        self.editor_layout.setContentsMargins(0, 0, 0, 0)
        self.score = QLabel(self)
        self.score.setObjectName("leaf_score")
        font = self.score.font()
        font.setBold(True)
        self.score.setFont(font)
        value_row = QHBoxLayout()
        value_row.addWidget(self.editor_host, 1)
        value_row.addWidget(self.score, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        self.actual_label = QLabel("实际完成值：", self)
        self.form.addRow(self.actual_label, value_row)
        # one line (whole in its tooltip): it changes as a defined leaf's weight or target
        # is typed, and must move nothing below
        self.rule_note = OneLineLabel(self)
        self.rule_note.setStyleSheet("color: #666;")
        self.form.addRow("", self.rule_note)

        na_row = QHBoxLayout()
        self.not_applicable = QCheckBox("本指标不适用", self)
        self.not_applicable.setObjectName("not_applicable")
        self.not_applicable.toggled.connect(self._na_toggled)
        self.reason = LineField(self)
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("不适用的原因（必填），例如：本年度无政府采购事项")
        self.reason.edited.connect(lambda text: self._edit("reason", reason=text))
        na_row.addWidget(self.not_applicable)
        na_row.addWidget(self.reason, 1)
        self.na_label = QLabel("不适用：", self)
        self.form.addRow(self.na_label, na_row)

        self.deviation = CountedText(self, min_lines=2, max_lines=8)
        self.deviation.setObjectName("deviation")
        self.deviation.edited.connect(lambda text: self._edit("deviation", deviation=text))
        self.deviation_label = QLabel("偏差原因分析\n及改进措施：", self)
        self.form.addRow(self.deviation_label, self.deviation)

        self.evidence = EvidenceList(lambda: self.page.document, "", "", self)
        self.evidence_label = QLabel("佐证材料：", self)
        self.form.addRow(self.evidence_label, self.evidence)

        # 部门自定义指标: the clerk defines the leaf itself
        self.custom_box = CustomLeafForm(self)
        self.custom_box.defined.connect(self._define)
        self.custom_box.weight_refused.connect(
            lambda path, message, text: self.page.document.set_invalid(path, message, text))
        self.custom_box.remove_requested.connect(
            lambda: self.page.remove_leaf(self.leaf.id if self.leaf else ""))
        form = self.custom_box
        self.c_name, self.c_weight, self.c_unit = form.name, form.weight, form.unit
        self.c_target, self.c_rule, self.c_criteria = form.target, form.rule, form.criteria
        self.c_remove = form.remove
        layout.addWidget(self.custom_box)
        layout.addWidget(self.problems)

        # a group (一级/二级) row selected
        self.group_box = QWidget(self)
        group_layout = QVBoxLayout(self.group_box)
        group_layout.setContentsMargins(0, 0, 0, 0)
        self.group_text = QLabel(self.group_box)
        self.group_text.setWordWrap(True)
        self.block_problem = QLabel(self.group_box)
        self.block_problem.setWordWrap(True)
        self.block_problem.setStyleSheet(
            f"QLabel {{ background: {ERROR_BG}; color: #c0392b; padding: 4px; }}")
        self.add_button = QPushButton("添加指标", self.group_box)
        self.add_button.setObjectName("custom.add")
        self.add_button.clicked.connect(lambda: self.page.add_leaf(self._block))
        group_layout.addWidget(self.group_text)
        group_layout.addWidget(self.block_problem)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        group_layout.addLayout(buttons)
        layout.addWidget(self.group_box)
        layout.addStretch(1)
        self._block: tuple[int, ...] = ()
        self.show_nothing()

    # ---- which row is shown
    def _leaf_rows_visible(self, visible: bool) -> None:
        for w in (self.actual_label, self.editor_host, self.rule_note, self.score, self.na_label,
                  self.not_applicable, self.reason, self.deviation, self.deviation_label,
                  self.criteria, self.evidence, self.evidence_label):
            w.setVisible(visible)

    def show_nothing(self) -> None:
        self.leaf = None
        self.problems.setVisible(False)
        self._leaf_rows_visible(False)
        self.custom_box.setVisible(False)
        self.group_box.setVisible(False)
        self.title.set_line("在上方选择一项指标进行填写。")

    def show_leaf(self, leaf: Leaf, ev: Evaluation, result: LeafResult | None,
                  issues: list[Issue], custom: bool) -> None:
        """Show ``leaf``; what the fields are loaded with is not reported back as an edit."""
        self.leaf = leaf
        self.group_box.setVisible(False)
        self._leaf_rows_visible(True)
        key = (leaf.id, leaf.rule, leaf.source, leaf.unit, leaf.target, leaf.weight, leaf.name)
        if key != self._editor_key:
            if self.editor is not None:
                # hide and delete in place: un-parenting would make it a window and
                # take the activation (and the clerk's focus) away from the page; the
                # focus it loses commits nothing
                self.editor.blockSignals(True)
                self.editor.hide()
                self.editor_layout.removeWidget(self.editor)
                self.editor.deleteLater()
            self.editor = leaf_editor(leaf, self.editor_host, self._current)
            self.editor.edited.connect(self._editor_edited)
            self.editor_layout.addWidget(self.editor)
            self._editor_key = key
            # Tab goes value → 不适用 → reason → 偏差原因, whatever the rule's editor is
            QWidget.setTabOrder(self.editor.main_widget(), self.not_applicable)
            QWidget.setTabOrder(self.not_applicable, self.reason)
            QWidget.setTabOrder(self.reason, self.deviation.field)
        assert self.editor is not None
        shown: tuple[QWidget, ...] = (self.editor, self.not_applicable, self.reason,
                                      self.deviation, self.custom_box)
        loading = [QSignalBlocker(w) for w in shown]
        try:
            self._load_leaf(leaf, ev, result, issues, custom)
        finally:
            for blocker in loading:
                blocker.unblock()

    def _load_leaf(self, leaf: Leaf, ev: Evaluation, result: LeafResult | None,
                   issues: list[Issue], custom: bool) -> None:
        assert self.editor is not None
        value = ev.value(leaf.id)
        self.editor.load(value, result)
        na = value.not_applicable
        self.editor.setEnabled(not na)
        rule_name = RULE_TYPES.get(leaf.rule.type, leaf.rule.type)
        self.title.set_line(f"{leaf.name}　（分值 {fmt_weight(leaf.weight)} 分"
                           + (f"，指标值 {target_text(leaf)}"
                              if target_text(leaf) and leaf.rule.type != "either" else "")
                           + f"，{rule_name}）")
        self.criteria.setText(f"评分标准：{leaf.criteria}" if leaf.criteria else "")
        # a leaf the department defines shows its criteria in its own form below, as typed:
        # repeated here, each keystroke could re-wrap it and move that form
        self.criteria.setVisible(bool(leaf.criteria) and not custom)
        summary = rule_summary(leaf.rule, leaf.weight, leaf.target, leaf.unit)
        self.rule_note.set_line(f"计分方法：{summary}")
        refused = [p for p in ev.refused if leaf_of(parse(p)) == leaf.id]
        if refused:
            self.score.setText("得分 无效（输入有误，请改正）")
            self.score.setStyleSheet(f"color: {ERROR_FG};")
        elif value.not_applicable:
            self.score.setText("不适用（不计分）")
            self.score.setStyleSheet("color: #888;")
        elif result is not None:
            status = STATUS_TEXT.get(result.status, "")
            extra = "" if result.status == "scored" else f"（{status}）"
            self.score.setText(f"得分 {fmt2(result.score)} / {fmt_weight(leaf.weight)} 分{extra}")
            self.score.setStyleSheet("")
        if self.not_applicable.isChecked() != na:
            self.not_applicable.setChecked(na)
        self.reason.setEnabled(na)
        self.reason.set_text(value.reason)
        self.deviation.set_text(value.deviation)
        self.deviation.setEnabled(not na)
        self.evidence.set_owner(leaf_owner(leaf.id), f"指标 › {leaf.name}")
        shared = shared_reason(ev, leaf)
        self.deviation.field.setPlaceholderText(
            f"已由“未能完成原因”说明：{shared}（可另行填写）" if shared else "")
        self._paint(issues)
        self.custom_box.setVisible(custom)
        if custom:
            self.custom_box.load(leaf)

    def show_group(self, group: Group, level: int, block: tuple[int, ...], subtotal: Decimal | None,
                   issues: list[Issue]) -> None:
        self.leaf = None
        self._block = block
        self.problems.setVisible(False)
        self._leaf_rows_visible(False)
        self.custom_box.setVisible(False)
        self.group_box.setVisible(True)
        self.title.set_line(f"{'一二三四'[level - 1]}级指标：{group.name}　（分值 {fmt_weight(group.weight)} 分）")
        lines = []
        if subtotal is not None:
            lines.append(f"当前得分 {fmt2(subtotal)} 分。")
        if group.custom:
            lines.append(f"部门自定义指标：可添加、删除本项下的三级指标并修改名称、分值、指标值；"
                         f"各指标分值之和须等于 {fmt_weight(group.weight)} 分"
                         f"（现为 {fmt_weight(group.children_weight)} 分）。")
        self.group_text.setText("\n".join(lines))
        problems = [i.message for i in issues]
        self.block_problem.setText("\n".join(problems))
        self.block_problem.setVisible(bool(problems))
        self.add_button.setVisible(group.custom)

    def _paint(self, issues: list[Issue]) -> None:
        assert self.leaf is not None
        by_field: dict[str, list[Issue]] = {"deviation": [], "reason": [], "actual": [],
                                            "evidence": []}
        for issue in issues:
            field = issue.address.field if isinstance(issue.address, LeafField) else ""
            by_field.get(field or "actual", by_field["actual"]).append(issue)
        for name, widget in (("deviation", self.deviation.field), ("reason", self.reason),
                             ("evidence", self.evidence.files)):
            found = by_field[name]
            set_mark(widget, worst_level(found), "\n".join(i.message for i in found))
        show_problems(self.problems, issues)

    # ---- edits
    def _current(self) -> LeafValue:
        """The shown leaf's value as the document holds it now (the one copy)."""
        if self.leaf is None:
            return LeafValue()
        return self.page.document.evaluation.value(self.leaf.id)

    def _edit(self, field: str, **changes: Any) -> None:
        if self.leaf is None:
            return
        self.page.apply_value(self.leaf.id, replace(self._current(), **changes), field)

    def _editor_edited(self, changes: dict[str, Any], field: str) -> None:
        """The value editor sends only the fields the clerk changed."""
        if self.leaf is None:
            return
        self.page.apply_value(self.leaf.id, self._current().with_fields(**changes), field)

    def _na_toggled(self, checked: bool) -> None:
        self._edit("not_applicable", not_applicable=checked)
        if checked:
            self.reason.setFocus()  # a reason is required: ask for it at once

    def _define(self, what: str, changes: dict[str, Any]) -> None:
        if self.leaf is not None:
            self.page.define_leaf(self.leaf.id, what, **changes)

    def focus_field(self, field: str) -> bool:
        defined: dict[str, QWidget] = {"name": self.c_name, "weight": self.c_weight,
                                       "unit": self.c_unit, "target": self.c_target,
                                       "rule": self.c_rule, "criteria": self.c_criteria}
        if field in defined and self.custom_box.isVisible():  # a department-defined leaf
            defined[field].setFocus()
        elif field == "evidence":
            self.evidence.files.setFocus()
        elif field == "deviation":
            self.deviation.field.setFocus()
        elif field == "reason":
            self.reason.setFocus()
        elif self.editor is not None:
            self.editor.main_widget().setFocus()
        else:
            return False
        return True
