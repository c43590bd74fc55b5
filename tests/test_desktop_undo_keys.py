"""Ctrl+Z / Ctrl+Y in any widget of the main window undo the evaluation, once per key press."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from desktop_windows import open_window, shown  # noqa: F401 - fixtures

from desktop.form.pages import DepartmentPage, IndicatorsPage
from desktop.common.undo_route import route_undo_keys, undoing

CTRL = Qt.KeyboardModifier.ControlModifier


def page_of(window, kind):
    [page] = [p for p in window.pages if isinstance(p, kind)]
    window.show_section(window.pages.index(page))
    QApplication.processEvents()
    return page


def test_ctrl_z_on_a_check_box_undoes_the_evaluation(open_window, qtbot):
    window = open_window()
    page = page_of(window, IndicatorsPage)
    assert page.focus_leaf("procurement")
    box = page.panel.not_applicable
    was = window.document.evaluation.value("procurement").not_applicable
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert window.document.evaluation.value("procurement").not_applicable is not was
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Z, CTRL)
    assert window.document.evaluation.value("procurement").not_applicable is was
    assert box.isChecked() is was
    qtbot.keyClick(box, Qt.Key.Key_Y, CTRL)
    assert window.document.evaluation.value("procurement").not_applicable is not was


def test_ctrl_z_in_a_text_field_undoes_the_last_edit_wherever_it_was(open_window, qtbot):
    window = open_window()
    page = page_of(window, DepartmentPage)
    phone, preparer = page.lines["phone"], page.lines["preparer"]
    phone.setFocus()
    qtbot.keyClicks(phone, "020-1")
    preparer.setFocus()
    qtbot.keyClicks(preparer, "Li")
    steps = window.document.undo_stack.count()
    # the focus is back in the phone field, but the last edit was the preparer's
    phone.setFocus()
    qtbot.keyClick(phone, Qt.Key.Key_Z, CTRL)
    dept = window.document.evaluation.department
    assert dept.preparer == "" and dept.phone.endswith("020-1")  # one step, not two
    assert window.document.undo_stack.index() == steps - 1
    assert phone.text().endswith("020-1")  # the field's own history was not used
    assert preparer.text() == ""


def test_a_window_without_a_target_keeps_qt_behaviour(qtbot, qapp):
    from PySide6.QtWidgets import QLineEdit

    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    field.setFocus()
    qtbot.keyClicks(field, "abc")
    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)
    assert field.text() == ""  # the line edit's own undo: nothing routed it elsewhere
    assert not undoing()


def test_routing_a_window_again_replaces_its_target(qtbot, qapp):
    from PySide6.QtGui import QUndoCommand, QUndoStack
    from PySide6.QtWidgets import QLineEdit

    field = QLineEdit()
    qtbot.addWidget(field)
    first, second = QUndoStack(), QUndoStack()
    for stack in (first, second):
        stack.push(QUndoCommand("x"))
    route_undo_keys(field, first)
    route_undo_keys(field, second)
    field.show()
    field.activateWindow()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    qtbot.keyClick(field, Qt.Key.Key_Z, CTRL)
    assert (first.index(), second.index()) == (1, 0)
