"""Install the program from the Windows kit (started by 安装.bat with the kit's own Python).

    python\\python.exe -I -X utf8 tools\\install.py [--no-shortcuts]

The kit carries the official embeddable CPython (``python\\``) and the program's wheels
for it (``wheels\\``); ``tools\\manifest.txt`` lists every file of both with its size and
SHA-256.  Nothing of an earlier install is touched until the new one works:

1. the kit is checked against the manifest (a missing or damaged file stops here);
2. the program is put together in ``%LOCALAPPDATA%\\Programs\\selfeval.new``: a copy of the
   kit's Python whose ``Lib\\site-packages`` holds the unpacked wheels (a wheel is a zip
   archive; pip is not needed), and the launchers;
3. the new copy must start and report its version;
4. only then the old folder is moved aside, the new one takes its name, and the old one is
   deleted (if the program is running, Windows refuses the move and the old install stays).

The data folder (``%APPDATA%\\selfeval``) is never touched.  Only the standard library is
used; every message is Chinese and one line.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

TITLE = "部门整体支出绩效自评"
MANIFEST = "manifest.txt"
# The GUI launcher: the shortcut starts pythonw.exe (no console) with this script.
GUI_SCRIPT = "from desktop.cli import main_gui\nraise SystemExit(main_gui())\n"
# The command line: selfeval.cmd in the program folder.  -I: no PYTHON* variables and no
# user site-packages of a Python the PC may also have.
CLI_SCRIPT = '@"%~dp0python\\python.exe" -I -X utf8 -m desktop.cli %*\r\n'


class Stop(Exception):
    """A one-line Chinese message: installing cannot go on."""


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_manifest(kit: Path, version: str) -> Path:
    """At build time (make_dist.py): every file of python/ and wheels/, with size and hash."""
    lines = [f"# selfeval {version}"]
    for folder in ("python", "wheels"):
        for path in sorted((kit / folder).rglob("*")):
            if path.is_file():
                relative = path.relative_to(kit).as_posix()
                lines.append(f"{sha256(path)} {path.stat().st_size} {relative}")
    lines.append(f"# end {len(lines) - 1}")  # a manifest cut short is told from a whole one
    out = kit / "tools" / MANIFEST
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def read_manifest(kit: Path) -> tuple[str, list[tuple[str, int, str]]]:
    path = kit / "tools" / MANIFEST
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise Stop(f"安装包不完整：读不到 tools\\{MANIFEST}（{exc.__class__.__name__}）。") from exc
    lines = text.splitlines()
    if (len(lines) < 2 or not lines[0].startswith("# selfeval ")
            or lines[-1] != f"# end {len(lines) - 2}"):
        raise Stop(f"安装包不完整：tools\\{MANIFEST} 已损坏。请重新解压完整的安装包。")
    version = lines[0].removeprefix("# selfeval ").strip()
    entries = []
    for line in lines[1:-1]:
        digest, size, relative = (line.split(" ", 2) + ["", ""])[:3]
        if len(digest) != 64 or not size.isdigit() or not relative or ".." in relative.split("/"):
            raise Stop(f"安装包不完整：tools\\{MANIFEST} 已损坏。请重新解压完整的安装包。")
        entries.append((digest, int(size), relative))
    return version, entries


def check_kit(kit: Path) -> tuple[str, list[str]]:
    """The kit's version and its wheels, once every listed file is there and intact."""
    version, entries = read_manifest(kit)
    if not any(rel.startswith("python/") for _, _, rel in entries) or not any(
            rel.startswith("wheels/") for _, _, rel in entries):
        raise Stop(f"安装包不完整：tools\\{MANIFEST} 没有列出 Python 或程序文件。")
    for digest, size, relative in entries:
        path = kit / relative
        shown = relative.replace("/", "\\")
        if not path.is_file():
            raise Stop(f"安装包不完整：缺少 {shown}。请重新解压完整的安装包。")
        if path.stat().st_size != size or sha256(path) != digest:
            raise Stop(f"安装包已损坏：{shown} 与原文件不同。请重新复制并解压安装包。")
    wheels = [rel for _, _, rel in entries if rel.startswith("wheels/") and rel.endswith(".whl")]
    return version, wheels


def unpack_wheel(wheel: Path, site: Path) -> None:
    """A wheel's files into site-packages; its .data/purelib and platlib there too."""
    with zipfile.ZipFile(wheel) as archive:
        for info in archive.infolist():
            name = info.filename
            top, _, rest = name.partition("/")
            if top.endswith(".data"):
                kind, _, inner = rest.partition("/")
                if kind not in ("purelib", "platlib") or not inner:
                    continue  # scripts, headers, data: the program needs none of them
                info.filename = inner
            archive.extract(info, site)


