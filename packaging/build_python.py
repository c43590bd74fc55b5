"""Build the Python the Linux kit brings (``make python-linux``; needs root, debootstrap, network).

    python packaging/build_python.py [--arch x86_64|aarch64 ...] [--root DIR]

银河麒麟 V10 has Python 3.8 and 统信 UOS 20 Python 3.7; the program needs 3.11 or newer.  So
the Linux kit carries CPython itself, built once here inside a Debian 11 (bullseye, glibc
2.31) root made with debootstrap:

* x86_64 natively, aarch64 with Debian's cross compiler (same root, arm64 libraries);
* from CPython's source as Debian's archive keeps it (the ``.orig`` tarball is python.org's,
  checked by its SHA-256 below);
* SQLite compiled in from its amalgamation (npm's sqlite3 package carries the official
  tarball), since Debian 11's libsqlite3 needs glibc 2.29;
* on x86_64, math functions bound to their pre-2.29 glibc versions (linux/glibc_compat.h);
* made movable: the shared libraries it needs beyond glibc (OpenSSL, libffi, zlib,
  bzip2, xz, libuuid) are copied beside it and found through ``$ORIGIN`` search paths;
* checked: no file may need a glibc newer than the kit's floor for its architecture
  (``GLIBC_MAX`` in make_dist.py: 2.28 on x86_64, 2.31 on aarch64), and the interpreter,
  moved elsewhere, must import every module the program uses.

The results go to the dist cache (``~/.cache/selfeval-dist/python/cpython-<v>-linux-<arch>.tar.gz``)
where ``make dist`` finds them.  On a 2-core machine the root takes about a minute (its arm64 cross
packages two more), x86_64 about 3 minutes and aarch64 about 4.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from make_dist import GLIBC_MAX, LINUX_PYTHON, cache_dir, linux_python

VERSION = LINUX_PYTHON
SOURCE_URL = ("http://deb.debian.org/debian/pool/main/p/python3.13/"
              f"python3.13_{VERSION}.orig.tar.xz")
SOURCE_SHA256 = "93e583f243454e6e9e4588ca2c2662206ad961659863277afcdb96801647d640"
# SQLite's amalgamation as the npm package sqlite3 carries it (deps/sqlite-autoconf-*.tar.gz,
# public domain), checked by the SHA-256 of that inner tarball
SQLITE_URL = "https://registry.npmjs.org/sqlite3/-/sqlite3-6.0.1.tgz"
SQLITE_MEMBER = "package/deps/sqlite-autoconf-3520000.tar.gz"
SQLITE_SHA256 = "f6b50b0c103392af32a8be15b2b9d25959de9a00a70c3979128aafeaa5338b3f"
BUILD_PACKAGES = ("build-essential", "pkg-config", "xz-utils", "libssl-dev", "zlib1g-dev",
                  "libbz2-dev", "liblzma-dev", "libffi-dev", "libsqlite3-dev", "uuid-dev")
TRIPLET = {"x86_64": "x86_64-linux-gnu", "aarch64": "aarch64-linux-gnu"}
# glibc's own libraries: every system has them, and they must come from the system
SYSTEM_LIBS = re.compile(r"^(libc|libm|libpthread|libdl|librt|libutil|libcrypt|libgcc_s|"
                         r"ld-linux[-\w]*)\.so")
# What the program and pip need from the standard library's compiled modules
MODULES = ("sqlite3", "ctypes", "ssl", "hashlib", "zlib", "bz2", "lzma", "uuid", "decimal",
           "pyexpat", "json", "multiprocessing.synchronize", "venv", "zipfile")
# Left out of the kit: tests, IDLE, Tk, headers and the static library (nothing embeds it)
PRUNE = ("lib/python3.13/test", "lib/python3.13/idlelib", "lib/python3.13/tkinter",
         "lib/python3.13/turtledemo", "include", "share", "lib/libpython3.13.a",
         "lib/python3.13/config-3.13-{triplet}/libpython3.13.a",
         "lib/python3.13/config-3.13-{triplet}/python.o")


def run(command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    print("+", " ".join(command), flush=True)
    return subprocess.run(command, check=True, text=True, **kwargs)  # type: ignore[call-overload, no-any-return]


def inside(root: Path, *command: str, capture: bool = False) -> str:
    env = {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8", "HOME": "/root",
           "DEBIAN_FRONTEND": "noninteractive"}
    done = subprocess.run(["chroot", str(root), *command], env=env, text=True, check=True,
                          capture_output=capture)
    return done.stdout if capture else ""


def _cached(name: str, url: str, sha256: str, member: str | None = None) -> Path:
    """``name`` in the dist cache: downloaded from ``url`` (or ``member`` of the tarball
    there) when missing, and checked against ``sha256`` every time."""
    folder = cache_dir().parent / "python"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if not path.is_file():
        with urllib.request.urlopen(url, timeout=120) as response:
            data = response.read()
        if member is not None:
            with tarfile.open(fileobj=io.BytesIO(data)) as tar:
                handle = tar.extractfile(member)
                if handle is None:
                    raise SystemExit(f"{url} has no {member}")
                data = handle.read()
        path.with_suffix(".part").write_bytes(data)
        path.with_suffix(".part").replace(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != sha256:
        path.unlink()
        raise SystemExit(f"{member or url}: SHA-256 {digest}, expected {sha256}")
    return path


def source() -> Path:
    return _cached(f"Python-{VERSION}.tar.xz", SOURCE_URL, SOURCE_SHA256)


def sqlite_source() -> Path:
    return _cached(Path(SQLITE_MEMBER).name, SQLITE_URL, SQLITE_SHA256, SQLITE_MEMBER)


def make_root(root: Path, arches: list[str]) -> None:
    if not (root / "usr/bin/gcc").exists():
        run(["debootstrap", "--variant=minbase", "--include=" + ",".join(BUILD_PACKAGES),
             "bullseye", str(root)], stdout=subprocess.DEVNULL)
    if "aarch64" in arches and not (root / "usr/bin/aarch64-linux-gnu-gcc").exists():
        inside(root, "dpkg", "--add-architecture", "arm64")
        inside(root, "apt-get", "update", "-qq")
        arm = [p + ":arm64" for p in BUILD_PACKAGES if p.endswith("-dev")]
        inside(root, "apt-get", "install", "-y", "-qq", "--no-install-recommends",
               "crossbuild-essential-arm64", *arm)


def elf_files(folder: Path) -> list[Path]:
    """Programs and shared libraries (ELF type 2 or 3; not object files)."""
    found = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as f:
                head = f.read(18)
            if head[:4] == b"\x7fELF" and head[16] in (2, 3):
                found.append(path)
    return found


def needed(root: Path, path: Path) -> list[str]:
    out = inside(root, "readelf", "-d", "/" + str(path.relative_to(root)), capture=True)
    return re.findall(r"\(NEEDED\)\s+Shared library: \[([^\]]+)\]", out)


def glibc_versions(root: Path, path: Path) -> set[tuple[int, int]]:
    out = inside(root, "readelf", "-V", "-W", "/" + str(path.relative_to(root)), capture=True)
    return {(int(a), int(b)) for a, b in re.findall(r"Name: GLIBC_(\d+)\.(\d+)", out)}


def bundle(root: Path, python: Path, arch: str) -> list[str]:
    """Copy the non-glibc libraries the ELF files need into python/lib and point every ELF
    file's search path at them; returns the names copied."""
    lib = python / "lib"
    search = [root / "usr/lib" / TRIPLET[arch], root / "lib" / TRIPLET[arch]]
    copied: list[str] = []
    todo = elf_files(python)
    while todo:
        path = todo.pop()
        for name in needed(root, path):
            if SYSTEM_LIBS.match(name) or (lib / name).exists():
                continue
            found = next((d / name for d in search if (d / name).exists()), None)
            if found is None:
                raise SystemExit(f"{path.name} needs {name}, which the root does not have")
            shutil.copyfile(found.resolve(), lib / name)
            copied.append(name)
            todo.append(lib / name)
    for path in elf_files(python):
        rel = os.path.relpath(lib, path.parent)
        rpath = "$ORIGIN" if rel == "." else "$ORIGIN/" + rel
        run(["patchelf", "--set-rpath", rpath, str(path)])
    return copied


