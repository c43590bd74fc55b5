"""Writers on hostile sizes: each case in its own process, time and peak memory.

The Word writer with one text of 20,000 lines, every text at 20,000 lines, 10,000
leaves and 20,000 project and task rows; the PDF with a 400,000-letter word without
spaces.  Each must finish within 5 s and 500 MB (``linear_cases.py`` builds them).
"""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache

from common import ROOT, Measure, bench_env
from linear_cases import CASES

SCRIPT = ROOT / "tests" / "bench" / "linear_cases.py"


@cache
def _run(case: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, str(SCRIPT), case], env=bench_env(),
                         capture_output=True, text=True, check=True, timeout=600)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def benchmarks() -> list[Measure]:
    items = []
    for case in CASES:
        items.append(Measure(f"{case}: writer time", lambda c=case: _run(c)["seconds"], "s",
                             target=5.0))
        items.append(Measure(f"{case}: peak memory", lambda c=case: _run(c)["peak_mb"], "MB",
                             target=500.0))
    return items
