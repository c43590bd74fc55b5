"""Scoring exactly as SCORING.md.

``score(evaluation)`` never raises on clerk data: a value that cannot be
scored makes its leaf ``invalid`` (0 points, with a message), a value that is
not there makes it ``missing``.  Every leaf score is rounded to two decimals,
half up, and kept within [0, weight]; the total is the sum of the rounded
leaf scores, renormalised over the applicable weight when leaves are 不适用.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from .budget import Rates, compute_rates
from .model import Evaluation, LeafValue
from .numbers import HUNDRED, ZERO, clamp, fmt2, fmt_weight, plain, round2
from .system import SOURCES, Group, Leaf, Option, Rule, System

SCORED = "scored"
MISSING = "missing"
NOT_APPLICABLE = "not_applicable"
INVALID = "invalid"

STATUS_TEXT = {SCORED: "已评分", MISSING: "未填写", NOT_APPLICABLE: "不适用", INVALID: "有误"}


@dataclass(frozen=True)
class LeafResult:
    leaf: Leaf
    score: Decimal  # rounded, within [0, weight]; 0 when missing/invalid/not applicable
    status: str
    actual: Decimal | None = None  # the number the rule was applied to, full precision
    actual_text: str = ""  # what the 实际完成值 column shows
    message: str = ""  # why missing or invalid
    option: Option | None = None  # the alternative assessed, for ``either``

    @property
    def full_marks(self) -> bool:
        return self.score >= self.leaf.weight


@dataclass(frozen=True)
class GroupResult:
    group: Group
    level: int  # 1 or 2
    score: Decimal  # sum of applicable leaf scores
    applicable_weight: Decimal


@dataclass(frozen=True)
class ScoreResult:
    total: Decimal  # two decimals
    grade: str
    leaves: tuple[LeafResult, ...]
    groups: tuple[GroupResult, ...]
    rates: Rates
    renormalised: bool  # 按适用指标折算
    raw_sum: Decimal  # sum of applicable leaf scores
    applicable_weight: Decimal

    @property
    def leaf_count(self) -> int:
        return len(self.leaves)

    @property
    def filled(self) -> int:
        return sum(1 for r in self.leaves if r.status in (SCORED, NOT_APPLICABLE))

    @property
    def complete(self) -> bool:
        return self.filled == self.leaf_count

    def leaf(self, leaf_id: str) -> LeafResult | None:
        # an index built once: callers ask for every leaf in turn
        index: dict[str, LeafResult] | None = self.__dict__.get("_index")
        if index is None:
            index = {}
            for r in self.leaves:
                index.setdefault(r.leaf.id, r)
            object.__setattr__(self, "_index", index)
        return index.get(leaf_id)


def _missing(leaf: Leaf, message: str, option: Option | None = None) -> LeafResult:
    return LeafResult(leaf, ZERO, MISSING, message=message, option=option)


def _invalid(leaf: Leaf, message: str, option: Option | None = None,
             actual_text: str = "") -> LeafResult:
    return LeafResult(leaf, ZERO, INVALID, actual_text=actual_text, message=message, option=option)


def _numeric_actual(leaf: Leaf, value: LeafValue, source: str | None, rates: Rates
                    ) -> tuple[Decimal | None, str]:
    if source:
        actual = rates.get(source)
        if actual is None:
            return None, rates.reasons.get(source) or f"{SOURCES[source][0]}无法计算"
        return actual, ""
    if value.actual is None:
        return None, f"{leaf.name}：实际完成值未填写"
    return value.actual, ""


def _ratio(rule: Rule, weight: Decimal, target: Decimal, actual: Decimal) -> Decimal:
    if rule.direction == "lower":
        if actual <= target:
            return weight
        return weight * target / actual  # actual > target >= 0
    return weight * min(Decimal(1), actual / target)


def _deduct(rule: Rule, weight: Decimal, actual: Decimal) -> Decimal:
    standard = rule.standard or ZERO
    gap = actual - standard if rule.direction == "max" else standard - actual
    if gap <= 0:
        return weight
    steps = gap / rule.step
    if rule.count == "started":
        steps = Decimal(math.ceil(steps))
    elif rule.count == "whole":
        steps = Decimal(math.floor(steps))
    return max(ZERO, weight - steps * (rule.points or ZERO))


def _bands(rule: Rule, actual: Decimal) -> Decimal:
    for band in rule.bands:
        if band.contains(actual):
            return band.score
    return ZERO


def _unit_text(actual: Decimal, unit: str) -> str:
    return f"{fmt2(actual)}{unit}" if unit == "%" else fmt2(actual)


_NO_VALUE = LeafValue()  # one shared empty value: building 10,000 of them took a tenth of a second


def score_leaf(leaf: Leaf, value: LeafValue | None, rates: Rates) -> LeafResult:
    """Score one leaf; never raises for clerk data."""
    value = value or _NO_VALUE
    if value.not_applicable:
        return LeafResult(leaf, ZERO, NOT_APPLICABLE, actual_text="不适用")
    rule, target, source, option, unit = leaf.rule, leaf.target, leaf.source, None, leaf.unit
    if rule.type == "either":
        if not value.option:
            return _missing(leaf, f"{leaf.name}：尚未选择评价口径")
        option = rule.option(value.option)
        if option is None:
            return _invalid(leaf, f"{leaf.name}：选项“{value.option}”不存在")
        rule, target = option.rule, option.target if option.target is not None else leaf.target
        source = option.source or leaf.source
        unit = option.unit or leaf.unit
    weight = leaf.weight
    kind = rule.type
    if kind in ("ratio", "deduct", "bands"):
        actual, why = _numeric_actual(leaf, value, source, rates)
        if actual is None:
            return _missing(leaf, why, option)
        if kind == "ratio":
            if target is None or (rule.direction != "lower" and target <= 0):
                return _invalid(leaf, f"{leaf.name}：指标值未设置，无法按比率计分", option)
            raw = _ratio(rule, weight, target, actual)
        elif kind == "deduct":
            raw = _deduct(rule, weight, actual)
        else:
            raw = _bands(rule, actual)
        return LeafResult(leaf, round2(clamp(raw, ZERO, weight)), SCORED, actual,
                          _unit_text(actual, unit), option=option)
    if kind == "checklist":
        if value.checked is None:
            return _missing(leaf, f"{leaf.name}：尚未勾选", option)
        points = {item.id: item.points for item in rule.items}
        unknown = [c for c in value.checked if c not in points]
        if unknown:
            return _invalid(leaf, f"{leaf.name}：勾选项“{'、'.join(unknown)}”不存在", option)
        chosen = set(value.checked)
        raw = sum((points[c] for c in chosen), ZERO)
        text = f"符合 {len(chosen)}/{len(rule.items)} 项"
        return LeafResult(leaf, round2(clamp(raw, ZERO, weight)), SCORED, None, text,
                          option=option)
    if kind == "incidents":
        if value.count is None:
            return _missing(leaf, f"{leaf.name}：次数未填写", option)
        count = value.count
        if count < 0 or count != count.to_integral_value():
            return _invalid(leaf, f"{leaf.name}：次数应为不小于 0 的整数，不是 {plain(count)}",
                            option)
        raw = weight - count * (rule.points or ZERO)
        return LeafResult(leaf, round2(clamp(raw, ZERO, weight)), SCORED, count,
                          f"{int(count)} 次", option=option)
    if kind == "coefficient":
        if value.level:
            pct = rule.level(value.level)
            if pct is None:
                return _invalid(leaf, f"{leaf.name}：等级“{value.level}”不存在", option)
            text = value.level
        elif value.coefficient is not None:
            pct = value.coefficient
            if not ZERO <= pct <= HUNDRED:
                return _invalid(leaf, f"{leaf.name}：系数应在 0–100 之间，不是 {plain(pct)}",
                                option)
            text = f"{fmt2(pct)}%"
        else:
            return _missing(leaf, f"{leaf.name}：等级未选择", option)
        raw = weight * pct / HUNDRED
        return LeafResult(leaf, round2(clamp(raw, ZERO, weight)), SCORED, pct, text,
                          option=option)
    if kind == "manual":
        if value.score is None:
            return _missing(leaf, f"{leaf.name}：得分未填写", option)
        if value.score < 0 or value.score > weight:
            return _invalid(leaf, f"{leaf.name}：得分 {plain(value.score)} 超出 0–"
                            f"{fmt_weight(weight)} 分", option, plain(value.score))
        return LeafResult(leaf, round2(value.score), SCORED, None, "", option=option)
    return _invalid(leaf, f"{leaf.name}：无法识别的评分规则“{kind}”", option)


def _sums(leaves: tuple[Leaf, ...], by_id: dict[str, LeafResult]) -> tuple[Decimal, Decimal]:
    got = applicable = ZERO
    for leaf in leaves:
        result = by_id[leaf.id]
        if result.status != NOT_APPLICABLE:
            got += result.score
            applicable += leaf.weight
    return got, applicable


def score(evaluation: Evaluation) -> ScoreResult:
    system = evaluation.system
    rates = compute_rates(evaluation)
    values = evaluation.values
    by_id: dict[str, LeafResult] = {}
    results: list[LeafResult] = []
    for leaf in system.leaves():
        result = score_leaf(leaf, values.get(leaf.id), rates)
        by_id[leaf.id] = result
        results.append(result)
    # one pass, level 2 summed into level 1: a wide system (10,000 groups) stays linear
    groups: list[GroupResult] = []
    for top in system.indicators:
        top_got = top_applicable = ZERO
        mids: list[GroupResult] = []
        for child in top.children:
            if isinstance(child, Group):
                got, applicable = _sums(child.leaves(), by_id)
                mids.append(GroupResult(child, 2, got, applicable))
            else:
                got, applicable = _sums((child,), by_id)
            top_got += got
            top_applicable += applicable
        groups.append(GroupResult(top, 1, top_got, top_applicable))
        groups.extend(mids)
    applicable_results = [r for r in results if r.status != NOT_APPLICABLE]
    raw_sum = sum((r.score for r in applicable_results), ZERO)
    applicable_weight = sum((r.leaf.weight for r in applicable_results), ZERO)
    renormalised = len(applicable_results) != len(results)
    if not renormalised:
        total = round2(raw_sum)
    elif applicable_weight > 0:
        total = round2(raw_sum / applicable_weight * HUNDRED)
    else:
        total = round2(ZERO)
    return ScoreResult(
        total=total,
        grade=system.grade(total),
        leaves=tuple(results),
        groups=tuple(groups),
        rates=rates,
        renormalised=renormalised,
        raw_sum=raw_sum,
        applicable_weight=applicable_weight,
    )
