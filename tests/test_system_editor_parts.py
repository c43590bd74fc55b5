"""The indicator-system editor is composed of parts (docs/architecture.md, “The system
editor's parts”): the window is a QMainWindow and nothing else, each part is a widget
that owns its fields, and no module of the editor reaches into another object's private
attributes.  A change that mixes a class back into the window, or lets one part read
another's ``_draft``, fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QWidget

from system_editor_driving import _qt, click, editor, node, retype  # noqa: F401 - fixtures

from desktop.system_editor.checks import ChecksPane
from desktop.system_editor.detail import DetailPane
from desktop.system_editor.files import FilesPane
from desktop.system_editor.header import HeaderPane
from desktop.system_editor.tree import TreePane
from desktop.system_editor.window import SystemEditor

PACKAGE = Path(__file__).resolve().parent.parent / "desktop" / "system_editor"
PARTS = {"files": FilesPane, "heading": HeaderPane, "indicators": TreePane,
         "checks": ChecksPane, "detail": DetailPane}


def test_the_window_is_a_main_window_made_of_parts(editor):
    assert SystemEditor.__bases__ == (QMainWindow,)
    for name, kind in PARTS.items():
        part = getattr(editor, name)
        assert type(part) is kind and isinstance(part, QWidget)
        assert part.window() is editor, name  # laid out in the window, not floating


def private_reaches(source: str) -> list[str]:
    """``x._name`` where ``x`` is not ``self`` or ``cls``: another object's private part."""
    found = []
    for sub in ast.walk(ast.parse(source)):
        if (isinstance(sub, ast.Attribute) and sub.attr.startswith("_")
                and not sub.attr.startswith("__")
                and not (isinstance(sub.value, ast.Name) and sub.value.id in ("self", "cls"))):
            found.append(f"{ast.unparse(sub)} (line {sub.lineno})")
    return found


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.name)
def test_no_module_reaches_into_another_objects_private_attributes(path):
    assert private_reaches(path.read_text(encoding="utf-8")) == []


def test_the_private_reach_check_sees_one():
    assert private_reaches("x = RuleEditor(editor._draft)\ny = self._draft\n") == \
        ["editor._draft (line 1)"]


def test_the_parts_work_together_as_the_clerk_sees_it(qtbot, editor):
    """One edit crosses every part: the tree's button adds a node, the detail pane takes
    its name, the tree and the problem list follow, a click on a problem selects its
    node, and undo (the window's) takes the step back."""
    ed = editor
    click(qtbot, ed, "add_top")
    assert ed.detail.f_name.hasFocus()  # TreePane.added → DetailPane.focus_name
    node(qtbot, ed, "产出", "30")
    assert ed.indicators.item_at((0,)).text(0) == "产出"
    assert ed.indicators.item_at((0,)).text(1) == "30"
    problems = ed.checks.problem_list
    texts = [problems.item(i).text() for i in range(problems.count())]
    assert any("100" in t for t in texts), texts  # the total is 30, not 100
    click(qtbot, ed, "add_top")
    assert ed.indicators.path == (1,) and ed.detail.path == (1,)
    # a problem of the first node, clicked in the list, selects that node in the tree
    row = next(i for i in range(problems.count())
               if problems.item(i).data(Qt.ItemDataRole.UserRole + 1) == (0,))
    rect = problems.visualItemRect(problems.item(row))
    qtbot.mouseClick(problems.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert ed.indicators.path == (0,) and ed.detail.path == (0,)
    assert ed.detail.f_name.text() == "产出"
    # the header's edit is one more undo step of the window's stack
    retype(qtbot, ed.heading.sys_name, "某区指标体系")
    assert ed.draft.data["name"] == "某区指标体系" and ed.dirty
    ed.undo_stack.undo()
    assert ed.draft.data["name"] == "" and ed.heading.sys_name.text() == ""


def test_the_tree_shortcuts_act_from_the_detail_fields(qtbot, editor):
    """The tree's keys live in the tree's part but act in the whole window: typed in 名称
    of the detail pane, Ctrl+Shift+N adds below, Ctrl+Enter beside, Ctrl+↑/↓ move."""
    ed = editor
    ed.activateWindow()
    qtbot.waitUntil(ed.isActiveWindow)
    click(qtbot, ed, "add_top")
    node(qtbot, ed, "产出", "60")
    ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(ed.detail.f_weight, Qt.Key.Key_N, ctrl | shift)
    assert ed.indicators.path == (0, 0) and ed.detail.f_name.hasFocus()
    node(qtbot, ed, "数量", "30")
    qtbot.keyClick(ed.detail.f_name, Qt.Key.Key_Return, ctrl)
    assert ed.indicators.path == (0, 1)
    node(qtbot, ed, "质量", "30")
    qtbot.keyClick(ed.detail.f_name, Qt.Key.Key_Up, ctrl)
    assert ed.indicators.path == (0, 0)
    assert [n["name"] for n in ed.draft.children((0,))] == ["质量", "数量"]
    qtbot.keyClick(ed.detail.f_name, Qt.Key.Key_Down, ctrl)
    assert [n["name"] for n in ed.draft.children((0,))] == ["数量", "质量"]
