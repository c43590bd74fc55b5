"""Smoke test of the one-folder build:   python packaging/smoke_frozen.py dist/selfeval
and of a kit's installed program:        PY packaging/smoke_frozen.py --installed PREFIX
(PY: the installed program's own interpreter, PREFIX: where install.sh put it).

Runs the program's executables as a clerk's PC would, with no Python of its own in
the way: the version, the desktop program started offscreen on a fresh data
folder (it must put the sample in the library and open it), ``score`` on the
shipped sample, ``export`` of the sample to a PDF and a workbook, and the desktop
program's own self-check (``SELFEVAL_SMOKE``: Qt's Chinese texts as the frozen
program loads them, and the three exports through the window's toolbar).  Raises
``SmokeFailed`` naming the first thing that went wrong; prints what it checked.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from forms import __version__

SAMPLE_DEPARTMENT = "广州开发区穗港科技合作园管理委员会"


class SmokeFailed(AssertionError):
    pass


def _exe(folder: Path, name: str) -> Path:
    # absolute: run as a command, "./selfeval" would otherwise become "selfeval", which the
    # system looks up on PATH (an installed selfeval, not the build's)
    path = (folder / (name + ".exe" if sys.platform == "win32" else name)).resolve()
    if not path.is_file():
        raise SmokeFailed(f"{path} is missing")
    return path


# seconds a command may take; an emulated machine (arm64 under qemu) needs more
TIMEOUT = float(os.environ.get("SELFEVAL_SMOKE_TIMEOUT", "120"))


def _run(command: list[str], home: Path, timeout: float | None = None,
         extra: dict[str, str] | None = None) -> tuple[str, float]:
    env = dict(os.environ, SELFEVAL_HOME=str(home), QT_QPA_PLATFORM="offscreen",
               SELFEVAL_QUIT_AFTER_SHOW="1", **(extra or {}))
    env.pop("PYTHONPATH", None)
    started = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True,
                          timeout=timeout or TIMEOUT, check=False)
    took = time.monotonic() - started
    if done.returncode != 0:
        raise SmokeFailed(f"{command} exited {done.returncode}:\n{done.stdout}\n{done.stderr}")
    return done.stdout, took


def check_exported(pdf: Path, xlsx: Path, docx: Path) -> int:
    """The three exports are what they claim to be; returns the workbook's sheet count."""
    if not pdf.read_bytes().startswith(b"%PDF") or b"/FontFile2" not in pdf.read_bytes():
        raise SmokeFailed(f"{pdf.name} is not a PDF with an embedded font")
    with zipfile.ZipFile(xlsx) as zf:
        sheets = [n for n in zf.namelist() if n.startswith("xl/worksheets/sheet")]
    if not sheets:
        raise SmokeFailed(f"the workbook {xlsx.name} has no sheets")
    with zipfile.ZipFile(docx) as zf:  # python-docx's template travels with the build
        if "word/document.xml" not in zf.namelist():
            raise SmokeFailed(f"the Word copy {docx.name} has no document")
    return len(sheets)


# What Qt's own zh_CN translation (qtbase_zh_CN.qm) says, as the program's smoke mode reads it
# off a real message box and file dialog (desktop/shell/smoke.py).
QT_CHINESE = {"messagebox.save": "保存", "messagebox.cancel": "取消",
              "filedialog.filename": "文件名称(&N)：", "filedialog.buttons": "保存(&S) 取消"}


def check_gui_smoke(out: Path, qt_home: Path | None = None) -> list[str]:
    """Read ``out/smoke.txt`` written by ``SELFEVAL_SMOKE=out``: Qt spoke Chinese (from the
    translations under ``qt_home`` when given) and the toolbar's three exports were written."""
    report = out / "smoke.txt"
    if not report.is_file():
        raise SmokeFailed(f"the desktop program wrote no {report}")
    pairs = [line.split("=", 1) for line in report.read_text(encoding="utf-8").splitlines()]
    values: dict[str, list[str]] = {}
    for key, value in pairs:
        values.setdefault(key, []).append(value)
    if values.get("result") != ["ok"]:
        raise SmokeFailed(f"the desktop program's self-check said {values.get('result')}")
    for key, wanted in QT_CHINESE.items():
        if values.get(key) != [wanted]:
            raise SmokeFailed(f"Qt's {key} is {values.get(key)}, not {wanted!r}: "
                              "its Chinese translation was not loaded")
    if values.get("translations.qtbase_zh_CN") != ["True"]:
        raise SmokeFailed("qtbase_zh_CN.qm is not in Qt's translations folder")
    # both resolved: the build's folder is often given relative (``make frozen`` passes
    # dist/selfeval) while Qt reports an absolute path, possibly through a symbolic link
    if qt_home is not None and not Path(values["translations"][0]).resolve().is_relative_to(
            qt_home.resolve()):
        raise SmokeFailed(f"Qt's translations came from {values['translations'][0]}, "
                          f"not from the build in {qt_home}")
    if values.get("icon") != ["16,24,32,48,64,128,256"]:
        raise SmokeFailed(f"the window's icon comes in sizes {values.get('icon')}")
    if values.get("action") != ["导出Excel", "导出PDF", "导出Word"]:
        raise SmokeFailed(f"the self-check ran {values.get('action')}")
    made = {Path(v.rsplit(" ", 1)[0]).suffix: out / v.rsplit(" ", 1)[0]
            for v in values.get("exported", [])}
    if sorted(made) != [".docx", ".pdf", ".xlsx"]:
        raise SmokeFailed(f"the desktop program exported {sorted(made)}")
    check_exported(made[".pdf"], made[".xlsx"], made[".docx"])
    return [f"{key}={values[key][0]}" for key in ("messagebox.cancel", "filedialog.filename")] \
        + [f"{p.suffix[1:]} {p.stat().st_size // 1024} KB" for p in made.values()]


