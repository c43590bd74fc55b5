"""The offline kits are complete: pip finds every wheel in them with no index, for each
Python and platform they serve, and the Linux kit installs and runs with no network."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from forms import __version__

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "forms" / "samples" / "suigang-2022.json"
sys.path.insert(0, str(ROOT / "packaging"))
import make_dist

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def kits(tmp_path_factory):
    """Both kits, built as `make dist` does (wheels come from the shared download cache)."""
    out = tmp_path_factory.mktemp("kits")
    started = time.monotonic()
    done = subprocess.run([sys.executable, str(ROOT / "packaging" / "make_dist.py"),
                           "--out", str(out), "--no-archive"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    print(f"\nkits built in {time.monotonic() - started:.0f} s:\n{done.stdout}")
    return {"windows": out / f"selfeval-{__version__}-windows-x64-offline",
            "linux": out / f"selfeval-{__version__}-linux-offline"}


def _required_names() -> set[str]:
    """The program and every runtime dependency pyproject.toml names."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {"selfeval"} | {canonicalize_name(Requirement(r).name)
                           for r in project["dependencies"]}


def _dry_run(wheels: Path, platforms: tuple[str, ...], python: str, target: Path) -> set[str]:
    command = [sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--report", "-",
               "--no-index", "--find-links", str(wheels), "--only-binary=:all:",
               "--python-version", python, "--target", str(target)]
    for tag in platforms:
        command += ["--platform", tag]
    done = subprocess.run([*command, "selfeval"], capture_output=True, text=True, check=False,
                          env=make_dist.isolated_env())
    assert done.returncode == 0, f"{platforms[0]} / {python}:\n{done.stderr}"
    report = json.loads(done.stdout)
    assert not target.exists()  # a dry run
    return {canonicalize_name(item["metadata"]["name"]) for item in report["install"]}


def test_windows_kit_has_every_wheel_for_its_own_python(kits, tmp_path):
    kit = kits["windows"]
    names = _dry_run(kit / "wheels", ("win_amd64",), make_dist.EMBED_PYTHON, tmp_path / "target")
    assert _required_names() <= names
    assert {"pyside6-essentials", "shiboken6", "pillow"} <= names
    for script in ("安装.bat", "卸载.bat", "说明.txt", "tools/shortcuts.py", "tools/install.py",
                   "tools/selfeval.ico", "tools/manifest.txt", "python/python.exe",
                   "python/pythonw.exe", "python/python313.zip", "python/LICENSE.txt"):
        assert (kit / script).is_file(), script
    # the embeddable Python finds the installed packages
    assert (kit / "python" / "python313._pth").read_bytes().split(b"\r\n")[2:4] == [
        b"Lib\\site-packages", b"import site"]
    # every file the installer will check is listed, and nothing else is needed
    listed = {line.split(" ", 2)[2] for line in
              (kit / "tools" / "manifest.txt").read_text("utf-8").splitlines()[1:-1]}
    on_disk = {p.relative_to(kit).as_posix() for folder in ("python", "wheels")
               for p in (kit / folder).rglob("*") if p.is_file()}
    assert listed == on_disk


@pytest.mark.parametrize("arch", ["x86_64", "aarch64"])
@pytest.mark.parametrize("python", make_dist.PYTHONS)
def test_linux_kit_has_every_wheel(kits, python, arch, tmp_path):
    platforms = tuple(make_dist.linux_platforms(arch))
    names = _dry_run(kits["linux"] / "wheels", platforms, python, tmp_path / "target")
    assert _required_names() <= names
    assert any(p.name.startswith("pip-") for p in (kits["linux"] / "wheels").iterdir())
    # exactly the PySide6 the desktop tests ran on for this architecture
    pinned = make_dist.PYSIDE6[arch]
    qt = {p.name for p in (kits["linux"] / "wheels").iterdir()
          if p.name.lower().startswith("pyside6_essentials-") and arch in p.name}
    assert qt and all(name.split("-")[1] == pinned for name in qt), qt


def test_the_windows_kit_carries_its_pinned_qt(kits):
    qt = [p.name for p in (kits["windows"] / "wheels").iterdir()
          if p.name.lower().startswith("pyside6_essentials-")]
    assert qt and all(n.split("-")[1] == make_dist.PYSIDE6["win_amd64"] for n in qt), qt


def _no_network() -> list[str]:
    """A prefix that runs a command with no network at all, where the system allows it."""
    if shutil.which("unshare") and subprocess.run(["unshare", "-n", "true"],
                                                  capture_output=True, check=False).returncode == 0:
        return ["unshare", "-n"]
    print("unshare -n is not permitted here: offline only by --no-index")
    return []


