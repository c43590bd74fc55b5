"""The main window as a clerk meets it: start-up, live score, issues, autosave, reopen, undo."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QMenu

from desktop import messages
from desktop.app import create_main_window, open_settings
from desktop.qt_setup import setup_application
from forms.paths import default_db_path
from forms.storage import Library


class _Log(list):
    """The messages shown, and the answers queued for the next questions."""

    def __init__(self) -> None:
        super().__init__()
        self.answers: list[int] = []


@pytest.fixture
def shown(qapp, monkeypatch):
    """Every message the program would show: (kind, title, text); dialogs answered by ``answers``."""
    setup_application(qapp)
    log = _Log()
    answers = log.answers

    def show(parent, kind, title, text, details=""):
        log.append((kind, title, text))

    def ask(parent, title, text, choices, kind="warning", default=0):
        log.append(("ask", title, text))
        return answers.pop(0) if answers else len(choices) - 1

    monkeypatch.setattr(messages.Messages, "show", staticmethod(show))
    monkeypatch.setattr(messages.Messages, "ask", staticmethod(ask))
    return log


@pytest.fixture
def open_window(qtbot, shown):
    windows = []

    def make(db=None, size=(1366, 768)):
        window = create_main_window(db)
        assert window is not None
        qtbot.addWidget(window)
        if size:
            window.resize(*size)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)  # shortcuts need the active window
        windows.append(window)
        return window

    yield make
    for window in windows:
        if window.isVisible():
            window.close()
        window.library.close()


def edit_leaf(window, leaf_id: str, **changes):
    document = window.document
    value = document.evaluation.value(leaf_id)
    document.apply(document.evaluation.with_value(leaf_id, replace(value, **changes)),
                   "编辑", merge_key=f"values.{leaf_id}")


# ---------------------------------------------------------------- start-up

def test_first_start_shows_the_sample_with_its_score(open_window):
    window = open_window()
    assert "穗港科技合作园" in window.title_label.text()
    assert window.title_label.text().startswith("2022")
    assert window.score_panel.total_text() == "92.58"
    assert window.score_panel.grade_label.text() == "优"
    assert "12/12" in window.score_panel.completeness_label.text()
    assert not window.score_panel.renormalised_label.isVisible()
    rows = dict(window.score_panel.row_texts())
    assert rows["履职效能"] == "▼57.00/60"
    assert rows["管理效率"] == "▼35.58/40"
    assert rows["产出"] == "30.00/30"  # full marks: no mark
    assert window.issues_panel.heading.text() == "问题：无 ✓"
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["✓ 单位基本情况", "✓ 收支情况", "✓ 绩效目标", "✓ 重点工作任务",
                      "✓ 项目支出", "✓ 绩效指标评分", "✓ 分析与结论"]
    assert str(default_db_path().name) in window.db_label.text()


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
    assert second.stack.currentWidget() is second.empty_page


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
    nav = {window.nav.item(i).text()[2:]: window.nav.item(i).text()[0]
           for i in range(window.nav.count())}
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
    assert window.nav.currentRow() == index
    assert window.stack.currentWidget() is page
    assert asked == ["values.fdi.deviation"]


# ---------------------------------------------------------------- undo / redo

def test_undo_and_redo_from_the_edit_menu_and_the_keyboard(open_window, qtbot):
    window = open_window()
    edit_leaf(window, "output_growth", actual=Decimal("5"))
    assert window.score_panel.total_text() == "93.58"
    assert window.act_undo.isEnabled()
    window.act_undo.trigger()
    assert window.score_panel.total_text() == "92.58"
    window.act_redo.trigger()
    assert window.score_panel.total_text() == "93.58"
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.score_panel.total_text() == "92.58"
    qtbot.keyClick(window.nav, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.score_panel.total_text() == "93.58"


# ---------------------------------------------------------------- nothing lost

@pytest.mark.slow
def test_an_edit_is_saved_within_a_second(open_window, qtbot):
    window = open_window()
    evaluation_id = window.document.evaluation_id
    edit_leaf(window, "output_growth", actual=Decimal("5"))
    assert "即将自动保存" in window.saved_label.text()
    assert window.autosave.timer.isActive() and window.autosave.timer.interval() <= 1000
    qtbot.waitUntil(lambda: window.saved_label.text().startswith("已自动保存"), timeout=3000)
    other = Library(default_db_path())  # as a second program would see it
    assert other.get(evaluation_id).value("output_growth").actual == Decimal("5")
    assert other.list()[0].total == "93.58"
    other.close()
    assert re.fullmatch(r"已自动保存 \d\d:\d\d:\d\d", window.saved_label.text())


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
    window.open_evaluation(new_id)
    assert window.title_label.text().startswith("2023")
    window.resize(760, 560)  # within the offscreen screen (800×600)
    window.main_splitter.setSizes([300, 180])
    main_sizes = window.main_splitter.sizes()
    window.close()
    window.library.close()
    assert (Path(open_settings().fileName())).parent == default_db_path().parent
    again = open_window(size=None)
    assert again.document.evaluation_id == new_id
    assert again.title_label.text().startswith("2023")
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
    assert first.lock_label.isHidden()
    second = open_window()
    assert not second.lock_label.isHidden()
    assert "另一个窗口正在使用此数据库" in second.lock_label.text()


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
    seen.extend(a.text() for a in window.toolbar.actions())
    seen.extend(w.text() for w in window.findChildren(QLabel) if w is not window.db_label)
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
    assert labels == ["查找范围(&L)：", "文件名称(&N)：", "文件类型(&T)：", "打开(&O)", "取消"]
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
    for index in range(window.nav.count()):
        text_width = window.nav.fontMetrics().horizontalAdvance(window.nav.item(index).text())
        assert text_width < window.nav.viewport().width(), window.nav.item(index).text()
    # every character on screen is in the UI font itself (no boxes without system CJK fonts)
    from PySide6.QtGui import QFontMetrics

    texts = [w.text() for w in window.findChildren(QLabel) if w.isVisible()]
    texts += [window.nav.item(i).text() for i in range(window.nav.count())]
    texts += [a.text() for a in window.toolbar.actions()]
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
    from desktop import main_window

    opened: list[str] = []
    monkeypatch.setattr(main_window.HelpDialog, "exec",
                        lambda self: opened.append(self.windowTitle()) or 0)
    window = open_window()
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_F1)
    assert opened == ["使用说明"]


def test_a_system_update_is_applied_as_one_undoable_step(open_window, monkeypatch):
    import sys
    import types

    window = open_window()
    before = window.document.evaluation
    renamed = replace(before.system, name="更新后的指标体系")
    fake = types.ModuleType("desktop.system_editor")
    fake.offer_system_update = lambda parent, evaluation: evaluation.with_system(renamed)
    fake.open_system_editor = lambda parent: None
    monkeypatch.setitem(sys.modules, "desktop.system_editor", fake)
    window.update_system()
    assert window.document.evaluation.system.name == "更新后的指标体系"
    window.act_undo.trigger()
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

    window.act_about.triggered.disconnect()
    window.act_about.triggered.connect(broken)
    window.act_about.trigger()
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

    script = ("import os, desktop.qt_setup\n"
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
    assert window.saved_label.text() == "未能保存！修改仍在窗口中"
    monkeypatch.setattr(window.library, "save", real_save)
    assert window.save_now()
    assert window.saved_label.text().startswith("已自动保存")
    other = Library(default_db_path())
    assert other.get(window.document.evaluation_id).value("output_growth").actual == Decimal("4")
    other.close()


def test_export_menu_and_ctrl_p_reach_the_export_module(open_window, qtbot, monkeypatch):
    import desktop.main_window

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

    monkeypatch.setattr(desktop.main_window, "ExportActions", FakeExports)
    window = open_window()
    window.act_export_excel.trigger()
    window.act_export_pdf.trigger()
    qtbot.keyClick(window.nav, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    window.act_import_excel.trigger()
    assert calls == ["excel", "pdf", "print:2022", "import"]
    assert len(made) == 1  # one ExportActions for the window
    assert window.title_label.text() == "2021 导入的单位"  # imported as a new evaluation, opened
    assert len(window.library) == 2


def test_a_defect_while_drawing_the_last_evaluation_never_locks_the_clerk_out(
        open_window, shown, monkeypatch, qtbot):
    from desktop import main_window
    from desktop.library_dialog import LibraryDialog

    listed = []
    monkeypatch.setattr(LibraryDialog, "exec", lambda dialog: listed.append(
        [dialog.table.item(r, 4).text() for r in range(dialog.table.rowCount())]) or 0)
    real = main_window.build_pages

    def broken(document):
        raise RuntimeError("page defect")

    monkeypatch.setattr(main_window, "build_pages", broken)
    window = open_window()  # the start does not depend on the last evaluation
    assert window.document is None
    assert [m[1] for m in shown] == ["无法打开评价"]
    qtbot.waitUntil(lambda: bool(listed))  # the library is offered, the evaluation marked
    assert listed[0] == ["无法打开"]
    monkeypatch.setattr(main_window, "build_pages", real)
    other = window.library.add(window.library.get(window.library.list()[0].id))
    assert window.open_evaluation(other) and window.document is not None


def test_ctrl_s_saves_at_once_and_says_so(open_window, qtbot):
    window = open_window()
    edit_leaf(window, "output_growth", actual=Decimal("5"))
    qtbot.keyClick(window.nav, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
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
    assert not window.tb_undo.isEnabled()
    edit_leaf(window, "output_growth", actual=Decimal("5"))
    assert window.tb_undo.isEnabled() and window.tb_undo.text() == "撤销"
    assert window.tb_undo.toolTip() == "撤销：编辑"
    window.tb_undo.trigger()
    assert window.score_panel.total_text() == "92.58"
    assert window.tb_redo.isEnabled()
    window.tb_redo.trigger()
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
