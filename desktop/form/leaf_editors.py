"""The editor for one leaf's 实际完成值, chosen by its scoring rule (评分规则).

Built from the system definition, never per indicator:

| rule | editor |
|---|---|
| ratio / deduct / bands | a number (or, with a ``source``, the computed value, read-only) |
| checklist | one check box per item, with its points |
| incidents | a count (次数) |
| coefficient | a level list (优/良/…) or a percentage |
| manual | a score between 0 and the weight |
| qualitative | a level (定性) and a score inside the level's band |
| any kind with ``editor = "fields"`` | one field per declared value field, by type |
| either | an option chooser (二者择其一), then that option's editor |

Every editor holds the leaf's current ``LeafValue`` and emits ``edited(new_value,
field)`` with a new immutable value; the page turns it into an undoable step. Only
the clerk's edits are reported: the editors listen to user-only signals (``clicked``,
``activated``, ``textEdited``) or show values with their signals blocked
(``widgets.showing``), so what ``load`` shows never echoes back as an edit.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from exports.tables import actual_text as printed_actual
from exports.tables import measured
from forms.leaf_entry import bounds_problem, coefficient_problem
from forms.model import LeafValue
from forms.numbers import fmt2, fmt_weight, plain
from forms.scoring import LeafResult
from forms.rules import describe, kind
from forms.rules.qualitative import level_bands
from forms.system import SOURCES, Leaf, Option, Rule

from desktop.common.widgets import (
    COMPUTED_BG,
    CountSpin,
    LineField,
    NumberField,
    WrapCheckBox,
    set_base_tooltip,
)


def rule_summary(rule: Rule, weight: Decimal, target: Decimal | None, unit: str) -> str:
    """How the rule scores, in one Chinese sentence (shown under the editor): the
    registry's description, so the editor, the report and the workbook say the same."""
    if rule.type == "either":
        return "二者择其一：先选择评价口径，再填写该口径的实际完成值。"
    return describe(rule, weight, target, unit) + "。"


class RuleEditor(QWidget):
    """Base: holds the current value; ``edited`` carries the new one and the field changed."""

    edited = Signal(object, str)

    def __init__(self, leaf: Leaf, rule: Rule, unit: str, target: Decimal | None,
                 source: str | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.leaf = leaf
        self.rule = rule
        self.unit = unit
        self.target = target
        self.source = source
        self.value = LeafValue()
        self.layout_ = QHBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)

    def load(self, value: LeafValue, result: LeafResult | None) -> None:
        self.value = value
        self.show_value(value, result)

    def show_value(self, value: LeafValue, result: LeafResult | None) -> None:
        raise NotImplementedError

    def apply_change(self, field: str, **changes: Any) -> None:
        self.value = replace(self.value, **changes)
        self.edited.emit(self.value, field)

    def main_widget(self) -> QWidget:
        """The widget to focus when the clerk jumps to this leaf."""
        return self


