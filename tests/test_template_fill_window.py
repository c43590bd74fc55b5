"""文件 › 填写财政局模板… as a clerk uses it: pick the template, correct one cell in the
proposed mapping by typing, save the copy; the next time the corrected mapping comes back."""

from __future__ import annotations


import pytest
import template_shapes
from desktop_windows import menu_titled, open_window, shown  # noqa: F401 (fixtures)
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from desktop.shell.template_dialog import COL_CELL, TemplateFillDialog


def _row_of(dialog: TemplateFillDialog, label: str) -> int:
    return next(r for r in range(dialog.table.rowCount())
                if dialog.table.item(r, 0).text() == label)


def _type_cell(qtbot, dialog: TemplateFillDialog, row: int, text: str) -> None:
    table = dialog.table
    table.setCurrentCell(row, COL_CELL)
    table.editItem(table.item(row, COL_CELL))
    editor = table.focusWidget()
    editor.selectAll()
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the delegate commits on the next turn
    qtbot.waitUntil(lambda: table.item(row, COL_CELL).text() == text)


@pytest.mark.slow
def test_fill_template_from_the_file_menu(open_window, shown, qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_HOME", str(tmp_path / "home"))
    window = open_window(tmp_path / "lib.db")
    template = tmp_path / "财政局模板.xlsx"
    template.write_bytes(template_shapes.merged_headers())
    before = template.read_bytes()
    actions = window.exports
    monkeypatch.setattr(actions, "ask_open_path", lambda *a: str(template))
    saves: list = []

    def save(title, suggested, file_filter):
        saves.append(suggested)
        return str(tmp_path / f"out{len(saves)}.xlsx")

    monkeypatch.setattr(actions, "ask_save_path", save)
    monkeypatch.setattr(actions, "offer_open", lambda path: None)
    seen: list[TemplateFillDialog] = []

    def first(dialog: TemplateFillDialog) -> bool:
        seen.append(dialog)
        dialog.show()
        dialog.activateWindow()
        qtbot.waitUntil(dialog.isActiveWindow)
        grade = _row_of(dialog, "自评等级")
        assert dialog.table.item(grade, COL_CELL).text() == "D11"
        assert not dialog.table.isRowHidden(grade)
        _type_cell(qtbot, dialog, grade, "G")  # a slip (no row): refused, 填写 disabled
        assert not dialog.ok.isEnabled()
        _type_cell(qtbot, dialog, grade, "G11")
        assert dialog.ok.isEnabled()
        combo = dialog.table.cellWidget(grade, 2)
        assert isinstance(combo, QComboBox) and combo.currentText() == "自评表"
        return True

    monkeypatch.setattr(actions, "run_dialog", first)
    menu = menu_titled(window, "文件")
    action = next(a for a in menu.actions() if a.text() == "填写财政局模板…")
    with qtbot.waitSignal(actions.finished, timeout=20000) as signal:
        action.trigger()
    assert "填写了" in signal.args[0]
    assert saves[0].name == "财政局模板（已填写）.xlsx"
    ws = load_workbook(tmp_path / "out1.xlsx")["自评表"]
    assert ws["G11"].value == "优" and ws["D11"].value is None
    assert ws["B2"].value == window.document.evaluation.department.name
    assert template.read_bytes() == before

    def second(dialog: TemplateFillDialog) -> bool:
        assert "上次保存" in dialog.summary.text()
        assert dialog.table.item(_row_of(dialog, "自评等级"), COL_CELL).text() == "G11"
        return True

    monkeypatch.setattr(actions, "run_dialog", second)
    with qtbot.waitSignal(actions.finished, timeout=20000):
        action.trigger()
    assert load_workbook(tmp_path / "out2.xlsx")["自评表"]["G11"].value == "优"
    assert [s for s in shown if s[0] == "error"] == []


@pytest.mark.slow
def test_a_template_that_is_not_a_workbook_is_refused_in_chinese(open_window, shown, tmp_path,
                                                                  monkeypatch):
    window = open_window(tmp_path / "lib.db")
    bad = tmp_path / "模板.xlsx"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    monkeypatch.setattr(window.exports, "ask_open_path", lambda *a: str(bad))
    window.fill_bureau_template()
    assert any("xls" in text and "模板" in text for _kind, _title, text in shown)


@pytest.mark.slow
def test_the_filled_copy_never_lands_on_the_template_or_the_database(open_window, shown,
                                                                     tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_HOME", str(tmp_path / "home"))
    window = open_window(tmp_path / "lib.db")
    template = tmp_path / "模板.xlsx"
    template.write_bytes(template_shapes.merged_headers())
    before = template.read_bytes()
    actions = window.exports
    monkeypatch.setattr(actions, "ask_open_path", lambda *a: str(template))
    monkeypatch.setattr(actions, "run_dialog", lambda dialog: True)
    monkeypatch.setattr(actions, "ask_save_path", lambda *a: str(template))
    window.fill_bureau_template()
    assert template.read_bytes() == before
    assert any(kind == "error" and "模板.xlsx" in text for kind, _title, text in shown)
    assert not actions.busy  # refused before any work started
