"""编辑 › 撤销记录 can never throw work away: a jump is one more step, the later steps stay, and
leaving a state with undone steps after it asks first."""

from __future__ import annotations

from decimal import Decimal

import pytest
from desktop_typing import enter, type_text
from desktop_windows import open_window, show_page, shown  # noqa: F401 (fixtures)
from PySide6.QtCore import Qt
from test_desktop_keeps_typing import select_cell

from desktop.shell import safekeeping


def _type_four(window):
    page = show_page(window, "budget")
    for column, text in ((0, "10"), (1, "20"), (2, "30")):
        select_cell(page.table, 0, column)
        type_text(text)
        enter()
    return page


def test_a_jump_is_one_undoable_step_and_keeps_every_later_step(open_window, qtbot):
    window = open_window()
    document = window.document
    _type_four(window)
    stack = document.undo_stack
    assert stack.count() == 3 and document.evaluation.budget.total.executed == Decimal(30)
    dialog = safekeeping.HistoryDialog(document, window)
    qtbot.addWidget(dialog)
    labels = [dialog.steps.item(r).text() for r in range(dialog.steps.count())]
    assert labels[1:] == ["1. 收支情况 › 合计 › 年初预算数", "2. 收支情况 › 合计 › 全年预算数",
                          "3. 收支情况 › 合计 › 全年执行数"]
    # an exploratory click selects; nothing changes until 回到这一步
    dialog.steps.setCurrentRow(1)
    assert document.evaluation.budget.total.executed == Decimal(30)
    qtbot.mouseClick(dialog.go_button, Qt.MouseButton.LeftButton)
    total = document.evaluation.budget.total
    assert (total.initial, total.adjusted, total.executed) == \
        (Decimal(10), Decimal("1153.25"), Decimal("1104.37"))  # the sample's, as opened
    assert stack.count() == 4 and stack.index() == 4  # the jump is a step of its own
    assert stack.text(3).startswith("回到第 1 步之后")
    stack.undo()  # one 撤销 brings the work back
    assert document.evaluation.budget.total.executed == Decimal(30)
    assert not document.behind or stack.index() == 3


@pytest.mark.parametrize("answer, executed", [(0, Decimal("1104.37")), (1, Decimal(30))])
def test_closing_behind_later_steps_asks(open_window, shown, monkeypatch, answer, executed):
    window = open_window()
    document = window.document
    evaluation_id = document.evaluation_id
    _type_four(window)
    document.undo_stack.undo()
    asked = []

    def ask(parent, title, text, choices, kind="warning", default=0):
        asked.append((title, text, choices))
        return answer

    from desktop.common import messages

    monkeypatch.setattr(messages.Messages, "ask", staticmethod(ask))
    window.close()
    assert asked and asked[0][2] == ["保留当前状态", "回到最新状态", "取消"]
    assert "1 步已撤销" in asked[0][1]
    assert window.library.get(evaluation_id).budget.total.executed == executed


def test_cancel_keeps_the_window_open(open_window, monkeypatch):
    window = open_window()
    _type_four(window)
    window.document.undo_stack.undo()
    from desktop.common import messages

    monkeypatch.setattr(messages.Messages, "ask", staticmethod(lambda *a, **k: 2))
    window.close()
    assert window.isVisible()
    monkeypatch.setattr(messages.Messages, "ask", staticmethod(lambda *a, **k: 1))
