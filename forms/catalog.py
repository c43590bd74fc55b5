"""The indicator systems the program knows: shipped ones (read-only, inside the program)
and the user's own (in the user data folder), plus the system file format.

A system file is the ``system`` object of a package with ``format`` and
``version`` on top::

    {"format": "selfeval-system", "version": 1, "id": "…", "name": "…", "indicators": […]}
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from .files import ReadFailed, read_bounded
from .package import MAX_PACKAGE_BYTES, PackageError, dumps, parse_json
from .paths import user_systems_dir
from .system import Problem, System, SystemInvalid, build_system, system_to_dict

SYSTEM_FORMAT = "selfeval-system"
SYSTEM_VERSION = 1


class SystemFileError(ValueError):
    """A system file that cannot be read at all (not JSON, not a system file…)."""


@dataclass(frozen=True)
class SystemEntry:
    id: str
    name: str
    jurisdiction: str
    year: int | None
    origin: str
    path: Path
    builtin: bool  # shipped with the program: read-only


def parse_system_file(data: bytes | str, where: str = "") -> tuple[System, list[Problem]]:
    """A system and its problems from a system file's bytes; ``SystemFileError`` if unusable."""
    prefix = f"{where}：" if where else ""
    try:
        raw = parse_json(data)
    except PackageError as exc:
        raise SystemFileError(f"{prefix}{exc.message}") from None
    if not isinstance(raw, dict):
        raise SystemFileError(f"{prefix}不是指标体系文件（顶层应为对象）")
    fmt = raw.get("format")
    if fmt is not None and fmt != SYSTEM_FORMAT:
        if fmt == "selfeval-package" and isinstance(raw.get("system"), dict):
            raw = dict(raw["system"])  # a package: take the system it carries
        else:
            raise SystemFileError(f"{prefix}格式应为“{SYSTEM_FORMAT}”，不是“{fmt}”")
    version = raw.get("version", SYSTEM_VERSION)
    if isinstance(version, int) and not isinstance(version, bool) and version > SYSTEM_VERSION:
        raise SystemFileError(f"{prefix}指标体系文件版本 {version} 高于本程序支持的版本 "
                              f"{SYSTEM_VERSION}，请升级程序")
    body = {k: v for k, v in raw.items() if k not in ("format", "version")}
    return build_system(body, "")


def read_system_path(path: str | Path) -> tuple[System, list[Problem]]:
    p = Path(path)
    try:
        data = read_bounded(p, MAX_PACKAGE_BYTES, "指标体系文件")
    except ReadFailed as exc:
        raise SystemFileError(str(exc)) from None
    return parse_system_file(data, p.name)


def system_file_bytes(system: System) -> bytes:
    data: dict[str, Any] = {"format": SYSTEM_FORMAT, "version": SYSTEM_VERSION}
    data.update(system_to_dict(system))
    return dumps(data).encode("utf-8")


def _shipped_dir() -> Path:
    return Path(str(resources.files("forms.systems")))


def _entry(path: Path, builtin: bool) -> SystemEntry | None:
    try:
        system, _ = read_system_path(path)
    except SystemFileError:
        return None
    return SystemEntry(system.id or path.stem, system.name, system.jurisdiction, system.year,
                       system.origin, path, builtin)


def shipped_systems() -> list[SystemEntry]:
    entries = (_entry(p, True) for p in sorted(_shipped_dir().glob("*.json")))
    return [e for e in entries if e is not None]


def user_systems(folder: Path | None = None) -> list[SystemEntry]:
    folder = folder or user_systems_dir()
    if not folder.is_dir():
        return []
    entries = (_entry(p, False) for p in sorted(folder.glob("*.json")))
    return [e for e in entries if e is not None]


def all_systems() -> list[SystemEntry]:
    return shipped_systems() + user_systems()


def resolve_system(ref: str) -> System:
    """A usable system from a shipped or user id, or from a file path.

    Raises ``SystemFileError`` when it cannot be found or read and
    ``SystemInvalid`` when it has problems.
    """
    path = Path(ref)
    # a bare name is an id whatever the working folder holds: a file or folder of that name
    # in it is meant only when the id is unknown (or the ref is clearly a path)
    bare = not ref.endswith(".json") and path.name == ref
    is_id = bare and any(entry.id == ref for entry in all_systems())
    if is_id or not (ref.endswith(".json") or path.exists()):
        for entry in all_systems():
            if entry.id == ref:
                path = entry.path
                break
        else:
            known = "、".join(e.id for e in all_systems())
            raise SystemFileError(f"没有编号为“{ref}”的指标体系（可用：{known}），"
                                  f"也可以给出指标体系文件的路径")
    system, problems = read_system_path(path)
    if problems:
        raise SystemInvalid(problems)
    return system


def sample_package_bytes() -> bytes:
    """The sample evaluation shipped with the program (穗港科技合作园 2022, from its published report)."""
    return resources.files("forms.samples").joinpath("suigang-2022.json").read_bytes()
