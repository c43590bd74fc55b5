"""The rule registry and what it added: the cap of the total, the overshoot penalty, the
not-applicable policy, and trees of two to four levels (docs/rules.md)."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest

from forms.budget import Rates
from forms.model import LeafValue
from forms.package import package_from_dict
from forms.rules import KINDS, RULE_TYPES, describe, kind, rule_dict, target_text
from forms.scoring import score, score_leaf
from forms.system import build_system, load_system, system_to_dict
from forms.system_edit import SystemDraft
from helpers import leaf

from conftest import ROOT

D = Decimal
NO_RATES = Rates({}, {})
CHONGQING = ROOT / "tests" / "data" / "chongqing-2022.json"


def chongqing() -> dict:
    return json.loads(CHONGQING.read_text(encoding="utf-8"))


def with_executed(pkg: dict, executed: str) -> dict:
    pkg = copy.deepcopy(pkg)
    for row in (pkg["budget"]["total"], pkg["budget"]["by_source"]["general"]):
        row["executed"] = executed
    return pkg


# ---------------------------------------------------------------- the registry

from forms.value_fields import FIELD_TYPES  # noqa: E402


def test_every_kind_names_itself_its_parameters_and_its_value_fields():
    assert {k: v.name for k, v in KINDS.items()} == RULE_TYPES
    for key, rule_kind in KINDS.items():
        assert rule_kind.key == key and rule_kind.name
        # the value is entered by its fields' types: no kind names an editor of its own
        assert rule_kind.fields and all(f.type in FIELD_TYPES for f in rule_kind.fields)
        assert not hasattr(rule_kind, "editor")
        assert all(p.label for p in rule_kind.params)
        assert set(rule_kind.defaults()) <= set(rule_kind.keys)


@pytest.mark.parametrize("raw, text, target", [
    ({"type": "ratio"}, "按 实际值/指标值×10 计分，满分为止", "≥100%"),
    ({"type": "ratio", "direction": "lower"}, "实际值不高于指标值得 10 分", "≤100%"),
    ({"type": "deduct", "standard": 100, "step": 1, "points": "0.5", "count": "started"},
     "以 100% 为标准，每超过 1% 扣 0.5 分，不足一步按一步扣，扣完为止", "≤100%"),
    ({"type": "bands", "bands": [{"min": 90, "score": 10}, {"max": 90, "max_inclusive": False,
                                                           "score": 5}]},
     "≥90%得 10 分；<90%得 5 分；其余得 0 分", "100%"),
    ({"type": "incidents", "points": 2}, "每发生一次扣 2 分，扣完为止", "0次"),
    ({"type": "coefficient", "levels": {"优": 100, "良": 80}}, "优 100%、良 80%，乘以分值 10", "优"),
    ({"type": "manual"}, "按实际情况评分，最高 10 分", "≥100%"),
])
def test_one_wording_of_each_rule_and_its_target(raw, text, target):
    one = leaf({"id": "x", "name": "x", "weight": 10, "target": 100, "unit": "%", "rule": raw})
    assert text in describe(one.rule, one.weight, one.target, one.unit)
    if raw["type"] != "manual":
        assert target_text(one.rule, one.target, one.unit) == target
    assert rule_dict(one.rule)["type"] == raw["type"]


def test_an_unknown_kind_is_a_problem_and_scores_as_manual():
    _, problems = build_system({"name": "x", "indicators": [{"name": "a", "weight": 100, "children": [
        {"id": "x", "name": "x", "weight": 100, "rule": {"type": "魔法"}}]}]})
    assert any("未知的评分规则类型“魔法”" in p.message for p in problems)
    assert kind("魔法") is KINDS["manual"]


# ---------------------------------------------------------------- overshoot (偏离扣分)

OVERSHOOT = {"percent": 30, "points": 2}


@pytest.mark.parametrize("raw, actual, expected", [
    # ratio 10 points, target 100: 129.99 is within 30 %; 130 and above lose 2 points
    ({"type": "ratio", "overshoot": OVERSHOOT}, "129.99", "10.00"),
    ({"type": "ratio", "overshoot": OVERSHOOT}, "130", "8.00"),
    ({"type": "ratio", "overshoot": OVERSHOOT}, "80", "8.00"),
    # deduct against the target 100 (max), 1 point per step: far over loses both
    ({"type": "deduct", "standard": 100, "direction": "min", "points": 1,
      "overshoot": OVERSHOOT}, "150", "8.00"),
    ({"type": "deduct", "standard": 100, "direction": "min", "points": 1,
      "overshoot": OVERSHOOT}, "97", "7.00"),
    # bands: the band's score, less 2 when far over the target
    ({"type": "bands", "bands": [{"min": 100, "score": 10}, {"min": 90, "score": 6}],
      "overshoot": OVERSHOOT}, "135", "8.00"),
    ({"type": "bands", "bands": [{"min": 100, "score": 10}, {"min": 90, "score": 6}],
      "overshoot": OVERSHOOT}, "95", "6.00"),
])
def test_overshoot_penalty(raw, actual, expected):
    one = leaf({"id": "x", "name": "x", "weight": 10, "target": 100, "unit": "%", "rule": raw})
    result = score_leaf(one, LeafValue(actual=D(actual)), NO_RATES)
    assert str(result.score) == expected
    assert "超过指标值 30% 及以上的视为偏离，扣 2 分" in describe(one.rule, one.weight, one.target, "%")
    assert rule_dict(one.rule)["overshoot"] == OVERSHOOT


def test_overshoot_must_be_positive():
    _, problems = build_system({"name": "x", "indicators": [{"name": "a", "weight": 100, "children": [
        {"id": "x", "name": "x", "weight": 100, "target": 1,
         "rule": {"type": "ratio", "overshoot": {"percent": 30, "points": 0}}}]}]})
    assert [p.message for p in problems] == ["「a › x」：偏离扣分必须大于 0"]


# ---------------------------------------------------------------- the cap of the total

CAP = {"source": "budget.execution_rate", "bands": [
    {"min": 70, "max": 80, "max_inclusive": False, "cap": 89},
    {"min": 60, "max": 70, "max_inclusive": False, "cap": 79},
    {"min": 50, "max": 60, "max_inclusive": False, "cap": 69},
    {"max": 50, "max_inclusive": False, "cap": 59}]}


@pytest.mark.parametrize("executed, total, uncapped, text", [
    ("760.00", "89.00", "97.60", "预算执行率 76%，自评得分不高于 89 分"),
    ("650.00", "79.00", "96.50", "预算执行率 65%，自评得分不高于 79 分"),
    ("555.50", "69.00", "95.56", "预算执行率 55.55%，自评得分不高于 69 分"),
    ("400.00", "59.00", "94.00", "预算执行率 40%，自评得分不高于 59 分"),
    ("800.00", "98.00", "98.00", "预算执行率 80%，不封顶"),
])
def test_cap_of_the_total_by_the_execution_rate(executed, total, uncapped, text):
    pkg = with_executed(chongqing(), executed)
    pkg["system"]["cap"] = CAP
    result = score(package_from_dict(pkg))
    assert (str(result.total), str(result.cap.uncapped), result.cap.text) == (total, uncapped, text)
    assert result.capped == (total != uncapped)


def test_a_total_under_the_cap_is_left_alone():
    pkg = with_executed(chongqing(), "760.00")
    pkg["system"]["cap"] = CAP
    pkg["values"]["cq_tasks"]["actual"] = "50"  # loses 10 points: 87.60 < 89
    result = score(package_from_dict(pkg))
    assert str(result.total) == "87.60" and not result.capped


def test_cap_round_trips_and_is_checked():
    raw = chongqing()["system"] | {"cap": CAP}
    system = load_system(raw)
    assert system_to_dict(system)["cap"] == CAP
    _, problems = build_system(raw | {"cap": {"source": "nonsense", "bands": []}})
    assert {p.path for p in problems} >= {"system.cap.source", "system.cap.bands"}


# ---------------------------------------------------------------- not applicable

@pytest.mark.parametrize("policy, total, renormalised", [
    ("rescale", "97.55", True),  # (97.60 − 2) / (100 − 2) × 100 = 97.551
    ("full", "97.60", False),  # 若单位无项目，得2分
    ("zero", "95.60", False),
])
def test_not_applicable_policy_of_the_system(policy, total, renormalised):
    pkg = chongqing()
    pkg["system"]["not_applicable"] = policy
    pkg["values"]["cq_procure"] = {"not_applicable": True, "reason": "本年度无政府采购"}
    result = score(package_from_dict(pkg))
    assert (str(result.total), result.renormalised) == (total, renormalised)
    assert system_to_dict(load_system(pkg["system"])).get("not_applicable", "rescale") == policy


def test_an_unknown_policy_is_a_problem():
    _, problems = build_system(chongqing()["system"] | {"not_applicable": "half"})
    assert [p.path for p in problems] == ["system.not_applicable"]


# ---------------------------------------------------------------- depth 2, 3 and 4

def tree(depth: int) -> dict:
    """A system whose leaves sit at ``depth``, with one leaf of 40 and one of 60."""
    def nest(name: str, weight: int, leaf_: dict, levels: int) -> dict:
        node = leaf_
        for k in range(levels):
            node = {"name": f"{name}{k}", "weight": weight, "children": [node]}
        return node
    a = {"id": "a", "name": "甲", "weight": 40, "target": 100, "rule": {"type": "ratio"}}
    b = {"id": "b", "name": "乙", "weight": 60, "rule": {"type": "manual"}}
    return {"name": f"{depth} 级", "indicators": [nest("A", 40, a, depth - 1),
                                                   nest("B", 60, b, depth - 1)]}


@pytest.mark.parametrize("depth", [2, 3, 4])
def test_scoring_and_subtotals_at_every_depth(depth):
    system = load_system(tree(depth))
    pkg = chongqing() | {"system": tree(depth), "values": {"a": {"actual": "75"},
                                                            "b": {"score": "50"}}}
    result = score(package_from_dict(pkg))
    assert str(result.total) == "80.00"
    assert [(g.group.name, g.level, str(g.score)) for g in result.groups] == \
        [(f"A{k}", depth - 1 - k, "30.00") for k in range(depth - 2, -1, -1)] + \
        [(f"B{k}", depth - 1 - k, "50.00") for k in range(depth - 2, -1, -1)]
    assert load_system(system_to_dict(system)) == system


def test_depth_five_and_depth_one_are_refused():
    deep = tree(4)
    deep["indicators"][0]["children"][0]["children"][0]["children"][0] = {
        "name": "五", "weight": 40, "children": [
            {"id": "a", "name": "甲", "weight": 40, "rule": {"type": "manual"}}]}
    _, problems = build_system(deep)
    assert any("已是第四级，不能再有下级指标" in p.message for p in problems)
    flat = {"name": "x", "indicators": [{"id": "a", "name": "甲", "weight": 100,
                                         "rule": {"type": "manual"}}]}
    _, problems = build_system(flat)
    assert any("是一级指标，下面应有下级指标" in p.message for p in problems)


def test_weights_must_add_up_at_every_level():
    raw = tree(4)
    raw["indicators"][0]["children"][0]["children"][0]["weight"] = 41
    _, problems = build_system(raw)
    assert [p.message for p in problems] == [
        "「A2 › A1 › A0」分值 41 与下级指标分值之和 40 不一致",
        "「A2 › A1」分值 40 与下级指标分值之和 41 不一致"]


def test_editor_adds_and_removes_levels_and_the_system_reads_back():
    draft = SystemDraft(tree(2))
    assert draft.depth() == 2
    assert draft.add_level((0, 0)) == (0, 0)  # 甲 moves into a new group 甲
    assert draft.is_leaf((0, 0, 0)) and not draft.is_leaf((0, 0))
    draft.add_level((0,))  # A0 into a new A0: depth 4
    assert draft.depth() == 4 and draft.check().ok
    with pytest.raises(ValueError, match="最多 4 级"):
        draft.add_level((0, 0, 0))
    system = draft.check().system
    assert [leaf_.name for leaf_ in system.leaves()] == ["甲", "乙"]
    assert load_system(system_to_dict(system)) == system
    draft.remove_level((0, 0))
    draft.remove_level((0, 0))
    assert draft.to_dict()["indicators"] == tree(2)["indicators"]
    with pytest.raises(ValueError, match="至少两级"):
        draft.remove_level((0,))


def test_new_children_follow_their_siblings_and_stop_at_level_four():
    draft = SystemDraft(tree(4))
    path = draft.add_child((0, 0, 0))
    assert path == (0, 0, 0, 1) and draft.is_leaf(path)
    with pytest.raises(ValueError):
        draft.add_child(path)
    top = draft.add_child(())
    assert not draft.is_leaf(top) and not draft.is_leaf(draft.add_child(top))


# ---------------------------------------------------------------- Chongqing

def test_the_chongqing_table_scores_97_60():
    """Two levels: 执行率 × 10, fourteen common indicators of 1–5 points and the
    department's own; the published total is 97.6 with all else at full marks."""
    ev = package_from_dict(chongqing())
    system = ev.system
    common = system.indicators[1]
    assert len(common.children) == 14 and all(1 <= c.weight <= 5 for c in common.children)
    assert all(len(g.children) == len(g.leaves()) for g in system.indicators)  # two levels
    result = score(ev)
    assert str(result.total) == "97.60" and result.complete
    assert str(result.leaf("cq_exec").score) == "7.60"
    assert [r.leaf.id for r in result.leaves if not r.full_marks] == ["cq_exec"]
