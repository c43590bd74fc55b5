"""The Excel workbook, read back with openpyxl as a reviewer's program would."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import needs_tool

from exports.excel import (
    SHEET_FORM,
    SHEET_PROJECTS,
    SHEET_SCORES,
    SHEET_TASKS,
    default_workbook_name,
    display_width,
    workbook_bytes,
)
from forms.model import LeafValue


def _book(ev):
    return load_workbook(BytesIO(workbook_bytes(ev)))


def _find(ws, text):
    """The first cell whose value is exactly ``text``."""
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell
    raise AssertionError(f"{text!r} not in sheet {ws.title}")


def _row_values(ws, row):
    return [c.value for c in ws[row]]


def test_sheets_title_and_year(sample):
    wb = _book(sample)
    assert wb.sheetnames[:4] == [SHEET_FORM, SHEET_SCORES, SHEET_PROJECTS, SHEET_TASKS]
    visible = [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]
    assert visible == [SHEET_FORM, SHEET_SCORES, SHEET_PROJECTS, SHEET_TASKS]
    ws = wb[SHEET_FORM]
    assert ws["A1"].value == "部门整体支出绩效自评表"
    assert ws["A2"].value == "（2022年度）"
    assert "A1:H1" in {str(r) for r in ws.merged_cells.ranges}
    assert _find(ws, "单位名称").offset(column=2).value == "广州开发区穗港科技合作园管理委员会"


def test_budget_block_has_the_sample_figures_and_formats(sample):
    ws = _book(sample)[SHEET_FORM]
    total = _find(ws, "合计")
    r = total.row
    assert [ws.cell(r, c).value for c in (4, 5, 6)] == [1153.25, 1153.25, 1104.37]
    assert ws.cell(r, 4).number_format == "0.00"
    rate = ws.cell(r, 8)
    # 95.8%: the report's figure at its outline's one decimal (seed 001 prints 95.8%)
    assert rate.value == pytest.approx(0.958, abs=1e-12)
    assert rate.number_format == "0.0%"
    basic = _find(ws, "基本支出").row
    project = _find(ws, "项目支出").row
    assert ws.cell(basic, 6).value == 491.48 and ws.cell(project, 6).value == 612.89
    assert ws.cell(project, 8).value == pytest.approx(0.926)  # 612.89 / 661.77
    # the fund-source label is merged over its four rows
    source = _find(ws, "按资金来源")
    assert f"B{source.row}:B{source.row + 3}" in {str(m) for m in ws.merged_cells.ranges}
    assert _find(ws, "年末结转和结余").offset(column=2).value == 0


def test_indicator_table_merges_levels_and_scores(sample):
    ws = _book(sample)[SHEET_FORM]
    header = _find(ws, "一级指标")
    assert _row_values(ws, header.row)[:8] == ["一级指标", "二级指标", "三级指标", "指标值",
                                              "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
    merged = {str(m) for m in ws.merged_cells.ranges}
    first = header.row + 1
    assert ws.cell(first, 1).value == "履职效能"
    assert f"A{first}:A{first + 5}" in merged  # 6 leaves under 履职效能
    assert ws.cell(first, 2).value == "产出" and f"B{first}:B{first + 2}" in merged
    exec_row = _find(ws, "预算执行率").row
    assert ws.cell(exec_row, 7).value == 9.58 and ws.cell(exec_row, 7).number_format == "0.00"
    # computed from the budget: a number, % in the format, at the report's one decimal
    assert ws.cell(exec_row, 5).value == 95.8
    assert ws.cell(exec_row, 5).number_format == 'General"%"'
    assert "部分资金未形成支出" in ws.cell(exec_row, 8).value
    fdi = _find(ws, "实际利用外资").row
    assert ws.cell(fdi, 5).value == 1810  # a typed actual stays a number
    assert ws.cell(fdi, 5).number_format == 'General"万美元"'
    total = _find(ws, "总分")
    assert ws.cell(total.row, 7).value == 92.58
    grade = _find(ws, "自评等级")
    assert ws.cell(grade.row, 6).value == "优"
    for label in ("填报人", "联系电话", "单位负责人", "财务负责人", "填报日期"):
        _find(ws, label)


def test_scoring_sheet_one_row_per_leaf_with_status(sample):
    sample = sample.with_value("procurement", LeafValue(not_applicable=True, reason="本年度无政府采购"))
    ws = _book(sample)[SHEET_SCORES]
    assert _row_values(ws, 2) == ["一级指标", "二级指标", "三级指标", "分值", "评分标准", "计分方法",
                                  "指标值", "实际完成值", "得分", "评分状态"]
    leaves = [ws.cell(r, 3).value for r in range(3, 3 + 12)]
    assert leaves == [leaf.name for leaf in sample.system.leaves()]
    proc = _find(ws, "政府采购执行率").row
    assert ws.cell(proc, 10).value == "不适用：本年度无政府采购"
    assert ws.cell(proc, 8).value == "不适用"
    exec_row = _find(ws, "预算执行率").row
    assert ws.cell(exec_row, 5).value == "预算执行率×分值，满分为止"
    visits = _find(ws, "走访企业人次").row
    assert "≥600人次得 10 分" in ws.cell(visits, 5).value  # generated from the bands
    assert ws.print_title_rows == "$1:$2"


def test_projects_and_tasks_sheets(sample):
    wb = _book(sample)
    ws = wb[SHEET_PROJECTS]
    assert ws.cell(3, 2).value == "仲裁解除用地合同经费项目"
    assert (ws.cell(3, 3).value, ws.cell(3, 4).value) == (207.5, 185.3)
    assert ws.cell(3, 5).value == pytest.approx(0.893) and ws.cell(3, 5).number_format == "0.0%"
    total = _find(ws, "合计").row
    assert ws.cell(total, 3).value == pytest.approx(452.1)
    assert ws.cell(total, 4).value == pytest.approx(420.88)
    ws = wb[SHEET_TASKS]
    assert ws.cell(3, 2).value == "提高招商质效，高质量完成招商任务"
    assert ws.cell(5, 4).value.startswith("132家规上工业企业")


def test_values_not_formulas_and_user_text_stays_text(sample):
    evil = "=HYPERLINK(\"http://example.com\",\"点我\")"
    ev = sample.with_value("fdi", LeafValue(actual=Decimal("1810"), deviation=evil))
    ev = replace(ev, department=replace(ev.department, preparer="=1+1", phone="\x07138\x00 0000"))
    wb = _book(ev)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in {ws.title}!{cell.coordinate}"
    ws = wb[SHEET_FORM]
    cell = ws.cell(_find(ws, "实际利用外资").row, 8)
    assert cell.value == evil and cell.data_type == "s" and cell.quotePrefix
    assert _find(ws, "填报人").offset(column=1).value == "=1+1"
    assert _find(ws, "联系电话").offset(column=1).value == "138 0000"  # control characters gone


def test_wrapped_rows_get_computed_heights(sample):
    long_text = "因受市场环境影响，部分项目推进不及预期，" * 8
    ev = sample.with_value("fdi", LeafValue(actual=Decimal("1810"), deviation=long_text))
    ws = _book(ev)[SHEET_FORM]
    long_row = _find(ws, "实际利用外资").row
    short_row = _find(ws, "注册项目数").row
    assert ws.row_dimensions[long_row].height > 3 * ws.row_dimensions[short_row].height
    assert ws.cell(long_row, 8).alignment.wrap_text
    assert display_width("中a") == 3


def test_print_setup_a4_fit_to_width_with_footer(sample):
    wb = _book(sample)
    for ws in wb.worksheets[:4]:
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert ws.oddFooter.center.text == "第 &P 页 共 &N 页"
        assert ws.page_margins.bottom >= 0.9
    assert wb[SHEET_SCORES].page_setup.orientation == "landscape"
    cell = wb[SHEET_FORM]["A3"]
    assert cell.font.name == "宋体" and cell.border.left.style == "thin"


def test_default_name(sample):
    assert default_workbook_name(sample) == \
        "2022年度广州开发区穗港科技合作园管理委员会部门整体支出绩效自评表.xlsx"
    odd = replace(sample, department=replace(sample.department, name="a/b:c*"))
    assert default_workbook_name(odd) == "2022年度abc部门整体支出绩效自评表.xlsx"


@pytest.mark.slow
@needs_tool("soffice", "libreoffice-calc-nogui")
def test_libreoffice_converts_without_complaint(sample, tmp_path: Path):
    xlsx = tmp_path / "book.xlsx"
    xlsx.write_bytes(workbook_bytes(sample))
    run = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                          "--convert-to", "pdf", "--outdir", str(tmp_path), str(xlsx)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    pdf = tmp_path / "book.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "部门整体支出绩效自评表" in text and "92.58" in text and "1104.37" in text
    # 2 pages of the scoring sheet: it breaks where Excel's A4 landscape page ends (this
    # LibreOffice measures columns in a wider font and would fit it on one)
    assert "第1页共5页" in text.replace(" ", "")


def test_merged_ranges_never_overlap_and_cover_no_values(sample):
    """Excel refuses ("found a problem with some content") overlapping merges."""
    wb = load_workbook(BytesIO(workbook_bytes(sample)))
    for ws in wb.worksheets:
        seen: dict[tuple[int, int], str] = {}
        for rng in ws.merged_cells.ranges:
            for row in range(rng.min_row, rng.max_row + 1):
                for col in range(rng.min_col, rng.max_col + 1):
                    assert (row, col) not in seen, f"{ws.title}: {rng} overlaps {seen[(row, col)]}"
                    seen[(row, col)] = str(rng)
                    if (row, col) != (rng.min_row, rng.min_col):
                        assert ws.cell(row, col).value is None


def test_headers_stay_in_view_and_properties_name_the_workbook(sample):
    wb = _book(sample)
    assert wb[SHEET_SCORES].freeze_panes == "A3"
    assert wb[SHEET_PROJECTS].freeze_panes == "A3"
    assert wb.properties.title == \
        "2022年度广州开发区穗港科技合作园管理委员会部门整体支出绩效自评表"
