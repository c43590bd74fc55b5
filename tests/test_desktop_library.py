"""评价库 dialog: list, new, 新建下一年度, delete with confirmation, import and export a package."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog

from desktop.common import messages
from desktop.shell.library_dialog import COLUMNS, LibraryDialog, NewEvaluationDialog
from desktop.common.qt_setup import setup_application
from forms.catalog import sample_package_bytes
from forms.package import load_package
from forms.paths import default_db_path
from forms.storage import Library


class _Answers(list):
    """Answers for the next questions; ``shown`` records every message and question."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list[tuple[str, str]] = []


@pytest.fixture
def answers(qapp, monkeypatch):
    """Questions are answered from this list (empty: the last choice, i.e. cancel)."""
    setup_application(qapp)
    queue = _Answers()
    shown = queue.shown
    monkeypatch.setattr(messages.Messages, "ask",
                        staticmethod(lambda parent, title, text, choices, kind="", default=0:
                                     (shown.append((title, text)),
                                      queue.pop(0) if queue else len(choices) - 1)[1]))
    monkeypatch.setattr(messages.Messages, "show",
                        staticmethod(lambda parent, kind, title, text, details="":
                                     shown.append((title, text))))
    return queue


@pytest.fixture
def library():
    lib = Library(default_db_path())
    sample_id = lib.ensure_sample(sample_package_bytes())
    assert sample_id is not None
    yield lib
    lib.close()


def cells(dialog: LibraryDialog) -> list[list[str]]:
    table = dialog.table
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]


def test_the_list_shows_department_year_system_score_grade_and_last_save(qtbot, library, answers):
    dialog = LibraryDialog(library)
    qtbot.addWidget(dialog)
    headers = [dialog.table.horizontalHeaderItem(c).text() for c in range(len(COLUMNS))]
    assert headers == ["单位", "年度", "指标体系", "得分", "等级", "最后保存"]
    [row] = cells(dialog)
    assert row[0] == "广州开发区穗港科技合作园管理委员会"
    assert row[1] == "2022"
    assert row[3:5] == ["92.58", "优"]
    assert len(row[5]) == 16 and row[5][4] == "-" and row[5][10] == " "  # 2026-11-21 22:41


def test_new_evaluation_from_a_shipped_system(qtbot, library, answers, monkeypatch):
    def fill(dialog):
        dialog.system_box.setCurrentIndex(0)
        dialog.department_edit.setText("某某区财政局")
        dialog.year_spin.setValue(2024)
        dialog.accept()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(NewEvaluationDialog, "exec", fill)
    dialog = LibraryDialog(library)
    qtbot.addWidget(dialog)
    dialog.new_evaluation()
    assert dialog.result() == QDialog.DialogCode.Accepted
    created = library.get(dialog.chosen_id)
    assert created.department.name == "某某区财政局"
    assert created.department.year == 2024
    assert len(library) == 2


def test_new_evaluation_needs_a_department(qtbot, answers):
    dialog = NewEvaluationDialog()
    qtbot.addWidget(dialog)
    assert dialog.system_box.count() >= 3  # the shipped systems
    assert all(text.startswith("[内置]") for text in
               (dialog.system_box.itemText(i) for i in range(dialog.system_box.count())))
    dialog.department_edit.setText("   ")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert answers.shown == [("请注意", "请填写单位名称。")]


def test_a_system_file_can_be_chosen_and_a_broken_one_is_refused(qtbot, answers, monkeypatch,
                                                                  tmp_path):
    from forms.catalog import resolve_system, system_file_bytes

    good = tmp_path / "本地体系.json"
    good.write_bytes(system_file_bytes(resolve_system("national-common")))
    broken = tmp_path / "坏的.json"
    broken.write_text("{不是 JSON", encoding="utf-8")
    dialog = NewEvaluationDialog()
    qtbot.addWidget(dialog)
    before = dialog.system_box.count()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(broken), ""))
    dialog._choose_file()
    assert dialog.system_box.count() == before
    assert answers.shown[-1][0] == "无法使用此指标体系文件"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(good), ""))
    dialog._choose_file()
    assert dialog.system_box.count() == before + 1
    assert dialog.system_box.currentText().startswith("[文件]")
    assert "本地体系.json" in dialog.system_box.currentText()


def test_next_year_copies_the_department_and_clears_the_figures(qtbot, library, answers):
    dialog = LibraryDialog(library)
    qtbot.addWidget(dialog)
    dialog.start_next_year()
    new = library.get(dialog.chosen_id)
    assert new.department.year == 2023
    assert new.department.name == "广州开发区穗港科技合作园管理委员会"
    assert new.budget.total.executed is None
    # a second time, the clerk is asked first (2023 exists already) and may cancel
    again = LibraryDialog(library)
    qtbot.addWidget(again)
    again.select_id(next(s.id for s in library.list() if s.year == 2022))
    again.start_next_year()
    assert "已经存在" in answers.shown[-1][1]
    assert len(library) == 2


