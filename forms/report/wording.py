"""Numbers and sentences as the published reports write them.

Amounts in 万元 with two decimals (a zero fund-source clause as "0 万元", as
seeds 000–002 print it); rates without trailing zeros (100%, 87.4%, 95.76%);
scores "92.58 分" / "100 分"; the clerk's own self-reference (我办/我局/我委…).
"""

from __future__ import annotations

from decimal import Decimal

from ..budget import effective_total, project_totals, rate, row_rate
from ..model import NATURE_ROWS, SOURCE_ROWS, Evaluation
from ..numbers import fmt2, fmt_weight, round2
from ..scoring import ScoreResult

_END = "。；！？.;!?…"


def amount(value: Decimal) -> str:
    """万元 figure: two decimals."""
    return fmt2(value)


def clause_amount(value: Decimal) -> str:
    """A fund-source clause's figure: "0" for nothing spent, else two decimals."""
    return "0" if value == 0 else fmt2(value)


def percent(value: Decimal) -> str:
    """A rate rounded to two decimals, trailing zeros dropped: 100%, 87.4%, 95.76%."""
    return fmt_weight(round2(value)) + "%"


def score_text(value: Decimal) -> str:
    return fmt_weight(round2(value))


def sentence(text: str) -> str:
    """The text ending in a full stop (a typed line may end without one)."""
    text = text.strip()
    if not text or text[-1] in _END or text[-1] in "：:":
        return text
    return text.rstrip("，,、") + "。"


def self_reference(ev: Evaluation) -> str:
    """How the department calls itself: set in the report options, else from its name."""
    explicit = str(ev.extra.get("report", {}).get("self_reference", "") or "").strip() \
        if isinstance(ev.extra.get("report"), dict) else ""
    if explicit:
        return explicit
    name = ev.department.name.strip()
    for suffix, ref in (("办公室", "我办"), ("委员会", "我委"), ("管委会", "我委"), ("局", "我局"),
                        ("办", "我办"), ("委", "我委"), ("院", "我院"), ("中心", "我中心"),
                        ("厅", "我厅"), ("署", "我署")):
        if name.endswith(suffix):
            return ref
    return "我单位"


def budget_sentences(ev: Evaluation) -> list[str]:
    """全年预算数 … 完成预算的 Z%。 / 按资金来源分，… / 年末结转和结余 W 万元。"""
    total = effective_total(ev.budget)
    out: list[str] = []
    if total.adjusted is not None and total.executed is not None:
        line = f"全年预算数 {amount(total.adjusted)} 万元，执行数 {amount(total.executed)} 万元"
        r = row_rate(total)
        out.append(line + (f"，完成预算的 {percent(r)}。" if r is not None else "。"))
    elif total.adjusted is not None:
        out.append(f"全年预算数 {amount(total.adjusted)} 万元。")
    elif total.executed is not None:
        out.append(f"全年执行数 {amount(total.executed)} 万元。")
    second = ""
    sources = [(name, ev.budget.source(key).executed) for key, name in SOURCE_ROWS]
    entered = [(name, v) for name, v in sources if v is not None]
    if entered:
        second += "按资金来源分，" + "，".join(
            f"{name}支出 {clause_amount(v)} 万元" for name, v in entered) + "。"
    natures = [(name, ev.budget.nature(key).executed) for key, name in NATURE_ROWS]
    nat = [(name, v) for name, v in natures if v is not None]
    if nat:
        second += "按支出性质看，" + "，".join(f"{name} {amount(v)} 万元" for name, v in nat) + "。"
    if ev.budget.carryover is not None:
        second += f"年末结转和结余 {amount(ev.budget.carryover)} 万元。"
    if second:
        out.append(second)
    return out


def project_paragraphs(ev: Evaluation) -> list[str]:
    """The projects as the data allow: all of them, a partial list, or 无项目支出."""
    listed = [p for p in ev.projects if p.name.strip() or p.budget is not None]
    nature = ev.budget.nature("project")
    spent = nature.executed if nature.executed is not None else nature.adjusted
    if not listed:
        # 无项目支出 only when the clerk entered 项目支出 as zero: an empty row says nothing
        return ["本年度无项目支出。"] if spent is not None and spent == 0 else []
    budget, executed = project_totals(tuple(listed))
    out: list[str] = []
    complete = nature.adjusted is None or (budget is not None
                                           and round2(budget) == round2(nature.adjusted))
    if complete and budget is not None:
        line = (f"本年度共实施项目 {len(listed)} 个，全年预算数合计 {amount(budget)} 万元")
        if executed is not None:
            line += f"，执行数合计 {amount(executed)} 万元"
            r = rate(executed, budget)
            if r is not None:
                line += f"，完成预算的 {percent(r)}"
        out.append(line + "。")
    elif not complete:
        line = "本年度项目支出"
        if nature.adjusted is not None:
            line += f"全年预算数 {amount(nature.adjusted)} 万元"
        if nature.executed is not None:
            line += ("，" if nature.adjusted is not None else "") + \
                f"执行数 {amount(nature.executed)} 万元"
        out.append(line + f"。其中，重点项目 {len(listed)} 个：")
    for i, project in enumerate(listed, start=1):
        name = project.name.strip() or f"项目{i}"
        parts = []
        if project.budget is not None:
            parts.append(f"全年预算数为 {amount(project.budget)} 万元")
        if project.executed is not None:
            parts.append(f"执行数为 {amount(project.executed)} 万元")
        r = rate(project.executed, project.budget)
        if r is not None:
            parts.append(f"完成预算的 {percent(r)}")
        text = f"{i}.{name}" + "，".join(parts) + ("。" if parts else "")
        if not parts:
            text = sentence(text)
        result = project.result.strip()
        if result:
            text += sentence(result)
        out.append(text)
    return out


def score_sentence(ev: Evaluation, result: ScoreResult) -> str:
    """根据……指标体系，我办年度指标评分表得分为 S 分，自评等级为“G”。"""
    text = (f"根据部门整体支出绩效评价指标体系，{self_reference(ev)}{ev.department.year}年度"
            f"部门整体支出绩效自评得分为 {score_text(result.total)} 分，自评等级为“{result.grade}”")
    if result.renormalised:
        text += "（不适用指标不参与评分，按适用指标分值折算为百分制）"
    if result.cap is not None and result.cap.limit is not None:
        text += f"（{result.cap.text}" + (f"，封顶前为 {score_text(result.cap.uncapped)} 分）"
                                          if result.cap.applied else "）")
    return text + "。"
