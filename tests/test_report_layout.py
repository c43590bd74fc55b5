"""The PDF's typesetting measured on rendered pages (GB/T 9704 and Chinese line-breaking).

22 lines on every full page at the pitch 225 mm / 22; every justified line
ends within 0.5 mm of the 156 mm block; no line starts with closing or ends
with opening punctuation; headings never end a page; the page number's
dashes 7 mm below the block; tables repeat their header only at page tops.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from dataclasses import replace

import pytest
from conftest import needs_tool
from report_text import MM, load, pdf_text

from exports.pdf_report import build_report
from exports.pdf_report import BODY_PT
from exports.pdf_text import CANNOT_END, CANNOT_START, COMPRESSIBLE

pytestmark = needs_tool("pdftotext", "poppler-utils")

PAGE_W, PAGE_H = 595.2756, 841.8898
BLOCK_LEFT, BLOCK_RIGHT = 28 * MM, PAGE_W - 26 * MM
BLOCK_TOP, BLOCK_BOTTOM = 37 * MM, PAGE_H - 35 * MM  # pdftotext's y grows downwards
PITCH = 225 * MM / 22
HEADING = re.compile(r"^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）")
LONG = ("园区建设稳步推进（含“智能制造”园区），各项工作取得明显成效；《管理办法》已印发。"
        "Smart-City建设完成率95.76%，引进项目16.5个，走访企业712人次。")


def _lines(data: bytes, tmp_path) -> dict[int, list[tuple[float, float, float, float, str]]]:
    """Each page's text lines as (xMin, yMin, xMax, yMax, text)."""
    html = pdf_text(data, tmp_path, "-bbox-layout")
    pages: dict[int, list[tuple[float, float, float, float, str]]] = defaultdict(list)
    for n, page in enumerate(html.split("</page>")):
        for attrs, inner in re.findall(r'<line (xMin[^>]*)>(.*?)</line>', page, re.DOTALL):
            x0, y0, x1, y1 = (float(v) for v in re.findall(r'"([\d.]+)"', attrs))
            text = "".join(re.findall(r">([^<]*)</word>", inner))
            pages[n + 1].append((x0, y0, x1, y1, text))
    return pages


@pytest.fixture(scope="module")
def long_report():
    ev = load("liwan-kegongxin-2023.json")
    ev = ev.with_narrative("achievements", "\n".join([LONG * 3] * 25))
    return build_report(ev)


def _body_pages(pages):
    out = {}
    for n, lines in sorted(pages.items()):
        if any(text.startswith("附件") for *_, text in lines):
            break
        out[n] = [line for line in lines if 15 < line[3] - line[1] < 17.5 and line[1] < BLOCK_BOTTOM]
    return out


def test_22_lines_on_every_full_page_at_the_gb_pitch(long_report, tmp_path):
    body = _body_pages(_lines(long_report.data, tmp_path))
    assert len(body) >= 8
    counts = []
    for n, lines in body.items():
        tops = sorted({round(y0, 2) for _, y0, _, _, _ in lines})
        counts.append(len(tops))
        assert len(tops) <= 22
        # body lines sit on the grid (headings are set in other faces, whose boxes differ)
        grid = sorted({round(y0, 2) for _, y0, _, _, t in lines if not HEADING.match(t)
                       and y0 > BLOCK_TOP + 2 * PITCH * (n == 1)})
        for a, b in itertools.pairwise(grid):
            assert (b - a) / PITCH == pytest.approx(round((b - a) / PITCH), abs=0.01)
        if n > 1:
            assert tops[0] < BLOCK_TOP + PITCH  # the first line sits in the first grid row
    full = list(counts[1:-1])
    # a page is short only where a heading moved on with its first line
    assert sum(c == 22 for c in full) >= len(full) - 3 and max(counts) == 22, counts


def test_justified_lines_end_at_the_block_edge(long_report, tmp_path):
    body = _body_pages(_lines(long_report.data, tmp_path))
    checked = short = 0
    for lines in body.values():
        lines = sorted(lines, key=lambda line: line[1])
        for (x0, _, x1, _, text), following in zip(lines, lines[1:] + [None]):
            assert x0 >= BLOCK_LEFT - 0.5 * MM, text
            # a closing 。，；：”） at the line end is set at half width: its ink is in the
            # block, the box pdftotext gives (the full advance) half an em past it
            if text[-1:] in COMPRESSIBLE:
                x1 -= BODY_PT / 2
            assert x1 <= BLOCK_RIGHT + 0.5 * MM, text  # nothing hangs past the block
            if following is not None and following[0] < BLOCK_LEFT + 1:
                # the paragraph goes on (the next line is not indented): justified, unless
                # the number or word that follows would have stretched it more than 10%
                if following[4][:1].isascii() and following[4][:1].isalnum():
                    short += x1 < BLOCK_RIGHT - 0.5 * MM
                else:
                    assert x1 == pytest.approx(BLOCK_RIGHT, abs=0.5 * MM), text
                checked += 1
    assert checked > 150
    assert short < checked / 10