def test_linux_kit_installs_offline_and_the_program_runs(kits, tmp_path):
    home = tmp_path / "home"
    (home / "Desktop").mkdir(parents=True)
    # The interpreter running the tests (a CI image's python3 on PATH may be older).
    python = getattr(sys, "_base_executable", sys.executable)
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "LANG": "C.UTF-8",
           "QT_QPA_PLATFORM": "offscreen", "SELFEVAL_PYTHON": python}
    offline = _no_network()
    started = time.monotonic()
    done = subprocess.run([*offline, "sh", str(kits["linux"] / "install.sh")], env=env,
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    print(f"install.sh: {time.monotonic() - started:.0f} s")
    assert f"selfeval {__version__}" in done.stdout

    venv = home / ".local" / "opt" / "selfeval" / "venv"
    command = home / ".local" / "bin" / "selfeval"
    score = subprocess.run([*offline, str(command), "score", str(SAMPLE)], env=env,
                           capture_output=True, text=True, check=False)
    assert score.returncode == 0, score.stderr
    assert "自评得分：92.58 分    等级：优" in score.stdout

    # The menu entry starts the windowless program; started once, it fills the library.
    entry = (home / ".local" / "share" / "applications" / "selfeval.desktop").read_text()
    assert f'Exec="{venv.parent}/selfeval-gui"' in entry
    assert (home / "Desktop" / "selfeval.desktop").read_text() == entry
    gui = subprocess.run([*offline, str(venv.parent / "selfeval-gui")],
                         env={**env, "SELFEVAL_QUIT_AFTER_SHOW": "1"},
                         capture_output=True, text=True, check=False, timeout=120)
    assert gui.returncode == 0, gui.stderr
    data = home / ".local" / "share" / "selfeval"
    # the icon: in the installed package (the window's) and in the menu's icon theme
    assert list(venv.glob("lib/python3.*/site-packages/resources/icons/selfeval-256.png"))
    assert "\nIcon=selfeval\n" in entry
    theme = home / ".local" / "share" / "icons" / "hicolor"
    assert (theme / "256x256" / "apps" / "selfeval.png").is_file()
    assert (theme / "scalable" / "apps" / "selfeval.svg").is_file()
    with sqlite3.connect(data / "selfeval.db") as db:
        assert db.execute("SELECT department, year FROM evaluations").fetchall() == [
            ("广州开发区穗港科技合作园管理委员会", 2022)]

    removed = subprocess.run(["sh", str(home / ".local" / "opt" / "selfeval" / "uninstall.sh")],
                             env=env, capture_output=True, text=True, check=False)
    assert removed.returncode == 0, removed.stderr
    assert not venv.exists() and not command.exists()
    assert not (home / "Desktop" / "selfeval.desktop").exists()
    assert not list(theme.glob("*/apps/selfeval.*"))
    assert (data / "selfeval.db").is_file()  # the clerk's data stays


def test_linux_kit_reinstall_never_removes_the_working_install(kits, tmp_path):
    """A home folder named with every character sh, sed and desktop files treat specially; an
    incomplete kit and a kit pip cannot install from are refused with the old install working."""
    sys.path.insert(0, str(ROOT / "packaging" / "linux"))
    import desktop_entry

    home = tmp_path / "张 三|&%h%!^'\"(1);$x`"
    (home / "Desktop").mkdir(parents=True)
    python = getattr(sys, "_base_executable", sys.executable)
    env = {"PATH": os.environ["PATH"], "HOME": str(home), "LANG": "C.UTF-8",
           "QT_QPA_PLATFORM": "offscreen", "SELFEVAL_PYTHON": python}
    prefix = home / ".local" / "opt" / "selfeval"
    command = home / ".local" / "bin" / "selfeval"

    def install(kit: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["sh", str(kit / "install.sh")], env=env, capture_output=True,
                              text=True, check=False)

    def works() -> None:
        score = subprocess.run([str(command), "score", str(SAMPLE)], env=env,
                               capture_output=True, text=True, check=False)
        assert "自评得分：92.58 分    等级：优" in score.stdout, score.stderr

    first = install(kits["linux"])
    assert first.returncode == 0, first.stdout + first.stderr
    assert f"安装到 {prefix}" in first.stdout
    works()
    entry = (home / ".local" / "share" / "applications" / "selfeval.desktop").read_text("utf-8")
    program = prefix / "selfeval-gui"
    assert f"\nExec={desktop_entry.exec_argument(str(program))}\n" in entry
    assert program.is_file()

    wheel = next((kits["linux"] / "wheels").glob("selfeval-*.whl")).name
    incomplete = tmp_path / "incomplete"
    shutil.copytree(kits["linux"], incomplete, copy_function=os.link)
    (incomplete / "wheels" / wheel).unlink()
    done = install(incomplete)
    assert done.returncode == 1
    assert f"安装包不完整：缺少 wheels/{wheel}" in done.stderr and "原有的安装没有改动" in done.stderr
    works()

    # complete by its own list, yet pip finds no program in it: fails after the new venv is made
    (incomplete / "tools" / "SHA256SUMS").write_text("".join(
        line + "\n" for line in (kits["linux"] / "tools" / "SHA256SUMS").read_text().splitlines()
        if not line.endswith(wheel)))
    done = install(incomplete)
    assert done.returncode == 1
    assert "安装没有完成：pip 安装失败（见上面的信息）。原有的安装没有改动。" in done.stderr
    works()
    assert len(list(prefix.glob("venv-*"))) == 1  # the failed one is gone

    again = install(kits["linux"])
    assert again.returncode == 0, again.stderr
    works()
    assert len(list(prefix.glob("venv-*"))) == 1 and (prefix / "venv").is_symlink()
