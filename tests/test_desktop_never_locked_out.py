"""A damaged evaluation, a lost WAL or a read-only folder never keeps the clerk out."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog

from desktop.common import messages
from desktop.shell.app import create_main_window, open_settings
from desktop.shell.library_dialog import LibraryDialog
from desktop.common.qt_setup import setup_application
from forms import storage
from forms.catalog import sample_package_bytes
from forms.package import read_package
from forms.paths import default_db_path
from forms.storage import Library


@pytest.fixture
def shown(qapp, monkeypatch):
    setup_application(qapp)
    log: list[tuple[str, str, str]] = []
    monkeypatch.setattr(messages.Messages, "show", staticmethod(
        lambda parent, kind, title, text, details="": log.append((kind, title, text))))
    monkeypatch.setattr(messages.Messages, "ask", staticmethod(
        lambda parent, title, text, choices, kind="warning", default=0:
        log.append(("ask", title, text)) or 0))
    return log


def _library_with_a_damaged_last_evaluation() -> tuple[int, int]:
    """The issue's case: 1e26 saved by an older version into 年末结转和结余, opened last."""
    library = Library(default_db_path())
    sample = read_package(sample_package_bytes())
    good = library.add(sample)
    bad = library.add(sample)
    library.db.execute("UPDATE evaluations SET package = replace(package, '\"carryover\": \"', "
                       "'\"carryover\": \"1e26') WHERE id = ?", [bad])
    library.db.conn.commit()
    library.set_meta("sample_added", "yes")
    library.close()
    return good, bad


def test_the_lock_out_database_opens_the_library(qtbot, shown, monkeypatch, tmp_path):
    good, bad = _library_with_a_damaged_last_evaluation()
    settings = open_settings()
    seen: list[list[str]] = []

    def look(dialog: LibraryDialog) -> int:
        seen.append([dialog.table.item(r, 4).text() for r in range(dialog.table.rowCount())])
        tips = [dialog.table.item(r, 4).toolTip() for r in range(dialog.table.rowCount())]
        assert any("budget.carryover" in tip for tip in tips)
        # opening the broken one offers its raw data; the clerk saves it for support
        target = tmp_path / "raw.json"
        monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(
            lambda *a, **k: (str(target), "")))
        dialog.select_id(bad)
        dialog.open_selected()
        assert b"1e26" in target.read_bytes()
        dialog.select_id(good)
        dialog.open_selected()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(LibraryDialog, "exec", look)
    digest = hashlib.sha1(str(default_db_path().resolve()).encode("utf-8")).hexdigest()[:12]
    settings.setValue(f"last_evaluation/{digest}", bad)  # the damaged one was open last
    settings.sync()
    window = create_main_window(None)
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: bool(seen))
    assert sorted(seen[0]) == ["优", "无法打开"]
    assert any(title == "无法打开评价" and "年末结转" not in text and "其他评价不受影响" in text
               for _, title, text in shown)
    qtbot.waitUntil(lambda: window.document is not None)
    assert window.document.evaluation_id == good  # every other evaluation is usable
    window.close()
    window.library.close()


def test_a_read_only_data_folder_opens_with_a_banner_and_never_promises_a_save(qtbot, shown,
                                                                             monkeypatch):
    library = Library(default_db_path())
    library.ensure_sample(sample_package_bytes())
    library.close()
    monkeypatch.setattr(storage.os, "access", lambda *_a, **_k: False)  # tests run as root
    window = create_main_window(None)
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    assert window.library.read_only and window.document is not None
    assert window.save_status.read_only_banner.isVisible()
    assert "只读" in window.save_status.read_only_banner.text()
    status = window.save_status.saved_label.text()
    assert "不会保存" in status and "自动保存" not in status
    assert not window.commands.save.isEnabled() and "自动保存" not in window.commands.save.toolTip()
    document = window.document
    value = document.evaluation.value("output_growth")
    document.apply(document.evaluation.with_value("output_growth", replace(value, actual=Decimal("5"))),
                   "编辑", merge_key="values.output_growth")
    status = window.save_status.saved_label.text()  # an edit waiting for the timer: still no promise
    assert "不会保存" in status and "自动保存" not in status
    window.close()
    window.library.close()


def test_lost_evaluations_are_said_at_start(qtbot, shown, monkeypatch):
    path = default_db_path()
    library = Library(path)
    library.ensure_sample(sample_package_bytes())
    library.close()
    # the marker remembers one more evaluation than the file holds (its WAL was lost)
    marker = path.with_name(path.name + ".state")
    marker.write_text('{"evaluations": {"1": [1, "穗港", 2022], "7": [3, "甲局", 2023]}}',
                      encoding="utf-8")
    window = create_main_window(None)
    assert window is not None
    qtbot.addWidget(window)
    warnings = [text for kind, title, text in shown if title == "有评价丢失"]
    assert len(warnings) == 1 and "甲局 2023 年度（编号 7）已不在库中" in warnings[0]
    assert "复制保留" in warnings[0]
    window.close()
    window.library.close()
    # answered with its first choice, 知道了，不再提醒: the next start says nothing more
    shown.clear()
    window = create_main_window(None)
    qtbot.addWidget(window)
    assert not any(title == "有评价丢失" for _, title, _ in shown)
    window.close()
    window.library.close()
