"""The Windows kit, run as Windows runs it: under Wine, the kit's own 安装.bat puts the kit's
embeddable CPython and wheels into the profile of a user named "张 三", and the installed
program's Windows code paths (profile folders, Windows paths, the console) give the same
figures and text as on Linux.  The Qt window cannot be shown under Wine 8 (packaging/README.md).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from forms import __version__

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "forms" / "samples" / "suigang-2022.json"
USER = "张 三"
WIN_HOME = f"C:\\users\\{USER}"
TIMEOUT = 600  # one Wine command; the whole test takes about five minutes on two shared cores

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("wine") is None,
                                 reason="wine is not installed (.ci/system-deps installs it)")]


class Wine:
    """A fresh Wine prefix whose user is 张 三; runs Windows commands, output as text."""

    def __init__(self, prefix: Path, user: str = USER) -> None:
        self.prefix = prefix
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith(("SELFEVAL_", "PYTHON", "QT_", "WINE"))}
        # Wine links the profile's Documents and Desktop to $HOME: a home of the test's own
        home = prefix.parent / "home"
        home.mkdir(exist_ok=True)
        # no Mono or Gecko: a fresh prefix would otherwise offer to download them
        self.env.update(WINEPREFIX=str(prefix), WINEDEBUG="-all", USER=user, LOGNAME=user,
                        HOME=str(home), LANG="C.UTF-8", WINEDLLOVERRIDES="mscoree,mshtml=")
        self.timings: dict[str, float] = {}

    def run(self, label: str, *command: str, cwd: Path | None = None) -> str:
        started = time.monotonic()
        # pipes, not files: Python under Wine cannot open a redirected file as a standard stream
        done = subprocess.run(["wine", *command], env=self.env, cwd=cwd, capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=TIMEOUT, check=False)
        self.timings[label] = time.monotonic() - started
        out = done.stdout.decode("utf-8", "replace")
        assert done.returncode == 0, (label, out, done.stderr.decode("utf-8", "replace")[-3000:])
        return out

    def unix(self, windows_path: str) -> Path:
        assert windows_path[:3].upper() == "C:\\"
        return self.prefix / "drive_c" / windows_path[3:].replace("\\", "/")


def linux(*args: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "desktop.cli", *args], capture_output=True,
                          text=True, check=False, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    return done


def pdftext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout


@pytest.fixture(scope="module")
def windows_kit(tmp_path_factory) -> tuple[Path, float]:
    """The Windows kit as `make dist` builds it, and how long that took."""
    out = tmp_path_factory.mktemp("dist")
    started = time.monotonic()
    built = subprocess.run([sys.executable, str(ROOT / "packaging" / "make_dist.py"),
                            "--only", "windows", "--no-archive", "--out", str(out)],
                           capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    return out / f"selfeval-{__version__}-windows-x64-offline", time.monotonic() - started


def test_the_windows_kit_installs_and_runs_under_wine_like_on_linux(tmp_path, windows_kit):
    started = time.monotonic()
    kit, build_time = windows_kit

    wine = Wine(tmp_path / "prefix")
    # the kit's own installer, as a double-click runs it (cmd reads the GBK batch file)
    said = wine.run("安装.bat", "cmd", "/c", "安装.bat", cwd=kit)
    assert f"selfeval {__version__}" in said and "安装完成" in said, said
    program = f"{WIN_HOME}\\AppData\\Local\\Programs\\selfeval"
    installed = wine.unix(program)
    assert (installed / "python" / "python.exe").is_file()
    assert (installed / "selfeval.cmd").is_file() and (installed / "卸载.bat").is_file()
    assert not installed.with_name("selfeval.new").exists()
    # selfeval.cmd's own line (cmd /c would strip the quotes of a second quoted argument)
    selfeval = (f"{program}\\python\\python.exe", "-I", "-X", "utf8", "-m", "desktop.cli")
    assert (installed / "selfeval.cmd").read_bytes() == (
        b'@"%~dp0python\\python.exe" -I -X utf8 -m desktop.cli %*\r\n')

    # the clerk's files in a folder with Chinese and a space in its name
    work_win = f"{WIN_HOME}\\Documents\\自评 材料"
    work = wine.unix(work_win)
    (work / "审核 文件夹").mkdir(parents=True)
    shutil.copy(SAMPLE, work / "评价 包.json")
    package = f"{work_win}\\评价 包.json"

    version = wine.run("--version", "cmd", "/c", f"{program}\\selfeval.cmd", "--version")
    assert version.strip() == f"selfeval {__version__}"

    windows_score = json.loads(wine.run("score", *selfeval, "score", "--json", package))
    linux_score = json.loads(linux("score", "--json", str(SAMPLE)).stdout)
    assert windows_score == linux_score
    assert (windows_score["total"], windows_score["grade"]) == ("92.58", "优")

    wine.run("export", *selfeval, "export", package, "--pdf", f"{work_win}\\报告.pdf",
             "--docx", f"{work_win}\\报告.docx", "--xlsx", f"{work_win}\\审核 文件夹\\自评表.xlsx")
    (tmp_path / "linux" / "review").mkdir(parents=True)
    linux("export", str(SAMPLE), "--pdf", str(tmp_path / "linux.pdf"),
          "--xlsx", str(tmp_path / "linux" / "review" / "自评表.xlsx"))
    assert pdftext(work / "报告.pdf") == pdftext(tmp_path / "linux.pdf")
    assert (work / "报告.docx").stat().st_size > 10_000
    workbook = work / "审核 文件夹" / "自评表.xlsx"
    assert workbook.stat().st_size > 10_000

    wine.run("import", *selfeval, "import", f"{work_win}\\审核 文件夹\\自评表.xlsx",
             "-o", f"{work_win}\\读回.json")
    back = json.loads(wine.run("score of import", *selfeval, "score", "--json",
                               f"{work_win}\\读回.json"))
    linux("import", str(tmp_path / "linux" / "review" / "自评表.xlsx"),
          "-o", str(tmp_path / "linux" / "back.json"))
    assert back == json.loads(linux("score", "--json", str(tmp_path / "linux" / "back.json")).stdout)
    assert (back["total"], back["grade"]) == ("92.58", "优")

    review = json.loads(wine.run("review", *selfeval, "review", "--json",
                                 f"{work_win}\\审核 文件夹", "-o", f"{work_win}\\审核汇总.xlsx"))
    linux_review = json.loads(linux("review", "--json", str(tmp_path / "linux" / "review"),
                                    "-o", str(tmp_path / "linux" / "summary.xlsx")).stdout)
    assert [s.pop("path") for s in review["submissions"]] == [
        f"{work_win}\\审核 文件夹\\自评表.xlsx"]
    for submission in linux_review["submissions"]:
        submission.pop("path")
    assert review == linux_review
    assert review["count"] == 1 and review["average_total"] == "92.58"
    assert (work / "审核汇总.xlsx").is_file()

    # the data folder the program uses: the profile's roaming folder under the Chinese name
    where = wine.run("data folder", *selfeval[:-2], "-c",
                     "from forms import paths; print(paths.user_data_dir()); "
                     "print(paths.default_db_path())")
    roaming = f"{WIN_HOME}\\AppData\\Roaming\\selfeval"
    assert where.splitlines() == [roaming, f"{roaming}\\selfeval.db"]
    data = wine.unix(roaming)

    # report fonts where Windows keeps them: the system folder and the per-user one
    faces = ROOT / "resources" / "fonts"
    shutil.copy(faces / "SelfevalSerifSC-Regular.ttf", wine.unix("C:\\windows\\Fonts") / "simfang.ttf")
    user_fonts = wine.unix(f"{WIN_HOME}\\AppData\\Local\\Microsoft\\Windows\\Fonts")
    user_fonts.mkdir(parents=True, exist_ok=True)
    shutil.copy(faces / "SelfevalKai-Regular.ttf", user_fonts / "simkai.ttf")
    described = wine.run("fonts", *selfeval[:-2], "-c",
                         "from exports import fonts; print(fonts.describe())")
    assert "正文：simfang.ttf" in described and "二级标题：simkai.ttf" in described, described
    assert "标题：内置宋体" in described  # no 小标宋 or 宋体 installed

    # upgrading is running a kit's 安装.bat again: the program is replaced, the data stays
    data.mkdir(parents=True, exist_ok=True)
    (data / "selfeval.db").write_bytes(b"the clerk's evaluations")
    (installed / "python" / "Lib" / "site-packages" / "stale_from_old_version.py").write_text("")
    said = wine.run("安装.bat again", "cmd", "/c", "安装.bat", cwd=kit)
    assert "安装完成" in said, said
    assert not (installed / "python" / "Lib" / "site-packages" / "stale_from_old_version.py"
                ).exists()
    assert (data / "selfeval.db").read_bytes() == b"the clerk's evaluations"
    assert sorted(p.name for p in installed.parent.iterdir()) == ["selfeval"]
    version = wine.run("--version again", "cmd", "/c", f"{program}\\selfeval.cmd", "--version")
    assert version.strip() == f"selfeval {__version__}"

    # 卸载.bat removes the program and keeps the data.  Its last step deletes its own folder
    # with cmd's "(goto) & rmdir" idiom, which Wine's cmd lacks: there 卸载.bat itself stays.
    wine.run("卸载.bat", "cmd", "/c", f"{program}\\卸载.bat")
    assert not (installed / "python").exists()
    assert not installed.exists() or sorted(p.name for p in installed.iterdir()) == ["卸载.bat"]
    assert (data / "selfeval.db").read_bytes() == b"the clerk's evaluations"
    print(f"\nkit built in {build_time:.0f} s; under Wine: "
          + ", ".join(f"{k} {v:.1f} s" for k, v in wine.timings.items())
          + f"; total {time.monotonic() - started:.0f} s")


def test_the_kit_installs_for_a_user_name_cmd_would_misread(tmp_path, windows_kit):
    """cmd reads & ^ ( ) ! and % in a line: a user named so, with the kit unpacked in a folder
    named with ( ) ! ^ ' installs all the same (Windows allows every one of them in a name).
    Wine 8's cmd itself drops a % from %~dp0 and cannot start a batch file in a folder with &
    (real Windows does both), so the kit's own folder leaves those two out here."""
    user = "张&三 %PATH% !^(1)"
    wine = Wine(tmp_path / "prefix", user)
    kit = Path(wine.env["HOME"]) / "下载 (1) !^'" / windows_kit[0].name  # Downloads → $HOME
    shutil.copytree(windows_kit[0], kit, copy_function=os.link)
    said = wine.run("安装.bat", "cmd", "/c", "安装.bat", cwd=kit)
    program = f"C:\\users\\{user}\\AppData\\Local\\Programs\\selfeval"
    assert f"程序将安装到：{program}" in said and "安装完成" in said, said
    version = wine.run("--version", f"{program}\\python\\python.exe", "-I", "-m", "desktop.cli",
                       "--version")
    assert version.strip() == f"selfeval {__version__}"
    print(f"\nunder Wine as {user}: " + ", ".join(f"{k} {v:.1f} s" for k, v in wine.timings.items()))
