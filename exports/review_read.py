"""Reading a folder of submissions for the bureau's review, in parallel processes.

Every file under the given paths is either a submission (a workbook this
program exported, or a package) or a ``Rejected`` with the reason in Chinese;
nothing a department sends can stop the review.  A workbook is opened once,
by ``exports.workbook_import.read_workbook``: it gives the evaluation as the
clerk left it (the same as 导入Excel), the data exported with it and the
visible form's rows, from which the total and grade, each leaf's score and the
cells edited after export are named.  Workers read one workbook at a time.
"""

from __future__ import annotations

import errno
import multiprocessing
import os
import stat
import threading
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from forms.files import ReadFailed, os_reason, read_bounded
from forms.numbers import NumberError, parse_number, plain
from forms.package import PackageError, load_package, package_to_dict
from forms.review import (
    EditedCell,
    Rejected,
    Review,
    ReviewRow,
    Stated,
    Submission,
    finish,
    review_submission,
)
from forms.system import System

from .cellmap import FIELDS, NUMBER, MappedCell, value_at
from .excel import SHEET_FORM
from .value_cells import fields_text, shown_fields
from .workbook_import import MAX_FILE_BYTES, WorkbookImportError, WorkbookRead, read_workbook

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
PACKAGE_SUFFIXES = (".json",)
SPREADSHEET_MAGIC = (b"PK", b"\xd0\xcf\x11\xe0")  # xlsx (zip); encrypted or .xls (OLE2)
SERIAL_BELOW = 8  # fewer files than this are read in this process: starting workers costs more

Progress = Callable[[int, int], None]  # (done, total)


# ---------------------------------------------------------------- finding files

def find_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[Rejected]]:
    """Every file under the given files and folders (recursively, following linked
    folders), in order; what cannot be read is rejected with its reason: a missing
    path, a symbolic-link loop, a path too long, a folder that cannot be opened, a
    device, FIFO or socket.  Hidden files and Office lock files (~$…) are skipped, and
    a file reached twice (given itself and inside a given folder, or through a link)
    is read once."""
    found: dict[tuple[int, int], Path] = {}
    rejected: list[Rejected] = []
    visited: set[tuple[int, int]] = set()

    def take(path: Path, info: os.stat_result, given: bool) -> None:
        if stat.S_ISREG(info.st_mode):
            found.setdefault((info.st_dev, info.st_ino), path)
        elif given or not stat.S_ISDIR(info.st_mode):
            rejected.append(Rejected(str(path), "是设备、管道或套接字等特殊文件，不是自评表，已跳过"))

    for raw in paths:
        p = Path(raw)
        try:
            info = os.stat(p)
        except (OSError, ValueError) as exc:
            rejected.append(Rejected(str(p), _why(exc, p)))
            continue
        if not stat.S_ISDIR(info.st_mode):
            take(p, info, True)
            continue
        # depth first, in name order; a folder's identity on the way down is a link loop
        stack: list[tuple[Path, tuple[tuple[int, int], ...]]] = [(p, ((info.st_dev, info.st_ino),))]
        visited.add((info.st_dev, info.st_ino))
        while stack:
            folder, chain = stack.pop()
            try:
                with os.scandir(folder) as listing:
                    entries = sorted(listing, key=lambda e: e.name)
            except (OSError, ValueError) as exc:
                rejected.append(Rejected(str(folder), f"无法打开文件夹：{_why(exc, folder)}"))
                continue
            subfolders: list[tuple[Path, tuple[tuple[int, int], ...]]] = []
            for entry in entries:
                if entry.name.startswith((".", "~$")):
                    continue
                path = Path(entry.path)
                try:
                    info = os.stat(path)
                except (OSError, ValueError) as exc:
                    rejected.append(Rejected(str(path), _why(exc, path)))
                    continue
                if stat.S_ISDIR(info.st_mode):
                    ident = (info.st_dev, info.st_ino)
                    if ident in chain:
                        rejected.append(Rejected(str(path), "符号链接循环（指向它所在的文件夹），已跳过"))
                    elif ident not in visited:  # a folder reached again by a link: read once
                        visited.add(ident)
                        subfolders.append((path, (*chain, ident)))
                else:
                    take(path, info, False)
            stack.extend(reversed(subfolders))
    return list(found.values()), rejected


def _why(exc: BaseException, path: Path) -> str:
    if isinstance(exc, OSError) and exc.errno == errno.ENOENT:
        return "链接指向的文件不存在" if os.path.islink(path) else "找不到该文件或文件夹"
    if isinstance(exc, OSError):
        return os_reason(exc)
    return "路径含有无效字符"


