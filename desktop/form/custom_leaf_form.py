"""部门自定义指标设置: the clerk defines a leaf of a department-defined block.

Name, weight, unit, target, rule and criteria of the leaf, and a button to
remove it.  Each field reports only itself: ``defined(what, changes)`` with the
field's name and its new value (one edit of the document per field, merged
while the clerk keeps typing in it); ``remove_requested`` for the button.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QWidget

from forms import custom_block
from forms.system import RULE_TYPES, Leaf
from forms.validation import ERROR

from desktop.common.widgets import LineField, NumberField, set_mark


class CustomLeafForm(QGroupBox):
    """The definition of one department-defined leaf."""

    defined = Signal(str, object)  # what ("name", "weight"…), {field: new value}
    remove_requested = Signal()
    weight_refused = Signal(str, str, str)  # path, message, the text typed

    def __init__(self, parent: QWidget | None = None):
        super().__init__("部门自定义指标设置", parent)
        custom = QFormLayout(self)
        self.name = LineField(self)
        self.name.setObjectName("custom.name")
        self.name.edited.connect(lambda t: self.defined.emit("name", {"name": t}))
        self.weight = NumberField("分值", self)
        self.weight.setObjectName("custom.weight")
        self.weight.setMaximumWidth(120)
        self.weight.value_edited.connect(self._weight_edited)
        self.unit = LineField(self)
        self.unit.setObjectName("custom.unit")
        self.unit.setMaximumWidth(120)
        self.unit.edited.connect(lambda t: self.defined.emit("unit", {"unit": t}))
        self.target = NumberField("指标值", self)
        self.target.setObjectName("custom.target")
        self.target.setMaximumWidth(160)
        self.target.value_edited.connect(lambda v: self.defined.emit("target", {"target": v}))
        self.rule = QComboBox(self)
        self.rule.setObjectName("custom.rule")
        for key, label, _rule in custom_block.CUSTOM_RULES:
            self.rule.addItem(label, key)
        self.rule.currentIndexChanged.connect(self._rule_chosen)
        self.criteria = LineField(self)
        self.criteria.setObjectName("custom.criteria")
        self.criteria.edited.connect(lambda t: self.defined.emit("criteria", {"criteria": t}))
        self.remove = QPushButton("删除此指标", self)
        self.remove.setObjectName("custom.remove")
        self.remove.clicked.connect(self.remove_requested.emit)
        custom.addRow("指标名称：", self.name)
        row = QHBoxLayout()
        row.addWidget(self.weight)
        row.addWidget(QLabel("单位：", self))
        row.addWidget(self.unit)
        row.addWidget(QLabel("指标值：", self))
        row.addWidget(self.target)
        row.addStretch(1)
        custom.addRow("分值：", row)
        custom.addRow("计分方式：", self.rule)
        custom.addRow("评分标准：", self.criteria)
        custom.addRow("", self.remove)

    def load(self, leaf: Leaf) -> None:
        """Show ``leaf``'s definition (nothing is reported back)."""
        self.weight.set_path(f"values.{leaf.id}.weight")
        self.target.set_path(f"values.{leaf.id}.target")
        self.name.set_text(leaf.name)
        self.weight.set_value(leaf.weight)
        self.unit.set_text(leaf.unit)
        self.target.set_value(leaf.target)
        self.criteria.set_text(leaf.criteria)
        choice = custom_block.rule_choice(leaf.rule)
        with QSignalBlocker(self.rule):
            index = self.rule.findData(choice)
            if index < 0:
                self.rule.addItem(RULE_TYPES.get(leaf.rule.type, leaf.rule.type), choice)
                index = self.rule.findData(choice)
            if self.rule.currentIndex() != index:
                self.rule.setCurrentIndex(index)
        self.target.setEnabled(leaf.rule.type == "ratio")

    def _weight_edited(self, value: Decimal | None) -> None:
        if value is not None and value > 0:
            self.defined.emit("weight", {"weight": value})
            return
        message = self.weight.invalid or "分值：必须是大于 0 的数字"
        set_mark(self.weight, ERROR, message)
        self.weight_refused.emit(self.weight.path or "values", message, self.weight.text())

    def _rule_chosen(self, _index: int) -> None:
        key = self.rule.currentData()
        rule = next((r for k, _label, r in custom_block.CUSTOM_RULES if k == key), None)
        if rule is not None:
            self.defined.emit("rule", {"rule": rule})
