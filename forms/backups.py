"""Snapshots of the library: consistent copies kept in the data folder's ``backups/``.

A snapshot is made with SQLite's online backup API (one read transaction: never
half-written, and the program need not close), first into a temporary file that is
renamed into place. Beside each copy ``<id>.json`` says when it was taken, why, and
what it holds (evaluations with department, year, score and revision), so a list of
snapshots needs no copy opened.

Kinds: ``daily`` (the first save of a day), ``session`` (the first save after the
program started), ``import`` (before an import replaces an evaluation), ``migration``
(before the database's layout is upgraded), ``restore`` (before a restore) and ``manual``.
Rotation keeps the last 7 daily, the last 10 session, every migration copy for 90 days
and the last 10 of each other kind, then drops the oldest until the folder is within the
size limit (the newest copy always stays). A restore never rotates.
"""

from __future__ import annotations

import io
import json
import os
import sqlite3
import zipfile
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .files import ReadFailed, WriteFailed, read_bounded, write_atomic
from .package import PackageError, read_package
from .storage_errors import StorageError

if TYPE_CHECKING:
    from .storage import Library, Lost

FOLDER = "backups"
KEEP = {"daily": 7, "session": 10, "import": 10, "restore": 10, "manual": 10}
MIGRATION_DAYS = 90
DEFAULT_LIMIT_MB = 500
SIDECAR_LIMIT = 8 << 20
REASONS = {"daily": "当天首次保存", "session": "本次启动后首次保存", "import": "导入替换评价之前",
           "migration": "数据库结构升级之前", "restore": "恢复备份之前", "manual": "手动备份"}


@dataclass(frozen=True)
class Held:
    """One evaluation a snapshot holds."""

    id: int
    department: str
    year: int
    total: str
    grade: str
    revision: int
    label: str = ""

    def __str__(self) -> str:
        score = f"，{self.total} 分" if self.total else ""
        return f"{self.department} {self.year} 年度（编号 {self.id}{score}）"


@dataclass(frozen=True)
class Snapshot:
    id: str
    path: Path
    time: datetime
    kinds: tuple[str, ...]
    size: int
    evaluations: tuple[Held, ...] = field(default=())

    @property
    def reason(self) -> str:
        return "、".join(REASONS.get(k, k) for k in self.kinds)

    def describe(self) -> str:
        """One line for a list: time, why, what it holds."""
        held = "；".join(str(h) for h in self.evaluations[:4])
        more = f" 等 {len(self.evaluations)} 份" if len(self.evaluations) > 4 else ""
        return (f"{self.time:%Y-%m-%d %H:%M:%S}（{self.reason}）"
                f"{len(self.evaluations)} 份评价：{held or '无'}{more}")

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "time": self.time.isoformat(timespec="microseconds"),
                "kinds": list(self.kinds), "size": self.size,
                "evaluations": [held_json(h) for h in self.evaluations]}


def held_json(h: Held) -> dict[str, Any]:
    return {"id": h.id, "department": h.department, "year": h.year, "total": h.total,
            "grade": h.grade, "revision": h.revision, "label": h.label}


def folder_of(db_path: Path) -> Path:
    return db_path.parent / FOLDER


def _holds(conn: sqlite3.Connection) -> tuple[Held, ...]:
    try:
        rows = conn.execute(
            "SELECT id, department, year, total, grade, revision, "
            "json_extract(package, '$.label') FROM evaluations ORDER BY id").fetchall()
    except sqlite3.Error:
        return ()
    return tuple(Held(int(r[0]), str(r[1] or ""), int(r[2] or 0), str(r[3] or ""),
                      str(r[4] or ""), int(r[5] or 0), r[6] if isinstance(r[6], str) else "")
                 for r in rows)


