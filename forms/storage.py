"""The library of evaluations: one SQLite file (sqlite-utils), many departments × years.

Each evaluation is stored as its package JSON plus a few summary columns for
the list (score, grade…).  Every save is one transaction; the database runs in
WAL mode so a second copy of the program can read and write alongside, and a
``revision`` counter stops one copy from silently overwriting what the other
saved.  The schema carries a version (``PRAGMA user_version``) and migrates
forward on open.
"""

from __future__ import annotations

import builtins
import json
import os
import shutil
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from collections.abc import Callable, Iterator
from urllib.parse import quote

import sqlite_utils

from . import backups
from .files import ReadFailed, WriteFailed, read_bounded, write_atomic
from .model import Evaluation, next_year
from .package import PackageError, read_package, write_package
from .scoring import score
from .storage_records import Deleted, Incident, Lost
from .storage_errors import (ConflictError, DatabaseBusy, DatabaseDamaged, DatabaseReadOnly,
                             EvaluationUnreadable, StorageError, from_os, from_sqlite)

__all__ = ["ConflictError", "DatabaseBusy", "DatabaseDamaged", "DatabaseReadOnly", "Deleted",
           "EvaluationUnreadable", "Incident", "Library", "Lost", "StorageError", "Summary",
           "set_aside"]

SCHEMA_VERSION = 3
MARKER_LIMIT = 16 << 20  # a marker is a few bytes an evaluation; anything bigger is not ours
RECYCLE_DAYS = 90
# The main file is never far behind the WAL: checkpoint after this many seconds or commits.
CHECKPOINT_SECONDS = 60.0
CHECKPOINT_COMMITS = 20


@dataclass(frozen=True)
class Summary:
    id: int
    department: str
    year: int
    system_name: str
    total: str
    grade: str
    complete: bool
    updated: str
    revision: int
    label: str = ""  # e.g. 导入: a second copy kept beside an evaluation of the same year


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _summary_columns(evaluation: Evaluation) -> dict[str, Any]:
    result = score(evaluation)
    return {
        "department": evaluation.department.name,
        "year": evaluation.department.year,
        "system_name": evaluation.system.name,
        "total": str(result.total),
        "grade": result.grade,
        "complete": int(result.complete),
    }


# ---------------------------------------------------------------- migrations

def _create_v1(db: sqlite_utils.Database) -> None:
    """The first layout: the package and what the list needs to show."""
    db.table("evaluations").create(
        {"id": int, "department": str, "year": int, "package": str, "updated": str},
        pk="id", not_null={"package"},
    )


def _v1_to_v2(db: sqlite_utils.Database) -> None:
    """Summary columns (score, grade, system) and a revision counter; a meta table."""
    table = db["evaluations"]
    for column, kind in (("system_name", str), ("total", str), ("grade", str),
                         ("complete", int), ("created", str), ("revision", int)):
        table.add_column(column, kind)  # type: ignore[union-attr]
    db.table("meta").create({"key": str, "value": str}, pk="key")
    for row in list(table.rows):
        update: dict[str, Any] = {"revision": 1, "created": row["updated"] or _now()}
        try:
            update.update(_summary_columns(read_package(row["package"])))
        except PackageError:
            update.update(system_name="", total="", grade="", complete=0)
        table.update(row["id"], update)  # type: ignore[union-attr]


def _v2_to_v3(db: sqlite_utils.Database) -> None:
    """回收站: a deleted evaluation is kept here (with its deletion time) until purged."""
    db.execute("CREATE TABLE recycle (rid INTEGER PRIMARY KEY AUTOINCREMENT, id INTEGER, "
               "department TEXT, year INTEGER, system_name TEXT, total TEXT, grade TEXT, "
               "complete INTEGER, created TEXT, updated TEXT, revision INTEGER, "
               "package TEXT NOT NULL, deleted TEXT NOT NULL)")


MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {
    0: _create_v1,
    1: _v1_to_v2,
    2: _v2_to_v3,
}

_MOVED = ("id, department, year, system_name, total, grade, complete, created, updated, "
          "revision, package")


