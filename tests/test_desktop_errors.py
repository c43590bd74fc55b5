"""Errors by kind: the environment's are told to the clerk, a defect is not dressed up as one."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest
from desktop_windows import edit_leaf, open_window, shown  # noqa: F401 - fixtures

from desktop.common import messages
from forms.paths import default_db_path
from forms.storage import DatabaseBusy, Library
from forms.storage_errors import from_sqlite


def test_a_database_failing_under_a_save_is_told_and_the_edit_kept(open_window, shown,
                                                                   monkeypatch):
    window = open_window()
    real_save = window.library.save

    def disk_error(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(window.library, "save", disk_error)
    edit_leaf(window, "output_growth", actual=Decimal("5"))
    assert not window.save_now()
    [failure] = [m for m in shown if m[1] == "未能保存"]
    assert "disk I/O error" in failure[2] and "Ctrl+S" in failure[2]
    assert window.document.evaluation.value("output_growth").actual == Decimal("5")
    monkeypatch.setattr(window.library, "save", real_save)
    assert window.save_now()
    other = Library(default_db_path())
    assert other.get(window.document.evaluation_id).value("output_growth").actual == Decimal("5")
    other.close()


def test_a_defect_under_a_save_is_not_passed_off_as_a_full_disk(open_window, shown,
                                                                monkeypatch):
    """A programming error must reach the one exception presenter (which logs it with its
    traceback), not read to the clerk as "保存失败" with advice to check the disk."""
    window = open_window()
    real_save = window.library.save

    def defect(*args, **kwargs):
        raise TypeError("save() got an unexpected keyword argument")

    monkeypatch.setattr(window.library, "save", defect)
    edit_leaf(window, "output_growth", actual=Decimal("5"))
    with pytest.raises(TypeError):
        window.save_now()
    assert [m for m in shown if m[1] == "未能保存"] == []
    monkeypatch.setattr(window.library, "save", real_save)
    assert window.save_now()


def test_the_library_list_failing_is_told_not_raised(open_window, shown, monkeypatch):
    window = open_window()
    monkeypatch.setattr(window.library, "list", lambda: (_ for _ in ()).throw(
        sqlite3.DatabaseError("database disk image is malformed")))
    window.opening.open_initial()
    assert any("无法读取评价库" in m[2] and "malformed" in m[2] for m in shown)


# ---------------------------------------------------------------- at start-up

def _raise(error: BaseException):
    def fail(*args, **kwargs):
        raise error
    return fail


def test_a_busy_database_at_start_is_told_in_chinese_and_the_program_quits(shown, monkeypatch):
    from desktop.shell import app

    path = default_db_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    busy = from_sqlite(sqlite3.OperationalError("database is locked"), path, "打开")
    monkeypatch.setattr(app, "Library", _raise(busy))
    assert app.create_main_window(None) is None
    [(kind, title, text)] = shown  # told once, not offered to be moved aside as damaged
    assert (kind, title) == (messages.ERROR, "无法打开数据库")
    assert "占用" in text and "程序将退出" in text and "locked" not in text
    assert path.exists()


def test_the_sample_not_added_is_told_and_the_program_still_opens(shown, qtbot, monkeypatch):
    from desktop.shell.app import create_main_window

    busy = from_sqlite(sqlite3.OperationalError("database is locked"), default_db_path(), "保存到")
    monkeypatch.setattr(Library, "ensure_sample", _raise(busy))
    window = create_main_window(None)
    assert window is not None
    qtbot.addWidget(window)
    assert any(kind == messages.WARNING and "无法加入示例评价" in text and "占用" in text
               for kind, _, text in shown)
    window.close()
    window.library.close()


def test_a_defect_at_start_is_not_passed_off_as_a_database_problem(shown, monkeypatch):
    """Adding the sample hits a programming error: not "无法加入示例评价" but raised, and
    the start hands it to the one presenter (意外问题, logged), exit code 2."""
    import sys

    from desktop.shell import app

    monkeypatch.setattr(Library, "ensure_sample", _raise(TypeError("a defect")))
    with pytest.raises(TypeError):
        app.create_main_window(None)
    assert shown == []
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs the presenter
    assert app.run(None) == 2
    assert [title for _, title, _ in shown] == ["意外问题"]
    assert "TypeError: a defect" in messages.log_path().read_text(encoding="utf-8")


def test_the_sample_is_added_with_the_database_failing_as_a_typed_error(tmp_path, monkeypatch):
    from forms.catalog import sample_package_bytes

    library = Library(tmp_path / "library.db")
    try:
        monkeypatch.setattr(library.db, "execute", _raise(
            sqlite3.OperationalError("database is locked")))
        with pytest.raises(DatabaseBusy, match="占用"):
            library.ensure_sample(sample_package_bytes())
    finally:
        monkeypatch.undo()
        library.close()