def test_delete_asks_naming_what_is_lost_and_respects_no(qtbot, library, answers):
    extra = library.start_next_year(library.list()[0].id)
    dialog = LibraryDialog(library)
    qtbot.addWidget(dialog)
    dialog.select_id(extra)
    dialog.delete_selected()  # answered "取消"
    assert len(library) == 2
    title, text = answers.shown[-1]
    assert title == "删除评价"
    assert "2023 年度" in text and "回收站" in text and "90 天" in text
    answers.append(0)  # 删除
    dialog.delete_selected()
    assert len(library) == 1
    assert dialog.table.rowCount() == 1


def test_the_open_evaluation_cannot_be_deleted(qtbot, library, answers):
    current = library.list()[0].id
    dialog = LibraryDialog(library, current_id=current)
    qtbot.addWidget(dialog)
    dialog.select_id(current)
    assert not dialog.delete_button.isEnabled()
    answers.append(0)
    dialog.delete_selected()
    assert len(library) == 1


def test_export_and_import_a_package(qtbot, library, answers, monkeypatch, tmp_path):
    target = tmp_path / "导出" / "穗港-2022.json"
    target.parent.mkdir()
    dialog = LibraryDialog(library)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.export_package()
    exported = load_package(target)
    assert exported == library.get(library.list()[0].id)

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(target), ""))
    dialog.import_package()  # the same department and year: asked, cancelled
    assert answers.shown[-1][0] == "已有同一年度的评价" and len(library) == 1
    answers.append(1)  # 两份都保留
    dialog.import_package()
    assert len(library) == 2
    assert dialog.table.rowCount() == 2
    assert answers.shown[-1][1].startswith("已导入")
    names = [dialog.table.item(r, 0).text() for r in range(2)]
    # the copy's label first, so a narrow column still tells the two apart
    assert any(n.startswith("［导入") for n in names) and any("［" not in n for n in names)
    tips = [dialog.table.item(r, 0).toolTip() for r in range(2)]
    assert all("得分" in t and "保存" in t for t in tips)
    # the delete prompt says which of the two goes: label, score, saved time
    copy_row = next(r for r in range(2) if names[r].startswith("［导入"))
    dialog.table.selectRow(copy_row)
    dialog.delete_selected()  # answered "取消"
    title, text = answers.shown[-1]
    assert title == "删除评价" and "（导入" in text and "得分" in text and "保存" in text


def test_a_bad_package_is_refused_with_a_chinese_message(qtbot, library, answers, monkeypatch,
                                                         tmp_path):
    bad = tmp_path / "坏包.json"
    bad.write_text('{"format": "别的东西"}', encoding="utf-8")
    dialog = LibraryDialog(library)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(bad), ""))
    dialog.import_package()
    assert len(library) == 1
    title, text = answers.shown[-1]
    assert title == "无法导入评价包"
    assert text.startswith("坏包.json 不能导入：")


def test_export_to_an_unwritable_place_says_so(qtbot, library, answers, monkeypatch, tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("x")
    dialog = LibraryDialog(library)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(blocked / "sub" / "a.json"), ""))
    dialog.export_package()
    title, _text = answers.shown[-1]
    assert title == "无法导出评价包"


def test_the_main_window_opens_what_the_library_dialog_chose(qtbot, answers, monkeypatch):
    from desktop.shell.app import create_main_window

    window = create_main_window(None)
    qtbot.addWidget(window)
    next_id = window.library.start_next_year(window.document.evaluation_id)

    def choose(dialog):
        assert dialog.current_id == window.document.evaluation_id
        dialog.select_id(next_id)
        dialog.open_selected()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(LibraryDialog, "exec", choose)
    window.opening.show_library()
    assert window.document.evaluation_id == next_id
    assert window.navigation.title_label.text().startswith("2023")
    window.close()
    window.library.close()


def test_the_system_names_are_shown_whole(qtbot, answers):
    dialog = NewEvaluationDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isVisible)
    metrics = dialog.system_box.fontMetrics()
    for i in range(dialog.system_box.count()):
        text = dialog.system_box.itemText(i)
        assert metrics.horizontalAdvance(text) < dialog.system_box.width(), text


def test_the_dialogs_speak_chinese(qtbot, library, answers):
    import re

    from PySide6.QtWidgets import QAbstractButton, QLabel, QTextBrowser

    from desktop.shell.main_window import HelpDialog

    allowed = {"Ctrl", "Shift", "Tab", "Enter", "JSON", "Excel", "PDF", "F1", "Word", "WPS"}
    for dialog in (LibraryDialog(library), NewEvaluationDialog(), HelpDialog()):
        qtbot.addWidget(dialog)
        texts = [dialog.windowTitle()]
        texts += [w.text() for w in dialog.findChildren(QLabel)]
        texts += [w.text() for w in dialog.findChildren(QAbstractButton)]
        texts += [w.toPlainText() for w in dialog.findChildren(QTextBrowser)]
        words = {w for t in texts for w in re.findall(r"[A-Za-z]{2,}", t.replace("&", ""))}
        assert words - allowed == set(), type(dialog).__name__
