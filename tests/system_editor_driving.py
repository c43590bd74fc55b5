"""Driving the indicator-system editor like a clerk: fixtures and typing helpers shared by
its GUI tests."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QTableWidget, QWidget

from desktop.common import messages
from desktop_typing import choose
from desktop.system_editor.window import SystemEditor


D = Decimal


@pytest.fixture(autouse=True)
def _qt(qapp, monkeypatch):
    from desktop.common.qt_setup import setup_application

    setup_application(qapp)
    answers: list[str] = []
    monkeypatch.setattr(messages.Messages, "show",
                        staticmethod(lambda parent, kind, title, text, details="":
                                     answers.append(text)))
    monkeypatch.setattr(messages.Messages, "ask",
                        staticmethod(lambda parent, title, text, choices, kind="", default=0: 0))
    return answers


@pytest.fixture
def editor(qtbot):
    ed = SystemEditor()
    qtbot.addWidget(ed)
    ed.show()
    ed.undo_stack.setClean()
    return ed


def send_text(widget: QWidget, text: str) -> None:
    """Type text as a pinyin IME delivers it: one key event per character (never keyClicks)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                     Qt.KeyboardModifier.NoModifier, ch))


def retype(qtbot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    send_text(widget, text)


def type_cell(qtbot, table: QTableWidget, row: int, col: int, text: str) -> None:
    """Open the cell's editor as a double-click does, type, press Enter."""
    while table.rowCount() <= row:
        qtbot.mouseClick(table.parentWidget().findChild(QWidget, "add_row"),
                         Qt.MouseButton.LeftButton)
    table.setCurrentCell(row, col)
    table.editItem(table.item(row, col))
    editors = [e for e in table.findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, "no cell editor opened"
    editor = editors[0]
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    send_text(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits the cell through a queued call
    assert table.item(row, col).text() == text


def click(qtbot, ed: SystemEditor, name: str) -> None:
    qtbot.mouseClick(ed.indicators.buttons[name], Qt.MouseButton.LeftButton)


def node(qtbot, ed, name: str, weight: str) -> None:
    retype(qtbot, ed.detail.f_name, name)
    retype(qtbot, ed.detail.f_weight, weight)


HAND_WRITTEN = {
    "name": "某区2024年部门整体支出绩效评价指标体系",
    "jurisdiction": "某区",
    "year": 2024,
    "indicators": [
        {"name": "管理效率", "weight": 40, "children": [
            {"name": "预算执行", "weight": 40, "children": [
                {"id": "ind01", "name": "预算执行率", "weight": 20, "unit": "%", "target": 100,
                 "source": "budget.execution_rate", "explain_below": 90,
                 "criteria": "预算执行率×分值，满分为止", "rule": {"type": "ratio"}},
                {"id": "ind02", "name": "制度建设", "weight": 20, "rule": {
                    "type": "checklist", "items": [
                        {"id": "i1", "label": "制定预算管理制度", "points": 12},
                        {"id": "i2", "label": "制度有效执行", "points": 8}]}},
            ]}]},
        {"name": "履职效能", "weight": 60, "children": [
            {"name": "产出", "weight": 60, "children": [
                {"id": "ind03", "name": "预算完成率", "weight": 30, "rule": {
                    "type": "deduct", "standard": 100, "direction": "min", "step": 5,
                    "points": 2, "count": "whole"}},
                {"id": "ind04", "name": "重点支出安排率", "weight": 30, "rule": {
                    "type": "bands", "bands": [{"min": 90, "score": 30}, {"min": 80, "score": 24},
                                               {"min": 70, "score": 18}]}},
            ]}]},
    ],
}


def build_through_editor(qtbot, ed: SystemEditor) -> None:
    retype(qtbot, ed.heading.sys_name, HAND_WRITTEN["name"])
    retype(qtbot, ed.heading.sys_jurisdiction, "某区")
    retype(qtbot, ed.heading.sys_year, "2024")
    click(qtbot, ed, "add_top")
    node(qtbot, ed, "管理效率", "40")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "预算执行", "40")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "预算执行率", "20")
    retype(qtbot, ed.detail.f_target, "100")
    retype(qtbot, ed.detail.f_unit, "%")
    retype(qtbot, ed.detail.f_explain, "90")
    ed.detail.f_criteria.setFocus()
    send_text(ed.detail.f_criteria, "预算执行率×分值，满分为止")
    choose(ed.detail.f_source, "budget.execution_rate")
    choose(ed.detail.f_rule, "ratio")
    click(qtbot, ed, "add_sibling")
    node(qtbot, ed, "制度建设", "20")
    choose(ed.detail.f_rule, "checklist")
    items = ed.detail.rule_editor.items
    type_cell(qtbot, items, 0, 0, "制定预算管理制度")
    type_cell(qtbot, items, 0, 1, "12")
    type_cell(qtbot, items, 1, 0, "制度有效执行")
    type_cell(qtbot, items, 1, 1, "8")
    ed.indicators.tree.setCurrentItem(ed.indicators.item_at((0,)))
    click(qtbot, ed, "add_sibling")
    node(qtbot, ed, "履职效能", "60")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "产出", "60")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "预算完成率", "30")
    choose(ed.detail.f_rule, "deduct")
    retype(qtbot, ed.detail.rule_editor.deduct_standard, "100")
    choose(ed.detail.rule_editor.deduct_direction, "min")
    retype(qtbot, ed.detail.rule_editor.deduct_step, "5")
    retype(qtbot, ed.detail.rule_editor.deduct_points, "2")
    choose(ed.detail.rule_editor.deduct_count, "whole")
    click(qtbot, ed, "add_sibling")
    node(qtbot, ed, "重点支出安排率", "30")
    choose(ed.detail.f_rule, "bands")
    bands = ed.detail.rule_editor.bands
    for r, (low, pts) in enumerate((("90", "30"), ("80", "24"), ("70", "18"))):
        type_cell(qtbot, bands, r, 0, low)
        type_cell(qtbot, bands, r, 2, pts)

def _preview(qtbot, ed, text):
    retype(qtbot, ed.detail.preview.actual, text)
    return ed.detail.preview.result.text()


def recognise_click(qtbot, ed: SystemEditor) -> None:
    """Click 按评分标准识别 and wait for the worker's answer (it runs off the window's thread)."""
    qtbot.mouseClick(ed.detail.suggestion.button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not ed.detail.suggestion.recognition.running, timeout=5000)
