"""The form pages driven like a clerk: typing (ASCII, full-width, Chinese), undo, issues → field."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QStackedWidget

from desktop.form.document import Document
from desktop.common.messages import Messages
from desktop.form.pages import build_pages
from desktop.form.pages.budget import BudgetPage
from desktop.form.pages.department import DepartmentPage
from desktop.form.pages.goals import GoalsPage
from desktop.form.pages.narrative import NarrativePage
from desktop.form.pages.rows import ProjectsPage, TasksPage
from desktop.common.widgets import mark_level
from desktop_typing import (  # no_qt_warnings: autouse, fails on Qt warnings
    ctrl, ime_commit, press, setup_app, show, type_text,
    no_qt_warnings,  # noqa: F401
)
from forms.address import parse
from forms.model import new_evaluation
from forms.validation import SECTIONS


@pytest.fixture
def document(qapp, sample):
    setup_app(qapp)
    return Document(sample)


def test_build_pages_gives_every_section_in_form_order(qtbot, document):
    pages = build_pages(document)
    for page in pages:
        qtbot.addWidget(page)
    assert [p.title for p in pages] == ["单位基本情况", "收支情况", "绩效目标", "重点工作任务",
                                        "项目支出", "绩效指标评分", "分析与结论"]
    assert [p.section for p in pages] == [key for key, _ in SECTIONS]


def test_every_issue_of_a_new_evaluation_lands_on_a_field(qtbot, qapp, sample):
    """Click an issue → its field: every issue path of a half-filled form is found."""
    setup_app(qapp)
    document = Document(new_evaluation(sample.system, "", 2024))
    stack = QStackedWidget()
    pages = build_pages(document)
    for page in pages:
        stack.addWidget(page)
    show(qtbot, stack)
    by_section = {p.section: p for p in pages}
    assert document.issues
    for issue in document.issues:
        page = by_section[issue.section]
        stack.setCurrentWidget(page)
        assert page.focus(issue.address), issue.path


def test_department_name_typed_in_chinese(qtbot, document):
    page = show(qtbot, DepartmentPage(document))
    field = page.lines["name"]
    field.setFocus()
    field.selectAll()
    ime_commit("广州市白云区投资促进局")
    assert document.evaluation.department.name == "广州市白云区投资促进局"
    field.selectAll()
    press(Qt.Key.Key_Delete)
    assert document.evaluation.department.name == ""
    assert mark_level(field) == "warning"
    assert "单位名称未填写" in field.toolTip()


def test_tab_walks_the_department_form_from_top_to_bottom(qtbot, document):
    page = show(qtbot, DepartmentPage(document))
    page.lines["name"].setFocus()
    seen = []
    for _ in range(9):
        QApplication.focusWidget().focusNextChild()
        seen.append(QApplication.focusWidget())
    assert seen[:4] == [page.year, page.lines["code"], page.functions.field,
                        page.divisions.field]
    assert seen[4:] == [page.lines[k] for k in ("preparer", "phone", "head", "finance_head",
                                                 "date")]


def test_functions_are_one_per_line(qtbot, document):
    page = show(qtbot, DepartmentPage(document))
    assert page.functions.text().split("\n")[0].startswith("会同区相关部门编制发展规划")
    page.functions.set_text("")  # the program's own refresh is not an edit
    assert len(document.evaluation.department.functions) == 6
    page.functions.field.setFocus()
    page.functions.field.selectAll()
    ime_commit("负责招商引资\n\n负责企业服务")
    assert document.evaluation.department.functions == ("负责招商引资", "负责企业服务")
    assert page.functions.count.text() == "14 字"


def test_undo_and_redo_across_fields_with_ctrl_z_and_ctrl_y(qtbot, document):
    dept = show(qtbot, DepartmentPage(document))
    dept.lines["phone"].setFocus()
    type_text("020-12345678")
    dept.lines["preparer"].setFocus()
    ime_commit("张")
    ime_commit("三")
    assert document.evaluation.department.preparer == "张三"
    assert document.undo_stack.count() == 2  # each field's keystrokes are one step
    ctrl(Qt.Key.Key_Z)
    assert document.evaluation.department.preparer == ""
    assert dept.lines["preparer"].text() == ""
    ctrl(Qt.Key.Key_Z)
    assert document.evaluation.department.phone == ""
    ctrl(Qt.Key.Key_Y)
    assert document.evaluation.department.phone == "020-12345678"
    assert dept.lines["phone"].text() == "020-12345678"


def test_year_spin_box(qtbot, document):
    page = show(qtbot, DepartmentPage(document))
    page.year.setValue(2023)
    assert document.evaluation.department.year == 2023
    document.undo_stack.undo()
    assert page.year.value() == 2022


def test_carryover_is_typed_and_changes_the_carryover_rate(qtbot, document):
    page = show(qtbot, BudgetPage(document))
    page.carryover.setFocus()
    page.carryover.selectAll()
    type_text("５７．６６")
    assert document.evaluation.budget.carryover == Decimal("57.66")
    # 结转结余率 57.66 / 1153.25 = 5.00% → still full marks
    rate = document.result.rates.get("budget.carryover_rate")
    assert rate.quantize(Decimal("0.01")) == Decimal("5.00")
    assert "年末结转和结余 57.66 万元" in page.sentence.text()
    type_text("0")  # 57.660 → still the same
    page.carryover.selectAll()
    type_text("-1")
    assert mark_level(page.carryover) == "error"
    assert "不能为负数" in page.carryover.toolTip()


def test_focus_path_on_the_budget_page(qtbot, document):
    page = show(qtbot, BudgetPage(document))
    assert page.focus(parse("budget.by_source.general.adjusted"))
    index = page.table.currentIndex()
    assert (index.row(), index.column()) == (1, 1)
    assert QApplication.focusWidget() is page.table
    assert page.focus(parse("budget.by_nature.project.executed"))
    assert (page.table.currentIndex().row(), page.table.currentIndex().column()) == (6, 2)
    assert page.focus(parse("budget.total.executed"))
    assert page.table.currentIndex().row() == 0
    assert page.focus(parse("budget.carryover"))
    assert QApplication.focusWidget() is page.carryover


def test_goals_texts_and_focus(qtbot, document):
    page = show(qtbot, GoalsPage(document))
    assert page.focus(parse("goals.unmet_reason"))
    assert QApplication.focusWidget() is page.texts["unmet_reason"].field
    ime_commit("项目按仲裁进度支付。")
    assert document.evaluation.goals.unmet_reason == "项目按仲裁进度支付。"
    assert page.texts["unmet_reason"].count.text() == "10 字"


def test_tasks_add_edit_and_remove_rows(qtbot, document, monkeypatch):
    page = show(qtbot, TasksPage(document))
    assert page.model.rowCount() == 3
    page.add_button.click()
    assert len(document.evaluation.tasks) == 4
    assert page.table.currentIndex().row() == 3
    ime_commit("优化营商环境")
    press(Qt.Key.Key_Return, "\r")
    assert document.evaluation.tasks[3].name == "优化营商环境"
    # the long texts of the current row are edited below the table
    page.table.setCurrentIndex(page.model.index(3, 0))
    page.details["result"].field.setFocus()
    ime_commit("完成年度目标。")
    assert document.evaluation.tasks[3].result == "完成年度目标。"
    assert page.model.data(page.model.index(3, 2)) == "完成年度目标。"
    # remove asks once, naming what is lost
    asked = []

    def answer(parent, title, text, choices, **kwargs):
        asked.append((text, choices))
        return 0

    monkeypatch.setattr(Messages, "ask", staticmethod(answer))
    page.table.setCurrentIndex(page.model.index(3, 0))
    page.remove_button.click()
    assert "优化营商环境" in asked[0][0]
    assert asked[0][1] == ["删除任务", "取消"]
    assert len(document.evaluation.tasks) == 3
    document.undo_stack.undo()
    assert document.evaluation.tasks[3].name == "优化营商环境"
    assert page.model.rowCount() == 4


def test_focus_path_on_tasks_and_projects(qtbot, document):
    tasks = show(qtbot, TasksPage(document))
    assert tasks.focus(parse("tasks[1].result"))
    assert (tasks.table.currentIndex().row(), tasks.table.currentIndex().column()) == (1, 2)
    projects = show(qtbot, ProjectsPage(document))
    assert projects.focus(parse("projects[2].executed"))
    assert (projects.table.currentIndex().row(), projects.table.currentIndex().column()) == (2, 2)
    assert not projects.focus(parse("projects[9].executed"))


def test_project_executed_above_budget_is_marked(qtbot, document):
    page = show(qtbot, ProjectsPage(document))
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(1, 2))
    type_text("160")
    press(Qt.Key.Key_Return, "\r")
    tip = page.model.data(page.model.index(1, 2), Qt.ItemDataRole.ToolTipRole)
    assert "执行数（160.00）大于预算数（150.00）" in tip
    assert page.model.data(page.model.index(1, 3)) == "106.67%"


def test_narrative_shows_generated_sentences_and_counts_characters(qtbot, document):
    page = show(qtbot, NarrativePage(document))
    assert "自评得分为 92.58 分，自评等级为“优”" in page.generated_score.text()
    assert "完成预算的 95.8%" in page.generated_budget.text()  # the outline's one decimal
    # three projects listed out of 项目支出 661.77: the report's partial-list wording
    assert "以下列出其中重点项目 3 个" in page.generated_projects.text()
    text = page.texts["problems"]
    assert page.focus(parse("narrative.problems"))
    assert QApplication.focusWidget() is text.field
    text.field.selectAll()
    ime_commit("绩效目标设置不够细化。")
    assert document.evaluation.narrative["problems"] == "绩效目标设置不够细化。"
    assert text.count.text() == "11 字"


def test_hidden_pages_catch_up_when_shown(qtbot, document):
    narrative = NarrativePage(document)
    qtbot.addWidget(narrative)
    budget = show(qtbot, BudgetPage(document))
    budget.table.setFocus()
    budget.table.setCurrentIndex(budget.model.index(0, 2))
    type_text("1153.25")
    press(Qt.Key.Key_Return, "\r")
    assert "92.58" in narrative.generated_score.text()  # not refreshed while hidden
    show(qtbot, narrative)
    assert "得分为 93 分" in narrative.generated_score.text()


def test_set_document_switches_to_another_evaluation(qtbot, document, sample):
    page = show(qtbot, BudgetPage(document))
    other = Document(new_evaluation(sample.system, "新单位", 2024))
    page.set_document(other)
    assert page.model.data(page.model.index(0, 2)) == ""
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, 1))
    type_text("100")
    press(Qt.Key.Key_Return, "\r")
    assert other.evaluation.budget.total.adjusted == Decimal("100")
    assert document.evaluation.budget.total.adjusted == Decimal("1153.25")


def test_screenshots_of_every_page_without_clipped_labels(qtbot, document, tmp_path):
    """Each page at the centre size of a 1366×768 window: every label and button has the
    room its text needs (the saved images were also looked at by hand)."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    for page in build_pages(document):
        show(qtbot, page, 1000, 600)
        image = page.grab().toImage()
        assert image.width() == 1000 and image.height() == 600
        image.save(str(tmp_path / f"{page.section}.png"))
        clipped = [w.text() for w in page.findChildren(QLabel) + page.findChildren(QAbstractButton)
                   if w.isVisible() and not (isinstance(w, QLabel) and w.wordWrap())
                   and w.width() < w.sizeHint().width()]
        assert not clipped, (page.title, clipped)
        page.hide()


