"""The Excel-like tables: typing, Enter/Tab, paste from Excel/WPS, copy, computed cells."""

from __future__ import annotations

from decimal import Decimal

import pytest
from fuzz_budget import cases
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QLineEdit

from desktop.form.document import Document
from desktop.form.pages.budget import BudgetPage
from desktop.form.pages.rows import ProjectsPage, TasksPage
from forms.tsv import join_block, split_block
from desktop_typing import (  # no_qt_warnings: autouse, fails on Qt warnings
    ctrl, enter, ime_commit, press, setup_app, show, type_text,
    no_qt_warnings,  # noqa: F401
)
from forms.model import new_evaluation

BG = Qt.ItemDataRole.BackgroundRole
TIP = Qt.ItemDataRole.ToolTipRole
SHOWN = Qt.ItemDataRole.DisplayRole
TOTAL, GENERAL, FUND, STATE, OTHER, BASIC, PROJECT = range(7)
INITIAL, ADJUSTED, EXECUTED, RATE = range(4)


@pytest.fixture
def budget_page(qtbot, qapp, sample):
    setup_app(qapp)
    document = Document(sample)
    page = show(qtbot, BudgetPage(document))
    return page, document


def cell(page, row, col, role=SHOWN):
    return page.model.data(page.model.index(row, col), role)


def select(page, row, col):
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(row, col))
    QApplication.processEvents()


# ---------------------------------------------------------------- clipboard text

def test_split_block_reads_excel_and_wps_clipboard_text():
    assert split_block("1\t2\r\n3\t4\r\n") == [["1", "2"], ["3", "4"]]
    assert split_block("a\t\tc\n") == [["a", "", "c"]]
    # a cell with a line break comes quoted, with doubled quotes inside
    assert split_block('"第一行\n第二行"\t"说""明"\n') == [["第一行\n第二行", '说"明']]
    assert split_block("") == []


def test_join_block_round_trips_through_split_block():
    rows = [["任务", "目标\n分两行"], ['含"引号"', ""]]
    assert split_block(join_block(rows)) == rows
    # an empty line is a row of one empty cell, written as Excel writes it: nothing
    assert split_block("a\n\nb\n") == [["a"], [""], ["b"]]
    assert join_block([["a"], [""], ["b"]]) == "a\n\nb\n"


_CELL = st.text(st.sampled_from(list('ab"\t\n\r 中，')), max_size=6)


@settings(max_examples=cases(300), deadline=None)
@given(st.lists(st.lists(_CELL, min_size=1, max_size=4), max_size=5))
def test_any_block_copied_pastes_back_unchanged(rows):
    """What the program copies (Ctrl+C) pastes back cell for cell, whatever the cells hold."""
    expected = [[cell.replace("\r\n", "\n").replace("\r", "\n") for cell in row] for row in rows]
    assert split_block(join_block(rows)) == expected


# ---------------------------------------------------------------- typing

def test_typing_total_executed_recomputes_rate_and_score(budget_page):
    page, document = budget_page
    assert document.result.total == Decimal("92.58")
    select(page, TOTAL, EXECUTED)
    type_text("1153.25")  # typing on a selected cell replaces its content
    enter()
    assert document.evaluation.budget.total.executed == Decimal("1153.25")
    assert cell(page, TOTAL, RATE) == "100.00%"
    assert document.result.leaf("exec_rate").score == Decimal("10.00")
    assert document.result.total == Decimal("93.00")
    # Enter moved down the column, as in Excel
    current = page.table.currentIndex()
    assert (current.row(), current.column()) == (GENERAL, EXECUTED)
    # the generated sentence below follows the figures, worded as the report words it
    assert "执行数 1153.25 万元，完成预算的 100%。" in page.sentence.text()


def test_full_width_digits_and_separators_are_accepted(budget_page):
    page, document = budget_page
    select(page, GENERAL, EXECUTED)
    type_text("１，０００．５０万元")
    enter()
    assert document.evaluation.budget.by_source["general"].executed == Decimal("1000.50")
    assert cell(page, GENERAL, EXECUTED) == "1,000.50"
    assert cell(page, GENERAL, RATE) == "86.75%"


def test_input_method_commit_starts_editing_the_selected_cell(budget_page):
    page, document = budget_page
    select(page, FUND, ADJUSTED)
    ime_commit("１２")
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "１２"
    enter()
    assert document.evaluation.budget.by_source["fund"].adjusted == Decimal("12")


