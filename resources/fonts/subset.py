"""Build the bundled report fonts: subsets of free TrueType fonts to what a report prints.

A build-time tool, not part of the program (needs ``pip install fonttools``)::

    python resources/fonts/subset.py SOURCE.ttf OUT.ttf "Family Name"
    python resources/fonts/subset.py --no-hangul wqy-microhei.ttc OUT.ttf

The first form keeps every character of GBK (all 21,003 hanzi, GB2312's 6,763 among them, and
the symbol rows: full-width punctuation, ①…⑳, №, ‰, ×, ÷, ≤≥, Greek, box drawing…), printable ASCII and
Latin-1, and the extra symbols reports use (㎡, ℃, Ⅰ…Ⅻ, ㈠…, ‐…—, ‰, ∶).
Hinting and layout tables other than the kerning/vertical basics are dropped.
The subset is renamed to ``Family Name``: the SIL OFL forbids a modified font
to carry a Reserved Font Name (LXGW, 霞鹜) and "Noto" is a trademark.  The
result must keep TrueType (glyf) outlines, which is what reportlab can embed.

The second form (for 文泉驿微米黑, the fallback for everything else and the window
font) keeps every character but the 11,172 Hangul syllables and jamo, with its
hinting and its name (Apache-2.0 reserves no name), and only the first face of
the collection.

See resources/fonts/README.md for where the sources come from.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

# Beyond GB2312: what reports and clerks' typing commonly add.
EXTRA_RANGES = (
    (0x20, 0x7E),  # ASCII
    (0xA0, 0xFF),  # Latin-1: ° · × ÷ ±
    (0x2010, 0x2027),  # ‐ – — ‖ ‘ ’ “ ” • …
    (0x2030, 0x203B),  # ‰ ′ ″ ※
    (0x2103, 0x2103), (0x2116, 0x2116), (0x2121, 0x2121),  # ℃ № ℡
    (0x2160, 0x217F),  # Ⅰ…Ⅻ ⅰ…ⅻ
    (0x2190, 0x2199),  # arrows
    (0x2215, 0x2215), (0x2236, 0x2236), (0x2264, 0x2265),  # ∕ ∶ ≤ ≥
    (0x2460, 0x249B),  # ①…⑳ ⑴…⒇ ⒈…⒛
    (0x25A0, 0x25CF),  # ■□▲△◆◇○◎●
    (0x3000, 0x303F),  # CJK punctuation: 、。〇《》「」【】〔〕
    (0x3220, 0x3229),  # ㈠…㈩
    (0x338E, 0x33D5),  # ㎎㎏㎜㎝㎞㎡㏄
    (0xFE30, 0xFE4F),  # vertical/small forms ︰…﹏
    (0xFF01, 0xFF5E),  # full-width ASCII
    (0xFFE0, 0xFFE5),  # ￠￡￢￣￤￥
)


def gb2312() -> set[int]:
    """Every code point GB2312 encodes (rows 1–9 symbols, 16–87 hanzi)."""
    out: set[int] = set()
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                out.add(ord(bytes((high, low)).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return out


def gbk() -> set[int]:
    """Every code point GBK encodes: GB2312 and the 14,240 hanzi it lacks (all of the CJK
    Unified Ideographs block: Guangzhou's 漖 塱 滘, 瞭, names' 堃 喆 镕…)."""
    out: set[int] = set()
    for high in range(0x81, 0xFF):
        for low in range(0x40, 0xFF):
            if low == 0x7F:
                continue
            try:
                text = bytes((high, low)).decode("gbk")
            except UnicodeDecodeError:
                continue
            if len(text) == 1 and not 0xE000 <= ord(text) <= 0xF8FF:  # no private use
                out.add(ord(text))
    return out


def wanted() -> set[int]:
    codes = gb2312() | gbk()
    for first, last in EXTRA_RANGES:
        codes.update(range(first, last + 1))
    return codes


def rename(font: Any, family: str) -> None:
    """Replace every name record that carries the original (reserved) name."""
    table = font["name"]
    style = "Regular"
    ps = family.replace(" ", "") + "-" + style
    version = table.getDebugName(5) or ""
    table.names = [n for n in table.names if n.nameID not in (1, 2, 3, 4, 6, 7, 16, 17, 18, 21, 22)]
    names = ((1, family), (2, style), (3, f"{ps};{version}"), (4, f"{family} {style}"), (6, ps))
    for name_id, value in names:
        table.setName(value, name_id, 3, 1, 0x409)
        table.setName(value, name_id, 1, 0, 0)
    source = table.getDebugName(10) or ""
    note = "Subset to GB2312 and report symbols and renamed by selfeval."
    table.setName(f"{note} {source}".strip(), 10, 3, 1, 0x409)


HANGUL = ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7AF),
          (0xD7B0, 0xD7FF))


def build(source: Path, target: Path, family: str | None) -> None:
    """Subset ``source`` to GB2312 and the symbols renamed ``family``; with no family, to
    all but Hangul, keeping hinting and names."""
    # imported here: the tests read ``gb2312``/``wanted`` without fontTools installed
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.hinting = family is None
    options.layout_features = ["kern", "vert", "vrt2"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    font = TTFont(str(source), fontNumber=0)
    if "glyf" not in font:
        raise SystemExit(f"{source}: no TrueType (glyf) outlines; reportlab cannot embed it")
    have = set(font.getBestCmap())
    if family is None:
        keep = {c for c in have if not any(a <= c <= b for a, b in HANGUL)}
    else:
        keep = wanted() & have
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(keep))
    subsetter.subset(font)
    if family is not None:
        rename(font, family)
    font.save(str(target))
    have = set(font.getBestCmap())
    lacking = sorted(c for c in gb2312() if c not in have)
    print(f"{target.name}: {target.stat().st_size / 1e6:.2f} MB, {len(have)} characters, "
          f"GB2312 lacking {len(lacking)}: {''.join(map(chr, lacking[:40]))}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--no-hangul":
        build(Path(sys.argv[2]), Path(sys.argv[3]), None)
    elif len(sys.argv) == 4:
        build(Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3])
    else:
        raise SystemExit(__doc__)
