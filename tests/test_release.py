"""What ships with a release: the version, the windowless entry, 关于, the kits' scripts."""

from __future__ import annotations

import base64
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from fuzz_budget import cases
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop import cli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
import make_dist

sys.path.insert(0, str(ROOT / "packaging" / "windows"))
import shortcuts

from forms import __version__


def test_version_is_printed_and_matches_the_installed_metadata(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"selfeval {__version__}\n"
    assert metadata.version("selfeval") == __version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)


def test_help_names_the_version_option_in_chinese(capsys):
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    assert re.search(r"--version +显示程序版本并退出", capsys.readouterr().out)


def test_the_windowless_entry_opens_the_desktop_program_without_console_streams(monkeypatch):
    (entry,) = [e for e in metadata.entry_points(group="gui_scripts") if e.name == "selfeval-gui"]
    assert entry.value == "desktop.cli:main_gui"
    opened: list[str | None] = []
    import desktop.shell.app

    def fake_run(db_path=None):
        print("pythonw has nowhere to print this")  # must not fail
        opened.append(db_path)
        return 0

    monkeypatch.setattr(desktop.shell.app, "run", fake_run)
    monkeypatch.setattr(sys, "argv", ["selfeval-gui", "--db", "某.db"])
    monkeypatch.setattr(sys, "stdout", None)
    monkeypatch.setattr(sys, "stderr", None)
    assert cli.main_gui() == 0
    assert opened == ["某.db"]
    for stream in (sys.stdout, sys.stderr):
        assert stream is not None
        stream.close()


def test_about_tells_version_data_folder_and_fonts(qtbot, qapp, monkeypatch, _user_home):
    from desktop.common import messages
    from desktop.shell.app import create_main_window
    from desktop.common.qt_setup import setup_application
    from desktop_windows import menu_titled
    from exports.fonts import describe

    setup_application(qapp)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(messages.Messages, "show", staticmethod(
        lambda parent, kind, title, text, details="": shown.append((title, text))))
    window = create_main_window()
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    help_menu = menu_titled(window, "帮助(&H)")
    (about,) = [a for a in help_menu.actions() if a.text() == "关于"]
    about.trigger()
    ((title, text),) = shown
    assert title == "关于"
    assert f"版本 {__version__}" in text
    assert f"数据文件夹：{_user_home}" in text
    assert f"数据库：{_user_home / 'selfeval.db'}" in text
    assert f"界面字体：{qapp.font().family()}" in text and describe() in text
    assert "不需要网络" in text


# ---------------------------------------------------------------- the kits' scripts

def _labels(bat: str) -> set[str]:
    return {m.lower() for m in re.findall(r"^:(\w+)", bat, flags=re.MULTILINE)}


def test_windows_scripts_are_gbk_with_crlf_and_every_jump_has_its_label(tmp_path):
    make_dist.write_windows_files(tmp_path, __version__)
    for name in ("安装.bat", "卸载.bat"):
        data = (tmp_path / name).read_bytes()
        assert b"\n" not in data.replace(b"\r\n", b""), name  # CRLF only
        text = data.decode("gbk")  # what cmd.exe on a Chinese Windows reads
        jumps = {m.lower() for m in re.findall(r"\b(?:goto|call) :(\w+)", text)} - {"eof"}
        assert jumps and jumps <= _labels(text), (name, jumps - _labels(text))
        assert "@VERSION@" not in text
    install = (tmp_path / "安装.bat").read_bytes().decode("gbk")
    assert f"selfeval=={__version__}" in install
    assert '--no-index --find-links "%KIT%wheels"' in install
    assert 'shortcuts.py" create' in install
    assert (tmp_path / "tools" / "shortcuts.py").is_file()
    assert (tmp_path / "tools" / "check_python.py").is_file()


def test_windows_scripts_switch_to_gbk_before_any_chinese_and_restore_on_exit(tmp_path):
    """cmd decodes each line in the console's code page when it reaches it: on an English or
    UTF-8 console the GBK texts read right only if ``chcp 936`` comes before the first of them,
    and the clerk's console gets its own code page back whichever way the script ends."""
    make_dist.write_windows_files(tmp_path, __version__)
    for name in ("安装.bat", "卸载.bat"):
        lines = (tmp_path / name).read_bytes().split(b"\r\n")
        switch = lines.index(b"chcp 936 >nul")
        assert switch < 8, name
        assert all(line.isascii() for line in lines[:switch]), name
        assert not all(line.isascii() for line in lines), name  # there is Chinese to guard
        assert any(b"('chcp')" in line and b"OLDCP" in line for line in lines[:switch]), name
        restore = b"if defined OLDCP chcp %OLDCP% >nul"
        ends = [i for i, line in enumerate(lines)
                if line.startswith((b"exit /b", b"(goto) 2>nul"))]
        assert ends, name
        for i in ends:
            assert lines[i - 1] == restore or lines[i - 1].startswith(b"(goto) 2>nul"), (name, i)
            assert all(line.isascii() for line in lines[i - 1:i + 1]), (name, i)


