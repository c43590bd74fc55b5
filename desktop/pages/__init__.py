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
asked to focus a field.  Shared pieces: ``desktop.tables`` (the Excel-like
grid), ``desktop.leaf_editors`` (one editor per scoring rule),
``desktop.widgets`` (number/text fields, problem marks, undo keys).
"""

from __future__ import annotations


from ..document import Document
from .base import Page
from .budget import BudgetPage
from .department import DepartmentPage
from .goals import GoalsPage
from .indicators import IndicatorsPage
from .narrative import NarrativePage
from .rows import ProjectsPage, TasksPage

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
