"""Every rule of docs/scoring.md, with its worked examples."""

from decimal import Decimal

import pytest
from fuzz_budget import cases
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.budget import Rates
from forms.model import LeafValue
from forms.package import read_package
from forms.scoring import INVALID, MISSING, NOT_APPLICABLE, SCORED, score, score_leaf
from helpers import evaluation_with, leaf, system_with

NO_RATES = Rates({}, {})
D = Decimal


def s(raw_leaf, **value):
    return score_leaf(leaf(raw_leaf), LeafValue(**value), NO_RATES)


RATIO = {"id": "r", "name": "预算执行率", "weight": 10, "target": 100, "rule": {"type": "ratio"}}
LOWER = {"id": "r", "name": "结转结余率", "weight": 5, "target": 5,
         "rule": {"type": "ratio", "direction": "lower"}}


def deduct(count, **over):
    rule = {"type": "deduct", "standard": 100, "direction": "max", "step": 1, "points": 0.5,
            "count": count}
    rule.update(over)
    return {"id": "d", "name": "在职人员控制率", "weight": 5, "rule": rule}


KEY_SPENDING = {"id": "b", "name": "重点支出安排率", "weight": 5, "rule": {"type": "bands", "bands": [
    {"min": 90, "score": 5}, {"min": 80, "score": 4}, {"min": 70, "score": 3}, {"min": 60, "score": 2}]}}
ADJUSTMENT = {"id": "b", "name": "预算调整率", "weight": 3, "rule": {"type": "bands", "bands": [
    {"max": 0, "score": 3}, {"max": 10, "score": 2}, {"max": 20, "score": 1}, {"max": 30, "score": 0.5}]}}
CHECKLIST = {"id": "c", "name": "绩效管理", "weight": 10, "rule": {"type": "checklist", "items": [
    {"id": "a", "label": "目标", "points": 4}, {"id": "b", "label": "监控", "points": 3},
    {"id": "c", "label": "自评", "points": 3}]}}
INCIDENTS = {"id": "i", "name": "资产管理", "weight": 5, "rule": {"type": "incidents", "points": 1}}
COEFFICIENT = {"id": "k", "name": "满意度", "weight": 10, "rule": {"type": "coefficient",
               "levels": {"优": 100, "良": 80, "中": 60, "差": 0}}}
MANUAL = {"id": "m", "name": "制度建设", "weight": 6, "rule": {"type": "manual"}}
EITHER = {"id": "e", "name": "人员或公用经费控制率", "weight": 4, "rule": {"type": "either", "options": [
    {"id": "staff", "name": "在职人员控制率", "rule": {"type": "deduct", "standard": 100,
     "direction": "max", "step": 1, "points": 1, "count": "whole"}},
    {"id": "public", "name": "公用经费控制率", "target": 100, "rule": {"type": "ratio",
     "direction": "lower"}}]}}


@pytest.mark.parametrize("raw, value, expected", [
    # ratio, higher (R1): 43.65% × 10 = 4.365 → 4.37 (half up)
    (RATIO, {"actual": D("43.65")}, "4.37"),
    (RATIO, {"actual": D("100")}, "10.00"),
    (RATIO, {"actual": D("120")}, "10.00"),  # 满分为止
    (RATIO, {"actual": D("0")}, "0.00"),
    (RATIO, {"actual": D("-5")}, "0.00"),  # 扣完为止
    # ratio, lower (R2)
    (LOWER, {"actual": D("3")}, "5.00"),
    (LOWER, {"actual": D("5")}, "5.00"),
    (LOWER, {"actual": D("10")}, "2.50"),
    (dict(LOWER, target=0), {"actual": D("2")}, "0.00"),
    (dict(LOWER, target=0), {"actual": D("0")}, "5.00"),
    # deduct (R3, R5): 在职人员控制率 103.4 → proportional 3.30, started 3.00, whole 3.50
    (deduct("proportional"), {"actual": D("103.4")}, "3.30"),
    (deduct("started"), {"actual": D("103.4")}, "3.00"),
    (deduct("whole"), {"actual": D("103.4")}, "3.50"),
    (deduct("proportional"), {"actual": D("99")}, "5.00"),
    (deduct("proportional"), {"actual": D("150")}, "0.00"),
    # 预算完成率 weight 8, standard 100, min, step 5, points 2, whole: 88 → two whole steps → 4.00
    ({"id": "d", "name": "预算完成率", "weight": 8, "rule": {"type": "deduct", "standard": 100,
      "direction": "min", "step": 5, "points": 2, "count": "whole"}}, {"actual": D("88")}, "4.00"),
    # bands (R4)
    (KEY_SPENDING, {"actual": D("85")}, "4.00"),
    (KEY_SPENDING, {"actual": D("90")}, "5.00"),
    (KEY_SPENDING, {"actual": D("59.99")}, "0.00"),
    (ADJUSTMENT, {"actual": D("12.5")}, "1.00"),
    (ADJUSTMENT, {"actual": D("0")}, "3.00"),
    (ADJUSTMENT, {"actual": D("30")}, "0.50"),
    (ADJUSTMENT, {"actual": D("30.01")}, "0.00"),
    ({"id": "b", "name": "x", "weight": 2, "rule": {"type": "bands", "bands": [
        {"min": 0, "max": 10, "max_inclusive": False, "score": 2}, {"min": 10, "score": 1}]}},
     {"actual": D("10")}, "1.00"),
    # checklist (R6)
    (CHECKLIST, {"checked": ("a", "b")}, "7.00"),
    (CHECKLIST, {"checked": ()}, "0.00"),
    (CHECKLIST, {"checked": ("a", "a", "c")}, "7.00"),  # an item counts once
    # incidents (R7)
    (INCIDENTS, {"count": D(2)}, "3.00"),
    (INCIDENTS, {"count": D(9)}, "0.00"),
    # coefficient (R8)
    (COEFFICIENT, {"level": "良"}, "8.00"),
    (COEFFICIENT, {"coefficient": D("55")}, "5.50"),
    # manual
    (MANUAL, {"score": D("4.5")}, "4.50"),
    (MANUAL, {"score": D("4.555")}, "4.56"),
    # either (R9)
    (EITHER, {"option": "staff", "actual": D("102.5")}, "2.00"),
    (EITHER, {"option": "public", "actual": D("125")}, "3.20"),
])
def test_rule_examples(raw, value, expected):
    result = s(raw, **value)
    assert result.status == SCORED
    assert str(result.score) == expected


