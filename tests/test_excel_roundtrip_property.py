"""Whatever a clerk types survives export → import exactly, and the report always builds."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from fuzz_budget import cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exports.excel import workbook_bytes
from exports.pdf_report import build_report
from exports.workbook_import import read_workbook_bytes
from forms.model import LeafValue, Project, Task
from forms.package import write_package

pytestmark = pytest.mark.slow  # hypothesis sweeps: seconds each

# any text without surrogates: control characters, emoji, rare hanzi, '=' formulas, spaces
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60) | st.sampled_from(
    ["a\r\nb", "a\rb", " 前后空格 ", "_x000D_", "=1+1", "'引号", "\ufeff", "001", "1e5", "\x85", "\x1f控制", "\uffff\ufffe"])
amounts = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2,
                      allow_nan=False, allow_infinity=False)

_settings = settings(max_examples=cases(25), deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])


@_settings
@given(name=texts, deviation=texts, task=texts, phone=texts, executed=amounts,
       project_budget=amounts)
def test_round_trip_is_exact_for_any_input(sample, name, deviation, task, phone, executed,
                                           project_budget):
    ev = replace(sample, department=replace(sample.department, name=name, phone=phone))
    ev = ev.with_value("fdi", LeafValue(actual=executed, deviation=deviation))
    ev = replace(ev, tasks=(Task(name=task, target=deviation, result=name),),
                 projects=(Project(name=task, budget=project_budget, executed=executed),),
                 budget=replace(ev.budget, total=replace(ev.budget.total, executed=executed)))
    back = read_workbook_bytes(workbook_bytes(ev))
    assert write_package(back) == write_package(ev)


@_settings
@given(problems=texts, deviation=texts)
def test_report_builds_and_reports_what_it_could_not_print(sample, problems, deviation):
    ev = sample.with_narrative("problems", problems)
    ev = ev.with_value("fdi", LeafValue(actual=Decimal("1810"), deviation=deviation))
    report = build_report(ev)
    assert report.data.startswith(b"%PDF") and report.pages >= 5
    for ch in report.replaced:
        assert ch in problems or ch in deviation
