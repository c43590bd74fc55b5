"""The window never loses, crashes on, or silently changes what the clerk typed.

Driven as a clerk drives it: wheel over the editors, keys typed into cells,
clipboard paste, closing the window and starting the program again.
"""

from __future__ import annotations

import time
from decimal import Decimal

import pytest
from desktop_typing import enter, press, type_text
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QGuiApplication, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QFileDialog,
    QPushButton,
    QWidget,
)

from desktop.form.indicator_tree import COL_ACTUAL, COL_SCORE
from desktop_windows import menu_titled, open_window, show_page, shown  # noqa: F401 - fixtures
from forms.address import parse
from forms.catalog import resolve_system
from forms.model import new_evaluation
from forms.package import write_package
from forms.paths import default_db_path
from forms.storage import Library
from tree_rows import leaf_row

GUANGZHOU = "guangzhou-example"


def with_guangzhou() -> int:
    """A library whose first evaluation uses the system with every rule kind and
    a department-defined block still named 示例."""
    library = Library(default_db_path())
    from forms.catalog import sample_package_bytes

    library.ensure_sample(sample_package_bytes())
    new_id = library.add(new_evaluation(resolve_system(GUANGZHOU), "测试局", 2030))
    library.close()
    return new_id


def wheel(widget: QWidget, notches: int = -3) -> None:
    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)
    QApplication.processEvents()


def select_cell(table, row: int, column: int) -> None:
    table.setFocus()
    table.setCurrentIndex(table.model().index(row, column))
    QApplication.processEvents()


# ---------------------------------------------------------------- 1. the wheel never edits

def test_the_wheel_over_every_editor_scrolls_and_changes_nothing(open_window):
    with_guangzhou()
    window = open_window()
    assert window.document.evaluation.department.name == "测试局"
    before = window.document.evaluation
    page = show_page(window, "values")
    page.tree.setFocus()
    kinds = set()
    wheeled = 0
    for leaf in before.system.leaves():
        page.focus_leaf(leaf.id)
        page.tree.setFocus()
        QApplication.processEvents()
        for editor in page.panel.findChildren(QComboBox) + page.panel.findChildren(
                QAbstractSpinBox):
            if not editor.isVisible():
                continue
            kinds.add((leaf.rule.type, type(editor).__name__))
            shown_before = editor.currentIndex() if isinstance(editor, QComboBox) else \
                editor.text()
            for notches in (-3, 2):
                wheel(editor, notches)
                wheeled += 1
            assert (editor.currentIndex() if isinstance(editor, QComboBox)
                    else editor.text()) == shown_before, (leaf.id, editor.objectName())
    assert {"coefficient", "either", "incidents"} <= {k for k, _ in kinds}
    assert any(name == "QComboBox" for _, name in kinds)
    assert any(name == "CountSpin" for _, name in kinds)
    department = show_page(window, "department")
    department.year.clearFocus()
    wheel(department.year, 4)
    wheeled += 1
    assert document_same(window, before)
    print(f"wheel events over {wheeled} editors of {len(kinds)} kinds: nothing changed")


def document_same(window, before) -> bool:
    return window.document.same(window.document.evaluation, before)


def test_the_wheel_over_an_editor_scrolls_the_page_around_it(open_window):
    with_guangzhou()
    window = open_window()
    window.resize(1000, 500)
    page = show_page(window, "values")
    custom = next(leaf for leaf in window.document.evaluation.system.leaves()
                  if leaf.id in page.model.custom_leaves)
    page.focus_leaf(custom.id)
    page.tree.setFocus()
    QApplication.processEvents()
    bar = page.panel_scroll.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    combo = page.panel.c_rule
    rule = combo.currentIndex()
    wheel(combo, 3)  # up
    assert bar.value() < bar.maximum()  # the pane scrolled
    assert combo.currentIndex() == rule  # 计分方式 kept
    combo.setFocus()  # a deliberate act: focused, the wheel edits as usual
    wheel(combo, -1)
    assert combo.currentIndex() != rule


# ---------------------------------------------------------------- 2. nothing typed is lost

def test_a_cell_typed_without_enter_survives_closing_the_window(open_window):
    window = open_window()
    evaluation_id = window.document.evaluation_id
    page = show_page(window, "budget")
    select_cell(page.table, 0, 1)  # 合计 › 全年预算数
    type_text("55.5")  # no Enter: the cell editor is still open
    assert page.table.state() == page.table.State.EditingState
    window.close()
    window.library.close()
    library = Library(default_db_path())
    assert library.get(evaluation_id).budget.total.adjusted == Decimal("55.5")
    library.close()
    again = open_window()  # the program started again
    assert again.document.evaluation.budget.total.adjusted == Decimal("55.5")


