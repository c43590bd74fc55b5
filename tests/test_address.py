"""Typed addresses: every path a package or an issue can hold reads back to the same
text, and the form's edits keep marks and refused entries on the rows they belong to."""

from __future__ import annotations


import pytest
from fuzz_budget import cases
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.address import (
    BudgetCell,
    FieldAddress,
    LeafField,
    NodeAddress,
    OtherAddress,
    RowCell,
    parse,
)
from forms.model import next_year
from forms.validation import validate

KNOWN = [
    ("department.name", FieldAddress("department", "name"), "department"),
    ("goals.unmet_reason", FieldAddress("goals", "unmet_reason"), "goals"),
    ("budget.carryover", FieldAddress("budget", "carryover"), "budget"),
    ("budget.evidence", FieldAddress("budget", "evidence"), "budget"),  # its 佐证材料
    ("budget.total.executed", BudgetCell("total", "", "executed"), "budget"),
    ("budget.by_source.general.adjusted", BudgetCell("by_source", "general", "adjusted"), "budget"),
    ("budget.by_nature.executed", BudgetCell("by_nature", "", "executed"), "budget"),
    ("tasks[3].target", RowCell("tasks", 3, "target"), "tasks"),
    ("projects[0]", RowCell("projects", 0), "projects"),
    ("values.exec_rate.deviation", LeafField("exec_rate", "deviation"), "values"),
    ("values.1.2.3", LeafField("1.2.3"), "values"),  # a system's own dotted numbering
    ("values.1.2.3.count", LeafField("1.2.3", "count"), "values"),
    ("system.indicators[2].children[0]", NodeAddress((2, 0)), "values"),
    ("system.indicators[1].children[0].children[4].rule.lower",
     NodeAddress((1, 0, 4), ".rule.lower"), "values"),
    ("tasks[01].name", OtherAddress("tasks[01].name"), "tasks"),
]


@pytest.mark.parametrize("path, address, section", KNOWN)
def test_known_paths_read_as_their_typed_address(path, address, section):
    assert parse(path) == address
    assert str(address) == path
    assert address.section == section


RUNS = 400


@settings(max_examples=cases(RUNS), deadline=None)
@given(st.text(alphabet="abc_.[]019系统values.tasks.budget.by_source", max_size=40))
def test_any_path_reads_back_to_the_same_text(path):
    assert str(parse(path)) == path


def test_fuzz_count_is_bounded():
    print(f"address round trip: {RUNS} generated paths")  # the count, for the CI log


def test_every_issue_of_the_sample_carries_an_address_that_prints_its_path(sample):
    issues = validate(next_year(sample))
    assert issues
    for issue in issues:
        assert parse(issue.path) == issue.address
        assert not isinstance(issue.address, OtherAddress), issue
