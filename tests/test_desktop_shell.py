"""The main window as a clerk meets it: start-up, live score, issues, autosave, reopen, undo."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.shell.app import create_main_window, open_settings
from forms.paths import default_db_path
from forms.storage import Library
from desktop_windows import _Log, edit_leaf, open_window, shown  # noqa: F401 - fixtures


# ---------------------------------------------------------------- start-up

def test_first_start_shows_the_sample_with_its_score(open_window):
    window = open_window()
    assert "穗港科技合作园" in window.navigation.title_label.text()
    assert window.navigation.title_label.text().startswith("2022")
    assert window.score_panel.total_text() == "92.58"
    assert window.score_panel.grade_label.text() == "优"
    assert "12/12" in window.score_panel.completeness_label.text()
    assert not window.score_panel.renormalised_label.isVisible()
    rows = dict(window.score_panel.row_texts())
    assert rows["履职效能"] == "▼57.00/60"
    assert rows["管理效率"] == "▼35.58/40"
    assert rows["产出"] == "30.00/30"  # full marks: no mark
    assert window.issues_panel.heading.text() == "问题：无 ✓"
    titles = [window.navigation.list.item(i).text() for i in range(window.navigation.list.count())]
    assert titles == ["✓ 单位基本情况", "✓ 收支情况", "✓ 绩效目标", "✓ 重点工作任务",
                      "✓ 项目支出", "✓ 绩效指标评分", "✓ 分析与结论"]
    assert str(default_db_path().name) in window.save_status.db_label.text()


def test_the_sample_is_added_only_once(open_window):
    window = open_window()
    window.close()
    window.library.close()
    library = Library(default_db_path())
    only = library.list()[0].id
    library.delete(only)
    library.close()
    second = open_window()
    assert len(second.library) == 0  # a deleted sample does not come back
    assert second.document is None
    assert second.navigation.stack.currentWidget() is second.navigation.empty_page


# ---------------------------------------------------------------- live score and issues

def test_score_panel_follows_every_edit(open_window):
    window = open_window()
    edit_leaf(window, "output_growth", actual=Decimal("5"))
    assert window.score_panel.total_text() == "93.58"
    assert dict(window.score_panel.row_texts())["产出"] == "30.00/30"
    edit_leaf(window, "output_growth", actual=Decimal("2.25"))
    assert window.score_panel.total_text() == "88.08"


def test_not_applicable_switches_to_the_renormalised_total(open_window):
    window = open_window()
    edit_leaf(window, "assets", not_applicable=True, reason="本年度无资产处置")
    assert window.score_panel.total_text() == "92.19"
    assert window.score_panel.renormalised_label.isVisible()
    assert window.score_panel.renormalised_label.text() == "按适用指标折算"


def test_issues_are_listed_errors_first_and_marked_in_the_navigation(open_window):
    window = open_window()
    document = window.document
    budget = document.evaluation.budget
    general = replace(budget.by_source["general"], executed=Decimal("-1"))
    document.apply(replace(document.evaluation,
                           budget=replace(budget, by_source={**budget.by_source, "general": general})))
    edit_leaf(window, "fdi", actual=Decimal("1000"))
    panel = window.issues_panel
    assert panel.heading.text().startswith("问题（1 错误，2 提醒）")
    texts = [panel.list.item(i).text() for i in range(panel.list.count())]
    assert texts[0] == "✗ 收支情况 › 一般公共预算财政拨款：全年执行数（-1.00）不能为负数。"
    assert texts[1].startswith("⚠ 收支情况 › ")
    assert texts[2].startswith("⚠ 绩效指标评分 › 实际利用外资得分 6.67 低于分值 10")
    nav = {window.navigation.list.item(i).text()[2:]: window.navigation.list.item(i).text()[0]
           for i in range(window.navigation.list.count())}
    assert nav["收支情况"] == "✗"
    assert nav["绩效指标评分"] == "⚠"
    assert nav["单位基本情况"] == "✓"


def test_clicking_an_issue_opens_its_page_and_asks_it_to_focus_the_field(open_window, qtbot):
    window = open_window()
    edit_leaf(window, "fdi", actual=Decimal("1000"))
    asked: list[str] = []
    found = window.page_for("values")
    assert found is not None
    index, page = found
    original = page.focus
    page.focus = lambda address: (asked.append(str(address)), original(address))[1]
    window.show_section(0)
    item = window.issues_panel.list.item(0)
    rect = window.issues_panel.list.visualItemRect(item)
    qtbot.mouseClick(window.issues_panel.list.viewport(), Qt.MouseButton.LeftButton,
                     pos=rect.center())
    assert window.navigation.list.currentRow() == index
    assert window.navigation.stack.currentWidget() is page
    assert asked == ["values.fdi.deviation"]


# ---------------------------------------------------------------- undo / redo

def test_undo_and_redo_from_the_edit_menu_and_the_keyboard(open_window, qtbot):
    window = open_window()
    edit_leaf(window, "output_growth", actual=Decimal("5"))
    assert window.score_panel.total_text() == "93.58"
    assert window.commands.undo.isEnabled()
    window.commands.undo.trigger()
    assert window.score_panel.total_text() == "92.58"
    window.commands.redo.trigger()
    assert window.score_panel.total_text() == "93.58"
    window.navigation.list.setFocus()
    qtbot.keyClick(window.navigation.list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.score_panel.total_text() == "92.58"
    qtbot.keyClick(window.navigation.list, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.score_panel.total_text() == "93.58"


# ---------------------------------------------------------------- nothing lost

@pytest.mark.slow
def test_an_edit_is_saved_within_a_second(open_window, qtbot):
    window = open_window()
    evaluation_id = window.document.evaluation_id
    edit_leaf(window, "output_growth", actual=Decimal("5"))
    assert "即将自动保存" in window.save_status.saved_label.text()
    assert window.autosave.timer.isActive() and window.autosave.timer.interval() <= 1000
    qtbot.waitUntil(lambda: window.save_status.saved_label.text().startswith("已自动保存"), timeout=3000)
    other = Library(default_db_path())  # as a second program would see it
    assert other.get(evaluation_id).value("output_growth").actual == Decimal("5")
    assert other.list()[0].total == "93.58"
    other.close()
    assert re.fullmatch(r"已自动保存 \d\d:\d\d:\d\d", window.save_status.saved_label.text())


def test_close_and_reopen_shows_exactly_what_was_there(open_window):
    window = open_window()
    edit_leaf(window, "output_growth", actual=Decimal("2.25"))
    edit_leaf(window, "satisfaction", deviation="企业对用房保障仍有诉求，下一步加快建设。")
    before = window.document.evaluation
    window.close()  # well within the autosave second: closing saves
    window.library.close()
    again = open_window()
    assert again.document.evaluation == before
    assert again.score_panel.total_text() == "88.08"


def test_the_last_evaluation_and_the_window_layout_are_remembered(open_window):
    window = open_window()
    new_id = window.library.start_next_year(window.document.evaluation_id)
    window.opening.open_evaluation(new_id)
    assert window.navigation.title_label.text().startswith("2023")
    window.resize(760, 560)  # within the offscreen screen (800×600)
    window.main_splitter.setSizes([300, 180])
    main_sizes = window.main_splitter.sizes()
    window.close()
    window.library.close()
    assert (Path(open_settings().fileName())).parent == default_db_path().parent
    again = open_window(size=None)
    assert again.document.evaluation_id == new_id
    assert again.navigation.title_label.text().startswith("2023")
    assert (again.width(), again.height()) == (760, 560)
    assert again.main_splitter.sizes() == main_sizes


def test_a_save_conflict_keeps_the_clerks_work_as_a_new_evaluation(open_window, shown):
    window = open_window()
    evaluation_id = window.document.evaluation_id
    other = Library(default_db_path())  # a second copy saves first
    theirs = other.get(evaluation_id)
    other.save(evaluation_id, theirs.with_narrative("conclusion", "另一处的修改"))
    edit_leaf(window, "output_growth", actual=Decimal("5"))
    shown.answers.append(1)  # 另存为新的一份
    assert window.save_now()
    assert shown[-1][1] == "保存冲突"
    rows = other.list()
    assert len(rows) == 2
    mine = other.get(window.document.evaluation_id)
    assert window.document.evaluation_id != evaluation_id
    assert mine.value("output_growth").actual == Decimal("5")
    assert other.get(evaluation_id).narrative["conclusion"] == "另一处的修改"
    other.close()


def test_a_save_conflict_can_reload_the_other_version(open_window, shown):
    window = open_window()
    evaluation_id = window.document.evaluation_id
    other = Library(default_db_path())
    other.save(evaluation_id, other.get(evaluation_id).with_narrative("conclusion", "对方的结论"))
    other.close()
    edit_leaf(window, "output_growth", actual=Decimal("5"))
    shown.answers.append(0)  # 重新打开
    window.save_now()
    assert window.document.evaluation.narrative["conclusion"] == "对方的结论"
    assert window.score_panel.total_text() == "92.58"
    edit_leaf(window, "output_growth", actual=Decimal("5"))  # saving works again afterwards
    assert window.save_now()


def test_a_second_copy_is_told_the_database_is_in_use(open_window):
    first = open_window()
    assert first.save_status.lock_label.isHidden()
    second = open_window()
    assert not second.save_status.lock_label.isHidden()
    assert "另一个窗口正在使用此数据库" in second.save_status.lock_label.text()


def test_a_damaged_database_is_moved_aside_and_a_fresh_one_started(open_window, shown):
    db = default_db_path()
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"this is not a database" * 100)
    shown.answers.append(0)  # 移到一旁并新建
    window = open_window()
    assert window.score_panel.total_text() == "92.58"  # fresh database, with the sample
    assert list(db.parent.glob("selfeval.db.damaged-*"))
    assert shown[0][1] == "数据库已损坏"
    assert "损坏" in shown[0][2]


def test_a_damaged_database_left_alone_quits_cleanly(qapp, shown):
    db = default_db_path()
    db.parent.mkdir(parents=True, exist_ok=True)
    db.write_bytes(b"garbage" * 100)
    shown.answers.append(1)  # 退出
    assert create_main_window(None) is None
    assert db.read_bytes().startswith(b"garbage")  # untouched


# ---------------------------------------------------------------- Chinese everywhere
