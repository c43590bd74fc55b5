"""Text still in an editor that writes into the document only when it closes (a table
cell, the indicator tree's inline editor) is saved within a second, as typed text is in
every other field; the editor stays open under the clerk's hands."""

from __future__ import annotations

from decimal import Decimal

from desktop_typing import type_text
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop.form.indicator_tree import COL_DEVIATION
from desktop_windows import open_window, show_page, shown  # noqa: F401 - fixtures
from tree_rows import leaf_row, set_current


def test_a_cell_being_typed_is_saved_within_a_second_with_no_other_edit(open_window, qtbot):
    window = open_window()
    evaluation_id = window.document.evaluation_id
    page = show_page(window, "budget")
    page.table.setFocus()
    page.table.setCurrentIndex(page.table.model().index(0, 0))
    QApplication.processEvents()
    type_text("1234")  # the first key opens the editor; nothing else is edited
    qtbot.wait(1300)
    assert page.table.state() == page.table.State.EditingState  # still typing
    assert window.library.get(evaluation_id).budget.total.initial == Decimal("1234")


def test_a_tree_inline_editor_being_typed_is_saved_within_a_second(open_window, qtbot):
    window = open_window()
    evaluation_id = window.document.evaluation_id
    page = show_page(window, "values")
    page.tree.setFocus()
    set_current(page, leaf_row(page, "fdi"), COL_DEVIATION)
    type_text("delay")
    assert isinstance(QApplication.focusWidget(), QLineEdit)
    qtbot.wait(1300)
    assert isinstance(QApplication.focusWidget(), QLineEdit)
    assert window.library.get(evaluation_id).value("fdi").deviation == "delay"