def test_an_open_cell_is_committed_before_autosave_and_export(open_window, shown, monkeypatch):
    window = open_window()
    page = show_page(window, "budget")
    select_cell(page.table, 0, 2)
    type_text("777")
    assert window.save_now()
    library = Library(default_db_path())
    assert library.get(window.document.evaluation_id).budget.total.executed == 777
    library.close()
    # an export takes what is being typed too
    seen = []
    from desktop.shell.export_actions import ExportActions

    monkeypatch.setattr(ExportActions, "export_excel",
                        lambda self: seen.append(self.current().budget.total.initial))
    select_cell(page.table, 0, 0)
    type_text("12")
    window.commands.export_excel.trigger()
    assert seen == [Decimal(12)]


# ---------------------------------------------------------------- 3. autosave keeps up

@pytest.mark.slow
def test_autosave_saves_within_a_second_however_fast_the_clerk_types(open_window, qtbot):
    window = open_window()
    page = show_page(window, "department")
    saves: list[float] = []
    window.autosave.saved.connect(lambda _when: saves.append(time.monotonic()))
    first_unsaved: list[float] = []
    field = page.fields[parse("department.preparer")]
    field.setFocus()
    start = time.monotonic()
    typed = 0
    while time.monotonic() - start < 3.0:
        if not window.autosave.dirty:
            first_unsaved.append(time.monotonic())
        type_text("张")
        typed += 1
        qtbot.wait(300)  # a steady typist: never the pause the old timer waited for
    assert len(saves) >= 2, f"{typed} edits in 3 s, {len(saves)} saves"
    for opened, saved in zip(first_unsaved, saves):
        assert saved - opened <= 1.05
    print(f"{typed} edits 0.3 s apart: {len(saves)} saves")


def test_a_27_digit_number_is_an_invalid_entry_not_a_crash(open_window, qtbot):
    window = open_window()
    huge = "100000000000000000000000000"
    page = show_page(window, "budget")
    select_cell(page.table, 1, 1)
    type_text(huge)
    enter()
    values = show_page(window, "values")
    values.focus_leaf("fdi")
    field = values.panel.editor.number
    field.setFocus()
    field.selectAll()
    type_text(huge)
    document = window.document
    assert document.evaluation.budget.by_source["general"].adjusted is None
    assert document.evaluation.value("fdi").actual is None
    errors = [i for i in window.issues_panel.document.issues if i.level == "error"]
    assert {"budget.by_source.general.adjusted", "values.fdi.actual"} <= {i.path for i in errors}
    assert all("过大" in i.message for i in errors if i.path in document.entries)
    assert window.save_now()
    # the next edit anywhere works and is saved
    show_page(window, "department").fields[parse("department.preparer")].setFocus()
    type_text("ok")
    assert window.save_now()


# ---------------------------------------------------------------- 4. invalid is visible

def test_refused_text_is_an_error_everywhere_and_stays(open_window, shown):
    window = open_window()
    page = show_page(window, "budget")
    select_cell(page.table, 0, 1)
    type_text("12x")
    enter()
    issues = window.issues_panel
    assert "12x" in "\n".join(i.message for i in window.document.issues if i.level == "error")
    assert issues.heading.text() != "问题：无 ✓"
    nav = window.navigation.list.item(window.page_for("budget")[0]).text()
    assert nav.startswith("✗")
    # leaving the page and coming back: the text is still there
    show_page(window, "goals")
    page = show_page(window, "budget")
    assert page.model.data(page.model.index(0, 1)) == "12x"
    values = show_page(window, "values")
    values.focus_leaf("visits")
    field = values.panel.editor.number
    field.setFocus()
    field.selectAll()
    type_text("9o")
    item = leaf_row(values, "visits")
    assert item.text(COL_SCORE) == "无效" and item.text(COL_ACTUAL) == "有误"
    assert window.navigation.list.item(window.page_for("values")[0]).text().startswith("✗")
    show_page(window, "goals")
    values = show_page(window, "values")
    assert values.panel.editor.number.text() == "9o"
    # the evaluation keeps the refused text: closing needs no question and loses nothing
    asked = len(shown)
    window.close()
    assert not window.isVisible() and len(shown) == asked
    assert dict(window.document.evaluation.refused) == {"budget.total.adjusted": "12x",
                                                        "values.visits.actual": "9o"}


# ---------------------------------------------------------------- 5. undo says what it did

