"""One large case of a writer, timed in its own process: ``python linear_cases.py CASE``.

Prints ``{"seconds": …, "peak_mb": …}``: the writer's time and the process's peak
resident memory (imports and the input included), so each case is measured alone.
The cases are the texts and tables a hostile or careless clerk can make: one
narrative of 20,000 lines, every text field at 20,000 lines, 10,000 leaves,
20,000 project and task rows, and a 400,000-character word without spaces.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parents[1]))

from synthetic import synthetic_evaluation  # noqa: E402

from forms.model import NARRATIVE_FIELDS, Evaluation, Project, Task  # noqa: E402


def _lines(n: int) -> str:
    return "\n".join(f"第{i}行，按计划完成各项工作任务，资金使用规范。" for i in range(n))


def evaluation(case: str) -> Evaluation:
    if case == "docx-leaves-10000":
        return synthetic_evaluation(10000)
    base = synthetic_evaluation(50)
    if case == "docx-one-text-20000":
        return replace(base, narrative={**base.narrative, "achievements": _lines(20000)})
    if case == "docx-all-texts-20000":
        text = _lines(20000)
        return replace(base, narrative={key: text for key, _ in NARRATIVE_FIELDS},
                       goals=replace(base.goals, targets=text, completion=text,
                                     unmet_reason=text))
    if case == "docx-rows-20000":
        tasks = tuple(Task(name=f"任务{i}", target="完成", result="已完成") for i in range(20000))
        projects = tuple(Project(name=f"项目{i}", budget=Decimal("1.00"),
                                 executed=Decimal("1.00"), result="完成")
                         for i in range(20000))
        return replace(base, tasks=tasks, projects=projects)
    if case == "pdf-word-400000":
        word = ("abcdefghij" * 40000)
        return replace(base, narrative={**base.narrative, "achievements": word})
    raise SystemExit(f"unknown case {case}")


CASES = ("docx-one-text-20000", "docx-all-texts-20000", "docx-leaves-10000",
         "docx-rows-20000", "pdf-word-400000")


def run(case: str) -> dict[str, float]:
    ev = evaluation(case)
    start = time.perf_counter()
    if case.startswith("pdf"):
        from exports.pdf_report import report_bytes

        report_bytes(ev)
    else:
        from exports.docx_report import docx_bytes

        docx_bytes(ev)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"seconds": round(seconds, 3), "peak_mb": round(peak, 1)}


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1])))