# ---------------------------------------------------------------- one file

def _text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        return Decimal(repr(value))
    try:
        return parse_number(value, "数值", required=False)
    except NumberError:
        return None


def _same(kind: str, exported: Any, visible: Any) -> bool:
    if kind == NUMBER:
        a, b = _number(exported), _number(visible)
        if a is None or b is None:
            return _text_of(exported).strip() == _text_of(visible).strip()
        return a == b
    return _text_of(exported).replace("\r\n", "\n") == _text_of(visible).replace("\r\n", "\n")


def _dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else key)
    return out


def _fields_shown(cell: MappedCell, system: System, value: Any) -> str | None:
    """A cell of several fields as it reads for ``value`` (the package's entry of the
    leaf); None when the leaf is not such a leaf here."""
    leaf = system.leaf(str(cell.path[-1]))
    if leaf is None or not shown_fields(leaf):
        return None
    # on one line, as the review's list shows a change
    return fields_text(leaf, value if isinstance(value, Mapping) else {}).replace("\n", "；")


def _edited(cells: Sequence[MappedCell], exported: Mapping[str, Any], now: dict[str, Any],
            system: System) -> tuple[EditedCell, ...]:
    out = []
    for cell in cells:
        before, after = value_at(exported, cell.path), value_at(now, cell.path)
        if cell.kind == FIELDS:  # its fields only: the deviation has a cell of its own
            before, after = _fields_shown(cell, system, before), _fields_shown(cell, system, after)
            if before is None or after is None:
                continue
        if not _same(cell.kind, before, after):
            out.append(EditedCell(f"{cell.sheet}!{cell.coord}", cell.label,
                                  _text_of(before), _text_of(after), _dotted(cell.path)))
    return tuple(out)


def _stated(rows: Sequence[tuple[Any, ...]], leaf_ids: list[str]) -> Stated:
    """Total, grade and leaf scores as the form sheet shows them, found by their labels."""
    from openpyxl.utils import get_column_letter

    total: Decimal | None = None
    grade = ""
    place = f"{SHEET_FORM}!总分"
    header: int | None = None
    score_col: int | None = None
    for r, row in enumerate(rows):
        cells = [c.strip() if isinstance(c, str) else c for c in row]
        if header is None and "一级指标" in cells and "得分" in cells:
            header, score_col = r, cells.index("得分")
        elif cells and cells[0] == "总分" and score_col is not None and header is not None:
            value = row[score_col] if score_col < len(row) else None
            total = _number(value)
            place = f"{SHEET_FORM}!{get_column_letter(score_col + 1)}{r + 1}"
            body = rows[header + 1:r]
            leaf_scores: dict[str, Decimal | None] = {}
            leaf_places: dict[str, str] = {}
            if len(body) == len(leaf_ids):  # one row per leaf, as exported
                for i, (leaf_id, leaf_row) in enumerate(zip(leaf_ids, body)):
                    raw = leaf_row[score_col] if score_col < len(leaf_row) else None
                    leaf_scores[leaf_id] = _number(raw)
                    leaf_places[leaf_id] = \
                        f"{SHEET_FORM}!{get_column_letter(score_col + 1)}{header + 2 + i}"
        elif cells and cells[0] == "自评等级":
            grade = next((c for c in cells[1:] if isinstance(c, str) and c), "")
            return Stated(total, grade, place, leaf_scores if total is not None else {},
                          leaf_places if total is not None else {})
    return Stated(total, grade, place)


def _visible_side(read: WorkbookRead) -> tuple[Stated, tuple[EditedCell, ...], dict[str, str]]:
    """What only the visible cells say, beside the data exported with them."""
    leaf_ids = [leaf.id for leaf in read.evaluation.system.leaves()]
    current = package_to_dict(read.evaluation)
    places = {_dotted(c.path): f"{c.sheet}!{c.coord}" for c in read.cells}
    return (_stated(read.form_rows, leaf_ids),
            _edited(read.cells, read.exported, current, read.evaluation.system), places)


def _read_workbook(path: Path) -> Submission | Rejected:
    try:  # devices, FIFOs and folders refused before reading; never past the limit
        data = read_bounded(path, MAX_FILE_BYTES, "本程序导出的自评表")
    except ReadFailed as exc:
        return Rejected(str(path), str(exc))
    try:
        read = read_workbook(data)
    except WorkbookImportError as exc:
        return Rejected(str(path), str(exc))
    try:
        stated, edited, places = _visible_side(read)
    except (PackageError, KeyError, ValueError) as exc:
        # it was just read in full: only a stranger change than a clerk's reaches here
        return Rejected(str(path), f"自评表的程序数据无法核对：{exc}")
    return Submission(str(path), read.evaluation, stated, edited, places)


