"""Name the system libraries the window lacks (install.sh, after installing).

    python qt_libs.py

Qt draws on a Linux desktop through its xcb plugin (PySide6/Qt/plugins/platforms/
libqxcb.so), which needs X11/xcb, OpenGL, fontconfig and D-Bus libraries from the system.
``ldd`` lists every one it cannot find; each is named with the package that has it on
Debian, Ubuntu, 统信 UOS and 银河麒麟 (the same names there).  Prints nothing and exits 0
when all are there; else one Chinese sentence, exit 1.  The command line does not need them.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PACKAGES = {
    "libxcb.so.1": "libxcb1", "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1", "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0", "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0", "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1", "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0", "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-xinerama.so.0": "libxcb-xinerama0", "libxcb-xinput.so.0": "libxcb-xinput0",
    "libxkbcommon.so.0": "libxkbcommon0", "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11.so.6": "libx11-6", "libX11-xcb.so.1": "libx11-xcb1",
    "libGL.so.1": "libgl1", "libGLX.so.0": "libglx0", "libGLdispatch.so.0": "libglvnd0",
    "libEGL.so.1": "libegl1", "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1", "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3", "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0", "libSM.so.6": "libsm6", "libICE.so.6": "libice6",
}
NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)


def plugin() -> Path | None:
    try:
        import PySide6
    except ImportError:
        return None
    found = Path(PySide6.__file__).parent / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    return found if found.is_file() else None


def missing(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` could not find, each once, in its order."""
    return list(dict.fromkeys(NOT_FOUND.findall(ldd_output)))


def sentence(libraries: list[str]) -> str:
    named = "、".join(f"{lib}（{PACKAGES[lib]}）" if lib in PACKAGES else lib
                     for lib in libraries)
    packages = " ".join(dict.fromkeys(PACKAGES[lib] for lib in libraries if lib in PACKAGES))
    how = f"请管理员安装这些软件包（sudo apt install {packages}）后" if packages else "请管理员安装后"
    return (f"注意：本机缺少图形界面需要的系统库 {named}，程序窗口打不开；{how}再打开程序"
            "（命令行 selfeval 不受影响）。")


def main() -> int:
    xcb = plugin()
    if xcb is None:
        return 0
    try:
        done = subprocess.run(["ldd", str(xcb)], capture_output=True, text=True, check=False,
                              timeout=60)
    except (OSError, subprocess.SubprocessError):
        return 0  # no ldd: nothing can be said
    libraries = missing(done.stdout)
    if not libraries:
        return 0
    print(sentence(libraries), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
