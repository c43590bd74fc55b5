"""What can go wrong with the database, as types, each with a Chinese message.

Callers catch by type (``DatabaseDamaged``, ``DatabaseBusy``…), never by message
text; ``from_sqlite`` is the one place where an SQLite error (code and name) and
an OS error number become one of them, so SQLite's English never reaches a clerk.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from .files import os_reason


class StorageError(Exception):
    """The database cannot be used; ``str()`` is a Chinese message."""


class ConflictError(StorageError):
    """Another copy of the program saved this evaluation since it was opened here."""


class DatabaseDamaged(StorageError):
    """The file is damaged or is not our database; moving it aside is the way on."""


class DatabaseBusy(StorageError):
    """Another program holds the database longer than we wait."""


class DatabaseReadOnly(StorageError):
    """The database (or its folder) cannot be written: it opens for reading only."""


class EvaluationUnreadable(StorageError):
    """One stored evaluation cannot be read (the rest of the library can)."""

    def __init__(self, evaluation_id: int, reason: str):
        self.evaluation_id = evaluation_id
        self.reason = reason
        super().__init__(f"评价（编号 {evaluation_id}）的数据无法读取：{reason}")


# SQLite's primary result codes (the low byte of an extended code)
_BUSY, _LOCKED, _CORRUPT, _NOTADB = 5, 6, 11, 26
_READONLY, _FULL, _CANTOPEN, _IOERR, _PERM, _NOMEM, _PROTOCOL = 8, 13, 14, 10, 3, 7, 15

_MESSAGES = {
    _READONLY: "数据库是只读的（文件或所在文件夹不能写入），修改无法保存",
    _FULL: "磁盘空间不足，修改无法保存",
    _CANTOPEN: "无法打开数据库文件（文件夹不存在、没有权限，或路径不可用）",
    _IOERR: "读写磁盘时出错（磁盘、U 盘或网络驱动器可能有故障）",
    _PERM: "没有访问数据库的权限",
    _NOMEM: "内存不足",
    _PROTOCOL: "数据库正被其他程序以不兼容的方式使用",
}


def from_sqlite(exc: sqlite3.Error, path: str | Path, doing: str = "使用") -> StorageError:
    """The typed, Chinese error for an SQLite error met while ``doing`` something."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else _guess(exc)
    if primary in (_BUSY, _LOCKED):
        return DatabaseBusy(f"数据库 {path} 正被另一个程序占用，请稍后重试。")
    if primary in (_CORRUPT, _NOTADB):
        return DatabaseDamaged(f"数据库文件 {path} 已损坏或不是本程序的数据库。"
                               f"可将其移到一旁后新建数据库，原文件会保留以便恢复。")
    if primary == _READONLY:
        return DatabaseReadOnly(f"无法{doing}数据库 {path}：{_MESSAGES[_READONLY]}。")
    if primary in _MESSAGES:
        return StorageError(f"无法{doing}数据库 {path}：{_MESSAGES[primary]}。")
    name = getattr(exc, "sqlite_errorname", None)
    return StorageError(f"无法{doing}数据库 {path}：数据库出错（{name or '未知错误'}）。")


def from_os(exc: OSError, path: str | Path, doing: str = "使用") -> StorageError:
    return StorageError(f"无法{doing}数据库 {path}：{os_reason(exc)}。")


def _guess(exc: sqlite3.Error) -> int | None:
    """The code for an error raised without one (Python's own checks, older SQLite)."""
    text = str(exc).lower()
    for words, code in ((("locked", "busy"), _BUSY), (("malformed", "not a database", "corrupt"), _CORRUPT),
                        (("readonly", "read-only"), _READONLY), (("disk is full",), _FULL),
                        (("unable to open",), _CANTOPEN), (("disk i/o",), _IOERR)):
        if any(w in text for w in words):
            return code
    return None
