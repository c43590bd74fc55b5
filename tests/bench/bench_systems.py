"""Indicator systems: importing a notice's table, checking a system file, the editor's live checks."""

from __future__ import annotations

import io
import os
from typing import Any

from common import OUT, Command, InProcess, selfeval

_state: dict[str, Any] = {}

BOOK = OUT / "notice-100.xlsx"
SYSTEM = OUT / "notice-100.json"


def notice_rows(leaves: int = 100) -> list[list[Any]]:
    """A notice-like table: 4 一级 × 5 二级 × 5 三级 (= 100 leaves), weights adding up."""
    rows = []
    weights = [25, 25, 25, 25]
    per_leaf = ["1", "1", "1", "1", "1"]  # 5 leaves × 1 = 5 per 二级, 25 per 一级
    n = 0
    for i, w1 in enumerate(weights):
        for j in range(5):
            for k in range(5):
                n += 1
                rows.append([f"一级指标{i + 1}" if j == k == 0 else None, w1 if j == k == 0 else None,
                             f"二级指标{i + 1}-{j + 1}" if k == 0 else None, 5 if k == 0 else None,
                             f"三级指标{n:03d}", per_leaf[k], "≥95%",
                             f"第{n}项：完成率×分值，每低1个百分点扣0.1分，扣完为止。"])
    return rows[:leaves]


def write_notice_book() -> None:
    from openpyxl import Workbook

    OUT.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "指标表"
    ws.append(["一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "指标值", "评分标准"])
    rows = notice_rows()
    for row in rows:
        ws.append(row)
    for start in range(2, len(rows) + 2, 25):  # merge the upper levels as notices print them
        for col in "AB":
            ws.merge_cells(f"{col}{start}:{col}{start + 24}")
    for start in range(2, len(rows) + 2, 5):
        for col in "CD":
            ws.merge_cells(f"{col}{start}:{col}{start + 4}")
    buf = io.BytesIO()
    wb.save(buf)
    BOOK.write_bytes(buf.getvalue())


def _prepare_check() -> None:
    from exports.system_workbook import import_system_path
    from forms.catalog import system_file_bytes

    write_notice_book()
    system, problems = import_system_path(BOOK)
    assert not problems, problems
    SYSTEM.write_bytes(system_file_bytes(system))


def _setup_draft() -> None:
    from exports.system_workbook import import_system_bytes
    from forms.system import system_to_dict
    from forms.system_edit import SystemDraft

    write_notice_book()
    system, _ = import_system_bytes(BOOK.read_bytes())
    _state["draft"] = SystemDraft(system_to_dict(system))
    _state["n"] = 0


def _live_check() -> None:
    """One keystroke in a weight field of a 100-leaf system: edit + all checks."""
    draft = _state["draft"]
    _state["n"] += 1
    draft.set_weight((1, 2, 3), "1" if _state["n"] % 2 else "2")
    draft.check()


def _setup_editor() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["SELFEVAL_HOME"] = str(OUT / "home-systems")
    from PySide6.QtWidgets import QApplication

    from desktop.common.qt_setup import setup_application
    from desktop.system_editor.window import SystemEditor
    from desktop.system_editor.table_import import run_import

    app = QApplication.instance() or QApplication([])
    setup_application(app)
    write_notice_book()
    from desktop.common import messages

    messages.Messages.show = staticmethod(lambda *a, **k: None)  # type: ignore[method-assign]
    editor = SystemEditor()
    editor.resize(1340, 740)
    editor.show()
    result = run_import(editor, BOOK, ask_mapping=False)
    assert result is not None
    editor.files.set_draft(result[0], step="从 Excel 导入")
    editor.indicators.tree.setCurrentItem(editor.indicators.item_at((1, 2, 3)))
    _state["editor"] = editor
    _state["n"] = 0


def _editor_keystroke() -> None:
    """Typing a weight in the editor: draft edit, checks, tree, marks, problem list."""
    editor = _state["editor"]
    _state["n"] += 1
    editor.detail.f_weight.setText("1" if _state["n"] % 2 else "2")
    editor.detail.f_weight.textEdited.emit(editor.detail.f_weight.text())  # as typing does


def benchmarks() -> list[Command | InProcess]:
    return [
        Command("selfeval system-import, 100-leaf notice table (whole process)",
                selfeval("system-import", str(BOOK), "-o", str(OUT / "imported.json")),
                target_s=1.0, runs=7, prepare=write_notice_book),
        Command("selfeval system-check, 100-leaf system (whole process)",
                selfeval("system-check", str(SYSTEM)), target_s=0.4, runs=10,
                prepare=_prepare_check),
        Command("selfeval systems (whole process)", selfeval("systems"), target_s=0.4, runs=10),
        InProcess("system draft: edit + live checks, 100 leaves", _live_check, target_ms=15,
                  repeat=100, setup=_setup_draft),
        InProcess("system editor: a keystroke in 分值, 100 leaves (offscreen)", _editor_keystroke,
                  target_ms=40, repeat=30, setup=_setup_editor),
    ]