def take(conn: sqlite3.Connection, db_path: Path, kinds: tuple[str, ...],
         now: datetime | None = None) -> Snapshot:
    """Copy the library behind ``conn`` into ``backups/`` (raises ``OSError`` or
    ``sqlite3.Error`` when the copy cannot be made; the library is untouched then)."""
    when = now or datetime.now()
    folder = folder_of(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    ident = f"{when:%Y%m%d-%H%M%S-%f}-{kinds[0]}"
    target = folder / f"{ident}.db"
    partial = folder / f"{ident}.db.partial"
    copy = sqlite3.connect(str(partial))
    try:
        conn.backup(copy)  # all pages in one step: one consistent, committed state
        copy.execute("PRAGMA journal_mode = DELETE")
        held = _holds(copy)
    finally:
        copy.close()
    os.replace(partial, target)
    snapshot = Snapshot(ident, target, when, kinds, target.stat().st_size, held)
    try:
        write_atomic(folder / f"{ident}.json",
                     json.dumps(snapshot.as_json(), ensure_ascii=False, indent=1).encode())
    except WriteFailed:
        pass  # the copy is what matters; listing reads it when its summary is missing
    return snapshot


def _from_sidecar(path: Path) -> Snapshot | None:
    try:
        data = json.loads(read_bounded(path, SIDECAR_LIMIT, "备份说明"))
        db = path.with_suffix(".db")
        held = tuple(Held(int(e["id"]), str(e["department"]), int(e["year"]), str(e["total"]),
                          str(e["grade"]), int(e["revision"]), str(e.get("label", "")))
                     for e in data["evaluations"])
        return Snapshot(str(data["id"]), db, datetime.fromisoformat(data["time"]),
                        tuple(str(k) for k in data["kinds"]), db.stat().st_size, held)
    except (ReadFailed, OSError, ValueError, KeyError, TypeError):
        return None


def _from_copy(db: Path) -> Snapshot | None:
    """A copy whose summary is missing or unreadable: read the copy itself."""
    parts = db.stem.split("-")
    try:
        when = datetime.strptime("-".join(parts[:3]), "%Y%m%d-%H%M%S-%f")
        conn = _read_only(db)
        try:
            held = _holds(conn)
        finally:
            conn.close()
        return Snapshot(db.stem, db, when, tuple(parts[3:4]) or ("manual",), db.stat().st_size, held)
    except (ValueError, OSError, sqlite3.Error):
        return None


def _read_only(db: Path) -> sqlite3.Connection:
    return sqlite3.connect("file:" + quote(str(db.resolve())) + "?mode=ro", uri=True)


def listing(db_path: Path) -> list[Snapshot]:
    """Every snapshot of the library at ``db_path``, newest first."""
    folder = folder_of(db_path)
    try:
        copies = sorted(folder.glob("*.db"))
    except OSError:
        return []
    found = []
    for db in copies:
        snapshot = _from_sidecar(db.with_suffix(".json")) if db.with_suffix(".json").exists() \
            else None
        snapshot = snapshot or _from_copy(db)
        if snapshot is not None:
            found.append(snapshot)
    return sorted(found, key=lambda s: s.time, reverse=True)


def find(db_path: Path, ident: str) -> Snapshot | None:
    """The snapshot named ``ident`` (its id, its file name, or a unique start of the id)."""
    ident = Path(ident).name.removesuffix(".db").removesuffix(".json")
    snapshots = listing(db_path)
    exact = [s for s in snapshots if s.id == ident]
    if exact:
        return exact[0]
    starting = [s for s in snapshots if s.id.startswith(ident)] if ident else []
    return starting[0] if len(starting) == 1 else None


def to_keep(snapshots: list[Snapshot], limit_bytes: int, now: datetime) -> set[str]:
    """The ids rotation keeps (``snapshots`` newest first)."""
    keep: set[str] = set()
    counts: dict[str, int] = {}
    for s in snapshots:
        for kind in s.kinds:
            if kind == "migration":
                if now - s.time <= timedelta(days=MIGRATION_DAYS):
                    keep.add(s.id)
                continue
            counts[kind] = counts.get(kind, 0) + 1
            if counts[kind] <= KEEP.get(kind, 10):
                keep.add(s.id)
    if snapshots:
        keep.add(snapshots[0].id)  # never none at all, however old the last copy is
    kept = [s for s in snapshots if s.id in keep]
    total = sum(s.size for s in kept)
    for s in reversed(kept[1:]):  # oldest first; the newest copy always stays
        if total <= limit_bytes:
            break
        keep.discard(s.id)
        total -= s.size
    return keep


def rotate(db_path: Path, limit_bytes: int, now: datetime | None = None) -> list[str]:
    """Delete what rotation does not keep; return the ids deleted."""
    snapshots = listing(db_path)
    keep = to_keep(snapshots, limit_bytes, now or datetime.now())
    gone = []
    for s in snapshots:
        if s.id in keep:
            continue
        try:
            s.path.unlink(missing_ok=True)
            s.path.with_suffix(".json").unlink(missing_ok=True)
        except OSError:
            continue
        gone.append(s.id)
    return gone


def total_size(db_path: Path) -> int:
    return sum(s.size for s in listing(db_path))


def open_copy(snapshot: Snapshot) -> sqlite3.Connection:
    """The snapshot's database, read-only."""
    return _read_only(snapshot.path)


def package_text(snapshot: Snapshot, evaluation_id: int) -> str | None:
    conn = open_copy(snapshot)
    try:
        row = conn.execute("SELECT package FROM evaluations WHERE id = ?",
                           [evaluation_id]).fetchone()
    finally:
        conn.close()
    return None if row is None else str(row[0])


# ---------------------------------------------------------------- with a library

def limit_bytes(library: Library) -> int:
    """The size limit of ``backups/`` (设置 › 备份占用上限, in MB)."""
    try:
        mb = int(library.meta("backup_limit_mb") or DEFAULT_LIMIT_MB)
    except (ValueError, StorageError):
        mb = DEFAULT_LIMIT_MB
    return max(1, mb) << 20


def snapshot(library: Library, kind: str, now: datetime | None = None,
             rotating: bool = True) -> Snapshot:
    """Copy the library now (``StorageError`` if it cannot be made) and rotate the rest."""
    try:
        made = take(library.db.conn, library.path, (kind,) if kind != "daily" else
                    ("daily", "session"), now)
        if rotating:
            rotate(library.path, limit_bytes(library), now)
    except (OSError, sqlite3.Error) as exc:
        raise StorageError(f"无法在 {folder_of(library.path)} 中备份评价库：{_reason(exc)}") from None
    return made


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        from .files import os_reason
        return os_reason(exc)
    return "数据库复制失败"


def first_save(library: Library, now: datetime | None = None) -> str:
    """The session's first save: a snapshot (also the day's, if none was taken today).
    Returns why it failed ("" when made): a save never fails for its backup."""
    when = now or datetime.now()
    today = [s for s in listing(library.path)
             if "daily" in s.kinds and s.time.date() == when.date()]
    try:
        snapshot(library, "session" if today else "daily", when)
    except StorageError as exc:
        return str(exc)
    return ""


def label_of(made: Snapshot) -> str:
    return f"备份 {made.time:%m-%d %H:%M}"


def restore_evaluation(library: Library, made: Snapshot, evaluation_id: int) -> int:
    """Add one evaluation of the snapshot beside the current ones, labelled with the
    snapshot's time (the current library is copied first); its new id."""
    text = package_text(made, evaluation_id)
    if text is None:
        raise StorageError(f"备份 {made.id} 中没有编号 {evaluation_id} 的评价。")
    try:
        evaluation = read_package(text)
    except PackageError as exc:
        raise StorageError(f"备份中的评价（编号 {evaluation_id}）无法读取：{exc}") from None
    snapshot(library, "restore", rotating=False)
    extra = dict(evaluation.extra)
    extra["label"] = label_of(made)
    return library.add(replace(evaluation, extra=extra))


def restore_library(library: Library, made: Snapshot) -> None:
    """Replace the whole library by the snapshot (the current one is copied first)."""
    library._writable()
    snapshot(library, "restore", rotating=False)
    try:
        source = open_copy(made)
        try:
            source.backup(library.db.conn)
        finally:
            source.close()
    except sqlite3.Error as exc:
        raise StorageError(f"无法从备份 {made.id} 恢复：{exc}") from None
    library.after_restore()


def recover(library: Library, made: Snapshot, lost: list[Lost]) -> list[str]:
    """Put back, from ``made``, the evaluations found lost (under their own numbers);
    return what came back, in words."""
    back = []
    for item in lost:
        text = package_text(made, item.id)
        if text is None:
            continue
        try:
            evaluation = read_package(text)
        except PackageError:
            continue
        if library.revision(item.id) is None:
            library.add(evaluation, evaluation_id=item.id)
        else:
            library.save(item.id, evaluation)
        back.append(f"{item.department} {item.year} 年度（编号 {item.id}）")
    library.acknowledge()
    return back


def offer(library: Library) -> tuple[Snapshot, list[Held]] | None:
    """The newest snapshot holding what the library lost, and what would come back."""
    wanted = {x.id: x for x in library.lost}
    for made in listing(library.path):
        back = [h for h in made.evaluations if h.id in wanted
                and (wanted[h.id].found_revision is None
                     or h.revision > (wanted[h.id].found_revision or 0))]
        if back:
            return made, back
    return None


def library_zip(items: list[tuple[str, bytes]]) -> bytes:
    """The packages of every evaluation in one zip (for moving to another computer)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        used: set[str] = set()
        for name, data in items:
            safe = "".join("_" if c in '\\/:*?"<>|' or ord(c) < 32 else c for c in name)[:80]
            entry, n = f"{safe}.json", 1
            while entry in used:
                n += 1
                entry = f"{safe}（{n}）.json"
            used.add(entry)
            archive.writestr(entry, data)
    return buffer.getvalue()
