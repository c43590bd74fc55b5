"""Any tree two to four levels deep, with any mix of leaves and not-applicable policy:
it loads, writes back unchanged, and its total and subtotals are the sums of its leaves.

Cases: 200, scaled by ``tests/fuzz_budget.py``; the count is printed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fuzz_budget import cases
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.model import LeafValue, new_evaluation
from forms.numbers import HUNDRED, ZERO, round2
from forms.scoring import NOT_APPLICABLE, score
from forms.system import load_system, system_to_dict
from forms.system_edit import SystemDraft

EXAMPLES = 200
seen = {"cases": 0}


@pytest.fixture(scope="module", autouse=True)
def _count():
    yield
    print(f"\nrandom trees of depth 2–4 scored: {seen['cases']}")


@st.composite
def trees(draw):
    """A system whose weights add up, with leaves at levels 2 to 4."""
    counter = iter(range(10_000))

    def node(level: int, weight: int) -> dict:
        as_leaf = level >= 2 and (level == 4 or draw(st.booleans()))
        if as_leaf:
            return {"id": f"x{next(counter)}", "name": f"叶{level}", "weight": weight,
                    "rule": {"type": "manual"}}
        parts = draw(st.integers(min_value=1, max_value=min(3, weight)))
        cuts = sorted(draw(st.lists(st.integers(1, weight - 1), min_size=parts - 1,
                                    max_size=parts - 1, unique=True))) if weight > 1 else []
        sizes = [b - a for a, b in zip([0] + cuts, cuts + [weight])]
        return {"name": f"组{level}", "weight": weight,
                "children": [node(level + 1, s) for s in sizes]}

    tops = draw(st.sampled_from([[100], [60, 40], [50, 25, 25]]))
    policy = draw(st.sampled_from(["rescale", "full", "zero"]))
    return {"name": "随机", "not_applicable": policy, "indicators": [node(1, w) for w in tops]}


@pytest.mark.slow
@settings(max_examples=cases(EXAMPLES), deadline=None)
@given(trees(), st.data())
def test_any_tree_loads_round_trips_and_adds_up(raw, data):
    seen["cases"] += 1
    system = load_system(raw)
    assert load_system(system_to_dict(system)) == system
    draft = SystemDraft(system_to_dict(system))
    assert draft.check().ok and len(draft.leaves()) == len(system.leaves())
    values = {}
    for leaf in system.leaves():
        if data.draw(st.booleans()):
            values[leaf.id] = LeafValue(not_applicable=True, reason="无")
        else:
            values[leaf.id] = LeafValue(score=Decimal(data.draw(st.integers(0, int(leaf.weight)))))
    ev = new_evaluation(system, "单位", 2024)
    for leaf_id, value in values.items():
        ev = ev.with_value(leaf_id, value)
    result = score(ev)
    got = {r.leaf.id: r for r in result.leaves}
    for group in result.groups:  # every subtotal is the sum of its own leaves' points
        leaves = [got[leaf.id] for leaf in group.group.leaves()]
        if system.not_applicable == "full":
            expected = sum((r.leaf.weight if r.status == NOT_APPLICABLE else r.score
                            for r in leaves), ZERO)
        else:
            expected = sum((r.score for r in leaves if r.status != NOT_APPLICABLE), ZERO)
        assert group.score == expected
    applicable = [r for r in result.leaves if r.status != NOT_APPLICABLE]
    if system.not_applicable == "rescale" and len(applicable) < len(result.leaves):
        weight = sum((r.leaf.weight for r in applicable), ZERO)
        points = sum((r.score for r in applicable), ZERO)
        assert result.total == (round2(points / weight * HUNDRED) if weight else round2(ZERO))
    else:
        assert result.total == round2(sum((r.score for r in applicable), ZERO)
                                      + (sum((r.leaf.weight for r in result.leaves
                                              if r.status == NOT_APPLICABLE), ZERO)
                                         if system.not_applicable == "full" else ZERO))
    assert ZERO <= result.total <= HUNDRED


def test_a_cap_whose_rate_cannot_be_computed_leaves_the_total_alone():
    system = load_system({"name": "x", "cap": {"source": "budget.execution_rate", "bands": [
        {"max": 80, "cap": 89}]}, "indicators": [{"name": "a", "weight": 100, "children": [
            {"id": "x", "name": "x", "weight": 100, "rule": {"type": "manual"}}]}]})
    ev = new_evaluation(system, "单位", 2024).with_value("x", LeafValue(score=Decimal(95)))
    result = score(ev)  # no budget figures: the rate has no value
    assert str(result.total) == "95.00" and not result.capped
    assert result.cap.text == "预算执行率无法计算，未按其封顶"
