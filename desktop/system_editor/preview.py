"""试算: the preview of the system editor.

``PreviewBox`` scores the leaf being edited for a test value with the real
scoring code (``forms.scoring.score_leaf`` on the draft leaf), so the clerk sees
that "每超过一个百分点扣0.5分" does what the notice says.  The inputs follow the
rule: a test actual value, the checklist's items to tick, a level, a count, a
given score, and for 二者择其一 the option first.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker
from PySide6.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout,
                               QWidget)

from desktop.common.widgets import WrapCheckBox
from desktop.system_editor.widgets import object_of, select_data, text_of
from forms.model import LeafValue
from forms.numbers import NumberError, fmt_weight, parse_number
from forms.rules import kind as rule_kind
from forms.scoring import INVALID, MISSING, NOT_APPLICABLE
from forms.system_edit import NodePath, SystemDraft, preview_score
from forms.value_fields import VALUE_FIELDS, ValueField


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
        self.actual = QLineEdit()
        self.actual.setObjectName("preview_actual")
        self.actual.setPlaceholderText("输入一个实际值试算，如 103.4")
        self.checks = QWidget()
        self.checks_layout = QVBoxLayout(self.checks)
        self.checks_layout.setContentsMargins(0, 0, 0, 0)
        self.level = QComboBox()
        self.level.setObjectName("preview_level")
        self.result = QLabel()
        self.result.setObjectName("preview_result")
        self.result.setStyleSheet("font-weight: bold; font-size: 12pt;")
        self.result.setWordWrap(True)
        self.rows: dict[str, tuple[QLabel | None, QWidget]] = {}
        # a kind edited by its declared fields (editor "fields"): one line per field
        self.fields = QWidget()
        self.fields_layout = QFormLayout(self.fields)
        self.fields_layout.setContentsMargins(0, 0, 0, 0)
        self.field_inputs: dict[str, QLineEdit] = {}
        self.actual_label = QLabel("测试实际值：")  # or 发生次数, 给定得分, as the kind asks
        for key, lab, widget in (("option", QLabel("评价口径："), self.option),
                                 ("actual", self.actual_label, self.actual),
                                 ("checks", QLabel("勾选符合项："), self.checks),
                                 ("level", QLabel("等级："), self.level)):
            form.addRow(lab, widget)
            self.rows[key] = (lab, widget)
        form.addRow(self.fields)  # no label of its own: each field has one
        self.rows["fields"] = (None, self.fields)
        form.addRow("试算得分：", self.result)
        self.actual.textChanged.connect(self.recompute)
        self.level.currentIndexChanged.connect(self.recompute)
        self.option.currentIndexChanged.connect(self._option_changed)
        self.boxes: list[QCheckBox] = []
        self._signature: list[tuple[str, str, str]] | None = None  # the checklist shown

    def _show(self, key: str, visible: bool) -> None:
        label, widget = self.rows[key]
        if label is not None:
            label.setVisible(visible)
        widget.setVisible(visible)

    def load(self, path: NodePath) -> None:
        """Rebuild the inputs for the leaf's current rule (keeping the typed test value)."""
        self.path = path
        node = self._draft().node(path)
        rule = object_of(node.get("rule"))
        options = [o for o in rule.get("options") or [] if isinstance(o, dict)] \
            if rule.get("type") == "either" else []
        # the option and level lists are refilled: one recompute at the end, not one each
        with QSignalBlocker(self.option), QSignalBlocker(self.level):
            if options:
                chosen = self.option.currentData()
                self.option.clear()
                for opt in options:
                    self.option.addItem(str(opt.get("name") or opt.get("id")), opt.get("id"))
                select_data(self.option, chosen)
                effective = options[max(self.option.currentIndex(), 0)].get("rule") or {}
            else:
                self.option.clear()
                effective = rule
            kind = effective.get("type")
            editor = rule_kind(str(kind)).editor  # how a value of this kind is entered
            self._show("option", bool(options))
            self._show("actual", editor in ("number", "count", "score", "level_score"))
            self.actual_label.setText({"count": "发生次数：", "score": "给定得分：",
                                       "level_score": "给定得分："}.get(editor, "测试实际值："))
            self._show("checks", editor == "checklist")
            self._show("level", editor in ("level", "level_score"))
            self._show("fields", editor == "fields")
            if editor == "fields":
                self._field_inputs(rule_kind(str(kind)).fields)
            items = [(str(i.get("id")), str(i.get("label") or i.get("id")), text_of(i.get("points")))
                     for i in effective.get("items") or [] if isinstance(i, dict)]
            if items != self._signature:
                self._signature = items
                for box in self.boxes:
                    box.setParent(None)
                self.boxes = []
                for item_id, label, points in items:
                    box = WrapCheckBox(f"{label}（{points}分）")
                    box.setProperty("item_id", item_id)
                    box.toggled.connect(self.recompute)
                    self.checks_layout.addWidget(box)
                    self.boxes.append(box)
            levels = object_of(effective.get("levels"))
            chosen_level = self.level.currentText()
            self.level.clear()
            self.level.addItem("（未选）")
            self.level.addItems([str(k) for k in levels])
            self.level.setCurrentIndex(max(self.level.findText(chosen_level), 0))
        self.recompute()

    def _field_inputs(self, fields: tuple[ValueField, ...]) -> None:
        """One line per declared number, count or text field, kept while the kind stays."""
        wanted = [f for f in fields if f.type in ("number", "count", "text")]
        if [f.name for f in wanted] == list(self.field_inputs):
            return
        while self.fields_layout.rowCount():
            self.fields_layout.removeRow(0)
        self.field_inputs = {}
        for declared in wanted:
            edit = QLineEdit()
            edit.setObjectName(f"preview_{declared.name}")
            edit.setPlaceholderText(declared.label + (f"（{declared.unit}）" if declared.unit else ""))
            edit.textChanged.connect(self.recompute)
            self.fields_layout.addRow(f"{declared.label}：", edit)
            self.field_inputs[declared.name] = edit

    def _option_changed(self) -> None:
        if self.path:
            self.load(self.path)

    def test_value(self) -> LeafValue | str:
        """The test value typed, or a Chinese message saying what is missing."""
        node = self._draft().node(self.path)
        rule = object_of(node.get("rule"))
        option = self.option.currentData() if rule.get("type") == "either" else None
        kind = rule.get("type")
        if option is not None:
            for opt in rule.get("options") or []:
                if isinstance(opt, dict) and opt.get("id") == option:
                    kind = (opt.get("rule") or {}).get("type")
        editor = rule_kind(str(kind)).editor  # the value a clerk enters for this kind
        if editor == "checklist":
            checked = tuple(str(b.property("item_id")) for b in self.boxes if b.isChecked())
            return LeafValue(checked=checked, option=option)
        level = self.level.currentText() if self.level.currentIndex() > 0 else None
        if editor == "fields":
            typed: dict[str, Any] = {}
            for name, edit in self.field_inputs.items():
                declared = VALUE_FIELDS.get(name)
                if declared is not None and declared.type == "text":
                    typed[name] = edit.text().strip() or None
                    continue
                try:
                    typed[name] = parse_number(edit.text(), "测试值", required=False)
                except NumberError as exc:
                    return str(exc)
            return LeafValue(option=option, **typed)
        if editor == "level":
            return LeafValue(level=level, option=option)
        text = self.actual.text()
        try:
            number = parse_number(text, "测试值", required=False)
        except NumberError as exc:
            return str(exc)
        if editor == "count":
            return LeafValue(count=number, option=option)
        if editor == "score":
            return LeafValue(score=number, option=option)
        if editor == "level_score":  # 定性: the level and a score inside its band
            return LeafValue(level=level, score=number, option=option)
        return LeafValue(actual=number, option=option)

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
