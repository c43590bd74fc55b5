"""One widget per parameter type, from which the system editor builds a rule's form.

A rule kind lists its parameters (``forms.rules.Param``: key, Chinese label, type,
unit, bounds, choices, default, hint); ``RuleEditor`` makes one field per parameter
from ``FIELDS`` by the parameter's type.  A kind whose parameters are of these types
gets its form with no desktop change; a genuinely new type of parameter needs one
field class here (二者择其一's option list is one, in ``desktop.system_editor.rules``).

Each field shows its parameter from the rule dict (``load``) and writes every change
the clerk makes into the draft through ``editor.apply``; it listens only to the clerk
(``textEdited``, ``activated``, ``RowTable.rows_changed``), so ``load`` writes nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from desktop.system_editor.widgets import (RowTable, band_rows, fill_combo, select_data, table_box,
                                           text_of)
from forms.numbers import fmt_weight
from forms.rules import Param
from forms.system_edit import NodePath, SystemDraft

if TYPE_CHECKING:
    from desktop.system_editor.rules import RuleEditor

Change = Callable[[SystemDraft, NodePath, "int | None"], None]


def grey(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    return label


def bounds_text(param: Param) -> str:
    """A number's bounds as the clerk reads them: ＞0, ≥0, ≤100."""
    parts = []
    if param.low is not None:
        parts.append(("＞" if param.low_open else "≥") + fmt_weight(param.low))
    if param.high is not None:
        parts.append("≤" + fmt_weight(param.high))
    return "，".join(parts)


class ParamField:
    """The widget of one parameter; ``mark`` is what the live checks paint."""

    labelled = True  # a row with the parameter's label, else the widget spans the row

    def __init__(self, editor: RuleEditor, kind: str, param: Param):
        self.editor, self.kind, self.param = editor, kind, param
        self.widget: QWidget = QWidget()
        self.mark: QWidget = self.widget

    def load(self, rule: dict[str, Any]) -> None:
        raise NotImplementedError

    def write(self, change: Change) -> None:
        self.editor.apply(change)

    def set_param(self, value: object) -> None:
        key = self.param.key
        self.write(lambda d, p, o: d.set_rule_param(p, key, value, o))


class NumberField(ParamField):
    """A number with its unit after it; its bounds and hint beside it."""

    def __init__(self, editor: RuleEditor, kind: str, param: Param):
        super().__init__(editor, kind, param)
        self.edit = QLineEdit()
        self.edit.setObjectName(f"{kind}_{param.key}")
        self.edit.setMaximumWidth(120)
        self.edit.textEdited.connect(self.set_param)
        row = QHBoxLayout(self.widget)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        if param.unit:
            row.addWidget(QLabel(param.unit))
        side = "；".join(t for t in (bounds_text(param), param.hint) if t)
        if side:
            row.addWidget(grey(side), 1)
        else:
            row.addStretch(1)
        tip = "；".join(t for t in ("可不填" if param.optional else "", side) if t)
        self.edit.setToolTip(tip)
        self.mark = self.edit

    def load(self, rule: dict[str, Any]) -> None:
        self.edit.setText(text_of(rule.get(self.param.key)))


class TextField(ParamField):
    def __init__(self, editor: RuleEditor, kind: str, param: Param):
        super().__init__(editor, kind, param)
        self.edit = QLineEdit()
        self.edit.setObjectName(f"{kind}_{param.key}")
        self.edit.setPlaceholderText(param.hint)
        self.edit.setToolTip(param.hint)
        self.edit.textEdited.connect(self.set_param)
        self.widget = self.mark = self.edit

    def load(self, rule: dict[str, Any]) -> None:
        self.edit.setText(str(rule.get(self.param.key) or ""))


class ChoiceField(ParamField):
    def __init__(self, editor: RuleEditor, kind: str, param: Param):
        super().__init__(editor, kind, param)
        self.combo = QComboBox()
        self.combo.setObjectName(f"{kind}_{param.key}")
        self.combo.setToolTip(param.hint)
        fill_combo(self.combo, param.choices)
        self.combo.activated.connect(lambda: self.set_param(self.combo.currentData()))
        self.widget = self.mark = self.combo

    def load(self, rule: dict[str, Any]) -> None:
        select_data(self.combo, rule.get(self.param.key) or self.param.default)


class TableField(ParamField):
    """A parameter entered as rows of a small table, under its hint."""

    labelled = False
    headers: tuple[str, ...] = ()

    def __init__(self, editor: RuleEditor, kind: str, param: Param):
        super().__init__(editor, kind, param)
        self.table = RowTable(self.headers)
        self.table.setObjectName(param.key)
        self.table.rows_changed.connect(self.rows_changed)
        self.widget = table_box(self.table, param.hint or f"{param.label}：")
        self.mark = self.table

    def rows_changed(self, rows: list[tuple[str, ...]]) -> None:
        raise NotImplementedError


