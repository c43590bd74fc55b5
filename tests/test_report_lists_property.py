"""Swept inputs for what the report reads from the clerk's lines and how it writes figures.

- A list is never numbered twice, whatever the clerk typed in front of its lines; the
  text after the number is never lost.
- A typed heading's level never repeats its section's in the built report, and is reported.
- A printed rate has the report's precision, never shows 100 below 100, and the workbook's
  format prints the same figure.
- The spacing round figures is all or nothing, never next to full-width punctuation.
"""

from __future__ import annotations

import re
from decimal import Decimal

from fuzz_budget import cases
from hypothesis import example, given, settings
from hypothesis import strategies as st

from exports.tables import rate_format, rate_fraction
from forms.report import Heading
from forms.report.lists import narrative_blocks, normalise, numbered_items, typed_level
from forms.report.outline import FigureStyle
from forms.report.wording import percent, rate_shown, spaced

MARKS = ["", "1.", "1、", "1．", "（一）", "一、", "一是", "①", "(1)", "12.", "1、2", "2023年"]
TEXT = st.text(alphabet="负责园区管理，。；：12 3号楼“”abc", min_size=0, max_size=30)
LINE = st.tuples(st.sampled_from(MARKS), TEXT).map(lambda t: (t[0] + t[1]).strip()) \
    .filter(lambda s: bool(s))
EXAMPLES = 200


@settings(max_examples=cases(EXAMPLES), deadline=None)
@given(st.lists(LINE, min_size=1, max_size=8))
@example(["1.2"])  # a decimal at the start: "1. 1.2", never "1.1.2"
def test_a_list_is_numbered_once_and_keeps_its_text(items):
    out = numbered_items(items)
    assert len(out) == len(items)
    for typed, printed in zip(items, out):
        # what the clerk typed after any number survives, and no "1.1." is made
        assert typed[2:] in printed or normalise(typed)[2:] in printed or typed in printed
        # ("1、2号楼" is no number: it may read "1.1、2号楼", never "1.2号楼")
        assert not re.match(r"^(\d+)\.\1(?:[.．]|、(?!\d))", printed) \
            or re.match(r"^(\d+)[.、．]\1", typed)
    if not any(re.match(r"^(\d{1,2}\s*[.、．](?!\d)|[（(]|[一二三四五六七八九十]{1,3}[、是]|[①-⑳])",
                        i) for i in items):
        # a decimal at the start is set off by a space: "1. 1.2亿元"
        assert out == [f"{n}.{' ' if re.match(r'[0-9]+[.．][0-9]', i) else ''}{i}"
                       for n, i in enumerate(items, start=1)]


@settings(max_examples=cases(EXAMPLES), deadline=None)
@given(st.lists(LINE, min_size=0, max_size=8), st.integers(min_value=1, max_value=3))
def test_typed_headings_sit_below_their_section(lines, level):
    blocks = narrative_blocks(lines, level)
    assert len(blocks) == len(lines)
    for line, block in zip(lines, blocks):
        if isinstance(block, Heading):
            assert level < block.level <= 3 and typed_level(line) > 0
        else:
            assert block.text == line


PERCENT = st.decimals(min_value=Decimal(0), max_value=Decimal(500), places=4,
                      allow_nan=False, allow_infinity=False)


@settings(max_examples=cases(EXAMPLES), deadline=None)
@given(PERCENT, st.sampled_from([0, 1, 2]))
def test_a_rate_prints_alike_in_text_and_workbook(value, places):
    text = percent(value, places)
    number = text.rstrip("%")
    assert "." not in number or len(number.split(".")[1]) == places
    if value < 100:
        assert Decimal(number) < 100  # never 100% for what fell short
    assert abs(Decimal(number) - value) <= Decimal(1).scaleb(-places)
    # the workbook's cell: the same figure, formatted to print the same text
    fraction = rate_fraction(value, places)
    fmt = rate_format(value, places)
    assert fraction == rate_shown(value, places) / 100
    shown = format(fraction * 100, "f")
    decimals = 0 if fmt == "0%" else len(fmt) - 3
    printed = format(Decimal(shown).quantize(Decimal(1).scaleb(-decimals)), "f") + "%"
    assert printed == text


@settings(max_examples=cases(EXAMPLES), deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["全年预算数", "，", "。", "万元", "（", "）", "得分为"]),
                          st.decimals(min_value=0, max_value=99999, places=2).map(
                              lambda d: f"⟨{d}⟩")), min_size=1, max_size=12),
       st.booleans())
def test_figures_spaced_all_or_nothing(parts, with_space):
    text = spaced("".join(parts), FigureStyle(spaced=with_space))
    assert "⟨" not in text and "⟩" not in text
    assert text == text.strip() and "  " not in text
    assert not re.search(r" [，。；：、（）“”]|[，。；：、（）“”] ", text)
    if not with_space:
        assert " " not in text