def check_glibc(root: Path, python: Path, arch: str) -> tuple[int, int]:
    newest = max(v for p in elf_files(python) for v in glibc_versions(root, p))
    if newest > (2, GLIBC_MAX[arch]):
        worst = [p.name for p in elf_files(python)
                 if max(glibc_versions(root, p), default=(0, 0)) == newest]
        raise SystemExit(f"{arch}: {', '.join(worst)} need glibc {newest[0]}.{newest[1]}, "
                         f"the kit promises 2.{GLIBC_MAX[arch]}")
    return newest


def check_moved(root: Path, python: Path) -> str:
    """The interpreter moved to another folder imports what the program needs."""
    moved = root / "tmp" / "moved python"
    shutil.rmtree(moved, ignore_errors=True)
    shutil.copytree(python, moved, symlinks=True)
    code = (f"import sys, {', '.join(MODULES)}; "
            "import multiprocessing as mp; mp.get_context('spawn').Lock(); "  # the review's pool
            "print(sys.version.split()[0], sys.prefix, ssl.OPENSSL_VERSION, "
            "sqlite3.sqlite_version)")
    # inside the root without its system libraries' help: LD_LIBRARY_PATH is cleared and the
    # build packages' libraries would be found anyway, so the search path is also checked
    out = inside(root, "/tmp/moved python/bin/python3.13", "-I", "-c", code, capture=True)
    shutil.rmtree(moved)
    if "/tmp/moved python" not in out:
        raise SystemExit(f"the moved interpreter did not find its own library: {out}")
    return out.strip()


