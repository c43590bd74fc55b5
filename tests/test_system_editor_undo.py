"""Undo in the indicator-system editor, driven as a clerk drives it: typing in the fields
and pressing Ctrl+Z / Ctrl+Shift+Z in whichever widget has the keyboard."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop.common import messages
from desktop.system_editor.window import SystemEditor, open_system_editor

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture(autouse=True)
def _qt(qapp, monkeypatch):
    from desktop.common.qt_setup import setup_application

    setup_application(qapp)
    asked: list[str] = []
    monkeypatch.setattr(messages.Messages, "show",
                        staticmethod(lambda parent, kind, title, text, details="": None))

    def ask(parent, title, text, choices, kind="", default=0):
        asked.append(text)
        return 0  # 保存 / 删除: the first choice

    monkeypatch.setattr(messages.Messages, "ask", staticmethod(ask))
    return asked


@pytest.fixture
def ed(qtbot):
    editor = SystemEditor()
    qtbot.addWidget(editor)
    editor.show()
    editor.activateWindow()
    return editor


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_in(qtbot, field: QWidget, text: str) -> None:
    field.setFocus()
    assert focused() is field
    qtbot.keyClicks(field, text)


def ctrl_z(qtbot) -> None:
    qtbot.keyClick(focused(), Qt.Key.Key_Z, CTRL)


def ctrl_shift_z(qtbot) -> None:
    qtbot.keyClick(focused(), Qt.Key.Key_Z, CTRL | SHIFT)


def click(qtbot, ed: SystemEditor, name: str) -> None:
    qtbot.mouseClick(ed.indicators.buttons[name], Qt.MouseButton.LeftButton)


def names(ed: SystemEditor) -> list[str]:
    return [ed.draft.node(p)["name"] for p in ed.draft.walk()]


def weights(ed: SystemEditor) -> list[object]:
    return [ed.draft.node(p).get("weight") for p in ed.draft.walk()]


def test_a_typed_word_is_one_step_that_ctrl_z_takes_back(qtbot, ed):
    assert not ed.action_for["undo"].isEnabled() and not ed.action_for["redo"].isEnabled()
    click(qtbot, ed, "add_top")
    type_in(qtbot, ed.detail.f_name, "Plan")
    assert names(ed) == ["Plan"] and ed.indicators.item_at((0,)).text(0) == "Plan"
    assert ed.undo_stack.count() == 2  # the node added, the word typed
    assert ed.action_for["undo"].isEnabled() and ed.action_for["undo"].text() == "撤销"
    assert ed.action_for["undo"].toolTip() == "撤销：修改名称"

    ctrl_z(qtbot)  # in the name field: the draft's step, not the line edit's own history
    assert names(ed) == [""] and ed.detail.f_name.text() == ""
    assert ed.indicators.item_at((0,)).text(0) == "（未命名一级指标）"
    assert ed.indicators.path == (0,) and focused() is ed.detail.f_name
    assert ed.action_for["redo"].isEnabled() and ed.action_for["redo"].text() == "重做"
    assert ed.action_for["redo"].toolTip() == "重做：修改名称"
    assert ed.statusBar().currentMessage() == "撤销：修改名称"

    ctrl_shift_z(qtbot)
    assert names(ed) == ["Plan"] and ed.detail.f_name.text() == "Plan"
    assert ed.indicators.item_at((0,)).text(0) == "Plan"
    assert not ed.action_for["redo"].isEnabled()
    qtbot.keySequence(focused(), QKeySequence.StandardKey.Undo)
    assert names(ed) == [""]
    qtbot.keyClick(focused(), Qt.Key.Key_Y, CTRL)  # Ctrl+Y redoes as well
    assert names(ed) == ["Plan"]


def test_several_edits_are_undone_in_order_each_showing_its_node(qtbot, ed):
    click(qtbot, ed, "add_top")
    type_in(qtbot, ed.detail.f_name, "Plan")
    type_in(qtbot, ed.detail.f_weight, "60")
    click(qtbot, ed, "add_sibling")
    type_in(qtbot, ed.detail.f_name, "Work")
    type_in(qtbot, ed.detail.f_weight, "40")
    assert names(ed) == ["Plan", "Work"] and weights(ed) == [60, 40]
    done = ed.draft.to_dict()
    ed.indicators.tree.setCurrentItem(ed.indicators.item_at((0,)))  # the clerk looks at another node …
    ed.indicators.tree.setFocus()

    ctrl_z(qtbot)  # … and Ctrl+Z in the tree goes back to the last edit, where it was made
    assert weights(ed) == [60, None] and ed.indicators.path == (1,)
    assert ed.detail.f_weight.text() == "" and focused() is ed.detail.f_weight
    assert ed.indicators.item_at((1,)).text(1) == ""
    ctrl_z(qtbot)
    assert names(ed) == ["Plan", ""] and ed.indicators.path == (1,) and focused() is ed.detail.f_name
    ctrl_z(qtbot)  # the added sibling goes; the node it was added after is shown
    assert names(ed) == ["Plan"] and ed.indicators.path == (0,) and ed.indicators.item_at((1,)) is None
    assert ed.detail.f_name.text() == "Plan" and ed.detail.f_weight.text() == "60"
    ctrl_z(qtbot)
    assert weights(ed) == [None] and ed.detail.f_weight.text() == ""
    ctrl_z(qtbot)
    assert names(ed) == [""] and ed.detail.f_name.text() == ""
    ctrl_z(qtbot)
    assert ed.draft.walk() == [] and ed.indicators.tree.topLevelItemCount() == 0
    assert not ed.action_for["undo"].isEnabled() and not ed.dirty  # back to the new system
    ctrl_z(qtbot)  # nothing left: nothing happens
    assert ed.draft.walk() == []

    for _ in range(6):
        ctrl_shift_z(qtbot)
    assert ed.draft.to_dict() == done and ed.indicators.path == (1,) and ed.detail.f_weight.text() == "40"
    assert not ed.action_for["redo"].isEnabled() and ed.dirty


def test_typing_again_after_an_undo_is_a_new_step(qtbot, ed):
    click(qtbot, ed, "add_top")
    type_in(qtbot, ed.detail.f_name, "ab")
    type_in(qtbot, ed.detail.f_weight, "60")
    ctrl_z(qtbot)  # the weight
    assert weights(ed) == [None]
    ed.detail.f_name.setFocus()
    qtbot.keyClick(ed.detail.f_name, Qt.Key.Key_End)
    type_in(qtbot, ed.detail.f_name, "c")  # the same field as the step now on top
    assert names(ed) == ["abc"]
    ctrl_z(qtbot)
    assert names(ed) == ["ab"]  # only what was typed after the undo
    ctrl_z(qtbot)
    assert names(ed) == [""]


def test_the_unsaved_mark_follows_the_undo_stack(qtbot, ed, _qt, tmp_path):
    assert not ed.dirty and " *" not in ed.windowTitle()
    type_in(qtbot, ed.heading.sys_name, "Budget")
    assert ed.dirty and ed.windowTitle().startswith("指标体系编辑器 — Budget *")
    assert ed.files.save()
    saved = ed.files.file_path
    assert saved is not None and saved.exists() and ed.draft.data["id"] == "user-1"
    assert not ed.dirty and " *" not in ed.windowTitle()

    type_in(qtbot, ed.heading.sys_name, "X")  # after saving, a new step even in the same field
    assert ed.dirty and ed.draft.data["name"] == "BudgetX"
    ctrl_z(qtbot)
    assert ed.draft.data["name"] == "Budget" and ed.heading.sys_name.text() == "Budget"
    assert not ed.dirty and " *" not in ed.windowTitle()  # exactly as saved
    ctrl_z(qtbot)
    assert ed.draft.data["name"] == "" and ed.dirty
    assert ed.draft.data["id"] == "user-1"  # the id the save gave is kept by undo
    ctrl_shift_z(qtbot)
    assert not ed.dirty and ed.draft.data["name"] == "Budget"

    ctrl_shift_z(qtbot)  # back to BudgetX: unsaved, so closing asks
    assert ed.dirty
    ed.draft_undo.stack.undo()
    assert not ed.dirty
    assert ed.close() and _qt == []  # clean: closed without a question


def test_closing_asks_only_while_the_stack_is_away_from_the_save(qtbot, ed, _qt, monkeypatch):
    click(qtbot, ed, "add_top")
    type_in(qtbot, ed.detail.f_name, "Plan")
    monkeypatch.setattr(messages.Messages, "ask",
                        staticmethod(lambda *a, **k: _qt.append(a[2]) or 2))  # 取消
    assert not ed.close() and len(_qt) == 1 and "未保存的修改" in _qt[0]
    ctrl_z(qtbot)
    ctrl_z(qtbot)
    assert not ed.dirty
    assert ed.close() and len(_qt) == 1


def test_undo_after_adding_and_removing_an_indicator(qtbot, ed):
    click(qtbot, ed, "add_top")
    type_in(qtbot, ed.detail.f_name, "Plan")
    click(qtbot, ed, "add_child")
    type_in(qtbot, ed.detail.f_name, "Goal")
    assert names(ed) == ["Plan", "Goal"] and ed.indicators.path == (0, 0)
    ed.indicators.tree.setFocus()
    qtbot.keyClick(ed.indicators.tree, Qt.Key.Key_Delete)  # confirmed (删除)
    assert names(ed) == ["Plan"] and ed.indicators.item_at((0, 0)) is None and ed.indicators.path == (0,)

    ctrl_z(qtbot)  # the removed indicator comes back, selected
    assert names(ed) == ["Plan", "Goal"] and ed.indicators.item_at((0, 0)).text(0) == "Goal"
    assert ed.indicators.path == (0, 0) and ed.detail.f_name.text() == "Goal"
    ctrl_shift_z(qtbot)
    assert names(ed) == ["Plan"] and ed.indicators.item_at((0, 0)) is None and ed.indicators.path == (0,)
    ctrl_z(qtbot)
    ctrl_z(qtbot)  # the name typed into the added indicator
    assert names(ed) == ["Plan", ""] and ed.indicators.path == (0, 0)
    ctrl_z(qtbot)  # the indicator added
    assert names(ed) == ["Plan"] and ed.indicators.item_at((0, 0)) is None and ed.indicators.path == (0,)
    assert ed.detail.f_name.text() == "Plan"


def test_an_import_is_one_step(qtbot, ed, monkeypatch):
    from desktop.system_editor.table_import import MappingDialog

    monkeypatch.setattr(MappingDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    assert ed.files.import_clipboard("一级指标\t二级指标\t三级指标\t分值\n"
                               "决策\t目标\t相关性\t40\n产出\t数量\t完成率\t60\n")
    assert names(ed) == ["决策", "目标", "相关性", "产出", "数量", "完成率"]
    assert ed.dirty and ed.undo_stack.count() == 1
    assert ed.action_for["undo"].toolTip() == "撤销：粘贴指标表"
    ed.indicators.tree.setFocus()
    ctrl_z(qtbot)  # a new system again, as before the paste
    assert ed.draft.walk() == [] and ed.indicators.tree.topLevelItemCount() == 0 and not ed.dirty
    ctrl_shift_z(qtbot)
    assert names(ed)[-1] == "完成率" and ed.indicators.item_at((1, 0, 0)).text(0) == "完成率"
    assert ed.dirty and ed.indicators.path == (0,)


def test_the_editor_keys_leave_the_main_window_alone(qtbot):
    from PySide6.QtGui import QUndoCommand, QUndoStack
    from PySide6.QtWidgets import QMainWindow

    from desktop.common.undo_route import route_undo_keys

    main = QMainWindow()
    qtbot.addWidget(main)
    main_stack = QUndoStack(main)
    main_stack.push(QUndoCommand("编辑"))
    route_undo_keys(main, main_stack)
    main.show()
    ed = open_system_editor(main)
    ed.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is ed)
    click(qtbot, ed, "add_top")
    type_in(qtbot, ed.detail.f_name, "Plan")
    ctrl_z(qtbot)
    assert names(ed) == [""] and main_stack.index() == 1
    ed.undo_stack.setClean()
    ed.close()


def test_showing_every_node_and_option_writes_nothing_back(qtbot, ed):
    """Values the editor shows (fields, drop-downs, tables, the option list, the header and
    总分规则) are not edits: going through a whole system, and undoing and redoing an edit,
    leaves the draft as it was and the stack with the clerk's own steps only."""
    import json

    from forms.catalog import shipped_systems
    from forms.system_edit import SystemDraft

    entry = next(e for e in shipped_systems() if e.id == "guangzhou-example")
    data = json.loads(entry.path.read_text(encoding="utf-8"))
    data["not_applicable"] = "full"
    data["cap"] = {"source": "budget.execution_rate",
                   "bands": [{"min": 70, "max": 80, "max_inclusive": False, "cap": 89}]}
    ed.files.set_draft(SystemDraft(data))  # the user's own copy: editable
    assert not ed.files.read_only
    shown = ed.draft.to_dict()
    seen_options = 0
    for path in ed.draft.walk():
        ed.indicators.tree.setCurrentItem(ed.indicators.item_at(path))
        assert ed.indicators.path == path
        if ed.draft.is_leaf(path) and ed.draft.rule(path).get("type") == "either":
            options = ed.detail.rule_editor.option_list
            for row in reversed(range(options.count())):
                options.setCurrentRow(row)
                seen_options += 1
    assert seen_options >= 2
    assert ed.undo_stack.count() == 0 and not ed.dirty
    assert ed.draft.to_dict() == shown

    leaf = next(p for p in ed.draft.walk() if ed.draft.is_leaf(p))
    ed.indicators.tree.setCurrentItem(ed.indicators.item_at(leaf))
    type_in(qtbot, ed.detail.f_criteria, " (see table 2)")
    assert ed.undo_stack.count() == 1
    ctrl_z(qtbot)
    assert ed.draft.to_dict() == shown and not ed.dirty
    assert ed.undo_stack.count() == 1 and ed.undo_stack.canRedo()  # no step made by showing
    ctrl_shift_z(qtbot)
    assert " (see table 2)" in ed.draft.node(leaf)["criteria"]
    assert ed.undo_stack.count() == 1 and not ed.undo_stack.canRedo()
