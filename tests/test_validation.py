"""Validation issues as values: level, JSON path and a Chinese message with the figures."""

from dataclasses import replace
from decimal import Decimal as D

from forms.model import Budget, BudgetRow, LeafValue, Project
from forms.scoring import score
from forms.validation import ERROR, WARNING, validate


def issues_by_path(ev):
    return {i.path: i for i in validate(ev)}


def test_the_sample_has_no_issues(sample):
    assert validate(sample) == []


def test_seed_000_rounding_mismatch_is_a_warning_with_both_figures(sample):
    budget = Budget(
        total=BudgetRow(D("1239.81"), D("1239.81"), D("1239.81")),
        by_source={"general": BudgetRow(D("855.32"), D("855.32"), D("855.32")),
                   "fund": BudgetRow(D("384.50"), D("384.50"), D("384.50"))},
        by_nature={"basic": BudgetRow(None, D("710.86"), D("710.86")),
                   "project": BudgetRow(None, D("528.95"), D("528.95"))},
        carryover=D("12.22"))
    ev = replace(sample, budget=budget)
    issues = issues_by_path(ev)
    issue = issues["budget.total.executed"]
    assert issue.level == WARNING
    assert "1,239.82" in issue.message and "1,239.81" in issue.message
    assert "0.01" in issue.message
    assert "budget.by_nature.executed" not in issues  # 710.86 + 528.95 = 1239.81
    assert str(score(ev).total)  # still scored


def test_low_execution_rate_needs_an_explanation(sample):
    # 白云区投资促进局 2023: 27247.94 budget, 11894.15 executed → 43.65% (docs/scoring.md)
    budget = replace(sample.budget,
                     total=BudgetRow(D("27247.94"), D("27247.94"), D("11894.15")),
                     by_source={"general": BudgetRow(D("27247.94"), D("27247.94"), D("11894.15"))},
                     by_nature={})
    ev = replace(sample, budget=budget).with_value("exec_rate", LeafValue())
    issues = issues_by_path(ev)
    issue = issues["values.exec_rate.deviation"]
    assert issue.level == WARNING
    assert issue.message == "预算执行率 43.65% 低于 90%，需说明原因"
    assert str(score(ev).leaf("exec_rate").score) == "4.37"
    fixed = ev.with_value("exec_rate", LeafValue(deviation="项目资金按进度拨付，部分未形成支出。"))
    assert "values.exec_rate.deviation" not in issues_by_path(fixed)


def test_low_execution_rate_without_a_leaf_asks_for_the_unmet_reason(sample):
    from helpers import evaluation_with
    ev = evaluation_with({"id": "m", "name": "制度", "weight": 100, "rule": {"type": "manual"}})
    ev = replace(ev, budget=Budget(total=BudgetRow(D(100), D(100), D(50))))
    ev = ev.with_value("m", LeafValue(score=D(100)))
    issues = issues_by_path(ev)
    assert issues["goals.unmet_reason"].message.startswith("预算执行率 50.00% 低于 90%")
    ev = replace(ev, goals=replace(ev.goals, unmet_reason="受疫情影响"))
    assert "goals.unmet_reason" not in issues_by_path(ev)


def test_a_leaf_below_full_marks_needs_a_deviation_text(sample):
    ev = sample.with_value("procurement", LeafValue(actual=D("80")))
    issue = issues_by_path(ev)["values.procurement.deviation"]
    assert issue.level == WARNING
    assert "政府采购执行率" in issue.message and "4.00" in issue.message and "5" in issue.message
    ev = ev.with_value("procurement", LeafValue(actual=D("80"), deviation="部分采购延至下年"))
    assert "values.procurement.deviation" not in issues_by_path(ev)


def test_missing_values_are_listed_but_scored(sample):
    values = dict(sample.values)
    del values["fdi"]
    ev = replace(sample, values=values)
    issue = issues_by_path(ev)["values.fdi"]
    assert issue.level == WARNING and "实际利用外资" in issue.message
    result = score(ev)
    assert not result.complete and result.filled == 11
    assert str(result.total) == "82.58"


def test_not_applicable_needs_a_reason(sample):
    ev = sample.with_value("procurement", LeafValue(not_applicable=True))
    issue = issues_by_path(ev)["values.procurement.reason"]
    assert issue.level == ERROR and "不适用" in issue.message
    ev = sample.with_value("procurement", LeafValue(not_applicable=True, reason="本年度无政府采购"))
    assert "values.procurement.reason" not in issues_by_path(ev)
    # (92.58 − 5) / 95 × 100 = 92.19
    assert str(score(ev).total) == "92.19"


def test_executed_above_budget_and_negative_amounts(sample):
    by_source = dict(sample.budget.by_source)
    by_source["other"] = BudgetRow(D("0"), D("1000"), D("1104.37"))
    by_source["fund"] = BudgetRow(D("-5"), D("0"), D("0"))
    ev = replace(sample, budget=replace(sample.budget, by_source=by_source),
                 projects=sample.projects + (Project("新项目", D("10"), D("12")),))
    issues = issues_by_path(ev)
    over = issues["budget.by_source.other.executed"]
    assert over.message == "其他资金：全年执行数（1,104.37）大于全年预算数（1,000.00），请核对。"
    neg = issues["budget.by_source.fund.initial"]
    assert neg.level == ERROR and "-5.00" in neg.message
    assert "projects[3].executed" in issues
    # errors come first
    levels = [i.level for i in validate(ev)]
    assert levels == sorted(levels, key=lambda lv: lv != ERROR)


def test_typed_actual_on_a_computed_leaf_is_ignored_with_a_warning(sample):
    ev = sample.with_value("exec_rate", LeafValue(actual=D("100"), deviation="x"))
    issue = issues_by_path(ev)["values.exec_rate.actual"]
    assert issue.level == WARNING and "自动计算" in issue.message
    assert str(score(ev).leaf("exec_rate").score) == "9.58"


def test_value_for_an_unknown_leaf_is_kept_and_reported(sample):
    ev = sample.with_value("nonexistent", LeafValue(actual=D(1)))
    assert issues_by_path(ev)["values.nonexistent"].level == WARNING


def test_invalid_values_are_errors(sample):
    ev = sample.with_value("satisfaction", LeafValue(level="极好"))
    issue = issues_by_path(ev)["values.satisfaction"]
    assert issue.level == ERROR and "极好" in issue.message


def test_a_custom_block_that_does_not_add_up(sample):
    top = sample.system.indicators[0]
    block = top.children[0]
    assert block.custom
    smaller = replace(block.children[0], weight=D(6))
    block = replace(block, children=(smaller,) + block.children[1:])
    system = replace(sample.system, indicators=(replace(top, children=(block,) + top.children[1:]),)
                     + sample.system.indicators[1:])
    ev = sample.with_system(system)
    issue = issues_by_path(ev)["system.indicators[0].children[0]"]
    assert issue.level == ERROR and "26" in issue.message and "30" in issue.message
    assert issue.section == "values"
