"""What ships with a release: the version, the windowless entry, 关于, the kits' scripts."""

from __future__ import annotations

import base64
import re
import subprocess
import tarfile
import os
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
    assert opened == [os.path.abspath("某.db")]  # absolute: one file wherever started from
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
    # the kit's own Python runs the installer: no Python of the PC's is looked for
    assert '"%~dp0python\\python.exe" -I -X utf8 "%~dp0tools\\install.py"' in install
    assert "py -3" not in install and "venv" not in install
    assert 'create", str(target)' in (tmp_path / "tools" / "install.py").read_text("utf-8")
    assert (tmp_path / "tools" / "shortcuts.py").is_file()


def test_windows_scripts_use_the_users_folders_only_inside_quotes(tmp_path):
    """cmd parses & | ^ ( ) and % in an unquoted expansion (and again after call): a user folder
    named 张&三 or 100%  must only ever appear between double quotes or as a FOR variable."""
    make_dist.write_windows_files(tmp_path, __version__)
    for name in ("安装.bat", "卸载.bat"):
        for line in (tmp_path / name).read_bytes().decode("gbk").split("\r\n"):
            bare = re.sub(r'"[^"]*"', "", line.replace("%%", ""))
            for variable in ("%~dp0", "%TARGET%", "%KIT%", "%LOCALAPPDATA%", "%APPDATA%"):
                assert variable not in bare, (name, line)
            assert not re.match(r"\s*call\s+(?!:)", line, flags=re.IGNORECASE), (name, line)


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
    assert "备份" in readme and "卸载" in readme
    assert "python.org" not in readme and "自带" in readme  # nothing else to fetch

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
    assert "\nExec=@EXEC@\n" in entry and "Terminal=false" in entry
    install = (tmp_path / "install.sh").read_text(encoding="utf-8")
    assert '"$KIT/tools/desktop_entry.py" "$KIT/selfeval.desktop" "$PREFIX/selfeval-gui"' \
        in install and "VENV=$PREFIX/venv" in install
    assert "sed \"s|" not in install and "--clear" not in install


def _desktop_exec_argument(value: str) -> str:
    """What a desktop reads from ``Exec=<value>`` holding one quoted argument (the Desktop Entry
    Specification: string escapes first, then %% and the quoting rule)."""
    string = re.sub(r"\\([\\nts r])", lambda m: {"n": "\n", "t": "\t", "r": "\r", "s": " "}
                    .get(m.group(1), m.group(1)), value)
    assert string.startswith('"') and string.endswith('"') and len(string) >= 2
    inner = string[1:-1]
    assert not re.search(r"(?<!%)%(?!%)", inner.replace("%%", ""))  # no field code
    inner = inner.replace("%%", "%")
    out, i = [], 0
    while i < len(inner):
        if inner[i] == "\\":
            assert inner[i + 1] in '"`$\\', inner
            out.append(inner[i + 1])
            i += 2
        else:
            assert inner[i] not in '"`$', inner  # reserved characters are escaped
            out.append(inner[i])
            i += 1
    return "".join(out)


@settings(max_examples=cases(300), deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00/"),
               min_size=1, max_size=40))
def test_the_menu_entry_names_the_program_whatever_the_home_folder_is_called(name):
    sys.path.insert(0, str(ROOT / "packaging" / "linux"))
    import desktop_entry

    program = f"/home/{name}/.local/opt/selfeval/venv/bin/selfeval-gui"
    value = desktop_entry.exec_argument(program)
    assert "\n" not in value and "\r" not in value
    assert _desktop_exec_argument(value) == program


def test_the_menu_entry_of_a_hostile_home_folder(tmp_path):
    home = "/home/张 三|&%h%!^'\"(1);$x`\\"
    template = tmp_path / "t.desktop"
    template.write_text("[Desktop Entry]\nExec=@EXEC@\n", encoding="utf-8")
    done = subprocess.run([sys.executable, str(ROOT / "packaging" / "linux" / "desktop_entry.py"),
                           str(template), home + "/venv/bin/selfeval-gui", str(tmp_path / "o")],
                          check=False)
    assert done.returncode == 0
    assert (tmp_path / "o").read_text(encoding="utf-8") == (
        "[Desktop Entry]\nExec=\"/home/张 三|&%%h%%!^'\\\\\"(1);\\\\$x\\\\`\\\\\\\\"
        "/venv/bin/selfeval-gui\"\n")


