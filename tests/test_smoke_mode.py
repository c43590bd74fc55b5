"""The desktop program's self-check (``SELFEVAL_SMOKE``), which the frozen build's smoke test
runs: Qt speaks Chinese from its own translation, and the toolbar's exports write real files."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
import smoke_frozen

WORKBOOK = "2022年度广州开发区穗港科技合作园管理委员会部门整体支出绩效自评表.xlsx"


def _run_gui(home: Path, out: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "SELFEVAL_QUIT_AFTER_SHOW"}
    env |= {"SELFEVAL_HOME": str(home), "QT_QPA_PLATFORM": "offscreen",
            "SELFEVAL_SMOKE": str(out)}
    return subprocess.run(
        [sys.executable, "-c", "import sys; from desktop.cli import main_gui; sys.exit(main_gui())"],
        env=env, capture_output=True, text=True, timeout=180, check=False)


@pytest.fixture(scope="module")
def smoke_out(tmp_path_factory):
    work = tmp_path_factory.mktemp("smoke")
    done = _run_gui(work / "home", work / "out")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == (work / "out" / "smoke.txt").read_text(encoding="utf-8")
    return work / "out"


def test_smoke_mode_exports_through_the_toolbar_and_reads_qt_in_chinese(smoke_out):
    lines = smoke_frozen.check_gui_smoke(smoke_out)
    print("\n".join(lines))
    report = (smoke_out / "smoke.txt").read_text(encoding="utf-8").splitlines()
    assert "evaluation=广州开发区穗港科技合作园管理委员会 2022" in report
    assert report.count("asked=导出 PDF 自评报告") == 1
    assert f"exported={WORKBOOK} " in "\n".join(report)
    assert report[-1] == "result=ok"
    assert not any(line.startswith("message=") for line in report)


def _changed(smoke_out: Path, tmp_path: Path, old: str, new: str) -> Path:
    out = tmp_path / "out"
    shutil.copytree(smoke_out, out)
    report = out / "smoke.txt"
    text = report.read_text(encoding="utf-8")
    assert old in text
    report.write_text(text.replace(old, new), encoding="utf-8")
    return out


@pytest.mark.parametrize(("old", "new", "said"), [
    ("messagebox.cancel=取消", "messagebox.cancel=Cancel", "Chinese translation was not loaded"),
    ("filedialog.filename=文件名称(&N)：", "filedialog.filename=File &name:",
     "Chinese translation was not loaded"),
    ("translations.qtbase_zh_CN=True", "translations.qtbase_zh_CN=False", "qtbase_zh_CN.qm"),
    ("action=导出Word\n", "", "the self-check ran"),
    ("icon=16,24,32,48,64,128,256", "icon=", "icon comes in sizes"),
    ("result=ok", "result=FAILED: 超时", "self-check said"),
])
def test_the_check_refuses_english_qt_or_a_missing_export(smoke_out, tmp_path, old, new, said):
    with pytest.raises(smoke_frozen.SmokeFailed, match=said):
        smoke_frozen.check_gui_smoke(_changed(smoke_out, tmp_path, old, new))


def test_the_check_wants_qt_translations_from_the_build_itself(smoke_out, tmp_path):
    with pytest.raises(smoke_frozen.SmokeFailed, match="not from the build"):
        smoke_frozen.check_gui_smoke(smoke_out, tmp_path / "somewhere-else")


def test_a_failed_export_is_reported_and_the_program_exits_with_1(tmp_path):
    out = tmp_path / "out"
    (out / WORKBOOK).mkdir(parents=True)  # a folder where the workbook would go
    done = _run_gui(tmp_path / "home", out)
    assert done.returncode == 1, done.stdout + done.stderr
    report = (out / "smoke.txt").read_text(encoding="utf-8").splitlines()
    assert report[-1].startswith("result=FAILED: ")
    assert any(line.startswith("message=error 导出失败：") for line in report)
    assert "action=导出PDF" not in report  # it stopped at the first failure


def test_the_build_folder_may_be_given_relative_or_through_a_link(smoke_out, tmp_path,
                                                                    monkeypatch):
    """`make frozen` passes dist/selfeval (relative); Qt names its folder absolute."""
    report = (smoke_out / "smoke.txt").read_text(encoding="utf-8").splitlines()
    translations = Path(next(v for k, _, v in (ln.partition("=") for ln in report)
                             if k == "translations"))
    qt_home = translations.parent
    monkeypatch.chdir(qt_home.parent)
    smoke_frozen.check_gui_smoke(smoke_out, Path(qt_home.name))  # relative to the cwd
    (tmp_path / "link").symlink_to(qt_home, target_is_directory=True)
    smoke_frozen.check_gui_smoke(smoke_out, tmp_path / "link")
    with pytest.raises(smoke_frozen.SmokeFailed, match="not from the build"):
        smoke_frozen.check_gui_smoke(smoke_out, Path("Qt-elsewhere"))  # a sibling, relative


def test_the_executables_are_run_by_their_absolute_path(tmp_path, monkeypatch):
    """`smoke_frozen.py .` from inside the build must run ./selfeval, not one on PATH."""
    exe = tmp_path / ("selfeval.exe" if sys.platform == "win32" else "selfeval")
    exe.write_text("")
    monkeypatch.chdir(tmp_path)
    assert smoke_frozen._exe(Path("."), "selfeval") == exe
    assert smoke_frozen._exe(Path("."), "selfeval").is_absolute()
