"""The 审核 window as the bureau's reviewer uses it: 文件 › 审核多个单位…, choose the folder,
sort by score, filter by a flag, open a submission read-only, export the summary, cancel."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from desktop_windows import menu_titled
from review_folder import BAIYUN_NAME, EDITED_NAME, PROBLEM_NAME, SUIGANG_NAME, build_folder

from desktop.common import messages
from desktop.shell.app import create_main_window
from forms.address import parse
from desktop.common.qt_setup import setup_application
from desktop.shell.review_window import COL_TOTAL, ReviewDocument, ReviewWindow


@pytest.fixture
def shown(qapp, monkeypatch):
    setup_application(qapp)
    log: list[tuple[str, str, str]] = []
    monkeypatch.setattr(messages.Messages, "show", staticmethod(
        lambda parent, kind, title, text, details="": log.append((kind, title, text))))
    return log


@pytest.fixture
def main_window(qtbot, shown):
    window = create_main_window(None)
    assert window is not None
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    yield window
    review = getattr(window, "review_window", None)
    if review is not None:
        review.close()
    window.close()
    window.library.close()


def _menu_action(window, menu_title: str, text: str):
    for item in menu_titled(window, menu_title).actions():
        if item.text() == text:
            return item
    raise LookupError(text)


def _open_review(window, qtbot, monkeypatch, folder: Path) -> ReviewWindow:
    _menu_action(window, "文件", "审核多个单位…").trigger()
    review = window.review_window
    assert isinstance(review, ReviewWindow) and review.isVisible()
    monkeypatch.setattr(review, "ask_folder", lambda: str(folder))
    qtbot.mouseClick(review.choose_button, Qt.MouseButton.LeftButton)
    return review


def _names(review: ReviewWindow) -> list[str]:
    return [review.table.item(r, 0).text() for r in range(review.table.rowCount())
            if not review.table.isRowHidden(r)]


def _totals(review: ReviewWindow) -> list[str]:
    return [review.table.item(r, COL_TOTAL).text() for r in range(review.table.rowCount())
            if not review.table.isRowHidden(r)]


def _click_header(qtbot, review: ReviewWindow, column: int) -> None:
    header = review.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=QPoint(x, header.height() // 2))


def _choose_in_combo(qtbot, combo, text: str) -> None:
    """Open the drop-down and click the entry, as a person does."""
    combo.showPopup()
    view = combo.view()
    qtbot.waitUntil(view.isVisible)
    index = combo.findText(text)
    assert index >= 0
    model_index = view.model().index(index, 0)
    view.scrollTo(model_index)
    rect = view.visualRect(model_index)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: combo.currentText() == text)


def test_review_sort_filter_open_and_export(main_window, qtbot, monkeypatch, tmp_path, shown):
    folder = tmp_path / "报来的自评"
    build_folder(folder)
    review = _open_review(main_window, qtbot, monkeypatch, folder)
    qtbot.waitUntil(lambda: review.review is not None, timeout=60000)
    assert not review.progress.isVisible() and not review.cancel_button.isVisible()
    assert review.tabs.tabText(0) == "自评（5）" and review.tabs.tabText(1) == "未能读取的文件（4）"
    assert _totals(review) == ["92.58", "92.58", "91.32", "90.99", "90.99"]
    assert review.summary_label.text().startswith("共 5 份；优 2")
    reasons = {review.rejected_table.item(r, 0).text(): review.rejected_table.item(r, 1).text()
               for r in range(review.rejected_table.rowCount())}
    assert reasons[str(folder / "损坏.xlsx")].startswith("文件已损坏")

    # a reference system: the folder is read again, the other system is flagged
    assert review.filter_combo.findText("未使用参考指标体系") >= 0
    _choose_in_combo(qtbot, review.reference_combo, "示例：广州市区级部门整体支出绩效自评指标体系（非官方）")
    qtbot.waitUntil(lambda: not review.busy and review.reference is not None, timeout=60000)
    _choose_in_combo(qtbot, review.filter_combo, "未使用参考指标体系")
    assert _names(review) == [SUIGANG_NAME, SUIGANG_NAME]
    _choose_in_combo(qtbot, review.filter_combo, "全部")
    assert len(_names(review)) == 5

    # sort by score: one click ascending, another descending
    _click_header(qtbot, review, COL_TOTAL)
    assert _totals(review) == ["90.99", "90.99", "91.32", "92.58", "92.58"]
    _click_header(qtbot, review, COL_TOTAL)
    assert _totals(review)[0] == "92.58" and _totals(review)[-1] == "90.99"
    _click_header(qtbot, review, 0)  # by name
    assert _names(review) == sorted(_names(review))

    # filter by a flag
    _choose_in_combo(qtbot, review.filter_combo, "导出后改动了表格")
    assert _names(review) == [EDITED_NAME]
    _choose_in_combo(qtbot, review.filter_combo, "重复报送")
    assert _names(review) == [SUIGANG_NAME, SUIGANG_NAME]
    _choose_in_combo(qtbot, review.filter_combo, "草稿（不计入平均）")  # the example system's
    assert _names(review) == sorted([EDITED_NAME, BAIYUN_NAME, PROBLEM_NAME])
    _choose_in_combo(qtbot, review.filter_combo, "没有问题标记的")
    assert _names(review) == []
    _choose_in_combo(qtbot, review.filter_combo, "有问题标记的")
    assert sorted(_names(review)) == sorted([EDITED_NAME, PROBLEM_NAME, SUIGANG_NAME,
                                             SUIGANG_NAME, BAIYUN_NAME])
    _choose_in_combo(qtbot, review.filter_combo, "导出后改动了表格")

    # open it: read-only in the main window, the flags heading the issues panel
    row = next(r for r in range(review.table.rowCount()) if not review.table.isRowHidden(r))
    rect = review.table.visualItemRect(review.table.item(row, 0))
    qtbot.mouseClick(review.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    details = review.details.toPlainText()
    assert details.startswith(f"{EDITED_NAME} 2023")
    assert "导出后改动了表格：合计 全年执行数：导出时为“11894.15”，表上为“13000” 部门整体支出绩效自评表!F8" \
        in details
    qtbot.mouseDClick(review.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    document = main_window.document
    assert isinstance(document, ReviewDocument)
    assert document.evaluation.department.name == EDITED_NAME
    texts = [main_window.issues_panel.list.item(i).text()
             for i in range(main_window.issues_panel.list.count())]
    assert "⚠ 收支情况 › 【审核·导出后改动了表格】合计 全年执行数：导出时为“11894.15”，表上为“13000”" \
        "（部门整体支出绩效自评表!F8）" in texts
    assert any(t.startswith("⚠ 绩效指标评分 › 【审核·表上得分与重算不符】表上总分 95.00，重算 91.32")
               for t in texts)
    assert main_window.score_panel.isVisible()
    assert "只读（审核）" in main_window.save_status.saved_label.text()

    # an attempt to change the department name is refused: the field shows the data again
    main_window.show_section(0)
    page = main_window.navigation.current_page()
    field = page.fields[parse("department.name")]
    assert isinstance(field, QLineEdit)
    field.setFocus()
    qtbot.keyClicks(field, "X")
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    QApplication.processEvents()
    assert main_window.document.evaluation.department.name == EDITED_NAME
    assert field.text() == EDITED_NAME
    assert field.isReadOnly()  # the field takes no typing; the banner says why
    assert main_window.save_status.view_only_banner.isVisible()
    assert main_window.save_status.view_only_banner.text().startswith("只读")
    assert not main_window.commands.export_pdf.isEnabled() and not main_window.commands.print.isEnabled()
    assert len(main_window.library.list()) == 1  # nothing was added to the library

    # export the summary workbook from the review window
    target = tmp_path / "导出" / "汇总"
    target.parent.mkdir()
    monkeypatch.setattr(review, "ask_save_path", lambda title, suggested, flt: str(target))
    qtbot.mouseClick(review.export_button, Qt.MouseButton.LeftButton)
    book = load_workbook(target.with_suffix(".xlsx"))
    assert book.sheetnames == ["汇总", "问题清单", "指标得分", "未读取文件"]
    assert book["汇总"]["B4"].value == SUIGANG_NAME
    pdf = tmp_path / "导出" / "汇总报告.pdf"
    monkeypatch.setattr(review, "ask_save_path", lambda title, suggested, flt: str(pdf))
    qtbot.mouseClick(review.pdf_button, Qt.MouseButton.LeftButton)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert review.status.text() == f"已导出 {pdf}"


def test_review_can_be_cancelled(main_window, qtbot, monkeypatch, tmp_path):
    folder = tmp_path / "many"
    files = build_folder(tmp_path / "seed")
    folder.mkdir()
    for i in range(60):
        shutil.copy(files["clean"], folder / f"{i:02d}.xlsx")
    review = _open_review(main_window, qtbot, monkeypatch, folder)
    assert review.progress.isVisible() and review.cancel_button.isVisible()
    assert not review.choose_button.isEnabled()
    qtbot.waitUntil(lambda: review.progress.maximum() == 60, timeout=30000)
    qtbot.mouseClick(review.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not review.busy, timeout=30000)
    assert review.status.text() == "已取消，未读取完的文件夹没有列出"
    assert review.review is None and review.table.rowCount() == 0
    assert review.choose_button.isEnabled() and not review.progress.isVisible()


def test_quitting_during_a_review_stops_it(main_window, qtbot, monkeypatch, tmp_path, qapp):
    folder = tmp_path / "many"
    files = build_folder(tmp_path / "seed")
    folder.mkdir()
    for i in range(60):
        shutil.copy(files["clean"], folder / f"{i:02d}.xlsx")
    review = _open_review(main_window, qtbot, monkeypatch, folder)
    qtbot.waitUntil(lambda: review.progress.maximum() == 60, timeout=30000)
    assert review.busy
    qapp.aboutToQuit.emit()  # what the program's end sends before Qt is torn down
    assert not review.busy
    qtbot.waitUntil(lambda: review.status.text() == "已取消，未读取完的文件夹没有列出")