def test_readme_names_the_data_folder_the_program_uses(tmp_path, monkeypatch):
    from forms import paths

    make_dist.write_windows_files(tmp_path, __version__)
    data = (tmp_path / "说明.txt").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # Notepad of any age reads it as UTF-8
    readme = data.decode("utf-8-sig")
    monkeypatch.delenv("SELFEVAL_HOME")
    monkeypatch.setattr(paths.sys, "platform", "win32")
    # the shell's roaming application data folder (CSIDL_APPDATA) is what %APPDATA% names;
    # platformdirs takes it from this variable where there is no Windows shell to ask
    monkeypatch.setenv("WIN_PD_OVERRIDE_APPDATA", "C:\\Users\\clerk\\AppData\\Roaming")
    assert (str(paths.user_data_dir()).replace("/", "\\")
            == "C:\\Users\\clerk\\AppData\\Roaming\\selfeval")
    assert "    %APPDATA%\\selfeval\n" in readme.replace("\r\n", "\n")
    assert "python.org" in readme and "备份" in readme and "卸载" in readme

    make_dist.write_linux_files(tmp_path / "linux", __version__)
    monkeypatch.setattr(paths.sys, "platform", "linux")
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    home_relative = paths.user_data_dir().relative_to(Path.home())
    linux_readme = (tmp_path / "linux" / "说明.txt").read_text(encoding="utf-8")
    assert f"~/{home_relative.as_posix()}" in linux_readme


def test_linux_scripts_parse_and_the_menu_entry_starts_the_windowless_program(tmp_path):
    make_dist.write_linux_files(tmp_path, __version__)
    for name in ("install.sh", "uninstall.sh"):
        assert (tmp_path / name).stat().st_mode & 0o111
        subprocess.run(["sh", "-n", str(tmp_path / name)], check=True)
    entry = (tmp_path / "selfeval.desktop").read_text(encoding="utf-8")
    assert 'Exec="@EXEC@"' in entry and "Terminal=false" in entry
    install = (tmp_path / "install.sh").read_text(encoding="utf-8")
    assert 'sed "s|@EXEC@|$VENV/bin/selfeval-gui|"' in install and "VENV=$PREFIX/venv" in install


def _install_on(tmp_path: Path, arch: str, getconf: str | None) -> subprocess.CompletedProcess[str]:
    """install.sh from a kit, on a machine whose ``uname -m`` and ``getconf GNU_LIBC_VERSION``
    say what is given (None: no getconf) and which has no usable Python."""
    kit = tmp_path / "kit"
    make_dist.write_linux_files(kit, __version__)
    (kit / "wheels").mkdir()
    fake = tmp_path / "bin"
    fake.mkdir()
    scripts = {"uname": f"echo {arch}",
               "getconf": f"echo '{getconf}'" if getconf else "exit 1",
               "ldd": "exit 1"}
    scripts |= dict.fromkeys(("python3", "python3.11", "python3.12", "python3.13"), "exit 1")
    for name, body in scripts.items():
        (fake / name).write_text(f"#!/bin/sh\n{body}\n")
        (fake / name).chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": f"{fake}:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    done = subprocess.run(["sh", str(kit / "install.sh")], env=env, capture_output=True,
                          text=True, check=False)
    assert not (home / ".local").exists()  # nothing installed, nothing half-made
    return done


@pytest.mark.parametrize(("arch", "glibc", "need"), [
    ("aarch64", "glibc 2.38", "2.39"), ("aarch64", "glibc 2.31", "2.39"),
    ("x86_64", "glibc 2.27", "2.28"), ("x86_64", "glibc 2.17", "2.28")])
def test_linux_installer_refuses_an_old_glibc_in_chinese_before_installing(tmp_path, arch,
                                                                            glibc, need):
    done = _install_on(tmp_path, arch, glibc)
    assert done.returncode == 1
    have = glibc.split()[1]
    assert f"安装没有完成：本机（{arch}）的 glibc 是 {have}，本程序需要 glibc {need} 或更新" \
        in done.stderr
    assert "PySide6" in done.stderr
    # the figures are the ones the kit's wheels are chosen for
    assert make_dist.GLIBC_MAX[arch] == int(need.split(".")[1])


@pytest.mark.parametrize(("arch", "glibc"), [
    ("aarch64", "glibc 2.39"), ("aarch64", "glibc 2.40"), ("x86_64", "glibc 2.28"),
    ("x86_64", "glibc 2.36"), ("x86_64", "glibc 3.0"), ("x86_64", None)])
