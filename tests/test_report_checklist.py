"""The reader's checklist (tests/report_checklist.py) over a package from each seed, made the
way a clerk has the material: 职能 pasted with their numbers, measures typed as （一）
headings, a 90%-short rate with its reason, the example system left as shipped (seed 004),
a next-year copy with last year's texts.  docs/report.md gives the results."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from conftest import needs_tool
from report_checklist import CHECKS, material, run
from report_text import load

from forms.model import next_year
from forms.report.outline import ReportOptions, with_report_options

pytestmark = [needs_tool("pdftotext", "poppler-utils"), pytest.mark.slow]

MEASURES = ("（一）抓好“载体赋能”\n加快推进标准化工业厂房建设，拓展工业发展载体。\n"
            "（二）抓好“产业升级”\n推动规上工业企业数字化转型。")


def _numbered(ev):
    functions = tuple(f"{i}、{f}" for i, f in enumerate(ev.department.functions, start=1))
    return replace(ev, department=replace(ev.department, functions=functions))


def seed_000():
    return _numbered(load("liwan-xiezuo-2023.json"))


def seed_001():
    from forms.package import read_package
    from conftest import SAMPLE

    return with_report_options(read_package(SAMPLE.read_bytes()),
                               ReportOptions(outline="overview"))


def seed_002():
    ev = _numbered(load("liwan-kegongxin-2023.json")).with_narrative("measures", MEASURES)
    return replace(ev, goals=replace(ev.goals, unmet_reason="部分项目资金年底才拨付，未能在年内支出。"))


def seed_003():
    return load("huangpu-lingang-2021.json")


def seed_004():
    ev = load("baiyun-2023.json").with_narrative(
        "problems", "（一）预算执行进度不均衡需继续改善。\n（二）内部管理还需进一步完善。")
    ev = replace(ev, budget=replace(ev.budget, appropriation_income=Decimal("11894.35")))
    return with_report_options(ev, ReportOptions(outline="baiyun"))


def seed_000_next_year():
    last = seed_000()
    ev = next_year(last)
    return replace(ev, budget=last.budget, values=last.values, projects=last.projects)


PACKAGES = {"000": seed_000, "001": seed_001, "002": seed_002, "003": seed_003,
            "004": seed_004, "000 次年": seed_000_next_year}


@pytest.mark.parametrize("seed", list(PACKAGES))
def test_every_point_of_the_checklist_holds(seed, tmp_path):
    results = run(material(PACKAGES[seed](), tmp_path))
    failed = [f"{key}: {text}" for key, text, _ in CHECKS if results[key] is False]
    assert not failed, failed
    assert len(CHECKS) >= 30
