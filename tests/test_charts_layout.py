"""The report's charts as printed: every name and figure readable, none touching another,
all inside the text block, for few and many groups, long names and overspent budgets.
Word boxes are read back from the PDF with ``pdftotext -bbox``."""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from exports.charts import MAX_GROUPS, chart_groups
from exports.pdf_report import BODY_PT, report_bytes
from exports.pdf_text import COMPRESSIBLE
from forms.numbers import fmt2
from forms.package import package_from_dict
from forms.report.outline import ReportOptions, with_report_options
from forms.scoring import score
from conftest import needs_tool
from test_rules import chongqing

BLOCK_LEFT_PT, BLOCK_RIGHT_PT = 28 * 72 / 25.4, (28 + 156) * 72 / 25.4


def _package(groups: int, children: int, long_names: bool, overspent: bool) -> dict:
    pkg = chongqing()
    name = "关于加强基层财政资金绩效管理的重点工作" if long_names else "指标组"
    top = []
    values = {}
    weight = 100 / (groups * children)  # the cases divide 100 evenly
    for g in range(groups):
        kids = []
        for c in range(children):
            leaf = {"id": f"x{g}_{c}", "name": f"第{g}组第{c}项", "weight": weight,
                    "rule": {"type": "manual"}}
            kids.append({"name": f"{name}{g}-{c}", "weight": weight, "children": [leaf]})
            values[leaf["id"]] = {"score": str(weight if (g + c) % 3 else weight / 2)}
        top.append({"name": f"{name}{g}", "weight": weight * children, "children": kids})
    pkg["system"] = {"name": "图表测试", "indicators": top}
    pkg["values"] = values
    if overspent:  # executed above the budget: that bar is the longer one
        pkg["budget"]["by_source"]["general"]["executed"] = "1200.00"
        pkg["budget"]["total"]["executed"] = "1200.00"
    return pkg


def _words(data: bytes, tmp_path: Path) -> list[list[tuple[str, float, float, float, float]]]:
    pdf = tmp_path / "c.pdf"
    pdf.write_bytes(data)
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = []
    for page in html.split("<page ")[1:]:
        pages.append([(m.group(5), *(float(m.group(i)) for i in range(1, 5)))
                      for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" '
                                           r'xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page)])
    return pages


CASES = [(1, 1, False, False), (4, 2, True, True), (5, 2, False, False), (10, 1, True, False),
         (25, 2, True, True)]


@needs_tool("pdftotext", "poppler-utils")
@pytest.mark.parametrize(("groups", "children", "long_names", "overspent"), CASES)
def test_chart_labels_never_overlap_and_stay_in_the_block(groups, children, long_names,
                                                          overspent, tmp_path):
    ev = package_from_dict(_package(groups, children, long_names, overspent))
    ev = with_report_options(ev, replace(ReportOptions(), charts=True, attachments=False))
    result = score(ev)
    shown = chart_groups(result)
    assert len(shown) == (groups if groups * (children + 1) > MAX_GROUPS
                          else groups * (children + 1))
    pages = _words(report_bytes(ev), tmp_path)
    checked = 0
    for words in pages:
        for i, (text, x0, y0, x1, y1) in enumerate(words):
            if text[-1:] in COMPRESSIBLE:  # a closing mark at a line end: half its box
                x1 -= BODY_PT / 2
            assert x0 >= BLOCK_LEFT_PT - 1 and x1 <= BLOCK_RIGHT_PT + 1, (text, x0, x1)
            for other in words[i + 1:]:
                ox0, oy0, ox1, oy1 = other[1:]
                overlap_x = min(x1, ox1) - max(x0, ox0)
                overlap_y = min(y1, oy1) - max(y0, oy0)
                assert overlap_x <= 0.5 or overlap_y <= 0.5, (text, other[0])
                checked += 1
    flat = "".join(w[0] for words in pages for w in words)
    for g in shown:  # every group's figure is printed
        assert f"{fmt2(g.score)}/" in flat or fmt2(g.score) in flat
    assert "1200.00" in flat if overspent else "760.00" in flat
    print(f"chart case {groups}×{children}: {len(shown)} bars, {checked} word pairs checked")
