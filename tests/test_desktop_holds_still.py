"""The form holds still under the mouse, in a 1366×768 window.

A clerk clicks through every page and, on each, makes a message come or go: a warning
line on the leaf panel (an example-named indicator renamed), the 不适用 reason asked
for, a number refused, a page's problems listed, a text box filled by a paste, the
department's name short and long above the navigation list. Before and after, every
field the clerk could aim at is found on screen (its place in the window): none may
have moved. A text box that grew while pasting scrolls inside and takes its full
height once the clerk leaves it.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from shiboken6 import getCppPointer

from desktop_typing import ime_commit, press, type_text
from desktop_windows import open_window, shown  # noqa: F401 - fixtures
from desktop.common.widgets import TextField
from forms.address import parse

_AIMED_AT = (QLineEdit, QPlainTextEdit, QAbstractSpinBox, QAbstractButton, QComboBox,
             QAbstractItemView)


def settle() -> None:
    """Let the layouts finish (posted events, and the short timers that fit tables)."""
    for _ in range(3):
        QApplication.processEvents()
    QTest.qWait(60)
    QApplication.processEvents()


def places(window, page: QWidget, skip: tuple[QWidget, ...] = ()) -> dict[str, tuple[int, int]]:
    """Where each field, button and table the clerk could aim at on ``page`` is drawn."""
    settle()
    found: dict[str, tuple[int, int]] = {}
    for widget in page.findChildren(QWidget):
        if not isinstance(widget, _AIMED_AT) or not widget.isVisible():
            continue
        if any(w is widget or w.isAncestorOf(widget) for w in skip):
            continue
        if isinstance(widget.parentWidget(), QAbstractItemView) or \
                type(widget).__name__ == "QScrollBar":
            continue
        point = widget.mapTo(window, QPoint(0, 0))
        name = widget.objectName() or type(widget).__name__
        found[f"{name}@{getCppPointer(widget)[0]:x}"] = (point.x(), point.y())
    assert len(found) >= 3, "the page shows no fields to check"
    return found


def moved(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> dict:
    """The widgets not where they were; one rebuilt (a leaf's editor after its indicator is
    renamed) is found by its name."""
    gone = {}
    for key, place in before.items():
        if key not in after:
            name = key.split("@")[0]
            rebuilt = [k for k in after if k.split("@")[0] == name and k not in before]
            key_after = rebuilt[0] if len(rebuilt) == 1 else key
        else:
            key_after = key
        if after.get(key_after) != place:
            gone[key] = (place, after.get(key_after))
    return gone


def go_to(window, qtbot, title: str):
    row = next(i for i, p in enumerate(window.pages) if p.title == title)
    rect = window.navigation.list.visualItemRect(window.navigation.list.item(row))
    qtbot.mouseClick(window.navigation.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.navigation.stack.currentWidget() is window.pages[row]
    settle()
    return window.pages[row]


def click(qtbot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())
    settle()


def paste(widget: QWidget, text: str) -> None:
    QApplication.clipboard().setText(text)
    widget.setFocus()
    press(Qt.Key.Key_V, "", Qt.KeyboardModifier.ControlModifier, widget=widget)
    settle()


LONG_TEXT = "\n".join(f"第{i}条：年度重点工作按计划推进，资金使用规范，绩效目标基本完成。"
                      for i in range(1, 13))


@pytest.mark.slow  # about ten seconds: every page, and waits for the layouts to settle
def test_every_page_holds_still_while_its_messages_come_and_go(open_window, qtbot):
    window = open_window(size=(1366, 768))
    document = window.document
    assert [p.title for p in window.pages] == ["单位基本情况", "收支情况", "绩效目标", "重点工作任务",
                                               "项目支出", "绩效指标评分", "分析与结论"]

    # ---- 单位基本情况: the name cleared (a problem listed) and a pasted list of functions
    page = go_to(window, qtbot, "单位基本情况")
    name = page.fields[parse("department.name")]
    click(qtbot, name)
    before = places(window, page)
    nav_before = window.navigation.list.mapTo(window, QPoint(0, 0))
    name.selectAll()
    press(Qt.Key.Key_Backspace)
    assert document.evaluation.department.name == ""
    assert page.problems.isVisible() and "单位名称未填写" in page.problems.text()
    assert moved(before, places(window, page)) == {}
    ime_commit("某某区财政局")
    assert not page.problems.isVisible()
    assert moved(before, places(window, page)) == {}

    # the title above the navigation list: one line or two, the list stays
    for length in (1, 4, 9, 14, 20, 30, 60):
        name.selectAll()
        ime_commit("某" * length)
        settle()
        assert window.navigation.list.mapTo(window, QPoint(0, 0)) == nav_before, length
        assert moved(before, places(window, page)) == {}, length
        assert "某" * length in window.navigation.title_label.toolTip()  # whole, however long

    functions = page.functions.field
    paste_box(window, qtbot, page, functions, page.divisions.field)

    # ---- 收支情况: a figure that breaks the sums, then a number refused
    page = go_to(window, qtbot, "收支情况")
    carryover = page.carryover
    click(qtbot, carryover)
    before = places(window, page)
    table = page.table
    assert table.focus_cell(0, "executed")
    qtbot.keyClick(table, Qt.Key.Key_1)
    editor = QApplication.focusWidget()
    editor.selectAll()
    type_text("1153.25")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    settle()
    assert page.problems.isVisible() and page.problems.text()
    assert moved(before, places(window, page)) == {}
    click(qtbot, carryover)
    carryover.selectAll()
    type_text("一百")  # not a number: refused, in words and on the field
    carryover.clearFocus()
    settle()
    assert document.evaluation.refused
    assert moved(before, places(window, page)) == {}

    # ---- the pages of goals, tasks, projects and words: a long paste into each text box
    for title in ("绩效目标", "重点工作任务", "项目支出", "分析与结论"):
        page = go_to(window, qtbot, title)
        boxes = [w for w in page.findChildren(TextField) if w.isVisible() and w.isEnabled()]
        assert boxes, title
        boxes.sort(key=lambda w: w.mapTo(window, QPoint(0, 0)).y())
        paste_box(window, qtbot, page, boxes[0], boxes[1] if len(boxes) > 1 else None)

    # ---- 绩效指标评分: 不适用 asks for a reason; an example name renamed
    page = go_to(window, qtbot, "绩效指标评分")
    panel = page.panel
    page.focus_leaf("procurement")
    settle()
    before = places(window, page)
    click(qtbot, panel.not_applicable)
    assert document.evaluation.value("procurement").not_applicable
    assert panel.problems.isVisible()  # 不适用的原因 is asked for
    assert moved(before, places(window, page)) == {}
    ime_commit("本年度无政府采购事项")
    assert document.evaluation.value("procurement").reason == "本年度无政府采购事项"
    assert moved(before, places(window, page)) == {}

    # a text box of the panel grows on a paste: the evidence list below stays
    page.focus_leaf("output_growth")
    settle()
    paste_box(window, qtbot, page, panel.deviation.field, panel.evidence.files)

    # a leaf of the department's own block, named after the example, then renamed
    page.focus(parse("system.indicators[0].children[0]"))
    settle()
    click(qtbot, panel.add_button)
    assert QApplication.focusWidget() is panel.c_name
    ime_commit("示例：新增企业数")
    panel.c_name.clearFocus()
    settle()
    assert "示例名称" in panel.problems.text()
    panel.c_name.setFocus()
    settle()
    before = places(window, page)
    panel.c_name.selectAll()
    ime_commit("园区新增企业数")
    panel.c_weight.setFocus()
    settle()
    assert "示例名称" not in panel.problems.text()
    assert moved(before, places(window, page)) == {}
    assert "园区新增企业数" in panel.title.line()

    # its criteria, unit, target and weight typed: the form being typed in stays put
    for field, text in ((panel.c_criteria, "每新增1家得1分，" * 12), (panel.c_unit, "家"),
                        (panel.c_target, "120"), (panel.c_weight, "2")):
        if not (field.isVisibleTo(panel) and field.isEnabled()):
            continue  # (a target only for rules that compare with one)
        field.setFocus()
        settle()
        assert QApplication.focusWidget() is field
        before = places(window, page)
        field.selectAll()
        ime_commit(text) if not text.isdigit() else type_text(text)
        settle()
        assert moved(before, places(window, page)) == {}, field.objectName()
    leaf = document.evaluation.system.leaf("custom_1")
    assert leaf.unit == "家" and leaf.weight == 2 and leaf.criteria.startswith("每新增")


def paste_box(window, qtbot, page, box: TextField, below: QWidget | None) -> None:
    """A long paste: the box keeps its height while the clerk is in it (it scrolls
    inside) and nothing on the page moves, ``below`` (the next field) included; once
    the clerk leaves it, it shows more lines."""
    box.setFocus()
    settle()
    height = box.height()
    before = places(window, page)
    next_at = below.mapTo(window, QPoint(0, 0)) if below is not None else None
    paste(box, LONG_TEXT)
    assert LONG_TEXT in box.toPlainText()
    assert box.height() == height
    assert moved(before, places(window, page)) == {}
    if below is not None:
        assert below.mapTo(window, QPoint(0, 0)) == next_at
    press(Qt.Key.Key_Tab, widget=box)  # editing ends: the box takes the room it needs
    settle()
    assert box.height() > height


@pytest.mark.slow  # every leaf of the sample, a few seconds
def test_every_leaf_holds_still_when_marked_not_applicable_and_back(open_window, qtbot):
    """Whatever the rule's editor, ticking 不适用 (a reason asked for), giving the reason and
    unticking it move no field of the leaf panel."""
    window = open_window(size=(1366, 768))
    document = window.document
    page = go_to(window, qtbot, "绩效指标评分")
    panel = page.panel
    leaves = [leaf.id for leaf in document.evaluation.system.leaves()]
    assert len(leaves) >= 10
    for leaf_id in leaves:
        assert page.focus_leaf(leaf_id)
        settle()
        before = places(window, page)
        click(qtbot, panel.not_applicable)
        assert document.evaluation.value(leaf_id).not_applicable, leaf_id
        assert moved(before, places(window, page)) == {}, leaf_id
        ime_commit("本年度无此事项")
        assert moved(before, places(window, page)) == {}, leaf_id
        click(qtbot, panel.not_applicable)
        assert not document.evaluation.value(leaf_id).not_applicable, leaf_id
        assert moved(before, places(window, page)) == {}, leaf_id