def test_many_widget_updates_do_not_abort_the_program(tmp_path):
    """PySide6 6.12.0 on Python 3.11 drops a reference to None per void Qt call (hence
    the pin below 6.12): a long session of refreshes must not end in
    “Fatal Python error: none_dealloc”."""
    import os
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication, QLabel\n"
        "calls = 3 * sys.getrefcount(None) + 20000  # well past the references None has\n"
        "import desktop.form.pages\n"
        "app = QApplication([])\n"
        "label = QLabel()\n"
        "for i in range(calls):\n"
        "    label.setText('得分')\n"
        "print('ok')\n"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, env=env)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip().endswith("ok")


def test_a_new_evaluation_filled_in_from_the_pages(qtbot, qapp, sample):
    """From empty to a scored form: budget figures feed the computed indicators."""
    from desktop.form.indicator_tree import COL_ACTUAL
    from desktop.form.pages.indicators import IndicatorsPage

    setup_app(qapp)
    document = Document(new_evaluation(sample.system, "", 2023))
    stack = QStackedWidget()
    pages = {p.section: p for p in build_pages(document)}
    for page in pages.values():
        stack.addWidget(page)
    show(qtbot, stack)
    assert document.result.total == 0 and document.result.filled == 0

    stack.setCurrentWidget(pages["department"])
    pages["department"].lines["name"].setFocus()
    ime_commit("广州市某区投资促进局")
    assert not [i for i in document.issues if i.path == "department.name"]

    budget = pages["budget"]
    stack.setCurrentWidget(budget)
    budget.table.setFocus()
    budget.table.setCurrentIndex(budget.model.index(0, 0))
    budget.table.paste("27247.94\t27247.94\t11894.15\n")
    assert budget.model.data(budget.model.index(0, 3)) == "43.65%"

    indicators = pages["values"]
    assert isinstance(indicators, IndicatorsPage)
    stack.setCurrentWidget(indicators)
    # 预算执行率 follows the budget grid: 10 × 43.65% = 4.37 (the example of docs/scoring.md)
    assert indicators.model.data(indicators.model.leaf_index("exec_rate", COL_ACTUAL)) == "43.65%"
    assert document.result.leaf("exec_rate").score == Decimal("4.37")
    # its explanation is asked for, and the issue lands on the field
    issue = next(i for i in document.issues if i.path == "values.exec_rate.deviation")
    assert "43.65% 低于 90%" in issue.message
    assert indicators.focus(issue.address)
    ime_commit("项目资金按进度拨付，部分未形成支出。")
    assert not [i for i in document.issues if i.path == "values.exec_rate.deviation"]
    assert document.result.filled >= 1


