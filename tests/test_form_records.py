"""A field written by its key goes only into a field of its kind; the pages' steps name their
fields by address, and undo goes back to the field that changed (佐证材料 of 收支情况 too)."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from desktop_typing import enter, no_qt_warnings, setup_app, show, type_text  # noqa: F401
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication

from desktop.form.document import Document
from desktop.form.pages.budget import BudgetPage
from desktop.form.records import with_cell, with_cells
from forms.address import RowCell, parse
from forms.model import BudgetRow, Department, Goals, Project, Task
from fuzz_budget import cases

RECORDS = (Task(), Project(), BudgetRow(), Goals(), Department())
TEXT_FIELDS = [(r, f.name) for r in RECORDS for f in dataclasses.fields(r)
               if isinstance(getattr(r, f.name), str)]
AMOUNT_FIELDS = [(r, f.name) for r in RECORDS for f in dataclasses.fields(r)
                 if f.type in ("Decimal | None",)]
OTHER_FIELDS = [(r, f.name) for r in RECORDS for f in dataclasses.fields(r)
                if (r, f.name) not in TEXT_FIELDS + AMOUNT_FIELDS]


def test_every_field_is_of_one_kind_or_another():
    # the sweep below covers the table and page fields: texts and amounts
    assert {name for _, name in AMOUNT_FIELDS} == {"budget", "executed", "initial", "adjusted"}
    assert {name for _, name in OTHER_FIELDS} == {"extra", "year", "functions"}


@settings(max_examples=cases(200), deadline=None)
@given(st.sampled_from(TEXT_FIELDS), st.text(max_size=20),
       st.decimals(allow_nan=False, allow_infinity=False, places=2) | st.none())
def test_text_goes_into_text_fields_and_amounts_into_amount_fields(field, text, amount):
    record, key = field
    assert getattr(with_cell(record, key, text), key) == text
    with pytest.raises(KeyError):
        with_cell(record, key, amount)


@settings(max_examples=cases(200), deadline=None)
@given(st.sampled_from(AMOUNT_FIELDS),
       st.decimals(allow_nan=False, allow_infinity=False, places=2) | st.none(),
       st.text(max_size=20))
def test_an_amount_field_takes_an_amount_or_nothing_but_no_text(field, amount, text):
    record, key = field
    assert getattr(with_cell(record, key, amount), key) == amount
    with pytest.raises(KeyError):
        with_cell(record, key, text)


@pytest.mark.parametrize("record, key", OTHER_FIELDS + [(Task(), "rate"), (Goals(), "nothing")])
def test_a_key_that_is_no_text_or_amount_field_is_refused(record, key):
    for value in ("x", Decimal("1"), None):
        with pytest.raises(KeyError):
            with_cell(record, key, value)


def test_several_cells_of_a_row_at_once():
    project = with_cells(Project(), {"name": "招商", "budget": Decimal("12.50"), "executed": None})
    assert project == Project(name="招商", budget=Decimal("12.50"))


# ---------------------------------------------------------------- steps and undo, in the window

def _files(tmp_path, *names):
    out = []
    for name in names:
        path = tmp_path / name
        path.write_bytes(name.encode("utf-8") * 10)
        out.append(str(path))
    return out


def test_undo_of_a_file_added_to_the_budget_goes_back_to_the_file_list(qtbot, qapp, sample,
                                                                        tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_HOME", str(tmp_path / "home"))
    setup_app(qapp)
    document = Document(sample)
    page = show(qtbot, BudgetPage(document))
    owner = "budget"
    box = page.evidence
    monkeypatch.setattr(box, "ask_paths", lambda: _files(tmp_path, "决算报表.pdf"))
    qtbot.mouseClick(box.add_button, Qt.MouseButton.LeftButton)
    assert [r.name for r in document.evaluation.evidence[owner]] == ["决算报表.pdf"]
    steps = []
    document.stepped.connect(lambda undone, text, path: steps.append(path))
    document.undo_stack.undo()
    assert owner not in document.evaluation.evidence
    assert steps == [f"{owner}.evidence"]
    # the window shows the field of the step it undid (window_navigation._on_stepped)
    page.table.setFocus()
    assert page.focus(parse(steps[0]))
    QApplication.processEvents()
    assert QApplication.focusWidget() is box.files


def test_a_task_typed_in_its_cell_and_its_box_below_is_one_step(qtbot, qapp, sample):
    """The cell and the box below show the same field: typing on in the box continues the
    step the cell began, as further typing in one field does."""
    from desktop.form.pages.rows import TasksPage

    setup_app(qapp)
    document = Document(sample)
    page = show(qtbot, TasksPage(document))
    steps = document.undo_stack.count()
    page.table.focus_cell(0, "target")
    type_text("a")  # typing on a selected cell replaces its content
    enter()
    page.table.focus_cell(0, "target")
    box = page.details["target"].field
    qtbot.mouseClick(box.viewport(), Qt.MouseButton.LeftButton)
    box.moveCursor(QTextCursor.MoveOperation.End)
    type_text("b")
    assert document.evaluation.tasks[0].target == "ab"
    assert document.undo_stack.count() == steps + 1
    assert document.undo_stack.command(steps).path == str(RowCell("tasks", 0, "target"))
    document.undo_stack.undo()
    assert document.evaluation.tasks[0].target == sample.tasks[0].target


@pytest.mark.parametrize("path, words", [("budget.evidence", "收支情况 › 佐证材料"),
                                         ("goals.evidence", "绩效目标 › 佐证材料")])
def test_a_step_on_a_sections_files_is_named_in_chinese(sample, path, words):
    """What the status bar says after undoing a file added on 收支情况 or 绩效目标."""
    from forms.field_names import field_name

    assert field_name(sample, path) == words
    assert field_name(sample, parse(path)) == words


def test_a_refused_amount_corrected_in_place_is_one_step(qtbot, qapp, sample):
    """年末结转和结余 left empty, "a" typed (refused), rubbed out, 57.66 typed: one field, one
    step, and one 撤销 leaves the field as it was."""
    from dataclasses import replace

    setup_app(qapp)
    document = Document(replace(sample, budget=replace(sample.budget, carryover=None)))
    page = show(qtbot, BudgetPage(document))
    steps = document.undo_stack.count()
    field = page.carryover
    field.setFocus()
    type_text("a")
    assert document.evaluation.refused == {"budget.carryover": "a"}
    qtbot.keyClick(field, Qt.Key.Key_Backspace)
    type_text("57.66")
    assert document.evaluation.budget.carryover == Decimal("57.66")
    assert not document.evaluation.refused
    assert document.undo_stack.count() == steps + 1
    document.undo_stack.undo()
    assert document.evaluation.budget.carryover is None and not document.evaluation.refused