class NumberEditor(RuleEditor):
    """ratio / deduct / bands: the actual value, or the computed one for a ``source``."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.source:
            name, how = SOURCES.get(self.source, (self.source, ""))
            self.computed = QLabel(self)
            self.computed.setObjectName("computed")
            self.computed.setMinimumWidth(160)
            self.computed.setStyleSheet(f"QLabel {{ background: {COMPUTED_BG}; padding: 3px 8px; "
                                        "border: 1px solid #c8ced6; }")
            self.computed.setToolTip(f"{name}由收支情况自动计算：{how}，不能直接填写")
            self.layout_.addWidget(self.computed)
            note = QLabel(f"自动计算：{how}", self)
            note.setStyleSheet("color: #666;")
            self.layout_.addWidget(note, 1)
        else:
            self.number = NumberField(f"{self.leaf.name}实际完成值", self,
                                      path=f"values.{self.leaf.id}.actual")
            self.number.setObjectName("actual")
            self.number.setMaximumWidth(180)
            self.number.setPlaceholderText("实际完成值")
            self.number.value_edited.connect(lambda v: self.apply_change("actual", actual=v))
            self.layout_.addWidget(self.number)
            self.layout_.addWidget(QLabel(self.unit, self))
            self.layout_.addStretch(1)

    def show_value(self, value: LeafValue, result: LeafResult | None) -> None:
        if self.source:
            if result is not None and result.actual is not None:
                self.computed.setText(f"{fmt2(result.actual)}{self.unit}")
            else:
                self.computed.setText(result.message if result is not None and result.message
                                      else "无法计算")
        else:
            self.number.set_value(value.actual)

    def main_widget(self) -> QWidget:
        return self.computed if self.source else self.number


class ChecklistEditor(RuleEditor):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        column = QVBoxLayout()
        column.setSpacing(2)
        self.boxes: dict[str, QCheckBox] = {}
        for item in self.rule.items:
            box = WrapCheckBox(f"{item.label}（{fmt_weight(item.points)} 分）", self)
            box.setObjectName(f"item.{item.id}")
            box.clicked.connect(self._ticked)  # the clerk's tick, not setChecked
            self.boxes[item.id] = box
            column.addWidget(box)
        self.layout_.addLayout(column)
        self.layout_.addStretch(1)

    def _ticked(self, _checked: bool = False) -> None:
        # Keep the system's item order so the saved value reads like the notice.
        checked = tuple(i.id for i in self.rule.items if self.boxes[i.id].isChecked())
        # keep ids the system no longer has: validation names them, the clerk decides
        unknown = tuple(c for c in (self.value.checked or ()) if c not in self.boxes)
        self.apply_change("checked", checked=unknown + checked)

    def show_value(self, value: LeafValue, result: LeafResult | None) -> None:
        chosen = set(value.checked or ())
        for item_id, box in self.boxes.items():
            if box.isChecked() != (item_id in chosen):
                box.setChecked(item_id in chosen)

    def main_widget(self) -> QWidget:
        return next(iter(self.boxes.values()), self)


class IncidentsEditor(RuleEditor):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.spin = CountSpin(self)
        self.spin.setObjectName("count")
        self.spin.setMinimumWidth(110)
        self.spin.count_edited.connect(lambda v: self.apply_change("count", count=v))
        self.layout_.addWidget(self.spin)
        points = fmt_weight(self.rule.points or Decimal(0))
        self.layout_.addWidget(QLabel(f"次（每次扣 {points} 分）", self))
        self.layout_.addStretch(1)

    def show_value(self, value: LeafValue, result: LeafResult | None) -> None:
        count = value.count
        if count is not None and (count < 0 or count != count.to_integral_value()):
            count = None  # an impossible count stays in the data; validation names it
        self.spin.set_count(count)

    def main_widget(self) -> QWidget:
        return self.spin


_PERCENT = "__percent__"


class CoefficientEditor(RuleEditor):
    """A level (优/良/中/差) or a percentage (0–100)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.combo = QComboBox(self)
        self.combo.setObjectName("level")
        self.combo.addItem("（未评定）", "")
        for name, pct in self.rule.levels:
            self.combo.addItem(f"{name}（{fmt_weight(pct)}%）", name)
        self.combo.addItem("按百分比填写", _PERCENT)
        self.percent = NumberField(f"{self.leaf.name}系数", self,
                                   path=f"values.{self.leaf.id}.coefficient",
                                   check=coefficient_problem)
        self.percent.setObjectName("coefficient")
        self.percent.setMaximumWidth(110)
        self.percent_unit = QLabel("%", self)
        self.layout_.addWidget(self.combo)
        self.layout_.addWidget(self.percent)
        self.layout_.addWidget(self.percent_unit)
        self.layout_.addStretch(1)
        self.combo.currentIndexChanged.connect(self._show_choice)  # whoever chose
        self.combo.activated.connect(self._picked)  # the clerk chose (after the above)
        self.percent.value_edited.connect(
            lambda v: self.apply_change("coefficient", coefficient=v, level=None))

    def _show_choice(self) -> None:
        percent = self.combo.currentData() == _PERCENT
        self.percent.setVisible(percent)
        self.percent_unit.setVisible(percent)

    def _picked(self, index: int) -> None:
        data = self.combo.itemData(index)
        if data == _PERCENT:
            self.percent.setFocus()
            if self.value.level:
                self.apply_change("level", level=None, coefficient=None)
        else:
            self.apply_change("level", level=data or None, coefficient=None)

    def show_value(self, value: LeafValue, result: LeafResult | None) -> None:
        if value.level:
            index = self.combo.findData(value.level)
            if index < 0:  # a level the system does not have: validation names it
                index = 0
        elif value.coefficient is not None or self.combo.currentData() == _PERCENT:
            index = self.combo.findData(_PERCENT)
        else:
            index = 0
        if self.combo.currentIndex() != index:
            self.combo.setCurrentIndex(index)
        self._show_choice()
        self.percent.set_value(value.coefficient)

    def main_widget(self) -> QWidget:
        return self.combo


