"""Entry point of the frozen program (PyInstaller): ``selfeval`` and ``selfeval-gui``.

Both executables run this script; the one named ``selfeval-gui`` (built without a
console on Windows) opens the desktop program, the other is the command line.
"""

import sys
from pathlib import Path

from desktop.cli import main, main_gui

if __name__ == "__main__":
    gui = Path(sys.executable).stem.lower().endswith("-gui")
    sys.exit(main_gui() if gui else main())
