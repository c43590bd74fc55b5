"""The editor of one leaf's value, built from the value fields its rule's kind declares.

One input per declared field, by the field's *type*, in the declared order
(``forms.value_fields``); no kind has an editor of its own:

| field type | input |
|---|---|
| number | a number field held to the field's bounds (for the actual value of a leaf with a ``source``: the computed value, read-only) |
| count | a count (次数), empty or 0–9999 |
| text | a line |
| choice | a list of what the kind offers (``RuleKind.choices``: the levels, the options); a number declared ``instead`` of it is one more entry, "按…填写" |
| checks | one check box per item the kind lists (``RuleKind.choices``), with its points |

After each field, what the kind says (``RuleKind.suffix``: the unit, the band of a
定性 level, the points per incident).  A kind with ``branches`` (二者择其一) has, below
its choice, one editor per alternative, built the same way from that alternative's rule.

The editor holds no copy of the value.  ``load`` shows what it is given (the
document's value), and ``edited(changes, field)`` sends only what the clerk changed:
``changes`` maps field names to their new values (None clears); the panel applies
them to the value the document holds at that moment.  A field that must read the
current value to say what changed (the items of a checklist the system no longer
has are kept) reads it through ``current``, from the same source.  Only the
clerk's edits are reported: the inputs listen to user-only signals (``clicked``,
``activated``, ``textEdited``) or show values with their signals blocked
(``widgets.showing``), so what ``load`` shows never echoes back as an edit.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QSignalBlocker, Signal
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
from forms.address import LeafField
from forms.leaf_entry import bounds_problem, instead_problem
from forms.model import LeafValue
from forms.numbers import fmt2, plain
from forms.rules import describe, kind
from forms.scoring import LeafResult
from forms.system import SOURCES, Leaf, Option, Rule
from forms.value_fields import ACTUAL, ValueField

from desktop.common.widgets import (
    COMPUTED_BG,
    CountSpin,
    LineField,
    NumberField,
    WrapCheckBox,
    set_base_tooltip,
)

Reader = Callable[[], LeafValue]
Shows = Callable[[LeafValue, LeafResult | None], None]
INSTEAD = "__instead__:"  # a choice's entry that shows the number entered instead of it


def rule_summary(rule: Rule, weight: Decimal, target: Decimal | None, unit: str) -> str:
    """How the rule scores, in one Chinese sentence (shown under the editor): the
    registry's description, so the editor, the report and the workbook say the same."""
    if kind(rule.type).branches(rule):
        return "二者择其一：先选择评价口径，再填写该口径的实际完成值。"
    return describe(rule, weight, target, unit) + "。"


