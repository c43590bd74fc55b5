"""Text the program refuses is kept by the evaluation: closing, or killing the process,
and starting again finds it in its cell, red, and listed as an error naming it.

Driven as a clerk: keys typed into cells and fields, Enter, closing the window,
SIGKILL of a real process, starting the program again.
"""

from __future__ import annotations

import signal
import textwrap
from decimal import Decimal

import pytest
from desktop_typing import enter, type_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.shell.app import create_main_window
from desktop.common.widgets import ERROR_BG, mark_level
from desktop_windows import edit_then_kill, open_window, show_page, shown  # noqa: F401 - fixtures
from forms.paths import default_db_path
from forms.storage import Library
from tree_rows import leaf_row

BUDGET_EXECUTED = "budget.total.executed"
PROJECT_BUDGET = "projects[0].budget"
LEAF_ACTUAL = "values.visits.actual"


def type_into_cell(page, row: int, column: int, text: str) -> None:
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(row, column))
    QApplication.processEvents()
    type_text(text)
    enter()


def type_into_leaf(window, leaf_id: str, text: str):
    values = show_page(window, "values")
    values.focus_leaf(leaf_id)
    field = values.panel.editor.number
    field.setFocus()
    field.selectAll()
    type_text(text)
    return field


def cell_is_red(page, row: int, column: int) -> bool:
    brush = page.model.data(page.model.index(row, column), Qt.ItemDataRole.BackgroundRole)
    return brush is not None and brush.color().name() == ERROR_BG


def errors(window) -> dict[str, str]:
    return {i.path: i.message for i in window.document.issues if i.level == "error"}


def test_refused_text_in_every_kind_of_cell_survives_closing_and_restarting(open_window):
    window = open_window()
    evaluation_id = window.document.evaluation_id
    budget = show_page(window, "budget")
    type_into_cell(budget, 0, 2, "12x")  # 合计 › 全年执行数
    projects = show_page(window, "projects")
    type_into_cell(projects, 0, 1, "12x")  # first project › 全年预算数
    tasks = show_page(window, "tasks")
    type_into_cell(tasks, 0, 0, "12x")  # a task's name is text: taken as it is
    field = type_into_leaf(window, "visits", "12x")
    assert mark_level(field) == "error"
    kept = dict(window.document.evaluation.refused)
    assert kept == {BUDGET_EXECUTED: "12x", PROJECT_BUDGET: "12x", LEAF_ACTUAL: "12x"}
    assert window.document.evaluation.budget.total.executed is None  # no longer counts
    assert window.document.evaluation.value("visits").actual is None
    window.close()  # no question: nothing is lost
    assert not window.isVisible()
    window.library.close()

    library = Library(default_db_path())
    assert library.get(evaluation_id).refused == kept
    library.close()

    again = open_window()
    assert again.document.evaluation_id == evaluation_id
    found = errors(again)
    name = again.document.evaluation.projects[0].name
    assert found[BUDGET_EXECUTED].startswith("合计 › 全年执行数：“12x”")
    assert found[PROJECT_BUDGET].startswith(f"{name} › 预算数：“12x”")
    assert found[LEAF_ACTUAL].startswith("走访企业人次 › 实际完成值：“12x”")
    # the refused value is the leaf's problem: no second "未填写" warning beside it
    assert not [i for i in again.document.issues if i.path == "values.visits"]
    panel_text = again.issues_panel.heading.text()
    assert panel_text != "问题：无 ✓"
    budget = show_page(again, "budget")
    assert budget.model.data(budget.model.index(0, 2)) == "12x" and cell_is_red(budget, 0, 2)
    assert again.navigation.list.item(again.page_for("budget")[0]).text().startswith("✗")
    projects = show_page(again, "projects")
    assert projects.model.data(projects.model.index(0, 1)) == "12x"
    assert cell_is_red(projects, 0, 1)
    tasks = show_page(again, "tasks")
    assert tasks.model.data(tasks.model.index(0, 0)) == "12x"
    assert again.document.evaluation.tasks[0].name == "12x"
    values = show_page(again, "values")
    values.focus_leaf("visits")
    assert values.panel.editor.number.text() == "12x"
    assert mark_level(values.panel.editor.number) == "error"
    assert leaf_row(values, "visits").text(values_score_column()) == "无效"


def values_score_column() -> int:
    from desktop.form.indicator_tree import COL_SCORE

    return int(COL_SCORE)


