"""A rule kind added to the registry gets its editor form with no desktop change.

The kind below (线性计分: full marks at one line, none at another, in proportion
between) exists only in this test.  It is made of standard parameter types —
numbers with a unit and bounds, a choice, a text and 偏离扣分 — so the system
editor must build its form from the registry, write what the clerk types into the
draft, check it live, preview it, save it, and the saved system must score it.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from forms import rules
from forms.model import LeafValue
from forms.numbers import ZERO, fmt_weight
from forms.rules import OVERSHOOT_PARAM, NumericKind, Param, Rule
from system_editor_driving import (  # noqa: F401 (fixtures: the editor, recorded messages)
    _qt,
    choose,
    click,
    editor,
    node,
    retype,
    send_text,
)

D = Decimal


class Linear(NumericKind):
    key, name = "linear", "线性计分"
    note = "达到满分线得满分，低于零分线不得分，其间按比例计分。"
    params = (Param("full", "满分线", 100, unit="%", low=ZERO),
              Param("zero", "零分线", 60, unit="%", low=ZERO),
              Param("direction", "方向", "higher",
                    (("higher", "越高越好"), ("lower", "越低越好")), "choice"),
              Param("basis", "计分依据", None, kind="text", hint="如：年度工作计划"),
              OVERSHOOT_PARAM)

    def raw_score(self, rule: Rule, weight: Decimal, target: Decimal | None,
                  actual: Decimal) -> Decimal | str:
        full, zero = rule.value("full"), rule.value("zero")
        if full is None or zero is None or full == zero:
            return "满分线与零分线不能相同"
        share = (actual - zero) / (full - zero)
        return weight * max(ZERO, min(D(1), share))

    def describe(self, rule: Rule, weight: Decimal, target: Decimal | None, unit: str) -> str:
        return (f"达到 {fmt_weight(rule.value('full'))}{unit} 得 {fmt_weight(weight)} 分，"
                f"{fmt_weight(rule.value('zero'))}{unit} 及以下不得分，其间按比例计分"
                + self.overshoot_text(rule))

    def target_text(self, rule: Rule, target: Decimal | None, unit: str) -> str:
        return f"≥{fmt_weight(rule.value('full'))}{unit}"


@pytest.fixture
def linear():
    rules.register(Linear())
    yield
    rules.unregister("linear")


def visible_labels(widget) -> list[str]:
    return [w.text() for w in widget.findChildren(QLabel) if w.isVisible() and w.text()]


def test_a_kind_added_to_the_registry_is_edited_saved_and_scored(qtbot, linear, _qt, sample):
    from desktop.system_editor.window import SystemEditor
    from forms.catalog import resolve_system
    from forms.scoring import score

    ed = SystemEditor()
    qtbot.addWidget(ed)
    ed.show()
    retype(qtbot, ed.heading.sys_name, "线性计分体系")
    click(qtbot, ed, "add_top")
    node(qtbot, ed, "产出", "100")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "数量", "100")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "项目完成率", "100")
    retype(qtbot, ed.detail.f_target, "95")
    retype(qtbot, ed.detail.f_unit, "%")
    choose(ed.detail.f_rule, "linear")
    assert ed.detail.f_rule.currentText() == "线性计分"
    path = ed.indicators.path

    # the form is the kind's: its note, each parameter's label, unit and bounds
    shown = visible_labels(ed.detail.rule_editor)
    for text in ("达到满分线得满分，低于零分线不得分，其间按比例计分。", "满分线：", "零分线：",
                 "方向：", "计分依据：", "%", "≥0"):
        assert text in shown, (text, shown)
    assert ed.draft.rule(path) == {"type": "linear", "full": 100, "zero": 60,
                                   "direction": "higher"}  # the kind's defaults
    full = ed.detail.rule_editor.field("full").edit
    zero = ed.detail.rule_editor.field("zero").edit
    assert (full.text(), zero.text()) == ("100", "60")

    # the clerk types, picks and writes; each lands in the draft
    retype(qtbot, full, "95")
    retype(qtbot, zero, "-5")
    assert "零分线不能小于 0" in ed.detail.node_problems.text()  # the bound, checked live
    assert zero.property("mark_level") == "error"
    retype(qtbot, zero, "75")
    assert ed.detail.node_problems.text() == "" and zero.property("mark_level") == ""
    direction = ed.detail.rule_editor.field("direction").combo
    assert [direction.itemText(i) for i in range(direction.count())] == ["越高越好", "越低越好"]
    basis = ed.detail.rule_editor.field("basis").edit
    basis.setFocus()
    send_text(basis, "年度工作计划")
    retype(qtbot, ed.detail.rule_editor.overshoot_percent, "30")
    retype(qtbot, ed.detail.rule_editor.overshoot_points, "2")
    assert ed.draft.rule(path) == {"type": "linear", "full": 95, "zero": 75, "direction": "higher",
                                   "basis": "年度工作计划",
                                   "overshoot": {"percent": 30, "points": 2}}

    # 试算 uses the real scoring: halfway between the lines is half the points
    retype(qtbot, ed.detail.preview.actual, "85")
    assert ed.detail.preview.score_text() == "50.00 / 100 分"
    retype(qtbot, ed.detail.preview.actual, "130")  # 95 × 1.3 = 123.5: 偏离, 2 points off
    assert ed.detail.preview.score_text() == "98.00 / 100 分"

    check = ed.draft.check()
    assert check.ok, [p.message for p in check.problems]
    leaf = check.system.leaves()[0]
    assert rules.describe(leaf.rule, leaf.weight, leaf.target, leaf.unit) == (
        "达到 95% 得 100 分，75% 及以下不得分，其间按比例计分；"
        "完成值超过指标值 30% 及以上的视为偏离，扣 2 分")
    assert ed.files.save()

    # saved, read back through the file, and scored as the kind says
    saved = resolve_system("user-1")
    assert rules.rule_dict(saved.leaves()[0].rule) == ed.draft.rule(path)
    cases = {D(75): D(0), D(80): D(25), D("90.5"): D("77.50"), D(95): D(100), D(70): D(0),
             D("123.5"): D(98)}
    for actual, expected in cases.items():
        filled = replace(sample, system=saved, values={saved.leaves()[0].id:
                                                       LeafValue(actual=actual)})
        assert score(filled).leaves[0].score == expected, actual

    # reopened in a fresh editor, the form shows what was saved
    again = SystemEditor()
    qtbot.addWidget(again)
    again.show()
    assert again.files.open_file(ed.files.file_path)
    again.indicators.tree.setCurrentItem(again.indicators.item_at(path))
    assert again.detail.f_rule.currentData() == "linear"
    assert again.detail.rule_editor.field("zero").edit.text() == "75"
    assert again.detail.rule_editor.field("basis").edit.text() == "年度工作计划"
    assert again.detail.rule_editor.overshoot_percent.text() == "30"


def test_the_new_kind_is_offered_as_an_option_of_either(qtbot, linear, editor):
    """二者择其一's options may use the kind too: its nested form is built the same way."""
    ed = editor
    click(qtbot, ed, "add_top")
    node(qtbot, ed, "产出", "100")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "数量", "100")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "完成情况", "100")
    choose(ed.detail.f_rule, "either")
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget

    qtbot.mouseClick(ed.detail.rule_editor.findChild(QWidget, "add_option"), Qt.MouseButton.LeftButton)
    choose(ed.detail.rule_editor.option_type, "linear")
    nested = ed.detail.rule_editor.option_rule
    retype(qtbot, nested.field("full").edit, "90")
    option: dict[str, Any] = ed.draft.rule(ed.indicators.path)["options"][0]
    assert option["rule"] == {"type": "linear", "full": 90, "zero": 60, "direction": "higher"}