class ManualEditor(RuleEditor):
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.number = NumberField(f"{self.leaf.name}得分", self,
                                  path=f"values.{self.leaf.id}.score")
        self.number.setObjectName("score")
        self.number.setMaximumWidth(120)
        self.number.setPlaceholderText("得分")
        self.number.value_edited.connect(lambda v: self.apply_change("score", score=v))
        self.layout_.addWidget(self.number)
        self.layout_.addWidget(QLabel(f"分（0–{fmt_weight(self.leaf.weight)} 分）", self))
        self.layout_.addStretch(1)

    def show_value(self, value: LeafValue, result: LeafResult | None) -> None:
        self.number.set_value(value.score)

    def main_widget(self) -> QWidget:
        return self.number


class QualitativeEditor(RuleEditor):
    """定性: a level, then a score inside that level's band (shown beside the field)."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.bands = level_bands(self.rule, self.leaf.weight)
        self.combo = QComboBox(self)
        self.combo.setObjectName("level")
        self.combo.addItem("（未评定）", "")
        for name, _pct in self.rule.levels:
            self.combo.addItem(name, name)
        self.number = NumberField(f"{self.leaf.name}得分", self,
                                  path=f"values.{self.leaf.id}.score")
        self.number.setObjectName("score")
        self.number.setMaximumWidth(100)
        self.number.setPlaceholderText("得分")
        self.band = QLabel(self)
        self.band.setObjectName("band")
        self.layout_.addWidget(self.combo)
        self.layout_.addWidget(self.number)
        self.layout_.addWidget(self.band)
        self.layout_.addStretch(1)
        self.combo.activated.connect(
            lambda index: self.apply_change("level", level=self.combo.itemData(index) or None))
        self.number.value_edited.connect(lambda v: self.apply_change("score", score=v))

    def _band_text(self, level: str | None) -> str:
        band = self.bands.get(level or "")
        if band is None:
            return f"分（先选等级，0–{fmt_weight(self.leaf.weight)} 分）"
        low, high, closed = band
        return f"分（{fmt_weight(low)}（含）–{fmt_weight(high)}{'（含）' if closed else '（不含）'}）"

    def show_value(self, value: LeafValue, result: LeafResult | None) -> None:
        index = max(self.combo.findData(value.level or ""), 0)
        if self.combo.currentIndex() != index:
            self.combo.blockSignals(True)
            self.combo.setCurrentIndex(index)
            self.combo.blockSignals(False)
        self.number.set_value(value.score)
        self.band.setText(self._band_text(value.level))

    def main_widget(self) -> QWidget:
        return self.combo


class FieldsEditor(RuleEditor):
    """Any kind that declares its value fields (``editor = "fields"``): one field per
    declared field, chosen by its type — a number or a count is a number field held to
    its bounds, a text a line — so a new kind needs no editor of its own."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.inputs: dict[str, NumberField | LineField] = {}
        for declared in kind(self.rule.type).fields:
            self.layout_.addWidget(QLabel(f"{declared.label}：", self))
            path = f"values.{self.leaf.id}.{declared.name}"
            widget: NumberField | LineField
            if declared.type in ("number", "count"):
                widget = NumberField(f"{self.leaf.name}{declared.label}", self, path=path,
                                     check=lambda n, label, d=declared: bounds_problem(d, n, label))
                widget.setMaximumWidth(140)
                widget.value_edited.connect(
                    lambda v, name=declared.name: self.apply_change(name, **{name: v}))
            elif declared.type == "text":
                widget = LineField(self)
                widget.setMinimumWidth(200)
                widget.edited.connect(
                    lambda t, name=declared.name: self.apply_change(name, **{name: t.strip() or None}))
            else:  # checks and choices need the rule's items: the kind's own editor
                continue
            widget.setObjectName(declared.name)
            widget.setPlaceholderText(declared.label)
            self.inputs[declared.name] = widget
            self.layout_.addWidget(widget)
            unit = declared.unit or (self.unit if declared.type == "number" else "")
            if unit:
                self.layout_.addWidget(QLabel(unit, self))
        self.layout_.addStretch(1)

    def show_value(self, value: LeafValue, result: LeafResult | None) -> None:
        for name, widget in self.inputs.items():
            if isinstance(widget, NumberField):
                widget.set_value(getattr(value, name))
            else:
                widget.set_text(str(getattr(value, name) or ""))

    def main_widget(self) -> QWidget:
        return next(iter(self.inputs.values()), self)


