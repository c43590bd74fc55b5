"""The navigation's section marks: ✗ error, ⚠ warning or unfinished, ○ nothing entered, ✓ done."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from forms.model import Budget, BudgetRow, Department, Goals, Project, Task, new_evaluation
from forms.scoring import score
from forms.section_state import EMPTY, ERROR_STATE, OK, WARNING, section_entered, section_state
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
    one = fresh.with_value("fdi", replace(fresh.value("fdi"), actual=Decimal(1810)))
    assert states(one)["values"] == WARNING  # started, not finished
    budget = sample.budget
    broken = replace(sample, budget=replace(budget, total=replace(budget.total,
                                                                   executed=Decimal(-5))))
    assert states(broken)["budget"] == ERROR_STATE
    assert states(broken)["goals"] == OK


def _fresh(sample):
    return new_evaluation(sample.system, "某某区财政局", 2024)


# (section, what the clerk typed, entered?) — what the report cannot do without
ENTERED = [
    ("department", {"department": Department(name="某某区财政局", year=2024)}, False),
    ("department", {"department": Department(name="  ", functions=("统筹财政",))}, False),
    ("department", {"department": Department(name="某某区财政局", functions=("统筹财政",))},
     True),
    ("budget", {"budget": Budget(total=BudgetRow(adjusted=Decimal(100)))}, False),
    ("budget", {"budget": Budget(total=BudgetRow(adjusted=Decimal(100),
                                                 executed=Decimal(0)))}, True),
    # 合计 left out: the fund-source rows stand for it
    ("budget", {"budget": Budget(by_source={"general": BudgetRow(adjusted=Decimal(80),
                                                                 executed=Decimal(70))})},
     True),
    ("goals", {"goals": Goals(completion="完成")}, False),
    ("goals", {"goals": Goals(targets=" 全年目标 ")}, True),
    ("tasks", {"tasks": (Task(), Task(name=" "))}, False),
    ("tasks", {"tasks": (Task(), Task(name="招商引资"))}, True),
    ("projects", {"projects": (Project(budget=Decimal(5)),)}, False),
    ("projects", {"projects": (Project(name="园区规划"),)}, True),
    ("narrative", {"narrative": {"problems": "  "}}, False),
    ("narrative", {"narrative": {"problems": "资金拨付偏慢"}}, True),
    ("values", {}, True),  # judged from the score instead
]


@pytest.mark.parametrize(("section", "typed", "entered"), ENTERED)
def test_what_counts_as_entered(sample, section, typed, entered):
    ev = replace(_fresh(sample), **typed)
    assert section_entered(section, ev) is entered
    assert section_entered(section, _fresh(sample)) is (section == "values")
