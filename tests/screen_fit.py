"""Every window and dialog on a laptop screen: does it fit, is anything cut off?

Run in a process of its own (the screen is fixed when Qt starts), as the geometry tests do:

    python tests/screen_fit.py 1366x768@125 [--shots DIR]

The screen is Qt's offscreen one, of the logical size a Windows laptop leaves a window at
that scale (the taskbar taken off), with ``QT_SCALE_FACTOR`` as the scale.  Each window is
opened as the program opens it; then every visible label, button and field is checked:
a label or button narrower than its text, a field or button reaching past the right edge
of what shows it (a horizontal scroll bar would be needed to reach it), a scroll area with
a horizontal scroll bar, a window larger than the screen.  The findings are printed as one
JSON list of strings (empty: all fits); ``--shots`` saves a PNG of each window to look at.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# name: physical screen, Windows scale.  The logical size is screen / scale.
SCREENS = {
    "1366x768@100": ((1366, 768), 1.0),
    "1366x768@125": ((1366, 768), 1.25),
    "1920x1080@125": ((1920, 1080), 1.25),
    "1920x1080@150": ((1920, 1080), 1.5),
}
TASKBAR = 40  # logical pixels Windows' taskbar takes at the bottom, at any scale


def logical_room(name: str) -> tuple[int, int]:
    (width, height), scale = SCREENS[name]
    return round(width / scale), round(height / scale) - TASKBAR


def run(name: str, shots: Path | None = None, timeout: float = 240) -> list[str]:
    """The findings for one screen, from a fresh process (FONTCONFIG_FILE etc. pass through)."""
    (width, height), scale = SCREENS[name]
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp, "screen.json")
        # the offscreen screen is given in physical pixels; Qt divides by QT_SCALE_FACTOR
        config.write_text(json.dumps({"screens": [{
            "name": name, "x": 0, "y": 0, "width": width,
            "height": height - round(TASKBAR * scale), "logicalDpi": 96, "logicalBase": 96,
            "dpr": 1}]}), encoding="utf-8")
        env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}",
                   QT_SCALE_FACTOR=str(scale), SELFEVAL_HOME=str(Path(tmp, "home")),
                   XDG_CONFIG_HOME=str(Path(tmp, "config")))
        args = [sys.executable, str(Path(__file__)), "--inside", name]
        if shots is not None:
            args += ["--shots", str(shots)]
        done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=timeout, check=False)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        return [f"the check did not finish ({done.returncode}): {done.stderr[-1500:]}"]
    return list(json.loads(lines[-1]))


# ---------------------------------------------------------------- inside the process


def _inside(name: str, shots: Path | None) -> list[str]:
    sys.path.insert(0, str(HERE))
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication, QDialog, QWidget

    from desktop.common import messages
    from desktop.common.qt_setup import setup_application

    app = QApplication([])
    setup_application(app)
    # the program's messages would block: log them instead
    messages.Messages.show = staticmethod(lambda *a, **k: None)  # type: ignore[method-assign]
    messages.Messages.ask = staticmethod(lambda parent, title, text, choices, **k: len(choices) - 1)  # type: ignore[method-assign]
    screen = app.primaryScreen().availableGeometry()
    found: list[str] = []
    shot_no = 0

    def look(title: str, window: QWidget) -> None:
        nonlocal shot_no
        for _ in range(3):
            app.processEvents()
        found.extend(f"{title}: {problem}" for problem in problems(window, screen))
        if shots is not None:
            shots.mkdir(parents=True, exist_ok=True)
            shot_no += 1
            window.grab().save(str(shots / f"{name}-{shot_no:02d}-{title}.png"))

    from desktop.shell.app import create_main_window

    window = create_main_window(None)
    assert window is not None
    if window.start_maximized:
        window.showMaximized()
    else:
        window.show()
    for index in range(window.navigation.list.count()):
        window.show_section(index)
        look(f"主窗口·{window.navigation.list.item(index).text().strip()}", window)
    window.show_section(0)

    from desktop.system_editor.window import open_system_editor
    from forms.catalog import shipped_systems

    editor = open_system_editor(window)
    entry = next(e for e in shipped_systems() if e.id == "sichuan-dazhou")
    editor.files.open_entry(entry)
    editor.indicators.tree.setCurrentItem(editor.indicators.item_at((0, 0, 0)))
    look("指标体系编辑器", editor)
    editor.indicators.tree.setCurrentItem(editor.indicators.item_at((0,)))
    look("指标体系编辑器·一级指标", editor)
    editor.undo_stack.setClean()
    editor.close()

    from review_folder import build_folder

    folder = Path(tempfile.mkdtemp()) / "报来的自评"
    build_folder(folder)
    window.show_review()
    review = window.review_window
    review.ask_folder = lambda: str(folder)  # type: ignore[method-assign]
    review.choose_button.click()
    for _ in range(600):
        app.processEvents()
        if review.review is not None and not review.busy:
            break
        import time
        time.sleep(0.1)
    look("审核窗口", review)
    review.close()

    import budget_exports
    import template_shapes

    from desktop.form.budget_import_dialog import BudgetImportDialog
    from desktop.shell.help_dialog import HelpDialog
    from desktop.shell.restore_dialog import RecycleDialog, RestoreDialog
    from desktop.shell.template_dialog import TemplateFillDialog
    from exports.budget_import import read_budget_export
    from exports.template_fill import figures, propose
    from desktop.shell.library_dialog import LibraryDialog, NewEvaluationDialog
    from desktop.shell.report_options import ReportOptionsDialog
    from desktop.shell.safekeeping import HistoryDialog
    from desktop.system_editor.table_import import MappingDialog
    from desktop.system_editor.update import SystemUpdateDialog
    from exports.system_workbook import header_candidates
    from test_system_workbook import flat_workbook

    document = window.document
    assert document is not None
    rows = [("产出指标", "数量指标", "新增企业数量达到年度目标的户数", 60, "说明1"),
            ("效益指标", "", "乙", 40, "说明2")]
    data = flat_workbook(rows)
    proposal = propose(template_shapes.three_levels(document.evaluation), document.evaluation)
    dialogs: list[tuple[str, QDialog]] = [
        ("帮助", HelpDialog(window)),
        ("操作记录", HistoryDialog(document, window)),
        ("报告选项", ReportOptionsDialog(window, document.evaluation)),
        ("新建评价", NewEvaluationDialog(window, QSettings(), department="广州市黄埔区投资促进局")),
        ("评价库", LibraryDialog(window.library, window, current_id=document.evaluation_id,
                              settings=window.settings, broken=window.opening.broken)),
        ("更新指标体系", SystemUpdateDialog(document.evaluation, window)),
        ("对应表格的列", MappingDialog(header_candidates(data, row=1), window, data)),
        ("打印预览", window.exports.make_preview_dialog(b"")),
        ("恢复备份", RestoreDialog(window.library, window)),
        ("回收站", RecycleDialog(window.library, window)),
        ("财政局模板", TemplateFillDialog(window, "财政局模板.xlsx", proposal,
                                      figures(document.evaluation), proposal.placements, False)),
        ("预算执行表", BudgetImportDialog(window, "预算执行表.xlsx", read_budget_export(
            budget_exports.by_source_in_yuan(), document.evaluation))),
    ]
    for title, dialog in dialogs:
        dialog.show()
        look(title, dialog)
        dialog.close()
    window.close()
    return found


def problems(window, screen) -> list[str]:
    """What a clerk could not see or reach in ``window`` on ``screen`` (logical pixels)."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QHeaderView,
        QAbstractSpinBox,
        QComboBox,
        QLabel,
        QLineEdit,
        QPushButton,
        QScrollArea,
        QStyle,
        QStyleOptionButton,
        QWidget,
    )

    found = []
    frame = window.frameGeometry()
    if frame.width() > screen.width() + 1 or frame.height() > screen.height() + 1:  # rounding
        found.append(f"窗口 {frame.width()}×{frame.height()} 大于屏幕 {screen.width()}×{screen.height()}")
    hint = window.minimumSizeHint()
    if hint.width() > screen.width() or hint.height() > screen.height():
        found.append(f"最小尺寸 {hint.width()}×{hint.height()} 大于屏幕")
    for area in window.findChildren(QScrollArea):
        if area.isVisible() and area.horizontalScrollBar().isVisible():
            found.append(f"横向滚动条：{_name(area)}")
        inner = area.widget()
        if area.isVisible() and inner is not None and inner.width() > area.viewport().width() + 1:
            found.append(f"内容比滚动区宽：{_name(area)}（{inner.width()} > {area.viewport().width()}）")

    for header in window.findChildren(QHeaderView):
        if not header.isVisible() or header.orientation() != Qt.Orientation.Horizontal:
            continue
        model = header.model()
        wraps = bool(header.defaultAlignment() & Qt.TextFlag.TextWordWrap)
        for i in range(header.count()):
            if header.isSectionHidden(i) or header.sectionSize(i) == 0:
                continue
            title = str(model.headerData(i, Qt.Orientation.Horizontal) or "")
            room = header.sectionSize(i) - 2  # wider than the section itself: surely cut
            metrics = header.fontMetrics()
            if wraps:
                flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
                tall = metrics.boundingRect(QRect(0, 0, max(1, room), 1 << 16), flags, title).height()
                cut = tall > header.height()
            else:
                cut = metrics.horizontalAdvance(title) > room
            if title and cut:
                found.append(f"表头被截断：「{title}」（{_name(header.parentWidget())}）")

    def in_item_view(widget: QWidget) -> bool:
        parent = widget.parentWidget()
        while parent is not None and parent is not window:
            if isinstance(parent, QAbstractItemView):
                return True
            parent = parent.parentWidget()
        return False

    kinds = (QLabel, QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox)
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, kinds) or not widget.isVisible() or in_item_view(widget):
            continue
        if widget.width() == 0 or widget.height() == 0:
            continue  # in a collapsed splitter pane: not shown at all
        if isinstance(widget, QLabel | QAbstractButton):
            wraps = isinstance(widget, QLabel) and widget.wordWrap()
            need = widget.minimumSizeHint().width()
            have = widget.width()
            if isinstance(widget, QPushButton):  # the room its style leaves the text (not 80 px)
                option = QStyleOptionButton()
                widget.initStyleOption(option)
                have = widget.style().subElementRect(
                    QStyle.SubElement.SE_PushButtonContents, option, widget).width()
                need = widget.fontMetrics().horizontalAdvance(widget.text().replace("&", ""))
                if not widget.icon().isNull():
                    need += widget.iconSize().width() + 4
            if not wraps and widget.text() and have < need:
                found.append(f"文字被截断：{_name(widget)}（{have} < {need}）")
        # the right edge must be inside every widget that shows it
        parent = widget.parentWidget()
        right = widget.width()
        x = 0
        child = widget
        while parent is not None:
            x += child.x()
            if x + right > parent.width() + 1 and not isinstance(parent, QScrollArea):
                found.append(f"右边被遮住：{_name(widget)}（在 {_name(parent)} 里 "
                             f"{x + right} > {parent.width()}）")
                break
            if child is window or parent is window:
                break
            child, parent = parent, parent.parentWidget()
    return found


def _name(widget) -> str:
    text = getattr(widget, "text", None)
    label = text() if callable(text) else ""
    if not label and hasattr(widget, "currentText"):
        label = widget.currentText()
    kind = type(widget).__name__
    return f"{kind}「{label[:20]}」" if label else (widget.objectName() or kind)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("screen", nargs="?", choices=list(SCREENS))
    parser.add_argument("--inside", choices=list(SCREENS))
    parser.add_argument("--shots", type=Path)
    args = parser.parse_args()
    if args.inside:
        print(json.dumps(_inside(args.inside, args.shots), ensure_ascii=False))
        return 0
    names = [args.screen] if args.screen else list(SCREENS)
    bad = 0
    for name in names:
        found = run(name, args.shots)
        bad += bool(found)
        print(f"{name} (logical {'×'.join(map(str, logical_room(name)))}): "
              + ("fits" if not found else f"{len(found)} problems"))
        for line in found:
            print("   ", line)
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
