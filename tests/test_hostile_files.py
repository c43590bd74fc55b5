"""Hostile spreadsheets and special files: each refused or read in bounded time and memory.

Every file runs through the real command (``selfeval import`` and ``selfeval
system-import``) in its own process, measured with wait4: exit 0 or 2, one line
on refusal, no traceback, under 5 s and 500 MB.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from exports.excel import workbook_bytes
from tests.hostile_corpus import (plain_workbook, special_paths, spreadsheets, typed_into_total,
                                  typed_values)

ROOT = Path(__file__).resolve().parent.parent
SECONDS = 5.0
MEGABYTES = 500


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, sample_module) -> dict[str, dict[str, Path]]:
    folder = tmp_path_factory.mktemp("hostile")
    out: dict[str, dict[str, Path]] = {}
    for target, base in (("import", workbook_bytes(sample_module)),
                         ("system-import", plain_workbook())):
        files = {}
        variants = spreadsheets(base)
        if target == "import":
            variants.update({name: typed_into_total(base, value)
                             for name, value in typed_values().items()})
        for name, data in variants.items():
            path = folder / f"{target}-{name}.xlsx"
            path.write_bytes(data)
            files[name] = path
        files.update(special_paths(folder))
        out[target] = files
    return out


@pytest.fixture(scope="module")
def sample_module():
    from tests.conftest import SAMPLE
    from forms.package import read_package

    return read_package(SAMPLE.read_bytes())


@pytest.mark.parametrize("command", ["import", "system-import"])
@pytest.mark.slow  # a corpus of hostile files through the command line: seconds each
def test_every_hostile_file_is_refused_or_read_in_bounded_time_and_memory(corpus, command,
                                                                          tmp_path):
    results = []
    for name, path in corpus[command].items():
        out = tmp_path / f"{name}.json"
        code, err, seconds, peak = _measure(command, str(path), "-o", str(out))
        results.append((name, code, seconds, peak, err.strip().splitlines()[-1:]))
        print(f"{command:14} {name:24} exit {code}  {seconds:4.2f} s  {peak:5.0f} MB  {err.strip()[-90:]}")
        assert code in (0, 2), (name, err)
        assert "Traceback" not in err and "Error" not in err, (name, err)
        if code == 2:
            assert len(err.strip().splitlines()) == 1 and err.startswith("selfeval："), (name, err)
            assert not out.exists()
        assert seconds < SECONDS, (name, seconds)
        assert peak < MEGABYTES, (name, peak)
    read = sorted(r[0] for r in results if r[1] == 0)
    # what is read is harmless: a stray far cell or an unused one, entities left unexpanded
    assert set(read) <= {"cell-at-XFD5000", "huge-exponent", "huge-number", "billion-laughs",
                         "dimension-whole-sheet", "typed-tiny"}, read


# The child notes its own peak (VmHWM belongs to the new program; wait4's ru_maxrss would
# count the forked copy of this test process as well).
_LAUNCH = ("import atexit, os, runpy, sys\n"
           "def note():\n"
           "    with open('/proc/self/status') as f, open(os.environ['PEAK_FILE'], 'w') as out:\n"
           "        out.write(next(l for l in f if l.startswith('VmHWM')).split()[1])\n"
           "atexit.register(note)\n"
           "sys.argv = ['selfeval', *sys.argv[1:]]\n"
           "runpy.run_module('desktop.cli', run_name='__main__')\n")


def _measure(*args: str) -> tuple[int, str, float, float]:
    """(exit code, stderr, seconds, peak memory in MB) of one command in its own process."""
    with tempfile.TemporaryDirectory() as folder:
        peak_file = Path(folder) / "peak"
        started = time.perf_counter()
        proc = subprocess.run([sys.executable, "-c", _LAUNCH, *args], cwd=ROOT, check=False,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=60,
                              env={**os.environ, "PEAK_FILE": str(peak_file)})
        seconds = time.perf_counter() - started
        peak = int(peak_file.read_text()) / 1024 if peak_file.exists() else float("inf")
        return proc.returncode, proc.stderr.decode("utf-8", "replace"), seconds, peak
