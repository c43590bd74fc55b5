"""What every form page shares: the document it shows, lazy refresh, marks, focus by address.

A page is refreshed from ``document.evaluation`` when the document changes,
but only while it is visible: a hidden page just remembers that it is stale
and catches up when it is shown (or asked to focus a field), which keeps an
edit's cost to the page being typed in.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from forms import carry_over
from forms.address import Address, parse
from forms.model import Evaluation
from forms.validation import ERROR, Issue

from desktop.form.document import Document
from desktop.common.widgets import TextField, set_mark, show_problems


class Page(QWidget):
    title = ""
    section = ""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self._stale = False
        # the plain form fields by address (marks and focus)
        self.fields: dict[Address, QWidget] = {}
        self.setObjectName(f"page_{self.section}")
        document.changed.connect(self._on_changed)

    # ---- layout helpers
    problems: QLabel | None = None  # the section's issues in words, when the page lists them
    scroll_area: QScrollArea | None = None  # the page's scrolling column (``scroll_body``)

    def scroll_body(self, *, problems: bool = True) -> QVBoxLayout:
        """A scrollable column for the page's content, with the page title on top and,
        after everything the page adds, the page's problems in words (the fields are
        marked as well)."""
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.scroll_area = scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        # a scroll bar that came and went would narrow the page and re-wrap its lines
        scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        body = QWidget()
        scroll.setWidget(body)
        outer.addWidget(scroll)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(8)
        layout.addWidget(heading(self.title))
        layout.addWidget(self._make_carry_bar(body))
        # the page's fields go into ``content``; the problems in words come after all of
        # them, so a message appearing or going away moves no field the clerk aims at
        content = QVBoxLayout()
        content.setContentsMargins(0, 0, 0, 0)
        content.setSpacing(8)
        layout.addLayout(content, 1)
        if problems:
            self.problems = QLabel(body)
            self.problems.setObjectName("page_problems")
            self.problems.setWordWrap(True)
            self.problems.setVisible(False)
            layout.addWidget(self.problems)
        return content

    # ---- 沿用上年: texts copied by 新建下一年度, until edited or confirmed
    carry_bar: QWidget | None = None

    def _make_carry_bar(self, parent: QWidget) -> QWidget:
        bar = QFrame(parent)
        bar.setObjectName("carry_bar")
        bar.setStyleSheet("QFrame#carry_bar { background: #fff3cd; border: 1px solid #e0b252; }")
        row = QHBoxLayout(bar)
        row.setContentsMargins(8, 4, 8, 4)
        self.carry_label = QLabel(bar)
        self.carry_label.setWordWrap(True)
        self.carry_button = QPushButton("确认沿用（本页）", bar)
        self.carry_button.setObjectName("carry_confirm")
        self.carry_button.clicked.connect(self.confirm_carried)
        row.addWidget(self.carry_label, 1)
        row.addWidget(self.carry_button)
        bar.setVisible(False)
        self.carry_bar = bar
        return bar

    def carried_here(self) -> list[str]:
        return [p for p in carry_over.carried(self.document.evaluation)
                if parse(p).section == self.section]

    def _show_carried(self) -> None:
        if self.carry_bar is None:
            return
        paths = self.carried_here()
        ev = self.document.evaluation
        if paths:
            self.carry_label.setText(
                f"本页有 {len(paths)} 处文字沿用上年（已标黄，上年的年份和比率加了底色）。"
                f"请逐一修改；内容仍然适用的，按“确认沿用”。")
        if paths:  # once shown, the bar keeps its room: confirming moves no field up
            keep = self.carry_bar.sizePolicy()
            keep.setRetainSizeWhenHidden(True)
            self.carry_bar.setSizePolicy(keep)
        self.carry_bar.setVisible(bool(paths))
        for address, widget in self.fields.items():
            if isinstance(widget, TextField):
                widget.set_stale_year(ev.department.year if str(address) in paths else None)

    def confirm_carried(self) -> None:
        paths = self.carried_here()
        if paths:
            after = carry_over.confirm(self.document.evaluation, paths)
            self.document.apply(after, f"确认沿用上年的文字（{self.title}）")

    # ---- refresh
    def _on_changed(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
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
        self._show_carried()

    def load(self, ev: Evaluation) -> None:
        raise NotImplementedError

    def section_issues(self) -> list[Issue]:
        return [i for i in self.document.issues if i.section == self.section]

    def paint_marks(self, issues: list[Issue]) -> None:
        """Mark the plain fields whose path has an issue (a field path may have several)."""
        by_field: dict[Address, list[Issue]] = {}
        for issue in issues:
            if issue.address in self.fields:
                by_field.setdefault(issue.address, []).append(issue)
        if self.problems is not None:
            show_problems(self.problems, issues)
        for address, widget in self.fields.items():
            found = by_field.get(address, [])
            if not found:
                set_mark(widget, None)
            else:
                level = ERROR if any(i.level == ERROR for i in found) else found[0].level
                set_mark(widget, level, "\n".join(i.message for i in found))


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

    def focus(self, address: Address) -> bool:
        """Show and focus the field at ``address``; False when this page has no such field."""
        self.ensure_fresh()
        widget = self.fields.get(address)
        return widget is not None and self.focus_widget(widget)

    def focus_widget(self, widget: QWidget) -> bool:
        self.scroll_to(widget, 40)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def scroll_to(self, widget: QWidget, margin: int = 50) -> None:
        """Scroll the page's column (if it has one) until ``widget`` shows."""
        if self.scroll_area is not None:
            self.scroll_area.ensureWidgetVisible(widget, margin, margin)


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
