"""File access in one place: atomic writes, bounded reads, and what an OS error means in Chinese.

A failed write never leaves a half-written file or loses the old one; a read never
starts on a device, a FIFO or a folder, and never takes more than its limit.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

# Why an operation failed, per errno: the English strerror never reaches the clerk.
_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有访问权限",
    errno.EPERM: "没有访问权限",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "磁盘配额已用完",
    errno.EROFS: "该位置是只读的",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.ENAMETOOLONG: "文件名或路径过长",
    errno.EEXIST: "文件已存在",
    errno.EBUSY: "文件正被占用",
    errno.ETXTBSY: "文件正被占用",
    errno.EIO: "读写磁盘时出错（磁盘或网络驱动器可能有故障）",
    errno.EMFILE: "打开的文件过多",
    errno.ENFILE: "打开的文件过多",
    errno.ELOOP: "符号链接循环",
    errno.EFBIG: "文件过大",
    errno.ENXIO: "设备不存在",
    errno.ENODEV: "设备不存在",
    errno.EAGAIN: "资源暂时不可用",
    errno.EINVAL: "参数无效",
    errno.ENOMEM: "内存不足",
    errno.ESTALE: "网络文件已失效",
}


def os_reason(exc: OSError) -> str:
    """A Chinese reason for an OS error, with its number for support (never its English text)."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return f"系统错误（代码 {exc.errno}）" if exc.errno else "系统错误"


class ReadFailed(OSError):
    """Reading a file failed or was refused; ``str()`` is a Chinese message."""

    def __str__(self) -> str:  # OSError would prefix "[Errno n]"
        return str(self.strerror)


def read_bounded(path: str | Path, limit: int, what: str = "文件") -> bytes:
    """The bytes of the regular file ``path``, refusing special files before reading and
    anything over ``limit`` bytes (checked again while reading: the file may be growing)."""
    target = Path(path)
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            raise ReadFailed(exc.errno, f"找不到文件 {target}") from None
        raise ReadFailed(exc.errno or 0, f"无法读取 {target}：{os_reason(exc)}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ReadFailed(errno.EISDIR, f"{target} 是文件夹，不是{what}")
        if not stat.S_ISREG(info.st_mode):
            raise ReadFailed(errno.EINVAL, f"{target} 是设备或管道等特殊文件，不是{what}，拒绝读取")
        if info.st_size > limit:
            raise ReadFailed(errno.EFBIG, f"{target.name} 过大（{_size(info.st_size)}，"
                                          f"超过 {_size(limit)}），不是{what}")
        chunks: list[bytes] = []
        total = 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise ReadFailed(errno.EFBIG, f"{target.name} 过大（超过 {_size(limit)}），不是{what}")
        return b"".join(chunks)
    except ReadFailed:
        raise
    except OSError as exc:
        raise ReadFailed(exc.errno or 0, f"无法读取 {target}：{os_reason(exc)}") from None
    finally:
        os.close(fd)


def _size(n: int) -> str:
    return f"{n // (1024 * 1024)} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} KB"


class WriteFailed(OSError):
    """Writing a file failed; ``str()`` is a Chinese message that says what to do."""

    def __str__(self) -> str:  # OSError would prefix "[Errno n]"
        return str(self.strerror)


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
    return f"无法写入 {path}：{os_reason(exc)}，原文件未改动。"


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def _resolved(path: Path) -> str:
    try:
        return os.path.normcase(os.path.realpath(path))
    except (OSError, ValueError, RuntimeError):
        return os.path.normcase(os.path.abspath(path))


def output_problem(outputs: Sequence[str | Path], inputs: Iterable[str | Path] = ()) -> str | None:
    """Why these output files cannot be written, or None: the one check every writer asks.

    An output may not be a folder or a special file (a device, a FIFO, a socket: an atomic
    write would replace ``/dev/null`` with a regular file), nor one of the ``inputs`` (by
    resolved path and by device and inode, so a symbolic or hard link is caught too), and
    two outputs may not be the same file."""
    targets = [Path(p) for p in outputs]
    for target in targets:
        try:
            info = os.stat(target)
        except (OSError, ValueError):
            continue  # a new file (or an unreachable one: the write names why)
        if stat.S_ISDIR(info.st_mode):
            return f"无法写入 {target}：这是一个文件夹，请给出文件名"
        if not stat.S_ISREG(info.st_mode):
            return f"无法写入 {target}：这是设备或管道等特殊文件，不能作为输出文件，请另选位置"
    seen: dict[str, Path] = {}
    ids: dict[tuple[int, int], Path] = {}
    for target in targets:
        key, ident = _resolved(target), _identity(target)
        first = seen.get(key) or (ids.get(ident) if ident is not None else None)
        if first is not None:
            same = "它被指定了两次" if str(first) == str(target) else f"它与 {first} 是同一个文件"
            return f"无法写入 {target}：{same}，每种格式须各写入一个文件"
        seen[key] = target
        if ident is not None:
            ids[ident] = target
    for source in inputs:
        origin = Path(source)
        key, ident = _resolved(origin), _identity(origin)
        clash = seen.get(key) or (ids.get(ident) if ident is not None else None)
        if clash is not None:
            return f"无法写入 {clash}：它就是输入文件 {origin}，写入会覆盖它，请另选输出文件"
    return None


def write_atomic(path: str | Path, data: bytes, inputs: Iterable[str | Path] = ()) -> None:
    """Write ``data`` to ``path`` via a temporary file in the same folder and ``os.replace``.

    Refused (``WriteFailed``) when ``output_problem`` names a reason: ``path`` is a folder,
    a special file or one of ``inputs``."""
    target = Path(path)
    tmp_name = None
    problem = output_problem([target], inputs)
    if problem is not None:
        raise WriteFailed(errno.EINVAL, problem)
    try:
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
