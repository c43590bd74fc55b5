"""A pasted block goes where its header words say, in the words notices and clerks use; a header
row never becomes a data row; unknown words are shown before anything is written."""

from __future__ import annotations

from decimal import Decimal

import pytest
from desktop_typing import press
from desktop_windows import open_window, show_page, shown  # noqa: F401 (fixtures)
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from test_desktop_keeps_typing import select_cell

from forms.vocabulary import COLUMN_WORDS

# header rows as the published reports and clerks' spreadsheets have them
PROJECT_HEADERS = [
    ("项目名称", "年度预算数", "年度预算执行数", "目标实际完成情况"),  # seed 004
    ("项目", "预算数", "实际支出", "绩效完成情况"),
    ("项目名称", "全年预算数（万元）", "全年执行数（万元）", "绩效目标完成情况"),
    ("名称", "预算金额", "执行金额", "实际完成情况"),
]


def _paste(window, text: str):
    page = show_page(window, "projects")
    select_cell(page.table, 0, 0)
    QGuiApplication.clipboard().setText(text)
    press(Qt.Key.Key_V, modifiers=Qt.KeyboardModifier.ControlModifier)
    return page


@pytest.mark.parametrize("header", PROJECT_HEADERS)
def test_each_header_vocabulary_lands_in_the_named_columns(open_window, shown, header):
    window = open_window()
    before = len(window.document.evaluation.projects)
    _paste(window, "\t".join(header) + "\n新项目\t10\t8\t已完成验收\n")
    project = window.document.evaluation.projects[0]
    assert (project.name, project.budget, project.executed, project.result) == (
        "新项目", Decimal(10), Decimal(8), "已完成验收")
    assert all(p.name != header[0] for p in window.document.evaluation.projects)
    assert len(window.document.evaluation.projects) == max(before, 1)
    assert not [s for s in shown if s[1] in ("部分内容未粘贴", "粘贴的表头")]


def test_columns_in_another_order_with_an_unknown_word_are_shown_first(open_window, shown):
    window = open_window()
    shown.answers.append(0)  # 按此粘贴
    _paste(window, "实际支出\t项目\t备注\t预算数\n8\t新项目\t手写备注\t10\n")
    asked = [s for s in shown if s[1] == "粘贴的表头"]
    assert asked and "“备注” → （不粘贴）" in asked[0][2] and "“实际支出” → 全年执行数（万元）" in asked[0][2]
    project = window.document.evaluation.projects[0]
    assert (project.name, project.budget, project.executed) == ("新项目", Decimal(10), Decimal(8))


def test_cancel_on_the_shown_mapping_writes_nothing(open_window, shown):
    window = open_window()
    before = window.document.evaluation
    shown.answers.append(1)  # 取消
    _paste(window, "项目\t说明\n新项目\t甲\n")
    assert window.document.evaluation == before


def test_undo_of_a_paste_clears_what_the_paste_did(open_window, shown):
    window = open_window()
    before = window.document.evaluation.projects
    _paste(window, "项目名称\t年度预算数\n新项目\t10\n")
    assert window.document.evaluation.projects != before
    window.commands.undo.trigger()
    assert window.document.evaluation.projects == before


def test_every_word_names_one_column_per_table():
    for table, columns in COLUMN_WORDS.items():
        seen: dict[str, str] = {}
        for column, words in columns.items():
            for word in words:
                assert seen.setdefault(word, column) == column, (table, word)
