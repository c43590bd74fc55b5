"""Reading the rule out of a notice's 评分标准 text (a suggestion the clerk asks for)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fuzz_budget import cases
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.catalog import read_system_path, shipped_systems
from forms.system import build_system
from forms.rules import recognise as suggest_rule


def _leaves():
    for entry in shipped_systems():
        system, _ = read_system_path(entry.path)
        for leaf in system.leaves():
            yield entry.id, leaf


def _as_rule(raw, weight):
    wrapper = {"name": "x", "indicators": [{"name": "a", "weight": weight, "children": [
        {"name": "b", "weight": weight, "children": [
            {"id": "t", "name": "t", "weight": weight, "target": 100, "rule": raw}]}]}]}
    system, _ = build_system(wrapper)
    return system.leaf("t").rule


def test_shipped_criteria_give_back_their_rules():
    """Every shipped leaf whose criteria is one of the common forms: the same rule."""
    compared = 0
    for system_id, leaf in _leaves():
        if leaf.rule.type not in ("checklist", "deduct", "incidents"):
            continue
        found = suggest_rule(leaf.criteria, leaf.weight)
        if found is None:
            continue
        compared += 1
        rule = _as_rule(found.rule, leaf.weight)
        if leaf.rule.type == "checklist":
            assert [(i.label, i.points) for i in rule.items] == \
                [(i.label, i.points) for i in leaf.rule.items], (system_id, leaf.name)
        else:
            assert rule == leaf.rule, (system_id, leaf.name, found.rule)
    assert compared >= 15


@pytest.mark.parametrize("text, expected", [
    ("控制率≤100%的，得5分；每超过1个百分点扣0.5分，不足1个百分点的按比例扣分，扣完为止。",
     {"type": "deduct", "standard": 100, "direction": "max", "step": 1, "points": "0.5",
      "count": "proportional"}),
    ("变动率≤0的，得2分；每上升1个百分点扣0.2分，不足1个百分点的按1个百分点计算，扣完为止。",
     {"type": "deduct", "standard": 0, "direction": "max", "step": 1, "points": "0.2",
      "count": "started"}),
    ("预算完成率≥100%的得满分，每低5个百分点扣2分，不足5个百分点的不扣分。",
     {"type": "deduct", "standard": 100, "direction": "min", "step": 5, "points": 2,
      "count": "whole"}),
    ("每发现一例违规使用资金的情形，扣1分，扣完为止。", {"type": "incidents", "points": 1}),
    ("得分=预算执行率/100%×6分，满分为止。", {"type": "ratio", "direction": "higher"}),
    ("结转结余率≤5%的，得3分；超过5%的，得分=5%/结转结余率×3分。",
     {"type": "ratio", "direction": "lower"}),
])
def test_common_wordings(text, expected):
    assert suggest_rule(text).rule == expected


def test_the_notice_phrase_with_the_target_as_standard():
    found = suggest_rule("每超过一个百分点扣0.5分", Decimal(8), target=Decimal(10))
    assert found.rule == {"type": "deduct", "standard": 10, "direction": "max", "step": 1,
                          "points": "0.5", "count": "proportional"}
    assert suggest_rule("每低于两个百分点扣1分", target=Decimal(95)).rule["step"] == 2


def test_checklist_items_and_a_sum_that_does_not_match():
    found = suggest_rule("①按规定公开部门预算，得1分；②按规定公开部门决算，得1.5分。", Decimal(3))
    assert found.rule["items"] == [{"id": "i1", "label": "按规定公开部门预算", "points": 1},
                                   {"id": "i2", "label": "按规定公开部门决算", "points": "1.5"}]
    assert "合计 2.5 分，与分值 3 不符" in found.explanation


def test_no_shipped_leaf_gets_a_wrong_rule_type():
    suggested = [(leaf.rule.type, suggest_rule(leaf.criteria, leaf.weight)) for _, leaf in _leaves()]
    assert sum(1 for _, s in suggested if s) >= 45
    assert [(t, s.type) for t, s in suggested if s and s.type != t] == []


@pytest.mark.parametrize("text", ["", "根据实际情况酌情评分。", "①制度健全；②执行有效。",
                                  "二者择其一：①A率≤100%的，得3分；②B率≤100%的，得3分。"])
def test_no_guess_when_unclear(text):
    assert suggest_rule(text) is None


@settings(max_examples=cases(300), deadline=None)
@given(st.text(alphabet="①②③得分扣每超过低于个百分点≤≥%，；。0123456789.一率=×/满分为止择其发现例次",
               max_size=60))
def test_any_text_gives_a_usable_rule_or_nothing(text):
    found = suggest_rule(text, Decimal(5), Decimal(100))
    if found is not None:
        _as_rule(found.rule, Decimal(5))  # builds without raising
        assert found.explanation