def test_undo_goes_to_the_field_and_says_what_it_undid(open_window):
    window = open_window()
    page = show_page(window, "budget")
    select_cell(page.table, 0, 2)  # 合计 › 全年执行数
    type_text("100")
    enter()
    total_after = window.score_panel.total_text()
    show_page(window, "department")
    window.commands.undo.trigger()
    assert window.navigation.current_section() == "budget"
    assert window.statusBar().currentMessage() == "撤销：收支情况 › 合计 › 全年执行数"
    assert page.table.currentIndex().row() == 0 and page.table.currentIndex().column() == 2
    assert window.score_panel.total_text() != total_after
    show_page(window, "goals")
    window.commands.redo.trigger()
    assert window.navigation.current_section() == "budget"
    assert window.statusBar().currentMessage().startswith("重做：收支情况 › 合计")
    assert window.commands.history.isEnabled()
    edit_menu = menu_titled(window, "编辑(&E)")
    assert any(a.text().startswith("撤销记录") for a in edit_menu.actions())


# ---------------------------------------------------------------- 6. imports ask

def test_importing_the_same_department_and_year_asks(open_window, shown, monkeypatch, tmp_path):
    window = open_window()
    evaluation = window.document.evaluation
    path = tmp_path / "again.json"
    changed = evaluation.with_narrative("problems", "导入的文字")
    path.write_bytes(write_package(changed))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    count = len(window.library)
    window.opening.import_package()  # cancelled
    assert shown[-1][1] == "已有同一年度的评价" and len(window.library) == count
    shown.answers.append(0)  # 替换已有的: one undoable step
    window.opening.import_package()
    assert len(window.library) == count
    assert window.document.evaluation.narrative["problems"] == "导入的文字"
    window.commands.undo.trigger()
    assert window.document.evaluation.narrative["problems"] != "导入的文字"
    shown.answers.append(1)  # 两份都保留
    shown.answers.append(0)  # the undone import is behind: 保留当前状态 before switching
    window.opening.import_package()
    assert any(s[1] == "有已撤销的修改" for s in shown)
    assert len(window.library) == count + 1
    labels = [s.label for s in window.library.list()]
    assert any(label.startswith("导入") for label in labels)


# ---------------------------------------------------------------- 7. paste maps columns

def test_a_pasted_block_with_a_header_goes_to_the_named_columns(open_window, shown):
    window = open_window()
    page = show_page(window, "projects")
    select_cell(page.table, 0, 0)
    QGuiApplication.clipboard().setText("名称\t预算\t执行\t完成情况\n新项目\t10\t8\t已完成验收\n")
    press(Qt.Key.Key_V, modifiers=Qt.KeyboardModifier.ControlModifier)
    project = window.document.evaluation.projects[0]
    assert (project.name, project.budget, project.executed, project.result) == (
        "新项目", Decimal(10), Decimal(8), "已完成验收")
    assert not [s for s in shown if s[1] == "部分内容未粘贴"]


def test_pasted_text_landing_on_a_computed_column_is_reported_and_marked(open_window, shown):
    window = open_window()
    page = show_page(window, "projects")
    select_cell(page.table, 0, 0)
    QGuiApplication.clipboard().setText("新项目\t10\t8\t已完成验收\n")
    press(Qt.Key.Key_V, modifiers=Qt.KeyboardModifier.ControlModifier)
    report = [s for s in shown if s[1] == "部分内容未粘贴"]
    assert report and "已完成验收" in report[-1][2] and "执行率" in report[-1][2]
    rate = page.model.index(0, 3)
    assert "已完成验收" in page.model.data(rate, Qt.ItemDataRole.ToolTipRole)
    # the mark goes with the paste's step: 撤销 takes it away
    window.commands.undo.trigger()
    assert "已完成验收" not in (page.model.data(rate, Qt.ItemDataRole.ToolTipRole) or "")
    plain = page.model.index(1, 3)  # a computed cell no paste touched
    assert page.model.data(rate, Qt.ItemDataRole.BackgroundRole) == \
        page.model.data(plain, Qt.ItemDataRole.BackgroundRole)


# ---------------------------------------------------------------- 8. carry-over is visible

def test_next_year_marks_copied_texts_until_edited_or_confirmed(open_window, shown):
    window = open_window()
    shown.answers.append(0)  # 新建
    window.opening.start_next_year()
    document = window.document
    assert document.evaluation.department.year == 2023
    carried = [i for i in document.issues if "沿用上年" in i.message]
    assert any(i.path == "goals.targets" for i in carried)
    goals_row = window.page_for("goals")[0]
    assert not window.navigation.list.item(goals_row).text().startswith("✓")
    page = show_page(window, "goals")
    assert page.carry_bar.isVisible()
    field = page.texts["targets"].field
    assert field.stale_year() == 2023
    assert field.property("mark_level") == "warning"
    field.setFocus()
    field.moveCursor(field.textCursor().MoveOperation.End)
    type_text("!")
    assert "goals.targets" not in [i.path for i in document.issues if "沿用上年" in i.message]
    assert field.stale_year() is None
    page.carry_button.click()
    assert not [i for i in document.issues if i.section == "goals" and "沿用上年" in i.message]
    assert not page.carry_bar.isVisible()
    narrative = show_page(window, "narrative")
    assert narrative.carry_bar.isVisible()
    assert window.save_now()
    library = Library(default_db_path())
    from forms.carry_over import carried as carried_paths

    kept = carried_paths(library.get(document.evaluation_id))
    library.close()
    assert kept and all(p.startswith(("narrative", "tasks")) for p in kept)


