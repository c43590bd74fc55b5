"""Snapshots of the library, restore by time, 回收站, and losses found at start."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from desktop.cli import main
from forms import backups
from forms.package import read_package
from forms.storage import Library


def department(evaluation, name, year):
    return replace(evaluation, department=replace(evaluation.department, name=name, year=year))


def filled(tmp_path, sample, count=3, name="lib.db"):
    library = Library(tmp_path / name)
    ids = [library.add(department(sample, f"单位{i}", 2020 + i)) for i in range(count)]
    return library, ids


def only_simulated(library):
    """Drop the copy the filling's real clock made: the tests' clock is simulated."""
    shutil.rmtree(backups.folder_of(library.path))


def aside(folder):
    return list(folder.glob("lib.db.missing-????????-??????"))


def kinds(path):
    return [s.kinds for s in backups.listing(path)]


# ---------------------------------------------------------------- taking snapshots

def test_the_first_save_of_a_session_is_copied_with_a_readable_summary(tmp_path, sample):
    library, ids = filled(tmp_path, sample)
    library.save(ids[0], department(sample, "单位0", 2020).with_narrative("problems", "改过"))
    [made] = backups.listing(library.path)  # one copy a session, not one a save
    assert made.kinds == ("daily", "session")
    # the summary is read without opening the copy
    side = json.loads(made.path.with_suffix(".json").read_text(encoding="utf-8"))
    assert [e["department"] for e in side["evaluations"]] == ["单位0"]
    assert side["evaluations"][0]["total"] == "92.58"
    library.close()
    again = Library(tmp_path / "lib.db")
    again.save(ids[1], department(sample, "单位1", 2021))
    assert kinds(again.path) == [("session",), ("daily", "session")]  # same day: a session copy
    newest = backups.listing(again.path)[0]
    assert [h.department for h in newest.evaluations] == ["单位0", "单位1", "单位2"]
    assert [h.revision for h in newest.evaluations] == [2, 2, 1]
    again.close()


WRITER = textwrap.dedent("""
    import sys
    from dataclasses import replace
    from forms.catalog import sample_package_bytes
    from forms.package import read_package
    from forms.storage import Library

    library = Library(sys.argv[1])
    base = read_package(sample_package_bytes())
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        library.add(base.with_narrative("problems", str(n)))
""")


@pytest.mark.slow
def test_a_snapshot_taken_while_another_process_writes_holds_a_committed_state(tmp_path, sample):
    library = Library(tmp_path / "lib.db")
    library.add(sample)
    root = Path(__file__).resolve().parents[1]
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(library.path)], cwd=root,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None and writer.stdout.readline().strip() == "ready"
        time.sleep(0.5)
        taken = []
        for _ in range(5):
            taken.append(backups.snapshot(library, "manual"))
            time.sleep(0.2)
    finally:
        writer.kill()
        writer.wait()
        if writer.stdout is not None:
            writer.stdout.close()
    counts = []
    for made in taken:
        conn = sqlite3.connect(made.path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT package FROM evaluations ORDER BY id").fetchall()
        conn.close()
        # every row a whole package; the writer's evaluations numbered 1..n without a gap
        numbers = [read_package(r[0]).narrative["problems"] for r in rows[1:]]
        assert numbers == [str(i) for i in range(1, len(numbers) + 1)]
        assert len(made.evaluations) == len(rows)
        counts.append(len(rows))
    assert counts == sorted(counts) and counts[-1] > counts[0] > 1  # the writer was writing
    library.close()


# ---------------------------------------------------------------- rotation

def test_rotation_over_thirty_days_of_sessions_keeps_what_it_promises(tmp_path, sample):
    library, _ = filled(tmp_path, sample, 1)
    only_simulated(library)
    start = datetime(2026, 1, 1, 9, 0)
    backups.snapshot(library, "migration", start)
    old_migration = backups.snapshot(library, "migration", start - timedelta(days=100))
    for day in range(30):
        for session in range(3):  # three starts a day, each saving
            backups.first_save(library, start + timedelta(days=day, hours=session * 3))
    end = start + timedelta(days=29, hours=6)
    kept = backups.listing(library.path)
    daily = [s.time.date() for s in kept if "daily" in s.kinds]
    assert daily == [(end - timedelta(days=d)).date() for d in range(7)]
    sessions = [s.time for s in kept if "session" in s.kinds]
    every_session = [start + timedelta(days=d, hours=h * 3) for d in range(30) for h in range(3)]
    assert sessions[:10] == sorted(every_session, reverse=True)[:10]
    migration = [s for s in kept if "migration" in s.kinds]
    assert [s.time for s in migration] == [start]  # within 90 days; the older one rotated out
    assert old_migration.id not in {s.id for s in kept}
    # a restore adds its copy and rotates nothing out
    before = {s.id for s in kept}
    backups.restore_library(library, kept[-1])
    after = {s.id for s in backups.listing(library.path)}
    assert before < after and len(after - before) == 1
    library.close()


def test_rotation_stays_within_the_size_limit_keeping_the_newest(tmp_path, sample):
    library, _ = filled(tmp_path, sample, 50)  # about half a megabyte a copy
    only_simulated(library)
    library.set_meta("backup_limit_mb", "1")
    start = datetime(2026, 3, 1)
    for day in range(6):
        backups.first_save(library, start + timedelta(days=day))
    kept = backups.listing(library.path)
    assert sum(s.size for s in kept) <= 1 << 20 and len(kept) >= 1
    assert [s.time for s in kept] == [start + timedelta(days=5 - d) for d in range(len(kept))]
    assert sorted(p.name for p in backups.folder_of(library.path).iterdir()) == \
        sorted([f"{s.id}.db" for s in kept] + [f"{s.id}.json" for s in kept])
    library.close()


# ---------------------------------------------------------------- restore

def test_restore_one_evaluation_beside_the_current_ones(tmp_path, sample):
    library, ids = filled(tmp_path, sample)
    made = backups.snapshot(library, "manual")
    library.save(ids[1], department(sample, "单位1", 2021).with_narrative("problems", "之后改的"))
    new_id = backups.restore_evaluation(library, made, ids[1])
    rows = {r.id: r for r in library.list()}
    assert rows[new_id].label == f"备份 {made.time:%m-%d %H:%M}"
    assert library.get(new_id).narrative["problems"] == sample.narrative["problems"]
    assert library.get(ids[1]).narrative["problems"] == "之后改的"  # the current one stays
    assert "restore" in backups.listing(library.path)[0].kinds  # copied first
    library.close()


def test_restore_a_whole_library_and_the_state_before_is_kept(tmp_path, sample):
    library, ids = filled(tmp_path, sample)
    made = backups.snapshot(library, "manual")
    library.delete(ids[0])
    library.add(department(sample, "后加的", 2030))
    backups.restore_library(library, made)
    assert [(r.id, r.department) for r in sorted(library.list(), key=lambda r: r.id)] == \
        [(ids[0], "单位0"), (ids[1], "单位1"), (ids[2], "单位2")]
    before = backups.listing(library.path)[0]
    assert "restore" in before.kinds and "后加的" in {h.department for h in before.evaluations}
    library.close()
    reopened = Library(tmp_path / "lib.db")  # the restored file is a sound library
    assert len(reopened) == 3 and not reopened.lost
    reopened.close()


def test_command_line_lists_and_restores(tmp_path, sample, capsys):
    library, ids = filled(tmp_path, sample, 2)
    made = backups.snapshot(library, "manual")
    library.close()
    db = str(tmp_path / "lib.db")
    assert main(["--db", db, "backups", "--json"]) == 0  # --db before the command, too
    listed = json.loads(capsys.readouterr().out)
    assert main(["backups", "--db", db, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == listed
    assert listed[0]["id"] == made.id and listed[0]["time"]
    assert [e["id"] for e in listed[0]["evaluations"]] == ids
    assert main(["restore", made.id, "--evaluation", str(ids[0]), "--db", db]) == 0
    assert "标为“备份" in capsys.readouterr().out
    assert main(["restore", made.id, "--db", db]) == 0
    assert main(["restore", "nosuch", "--db", db]) == 2
    assert "没有名为 nosuch 的备份" in capsys.readouterr().err
    reopened = Library(db)
    assert [r.id for r in reopened.list()] == list(reversed(ids)) or len(reopened) == 2
    reopened.close()


# ---------------------------------------------------------------- 回收站

def test_a_deleted_evaluation_goes_to_the_recycle_bin_and_comes_back(tmp_path, sample):
    library, ids = filled(tmp_path, sample)
    kept = library.raw_package(ids[1])
    library.delete(ids[1])
    assert ids[1] not in {r.id for r in library.list()}
    [gone] = library.recycled()
    assert (gone.id, gone.department, gone.year) == (ids[1], "单位1", 2021)
    assert datetime.fromisoformat(gone.deleted) > datetime.now() - timedelta(minutes=1)
    assert library.undelete(gone.rid) == ids[1]
    assert library.raw_package(ids[1]) == kept and library.recycled() == []
    library.delete(ids[2])
    library.purge(library.recycled()[0].rid)
    assert library.recycled() == [] and len(library) == 2
    # after 90 days in the bin an evaluation is purged by itself
    library.delete(ids[0])
    library.db.execute("UPDATE recycle SET deleted = ?",
                       [(datetime.now() - timedelta(days=91)).isoformat()])
    library.db.conn.commit()
    library.close()
    again = Library(tmp_path / "lib.db")
    assert again.recycled() == []
    again.close()


# ---------------------------------------------------------------- losses found at start

def test_lost_wal_and_marker_are_found_and_the_newest_snapshot_brings_them_back(tmp_path, sample):
    library, ids = filled(tmp_path, sample)
    library.close()  # a clean close: all in the main file
    running = Library(tmp_path / "lib.db")
    edited = department(sample, "单位0", 2020).with_narrative("problems", "新的文字")
    running.save(ids[0], edited)  # the session's first save: copied
    running.save(ids[2], edited)
    # the program dies and the WAL and marker are lost: only the main file is left
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    shutil.copy(running.path, crashed / "lib.db")
    shutil.copytree(tmp_path / "backups", crashed / "backups")
    running.close()

    found = Library(crashed / "lib.db")
    assert [(x.id, x.revision, x.found_revision) for x in found.lost] == [(ids[0], 2, 1)]
    assert found.kept_aside is not None and Path(f"{found.kept_aside}").exists()
    made, back = backups.offer(found)
    assert [h.id for h in back] == [ids[0]]
    found.close()
    # shown again until acknowledged, without a second copy aside
    again = Library(crashed / "lib.db")
    assert [x.id for x in again.lost] == [ids[0]]
    assert len(aside(crashed)) == 1
    assert backups.recover(again, made, again.lost) == [f"单位0 2020 年度（编号 {ids[0]}）"]
    assert again.get(ids[0]).narrative["problems"] == "新的文字"
    again.close()
    third = Library(crashed / "lib.db")
    assert third.lost == [] and third.incident is None
    third.close()


def test_a_marker_loss_is_copied_aside_once_and_shown_until_acknowledged(tmp_path, sample):
    library, ids = filled(tmp_path, sample)
    marker = json.loads(library.marker_path.read_text(encoding="utf-8"))
    library.close()
    marker["evaluations"][str(ids[1])][0] = 5  # the marker knew a later revision
    (tmp_path / "lib.db.state").write_text(json.dumps(marker), encoding="utf-8")
    for _ in range(3):
        opened = Library(tmp_path / "lib.db")
        assert [(x.id, x.revision) for x in opened.lost] == [(ids[1], 5)]
        opened.close()
    assert len(aside(tmp_path)) == 1
    opened = Library(tmp_path / "lib.db")
    opened.acknowledge()
    opened.close()
    assert Library(tmp_path / "lib.db").lost == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("kind", ["fifo", "zero", "folder"])
def test_a_marker_that_is_not_a_small_file_is_not_read(tmp_path, sample, kind):
    library, _ = filled(tmp_path, sample, 1)
    library.close()
    marker = tmp_path / "lib.db.state"
    marker.unlink()
    if kind == "fifo":
        os.mkfifo(marker)
    elif kind == "zero":
        marker.symlink_to("/dev/zero")
    else:
        marker.mkdir()
    opened: list[tuple[list, int]] = []

    def start():
        library = Library(tmp_path / "lib.db")
        opened.append((library.lost, len(library)))
        library.close()

    thread = threading.Thread(target=start, daemon=True)
    thread.start()
    thread.join(20)
    assert not thread.is_alive() and opened == [([], 1)]


def test_a_migration_leaves_a_pre_migration_copy(tmp_path, sample):
    library, ids = filled(tmp_path, sample, 2)
    library.db.execute("DROP TABLE recycle")
    library.db.execute("PRAGMA user_version = 2")
    library.close()
    assert backups.listing(tmp_path / "lib.db")[0].kinds != ("migration",)
    upgraded = Library(tmp_path / "lib.db")
    [copy] = [s for s in backups.listing(upgraded.path) if s.kinds == ("migration",)]
    assert [h.id for h in copy.evaluations] == ids
    conn = sqlite3.connect(copy.path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    conn.close()
    upgraded.close()


# ---------------------------------------------------------------- rotation, swept

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from fuzz_budget import cases  # noqa: E402

_KINDS = st.sampled_from([("daily", "session"), ("session",), ("import",), ("restore",),
                          ("migration",), ("manual",)])


@settings(max_examples=cases(200), deadline=None)
@given(st.lists(st.tuples(_KINDS, st.integers(0, 200 * 24), st.integers(1, 50)), max_size=60),
       st.integers(1, 600))
def test_rotation_keeps_the_promised_copies_and_the_newest_within_the_limit(entries, limit):
    now = datetime(2026, 6, 1)
    snapshots = sorted((backups.Snapshot(f"s{i}", Path(f"s{i}.db"), now - timedelta(hours=h),
                                         kinds, size)
                        for i, (kinds, h, size) in enumerate(entries)),
                       key=lambda s: s.time, reverse=True)
    unlimited = backups.to_keep(snapshots, 1 << 40, now)
    for kind, keep in backups.KEEP.items():
        of_kind = [s.id for s in snapshots if kind in s.kinds]
        assert set(of_kind[:keep]) <= unlimited
        assert not (set(of_kind[keep:]) & unlimited) or any(
            set(s.kinds) - {kind} for s in snapshots if s.id in set(of_kind[keep:]) & unlimited)
    recent = {s.id for s in snapshots
              if "migration" in s.kinds and now - s.time <= timedelta(days=90)}
    assert recent <= unlimited
    kept = backups.to_keep(snapshots, limit, now)
    assert kept <= unlimited
    if snapshots:
        assert snapshots[0].id in kept  # the newest copy always stays
        assert sum(s.size for s in snapshots if s.id in kept) <= limit or kept == {snapshots[0].id}
        # the limit drops the oldest first
        dropped = [s.time for s in snapshots if s.id in unlimited - kept]
        remaining = [s.time for s in snapshots if s.id in kept]
        assert not dropped or min(remaining) >= max(dropped)


def test_lost_wal_and_marker_with_no_snapshot_to_compare_is_still_said(tmp_path, sample):
    library, ids = filled(tmp_path, sample, 2)
    library.close()
    running = Library(tmp_path / "lib.db")
    running.save(ids[0], department(sample, "单位0", 2020).with_narrative("problems", "新的"))
    shutil.rmtree(backups.folder_of(running.path))  # no copy could be made, say
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    shutil.copy(running.path, crashed / "lib.db")
    running.close()
    found = Library(crashed / "lib.db")
    assert found.log_lost and found.lost == []
    found.close()
    again = Library(crashed / "lib.db")
    assert not again.log_lost  # closed cleanly since: nothing more to say
    again.close()
    clean = Library(tmp_path / "lib.db")  # the library that was closed cleanly: nothing said
    assert not clean.log_lost and clean.lost == []
    clean.close()