def test_registering_twice_is_refused_and_unregistering_forgets(linear):
    with pytest.raises(ValueError):
        rules.register(Linear())
    assert rules.RULE_TYPES["linear"] == "线性计分" and "full" in rules.rule_keys()
    rules.unregister("linear")
    assert "linear" not in rules.RULE_TYPES and "full" not in rules.rule_keys()
    # a rule of a kind no longer known is refused by name, its keys kept as they were
    from forms.system import build_system

    leaf = {"id": "a", "name": "完成率", "weight": 100,
            "rule": {"type": "linear", "full": 95, "zero": 75}}
    system, problems = build_system({"name": "体系", "indicators": [
        {"name": "产出", "weight": 100, "children": [leaf]}]})
    assert [p.message for p in problems] == ["「产出 › 完成率」：未知的评分规则类型“linear”"]
    assert rules.rule_dict(system.leaves()[0].rule) == {"type": "manual", "full": 95, "zero": 75}


def test_the_new_kind_is_described_and_scored_in_the_exported_tables(linear, sample):
    """No export code knows the kind: the workbook and the indicator table ask the registry."""
    import io

    from openpyxl import load_workbook

    from exports.excel import workbook_bytes
    from exports.system_table import system_table_bytes
    from forms.system import load_system

    system = load_system({"name": "线性计分体系", "indicators": [
        {"name": "产出", "weight": 100, "children": [
            {"name": "数量", "weight": 100, "children": [
                {"id": "x1", "name": "项目完成率", "weight": 100, "unit": "%", "target": 95,
                 "rule": {"type": "linear", "full": 95, "zero": 75, "direction": "higher"}}]}]}]})
    sentence = "达到 95% 得 100 分，75% 及以下不得分，其间按比例计分"

    def texts(data: bytes) -> list[str]:
        book = load_workbook(io.BytesIO(data))
        return [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
                if c.value is not None]

    assert "线性计分" in texts(system_table_bytes(system))  # its 评分规则 column
    filled = replace(sample, system=system, values={"x1": LeafValue(actual=D("90.5"))})
    cells = texts(workbook_bytes(filled))
    # 评分标准 in the kind's words, its 指标值, the actual typed and the score
    for text in (sentence, "≥95%", "90.5", "77.5"):
        assert text in cells, text