# ---------------------------------------------------------------- 9. placeholders

def test_placeholder_names_are_warnings_naming_them(open_window):
    with_guangzhou()
    window = open_window()
    placeholders = [i for i in window.document.issues if "示例名称" in i.message]
    assert placeholders and all(i.level == "warning" for i in placeholders)
    assert any("产出数量指标（示例，请替换）" in i.message for i in placeholders)
    listing = window.issues_panel.list
    rendered = "\n".join(listing.item(r).text() for r in range(listing.count()))
    assert "产出数量指标（示例，请替换）" in rendered
    assert not window.navigation.list.item(window.page_for("values")[0]).text().startswith("✓")


# ---------------------------------------------------------------- 10. panel, status, export

def test_score_panel_never_cuts_a_figure_and_greys_not_applicable(open_window):
    window = open_window()
    window.centre_splitter.setSizes([170, 1100, 150])
    QApplication.processEvents()
    assert window.score_panel.width() <= 300
    for _name, value in window.score_panel._rows:
        assert value.width() >= value.fontMetrics().horizontalAdvance(value.text()), value.text()
        assert value.text().count("/") == 1  # "▼29.50/30", never "▼29.50"
    page = show_page(window, "values")
    page.focus_leaf("assets")
    page.panel.not_applicable.setChecked(True)
    assert leaf_row(page, "assets").text(COL_SCORE) == "不适用"
    assert page.panel.score.text().startswith("不适用")


def test_status_bar_shows_the_last_save_after_opening(open_window):
    window = open_window()
    assert window.save_status.saved_label.text().startswith("上次保存 ")


def test_export_ends_with_open_file_and_folder(open_window, shown, monkeypatch, tmp_path, qtbot):
    from desktop.shell.export_actions import ExportActions

    target = tmp_path / "导出.xlsx"
    monkeypatch.setattr(ExportActions, "ask_save_path", lambda self, *a: str(target))
    opened = []
    monkeypatch.setattr(ExportActions, "open_url", lambda self, url: opened.append(url) or True)
    window = open_window()
    window.commands.export_excel.trigger()
    qtbot.waitUntil(lambda: bool(shown.offers), timeout=20000)
    text, choices, chosen = shown.offers[-1]
    assert choices[:2] == ["打开文件", "打开所在文件夹"] and str(target) in text
    chosen(1)
    assert opened[-1].toLocalFile() == str(tmp_path)
    assert not [b for b in window.findChildren(QPushButton) if b.text() == "打开文件"]


def test_the_edit_menu_lists_the_undo_history(open_window, monkeypatch):
    from desktop.shell import safekeeping

    window = open_window()
    page = show_page(window, "budget")
    for column, text in ((0, "10"), (1, "20")):
        select_cell(page.table, 0, column)
        type_text(text)
        enter()
    listed = []
    monkeypatch.setattr(safekeeping.HistoryDialog, "exec", lambda self: listed.append(
        [self.steps.item(r).text() for r in range(self.steps.count())]))
    window.commands.history.trigger()
    assert listed and listed[0][0] == "（打开时的状态）"
    # each step names the row and the column it changed
    assert "1. 收支情况 › 合计 › 年初预算数" in listed[0]
    assert "2. 收支情况 › 合计 › 全年预算数" in listed[0]
    assert len(listed[0]) == window.document.undo_stack.count() + 1


@pytest.mark.slow
def test_autosave_takes_a_cell_being_typed_without_closing_it(open_window, qtbot):
    window = open_window()
    evaluation_id = window.document.evaluation_id
    page = show_page(window, "budget")
    select_cell(page.table, 0, 0)
    type_text("12")  # the editor is open; then another edit starts the autosave timer
    window.document.apply(window.document.evaluation.with_narrative("problems", "甲"), "编辑")
    qtbot.wait(1200)
    assert page.table.state() == page.table.State.EditingState  # still typing
    stored = window.library.get(evaluation_id)
    assert stored.budget.total.initial == 12 and stored.narrative["problems"] == "甲"
    type_text(".")  # "12." is not yet a number: not taken, not refused
    window.document.apply(window.document.evaluation.with_narrative("problems", "乙"), "编辑")
    qtbot.wait(1200)
    assert page.table.state() == page.table.State.EditingState
    assert not window.document.entries
    type_text("5")
    enter()
    assert window.document.evaluation.budget.total.initial == Decimal("12.5")