def test_insert_a_task_below_the_current_row(qtbot, document):
    page = show(qtbot, TasksPage(document))
    page.table.setCurrentIndex(page.model.index(0, 1))
    page.table.on_insert()
    tasks = document.evaluation.tasks
    assert len(tasks) == 4 and tasks[1].name == "" and tasks[2].name == "用地摸查及产业提升规划"
    assert page.table.currentIndex().row() == 1
    document.undo_stack.undo()
    assert len(document.evaluation.tasks) == 3


def test_problems_are_also_said_in_words_on_the_page(qtbot, document):
    page = show(qtbot, ProjectsPage(document))
    assert not page.problems.isVisible()
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, 2))
    type_text("300")
    press(Qt.Key.Key_Return, "\r")
    assert page.problems.isVisible()
    assert "执行数（300.00）大于预算数（207.50）" in page.problems.text()
    dept = show(qtbot, DepartmentPage(document))
    dept.lines["name"].setFocus()
    dept.lines["name"].selectAll()
    press(Qt.Key.Key_Delete)
    assert dept.problems.isVisible() and "单位名称未填写" in dept.problems.text()


def test_texts_grow_with_their_content_without_a_scroll_bar(qtbot, document):
    page = show(qtbot, NarrativePage(document))
    field = page.texts["conclusion"].field
    empty_height = field.height()
    page.texts["conclusion"].set_text("经自评，本部门整体支出绩效良好。" * 30 + "\n第二段。\n第三段。")
    QApplication.processEvents()
    assert field.height() > 2 * empty_height
    assert field.verticalScrollBar().maximum() == 0  # all of it is visible


def test_no_page_keeps_the_window_from_being_narrowed(qtbot, document):
    """The window must fit 1366 px with navigation and score panel, and shrink below:
    no page may demand much width of its own."""
    for page in build_pages(document):
        qtbot.addWidget(page)
        assert page.minimumSizeHint().width() <= 400, page.title


def test_appropriation_income_is_typed_and_said_in_the_report(qtbot, document):
    page = show(qtbot, BudgetPage(document))
    page.income.setFocus()
    page.income.selectAll()
    type_text("1104.37")
    assert document.evaluation.budget.appropriation_income == Decimal("1104.37")
    assert "我委 2022 年度财政拨款收入 1104.37 万元。" in page.sentence.text()
    document.undo_stack.undo()
    assert document.evaluation.budget.appropriation_income is None
    assert "财政拨款收入" not in page.sentence.text()
    page.income.selectAll()
    type_text("-1")
    assert mark_level(page.income) == "error"
