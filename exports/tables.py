"""The rows of the exported tables, built once for both the workbook and the PDF.

Excel and the report's attachments print the same tables; building their rows
here (from the evaluation and its ``ScoreResult``) is what keeps the two in
agreement to the cent.  Nothing here knows about openpyxl or reportlab.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from forms import rules
from forms.budget import effective_total, project_totals, rate, row_rate
from forms.model import NATURE_ROWS, SOURCE_ROWS, BudgetRow, Evaluation
from forms.numbers import HUNDRED, fmt2, fmt_weight, plain, round2
from forms.scoring import INVALID, MISSING, NOT_APPLICABLE, STATUS_TEXT, LeafResult, ScoreResult
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
class IndicatorRow:
    """One leaf with the names and positions of the groups above it (one to three)."""

    names: tuple[str, ...]  # 一级, 二级, 三级 names above the leaf, top first
    indexes: tuple[int, ...]  # the position of each of those groups, then of the leaf
    leaf: Leaf
    result: LeafResult
    target_text: str  # 指标值
    actual_text: str  # 实际完成值
    deviation: str  # 偏差原因分析及改进措施
    status_text: str  # 已评分 / 未填写：… / 不适用：reason / 有误：…

    def name_at(self, level: int) -> str:
        """The name of the level-``level`` group above the leaf (1-based), "" when the leaf
        sits higher than that."""
        return self.names[level - 1] if level <= len(self.names) else ""

    def key_at(self, level: int) -> tuple[int, ...]:
        """What rows merged in the level-``level`` column share: the same groups down to it."""
        return self.indexes[:level] if level <= len(self.names) else self.indexes

    # The two group columns of a fixed three-level form: level 1, then the rest joined.
    @property
    def level1(self) -> str:
        return self.names[0]

    @property
    def level2(self) -> str:
        return " › ".join(self.names[1:])

    @property
    def l1_index(self) -> int:
        return self.indexes[0]

    @property
    def l2_index(self) -> tuple[int, ...]:
        return self.indexes[1:len(self.names)] if len(self.names) > 1 else self.indexes[1:]


def group_levels(rows: list[IndicatorRow]) -> int:
    """How many group columns a table of these rows needs (1 to 3)."""
    return max((len(r.names) for r in rows), default=1)


def target_text(leaf: Leaf, option_id: str | None = None) -> str:
    """指标值 as printed: the target with its unit, or what the rule measures against; for
    二者择其一 that of the option chosen (``option_id``) when there is one."""
    rule, target, unit = leaf.rule, leaf.target, leaf.unit
    option = rule.option(option_id) if option_id and rule.type == "either" else None
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


def actual_text(result: LeafResult, unit: str) -> str:
    text = result.actual_text
    if result.status == NOT_APPLICABLE:
        return "不适用"
    if not text:
        return ""
    if result.actual is not None and unit and unit != "%" and result.leaf.rule.type != "incidents" \
            and text == fmt2(result.actual):
        return text + unit
    return text


def indicator_rows(ev: Evaluation, result: ScoreResult) -> list[IndicatorRow]:
    by_id = {r.leaf.id: r for r in result.leaves}
    rows: list[IndicatorRow] = []

    def walk(nodes: tuple[Group | Leaf, ...], names: tuple[str, ...],
             indexes: tuple[int, ...]) -> None:
        for i, node in enumerate(nodes):
            if isinstance(node, Group):
                walk(node.children, names + (node.name,), indexes + (i,))
                continue
            r = by_id[node.id]
            unit = r.option.unit if r.option is not None and r.option.unit else node.unit
            rows.append(IndicatorRow(
                names=names, indexes=indexes + (i,), leaf=node, result=r,
                target_text=target_text(node, ev.value(node.id).option),
                actual_text=actual_text(r, unit), deviation=ev.value(node.id).deviation,
                status_text=_status_text(r, ev)))

    walk(ev.system.indicators, (), ())
    return rows


def spans(keys: list[object]) -> list[tuple[int, int]]:
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
