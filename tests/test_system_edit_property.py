"""Any sequence of editor operations keeps the draft checkable and its file re-openable."""

from __future__ import annotations

import pytest
from fuzz_budget import cases
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.system import RULE_TYPES
from forms.system_edit import SystemDraft

pytestmark = pytest.mark.slow  # hypothesis sweeps: seconds each

TEXT = st.sampled_from(["", "5", "10", "0.5", "四十", "-1", "１００", "12.345", "abc", "部门决策"])
OPS = st.lists(st.tuples(st.sampled_from(["add_child", "add_sibling", "remove", "move_up",
                                          "move_down", "rename", "weight", "target", "rule",
                                          "items", "bands", "levels", "option", "custom"]),
                         st.integers(min_value=0, max_value=50), TEXT,
                         st.sampled_from(sorted(RULE_TYPES))),
               max_size=40)


def _apply(d: SystemDraft, op: str, pick: int, text: str, kind: str) -> None:
    paths = d.walk()
    path = paths[pick % len(paths)] if paths else None
    if op == "add_child" or path is None:
        parent = path if path is not None and len(path) < 3 else ()
        d.add_child(parent, text, text or None)
    elif op == "add_sibling":
        d.add_sibling(path, text)
    elif op == "remove":
        d.remove(path)
    elif op in ("move_up", "move_down"):
        d.move(path, -1 if op == "move_up" else 1)
    elif op == "rename":
        d.rename(path, text)
    elif op == "weight":
        d.set_weight(path, text)
    elif op == "custom":
        d.set_field(path, "custom", bool(text))
    elif len(path) == 3:
        if op == "target":
            d.set_field(path, "target", text)
        elif op == "rule":
            d.set_rule_type(path, kind)
        elif op == "items":
            d.set_rule_type(path, "checklist")
            d.set_items(path, [(text, text), ("b", "1")])
        elif op == "bands":
            d.set_rule_type(path, "bands")
            d.set_bands(path, [(text, "", text), (">5", "<9", "1")])
        elif op == "levels":
            d.set_rule_type(path, "coefficient")
            d.set_levels(path, [("优", text), (text, "50")])
        elif op == "option":
            d.set_rule_type(path, "either")
            i = d.add_option(path, text)
            d.set_rule_type(path, kind if kind != "either" else "manual", option=i)
            d.set_option_field(path, i, "target", text)


@settings(max_examples=cases(150), deadline=None)
@given(OPS)
def test_operations_never_break_the_draft(ops):
    d = SystemDraft()
    states = [d.to_dict()]  # what undo goes back to, step by step
    for op in ops:
        _apply(d, *op)
        states.append(d.to_dict())
        check = d.check()  # never raises
        assert all(len(p) <= 3 for p in check.by_node)
        assert set(check.by_node) <= set(d.walk()) | {()}
    again = SystemDraft.from_file_bytes(d.file_bytes())
    if d.check().ok:
        assert again.check().ok
        assert again.check().system == d.check().system
    else:
        assert again.to_dict() == SystemDraft(d.to_dict()).to_dict()
    for state in reversed(states):
        SystemDraft(state).check()


CELL = st.sampled_from(["", "一级指标", "二级指标", "三级指标", "分值", "评分标准", "指标值",
                        "部门决策", "目标", "合理性", "10", "40", "≥95%", "按时", "合计",
                        "一、产出（60分）", "\"①a，得2分\n②b，得3分\"", "-3", "1e5"])


@settings(max_examples=cases(200), deadline=None)
@given(st.lists(st.lists(CELL, min_size=1, max_size=7), min_size=1, max_size=12))
def test_any_pasted_table_imports_or_is_refused_in_chinese(rows):
    from exports.system_workbook import SystemImportError, header_candidates_text, import_raw_text

    text = "\n".join("\t".join(r) for r in rows) + "\t\n"
    try:
        header_candidates_text(text)
        raw, problems = import_raw_text(text)
    except SystemImportError as exc:
        assert str(exc) and not str(exc).isascii()
        return
    draft = SystemDraft(raw)
    draft.check()
    assert all(p.message and not p.message.isascii() for p in problems)


@settings(max_examples=cases(60), deadline=None)
@given(st.lists(st.lists(st.one_of(CELL, st.integers(-5, 120), st.floats(0, 100, width=32)),
                         min_size=1, max_size=6), min_size=1, max_size=10),
       st.lists(st.tuples(st.integers(1, 10), st.integers(1, 6), st.integers(0, 3)), max_size=4))
def test_any_workbook_imports_or_is_refused_in_chinese(rows, merges):
    import io

    from openpyxl import Workbook

    from exports.system_workbook import SystemImportError, header_candidates, import_raw_bytes

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    taken: set[tuple[int, int]] = set()
    for r, c, down in merges:
        cells = {(r + i, c) for i in range(down + 1)}
        if down and not cells & taken:
            ws.merge_cells(start_row=r, start_column=c, end_row=r + down, end_column=c)
            taken |= cells
    buf = io.BytesIO()
    wb.save(buf)
    try:
        header_candidates(buf.getvalue())
        raw, problems = import_raw_bytes(buf.getvalue())
    except SystemImportError as exc:
        assert str(exc) and not str(exc).isascii()
        return
    SystemDraft(raw).check()
    assert all(p.message and not p.message.isascii() for p in problems)
