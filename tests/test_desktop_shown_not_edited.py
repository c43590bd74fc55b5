"""What the program shows in a field is never the clerk's edit; what the clerk does is one.

The editors are driven directly (outside the leaf panel, which blocks them on its own
while it loads a leaf), so each widget's own wiring is what is tested.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QCheckBox

from desktop.common.widgets import CountedText, CountSpin
from desktop.form.document import Document
from desktop.form.leaf_editors import leaf_editor
from desktop.form.pages.department import DepartmentPage
from desktop_typing import (  # no_qt_warnings: autouse, fails on Qt warnings
    choose, no_qt_warnings, press, setup_app, show, type_text,  # noqa: F401
)
from forms.model import LeafValue
from helpers import evaluation_with, leaf

CHECKLIST = {"id": "c", "name": "绩效管理", "weight": 10, "rule": {"type": "checklist", "items": [
    {"id": "a", "label": "目标", "points": 4}, {"id": "b", "label": "监控", "points": 6}]}}
INCIDENTS = {"id": "i", "name": "资产管理", "weight": 5, "rule": {"type": "incidents", "points": 1}}
COEFFICIENT = {"id": "k", "name": "满意度", "weight": 10, "rule": {"type": "coefficient",
               "levels": {"优": 100, "良": 80}}}
EITHER = {"id": "e", "name": "采购或资产", "weight": 10, "rule": {"type": "either", "options": [
    {"id": "proc", "name": "政府采购执行率", "target": 100, "unit": "%", "rule": {"type": "ratio"}},
    {"id": "inc", "name": "资产事故", "rule": {"type": "incidents", "points": 2}}]}}

SHOWN = [
    (CHECKLIST, LeafValue(checked=("b",))),
    (INCIDENTS, LeafValue(count=Decimal(3))),
    (COEFFICIENT, LeafValue(level="良")),
    (COEFFICIENT, LeafValue(coefficient=Decimal(90))),
    (EITHER, LeafValue(option="proc", actual=Decimal(80))),
    (EITHER, LeafValue(option="inc", count=Decimal(1))),
]


def editor_for(qtbot, raw):
    editor = show(qtbot, leaf_editor(leaf(raw)))
    edits: list[tuple[dict, str]] = []  # the changes sent, and the field edited
    editor.edited.connect(lambda value, field: edits.append((value, field)))
    return editor, edits


@pytest.mark.parametrize(("raw", "value"), SHOWN)
def test_a_value_shown_and_shown_again_is_no_edit(qtbot, qapp, raw, value):
    setup_app(qapp)
    editor, edits = editor_for(qtbot, raw)
    editor.load(value, None)
    editor.load(LeafValue(), None)  # undone to nothing
    editor.load(value, None)
    assert edits == []


def test_ticking_an_item_is_one_edit(qtbot, qapp):
    setup_app(qapp)
    editor, edits = editor_for(qtbot, CHECKLIST)
    editor.load(LeafValue(checked=("b",)), None)
    editor.findChild(QCheckBox, "item.a").click()
    assert edits == [({"checked": ("a", "b")}, "checked")]


def test_choosing_a_level_or_an_option_is_one_edit(qtbot, qapp):
    setup_app(qapp)
    editor, edits = editor_for(qtbot, COEFFICIENT)
    editor.load(LeafValue(coefficient=Decimal(90)), None)
    assert editor.percent.isVisibleTo(editor)
    choose(editor.combo, "优")
    assert edits == [({"level": "优", "coefficient": None}, "level")]  # a level, not both
    assert not editor.percent.isVisibleTo(editor)

    either, either_edits = editor_for(qtbot, EITHER)
    either.load(LeafValue(), None)
    choose(either.combo, "inc")
    assert either_edits == [({"option": "inc"}, "option")]
    assert either.stack.currentWidget() is either.editors["inc"]


def test_a_count_shown_is_no_edit_and_a_count_set_is_one(qtbot, qapp):
    setup_app(qapp)
    spin = show(qtbot, CountSpin())
    counts: list[object] = []
    spin.count_edited.connect(counts.append)
    spin.set_count(Decimal(4))
    spin.set_count(None)
    assert counts == [] and spin.value() == -1
    spin.setFocus()
    press(Qt.Key.Key_Up)
    assert counts == [Decimal(0)]


def test_a_text_shown_is_counted_but_not_an_edit(qtbot, qapp):
    setup_app(qapp)
    text = show(qtbot, CountedText(limit=800))
    edits: list[str] = []
    text.edited.connect(edits.append)
    text.set_text("一二三")
    assert edits == [] and text.count.text() == "3 字 / 上限 800 字"
    text.field.setFocus()
    text.field.moveCursor(QTextCursor.MoveOperation.End)
    type_text("四")
    assert edits == ["一二三四"] and text.count.text() == "4 字 / 上限 800 字"


def test_the_department_page_shows_another_evaluation_without_an_undo_step(qtbot, qapp):
    setup_app(qapp)
    document = Document(evaluation_with(INCIDENTS))
    page = show(qtbot, DepartmentPage(document))
    page.refresh()
    other = evaluation_with(INCIDENTS)
    dept = other.department
    other = replace(other, department=replace(dept, year=2030, functions=("职能一", "职能二"),
                                               divisions="办公室"))
    document.replace(other)
    page.refresh()
    assert page.year.value() == 2030
    assert page.functions.text() == "职能一\n职能二"
    assert document.undo_stack.count() == 0
    assert document.evaluation == other
