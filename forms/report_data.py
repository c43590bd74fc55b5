"""What the outputs say about the figures, written once from the data.

The report's sentences that restate figures (the budget paragraph, each
project's execution, the score sentence) are generated here, in the pattern
of the published reports, so the PDF, the desktop preview and the workbook can
never disagree with the tables.  ``score_json`` is the ``score --json`` output.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .budget import effective_total, project_totals, row_rate
from .model import NATURE_ROWS, SOURCE_ROWS, Evaluation
from .numbers import fmt2, fmt_weight
from .scoring import ScoreResult
from .validation import Issue

RATE_KEYS = {
    "budget.execution_rate": "execution_rate",
    "budget.basic_execution_rate": "basic_execution_rate",
    "budget.project_execution_rate": "project_execution_rate",
    "budget.carryover_rate": "carryover_rate",
    "budget.adjustment_rate": "adjustment_rate",
    "projects.execution_rate": "projects_execution_rate",
}


def _s(value: Decimal | None) -> str | None:
    return None if value is None else fmt2(value)


def score_json(result: ScoreResult, issues: list[Issue]) -> dict[str, Any]:
    """Exactly the ``score --json`` output of PACKAGE.md."""
    return {
        "total": fmt2(result.total),
        "grade": result.grade,
        "complete": result.complete,
        "budget": {name: _s(result.rates.get(src)) for src, name in RATE_KEYS.items()},
        "indicators": [
            {"id": r.leaf.id, "name": r.leaf.name, "weight": fmt_weight(r.leaf.weight),
             "actual": _s(r.actual), "score": fmt2(r.score), "status": r.status}
            for r in result.leaves
        ],
        "issues": [i.as_dict() for i in issues],
        **({"cap": {"text": result.cap.text, "limit": _s(result.cap.limit),
                    "uncapped": fmt2(result.cap.uncapped), "applied": result.cap.applied}}
           if result.cap is not None else {}),
    }


def _wan(value: Decimal | None) -> str:
    return f"{fmt2(value)} 万元" if value is not None else "（未填写）"


def _pct(value: Decimal | None) -> str:
    return f"{fmt2(value)}%" if value is not None else "（无法计算）"


def budget_paragraph(ev: Evaluation) -> str:
    """全年预算数 X 万元，执行数 Y 万元，完成预算的 Z%。按资金来源分，……年末结转和结余 W 万元。"""
    total = effective_total(ev.budget)
    if total.adjusted is None and total.executed is None:
        return ""
    parts = [f"{ev.department.year}年度全年预算数 {_wan(total.adjusted)}，"
             f"执行数 {_wan(total.executed)}，完成预算的 {_pct(row_rate(total))}。"]
    sources = [(name, ev.budget.source(key).executed) for key, name in SOURCE_ROWS]
    sources = [(name, v) for name, v in sources if v is not None and v != 0]
    if sources:
        parts.append("按资金来源分，" + "，".join(f"{name}支出 {_wan(v)}" for name, v in sources)
                     + "。")
    natures = [(name, ev.budget.nature(key).executed) for key, name in NATURE_ROWS]
    natures = [(name, v) for name, v in natures if v is not None]
    if natures:
        parts.append("按支出性质看，" + "，".join(f"{name} {_wan(v)}" for name, v in natures) + "。")
    if ev.budget.carryover is not None:
        parts.append(f"年末结转和结余 {_wan(ev.budget.carryover)}。")
    return "".join(parts)


def project_sentences(ev: Evaluation) -> list[str]:
    """……项目全年预算数为 A 万元，执行数为 B 万元，完成预算的 C%。"""
    out = []
    for project in ev.projects:
        if not project.name and project.budget is None:
            continue
        rate = None
        if project.budget is not None and project.executed is not None and project.budget != 0:
            rate = project.executed / project.budget * 100
        name = project.name or "（未命名项目）"
        out.append(f"{name}全年预算数为 {_wan(project.budget)}，执行数为 {_wan(project.executed)}，"
                   f"完成预算的 {_pct(rate)}。")
    return out


def projects_summary(ev: Evaluation) -> str:
    budget, executed = project_totals(ev.projects)
    if not ev.projects or budget is None:
        return ""
    rate = executed / budget * 100 if executed is not None and budget else None
    return (f"本年度共实施项目 {len(ev.projects)} 个，全年预算数合计 {_wan(budget)}，"
            f"执行数合计 {_wan(executed)}，完成预算的 {_pct(rate)}。")


def score_sentence(ev: Evaluation, result: ScoreResult) -> str:
    """……自评得分为 S 分，等级为 G。"""
    text = (f"经自评，{ev.department.name}{ev.department.year}年度部门整体支出绩效"
            f"自评得分为 {fmt2(result.total)} 分，等级为“{result.grade}”")
    if result.renormalised:
        text += "（不适用指标不参与评分，按适用指标分值折算为百分制）"
    if result.cap is not None and result.cap.limit is not None:
        text += f"（{result.cap.text}" + (f"，封顶前为 {fmt2(result.cap.uncapped)} 分）"
                                          if result.cap.applied else "）")
    if not result.complete:
        text += f"（尚有 {result.leaf_count - result.filled} 项指标未填写，按 0 分计）"
    return text + "。"