PACK_SUFFIXES = (".zip",)
MAX_PACK_BYTES = 2 * 1024 * 1024 * 1024


def _read_pack(path: Path) -> Submission | Rejected:
    """A 报送包: the manifest checked against its files, then its workbook (or, without one,
    its package) read as a submission."""
    import zipfile
    from dataclasses import replace

    from forms.package import read_package

    from .pack import MAX_MEMBER, NotAPack, check_pack, pack_members

    try:
        if not path.is_file():
            return Rejected(str(path), "不是普通文件，已跳过")
        if path.stat().st_size > MAX_PACK_BYTES:
            return Rejected(str(path), "报送包超过 2 GB，无法读取")
        with zipfile.ZipFile(path) as zf:
            check = check_pack(zf)
            parts = pack_members(zf.namelist())
            found: Submission | Rejected
            if "workbook" in parts and zf.getinfo(parts["workbook"]).file_size <= MAX_FILE_BYTES:
                try:
                    read = read_workbook(zf.read(parts["workbook"]))
                    stated, edited, places = _visible_side(read)
                    found = Submission(str(path), read.evaluation, stated, edited, places)
                except (WorkbookImportError, PackageError, KeyError, ValueError) as exc:
                    found = Rejected(str(path), f"报送包中的自评表无法读取：{exc}")
            elif "package" in parts and zf.getinfo(parts["package"]).file_size <= MAX_MEMBER:
                try:
                    found = Submission(str(path), read_package(zf.read(parts["package"])))
                except PackageError as exc:
                    found = Rejected(str(path), f"报送包中的评价包无效：{exc}")
            else:
                found = Rejected(str(path), "报送包中没有自评表或评价包")
    except NotAPack as exc:
        return Rejected(str(path), str(exc))
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return Rejected(str(path), "压缩包已损坏，无法读取")
    if isinstance(found, Rejected):
        return found
    return replace(found, pack_problems=tuple(check.problems()))


def _looks_like(path: Path, magic: tuple[bytes, ...]) -> bool:
    try:
        if not path.is_file():  # opening a FIFO would wait for a writer
            return False
        with path.open("rb") as f:
            return f.read(8).startswith(magic)
    except OSError:
        return False


def read_submission(path: str | Path) -> Submission | Rejected:
    """One file as a submission, or why it is not one.  Never raises for a file's content."""
    p = Path(path)
    suffix = p.suffix.lower()
    try:
        if suffix in PACKAGE_SUFFIXES:
            try:
                return Submission(str(p), load_package(p))
            except PackageError as exc:
                return Rejected(str(p), f"不是有效的评价包：{exc}")
        if suffix in PACK_SUFFIXES:
            return _read_pack(p)
        if suffix in WORKBOOK_SUFFIXES or _looks_like(p, SPREADSHEET_MAGIC):
            return _read_workbook(p)
        kind = f"{suffix} 文件" if suffix else "无扩展名的文件"
        return Rejected(str(p), f"不是 Excel 自评表或评价包（{kind}），已跳过")
    except MemoryError:
        return Rejected(str(p), "文件内容过大，无法读取")
    except Exception as exc:  # noqa: BLE001 - one strange file must not stop the review
        return Rejected(str(p), f"读取时出错（{type(exc).__name__}），已跳过")


def review_one(path: str, reference: System | None) -> ReviewRow | Rejected:
    """Read and review one file: the work of one worker task."""
    found = read_submission(path)
    if isinstance(found, Rejected):
        return found
    return review_submission(found, reference)


# ---------------------------------------------------------------- many files

@dataclass
class Cancel:
    """Set from another thread to stop a review; files not yet read are left out."""

    event: threading.Event

    @staticmethod
    def new() -> Cancel:
        return Cancel(threading.Event())

    def set(self) -> None:
        self.event.set()

    @property
    def is_set(self) -> bool:
        return self.event.is_set()


class Cancelled(Exception):
    """The review was cancelled before it finished."""


def _context() -> Any:
    # the desktop runs the review from a thread: forking a process with threads is unsafe,
    # and a fork server that has already imported the reader starts workers quickly
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["exports.review_read"])
        return ctx
    return multiprocessing.get_context("spawn")


