"""What the workbook's indicator cells hold and how its pages break, read back with openpyxl
and as LibreOffice prints it."""

from __future__ import annotations

import re
import subprocess
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import needs_tool
from exports.excel import SHEET_FORM, SHEET_SCORES, workbook_bytes
from exports.tables import indicator_rows
from forms.catalog import resolve_system
from forms.model import LeafValue, new_evaluation
from forms.scoring import score


def _book(ev):
    return load_workbook(BytesIO(workbook_bytes(ev)))


def _leaf_rows(ws, first_row, names):
    """Row of each leaf name in column C, from ``first_row`` on."""
    found = {}
    for row in range(first_row, ws.max_row + 1):
        value = ws.cell(row, 3).value
        if value in names and value not in found:
            found[value] = row
    assert set(found) == set(names), set(names) - set(found)
    return found


def _label(ws, row, col):
    """What a reader sees in a (possibly merged) label cell: the merge's top-left value."""
    for merged in ws.merged_cells.ranges:
        if merged.min_col <= col <= merged.max_col and merged.min_row <= row <= merged.max_row:
            return ws.cell(merged.min_row, merged.min_col).value
    return ws.cell(row, col).value


def test_actual_values_are_numbers_with_the_unit_in_the_format(sample):
    wb = _book(sample)
    result = score(sample)
    rows = {r.leaf.name: r for r in indicator_rows(sample, result)}
    expected = {  # leaf → (stored number, number format)
        "实际利用外资": (1810, 'General"万美元"'),
        "新洽谈入库项目数": (16.5, 'General"个"'),
        "走访企业人次": (712, 'General"人次"'),
        "规上工业企业产值增长率": (4.5, 'General"%"'),
        "预算执行率": (95.8, 'General"%"'),  # the report's one decimal
        "政府采购执行率": (100, 'General"%"'),
        "资产管理规范性": (0, 'General"次"'),  # incidents: a count
    }
    for sheet, col in ((SHEET_FORM, 5), (SHEET_SCORES, 8)):
        ws = wb[sheet]
        at = _leaf_rows(ws, 3, list(expected))
        for name, (number, fmt) in expected.items():
            cell = ws.cell(at[name], col)
            assert isinstance(cell.value, (int, float)), (sheet, name, cell.value)
            assert (cell.value, cell.number_format) == (number, fmt), (sheet, name)
        # a named level and a checklist stay words; on the form, a kind of two value
        # fields (等级 or 系数) names the one it holds, so an edit there can be read back
        at = _leaf_rows(ws, 3, ["服务对象满意度"])
        assert ws.cell(at["服务对象满意度"], col).value == ("等级：良" if sheet == SHEET_FORM
                                                          else "良")
    # the report prints the same figures as typed
    assert rows["走访企业人次"].actual_text == "712人次"
    assert rows["新洽谈入库项目数"].actual_text == "16.5个"
    assert rows["预算执行率"].actual_text == "95.8%"


def test_amounts_in_wanyuan_keep_two_decimals():
    from exports.excel import actual_format

    assert actual_format("万元") == '0.00"万元"'
    assert actual_format("") == "General"
    assert actual_format('寸"') == "General"  # a quote cannot sit inside the format's literal
    assert actual_format("%", "公用经费控制率") == '"公用经费控制率："General"%"'


def test_an_either_leaf_names_the_option_assessed():
    ev = new_evaluation(resolve_system("guangzhou-example"), "测试单位", 2023)
    leaf = next(lf for lf in ev.system.leaves() if lf.rule.type == "either")
    ev = ev.with_value(leaf.id, LeafValue(option="public_funds_control", actual=Decimal("98")))
    wb = _book(ev)
    for sheet, target_col, actual_col in ((SHEET_FORM, 4, 5), (SHEET_SCORES, 7, 8)):
        ws = wb[sheet]
        row = _leaf_rows(ws, 3, [leaf.name])[leaf.name]
        cell = ws.cell(row, actual_col)
        # as text, which wraps: a number with the option's name in its format showed "####"
        assert cell.value == "公用经费控制率：98%" and cell.alignment.wrap_text, sheet
        assert ws.cell(row, target_col).value == "≤100%", sheet  # the option's own target
    # the other option, not yet chosen: the target says a choice is due
    blank = new_evaluation(resolve_system("guangzhou-example"), "测试单位", 2023)
    ws = _book(blank)[SHEET_SCORES]
    row = _leaf_rows(ws, 3, [leaf.name])[leaf.name]
    assert ws.cell(row, 7).value == "二者择其一"


