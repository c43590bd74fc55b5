"""主窗口: navigation, the form pages, the live score panel, the issues panel, autosave.

The window owns the open ``Document`` (one evaluation of the library) and its
``Autosave``; pages come from ``desktop.pages.build_pages`` and are rebuilt
when another evaluation is opened.  Export and indicator-system actions live in
their own modules, imported on first use.
"""

from __future__ import annotations

import hashlib
import sqlite3
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any
from collections.abc import Callable

from PySide6.QtCore import QLockFile, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QBrush, QCloseEvent, QColor, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QFileDialog, QFrame, QLabel,
                               QListWidget, QListWidgetItem, QMainWindow, QPushButton,
                               QSplitter, QStackedWidget, QTextBrowser, QToolBar,
                               QVBoxLayout, QWidget)

from desktop import messages, safekeeping
from desktop.autosave import Autosave
from desktop.document import Document
from desktop.export_actions import ExportActions
from desktop.issues_panel import IssuesPanel
from desktop.pages import Page, build_pages
from desktop.score_panel import ScorePanel
from desktop.undo_route import route_undo_keys
from desktop.section_state import MARKS
from forms.address import NodeAddress, section_of
from forms.address import parse as parse_address
from forms.model import Evaluation
from forms.section_state import section_state
from forms.storage import EvaluationUnreadable, Library, StorageError
from forms.validation import SECTIONS, Issue

APP_TITLE = "部门整体支出绩效自评"


class HelpDialog(QDialog):
    TEXT = """
<h3>部门整体支出绩效自评 · 使用说明</h3>
<p><b>怎么用：</b>左侧是自评表的各个部分，逐页填写；右侧的<b>自评得分</b>随每次输入实时更新，
低于分值的小计以 ▼ 标出；下方的<b>问题</b>列出所有错误和提醒，单击一条即跳到对应的格子。</p>
<p><b>不会丢失：</b>每次修改约 1 秒内自动保存到数据库，关闭窗口或断电最多丢失最后 1 秒的输入。
状态栏显示最近一次保存的时间。</p>
<p><b>评价库（Ctrl+O）：</b>列出所有单位和年度的自评；可新建、打开、新建下一年度（沿用单位、指标体系和文字，清空数字）、
删除，以及导入、导出评价包（JSON 文件，便于拷贝和报送）。</p>
<p><b>导出：</b>“导出”菜单生成 Excel 自评表和 PDF 自评报告，也可直接打印。</p>
<p><b>左侧标记：</b>✓ 已填写 · ○ 尚未填写 · ⚠ 有提醒或未填完 · ✗ 有错误。</p>
<h4>快捷键</h4>
<table cellspacing="4">
<tr><td>Ctrl+N</td><td>新建评价</td></tr>
<tr><td>Ctrl+O</td><td>打开评价库</td></tr>
<tr><td>Ctrl+S</td><td>立即保存</td></tr>
<tr><td>Ctrl+P</td><td>打印自评报告</td></tr>
<tr><td>Ctrl+Z / Ctrl+Y</td><td>撤销 / 重做（所有格子通用；状态栏说明撤销了哪一格，“编辑 › 撤销记录”列出每一步）</td></tr>
<tr><td>Ctrl+1 … Ctrl+7</td><td>切换到第 1…7 部分</td></tr>
<tr><td>Tab / Shift+Tab</td><td>下一个 / 上一个格子</td></tr>
<tr><td>Enter</td><td>表格中移到下一行</td></tr>
<tr><td>F1</td><td>本说明</td></tr>
</table>
"""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("使用说明")
        browser = QTextBrowser()
        browser.setHtml(self.TEXT)
        buttons = QDialogButtonBox()
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(browser)
        layout.addWidget(buttons)
        self.resize(560, 520)


