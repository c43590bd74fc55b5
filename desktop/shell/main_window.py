"""主窗口: navigation, the form pages, the live score panel, the issues panel, autosave.

The window owns the open ``Document`` (one evaluation of the library) and its
``Autosave``; pages come from ``desktop.form.pages.build_pages`` and are rebuilt
when another evaluation is opened.  Its jobs are mixed in from flat modules:
the commands, menus and toolbar (``window_actions``), the sections and going to
a field (``window_navigation``), the status bar and read-only banner
(``window_status``), and opening and switching evaluations (``window_opening``).
Export and indicator-system actions live in their own modules, imported on first use.
"""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLockFile, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QUndoGroup
from PySide6.QtWidgets import (QApplication, QFrame, QLabel, QListWidget, QListWidgetItem,
                               QMainWindow, QPushButton, QSplitter, QStackedWidget,
                               QVBoxLayout, QWidget)

from desktop.common import messages

from desktop.shell import safekeeping
from desktop.shell.autosave import Autosave
from desktop.form.document import Document
from desktop.shell.export_actions import ExportActions
from desktop.shell.help_dialog import HelpDialog
from desktop.form.issues_panel import IssuesPanel
from desktop.form.pages import Page, build_pages
from desktop.form.score_panel import ScorePanel
from desktop.common.undo_route import route_undo_keys
from desktop.common.widgets import hold_read_only
from desktop.shell.window_actions import WindowActionsMixin
from desktop.shell.window_navigation import NavigationMixin
from desktop.shell.window_opening import OpeningMixin
from desktop.shell.window_status import StatusMixin
from forms.model import Evaluation
from forms.storage import Library, StorageError

APP_TITLE = "部门整体支出绩效自评"