def build(root: Path, arch: str, src: Path) -> Path:
    started = time.monotonic()
    for name in ("build_python.sh", "glibc_compat.h"):
        shutil.copyfile(HERE / "linux" / name, root / "tmp" / name)
    shutil.copyfile(src, root / "tmp/cpython.tar.xz")
    shutil.copyfile(sqlite_source(), root / "tmp/sqlite.tar.gz")
    out = root / "out" / arch
    reuse = "REUSE=" + os.environ.get("REUSE", "0")
    inside(root, "env", reuse, "sh", "/tmp/build_python.sh", arch, "/tmp/cpython.tar.xz",
           "/tmp/sqlite.tar.gz", f"/out/{arch}")
    python = out / "python"
    triplet = TRIPLET[arch]
    for rel in PRUNE:
        target = python / rel.format(triplet=triplet)
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    for cache in list(python.rglob("__pycache__")):
        shutil.rmtree(cache)
    for name in ("idle3", "idle3.13", "pydoc3", "pydoc3.13", "python3-config",
                 "python3.13-config"):
        (python / "bin" / name).unlink(missing_ok=True)
    strip = "strip" if arch == "x86_64" else f"{triplet}-strip"
    for path in elf_files(python):
        inside(root, strip, "--strip-unneeded", "/" + str(path.relative_to(root)))
    copied = bundle(root, python, arch)
    newest = check_glibc(root, python, arch)
    if arch == "x86_64":  # the cross build's build Python
        shutil.rmtree(root / "opt/build-python", ignore_errors=True)
        shutil.copytree(python, root / "opt/build-python", symlinks=True)
    said = check_moved(root, python)
    target = linux_python(arch)
    part = target.with_suffix(".part")
    with tarfile.open(part, "w:gz") as tar:
        tar.add(python, arcname="python")
    part.replace(target)
    size = sum(p.lstat().st_size for p in python.rglob("*") if p.is_file()) / 1e6
    print(f"{arch}: {said}; bundled {', '.join(sorted(copied))}; needs glibc "
          f"{newest[0]}.{newest[1]}; {size:.0f} MB unpacked, "
          f"{target.stat().st_size / 1e6:.1f} MB packed; {time.monotonic() - started:.0f} s "
          f"-> {target}")
    return target


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arch", action="append", choices=sorted(TRIPLET))
    parser.add_argument("--root", type=Path, default=HERE.parent / "build" / "python-root")
    args = parser.parse_args(argv)
    arches = args.arch or ["x86_64", "aarch64"]
    if "aarch64" in arches and "x86_64" not in arches \
            and not (args.root / "opt/build-python/bin/python3.13").exists():
        arches.insert(0, "x86_64")  # the cross build runs the x86_64 one
    started = time.monotonic()
    src = source()
    make_root(args.root, arches)
    proc, shm = args.root / "proc", args.root / "dev" / "shm"
    shm.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "proc", "proc", str(proc)], check=False)
    subprocess.run(["mount", "-t", "tmpfs", "shm", str(shm)], check=False)
    try:
        for arch in sorted(arches, key=lambda a: a != "x86_64"):
            build(args.root, arch, src)
    finally:
        subprocess.run(["umount", str(shm)], check=False)
        subprocess.run(["umount", str(proc)], check=False)
    print(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