def _install_on(tmp_path: Path, arch: str, getconf: str | None, damage: str | None = None,
                python3: str = "exit 1", os_release: str = "",
                own_python: dict[str, str] | None = None,
                python313: str = "exit 1") -> subprocess.CompletedProcess[str]:
    """install.sh from a kit, on a machine whose ``uname -m`` and ``getconf GNU_LIBC_VERSION``
    say what is given (None: no getconf) and which has no usable Python (``python3`` and
    ``python3.13`` are shell bodies).  ``own_python`` maps an architecture to the body of
    the ``bin/python3.13`` in the kit's python/cpython-…-linux-<arch>.tar.gz."""
    kit = tmp_path / "kit"
    make_dist.write_linux_files(kit, __version__)
    (kit / "wheels").mkdir()
    (kit / "wheels" / "selfeval-1.0-py3-none-any.whl").write_bytes(b"PK wheel")
    for own_arch, body in (own_python or {}).items():
        (kit / "python").mkdir(exist_ok=True)
        exe = tmp_path / "own" / own_arch / "python" / "bin" / "python3.13"
        exe.parent.mkdir(parents=True)
        exe.write_text(f"#!/bin/sh\n{body}\n")
        exe.chmod(0o755)
        with tarfile.open(kit / "python" / f"cpython-3.13.5-linux-{own_arch}.tar.gz", "w:gz") as tf:
            tf.add(exe.parent.parent, arcname="python")
    make_dist.write_checksums(kit)
    if damage == "missing":
        (kit / "wheels" / "selfeval-1.0-py3-none-any.whl").unlink()
    elif damage == "damaged":
        (kit / "wheels" / "selfeval-1.0-py3-none-any.whl").write_bytes(b"PK whee!")
    fake = tmp_path / "bin"
    fake.mkdir()
    scripts = {"uname": f"echo {arch}",
               "getconf": f"echo '{getconf}'" if getconf else "exit 1",
               "ldd": "exit 1"}
    scripts |= dict.fromkeys(("python3.11", "python3.12"), "exit 1")
    scripts["python3"] = python3
    scripts["python3.13"] = python313
    for name, body in scripts.items():
        (fake / name).write_text(f"#!/bin/sh\n{body}\n")
        (fake / name).chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": f"{fake}:/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8"}
    if os_release:
        (tmp_path / "os-release").write_text(os_release, encoding="utf-8")
        env["SELFEVAL_OS_RELEASE"] = str(tmp_path / "os-release")
    done = subprocess.run(["sh", str(kit / "install.sh")], env=env, capture_output=True,
                          text=True, check=False)
    # nothing installed, nothing half-made
    assert not (home / ".local" / "opt" / "selfeval").exists()
    assert own_python or not (home / ".local").exists()
    return done


# A kit Python that runs: it answers the kit's check with its own path, and fails the next
# step (the venv), so that the test sees which interpreter was chosen and what is left behind.
RUNS = 'case "$1" in *check_python.py) echo "$0" ;; *) echo "venv: no" >&2; exit 1 ;; esac'


