"""The program icon: every window shows it, it is rendered from the SVG in the repository,
and the kits carry it to the menu entry and the shortcuts."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

from PySide6.QtGui import QColor, QImage

import resources
from desktop.common.qt_setup import setup_application
from forms import __version__

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
sys.path.insert(0, str(ROOT / "packaging"))
import make_dist
import make_icons

sys.path.insert(0, str(ROOT / "packaging" / "windows"))
import shortcuts

BLUE = QColor("#1a5fb4")


def _ico_entries(data: bytes) -> dict[int, bytes]:
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    entries = {}
    for i in range(count):
        width, height, _, _, planes, bits, size, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i)
        assert width == height and (planes, bits) == (1, 32)
        entries[width or 256] = data[offset:offset + size]
    return entries


def test_every_window_has_the_program_icon_at_every_size(qapp):
    setup_application(qapp)
    icon = qapp.windowIcon()
    assert not icon.isNull()
    sizes = sorted(s.width() for s in icon.availableSizes())
    assert sizes == list(resources.ICON_SIZES)
    image = icon.pixmap(256, 256).toImage()
    # the blue tile, the white page, the blue tick on the page
    assert image.pixelColor(20, 128) == BLUE
    assert image.pixelColor(70, 40) == QColor("white")
    assert image.pixelColor(108, 204) == BLUE


def test_the_main_window_shows_the_icon(qtbot, qapp):
    from PySide6.QtWidgets import QMainWindow

    setup_application(qapp)
    window = QMainWindow()
    qtbot.addWidget(window)
    assert not window.windowIcon().isNull()
    assert window.windowIcon().cacheKey() == qapp.windowIcon().cacheKey()


def test_icons_in_the_repository_are_the_ones_the_svg_gives(qapp, tmp_path):
    """packaging/make_icons.py was run after the last change to selfeval.svg."""
    written = make_icons.make_icons(ICONS / "selfeval.svg", tmp_path)
    assert sorted(p.name for p in written) == sorted(
        [f"selfeval-{s}.png" for s in resources.ICON_SIZES] + ["selfeval.ico"])
    for size in resources.ICON_SIZES:
        fresh = QImage(str(tmp_path / f"selfeval-{size}.png"))
        kept = QImage(str(ICONS / f"selfeval-{size}.png"))
        assert (kept.width(), kept.height()) == (fresh.width(), fresh.height()) == (size, size)
        # another Qt release may antialias an edge differently, nothing more
        a, b = _rgba(kept), _rgba(fresh)
        differ = sum(1 for i in range(0, len(a), 4)
                     if max(abs(a[i + k] - b[i + k]) for k in range(4)) > 24)
        assert differ <= size * size // 100, (size, differ)
    entries = _ico_entries((ICONS / "selfeval.ico").read_bytes())
    assert sorted(entries) == list(resources.ICON_SIZES)
    for size, png in entries.items():
        assert png == (ICONS / f"selfeval-{size}.png").read_bytes()


def _rgba(image: QImage) -> bytes:
    converted = image.convertToFormat(QImage.Format.Format_RGBA8888)
    return bytes(converted.constBits())[:converted.sizeInBytes()]


def test_the_windows_kit_gives_the_shortcuts_the_icon(tmp_path):
    make_dist.write_windows_files(tmp_path, __version__)
    assert (tmp_path / "tools" / "selfeval.ico").read_bytes() == (
        ICONS / "selfeval.ico").read_bytes()
    install = (tmp_path / "tools" / "install.py").read_text(encoding="utf-8")
    assert '("tools/selfeval.ico", "selfeval.ico")' in install
    script = shortcuts.create_script(r"C:\Users\张三\AppData\Local\Programs\selfeval")
    icon = "'C:\\Users\\张三\\AppData\\Local\\Programs\\selfeval\\selfeval.ico,0'"
    assert script.count(icon) == 2  # the desktop shortcut and the Start-menu entry
    assert "$link.IconLocation = $icon" in script


def test_the_linux_kit_puts_the_icon_in_the_menu_entry(tmp_path):
    make_dist.write_linux_files(tmp_path, __version__)
    assert (tmp_path / "icons" / "selfeval.svg").read_bytes() == (
        ICONS / "selfeval.svg").read_bytes()
    for size in resources.ICON_SIZES:
        assert (tmp_path / "icons" / f"selfeval-{size}.png").is_file()
    entry = (tmp_path / "selfeval.desktop").read_text(encoding="utf-8")
    assert "\nIcon=selfeval\n" in entry
    install = (tmp_path / "install.sh").read_text(encoding="utf-8")
    assert '"$DATA_HOME/icons/hicolor/${size}x${size}/apps/selfeval.png"' in install


def test_the_frozen_build_and_the_wheel_carry_the_icon():
    spec = (ROOT / "packaging" / "selfeval.spec").read_text(encoding="utf-8")
    assert '(str(ROOT / "resources" / "icons"), "resources/icons")' in spec
    assert 'icon=str(ROOT / "resources" / "icons" / "selfeval.ico")' in spec
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"*.png", "*.svg", "*.ico"' in pyproject
