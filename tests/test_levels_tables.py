"""One column per indicator level, merged over its children, in every table a clerk hands in:
附件1 and 附件2 of the PDF (pdftotext), the same tables in the Word copy (python-docx,
cells and merges) and the workbook's two indicator sheets (openpyxl), for systems of
two, three and four levels.  A label whose rows run onto a new page is printed there again.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from exports.docx_report import docx_bytes
from exports.excel import SHEET_FORM, SHEET_SCORES, workbook_bytes
from exports.pdf_report import report_bytes
from exports.review_read import read_submission
from exports.tables import group_levels, indicator_rows, level_headers, spans
from exports.workbook_import import read_workbook_bytes
from forms.package import package_from_dict
from forms.review import Submission
from forms.scoring import score
from conftest import ROOT, needs_tool
from test_rules import chongqing
from test_rules_exports import four_package

NUMERALS = "一二三四"
FORM_TAIL = ["指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施"]
SCORE_TAIL = ["分值", "评分标准", "指标值", "实际完成值", "得分", "状态"]
SHEET_SCORE_TAIL = ["分值", "评分标准", "计分方法", "指标值", "实际完成值", "得分", "评分状态"]


def deep_package(depth: int) -> dict:
    """A system of ``depth`` levels, 40 leaves of 2.5 points, long enough to run over pages:
    four 一级 groups of a two-level system, else two under each group, then the leaves
    shared out over the lowest groups."""
    per_group = 40 // (4 if depth == 2 else 2 ** (depth - 1))
    counter = iter(range(1, 41))
    values: dict[str, dict[str, str]] = {}

    def group(level: int, path: str) -> dict:
        if level == depth - 1:
            leaves = []
            for _ in range(per_group):
                n = next(counter)
                leaves.append({"id": f"k{n}", "name": f"第{n:02d}号指标", "weight": 2.5,
                               "rule": {"type": "manual"}})
                values[f"k{n}"] = {"score": "2.5" if n % 7 else "2"}
            return {"name": f"{NUMERALS[level - 1]}级组{path}", "weight": 2.5 * len(leaves),
                    "children": leaves}
        children = [group(level + 1, f"{path}-{i}") for i in (1, 2)]
        return {"name": f"{NUMERALS[level - 1]}级组{path}",
                "weight": sum(c["weight"] for c in children), "children": children}

    if depth == 2:
        top = [group(1, str(i)) for i in (1, 2, 3, 4)]  # 4 × 10 leaves
    else:
        top = [group(1, str(i)) for i in (1, 2)]
    system = {"name": f"{depth}级测试体系", "indicators": top}
    return chongqing() | {"system": system, "values": values}


def real_package(depth: int) -> dict:
    if depth == 2:
        return chongqing()
    if depth == 3:
        return json.loads((ROOT / "tests" / "data" / "liwan-xiezuo-2023.json").read_text("utf-8"))
    return four_package()


CASES = [(kind, depth) for kind in ("real", "deep") for depth in (2, 3, 4)]


def _package(kind: str, depth: int) -> dict:
    return real_package(depth) if kind == "real" else deep_package(depth)


@pytest.fixture(scope="module", params=CASES, ids=[f"{k}-{d}" for k, d in CASES])
def case(request):
    kind, depth = request.param
    ev = package_from_dict(_package(kind, depth))
    result = score(ev)
    rows = indicator_rows(ev, result)
    assert group_levels(rows) == depth - 1
    return kind, depth, ev, rows


def _expected_column(rows, level: int) -> list[tuple[str, int]]:
    """(label, rows merged) down the level's column, as the rows' groups say."""
    return [(rows[a].name_at(level), b - a + 1) for a, b in spans([r.key_at(level) for r in rows])]


# ---------------------------------------------------------------- the Word copy

def _grid(table) -> list[list[tuple[str, str | None, object]]]:
    """Each row as grid cells (text, vMerge value or None, the w:tc): a cell spanning
    columns is repeated over them, as a reader sees it."""
    out = []
    for tr in table._tbl.tr_lst:
        row = []
        for tc in tr.tc_lst:
            pr = tc.tcPr
            span = 1
            vmerge = None
            if pr is not None:
                gs = pr.find(qn("w:gridSpan"))
                span = int(gs.get(qn("w:val"))) if gs is not None else 1
                vm = pr.find(qn("w:vMerge"))
                if vm is not None:
                    vmerge = vm.get(qn("w:val")) or "continue"
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            row += [(text, vmerge, tc)] * span
        out.append(row)
    return out


def test_word_tables_one_column_per_level_merged_over_children(case):
    kind, depth, ev, rows = case
    doc = Document(io.BytesIO(docx_bytes(ev)))
    heads = level_headers(depth - 1)
    tables = [t for t in doc.tables if _grid(t)[0][0][0] == "一级指标"]
    assert len(tables) == 2  # 附件1 and 附件2, each a table of its own
    # 附件2 has its 状态 column only when some leaf is not plainly scored
    scores_tail = SCORE_TAIL if any(r.note for r in rows) else SCORE_TAIL[:-1]
    for table, tail in zip(tables, (FORM_TAIL, scores_tail)):
        grid = _grid(table)
        assert [c[0] for c in grid[0]] == heads + tail  # no empty level, no missing one
        assert len(table._tbl.tblGrid.gridCol_lst) == len(heads + tail)
        tr0 = table._tbl.tr_lst[0]
        assert tr0.trPr.find(qn("w:tblHeader")) is not None  # repeated on each page
        body = grid[1:1 + len(rows)]
        assert [r[depth - 1][0] for r in body] == [r.leaf.name for r in rows]
        for level in range(1, depth):
            got: list[tuple[str, int]] = []
            for r in body:
                text, vmerge, _ = r[level - 1]
                if vmerge == "continue":
                    assert text == ""
                    got[-1] = (got[-1][0], got[-1][1] + 1)
                else:
                    got.append((text, 1))
            assert got == _expected_column(rows, level), (kind, depth, level)
            # a merge starts with "restart" exactly where it spans more than one row
            starts = [r[level - 1][1] for r in body if r[level - 1][1] != "continue"]
            assert starts == ["restart" if n > 1 else None
                              for _, n in _expected_column(rows, level)]
    # a paragraph between the form head and the indicator table keeps them apart: Word
    # joins adjacent tables, and the joined table would repeat no header row
    prev = tables[0]._tbl.getprevious()
    assert prev.tag == qn("w:p")


# ---------------------------------------------------------------- the workbook

def _label_at(ws, row: int, col: int) -> object:
    for merged in ws.merged_cells.ranges:
        if merged.min_col <= col <= merged.max_col and merged.min_row <= row <= merged.max_row:
            return ws.cell(merged.min_row, merged.min_col).value
    return ws.cell(row, col).value


def _header_row(ws) -> int:
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "一级指标")


def test_workbook_sheets_one_column_per_level_and_read_back(case):
    _, depth, ev, rows = case
    data = workbook_bytes(ev)
    book = load_workbook(io.BytesIO(data))
    g = depth - 1
    for name, tail in ((SHEET_FORM, FORM_TAIL), (SHEET_SCORES, SHEET_SCORE_TAIL)):
        ws = book[name]
        head = _header_row(ws)
        width = len(level_headers(g) + tail)
        assert [ws.cell(head, c).value for c in range(1, width + 2)] == \
            level_headers(g) + tail + [None]
        first = head + 1
        assert [ws.cell(first + i, g + 1).value for i in range(len(rows))] == \
            [r.leaf.name for r in rows]
        breaks = {b.id + 1 for b in ws.row_breaks.brk}
        for level in range(1, depth):
            for i, r in enumerate(rows):  # every row shows its label, merged or not
                assert (_label_at(ws, first + i, level) or "") == r.name_at(level)
            # merges follow the groups, cut where a printed page begins
            merged = sorted((m.min_row - first, m.max_row - first) for m in ws.merged_cells.ranges
                            if m.min_col == m.max_col == level and m.min_row >= first
                            and m.max_row < first + len(rows))
            expected = []
            for a, b in spans([r.key_at(level) for r in rows]):
                start = a
                for row in range(a + 1, b + 1):
                    if first + row in breaks:
                        expected.append((start, row - 1))
                        start = row
                expected.append((start, b))
            assert merged == [m for m in expected if m[1] > m[0]], (name, level)
    back = read_workbook_bytes(data)
    assert back.values == ev.values and score(back).total == score(ev).total


def test_review_reads_the_visible_form_of_every_depth(case, tmp_path):
    _, _, ev, rows = case
    path = tmp_path / "x.xlsx"
    path.write_bytes(workbook_bytes(ev))
    sub = read_submission(path)
    assert isinstance(sub, Submission) and sub.stated is not None
    total = score(ev).total
    assert sub.stated.total == total and sub.stated.grade
    assert len(sub.stated.leaf_scores) == len(rows)


def test_deep_workbook_runs_over_pages_and_repeats_labels():
    """The 40-leaf systems do cross printed pages, and each page repeats every level's label."""
    for depth in (2, 3, 4):
        ev = package_from_dict(deep_package(depth))
        rows = indicator_rows(ev, score(ev))
        ws = load_workbook(io.BytesIO(workbook_bytes(ev)))[SHEET_SCORES]
        first = _header_row(ws) + 1
        breaks = [b.id + 1 for b in ws.row_breaks.brk if first < b.id + 1 < first + len(rows)]
        assert breaks, depth
        for b in breaks:
            for level in range(1, depth):
                assert ws.cell(b, level).value == rows[b - first].name_at(level)


