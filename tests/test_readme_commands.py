"""Every command README.md and packaging/README.md show works, as written, in a fresh clone.

The commands are read from the two READMEs (their code blocks, and inline ``make …`` /
``selfeval …`` spans), not copied here: a line someone changes or adds is the line that runs.
Inline spans count when they are
``make TARGET`` or a ``selfeval`` with an option (a bare ``selfeval review`` in a sentence
names a line of the table).  One clone of the committed HEAD and one virtual environment (made by the Makefile, with pip's
own cache) serve every command of the module.  ``make run`` is bounded by the program's
self-check (``SELFEVAL_SMOKE``), which exports through the toolbar and quits; ``make bench``
must print its table (its targets are for people, not for CI); ``make dist`` and
``make frozen`` must exit 0 (the latter after its own smoke test).  Each ``selfeval …`` line is
run in a scratch folder on the shipped sample, its placeholders (PACKAGE.json, YEAR, …)
filled by ``PLACEHOLDERS`` below; a placeholder the mapping does not know fails the test with
what to add, so a command added later is never skipped in silence.  Every command's time is
printed (``pytest -s``) and collected in ``TIMES``.
"""

from __future__ import annotations

import itertools
import os
import re
import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "packaging"))
import smoke_frozen  # noqa: E402 (from packaging/, not a package)

pytestmark = pytest.mark.slow

READMES = ("README.md", "packaging/README.md")
SAMPLE = "forms/samples/suigang-2022.json"
TIMES: list[tuple[str, float, int]] = []

# ``make`` targets the READMEs may name: how each is checked, or why it is not run here.
MAKE_RUN = {"run", "bench", "dist", "frozen"}
MAKE_NOT_RUN = {
    "test": "it is what CI runs (.ci/run); this test is part of it",
    "check": "the part of `make test` without the slow tests, which CI runs in full",
    "bench-recogniser": "one part of `make bench`, which this test runs",
    "proof-bullseye": "needs root and debootstrap to build Debian 11 roots (arm64 under qemu); "
                      "a check for the Linux kit, run by hand",
    "python-linux": "builds CPython from source in a Debian 11 root (root, debootstrap, about "
                    "7 minutes on 2 cores); make dist uses its result when present",
    "test-qt-versions": "installs each PySide6 version a kit pins into a side environment and "
                        "runs the desktop tests on it; run by hand before changing a pin",
}

# Words that announce an output after them: the placeholder names a file to be written.
OUTPUT_FLAGS = {"-o", "--output", "--xlsx", "--pdf", "--docx", "--save-mapping"}


# ---------------------------------------------------------------- reading the READMEs

@dataclass(frozen=True)
class Shown:
    readme: str
    line: str  # the command exactly as the README shows it (comment removed)


def _code_blocks(text: str) -> Iterator[tuple[str, list[str]]]:
    """(language, lines) of each fenced block."""
    lang, lines, inside = "", [], False
    for raw in text.splitlines():
        if raw.startswith("```"):
            if inside:
                yield lang, lines
                inside = False
            else:
                lang, lines, inside = raw[3:].strip(), [], True
        elif inside:
            lines.append(raw)


def _windows_block(lines: list[str]) -> bool:
    """A block written for cmd.exe on the Windows build machine (not runnable here)."""
    return any("\\" in line for line in lines)


def shown_commands() -> tuple[list[Shown], list[Shown]]:
    """(commands to run, Windows-only lines) in the order the READMEs show them."""
    found: list[Shown] = []
    windows: list[Shown] = []
    for name in READMES:
        text = (ROOT / name).read_text(encoding="utf-8")
        for lang, lines in _code_blocks(text):
            if lang not in ("", "sh", "bash", "console", "shell"):
                continue
            if _windows_block(lines):
                windows += [Shown(name, ln.strip()) for ln in lines if ln.strip()]
                continue
            for ln in lines:
                command, _, comment = ln.partition("#")
                if command.strip():
                    found.append(Shown(name, " ".join(command.split())))
                # a command given in the comment: "(also: selfeval gui [--db PATH])"
                for more in re.findall(r"\b((?:selfeval|make)\b[^)#;]*)", comment):
                    found.append(Shown(name, " ".join(more.split())))
        for span in re.findall(r"`([^`\n]+)`", re.sub(r"```.*?```", "", text, flags=re.S)):
            # `make X` is a command; `selfeval review` in a sentence names a line of the table,
            # `selfeval --version` (with an option) is a command of its own
            if re.match(r"make \S+$", span) or re.match(r"selfeval( \S+)* -", span):
                found.append(Shown(name, " ".join(span.split())))
    unique: dict[str, Shown] = {}
    for shown in found:
        unique.setdefault(shown.line, shown)
    return list(unique.values()), windows


