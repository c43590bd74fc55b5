"""The database speaks up: lost evaluations after a deleted or damaged WAL, read-only
folders, and every storage error typed and in Chinese."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from forms import storage
from forms.catalog import sample_package_bytes
from forms.package import read_package
from forms.storage import (DatabaseBusy, DatabaseDamaged, DatabaseReadOnly, EvaluationUnreadable,
                           Library, StorageError)
from forms.storage_errors import from_sqlite

ROOT = Path(__file__).resolve().parent.parent

# A copy of the program that saves three evaluations and is killed before it closes:
# what it saved is only in the WAL.
_CRASHING_COPY = """
import os, sys
from forms.catalog import sample_package_bytes
from forms.package import read_package
from forms.storage import Library
from dataclasses import replace
library = Library(sys.argv[1])
library.ensure_sample(sample_package_bytes())
ev = read_package(sample_package_bytes())
for name in ("甲局", "乙局", "丙局"):
    library.add(replace(ev, department=replace(ev.department, name=name)))
os._exit(0)
"""


def _crash_after_saving(path: Path) -> None:
    subprocess.run([sys.executable, "-c", _CRASHING_COPY, str(path)], cwd=ROOT, check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert path.with_name(path.name + "-wal").stat().st_size > 0


def test_evaluations_lost_with_a_deleted_wal_are_reported_and_the_sample_not_added(tmp_path):
    path = tmp_path / "library.db"
    _crash_after_saving(path)
    path.with_name(path.name + "-wal").unlink()
    path.with_name(path.name + "-shm").unlink(missing_ok=True)
    library = Library(path)
    try:
        lost = sorted(str(x) for x in library.lost)
        assert [x.department for x in sorted(library.lost, key=lambda x: x.id)][1:] \
            == ["甲局", "乙局", "丙局"]
        assert len(lost) == 4 and all("已不在库中" in x for x in lost)
        assert library.kept_aside is not None and library.kept_aside.exists()
        assert library.ensure_sample(sample_package_bytes()) is None  # not added over it
        assert len(library) == 0
    finally:
        library.close()
    # the marker is not rewritten by closing: the next start still says what is missing
    again = Library(path)
    assert len(again.lost) == 4
    again.close()


def test_a_damaged_wal_is_reported(tmp_path):
    path = tmp_path / "library.db"
    _crash_after_saving(path)
    wal = path.with_name(path.name + "-wal")
    data = bytearray(wal.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 64] = os.urandom(64)  # frames after this one are dropped by SQLite
    wal.write_bytes(bytes(data))
    library = Library(path)
    try:
        assert library.lost, "evaluations vanished without a word"
        assert library.kept_aside is not None
        kept_wal = library.kept_aside.with_name(library.kept_aside.name + "-wal")
        assert kept_wal.read_bytes() == bytes(data)  # the evidence is kept as it was
    finally:
        library.close()


def test_a_clean_close_reports_nothing_and_checkpoints(tmp_path, sample):
    path = tmp_path / "library.db"
    library = Library(path)
    for _ in range(3):
        library.add(sample)
    library.close()
    wal = path.with_name(path.name + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0
    again = Library(path)
    assert again.lost == [] and again.kept_aside is None and len(again) == 3
    again.close()


def test_the_main_file_is_never_far_behind(tmp_path, sample, monkeypatch):
    monkeypatch.setattr(storage, "CHECKPOINT_COMMITS", 5)
    path = tmp_path / "library.db"
    library = Library(path)
    for _ in range(12):
        library.add(sample)
    # what a reader of the main file alone (the WAL lost) would find
    main_only = tmp_path / "copy.db"
    main_only.write_bytes(path.read_bytes())
    count = sqlite3.connect(main_only).execute("SELECT count(*) FROM evaluations").fetchone()[0]
    library.close()
    assert count >= 10


def test_a_read_only_library_opens_for_reading(tmp_path, sample, monkeypatch):
    path = tmp_path / "library.db"
    library = Library(path)
    evaluation_id = library.add(sample)
    library.close()
    monkeypatch.setattr(storage.os, "access", lambda *_args, **_kw: False)  # tests run as root
    library = Library(path)
    try:
        assert library.read_only
        assert library.get(evaluation_id).department.name == sample.department.name
        with pytest.raises(DatabaseReadOnly) as caught:
            library.save(evaluation_id, sample)
        assert "只读" in str(caught.value)
        assert library.ensure_sample(sample_package_bytes()) is None
    finally:
        library.close()


def test_busy_damaged_and_unopenable_are_typed_and_chinese(tmp_path):
    path = tmp_path / "busy.db"
    holder = sqlite3.connect(path)
    holder.execute("CREATE TABLE t (x)")
    holder.commit()
    holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0)
    with pytest.raises(sqlite3.OperationalError) as busy:
        other.execute("INSERT INTO t VALUES (1)")
    holder.rollback()
    error = from_sqlite(busy.value, path)
    assert isinstance(error, DatabaseBusy) and "占用" in str(error)

    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(DatabaseDamaged) as caught:
        Library(damaged)
    assert "损坏" in str(caught.value)

    blocked = tmp_path / "file"
    blocked.write_text("x")
    with pytest.raises(StorageError) as caught:
        Library(blocked / "library.db")
    for error in (caught.value,):
        text = str(error)
        assert "无法" in text and not any(w in text for w in ("Errno", "unable", "database is"))


def test_an_unreadable_evaluation_is_typed_and_its_text_can_be_exported(tmp_path, sample):
    library = Library(tmp_path / "library.db")
    try:
        good = library.add(sample)
        bad = library.add(sample)
        library.db.execute("UPDATE evaluations SET package = replace(package, '\"carryover\": \"', "
                           "'\"carryover\": \"1e26') WHERE id = ?", [bad])
        library.db.conn.commit()
        with pytest.raises(EvaluationUnreadable) as caught:
            library.get(bad)
        assert caught.value.evaluation_id == bad and "budget.carryover" in caught.value.reason
        assert b"1e26" in library.raw_package(bad)
        assert read_package(library.raw_package(good)) == library.get(good)
    finally:
        library.close()