class Library:
    """The evaluations in one SQLite file.

    ``read_only`` is True when the file or its folder cannot be written (it opens for
    reading).  ``lost`` lists what went missing since the last commit of any copy of the
    program (a deleted or damaged WAL); ``kept_aside`` is where the files were copied then.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.marker_path = self.path.with_name(self.path.name + ".state")
        self.lost: list[Lost] = []
        self.kept_aside: Path | None = None
        self.incident: Incident | None = None
        self.log_lost = False  # the WAL and marker were lost and no snapshot names what is missing
        self.snapshot_failed = ""  # why the last automatic snapshot could not be made
        self._snapshotted = False  # this session's first save has been copied
        self._commits = 0
        self._checkpointed = time.monotonic()
        try:
            self.read_only = self.path.exists() and not (
                os.access(self.path, os.W_OK) and os.access(self.path.parent, os.W_OK))
        except OSError as exc:  # a folder on the way that cannot be searched
            raise from_os(exc, self.path, "打开") from None
        if not self.read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise from_os(exc, self.path, "创建") from None
        # before connecting (which makes a new one): a library left open has its -wal beside it
        wal_gone = not self.read_only and self.path.exists() and not self.path.with_name(
            self.path.name + "-wal").exists() and not self.marker_path.exists()
        try:
            self.db = sqlite_utils.Database(self._connect())
            self.db.execute("PRAGMA busy_timeout = 5000")
            check = self.db.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise DatabaseDamaged(f"数据库文件 {self.path} 已损坏（完整性检查未通过）。"
                                      f"可将其移到一旁后新建数据库，原文件会保留以便恢复。")
            if not self.read_only:
                if self.db.journal_mode != "wal":
                    self.db.enable_wal()
                self._migrate()
            elif self.schema_version != SCHEMA_VERSION:
                raise DatabaseReadOnly(f"数据库 {self.path} 是只读的，且需要升级结构，无法打开。")
            marker = self._read_marker()
            found = self._compare_with_marker(marker)
            key = f"marker {marker.get('written', '')}" if found else ""
            if not found and wal_gone and not self.read_only and self.meta("session") == "open":
                found, key = self._compare_with_snapshot()
                # left open, its log gone, and no copy to say what: say that much
                self.log_lost = not found
            if not self.read_only:
                self._note_incident(found, key)
                self._open_session()
            else:  # told, though nothing can be noted or copied
                self.lost = found
        except StorageError:
            raise
        except sqlite3.Error as exc:
            raise from_sqlite(exc, self.path, "打开") from None
        except OSError as exc:
            raise from_os(exc, self.path, "打开") from None

    def _connect(self) -> sqlite3.Connection:
        if not self.read_only:
            return sqlite3.connect(str(self.path), timeout=5)
        # read-only: a WAL database needs its -shm; without -wal/-shm files (closed cleanly)
        # the file cannot change under us and opens as immutable
        uri = "file:" + quote(str(self.path.resolve()))
        wal = self.path.with_name(self.path.name + "-wal")
        mode = "mode=ro" if wal.exists() else "immutable=1"
        return sqlite3.connect(f"{uri}?{mode}", uri=True, timeout=5)

    @contextmanager
    def _sql(self, doing: str = "使用") -> Iterator[None]:
        """SQLite and OS errors as typed Chinese ``StorageError``s."""
        try:
            yield
        except StorageError:
            raise
        except sqlite3.Error as exc:
            raise from_sqlite(exc, self.path, doing) from None
        except OSError as exc:
            raise from_os(exc, self.path, doing) from None

    def _writable(self) -> None:
        if self.read_only:
            raise DatabaseReadOnly(f"数据库 {self.path} 是只读的（文件或所在文件夹不能写入），"
                                   f"只能查看，修改无法保存。")

    # ------------------------------------------------------------ the marker

    def _state(self) -> dict[str, list[Any]]:
        rows = self.db.execute("SELECT id, revision, department, year FROM evaluations").fetchall()
        return {str(r[0]): [int(r[1] or 0), r[2] or "", r[3] or 0] for r in rows}

    def _committed(self) -> None:
        """After every commit: note what the library holds, checkpoint now and then."""
        self._commits += 1
        try:
            write_atomic(self.marker_path, json.dumps(
                {"evaluations": self._state(), "written": _now()}, ensure_ascii=False).encode())
        except (WriteFailed, sqlite3.Error):
            pass  # the marker helps find losses; its own failure loses nothing
        if not self._snapshotted and not self.db.conn.in_transaction:
            # the first save of the session (and maybe of the day)
            self._snapshotted = True
            self.snapshot_failed = backups.first_save(self)
        if self._commits >= CHECKPOINT_COMMITS \
                or time.monotonic() - self._checkpointed > CHECKPOINT_SECONDS:
            self.checkpoint()

    def checkpoint(self) -> None:
        """Copy the WAL into the main file (a copy that cannot wait for readers tries later)."""
        if self.read_only:
            return
        try:
            self.db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error:
            return
        self._commits = 0
        self._checkpointed = time.monotonic()

    def _read_marker(self) -> dict[str, Any]:
        """The marker, if it is a small regular file holding what we wrote (a FIFO or a
        device put in its place is not read)."""
        try:
            marker = json.loads(read_bounded(self.marker_path, MARKER_LIMIT, "状态文件"))
        except (ReadFailed, ValueError):
            return {}
        return marker if isinstance(marker, dict) else {}

    def _compare_with_marker(self, marker: dict[str, Any]) -> list[Lost]:
        noted = marker.get("evaluations")
        if not isinstance(noted, dict):
            return []
        now = self._state()
        lost = []
        for key, entry in noted.items():
            try:
                revision, department, year = int(entry[0]), str(entry[1]), int(entry[2])
            except (ValueError, TypeError, IndexError):
                continue
            found = now.get(key)
            if found is None or found[0] < revision:
                lost.append(Lost(int(key), department, year, revision,
                                 None if found is None else found[0]))
        return lost

    def _compare_with_snapshot(self) -> tuple[list[Lost], str]:
        """The library was left open and its WAL and marker are gone: what the newest
        snapshot holds newer than the library (and not in 回收站) was lost with them."""
        snapshots = backups.listing(self.path)
        if not snapshots:
            return [], ""
        newest = snapshots[0]
        now = self._state()
        recycled = {int(r[0]) for r in self.db.execute("SELECT id FROM recycle").fetchall()}
        lost = [Lost(h.id, h.department, h.year, h.revision,
                     None if str(h.id) not in now else now[str(h.id)][0])
                for h in newest.evaluations
                if h.id not in recycled and (str(h.id) not in now or now[str(h.id)][0] < h.revision)]
        return lost, f"wal {newest.id}"

    def _note_incident(self, lost: list[Lost], key: str) -> None:
        """A loss found now is copied aside and noted once; the noted one is shown until the
        clerk acknowledges it, however many starts come between."""
        noted = self.meta("incident")
        incident = Incident.from_json(noted) if noted else None
        if lost and (incident is None or incident.key != key):
            aside = self._keep_aside()
            self.kept_aside = aside
            incident = Incident(key, _now(), lost, str(aside) if aside else "")
            self.set_meta("incident", incident.as_json())
        if incident is not None and not incident.acknowledged:
            self.incident = incident
            self.lost = incident.lost
            self.kept_aside = Path(incident.aside) if incident.aside else None

    def acknowledge(self) -> None:
        """The clerk has read the warning: it is not shown again, and the marker is renewed."""
        if self.incident is None or self.read_only:
            return
        self.incident.acknowledged = True
        with self._sql("保存到"):
            self.set_meta("incident", self.incident.as_json())
        self.incident = None
        self.lost = []
        self._committed()

    def _open_session(self) -> None:
        """Note in the main file itself that the library is open (a clean close notes it
        closed): open, with no WAL beside it, means the WAL went missing."""
        old = self.db.execute("SELECT count(*) FROM recycle WHERE deleted < ?",
                              [_days_ago(RECYCLE_DAYS)]).fetchone()[0]
        if old:  # 90 days in 回收站: gone for good
            with self.db.atomic():
                self.db.execute("DELETE FROM recycle WHERE deleted < ?", [_days_ago(RECYCLE_DAYS)])
        if self.meta("session") != "open":  # (already open: another copy runs, or one died)
            self.set_meta("session", "open")
            self.checkpoint()

    def _keep_aside(self) -> Path | None:
        """Copy the database and its WAL as they are now, before anything writes over them."""
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.missing-{stamp}")
        try:
            for suffix in ("", "-wal", "-shm", ".state"):
                source = self.path.with_name(self.path.name + suffix)
                if source.exists():
                    shutil.copy2(source, target.with_name(target.name + suffix))
        except OSError:
            return None
        return target

    def has_been_used(self) -> bool:
        """True when a marker shows this library held evaluations before."""
        return self.marker_path.exists()

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise StorageError(f"数据库 {self.path} 由更新版本的程序创建（结构版本 {version}），"
                               f"请升级程序后再打开。")
        if 0 < version < SCHEMA_VERSION:
            try:
                backups.take(self.db.conn, self.path, ("migration",))
            except (OSError, sqlite3.Error) as exc:
                raise StorageError(f"数据库 {self.path} 需要升级结构，但升级前的备份无法写入 "
                                   f"{backups.folder_of(self.path)}（{exc}），为安全起见未升级。"
                                   ) from None
        while version < SCHEMA_VERSION:
            with self.db.atomic():
                MIGRATIONS[version](self.db)
                version += 1
                self.db.execute(f"PRAGMA user_version = {version}")

    def after_restore(self) -> None:
        """The whole file was replaced by a snapshot: bring it up to date and note it."""
        with self._sql("恢复"):
            self._migrate()
            self._open_session()
        self._committed()

    def close(self) -> None:
        if not self.read_only:
            try:
                self.set_meta("session", "closed")
                if not self.lost:
                    self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except (StorageError, sqlite3.Error):
                pass
        self.db.close()

    # ------------------------------------------------------------ reading

    def list(self) -> list[Summary]:
        with self._sql("读取"):
            rows = self.db.execute(
                "SELECT id, department, year, system_name, total, grade, complete, updated, revision, "
                "json_extract(package, '$.label') "
                "FROM evaluations ORDER BY year DESC, department, id").fetchall()
        return [Summary(r[0], r[1] or "", r[2] or 0, r[3] or "", r[4] or "", r[5] or "",
                        bool(r[6]), r[7] or "", r[8] or 0,
                        r[9] if isinstance(r[9], str) else "") for r in rows]

    def find_same(self, department: str, year: int) -> builtins.list[Summary]:  # not .list
        """Evaluations of the library for this department and year (an import may repeat one)."""
        return [s for s in self.list() if s.department == department and s.year == year]

    def updated(self, evaluation_id: int) -> str | None:
        """When the evaluation was last saved (ISO time), None if it does not exist."""
        row = self.db.execute("SELECT updated FROM evaluations WHERE id = ?",
                              [evaluation_id]).fetchone()
        return None if row is None else str(row[0] or "")

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM evaluations").fetchone()[0])

    def get(self, evaluation_id: int) -> Evaluation:
        return self.get_with_revision(evaluation_id)[0]

    def get_with_revision(self, evaluation_id: int) -> tuple[Evaluation, int]:
        with self._sql("读取"):
            row = self.db.execute("SELECT package, revision FROM evaluations WHERE id = ?",
                                  [evaluation_id]).fetchone()
        if row is None:
            raise StorageError(f"评价（编号 {evaluation_id}）不存在，可能已被删除。")
        try:
            return read_package(row[0]), int(row[1] or 0)
        except PackageError as exc:
            raise EvaluationUnreadable(evaluation_id, str(exc)) from None

    def raw_package(self, evaluation_id: int) -> bytes:
        """The stored package text as it is, readable or not (for support)."""
        with self._sql("读取"):
            row = self.db.execute("SELECT package FROM evaluations WHERE id = ?",
                                  [evaluation_id]).fetchone()
        if row is None:
            raise StorageError(f"评价（编号 {evaluation_id}）不存在，可能已被删除。")
        return str(row[0]).encode("utf-8", "surrogatepass")

    def revision(self, evaluation_id: int) -> int | None:
        row = self.db.execute("SELECT revision FROM evaluations WHERE id = ?",
                              [evaluation_id]).fetchone()
        return None if row is None else int(row[0] or 0)

    # ------------------------------------------------------------ writing

    def add(self, evaluation: Evaluation, evaluation_id: int | None = None) -> int:
        now = _now()
        record = {**({"id": evaluation_id} if evaluation_id is not None else {}),"package": write_package(evaluation).decode("utf-8"), "created": now,
                  "updated": now, "revision": 1, **_summary_columns(evaluation)}
        self._writable()
        with self._sql("保存到"), self.db.atomic():
            table = self.db["evaluations"]
            table.insert(record)  # type: ignore[union-attr]
            new_id = int(table.last_pk)  # type: ignore[union-attr, arg-type]
        self._committed()
        return new_id

    def save(self, evaluation_id: int, evaluation: Evaluation,
             expected_revision: int | None = None) -> int:
        """Save in one transaction; return the new revision.

        With ``expected_revision`` the save is refused (``ConflictError``) when
        another copy of the program saved the evaluation in the meantime.
        """
        package = write_package(evaluation).decode("utf-8")
        summary = _summary_columns(evaluation)
        self._writable()
        with self._sql("保存到"), self.db.atomic():
            current = self.revision(evaluation_id)
            if current is None:
                raise StorageError(f"评价（编号 {evaluation_id}）不存在，可能已被删除。")
            if expected_revision is not None and current != expected_revision:
                raise ConflictError("此评价已在另一个窗口或另一台电脑上被修改并保存。"
                                    "为避免覆盖对方的修改，本次未保存；请重新打开此评价。")
            self.db["evaluations"].update(  # type: ignore[union-attr]
                evaluation_id, {"package": package, "updated": _now(),
                                "revision": current + 1, **summary})
        self._committed()
        return current + 1

    def delete(self, evaluation_id: int) -> None:
        """Move the evaluation to 回收站 (restore with ``undelete``, or ``purge``)."""
        self._writable()
        with self._sql("修改"), self.db.atomic():
            self.db.execute(f"INSERT INTO recycle ({_MOVED}, deleted) SELECT {_MOVED}, ? "
                            f"FROM evaluations WHERE id = ?", [_now(), evaluation_id])
            self.db.execute("DELETE FROM evaluations WHERE id = ?", [evaluation_id])
        self._committed()

    def recycled(self) -> builtins.list[Deleted]:
        with self._sql("读取"):
            rows = self.db.execute("SELECT rid, id, department, year, total, deleted FROM recycle "
                                   "ORDER BY deleted DESC, rid DESC").fetchall()
        return [Deleted(int(r[0]), int(r[1] or 0), r[2] or "", int(r[3] or 0), r[4] or "", r[5])
                for r in rows]

    def undelete(self, rid: int) -> int:
        """Put an evaluation back from 回收站 (under its old number if free); its id."""
        self._writable()
        with self._sql("保存到"), self.db.atomic():
            row = self.db.execute("SELECT id FROM recycle WHERE rid = ?", [rid]).fetchone()
            if row is None:
                raise StorageError("回收站中已没有这份评价。")
            taken = self.revision(int(row[0])) is not None
            columns = _MOVED.replace("id, ", "", 1) if taken else _MOVED
            self.db.execute(f"INSERT INTO evaluations ({columns}) SELECT {columns} FROM recycle "
                            f"WHERE rid = ?", [rid])
            new_id = int(self.db.execute("SELECT last_insert_rowid()").fetchone()[0])
            self.db.execute("DELETE FROM recycle WHERE rid = ?", [rid])
        self._committed()
        return new_id

    def purge(self, rid: int) -> None:
        """Delete an evaluation from 回收站 for good."""
        self._writable()
        with self._sql("修改"), self.db.atomic():
            self.db.execute("DELETE FROM recycle WHERE rid = ?", [rid])

    def start_next_year(self, evaluation_id: int) -> int:
        """新建下一年度: copy department, system and texts; clear figures and values."""
        return self.add(next_year(self.get(evaluation_id)))

    def meta(self, key: str) -> str | None:
        with self._sql("读取"):
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        self._writable()
        with self._sql("保存到"), self.db.atomic():
            self.db["meta"].upsert({"key": key, "value": value}, pk="key")  # type: ignore[union-attr]

    def ensure_sample(self, sample: bytes) -> int | None:
        """On first start, add the sample evaluation (once: deleting it is respected, and a
        library that held evaluations before, or is read-only, never gets it again).
        The database failing raises a ``StorageError``."""
        if self.read_only:
            return None
        new_id = None
        with self._sql("保存到"):
            if self.has_been_used() or self.meta("sample_added"):
                return None
            with self.db.atomic():
                if len(self) == 0:
                    new_id = self.add(read_package(sample))
                self.set_meta("sample_added", _now())
        return new_id


def _days_ago(days: int) -> str:
    return (datetime.now() - timedelta(days=days)).isoformat(timespec="seconds")


def set_aside(path: str | Path) -> Path:
    """Move a damaged database out of the way (kept for recovery); return where it went."""
    source = Path(path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = source.with_name(f"{source.name}.damaged-{stamp}")
    shutil.move(str(source), target)
    for suffix in ("-wal", "-shm"):
        side = source.with_name(source.name + suffix)
        if side.exists():
            shutil.move(str(side), target.with_name(target.name + suffix))
    return target
