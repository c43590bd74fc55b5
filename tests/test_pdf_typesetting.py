"""Justified lines as the published reports set them, measured on the PDF's glyph positions.

Every glyph's origin is read back with pdfium: between two ideographs of a body line the
pitch is the type size plus the line's letter-spacing, which may be at most 10% of the
size; a closing 。，；：”） at the end of a justified line is set at half width, its half
ending at the block's right edge; and a word of 400,000 letters breaks in linear time.
"""

from __future__ import annotations

import ctypes
import time

import pypdfium2 as pdfium
import pypdfium2.raw as raw
import pytest
from report_text import MM, load

from exports.pdf_report import BLOCK_W, BODY_PT, LEFT, build_report
from exports import fonts
from exports.pdf_text import Setter
import itertools

# texts as clerks write them: numbers and Latin words that do not fit a line's end, and
# closing marks (。” ）；) that would start a line
TEXTS = [
    "按资金来源分，一般公共预算财政拨款支出27,247.94万元，政府性基金预算财政拨款支出0万元，"
    "国有资本经营预算财政拨款支出0万元，其他资金支出1,234.56万元。按支出性质看，基本支出"
    "12,555.62万元，项目支出15,071.57万元，年末结转和结余0.00万元。",
    "园区建设稳步推进（含“智能制造”园区），各项工作取得明显成效；《管理办法》已印发。"
    "Smart-City建设完成率95.76%，引进项目16.5个，走访企业712人次，完成“十四五”规划中期评估。",
    "我办认真落实“放管服”改革要求，全面推行“一网通办”。全年办理事项1234件，按时办结率100%。"
    "在漖塱、滘口等地开展走访调研，瞭解企业诉求，协调解决问题56个（含历史遗留问题12个）。",
]


def _glyphs(data: bytes) -> list[list[tuple[str, float, float, float]]]:
    """Each page's characters as (character, origin x, origin y, font size)."""
    document = pdfium.PdfDocument(data)
    pages = []
    try:
        for page in document:
            text = page.get_textpage()
            x, y = ctypes.c_double(), ctypes.c_double()
            chars = []
            for i in range(text.count_chars()):
                raw.FPDFText_GetCharOrigin(text.raw, i, ctypes.byref(x), ctypes.byref(y))
                size = raw.FPDFText_GetFontSize(text.raw, i)
                chars.append((text.get_text_range(i, 1), x.value, y.value, size))
            pages.append(chars)
    finally:
        document.close()
    return pages


def _ideograph(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@pytest.fixture(scope="module")
def report():
    ev = load("liwan-kegongxin-2023.json")
    text = "\n".join(TEXTS[n % len(TEXTS)] * (1 + n % 3) for n in range(24))
    return build_report(ev.with_narrative("achievements", text))


def _body_lines(report):
    for chars in _glyphs(report.data):
        line: list[tuple[str, float, float, float]] = []
        for ch in chars:
            if ch[0] in "\r\n" or (line and abs(ch[2] - line[-1][2]) > 1):
                if line:
                    yield line
                line = [] if ch[0] in "\r\n" else [ch]
            elif abs(ch[3] - BODY_PT) < 0.1:
                line.append(ch)
        if line:
            yield line


def test_no_justified_line_is_stretched_more_than_a_tenth(report):
    worst, pairs = 0.0, 0
    for line in _body_lines(report):
        for (a, xa, _, _), (b, xb, _, _) in itertools.pairwise(line):
            if _ideograph(a) and _ideograph(b):
                pairs += 1
                worst = max(worst, (xb - xa) / BODY_PT - 1)
    assert pairs > 2000
    assert worst <= 0.10 + 0.002, f"letter-spacing up to {worst:.1%} of the type size"


def test_a_closing_mark_at_a_line_end_takes_half_its_width(report):
    right = LEFT + BLOCK_W
    ends = 0
    for line in _body_lines(report):
        ch, x, _, _ = line[-1]
        if ch in "。，；" and x > right - 2 * BODY_PT:
            # the mark's half ends at the block's edge: its origin half an em inside it
            assert x + BODY_PT / 2 == pytest.approx(right, abs=0.3 * MM) or \
                x + BODY_PT / 2 < right - 0.3 * MM, (x, right)
            ends += x + BODY_PT / 2 == pytest.approx(right, abs=0.3 * MM)
    assert ends >= 5


def test_a_mark_squeezed_in_saves_moving_a_character_down():
    """A line one 。 too long: the marks inside give up half their width instead of the
    line's last character moving down with the 。 (which would stretch the line by 4%)."""
    setter = Setter(fonts.font_for("body"), BODY_PT)
    text = "各项工作，取得成效，" + "推进" * 8 + "完成。" + "下一行"
    lines = setter.break_lines(text, BLOCK_W, 0.0)
    assert lines[0].text.endswith("完成。"), [line.text for line in lines]
    assert lines[0].width <= BLOCK_W + 0.01
    assert lines[0].halved and lines[0].halved[-1] == len(lines[0].text) - 1


def test_a_word_of_400000_letters_breaks_in_linear_time():
    setter = Setter(fonts.font_for("body"), BODY_PT)
    times = []
    for n in (100_000, 400_000):
        word = "abcdefghij" * (n // 10)
        start = time.process_time()
        lines = setter.break_lines("说明：" + word + "。", BLOCK_W, 2 * BODY_PT)
        times.append(time.process_time() - start)
        assert "".join(line.text for line in lines) == "说明：" + word + "。"
        assert all(line.width <= BLOCK_W + 0.01 for line in lines)
    # four times the letters: about four times the time (quadratic: sixteen)
    assert times[1] < times[0] * 7 + 0.1, times
    assert times[1] < 5, times


@pytest.mark.slow
def test_a_report_with_a_400000_letter_word_is_built_in_seconds():
    ev = load("liwan-kegongxin-2023.json")
    ev = ev.with_narrative("achievements", "abcdefghij" * 40_000)
    start = time.process_time()
    report = build_report(ev)
    assert time.process_time() - start < 30
    assert report.pages > 100


def test_guangzhou_place_names_stay_in_the_body_face(report):
    """漖 塱 滘 瞭 lie outside GB2312: they print in the face of the words around them, not
    in the sans fallback."""
    document = pdfium.PdfDocument(report.data)
    seen = 0
    try:
        for page in document:
            text = page.get_textpage()
            buffer = ctypes.create_string_buffer(256)
            flags = ctypes.c_int()
            chars = []
            for i in range(text.count_chars()):
                raw.FPDFText_GetFontInfo(text.raw, i, buffer, 256, ctypes.byref(flags))
                chars.append((text.get_text_range(i, 1), buffer.value.decode().split("+")[-1]))
            for i, (ch, face) in enumerate(chars):
                if ch in "漖塱滘瞭":
                    # 在漖塱、滘口 … 瞭解企业: the ideograph next to it
                    j = i + 1 if ch in "滘瞭" else i - 1
                    assert _ideograph(chars[j][0]) and face == chars[j][1], (ch, chars[j], face)
                    seen += 1
    finally:
        document.close()
    assert seen >= 8
