"""The library database: saves, migration, next year, damage and a second copy."""

import sqlite3
from dataclasses import replace
from decimal import Decimal as D

import pytest
import sqlite_utils

from forms.catalog import sample_package_bytes
from forms.model import LeafValue
from forms.package import write_package
from forms.paths import default_db_path
from forms.storage import SCHEMA_VERSION, ConflictError, Library, StorageError, set_aside


@pytest.fixture
def lib(tmp_path):
    library = Library(tmp_path / "lib.db")
    yield library
    library.close()


def test_default_database_is_in_the_user_data_folder(_user_home):
    assert default_db_path().parent == _user_home


def test_new_database_is_wal_and_current_schema(lib):
    assert lib.db.journal_mode == "wal"
    assert lib.schema_version == SCHEMA_VERSION


def test_first_start_adds_the_sample_once(lib):
    new_id = lib.ensure_sample(sample_package_bytes())
    [row] = lib.list()
    assert row.id == new_id and row.total == "92.58" and row.grade == "优" and row.complete
    lib.delete(new_id)
    assert lib.ensure_sample(sample_package_bytes()) is None  # deleting it is respected
    assert len(lib) == 0


def test_save_and_reopen_gives_exactly_what_was_saved(tmp_path, sample):
    lib = Library(tmp_path / "a.db")
    eid = lib.add(sample)
    edited = sample.with_value("procurement", LeafValue(actual=D("80"), deviation="延后"))
    rev = lib.save(eid, edited, expected_revision=1)
    assert rev == 2
    lib.close()
    again = Library(tmp_path / "a.db")
    loaded, revision = again.get_with_revision(eid)
    assert loaded == edited and revision == 2
    assert write_package(loaded) == write_package(edited)
    assert again.list()[0].total == "91.58"
    again.close()


def test_a_second_copy_cannot_silently_overwrite(tmp_path, sample):
    first = Library(tmp_path / "a.db")
    second = Library(tmp_path / "a.db")
    eid = first.add(sample)
    _, rev = second.get_with_revision(eid)
    first.save(eid, sample.with_value("fdi", LeafValue(actual=D(1))), expected_revision=rev)
    with pytest.raises(ConflictError) as caught:
        second.save(eid, sample, expected_revision=rev)
    assert "另一个窗口" in str(caught.value)
    assert first.get(eid).value("fdi").actual == D(1)
    first.close()
    second.close()


def test_a_failed_save_changes_nothing(lib, sample, monkeypatch):
    """The failure strikes after the new row is written, inside the transaction: only a
    working rollback brings back the old package and revision."""
    eid = lib.add(sample)
    written = []
    real_update = sqlite_utils.db.Table.update

    def update_then_fail(self, *args, **kwargs):
        real_update(self, *args, **kwargs)
        written.append(lib.db.execute("SELECT revision FROM evaluations WHERE id = ?",
                                      [eid]).fetchone()[0])
        raise sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(sqlite_utils.db.Table, "update", update_then_fail)
    with pytest.raises(StorageError):
        lib.save(eid, sample.with_value("fdi", LeafValue(actual=D(1))))
    monkeypatch.undo()
    assert written == [2]  # the row was changed before the failure …
    assert lib.get(eid) == sample and lib.revision(eid) == 1  # … and the change is gone
    reopened = Library(lib.path)
    assert reopened.get(eid) == sample and reopened.revision(eid) == 1
    reopened.close()


def test_start_next_year_keeps_texts_and_clears_figures(lib, sample):
    eid = lib.add(sample)
    nid = lib.start_next_year(eid)
    nxt = lib.get(nid)
    assert nxt.department.year == 2023 and nxt.department.name == sample.department.name
    assert nxt.department.functions == sample.department.functions
    assert nxt.system == sample.system
    assert nxt.narrative == sample.narrative
    assert nxt.values == {}
    assert nxt.budget.total.executed is None
    assert [p.name for p in nxt.projects] == [p.name for p in sample.projects]
    assert all(p.budget is None and p.executed is None for p in nxt.projects)
    assert lib.get(eid) == sample  # the old year is untouched


def test_migrates_a_version_1_database(tmp_path, sample):
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE evaluations (id INTEGER PRIMARY KEY, department TEXT, "
                 "year INTEGER, package TEXT NOT NULL, updated TEXT)")
    conn.execute("INSERT INTO evaluations (department, year, package, updated) VALUES (?, ?, ?, ?)",
                 [sample.department.name, 2022, write_package(sample).decode(), "2023-03-01T10:00:00"])
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    lib = Library(path)
    assert lib.schema_version == SCHEMA_VERSION
    [row] = lib.list()
    assert row.total == "92.58" and row.grade == "优" and row.revision == 1
    assert row.system_name == sample.system.name
    assert lib.get(row.id) == sample
    lib.save(row.id, sample, expected_revision=1)
    lib.close()


def test_refuses_a_database_from_a_newer_program(tmp_path):
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StorageError) as caught:
        Library(path)
    assert "更新版本" in str(caught.value)


def test_a_damaged_database_gets_a_message_and_is_kept_aside(tmp_path, sample):
    path = tmp_path / "lib.db"
    lib = Library(path)
    lib.add(sample)
    lib.close()
    data = bytearray(path.read_bytes())
    data[0:16] = b"garbage garbage!"
    path.write_bytes(bytes(data))
    with pytest.raises(StorageError) as caught:
        Library(path)
    assert "已损坏" in str(caught.value)
    moved = set_aside(path)
    assert moved.exists() and not path.exists()
    fresh = Library(path)
    assert len(fresh) == 0
    fresh.close()


def test_a_damaged_package_row_is_reported_not_raised(lib, sample):
    eid = lib.add(sample)
    lib.db.execute("UPDATE evaluations SET package = '{oops' WHERE id = ?", [eid])
    with pytest.raises(StorageError) as caught:
        lib.get(eid)
    assert f"编号 {eid}" in str(caught.value)


def test_many_departments_and_years(lib, sample):
    for year in (2021, 2022, 2023):
        for name in ("甲局", "乙局"):
            dept = replace(sample.department, name=name, year=year)
            lib.add(replace(sample, department=dept))
    rows = lib.list()
    assert len(rows) == 6
    assert [r.year for r in rows] == [2023, 2023, 2022, 2022, 2021, 2021]
