"""沿用上年 on the tasks and projects pages and for 部门职能: last year's years and rates
highlighted in the cells and the detail fields; project names and 部门职能 marked only
when they name an earlier year or a rate."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtWidgets import QApplication

from desktop.form.stale_cells import STALE_ROLE, stale_html
from desktop.common.widgets import mark_level
from desktop_windows import open_window, show_page, shown  # noqa: F401 - fixtures
from forms import carry_over
from forms.model import next_year
from forms.paths import default_db_path
from forms.storage import Library
from forms.validation import validate

DATED_PROJECT = "2022年招商引资活动经费项目"
DATED_TARGET = "2022年完成招商引资任务，预算执行率达到98.5%"


def dated(sample):
    """The sample with a task target and a project name that speak of 2022."""
    tasks = (replace(sample.tasks[0], target=DATED_TARGET),) + sample.tasks[1:]
    projects = (replace(sample.projects[0], name=DATED_PROJECT),) + sample.projects[1:]
    functions = sample.department.functions + ("2022年起负责园区招商。",)
    return replace(sample, tasks=tasks, projects=projects,
                   department=replace(sample.department, functions=functions))


def test_project_names_and_functions_are_marked_only_when_they_name_last_year(sample):
    plain = carry_over.carried(next_year(sample))
    assert not [p for p in plain if p.startswith(("projects", "department"))]
    marked = carry_over.carried(next_year(dated(sample)))
    assert "projects[0].name" in marked and "department.functions" in marked
    assert not [p for p in marked if p.startswith("projects[") and p != "projects[0].name"]
    messages_ = {i.path: i.message for i in validate(next_year(dated(sample)))}
    assert messages_["projects[0].name"].startswith("第 1 个项目的名称：沿用上年的文字")
    assert messages_["department.functions"].startswith("部门职能：沿用上年的文字")


def test_editing_a_marked_project_name_settles_it(sample):
    ev = next_year(dated(sample))
    renamed = replace(ev, projects=(replace(ev.projects[0], name="招商引资活动经费项目"),)
                      + ev.projects[1:])
    assert "projects[0].name" not in carry_over.carried(carry_over.settle(ev, renamed))


def test_stale_html_marks_years_and_rates_and_escapes_the_rest():
    html = stale_html("2022年<a>率98.5%\n下行", 2023)
    assert html.count("<span") == 2 and "&lt;a&gt;" in html and "<br>" in html
    assert stale_html("2023年", 2023) == "2023年"


@pytest.fixture
def window(open_window, shown, sample):
    shown.first_choice = True
    library = Library(default_db_path())
    library.add(dated(sample))
    library.close()
    return open_window(activate=False)


def test_tasks_and_projects_pages_highlight_what_was_copied(window, tmp_path):
    rows = [r for r in window.library.list() if r.year == 2022]
    dated_row = max(rows, key=lambda r: r.id)  # the one added above
    assert window.opening.open_evaluation(dated_row.id)
    window.opening.start_next_year()
    ev = window.document.evaluation
    assert ev.department.year == 2023

    tasks = show_page(window, "tasks")
    assert tasks.carry_bar.isVisible()
    model = tasks.model
    target_col = model.column_of("target")
    assert model.data(model.index(0, target_col), STALE_ROLE) == 2023
    assert model.data(model.index(0, target_col)) == DATED_TARGET
    tasks.table.focus_cell(0, "target")
    QApplication.processEvents()
    detail = tasks.details["target"].field
    assert detail.toPlainText() == DATED_TARGET and detail.stale_year() == 2023
    tasks.table.viewport().grab().save(str(tmp_path / "tasks.png"))

    projects = show_page(window, "projects")
    assert projects.carry_bar.isVisible()
    pm = projects.model
    assert pm.data(pm.index(0, 0), STALE_ROLE) == 2023
    assert pm.data(pm.index(1, 0), STALE_ROLE) is None  # a plain name is not marked
    projects.table.viewport().grab().save(str(tmp_path / "projects.png"))

    department = show_page(window, "department")
    assert department.carry_bar.isVisible()
    assert department.functions.field.stale_year() == 2023
    assert mark_level(department.functions.field) == "warning"

    # the clerk renames the project: the mark goes, the others stay
    projects = show_page(window, "projects")
    pm.setData(pm.index(0, 0), "招商引资活动经费项目")
    assert "projects[0].name" not in carry_over.carried(window.document.evaluation)
    assert pm.data(pm.index(0, 0), STALE_ROLE) is None
    assert not projects.carry_bar.isVisible()
    assert "tasks[0].target" in carry_over.carried(window.document.evaluation)


def test_carried_marks_follow_rows_inserted_and_removed_on_the_tasks_page(qtbot, sample):
    from desktop.form.document import Document
    from desktop.form.pages.rows import TasksPage

    document = Document(next_year(sample))
    page = TasksPage(document)
    qtbot.addWidget(page)
    ev = document.evaluation
    assert "tasks[0].target" in carry_over.carried(ev)
    first = ev.tasks[0]
    # a blank row inserted at the top: the copied texts are now on row 1, still marked
    page.model.insert_row(0)
    after = document.evaluation
    marks = carry_over.carried(after)
    assert "tasks[1].target" in marks and "tasks[0].target" not in marks
    assert after.tasks[1] == first
    # the row removed again: the mark goes back to row 0 with it
    page.model.remove_rows([0])
    again = document.evaluation
    assert "tasks[0].target" in carry_over.carried(again)
    # editing the moved text still settles its mark
    edited = replace(again, tasks=(replace(again.tasks[0], target="新目标"),) + again.tasks[1:])
    document.apply(edited, "编辑", merge_key="tasks[0].target")
    assert "tasks[0].target" not in carry_over.carried(document.evaluation)
