"""Files the program carries: fonts, icons, translations.

``resource_path`` works from a source checkout, an installed package and a
frozen (PyInstaller) build alike.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resource_dir() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)


# The sizes packaging/make_icons.py renders from icons/selfeval.svg.
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def icon_paths() -> list[Path]:
    """The program icon as PNG files, smallest first (the window, the taskbar, the menu)."""
    return [resource_path("icons", f"selfeval-{size}.png") for size in ICON_SIZES]


def bundled_font_path() -> Path:
    """文泉驿微米黑 (all GBK hanzi; Hangul removed), TrueType outlines (embeddable by reportlab):
    the window font and the PDF's 黑体 and fallback face."""
    return resource_path("fonts", "wqy-microhei.ttf")