def test_status_column_shows_only_what_is_not_plainly_scored(sample):
    ev = sample.with_value("procurement", LeafValue(not_applicable=True, reason="本年度无政府采购"))
    ev = ev.with_value("fdi", LeafValue())  # not filled in
    ev = ev.with_value("assets", LeafValue(count=Decimal("1.5")))  # not a whole count
    ws = _book(ev)[SHEET_SCORES]
    names = [leaf.name for leaf in ev.system.leaves()]
    at = _leaf_rows(ws, 3, names)
    notes = {name: ws.cell(row, 10).value for name, row in at.items()}
    assert notes.pop("政府采购执行率") == "不适用：本年度无政府采购"
    assert notes.pop("实际利用外资").startswith("未填写")
    assert notes.pop("资产管理规范性").startswith("有误：")
    assert set(notes.values()) == {None}, notes  # every other leaf is scored: nothing to say


def _long_deviations(ev, length=260):
    """Every leaf gets a long 偏差 text starting with a marker, so the table runs over pages."""
    markers = {}
    for i, leaf in enumerate(ev.system.leaves()):
        marker = f"MARK{i:02d}"
        markers[marker] = leaf
        old = ev.value(leaf.id)
        ev = ev.with_value(leaf.id, LeafValue(
            actual=old.actual, checked=old.checked, count=old.count, level=old.level,
            coefficient=old.coefficient, score=old.score, option=old.option,
            not_applicable=old.not_applicable, reason=old.reason,
            deviation=marker + "，" + "因项目进度调整，部分资金未形成支出。" * (length // 18)))
    return ev, markers


def _breaks(ws):
    return sorted(b.id + 1 for b in ws.row_breaks.brk)  # first rows of the later pages


@pytest.mark.parametrize("sheet", [SHEET_FORM, SHEET_SCORES])
def test_labels_are_merged_page_by_page(sample, sheet):
    ev, _ = _long_deviations(sample)
    if sheet == SHEET_SCORES:  # long criteria make the scoring sheet run over pages
        ev = new_evaluation(resolve_system("sichuan-dazhou"), "测试单位", 2023)
    ws = _book(ev)[sheet]
    breaks = _breaks(ws)
    rows = indicator_rows(ev, score(ev))
    names = [r.leaf.name for r in rows]
    at = _leaf_rows(ws, 3, names)
    first, last = min(at.values()), max(at.values())
    inside = [b for b in breaks if first < b <= last]
    assert inside, (sheet, breaks, first, last)  # the table does run over a page
    for merged in ws.merged_cells.ranges:
        for b in breaks:
            assert not merged.min_row < b <= merged.max_row, (str(merged), b)
    for r in rows:
        assert _label(ws, at[r.leaf.name], 1) == r.name_at(1)
        assert _label(ws, at[r.leaf.name], 2) == (r.name_at(2) or None)
    # a label continued on the next page is printed again at its top
    continued = [b for b in inside if rows[names.index(ws.cell(b, 3).value)].key_at(1)
                 == rows[names.index(ws.cell(b - 1, 3).value)].key_at(1)]
    assert continued, "no 一级 group runs over a page: the test data is too short"
    for b in continued:
        assert ws.cell(b, 1).value == rows[names.index(ws.cell(b, 3).value)].name_at(1)


def _pdf_pages(xlsx: Path, tmp_path: Path) -> list[str]:
    run = subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/lo", "--headless",
                          "--convert-to", "pdf", "--outdir", str(tmp_path), str(xlsx)],
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    text = subprocess.run(["pdftotext", str(xlsx.with_suffix(".pdf")), "-"], capture_output=True,
                          text=True, check=True).stdout
    return [re.sub(r"\s+", "", page) for page in text.split("\f")]


@pytest.mark.slow
@needs_tool("soffice", "libreoffice-calc-nogui")
def test_libreoffice_prints_each_label_on_every_page_of_its_rows(sample, tmp_path):
    ev, markers = _long_deviations(sample)
    xlsx = tmp_path / "book.xlsx"
    xlsx.write_bytes(workbook_bytes(ev))
    pages = _pdf_pages(xlsx, tmp_path)
    level1 = {r.leaf.id: r.name_at(1) for r in indicator_rows(ev, score(ev))}
    printed_on = {}
    for number, page in enumerate(pages, start=1):
        for marker, leaf in markers.items():
            if marker in page:
                assert marker not in printed_on, marker  # a row is never split or doubled
                printed_on[marker] = number
                assert level1[leaf.id] in page, (number, marker, level1[leaf.id])
    assert set(printed_on) == set(markers)
    # LibreOffice breaks the pages where the workbook says, and nowhere else
    ws = load_workbook(xlsx)[SHEET_FORM]
    breaks = _breaks(ws)
    at = _leaf_rows(ws, 3, [leaf.name for leaf in markers.values()])
    expected = {m: 1 + sum(1 for b in breaks if b <= at[leaf.name]) for m, leaf in markers.items()}
    assert printed_on == expected
    form_pages = [p for p in pages if "MARK" in p]
    assert len(form_pages) >= 3
    # figures as typed: counts without decimals, rates without trailing zeros
    text = "".join(pages)
    for figure in ("712人次", "16.5个", "1810万美元", "95.8%", "0次"):
        assert figure in text, figure
    assert "712.00" not in text and "16.50个" not in text