def test_a_valid_value_or_an_empty_field_removes_the_refused_text(open_window):
    window = open_window()
    budget = show_page(window, "budget")
    original = window.document.evaluation.budget.total.executed
    assert original is not None
    steps = window.document.undo_stack.count()
    type_into_cell(budget, 0, 2, "12x")
    # one step clears the value and keeps the text
    assert window.document.undo_stack.count() == steps + 1
    assert window.document.evaluation.refused == {BUDGET_EXECUTED: "12x"}
    assert window.document.evaluation.budget.total.executed is None
    window.commands.undo.trigger()
    assert window.document.evaluation.refused == {}
    assert window.document.evaluation.budget.total.executed == original
    assert budget.model.data(budget.model.index(0, 2)) != "12x"
    window.commands.redo.trigger()
    assert window.document.evaluation.refused == {BUDGET_EXECUTED: "12x"}
    budget = show_page(window, "budget")
    assert budget.model.data(budget.model.index(0, 2)) == "12x"
    type_into_cell(budget, 0, 2, "1,234.5")
    assert BUDGET_EXECUTED not in window.document.evaluation.refused
    assert window.document.evaluation.budget.total.executed == Decimal("1234.5")
    assert BUDGET_EXECUTED not in errors(window)
    assert not cell_is_red(budget, 0, 2)
    type_into_cell(budget, 0, 2, "12x")
    # clearing the cell clears the refused text
    budget = show_page(window, "budget")
    budget.table.setFocus()
    budget.table.setCurrentIndex(budget.model.index(0, 2))
    budget.model.setData(budget.model.index(0, 2), "")
    assert BUDGET_EXECUTED not in window.document.evaluation.refused

    field = type_into_leaf(window, "visits", "9o")
    assert window.document.evaluation.refused.get(LEAF_ACTUAL) == "9o"
    field.selectAll()
    type_text("88")
    assert LEAF_ACTUAL not in window.document.evaluation.refused
    assert window.document.evaluation.value("visits").actual == Decimal(88)
    field.selectAll()
    type_text("9o")
    field.selectAll()
    from desktop_typing import press

    press(Qt.Key.Key_Delete)
    assert LEAF_ACTUAL not in window.document.evaluation.refused
    assert mark_level(field) == ""


def test_refused_text_in_a_project_follows_its_row_when_a_row_above_goes(open_window):
    window = open_window()
    projects = show_page(window, "projects")
    count = projects.model.rowCount()
    assert count >= 2
    type_into_cell(projects, 1, 2, "七百")  # second project › 全年执行数 (typed via IME-less keys)
    name = window.document.evaluation.projects[1].name
    projects.model.remove_rows([0])
    assert window.document.evaluation.refused == {"projects[0].executed": "七百"}
    assert projects.model.data(projects.model.index(0, 2)) == "七百"
    assert name in errors(window)["projects[0].executed"]
    projects.model.remove_rows([0])
    assert window.document.evaluation.refused == {}


def test_custom_indicator_fields_keep_refused_text_when_moving_between_indicators(open_window):
    window = open_window()
    values = show_page(window, "values")
    panel = values.panel
    custom = [leaf.id for leaf in window.document.evaluation.system.indicators[0].children[0]
              .children]
    first, second = custom[0], custom[1]
    values.focus_leaf(first)
    assert panel.custom_box.isVisible()
    panel.c_weight.setFocus()
    panel.c_weight.selectAll()
    type_text("5分x")
    panel.c_target.setFocus()
    panel.c_target.selectAll()
    type_text("abc")
    enter()
    refused = window.document.evaluation.refused
    assert refused.get(f"values.{first}.weight") == "5分x"
    assert refused.get(f"values.{first}.target") == "abc"
    values.focus_leaf(second)
    QApplication.processEvents()
    assert panel.c_weight.text() != "5分x" and mark_level(panel.c_weight) == ""
    values.focus_leaf(first)
    QApplication.processEvents()
    assert panel.c_weight.text() == "5分x" and mark_level(panel.c_weight) == "error"
    assert panel.c_target.text() == "abc" and mark_level(panel.c_target) == "error"
    messages = errors(window)
    assert "“abc”" in messages[f"values.{first}.target"]
    assert "指标值" in messages[f"values.{first}.target"]


KILL_SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtCore import Qt
    from desktop.shell.app import create_app, create_main_window

    app = create_app()
    window = create_main_window(sys.argv[1])
    window.show()

    def edit():
        index, page = window.page_for("budget")
        window.show_section(index)
        page.model.setData(page.model.index(0, 2), "12x")  # what the cell editor commits
        index, page = window.page_for("values")
        window.show_section(index)
        page.focus_leaf("visits")
        field = page.panel.editor.number
        field.setFocus()
        field.selectAll()
        QTest.keyClicks(field, "9o")
        print("edited", flush=True)

    QTimer.singleShot(100, edit)
    app.exec()
""")


@pytest.mark.slow  # a real process started and killed
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_refused_text_survives_killing_the_process_one_second_later(tmp_path, open_window):
    db = tmp_path / "selfeval.db"
    edit_then_kill(KILL_SCRIPT, db)  # autosave's promise: saved within a second
    library = Library(db)
    rows = library.list()
    assert len(rows) == 1
    assert library.get(rows[0].id).refused == {BUDGET_EXECUTED: "12x", LEAF_ACTUAL: "9o"}
    library.close()

    window = create_main_window(db)
    assert window is not None
    window.show()
    try:
        found = errors(window)
        assert "“12x”" in found[BUDGET_EXECUTED] and "“9o”" in found[LEAF_ACTUAL]
        budget = show_page(window, "budget")
        assert budget.model.data(budget.model.index(0, 2)) == "12x"
        assert cell_is_red(budget, 0, 2)
        values = show_page(window, "values")
        values.focus_leaf("visits")
        assert values.panel.editor.number.text() == "9o"
    finally:
        window.close()
        window.library.close()
