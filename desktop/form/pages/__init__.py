"""The pages of the form, one per section, in the order of the 自评表 and the report.

Every page is a QWidget built as ``Page(document)`` with:
- ``title``: the navigation label (Chinese), ``section``: the key of
  ``forms.validation.SECTIONS`` it shows (issues are routed by it);
- it refreshes itself from ``document.evaluation`` on ``document.changed`` and
  paints its problem marks from ``document.issues``;
- every edit builds a new snapshot and calls ``document.apply(...)``;
- ``focus(address) -> bool`` shows and focuses the field at a ``forms.address`` address
  (an issue's, an undo step's);
- ``set_document(document)`` shows another evaluation in the same page.

A hidden page does not refresh on every edit: it catches up when shown or
asked to focus a field.  Shared pieces: ``desktop.form.tables`` (the Excel-like
grid), ``desktop.form.leaf_editors`` (one input per value field of the rule),
``desktop.common.widgets`` (number/text fields, problem marks, undo keys).
"""

from __future__ import annotations


from desktop.form.document import Document
from desktop.form.pages.base import Page
from desktop.form.pages.budget import BudgetPage
from desktop.form.pages.department import DepartmentPage
from desktop.form.pages.goals import GoalsPage
from desktop.form.pages.indicators import IndicatorsPage
from desktop.form.pages.narrative import NarrativePage
from desktop.form.pages.rows import ProjectsPage, TasksPage

PAGE_TYPES: tuple[type[Page], ...] = (
    DepartmentPage,
    BudgetPage,
    GoalsPage,
    TasksPage,
    ProjectsPage,
    IndicatorsPage,
    NarrativePage,
)


def build_pages(document: Document) -> list[Page]:
    """One page per section of forms.validation.SECTIONS, in form order."""
    return [page_type(document) for page_type in PAGE_TYPES]


__all__ = ["PAGE_TYPES", "Page", "build_pages"]