class MainWindow(WindowActionsMixin, NavigationMixin, StatusMixin, OpeningMixin, QMainWindow):
    """The clerk's window; its commands, navigation, status bar and evaluations are
    mixed in from ``desktop.window_*``."""

    def __init__(self, library: Library, settings: QSettings, db_path: Path | str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.library = library
        self.settings = settings
        self.db_path = Path(db_path)
        self.document: Document | None = None
        self.autosave: Autosave | None = None
        self.pages: list[Page] = []
        self.lock: QLockFile | None = None  # held while this window uses the database
        self._failure_shown = False
        self.broken: dict[int, str] = {}  # evaluations that could not be opened, and why
        self._shown_once = False
        self.undo_group = QUndoGroup(self)
        route_undo_keys(self, self.undo_group)  # Ctrl+Z in any field undoes the evaluation
        self.exports = ExportActions(self, self._current_evaluation, self._on_imported, settings)
        self.exports.inputs = lambda: [self.db_path, *(  # never exported over: the library
            self.db_path.with_name(self.db_path.name + end) for end in ("-wal", "-shm", ".state"))]
        self.setWindowTitle(APP_TITLE)

        self._build_centre()
        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        # Shortcuts work even with the menu bar hidden or a menu never opened.
        self.addActions([self.act_library, self.act_new, self.act_save, self.act_quit,
                         self.act_undo, self.act_redo, self.act_print, self.act_help,
                         *self.act_sections])
        self._restore_layout()
        # an open cell or tree editor starts the autosave's timer as an edit does
        safekeeping.report_typing(self, lambda: self.autosave.pending() if self.autosave else None)

    # ------------------------------------------------------------ building

    def _build_centre(self) -> None:
        self.title_label = QLabel("")
        self.title_label.setObjectName("evaluationTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("font-weight: bold; padding: 4px 2px;")
        # two lines' room whatever the department's name, so the list below keeps its place
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.title_label.setFixedHeight(2 * self.title_label.fontMetrics().lineSpacing() + 10)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFrameShape(QFrame.Shape.NoFrame)
        self.nav.setStyleSheet("QListWidget::item { padding: 5px 2px; }")
        self.nav.currentRowChanged.connect(self._on_nav_row)
        nav_box = QWidget()
        nav_layout = QVBoxLayout(nav_box)
        nav_layout.setContentsMargins(6, 4, 0, 4)
        nav_layout.addWidget(self.title_label)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        nav_layout.addWidget(line)
        nav_layout.addWidget(self.nav, 1)
        nav_box.setMinimumWidth(150)
        nav_box.setMaximumWidth(240)

        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        self.empty_page = self._make_empty_page()
        self.stack.addWidget(self.empty_page)

        self.score_panel = ScorePanel()
        self.score_panel.setMaximumWidth(300)
        self.score_panel.group_activated.connect(self.go_to_group)
        self.issues_panel = IssuesPanel()
        self.issues_panel.issue_activated.connect(self.go_to_issue)

        self.centre_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.centre_splitter.setObjectName("centreSplitter")
        self.centre_splitter.addWidget(nav_box)
        self.centre_splitter.addWidget(self.stack)
        self.centre_splitter.addWidget(self.score_panel)
        self.centre_splitter.setStretchFactor(0, 0)
        self.centre_splitter.setStretchFactor(1, 1)
        self.centre_splitter.setStretchFactor(2, 0)
        self.centre_splitter.setCollapsible(1, False)
        self.centre_splitter.setCollapsible(2, False)
        self.centre_splitter.setSizes([170, 940, 230])

        self.main_splitter = QSplitter(Qt.Orientation.Vertical)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.centre_splitter)
        self.main_splitter.addWidget(self.issues_panel)
        self.main_splitter.setStretchFactor(0, 1)
        self.main_splitter.setStretchFactor(1, 0)
        self.main_splitter.setCollapsible(0, False)
        self.main_splitter.setSizes([600, 100])
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        centre_layout.addWidget(self._build_read_only_banner())
        # a document shown only to be read (a submission under review): says so and why
        self.view_only_banner = QLabel("")
        self.view_only_banner.setObjectName("viewOnlyBanner")
        self.view_only_banner.setWordWrap(True)
        self.view_only_banner.setStyleSheet(
            "background: #fee2e2; color: #7f1d1d; font-weight: bold; padding: 6px;")
        self.view_only_banner.hide()
        centre_layout.addWidget(self.view_only_banner)
        self._view_only = ""
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._hold_view_only)
        centre_layout.addWidget(self.main_splitter, 1)
        self.setCentralWidget(centre)

    def _make_empty_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        label = QLabel("没有打开的评价。\n请在评价库中新建或打开一份自评。")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)
        button = QPushButton("打开评价库…")
        button.clicked.connect(self.show_library)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        return page

    # ------------------------------------------------------------ settings

    def _last_key(self) -> str:
        digest = hashlib.sha1(str(self.db_path.resolve()).encode("utf-8")).hexdigest()[:12]
        return f"last_evaluation/{digest}"

    def last_evaluation_id(self) -> int | None:
        value = self.settings.value(self._last_key())
        try:
            return int(value) if value is not None else None
        except (TypeError, ValueError):
            return None

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        self.start_maximized = False
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            screen = self.screen().availableGeometry() if self.screen() else None
            width = min(1366, screen.width()) if screen else 1366
            height = min(768, screen.height()) if screen else 768
            self.resize(width, height)
            # first start on a laptop screen (1366×768): use all of it, as office programs do
            self.start_maximized = screen is not None and screen.width() <= 1440
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)

    def _restore_splitters(self) -> None:
        # Once the pages exist (their minimum sizes decide the split), not before.
        for key, splitter in (("window/centre", self.centre_splitter),
                              ("window/main", self.main_splitter)):
            state = self.settings.value(key)
            if state is not None:
                splitter.restoreState(state)

    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt name)
        if not self._shown_once:
            self._shown_once = True
            self._restore_splitters()
        super().showEvent(event)

    def _save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/centre", self.centre_splitter.saveState())
        self.settings.setValue("window/main", self.main_splitter.saveState())
        self.settings.sync()

    # ------------------------------------------------------------ the open document

    def set_document(self, document: Document | None) -> None:
        """Show ``document`` (None: nothing open) with fresh pages and its own autosave."""
        section = self.current_section()
        if self.autosave is not None:
            self.autosave.stop()
            self.autosave.deleteLater()
            self.autosave = None
        old = self.document
        view_only = str(getattr(document, "read_only_note", "") or "")
        # pages held read-only are never reused for a document that may be edited
        reuse = document is not None and bool(self.pages) and not view_only and not self._view_only
        if not reuse and document is not None:
            for page in self.pages:
                self.stack.removeWidget(page)
                page.deleteLater()
            self.pages = []
        self.nav.blockSignals(True)
        self.nav.clear()
        self.nav.blockSignals(False)
        if old is not None:
            self.undo_group.removeStack(old.undo_stack)
            old.changed.disconnect(self._on_document_changed)
            old.scored.disconnect(self._refresh_state)
            old.stepped.disconnect(self._on_stepped)
            old.deleteLater()

        self.document = document
        if document is not None:
            document.setParent(self)
            self.undo_group.addStack(document.undo_stack)
            self.undo_group.setActiveStack(document.undo_stack)
            self.autosave = Autosave(self.library, document, parent=self)
            self.autosave.saved.connect(self._on_saved)
            self.autosave.conflict.connect(self._on_conflict)
            self.autosave.failed.connect(self._on_save_failed)
            self.autosave.before_flush = self.commit_editors
            self.autosave.before_timed_flush = lambda: safekeeping.commit_open_editors(self, True)
            document.changed.connect(self._on_document_changed)
            document.stepped.connect(self._on_stepped)
            document.scored.connect(self._refresh_state)
            if reuse:  # the pages switch documents themselves: no widget rebuilt
                for page in self.pages:
                    page.set_document(document)
            else:
                self.pages = list(build_pages(document))
                for page in self.pages:
                    self.stack.addWidget(page)
                self._issues_last_in_tab_order()
            for page in self.pages:
                self.nav.addItem(QListWidgetItem(page.title))
        self.score_panel.set_document(document)
        self.issues_panel.set_document(document)
        for action in self._document_actions:
            action.setEnabled(document is not None)
        self.act_save.setEnabled(document is not None and not self.library.read_only)
        self._set_view_only(view_only)
        self._refresh_state()
        self._update_title()
        self.saved_label.setText(self._opened_text(document))
        self.saved_label.setStyleSheet("")
        if document is None:
            self.stack.setCurrentWidget(self.empty_page)
        else:
            index = next((i for i, p in enumerate(self.pages) if p.section == section), 0)
            self.show_section(index)

    # ------------------------------------------------------------ a document only to read

    def _view_only_actions(self) -> list[QAction]:
        """What writes, exports or prints the evaluation: off while it is only read."""
        return [self.act_save, self.act_next_year, self.act_export_package, self.act_history,
                self.act_update_system, self.act_export_excel, self.act_export_pdf,
                self.act_export_docx, self.act_print, self.act_fill_template, self.act_pack,
                self.act_export_layout, self.act_report_options, self.act_import_excel]

    def _set_view_only(self, note: str) -> None:
        """``note`` (why the document is read-only) heads the window, every field is held
        read-only and the export, print and import actions are off; "" ends it."""
        self._view_only = note
        self.view_only_banner.setText(note)
        self.view_only_banner.setVisible(bool(note))
        if note:
            for action in self._view_only_actions():
                action.setEnabled(False)
            for page in self.pages:
                tree = getattr(page, "tree", None)
                if tree is not None:  # a leaf's editor is built when its row is chosen
                    tree.selectionModel().currentChanged.connect(
                        lambda *_, p=page: hold_read_only(p))
                hold_read_only(page)
        else:
            self.act_import_excel.setEnabled(True)

    def _hold_view_only(self, _old: QWidget | None, new: QWidget | None) -> None:
        """A widget built after the document was shown (a leaf's editor) is held too."""
        if self._view_only and new is not None and self.stack.isAncestorOf(new):
            page = self.stack.currentWidget()
            if page is not None:
                hold_read_only(page)

    # ------------------------------------------------------------ typing kept safe

    def commit_editors(self) -> None:
        """A cell still being typed in (no Enter yet) is written into the document."""
        safekeeping.commit_open_editors(self)

    def show_history(self) -> None:
        if self.document is not None:
            safekeeping.HistoryDialog(self.document, self).exec()

    def _issues_last_in_tab_order(self) -> None:
        """Tab goes navigation → the page's fields → the issues list (pages are built last)."""
        sizes = self.main_splitter.sizes()
        self.issues_panel.setParent(None)  # re-parenting appends it to the focus chain
        self.main_splitter.addWidget(self.issues_panel)
        self.main_splitter.setCollapsible(1, True)
        self.main_splitter.setSizes(sizes)

    def _update_title(self) -> None:
        if self.document is None:
            self.title_label.setText("（未打开评价）")
            self.setWindowTitle(APP_TITLE)
            return
        dept = self.document.evaluation.department
        self.title_label.setText(f"{dept.year} {dept.name or '（未填单位名称）'}")
        self.title_label.setToolTip(f"{dept.year} {dept.name or '（未填单位名称）'}\n"
                                    f"{self.document.evaluation.system.name}")
        read_only = "（只读）" if getattr(self, "_view_only", "") else ""
        self.setWindowTitle(f"{dept.name} {dept.year} 年度{read_only} — {APP_TITLE}")

    # ------------------------------------------------------------ saving

    def _on_conflict(self, message: str) -> None:
        self.saved_label.setText("未保存：此评价已在另一处被修改")
        self.saved_label.setStyleSheet("color: #b91c1c; font-weight: bold;")
        self.resolve_conflict(message)

    def resolve_conflict(self, message: str, allow_later: bool = True) -> bool:
        """Another copy saved this evaluation: reload theirs, or keep ours as a new evaluation."""
        document = self.document
        if document is None or document.evaluation_id is None:
            return True
        deleted = self.library.revision(document.evaluation_id) is None
        choices = ["重新打开（放弃本窗口的修改）", "把本窗口的内容另存为新的一份"]
        if deleted:  # nothing to reopen: keeping the window's content is the only way
            message = "此评价已在另一个窗口中被删除。本窗口的内容还在，可另存为新的一份评价。"
            choices[0] = "关闭此评价（放弃本窗口的内容）"
        if allow_later:
            choices.append("稍后决定")
        answer = messages.Messages.ask(self, "保存冲突", message + "\n\n请选择：", choices)
        if answer == 0 and deleted:
            if messages.confirm(self, "本窗口中此评价的全部内容都会丢失，确定放弃吗？", yes="放弃"):
                self.set_document(None)
                self.open_initial()
                return True
            return False
        if answer == 0:
            try:
                evaluation, revision = self.library.get_with_revision(document.evaluation_id)
            except StorageError as exc:
                messages.error(self, str(exc))
                return False
            document.replace(evaluation)
            assert self.autosave is not None
            self.autosave.mark_stored(revision)
            self.saved_label.setText("已重新打开数据库中的版本")
            self.saved_label.setStyleSheet("")
            return True
        if answer == 1:
            try:
                new_id = self.library.add(document.evaluation)
            except (StorageError, sqlite3.Error, OSError) as exc:
                messages.error(self, f"无法另存：{exc}")
                return False
            document.evaluation_id = new_id
            assert self.autosave is not None
            self.autosave.mark_stored(1)
            self.settings.setValue(self._last_key(), new_id)
            self._on_saved(datetime.now())
            return True
        return False

    def save_now(self) -> bool:
        if self.autosave is None:
            return True
        if self.autosave.flush() or not self.autosave.dirty:
            return True  # (not dirty: a conflict was just resolved by the clerk)
        if self.autosave.blocked:
            return self.resolve_conflict("此评价已在另一个窗口或另一台电脑上被修改并保存。",
                                         allow_later=False)
        return False

    def save_and_say(self) -> None:
        """Ctrl+S: the clerk wants to hear that everything is in the database."""
        if self.document is not None and self.save_now():
            self.statusBar().showMessage("已全部保存到数据库", 4000)

    def _flush_before_leaving(self, doing: str = "离开") -> bool:
        """Before switching evaluation or closing: everything must be in the database, and
        steps undone are not left behind by accident."""
        if self.document is not None and not safekeeping.ask_behind(self, self.document, doing):
            return False
        if self.autosave is None or self.save_now():
            return True
        answer = messages.Messages.ask(
            self, "未能保存", "本窗口的修改未能保存到数据库。仍要离开吗？离开后这些修改会丢失。",
            ["仍要离开（放弃修改）", "返回"], kind=messages.WARNING, default=1)
        return answer == 0

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        if not self._flush_before_leaving("关闭"):
            event.ignore()
            return
        # refused entries need no question: the evaluation keeps them (saved above)
        self._save_layout()
        if self.autosave is not None:
            self.autosave.stop()
        event.accept()

    # ------------------------------------------------------------ other modules

    def _current_evaluation(self) -> Evaluation | None:
        """The evaluation on screen for an export; the cell being typed in belongs in it, and
        undone steps are not exported by accident."""
        self.commit_editors()
        if self.document is not None and not safekeeping.ask_behind(self, self.document, "导出"):
            return None
        return self.document.evaluation if self.document else None

    def edit_report_options(self) -> None:
        if self.document is None:
            return
        from desktop.shell.report_options import ask_report_options

        after = ask_report_options(self, self.document.evaluation)
        if after is not None:
            self.document.apply(after, "报告选项")

    def _on_imported(self, evaluation: Evaluation) -> None:
        """An evaluation read from an Excel 自评表: kept in the library (asked if repeated)."""
        if self.import_evaluation(evaluation):
            self.statusBar().showMessage("已导入", 6000)

    # The system editor is imported when first asked for: it brings openpyxl, which the
    # start-up does not need.
    def edit_systems(self) -> None:
        from desktop.system_editor.window import open_system_editor

        open_system_editor(self)

    def update_system(self) -> None:
        if self.document is None:
            return
        from desktop.system_editor.update import offer_system_update

        updated = offer_system_update(self, self.document.evaluation)
        if updated is not None:
            self.document.apply(updated, "更新指标体系")
            self._update_title()

    # ------------------------------------------------------------ help

    def show_review(self) -> None:
        from desktop.shell.review_window import ReviewWindow, open_in_main_window

        if getattr(self, "review_window", None) is None:
            self.review_window = ReviewWindow(self.settings,
                                              lambda row: open_in_main_window(self, row), self)
            self.review_window.setWindowFlag(Qt.WindowType.Window)
        self.review_window.show()
        self.review_window.raise_()

    def show_help(self) -> None:
        HelpDialog(self).exec()

    def show_about(self) -> None:
        from desktop.shell.about import about_text

        messages.info(self, about_text(self.db_path), title="关于")

