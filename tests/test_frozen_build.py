"""The one-folder build (PyInstaller) starts, opens the sample, scores and exports."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
import smoke_frozen

pytestmark = pytest.mark.slow


def test_frozen_build_passes_the_smoke_test(tmp_path):
    started = time.monotonic()
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
         "--distpath", str(tmp_path / "dist"), "--workpath", str(tmp_path / "build"),
         str(ROOT / "packaging" / "selfeval.spec")],
        capture_output=True, text=True, check=False)
    assert build.returncode == 0, build.stderr[-3000:]
    folder = tmp_path / "dist" / "selfeval"
    took = time.monotonic() - started
    for line in smoke_frozen.run_smoke(folder):
        print("ok  " + line)
    print(f"frozen build: {smoke_frozen.folder_size_mb(folder):.0f} MB, built in {took:.0f} s")
