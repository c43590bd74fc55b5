"""Rules written once in forms and used by the pages, the report and the review:
execution rates, what a group's weight adds up to, a subtotal that lost points,
and the review's score bands."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from types import SimpleNamespace

import pytest
from reportlab.graphics.shapes import String

from exports.charts import budget_chart
from exports.fonts import font_for
from forms.budget import rate, row_rate
from forms.model import BudgetRow, LeafValue, Project
from forms.numbers import fmt2
from forms.review import SCORE_BANDS, Review
from forms.scoring import score


@pytest.mark.parametrize(("numerator", "denominator", "expected"), [
    ("185.3", "207.5", Decimal("185.3") / Decimal("207.5") * 100),
    ("0", "50", Decimal(0)),
    ("60", "50", Decimal(120)),  # above budget: the rate says so, validation flags it
    (None, "50", None), ("50", None, None), ("50", "0", None),
])
def test_rate(numerator, denominator, expected):
    dec = (lambda v: None if v is None else Decimal(v))
    assert rate(dec(numerator), dec(denominator)) == expected


def _chart_title(ev) -> str:
    drawing = budget_chart(ev, font_for("body"), 400, 200)
    assert drawing is not None
    return next(s.text for s in drawing.contents if isinstance(s, String))


@pytest.mark.parametrize(("adjusted", "executed", "shown"), [
    ("1000", "873.25", "87.33"), ("3", "1", "33.33"), ("0", "0", "—")])
def test_the_budget_chart_states_the_execution_rate(sample, adjusted, executed, shown):
    total = BudgetRow(adjusted=Decimal(adjusted), executed=Decimal(executed))
    ev = replace(sample, budget=replace(sample.budget, total=total))
    expected = row_rate(total)
    assert shown == ("—" if expected is None else fmt2(expected))
    assert _chart_title(ev) == f"预算执行情况（万元，合计执行率 {shown}%）"


def test_the_projects_table_shows_the_same_rate_as_the_report(qapp, sample):
    from desktop.form.document import Document
    from desktop.form.pages.rows import ProjectsModel

    ev = replace(sample, projects=sample.projects + (
        Project(name="零预算项目", budget=Decimal(0), executed=Decimal(1)),
        Project(name="未填执行数", budget=Decimal(5))))
    model = ProjectsModel(Document(ev))
    shown = [model.cell(ev, row, "rate") for row in range(len(ev.projects))]
    assert shown == [rate(p.executed, p.budget) for p in ev.projects]
    assert shown[0] == Decimal("185.3") / Decimal("207.5") * 100 and shown[-2:] == [None, None]


def test_children_weight_is_the_sum_of_the_children(sample):
    groups = [(top, top.children_weight) for top in sample.system.indicators]
    assert [(g.name, w) for g, w in groups] == [("履职效能", 60), ("管理效率", 40)]
    block = sample.system.indicators[0].children[0]
    lighter = replace(block, children=block.children[:2])
    assert (block.children_weight, lighter.children_weight) == (30, 20)


@pytest.mark.parametrize(("values", "group", "lost", "not_applicable"), [
    ({}, "产出", False, False),  # the sample: full marks on 产出
    ({"fdi": LeafValue(actual=Decimal(750))}, "产出", True, False),  # half of 实际利用外资
    ({"satisfaction": LeafValue(not_applicable=True, reason="当年未开展调查")}, "满意度",
     False, True),
    ({"satisfaction": LeafValue(level="差")}, "满意度", True, False),
])
def test_a_group_that_lost_points(sample, values, group, lost, not_applicable):
    ev = sample
    for leaf_id, value in values.items():
        ev = ev.with_value(leaf_id, value)
    found = next(g for g in score(ev).groups if g.group.name == group)
    assert (found.lost_points, found.not_applicable) == (lost, not_applicable)


@pytest.mark.parametrize(("total", "band"), [
    ("0", "60 分以下"), ("59.99", "60 分以下"), ("60", "60–70"), ("79.99", "70–80"),
    ("80", "80–90"), ("90", "90–100"), ("100", "90–100")])
def test_score_bands(total, band):
    row = SimpleNamespace(result=SimpleNamespace(total=Decimal(total)), flag_kinds=set)
    review = Review(rows=(row,), rejected=())  # type: ignore[arg-type]
    counts = dict(review.distribution())
    assert list(counts) == [label for label, _, _ in SCORE_BANDS]
    assert {label for label, n in counts.items() if n} == {band} and sum(counts.values()) == 1


def _row(year, stated=None, **leaves):
    """A review row: its year, the total its table states, and leaf id → score or "na"."""
    def leaf(leaf_id):
        got = leaves.get(leaf_id)
        if got is None:
            return None
        if got == "na":
            return SimpleNamespace(status="not_applicable", score=Decimal(0), full_marks=False)
        return SimpleNamespace(status="scored", score=Decimal(got),
                               full_marks=Decimal(got) >= 10)
    result = SimpleNamespace(total=Decimal("90.00"), leaf=leaf)
    return SimpleNamespace(year=year, result=result, stated_total=None if stated is None
                           else Decimal(stated), flag_kinds=set)


def test_leaf_statistics_across_submissions():
    rows = (_row(2023, x="10"), _row(2023, x="10"), _row(2023, x="9.5"), _row(2023, x="na"),
            _row(2022), _row(2023, x="10"), _row(2023, x="2"))
    review = Review(rows=rows, rejected=())  # type: ignore[arg-type]
    stats = review.leaf_stats("x")
    assert dict(stats.scores) == {0: 10, 1: 10, 2: Decimal("9.5"), 5: 10, 6: 2}
    assert (stats.count, stats.average, stats.lowest, stats.highest, stats.full) == \
        (5, Decimal("8.30"), 2, 10, 3)
    assert stats.low == (6,)  # far below the rest; 9.5 is not
    none = review.leaf_stats("absent")
    assert (none.count, none.average, none.lowest, none.highest, none.low) == \
        (0, None, None, None, ())
    assert review.year == 2023


@pytest.mark.parametrize(("stated", "difference"), [
    (None, None), ("90", Decimal(0)), ("92.5", Decimal("2.50")), ("88", Decimal(-2))])
def test_a_stated_total_against_the_recomputed_one(stated, difference):
    from forms.review import ReviewRow

    row = _row(2023, stated)
    assert ReviewRow.difference.fget(row) == difference
