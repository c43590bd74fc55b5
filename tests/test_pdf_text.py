"""Line-breaking for the PDF: nothing lost, nothing past the edge, 禁则 kept, linear time."""

from __future__ import annotations

import time

from fuzz_budget import cases
from hypothesis import example, given, settings
from hypothesis import strategies as st
from report_text import DATA

from exports import fonts
from exports.pdf_text import CANNOT_END, CANNOT_START, Setter

WIDTH = 156 * 72 / 25.4
SIZE = 15.75


def _setter() -> Setter:
    return Setter(fonts.font_for("body"), SIZE)


@settings(max_examples=cases(200), deadline=None)
@given(st.text(st.sampled_from(list("部门绩效自评（）“”，。；：、ABCdef0123456789 %-")), max_size=400),
       st.sampled_from([WIDTH, 60.0, 20.0]))
@example("000效“%”", 60.0)  # a lone last line's companion must still fit
def test_every_character_kept_and_no_line_past_the_edge(text, width):
    setter = _setter()
    lines = setter.break_lines(text, width, 0.0)
    kept = "".join(line.text for line in lines).replace(" ", "")
    assert kept == setter.clean(text).replace(" ", "")
    for line in lines:
        # only a single glyph wider than the box may stick out (a 20 pt box, one 15.75 pt glyph)
        assert line.width <= width + 0.01 or len(line.text) == 1


def test_seed_texts_keep_the_line_breaking_rules():
    import json

    setter = _setter()
    raw = json.loads((DATA / "huangpu-lingang-2021.json").read_text(encoding="utf-8"))
    texts = [raw["goals"]["targets"], *raw["narrative"].values()]
    count = 0
    for text in texts:
        for para in text.split("\n"):
            lines = setter.break_lines(para, WIDTH, 2 * SIZE)
            for n, line in enumerate(lines):
                count += 1
                assert line.text[:1] not in CANNOT_START or n == 0, line.text
                assert line.text[-1:] not in CANNOT_END, line.text
                if line.justify:
                    assert WIDTH - 2 * SIZE < line.width + line.indent <= WIDTH + 0.01
            if len(lines) > 1:
                assert len(lines[-1].text.rstrip("。；，")) > 1  # no lone character
    assert count > 40


def test_latin_runs_stay_whole_and_a_too_long_one_is_broken():
    setter = _setter()
    lines = setter.break_lines("说明" * 12 + "Smart-City建设", WIDTH, 0.0)
    assert any(line.text.startswith("Smart-City") or line.text.endswith("Smart-City")
               for line in lines) or "Smart-City" in lines[0].text
    long = setter.break_lines("A" * 500, WIDTH, 0.0)
    assert len(long) > 3 and "".join(line.text for line in long) == "A" * 500


def test_breaking_is_linear():
    setter = _setter()
    times = []
    for n in (20_000, 80_000):
        text = "各项工作取得明显成效，“智能制造”园区建设稳步推进。" * (n // 25)
        start = time.process_time()
        setter.break_lines(text, WIDTH, 2 * SIZE)
        times.append(time.process_time() - start)
    # four times the text: about four times the time (quadratic would be sixteen)
    assert times[1] < times[0] * 8 + 0.05, times
