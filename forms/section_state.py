"""The state of each section of the form: error, warning, nothing entered yet, or done.

Problems come from ``forms.validation``; "nothing entered yet" is decided here,
from what a clerk must type for the report to say anything about the section.
The desktop's navigation shows each state as a mark (``desktop.form.section_state``).
"""

from __future__ import annotations

from .budget import effective_total
from .model import Evaluation
from .scoring import ScoreResult
from .validation import ERROR, Issue

OK = "ok"
EMPTY = "empty"
WARNING = "warning"
ERROR_STATE = "error"


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
    """✗ an error, ⚠ a warning (or indicators not all filled in), ○ nothing entered, ✓ done."""
    levels = {i.level for i in issues if i.section == section}
    if ERROR in levels:
        return ERROR_STATE
    if section == "values" and result.filled == 0:
        return EMPTY
    if section != "values" and not section_entered(section, evaluation):
        return EMPTY  # nothing typed yet: its warnings say what to type, ○ says it first
    if levels or (section == "values" and not result.complete):
        return WARNING
    if not section_entered(section, evaluation):
        return EMPTY
    return OK
