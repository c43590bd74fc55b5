"""Every issue opens the field that would fix it: a rate that cannot be computed opens the
budget figure it lacks, not the indicator."""

from __future__ import annotations

from dataclasses import replace

import pytest
from desktop_windows import open_window, shown  # noqa: F401 (fixtures)
from PySide6.QtWidgets import QApplication

from forms.address import BudgetCell, FieldAddress, RowCell
from forms.validation import validate


@pytest.mark.parametrize("change, where", [
    (lambda ev: replace(ev, budget=replace(ev.budget, carryover=None)),
     FieldAddress("budget", "carryover")),
    (lambda ev: replace(ev, budget=replace(  # 合计 and every source's 全年预算数 left empty
        ev.budget, total=replace(ev.budget.total, adjusted=None),
        by_source={k: replace(r, adjusted=None) for k, r in ev.budget.by_source.items()})),
     BudgetCell("total", "", "adjusted")),
    (lambda ev: replace(ev, projects=tuple(replace(p, executed=None) for p in ev.projects)),
     RowCell("projects", 0, "executed")),
])
def test_a_rate_that_cannot_be_computed_points_at_the_missing_figure(sample, change, where):
    issues = [i for i in validate(change(sample)) if "无法计算" in i.message]
    assert issues and {i.address for i in issues} == {where}


def test_every_missing_rate_names_its_cell(sample):
    from forms.budget import compute_rates

    ev = replace(sample, budget=replace(sample.budget, by_nature={
        **sample.budget.by_nature, "project": replace(sample.budget.nature("project"),
                                                      executed=None)}))
    fields = compute_rates(ev).fields
    assert fields == {"budget.project_execution_rate": BudgetCell("by_nature", "project",
                                                                  "executed")}


def test_a_click_on_the_issue_opens_the_budget_field(open_window, tmp_path, sample):
    window = open_window()
    document = window.document
    document.apply(replace(document.evaluation,
                           budget=replace(document.evaluation.budget, carryover=None)), "编辑")
    issue = next(i for i in document.issues if "结转结余率无法计算" in i.message)
    window.navigation.go_to_issue(issue)
    QApplication.processEvents()
    _index, page = window.page_for("budget")
    assert window.navigation.stack.currentWidget() is page
    assert QApplication.focusWidget() is page.carryover or page.carryover.hasFocus()
