"""Fonts for the PDF report: the 公文 faces when installed, else the bundled one.

GB/T 9704 asks for 仿宋 (body), 黑体 (一、 headings), 楷体 (（一） headings)
and 小标宋/宋体 (title).  Office PCs have them (simfang.ttf, simhei.ttf,
simkai.ttf, simsun.ttc); this machine and a fresh Linux do not, so every role
falls back to the bundled 文泉驿微米黑.  Fonts are registered once per process
(parsing a CJK font costs ~0.3 s).

reportlab prints a character its font lacks as a blank, silently.  ``cover``
therefore checks every character against the font's cmap: a character missing
from the role's font but present in the bundled one is printed with the
bundled font; a character no font has is replaced by 〓 (the customary mark
for a missing character in Chinese typesetting) and reported.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import threading
from dataclasses import dataclass, field
from functools import partial
from operator import mul
from pathlib import Path
from typing import Any

import reportlab
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from forms.paths import user_data_dir
from resources import bundled_font_path

# role → candidate file names (lower case), best first
ROLES: dict[str, tuple[str, ...]] = {
    "title": ("fzxbsjw.ttf", "方正小标宋简体.ttf", "方正小标宋_gbk.ttf", "simsun.ttc", "simsun.ttf",
              "stsong.ttf"),
    "body": ("fangsong_gb2312.ttf", "仿宋_gb2312.ttf", "fs_gb2312.ttf", "simfang.ttf", "stfangso.ttf",
             "simsun.ttc"),
    "hei": ("simhei.ttf", "stheiti.ttf", "msyh.ttc", "msyh.ttf"),
    "kai": ("kaiti_gb2312.ttf", "楷体_gb2312.ttf", "simkai.ttf", "stkaiti.ttf"),
    "song": ("simsun.ttc", "simsun.ttf", "stsong.ttf"),
}
BUNDLED = "SelfevalWqy"
SUBSTITUTE = "〓"

_lock = threading.Lock()  # the desktop builds reports off the UI thread
_registered: dict[str, str] = {}  # role → registered font name
_files: dict[str, str] = {}  # registered font name → file
_cmaps: dict[str, frozenset[int]] = {}


def font_dirs() -> list[Path]:
    """The usual font folders of Windows, macOS and Linux; $SELFEVAL_FONT_DIRS first."""
    dirs: list[Path] = []
    extra = os.environ.get("SELFEVAL_FONT_DIRS")
    if extra:
        dirs += [Path(p) for p in extra.split(os.pathsep) if p]
    if os.environ.get("SELFEVAL_SYSTEM_FONTS", "1") == "0":
        return dirs
    home = Path.home()
    if sys.platform.startswith("win"):
        windir = os.environ.get("WINDIR", r"C:\Windows")
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [home / "Library" / "Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    else:
        dirs += [home / ".fonts", home / ".local" / "share" / "fonts",
                 Path("/usr/local/share/fonts"), Path("/usr/share/fonts")]
    return dirs


def _index(dirs: list[Path], max_depth: int = 3) -> dict[str, Path]:
    """File name (lower case) → path; the first folder that has a name wins."""
    found: dict[str, Path] = {}
    for root in dirs:
        if not root.is_dir():
            continue
        base_depth = len(root.parts)
        for folder, subdirs, files in os.walk(root):
            if len(Path(folder).parts) - base_depth >= max_depth:
                subdirs[:] = []
            for name in files:
                found.setdefault(name.lower(), Path(folder) / name)
    return found


def escape(text: str) -> str:
    """Paragraph markup escaping (xml.sax.saxutils costs 30 ms of imports)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cache_file(path: Path) -> Path:
    stat = path.stat()
    key = f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}|{reportlab.Version}|{sys.version_info[:2]}"
    return user_data_dir() / "cache" / "fonts" / (hashlib.sha1(key.encode()).hexdigest() + ".face")


def _parsed_face(path: Path) -> TTFontFace | None:
    """The parsed font from the per-user cache, or None.

    Parsing a CJK font's tables is ~0.2 s of pure Python on every start; the
    parsed face is kept in the user's data folder, keyed by file, size, mtime
    and reportlab version, so an export starts fast.  A bad cache is ignored.
    """
    try:
        data = _cache_file(path).read_bytes()
        face = pickle.loads(data)
    except Exception:  # noqa: BLE001 - missing, stale or damaged cache: parse the font
        return None
    if not isinstance(face, TTFontFace) or not getattr(face, "charToGlyph", None):
        return None
    units = face.unitsPerEm
    face._pdfScale = (lambda x: x) if units == 1000 else partial(mul, 1000 / units)
    return face


