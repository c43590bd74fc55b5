"""佐证材料: files the clerk attaches to an indicator, the budget or the goals.

An evaluation holds references (name, size, SHA-256, when added) by owner — the
owner is the address of what the file supports: ``values.<leaf id>`` for an
indicator, ``budget`` and ``goals`` for those sections.  The files themselves are
copied into the data folder's ``evidence/`` store, named by their SHA-256, so the
same file attached twice is kept once, a reference can always be checked against
its bytes, and removing a reference (an undoable edit) never deletes a file another
snapshot may still name.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .files import ReadFailed, WriteFailed, os_reason

MAX_FILE = 200 * 1024 * 1024  # a scan of a whole year's minutes is well below this
MAX_FILES = 200  # per owner
MAX_NAME = 120
OWNERS_FIXED = ("budget", "goals")
_SHA = re.compile(r"^[0-9a-f]{64}$")
_CHUNK = 1 << 20

# Criteria words that ask for evidence: a leaf whose 评分标准 says one of these and has no
# file attached gets a warning.
ASKING = re.compile(r"佐证|证明材料|附件|提供[^，。；]{0,20}(?:材料|资料|文件|记录|报告|证明)|以[^，。；]{0,20}为准")


class EvidenceError(ValueError):
    """A file that cannot be attached; ``str()`` says why, in Chinese."""


@dataclass(frozen=True)
class EvidenceRef:
    name: str  # the file's name as the clerk had it
    sha256: str
    size: int
    added: str = ""  # ISO time

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "sha256": self.sha256, "size": self.size, "added": self.added}


def leaf_owner(leaf_id: str) -> str:
    return f"values.{leaf_id}"


def read_refs(raw: Any) -> dict[str, tuple[EvidenceRef, ...]]:
    """The package's ``evidence`` object; raises ValueError (with a Chinese reason) on a
    malformed entry."""
    if raw is None:
        return {}
    if not isinstance(raw, Mapping):
        raise ValueError("应为对象")
    out: dict[str, tuple[EvidenceRef, ...]] = {}
    for owner, items in raw.items():
        if not isinstance(owner, str) or not (owner in OWNERS_FIXED or owner.startswith("values.")):
            raise ValueError(f"“{str(owner)[:40]}”不是可以附佐证材料的位置")
        if not isinstance(items, list) or len(items) > MAX_FILES:
            raise ValueError(f"{owner} 应为至多 {MAX_FILES} 个文件的列表")
        refs = []
        for item in items:
            if not isinstance(item, Mapping):
                raise ValueError(f"{owner} 中有一项不是对象")
            name, sha, size, added = (item.get("name"), item.get("sha256"), item.get("size"),
                                      item.get("added", ""))
            if not (isinstance(name, str) and 0 < len(name) <= MAX_NAME and isinstance(sha, str)
                    and _SHA.match(sha) and isinstance(size, int) and not isinstance(size, bool)
                    and 0 <= size <= MAX_FILE and isinstance(added, str) and len(added) <= 40):
                raise ValueError(f"{owner} 中有一项的文件名、SHA-256 或大小无效")
            refs.append(EvidenceRef(safe_name(name), sha, size, added))
        if refs:
            out[owner] = tuple(refs)
    return out


def write_refs(evidence: Mapping[str, Iterable[EvidenceRef]]) -> dict[str, Any]:
    return {owner: [r.to_dict() for r in refs] for owner, refs in evidence.items() if refs}


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def safe_name(name: str) -> str:
    """A file name that is a name on every system: no folders, no reserved characters."""
    cleaned = _UNSAFE.sub("_", name).strip(" .") or "文件"
    if len(cleaned) > MAX_NAME:
        stem, dot, suffix = cleaned.rpartition(".")
        cleaned = (stem[: MAX_NAME - len(suffix) - 2] + "…" + dot + suffix) if dot and len(
            suffix) < 10 else cleaned[:MAX_NAME]
    return cleaned


class EvidenceStore:
    """The folder of attached files, by SHA-256."""

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def path_of(self, ref: EvidenceRef) -> Path:
        return self.folder / ref.sha256[:2] / ref.sha256

    def has(self, ref: EvidenceRef) -> bool:
        path = self.path_of(ref)
        try:
            return path.is_file() and path.stat().st_size == ref.size
        except OSError:
            return False

    def add(self, source: str | Path, added: str = "") -> EvidenceRef:
        """Copy ``source`` into the store (once per content) and return its reference."""
        src = Path(source)
        try:
            info = src.stat()
        except OSError as exc:
            raise EvidenceError(f"{src.name}：{os_reason(exc)}") from None
        if not stat.S_ISREG(info.st_mode):
            raise EvidenceError(f"{src.name}：不是普通文件（文件夹、设备或管道不能作为佐证材料）")
        if info.st_size > MAX_FILE:
            raise EvidenceError(f"{src.name}：文件超过 {MAX_FILE // (1024 * 1024)} MB，"
                                "请压缩或拆分后再添加")
        self.folder.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        size = 0
        fd, tmp = tempfile.mkstemp(prefix=".adding.", dir=self.folder)
        try:
            with os.fdopen(fd, "wb") as out, open(src, "rb") as inp:
                while chunk := inp.read(_CHUNK):
                    size += len(chunk)
                    if size > MAX_FILE:
                        raise EvidenceError(f"{src.name}：文件在读取时变大，超过 "
                                            f"{MAX_FILE // (1024 * 1024)} MB")
                    digest.update(chunk)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            ref = EvidenceRef(safe_name(src.name), digest.hexdigest(), size, added)
            target = self.path_of(ref)
            target.parent.mkdir(exist_ok=True)
            if self.has(ref):
                os.unlink(tmp)
            else:
                os.replace(tmp, target)
            return ref
        except OSError as exc:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise EvidenceError(f"{src.name}：{os_reason(exc)}") from None
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def verify(self, ref: EvidenceRef) -> bool:
        """The stored file still has the bytes the reference names."""
        digest = hashlib.sha256()
        try:
            with open(self.path_of(ref), "rb") as handle:
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
        except OSError:
            return False
        return digest.hexdigest() == ref.sha256

    def copy_out(self, ref: EvidenceRef, target: str | Path) -> None:
        try:
            shutil.copyfile(self.path_of(ref), target)
        except OSError as exc:
            raise WriteFailed(exc.errno or 0, f"{ref.name}：{os_reason(exc)}") from exc


def missing_files(store: EvidenceStore, evidence: Mapping[str, Iterable[EvidenceRef]]
                  ) -> list[tuple[str, EvidenceRef]]:
    """References whose file is not in the store (another PC, a deleted folder)."""
    return [(owner, r) for owner, refs in evidence.items() for r in refs if not store.has(r)]


__all__ = ["ASKING", "EvidenceError", "EvidenceRef", "EvidenceStore", "ReadFailed",
           "leaf_owner", "missing_files", "read_refs", "safe_name", "write_refs"]