# ---------------------------------------------------------------- the PDF

def _pages(data: bytes, tmp_path: Path, layout: bool = False) -> list[str]:
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(data)
    args = ["pdftotext"] + (["-layout"] if layout else []) + [str(pdf), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout.split("\f")


@needs_tool("pdftotext", "poppler-utils")
def test_pdf_attachments_one_column_per_level_labels_on_every_page(case, tmp_path):
    kind, depth, ev, rows = case
    data = report_bytes(ev)
    layout = _pages(data, tmp_path, layout=True)
    heads = [ln.split() for page in layout for ln in page.splitlines()
             if ln.strip().startswith("一级指标")]
    # 附件1 and 附件2 on their first page and each page they continue on; 一级指标 and
    # 实际完成值 each print on one line (a long last header may take two)
    form = level_headers(depth - 1) + FORM_TAIL[:2]
    scores = level_headers(depth - 1) + SCORE_TAIL[:4]
    assert heads and {tuple(h[:len(form)]) for h in heads if h[depth] == "指标值"} == {tuple(form)}
    assert {tuple(h[:len(scores)]) for h in heads if h[depth] == "分值"} == {tuple(scores)}
    levels_absent = [f"{NUMERALS[i]}级指标" for i in range(depth, 4)]
    assert not any(h in page for page in layout for h in levels_absent)
    assert any("填报日期" in ln for page in layout for ln in page.splitlines())
    # the draft mark (示例 in the fixture's texts keeps it a draft) is not part of the page
    pages = [re.sub(r"\s+", "", p).replace("草稿", "") for p in _pages(data, tmp_path)]
    start = next(i for i, p in enumerate(pages) if p.startswith("附件1"))
    seen = 0
    for page in pages[start:]:
        for r in rows:
            if r.leaf.name in page:
                seen += 1
                for level in range(1, depth):
                    # a long real label wraps, and pdftotext interleaves its lines with
                    # the next columns': its first line must be there
                    label = r.name_at(level) if kind == "deep" else r.name_at(level)[:4]
                    assert label in page, (r.leaf.name, level)
    # every leaf in both attachments (a long real name may wrap past recognition)
    assert seen >= (2 * len(rows) if kind == "deep" else len(rows))
    if kind == "deep":  # the table runs over pages: labels there were printed again
        continued = [p for p in pages[start + 1:] if p.startswith("一级指标")]
        assert continued, "the attachment fits one page: the test data is too short"


def test_deep_package_totals_hold(case):
    kind, _, ev, rows = case
    if kind == "deep":
        assert score(ev).total == Decimal(100) - Decimal("0.5") * len(
            [r for r in rows if int(r.leaf.id[1:]) % 7 == 0])
