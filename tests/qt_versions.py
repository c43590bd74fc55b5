"""Run the desktop tests on every PySide6 version the install kits ship (make test-qt-versions).

For each version in ``packaging/make_dist.py``'s ``PYSIDE6`` a side environment
(``.venv-qt/<version>``) holds only that PySide6-Essentials; everything else (the program,
pytest, pytest-qt, hypothesis…) comes from the project's own ``.venv`` through a ``.pth``
file, so a side environment costs one download of Qt and nothing more.  The tests run are
the test files that import Qt (or use qtbot), offscreen.  One line a version is printed with
its pass count and time; the exit status is non-zero if any version fails.

    python tests/qt_versions.py [--versions 6.8.0.2,6.9.3] [pytest arguments…]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIDE = ROOT / ".venv-qt"
QT_IMPORT = re.compile(r"^\s*(from|import)\s+PySide6|\bqtbot\b|\bqapp\b"
                       r"|^\s*(from|import)\s+(desktop\.(common|form|system_editor|shell)\b"
                       r"|desktop_|system_editor_driving)", re.MULTILINE)


def pinned_versions() -> list[str]:
    sys.path.insert(0, str(ROOT / "packaging"))
    try:
        from make_dist import PYSIDE6
    finally:
        sys.path.pop(0)
    return sorted(set(PYSIDE6.values()), key=lambda v: tuple(int(p) for p in v.split(".")))


def desktop_test_files() -> list[Path]:
    """The test files that need Qt: they import PySide6 or the desktop's windows, use qtbot
    or qapp, or a desktop test helper."""
    return sorted(path for path in (ROOT / "tests").glob("test_*.py")
                  if QT_IMPORT.search(path.read_text(encoding="utf-8")))


def side_env(version: str) -> Path:
    """A venv with PySide6-Essentials==version that sees the project's .venv behind it."""
    env = SIDE / version
    python = env / "bin" / "python"
    stamp = env / ".installed"
    if stamp.exists():
        return python
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env)], check=True)
    main_site = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True, capture_output=True, text=True).stdout.strip()
    own_site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                              check=True, capture_output=True, text=True).stdout.strip()
    # The side environment's own site-packages come first, so its PySide6 wins over .venv's.
    Path(own_site, "zz_selfeval_main_venv.pth").write_text(
        f"import site; site.addsitedir({main_site!r})\n", encoding="utf-8")
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-m", "pip", "install", "--quiet",
                    "--disable-pip-version-check", "--no-deps", "--target", own_site,
                    f"PySide6-Essentials=={version}", f"shiboken6=={version}"], check=True)
    stamp.touch()
    return python


def run(version: str, files: list[Path], extra: list[str]) -> tuple[int, str, float]:
    python = side_env(version)
    seen = subprocess.run([str(python), "-c", "import PySide6; print(PySide6.__version__)"],
                          capture_output=True, text=True, check=False).stdout.strip()
    if seen != version:
        return 1, f"expected PySide6 {version}, the side environment has {seen!r}", 0.0
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.monotonic()
    done = subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra,
                           *(str(f.relative_to(ROOT)) for f in files)],
                          cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    elapsed = time.monotonic() - started
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    summary = lines[-1] if lines else done.stderr.strip()[-300:]
    log = SIDE / f"{version}.log"
    log.write_text(done.stdout + done.stderr, encoding="utf-8")
    return done.returncode, summary, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--versions", help="comma-separated PySide6 versions (default: the kits' pins)")
    args, extra = parser.parse_known_args()
    versions = args.versions.split(",") if args.versions else pinned_versions()
    files = desktop_test_files()
    print(f"{len(files)} desktop test files on PySide6 {', '.join(versions)}", flush=True)
    failed = 0
    for version in versions:
        code, summary, elapsed = run(version, files, extra)
        failed += code != 0
        print(f"PySide6 {version}: {summary} ({elapsed:.0f} s; log in .venv-qt/{version}.log)",
              flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
