"""The rows of the exported tables, built once for both the workbook and the PDF.

Excel and the report's attachments print the same tables; building their rows
here (from the evaluation and its ``ScoreResult``) is what keeps the two in
agreement to the cent.  Nothing here knows about openpyxl or reportlab.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from forms.budget import effective_total, project_totals, rate, row_rate
from forms.model import NATURE_ROWS, SOURCE_ROWS, BudgetRow, Evaluation, LeafValue
from forms.numbers import HUNDRED, fmt_weight, plain, round2
from forms.scoring import (
    INVALID,
    MISSING,
    NOT_APPLICABLE,
    SCORED,
    STATUS_TEXT,
    LeafResult,
    ScoreResult,
)
from forms.system import RULE_TYPES, SOURCES, Band, Group, Leaf, Rule

WORKBOOK_TITLE = "部门整体支出绩效自评表"
REPORT_TITLE = "部门整体支出绩效自评报告"


@dataclass(frozen=True)
class BudgetLine:
    """One row of 年度部门整体支出规模."""

    key: str  # "total", "source.general", "nature.basic"
    group: str  # "" for 合计, else 按资金来源 / 按支出性质
    name: str
    row: BudgetRow

    @property
    def rate(self) -> Decimal | None:  # 执行率, percent
        return row_rate(self.row)


def budget_lines(ev: Evaluation) -> list[BudgetLine]:
    lines = [BudgetLine("total", "", "合计", effective_total(ev.budget))]
    lines += [BudgetLine(f"source.{k}", "按资金来源", n, ev.budget.source(k)) for k, n in SOURCE_ROWS]
    lines += [BudgetLine(f"nature.{k}", "按支出性质", n, ev.budget.nature(k)) for k, n in NATURE_ROWS]
    return lines


@dataclass(frozen=True)
class Measured:
    """实际完成值 as a number: what the rule was applied to, its unit, the decimals to show."""

    number: Decimal
    unit: str
    places: int

    @property
    def text(self) -> str:
        return plain(self.number.quantize(Decimal(1).scaleb(-self.places))) + self.unit


TYPED_PLACES = 4  # a clerk's 0.125 stays 0.125; a computed rate shows two decimals


def measured(result: LeafResult, value: LeafValue) -> Measured | None:
    """The number a leaf was assessed on, or None when its 实际完成值 is not a number.

    Typed figures keep the decimals typed, trailing zeros dropped (712人次, 16.5个, 100%);
    figures computed from the budget and amounts in 万元 show two decimals.
    """
    if result.status == NOT_APPLICABLE or result.actual is None:
        return None
    leaf, option = result.leaf, result.option
    rule = option.rule if option is not None else leaf.rule
    unit = option.unit if option is not None and option.unit else leaf.unit
    source = (option.source if option is not None else None) or leaf.source
    if rule.type == "incidents":
        unit = "次"
    elif rule.type == "coefficient":
        if value.level:
            return None  # a named level (好/较好…), not a number
        unit = "%"
    elif rule.type not in ("ratio", "deduct", "bands"):
        return None
    number = round2(result.actual) if source else result.actual
    natural = max(0, -int(number.normalize().as_tuple().exponent))
    places = 2 if unit == "万元" or source else min(natural, TYPED_PLACES)
    if source:
        places = min(natural, 2)
    if unit == "万元":
        places = 2
    return Measured(number, unit, places)


@dataclass(frozen=True)
class IndicatorRow:
    """One leaf (三级指标) with the names of its level-1 and level-2 groups."""

    level1: str
    level2: str
    leaf: Leaf
    result: LeafResult
    target_text: str  # 指标值
    actual_text: str  # 实际完成值
    deviation: str  # 偏差原因分析及改进措施
    status_text: str  # 已评分 / 未填写：… / 不适用：reason / 有误：…
    l1_index: int
    l2_index: int
    measured: Measured | None = None  # 实际完成值 as a number, when it is one

    @property
    def option_name(self) -> str:
        """The alternative assessed, for a 二者择其一 leaf."""
        return self.result.option.name if self.result.option is not None else ""

    @property
    def note(self) -> str:
        """The status only where a leaf is not plainly scored: 不适用, 未填写, 有误."""
        return "" if self.result.status == SCORED else self.status_text


def _unit_join(number: str, unit: str) -> str:
    return f"{number}{unit}" if unit else number


def target_text(leaf: Leaf, result: LeafResult | None = None) -> str:
    """指标值 as printed: the target with its unit, or what the rule measures against;
    for a 二者择其一 leaf, that of the alternative assessed."""
    rule, target, unit = leaf.rule, leaf.target, leaf.unit
    option = result.option if result is not None else None
    if option is not None:
        rule = option.rule
        target = option.target if option.target is not None else target
        unit = option.unit or unit
    if rule.type == "either":
        return "二者择其一"
    if target is not None:
        sign = "≤" if rule.type == "ratio" and rule.direction == "lower" else ""
        if rule.type == "ratio" and rule.direction != "lower":
            sign = "≥"
        return sign + _unit_join(fmt_weight(target), unit)
    if rule.type == "deduct" and rule.standard is not None:
        sign = "≤" if rule.direction == "max" else "≥"
        return sign + _unit_join(fmt_weight(rule.standard), unit)
    if rule.type == "bands" and rule.bands:
        return band_text(rule.bands[0], unit)
    if rule.type == "checklist":
        return f"符合全部 {len(rule.items)} 项"
    if rule.type == "incidents":
        return "0次"
    if rule.type == "coefficient" and rule.levels:
        return rule.levels[0][0]
    return "—"


def band_text(band: Band, unit: str) -> str:
    parts = []
    if band.min is not None:
        parts.append(("≥" if band.min_inclusive else ">") + _unit_join(fmt_weight(band.min), unit))
    if band.max is not None:
        parts.append(("≤" if band.max_inclusive else "<") + _unit_join(fmt_weight(band.max), unit))
    return "且".join(parts) or "其他"


def rule_text(leaf: Leaf) -> str:
    """评分标准: the notice's words when given, else a description of the rule."""
    if leaf.criteria.strip():
        return leaf.criteria.strip()
    return describe_rule(leaf.rule, leaf.weight, leaf.target, leaf.unit, leaf.source)


