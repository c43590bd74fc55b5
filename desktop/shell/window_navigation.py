"""The main window's navigation: the list of sections, and going to a field.

``NavigationMixin`` is mixed into ``MainWindow`` (it uses the window's ``nav`` list,
``stack`` of pages, ``pages``, ``document`` and status bar). An issue clicked in the
issues panel, a subtotal clicked in the score panel, and an undo or redo all end on
the field they name; the marks before each section's name follow the document.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QListWidget, QStackedWidget, QStatusBar

from desktop.shell import safekeeping
from desktop.form.document import Document
from desktop.form.pages import Page
from desktop.form.section_state import MARKS
from forms.address import NodeAddress
from forms.address import parse as parse_address
from forms.section_state import section_state
from forms.validation import Issue


class NavigationMixin:
    """Which section is shown, and the way to a field; the window provides the rest."""

    # provided by the window
    nav: QListWidget
    stack: QStackedWidget
    pages: list[Page]
    document: Document | None
    statusBar: Callable[[], QStatusBar]  # noqa: N815 (Qt name)

    def current_section(self) -> str | None:
        index = self.nav.currentRow()
        if 0 <= index < len(self.pages):
            return str(self.pages[index].section)
        return None

    def current_page(self) -> Any:
        index = self.nav.currentRow()
        return self.pages[index] if 0 <= index < len(self.pages) else None

    def show_section(self, index: int) -> None:
        if 0 <= index < len(self.pages):
            self.nav.setCurrentRow(index)

    def _on_nav_row(self, row: int) -> None:
        if 0 <= row < len(self.pages):
            self.stack.setCurrentWidget(self.pages[row])

    def page_for(self, section: str) -> tuple[int, Any] | None:
        for index, page in enumerate(self.pages):
            if page.section == section:
                return index, page
        return None

    def go_to_issue(self, issue: Issue) -> None:
        found = self.page_for(issue.section)
        if found is None:
            self.statusBar().showMessage("此问题不对应表中的某一格", 4000)
            return
        index, page = found
        self.show_section(index)
        if not page.focus(issue.address):
            self.statusBar().showMessage(f"已转到“{page.title}”，请在此页查找：{issue.message}", 6000)

    def go_to_group(self, address: NodeAddress) -> None:
        """A subtotal clicked in the score panel: that group in the indicator table."""
        found = self.page_for("values")
        if found is not None:
            self.show_section(found[0])
            found[1].focus(address)

    def _refresh_state(self) -> None:
        if self.document is None:
            return
        issues = self.document.issues
        result = self.document.result
        for index, page in enumerate(self.pages):
            item = self.nav.item(index)
            if item is None:
                continue
            state = section_state(page.section, issues, result, self.document.evaluation)
            mark, colour, tip = MARKS[state]
            text = f"{mark} {page.title}"
            if item.text() != text:
                item.setText(text)
                item.setToolTip(f"{page.title}：{tip}")
                item.setForeground(QBrush(QColor(colour)))
                item.setData(Qt.ItemDataRole.UserRole, state)

    def _on_stepped(self, undone: bool, text: str, path: str) -> None:
        """Undo / redo: show the field it changed and say what was done."""
        if self.document is None:
            return
        where = safekeeping.where_changed(self.document.evaluation, path)
        if path:
            address = parse_address(path)
            found = self.page_for(address.section)
            if found is not None:
                self.show_section(found[0])
                found[1].focus(address)
        self.statusBar().showMessage(safekeeping.undo_message(undone, text, where), 8000)
