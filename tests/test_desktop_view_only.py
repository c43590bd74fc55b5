"""A submission opened from the review (打开所选（只读）) looks read-only in the main window:
a banner says 只读 and why, every field can be read but not changed on every page (a
leaf's editor built later included), and what writes, exports or prints is off, in the
menus and on the keyboard. Opening an evaluation of the library makes all of it editable
again."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QWidget,
)

from desktop_typing import press, type_text
from desktop_windows import menu_titled, open_window, shown  # noqa: F401 - fixtures
from desktop.shell.review_window import open_in_main_window
from forms.address import parse


def menu_item(window, menu_title: str, text: str):
    # not through QAction.menu(): on PySide6 6.8/6.9 that menu dies with its wrapper
    for item in menu_titled(window, menu_title).actions():
        if item.text() == text:
            return item
    raise LookupError(text)


def changeable(page: QWidget) -> list[str]:
    """The visible widgets of ``page`` that would take a change from the clerk."""
    found = []
    for widget in page.findChildren(QWidget):
        if not widget.isVisible() or isinstance(widget, QScrollBar):
            continue
        if widget.objectName() == "only_open":  # a filter of the rows shown, not an edit
            continue
        if isinstance(widget, (QLineEdit, QPlainTextEdit, QAbstractSpinBox)):
            if not widget.isReadOnly():
                found.append(f"{type(widget).__name__} {widget.objectName()}")
        elif isinstance(widget, QAbstractItemView):
            if widget.editTriggers() != QAbstractItemView.EditTrigger.NoEditTriggers:
                found.append(f"{type(widget).__name__} {widget.objectName()}")
        elif isinstance(widget, (QAbstractButton, QComboBox)) and widget.isEnabled():
            found.append(f"{type(widget).__name__} {widget.objectName()} {getattr(widget, 'text', str)()}")
    return found


def go_to(window, qtbot, row: int):
    rect = window.navigation.list.visualItemRect(window.navigation.list.item(row))
    qtbot.mouseClick(window.navigation.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QApplication.processEvents()
    return window.navigation.stack.currentWidget()


WRITING = ("导出Excel…", "导出PDF…", "导出Word…", "打印…", "生成报送包…", "立即保存",
           "导入Excel…", "填写财政局模板…")


def actions(window) -> dict[str, bool]:
    return {a.text(): a.isEnabled() for a in window.findChildren(type(window.commands.save))
            if a.text() in WRITING}


def test_a_submission_under_review_looks_and_is_read_only(open_window, qtbot, monkeypatch):
    window = open_window()
    library_id = window.document.evaluation_id
    own = window.document.evaluation
    assert not window.save_status.view_only_banner.isVisible()
    assert all(actions(window).values())

    submitted = replace(own, department=replace(own.department, name="白云区投资促进局"))
    row = SimpleNamespace(evaluation=submitted, flags=(),
                          submission=SimpleNamespace(path="/审核/白云/投资促进局.xlsx"))
    open_in_main_window(window, row)
    QApplication.processEvents()

    banner = window.save_status.view_only_banner
    assert banner.isVisible()
    assert banner.text().startswith("只读")
    assert "投资促进局.xlsx" in banner.text() and "审核" in banner.text()
    assert banner.mapTo(window, QPoint(0, 0)).y() < window.navigation.stack.mapTo(window, QPoint(0, 0)).y() + 5
    assert "（只读）" in window.windowTitle()
    states = actions(window)
    assert set(states) == set(WRITING) and not any(states.values()), states
    assert not menu_item(window, "文件", "生成报送包…").isEnabled()

    # Ctrl+P and Ctrl+S do nothing
    printed = []
    monkeypatch.setattr(window.exports, "print_report", lambda *a: printed.append(a))
    qtbot.keyClick(window.navigation.list, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert printed == []  # (the same keys print once the evaluation is editable: below)

    # every page: fields read-only (and grey), tables not editable, boxes and buttons off
    for index in range(window.navigation.list.count()):
        page = go_to(window, qtbot, index)
        assert changeable(page) == [], window.navigation.list.item(index).text()

    # typing into the name changes nothing and saves nothing
    page = go_to(window, qtbot, 0)
    name = page.fields[parse("department.name")]
    qtbot.mouseClick(name, Qt.MouseButton.LeftButton, pos=name.rect().center())
    type_text("改")
    press(Qt.Key.Key_Backspace, widget=name)
    assert name.text() == "白云区投资促进局"
    assert window.document.evaluation == submitted
    assert window.library.get(library_id) == own

    # another indicator chosen in the tree: its editor, built now, is read-only too
    indicators = next(i for i, p in enumerate(window.pages) if p.title == "绩效指标评分")
    page = go_to(window, qtbot, indicators)
    tree = page.tree
    tree.setFocus()
    first = page.panel.editor
    for _ in range(6):
        press(Qt.Key.Key_Down, widget=tree)
        QApplication.processEvents()
        assert changeable(page) == []
    assert page.panel.editor is not first  # the rows moved through built new editors
    # the reviewer may still narrow the tree to what needs work
    assert page.only_open.isEnabled()
    qtbot.mouseClick(page.only_open, Qt.MouseButton.LeftButton, pos=page.only_open.rect().center())
    assert page.only_open.isChecked()
    # and the fields are grey, not white
    name_field = window.pages[0].fields[parse("department.name")]
    image = name_field.grab().toImage()  # right of the text, inside the frame
    assert image.pixelColor(name_field.width() - 12, name_field.height() // 2).name() == "#f3f4f6"

    # back to an evaluation of the library: editable again, exports on, no banner
    assert window.opening.open_evaluation(library_id)
    QApplication.processEvents()
    assert not window.save_status.view_only_banner.isVisible()
    assert "只读" not in window.windowTitle()
    assert all(actions(window).values())
    page = go_to(window, qtbot, 0)
    assert not page.fields[parse("department.name")].isReadOnly()
    assert changeable(page) != []
    qtbot.keyClick(window.navigation.list, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert len(printed) == 1
