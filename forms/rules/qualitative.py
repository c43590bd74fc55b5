"""定性分档评分: the clerk picks a level and types a score that must lie in the level's band.

The finance ministry's 定性 levels: 达成年度指标 80%(含)–100% of the weight; 部分达成年度指标并
具有一定效果 60%(含)–80%; 未达成年度指标且效果较差 0–60% (docs/rules.md).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any
from collections.abc import Mapping

from ..numbers import HUNDRED, fmt2, fmt_weight, plain
from ..value_fields import LEVEL, SCORE, ValueField
from . import recognisers as rec
from .base import Outcome, Param, Rule, RuleReader
from .kinds import RuleKind, _invalid, _missing, _scored
from .params import levels_out, read_levels

if TYPE_CHECKING:
    from ..model import LeafValue

QUALITATIVE_LEVELS = {"达成年度指标": 80, "部分达成年度指标并具有一定效果": 60, "未达成年度指标且效果较差": 0}


def level_bands(rule: Rule, weight: Decimal) -> dict[str, tuple[Decimal, Decimal, bool]]:
    """定性: each level's band of scores, (low, high, high included): from its own floor
    (included) to the next level's floor (excluded), the top level up to the weight."""
    floors = sorted({pct for _, pct in rule.levels}, reverse=True)
    out = {}
    for name, pct in rule.levels:
        above = [f for f in floors if f > pct]
        high = min(above) if above else HUNDRED
        out[name] = (weight * pct / HUNDRED, weight * high / HUNDRED, not above)
    return out


class Qualitative(RuleKind):
    """定性: the clerk picks a level and types a score inside that level's band."""

    key, name = "qualitative", "定性分档评分"
    params = (Param("levels", "等级及得分下限", dict(QUALITATIVE_LEVELS), (), "levels",
                    hint="每个等级得分下限占分值的百分比；上限为上一等级的下限（不含），最高等级到满分。"),)
    note = "填报时选择等级并填写得分，得分须在该等级的区间内。"
    fields = (LEVEL, SCORE)

    def choices(self, rule: Rule, field: ValueField) -> tuple[tuple[str, str], ...]:
        return tuple((n, n) for n, _pct in rule.levels)

    def suffix(self, rule: Rule, field: ValueField, weight: Decimal, unit: str,
               value: LeafValue) -> str:
        """The score's band for the level chosen, beside the score field."""
        if field != SCORE:
            return ""
        band = level_bands(rule, weight).get(value.level or "")
        if band is None:
            return f"分（先选等级，0–{fmt_weight(weight)} 分）"
        low, high, closed = band
        return f"分（{fmt_weight(low)}（含）–{fmt_weight(high)}{'（含）' if closed else '（不含）'}）"

    def read(self, r: RuleReader, raw: Mapping[str, Any], path: str, label: str,
             weight: Decimal, target: Decimal | None) -> Rule:
        # no levels written: the ministry's three (达成 80 %, 部分达成 60 %, 未达成 0)
        levels = read_levels(r, raw.get("levels", QUALITATIVE_LEVELS), path, label)
        if not levels:
            r.problem(f"{path}.levels", f"{label}：定性分档至少需要一个等级")
        elif min(pct for _, pct in levels) != 0:
            r.problem(f"{path}.levels", f"{label}：最低等级的得分下限应为 0%")
        return Rule(type="qualitative", levels=levels)

    def to_dict(self, rule: Rule) -> dict[str, Any]:
        return {"type": "qualitative", "levels": levels_out(rule.levels)}

    def score(self, rule: Rule, name: str, weight: Decimal, target: Decimal | None,
              value: LeafValue, actual: Decimal | None) -> Outcome:
        if not value.level:
            return _missing(f"{name}：等级未选择")
        band = level_bands(rule, weight).get(value.level)
        if band is None:
            return _invalid(f"{name}：等级“{value.level}”不存在")
        if value.score is None:
            return _missing(f"{name}：得分未填写")
        low, high, closed = band
        if value.score < low or value.score > high or (value.score == high and not closed):
            return _invalid(f"{name}：评为“{value.level}”的得分应在 {fmt2(low)}（含）–{fmt2(high)}"
                            f"{'（含）' if closed else '（不含）'} 分之间，不是 {plain(value.score)}",
                            plain(value.score))
        return _scored(value.score, None, value.level)

    def describe(self, rule: Rule, weight: Decimal, target: Decimal | None, unit: str) -> str:
        bands = level_bands(rule, weight)
        return "；".join(
            f"{n}：{fmt_weight(low)}（含）–{fmt_weight(high)}{'（含）' if closed else ''} 分"
            for n, (low, high, closed) in bands.items()) + "；在所评等级的区间内评分"

    def target_text(self, rule: Rule, target: Decimal | None, unit: str) -> str:
        return rule.levels[0][0] if rule.levels else "—"

    def recognise(self, text: str, weight: Decimal | None,
                  target: Decimal | None) -> dict[str, Any] | None:
        return rec.qualitative(text)
