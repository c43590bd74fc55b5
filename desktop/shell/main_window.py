"""主窗口: navigation, the form pages, the live score panel, the issues panel, autosave.

The window owns the open ``Document`` (one evaluation of the library) and its
``Autosave``, and composes four parts that own their widgets and state:
``commands`` (the commands, menus and toolbar: ``window_actions``), ``navigation``
(the sections, the pages and going to a field: ``window_navigation``), ``save_status``
(the status bar and the banners: ``window_status``) and ``opening`` (opening and
switching evaluations, the library, packages: ``window_opening``). The parts know
nothing of each other: the window connects their signals (an action's ``triggered``,
``said``) and tells each what happened; ``opening`` asks the window for the little it
needs through a typed interface (``window_opening.Host``). Export and
indicator-system actions live in their own modules, imported on first use.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from functools import partial
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QLockFile, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QShowEvent, QUndoGroup
from PySide6.QtWidgets import QMainWindow, QSplitter, QVBoxLayout, QWidget

from desktop.common import messages

from desktop.shell import safekeeping
from desktop.shell.autosave import Autosave
from desktop.form.document import Document
from desktop.shell.export_actions import ExportActions
from desktop.shell.help_dialog import HelpDialog
from desktop.form.issues_panel import IssuesPanel
from desktop.form.pages import Page
from desktop.form.score_panel import ScorePanel
from desktop.common.undo_route import route_undo_keys
from desktop.shell.window_actions import WindowActions
from desktop.shell.window_navigation import Navigation
from desktop.shell.window_opening import Opening
from desktop.shell.window_status import SaveStatus
from forms.model import Evaluation
from forms.storage import Library, StorageError

if TYPE_CHECKING:
    from desktop.shell.review_window import ReviewWindow

APP_TITLE = "部门整体支出绩效自评"


class MainWindow(QMainWindow):
    """The clerk's window, composed of its parts (``commands``, ``navigation``,
    ``save_status``, ``opening``) around the open document."""

    def __init__(self, library: Library, settings: QSettings, db_path: Path | str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.library = library
        self.settings = settings
        self.db_path = Path(db_path)
        self.document: Document | None = None
        self.autosave: Autosave | None = None
        self.lock: QLockFile | None = None  # held while this window uses the database
        self.review_window: ReviewWindow | None = None
        self.start_maximized = False
        self._view_only = ""  # why the document shown is only to be read ("" if it is not)
        self._shown_once = False
        self.undo_group = QUndoGroup(self)
        route_undo_keys(self, self.undo_group)  # Ctrl+Z in any field undoes the evaluation
        self.exports = ExportActions(self, self._current_evaluation, self._on_imported, settings)
        self.exports.inputs = lambda: [self.db_path, *(  # never exported over: the library
            self.db_path.with_name(self.db_path.name + end) for end in ("-wal", "-shm", ".state"))]
        self.setWindowTitle(APP_TITLE)

        self.navigation = Navigation(self)
        self.navigation.said.connect(self._say)
        self.opening = Opening(self, self, library, settings, self.db_path)
        self.opening.said.connect(self._say)
        self.navigation.library_asked.connect(self.opening.show_library)
        self.score_panel = ScorePanel()
        self.score_panel.setMaximumWidth(300)
        self.score_panel.group_activated.connect(self.navigation.go_to_group)
        self.issues_panel = IssuesPanel()
        self.issues_panel.issue_activated.connect(self.navigation.go_to_issue)
        self.save_status = SaveStatus(self, library, self.db_path)
        self._build_centre()
        self.commands = WindowActions(self, self.undo_group)
        self._connect_actions()
        self._restore_layout()
        # an open cell or tree editor starts the autosave's timer as an edit does
        safekeeping.report_typing(self, lambda: self.autosave.pending() if self.autosave else None)

    # ------------------------------------------------------------ building

    def _build_centre(self) -> None:
        self.centre_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.centre_splitter.setObjectName("centreSplitter")
        self.centre_splitter.addWidget(self.navigation.box)
        self.centre_splitter.addWidget(self.navigation.stack)
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
        centre_layout.addWidget(self.save_status.read_only_banner)
        centre_layout.addWidget(self.save_status.view_only_banner)
        centre_layout.addWidget(self.main_splitter, 1)
        self.setCentralWidget(centre)

    def _connect_actions(self) -> None:
        """Each command to the part (or the window's method) that carries it out."""
        a, opening, exports = self.commands, self.opening, self.exports
        commands: list[tuple[QAction, Callable[[], object]]] = [
            (a.library, opening.show_library), (a.new, opening.new_evaluation),
            (a.next_year, opening.start_next_year), (a.save, self.save_and_say),
            (a.import_package, opening.import_package),
            (a.export_package, opening.export_package), (a.restore, opening.show_restore),
            (a.export_library, opening.export_library), (a.quit, self.close),
            (a.review, self.show_review), (a.history, self.show_history),
            # the export slots are looked up when triggered (tests replace them)
            (a.export_excel, lambda: exports.export_excel()),
            (a.export_pdf, lambda: exports.export_pdf()),
            (a.export_docx, lambda: exports.export_docx()),
            (a.print, lambda: exports.print_report()),
            (a.import_excel, lambda: exports.import_excel()),
            (a.report_options, self.edit_report_options),
            (a.fill_template, self.fill_bureau_template),
            (a.pack, self.make_submission_pack), (a.export_layout, self.export_exchange_layout),
            (a.edit_system, self.edit_systems), (a.update_system, self.update_system),
            (a.help, self.show_help), (a.about, self.show_about),
        ]
        commands += [(action, partial(self.navigation.show_section, index))
                     for index, action in enumerate(a.sections)]
        for action, command in commands:
            action.triggered.connect(lambda _checked=False, c=command: c())
        a.toggle_issues.toggled.connect(self.issues_panel.setVisible)

    def _say(self, text: str, timeout: int) -> None:
        self.statusBar().showMessage(text, timeout)

    # ------------------------------------------------------------ layout

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(geometry)
        else:
            screen = self.screen().availableGeometry() if self.screen() else None
            width = min(1366, screen.width()) if screen else 1366
            height = min(768, screen.height()) if screen else 768
            self.resize(width, height)
            # first start on a laptop screen (1366×768): use all of it, as office programs do
            self.start_maximized = screen is not None and screen.width() <= 1440
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray | bytes):
            self.restoreState(state)

    def _restore_splitters(self) -> None:
        # Once the pages exist (their minimum sizes decide the split), not before.
        for key, splitter in (("window/centre", self.centre_splitter),
                              ("window/main", self.main_splitter)):
            state = self.settings.value(key)
            if isinstance(state, QByteArray | bytes):
                splitter.restoreState(state)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt name)
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
        if self.autosave is not None:
            self.autosave.stop()
            self.autosave.deleteLater()
            self.autosave = None
        old = self.document
        view_only = str(getattr(document, "read_only_note", "") or "")
        if old is not None:
            self.undo_group.removeStack(old.undo_stack)
            old.changed.disconnect(self._on_document_changed)
            old.scored.disconnect(self._refresh_marks)
            old.stepped.disconnect(self._on_stepped)
            old.deleteLater()

        self.document = document
        if document is not None:
            document.setParent(self)
            self.undo_group.addStack(document.undo_stack)
            self.undo_group.setActiveStack(document.undo_stack)
            autosave = self.autosave = Autosave(self.library, document, parent=self)
            autosave.saved.connect(self.save_status.saved)
            autosave.conflict.connect(self._on_conflict)
            autosave.failed.connect(self.save_status.save_failed)
            autosave.before_flush = self.commit_editors
            autosave.before_timed_flush = lambda: safekeeping.commit_open_editors(self, True)
            document.changed.connect(self._on_document_changed)
            document.stepped.connect(self._on_stepped)
            document.scored.connect(self._refresh_marks)
        self.score_panel.set_document(document)
        self.issues_panel.set_document(document)
        self.commands.set_document_open(document is not None, not self.library.read_only)
        self._view_only = view_only
        self.commands.set_view_only(bool(view_only))
        self.save_status.set_view_only(view_only)
        if self.navigation.show_document(document, bool(view_only)):
            self._issues_last_in_tab_order()
        self._refresh_marks()
        self._update_title()
        self.save_status.opened(document)

    @property
    def pages(self) -> list[Page]:
        """The pages of the form, in form order (``navigation`` owns them)."""
        return self.navigation.pages

    def page_for(self, section: str) -> tuple[int, Page] | None:
        """The page of ``section`` and its place in the navigation."""
        return self.navigation.page_for(section)

    def show_section(self, index: int) -> None:
        self.navigation.show_section(index)

    def _refresh_marks(self) -> None:
        if self.document is not None:
            self.navigation.refresh_marks(self.document)

    def _on_stepped(self, undone: bool, text: str, path: str) -> None:
        if self.document is not None:
            self.navigation.show_step(self.document, undone, text, path)

    def _on_document_changed(self) -> None:
        self._update_title()
        if self.autosave is not None and self.autosave.timer.isActive():
            self.save_status.pending()

    def set_read_only_notice(self) -> None:
        """The library opened read-only: a banner says so, and 立即保存 why it keeps nothing."""
        self.save_status.set_read_only_notice()
        self.commands.say_library_read_only()

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
        self.navigation.show_title(self.document)
        if self.document is None:
            self.setWindowTitle(APP_TITLE)
            return
        dept = self.document.evaluation.department
        read_only = "（只读）" if self._view_only else ""
        self.setWindowTitle(f"{dept.name} {dept.year} 年度{read_only} — {APP_TITLE}")

    # ------------------------------------------------------------ saving

    def _on_conflict(self, message: str) -> None:
        self.save_status.conflict()
        self.resolve_conflict(message)

    def resolve_conflict(self, message: str, allow_later: bool = True) -> bool:
        """Another copy saved this evaluation: reload theirs, or keep ours as a new evaluation."""
        document, autosave = self.document, self.autosave
        if document is None or document.evaluation_id is None or autosave is None:
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
                self.opening.open_initial()
                return True
            return False
        if answer == 0:
            try:
                evaluation, revision = self.library.get_with_revision(document.evaluation_id)
            except StorageError as exc:
                messages.error(self, str(exc))
                return False
            document.replace(evaluation)
            autosave.mark_stored(revision)
            self.save_status.say("已重新打开数据库中的版本")
            return True
        if answer == 1:
            try:
                new_id = self.library.add(document.evaluation)
            except (StorageError, sqlite3.Error, OSError) as exc:
                messages.error(self, f"无法另存：{exc}")
                return False
            document.evaluation_id = new_id
            autosave.mark_stored(1)
            self.opening.remember(new_id)
            self.save_status.saved(datetime.now())
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

    def leave(self, doing: str = "离开") -> bool:
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
        if not self.leave("关闭"):
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
        if self.opening.import_evaluation(evaluation):
            self.statusBar().showMessage("已导入", 6000)

    def fill_bureau_template(self) -> None:
        from desktop.shell.template_dialog import fill_template

        fill_template(self.exports)

    def make_submission_pack(self) -> None:
        from desktop.shell.pack_action import make_pack

        # the pack names the revision it was made from: save what is on screen first
        saved = self.document is not None and self.save_now()
        make_pack(self.exports, self.document.revision if saved and self.document else None)

    def export_exchange_layout(self) -> None:
        from desktop.shell.pack_action import export_layout

        export_layout(self.exports, self.choose_layout)

    def choose_layout(self, choices: list[tuple[str, str]]) -> str | None:
        """Which exchange layout, when there are several (tests replace this)."""
        from PySide6.QtWidgets import QInputDialog

        names = [name for _id, name in choices]
        name, ok = QInputDialog.getItem(self, "导出为预算系统导入表", "交换格式：", names, 0, False)
        return next((i for i, n in choices if n == name), None) if ok else None

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

        if self.review_window is None:
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