def describe_rule(rule: Rule, weight: Decimal, target: Decimal | None, unit: str,
                  source: str | None) -> str:
    w = fmt_weight(weight)
    text = ""
    if rule.type == "ratio":
        if rule.direction == "lower":
            text = f"实际值不高于指标值得 {w} 分，高于的按 指标值/实际值×{w} 计分"
        else:
            text = f"按 实际值/指标值×{w} 计分，满分为止"
    elif rule.type == "deduct":
        std = _unit_join(fmt_weight(rule.standard or Decimal(0)), unit)
        over = "每超过" if rule.direction == "max" else "每低于"
        count = {"started": "（不足一档按一档计）", "whole": "（不足一档不扣）"}.get(rule.count, "")
        text = (f"以 {std} 为标准，{over} {fmt_weight(rule.step)}{unit} 扣 "
                f"{fmt_weight(rule.points or Decimal(0))} 分{count}，扣完为止")
    elif rule.type == "bands":
        text = "；".join(f"{band_text(b, unit)}得 {fmt_weight(b.score)} 分" for b in rule.bands)
        text += "；其余得 0 分"
    elif rule.type == "checklist":
        text = "；".join(f"{i.label}（{fmt_weight(i.points)} 分）" for i in rule.items)
    elif rule.type == "incidents":
        text = f"每发生一次扣 {fmt_weight(rule.points or Decimal(0))} 分，扣完为止"
    elif rule.type == "coefficient":
        text = "、".join(f"{n} {fmt_weight(v)}%" for n, v in rule.levels) + f"，乘以分值 {w}"
    elif rule.type == "manual":
        text = f"按实际情况评分，最高 {w} 分"
    elif rule.type == "either":
        text = "二者择其一：" + "；".join(
            f"{o.name}：{describe_rule(o.rule, weight, o.target if o.target is not None else target, o.unit or unit, o.source)}"
            for o in rule.options)
    if source in SOURCES:
        text = f"{SOURCES[source][0]} = {SOURCES[source][1]}；{text}"
    return text


def rule_type_text(leaf: Leaf) -> str:
    return RULE_TYPES.get(leaf.rule.type, leaf.rule.type)


def _status_text(result: LeafResult, ev: Evaluation) -> str:
    if result.status == NOT_APPLICABLE:
        reason = ev.value(result.leaf.id).reason.strip()
        return f"不适用：{reason}" if reason else "不适用"
    if result.status in (MISSING, INVALID) and result.message:
        return f"{STATUS_TEXT[result.status]}：{result.message}"
    return STATUS_TEXT[result.status]


def actual_text(result: LeafResult, number: Measured | None) -> str:
    """实际完成值 as printed (``number``: its ``measured``), naming the alternative assessed
    of a 二者择其一 leaf."""
    if result.status == NOT_APPLICABLE:
        return "不适用"
    text = number.text if number is not None else result.actual_text
    if text and result.option is not None:
        return f"{result.option.name}：{text}"
    return text


def indicator_rows(ev: Evaluation, result: ScoreResult) -> list[IndicatorRow]:
    by_id = {r.leaf.id: r for r in result.leaves}
    rows: list[IndicatorRow] = []
    for i1, top in enumerate(ev.system.indicators):
        for i2, mid in enumerate(top.children):
            leaves: list[tuple[str, Leaf]]
            if isinstance(mid, Group):
                leaves = [(mid.name, leaf) for leaf in mid.leaves()]
            else:
                leaves = [("", mid)]  # a leaf directly under a level-1 group
            for l2name, leaf in leaves:
                r, value = by_id[leaf.id], ev.value(leaf.id)
                number = measured(r, value)
                rows.append(IndicatorRow(
                    level1=top.name, level2=l2name, leaf=leaf, result=r,
                    target_text=target_text(leaf, r), actual_text=actual_text(r, number),
                    deviation=value.deviation, status_text=_status_text(r, ev),
                    l1_index=i1, l2_index=i2, measured=number))
    return rows


def spans(keys: Sequence[object]) -> list[tuple[int, int]]:
    """Runs of equal consecutive keys as (first, last) indexes: the cells to merge."""
    out: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(keys) + 1):
        if i == len(keys) or keys[i] != keys[start]:
            out.append((start, i - 1))
            start = i
    return out


@dataclass(frozen=True)
class ProjectLine:
    number: int
    name: str
    budget: Decimal | None
    executed: Decimal | None
    result: str

    @property
    def rate(self) -> Decimal | None:
        return rate(self.executed, self.budget)


def project_lines(ev: Evaluation) -> list[ProjectLine]:
    return [ProjectLine(i + 1, p.name, p.budget, p.executed, p.result)
            for i, p in enumerate(ev.projects)]


def project_total(ev: Evaluation) -> ProjectLine:
    budget, executed = project_totals(ev.projects)
    return ProjectLine(0, "合计", budget, executed, "")


def rate_fraction(percent: Decimal | None) -> Decimal | None:
    """A percent number as the fraction Excel's 0.00% format shows, rounded like the text."""
    if percent is None:
        return None
    return round2(percent) / HUNDRED


def weight_text(value: Decimal) -> str:
    return fmt_weight(value)


def number_text(value: Decimal | None) -> str:
    return "" if value is None else plain(value)
