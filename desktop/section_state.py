"""The state of each section of the form, as the navigation shows it.

✗ an error, ⚠ a warning (or indicators not all filled in), ○ nothing entered yet,
✓ filled in without problems.  Problems come from ``forms.validation``; "nothing
entered yet" is decided here, from what a clerk must type for the report to say
anything about the section.
"""

from __future__ import annotations

from forms.budget import effective_total
from forms.model import Evaluation
from forms.scoring import ScoreResult
from forms.validation import ERROR, Issue

OK = "ok"
EMPTY = "empty"
WARNING = "warning"
ERROR_STATE = "error"

MARKS: dict[str, tuple[str, str, str]] = {  # state → (mark, colour, tooltip)
    OK: ("✓", "#15803d", "已填写，没有问题"),
    EMPTY: ("○", "#6b7280", "尚未填写"),
    WARNING: ("⚠", "#b45309", "有提醒，或指标尚未填完"),
    ERROR_STATE: ("✗", "#b91c1c", "有错误，请查看下方的问题"),
}


def section_entered(section: str, evaluation: Evaluation) -> bool:
    """Has the clerk entered the part of the section the report cannot do without?"""
    if section == "department":
        return bool(evaluation.department.name.strip() and evaluation.department.functions)
    if section == "budget":
        total = effective_total(evaluation.budget)
        return total.adjusted is not None and total.executed is not None
    if section == "goals":
        return bool(evaluation.goals.targets.strip())
    if section == "tasks":
        return any(task.name.strip() for task in evaluation.tasks)
    if section == "projects":
        return any(project.name.strip() for project in evaluation.projects)
    if section == "narrative":
        return any(text.strip() for text in evaluation.narrative.values())
    return True  # values: completeness is judged from the score


def section_state(section: str, issues: list[Issue], result: ScoreResult,
                  evaluation: Evaluation) -> str:
    levels = {i.level for i in issues if i.section == section}
    if ERROR in levels:
        return ERROR_STATE
    if section == "values" and result.filled == 0:
        return EMPTY
    if levels or (section == "values" and not result.complete):
        return WARNING
    if not section_entered(section, evaluation):
        return EMPTY
    return OK
