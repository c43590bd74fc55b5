"""Reports from the seeds' material the way clerks have it, read back as a bureau reader would.

Each package is one of the seed packages (tests/data) changed as the clerk's material comes:
部门职能 pasted with their numbers, measures typed as （一） headings, the shipped example
system left as it is, a next-year copy with last year's texts.  The PDF is read through
pdftotext, the Word copy through its paragraphs, the workbook through openpyxl.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from io import BytesIO

import pytest
from conftest import needs_tool
from openpyxl import load_workbook
from report_text import body, docx_paragraphs, flat, load, pdf_text

from exports.docx_report import docx_bytes
from exports.excel import SHEET_FORM, SHEET_PROJECTS, SHEET_SCORES, workbook_bytes
from exports.pdf_report import build_report
from exports.report_doc import report_document
from exports.workbook_import import read_workbook_bytes
from forms import carry_over
from forms.model import BudgetRow, next_year
from forms.package import write_package
from forms.report import Heading
from forms.report.build import draft_reasons
from forms.report.outline import ReportOptions, report_options, with_report_options
from forms.scoring import score
from forms.validation import validate

pytestmark = needs_tool("pdftotext", "poppler-utils")


def _pdf(ev, tmp_path) -> str:
    return re.sub(r"—\d+—", "", flat(pdf_text(build_report(ev).data, tmp_path)))


def _docx(ev) -> list[str]:
    return docx_paragraphs(docx_bytes(ev))


def _warnings(ev) -> list[str]:
    return [i.message for i in validate(ev)]


def _with_functions(ev, functions):
    return replace(ev, department=replace(ev.department, functions=tuple(functions)))


# ------------------------------------------------------------------ 1. lists and headings

@pytest.mark.parametrize("mark", ["{}.", "{}、", "{}．"])
def test_numbered_functions_are_not_numbered_again(mark, tmp_path):
    ev = load("liwan-kegongxin-2023.json")
    typed = [mark.format(i) + f for i, f in enumerate(ev.department.functions, start=1)]
    ev = _with_functions(ev, typed)
    pdf = _pdf(ev, tmp_path)
    word = flat("".join(_docx(ev)))
    for text in (pdf, word):
        assert "1.1." not in text and "1.1、" not in text and "10.10." not in text
        assert "1.负责贯彻执行国家、省、市有关科技、工业、信息化工作" in text  # 1、 → 1.
        assert "13.完成区委、区政府和上级相关部门交办的其他任务。" in text
        assert "13.13" not in text


def test_lists_numbered_in_words_are_kept_as_typed(tmp_path):
    ev = load("liwan-kegongxin-2023.json")
    ev = _with_functions(ev, ["一是负责科技工作", "二是负责工业工作", "三是负责信息化工作"])
    pdf = _pdf(ev, tmp_path)
    assert "一是负责科技工作。二是负责工业工作。三是负责信息化工作。" in pdf
    assert "1.一是" not in pdf
    # "1、2号楼" is not a number 1: it is never made "1.2号楼"
    ev = _with_functions(ev, ["1、2号楼改造", "负责园区管理"])
    doc = report_document(ev)
    texts = doc.text_blocks()
    assert "1.1、2号楼改造。" in texts and not any("1.2号楼" in t for t in texts)


MEASURES = ("（一）抓好“载体赋能”\n加快推进标准化工业厂房建设，拓展工业发展载体。\n"
            "（二）抓好“产业升级”\n推动规上工业企业数字化转型。\n"
            "（三）抓好机关党建\n持续加强党风廉政建设。")


def test_typed_headings_are_headings_of_their_level(tmp_path):
    ev = load("liwan-kegongxin-2023.json").with_narrative("measures", MEASURES)
    doc = report_document(ev)
    heads = [(b.text, b.level) for b in doc.blocks if isinstance(b, Heading)]
    at = heads.index(("四、下一步改进措施", 1))
    assert heads[at + 1:at + 4] == [("（一）抓好“载体赋能”", 2), ("（二）抓好“产业升级”", 2),
                                    ("（三）抓好机关党建", 2)]
    assert not any("抓好" in w for w in _warnings(ev))  # below their section: nothing to say
    # the Word copy sets them like the outline's own （一） headings, kept with what follows
    from docx import Document

    paras = {p.text: p for p in Document(BytesIO(docx_bytes(ev))).paragraphs}
    own, typed = paras["（一）部门职能"], paras["（一）抓好“载体赋能”"]
    assert typed.style.name == own.style.name
    assert typed.paragraph_format.keep_with_next == own.paragraph_format.keep_with_next
    assert [r.font.name for r in typed.runs] == [r.font.name for r in own.runs]
    assert _fonts(typed) == _fonts(own)
    pdf = _pdf(ev, tmp_path)
    assert "（一）抓好“载体赋能”加快推进标准化工业厂房建设" in pdf


def _fonts(paragraph) -> set[str]:
    from docx.oxml.ns import qn

    out = set()
    for run in paragraph.runs:
        fonts = run._r.find(qn("w:rPr"))
        fonts = fonts.find(qn("w:rFonts")) if fonts is not None else None
        if fonts is not None:
            out.add(fonts.get(qn("w:eastAsia")) or "")
    return out


def test_a_typed_heading_at_its_sections_level_is_a_warning_naming_it():
    # seed 003's outline: （一）存在的主要问题 then the clerk's own （一）…
    ev = load("huangpu-lingang-2021.json")
    ev = ev.with_narrative("problems", "（一）指标库不完整\n各项目绩效指标库不完整。")
    warnings = [w for w in _warnings(ev) if "指标库不完整" in w]
    assert len(warnings) == 1 and "（一）指标库不完整" in warnings[0]
    heads = [(b.text, b.level) for b in report_document(ev).blocks if isinstance(b, Heading)]
    at = heads.index(("（一）存在的主要问题", 2))
    assert heads[at + 1] == ("（一）指标库不完整", 3)  # a level below, never a second （一）
    # an 一、 typed under 四、 is reported too
    ev = load("liwan-xiezuo-2023.json").with_narrative("measures", "一、加强预算管理\n细化预算编制。")
    assert any("一、加强预算管理" in w for w in _warnings(ev))


# ------------------------------------------------------------- 2. nothing example-like final

def test_the_example_system_left_as_shipped_makes_a_draft(tmp_path):
    ev = load("baiyun-2023.json")  # the shipped example system, criteria and names untouched
    report = build_report(ev)
    assert report.draft
    assert any("示例文字" in r for r in draft_reasons(ev, score(ev)))
    assert "草稿" in pdf_text(report.data, tmp_path)
    # the example criterion is named even where the indicator was renamed
    warnings = _warnings(ev)
    assert any("评分标准仍是示例文字" in w and "年度重点工作任务完成率" in w for w in warnings)


@pytest.mark.parametrize("text", ["XX单位完成XX个项目", "（示例）请替换为本部门的成效"])
def test_example_words_in_any_text_are_warnings(text):
    ev = load("liwan-xiezuo-2023.json").with_narrative("achievements", text)
    assert any("主要工作成效中有示例文字" in w for w in _warnings(ev))
    assert draft_reasons(ev, score(ev)) == ["有 1 处示例文字"]


def test_a_next_year_copy_is_a_draft_until_its_texts_are_confirmed(tmp_path):
    last = load("liwan-xiezuo-2023.json")
    ev = next_year(last)
    # the clerk entered this year's figures and values, not the texts
    ev = replace(ev, budget=last.budget, values=last.values, projects=last.projects)
    reasons = draft_reasons(ev, score(ev))
    assert any("沿用上年的文字未确认" in r for r in reasons)
    assert build_report(ev).draft and "草稿" in pdf_text(build_report(ev).data, tmp_path)
    # confirmed as they are: "2023年，我办积极履职…" in the 2024 report still keeps it a draft
    ev = carry_over.confirm(ev, carry_over.carried(ev))
    assert draft_reasons(ev, score(ev)) == ["有 1 处年份与评价年度不符的文字"]
    assert any("2023 年，本报告是 2024 年度" in w for w in _warnings(ev))
    # the year corrected: final
    ev = ev.with_narrative("conclusion", ev.narrative["conclusion"].replace("2023年", "2024年"))
    assert draft_reasons(ev, score(ev)) == []
    # a year mentioned inside a sentence about something else is no warning
    ev = ev.with_narrative("achievements", "借鉴2022年疫情防控组织经验，完善招商机制。")
    assert not any("本报告是" in w for w in _warnings(ev))


# ------------------------------------------------------------------ 3. outlines of the notices

BAIYUN_HEADINGS = ["一、部门基本情况", "（一）部门职能", "（二）年度总体工作和重点工作任务",
                   "（三）部门整体支出绩效目标", "（四）部门整体收支情况（以决算数为统计口径）",
                   "二、绩效自评情况", "（一）自评结论", "（二）履职效能分析",
                   "三、存在的主要问题", "四、下一步改进措施"]
PROBLEMS = ("（一）预算执行进度不均衡需继续改善。因部分专项工作任务多集中在年底，"
            "导致预算执行进度不均衡。\n（二）内部管理还需进一步完善。")


def _baiyun():
    ev = load("baiyun-2023.json").with_narrative("problems", PROBLEMS)
    ev = replace(ev, budget=replace(ev.budget, appropriation_income=Decimal("11894.35")))
    return with_report_options(ev, ReportOptions(outline="baiyun"))


def _in_order(text: str, items: list[str]) -> None:
    positions = [text.find(item) for item in items]
    assert -1 not in positions, [i for i, p in zip(items, positions) if p < 0]
    assert positions == sorted(positions), items


def test_seed_004_outline_and_house_style(tmp_path):
    ev = _baiyun()
    pdf = body(_pdf(ev, tmp_path))
    _in_order(pdf, BAIYUN_HEADINGS)
    word = [p for p in _docx(ev) if p]
    # 白云区's reports: thousands separators, no space before 万元, two-decimal rates
    assert "我局2023年度财政拨款收入11,894.35万元。" in word
    budget = next(p for p in word if p.startswith("全年预算数"))
    assert budget.startswith("全年预算数27,247.94万元，执行数11,894.15万元，完成预算的43.65%。")
    # under 90%: the reason follows the rate, and is printed once
    # (the clerk's own text is printed as typed, spaces and all)
    assert budget[len("全年预算数27,247.94万元，执行数11,894.15万元，完成预算的43.65%。"):]\
        .startswith("2023 年部门预算金额为 27,247.94 万元")
    assert sum("其中“新型储能制造业创新中心扶持资金”" in p for p in word) == 1
    generated = [budget.split("。")[0], next(p for p in word if "自评得分为" in p),
                 next(p for p in word if "财政拨款收入" in p)]
    assert not any(re.search(r"\d \S|\S \d", g) for g in generated), generated
    # the workbook writes its amounts and rates the same way
    ws = load_workbook(BytesIO(workbook_bytes(ev)))[SHEET_FORM]
    total = next(c.row for row in ws.iter_rows() for c in row if c.value == "合计")
    assert ws.cell(total, 5).value == 27247.94 and ws.cell(total, 5).number_format == "#,##0.00"
    assert ws.cell(total, 8).number_format == "0.00%"
    back = read_workbook_bytes(workbook_bytes(ev))  # and reads back to the same package
    assert write_package(back) == write_package(ev)


def test_seed_001_outline_and_renamed_headings(tmp_path):
    ev = load("liwan-xiezuo-2023.json")
    ev = with_report_options(ev, ReportOptions(outline="overview",
                                               titles=(("achievements", "主要成效"),)))
    pdf = body(_pdf(ev, tmp_path))
    _in_order(pdf, ["一、基本情况", "（一）部门概况", "（二）年度总体工作和重点工作任务",
                    "（三）部门整体收支情况", "二、综合评价分析", "（一）自评结论综述",
                    "（二）各项工作任务绩效目标完成情况分析", "（三）主要成效",
                    "三、存在的主要问题", "四、下一步改进措施"])
    assert "主要工作成效" not in pdf
    assert report_options(ev).titles == (("achievements", "主要成效"),)


def test_default_outline_has_no_project_section_and_2021_keeps_functions(tmp_path):
    pdf = body(_pdf(load("liwan-kegongxin-2023.json"), tmp_path))
    assert "项目支出完成情况" not in pdf  # seeds 000/002 have no such section
    ev = load("huangpu-lingang-2021.json")
    ev = _with_functions(ev, ["负责临港经济区的规划建设。", "负责招商引资。"])
    pdf = body(_pdf(ev, tmp_path))
    _in_order(pdf, ["一、基本情况", "（一）部门职能", "1.负责临港经济区的规划建设。",
                    "（二）部门年度重点工作任务"])


# ------------------------------------------------------------------ 4. one set of figures

def test_one_rate_precision_in_body_attachments_and_workbook(tmp_path):
    ev = load("liwan-kegongxin-2023.json")  # 7627.19 / 8727.19 = 87.396…%
    pdf = _pdf(ev, tmp_path)
    assert "完成预算的87.4%。" in pdf
    attachments = pdf[pdf.find("附件1"):]
    assert "87.4%" in attachments and "87.40%" not in attachments
    ws = load_workbook(BytesIO(workbook_bytes(ev)))[SHEET_FORM]
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, float)
             and abs(c.value - 0.874) < 1e-9]
    assert cells and all(c.number_format == "0.0%" for c in cells)
    whole = [c for row in ws.iter_rows() for c in row if c.value == 1 and "%" in c.number_format]
    assert all(c.number_format == "0%" for c in whole)  # 100% stays 100%
    two = with_report_options(ev, ReportOptions(rate_places=2))
    assert "完成预算的87.40%。" in _pdf(two, tmp_path)
    ws = load_workbook(BytesIO(workbook_bytes(two)))[SHEET_FORM]
    assert any(c.number_format == "0.00%" and abs(c.value - 0.874) < 1e-9
               for row in ws.iter_rows() for c in row if isinstance(c.value, float))


def test_figures_are_spaced_alike_and_the_reason_is_written_once():
    ev = load("liwan-kegongxin-2023.json")
    ev = replace(ev, goals=replace(ev.goals, unmet_reason="部分项目资金年底才拨付，未能在年内支出"))
    texts = report_document(ev).text_blocks()
    budget = next(t for t in texts if t.startswith("全年预算数"))
    assert budget == ("全年预算数 8727.19 万元，执行数 7627.19 万元，完成预算的 87.4%。"
                      "部分项目资金年底才拨付，未能在年内支出。")
    assert sum("年底才拨付" in t for t in texts) == 1
    score_line = next(t for t in texts if "自评得分为" in t)
    assert "我局 2023 年度" in score_line and re.search(r"得分为 \d+(\.\d+)? 分", score_line)
    # the reason serves the execution-rate indicator: not asked for again
    assert not any("预算执行率" in w and "偏差原因" in w for w in _warnings(ev))


def test_total_is_the_sum_of_the_sources_and_income_has_a_sentence():
    ev = load("liwan-xiezuo-2023.json")
    sources = {"general": BudgetRow(adjusted=Decimal("855.31"), executed=Decimal("855.31")),
               "fund": BudgetRow(adjusted=Decimal("384.50"), executed=Decimal("384.50"))}
    ev = replace(ev, budget=replace(ev.budget, total=BudgetRow(), by_source=sources,
                                    appropriation_income=Decimal("1239.81")))
    texts = report_document(ev).text_blocks()
    assert "全年预算数 1239.81 万元，执行数 1239.81 万元，完成预算的 100%。" in texts
    assert "我办 2023 年度财政拨款收入 1239.81 万元。" in texts
    typed = replace(ev, budget=replace(ev.budget, total=BudgetRow(adjusted=Decimal("1300"))))
    assert any("与合计" in w for w in _warnings(typed))  # a typed 合计 that disagrees


# ------------------------------------------------------------------ 5. tables that agree

def test_not_applicable_alike_in_every_table_with_the_rescaling_note(tmp_path):
    ev = load("liwan-xiezuo-2023.json")  # 项目支出执行率 不适用
    pdf = _pdf(ev, tmp_path)
    scores = pdf[pdf.find("附件2"):]
    from docx import Document

    tables = Document(BytesIO(docx_bytes(ev))).tables
    for table in tables[-2:]:  # 附件1's indicators and 附件2
        row = next(r for r in table.rows if r.cells and any(
            c.text == "项目支出执行率" for c in r.cells))
        texts = [c.text for c in row.cells]
        assert "不适用" in texts and "0.00" not in texts, texts
    assert "按适用指标折算" in pdf[pdf.find("附件1"):pdf.find("附件2")]
    assert "按适用指标折算" in scores
    wb = load_workbook(BytesIO(workbook_bytes(ev)))
    for sheet in (SHEET_FORM, SHEET_SCORES):
        ws = wb[sheet]
        r = next(c.row for row in ws.iter_rows() for c in row if c.value == "项目支出执行率")
        values = [c.value for c in ws[r]]
        assert "不适用" in values and 0 not in values[2:], sheet
        total = next(c.row for row in ws.iter_rows() for c in row if c.value == "总分")
        assert any("按适用指标折算" in str(c.value or "") for c in ws[total]), sheet


def test_a_partial_project_list_is_labelled_everywhere(sample, tmp_path):
    ev = sample  # three projects of 452.10 listed against 项目支出 661.77
    texts = report_document(ev).text_blocks()
    assert any("非全部项目" in t for t in texts)
    ws = load_workbook(BytesIO(workbook_bytes(ev)))[SHEET_PROJECTS]
    total = next(c.row for row in ws.iter_rows() for c in row if c.value == "合计")
    assert "非全部项目" in ws.cell(total, 6).value and "661.77" in ws.cell(total, 6).value
    # a complete list says nothing of the kind
    nature = dict(ev.budget.by_nature)
    nature["project"] = BudgetRow(adjusted=Decimal("452.10"), executed=Decimal("420.88"))
    whole = replace(ev, budget=replace(ev.budget, by_nature=nature))
    ws = load_workbook(BytesIO(workbook_bytes(whole)))[SHEET_PROJECTS]
    total = next(c.row for row in ws.iter_rows() for c in row if c.value == "合计")
    assert ws.cell(total, 6).value is None
    assert not any("非全部项目" in t for t in report_document(whole).text_blocks())


def test_the_project_rate_indicator_says_what_it_was_computed_from(tmp_path):
    ev = _baiyun()
    listed = [p for p in ev.projects if p.name.strip()]
    nature = dict(ev.budget.by_nature)
    nature["project"] = BudgetRow(adjusted=Decimal("99999.99"), executed=Decimal("9999.99"))
    ev = replace(ev, budget=replace(ev.budget, by_nature=nature))
    pdf = _pdf(ev, tmp_path)
    note = f"按所列{len(listed)}个项目计算，非全部项目支出"
    assert note in pdf[pdf.find("附件1"):]
    ws = load_workbook(BytesIO(workbook_bytes(ev)))[SHEET_FORM]
    assert any(note.replace(f"{len(listed)}", f" {len(listed)} ") in str(c.value or "")
               for row in ws.iter_rows() for c in row)
