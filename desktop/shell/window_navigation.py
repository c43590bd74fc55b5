"""The main window's navigation: the list of sections, the pages, and going to a field.

``Navigation`` is a part of ``MainWindow``: it owns the evaluation's title and the
list of sections on the left (``box``), the stack of pages (``stack``), and the
pages themselves, built for a document or switched to another one. An issue
clicked in the issues panel, a subtotal clicked in the score panel, and an undo
or redo all end on the field they name; the marks before each section's name
follow the document. What the clerk should read in the status bar is emitted
(``said``); the empty page's button asks for the library (``library_asked``).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QApplication, QFrame, QLabel, QListWidget, QListWidgetItem,
                               QPushButton, QStackedWidget, QVBoxLayout, QWidget)

from desktop.common.widgets import hold_read_only
from desktop.form.document import Document
from desktop.form.pages import Page, build_pages
from desktop.form.section_state import MARKS
from desktop.shell import safekeeping
from forms.address import NodeAddress
from forms.address import parse as parse_address
from forms.section_state import section_state
from forms.validation import Issue


class Navigation(QObject):
    """Which section is shown, the pages, and the way to a field."""

    said = Signal(str, int)  # a message for the status bar, and how long (ms) it stays
    library_asked = Signal()  # 打开评价库… on the page shown when nothing is open

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self._pages: list[Page] = []
        self._held = False  # the pages are held read-only (built for a document only to read)
        self._holding = False  # and so is a widget built later while that document shows
        self.title_label = QLabel("")
        self.title_label.setObjectName("evaluationTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("font-weight: bold; padding: 4px 2px;")
        # two lines' room whatever the department's name, so the list below keeps its place
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.title_label.setFixedHeight(2 * self.title_label.fontMetrics().lineSpacing() + 10)
        self.list = QListWidget()
        self.list.setObjectName("navigation")
        self.list.setFrameShape(QFrame.Shape.NoFrame)
        self.list.setStyleSheet("QListWidget::item { padding: 5px 2px; }")
        self.list.currentRowChanged.connect(self._on_row)
        self.box = QWidget()
        layout = QVBoxLayout(self.box)
        layout.setContentsMargins(6, 4, 0, 4)
        layout.addWidget(self.title_label)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        layout.addWidget(self.list, 1)
        self.box.setMinimumWidth(150)
        self.box.setMaximumWidth(240)

        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        self.empty_page = self._make_empty_page()
        self.stack.addWidget(self.empty_page)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._hold_new_widget)

    def _make_empty_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        label = QLabel("没有打开的评价。\n请在评价库中新建或打开一份自评。")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)
        button = QPushButton("打开评价库…")
        button.clicked.connect(self.library_asked)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        return page

    # ------------------------------------------------------------ the pages

    @property
    def pages(self) -> list[Page]:
        """The pages in form order (a copy: the part keeps its own list)."""
        return list(self._pages)

    def show_document(self, document: Document | None, view_only: bool) -> bool:
        """Pages for ``document`` (None: the empty page), on the section shown before.
        Pages are switched to the new document, not rebuilt, unless either the old or the
        new one is only to be read. True when the pages were built anew."""
        section = self.current_section()
        reuse = document is not None and bool(self._pages) and not view_only and not self._held
        if not reuse and document is not None:
            for page in self._pages:
                self.stack.removeWidget(page)
                page.deleteLater()
            self._pages = []
        self.list.blockSignals(True)
        self.list.clear()
        self.list.blockSignals(False)
        if document is None:
            self._holding = False
            self.stack.setCurrentWidget(self.empty_page)
            return False
        if reuse:  # the pages switch documents themselves: no widget rebuilt
            for page in self._pages:
                page.set_document(document)
        else:
            self._pages = list(build_pages(document))
            for page in self._pages:
                self.stack.addWidget(page)
        for page in self._pages:
            self.list.addItem(QListWidgetItem(page.title))
        self._hold(view_only)
        index = next((i for i, p in enumerate(self._pages) if p.section == section), 0)
        self.show_section(index)
        return not reuse

    def _hold(self, view_only: bool) -> None:
        """Every field of the pages read-only (again for a leaf's editor built later)."""
        self._held = self._holding = view_only
        if not view_only:
            return
        for page in self._pages:
            tree = getattr(page, "tree", None)
            if tree is not None:  # a leaf's editor is built when its row is chosen
                tree.selectionModel().currentChanged.connect(
                    lambda *_, p=page: hold_read_only(p))
            hold_read_only(page)

    def _hold_new_widget(self, _old: QWidget | None, new: QWidget | None) -> None:
        """A widget built after the document was shown (a leaf's editor) is held too."""
        if self._holding and new is not None and self.stack.isAncestorOf(new):
            page = self.stack.currentWidget()
            if page is not None:
                hold_read_only(page)

    def show_title(self, document: Document | None) -> None:
        if document is None:
            self.title_label.setText("（未打开评价）")
            self.title_label.setToolTip("")
            return
        dept = document.evaluation.department
        self.title_label.setText(f"{dept.year} {dept.name or '（未填单位名称）'}")
        self.title_label.setToolTip(f"{dept.year} {dept.name or '（未填单位名称）'}\n"
                                    f"{document.evaluation.system.name}")

    # ------------------------------------------------------------ which section

    def current_section(self) -> str | None:
        page = self.current_page()
        return str(page.section) if page is not None else None

    def current_page(self) -> Page | None:
        index = self.list.currentRow()
        return self._pages[index] if 0 <= index < len(self._pages) else None

    def show_section(self, index: int) -> None:
        if 0 <= index < len(self._pages):
            self.list.setCurrentRow(index)

    def _on_row(self, row: int) -> None:
        if 0 <= row < len(self._pages):
            self.stack.setCurrentWidget(self._pages[row])

    def page_for(self, section: str) -> tuple[int, Page] | None:
        for index, page in enumerate(self._pages):
            if page.section == section:
                return index, page
        return None

    # ------------------------------------------------------------ going to a field

    def go_to_issue(self, issue: Issue) -> None:
        found = self.page_for(issue.section)
        if found is None:
            self.said.emit("此问题不对应表中的某一格", 4000)
            return
        index, page = found
        self.show_section(index)
        if not page.focus(issue.address):
            self.said.emit(f"已转到“{page.title}”，请在此页查找：{issue.message}", 6000)

    def go_to_group(self, address: NodeAddress) -> None:
        """A subtotal clicked in the score panel: that group in the indicator table."""
        found = self.page_for("values")
        if found is not None:
            self.show_section(found[0])
            found[1].focus(address)

    def show_step(self, document: Document, undone: bool, text: str, path: str) -> None:
        """Undo / redo: show the field it changed and say what was done."""
        where = safekeeping.where_changed(document.evaluation, path)
        if path:
            address = parse_address(path)
            found = self.page_for(address.section)
            if found is not None:
                self.show_section(found[0])
                found[1].focus(address)
        self.said.emit(safekeeping.undo_message(undone, text, where), 8000)

    def refresh_marks(self, document: Document) -> None:
        """The mark before each section's name: done, empty, warned or wrong."""
        issues = document.issues
        result = document.result
        for index, page in enumerate(self._pages):
            item = self.list.item(index)
            if item is None:
                continue
            state = section_state(page.section, issues, result, document.evaluation)
            mark, colour, tip = MARKS[state]
            text = f"{mark} {page.title}"
            if item.text() != text:
                item.setText(text)
                item.setToolTip(f"{page.title}：{tip}")
                item.setForeground(QBrush(QColor(colour)))
                item.setData(Qt.ItemDataRole.UserRole, state)