def test_escape_cancels_the_cell_edit(budget_page):
    page, document = budget_page
    select(page, TOTAL, ADJUSTED)
    type_text("9")
    press(Qt.Key.Key_Escape)
    assert document.evaluation.budget.total.adjusted == Decimal("1153.25")
    assert document.undo_stack.count() == 0


def test_tab_moves_right_and_f2_edits_in_place(budget_page):
    page, document = budget_page
    select(page, TOTAL, INITIAL)
    press(Qt.Key.Key_Tab)
    assert page.table.currentIndex().column() == ADJUSTED
    press(Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "1153.25"
    press(Qt.Key.Key_End)
    type_text("0")  # F2 keeps the text: the digit is appended
    press(Qt.Key.Key_Tab)
    assert document.evaluation.budget.total.adjusted == Decimal("1153.250")
    assert page.table.currentIndex().column() == EXECUTED


def test_text_that_is_not_a_number_is_kept_and_marked(budget_page):
    page, document = budget_page
    select(page, OTHER, EXECUTED)
    type_text("12x")
    enter()
    # the old figure no longer counts; the text stays and is an error of the document
    assert document.evaluation.budget.by_source["other"].executed is None
    assert cell(page, OTHER, EXECUTED) == "12x"
    assert [i.message for i in document.issues if i.path == "budget.by_source.other.executed"]
    assert "不是数字" in cell(page, OTHER, EXECUTED, TIP)
    assert cell(page, OTHER, EXECUTED, BG).color().name() == "#fde2e1"
    select(page, OTHER, EXECUTED)
    type_text("12")
    enter()
    assert cell(page, OTHER, EXECUTED) == "12.00"
    assert "不是数字" not in cell(page, OTHER, EXECUTED, TIP)
    # now a real figure, it is checked like any other: 12 spent of a budget of 0
    assert "大于全年预算数" in cell(page, OTHER, EXECUTED, TIP)
    assert cell(page, OTHER, EXECUTED, BG).color().name() == "#fff3cd"


# ---------------------------------------------------------------- computed cells and marks

def test_rate_column_is_computed_read_only_and_explained(budget_page):
    page, _ = budget_page
    index = page.model.index(TOTAL, RATE)
    assert not page.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert "全年执行数 / 全年预算数" in cell(page, TOTAL, RATE, TIP)
    assert cell(page, TOTAL, RATE, BG).color().name() == "#eef1f5"
    assert cell(page, TOTAL, RATE, Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight
    select(page, TOTAL, RATE)
    type_text("5")
    assert not isinstance(QApplication.focusWidget(), QLineEdit)


def test_rows_that_do_not_add_up_are_marked_with_both_figures(budget_page):
    page, _document = budget_page
    select(page, GENERAL, EXECUTED)
    type_text("1000")
    enter()
    tip = cell(page, TOTAL, EXECUTED, TIP)
    assert "1,000.00" in tip and "1,104.37" in tip
    assert cell(page, TOTAL, EXECUTED, BG).color().name() == "#fff3cd"
    # the nature rows: 491.48 + 612.89 = 1104.37 still match 合计
    assert cell(page, BASIC, EXECUTED, BG) is None


def test_executed_above_budget_is_marked_on_the_cell(budget_page):
    page, _ = budget_page
    select(page, BASIC, EXECUTED)
    type_text("500")
    enter()
    tip = cell(page, BASIC, EXECUTED, TIP)
    assert "全年执行数（500.00）大于全年预算数（491.48）" in tip


# ---------------------------------------------------------------- paste and copy

def test_paste_a_block_from_excel_fills_cells_in_one_undo_step(budget_page):
    page, document = budget_page
    select(page, FUND, INITIAL)
    QGuiApplication.clipboard().setText("10\t20\t15\r\n1,000.00\t２０００\t12x\r\n")
    ctrl(Qt.Key.Key_V)
    fund = document.evaluation.budget.by_source["fund"]
    state = document.evaluation.budget.by_source["state_capital"]
    assert (fund.initial, fund.adjusted, fund.executed) == (10, 20, 15)
    assert (state.initial, state.adjusted) == (Decimal("1000.00"), Decimal("2000"))
    assert cell(page, FUND, RATE) == "75.00%"
    # the cell that does not parse is marked, not dropped
    assert cell(page, STATE, EXECUTED) == "12x"
    assert "不是数字" in cell(page, STATE, EXECUTED, TIP)
    assert state.executed is None
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert document.evaluation.budget.by_source["fund"].initial == Decimal("0")


def test_copy_a_selection_as_tab_separated_text(budget_page):
    page, _ = budget_page
    select(page, TOTAL, ADJUSTED)
    page.table.selectionModel().select(
        QItemSelection(page.model.index(TOTAL, ADJUSTED), page.model.index(GENERAL, RATE)),
        page.table.selectionModel().SelectionFlag.ClearAndSelect)
    ctrl(Qt.Key.Key_C)
    rows = split_block(QGuiApplication.clipboard().text())
    assert rows[0][:2] == ["1153.25", "1104.37"]
    assert rows[0][2].startswith("95.7")  # the rate at full precision
    assert len(rows) == 2


def test_delete_clears_the_selected_cells(budget_page):
    page, document = budget_page
    select(page, TOTAL, INITIAL)
    press(Qt.Key.Key_Delete)
    assert document.evaluation.budget.total.initial is None
    # 合计 left empty shows the sum of the fund sources (1153.25), as the report uses it
    assert cell(page, TOTAL, INITIAL) == "1,153.25"


def test_paste_into_projects_adds_rows_and_computes_rates(qtbot, qapp, sample):
    setup_app(qapp)
    document = Document(sample)
    page = show(qtbot, ProjectsPage(document))
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(2, 0))
    page.table.paste("第三个项目\t100\t90\n招商推介活动经费\t50\t50\t\t已完成\n")
    projects = document.evaluation.projects
    assert len(projects) == 4
    assert projects[2].name == "第三个项目" and projects[2].executed == Decimal("90")
    assert projects[3].name == "招商推介活动经费" and projects[3].result == "已完成"
    assert page.model.data(page.model.index(3, 3)) == "100.00%"
    # listed 507.50 of 661.77: a partial list, said so
    assert "以下列出其中重点项目 4 个（预算数合计 507.50 万元，非全部项目）：" in page.sentence.text()


def test_paste_into_empty_task_table_on_a_new_evaluation(qtbot, qapp, sample):
    setup_app(qapp)
    document = Document(new_evaluation(sample.system, "新单位", 2024))
    page = show(qtbot, TasksPage(document))
    assert page.model.rowCount() == 0
    page.table.paste("招商引资\t引进项目 10 个\t引进 12 个\n企业服务\t走访 600 人次\t走访 712 人次\n")
    tasks = document.evaluation.tasks
    assert [t.name for t in tasks] == ["招商引资", "企业服务"]
    assert tasks[1].result == "走访 712 人次"
    assert page.model.rowCount() == 2


def test_total_left_out_shows_the_sum_of_the_sources(qtbot, qapp, sample):
    from dataclasses import replace

    setup_app(qapp)
    document = Document(replace(sample, budget=replace(sample.budget, total=None)))
    page = show(qtbot, BudgetPage(document))
    assert cell(page, TOTAL, EXECUTED) == "1,104.37"
    assert "合计未填写" in cell(page, TOTAL, EXECUTED, TIP)
    select(page, TOTAL, EXECUTED)
    type_text("1104.37")
    enter()
    assert document.evaluation.budget.total.executed == Decimal("1104.37")
    # the other columns stay the sum of the sources (not frozen at today's sum)
    from forms.budget import effective_total

    assert document.evaluation.budget.total.adjusted is None
    assert effective_total(document.evaluation.budget).adjusted == Decimal("1153.25")
    assert "合计未填写" not in (cell(page, TOTAL, EXECUTED, TIP) or "")
    assert "合计未填写" in cell(page, TOTAL, ADJUSTED, TIP)


def test_right_click_menu_is_in_chinese_and_works(qtbot, qapp, sample):
    setup_app(qapp)
    document = Document(sample)
    page = show(qtbot, TasksPage(document))
    menu = page.table.context_menu()
    actions = {a.text(): a for a in menu.actions() if a.text()}
    assert list(actions) == ["复制", "粘贴", "清除内容", "在下方插入一行", "删除所选行"]
    page.table.setCurrentIndex(page.model.index(2, 0))
    QGuiApplication.clipboard().setText("招商引资\t引进项目\n")
    actions["粘贴"].trigger()
    assert document.evaluation.tasks[2].name == "招商引资"
    budget = show(qtbot, BudgetPage(document))
    assert [a.text() for a in budget.table.context_menu().actions() if a.text()] == \
        ["复制", "粘贴", "清除内容"]