def pool_possible() -> bool:
    """Can this system run a pool of worker processes?  A Python built without named
    semaphores, or a system without a shared-memory folder (/dev/shm), cannot."""
    try:
        import multiprocessing.synchronize  # raises ImportError without them

        multiprocessing.get_context("spawn").Lock()  # raises OSError without /dev/shm
    except (ImportError, OSError, NotImplementedError):
        return False
    return True


def default_workers(files: int) -> int:
    if files < SERIAL_BELOW:
        return 1
    return max(1, min(os.cpu_count() or 1, 8, files // 4))


Task = Callable[[str, "System | None"], "ReviewRow | Rejected"]
Take = Callable[["ReviewRow | Rejected"], None]
DIED = "读取该文件的进程意外退出（文件可能异常庞大或已损坏），已跳过"


def is_our_summary(path: Path) -> bool:
    """A summary this program wrote (workbook or PDF, marked in its properties): a review of
    the folder it was saved in leaves it out rather than listing it as unreadable."""
    from .review_workbook import SUMMARY_MARK

    suffix = path.suffix.lower()
    try:
        if not path.is_file() or path.stat().st_size > 20 * 1024 * 1024:
            return False
        if suffix in WORKBOOK_SUFFIXES:
            with zipfile.ZipFile(path) as zf:
                info = zf.getinfo("docProps/core.xml")
                if info.file_size > 64 * 1024:
                    return False
                return SUMMARY_MARK.encode() in zf.read(info)
        if suffix == ".pdf":
            return SUMMARY_MARK.encode() in path.read_bytes()
    except (OSError, KeyError, ValueError, EOFError, RuntimeError, NotImplementedError,
            zipfile.BadZipFile):
        return False
    return False


def review_paths(paths: Iterable[str | Path], reference: System | None = None, *,
                 workers: int | None = None, progress: Progress | None = None,
                 cancel: Cancel | None = None, task: Task = review_one) -> Review:
    """Review every file under ``paths``.  Raises ``Cancelled`` when ``cancel`` is set.

    ``task`` reads and reviews one file; in worker processes it must be importable.
    """
    files, rejected = find_files(paths)
    files = [f for f in files if not is_our_summary(f)]  # last time's summary, saved here
    rows: list[ReviewRow] = []
    total = len(files)
    workers = default_workers(total) if workers is None else workers
    done = 0

    def take(found: ReviewRow | Rejected) -> None:
        nonlocal done
        if isinstance(found, Rejected):
            rejected.append(found)
        else:
            rows.append(found)
        done += 1
        if progress is not None:
            progress(done, total)

    if progress is not None:
        progress(0, total)
    if workers > 1 and not pool_possible():
        workers = 1  # read here, one file after another: slower, never a failure
    if workers <= 1:
        for path in files:
            if cancel is not None and cancel.is_set:
                raise Cancelled()
            take(task(str(path), reference))
        return finish(rows, rejected, reference)
    lost = _in_pool(files, reference, workers, task, take, cancel)
    # a worker that dies takes the whole pool down: each file then in use is tried again
    # alone, so only the file that kills its reader is left out
    for path in lost:
        if _in_pool([path], reference, 1, task, take, cancel):
            take(Rejected(str(path), DIED))
    return finish(rows, rejected, reference)


def _in_pool(files: list[Path], reference: System | None, workers: int, task: Task,
             take: Take, cancel: Cancel | None) -> list[Path]:
    """Read ``files`` in a pool of worker processes; the files lost when the pool broke."""
    lost: list[Path] = []
    with ProcessPoolExecutor(max_workers=workers, mp_context=_context()) as pool:
        pending: dict[Future[ReviewRow | Rejected], Path] = {}
        queue = iter(files)

        def submit_next() -> None:
            path = next(queue, None)
            if path is None:
                return
            try:
                pending[pool.submit(task, str(path), reference)] = path
            except BrokenProcessPool:
                lost.append(path)
                lost.extend(queue)

        # a bounded queue: results come back as they are made, not all held in pipes
        for _ in range(workers * 4):
            submit_next()
        while pending:
            finished, _ = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            if cancel is not None and cancel.is_set:
                pool.shutdown(wait=False, cancel_futures=True)
                raise Cancelled()
            for future in finished:
                path = pending.pop(future)
                try:
                    take(future.result())
                except BrokenProcessPool:
                    lost.append(path)
                except Exception as exc:  # noqa: BLE001 - a result that could not come back
                    take(Rejected(str(path), f"读取时出错（{type(exc).__name__}），已跳过"))
                submit_next()
    return lost