@pytest.mark.parametrize("raw, value, words", [
    (MANUAL, {"score": D("7")}, "超出"),
    (CHECKLIST, {"checked": ("a", "zz")}, "zz"),
    (INCIDENTS, {"count": D(-1)}, "次数"),
    (INCIDENTS, {"count": D("1.5")}, "次数"),
    (COEFFICIENT, {"level": "极好"}, "极好"),
    (COEFFICIENT, {"coefficient": D("120")}, "0–100"),
    (EITHER, {"option": "nope", "actual": D(1)}, "nope"),
])
def test_impossible_values_make_the_leaf_invalid(raw, value, words):
    result = s(raw, **value)
    assert result.status == INVALID
    assert result.score == 0
    assert words in result.message


@pytest.mark.parametrize("raw", [RATIO, CHECKLIST, INCIDENTS, COEFFICIENT, MANUAL, EITHER])
def test_no_value_is_missing(raw):
    result = s(raw)
    assert result.status == MISSING and result.score == 0 and result.message


def test_not_applicable_renormalises_the_total():
    ev = evaluation_with(dict(RATIO, weight=50), dict(MANUAL, weight=30),
                         dict(INCIDENTS, weight=20, rule={"type": "incidents", "points": 5}))
    ev = ev.with_value("r", LeafValue(actual=D("90")))  # 45.00
    ev = ev.with_value("m", LeafValue(score=D("21")))  # 21.00
    ev = ev.with_value("i", LeafValue(not_applicable=True, reason="本年度无资产处置"))
    result = score(ev)
    assert result.renormalised
    # (45 + 21) / (50 + 30) × 100 = 82.5
    assert str(result.total) == "82.50"
    assert result.grade == "良"
    assert result.leaf("i").status == NOT_APPLICABLE
    assert result.complete


def test_all_applicable_total_is_the_sum_of_rounded_leaf_scores():
    ev = evaluation_with(dict(RATIO, id="a", weight=50, target=3),
                         dict(RATIO, id="b", weight=50, target=3))
    ev = ev.with_value("a", LeafValue(actual=D(1))).with_value("b", LeafValue(actual=D(1)))
    result = score(ev)
    # each leaf 16.666… → 16.67; the total is 33.34, not round(33.333…) = 33.33
    assert str(result.total) == "33.34"
    assert not result.renormalised


def test_grade_uses_the_rounded_total():
    system = system_with(MANUAL)
    assert system.grade(D("90.00")) == "优"
    assert system.grade(D("89.99")) == "良"
    from forms.numbers import round2
    assert system.grade(round2(D("89.995"))) == "优"
    assert system.grade(D("59.99")) == "差"


def test_budget_sourced_values():
    ev = read_package((__import__("conftest").SAMPLE).read_bytes())
    result = score(ev)
    assert str(result.leaf("exec_rate").score) == "9.58"
    assert result.leaf("exec_rate").actual.quantize(D("0.0001")) == D("95.7615")
    assert str(result.leaf("project_exec").score) == "4.00"


