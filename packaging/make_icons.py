"""Render the program icon from resources/icons/selfeval.svg:   python packaging/make_icons.py

Writes, next to the SVG (or into --out):

* ``selfeval-<n>.png`` for n in ``SIZES`` (the window icon, the Linux menu entry);
* ``selfeval.ico`` with every size (the Windows shortcuts and the frozen .exe).

Qt draws the SVG (no other image library needed); the .ico holds PNG images, which
every Windows the program runs on (8.1 and later) reads.  The results are kept in
the repository, so installing or running the program never needs this script.
"""

from __future__ import annotations

import argparse
import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def render_png(svg: Path, size: int) -> bytes:
    """The SVG drawn on a transparent ``size``×``size`` square, as PNG bytes."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"无法读取图标 {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs want bytes, Qt a str
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An .ico file holding PNG images (ICONDIR, one ICONDIRENTRY per size, then the data)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    entries = b""
    body = b""
    offset = 6 + 16 * len(images)
    for size, png in sorted(images.items()):
        side = 0 if size >= 256 else size  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(png),
                               offset + len(body))
        body += png
    return header + entries + body


def make_icons(svg: Path, out: Path) -> list[Path]:
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(sys.argv[:1])  # noqa: F841 (QImage and fonts need one)
    out.mkdir(parents=True, exist_ok=True)
    images = {size: render_png(svg, size) for size in SIZES}
    written = []
    for size, png in images.items():
        path = out / f"selfeval-{size}.png"
        path.write_bytes(png)
        written.append(path)
    ico = out / "selfeval.ico"
    ico.write_bytes(ico_bytes(images))
    written.append(ico)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="由 SVG 生成程序图标（PNG 和 .ico）")
    parser.add_argument("--svg", default=str(ICONS / "selfeval.svg"))
    parser.add_argument("--out", default=str(ICONS))
    args = parser.parse_args(argv)
    for path in make_icons(Path(args.svg), Path(args.out)):
        print(f"{path}  {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
