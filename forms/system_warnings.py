"""Warnings about a system that is usable but probably not what the notice meant.

Bands (分档) are tried in order and the first band holding the value gives the
score, so a band lying wholly inside earlier ones can never be reached, and where
bands overlap the earlier one wins even when it gives fewer points.  Neither stops scoring; both
are worth a look by whoever typed the table.
"""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

from .numbers import fmt_weight, plain
from .system import Band, Group, Leaf, Problem, Rule, System


def _points(bands: tuple[Band, ...]) -> list[Decimal]:
    """Points that stand for every distinct stretch of the number line: each bound, a value
    between each pair of neighbouring bounds, and one beyond each end."""
    bounds = sorted({b for band in bands for b in (band.min, band.max) if b is not None})
    if not bounds:
        return [Decimal(0)]
    points = [bounds[0] - 1, bounds[-1] + 1, *bounds]
    points += [(a + b) / 2 for a, b in pairwise(bounds)]
    return points


def _overlap(a: Band, b: Band, points: list[Decimal]) -> bool:
    return any(a.contains(p) and b.contains(p) for p in points)


def _describe(band: Band) -> str:
    low = "" if band.min is None else ("≥" if band.min_inclusive else ">") + plain(band.min)
    high = "" if band.max is None else ("≤" if band.max_inclusive else "<") + plain(band.max)
    return "、".join(x for x in (low, high) if x) or "任意值"


def band_warnings(rule: Rule, path: str, label: str) -> list[Problem]:
    """Overlapping and unreachable bands of one rule (empty for other rule types)."""
    out: list[Problem] = []
    if rule.type == "either":
        for i, option in enumerate(rule.options):
            out += band_warnings(option.rule, f"{path}.options[{i}].rule", f"{label}（{option.name}）")
        return out
    if rule.type != "bands" or len(rule.bands) < 2:
        return out
    points = _points(rule.bands)
    for j, band in enumerate(rule.bands):
        earlier = rule.bands[:j]
        here = [p for p in points if band.contains(p)]
        if here and all(any(e.contains(p) for e in earlier) for p in here):
            out.append(Problem(f"{path}.bands[{j}]",
                               f"{label} 第 {j + 1} 档（{_describe(band)}）永远用不上："
                               f"它的范围已全部落在前面的档次中（按顺序取第一个符合的档）"))
            continue
        for i, other in enumerate(earlier):
            # thresholds in descending order (≥95, ≥90, ≥80…) overlap by design, the earlier
            # band giving more; an overlap is worth a warning when it gives less
            if other.score < band.score and _overlap(other, band, points):
                out.append(Problem(f"{path}.bands[{j}]",
                                   f"{label} 第 {j + 1} 档（{_describe(band)}）与第 {i + 1} 档"
                                   f"（{_describe(other)}）重叠：重叠部分只得第 {i + 1} 档的 "
                                   f"{fmt_weight(other.score)} 分，而不是 {fmt_weight(band.score)} 分"))
                break
    return out


def system_warnings(system: System, path: str = "system") -> list[Problem]:
    """Every warning of a system, with the JSON path of the place concerned."""
    floor = system.grade_floor_problem(path)
    out: list[Problem] = [floor] if floor is not None else []
    for i, top in enumerate(system.indicators):
        out += _node(top, f"{path}.indicators[{i}]", (top.name,))
    return out


def _node(node: Group | Leaf, path: str, trail: tuple[str, ...]) -> list[Problem]:
    if isinstance(node, Leaf):
        return band_warnings(node.rule, f"{path}.rule", "「" + " › ".join(trail) + "」")
    out: list[Problem] = []
    for i, child in enumerate(node.children):
        out += _node(child, f"{path}.children[{i}]", trail + (child.name,))
    return out
