"""Errors by kind: the environment's are told to the clerk, a defect is not dressed up as one."""

from __future__ import annotations

import sqlite3
from decimal import Decimal

import pytest
from test_desktop_shell import edit_leaf, open_window, shown  # noqa: F401 - fixtures

from forms.paths import default_db_path
from forms.storage import Library


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
    window.open_initial()
    assert any("无法读取评价库" in m[2] and "malformed" in m[2] for m in shown)