def run_smoke(folder: Path) -> list[str]:
    """Check the build in ``folder``; return one line per check, with its time."""
    return check_program(_exe(folder, "selfeval"), _exe(folder, "selfeval-gui"),
                         folder / "_internal")


def run_installed(prefix: Path) -> list[str]:
    """Check what a kit's install.sh put in ``prefix`` (its launchers ``selfeval`` and
    ``selfeval-gui``), run by the installed program's own interpreter."""
    import forms

    return check_program(_exe(prefix, "selfeval"), _exe(prefix, "selfeval-gui"),
                         Path(forms.__file__).resolve().parent.parent)


def check_program(cli: Path, gui: Path, base: Path) -> list[str]:
    """The program whose command line is ``cli`` and window ``gui``, with its packages
    (forms, resources, PySide6) in ``base``."""
    sample = base / "forms" / "samples" / "suigang-2022.json"
    if not sample.is_file():
        raise SmokeFailed(f"the sample is not in the build: {sample}")
    for needed in ("resources/fonts/wqy-microhei.ttf", "resources/fonts/SelfevalSerifSC-Regular.ttf",
                   "resources/fonts/SelfevalKai-Regular.ttf", "forms/systems/national-common.json",
                   "PySide6/Qt/translations/qtbase_zh_CN.qm", "resources/icons/selfeval-256.png"):
        if not (base / needed).is_file():
            raise SmokeFailed(f"{needed} is not in the build")
    report: list[str] = []
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        home = work / "home"
        out, took = _run([str(cli), "--version"], home)
        if out.strip() != f"selfeval {__version__}":
            raise SmokeFailed(f"--version said {out!r}")
        report.append(f"--version: {out.strip()} ({took:.2f} s)")

        _, took = _run([str(gui)], home)
        with sqlite3.connect(home / "selfeval.db") as db:
            rows = db.execute("SELECT id, department, year FROM evaluations").fetchall()
        if [(r[1], r[2]) for r in rows] != [(SAMPLE_DEPARTMENT, 2022)]:
            raise SmokeFailed(f"the library after the first start holds {rows}")
        settings = (home / "settings.ini").read_text(encoding="utf-8")
        if f"={rows[0][0]}" not in settings.split("[last_evaluation]")[-1].split("[")[0]:
            raise SmokeFailed("the desktop program did not open the sample")
        report.append(f"desktop program started offscreen, opened the sample ({took:.2f} s)")

        out, took = _run([str(cli), "score", str(sample)], home)
        if "自评得分：92.58 分" not in out or "等级：优" not in out:
            raise SmokeFailed(f"score printed:\n{out}")
        report.append(f"score: 92.58 分，优 ({took:.2f} s)")

        pdf, xlsx, docx = work / "报告.pdf", work / "自评表.xlsx", work / "报告.docx"
        _, took = _run([str(cli), "export", str(sample), "--pdf", str(pdf), "--xlsx", str(xlsx),
                        "--docx", str(docx)], home)
        sheets = check_exported(pdf, xlsx, docx)
        report.append(f"export: PDF {pdf.stat().st_size // 1024} KB, workbook "
                      f"{sheets} sheets ({took:.2f} s)")

        # the window's own export path, and Qt's translations as the frozen program finds them
        gui_out = work / "界面导出"
        _, took = _run([str(gui)], home, extra={"SELFEVAL_SMOKE": str(gui_out)})
        lines = check_gui_smoke(gui_out, base)
        report.append(f"desktop program exported through its toolbar actions ({took:.2f} s): "
                      + "; ".join(lines))

        # the review reads with worker processes: they must start from the frozen program
        folder_in = work / "报来的"
        folder_in.mkdir()
        for i in range(8):
            (folder_in / f"{i}.xlsx").write_bytes(xlsx.read_bytes())
        out, took = _run([str(cli), "review", str(folder_in), "--workers", "2"], home)
        if not out.startswith("共 8 份自评，0 个文件未能读取") or out.count("[重复报送]") != 8:
            raise SmokeFailed(f"review printed:\n{out}")
        report.append(f"review: 8 workbooks in 2 worker processes ({took:.2f} s)")
    return report


def folder_size_mb(folder: Path) -> float:
    """Bytes on disk: PyInstaller links some libraries (symbolic links count once)."""
    return sum(p.lstat().st_size for p in folder.rglob("*")
               if p.is_file() and not p.is_symlink()) / 1e6


def main(argv: list[str]) -> int:
    installed = argv[:1] == ["--installed"]
    folder = Path(argv[1] if installed else argv[0] if argv else ROOT / "dist" / "selfeval")
    what = "installed program" if installed else "frozen build"
    try:
        lines = run_installed(folder) if installed else run_smoke(folder)
    except (SmokeFailed, subprocess.TimeoutExpired) as exc:
        print(f"{what} FAILED: {exc}", file=sys.stderr)
        return 1
    for line in lines:
        print("ok  " + line)
    print(f"{what} {folder}: {folder_size_mb(folder):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
