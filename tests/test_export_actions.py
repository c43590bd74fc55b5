"""The desktop export actions: dialogs answered by the test, work off the UI thread."""

from __future__ import annotations

import errno
import threading
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMainWindow

from desktop.common import messages
from desktop.shell.export_actions import FOLDER_KEY, ExportActions
from forms.package import write_package
from forms.scoring import score


@pytest.fixture
def shown(monkeypatch):
    """Messages the clerk would see: (kind, title, text)."""
    seen: list[tuple[str, str, str]] = []
    monkeypatch.setattr(messages.Messages, "show",
                        staticmethod(lambda parent, kind, title, text, details="":
                                     seen.append((kind, title, text))))
    return seen


@pytest.fixture
def setup(qtbot, tmp_path, sample):
    window = QMainWindow()
    qtbot.addWidget(window)
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    imported: list = []
    state = {"evaluation": sample}
    actions = ExportActions(window, lambda: state["evaluation"],
                            lambda ev: imported.append((ev, threading.current_thread())), settings)
    return window, actions, settings, imported, state


def _answer_save(actions, monkeypatch, path: Path | str, seen: list | None = None):
    def ask(title, suggested, file_filter):
        if seen is not None:
            seen.append((title, suggested, file_filter))
        return str(path)
    monkeypatch.setattr(actions, "ask_save_path", ask)


def test_export_excel_writes_the_workbook_and_remembers_the_folder(setup, qtbot, tmp_path,
                                                                   monkeypatch, shown):
    window, actions, settings, _, _ = setup
    asked: list = []
    _answer_save(actions, monkeypatch, tmp_path / "out" / "自评表", asked)
    (tmp_path / "out").mkdir()
    with qtbot.waitSignal(actions.finished, timeout=20000) as signal:
        actions.export_excel()
    target = tmp_path / "out" / "自评表.xlsx"  # the suffix is added
    assert signal.args == [f"已导出 {target}"]
    assert load_workbook(target)["部门整体支出绩效自评表"]["A1"].value == "部门整体支出绩效自评表"
    assert settings.value(FOLDER_KEY) == str(tmp_path / "out")
    title, suggested, file_filter = asked[0]
    assert title == "导出 Excel 自评表" and "xlsx" in file_filter
    assert suggested.name == "2022年度广州开发区穗港科技合作园管理委员会部门整体支出绩效自评表.xlsx"
    assert window.statusBar().currentMessage() == f"已导出 {target}"
    assert shown == [] and not actions.busy
    # the next dialog opens in the remembered folder
    _answer_save(actions, monkeypatch, tmp_path / "out" / "b.xlsx", asked)
    with qtbot.waitSignal(actions.finished, timeout=20000):
        actions.export_excel()
    assert asked[1][1].parent == tmp_path / "out"


def test_export_pdf(setup, qtbot, tmp_path, monkeypatch, shown):
    _, actions, _, _, _ = setup
    _answer_save(actions, monkeypatch, tmp_path / "报告.pdf")
    with qtbot.waitSignal(actions.finished, timeout=20000) as signal:
        actions.export_pdf()
    assert (tmp_path / "报告.pdf").read_bytes().startswith(b"%PDF")
    assert shown == []
    # the clerk learns which fonts were used, and what the message says is what the file holds
    message = signal.args[0]
    assert message.startswith(f"已导出 {tmp_path / '报告.pdf'}（")
    embedded = _embedded_fonts(tmp_path / "报告.pdf")
    assert embedded
    # the bundled faces the file holds are exactly the bundled faces the message names
    said = {label for label in _BUNDLED_FACES.values() if label in message}
    assert said == {_BUNDLED_FACES[face] for face in embedded if face in _BUNDLED_FACES}
    assert "正文：" in message


# the bundled fonts as the PDF names them, and as the clerk is told of them
_BUNDLED_FACES = {"SelfevalSerifSC-Regular": "内置宋体", "SelfevalKai-Regular": "内置楷体",
                  "WenQuanYiMicroHei": "内置黑体"}


def _embedded_fonts(path: Path) -> set[str]:
    """The font faces a PDF embeds, without reportlab's subset prefix (AAAAAA+)."""
    reader = PdfReader(path)
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1])
    return names


def test_pdf_with_unprintable_characters_warns(setup, qtbot, tmp_path, monkeypatch, shown):
    _, actions, _, _, state = setup
    state["evaluation"] = state["evaluation"].with_narrative("problems", "𠮷字")
    _answer_save(actions, monkeypatch, tmp_path / "r.pdf")
    with qtbot.waitSignal(actions.finished, timeout=20000):
        actions.export_pdf()
    assert len(shown) == 1 and shown[0][0] == messages.WARNING
    assert "𠮷" in shown[0][2] and "〓" in shown[0][2]