def _store_face(path: Path, face: TTFontFace) -> None:
    state = {k: v for k, v in vars(face).items() if k != "_pdfScale"}  # a lambda
    clone = TTFontFace.__new__(TTFontFace)
    clone.__dict__.update(state)
    try:
        from forms.files import write_atomic

        target = _cache_file(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(target, pickle.dumps(clone, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # noqa: BLE001 - a read-only profile only costs speed
        pass


def _load_font(name: str, path: Path) -> TTFont:
    face = _parsed_face(path)
    if face is None:
        font = TTFont(name, str(path), subfontIndex=0)
        _store_face(path, font.face)
        return font
    original: Any = ttfonts.TTFontFace
    ttfonts.TTFontFace = lambda *args, **kwargs: face
    try:
        return TTFont(name, str(path), subfontIndex=0)
    finally:
        ttfonts.TTFontFace = original


def _try_register(name: str, path: Path) -> bool:
    try:
        pdfmetrics.registerFont(_load_font(name, path))
    except Exception:  # noqa: BLE001 - a CFF/OpenType or broken file: use another font
        return False
    _files[name] = str(path)
    # <b>/<i> in paragraphs need a family; there is no real bold face, so map all to one.
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)
    return True


def _ensure() -> None:
    if _registered:
        return
    with _lock:
        if not _registered:
            _choose()


def _choose() -> None:
    if BUNDLED not in pdfmetrics.getRegisteredFontNames():
        if not _try_register(BUNDLED, bundled_font_path()):  # pragma: no cover - shipped file
            raise RuntimeError("内置字体无法加载")
    index = _index(font_dirs())
    by_path: dict[Path, str] = {}
    roles: dict[str, str] = {}
    for role, candidates in ROLES.items():
        chosen = BUNDLED
        for candidate in candidates:
            path = index.get(candidate)
            if path is None:
                continue
            if path in by_path:
                chosen = by_path[path]
                break
            name = f"Selfeval-{role}"
            if _try_register(name, path):
                by_path[path] = name
                chosen = name
                break
        roles[role] = chosen
    _registered.update(roles)  # all at once: other threads test _registered without the lock


def font_for(role: str) -> str:
    """The registered reportlab font name for a role: title, body, hei, kai or song."""
    _ensure()
    return _registered.get(role, BUNDLED)


ROLE_NAMES = {"title": "标题", "body": "正文", "hei": "一级标题", "kai": "二级标题", "song": "页码"}


def describe() -> str:
    """Which fonts the report uses, for the clerk (the 公文 look needs 仿宋/黑体/楷体 installed)."""
    _ensure()
    if all(name == BUNDLED for name in _registered.values()):
        return "未找到仿宋、黑体、楷体字体，报告使用内置的文泉驿微米黑"
    parts = []
    for role, label in ROLE_NAMES.items():
        name = _registered.get(role, BUNDLED)
        file = Path(_files.get(name, "")).name if name != BUNDLED else "内置字体"
        parts.append(f"{label}：{file}")
    return "报告字体 " + "，".join(parts)


def font_file(font_name: str) -> str:
    """The file a font was registered from (to tell the clerk which fonts the report uses)."""
    _ensure()
    return _files.get(font_name, "")


def cmap(font_name: str) -> frozenset[int]:
    """The code points a registered TrueType font has glyphs for."""
    known = _cmaps.get(font_name)
    if known is None:
        _ensure()
        font = pdfmetrics.getFont(font_name)
        known = frozenset(k for k, g in font.face.charToGlyph.items() if g)
        _cmaps[font_name] = known
    return known


def missing_chars(text: str, font_name: str) -> list[str]:
    """Characters of ``text`` the font cannot print (each once, in order); whitespace ignored."""
    have = cmap(font_name)
    out: list[str] = []
    for ch in text:
        if ch.isspace() or ord(ch) in have or ch in out:
            continue
        out.append(ch)
    return out


@dataclass
class Coverage:
    """Characters that could not be printed in any font, collected over a whole report."""

    replaced: list[str] = field(default_factory=list)

    def note(self, ch: str) -> None:
        if ch not in self.replaced:
            self.replaced.append(ch)


def cover(text: str, font_name: str, coverage: Coverage | None = None) -> str:
    """``text`` as paragraph markup (escaped) whose every character has a glyph.

    Characters the role font lacks are set in the bundled font when it has them,
    else replaced by 〓 and noted in ``coverage``.
    """
    have = cmap(font_name)
    bundled = cmap(BUNDLED) if font_name != BUNDLED else have
    out: list[str] = []
    for ch in text:
        code = ord(ch)
        if ch == "\n":
            out.append(ch)
        elif code < 0x20 or 0x7F <= code < 0xA0:
            out.append(" " if ch == "\t" else "")  # control characters print nothing anyway
        elif code in have:
            out.append(escape(ch))
        elif ch.isspace():
            out.append(" ")
        elif code in bundled:
            out.append(f'<font name="{BUNDLED}">{escape(ch)}</font>')
        else:
            if coverage is not None:
                coverage.note(ch)
            out.append(SUBSTITUTE)
    return "".join(out)


def cover_plain(text: str, font_name: str, coverage: Coverage | None = None) -> str:
    """Like ``cover`` for drawString (no markup): uncovered characters become 〓."""
    have = cmap(font_name)
    out = []
    for ch in text:
        if ord(ch) in have or ch.isspace():
            out.append(ch)
        else:
            if coverage is not None:
                coverage.note(ch)
            out.append(SUBSTITUTE)
    return "".join(out)


def reset_for_tests() -> None:
    """Forget the role choice (font folders changed); registered fonts stay registered."""
    _registered.clear()
    _cmaps.clear()