class RuleEditor(QWidget):
    """One input per value field of the rule's kind; ``edited`` carries the changes."""

    edited = Signal(object, str)  # {field name: new value}, the field the clerk edited

    def __init__(self, leaf: Leaf, rule: Rule, unit: str, target: Decimal | None,
                 source: str | None, parent: QWidget | None = None,
                 current: Reader | None = None):
        super().__init__(parent)
        self.leaf = leaf
        self.rule = rule
        self.unit = unit
        self.target = target
        self.source = source
        self.spec = kind(rule.type)
        # reads the value from its one source when an edit must know it (never kept)
        self.current: Reader = current if current is not None else LeafValue
        self.inputs: dict[str, QWidget] = {}  # by field name: the widget the clerk edits
        self.editors: dict[str, RuleEditor] = {}  # 二者择其一: one editor per alternative
        self.number: NumberField | None = None  # the first number typed (实际完成值, 得分)
        self.percent: NumberField | None = None  # a number entered instead of a choice
        self.spin: CountSpin | None = None
        self.combo: QComboBox | None = None  # the first choice
        self.boxes: dict[str, QCheckBox] = {}  # the first checklist's boxes, by item id
        self._shows: list[Shows] = []
        self._main: QWidget | None = None
        fields = self.spec.fields
        branches = self.spec.branches(rule)
        labelled = len([f for f in fields if not f.instead]) > 1 or bool(branches)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        self.row = QHBoxLayout()
        column.addLayout(self.row)
        for declared in fields:
            if labelled and not declared.instead:
                self.row.addWidget(QLabel(f"{self.spec.label(rule, declared)}：", self))
            build = {"number": self._number, "count": self._count, "text": self._text,
                     "choice": self._choice, "checks": self._checks}[declared.type]
            build(declared)
        self.row.addStretch(1)
        if branches:
            self._branches(branches, column)

    # ---- the inputs, one per field type
    def _suffix(self, declared: ValueField) -> QLabel:
        label = QLabel(self)
        label.setObjectName(f"{declared.name}.suffix")

        def show(value: LeafValue, _result: LeafResult | None) -> None:
            label.setText(self.spec.suffix(self.rule, declared, self.leaf.weight, self.unit, value))

        self._shows.append(show)
        return label

    def _send(self, declared: ValueField, new: Any) -> None:
        """The clerk entered ``new`` in ``declared``: a field entered instead of it (or
        that it is entered instead of) is cleared in the same edit."""
        changes = {f.name: None for f in self.spec.fields
                   if f.name == declared.instead or (f.instead and f.instead == declared.name)}
        changes[declared.name] = new
        self.edited.emit(changes, declared.name)

    def _first(self, widget: QWidget) -> None:
        if self._main is None:
            self._main = widget

    def _number(self, declared: ValueField) -> None:
        if self.source and self.spec.reads_actual and declared == ACTUAL:
            self._computed()
            return
        label = f"{self.leaf.name}{declared.label}"
        check: Callable[[Decimal | None, str], str] = (
            lambda n, label: bounds_problem(declared, n, label))
        choice = next((f for f in self.spec.fields if f.name == declared.instead), None)
        if choice is not None:  # refused with the same words as the tree's cell
            names = [stored for stored, _label in self.spec.choices(self.rule, choice)]
            label = f"{self.leaf.name}{choice.label}或{declared.label}"
            check = lambda n, label: instead_problem(declared, n, label, names)
        field = NumberField(label, self, path=str(LeafField(self.leaf.id, declared.name)),
                            check=check)
        field.setObjectName(declared.name)
        field.setMaximumWidth(160)
        field.setPlaceholderText(self.spec.label(self.rule, declared))
        field.value_edited.connect(lambda v: self._send(declared, v))
        self.inputs[declared.name] = field
        suffix = self._suffix(declared)
        if declared.instead:
            self.percent = self.percent or field
            field.setVisible(False)  # shown when its entry of the choice is chosen
            suffix.setVisible(False)
        else:
            self.number = self.number or field
            self._first(field)
        self.row.addWidget(field)
        self.row.addWidget(suffix)
        self._shows.append(lambda value, _r: field.set_value(getattr(value, declared.name)))

    def _computed(self) -> None:
        """The actual value of a leaf with a ``source``: computed from the budget table."""
        name, how = SOURCES.get(self.source or "", (self.source, ""))
        computed = QLabel(self)
        computed.setObjectName("computed")
        computed.setMinimumWidth(160)
        computed.setStyleSheet(f"QLabel {{ background: {COMPUTED_BG}; padding: 3px 8px; "
                               "border: 1px solid #c8ced6; }")
        computed.setToolTip(f"{name}由收支情况自动计算：{how}，不能直接填写")
        note = QLabel(f"自动计算：{how}", self)
        note.setStyleSheet("color: #666;")
        self.row.addWidget(computed)
        self.row.addWidget(note, 1)
        self._first(computed)

        def show(_value: LeafValue, result: LeafResult | None) -> None:
            if result is not None and result.actual is not None:
                computed.setText(f"{fmt2(result.actual)}{self.unit}")
            else:
                computed.setText(result.message if result is not None and result.message
                                 else "无法计算")

        self._shows.append(show)

    def _count(self, declared: ValueField) -> None:
        spin = CountSpin(self)
        spin.setObjectName(declared.name)
        spin.setMinimumWidth(110)
        spin.count_edited.connect(lambda v: self._send(declared, v))
        self.inputs[declared.name] = spin
        self.spin = self.spin or spin
        self._first(spin)
        self.row.addWidget(spin)
        self.row.addWidget(self._suffix(declared))

        def show(value: LeafValue, _result: LeafResult | None) -> None:
            count = getattr(value, declared.name)
            if count is not None and (count < 0 or count != count.to_integral_value()):
                count = None  # an impossible count stays in the data; validation names it
            spin.set_count(count)

        self._shows.append(show)

    def _text(self, declared: ValueField) -> None:
        line = LineField(self)
        line.setObjectName(declared.name)
        line.setMinimumWidth(200)
        line.setPlaceholderText(self.spec.label(self.rule, declared))
        line.edited.connect(lambda t: self._send(declared, t.strip() or None))
        self.inputs[declared.name] = line
        self._first(line)
        self.row.addWidget(line)
        self.row.addWidget(self._suffix(declared))
        self._shows.append(lambda value, _r: line.set_text(str(getattr(value, declared.name) or "")))

    def _choice(self, declared: ValueField) -> None:
        combo = QComboBox(self)
        combo.setObjectName(declared.name)
        combo.addItem("（请选择）", "")
        for stored, label in self.spec.choices(self.rule, declared):
            combo.addItem(label, stored)
        others = [f for f in self.spec.fields if f.instead == declared.name]
        for other in others:
            combo.addItem(f"按{other.label}填写（{other.unit}）" if other.unit
                          else f"按{other.label}填写", INSTEAD + other.name)
        self.inputs[declared.name] = combo
        self.combo = self.combo or combo
        self._first(combo)
        self.row.addWidget(combo)

        def shown_instead() -> None:  # whoever chose: the number entered instead follows
            data = combo.currentData()
            for other in others:
                widget = self.inputs.get(other.name)
                if widget is not None:
                    visible = data == INSTEAD + other.name
                    widget.setVisible(visible)
                    suffix = self.findChild(QLabel, f"{other.name}.suffix")
                    if suffix is not None:
                        suffix.setVisible(visible)

        def picked(index: int) -> None:  # the clerk chose (after the above)
            data = str(combo.itemData(index) or "")
            if data.startswith(INSTEAD):
                widget = self.inputs.get(data[len(INSTEAD):])
                if widget is not None:
                    widget.setFocus()
                if getattr(self.current(), declared.name):  # the chosen level goes
                    self._send(declared, None)
            else:
                self._send(declared, data or None)

        def show(value: LeafValue, _result: LeafResult | None) -> None:
            chosen = getattr(value, declared.name)
            index = 0
            if chosen:
                index = max(combo.findData(chosen), 0)  # one it does not have: validation names it
            else:
                for other in others:
                    if (getattr(value, other.name) is not None
                            or combo.currentData() == INSTEAD + other.name):
                        index = combo.findData(INSTEAD + other.name)
            if combo.currentIndex() != index:
                with QSignalBlocker(combo):
                    combo.setCurrentIndex(index)
            shown_instead()

        combo.currentIndexChanged.connect(lambda _i: shown_instead())
        combo.activated.connect(picked)
        self._shows.append(show)

    def _checks(self, declared: ValueField) -> None:
        column = QVBoxLayout()
        column.setSpacing(2)
        boxes: dict[str, QCheckBox] = {}
        items = self.spec.choices(self.rule, declared)
        for item_id, label in items:
            box: QCheckBox = WrapCheckBox(label, self)
            box.setObjectName(f"item.{item_id}")
            boxes[item_id] = box
            column.addWidget(box)
            self._first(box)

        def ticked(_checked: bool = False) -> None:
            # the system's item order, so that the saved value reads like the notice; ids
            # the system no longer has are kept (validation names them, the clerk decides)
            chosen = tuple(i for i, _label in items if boxes[i].isChecked())
            unknown = tuple(c for c in (getattr(self.current(), declared.name) or ())
                            if c not in boxes)
            self._send(declared, unknown + chosen)

        for box in boxes.values():
            box.clicked.connect(ticked)  # the clerk's tick, not setChecked

        def show(value: LeafValue, _result: LeafResult | None) -> None:
            chosen = set(getattr(value, declared.name) or ())
            for item_id, box in boxes.items():
                if box.isChecked() != (item_id in chosen):
                    with QSignalBlocker(box):
                        box.setChecked(item_id in chosen)

        if not self.boxes:
            self.boxes = boxes
        host = QWidget(self)
        host.setObjectName(declared.name)
        host.setLayout(column)
        self.inputs[declared.name] = host
        self.row.addWidget(host)
        self._shows.append(show)

    # ---- 二者择其一: the alternative chosen, then its own editor
    def _branches(self, branches: tuple[Option, ...], column: QVBoxLayout) -> None:
        self.stack = QStackedWidget(self)
        self.stack.addWidget(QLabel("先选择按哪一项评价。", self))
        for option in branches:
            editor = option_editor(self.leaf, option, self, self.current)
            editor.edited.connect(self.edited.emit)  # its own fields only: the choice stays
            self.editors[option.id] = editor
            self.stack.addWidget(editor)
        column.addWidget(self.stack)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("color: #666;")
        column.addWidget(self.summary)
        if self.combo is not None:
            self.combo.currentIndexChanged.connect(lambda _i: self._show_branch())

    def _show_branch(self) -> None:
        chosen = str(self.combo.currentData() or "") if self.combo is not None else ""
        editor = self.editors.get(chosen)
        self.stack.setCurrentIndex(self.stack.indexOf(editor) if editor is not None else 0)
        option = self.rule.option(chosen)
        if option is None:
            self.summary.setText("")
            return
        target = option.target if option.target is not None else self.leaf.target
        self.summary.setText(rule_summary(option.rule, self.leaf.weight, target,
                                          option.unit or self.leaf.unit))

    # ---- shown from the document
    def load(self, value: LeafValue, result: LeafResult | None) -> None:
        """Show ``value`` (what the document holds); nothing shown is reported as an edit."""
        for show in self._shows:
            show(value, result)
        if self.editors:
            self._show_branch()
            editor = self.editors.get(value.option or "")
            if editor is not None:
                editor.load(value, result)

    def input(self, name: str) -> QWidget | None:
        """The widget of field ``name``: this rule's, or the alternative's shown."""
        if name in self.inputs:
            return self.inputs[name]
        shown = self.stack.currentWidget() if self.editors else None
        return shown.input(name) if isinstance(shown, RuleEditor) else None

    def main_widget(self) -> QWidget:
        """The widget to focus when the clerk jumps to this leaf."""
        return self._main if self._main is not None else self


def option_editor(leaf: Leaf, option: Option, parent: QWidget | None = None,
                  current: Reader | None = None) -> RuleEditor:
    target = option.target if option.target is not None else leaf.target
    return RuleEditor(leaf, option.rule, option.unit or leaf.unit, target,
                      option.source or leaf.source, parent, current)


def leaf_editor(leaf: Leaf, parent: QWidget | None = None,
                current: Reader | None = None) -> RuleEditor:
    """The editor that fits ``leaf``'s rule; ``current`` reads the value it edits."""
    editor = RuleEditor(leaf, leaf.rule, leaf.unit, leaf.target, leaf.source, parent, current)
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
