"""试算: the preview of the system editor.

``PreviewBox`` scores the leaf being edited for a test value with the real
scoring code (``forms.scoring.score_leaf`` on the draft leaf), so the clerk sees
that "每超过一个百分点扣0.5分" does what the notice says.  Its inputs are built
from the same declaration as the indicator page's editors: one per value field
the rule's kind declares, by the field's type (a line for a number, count or
text, a list of the kind's ``choices`` for a choice, its items to tick for
checks), and for a kind with ``branches`` (二者择其一) the alternative first.
A test value is typed freely: what is not a number is said in the result line.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QWidget

from desktop.common.widgets import WrapCheckBox
from desktop.system_editor.widgets import select_data
from forms.model import LeafValue
from forms.numbers import NumberError, fmt_weight, parse_number
from forms.rules import Rule
from forms.rules import kind as rule_kind
from forms.scoring import INVALID, MISSING, NOT_APPLICABLE
from forms.system_edit import NodePath, SystemDraft, draft_leaf, preview_score
from forms.value_fields import OPTION, ValueField

class PreviewBox(QWidget):
    """试算: a test value for the leaf being edited, and the score it gets."""

    def __init__(self, draft_getter: Callable[[], SystemDraft], parent: QWidget | None = None):
        super().__init__(parent)
        self._draft = draft_getter
        self.path: NodePath = ()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.option = QComboBox()
        self.option.setObjectName("preview_option")
        self.option_label = QLabel("评价口径：")
        form.addRow(self.option_label, self.option)
        # one row per declared value field, rebuilt when the fields or their choices change
        self.fields = QWidget()
        self.fields_layout = QFormLayout(self.fields)
        self.fields_layout.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.fields)
        self.result = QLabel()
        self.result.setObjectName("preview_result")
        self.result.setStyleSheet("font-weight: bold; font-size: 12pt;")
        self.result.setWordWrap(True)
        form.addRow("试算得分：", self.result)
        self.inputs: dict[str, QWidget] = {}  # by field name
        self.boxes: list[QCheckBox] = []  # a checks field's items
        self._declared: tuple[ValueField, ...] = ()
        self._signature: Any = None
        self.option.currentIndexChanged.connect(self._option_changed)

    # the inputs the clerk (and the tests) reach by what they are
    @property
    def actual(self) -> QLineEdit | None:
        """The first line typed: the test actual value, count or score."""
        return next((w for w in self.inputs.values() if isinstance(w, QLineEdit)), None)

    @property
    def level(self) -> QComboBox | None:
        """The first list to choose from (等级)."""
        return next((w for w in self.inputs.values() if isinstance(w, QComboBox)), None)

    def _rule(self) -> Rule | None:
        node = self._draft().node(self.path)
        try:
            return draft_leaf(node).rule
        except (AssertionError, ValueError, TypeError, KeyError):  # a draft too broken to read
            return None

    def load(self, path: NodePath) -> None:
        """Rebuild the inputs for the leaf's current rule (keeping the typed test values)."""
        self.path = path
        rule = self._rule()
        spec = rule_kind(rule.type) if rule is not None else rule_kind("manual")
        branches = spec.branches(rule) if rule is not None else ()
        with QSignalBlocker(self.option):  # refilled: one recompute at the end
            chosen = self.option.currentData()
            self.option.clear()
            if rule is not None and branches:
                for stored, label in spec.choices(rule, OPTION):
                    self.option.addItem(label, stored)
                select_data(self.option, chosen)
        self.option.setVisible(bool(branches))
        self.option_label.setVisible(bool(branches))
        effective = rule
        if rule is not None and branches:
            picked = rule.option(str(self.option.currentData() or ""))
            effective = picked.rule if picked is not None else branches[0].rule
        self._build(effective)
        self.recompute()

    def _build(self, rule: Rule | None) -> None:
        """One row per field of the rule's kind, by its type; kept while nothing changed."""
        spec = rule_kind(rule.type if rule is not None else "manual")
        declared = spec.fields
        choices = tuple(spec.choices(rule, f) if rule is not None else () for f in declared)
        labels = tuple(spec.label(rule, f) if rule is not None else f.label for f in declared)
        signature = (tuple(f.name for f in declared), labels, choices)
        if signature == self._signature:
            return
        self._signature = signature
        typed = {name: w.text() for name, w in self.inputs.items() if isinstance(w, QLineEdit)}
        picked = {name: w.currentData() for name, w in self.inputs.items()
                  if isinstance(w, QComboBox)}
        while self.fields_layout.rowCount():
            self.fields_layout.removeRow(0)
        self.inputs, self.boxes, self._declared = {}, [], declared
        for field, offered in zip(declared, choices, strict=True):
            name = spec.label(rule, field) if rule is not None else field.label
            label = name + (f"（{field.unit}）" if field.unit else "") + "："
            widget: QWidget
            if field.type == "choice":
                combo = QComboBox()
                combo.addItem("（未选）", None)
                for stored, text in offered:
                    combo.addItem(text, stored)
                select_data(combo, picked.get(field.name))
                combo.currentIndexChanged.connect(self.recompute)
                widget = combo
            elif field.type == "checks":
                widget = QWidget()
                column = QFormLayout(widget)
                column.setContentsMargins(0, 0, 0, 0)
                for item_id, text in offered:
                    box = WrapCheckBox(text)
                    box.setProperty("item_id", item_id)
                    box.toggled.connect(self.recompute)
                    column.addRow(box)
                    self.boxes.append(box)
            else:
                line = QLineEdit()
                line.setPlaceholderText("输入一个值试算，如 103.4" if field.type == "number"
                                        else name)
                line.setText(typed.get(field.name, ""))
                line.textChanged.connect(self.recompute)
                widget = line
            widget.setObjectName(f"preview_{field.name}")
            self.inputs[field.name] = widget
            self.fields_layout.addRow(label, widget)

    def _option_changed(self) -> None:
        if self.path:
            self.load(self.path)

    def test_value(self) -> LeafValue | str:
        """The test value typed, or a Chinese message saying what is wrong."""
        typed: dict[str, Any] = {}
        for field in self._declared:
            widget = self.inputs.get(field.name)
            if field.type == "checks":
                typed[field.name] = tuple(str(b.property("item_id")) for b in self.boxes
                                          if b.isChecked())
            elif isinstance(widget, QComboBox):
                typed[field.name] = widget.currentData() or None
            elif isinstance(widget, QLineEdit) and field.type == "text":
                typed[field.name] = widget.text().strip() or None
            elif isinstance(widget, QLineEdit):
                try:
                    typed[field.name] = parse_number(widget.text(), "测试值", required=False)
                except NumberError as exc:
                    return str(exc)
        if self.option.count():  # 二者择其一: the alternative chosen
            typed["option"] = self.option.currentData()
        return LeafValue(**typed)

    def recompute(self) -> None:
        if not self.path:  # a leaf sits at level 2, 3 or 4
            return
        node = self._draft().node(self.path)
        value = self.test_value()
        if isinstance(value, str):
            self.result.setText(value)
            self.result.setStyleSheet("color: #c0392b; font-weight: bold;")
            return
        result = preview_score(node, value)
        try:
            weight = fmt_weight(parse_number(node.get("weight")) or Decimal(0))
        except NumberError:
            weight = "?"
        if result.status in (MISSING, INVALID, NOT_APPLICABLE):
            text = result.message or "请输入测试值"
            self.result.setStyleSheet("color: #b7791f; font-weight: bold;")
        else:
            text = f"{result.score} / {weight} 分"
            self.result.setStyleSheet("color: #1a5fb4; font-weight: bold; font-size: 12pt;")
        self.result.setText(text)

    def score_text(self) -> str:
        return self.result.text()
