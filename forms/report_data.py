"""What the outputs say about the figures, written once from the data.

The report's sentences that restate figures (the budget paragraph, the
projects, the score sentence) are written once, in ``forms.report.wording``;
the desktop shows them from here beside the tables, so its preview says what
the report will say.  ``score_json`` is the ``score --json`` output.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .model import Evaluation
from .numbers import fmt2, fmt_weight
from .report import wording
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


def budget_paragraph(ev: Evaluation) -> str:
    """The report's 部门整体收支情况 sentences (as the desktop shows them beside the table)."""
    return "".join(wording.budget_sentences(ev))


def projects_summary(ev: Evaluation) -> str:
    """The report's 项目支出 paragraphs, one a line."""
    return "\n".join(wording.project_paragraphs(ev))


def score_sentence(ev: Evaluation, result: ScoreResult) -> str:
    """The report's score sentence: ……自评得分为 S 分，自评等级为“G”。"""
    return wording.score_sentence(ev, result)
