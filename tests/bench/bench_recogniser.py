"""The criteria recogniser on hostile cells: time and peak memory (each under 5 s and 500 MB).

A cell of 20,000 digits followed by "得5分；得3分" took 54 s and a 32,767-character cell
145 s when the patterns backtracked; a text within the length the recogniser reads
(normalise.MAX_CHARS) is timed at its worst shapes too.
"""

from __future__ import annotations

import sys
import tracemalloc
from decimal import Decimal
from pathlib import Path

from common import InProcess, Measure

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forms.rules import recognise
from forms.rules.normalise import MAX_CHARS

DIGITS = "9" * 20_000 + "得5分；得3分"
FULL_CELL = ("执行率≥95%的，得5分；90%≤执行率＜95%的，得3分；" * 1000)[:32_767]
# at the limit: the shapes the patterns repeat on (numbers, ranges, 每…扣, grades)
AT_LIMIT = [(piece * MAX_CHARS)[:MAX_CHARS] for piece in (
    "1-", "90%(含)-", "每超过1个百分点", "优良中差", "得1分；", "①1、(1)", "1.1.1.", "发现1次，")]


def _all_at_limit() -> None:
    for text in AT_LIMIT:
        recognise(text, Decimal(10), None)


def _peak_mb() -> float:
    tracemalloc.start()
    recognise(DIGITS, Decimal(5), None)
    recognise(FULL_CELL, Decimal(5), None)
    _all_at_limit()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def benchmarks() -> list[InProcess | Measure]:
    return [
        InProcess("recogniser: 20,000 digits + 得5分；得3分", lambda: recognise(DIGITS, Decimal(5)),
                  target_ms=5000, repeat=5),
        InProcess("recogniser: a 32,767-character cell", lambda: recognise(FULL_CELL, Decimal(5)),
                  target_ms=5000, repeat=5),
        InProcess(f"recogniser: 8 worst shapes of {MAX_CHARS} characters", _all_at_limit,
                  target_ms=5000, repeat=5),
        Measure("recogniser: peak memory of the cases above", _peak_mb, "MB", 500),
    ]
