"""The library of evaluations: one SQLite file (sqlite-utils), many departments × years.

Each evaluation is stored as its package JSON plus a few summary columns for
the list (score, grade…).  Every save is one transaction; the database runs in
WAL mode so a second copy of the program can read and write alongside, and a
``revision`` counter stops one copy from silently overwriting what the other
saved.  The schema carries a version (``PRAGMA user_version``) and migrates
forward on open.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

import sqlite_utils

from .files import os_reason
from .model import Evaluation, next_year
from .package import PackageError, read_package, write_package
from .scoring import score

SCHEMA_VERSION = 2


class StorageError(Exception):
    """The database cannot be used; ``str()`` is a Chinese message."""


class ConflictError(StorageError):
    """Another copy of the program saved this evaluation since it was opened here."""


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
    db["evaluations"].create(
        {"id": int, "department": str, "year": int, "package": str, "updated": str},
        pk="id", not_null={"package"},
    )


def _v1_to_v2(db: sqlite_utils.Database) -> None:
    """Summary columns (score, grade, system) and a revision counter; a meta table."""
    table = db["evaluations"]
    for column, kind in (("system_name", str), ("total", str), ("grade", str),
                         ("complete", int), ("created", str), ("revision", int)):
        table.add_column(column, kind)  # type: ignore[union-attr]
    db["meta"].create({"key": str, "value": str}, pk="key")
    for row in list(table.rows):
        update: dict[str, Any] = {"revision": 1, "created": row["updated"] or _now()}
        try:
            update.update(_summary_columns(read_package(row["package"])))
        except PackageError:
            update.update(system_name="", total="", grade="", complete=0)
        table.update(row["id"], update)  # type: ignore[union-attr]


MIGRATIONS: dict[int, Callable[[sqlite_utils.Database], None]] = {
    0: _create_v1,
    1: _v1_to_v2,
}


class Library:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"无法创建数据文件夹 {self.path.parent}：{os_reason(exc)}") from None
        try:
            conn = sqlite3.connect(str(self.path), timeout=5)
            self.db = sqlite_utils.Database(conn)
            self.db.execute("PRAGMA busy_timeout = 5000")
            check = self.db.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise sqlite3.DatabaseError(str(check[0]) if check else "quick_check failed")
            if self.db.journal_mode != "wal":
                self.db.enable_wal()
            self._migrate()
        except StorageError:
            raise
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StorageError(f"数据库 {self.path} 正被另一个程序占用，请稍后重试。") from None
            raise StorageError(f"无法打开数据库 {self.path}：{exc}") from None
        except sqlite3.DatabaseError as exc:
            raise StorageError(
                f"数据库文件 {self.path} 已损坏或不是本程序的数据库（{exc}）。"
                f"可将其移到一旁后新建数据库，原文件会保留以便恢复。") from None

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self.schema_version
        if version > SCHEMA_VERSION:
            raise StorageError(f"数据库 {self.path} 由更新版本的程序创建（结构版本 {version}），"
                               f"请升级程序后再打开。")
        while version < SCHEMA_VERSION:
            with self.db.atomic():
                MIGRATIONS[version](self.db)
                version += 1
                self.db.execute(f"PRAGMA user_version = {version}")

    def close(self) -> None:
        self.db.close()

    # ------------------------------------------------------------ reading

    def list(self) -> list[Summary]:
        rows = self.db.execute(
            "SELECT id, department, year, system_name, total, grade, complete, updated, revision "
            "FROM evaluations ORDER BY year DESC, department, id").fetchall()
        return [Summary(r[0], r[1] or "", r[2] or 0, r[3] or "", r[4] or "", r[5] or "",
                        bool(r[6]), r[7] or "", r[8] or 0) for r in rows]

    def __len__(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM evaluations").fetchone()[0])

    def get(self, evaluation_id: int) -> Evaluation:
        return self.get_with_revision(evaluation_id)[0]

    def get_with_revision(self, evaluation_id: int) -> tuple[Evaluation, int]:
        row = self.db.execute("SELECT package, revision FROM evaluations WHERE id = ?",
                              [evaluation_id]).fetchone()
        if row is None:
            raise StorageError(f"评价（编号 {evaluation_id}）不存在，可能已被删除。")
        try:
            return read_package(row[0]), int(row[1] or 0)
        except PackageError as exc:
            raise StorageError(f"评价（编号 {evaluation_id}）的数据无法读取：{exc}") from None

    def revision(self, evaluation_id: int) -> int | None:
        row = self.db.execute("SELECT revision FROM evaluations WHERE id = ?",
                              [evaluation_id]).fetchone()
        return None if row is None else int(row[0] or 0)

    # ------------------------------------------------------------ writing

    def add(self, evaluation: Evaluation) -> int:
        now = _now()
        record = {"package": write_package(evaluation).decode("utf-8"), "created": now,
                  "updated": now, "revision": 1, **_summary_columns(evaluation)}
        with self.db.atomic():
            table = self.db["evaluations"]
            table.insert(record)  # type: ignore[union-attr]
            return int(table.last_pk)  # type: ignore[union-attr, arg-type]

    def save(self, evaluation_id: int, evaluation: Evaluation,
             expected_revision: int | None = None) -> int:
        """Save in one transaction; return the new revision.

        With ``expected_revision`` the save is refused (``ConflictError``) when
        another copy of the program saved the evaluation in the meantime.
        """
        package = write_package(evaluation).decode("utf-8")
        summary = _summary_columns(evaluation)
        with self.db.atomic():
            current = self.revision(evaluation_id)
            if current is None:
                raise StorageError(f"评价（编号 {evaluation_id}）不存在，可能已被删除。")
            if expected_revision is not None and current != expected_revision:
                raise ConflictError("此评价已在另一个窗口或另一台电脑上被修改并保存。"
                                    "为避免覆盖对方的修改，本次未保存；请重新打开此评价。")
            self.db["evaluations"].update(  # type: ignore[union-attr]
                evaluation_id, {"package": package, "updated": _now(),
                                "revision": current + 1, **summary})
        return current + 1

    def delete(self, evaluation_id: int) -> None:
        with self.db.atomic():
            self.db.execute("DELETE FROM evaluations WHERE id = ?", [evaluation_id])

    def start_next_year(self, evaluation_id: int) -> int:
        """新建下一年度: copy department, system and texts; clear figures and values."""
        return self.add(next_year(self.get(evaluation_id)))

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.db.atomic():
            self.db["meta"].upsert({"key": key, "value": value}, pk="key")  # type: ignore[union-attr]

    def ensure_sample(self, sample: bytes) -> int | None:
        """On first start, add the sample evaluation (once: deleting it is respected)."""
        if self.meta("sample_added"):
            return None
        new_id = None
        with self.db.atomic():
            if len(self) == 0:
                new_id = self.add(read_package(sample))
            self.set_meta("sample_added", _now())
        return new_id


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