def test_chinese_line_breaking_rules(long_report, tmp_path):
    body = _body_pages(_lines(long_report.data, tmp_path))
    lines = [text for page in body.values() for *_, text in page]
    assert len(lines) > 150
    for text in lines:
        assert text[0] not in CANNOT_START, text
        assert text[-1] not in CANNOT_END, text
    # Latin words and figures are never cut, except one longer than a line
    flat = "".join(lines)
    assert flat.count("Smart-City") == LONG.count("Smart-City") * 75
    assert flat.count("95.76%") == 75


def test_a_word_longer_than_a_line_is_broken(tmp_path):
    ev = load("liwan-kegongxin-2023.json").with_narrative("problems", "说明" + "A" * 200 + "结束。")
    pages = _lines(build_report(ev).data, tmp_path)
    texts = [t for lines in pages.values() for *_, t in lines]
    assert "".join(texts).count("A") == 200
    runs = [t for t in texts if t.startswith("AAAA")]
    assert runs and all(len(t) <= 60 for t in runs)
    widths = [x1 for lines in pages.values() for _, _, x1, _, t in lines if "AAAA" in t]
    assert max(widths) <= BLOCK_RIGHT + 0.5 * MM


def test_headings_never_end_a_page(long_report, tmp_path):
    body = _body_pages(_lines(long_report.data, tmp_path))
    for lines in body.values():
        last = max(lines, key=lambda line: line[1])[4]
        assert not re.match(r"^[一二三四五六七八九十]+、|^（[一二三四五六七八九十]+）", last), last


def test_page_number_dash_is_7mm_below_the_block(long_report):
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(long_report.data)
    try:
        for index in (0, 1):
            page = pdf[index]
            text = page.get_textpage()
            boxes = [text.get_charbox(i) for i in range(text.count_chars())
                     if text.get_text_range(i, 1) == "—"]
            assert len(boxes) == 2
            for _left, bottom, _right, top in boxes:
                middle = (bottom + top) / 2  # pdfium's y grows upwards
                assert 35 * MM - middle == pytest.approx(7 * MM, abs=0.5 * MM)
            xs = sorted(b[0] for b in boxes) + sorted(b[2] for b in boxes)
            if index == 0:  # odd page: right, one character in from the block's edge
                assert max(xs) == pytest.approx(BLOCK_RIGHT - 14, abs=1.5)
            else:
                assert min(xs) == pytest.approx(BLOCK_LEFT + 14, abs=1.5)
            text.close()
            page.close()
    finally:
        pdf.close()


def test_tables_paginate_like_a_printed_form(tmp_path):
    """Header rows only at page tops; labels printed again; sign-off never alone on a page."""
    ev = load("liwan-kegongxin-2023.json")
    leaf = ev.system.leaves()[3].id
    ev = ev.with_value(leaf, replace(ev.value(leaf), deviation="说明偏差原因。" * 120))
    report = build_report(ev)
    pages = _lines(report.data, tmp_path)
    attach = next(n for n, lines in pages.items() if any(t.startswith("附件1") for *_, t in lines))
    header_pages = 0
    for n, lines in pages.items():
        if n < attach:
            continue
        heads = [y0 for _, y0, _, _, t in lines if t.startswith("一级指标")]
        if any(t.startswith("附件") for *_, t in lines):
            assert len(heads) <= 1  # the table's own header under the titles
            continue
        for y in heads:  # a continuation page: the header only at its top
            header_pages += 1
            assert y < BLOCK_TOP + 20, (n, y)
    assert header_pages >= 2
    text = pdf_text(report.data, tmp_path)
    # the 一级指标 label that continues onto the next page is printed there again
    assert text.count("履职效能") >= 3
    # sign-off rows stay with the indicator rows before them
    for n, lines in pages.items():
        texts = [t for *_, t in lines if not t.startswith("—")]
        if texts and texts[0].startswith(("填报人", "单位负责人", "自评等级", "总分")):
            pytest.fail(f"page {n} starts with the sign-off rows")


def test_column_heads_and_totals_stay_on_one_line(tmp_path):
    report = build_report(load("liwan-xiezuo-2023.json"))
    pages = _lines(report.data, tmp_path)
    lines = [t for lines in pages.values() for *_, t in lines]
    for head in ("一级指标", "二级指标", "三级指标", "实际完成值", "填报日期", "联系电话", "单位负责人",
                 "财务负责人", "全年预算数", "全年执行数", "1239.81", "98.40"):
        assert any(head in t for t in lines), head
    for broken in ("一级指", "实际完成", "填报日"):
        assert broken not in lines, broken  # never a word cut at a line end
