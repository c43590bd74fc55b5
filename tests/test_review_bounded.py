"""The review stays bounded whatever a department sends: a workbook full of elements
nobody reads, a shared-strings part of millions of strings, and thousands of copies of one
department's submission (the duplicates are found by department and year, and each message
names a few of the others, so the work and the summary grow linearly)."""

from __future__ import annotations

import dataclasses
import io
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from exports.excel import workbook_bytes
from exports.xlsx_guard import Limits, SpreadsheetRefused, check_xlsx
from forms.package import read_package
from forms.review import DUPLICATE, Submission, finish, review_submission

from hostile_corpus import review_bombs, shared_strings_bomb, unknown_element_bomb

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "forms" / "samples" / "suigang-2022.json"
sys.path.insert(0, str(ROOT / "tests" / "bench"))
SECONDS = 5.0
MEGABYTES = 500

# The child notes its own peak (VmHWM), as tests/test_hostile_files.py measures commands.
_LAUNCH = ("import atexit, os, runpy, sys\n"
           "def note():\n"
           "    with open('/proc/self/status') as f, open(os.environ['PEAK_FILE'], 'w') as out:\n"
           "        out.write(next(l for l in f if l.startswith('VmHWM')).split()[1])\n"
           "atexit.register(note)\n"
           "sys.argv = ['selfeval', *sys.argv[1:]]\n"
           "runpy.run_module('desktop.cli', run_name='__main__')\n")


def _review(*paths: Path) -> tuple[int, str, float, float]:
    """(exit code, stdout, seconds, peak MB) of ``selfeval review`` in its own process."""
    with tempfile.TemporaryDirectory() as folder:
        peak_file = Path(folder) / "peak"
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _LAUNCH, "review", *map(str, paths)],
                              cwd=ROOT, check=False, capture_output=True, timeout=300,
                              env={**os.environ, "PEAK_FILE": str(peak_file)})
        seconds = time.perf_counter() - started
        peak = int(peak_file.read_text()) / 1024 if peak_file.exists() else float("inf")
        return done.returncode, done.stdout.decode("utf-8", "replace"), seconds, peak


@pytest.fixture(scope="module")
def base() -> bytes:
    return workbook_bytes(read_package(SAMPLE.read_bytes()))


@pytest.mark.slow  # each bomb is unpacked in a process of its own: seconds each
@pytest.mark.parametrize("name", ["unknown-element-bomb", "shared-strings-bomb"])
def test_a_bomb_is_listed_as_unread_in_bounded_time_and_memory(base, name, tmp_path):
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(review_bombs(base)[name])
    good = tmp_path / "穗港.xlsx"
    good.write_bytes(base)
    code, out, seconds, peak = _review(path, good)
    print(f"{name}: {path.stat().st_size / 1e6:.1f} MB file, {seconds:.2f} s, {peak:.0f} MB")
    assert code == 0, out
    assert out.startswith("共 1 份自评，1 个文件未能读取"), out
    assert f"未读取：{path}：" in out and "拒绝读取" in out, out
    assert seconds < SECONDS and peak < MEGABYTES, (seconds, peak)


@pytest.mark.slow  # two 45 MB parts made and unpacked: seconds
def test_the_budgets_refuse_the_bombs_and_pass_ours(base):
    for name, data in review_bombs(base).items():
        assert len(data) < 20 * 1024 * 1024  # under the size limit: only the budgets stop it
        with zipfile.ZipFile(io.BytesIO(data)) as zf:  # and no member looks like a zip bomb
            assert all(i.file_size <= 200 * i.compress_size for i in zf.infolist()), name
        with pytest.raises(SpreadsheetRefused, match="异常之多"):
            check_xlsx(data)
    # just over and just under each budget
    with pytest.raises(SpreadsheetRefused, match="元素异常之多"):
        check_xlsx(unknown_element_bomb(base, 1), Limits(tags=200_000))
    check_xlsx(unknown_element_bomb(base, 1), Limits(tags=300_000))
    with pytest.raises(SpreadsheetRefused, match="共享字符串异常之多"):
        check_xlsx(shared_strings_bomb(base, 1), Limits(shared_strings=50_000))
    check_xlsx(shared_strings_bomb(base, 1), Limits(shared_strings=60_000))
    # a workbook of ours for 1,000 indicators is far inside both
    from synthetic import synthetic_evaluation

    check_xlsx(workbook_bytes(synthetic_evaluation(1000)), Limits(tags=100_000))


def test_three_thousand_copies_of_one_department_are_found_in_linear_time():
    evaluation = read_package(SAMPLE.read_bytes())
    row = review_submission(Submission("报来的/0000.json", evaluation), None)
    count = 3000
    rows = [dataclasses.replace(row, submission=Submission(f"报来的/{i:04d}.json", evaluation))
            for i in range(count)]
    started = time.perf_counter()
    review = finish(rows, [])
    took = time.perf_counter() - started
    print(f"{count} copies: duplicates found in {took * 1000:.0f} ms")
    assert took < 1.0
    messages = [f.message for r in review.rows for f in r.flags if f.kind == DUPLICATE]
    assert len(messages) == count
    assert max(len(m) for m in messages) < 300
    first = next(r for r in review.rows if r.submission.path == "报来的/0000.json")
    message = next(f.message for f in first.flags if f.kind == DUPLICATE)
    assert message == ("广州开发区穗港科技合作园管理委员会 2022 年度共报送 3000 份，另见："
                       + "；".join(f"报来的/{i:04d}.json" for i in range(1, 6))
                       + " 等（另有 2994 份未列出）")
    sixth = next(r for r in review.rows if r.submission.path == "报来的/0006.json")
    assert next(f.message for f in sixth.flags if f.kind == DUPLICATE).endswith(
        "另见：" + "；".join(f"报来的/{i:04d}.json" for i in range(5)) + " 等（另有 2994 份未列出）")



def test_the_summary_asks_each_row_a_bounded_number_of_times(monkeypatch):
    """The summary's per-leaf sheet compared each row's year with the review's, which was
    counted again over every row each time: 3,000 rows took 105 s."""
    from exports.review_workbook import summary_bytes
    from forms.review import ReviewRow

    evaluation = read_package(SAMPLE.read_bytes())
    row = review_submission(Submission("0.json", evaluation), None)
    count = 300
    review = finish([dataclasses.replace(row, submission=Submission(f"{i}.json", evaluation))
                     for i in range(count)], [])
    asked = 0
    year = ReviewRow.year

    def counted(self: ReviewRow) -> int:
        nonlocal asked
        asked += 1
        return year.fget(self)  # type: ignore[attr-defined, no-any-return]

    monkeypatch.setattr(ReviewRow, "year", property(counted))
    summary_bytes(review, None)
    assert asked < 20 * count, asked
