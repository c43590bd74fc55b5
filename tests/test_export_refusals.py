"""No export dialog writes over what the program reads: the library's database (and its
journal), a file under review, a FIFO, a link to a device or a folder.  The clerk reads
one line saying why; the file chosen is left as it was."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from review_folder import build_folder

from desktop.common import messages
from desktop.shell.app import create_main_window
from desktop.shell.export_actions import ExportActions
from hostile_corpus import output_clashes


@pytest.fixture
def shown(monkeypatch):
    seen: list[tuple[str, str, str]] = []
    monkeypatch.setattr(messages.Messages, "show",
                        staticmethod(lambda parent, kind, title, text, details="":
                                     seen.append((kind, title, text))))
    return seen


@pytest.fixture
def window(qtbot, shown):
    window = create_main_window(None)
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    yield window
    review = getattr(window, "review_window", None)
    if review is not None:
        review.close()
    window.close()
    window.library.close()


def _fingerprint(path: Path) -> tuple[str, bytes]:
    if path.is_symlink():
        return "link", os.readlink(path).encode()
    mode = os.stat(path).st_mode
    if stat.S_ISFIFO(mode):
        return "fifo", b""
    if stat.S_ISDIR(mode):
        return "dir", b""
    return "file", path.read_bytes()


def test_an_export_onto_the_library_is_refused(qtbot, monkeypatch, shown, tmp_path):
    """The dialog adds the format's extension, so only a library whose name ends in it can be
    chosen; it is refused all the same, the database left as it was."""
    db = tmp_path / "评价库.xlsx"
    window = create_main_window(db)
    assert window is not None
    qtbot.addWidget(window)
    try:
        count = len(window.library.list())
        window.library.checkpoint()
        before = _fingerprint(db)
        monkeypatch.setattr(ExportActions, "ask_save_path", lambda self, *a: str(db))
        window.commands.export_excel.trigger()
        qtbot.wait(50)
        qtbot.waitUntil(lambda: not window.exports.busy, timeout=20000)
        assert _fingerprint(db) == before
        assert shown and shown[-1][0] == messages.ERROR and "就是输入文件" in shown[-1][2]
        assert len(window.library.list()) == count  # the library still answers
    finally:
        window.close()
        window.library.close()


@pytest.mark.parametrize("clash", ["fifo", "folder", "dev-null"])
def test_an_export_onto_a_special_file_or_folder_is_refused(window, qtbot, monkeypatch, shown,
                                                           tmp_path, clash):
    source = tmp_path / "in.json"
    source.write_text("{}", encoding="utf-8")
    target = output_clashes(tmp_path / "out", source, ".xlsx")[clash]
    before = _fingerprint(target)
    monkeypatch.setattr(ExportActions, "ask_save_path", lambda self, *a: str(target))
    window.commands.export_excel.trigger()
    qtbot.wait(50)
    qtbot.waitUntil(lambda: not window.exports.busy, timeout=20000)
    assert _fingerprint(target) == before
    assert shown and shown[-1][0] == messages.ERROR
    assert not list(target.parent.glob(".*.tmp"))


def test_a_review_summary_never_lands_on_a_submission(window, qtbot, monkeypatch, shown,
                                                      tmp_path):
    folder = tmp_path / "报来的自评"
    build_folder(folder)
    window.commands.review.trigger()
    review = window.review_window
    monkeypatch.setattr(review, "ask_folder", lambda: str(folder))
    qtbot.mouseClick(review.choose_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: review.review is not None, timeout=60000)
    submission = next(Path(row.submission.path) for row in review.review.rows
                      if row.submission.path.endswith(".xlsx"))
    damaged = folder / "损坏.xlsx"  # not read, but a department's file all the same
    for target, button in ((submission, review.export_button), (damaged, review.export_button)):
        before = target.read_bytes()
        monkeypatch.setattr(review, "ask_save_path", lambda *a, t=target: str(t))
        shown.clear()
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert target.read_bytes() == before
        assert shown and "就是输入文件" in shown[-1][2]
    outside = tmp_path / "汇总.xlsx"
    monkeypatch.setattr(review, "ask_save_path", lambda *a: str(outside))
    qtbot.mouseClick(review.export_button, Qt.MouseButton.LeftButton)
    assert outside.read_bytes()[:2] == b"PK"
    shutil.rmtree(folder)


def test_the_system_editor_never_exports_over_its_table_or_a_shipped_system(qtbot, monkeypatch,
                                                                           tmp_path):
    from PySide6.QtWidgets import QDialog

    from desktop.system_editor.table_import import MappingDialog
    from desktop.system_editor.window import SystemEditor
    from forms.catalog import shipped_systems
    from hostile_corpus import plain_workbook

    seen: list[str] = []
    monkeypatch.setattr(messages.Messages, "show", staticmethod(
        lambda parent, kind, title, text, details="": seen.append(text)))
    monkeypatch.setattr(messages.Messages, "ask", staticmethod(lambda *a, **k: 0))
    monkeypatch.setattr(MappingDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    editor = SystemEditor()
    qtbot.addWidget(editor)
    table = tmp_path / "通知附件.xlsx"
    table.write_bytes(plain_workbook())
    before = table.read_bytes()
    assert editor.files.import_excel(table)
    assert not editor.files.export_table(table)  # the notice's own table stays as it came
    assert table.read_bytes() == before and "就是输入文件" in seen[-1]
    link = tmp_path / "link.xlsx"
    link.symlink_to(table)
    assert not editor.files.export_table(link) and table.read_bytes() == before
    assert editor.files.export_table(tmp_path / "导出.xlsx")
    # a shipped system, copied: a failing run must not damage the program's own files
    import dataclasses

    import desktop.system_editor.files as editor_files

    entry = shipped_systems()[0]
    shipped = tmp_path / "installed" / entry.path.name
    shipped.parent.mkdir()
    shipped.write_bytes(entry.path.read_bytes())
    monkeypatch.setattr(editor_files, "shipped_systems",
                        lambda: [dataclasses.replace(entry, path=shipped)])
    kept = shipped.read_bytes()
    assert not editor.files.export_file(shipped)
    assert shipped.read_bytes() == kept and "就是输入文件" in seen[-1]
    editor.close()
