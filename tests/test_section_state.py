"""The navigation's section marks: ✗ error, ⚠ warning or unfinished, ○ nothing entered, ✓ done."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from forms.section_state import EMPTY, ERROR_STATE, OK, WARNING, section_state
from forms.model import Task, new_evaluation
from forms.scoring import score
from forms.validation import validate

SECTIONS = ("department", "budget", "goals", "tasks", "projects", "values", "narrative")


def states(evaluation):
    result = score(evaluation)
    issues = validate(evaluation, result)
    return {s: section_state(s, issues, result, evaluation) for s in SECTIONS}


def test_the_sample_is_done_everywhere(sample):
    assert set(states(sample).values()) == {OK}


def test_a_new_evaluation_is_empty_everywhere(sample):
    fresh = new_evaluation(sample.system, "某某区财政局", 2024)
    assert set(states(fresh).values()) == {EMPTY}


def test_entering_a_section_makes_it_done_and_problems_override(sample):
    fresh = new_evaluation(sample.system, "某某区财政局", 2024)
    fresh = replace(fresh, tasks=(Task(name="招商引资"),))
    assert states(fresh)["tasks"] == OK
    one = fresh.with_value("fdi", replace(fresh.value("fdi"), actual=Decimal("1810")))
    assert states(one)["values"] == WARNING  # started, not finished
    budget = sample.budget
    broken = replace(sample, budget=replace(budget, total=replace(budget.total,
                                                                   executed=Decimal("-5"))))
    assert states(broken)["budget"] == ERROR_STATE
    assert states(broken)["goals"] == OK
