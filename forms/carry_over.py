"""Texts copied by 新建下一年度 (沿用上年) until the clerk edits or confirms them.

``next_year`` copies last year's goals, tasks and analysis texts; a report that
still says "较好完成了2021年…" or "全年预算执行率98.94%" would go to the bureau
unnoticed.  The paths of the copied texts are kept in ``Evaluation.extra`` (so
they survive saving and packages); editing a text or confirming it removes its
path.  ``stale_spans`` finds the years and rates in a copied text that most
likely belong to last year.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from .address import FieldAddress, RowCell, parse

if TYPE_CHECKING:
    from .model import Evaluation

KEY = "carried_over"

_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_RATE = re.compile(r"\d+(?:[.．]\d+)?\s*[%％]")


def text_at(evaluation: Evaluation, path: str) -> str | None:
    """The text a carried-over path points at (None when it no longer exists)."""
    address = parse(path)
    if isinstance(address, FieldAddress):
        if address.section == "goals":
            value = getattr(evaluation.goals, address.key, None)
            return value if isinstance(value, str) else None
        if address.section == "narrative":
            return evaluation.narrative.get(address.key)
        if path == "department.functions":
            return "\n".join(evaluation.department.functions)
    if isinstance(address, RowCell) and address.column in ("name", "target"):
        rows = getattr(evaluation, address.table)
        if address.index < len(rows):
            return str(getattr(rows[address.index], address.column, ""))
    return None


def copied_paths(evaluation: Evaluation) -> list[str]:
    """Every non-empty text ``next_year`` copies that the clerk must look at again.

    Goals, tasks and the analysis describe one year: all of them.  Project names and
    部门职能 mostly stay true from year to year (continuing projects, the 三定 mandate);
    marking all of them would teach the clerk to confirm without reading, so they are
    marked only when they name an earlier year or a rate.
    """
    paths = [f"goals.{key}" for key in ("targets", "completion", "unmet_reason")]
    paths += [f"narrative.{key}" for key in evaluation.narrative]
    for i in range(len(evaluation.tasks)):
        paths += [f"tasks[{i}].name", f"tasks[{i}].target"]
    kept = [p for p in paths if (text_at(evaluation, p) or "").strip()]
    year = evaluation.department.year
    stable = ["department.functions"]
    stable += [f"projects[{i}].name" for i in range(len(evaluation.projects))]
    return kept + [p for p in stable if stale_spans(text_at(evaluation, p) or "", year)]


def carried(evaluation: Evaluation) -> tuple[str, ...]:
    raw = evaluation.extra.get(KEY)
    if not isinstance(raw, (list, tuple)):
        return ()
    return tuple(p for p in raw if isinstance(p, str))


def with_carried(evaluation: Evaluation, paths: Iterable[str]) -> Evaluation:
    extra = {k: v for k, v in evaluation.extra.items() if k != KEY}
    kept = list(dict.fromkeys(paths))
    if kept:
        extra[KEY] = kept
    return replace(evaluation, extra=extra)


def settle(before: Evaluation, after: Evaluation) -> Evaluation:
    """``after`` without the marks of texts the clerk changed (or that are gone)."""
    marks = carried(after)
    if not marks:
        return after
    kept = [p for p in marks
            if text_at(after, p) is not None and text_at(after, p) == text_at(before, p)]
    return after if len(kept) == len(marks) else with_carried(after, kept)


def confirm(evaluation: Evaluation, paths: Iterable[str]) -> Evaluation:
    """The clerk keeps these copied texts as they are."""
    gone = set(paths)
    return with_carried(evaluation, [p for p in carried(evaluation) if p not in gone])


def stale_spans(text: str, year: int) -> list[tuple[int, int]]:
    """(start, end) of the years before ``year`` and of the rates in a copied text."""
    spans = [m.span(1) for m in _YEAR.finditer(text) if int(m.group(1)) < year]
    spans += [m.span() for m in _RATE.finditer(text)]
    return sorted(spans)
