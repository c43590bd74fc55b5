"""The rows of the exported tables, built once for both the workbook and the PDF.

Excel and the report's attachments print the same tables; building their rows
here (from the evaluation and its ``ScoreResult``) is what keeps the two in
agreement to the cent.  Nothing here knows about openpyxl or reportlab.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from forms import rules
from forms.budget import effective_total, project_totals, rate, row_rate
from forms.model import NATURE_ROWS, SOURCE_ROWS, BudgetRow, Evaluation, LeafValue
from forms.numbers import HUNDRED, fmt2, fmt_weight, plain, round2
from forms.report.outline import report_options
from forms.report.wording import listed_projects, projects_partial, rate_shown
from forms.validation import deviation_needed, shared_reason
from forms.scoring import (
    INVALID,
    MISSING,
    NOT_APPLICABLE,
    SCORED,
    STATUS_TEXT,
    LeafResult,
    ScoreResult,
)
from forms.system import Group, Leaf

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


def measured(result: LeafResult, value: LeafValue, rate_places: int = 2) -> Measured | None:
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
    elif not rules.kind(rule.type).reads_actual:
        return None
    number = round2(result.actual) if source else result.actual
    if source and unit == "%":  # a computed rate: the report's one precision
        number = rate_shown(result.actual, rate_places)
    natural = max(0, -int(number.normalize().as_tuple().exponent))
    places = 2 if unit == "万元" or source else min(natural, TYPED_PLACES)
    if source:
        places = min(natural, 2)
    if unit == "万元":
        places = 2
    return Measured(number, unit, places)


@dataclass(frozen=True)
class IndicatorRow:
    """One leaf with the names and positions of the groups above it (none to three)."""

    names: tuple[str, ...]  # 一级, 二级, 三级 names above the leaf, top first
    indexes: tuple[int, ...]  # the position of each of those groups, then of the leaf
    leaf: Leaf
    result: LeafResult
    target_text: str  # 指标值
    actual_text: str  # 实际完成值
    deviation: str  # 偏差原因分析及改进措施
    status_text: str  # 已评分 / 未填写：… / 不适用：reason / 有误：…
    measured: Measured | None = None  # 实际完成值 as a number, when it is one

    def name_at(self, level: int) -> str:
        """The name of the level-``level`` group above the leaf (1-based), "" when the leaf
        sits higher than that."""
        return self.names[level - 1] if level <= len(self.names) else ""

    def key_at(self, level: int) -> tuple[int, ...]:
        """What rows merged in the level-``level`` column share: the same groups down to it."""
        return self.indexes[:level] if level <= len(self.names) else self.indexes

    @property
    def option_name(self) -> str:
        """The alternative assessed, for a 二者择其一 leaf."""
        return self.result.option.name if self.result.option is not None else ""

    @property
    def note(self) -> str:
        """The status only where a leaf is not plainly scored: 不适用, 未填写, 有误."""
        return "" if self.result.status == SCORED else self.status_text


def group_levels(rows: list[IndicatorRow]) -> int:
    """How many group columns a table of these rows needs (1 to 3)."""
    return max(1, max((len(r.names) for r in rows), default=1))


LEVEL_NUMERALS = "一二三四五六"


def level_headers(levels: int) -> list[str]:
    """The headers of ``levels`` group columns and the leaf's: 一级指标 … 四级指标."""
    return [f"{LEVEL_NUMERALS[i]}级指标" for i in range(levels + 1)]


def target_text(leaf: Leaf, result: LeafResult | None = None, *,
                option_id: str | None = None) -> str:
    """指标值 as printed: the target with its unit, or what the rule measures against; for
    a 二者择其一 leaf, that of the alternative assessed (``result``) or chosen
    (``option_id``), else "二者择其一"."""
    rule, target, unit = leaf.rule, leaf.target, leaf.unit
    option = result.option if result is not None else None
    if option is None and option_id and rule.type == "either":
        option = rule.option(option_id)
    if option is not None:
        rule, unit = option.rule, option.unit or leaf.unit
        target = option.target if option.target is not None else leaf.target
    return rules.target_text(rule, target, unit)


def rule_text(leaf: Leaf) -> str:
    """评分标准: the notice's words when given, else a description of the rule."""
    if leaf.criteria.strip():
        return leaf.criteria.strip()
    return rules.describe(leaf.rule, leaf.weight, leaf.target, leaf.unit, leaf.source)


def rule_type_text(leaf: Leaf) -> str:
    return rules.RULE_TYPES.get(leaf.rule.type, leaf.rule.type)


def total_note(result: ScoreResult, renormalised: str = "按适用指标折算") -> str:
    """What the tables print beside the total: re-scaled, and capped (得分封顶)."""
    notes = [renormalised] if result.renormalised else []
    cap = result.cap
    if cap is not None and cap.limit is not None:
        notes.append(cap.text + (f"（封顶前 {fmt2(cap.uncapped)} 分）" if cap.applied else ""))
    return "；".join(notes)


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


def partial_note(ev: Evaluation) -> str:
    """What a rate computed from a partial project list was computed from, or ""."""
    if not projects_partial(ev):
        return ""
    return f"（按所列 {len(listed_projects(ev))} 个项目计算，非全部项目支出）"


def indicator_rows(ev: Evaluation, result: ScoreResult) -> list[IndicatorRow]:
    by_id = {r.leaf.id: r for r in result.leaves}
    rows: list[IndicatorRow] = []
    places = report_options(ev).style.rate_places
    partial = partial_note(ev)

    def walk(nodes: tuple[Group | Leaf, ...], names: tuple[str, ...],
             indexes: tuple[int, ...]) -> None:
        for i, node in enumerate(nodes):
            if isinstance(node, Group):
                walk(node.children, names + (node.name,), indexes + (i,))
                continue
            r, value = by_id[node.id], ev.value(node.id)
            number = measured(r, value, places)
            actual = actual_text(r, number)
            source = (r.option.source if r.option is not None else None) or node.source
            if actual and partial and source == "projects.execution_rate":
                actual += partial
                number = None  # the workbook prints the text with its note, not a bare rate
            rows.append(IndicatorRow(
                names=names, indexes=indexes + (i,), leaf=node, result=r,
                target_text=target_text(node, r), actual_text=actual,
                deviation=value.deviation.strip() or (
                    shared_reason(ev, node) if r.status == SCORED
                    and deviation_needed(node, r.score, r.actual) else ""),
                status_text=_status_text(r, ev), measured=number))

    walk(ev.system.indicators, (), ())
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


def rate_fraction(percent: Decimal | None, places: int = 2) -> Decimal | None:
    """A percent number as the fraction Excel's % format shows, rounded like the text."""
    if percent is None:
        return None
    return rate_shown(percent, places) / HUNDRED


def rate_format(percent: Decimal | None, places: int = 2) -> str:
    """The cell format printing the rate as the report writes it: 100%, 87.4%, 95.76%."""
    if percent is None or places == 0:
        return "0%"
    shown = rate_shown(percent, places)
    return "0%" if shown == shown.to_integral_value() else "0." + "0" * places + "%"


def weight_text(value: Decimal) -> str:
    return fmt_weight(value)


def number_text(value: Decimal | None) -> str:
    return "" if value is None else plain(value)