@pytest.mark.parametrize("arch", ["x86_64", "aarch64"])
def test_linux_installer_uses_the_python_the_kit_brings(tmp_path, arch):
    """银河麒麟/UOS have Python 3.8/3.7: the kit's own CPython for the machine's architecture
    is unpacked into the install folder and used, even where a system Python 3.13 would do."""
    other = "aarch64" if arch == "x86_64" else "x86_64"
    done = _install_on(tmp_path, arch, "glibc 2.31",
                       own_python={arch: RUNS, other: "echo wrong architecture; exit 1"},
                       python313='echo /usr/bin/python3.13')
    prefix = tmp_path / "home" / ".local" / "opt" / "selfeval"
    chosen = done.stdout.split("使用的 Python：", 1)[1].splitlines()[0]
    assert chosen.startswith(f"{prefix}/python-") and chosen.endswith("/bin/python3.13")
    # the venv step failed: the unpacked Python went with it
    assert done.stderr.strip().endswith(
        "安装没有完成：无法建立程序环境（python3 -m venv）。原有的安装没有改动。"), done.stderr


def test_linux_installer_says_when_the_kit_python_cannot_run_here(tmp_path):
    done = _install_on(tmp_path, "x86_64", "glibc 2.28",
                       own_python={"x86_64": "echo 'cannot execute binary file' >&2; exit 126"})
    assert done.returncode == 1
    assert done.stderr.strip().endswith(
        "安装没有完成：安装包自带的 Python 在本机无法运行（见上面的信息）。原有的安装没有改动。")


def test_linux_installer_without_a_python_for_this_architecture_asks_for_one(tmp_path):
    done = _install_on(tmp_path, "aarch64", "glibc 2.31", own_python={"x86_64": RUNS})
    assert done.returncode == 1
    assert "）没有 Python 3，本程序需要 Python 3.11、3.12 或 3.13（64 位），本安装包不带 Python" \
        in done.stderr


def test_a_damaged_kit_python_is_named_before_anything_is_touched(tmp_path, monkeypatch):
    kit = tmp_path / "kit"
    make_dist.write_linux_files(kit, __version__)
    (kit / "wheels").mkdir()
    (kit / "wheels" / "selfeval-1.0-py3-none-any.whl").write_bytes(b"PK wheel")
    monkeypatch.setenv("SELFEVAL_DIST_CACHE", str(tmp_path / "cache"))
    built = make_dist.linux_python("x86_64")
    built.parent.mkdir(parents=True)
    built.write_bytes(b"\x1f\x8b python")
    assert make_dist.put_linux_pythons(kit) == ["aarch64"]
    sums = make_dist.write_checksums(kit).read_text(encoding="utf-8")
    assert f"  python/{built.name}\n" in sums
    (kit / "python" / built.name).write_bytes(b"\x1f\x8b pythoN")
    done = subprocess.run(["sh", str(kit / "install.sh")], capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path / "home")},
                          check=False)
    assert done.returncode == 1
    assert done.stderr.startswith(f"安装没有完成：安装包已损坏：python/{built.name} 与原文件不同")
    assert not (tmp_path / "home").exists()


@pytest.mark.parametrize(("os_release", "python", "system"), [
    ('NAME="UOS"\nPRETTY_NAME="UnionTech OS Desktop 20 Pro"\n', "3.7",
     "UnionTech OS Desktop 20 Pro"),
    ('NAME="Kylin"\nVERSION="V10 (SP1)"\n', "3.8", "Kylin")])
def test_linux_installer_names_the_system_and_its_old_python(tmp_path, os_release, python,
                                                             system):
    """A domestic desktop's own Python is too old: one sentence names the system, its Python
    and what is needed, before anything is installed."""
    fake = f'case "$1" in -c) echo {python} ;; *) exit 1 ;; esac'
    done = _install_on(tmp_path, "x86_64", "glibc 2.31", python3=fake, os_release=os_release)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        f"安装没有完成：本机（{system}）只有 Python {python}，本程序需要 Python 3.11、3.12 或 "
        "3.13（64 位），本安装包不带 Python；请由管理员安装其中一个版本（或使用 Windows 安装包）"
        "后再运行。")


