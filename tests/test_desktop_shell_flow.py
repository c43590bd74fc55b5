"""A clerk at the keyboard: the real form pages inside the main window.

Figures are typed in ASCII and in full-width digits, Chinese text arrives as an
input-method commit (what a pinyin IME sends), a checklist is ticked, a leaf is
marked 不适用, Ctrl+Z undoes, the window is closed and reopened, and an issue is
clicked to land on its field.
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QInputMethodEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop_windows import open_window, shown  # noqa: F401 - fixtures
from forms.address import parse
from forms.paths import default_db_path
from forms.storage import Library


def type_chars(widget: QWidget, text: str) -> None:
    """Characters one by one as key events carrying text (full-width digits included)."""
    for ch in text:
        target = QApplication.focusWidget() or widget
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(target, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                     Qt.KeyboardModifier.NoModifier, ch))


def commit_chinese(widget: QWidget, text: str) -> None:
    """What a pinyin input method sends when the clerk picks the characters."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def go_to(window, title: str, qtbot):
    row = next(i for i, p in enumerate(window.pages) if p.title == title)
    rect = window.navigation.list.visualItemRect(window.navigation.list.item(row))
    qtbot.mouseClick(window.navigation.list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.navigation.stack.currentWidget() is window.pages[row]
    return window.pages[row]


def rate_text(page, row: int) -> str:
    model = page.model
    return model.data(model.index(row, model.column_of("rate")), Qt.ItemDataRole.DisplayRole)


def type_into_cell(page, qtbot, row: int, key: str, text: str) -> None:
    table = page.table
    assert table.focus_cell(row, key)
    qtbot.keyClick(table, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier)  # starts the edit…
    editor = QApplication.focusWidget()
    editor.selectAll()  # …replace what the first key typed, as Excel does
    type_chars(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def test_a_clerk_completes_the_sample(open_window, qtbot):
    window = open_window()
    assert window.score_panel.total_text() == "92.58"

    # 收支情况: the total's 全年执行数 typed with full-width digits and a separator
    budget = go_to(window, "收支情况", qtbot)
    type_into_cell(budget, qtbot, 0, "executed", "１,１５３.２５")
    assert rate_text(budget, 0) == "100.00%"
    assert window.score_panel.total_text() == "93.00"
    assert budget.table.currentIndex().row() == 1  # Enter moved down the column
    assert window.navigation.list.item(1).text() == "⚠ 收支情况"  # the sums no longer match

    # 绩效指标评分: an actual value in ASCII
    indicators = go_to(window, "绩效指标评分", qtbot)
    assert indicators.focus(parse("values.output_growth.actual"))
    field = QApplication.focusWidget()
    field.selectAll()
    qtbot.keyClicks(field, "5")
    assert window.score_panel.total_text() == "94.00"

    # a checklist item ticked
    indicators.focus_leaf("perf_mgmt")
    box = indicators.panel.editor.boxes["selfeval"]
    assert not box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=box.rect().center())
    assert box.isChecked()
    assert window.score_panel.total_text() == "97.00"

    # 不适用 with its reason typed through the input method
    indicators.focus_leaf("procurement")
    panel = indicators.panel
    qtbot.mouseClick(panel.not_applicable, Qt.MouseButton.LeftButton,
                     pos=panel.not_applicable.rect().center())
    panel.reason.setFocus()
    commit_chinese(panel.reason, "本年度无政府采购事项")
    assert window.score_panel.total_text() == "96.84"
    assert window.score_panel.renormalised_label.isVisible()
    evaluation = window.document.evaluation
    assert evaluation.value("procurement").reason == "本年度无政府采购事项"

    # Ctrl+Z undoes the reason, then the 不适用 mark
    qtbot.keyClick(panel.reason, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.evaluation.value("procurement").reason == ""
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not window.document.evaluation.value("procurement").not_applicable
    assert window.score_panel.total_text() == "97.00"
    assert not window.score_panel.renormalised_label.isVisible()
    window.commands.redo.trigger()
    window.commands.redo.trigger()
    assert window.score_panel.total_text() == "96.84"

    # close and reopen: everything is there
    before = window.document.evaluation
    window.close()
    window.library.close()
    again = open_window(activate=False)
    assert again.document.evaluation == before
    assert again.score_panel.total_text() == "96.84"
    assert again.document.evaluation.budget.total.executed == Decimal("1153.25")


def test_clicking_an_issue_lands_on_its_field_and_fixing_it_clears_it(open_window, qtbot):
    window = open_window()
    indicators = go_to(window, "绩效指标评分", qtbot)
    assert indicators.focus(parse("values.fdi.actual"))
    field = QApplication.focusWidget()
    field.selectAll()
    qtbot.keyClicks(field, "1000")
    assert window.score_panel.total_text() == "89.25"
    go_to(window, "单位基本情况", qtbot)

    issues = window.issues_panel.list
    assert issues.count() == 1
    assert issues.item(0).text().startswith("⚠ 绩效指标评分 › 实际利用外资得分 6.67 低于分值 10")
    rect = issues.visualItemRect(issues.item(0))
    qtbot.mouseClick(issues.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.navigation.stack.currentWidget() is indicators
    assert indicators.panel.leaf.id == "fdi"
    focused = QApplication.focusWidget()
    assert focused is indicators.panel.deviation.field

    commit_chinese(focused, "招商项目落地延后，下一年度加强跟踪。")
    assert window.issues_panel.list.count() == 0
    assert window.issues_panel.heading.text() == "问题：无 ✓"


def test_a_clerk_fills_a_new_evaluation(open_window, qtbot, monkeypatch):
    from desktop.shell import library_dialog

    window = open_window()

    def fill(dialog):
        index = next(i for i in range(dialog.system_box.count())
                     if "national" in (dialog._systems[i].id or "")
                     or "通用" in dialog.system_box.itemText(i))
        dialog.system_box.setCurrentIndex(index)
        dialog.department_edit.setText("")
        commit_chinese(dialog.department_edit, "某某区财政局")
        dialog.year_spin.setValue(2024)
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(library_dialog.NewEvaluationDialog, "exec", fill)
    window.show_section(5)  # the clerk was on another page
    qtbot.keyClick(window.navigation.list, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.navigation.title_label.text() == "2024 某某区财政局"
    assert window.navigation.list.currentRow() == 0  # a new evaluation starts at 单位基本情况
    assert window.score_panel.total_text() == "0.00"
    completeness = window.score_panel.completeness_label.text()
    assert completeness.startswith("完成度 0/")
    marks = [window.navigation.list.item(i).text()[0] for i in range(window.navigation.list.count())]
    assert marks == ["○"] * 7  # nothing entered yet anywhere

    budget = go_to(window, "收支情况", qtbot)
    type_into_cell(budget, qtbot, 0, "adjusted", "2000")
    type_into_cell(budget, qtbot, 0, "executed", "１８００")
    assert rate_text(budget, 0) == "90.00%"
    # an indicator needs 年末结转和结余 too: the budget page says so (a click goes to the field)
    assert window.navigation.list.item(1).text() == "⚠ 收支情况"
    assert any("年末结转和结余" in i.message for i in window.document.issues
               if i.section == "budget")
    exec_leaf = window.document.result.leaf("exec_rate")
    assert exec_leaf is not None and exec_leaf.actual == Decimal("90")
    assert window.score_panel.total_text() != "0.00"
    total_after_budget = window.score_panel.total_text()

    department = go_to(window, "单位基本情况", qtbot)
    assert department.focus(parse("department.preparer"))
    commit_chinese(QApplication.focusWidget(), "张三")
    assert window.document.evaluation.department.preparer == "张三"
    assert window.score_panel.total_text() == total_after_budget  # a name does not score

    window.save_now()
    library = Library(default_db_path())
    stored = library.get(window.document.evaluation_id)
    assert stored.department.name == "某某区财政局"
    assert stored.department.preparer == "张三"
    assert stored.budget.total.executed == Decimal("1800")
    assert len(library) == 2
    library.close()


def test_opening_another_evaluation_shows_its_own_figures_on_every_page(open_window, qtbot):
    window = open_window()
    sample_id = window.document.evaluation_id
    budget = go_to(window, "收支情况", qtbot)
    assert rate_text(budget, 0) == "95.76%"
    next_id = window.library.start_next_year(sample_id)
    assert window.opening.open_evaluation(next_id)
    assert window.navigation.stack.currentWidget() is budget  # the clerk stays on the same section
    assert rate_text(budget, 0) == ""  # next year's figures are empty
    department = go_to(window, "单位基本情况", qtbot)
    assert department.fields[parse("department.year")].value() == 2023
    assert window.score_panel.total_text() == "0.00"
    # and back: the sample's figures again, and edits go to the right evaluation
    assert window.opening.open_evaluation(sample_id)
    budget = go_to(window, "收支情况", qtbot)
    assert rate_text(budget, 0) == "95.76%"
    type_into_cell(budget, qtbot, 0, "executed", "1153.25")
    window.save_now()
    library = Library(default_db_path())
    assert library.get(sample_id).budget.total.executed == Decimal("1153.25")
    assert library.get(next_id).budget.total.executed is None
    library.close()


def test_tab_goes_from_the_navigation_into_the_page_not_to_the_panels(open_window, qtbot):
    window = open_window()
    window.navigation.list.setFocus()
    visited = []
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    page = window.navigation.stack.currentWidget()
    assert all(page.isAncestorOf(w) for w in visited)
    assert window.issues_panel.list not in visited


def test_clicking_a_subtotal_shows_that_group_in_the_indicator_table(open_window, qtbot):
    window = open_window()
    go_to(window, "单位基本情况", qtbot)
    rows = window.score_panel._rows
    names = [n.text().strip("　") for n, _v in rows]
    name_label, _value = rows[names.index("预算执行")]
    qtbot.mouseClick(name_label, Qt.MouseButton.LeftButton)
    indicators = window.navigation.stack.currentWidget()
    assert indicators.section == "values"
    current = indicators.tree.currentIndex()
    assert indicators.model.data(current.siblingAtColumn(0)) == "预算执行"
