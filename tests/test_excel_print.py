"""The workbook as it prints: no "####" at the saved widths, headings on every page.

A number never wraps in Excel or LibreOffice: wider than its column it prints as "####".
Every number cell of the form and scoring sheets is measured against its column (or the
columns it spans) at the saved widths; the alternative an either-or indicator assessed is
text; and the indicator table's column headings are the form sheet's print titles.
"""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import replace
from decimal import Decimal

import pytest
from conftest import needs_tool
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from report_text import load

from exports.excel import display_width, workbook_bytes

SEEDS = ["baiyun-2023.json", "huangpu-lingang-2021.json", "liwan-kegongxin-2023.json",
         "liwan-xiezuo-2023.json", "chongqing-2022.json"]


def _shown(value: float | int | Decimal, fmt: str) -> str:
    """What a number format prints (the formats the workbook uses: literals, 0.00, %)."""
    literals = "".join(re.findall(r'"([^"]*)"', fmt))
    body = re.sub(r'"[^"]*"', "", fmt)
    number = Decimal(str(value))
    if "%" in body:
        number *= 100
    decimals = len(body.split(".")[1].rstrip("%;@_) ").split(";")[0]) if "." in body else None
    text = f"{number:,.{decimals}f}" if decimals is not None and "," in body else \
        f"{number:.{decimals}f}" if decimals is not None else format(number.normalize(), "f")
    return literals + text + ("%" if "%" in body else "")


def _span_width(ws, cell) -> float:
    for merged in ws.merged_cells.ranges:
        if cell.coordinate in merged:
            return sum(ws.column_dimensions[get_column_letter(c)].width or 8.43
                       for c in range(merged.min_col, merged.max_col + 1))
    return ws.column_dimensions[get_column_letter(cell.column)].width or 8.43


def _with_big_figures(ev):
    """The clerk's figures as wide as they come: 万元 amounts and long units."""
    values = dict(ev.values)
    for leaf in ev.system.leaves():
        value = ev.value(leaf.id)
        if value.actual is not None:
            values[leaf.id] = replace(value, actual=Decimal("123456.78"))
    return replace(ev, values=values)


@pytest.mark.parametrize("seed", SEEDS)
def test_no_number_is_wider_than_its_column(seed):
    for ev in (load(seed), _with_big_figures(load(seed))):
        book = load_workbook(io.BytesIO(workbook_bytes(ev)))
        checked = 0
        for ws in book.worksheets[:2]:
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, (int, float, Decimal)) and \
                            not isinstance(cell.value, bool):
                        shown = _shown(cell.value, cell.number_format)
                        # a width counts digits ("0"), padding apart; CJK takes 2
                        assert display_width(shown) <= _span_width(ws, cell), \
                            (ws.title, cell.coordinate, shown, _span_width(ws, cell))
                        checked += 1
        assert checked > 20


def test_the_assessed_alternative_is_text_that_wraps():
    ev = load("liwan-xiezuo-2023.json")
    book = load_workbook(io.BytesIO(workbook_bytes(ev)))
    found = 0
    for ws in book.worksheets[:2]:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "：" in cell.value and \
                        re.search(r"：[\d.,-]+\D*$", cell.value) and cell.alignment.wrap_text:
                    found += 1
                assert '"：' not in (cell.number_format or ""), cell.coordinate
    assert found >= 1


def test_the_indicator_headings_print_on_every_page():
    ev = load("liwan-kegongxin-2023.json")
    book = load_workbook(io.BytesIO(workbook_bytes(ev)))
    ws = book.worksheets[0]
    titles = ws.print_title_rows
    assert titles, "the form sheet repeats no rows"
    first = int(re.match(r"\$?(\d+):", titles).group(1))
    headings = [c.value for c in ws[first] if c.value]
    assert "实际完成值" in headings and "得分" in headings, headings


@pytest.mark.slow
@needs_tool("soffice", "libreoffice-calc-nogui")
def test_libreoffice_prints_the_headings_at_the_top_of_the_second_page(tmp_path):
    ev = load("liwan-kegongxin-2023.json")
    path = tmp_path / "book.xlsx"
    path.write_bytes(workbook_bytes(ev))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   capture_output=True, timeout=180, check=True)
    pages = subprocess.run(["pdftotext", "-layout", str(tmp_path / "book.pdf"), "-"],
                           capture_output=True, text=True, check=True).stdout.split("\f")
    assert len(pages) > 2
    second = [line for line in pages[1].splitlines() if line.strip()]
    assert any("实际完成值" in line for line in second[:4]), second[:4]
    first = "".join(pages[0].split())
    assert first.count("实际完成值") == 1  # not printed twice on the first page
