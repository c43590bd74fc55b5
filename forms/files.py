"""Atomic file writes: a failed write never leaves a half-written file or loses the old one."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path


class WriteFailed(OSError):
    """Writing a file failed; ``str()`` is a Chinese message that says what to do."""


def _message(path: Path, exc: OSError) -> str:
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return (f"无法写入 {path}：文件可能正被其他程序（如 Excel、WPS 或 PDF 阅读器）打开，"
                f"或该文件夹没有写入权限。请关闭该文件或另选位置后重试，原文件未改动。")
    if exc.errno == errno.ENOSPC:
        return f"无法写入 {path}：磁盘空间不足，原文件未改动。"
    if exc.errno == errno.EROFS:
        return f"无法写入 {path}：该位置是只读的，请另选位置。"
    if isinstance(exc, FileNotFoundError) or exc.errno == errno.ENOENT:
        return f"无法写入 {path}：文件夹不存在。"
    if isinstance(exc, IsADirectoryError):
        return f"无法写入 {path}：这是一个文件夹。"
    return f"无法写入 {path}：{exc.strerror or exc}，原文件未改动。"


def write_atomic(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and ``os.replace``."""
    target = Path(path)
    tmp_name = None
    try:
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a directory", str(target))
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp",
                                        dir=target.parent if str(target.parent) else ".")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if target.exists():
            try:
                os.chmod(tmp_name, target.stat().st_mode & 0o777)
            except OSError:
                pass
        else:
            os.chmod(tmp_name, 0o666 & ~_umask())
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as exc:
        raise WriteFailed(exc.errno or 0, _message(target, exc)) from exc
    finally:
        if tmp_name is not None:
            try:
                os.unlink(tmp_name)
            except OSError:
                pass


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
