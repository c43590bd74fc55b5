"""Page breaks of the printed workbook over generated row heights and indicator tables."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from fuzz_budget import cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from exports.excel import SHEET_FORM, SHEET_SCORES, workbook_bytes
from exports.sheet_pages import page_breaks, split_at
from exports.tables import indicator_rows
from forms.model import LeafValue
from forms.scoring import score
import itertools

# CI runs the default; a developer may sweep more with SELFEVAL_CASES_SCALE=10
EXAMPLES = 200
runs = {"pages": 0, "workbooks": 0}

heights = st.lists(st.floats(min_value=12, max_value=1200, allow_nan=False), min_size=1,
                   max_size=80)


@settings(max_examples=cases(EXAMPLES), deadline=None)
@given(rows=heights, usable=st.floats(min_value=200, max_value=900),
       block=st.tuples(st.integers(0, 79), st.integers(0, 10)))
def test_breaks_fill_pages_without_overflow_and_keep_blocks(rows, usable, block):
    runs["pages"] += 1
    h = {i + 1: v for i, v in enumerate(rows)}
    last = len(rows)
    a = min(block[0] + 1, last)
    b = min(a + block[1], last)
    breaks = page_breaks(h, 1, last, usable, [(a, b)])
    assert breaks == sorted(set(breaks)) and all(1 < x <= last for x in breaks)
    starts = [1, *breaks, last + 1]
    for first, end in itertools.pairwise(starts):
        page = sum(h[r] for r in range(first, end))
        # a page overflows only when it is one row taller than a page
        assert page <= usable + 1e-6 or end - first == 1, (first, end, page)
        if end <= last:  # the next row would not have fitted (pages are filled)
            nxt = h[end] if end not in (a,) else sum(h[r] for r in range(a, b + 1))
            assert page + nxt > usable - 1e-6 or page > usable
    block_h = sum(h[r] for r in range(a, b + 1))
    if block_h <= usable:
        assert not any(a < x <= b for x in breaks), (a, b, breaks)
    pieces = split_at(1, last, breaks)
    assert [r for p in pieces for r in range(p[0], p[1] + 1)] == list(range(1, last + 1))


def _label(ws, row, col):
    for merged in ws.merged_cells.ranges:
        if merged.min_col == col and merged.min_row <= row <= merged.max_row:
            return ws.cell(merged.min_row, col).value
    return ws.cell(row, col).value


@pytest.mark.slow
@settings(max_examples=cases(max(10, EXAMPLES // 8)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lengths=st.lists(st.integers(0, 900), min_size=12, max_size=12))
def test_every_leaf_row_shows_its_labels_and_no_merge_crosses_a_break(sample, lengths):
    runs["workbooks"] += 1
    ev = sample
    for leaf, n in zip(ev.system.leaves(), lengths, strict=True):
        old = ev.value(leaf.id)
        ev = ev.with_value(leaf.id, LeafValue(
            actual=old.actual, checked=old.checked, count=old.count, level=old.level,
            score=old.score, deviation="偏差说明" * (n // 4), not_applicable=old.not_applicable,
            reason=old.reason))
    wb = load_workbook(BytesIO(workbook_bytes(ev)))
    rows = indicator_rows(ev, score(ev))
    for sheet in (SHEET_FORM, SHEET_SCORES):
        ws = wb[sheet]
        breaks = [b.id + 1 for b in ws.row_breaks.brk]
        for merged in ws.merged_cells.ranges:
            assert not any(merged.min_row < b <= merged.max_row for b in breaks), str(merged)
        at = {ws.cell(r, 3).value: r for r in range(ws.max_row, 2, -1)}
        for r in rows:
            assert _label(ws, at[r.leaf.name], 1) == r.name_at(1)
    assert score(ev).total == Decimal("92.58")


def teardown_module(module):
    print(f"\npagination cases: {runs['pages']} row-height lists, {runs['workbooks']} workbooks")
