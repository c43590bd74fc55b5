"""The Windows kit's installer (packaging/windows/install.py) cannot remove a working install:
it checks the kit before touching anything, builds the new install in a folder of its own,
and switches over only when the new program starts.  Run here with a stand-in for the kit's
python.exe (a script that runs the unpacked wheel's code with this interpreter), in a user
folder whose name has every character a clerk's may have."""

from __future__ import annotations

import hashlib
import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "packaging" / "windows" / "install.py"
# spaces, Chinese, quotes and every character cmd.exe or sed treat specially
HOSTILE = "张 三|&%PATH%!^'\"(1);$x`"


def _installer():
    spec = importlib.util.spec_from_file_location("kit_install_under_test", INSTALLER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


install = _installer()

FAKE_PYTHON = """#!/bin/sh
# stands in for python.exe: runs desktop.cli from this folder's Lib/site-packages
site="$(dirname "$0")/Lib/site-packages"
exec "{python}" -c 'import runpy, sys; sys.path.insert(0, sys.argv.pop(1)); \
runpy.run_module("desktop.cli", run_name="__main__")' "$site" "$@"
"""


def make_kit(folder: Path, version: str, cli: str | None = None) -> Path:
    """A kit as make_dist.py lays it out: python/, wheels/, tools/ with the manifest."""
    kit = folder / f"selfeval-{version}-windows-x64-offline"
    (kit / "python").mkdir(parents=True)
    exe = kit / "python" / "python.exe"
    exe.write_text(FAKE_PYTHON.format(python=sys.executable), encoding="utf-8")
    exe.chmod(0o755)
    (kit / "python" / "python313._pth").write_text("python313.zip\n.\n", encoding="utf-8")
    (kit / "wheels").mkdir()
    code = cli if cli is not None else f"print('selfeval {version}')\n"
    with zipfile.ZipFile(kit / "wheels" / f"selfeval-{version}-py3-none-any.whl", "w") as whl:
        whl.writestr("desktop/__init__.py", "")
        whl.writestr("desktop/cli.py", code)
        whl.writestr(f"selfeval-{version}.dist-info/METADATA", f"Name: selfeval\nVersion: {version}\n")
    with zipfile.ZipFile(kit / "wheels" / "extra-1.0-py3-none-any.whl", "w") as whl:
        whl.writestr("extra-1.0.data/purelib/extra.py", "VALUE = 1\n")
        whl.writestr("extra-1.0.data/scripts/extra-tool", "#!python\n")
    (kit / "tools").mkdir()
    for name in ("shortcuts.py", "install.py"):
        (kit / "tools" / name).write_bytes((ROOT / "packaging" / "windows" / name).read_bytes())
    (kit / "tools" / "selfeval.ico").write_bytes(b"ico")
    (kit / "卸载.bat").write_bytes(b"@echo off\r\n")
    install.write_manifest(kit, version)
    return kit


def run(kit: Path, local: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-X", "utf8", str(kit / "tools" / "install.py"),
                           "--no-shortcuts"], env={"LOCALAPPDATA": str(local), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, check=False, timeout=120)


def tree(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def profile(tmp_path):
    """LOCALAPPDATA and the data folder (APPDATA\\selfeval) of a clerk with a hostile name."""
    home = tmp_path / HOSTILE
    data = home / "AppData" / "Roaming" / "selfeval"
    data.mkdir(parents=True)
    (data / "selfeval.db").write_bytes(b"the clerk's evaluations")
    return home / "AppData" / "Local", data


def installed(local: Path) -> Path:
    return local / "Programs" / "selfeval"


def test_installs_then_upgrades_in_place_and_the_data_folder_stays(tmp_path, profile):
    local, data = profile
    before = tree(data)
    first = run(make_kit(tmp_path / "a", "1.0.0"), local)
    assert first.returncode == 0, first.stdout + first.stderr
    assert "selfeval 1.0.0" in first.stdout and "安装完成" in first.stdout
    target = installed(local)
    site = target / "python" / "Lib" / "site-packages"
    assert (site / "desktop" / "cli.py").is_file()
    assert (site / "extra.py").read_text() == "VALUE = 1\n"  # .data/purelib lands in site
    assert not list(site.glob("*.data")) and not (site / "extra-tool").exists()
    assert (target / "selfeval.cmd").read_bytes().startswith(b'@"%~dp0python\\python.exe" -I')
    assert "main_gui" in (target / "selfeval-gui.pyw").read_text(encoding="utf-8")
    for name in ("卸载.bat", "shortcuts.py", "selfeval.ico"):
        assert (target / name).is_file(), name

    second = run(make_kit(tmp_path / "b", "1.1.0"), local)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "selfeval 1.1.0" in second.stdout
    assert "1.1.0" in (site / "desktop" / "cli.py").read_text()
    assert sorted(p.name for p in (local / "Programs").iterdir()) == ["selfeval"]  # no .new/.old
    assert tree(data) == before


@pytest.mark.parametrize("damage", ["missing wheel", "damaged wheel", "missing python",
                                    "no manifest", "cut manifest", "does not start",
                                    "wrong version"])
def test_a_bad_kit_leaves_the_working_install_as_it_was(tmp_path, profile, damage):
    local, data = profile
    assert run(make_kit(tmp_path / "a", "1.0.0"), local).returncode == 0
    before, data_before = tree(installed(local)), tree(data)
    cli = {"does not start": "raise SystemExit('导入失败')\n",
           "wrong version": "print('selfeval 0.0.1')\n"}.get(damage)
    kit = make_kit(tmp_path / "b", "2.0.0", cli)
    wheel = kit / "wheels" / "selfeval-2.0.0-py3-none-any.whl"
    if damage == "missing wheel":
        wheel.unlink()
    elif damage == "damaged wheel":
        wheel.write_bytes(wheel.read_bytes()[:-1] + b"X")
    elif damage == "missing python":
        (kit / "python" / "python313._pth").unlink()
    elif damage == "no manifest":
        (kit / "tools" / "manifest.txt").unlink()
    elif damage == "cut manifest":  # copied off a stick that was pulled out
        manifest = kit / "tools" / "manifest.txt"
        manifest.write_bytes(manifest.read_bytes()[:-30])
    done = run(kit, local)
    assert done.returncode == 1, done.stdout
    message = done.stdout.strip().splitlines()[-1]
    expected = {"missing wheel": "安装包不完整：缺少 wheels\\selfeval-2.0.0-py3-none-any.whl。",
                "damaged wheel": "安装包已损坏：wheels\\selfeval-2.0.0-py3-none-any.whl",
                "missing python": "安装包不完整：缺少 python\\python313._pth。",
                "no manifest": "安装包不完整：读不到 tools\\manifest.txt",
                "cut manifest": "安装包不完整：tools\\manifest.txt 已损坏。",
                "does not start": "新安装的程序无法启动（导入失败）；原有的安装没有改动。",
                "wrong version": "新安装的程序没有正确启动（它报告“selfeval 0.0.1”）"}[damage]
    assert message.startswith(expected), message
    assert "Traceback" not in done.stdout + done.stderr
    assert tree(installed(local)) == before
    assert tree(data) == data_before
    assert sorted(p.name for p in (local / "Programs").iterdir()) == ["selfeval"]


def test_a_running_program_refuses_the_switch_and_the_old_install_stays(tmp_path, profile,
                                                                         monkeypatch):
    """Windows will not move a folder whose program is running: the old install is kept and the
    clerk is told to close the program; the half-built new folder goes."""
    local, _ = profile
    assert run(make_kit(tmp_path / "a", "1.0.0"), local).returncode == 0
    target = installed(local)
    before = tree(target)
    real_rename = Path.rename

    def rename(self, to):
        if self == target:
            raise PermissionError(13, "拒绝访问。")
        return real_rename(self, to)

    monkeypatch.setattr(Path, "rename", rename)
    with pytest.raises(install.Stop, match=r"请先关闭“部门整体支出绩效自评”.*原有的安装没有改动"):
        install.install(make_kit(tmp_path / "b", "2.0.0"), local, shortcuts=False)
    assert tree(target) == before
    assert sorted(p.name for p in (local / "Programs").iterdir()) == ["selfeval"]
