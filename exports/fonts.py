"""Fonts for the PDF report, in the roles of a 公文 on any machine.

GB/T 9704 asks for 仿宋 (body), 黑体 (一、 headings), 楷体 (（一） headings)
and 小标宋/宋体 (title).  Office PCs have them (simfang.ttf, simhei.ttf,
simkai.ttf, simsun.ttc, 方正 FZXBSJW/FZFSK/FZKTK…) and they are preferred.
Where a role has no installed font, bundled free faces take it: a 宋体-style
serif (Selfeval Serif SC, from Noto Serif SC) for the title, the body and page
numbers, a 楷体 (Selfeval Kai, from LXGW WenKai) for （一） headings and
文泉驿微米黑 for 一、 headings (resources/fonts/README.md says why no 仿宋).
Fonts are registered once per process (reportlab 5 reads the three bundled
faces in ~0.06 s of CPU, no faster from a pickled cache, so nothing is cached).

reportlab prints a character its font lacks as a blank, silently.  ``cover``
therefore checks every character against the font's cmap: a character missing
from the role's font but present in 文泉驿微米黑 (the bundled serif and 楷体 hold GBK
and symbols, an installed 仿宋_GB2312 only GB2312) is printed with it; a character no font
has is replaced by 〓 (the customary mark for a missing character in Chinese
typesetting) and reported.
"""

from __future__ import annotations

import os
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from resources import bundled_font_path, resource_path

# role → candidate file names (lower case), best first: the GB2312 faces of a 公文,
# the 方正 简体/GBK faces, Windows' own, then 华文 (Office for Mac).
ROLES: dict[str, tuple[str, ...]] = {
    "title": ("fzxbsjw.ttf", "fzxbsk.ttf", "fzxiaobiaosong-b05s.ttf", "方正小标宋简体.ttf",
              "方正小标宋_gbk.ttf", "stzhongs.ttf", "simsun.ttc", "simsun.ttf", "stsong.ttf"),
    "body": ("fs_gb2312.ttf", "fangsong_gb2312.ttf", "仿宋_gb2312.ttf", "fzfsk.ttf", "fzfsjw.ttf",
             "方正仿宋_gbk.ttf", "方正仿宋简体.ttf", "simfang.ttf", "stfangso.ttf", "simsun.ttc"),
    "hei": ("simhei.ttf", "fzhtk.ttf", "fzhtjw.ttf", "方正黑体_gbk.ttf", "方正黑体简体.ttf",
            "stheiti.ttf", "msyh.ttc", "msyh.ttf"),
    "kai": ("kt_gb2312.ttf", "kaiti_gb2312.ttf", "楷体_gb2312.ttf", "fzktk.ttf", "fzktjw.ttf",
            "方正楷体_gbk.ttf", "方正楷体简体.ttf", "simkai.ttf", "stkaiti.ttf"),
    "song": ("simsun.ttc", "simsun.ttf", "stsong.ttf", "fzssk.ttf", "fzssjw.ttf"),
}
BUNDLED = "SelfevalWqy"  # 文泉驿微米黑: 黑体 role and the fallback for every other character
SERIF = "SelfevalSerif"
KAI = "SelfevalKai"
BUNDLED_FILES: dict[str, Path] = {
    BUNDLED: bundled_font_path(),
    SERIF: resource_path("fonts", "SelfevalSerifSC-Regular.ttf"),
    KAI: resource_path("fonts", "SelfevalKai-Regular.ttf"),
}
# role → bundled face when no installed font fits (there is no free 仿宋: the serif stands in)
BUNDLED_ROLES = {"title": SERIF, "body": SERIF, "hei": BUNDLED, "kai": KAI, "song": SERIF}
BUNDLED_LABELS = {SERIF: "内置宋体", KAI: "内置楷体", BUNDLED: "内置黑体"}
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


def _try_register(name: str, path: Path) -> bool:
    try:
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
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


def _bundled(name: str) -> str:
    """Register a bundled face (once per process) and return its name."""
    registered = name in pdfmetrics.getRegisteredFontNames()
    if not registered and not _try_register(name, BUNDLED_FILES[name]):  # pragma: no cover
        raise RuntimeError("内置字体无法加载")
    _files.setdefault(name, str(BUNDLED_FILES[name]))
    return name


def _choose() -> None:
    _bundled(BUNDLED)  # the fallback for characters the role fonts lack
    index = _index(font_dirs())
    by_path: dict[Path, str] = {}
    roles: dict[str, str] = {}
    for role, candidates in ROLES.items():
        chosen = ""
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
        roles[role] = chosen or _bundled(BUNDLED_ROLES[role])
    _registered.update(roles)  # all at once: other threads test _registered without the lock


def font_for(role: str) -> str:
    """The registered reportlab font name for a role: title, body, hei, kai or song."""
    _ensure()
    return _registered.get(role, BUNDLED)


ROLE_NAMES = {"title": "标题", "body": "正文", "hei": "一级标题", "kai": "二级标题", "song": "页码"}


def describe() -> str:
    """Which font each role of the report uses, for the clerk (仿宋 is never bundled)."""
    _ensure()
    parts = []
    for role, label in ROLE_NAMES.items():
        name = _registered.get(role, BUNDLED)
        file = BUNDLED_LABELS.get(name) or Path(_files.get(name, "")).name
        parts.append(f"{label}：{file}")
    text = "报告字体 " + "，".join(parts)
    if _registered.get("body") in BUNDLED_LABELS:
        return "未找到仿宋字体，" + text
    return text


def fangsong_missing() -> bool:
    """No installed 仿宋 was found: the body is set in the bundled serif."""
    _ensure()
    return _registered.get("body") in BUNDLED_LABELS


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