class EitherEditor(RuleEditor):
    """二者择其一: choose the option assessed, then fill in that option's editor."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        column = QVBoxLayout()
        top = QHBoxLayout()
        top.addWidget(QLabel("评价口径：", self))
        self.combo = QComboBox(self)
        self.combo.setObjectName("option")
        self.combo.addItem("（请选择）", "")
        for option in self.rule.options:
            self.combo.addItem(option.name, option.id)
        top.addWidget(self.combo)
        top.addStretch(1)
        column.addLayout(top)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(QLabel("先选择按哪一项评价。", self))
        self.editors: dict[str, RuleEditor] = {}
        for option in self.rule.options:
            editor = option_editor(self.leaf, option, self)
            editor.edited.connect(self._sub_edited)
            self.editors[option.id] = editor
            self.stack.addWidget(editor)
        column.addWidget(self.stack)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color: #666;")
        column.addWidget(self.summary)
        self.layout_.addLayout(column, 1)
        self.combo.currentIndexChanged.connect(self._show_choice)  # whoever chose
        self.combo.activated.connect(self._picked)  # the clerk chose (after the above)

    def _option(self) -> Option | None:
        return self.rule.option(self.combo.currentData() or "")

    def _show_choice(self) -> None:
        self.stack.setCurrentIndex(max(0, self.combo.currentIndex()))
        option = self._option()
        if option is None:
            self.summary.setText("")
            return
        target = option.target if option.target is not None else self.leaf.target
        self.summary.setText(rule_summary(option.rule, self.leaf.weight, target,
                                          option.unit or self.leaf.unit))

    def _picked(self, index: int) -> None:
        self.apply_change("option", option=self.combo.itemData(index) or None)

    def _sub_edited(self, value: LeafValue, field: str) -> None:
        # the sub-editor changed its copy; keep the chosen option on it
        self.value = replace(value, option=self.value.option)
        self.edited.emit(self.value, field)

    def show_value(self, value: LeafValue, result: LeafResult | None) -> None:
        index = self.combo.findData(value.option or "")
        index = max(0, index)
        if self.combo.currentIndex() != index:
            self.combo.setCurrentIndex(index)
        self._show_choice()
        editor = self.editors.get(value.option or "")
        if editor is not None:
            editor.load(value, result)

    def main_widget(self) -> QWidget:
        return self.combo


# The registry names the way each rule kind's value is entered (RuleKind.editor).
_EDITORS: dict[str, type[RuleEditor]] = {
    "number": NumberEditor,
    "checklist": ChecklistEditor,
    "count": IncidentsEditor,
    "level": CoefficientEditor,
    "score": ManualEditor,
    "level_score": QualitativeEditor,
    "either": EitherEditor,
    "fields": FieldsEditor,
}


def _editor_class(rule: Rule) -> type[RuleEditor]:
    return _EDITORS.get(kind(rule.type).editor, ManualEditor)


def option_editor(leaf: Leaf, option: Option, parent: QWidget | None = None) -> RuleEditor:
    editor_class = _editor_class(option.rule)
    target = option.target if option.target is not None else leaf.target
    return editor_class(leaf, option.rule, option.unit or leaf.unit, target, option.source or leaf.source,
                parent)


def leaf_editor(leaf: Leaf, parent: QWidget | None = None) -> RuleEditor:
    """The editor that fits ``leaf``'s rule."""
    editor = _editor_class(leaf.rule)(leaf, leaf.rule, leaf.unit, leaf.target, leaf.source, parent)
    set_base_tooltip(editor, leaf.criteria)
    return editor


def actual_text(leaf: Leaf, value: LeafValue, result: LeafResult | None) -> str:
    """What the tree's 实际完成值 column shows for a leaf."""
    if value.not_applicable:
        return "不适用"
    if result is not None and result.actual_text:
        # as the exported tables and the report print it: 51场, 100%, 16.5个
        return printed_actual(result, measured(result, value))
    if leaf.rule.type == "manual" and value.score is not None:
        return f"直接评分 {plain(value.score)}"
    if result is not None and result.status == "missing":
        source = result.option.source if result.option and result.option.source else leaf.source
        return "无法计算" if source else "未填写"
    if result is not None and result.status == "invalid":
        return "有误"
    return ""