class BandsField(TableField):
    headers = ("下限（含）", "上限（含）", "得分")

    def load(self, rule: dict[str, Any]) -> None:
        self.table.set_rows(band_rows(rule.get(self.param.key), "score"))

    def rows_changed(self, rows: list[tuple[str, ...]]) -> None:
        typed = [(r[0], r[1], r[2]) for r in rows]
        self.write(lambda d, p, o: d.set_bands(p, typed, o))


class ItemsField(TableField):
    headers = ("检查内容", "分值")

    def load(self, rule: dict[str, Any]) -> None:
        self.table.set_rows([(text_of(i.get("label")), text_of(i.get("points")))
                             for i in rule.get(self.param.key) or [] if isinstance(i, dict)])

    def rows_changed(self, rows: list[tuple[str, ...]]) -> None:
        typed = [(r[0], r[1]) for r in rows]
        self.write(lambda d, p, o: d.set_items(p, typed, o))


class LevelsField(TableField):
    headers = ("等级", "系数（%）")

    def load(self, rule: dict[str, Any]) -> None:
        levels = rule.get(self.param.key)
        levels = levels if isinstance(levels, dict) else {}
        self.table.set_rows([(str(k), text_of(v)) for k, v in levels.items()])

    def rows_changed(self, rows: list[tuple[str, ...]]) -> None:
        typed = [(r[0], r[1]) for r in rows]
        self.write(lambda d, p, o: d.set_levels(p, typed, o))


class OvershootField(ParamField):
    """偏离扣分: 超过指标值 [30] % 及以上，扣 [2] 分; both empty for none."""

    labelled = False

    def __init__(self, editor: RuleEditor, kind: str, param: Param):
        super().__init__(editor, kind, param)
        self.box = self.widget
        row = QHBoxLayout(self.box)
        row.setContentsMargins(0, 0, 0, 0)
        self.percent = QLineEdit()
        self.percent.setObjectName("overshoot_percent")
        self.points = QLineEdit()
        self.points.setObjectName("overshoot_points")
        row.addWidget(QLabel(f"{param.label}：超过指标值"))
        row.addWidget(self.percent)
        row.addWidget(QLabel("% 及以上，扣"))
        row.addWidget(self.points)
        row.addWidget(QLabel("分（不设则留空）"))
        row.addStretch(1)
        for edit in (self.percent, self.points):
            edit.setMaximumWidth(60)
            edit.setToolTip(param.hint)
            edit.textEdited.connect(lambda _t: self.changed())
        self.mark = self.percent

    def load(self, rule: dict[str, Any]) -> None:
        shoot = rule.get(self.param.key)
        shoot = shoot if isinstance(shoot, dict) else {}
        self.percent.setText(text_of(shoot.get("percent")))
        self.points.setText(text_of(shoot.get("points")))

    def changed(self) -> None:
        percent, points = self.percent.text(), self.points.text()
        self.write(lambda d, p, o: d.set_overshoot(p, percent, points, o))


class ExemptField(ParamField):
    """免评: 若 [单位无项目] 标为不适用，得 [2] 分 (empty: full marks); no situation, none."""

    labelled = False

    def __init__(self, editor: RuleEditor, kind: str, param: Param):
        super().__init__(editor, kind, param)
        row = QHBoxLayout(self.widget)
        row.setContentsMargins(0, 0, 0, 0)
        self.reason = QLineEdit()
        self.reason.setObjectName(f"{kind}_exempt_reason")
        self.reason.setPlaceholderText("如 单位无项目")
        self.score = QLineEdit()
        self.score.setObjectName(f"{kind}_exempt_score")
        self.score.setPlaceholderText("满分")
        self.score.setMaximumWidth(60)
        row.addWidget(QLabel(f"{param.label}：若"))
        row.addWidget(self.reason, 1)
        row.addWidget(QLabel("，得"))
        row.addWidget(self.score)
        row.addWidget(QLabel("分"))
        for edit in (self.reason, self.score):
            edit.setToolTip(param.hint)
        self.reason.textEdited.connect(
            lambda t: self.write(lambda d, p, o: d.set_rule_param(p, "exempt_reason", t.strip(), o)))
        self.score.textEdited.connect(
            lambda t: self.write(lambda d, p, o: d.set_rule_param(p, "exempt_score", t, o)))
        self.mark = self.reason

    def load(self, rule: dict[str, Any]) -> None:
        self.reason.setText(str(rule.get("exempt_reason") or ""))
        self.score.setText(text_of(rule.get("exempt_score")))


class UnknownField(ParamField):
    """A parameter type the editor has no widget for: said, not hidden."""

    def __init__(self, editor: RuleEditor, kind: str, param: Param):
        super().__init__(editor, kind, param)
        self.widget = self.mark = grey(f"（“{param.kind}”类参数不能在此编辑）")

    def load(self, rule: dict[str, Any]) -> None:
        pass


# parameter type → its field; ``desktop.system_editor.rules`` adds 二者择其一's options
FIELDS: dict[str, type[ParamField]] = {
    "number": NumberField, "text": TextField, "choice": ChoiceField, "bands": BandsField,
    "items": ItemsField, "levels": LevelsField, "overshoot": OvershootField,
    "exempt": ExemptField,
}