def test_division_by_zero_leaves_the_value_missing():
    ev = evaluation_with(dict(RATIO, source="budget.execution_rate"))
    result = score(ev)
    assert result.leaf("r").status == MISSING
    assert "全年预算数" in result.leaf("r").message


def test_the_sample_scores_92_58():
    from conftest import SAMPLE
    ev = read_package(SAMPLE.read_bytes())
    result = score(ev)
    expected = {"fdi": "10.00", "new_projects": "10.00", "registered": "10.00",
                "output_growth": "9.00", "visits": "10.00", "satisfaction": "8.00",
                "exec_rate": "9.58", "carryover_rate": "5.00", "project_exec": "4.00",
                "perf_mgmt": "7.00", "procurement": "5.00", "assets": "5.00"}
    assert {r.leaf.id: str(r.score) for r in result.leaves} == expected
    assert str(result.total) == "92.58" and result.grade == "优"
    assert result.complete and result.filled == 12
    rates = result.rates
    assert f"{rates.get('budget.execution_rate'):.2f}" == "95.76"
    assert f"{rates.get('budget.project_execution_rate'):.2f}" == "92.61"
    assert f"{rates.get('projects.execution_rate'):.2f}" == "93.09"
    assert f"{rates.get('budget.carryover_rate'):.2f}" == "0.00"
    groups = {g.group.name: str(g.score) for g in result.groups}
    assert groups["履职效能"] == "57.00" and groups["管理效率"] == "35.58"


# ---------------------------------------------------------------- properties

numbers = st.decimals(min_value=D("-1000"), max_value=D("100000"), allow_nan=False,
                      allow_infinity=False, places=3)
weights = st.decimals(min_value=D("0.5"), max_value=D("50"), places=1)


@st.composite
def leaf_and_value(draw):
    weight = draw(weights)
    kind = draw(st.sampled_from(["ratio", "deduct", "bands", "checklist", "incidents",
                                 "coefficient", "manual", "either"]))
    raw = {"id": "x", "name": "x", "weight": str(weight)}
    value: dict = {}
    actual = draw(numbers)
    if kind == "ratio":
        direction = draw(st.sampled_from(["higher", "lower"]))
        target = draw(st.decimals(min_value=D("0.01") if direction == "higher" else D(0),
                                  max_value=D(1000), places=2))
        raw.update(target=str(target), rule={"type": "ratio", "direction": direction})
        value["actual"] = actual
    elif kind in ("deduct", "either"):
        rule = {"type": "deduct", "standard": str(draw(numbers)),
                "direction": draw(st.sampled_from(["max", "min"])),
                "step": str(draw(st.decimals(min_value=D("0.1"), max_value=D(20), places=1))),
                "points": str(draw(st.decimals(min_value=D("0.1"), max_value=D(20), places=1))),
                "count": draw(st.sampled_from(["proportional", "started", "whole"]))}
        if kind == "either":
            raw["rule"] = {"type": "either", "options": [{"id": "o", "name": "o", "rule": rule}]}
            value["option"] = "o"
        else:
            raw["rule"] = rule
        value["actual"] = actual
    elif kind == "bands":
        scores = draw(st.lists(st.decimals(min_value=D(0), max_value=weight, places=2),
                               min_size=1, max_size=5))
        raw["rule"] = {"type": "bands", "bands": [
            {"min": str(draw(numbers)), "score": str(sc)} for sc in scores]}
        value["actual"] = actual
    elif kind == "checklist":
        half = (weight / 2).quantize(D("0.01"))
        raw["rule"] = {"type": "checklist", "items": [
            {"id": "a", "label": "a", "points": str(half)},
            {"id": "b", "label": "b", "points": str(weight - half)}]}
        value["checked"] = tuple(draw(st.lists(st.sampled_from(["a", "b"]), max_size=3)))
    elif kind == "incidents":
        raw["rule"] = {"type": "incidents", "points": "0.5"}
        value["count"] = D(draw(st.integers(min_value=-3, max_value=500)))
    elif kind == "coefficient":
        raw["rule"] = {"type": "coefficient", "levels": {"优": 100, "良": 80}}
        value["coefficient"] = draw(st.decimals(min_value=D(-50), max_value=D(150), places=2))
    else:
        raw["rule"] = {"type": "manual"}
        value["score"] = draw(st.decimals(min_value=D(-10), max_value=D(100), places=3))
    return raw, value


@pytest.mark.slow
@settings(max_examples=cases(300), deadline=None)
@given(leaf_and_value())
def test_a_leaf_score_never_leaves_zero_to_weight(case):
    raw, value = case
    the_leaf = leaf(raw)
    result = score_leaf(the_leaf, LeafValue(**value), NO_RATES)
    assert D(0) <= result.score <= the_leaf.weight
    assert result.score == result.score.quantize(D("0.01"))
    assert result.status in (SCORED, INVALID)