class MainWindow(QMainWindow):
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

    # ------------------------------------------------------------ building

    def _build_centre(self) -> None:
        self.title_label = QLabel("")
        self.title_label.setObjectName("evaluationTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("font-weight: bold; padding: 4px 2px;")
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
        self.read_only_banner = QLabel("")
        self.read_only_banner.setObjectName("readOnlyBanner")
        self.read_only_banner.setWordWrap(True)
        self.read_only_banner.setStyleSheet("background: #fef3c7; color: #92400e; padding: 6px;")
        self.read_only_banner.hide()
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        centre_layout.addWidget(self.read_only_banner)
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

    def _action(self, text: str, slot: Callable[[], Any], shortcut: Any = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                action.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.act_library = a("打开…", self.show_library, QKeySequence.StandardKey.Open,
                             "评价库：打开、新建、删除、导入或导出评价")
        self.act_new = a("新建…", self.new_evaluation, QKeySequence.StandardKey.New,
                         "按指标体系新建一份自评")
        self.act_next_year = a("新建下一年度", self.start_next_year,
                               tip="沿用本评价的单位、指标体系和文字，新建下一年度的自评")
        self.act_save = a("立即保存", self.save_and_say, QKeySequence.StandardKey.Save,
                          "修改本来就会自动保存；此命令立即保存")
        self.act_import_package = a("导入评价包…", self.import_package)
        self.act_export_package = a("导出评价包…", self.export_package)
        self.act_quit = a("退出", self.close, "Ctrl+Q")
        self.act_review = a("审核多个单位…", self.show_review,
                            tip="财政局：汇总审核各单位报来的自评表，重算得分并标出问题")

        self.act_undo = self.undo_group.createUndoAction(self, "撤销")
        self.act_undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.act_redo = self.undo_group.createRedoAction(self, "重做")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.act_history = a("撤销记录…", self.show_history,
                             tip="本次打开以来的每一步修改，可回到任意一步")

        self.act_sections: list[QAction] = []
        for index, (_key, title) in enumerate(SECTIONS):
            action = a(title, lambda i=index: self.show_section(i), f"Ctrl+{index + 1}")
            self.act_sections.append(action)
        self.act_toggle_issues = QAction("问题面板", self, checkable=True, checked=True)
        self.act_toggle_issues.toggled.connect(self.issues_panel.setVisible)

        self.act_export_excel = a("导出Excel…", lambda: self.exports.export_excel(),
                                  tip="导出 Excel 自评表")
        self.act_export_pdf = a("导出PDF…", lambda: self.exports.export_pdf(),
                                tip="导出 PDF 自评报告")
        self.act_export_docx = a("导出Word…", lambda: self.exports.export_docx(),
                                 tip="导出 Word 自评报告（可编辑）")
        self.act_report_options = a("报告选项…", self.edit_report_options,
                                    tip="报告的提纲、包含的部分、图表和附件")
        self.act_print = a("打印…", lambda: self.exports.print_report(),
                           QKeySequence.StandardKey.Print, "打印自评报告")
        self.act_import_excel = a("导入Excel…", lambda: self.exports.import_excel(),
                                  tip="把本程序导出的 Excel 自评表读回为一份新的评价")
        self.export_actions_list = [self.act_export_excel, self.act_export_pdf,
                                    self.act_export_docx, self.act_print,
                                    self.act_import_excel]

        self.act_edit_system = a("编辑指标体系…", self.edit_systems,
                                 tip="查看、修改和导入指标体系")
        self.act_update_system = a("更新本评价的指标体系…", self.update_system,
                                   tip="把本评价换用新版的指标体系，保留已填的指标")

        self.act_help = a("使用说明", self.show_help, QKeySequence.StandardKey.HelpContents)
        if self.act_help.shortcut().isEmpty():
            self.act_help.setShortcut(QKeySequence("F1"))
        self.act_about = a("关于", self.show_about)
        self._document_actions = [self.act_next_year, self.act_save, self.act_export_package,
                                  self.act_history,
                                  self.act_update_system, self.act_export_excel,
                                  self.act_export_pdf, self.act_export_docx, self.act_print,
                                  self.act_report_options, *self.act_sections]

    def _build_menus(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu("文件(&F)")
        m.addAction(self.act_new)
        m.addAction(self.act_library)
        m.addAction(self.act_next_year)
        m.addSeparator()
        m.addAction(self.act_save)
        m.addSeparator()
        m.addAction(self.act_import_package)
        m.addAction(self.act_export_package)
        m.addAction(self.act_import_excel)
        m.addSeparator()
        m.addAction(self.act_review)
        m.addSeparator()
        m.addAction(self.act_quit)
        m = bar.addMenu("编辑(&E)")
        m.addAction(self.act_undo)
        m.addAction(self.act_redo)
        m.addAction(self.act_history)
        m = bar.addMenu("视图(&V)")
        for action in self.act_sections:
            m.addAction(action)
        m.addSeparator()
        m.addAction(self.act_toggle_issues)
        m = bar.addMenu("导出(&X)")
        m.addAction(self.act_export_excel)
        m.addAction(self.act_export_pdf)
        m.addAction(self.act_export_docx)
        m.addAction(self.act_report_options)
        m.addSeparator()
        m.addAction(self.act_print)
        m = bar.addMenu("指标体系(&S)")
        m.addAction(self.act_edit_system)
        m.addAction(self.act_update_system)
        m = bar.addMenu("帮助(&H)")
        m.addAction(self.act_help)
        m.addAction(self.act_about)

    def _build_toolbar(self) -> None:
        bar = QToolBar("工具栏")
        bar.setObjectName("toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.setIconSize(QSize(16, 16))
        self.act_new.setIconText("新建")
        self.act_library.setIconText("打开")
        for action in (self.act_new, self.act_library):
            bar.addAction(action)
        bar.addSeparator()
        # Fixed texts on the toolbar (the menu says what would be undone): no jumping buttons.
        self.tb_undo = QAction("撤销", self)
        self.tb_undo.triggered.connect(self.undo_group.undo)
        self.tb_redo = QAction("重做", self)
        self.tb_redo.triggered.connect(self.undo_group.redo)
        for action, can, text in ((self.tb_undo, self.undo_group.canUndoChanged,
                                   self.undo_group.undoTextChanged),
                                  (self.tb_redo, self.undo_group.canRedoChanged,
                                   self.undo_group.redoTextChanged)):
            action.setEnabled(False)
            can.connect(action.setEnabled)
            verb = action.text()
            text.connect(lambda what, a=action, v=verb: a.setToolTip(f"{v}：{what}" if what else v))
            bar.addAction(action)
        bar.addSeparator()
        self.act_export_excel.setIconText("导出Excel")
        self.act_export_pdf.setIconText("导出PDF")
        self.act_export_docx.setIconText("导出Word")
        self.act_print.setIconText("打印")
        for action in (self.act_export_excel, self.act_export_pdf, self.act_export_docx,
                       self.act_print):
            bar.addAction(action)
        self.addToolBar(bar)
        self.toolbar = bar

    def _build_status_bar(self) -> None:
        status = self.statusBar()
        self.saved_label = QLabel("")
        self.saved_label.setObjectName("savedLabel")
        self.lock_label = QLabel("")
        self.lock_label.setStyleSheet("color: #b45309;")
        self.lock_label.hide()
        self.db_label = QLabel(f"数据库 {self._short_path(self.db_path)}")
        self.db_label.setToolTip(str(self.db_path))
        status.addWidget(self.saved_label)
        status.addWidget(self.lock_label)
        status.addPermanentWidget(self.db_label)

    @staticmethod
    def _short_path(path: Path, limit: int = 48) -> str:
        text = str(path)
        if len(text) <= limit:
            return text
        return "…" + text[-(limit - 1):]

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

    def set_read_only_notice(self) -> None:
        """A banner for a library that opened read-only: nothing typed can be kept."""
        self.read_only_banner.setText(f"数据库是只读的（{self.library.path.parent} 不能写入）："
                                      f"只能查看和导出，修改不会被保存。")
        self.read_only_banner.show()

    def set_other_copy_notice(self, running: bool) -> None:
        self.lock_label.setText("另一个窗口正在使用此数据库，保存时会检查冲突" if running else "")
        self.lock_label.setVisible(running)

    # ------------------------------------------------------------ opening

    def open_initial(self) -> None:
        """The last evaluation opened on this database, else the first of the library."""
        wanted = self.last_evaluation_id()
        try:
            ids = [s.id for s in self.library.list()]
        except (StorageError, sqlite3.Error, OSError) as exc:
            messages.error(self, f"无法读取评价库：{exc}")
            ids = []
        opened = False
        if wanted in ids:
            opened = self.open_evaluation(wanted)
        elif ids:
            opened = self.open_evaluation(ids[0])
        else:
            self.set_document(None)
        if ids and not opened:
            # the start never depends on one evaluation: the library lets the clerk choose
            QTimer.singleShot(0, self.show_library)

    def open_evaluation(self, evaluation_id: int) -> bool:
        if self.document is not None and self.document.evaluation_id == evaluation_id:
            return True
        if not self._flush_before_leaving():
            return False
        try:
            evaluation, revision = self.library.get_with_revision(evaluation_id)
        except EvaluationUnreadable as exc:
            self.broken[evaluation_id] = exc.reason
            messages.error(self, f"{exc}\n\n其他评价不受影响。可在评价库中导出它的原始数据，"
                           f"交技术支持处理。", title="无法打开评价")
            return False
        except StorageError as exc:
            messages.error(self, str(exc), title="无法打开评价")
            return False
        try:
            self.set_document(Document(evaluation, evaluation_id, revision))
        except Exception:  # noqa: BLE001 - a defect drawing one evaluation must not lock the clerk out
            details = traceback.format_exc()
            self.broken[evaluation_id] = "显示此评价时程序出错"
            try:
                self.set_document(None)
            except Exception:  # noqa: BLE001 - the empty page still shows
                pass
            messages.error(self, "显示此评价时程序出错，无法打开。其他评价不受影响；可在评价库中"
                           "导出它的原始数据，交技术支持处理。", title="无法打开评价",
                           details=details)
            return False
        self.broken.pop(evaluation_id, None)
        self.settings.setValue(self._last_key(), evaluation_id)
        return True

    def set_document(self, document: Document | None) -> None:
        """Show ``document`` (None: nothing open) with fresh pages and its own autosave."""
        section = self.current_section()
        if self.autosave is not None:
            self.autosave.stop()
            self.autosave.deleteLater()
            self.autosave = None
        old = self.document
        reuse = document is not None and bool(self.pages)
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
        self._refresh_state()
        self._update_title()
        self.saved_label.setText(self._opened_text(document))
        self.saved_label.setStyleSheet("")
        if document is None:
            self.stack.setCurrentWidget(self.empty_page)
        else:
            index = next((i for i, p in enumerate(self.pages) if p.section == section), 0)
            self.show_section(index)

    def _opened_text(self, document: Document | None) -> str:
        """The status bar after opening: when the database last received this evaluation."""
        if document is None or document.evaluation_id is None:
            return ""
        try:
            when = self.library.updated(document.evaluation_id) or ""
        except (StorageError, sqlite3.Error, OSError):  # not worth an error message
            when = ""
        try:
            stamp = datetime.fromisoformat(when)
        except ValueError:
            return "已打开，修改会自动保存"
        shown = f"{stamp:%H:%M:%S}" if stamp.date() == datetime.now().date() else f"{stamp:%Y-%m-%d %H:%M}"
        return f"上次保存 {shown}，修改会自动保存"

    # ------------------------------------------------------------ typing kept safe

    def commit_editors(self) -> None:
        """A cell still being typed in (no Enter yet) is written into the document."""
        safekeeping.commit_open_editors(self)

    def _on_stepped(self, undone: bool, text: str, path: str) -> None:
        """Undo / redo: show the field it changed and say what was done."""
        if self.document is None:
            return
        where = safekeeping.where_changed(self.document.evaluation, path)
        if path:
            address = parse_address(path)
            found = self.page_for(section_of(address))
            if found is not None:
                self.show_section(found[0])
                found[1].focus(address)
        self.statusBar().showMessage(safekeeping.undo_message(undone, text, where), 8000)

    def show_history(self) -> None:
        if self.document is not None:
            safekeeping.HistoryDialog(self.document.undo_stack, self).exec()

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
        self.title_label.setToolTip(self.document.evaluation.system.name)
        self.setWindowTitle(f"{dept.name} {dept.year} 年度 — {APP_TITLE}")

    # ------------------------------------------------------------ navigation

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

    def _on_document_changed(self) -> None:
        self._update_title()
        if self.autosave is not None and self.autosave.timer.isActive():
            self.saved_label.setText("有修改，即将自动保存…")

    # ------------------------------------------------------------ saving

    def _on_saved(self, when: datetime) -> None:
        self._failure_shown = False
        self.saved_label.setText(f"已自动保存 {when:%H:%M:%S}")
        self.saved_label.setStyleSheet("")

    def _on_save_failed(self, message: str) -> None:
        self.saved_label.setText("未能保存！修改仍在窗口中")
        self.saved_label.setStyleSheet("color: #b91c1c; font-weight: bold;")
        if not self._failure_shown:  # once per failure run, not on every keystroke
            self._failure_shown = True
            messages.error(self, message, title="未能保存")

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

    def _flush_before_leaving(self) -> bool:
        """Before switching evaluation or closing: everything must be in the database."""
        if self.autosave is None or self.save_now():
            return True
        answer = messages.Messages.ask(
            self, "未能保存", "本窗口的修改未能保存到数据库。仍要离开吗？离开后这些修改会丢失。",
            ["仍要离开（放弃修改）", "返回"], kind=messages.WARNING, default=1)
        return answer == 0

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        if not self._flush_before_leaving():
            event.ignore()
            return
        # refused entries need no question: the evaluation keeps them (saved above)
        self._save_layout()
        if self.autosave is not None:
            self.autosave.stop()
        event.accept()

    # ------------------------------------------------------------ library

    def show_library(self) -> None:
        from desktop.library_dialog import LibraryDialog

        self.save_now()  # the list shows the score just typed
        current = self.document.evaluation_id if self.document is not None else None
        dialog = LibraryDialog(self.library, self, current_id=current, settings=self.settings,
                               broken=self.broken)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.chosen_id is not None:
            if self.open_evaluation(dialog.chosen_id) and dialog.replace_with is not None:
                self._replace_by_import(dialog.replace_with)

    def new_evaluation(self) -> None:
        from desktop.library_dialog import NewEvaluationDialog

        department = self.document.evaluation.department.name if self.document else ""
        dialog = NewEvaluationDialog(self, self.settings, department=department)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self._add_and_open(dialog.evaluation())

    def _add_and_open(self, evaluation: Evaluation) -> int | None:
        if not self._flush_before_leaving():
            return None
        try:
            new_id = self.library.add(evaluation)
        except (StorageError, sqlite3.Error, OSError) as exc:
            messages.error(self, f"无法保存新的评价：{exc}")
            return None
        self.open_evaluation(new_id)
        return new_id

    def start_next_year(self) -> None:
        if self.document is None or self.document.evaluation_id is None:
            return
        if not self._flush_before_leaving():
            return
        dept = self.document.evaluation.department
        if not messages.confirm(
                self, f"新建“{dept.name} {dept.year + 1} 年度”的自评？\n沿用单位信息、指标体系、"
                      f"目标和文字；预算数字、项目金额和指标填报会清空。", yes="新建"):
            return
        try:
            new_id = self.library.start_next_year(self.document.evaluation_id)
        except StorageError as exc:
            messages.error(self, str(exc))
            return
        self.open_evaluation(new_id)

    def import_package(self) -> None:
        from forms.package import PackageError, load_package

        folder = str(self.settings.value("dirs/package", str(Path.home())))
        path, _ = QFileDialog.getOpenFileName(self, "导入评价包", folder,
                                              "评价包 (*.json);;所有文件 (*)")
        if not path:
            return
        self.settings.setValue("dirs/package", str(Path(path).parent))
        try:
            evaluation = load_package(path)
        except PackageError as exc:
            messages.error(self, f"{Path(path).name} 不能导入：{exc}", title="无法导入评价包")
            return
        self.import_evaluation(evaluation)

    def import_evaluation(self, evaluation: Evaluation) -> bool:
        """A package or workbook read in: a new evaluation, or (asked) one of the same year."""
        dept = evaluation.department
        try:
            same = self.library.find_same(dept.name, dept.year)
        except (StorageError, sqlite3.Error, OSError):  # a damaged library: no duplicate to offer
            same = []
        if same:
            answer = safekeeping.ask_duplicate(self, evaluation, same)
            if answer == safekeeping.CANCEL:
                return False
            if answer == safekeeping.REPLACE:
                if not self.open_evaluation(same[0].id):
                    return False
                return self._replace_by_import(evaluation)
            evaluation = safekeeping.labelled_copy(evaluation)
        return self._add_and_open(evaluation) is not None

    def _replace_by_import(self, evaluation: Evaluation) -> bool:
        """The open evaluation takes the imported content, as one step Ctrl+Z takes back."""
        if self.document is None:
            return False
        self.document.apply(evaluation, "导入替换")
        self.statusBar().showMessage("已用导入的内容替换；Ctrl+Z 可撤销", 8000)
        return True

    def export_package(self) -> None:
        from forms.files import WriteFailed, write_atomic
        from forms.package import write_package

        if self.document is None:
            return
        dept = self.document.evaluation.department
        folder = Path(str(self.settings.value("dirs/package", str(Path.home()))))
        path, _ = QFileDialog.getSaveFileName(self, "导出评价包",
                                              str(folder / f"{dept.name}-{dept.year}.json"),
                                              "评价包 (*.json);;所有文件 (*)")
        if not path:
            return
        self.settings.setValue("dirs/package", str(Path(path).parent))
        try:
            write_atomic(path, write_package(self.document.evaluation))
        except WriteFailed as exc:
            messages.error(self, str(exc), title="无法导出评价包")
            return
        self.statusBar().showMessage(f"已导出评价包 {path}", 6000)

    # ------------------------------------------------------------ other modules

    def _current_evaluation(self) -> Evaluation | None:
        """The evaluation on screen for an export; the cell being typed in belongs in it."""
        self.commit_editors()
        return self.document.evaluation if self.document else None

    def edit_report_options(self) -> None:
        if self.document is None:
            return
        from desktop.report_options import ask_report_options

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
        from desktop.system_editor import open_system_editor

        open_system_editor(self)

    def update_system(self) -> None:
        if self.document is None:
            return
        from desktop.system_editor import offer_system_update

        updated = offer_system_update(self, self.document.evaluation)
        if updated is not None:
            self.document.apply(updated, "更新指标体系")
            self._update_title()

    # ------------------------------------------------------------ help

    def show_review(self) -> None:
        from desktop.review_window import ReviewWindow, open_in_main_window

        if getattr(self, "review_window", None) is None:
            self.review_window = ReviewWindow(self.settings,
                                              lambda row: open_in_main_window(self, row), self)
            self.review_window.setWindowFlag(Qt.WindowType.Window)
        self.review_window.show()
        self.review_window.raise_()

    def show_read_only(self, document: Document) -> bool:
        """Show a document that is not in the library (a submission under review)."""
        if not self._flush_before_leaving():
            return False
        self.set_document(document)
        return True

    def show_help(self) -> None:
        HelpDialog(self).exec()

    def show_about(self) -> None:
        from desktop.about import about_text

        messages.info(self, about_text(self.db_path), title="关于")

