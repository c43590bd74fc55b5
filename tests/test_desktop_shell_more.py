"""The main window, continued: everything in Chinese, fonts, screen size, help, system updates,
errors shown once, failed saves, export keys, toolbar undo, the real question box."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QMenu

from desktop.common import messages
from desktop.common.qt_setup import setup_application
from forms.paths import default_db_path
from forms.storage import Library
from desktop_windows import _Log, edit_leaf, open_window, shown  # noqa: F401 - fixtures


ALLOWED_LATIN = {"Excel", "PDF", "Word", "WPS", "Ctrl", "Shift", "Tab", "Enter", "JSON", "F1", "F2",
                 "Esc"}


def _latin_words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z]{2,}", text.replace("&", ""))) - ALLOWED_LATIN


def test_everything_the_clerk_reads_is_chinese(open_window):
    window = open_window()
    seen: list[str] = [window.windowTitle()]
    for menu in window.menuBar().findChildren(QMenu):
        seen.append(menu.title())
        seen.extend(a.text() for a in menu.actions())
    seen.extend(a.text() for a in window.commands.toolbar.actions())
    seen.extend(w.text() for w in window.findChildren(QLabel) if w is not window.save_status.db_label)
    seen.extend(w.text() for w in window.findChildren(QAbstractButton))
    english = {t: _latin_words(t) for t in seen if _latin_words(t)}
    assert english == {}
    # Qt's own dialogs and context menus
    assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "取消"
    assert QCoreApplication.translate("QPlatformTheme", "OK") == "确定"
    assert QCoreApplication.translate("QLineEdit", "&Undo").startswith("撤")
    assert QCoreApplication.translate("QFileDialog", "Look in:") != "Look in:"


def test_qt_file_dialog_labels_are_chinese(qapp):
    from PySide6.QtWidgets import QFileDialog

    setup_application(qapp)
    dialog = QFileDialog(None, "导出评价包", str(Path.home()), "评价包 (*.json)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    labels = [dialog.labelText(which) for which in (
        QFileDialog.DialogLabel.LookIn, QFileDialog.DialogLabel.FileName,
        QFileDialog.DialogLabel.FileType, QFileDialog.DialogLabel.Accept,
        QFileDialog.DialogLabel.Reject)]
    # Qt 6.8 and 6.9 have no access key on 查找范围/文件类型 ("Look in:"), 6.10 on ("&Look in:")
    labels = [re.sub(r"\(&[A-Z]\)", "", label) for label in labels]
    assert labels == ["查找范围：", "文件名称：", "文件类型：", "打开", "取消"]
    assert QCoreApplication.translate("QAbstractFileIconProvider", "Folder") == "文件夹"
    dialog.deleteLater()


def test_the_ui_font_draws_chinese(qapp):
    from PySide6.QtGui import QFontMetrics

    setup_application(qapp)
    metrics = QFontMetrics(qapp.font())
    for ch in "部门整体支出绩效自评✓⚠✗›▼":
        assert metrics.inFontUcs4(ord(ch)), ch


def test_main_window_fits_1366_by_768_and_is_legible(open_window, tmp_path):
    window = open_window()
    hint = window.minimumSizeHint()
    assert hint.width() <= 1366 and hint.height() <= 768
    assert window.width() <= 1366 and window.height() <= 768
    for label in window.score_panel.findChildren(QLabel):
        if label.isVisible() and label.text():
            assert label.sizeHint().width() <= label.width() + 1, label.text()
    for index in range(window.navigation.list.count()):
        text_width = window.navigation.list.fontMetrics().horizontalAdvance(window.navigation.list.item(index).text())
        assert text_width < window.navigation.list.viewport().width(), window.navigation.list.item(index).text()
    # every character on screen is in the UI font itself (no boxes without system CJK fonts)
    from PySide6.QtGui import QFontMetrics

    texts = [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
    texts += [window.navigation.list.item(i).text() for i in range(window.navigation.list.count())]
    texts += [a.text() for a in window.commands.toolbar.actions()]
    texts += [m.title() for m in window.menuBar().findChildren(QMenu)]
    metrics = QFontMetrics(window.font())
    missing = {ch for text in texts for ch in text
               if ord(ch) > 127 and not metrics.inFontUcs4(ord(ch))}
    assert missing == set()
    shot = tmp_path / "main-window.png"
    assert window.grab().save(str(shot))
    from PySide6.QtGui import QImage

    image = QImage(str(shot))
    assert (image.width(), image.height()) == (window.width(), window.height())
    out = Path(__file__).resolve().parents[1] / "bench-out"
    out.mkdir(exist_ok=True)
    window.grab().save(str(out / "main-window-1366x768.png"))  # to look at


# ---------------------------------------------------------------- other modules, help, errors

def test_help_opens_on_f1(open_window, qtbot, monkeypatch):
    from desktop.shell import main_window

    opened: list[str] = []
    monkeypatch.setattr(main_window.HelpDialog, "exec",
                        lambda self: opened.append(self.windowTitle()) or 0)
    window = open_window()
    window.navigation.list.setFocus()
    qtbot.keyClick(window.navigation.list, Qt.Key.Key_F1)
    assert opened == ["使用说明"]


def test_a_system_update_is_applied_as_one_undoable_step(open_window, monkeypatch):
    from desktop.system_editor import update

    window = open_window()
    before = window.document.evaluation
    renamed = replace(before.system, name="更新后的指标体系")
    monkeypatch.setattr(update, "offer_system_update",
                        lambda parent, evaluation: evaluation.with_system(renamed))
    window.update_system()
    assert window.document.evaluation.system.name == "更新后的指标体系"
    window.commands.undo.trigger()
    assert window.document.evaluation == before


@pytest.mark.qt_no_exception_capture
def test_an_error_in_a_slot_is_shown_and_the_program_keeps_running(open_window, shown,
                                                                   monkeypatch):
    import sys

    window = open_window()
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    messages.install_exception_hook(lambda: window)

    def broken() -> None:
        raise ValueError("坏了")

    window.commands.about.triggered.disconnect()
    window.commands.about.triggered.connect(broken)
    window.commands.about.trigger()
    assert [m[1] for m in shown] == ["意外问题"]
    edit_leaf(window, "output_growth", actual=Decimal("5"))  # still working, still saving
    assert window.score_panel.total_text() == "93.58"
    assert window.save_now()


def test_an_unexpected_error_is_shown_once_in_chinese_and_logged(qapp, shown):
    hook = messages.ExceptionHook(lambda: None)
    try:
        raise RuntimeError("boom")
    except RuntimeError as exc:
        hook(type(exc), exc, exc.__traceback__)
    assert len(shown) == 1
    _kind, title, text = shown[0]
    assert title == "意外问题"
    assert "意外问题" in text and "boom" not in text
    assert "RuntimeError: boom" in messages.log_path().read_text(encoding="utf-8")


def test_long_sessions_do_not_exhaust_none(tmp_path):
    """PySide6 6.12 drops a reference to None on every void call; the program must survive."""
    import subprocess
    import sys

    script = ("import os, desktop.common.qt_setup\n"
              "from PySide6.QtWidgets import QApplication, QLabel\n"
              "app = QApplication([])\n"
              "label = QLabel()\n"
              "for _ in range(60000):\n"
              "    label.setText('已自动保存')\n"
              "print('survived', flush=True)\n"
              "os._exit(0)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1], timeout=60,
                          env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.stdout.strip() == "survived", done.stderr[-500:]


def test_a_failed_save_is_said_once_and_retried_on_the_next_edit(open_window, shown, monkeypatch):
    from forms.storage import StorageError

    window = open_window()
    real_save = window.library.save
    calls: list[int] = []

    def failing(*args, **kwargs):
        calls.append(1)
        raise StorageError("磁盘已满，无法写入数据库。")

    monkeypatch.setattr(window.library, "save", failing)
    edit_leaf(window, "output_growth", actual=Decimal("5"))
    assert not window.save_now()
    edit_leaf(window, "output_growth", actual=Decimal("4"))
    assert not window.save_now()
    assert len(calls) == 2
    failures = [m for m in shown if m[1] == "未能保存"]
    assert failures == [("error", "未能保存", "磁盘已满，无法写入数据库。")]  # once, not per keystroke
    assert window.save_status.saved_label.text() == "未能保存！修改仍在窗口中"
    monkeypatch.setattr(window.library, "save", real_save)
    assert window.save_now()
    assert window.save_status.saved_label.text().startswith("已自动保存")
    other = Library(default_db_path())
    assert other.get(window.document.evaluation_id).value("output_growth").actual == Decimal("4")
    other.close()


def test_export_menu_and_ctrl_p_reach_the_export_module(open_window, qtbot, monkeypatch):
    import desktop.shell.main_window

    calls: list[str] = []
    made: list[object] = []

    class FakeExports:
        def __init__(self, parent, current, on_imported, settings):
            self.current, self.on_imported = current, on_imported
            made.append(self)

        def export_excel(self):
            calls.append("excel")

        def export_pdf(self):
            calls.append("pdf")

        def print_report(self):
            calls.append(f"print:{self.current().department.year}")

        def import_excel(self):
            calls.append("import")
            evaluation = self.current()
            self.on_imported(type(evaluation)(**{**evaluation.__dict__,
                                                 "department": evaluation.department.__class__(
                                                     name="导入的单位", year=2021)}))

    monkeypatch.setattr(desktop.shell.main_window, "ExportActions", FakeExports)
    window = open_window()
    window.commands.export_excel.trigger()
    window.commands.export_pdf.trigger()
    qtbot.keyClick(window.navigation.list, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    window.commands.import_excel.trigger()
    assert calls == ["excel", "pdf", "print:2022", "import"]
    assert len(made) == 1  # one ExportActions for the window
    assert window.navigation.title_label.text() == "2021 导入的单位"  # imported as a new evaluation, opened
    assert len(window.library) == 2


def test_a_defect_while_drawing_the_last_evaluation_never_locks_the_clerk_out(
        open_window, shown, monkeypatch, qtbot):
    from desktop.shell import window_navigation
    from desktop.shell.library_dialog import LibraryDialog

    listed = []
    monkeypatch.setattr(LibraryDialog, "exec", lambda dialog: listed.append(
        [dialog.table.item(r, 4).text() for r in range(dialog.table.rowCount())]) or 0)
    real = window_navigation.build_pages

    def broken(document):
        raise RuntimeError("page defect")

    monkeypatch.setattr(window_navigation, "build_pages", broken)
    window = open_window()  # the start does not depend on the last evaluation
    assert window.document is None
    assert [m[1] for m in shown] == ["无法打开评价"]
    qtbot.waitUntil(lambda: bool(listed))  # the library is offered, the evaluation marked
    assert listed[0] == ["无法打开"]
    monkeypatch.setattr(window_navigation, "build_pages", real)
    other = window.library.add(window.library.get(window.library.list()[0].id))
    assert window.opening.open_evaluation(other) and window.document is not None


def test_ctrl_s_saves_at_once_and_says_so(open_window, qtbot):
    window = open_window()
    edit_leaf(window, "output_growth", actual=Decimal("5"))
    qtbot.keyClick(window.navigation.list, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert window.statusBar().currentMessage() == "已全部保存到数据库"
    other = Library(default_db_path())  # no waiting for the timer
    assert other.get(window.document.evaluation_id).value("output_growth").actual == Decimal("5")
    other.close()


def test_an_evaluation_deleted_by_another_copy_can_be_kept_as_a_new_one(open_window, shown):
    window = open_window()
    evaluation_id = window.document.evaluation_id
    other = Library(default_db_path())
    other.delete(evaluation_id)
    edit_leaf(window, "output_growth", actual=Decimal("5"))
    shown.answers.append(1)  # 另存为新的一份
    assert window.save_now()
    _kind, title, text = shown[-1]
    assert title == "保存冲突" and "已在另一个窗口中被删除" in text
    [row] = other.list()
    assert row.id == window.document.evaluation_id  # (SQLite may reuse the freed id)
    assert other.get(row.id).value("output_growth").actual == Decimal("5")
    other.close()


def test_toolbar_undo_keeps_its_text_and_says_what_it_undoes(open_window):
    window = open_window()
    assert not window.commands.tb_undo.isEnabled()
    edit_leaf(window, "output_growth", actual=Decimal("5"))
    assert window.commands.tb_undo.isEnabled() and window.commands.tb_undo.text() == "撤销"
    assert window.commands.tb_undo.toolTip() == "撤销：绩效指标评分 › 规上工业企业产值增长率"
    window.commands.tb_undo.trigger()
    assert window.score_panel.total_text() == "92.58"
    assert window.commands.tb_redo.isEnabled()
    window.commands.tb_redo.trigger()
    assert window.score_panel.total_text() == "93.58"


def test_the_real_question_box_has_the_chinese_choices_and_returns_the_click(qapp):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    setup_application(qapp)
    seen: list[list[str]] = []

    def answer(label: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.append(sorted(b.text() for b in box.buttons()))
        next(b for b in box.buttons() if b.text() == label).click()

    QTimer.singleShot(0, lambda: answer("删除"))
    assert messages.confirm(None, "删除“2023 年度”？", yes="删除") is True
    QTimer.singleShot(0, lambda: answer("取消"))
    assert messages.confirm(None, "删除“2023 年度”？", yes="删除") is False
    assert seen == [["删除", "取消"], ["删除", "取消"]]
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())  # Esc
    assert messages.Messages.ask(None, "保存冲突", "…", ["重新打开", "另存", "稍后决定"]) == 2
