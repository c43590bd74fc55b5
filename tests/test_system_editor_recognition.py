"""按评分标准识别 runs off the window's thread: the window answers while it runs, and a cancel
(or moving to another indicator) drops its result without touching the rule."""

from __future__ import annotations

import threading
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from forms.rules import recognise
from system_editor_driving import _qt, click, editor, node, recognise_click  # noqa: F401 - fixtures


def _leaf(qtbot, ed, criteria: str) -> None:
    click(qtbot, ed, "add_top")
    node(qtbot, ed, "产出", "100")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "数量", "100")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "完成率", "10")
    ed.detail.f_criteria.setPlainText(criteria)


def _slow(gate: threading.Event):
    def slow(criteria, weight, target):
        gate.wait(5)
        return recognise(criteria, weight, target)
    return slow


def test_a_slow_recognition_leaves_the_window_answering_and_can_be_cancelled(qtbot, editor):
    ed = editor
    _leaf(qtbot, ed, "≥90%得10分，80%(含)-90%得6分，其他不得分。")
    gate = threading.Event()
    ed.detail.suggestion.recognition._recogniser = _slow(gate)
    started = time.perf_counter()
    qtbot.mouseClick(ed.detail.suggestion.button, Qt.MouseButton.LeftButton)
    assert time.perf_counter() - started < 0.5  # the click returned: the window's thread is free
    assert ed.detail.suggestion.recognition.running and ed.detail.suggestion.button.text() == "取消识别"
    assert "正在识别" in ed.detail.suggestion.note.text()
    QApplication.processEvents()
    qtbot.mouseClick(ed.detail.suggestion.button, Qt.MouseButton.LeftButton)  # 取消识别
    assert not ed.detail.suggestion.recognition.running and ed.detail.suggestion.button.text() == "按评分标准识别"
    assert "已取消识别" in ed.detail.suggestion.note.text()
    gate.set()
    qtbot.wait(200)  # the worker's late answer arrives and is dropped
    assert ed.detail.f_rule.currentData() == "manual"
    assert ed.draft.rule((0, 0, 0)) in ({"type": "manual"}, None, {})


def test_the_answer_applies_when_it_arrives(qtbot, editor):
    ed = editor
    _leaf(qtbot, ed, "≥90%得10分，80%(含)-90%得6分，其他不得分。")
    recognise_click(qtbot, ed)
    assert ed.detail.f_rule.currentData() == "bands"
    assert "识别为分档计分" in ed.detail.suggestion.note.text()


def test_an_unread_text_says_why(qtbot, editor):
    ed = editor
    _leaf(qtbot, ed, "1e300%以上得10分，其他得5分。")
    recognise_click(qtbot, ed)
    assert "科学计数法" in ed.detail.suggestion.note.text() and ed.detail.f_rule.currentData() == "manual"
    ed.detail.f_criteria.setPlainText("9" * 20_000 + "得5分；得3分")
    started = time.perf_counter()
    recognise_click(qtbot, ed)
    assert time.perf_counter() - started < 1
    assert "超过 1000 字" in ed.detail.suggestion.note.text()


def test_import_says_how_many_rules_were_read_and_how_many_stay_direct(qtbot, editor, monkeypatch,
                                                                        _qt):
    from PySide6.QtWidgets import QDialog

    from desktop.system_editor.table_import import MappingDialog

    monkeypatch.setattr(MappingDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    QApplication.clipboard().setText(
        "一级指标\t二级指标\t三级指标\t分值\t评分标准\n"
        "部门决策\t目标设定\t相关性\t40\t\"①与职责相符，得20分；②与规划相符，得20分。\"\n"
        "部门产出\t产出\t完成率\t30\t1e300%以上得30分，其他得10分\n"
        "部门产出\t产出\t满意度\t30\t根据调查情况酌情评分\n")
    editor.action_for["paste"].trigger()
    summary = _qt[-1]
    assert "其中 1 个已按评分标准识别出评分规则，标为“请核对”" in summary
    assert "2 个的评分标准未能识别，暂为“直接评分”" in summary
    assert "各三级指标暂为" not in summary  # no longer said of rules that were read