def _expand(line: str) -> list[str]:
    """The forms of a usage line: without its optional [..] parts and with all of them, each
    ``A|B`` alternative once."""
    forms = {re.sub(r"\s*\[[^\]]*\]", "", line), re.sub(r"\[([^\]]*)\]", r"\1", line)}
    out: list[str] = []
    for form in sorted(forms, key=len):
        tokens = form.split()
        choices = [t.split("|") if "|" in t else [t] for t in tokens]
        for combo in itertools.product(*choices):
            out.append(" ".join(combo))
    return list(dict.fromkeys(out))


PLACEHOLDER = re.compile(r"^[A-Z][A-Z0-9_]*(\.[a-z]+)?(\.\.\.)?$")


# ---------------------------------------------------------------- the fresh clone

def _env(home: Path, clone: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "SELFEVAL_QUIT_AFTER_SHOW", "SELFEVAL_SMOKE",
                        "PYTHONHOME", "MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    # the clone's own venv first on PATH, as a clerk who activated it (or installed) has it
    path = [p for p in env.get("PATH", "").split(os.pathsep)
            if p and Path(p).resolve() != Path(sys.executable).parent.resolve()]
    env["PATH"] = os.pathsep.join([str(clone / ".venv" / "bin"), *path])
    env |= {"SELFEVAL_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", **extra}
    return env


def run_timed(label: str, argv: list[str], cwd: Path, env: dict[str, str],
              timeout: float) -> subprocess.CompletedProcess[str]:
    """Run ``argv``, killing its whole process group when it outlives ``timeout``."""
    started = time.monotonic()
    with subprocess.Popen(argv, cwd=cwd, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, start_new_session=True) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            pytest.fail(f"`{label}` did not finish within {timeout:.0f} s:\n{out[-2000:]}\n"
                        f"{err[-2000:]}")
    took = time.monotonic() - started
    TIMES.append((label, took, proc.returncode))
    print(f"\n{took:8.1f} s  exit {proc.returncode}  {label}", flush=True)
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Iterator[Path]:
    """A fresh clone of the committed HEAD with its .venv, made as the Makefile makes it."""
    where = tmp_path_factory.mktemp("fresh") / "selfeval"
    home = where.parent / "home"
    env = _env(home, where)
    done = run_timed("git clone", ["git", "clone", "--quiet", str(ROOT), str(where)],
                     where.parent, env, 300)
    assert done.returncode == 0, done.stderr
    done = run_timed("make .venv/.installed", ["make", ".venv/.installed"], where, env, 1200)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    yield where
    print("\ncommands run from a fresh clone, with their times:")
    for label, took, code in TIMES:
        print(f"{took:8.1f} s  exit {code}  {label}")


# ---------------------------------------------------------------- placeholders

@dataclass
class Scratch:
    """A folder a ``selfeval …`` line runs in (its working directory)."""

    folder: Path
    clone: Path
    made: dict[str, bytes]  # prepared inputs, shared by every line
    home: Path | None = None  # the line's data folder (SELFEVAL_HOME)

    def library(self) -> str:
        """The line's library (its default database), holding the sample and one snapshot:
        what ``--db PATH``, ``SNAPSHOT`` and ``--evaluation ID`` name."""
        from forms import backups
        from forms.package import read_package
        from forms.storage import Library

        assert self.home is not None
        db = self.home / "selfeval.db"
        if not db.exists():
            self.home.mkdir(parents=True, exist_ok=True)
            library = Library(db)
            try:
                library.add(read_package(self.made["package"]))
                backups.snapshot(library, "manual")
            finally:
                library.close()
        return str(db)

    def snapshot(self) -> str:
        from forms import backups

        db = Path(self.library())
        return backups.listing(db)[0].id

    def put(self, name: str, key: str) -> str:
        (self.folder / name).write_bytes(self.made[key])
        return name

    def submissions(self, name: str) -> str:
        folder = self.folder / name
        folder.mkdir(exist_ok=True)
        (folder / "甲.xlsx").write_bytes(self.made["workbook"])
        (folder / "乙.json").write_bytes(self.made["package"])
        return name


Fill = Callable[[Scratch, str], str]

# What each placeholder of the README's command table becomes.  Keys: the placeholder, or
# "subcommand PLACEHOLDER" where one subcommand needs another file under the same name.
# Outputs (after -o, --pdf, …) are left as written: a file of that name in the scratch folder.
PLACEHOLDERS: dict[str, Fill] = {
    "PACKAGE.json": lambda s, p: s.put(p, "package"),
    "WORKBOOK.xlsx": lambda s, p: s.put(p, "workbook"),
    "system-import WORKBOOK.xlsx": lambda s, p: s.put(p, "notice"),
    "SYSTEM.json": lambda s, p: s.put(p, "system"),
    "FILE": lambda s, p: s.put("体系.json", "system"),
    "ID": lambda s, p: "national-common",
    "NAME": lambda s, p: "广州开发区某某局",
    "YEAR": lambda s, p: "2023",
    "PATH...": lambda s, p: s.submissions("报来的"),
    "PATH": lambda s, p: s.library(),
    "SNAPSHOT": lambda s, p: s.snapshot(),
    "restore ID": lambda s, p: (s.library(), "1")[1],
    "TEMPLATE.xlsx": lambda s, p: s.put(p, "template"),
    "EXPORT.xlsx": lambda s, p: s.put(p, "budget_export"),
    "LAYOUT": lambda s, p: "province-department",
}


@dataclass
class Filled:
    argv: list[str]
    outputs: list[Path]


def fill(line: str, scratch: Scratch) -> Filled:
    tokens = shlex.split(line)
    argv: list[str] = []
    outputs: list[Path] = []
    sub = next((t for t in tokens[1:] if not t.startswith("-")), "")
    for i, token in enumerate(tokens):
        if not PLACEHOLDER.match(token):
            argv.append(token)
            continue
        if i and tokens[i - 1] in OUTPUT_FLAGS:
            argv.append(token)
            outputs.append(scratch.folder / token)
            continue
        how = PLACEHOLDERS.get(f"{sub} {token}") or PLACEHOLDERS.get(token)
        if how is None:
            pytest.fail(f"README line `{line}`: no value for the placeholder {token!r}; add it "
                        f"to PLACEHOLDERS in {Path(__file__).name} (what a clerk would give)")
        argv.append(how(scratch, token))
    return Filled(argv, outputs)


@pytest.fixture(scope="module")
def made(clone, tmp_path_factory) -> dict[str, bytes]:
    """The inputs the lines are given: the sample, its workbook, a system, a notice's table,
    a bureau's template and a budget system's export."""
    import budget_exports
    import template_shapes
    from test_system_workbook import notice_workbook

    work = tmp_path_factory.mktemp("inputs")
    sample = clone / SAMPLE
    done = subprocess.run([str(clone / ".venv" / "bin" / "selfeval"), "export", str(sample),
                           "--xlsx", str(work / "w.xlsx")], env=_env(work / "home", clone),
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    return {"package": sample.read_bytes(), "workbook": (work / "w.xlsx").read_bytes(),
            "system": (clone / "forms" / "systems" / "national-common.json").read_bytes(),
            "notice": notice_workbook(), "template": template_shapes.merged_headers(),
            "budget_export": budget_exports.by_source_in_yuan()}


# ---------------------------------------------------------------- the tests

SHOWN, WINDOWS = shown_commands()
MAKE_LINES = [s for s in SHOWN if s.line.startswith("make")]
SELFEVAL_LINES = [s for s in SHOWN if s.line.startswith("selfeval")]


def test_the_readmes_show_the_commands_this_test_runs():
    targets = {s.line.split()[1] for s in MAKE_LINES}
    assert targets >= MAKE_RUN, f"the READMEs no longer show {MAKE_RUN - targets}"
    unknown = targets - MAKE_RUN - set(MAKE_NOT_RUN)
    assert not unknown, (f"the READMEs show `make {' '.join(sorted(unknown))}`: add the target to "
                         f"MAKE_RUN (with a check) or MAKE_NOT_RUN (with why) in "
                         f"{Path(__file__).name}")
    subcommands = {s.line.split()[1] for s in SELFEVAL_LINES if len(s.line.split()) > 1}
    assert {"score", "export", "import", "review", "new", "systems"} <= subcommands
    assert any(s.line.startswith("pyinstaller") or "pyinstaller" in s.line for s in WINDOWS)
    print("\nWindows build machine only, not run here:\n" + "\n".join(s.line for s in WINDOWS))


def test_a_placeholder_the_mapping_does_not_know_fails(tmp_path):
    scratch = Scratch(tmp_path, tmp_path, {})
    with pytest.raises(pytest.fail.Exception, match=r"placeholder 'KIT\.zip'"):
        fill("selfeval unpack KIT.zip -o PACKAGE.json", scratch)
    assert fill("selfeval export PACKAGE.json --pdf OUT.pdf",
                Scratch(tmp_path, tmp_path, {"package": b"{}"})).argv == \
        ["selfeval", "export", "PACKAGE.json", "--pdf", "OUT.pdf"]
    assert _expand("selfeval review PATH... [-o S.xlsx] [--system ID|FILE]") == [
        "selfeval review PATH...", "selfeval review PATH... -o S.xlsx --system ID",
        "selfeval review PATH... -o S.xlsx --system FILE"]


def test_make_run_opens_the_window_and_its_self_check_passes(clone, tmp_path):
    out = tmp_path / "smoke"
    done = run_timed("make run (SELFEVAL_SMOKE self-check, offscreen)", ["make", "run"], clone,
                     _env(tmp_path / "home", clone, SELFEVAL_SMOKE=str(out)), 600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    for line in smoke_frozen.check_gui_smoke(out):
        print("ok  " + line)


def test_make_bench_prints_its_table(clone, tmp_path):
    done = run_timed("make bench", ["make", "bench"], clone, _env(tmp_path / "home", clone),
                     3600)
    # a missed target (run.py exits 1, make then 2) is for people to read, on a machine
    # meant for measuring; the table must be there in full, and nothing may have crashed
    said = done.stdout[-3000:] + done.stderr[-3000:]
    summary = re.search(r"^(\d+) figures, (\d+) targets missed$", done.stdout, re.M)
    assert summary and int(summary.group(1)) > 0, said
    assert done.returncode == (2 if int(summary.group(2)) else 0), said
    assert "Traceback" not in done.stderr, said
    print(done.stdout)


def test_make_dist_builds_both_kits(clone, tmp_path):
    done = run_timed("make dist", ["make", "dist"], clone, _env(tmp_path / "home", clone), 3600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    kits = sorted(p.name for p in (clone / "dist").iterdir())
    assert any(k.endswith("-windows-x64-offline.zip") for k in kits), kits
    assert any(k.endswith("-linux-offline.tar.gz") for k in kits), kits


def test_make_frozen_builds_and_passes_its_smoke_test(clone, tmp_path):
    done = run_timed("make frozen", ["make", "frozen"], clone, _env(tmp_path / "home", clone),
                     3600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "frozen build dist/selfeval: " in done.stdout, done.stdout
    print(done.stdout)


def _check_outputs(line: str, filled: Filled, done: subprocess.CompletedProcess[str]) -> None:
    for path in filled.outputs:
        assert path.is_file() and path.stat().st_size > 0, f"`{line}` did not write {path.name}"
        head = path.read_bytes()[:4]
        if path.suffix in (".xlsx", ".docx"):
            assert head == b"PK\x03\x04", f"{path.name} is not a zip"
        elif path.suffix == ".pdf":
            assert head == b"%PDF", f"{path.name} is not a PDF"
    words = shlex.split(line)
    if words[1:2] == ["score"]:
        assert "92.58" in done.stdout, done.stdout
    if words[1:2] == ["review"] and "--json" not in words:
        assert done.stdout.startswith("共 2 份自评，0 个文件未能读取"), done.stdout


@pytest.mark.parametrize("shown", SELFEVAL_LINES, ids=lambda s: s.line)
def test_each_selfeval_line_runs_as_written(shown, clone, made, tmp_path):
    for n, line in enumerate(_expand(shown.line)):
        folder = tmp_path / f"form{n}"
        folder.mkdir()
        home = tmp_path / f"home{n}"
        scratch = Scratch(folder, clone, made, home)
        if line.split()[1:2] in (["backups"], ["restore"]):
            scratch.library()  # the clerk's library, with a snapshot, is there to list
        filled = fill(line, scratch)
        gui = filled.argv == ["selfeval"] or filled.argv[1:2] == ["gui"]
        env = _env(home, clone, **({"SELFEVAL_QUIT_AFTER_SHOW": "1"} if gui else {}))
        done = run_timed(f"{line}   [{shlex.join(filled.argv)}]", filled.argv, folder, env, 600)
        assert done.returncode == 0, f"`{line}` exited {done.returncode}:\n{done.stderr}"
        _check_outputs(line, filled, done)
        if gui:  # the first start put the sample into the library it opened
            db = home / "selfeval.db"
            assert db.is_file(), f"`{line}` left no library at {db}"
