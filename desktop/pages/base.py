"""What every form page shares: the document it shows, lazy refresh, marks, focus_path.

A page is refreshed from ``document.evaluation`` when the document changes,
but only while it is visible: a hidden page just remembers that it is stale
and catches up when it is shown (or asked to focus a field), which keeps an
edit's cost to the page being typed in.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from forms.validation import ERROR, Issue

from ..document import Document
from ..widgets import set_mark, show_problems


class Page(QWidget):
    title = ""
    section = ""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self._stale = False
        # path → widget for plain form fields (marks and focus_path)
        self.fields: dict[str, QWidget] = {}
        self.setObjectName(f"page_{self.section}")
        document.changed.connect(self._on_changed)

    # ---- layout helpers
    problems: QLabel | None = None  # the section's issues in words, when the page lists them

    def scroll_body(self, *, problems: bool = True) -> QVBoxLayout:
        """A scrollable column for the page's content, with the page title on top and,
        below it, the page's problems in words (the fields are marked as well)."""
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        body = QWidget()
        self.scroll.setWidget(body)
        outer.addWidget(self.scroll)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(heading(self.title))
        if problems:
            self.problems = QLabel(body)
            self.problems.setObjectName("page_problems")
            self.problems.setWordWrap(True)
            self.problems.setVisible(False)
            layout.addWidget(self.problems)
        return layout

    # ---- refresh
    def _on_changed(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: Any) -> None:  # noqa: N802
        if self._stale:
            self.refresh()
        super().showEvent(event)

    def ensure_fresh(self) -> None:
        if self._stale:
            self.refresh()

    def refresh(self) -> None:
        """Show the current snapshot and its problems (values in place)."""
        self._stale = False
        self.load(self.document.evaluation)
        self.paint_marks(self.section_issues())

    def load(self, ev: Any) -> None:
        raise NotImplementedError

    def section_issues(self) -> list[Issue]:
        return [i for i in self.document.issues if i.section == self.section]

    def paint_marks(self, issues: list[Issue]) -> None:
        """Mark the plain fields whose path has an issue (a field path may have several)."""
        by_field: dict[str, list[Issue]] = {}
        for issue in issues:
            target = self.field_for_path(issue.path)
            if target is not None:
                by_field.setdefault(target, []).append(issue)
        if self.problems is not None:
            show_problems(self.problems, issues)
        for path, widget in self.fields.items():
            found = by_field.get(path, [])
            if not found:
                set_mark(widget, None)
            else:
                level = ERROR if any(i.level == ERROR for i in found) else found[0].level
                set_mark(widget, level, "\n".join(i.message for i in found))

    def field_for_path(self, path: str) -> str | None:
        """The registered field an issue path lands on: itself or its nearest parent."""
        while path:
            if path in self.fields:
                return path
            cut = max(path.rfind("."), path.rfind("["))
            if cut <= 0:
                return None
            path = path[:cut]
        return None

    # ---- focus
    def set_document(self, document: Document) -> None:
        try:
            self.document.changed.disconnect(self._on_changed)
        except (RuntimeError, TypeError):
            pass
        self.document = document
        document.changed.connect(self._on_changed)
        self.document_switched()
        self.refresh()

    def document_switched(self) -> None:
        """Rebuild what depends on the document itself (e.g. table models)."""

    def focus_path(self, path: str) -> bool:
        self.ensure_fresh()
        target = self.field_for_path(path)
        if target is None:
            return False
        return self.focus_widget(self.fields[target])

    def focus_widget(self, widget: QWidget) -> bool:
        scroll = getattr(self, "scroll", None)
        if scroll is not None:
            scroll.ensureWidgetVisible(widget, 40, 40)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True


def heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.35)
    font.setBold(True)
    label.setFont(font)
    label.setStyleSheet("color: #1f3a5f; padding-bottom: 4px;")
    return label


def subheading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setStyleSheet("color: #1f3a5f; padding-top: 6px;")
    return label


def hint(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #666;")
    return label
