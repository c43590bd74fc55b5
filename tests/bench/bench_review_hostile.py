"""The review against what a hostile department could send: each under 5 s and 500 MB.

* a workbook of ours with millions of elements nobody reads (4.7 MB; openpyxl kept them
  all: 40 s and 1 GB before the element budget of exports/xlsx_guard.py);
* a workbook with a shared-strings part of 2.5 million strings (83 s before);
* 3,000 copies of one department's submission: the duplicates are found by department and
  year and each message names five others (3.0 s for the messages alone before, and the
  summary's per-leaf sheet counted the review's year once per row: 105 s).  Reading and
  scoring 3,000 files is per file (about 5 ms each), so the whole review is given with its
  peak memory (target 500 MB), the 5 s target is for finding and naming the duplicates,
  and the summary workbook's time is shown beside it.
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys
import time

from bench_review import _tree_rss
from common import OUT, ROOT, Command, InProcess, Measure, bench_env, selfeval

sys.path.insert(0, str(ROOT / "tests"))

FOLDER = OUT / "review-hostile"
COPIES = OUT / "review-3000-copies"
COUNT = 3000
TARGET_S = 5.0
TARGET_MB = 500.0
SAMPLE = ROOT / "forms" / "samples" / "suigang-2022.json"


def _base() -> bytes:
    from exports.excel import workbook_bytes
    from forms.package import read_package

    return workbook_bytes(read_package(SAMPLE.read_bytes()))


def prepare_bombs() -> None:
    from hostile_corpus import review_bombs

    if all((FOLDER / f"{name}.xlsx").is_file()
           for name in ("unknown-element-bomb", "shared-strings-bomb")):
        return
    FOLDER.mkdir(parents=True, exist_ok=True)
    for name, data in review_bombs(_base()).items():
        (FOLDER / f"{name}.xlsx").write_bytes(data)


def prepare_copies() -> None:
    if COPIES.is_dir() and len(list(COPIES.glob("*.json"))) == COUNT:
        return
    COPIES.mkdir(parents=True, exist_ok=True)
    for i in range(COUNT):
        shutil.copyfile(SAMPLE, COPIES / f"{i:04d}.json")


def _peak_mb(*args: str) -> float:
    """Peak resident memory of a whole ``selfeval`` process and its workers."""
    process = subprocess.Popen(selfeval(*args), env=bench_env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.02)
    return peak / (1024 * 1024)


def _bomb(name: str) -> list[Command | InProcess | Measure]:
    path = str(FOLDER / f"{name}.xlsx")

    # beside one good submission: a review that read something exits 0 (one with nothing
    # readable exits 2, which the timing would take for a failure)
    def peak() -> float:
        prepare_bombs()
        return _peak_mb("review", path, str(SAMPLE))

    return [Command(f"selfeval review {name} (whole process)", selfeval("review", path, str(SAMPLE)),
                    target_s=TARGET_S, runs=3, warmup=0, prepare=prepare_bombs),
            Measure(f"selfeval review {name}: peak memory", peak, "MB", TARGET_MB)]


_copies: list[object] = []


def _copies_read() -> None:
    """3,000 reviewed rows of one department, read once (the copies share one result)."""
    if _copies:
        return
    from forms.package import read_package
    from forms.review import Submission, review_submission

    evaluation = read_package(SAMPLE.read_bytes())
    row = review_submission(Submission("0000.json", evaluation), None)
    _copies.extend(dataclasses.replace(row, submission=Submission(f"{i:04d}.json", evaluation))
                   for i in range(COUNT))


def _duplicates() -> None:
    from forms.review import finish

    finish(_copies, [])  # type: ignore[arg-type]


def _summary() -> None:
    from exports.review_workbook import summary_bytes
    from forms.review import finish

    summary_bytes(finish(_copies, []), None)  # type: ignore[arg-type]


def _copies_peak() -> float:
    prepare_copies()
    return _peak_mb("review", str(COPIES), "-o", str(OUT / "review-3000.xlsx"))


def benchmarks() -> list[Command | InProcess | Measure]:
    return [
        *_bomb("unknown-element-bomb"),
        *_bomb("shared-strings-bomb"),
        InProcess(f"{COUNT} copies of one department: duplicates found and named",
                  _duplicates, target_ms=TARGET_S * 1000, repeat=3, setup=_copies_read),
        # linear now (114,000 styled cells, a per-leaf sheet of 3,000 columns); openpyxl's
        # cost per cell sets its time, which is shown without a target
        InProcess(f"{COUNT} copies of one department: duplicates + summary workbook",
                  _summary, repeat=1, setup=_copies_read),
        Command(f"selfeval review {COUNT} copies of one department (whole process)",
                selfeval("review", str(COPIES)), target_s=TARGET_S, runs=3, warmup=0,
                prepare=prepare_copies),
        Command(f"selfeval review {COUNT} copies of one department -o summary.xlsx "
                "(whole process)", selfeval("review", str(COPIES), "-o",
                                            str(OUT / "review-3000.xlsx")),
                runs=1, warmup=0, prepare=prepare_copies),
        Measure(f"selfeval review {COUNT} copies of one department: peak memory, process "
                "and workers", _copies_peak, "MB", TARGET_MB),
    ]
