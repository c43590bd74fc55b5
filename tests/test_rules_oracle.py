"""The ministry's formulas are the oracle: 正向, 反向, 等于 and the 定性 bands, transcribed
directly from the finance ministry's 计分办法, against our scoring on random inputs.

正向: actual ≥ target → weight; else actual / target × weight.
反向: actual ≤ target → weight; target < actual < 2 × target → (1 − (actual − target) / target)
× weight; 2 × target or more → 0.
等于 (target 0): actual ≤ 0 → weight; else 0.
定性: 达成年度指标 80 %(含)–100 % of the weight; 部分达成年度指标并具有一定效果 60 %(含)–80 %;
未达成年度指标且效果较差 0–60 %; the typed score stands when inside its level's band, else error.

Cases: 1,000 per formula, scaled by ``tests/fuzz_budget.py``; the counts are printed."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from fuzz_budget import cases
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.model import LeafValue, new_evaluation
from forms.scoring import score
from forms.system import load_system

EXAMPLES = 1000
seen: dict[str, int] = {}
CENT = Decimal("0.01")


@pytest.fixture(scope="module", autouse=True)
def _count():
    yield
    print("\nministry formulas compared: " + ", ".join(f"{k} {v}" for k, v in sorted(seen.items())))


def _scored(rule: dict, weight: Decimal, target: Decimal | None, value: LeafValue):
    leaf = {"id": "x", "name": "指标", "weight": str(weight), "rule": rule}
    if target is not None:
        leaf["target"] = str(target)
    rest = Decimal(100) - weight
    system = load_system({"name": "试", "indicators": [
        {"name": "一级", "weight": str(weight), "children": [leaf]},
        {"name": "其他", "weight": str(rest), "children": [
            {"id": "y", "name": "其他", "weight": str(rest), "rule": {"type": "manual"}}]}]})
    ev = new_evaluation(system, "单位", 2024).with_value("x", value)
    return next(r for r in score(ev).leaves if r.leaf.id == "x")


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


weights = st.decimals(min_value=1, max_value=60, places=1)
positive = st.decimals(min_value=Decimal("0.01"), max_value=10_000, places=2)
amounts = st.decimals(min_value=0, max_value=30_000, places=2)


def ministry_positive(actual: Decimal, target: Decimal, weight: Decimal) -> Decimal:
    if actual >= target:
        return weight
    return actual / target * weight


def ministry_reverse(actual: Decimal, target: Decimal, weight: Decimal) -> Decimal:
    if actual <= target:
        return weight
    if actual >= 2 * target:
        return Decimal(0)
    return (1 - (actual - target) / target) * weight


def ministry_equal_zero(actual: Decimal, weight: Decimal) -> Decimal:
    return weight if actual <= 0 else Decimal(0)


@pytest.mark.slow
@settings(max_examples=cases(EXAMPLES), deadline=None)
@given(weights, positive, amounts)
def test_positive_is_the_ministry_formula(weight, target, actual):
    seen["正向"] = seen.get("正向", 0) + 1
    result = _scored({"type": "ratio", "direction": "higher"}, weight, target, LeafValue(actual=actual))
    assert result.score == _round(ministry_positive(actual, target, weight))


@pytest.mark.slow
@settings(max_examples=cases(EXAMPLES), deadline=None)
@given(weights, positive, st.one_of(amounts, st.decimals(min_value=0, max_value=3, places=2)))
def test_reverse_is_the_ministry_formula(weight, target, ratio_or_actual):
    seen["反向"] = seen.get("反向", 0) + 1
    # half the cases near the target: actual = target × a factor between 0 and 3
    actual = ratio_or_actual if ratio_or_actual > 3 else _round(target * ratio_or_actual)
    result = _scored({"type": "ratio", "direction": "reverse"}, weight, target, LeafValue(actual=actual))
    assert result.score == _round(ministry_reverse(actual, target, weight))


@pytest.mark.slow
@settings(max_examples=cases(EXAMPLES), deadline=None)
@given(weights, st.decimals(min_value=-50, max_value=50, places=2))
def test_equal_to_zero_is_the_ministry_formula(weight, actual):
    seen["等于"] = seen.get("等于", 0) + 1
    result = _scored({"type": "ratio", "direction": "equal"}, weight, Decimal(0), LeafValue(actual=actual))
    assert result.score == _round(ministry_equal_zero(actual, weight))


MINISTRY_BANDS = {  # level → (low, high, high included) as fractions of the weight
    "达成年度指标": (Decimal("0.8"), Decimal(1), True),
    "部分达成年度指标并具有一定效果": (Decimal("0.6"), Decimal("0.8"), False),
    "未达成年度指标且效果较差": (Decimal(0), Decimal("0.6"), False),
}


@pytest.mark.slow
@settings(max_examples=cases(EXAMPLES), deadline=None)
@given(weights, st.sampled_from(sorted(MINISTRY_BANDS)), st.decimals(min_value=0, max_value=1, places=3))
def test_qualitative_bands_are_the_ministry_bands(weight, level, share):
    seen["定性"] = seen.get("定性", 0) + 1
    typed = _round(weight * share)
    result = _scored({"type": "qualitative"}, weight, None, LeafValue(level=level, score=typed))
    low, high, closed = MINISTRY_BANDS[level]
    inside = weight * low <= typed and (typed < weight * high or (closed and typed == weight * high))
    if inside:
        assert result.status == "scored" and result.score == typed
    else:
        assert result.status == "invalid" and level in result.message
