"""Whatever cells a clerk types over after export, the review names exactly those cells,
with the exported and the visible value; an untouched workbook is never flagged."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from fuzz_budget import cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from review_folder import baiyun_raw, edit_visible, export

from exports.cellmap import FIELDS, NUMBER
from exports.excel import SHEET_FORM
from exports.review_read import read_submission
from exports.workbook_import import _decode_cells, _sheet_values
from forms.review import EDITED, review_submission

EXAMPLES = 30
_seen = {"examples": 0, "cells": 0}

BOOK = export(baiyun_raw())


def _form_cells() -> list:
    wb = load_workbook(BytesIO(BOOK), read_only=True)
    texts = _sheet_values(wb["selfeval_data"], None)
    cells = [c for c in _decode_cells(texts) if c.sheet == SHEET_FORM]
    values = _sheet_values(wb[SHEET_FORM], {c.coord for c in cells})
    wb.close()
    return [(c, values.get(c.coord)) for c in cells]


CELLS = _form_cells()
hanzi = st.text(st.sampled_from("预算执行偏差原因说明改进措施单位张三李四０１２3"), min_size=1, max_size=20)
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal(99999), places=2,
                      allow_nan=False, allow_infinity=False)


@st.composite
def edits(draw: st.DrawFn) -> dict[int, object]:
    chosen = draw(st.sets(st.integers(0, len(CELLS) - 1), min_size=0, max_size=5))
    out: dict[int, object] = {}
    for i in chosen:
        cell, old = CELLS[i]
        new = draw(amounts.map(float) if cell.kind == NUMBER else hanzi)
        if cell.kind == FIELDS:  # a cell of several fields: its first field retyped
            new = str(old or "").split("：", 1)[0] + "：" + str(new)
        if cell.kind == NUMBER and old is not None and Decimal(str(new)) == Decimal(str(old)):
            continue
        if cell.kind != NUMBER and new == old:
            continue
        out[i] = new
    return out


@pytest.fixture(scope="module", autouse=True)
def _report_counts():
    yield
    print(f"\nreview edit property: {_seen['examples']} workbooks, {_seen['cells']} edited cells")


@pytest.mark.slow
@settings(max_examples=cases(EXAMPLES), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(changes=edits())
def test_the_edited_cells_and_only_they_are_named(tmp_path_factory, changes):
    path = tmp_path_factory.mktemp("p") / "x.xlsx"
    path.write_bytes(edit_visible(BOOK, {CELLS[i][0].coord: v for i, v in changes.items()})
                     if changes else BOOK)
    submission = read_submission(path)
    assert not hasattr(submission, "reason"), submission
    row = review_submission(submission, None)
    named = {f.place: f.message for f in row.flags if f.kind == EDITED}
    expected = {f"{SHEET_FORM}!{CELLS[i][0].coord}" for i in changes}
    assert set(named) == expected
    for i, value in changes.items():
        cell = CELLS[i][0]
        message = named[f"{SHEET_FORM}!{cell.coord}"]
        assert message.startswith(f"{cell.label}：导出时为")
        shown = format(Decimal(str(value)).normalize(), "f") if cell.kind == NUMBER else value
        assert message.endswith(f"表上为“{shown}”"), (message, shown)
    _seen["examples"] += 1
    _seen["cells"] += len(changes)



_fuzz = {"files": 0, "rejected": 0}


@settings(max_examples=cases(EXAMPLES), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(cut=st.integers(0, len(BOOK)),
       flips=st.lists(st.tuples(st.integers(0, len(BOOK) - 1), st.integers(0, 255)), max_size=8),
       suffix=st.sampled_from([".xlsx", ".json", ".xls", ""]))
def test_any_damaged_file_is_listed_never_raised(tmp_path_factory, cut, flips, suffix):
    """Cut-off and bit-flipped workbooks, under any name: a submission or a reason, no crash."""
    data = bytearray(BOOK[:cut] if cut < len(BOOK) // 2 else BOOK)
    for at, value in flips:
        if at < len(data):
            data[at] = value
    path = tmp_path_factory.mktemp("f") / f"x{suffix}"
    path.write_bytes(bytes(data))
    found = read_submission(path)
    _fuzz["files"] += 1
    if hasattr(found, "reason"):
        _fuzz["rejected"] += 1
        assert found.reason and not found.reason.isascii()  # said in Chinese
    else:
        review_submission(found, None)  # and it can be reviewed


@pytest.fixture(scope="module", autouse=True)
def _report_fuzz():
    yield
    print(f"\nreview damaged-file sweep: {_fuzz['files']} files, {_fuzz['rejected']} rejected")
