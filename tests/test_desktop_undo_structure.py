"""Undoing an added or removed row or custom indicator goes to its page and says what it
undid — driven by the buttons and the Edit menu, from another page."""

from __future__ import annotations

from desktop_windows import open_window, show_page, shown  # noqa: F401 - fixtures
from forms.address import NodeAddress, parse
import pytest



@pytest.fixture
def window(open_window, shown):
    shown.first_choice = True  # every confirmation is answered with its first choice (删除…)
    return open_window(activate=False)


def status(window) -> str:
    return window.statusBar().currentMessage()


def test_undoing_an_added_and_a_removed_project_goes_to_projects_and_says_so(window):
    page = show_page(window, "projects")
    count = page.model.rowCount()
    page.add_button.click()
    assert page.model.rowCount() == count + 1
    show_page(window, "department")
    window.commands.undo.trigger()
    assert window.navigation.current_section() == "projects"
    assert page.model.rowCount() == count
    assert status(window) == f"撤销：添加一行（项目支出 › 第 {count + 1} 行）"
    window.commands.redo.trigger()
    assert status(window) == f"重做：添加一行（项目支出 › 第 {count + 1} 行）"
    assert page.table.currentIndex().row() == count

    name = window.document.evaluation.projects[1].name
    page.table.focus_cell(1, "name")
    page.remove_button.click()
    assert name not in [p.name for p in window.document.evaluation.projects]
    show_page(window, "goals")
    window.commands.undo.trigger()
    assert window.navigation.current_section() == "projects"
    assert window.document.evaluation.projects[1].name == name
    assert status(window) == f"撤销：删除项目“{name}”（项目支出 › {name}）"
    assert page.table.currentIndex().row() == 1  # the row that came back is selected


def test_undoing_an_inserted_task_goes_to_tasks(window):
    page = show_page(window, "tasks")
    page.table.focus_cell(0, "name")
    page.insert_below()
    show_page(window, "budget")
    window.commands.undo.trigger()
    assert window.navigation.current_section() == "tasks"
    assert status(window).startswith("撤销：插入") and "重点工作任务 › " in status(window)


def test_undoing_an_added_and_a_removed_custom_indicator_goes_to_the_indicator(window):
    page = show_page(window, "values")
    block = window.document.evaluation.system.indicators[0].children[0]
    page.focus(parse("system.indicators[0].children[0]"))
    page.panel.add_button.click()
    assert len(window.document.evaluation.system.indicators[0].children[0].children) == len(
        block.children) + 1
    show_page(window, "department")
    window.commands.undo.trigger()
    assert window.navigation.current_section() == "values"
    assert status(window) == f"撤销：添加自定义指标（绩效指标评分 › {'履职效能'} › {block.name}）"
    assert page.model.address(page.tree.currentIndex()) == NodeAddress((0, 0))

    page.focus_leaf("fdi")
    page.panel.c_remove.click()
    assert window.document.evaluation.system.leaf("fdi") is None
    show_page(window, "narrative")
    window.commands.undo.trigger()
    assert window.navigation.current_section() == "values"
    assert window.document.evaluation.system.leaf("fdi") is not None
    assert status(window) == "撤销：删除指标“实际利用外资”（绩效指标评分 › 实际利用外资）"
    assert page.panel.leaf is not None and page.panel.leaf.id == "fdi"
