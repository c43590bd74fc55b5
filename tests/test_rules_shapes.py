"""The ministry's shapes: 反向 by its formula, 等于, 定性 level plus a score in its band, and a
deviation from plan counted both ways with a cap on what is deducted (docs/rules.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from forms.budget import Rates
from forms.model import LeafValue
from forms.rules import describe, recognise, rule_dict, target_text, unread_reason
from forms.scoring import score_leaf
from forms.system import build_system
from helpers import leaf

D = Decimal
NO_RATES = Rates({}, {})


def _leaf(rule: dict, weight: int = 10, target: str | None = "100", unit: str = ""):
    raw = {"id": "x", "name": "指标", "weight": weight, "unit": unit, "rule": rule}
    if target is not None:
        raw["target"] = target
    return leaf(raw)


@pytest.mark.parametrize("direction, actual, expected", [
    # the ministry's 反向: full at or under the target, linear to 0 at twice the target
    ("reverse", "90", "10.00"), ("reverse", "100", "10.00"), ("reverse", "150", "5.00"),
    ("reverse", "175", "2.50"), ("reverse", "199.99", "0.00"), ("reverse", "200", "0.00"),
    ("reverse", "260", "0.00"),
    # the older 反向 (指标值/实际值) stays as it was: 1.5 × target is two thirds, not a half
    ("lower", "150", "6.67"),
    # 等于 a target of 5: exactly 5
    ("equal", "5", "10.00"), ("equal", "5.01", "0.00"), ("equal", "4.99", "0.00"),
])
def test_ratio_directions_of_the_ministry(direction, actual, expected):
    one = _leaf({"type": "ratio", "direction": direction}, target="5" if direction == "equal" else "100")
    assert str(score_leaf(one, LeafValue(actual=D(actual)), NO_RATES).score) == expected


@pytest.mark.parametrize("actual, expected", [("0", "10.00"), ("-1", "10.00"), ("0.01", "0.00"),
                                              ("3", "0.00")])
def test_equal_to_a_target_of_zero_is_met_by_anything_at_or_under_it(actual, expected):
    one = _leaf({"type": "ratio", "direction": "equal"}, target="0")
    assert str(score_leaf(one, LeafValue(actual=D(actual)), NO_RATES).score) == expected
    assert target_text(one.rule, one.target, "") == "=0"
    assert "实际值为 0（或以下）得 10 分，否则不得分" in describe(one.rule, one.weight, one.target, "")


def test_reverse_with_a_target_of_zero_gives_nothing_above_it():
    one = _leaf({"type": "ratio", "direction": "reverse"}, target="0")
    assert str(score_leaf(one, LeafValue(actual=D("0.5")), NO_RATES).score) == "0.00"
    assert str(score_leaf(one, LeafValue(actual=D("0")), NO_RATES).score) == "10.00"


def test_reverse_is_worded_as_the_ministry_writes_it_and_round_trips():
    one = _leaf({"type": "ratio", "direction": "reverse"}, target="20", unit="天")
    assert describe(one.rule, one.weight, one.target, "天") == (
        "反向指标：实际值不高于指标值得 10 分，高于的按 (1-(实际值-指标值)/指标值)×10 计分，"
        "达到指标值两倍及以上不得分")
    assert target_text(one.rule, one.target, "天") == "≤20天"
    assert rule_dict(one.rule) == {"type": "ratio", "direction": "reverse"}


def test_an_unknown_direction_is_still_refused_by_name():
    _, problems = build_system({"name": "x", "indicators": [{"name": "a", "weight": 100, "children": [
        {"id": "x", "name": "x", "weight": 100, "target": 1, "rule": {"type": "ratio", "direction": "倒"}}]}]})
    assert any("equal（等于），不是“倒”" in p.message for p in problems)


DEVIATION = {"type": "deduct", "standard": 100, "direction": "both", "step": 3, "points": 1,
             "count": "whole", "limit": 15}


@pytest.mark.parametrize("actual, expected", [
    ("100", "20.00"), ("103", "19.00"), ("97", "19.00"), ("98", "20.00"), ("95", "19.00"), ("94", "18.00"),
    ("106", "18.00"),
    ("40", "5.00"), ("160", "5.00"), ("0", "5.00"),  # 20 and more steps: 15 at most
])
def test_deviation_from_plan_counts_both_ways_up_to_its_limit(actual, expected):
    one = _leaf(DEVIATION, weight=20, unit="%")
    assert str(score_leaf(one, LeafValue(actual=D(actual)), NO_RATES).score) == expected


def test_deviation_is_worded_and_round_trips():
    one = _leaf(DEVIATION, weight=20, unit="%")
    assert describe(one.rule, one.weight, one.target, "%") == (
        "以 100% 为标准，每相差 3% 扣 1 分，不足一步不扣，扣满 15 分为止")
    assert target_text(one.rule, one.target, "%") == "=100%"
    assert rule_dict(one.rule) == DEVIATION
    _, problems = build_system({"name": "x", "indicators": [{"name": "a", "weight": 100, "children": [
        {"id": "x", "name": "x", "weight": 100, "rule": {**DEVIATION, "limit": 0}}]}]})
    assert any("最多扣分必须大于 0" in p.message for p in problems)


@pytest.mark.parametrize("level, typed, expected, message", [
    ("达成年度指标", "9", "9.00", ""),
    ("达成年度指标", "10", "10.00", ""),
    ("达成年度指标", "8", "8.00", ""),
    ("达成年度指标", "7.99", None, "评为“达成年度指标”的得分应在 8.00（含）–10.00（含） 分之间，不是 7.99"),
    ("部分达成年度指标并具有一定效果", "8", None, "6.00（含）–8.00（不含）"),
    ("部分达成年度指标并具有一定效果", "6", "6.00", ""),
    ("未达成年度指标且效果较差", "5.99", "5.99", ""),
    ("未达成年度指标且效果较差", "6", None, "0.00（含）–6.00（不含）"),
    ("优", "9", None, "等级“优”不存在"),
])
def test_qualitative_score_must_lie_in_its_levels_band(level, typed, expected, message):
    one = _leaf({"type": "qualitative"}, target=None)
    result = score_leaf(one, LeafValue(level=level, score=D(typed)), NO_RATES)
    if expected is not None:
        assert (result.status, str(result.score)) == ("scored", expected)
    else:
        assert result.status == "invalid" and message in result.message


def test_qualitative_asks_for_the_level_then_the_score():
    one = _leaf({"type": "qualitative"}, target=None)
    assert "等级未选择" in score_leaf(one, LeafValue(score=D(9)), NO_RATES).message
    assert "得分未填写" in score_leaf(one, LeafValue(level="达成年度指标"), NO_RATES).message
    assert describe(one.rule, one.weight, None, "") == (
        "达成年度指标：8（含）–10（含） 分；部分达成年度指标并具有一定效果：6（含）–8 分；"
        "未达成年度指标且效果较差：0（含）–6 分；在所评等级的区间内评分")
    assert rule_dict(one.rule)["levels"] == {"达成年度指标": 80, "部分达成年度指标并具有一定效果": 60,
                                             "未达成年度指标且效果较差": 0}


@pytest.mark.parametrize("text, weight, target, rule", [
    ("反向指标，实际完成值低于或等于目标值的得满分，高于目标值的按（1-（实际值-目标值）/目标值）×分值计分。",
     6, 20, {"type": "ratio", "direction": "reverse"}),
    ("得分=（1－（实际完成值－指标值）÷指标值）×分值，超过指标值一倍的不得分", 5, 10,
     {"type": "ratio", "direction": "reverse"}),
    ("实际完成情况与计划每相差3%，扣1分，扣满15分为止", 20, 100,
     {"type": "deduct", "standard": 100, "direction": "both", "step": 3, "points": 1,
      "count": "proportional", "limit": 15}),
    ("完成进度与计划每偏差五个百分点扣一分，扣完为止。", 5, 100,
     {"type": "deduct", "standard": 100, "direction": "both", "step": 5, "points": 1,
      "count": "proportional"}),
    ("达成年度指标的，得分为分值的80%（含）-100%；部分达成年度指标并具有一定效果的，得分为分值的60%（含）-80%；"
     "未达成年度指标且效果较差的，得分为分值的0-60%。", 10, None,
     {"type": "qualitative", "levels": {"达成年度指标": 80, "部分达成年度指标并具有一定效果": 60,
                                        "未达成年度指标且效果较差": 0}}),
    ("定性指标：达成年度指标、部分达成年度指标并具有一定效果、未达成年度指标且效果较差三档，分别按相应区间评分。",
     10, None,
     {"type": "qualitative", "levels": {"达成年度指标": 80, "部分达成年度指标并具有一定效果": 60,
                                        "未达成年度指标且效果较差": 0}}),
])
def test_the_usual_wordings_of_the_new_shapes_are_read(text, weight, target, rule):
    found = recognise(text, D(weight), D(target) if target is not None else None)
    assert found is not None and found.rule == rule, found


@pytest.mark.parametrize("text, weight, read", [
    ("实际值等于目标值的得满分，否则不得分。", 5, True),
    ("实际完成值与指标值一致的，得满分；不一致的不得分", 5, True),
    ("实际值等于目标值得5分，其他情况得0分", 5, True),
    ("实际值等于目标值得3分，否则不得分", 5, False),  # a part of the weight
])
def test_equal_wordings_are_read(text, weight, read):
    found = recognise(text, D(weight), D(0))
    if read:
        assert found is not None and found.rule == {"type": "ratio", "direction": "equal"}
        assert "实际值为 0（或以下）得 5 分，否则不得分" in found.explanation
    else:
        assert found is None or found.rule.get("direction") != "equal"


def test_a_qualitative_text_without_bands_says_which_it_assumed():
    found = recognise("按达成年度指标、部分达成年度指标、未达成年度指标三档定性评价。", D(10))
    assert found is not None and "请核对：评分标准未写明各等级的得分区间" in found.explanation


def test_one_minus_a_rate_of_unknown_base_stays_manual():
    assert recognise("超标率按反向计分：得分=（1-超标率）×分值。", D(4)) is None
    assert "保持直接评分" in unread_reason("超标率按反向计分：得分=（1-超标率）×分值。")


# ---------------------------------------------------------------- 免评 of one leaf

def _chongqing_exempt(policy: str, exempt: dict, na: tuple[str, ...]):
    import copy
    import json

    from conftest import ROOT
    from forms.package import package_from_dict
    from forms.scoring import score

    pkg = json.loads((ROOT / "tests" / "data" / "chongqing-2022.json").read_text(encoding="utf-8"))
    pkg = copy.deepcopy(pkg)
    pkg["system"]["not_applicable"] = policy

    def walk(nodes):
        for node in nodes:
            if "children" in node:
                walk(node["children"])
            elif node["id"] == "cq_procure":
                node["rule"].update(exempt)

    walk(pkg["system"]["indicators"])
    for leaf_id in na:
        pkg["values"][leaf_id] = {"not_applicable": True, "reason": "本年度无此项"}
    return score(package_from_dict(pkg))


def test_an_exempt_leaf_scores_its_points_while_the_system_policy_governs_the_rest():
    exempt = {"exempt_reason": "单位无政府采购项目", "exempt_score": 2}
    # 政府采购执行率 不适用 with 免评 2 分: 97.60 as if scored in full, not rescaled to 97.55
    alone = _chongqing_exempt("rescale", exempt, ("cq_procure",))
    assert (str(alone.total), alone.renormalised) == ("97.60", False)
    procure = next(r for r in alone.leaves if r.leaf.id == "cq_procure")
    assert (procure.status, str(procure.score), procure.actual_text) == (
        "scored", "2.00", "不适用（单位无政府采购项目）")
    # another leaf 不适用 without 免评 is still rescaled by the system's policy
    both = _chongqing_exempt("rescale", exempt, ("cq_procure", "cq_asset_use"))
    other = _chongqing_exempt("rescale", {}, ("cq_asset_use",))
    assert both.renormalised and both.total == other.total
    # a stated score below the weight is what the leaf gets, even when the policy is 满分
    one = _chongqing_exempt("full", {**exempt, "exempt_score": 1}, ("cq_procure",))
    assert str(one.total) == "96.60"


def test_exemption_round_trips_is_worded_and_checked():
    one = _leaf({"type": "ratio", "exempt_reason": "单位无项目", "exempt_score": 2}, weight=2)
    assert rule_dict(one.rule) == {"type": "ratio", "direction": "higher",
                                   "exempt_reason": "单位无项目", "exempt_score": 2}
    assert describe(one.rule, one.weight, one.target, "%").endswith("；单位无项目的，得 2 分")
    full = _leaf({"type": "manual", "exempt_reason": "单位无项目"}, weight=3)
    assert full.rule.exempt is not None and full.rule.exempt.score == 3
    for bad, message in (({"exempt_reason": "无项目", "exempt_score": 5}, "免评得分 5 超出 0–2 分"),
                         ({"exempt_score": 1}, "填写了免评得分，但未写明免评情形")):
        _, problems = build_system({"name": "x", "indicators": [{"name": "a", "weight": 100, "children": [
            {"id": "x", "name": "x", "weight": 2, "rule": {"type": "manual", **bad}},
            {"id": "y", "name": "y", "weight": 98, "rule": {"type": "manual"}}]}]})
        assert any(message in p.message for p in problems), problems


@pytest.mark.parametrize("text, rule", [
    ("若单位无项目，得2分", {"type": "manual", "exempt_reason": "单位无项目", "exempt_score": 2}),
    ("政府采购执行率≥95%得2分，低于95%不得分；若单位无政府采购项目，得2分。",
     {"type": "bands", "bands": [{"min": 95, "score": 2}, {"max": 95, "max_inclusive": False, "score": 0}],
      "exempt_reason": "单位无政府采购项目", "exempt_score": 2}),
    ("如本单位未发生政府采购的，得满分", {"type": "manual", "exempt_reason": "本单位未发生政府采购",
                                          "exempt_score": 2}),
])
def test_exemption_wordings_are_read(text, rule):
    found = recognise(text, D(2))
    assert found is not None and found.rule == rule, found


# ---------------------------------------------------------------- grade bounds as written

def _graded(grades: list) -> object:
    from forms.system import load_system

    return load_system({"name": "x", "grades": grades, "indicators": [
        {"name": "a", "weight": 100, "children": [
            {"id": "x", "name": "x", "weight": 100, "rule": {"type": "manual"}}]}]})


@pytest.mark.parametrize("grades", [
    [{"min": 90, "min_inclusive": False, "grade": "优"}, {"min": 80, "min_inclusive": False, "grade": "良"},
     {"min": 60, "grade": "中"}, {"min": 0, "grade": "差"}],
    [{"min": ">90", "grade": "优"}, {"min": "＞80", "grade": "良"}, {"min": "≥60", "grade": "中"},
     {"min": 0, "grade": "差"}],
])
def test_strict_grade_bounds_as_the_notice_writes_them(grades):
    from forms.system import system_to_dict

    system = _graded(grades)
    got = {total: system.grade(D(total)) for total in ("100", "90.01", "90", "80.01", "80", "60", "59.99")}
    assert got == {"100": "优", "90.01": "优", "90": "良", "80.01": "良", "80": "中", "60": "中",
                   "59.99": "差"}
    assert system_to_dict(system)["grades"] == [
        {"min": 90, "grade": "优", "min_inclusive": False}, {"min": 80, "grade": "良", "min_inclusive": False},
        {"min": 60, "grade": "中"}, {"min": 0, "grade": "差"}]


def test_inclusive_grade_bounds_are_unchanged():
    system = _graded([{"min": 90, "grade": "优"}, {"min": 0, "grade": "差"}])
    assert (system.grade(D(90)), system.grade(D("89.99"))) == ("优", "差")


# ---------------------------------------------------------------- 金额比较

COMPARE = {"type": "compare", "amount_label": "本年结余", "reference_label": "上年结转",
           "relation": "le", "positive": "yes"}


@pytest.mark.parametrize("amount, reference, expected", [
    ("3", "5", "2.00"), ("5", "5", "2.00"), ("5.01", "5", "0.00"),
    ("0", "5", "0.00"),  # 有结余: none is not enough
    ("-1", "5", "0.00"),
])
def test_compare_two_typed_amounts(amount, reference, expected):
    one = _leaf(COMPARE, weight=2, target=None)
    result = score_leaf(one, LeafValue(amount=D(amount), reference=D(reference)), NO_RATES)
    assert str(result.score) == expected
    assert result.actual_text == f"本年结余 {D(amount):.2f} 万元，上年结转 {D(reference):.2f} 万元"


def test_compare_asks_for_both_and_is_worded_and_round_trips():
    one = _leaf(COMPARE, weight=2, target=None)
    assert "本年结余或上年结转未填写" in score_leaf(one, LeafValue(amount=D(1)), NO_RATES).message
    assert describe(one.rule, one.weight, None, "") == "有本年结余，但不超过上年结转，得 2 分；否则不得分"
    assert target_text(one.rule, None, "") == "本年结余≤上年结转"
    assert rule_dict(one.rule) == COMPARE
    loose = _leaf({**COMPARE, "relation": "gt", "positive": "no"}, weight=2, target=None)
    assert str(score_leaf(loose, LeafValue(amount=D(0), reference=D(-1)), NO_RATES).score) == "2.00"


@pytest.mark.parametrize("text, weight, found", [
    ("有结余，但不超过上年结转，2分", 2, {"amount_label": "结余", "reference_label": "上年结转"}),
    ("有结余但未超过上年结转的，得2分。", 2, {"amount_label": "结余", "reference_label": "上年结转"}),
    ("有结余，但不超过上年结转，1分", 2, None),  # a part of the weight: not read as the leaf's rule
])
def test_compare_wording_is_read(text, weight, found):
    got = recognise(text, D(weight))
    if found is None:
        assert got is None or got.type != "compare"
    else:
        assert got is not None and got.rule == {**COMPARE, **found}


def test_a_compare_value_is_kept_by_the_package():
    from forms.package import package_from_dict, package_to_dict
    from helpers import evaluation_with

    ev = evaluation_with({"id": "c", "name": "结余控制", "weight": 2, "rule": COMPARE})
    ev = ev.with_value("c", LeafValue(amount=D("3.5"), reference=D(5)))
    saved = package_to_dict(ev)
    assert saved["values"]["c"] == {"amount": "3.5", "reference": "5"}
    assert package_from_dict(saved).value("c") == ev.value("c")
