"""Bands (分档): their wording and reading, shared by the 分档计分 rule and the
system's cap of the total (得分封顶)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ..numbers import ZERO, fmt_weight, plain
from .base import Band, RuleReader, num_out


def unit_join(number: str, unit: str) -> str:
    return f"{number}{unit}" if unit else number


def band_text(band: Band, unit: str) -> str:
    parts = []
    if band.min is not None and band.max is not None and band.min == band.max:
        return "为" + unit_join(fmt_weight(band.min), unit)
    if band.min is not None:
        parts.append(("≥" if band.min_inclusive else ">") + unit_join(fmt_weight(band.min), unit))
    if band.max is not None:
        parts.append(("≤" if band.max_inclusive else "<") + unit_join(fmt_weight(band.max), unit))
    return "且".join(parts) or "其他"


def read_bands(r: RuleReader, items: list[Any], path: str, label: str, weight: Decimal | None,
               key: str) -> tuple[Band, ...]:
    """Bands of a rule (``key`` "score") or of the system's cap (``key`` "cap")."""
    word = "得分" if key == "score" else "得分上限"
    bands = []
    for i, band in enumerate(items):
        bpath = f"{path}.bands[{i}]"
        if not isinstance(band, Mapping):
            r.problem(bpath, f"{label} 第 {i + 1} 档：格式不对")
            continue
        score = r.number(band, key, bpath, f"{label} 第 {i + 1} 档{word}", required=True)
        low = r.number(band, "min", bpath, f"{label} 第 {i + 1} 档下限")
        high = r.number(band, "max", bpath, f"{label} 第 {i + 1} 档上限")
        if score is not None and weight is not None and score > weight:
            r.problem(f"{bpath}.{key}",
                      f"{label} 第 {i + 1} 档{word} {fmt_weight(score)} 超过分值 {fmt_weight(weight)}")
        if score is not None and score < 0:
            r.problem(f"{bpath}.{key}", f"{label} 第 {i + 1} 档{word}不能为负")
        if low is not None and high is not None and low > high:
            r.problem(bpath, f"{label} 第 {i + 1} 档：下限 {plain(low)} 大于上限 {plain(high)}")
        bands.append(Band(score=score or ZERO, min=low, max=high,
                          min_inclusive=bool(band.get("min_inclusive", True)),
                          max_inclusive=bool(band.get("max_inclusive", True))))
    return tuple(bands)


def bands_out(bands: tuple[Band, ...], key: str) -> list[dict[str, Any]]:
    out = []
    for band in bands:
        b: dict[str, Any] = {}
        if band.min is not None:
            b["min"] = num_out(band.min)
            if not band.min_inclusive:
                b["min_inclusive"] = False
        if band.max is not None:
            b["max"] = num_out(band.max)
            if not band.max_inclusive:
                b["max_inclusive"] = False
        b[key] = num_out(band.score)
        out.append(b)
    return out