def test_write_failure_keeps_the_old_file_and_says_why(setup, qtbot, tmp_path, monkeypatch,
                                                       shown):
    _, actions, _, _, _ = setup
    target = tmp_path / "表.xlsx"
    target.write_bytes(b"old")

    def locked(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("forms.files.os.replace", locked)
    _answer_save(actions, monkeypatch, target)
    with qtbot.waitSignal(actions.failed, timeout=20000) as signal:
        actions.export_excel()
    assert "正被其他程序" in signal.args[0]
    assert shown and shown[0][0] == messages.ERROR and "原文件未改动" in shown[0][2]
    assert target.read_bytes() == b"old"
    assert not actions.busy


def test_cancelled_dialog_does_nothing(setup, monkeypatch, shown):
    _, actions, _, _, _ = setup
    monkeypatch.setattr(actions, "ask_save_path", lambda *a: "")
    actions.export_excel()
    actions.export_pdf()
    assert not actions.busy and shown == []


def test_no_evaluation_open(setup, shown):
    _, actions, _, _, state = setup
    state["evaluation"] = None
    actions.export_excel()
    actions.print_report()
    assert [s[2] for s in shown] == ["请先打开或新建一份评价。"] * 2


def test_import_excel_round_trip_on_the_ui_thread(setup, qtbot, tmp_path, monkeypatch, shown,
                                                  sample):
    from exports.excel import workbook_bytes

    _, actions, settings, imported, _ = setup
    book = tmp_path / "in" / "a.xlsx"
    book.parent.mkdir()
    book.write_bytes(workbook_bytes(sample))
    monkeypatch.setattr(actions, "ask_open_path", lambda *a: str(book))
    with qtbot.waitSignal(actions.finished, timeout=20000):
        actions.import_excel()
    (evaluation, thread), = imported
    assert thread is threading.main_thread()  # the window is only touched from the UI thread
    assert write_package(evaluation) == write_package(sample)
    assert score(evaluation).total == score(sample).total
    assert settings.value(FOLDER_KEY) == str(book.parent)


def test_import_of_a_foreign_workbook_is_refused_clearly(setup, qtbot, tmp_path, monkeypatch,
                                                         shown):
    _, actions, _, imported, _ = setup
    foreign = tmp_path / "别人的.xlsx"
    Workbook().save(foreign)
    monkeypatch.setattr(actions, "ask_open_path", lambda *a: str(foreign))
    with qtbot.waitSignal(actions.failed, timeout=20000):
        actions.import_excel()
    assert imported == []
    assert shown[0][1] == "无法导入" and "不是本程序导出的自评表" in shown[0][2]


@pytest.mark.slow
def test_print_shows_a_preview_of_every_report_page(setup, qtbot, monkeypatch, shown, tmp_path):
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewWidget
    from pypdf import PdfReader

    from desktop.shell.export_actions import paint_pdf_pages

    _, actions, _, _, _ = setup
    previews: list = []
    monkeypatch.setattr(actions, "show_preview", lambda dialog: previews.append(dialog))
    with qtbot.waitSignal(actions.finished, timeout=20000):
        actions.print_report()
    dialog, = previews
    assert dialog.windowTitle().startswith("打印预览")
    dialog.open()  # not modal here, so the test goes on
    widget = dialog.findChild(QPrintPreviewWidget)
    qtbot.waitUntil(lambda: widget.pageCount() == actions.last_report.pages, timeout=20000)
    dialog.close()
    # what goes to the printer: one sheet per report page, the whole A4 sheet
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert paint_pdf_pages(actions.last_report.data, printer, dpi=50) == actions.last_report.pages
    printed = PdfReader(tmp_path / "printed.pdf")
    assert len(printed.pages) == actions.last_report.pages
    box = printed.pages[0].mediabox
    assert round(float(box.width)) == 595 and round(float(box.height)) == 842
    assert shown == []


def test_print_without_a_renderer_opens_the_report_in_a_reader(setup, qtbot, monkeypatch,
                                                                shown):
    _, actions, _, _, _ = setup
    monkeypatch.setattr("desktop.shell.export_actions.preview_available", lambda: False)
    opened: list = []
    monkeypatch.setattr(actions, "open_url", lambda url: opened.append(url) or True)
    with qtbot.waitSignal(actions.finished, timeout=20000):
        actions.print_report()
    path = Path(opened[0].toLocalFile())
    assert path.read_bytes() == actions.last_report.data
    assert actions.last_report.pages >= 5
    assert shown == []


def test_a_second_request_while_busy_is_ignored(setup, qtbot, tmp_path, monkeypatch, shown):
    window, actions, _, _, _ = setup
    asked: list = []
    _answer_save(actions, monkeypatch, tmp_path / "a.xlsx", asked)
    with qtbot.waitSignal(actions.finished, timeout=20000) as first:
        actions.export_excel()
        assert actions.busy and actions._progress is not None  # progress shown while working
        actions.export_pdf()  # while the workbook is still being built: no dialog at all
        actions.import_excel()
        assert window.statusBar().currentMessage() == "上一项导出尚未完成，请稍候"
    assert len(asked) == 1
    assert first.args[0].endswith("a.xlsx")
    assert not (tmp_path / "a.pdf").exists()


def test_through_the_main_window_menu(qtbot, tmp_path, monkeypatch, shown):
    """The real window's 导出 Excel / 导入 Excel actions reach this module end to end."""
    from desktop.shell.app import create_main_window

    target = tmp_path / "窗口导出.xlsx"
    monkeypatch.setattr(ExportActions, "ask_save_path", lambda self, *a: str(target))
    monkeypatch.setattr(ExportActions, "ask_open_path", lambda self, *a: str(target))
    # importing what was just exported repeats its department and year: keep both
    monkeypatch.setattr(messages.Messages, "ask", staticmethod(lambda *a, **k: 1))
    window = create_main_window(None)
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    try:
        before = len(window.library)
        window.commands.export_excel.trigger()
        qtbot.waitUntil(target.exists, timeout=20000)
        qtbot.waitUntil(lambda: not window.exports.busy, timeout=20000)
        assert load_workbook(target)["部门整体支出绩效自评表"]["A2"].value == "（2022年度）"
        window.commands.import_excel.trigger()
        qtbot.waitUntil(lambda: len(window.library) == before + 1, timeout=20000)
        assert window.document.evaluation.department.name == "广州开发区穗港科技合作园管理委员会"
    finally:
        window.close()
        window.library.close()


def test_toolbar_word_button_next_to_pdf_exports_the_word_copy(qtbot, tmp_path, monkeypatch,
                                                              shown):
    """The clerk clicks 导出Word on the toolbar (beside 导出PDF) and gets the .docx."""
    from io import BytesIO

    from docx import Document
    from PySide6.QtWidgets import QToolButton

    from desktop.shell.app import create_main_window

    target = tmp_path / "工具栏导出.docx"
    monkeypatch.setattr(ExportActions, "ask_save_path", lambda self, *a: str(target))
    monkeypatch.setattr(ExportActions, "ask_draft", lambda self, reasons: True)
    window = create_main_window(None)
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    try:
        texts = [a.iconText() for a in window.commands.toolbar.actions() if not a.isSeparator()]
        assert texts[texts.index("导出PDF") + 1] == "导出Word"
        assert texts[texts.index("导出Word") + 1] == "打印"
        button = window.commands.toolbar.widgetForAction(window.commands.export_docx)
        assert isinstance(button, QToolButton) and button.isVisible() and button.isEnabled()
        assert button.text() == "导出Word"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(target.exists, timeout=20000)
        qtbot.waitUntil(lambda: not window.exports.busy, timeout=20000)
        doc = Document(BytesIO(target.read_bytes()))
        assert doc.paragraphs[0].text.startswith("广州开发区穗港科技合作园管理委员会")
    finally:
        window.close()
        window.library.close()


def test_export_word(setup, qtbot, tmp_path, monkeypatch, shown):
    from io import BytesIO

    from docx import Document

    _, actions, _, _, _ = setup
    asked: list = []
    _answer_save(actions, monkeypatch, tmp_path / "报告", asked)
    with qtbot.waitSignal(actions.finished, timeout=20000) as signal:
        actions.export_docx()
    target = tmp_path / "报告.docx"
    assert signal.args == [f"已导出 {target}"]
    doc = Document(BytesIO(target.read_bytes()))
    assert doc.paragraphs[0].text.startswith("广州开发区穗港科技合作园管理委员会")
    assert asked[0][1].name.endswith("部门整体支出绩效自评报告.docx") and "docx" in asked[0][2]
    assert shown == []


def _click_in_question(qtbot, label: str, seen: list[str]) -> None:
    """Answer the next question box as a clerk would: click the button named ``label``."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(50, click)
            return
        seen.append(box.text())
        for button in box.buttons():
            if button.text() == label:
                qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
                return

    from PySide6.QtCore import Qt

    QTimer.singleShot(50, click)


def test_a_draft_is_exported_only_when_the_clerk_agrees(setup, qtbot, tmp_path, monkeypatch,
                                                        shown, sample):
    from dataclasses import replace

    _window, actions, _, _, state = setup
    values = dict(sample.values)
    values.pop(sample.system.leaves()[0].id)
    state["evaluation"] = replace(sample, values=values)
    asked: list = []
    _answer_save(actions, monkeypatch, tmp_path / "草稿报告.pdf", asked)
    questions: list[str] = []
    _click_in_question(qtbot, "返回修改", questions)
    actions.export_pdf()
    assert questions and "尚有 1 项指标未填写" in questions[0] and "草稿" in questions[0]
    assert asked == [] and not (tmp_path / "草稿报告.pdf").exists()
    _click_in_question(qtbot, "导出草稿", questions)
    with qtbot.waitSignal(actions.finished, timeout=20000):
        actions.export_pdf()
    assert asked[0][1].name.endswith("部门整体支出绩效自评报告（草稿）.pdf")
    data = (tmp_path / "草稿报告.pdf").read_bytes()
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        for page in pdf:
            assert "草稿" in page.get_textpage().get_text_range()
    finally:
        pdf.close()


def test_cancel_stops_a_long_report_and_leaves_the_old_file(setup, qtbot, tmp_path, monkeypatch,
                                                           shown):
    import time as _time

    from PySide6.QtWidgets import QProgressDialog, QPushButton

    from exports import pdf_report
    from exports.cancel import check

    _, actions, _, _, _ = setup
    target = tmp_path / "报告.pdf"
    target.write_bytes(b"old report")
    asked = []

    def slow(evaluation, result=None, cancelled=None):
        while True:  # a report that would take minutes, asking now and then
            asked.append(1)
            check(cancelled)
            _time.sleep(0.01)

    monkeypatch.setattr(pdf_report, "build_report", slow)
    _answer_save(actions, monkeypatch, target)
    actions.export_pdf()
    qtbot.waitUntil(lambda: actions._progress is not None and actions._progress.isVisible(),
                    timeout=5000)
    dialog: QProgressDialog = actions._progress
    button = next(b for b in dialog.findChildren(QPushButton) if b.text() == "取消")
    with qtbot.waitSignal(actions.failed, timeout=5000) as signal:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert signal.args[0] == "已取消导出，原有文件未改动"
    assert target.read_bytes() == b"old report" and asked
    assert shown == [] and not actions.busy


@pytest.mark.parametrize("choice, what", [(0, "文件"), (1, "文件夹")])
def test_a_failed_open_says_so_and_offers_the_path(setup, monkeypatch, tmp_path, choice, what):
    from PySide6.QtGui import QGuiApplication

    _, actions, _, _, _ = setup
    target = tmp_path / "报告.pdf"
    target.write_bytes(b"%PDF")
    monkeypatch.setattr(actions, "open_url", lambda url: False)  # nothing can open it
    asked: list = []

    def offer(parent, title, text, choices, chosen):
        chosen(choice)

    def ask(parent, title, text, choices, kind="warning", default=0):
        asked.append((title, text, choices))
        return 0  # 复制路径

    monkeypatch.setattr(messages.Messages, "offer", staticmethod(offer))
    monkeypatch.setattr(messages.Messages, "ask", staticmethod(ask))
    actions.offer_open(target)
    shown_path = target if choice == 0 else target.parent
    assert asked and asked[0][0] == f"无法打开{what}" and str(shown_path) in asked[0][1]
    assert QGuiApplication.clipboard().text() == str(shown_path)


def test_an_example_criterion_makes_the_export_ask(setup, qtbot, tmp_path, monkeypatch, shown,
                                                   sample):
    from dataclasses import replace

    from forms.system import Group

    _window, actions, _, _, state = setup
    first = sample.system.leaves()[0].id

    def swap(nodes):
        return tuple(replace(n, children=swap(n.children)) if isinstance(n, Group)
                     else replace(n, criteria="（示例）请替换为本部门的评分标准") if n.id == first
                     else n for n in nodes)

    state["evaluation"] = replace(sample, system=replace(sample.system,
                                                         indicators=swap(sample.system.indicators)))
    asked: list = []
    _answer_save(actions, monkeypatch, tmp_path / "报告.pdf", asked)
    questions: list[str] = []
    _click_in_question(qtbot, "返回修改", questions)
    actions.export_pdf()
    assert questions and "有 1 处示例文字" in questions[0]
    assert asked == [] and not (tmp_path / "报告.pdf").exists()
