"""The report's document model: outline as data, options that survive storage, wording rules."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest
from report_text import load

from forms.model import BudgetRow
from forms.package import package_from_dict, package_to_dict, read_package, write_package
from forms.report import (
    OUTLINES,
    Heading,
    Para,
    ReportOptions,
    build_document,
    report_options,
    section_ids,
    with_report_options,
)
from forms.report.build import cn_number, title_lines
from forms.report.wording import (
    budget_sentences,
    percent,
    project_paragraphs,
    score_text,
    self_reference,
)
from forms.scoring import score
from forms.storage import Library


def _headings(ev) -> list[str]:
    doc = build_document(ev, score(ev))
    return [b.text for b in doc.blocks if isinstance(b, Heading)]


def _paras(ev) -> list[str]:
    return [b.text for b in build_document(ev, score(ev)).blocks if isinstance(b, Para)]


def test_numbers_as_the_seeds_write_them():
    # one precision per report: a whole rate stays whole, a rate under 100 never shows 100
    assert [percent(Decimal(x), 1) for x in ("100", "87.396", "95.7615", "0", "98.94", "99.96")] \
        == ["100%", "87.4%", "95.8%", "0%", "98.9%", "99.9%"]
    assert [percent(Decimal(x), 2) for x in ("100", "87.396", "95.7615", "89", "99.999")] == \
        ["100%", "87.40%", "95.76%", "89%", "99.99%"]
    assert [score_text(Decimal(x)) for x in ("92.58", "100", "98.40", "0")] == \
        ["92.58", "100", "98.4", "0"]
    assert [cn_number(n) for n in (1, 4, 10, 11, 20, 23)] == ["一", "四", "十", "十一", "二十",
                                                             "二十三"]


def test_self_reference_from_the_name_or_the_options(sample):
    assert self_reference(sample) == "我委"
    dept = sample.department
    assert self_reference(replace(sample, department=replace(dept, name="某区协作办公室"))) == "我办"
    assert self_reference(replace(sample, department=replace(dept, name="某区投资促进局"))) == "我局"
    assert self_reference(replace(sample, department=replace(dept, name="某某学校"))) == "我单位"
    chosen = replace(sample, extra={"report": {"self_reference": "本部门"}})
    assert self_reference(chosen) == "本部门"
    assert any("本部门 2022 年度部门整体支出绩效自评得分为 92.58 分" in p for p in _paras(chosen))


def test_fund_source_clauses_only_for_rows_entered(sample):
    text = budget_sentences(sample)[1]
    assert text.startswith("按资金来源分，一般公共预算财政拨款支出 1104.37 万元，"
                           "政府性基金预算财政拨款支出 0 万元，国有资本经营预算财政拨款支出 0 万元，"
                           "其他资金支出 0 万元。")
    budget = replace(sample.budget, by_source={"general": sample.budget.source("general")},
                     by_nature={}, carryover=None)
    text = budget_sentences(replace(sample, budget=budget))
    assert text[1] == "按资金来源分，一般公共预算财政拨款支出 1104.37 万元。"
    empty = replace(sample.budget, total=BudgetRow(), by_source={}, by_nature={}, carryover=None)
    assert budget_sentences(replace(sample, budget=empty)) == []


def test_project_sentences_follow_the_data(sample):
    # listed budgets 452.10 ≠ 项目支出 661.77: a partial list, introduced as such
    paras = project_paragraphs(sample)
    assert paras[0] == ("本年度项目支出全年预算数 661.77 万元，执行数 612.89 万元。以下列出其中重点项目 3 个"
                        "（预算数合计 452.10 万元，非全部项目）：")
    assert paras[1].startswith("1.仲裁解除用地合同经费项目全年预算数为 207.50 万元，执行数为 185.30 万元，"
                               "完成预算的 89.3%。")
    # the listed budgets add up to the 项目支出 row: the whole list
    nature = dict(sample.budget.by_nature)
    nature["project"] = BudgetRow(adjusted=Decimal("452.10"), executed=Decimal("420.88"))
    whole = replace(sample, budget=replace(sample.budget, by_nature=nature))
    assert project_paragraphs(whole)[0] == ("本年度共实施项目 3 个，全年预算数合计 452.10 万元，"
                                            "执行数合计 420.88 万元，完成预算的 93.1%。")
    # no project listed: 无项目支出 only when 项目支出 is zero
    none = replace(sample, projects=())
    assert project_paragraphs(none) == []
    nature["project"] = BudgetRow(adjusted=Decimal(0), executed=Decimal(0))
    zero = replace(none, budget=replace(sample.budget, by_nature=nature))
    assert project_paragraphs(zero) == ["本年度无项目支出。"]
    nature.pop("project")
    unknown = replace(none, budget=replace(sample.budget, by_nature=nature))
    assert project_paragraphs(unknown) == []


def test_empty_sections_close_up_the_numbering(sample):
    assert _headings(sample)[:6] == ["一、基本情况", "（一）部门职能", "（二）部门整体收支情况",
                                     "（三）部门整体支出绩效目标", "（四）部门年度重点工作任务",
                                     "二、综合评价分析"]
    ev = replace(sample, tasks=(), department=replace(sample.department, functions=()))
    ev = ev.with_narrative("problems", " \n ")
    heads = _headings(ev)
    assert heads[:4] == ["一、基本情况", "（一）部门整体收支情况", "（二）部门整体支出绩效目标",
                         "二、综合评价分析"]
    assert heads[-1] == "三、下一步改进措施"


def test_sections_can_be_left_out_and_the_outline_chosen(sample):
    ids = [i for i, _, _ in section_ids(OUTLINES["default"][1])]
    assert {"functions", "budget", "management", "problems"} <= set(ids)
    # seeds 000/002 have no section of their own for the projects: none in their outline
    assert "projects" not in ids
    ev = with_report_options(sample, ReportOptions(omit=frozenset({"functions", "management"})))
    heads = _headings(ev)
    assert "（一）部门整体收支情况" in heads and not any("管理效率" in h for h in heads)
    y2021 = with_report_options(sample, ReportOptions(outline="2021"))
    heads = _headings(y2021)
    # the 2021 outline keeps the clerk's 部门职能 (seed 003 had none to print)
    assert heads[:6] == ["一、基本情况", "（一）部门职能", "（二）部门年度重点工作任务",
                         "（三）部门整体支出绩效目标", "（四）部门整体支出情况", "二、绩效自评情况"]
    assert "三、存在的主要问题和下一步改进措施" in heads


def test_the_system_names_the_outline_and_the_evaluation_may_override_it():
    ev = load("huangpu-lingang-2021.json")
    assert ev.system.extra["report_outline"] == "2021"
    assert report_options(ev).outline == "2021"
    chosen = with_report_options(ev, ReportOptions(outline="default"))
    assert "二、综合评价分析" in _headings(chosen)
    # an old system file without the field keeps loading, with the default outline
    raw = json.loads(write_package(ev))
    raw["system"].pop("report_outline")
    assert report_options(package_from_dict(raw)).outline == "default"
    raw["system"]["report_outline"] = 42  # nonsense is ignored, never a failure
    assert report_options(package_from_dict(raw)).outline == "default"


def test_options_survive_package_and_database_round_trips(sample, tmp_path):
    options = ReportOptions(outline="2021", omit=frozenset({"targets"}), charts=True,
                            attachments=False)
    ev = with_report_options(sample, options)
    again = read_package(write_package(ev))
    assert report_options(again) == options
    assert package_to_dict(again)["report"]["outline"] == "2021"
    lib = Library(tmp_path / "lib.db")
    try:
        stored = lib.get(lib.add(ev))
    finally:
        lib.close()
    assert report_options(stored) == options
    doc = build_document(stored, score(stored))
    assert not any(isinstance(b, Heading) and "附件" in b.text for b in doc.blocks)


def test_draft_when_errors_or_unfilled_leaves(sample):
    assert not build_document(sample, score(sample)).draft
    leaf = sample.system.leaves()[0].id
    values = dict(sample.values)
    values.pop(leaf)
    unfilled = replace(sample, values=values)
    doc = build_document(unfilled, score(unfilled))
    assert doc.draft and doc.draft_reasons == ("尚有 1 项指标未填写",)
    assert not any("未填写" in t or "按 0 分计" in t for t in doc.text_blocks())


@pytest.mark.parametrize("name,lines", [
    ("广州市荔湾区协作办公室", ("广州市荔湾区协作办公室2023年度", "部门整体支出绩效自评报告")),
    ("某局", ("某局2023年度部门整体支出绩效自评报告",)),
    ("广州开发区黄埔临港经济区管理委员会", ("广州开发区黄埔临港经济区管理委员会",
                                            "2023年度部门整体支出绩效自评报告")),
])
def test_title_broken_as_printed(sample, name, lines):
    ev = replace(sample, department=replace(sample.department, name=name, year=2023))
    assert title_lines(ev) == lines
