"""报告选项: the clerk picks the 2021 outline, leaves a section out, and the report follows."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QPushButton

from desktop.shell.report_options import ReportOptionsDialog, ask_report_options
from forms.package import read_package, write_package
from forms.report import Heading, build_document, report_options
from forms.scoring import score


def _tick(qtbot, box) -> None:
    """Click the box's square, as a clerk does (the widget's middle may be empty space)."""
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))


def _button(dialog, text: str) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.text() == text)


def test_choosing_an_outline_and_leaving_a_section_out(qtbot, sample):
    dialog = ReportOptionsDialog(None, sample)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.outline.currentData() == "default" and dialog.reference.text() == "我委"
    assert all(box.isChecked() for box in dialog.checks.values())
    for _ in range(3):  # past the 部门概况 and 部门基本情况 outlines to 2021 年度提纲
        qtbot.keyClick(dialog.outline, Qt.Key.Key_Down)
    assert dialog.outline.currentData() == "2021"
    assert "performance" in dialog.checks  # the 2021 outline's sections
    _tick(qtbot, dialog.checks["targets"])
    _tick(qtbot, dialog.charts)
    qtbot.mouseClick(_button(dialog, "确定"), Qt.MouseButton.LeftButton)
    assert dialog.result() == QDialog.DialogCode.Accepted
    options = dialog.options()
    assert options.outline == "2021" and options.omit == frozenset({"targets"}) and options.charts


def test_the_choice_is_kept_with_the_evaluation(qtbot, sample):
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ReportOptionsDialog):
            QTimer.singleShot(30, answer)
            return
        dialog.reference.selectAll()
        qtbot.keyClicks(dialog.reference, "ABC")  # ASCII: Chinese typing is sent otherwise
        _tick(qtbot, dialog.checks["management"])
        qtbot.mouseClick(_button(dialog, "确定"), Qt.MouseButton.LeftButton)

    QTimer.singleShot(30, answer)
    after = ask_report_options(None, sample)
    assert after is not None
    again = read_package(write_package(after))  # survives a package round trip
    assert report_options(again).omit == frozenset({"management"})
    doc = build_document(again, score(again))
    heads = [b.text for b in doc.blocks if isinstance(b, Heading)]
    assert not any("管理效率" in h for h in heads)
    assert any("ABC 2022 年度部门整体支出绩效自评得分" in t for t in doc.text_blocks())


def test_cancel_changes_nothing(qtbot, sample):
    def cancel() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ReportOptionsDialog):
            QTimer.singleShot(30, cancel)
            return
        _tick(qtbot, dialog.checks["functions"])
        qtbot.mouseClick(_button(dialog, "取消"), Qt.MouseButton.LeftButton)

    QTimer.singleShot(30, cancel)
    assert ask_report_options(None, sample) is None


def test_left_out_sections_are_named_and_headings_renamed(qtbot, sample):
    dialog = ReportOptionsDialog(None, sample)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.left_out.text() == "本提纲包含全部内容。"
    qtbot.keyClick(dialog.outline, Qt.Key.Key_Down)  # seed 001's outline
    assert dialog.outline.currentData() == "overview"
    # that outline has no section for 采购管理 and 资产管理: said, not dropped silently
    assert "采购管理" in dialog.left_out.text() and "资产管理" in dialog.left_out.text()
    edit = dialog.titles["achievements"]
    edit.selectAll()
    qtbot.keyClicks(edit, "ABC")  # ASCII: Chinese typing is sent otherwise
    qtbot.keyClick(dialog.places, Qt.Key.Key_Down)  # 按提纲 → 取整
    qtbot.keyClick(dialog.places, Qt.Key.Key_Down)  # → 1 位小数
    qtbot.keyClick(dialog.places, Qt.Key.Key_Down)  # → 2 位小数
    qtbot.mouseClick(_button(dialog, "确定"), Qt.MouseButton.LeftButton)
    options = dialog.options()
    assert options.titles == (("achievements", "ABC"),) and options.rate_places == 2
    from forms.report import with_report_options

    ev = read_package(write_package(with_report_options(sample, options)))
    heads = [b.text for b in build_document(ev, score(ev)).blocks if isinstance(b, Heading)]
    assert "（四）ABC" in heads
    assert any("完成预算的 95.76%" in t for t in build_document(ev, score(ev)).text_blocks())
    # an emptied heading goes back to the outline's
    dialog2 = ReportOptionsDialog(None, ev)
    qtbot.addWidget(dialog2)
    assert dialog2.titles["achievements"].text() == "ABC"
    dialog2.titles["achievements"].clear()
    assert dialog2.options().titles == ()
