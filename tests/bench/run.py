"""``make bench``: every benchmark of tests/bench/bench_*.py, medians against targets.

Whole-process figures use hyperfine (median of several runs, a warm-up first);
in-process figures use ``time.perf_counter``.  Exit status 1 when a target is missed.
"""

from __future__ import annotations

import importlib.util
import json
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

from common import OUT, Command, InProcess, Measure, bench_env  # noqa: E402


def _load(path: Path) -> list[Command | InProcess | Measure]:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.benchmarks())


def _hyperfine(commands: list[Command]) -> list[float]:
    first = commands[0]
    out = OUT / "hyperfine.json"
    argv = ["hyperfine", "--style", "none", "--warmup", str(first.warmup), "--runs",
            str(first.runs), "--export-json", str(out), "-N"]
    for c in commands:
        argv += ["-n", c.name, subprocess.list2cmdline(c.argv)]
    subprocess.run(argv, check=True, env=bench_env(first.env), stdout=subprocess.DEVNULL)
    results = json.loads(out.read_text())["results"]
    return [float(r["median"]) for r in results]


def _timeit(item: InProcess) -> float:
    if item.setup:
        item.setup()
    item.func()  # warm-up
    times = []
    for _ in range(item.repeat):
        start = time.perf_counter()
        item.func()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    OUT.mkdir(exist_ok=True)
    if shutil.which("hyperfine") is None:
        print("hyperfine is missing: apt-get install hyperfine", file=sys.stderr)
        return 2
    rows: list[tuple[str, str, str, str]] = []
    missed = 0
    printed = 0
    only = sys.argv[1:]  # e.g. ``run.py review``: only the bench files whose name holds it
    for path in sorted(HERE.glob("bench_*.py")):
        if only and not any(word in path.stem for word in only):
            continue
        for item in _load(path):
            if isinstance(item, Measure):
                value = item.func()
                ok = item.target is None or value <= item.target
                target = f"≤ {item.target:g} {item.unit}" if item.target else ""
                rows.append((item.name, f"{value:.1f} {item.unit}", target,
                             "ok" if ok else "MISSED"))
            elif isinstance(item, InProcess):
                ms = _timeit(item)
                ok = item.target_ms is None or ms <= item.target_ms
                target = f"≤ {item.target_ms:g} ms" if item.target_ms else ""
                rows.append((item.name, f"{ms:.3f} ms", target, "ok" if ok else "MISSED"))
            else:
                if item.prepare:
                    item.prepare()
                commands = [item] + ([item.baseline] if item.baseline else [])
                medians = _hyperfine(commands)
                ok = item.target_s is None or medians[0] <= item.target_s
                target = f"≤ {item.target_s:g} s" if item.target_s else ""
                rows.append((item.name, f"{medians[0]:.3f} s", target, "ok" if ok else "MISSED"))
                if item.baseline:
                    ratio = medians[1] / medians[0]
                    rok = item.min_ratio is None or ratio >= item.min_ratio
                    ok = ok and rok
                    rows.append((f"  baseline: {item.baseline.name}", f"{medians[1]:.3f} s",
                                 f"ratio {ratio:.1f}× (target ≥ {item.min_ratio or 0:g}×)",
                                 "ok" if rok else "MISSED"))
            missed += 0 if ok else 1
            for row in rows[printed:]:
                print(f"{row[0]:<60} {row[1]:>12}  {row[2]:<28} {row[3]}", flush=True)
            printed = len(rows)
    print(f"\n{len(rows)} figures, {missed} targets missed")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