def test_the_installer_names_the_system_libraries_the_window_lacks(tmp_path):
    sys.path.insert(0, str(ROOT / "packaging" / "linux"))
    import qt_libs

    fake = tmp_path / "ldd"
    fake.write_text("#!/bin/sh\n"
                    "printf '\\tlibxcb-cursor.so.0 => not found\\n\\tlibc.so.6 => /lib/libc.so.6\\n"
                    "\\tlibfoo.so.2 => not found\\n\\tlibxcb-cursor.so.0 => not found\\n'\n")
    fake.chmod(0o755)
    done = subprocess.run([sys.executable, str(ROOT / "packaging" / "linux" / "qt_libs.py")],
                          env={"PATH": f"{tmp_path}:/usr/bin:/bin"}, capture_output=True,
                          text=True, check=False)
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "注意：本机缺少图形界面需要的系统库 libxcb-cursor.so.0（libxcb-cursor0）、libfoo.so.2，"
        "程序窗口打不开；请管理员安装这些软件包（sudo apt install libxcb-cursor0）后再打开程序"
        "（命令行 selfeval 不受影响）。")
    assert qt_libs.missing("\tlibc.so.6 => /lib/libc.so.6\n") == []
    fake.write_text("#!/bin/sh\nprintf '\\tlibc.so.6 => /lib/libc.so.6\\n'\n")
    quiet = subprocess.run([sys.executable, str(ROOT / "packaging" / "linux" / "qt_libs.py")],
                           env={"PATH": f"{tmp_path}:/usr/bin:/bin"}, capture_output=True,
                           text=True, check=False)
    assert (quiet.returncode, quiet.stderr) == (0, "")


@pytest.mark.parametrize("damage", ["missing", "damaged"])
def test_linux_installer_checks_the_kit_before_touching_anything(tmp_path, damage):
    done = _install_on(tmp_path, "x86_64", "glibc 2.36", damage)
    assert done.returncode == 1
    wheel = "wheels/selfeval-1.0-py3-none-any.whl"
    said = {"missing": f"安装没有完成：安装包不完整：缺少 {wheel}，请重新完整解压安装包。",
            "damaged": f"安装没有完成：安装包已损坏：{wheel} 与原文件不同"}[damage]
    assert done.stderr.startswith(said), done.stderr
    assert "原有的安装没有改动。" in done.stderr


@pytest.mark.parametrize(("arch", "glibc", "need"), [
    ("aarch64", "glibc 2.28", "2.31"), ("aarch64", "glibc 2.30", "2.31"),
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
    ("aarch64", "glibc 2.31"), ("aarch64", "glibc 2.39"), ("x86_64", "glibc 2.28"),
    ("x86_64", "glibc 2.36"), ("x86_64", "glibc 3.0"), ("x86_64", None)])
def test_linux_installer_goes_on_with_a_new_enough_glibc(tmp_path, arch, glibc):
    done = _install_on(tmp_path, arch, glibc)
    # past the check: it stops only because this machine has no Python
    assert "）没有 Python 3，本程序需要 Python 3.11、3.12 或 3.13（64 位），本安装包不带 Python" \
        in done.stderr, done.stderr
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
    assert "aarch64（ARM64，如飞腾、鲲鹏）：glibc 2.31 或更新" in readme
    assert "PySide6" in readme and "ldd --version" in readme


def test_shortcut_script_survives_any_code_page_and_quotes(tmp_path):
    folder = r"C:\Users\O'Brien 张\AppData\Local\Programs\selfeval"
    script = shortcuts.create_script(folder)
    command = shortcuts.powershell_command(script)
    assert command[:4] == ["powershell.exe", "-NoProfile", "-NonInteractive", "-EncodedCommand"]
    assert command[4].isascii()
    assert base64.b64decode(command[4]).decode("utf-16-le") == script
    # the kit's own pythonw.exe (no console) starts the launcher script beside it
    assert "'C:\\Users\\O''Brien 张\\AppData\\Local\\Programs\\selfeval\\python\\pythonw.exe'" in script
    assert "'-I \"C:\\Users\\O''Brien 张\\AppData\\Local\\Programs\\selfeval\\selfeval-gui.pyw\"'" in script
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
    assert shortcuts.quote(folder + r"\python\pythonw.exe") in script
    assert shortcuts.quote(f'-I "{folder}\\selfeval-gui.pyw"') in script