def build(kit: Path, wheels: list[str], folder: Path) -> None:
    # copy, not copy2: Python 3.13's copy2 calls CopyFile2, which Wine lacks
    shutil.copytree(kit / "python", folder / "python", copy_function=shutil.copy)
    site = folder / "python" / "Lib" / "site-packages"
    site.mkdir(parents=True, exist_ok=True)
    for relative in wheels:
        unpack_wheel(kit / relative, site)
    (folder / "selfeval-gui.pyw").write_text(GUI_SCRIPT, encoding="utf-8")
    (folder / "selfeval.cmd").write_bytes(CLI_SCRIPT.encode("ascii"))
    for source, name in (("卸载.bat", "卸载.bat"), ("tools/shortcuts.py", "shortcuts.py"),
                         ("tools/selfeval.ico", "selfeval.ico")):
        shutil.copyfile(kit / source, folder / name)


def started_version(folder: Path) -> str:
    """What the new install says about itself (it must start to say anything)."""
    python = folder / "python" / "python.exe"
    try:
        done = subprocess.run([str(python), "-I", "-X", "utf8", "-m", "desktop.cli", "--version"],
                              capture_output=True, stdin=subprocess.DEVNULL, timeout=300,
                              check=False)
    except (OSError, subprocess.SubprocessError) as exc:
        raise Stop(f"新安装的程序无法启动（{exc}）；原有的安装没有改动。") from exc
    out = done.stdout.decode("utf-8", "replace").strip()
    if done.returncode != 0:
        err = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise Stop(f"新安装的程序无法启动（{err[-1] if err else done.returncode}）；"
                   "原有的安装没有改动。")
    return out


def remove(folder: Path) -> bool:
    shutil.rmtree(folder, ignore_errors=True)
    return not folder.exists()


def switch(new: Path, target: Path) -> bool:
    """The new folder takes the target's name; False if the old one could not be deleted."""
    old = target.with_name(target.name + ".old")
    if old.exists() and not remove(old):
        old = target.with_name(f"{target.name}.old-{os.getpid()}")
    if target.exists():
        try:
            target.rename(old)
        except OSError as exc:
            raise Stop(f"原有的程序文件正被占用（{exc.strerror}）。请先关闭“{TITLE}”，"
                       "再运行一次“安装.bat”；原有的安装没有改动。") from exc
    try:
        new.rename(target)
    except OSError as exc:
        if old.exists():
            old.rename(target)
        raise Stop(f"无法启用新安装的程序（{exc.strerror}）；原有的安装没有改动。") from exc
    return not old.exists() or remove(old)


def install(kit: Path, local: Path, shortcuts: bool) -> str:
    version, wheels = check_kit(kit)
    programs = local / "Programs"
    target = programs / "selfeval"
    new = programs / "selfeval.new"
    print(f"程序将安装到：{target}")
    try:
        programs.mkdir(parents=True, exist_ok=True)
        if new.exists() and not remove(new):
            raise Stop(f"无法清理上次未完成的安装：{new}。请重启电脑后再安装。")
        print("正在安装程序及其依赖（离线，约需一两分钟）……")
        build(kit, wheels, new)
    except OSError as exc:
        remove(new)
        raise Stop(f"无法写入 {exc.filename or programs}（{exc.strerror}）；原有的安装没有改动。"
                   ) from exc
    except zipfile.BadZipFile as exc:
        remove(new)
        raise Stop(f"安装包中的程序文件无法解开（{exc}）；原有的安装没有改动。") from exc
    except Stop:
        remove(new)
        raise
    try:
        said = started_version(new)
        if said != f"selfeval {version}":
            raise Stop(f"新安装的程序没有正确启动（它报告“{said}”）；原有的安装没有改动。")
        if not switch(new, target):
            print(f"旧版本的文件夹没有删干净，可以稍后手动删除：{target}.old")
    except Stop:
        remove(new)
        raise
    if shortcuts:
        print("正在创建桌面快捷方式和“开始”菜单项……")
        done = subprocess.run([str(target / "python" / "python.exe"), "-I", "-X", "utf8",
                               str(target / "shortcuts.py"), "create", str(target)],
                              stdin=subprocess.DEVNULL, check=False)
        if done.returncode != 0:
            print(f"快捷方式没有建好。可以直接运行：{target}\\selfeval-gui.pyw")
    return said


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    kit = Path(__file__).resolve().parent.parent
    local = os.environ.get("LOCALAPPDATA")
    try:
        if not local:
            raise Stop("找不到当前用户的程序文件夹（环境变量 LOCALAPPDATA 没有设置）。")
        said = install(kit, Path(local), shortcuts="--no-shortcuts" not in args)
    except Stop as stop:
        print(str(stop))
        return 1
    print(said)
    if "--no-shortcuts" in args:
        print("安装完成。")
    else:
        print(f"安装完成。桌面和“开始”菜单中已有“{TITLE}”。")
    print("填写的数据保存在 %APPDATA%\\selfeval（卸载或重新安装都不会删除）。")
    return 0


if __name__ == "__main__":
    sys.exit(main())
