"""The bureau's review: ``selfeval review`` of 300 submissions, time and peak memory.

The folder holds 300 exported workbooks (baiyun-2023 under 300 department names, with
figures varied so scores and flags differ; every tenth one has leaves added, as a
department-defined block would) plus a package, a damaged file and a foreign workbook.
Peak memory is the largest sum of resident memory over the process and its workers,
sampled every 20 ms from /proc.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from common import OUT, ROOT, Command, Measure, bench_env, selfeval

from exports.excel import workbook_bytes
from forms.package import package_from_dict

FOLDER = OUT / "review-300"
COUNT = 300
TARGET_S = 30.0
TARGET_MB = 1024.0


def _variant(base: dict[str, Any], i: int) -> dict[str, Any]:
    raw = copy.deepcopy(base)
    raw["department"]["name"] = f"白云区第{i:03d}单位"
    total = raw["budget"]["total"]
    executed = 27247.94 * (0.40 + (i % 60) / 100)
    total["executed"] = f"{executed:.2f}"
    if i % 7 == 0:
        raw["goals"]["unmet_reason"] = ""
    if i % 10 == 0:  # the department-defined block as 20 leaves of 1.5 points
        block = raw["system"]["indicators"][0]["children"][0]
        for leaf in block["children"]:
            raw["values"].pop(leaf["id"], None)
        block["children"] = [{"id": f"own{j}", "name": f"个性指标{j}", "weight": "1.5",
                              "rule": {"type": "manual"}} for j in range(20)]
        raw["values"].update({f"own{j}": {"score": "1.5" if j % 3 else "1"} for j in range(20)})
    return raw


def prepare() -> None:
    if FOLDER.is_dir() and len(list(FOLDER.glob("*.xlsx"))) >= COUNT + 2:
        return
    FOLDER.mkdir(parents=True, exist_ok=True)
    base = json.loads((ROOT / "tests" / "data" / "baiyun-2023.json").read_text(encoding="utf-8"))
    for i in range(COUNT):
        data = workbook_bytes(package_from_dict(_variant(base, i)))
        (FOLDER / f"{i:03d}.xlsx").write_bytes(data)
    (FOLDER / "damaged.xlsx").write_bytes(data[:3000])
    (FOLDER / "foreign.xlsx").write_bytes((ROOT / "tests" / "data" / "baiyun-2023.json")
                                          .read_bytes())
    (FOLDER / "package.json").write_bytes((ROOT / "forms" / "samples" / "suigang-2022.json")
                                          .read_bytes())


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        parents[int(entry)] = int(fields.get("PPid", "0").strip() or 0)
        rss[int(entry)] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024 \
            if "VmRSS" in fields else 0
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += rss.get(pid, 0)
        stack.extend(child for child, parent in parents.items() if parent == pid)
    return total


def peak_memory_mb() -> float:
    prepare()
    process = subprocess.Popen(selfeval("review", str(FOLDER), "-o", str(OUT / "review.xlsx")),
                               env=bench_env(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    peak = 0
    while process.poll() is None:
        peak = max(peak, _tree_rss(process.pid))
        time.sleep(0.02)
    return peak / (1024 * 1024)


def benchmarks() -> list[Command | Measure]:
    return [
        Command(f"selfeval review {COUNT} workbooks -o summary.xlsx (whole process)",
                selfeval("review", str(FOLDER), "-o", str(OUT / "review.xlsx")),
                target_s=TARGET_S, runs=3, warmup=0, prepare=prepare),
        Measure(f"selfeval review {COUNT} workbooks: peak memory, process and workers",
                peak_memory_mb, "MB", TARGET_MB),
    ]