def test_linux_installer_goes_on_with_a_new_enough_glibc(tmp_path, arch, glibc):
    done = _install_on(tmp_path, arch, glibc)
    # past the check: it stops only because this machine has no Python
    assert "本机没有 Python 3.11、3.12 或 3.13" in done.stderr, done.stderr
    assert "本程序需要 glibc" not in done.stderr
    assert ("无法确定本机的 glibc 版本" in done.stderr) == (glibc is None)


@pytest.mark.parametrize("arch", ["loongarch64", "mips64", "i686"])
def test_linux_installer_names_an_architecture_it_does_not_serve(tmp_path, arch):
    done = _install_on(tmp_path, arch, "glibc 2.36")
    assert done.returncode == 1
    assert f"本安装包只适用于 x86_64 和 aarch64（ARM64）的电脑，本机是 {arch}" in done.stderr


def test_linux_readme_says_what_glibc_each_architecture_needs(tmp_path):
    make_dist.write_linux_files(tmp_path, __version__)
    readme = (tmp_path / "说明.txt").read_text(encoding="utf-8")
    assert "x86_64（Intel、AMD、兆芯、海光等）：glibc 2.28 或更新" in readme
    assert "aarch64（ARM64，如飞腾、鲲鹏）：glibc 2.39 或更新" in readme
    assert "PySide6" in readme and "ldd --version" in readme


def test_shortcut_script_survives_any_code_page_and_quotes(tmp_path):
    folder = r"C:\Users\O'Brien 张\AppData\Local\Programs\selfeval"
    script = shortcuts.create_script(folder)
    command = shortcuts.powershell_command(script)
    assert command[:4] == ["powershell.exe", "-NoProfile", "-NonInteractive", "-EncodedCommand"]
    assert command[4].isascii()
    assert base64.b64decode(command[4]).decode("utf-16-le") == script
    assert "'C:\\Users\\O''Brien 张\\AppData\\Local\\Programs\\selfeval\\venv\\Scripts\\selfeval-gui.exe'" in script
    assert "GetFolderPath('Desktop')" in script and "GetFolderPath('Programs')" in script
    assert "部门整体支出绩效自评.lnk" in script and "卸载.bat" in script
    assert shortcuts.main(["bogus"]) == 2


@pytest.mark.parametrize("arch", ["x86_64", "aarch64"])
def test_linux_platform_tags_cover_every_manylinux_level_down_to_the_oldest(arch):
    tags = make_dist.linux_platforms(arch)
    assert tags[0] == f"manylinux_2_{make_dist.GLIBC_MAX[arch]}_{arch}"
    assert f"manylinux2014_{arch}" in tags and f"manylinux_2_17_{arch}" in tags
    assert len(tags) == len(set(tags))


def test_archives_keep_chinese_names_and_the_install_script_executable(tmp_path):
    import tarfile
    import zipfile

    kit = tmp_path / "selfeval-9.9.9-windows-x64-offline"
    make_dist.write_windows_files(kit, "9.9.9")
    (kit / "wheels").mkdir()
    (kit / "wheels" / "a-1.0-py3-none-any.whl").write_bytes(b"PK" * 100)
    with zipfile.ZipFile(make_dist.zip_folder(kit)) as zf:
        infos = {i.filename: i for i in zf.infolist()}
        assert zf.read(f"{kit.name}/安装.bat") == (kit / "安装.bat").read_bytes()
    assert infos[f"{kit.name}/安装.bat"].flag_bits & 0x800  # UTF-8 names: Explorer shows 安装
    assert infos[f"{kit.name}/wheels/a-1.0-py3-none-any.whl"].compress_type == zipfile.ZIP_STORED

    linux = tmp_path / "selfeval-9.9.9-linux-offline"
    make_dist.write_linux_files(linux, "9.9.9")
    with tarfile.open(make_dist.tar_folder(linux)) as tf:
        assert tf.getmember(f"{linux.name}/install.sh").mode & 0o111
        assert f"{linux.name}/说明.txt" in tf.getnames()


_EXAMPLES = 200


@settings(max_examples=cases(_EXAMPLES), deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
               | st.sampled_from("'\u2018\u2019\u201a\u201b张"), min_size=1, max_size=60))
def test_any_folder_name_reaches_powershell_unchanged(folder):
    """A single-quoted PowerShell literal holds any text once its quotes are doubled."""
    literal = shortcuts.quote(folder)
    assert literal[0] == literal[-1] == "'"
    body = re.fullmatch(r"'((?:[^'\u2018-\u201b]|''|\u2018\u2018|\u2019\u2019|\u201a\u201a|"
                        r"\u201b\u201b)*)'", literal, flags=re.DOTALL)
    assert body is not None
    assert re.sub(r"(['\u2018-\u201b])\1", r"\1", body.group(1)) == folder
    script = shortcuts.create_script(folder)
    encoded = shortcuts.powershell_command(script)[-1]
    assert base64.b64decode(encoded).decode("utf-16-le") == script
    assert shortcuts.quote(folder + r"\venv\Scripts\selfeval-gui.exe") in script
