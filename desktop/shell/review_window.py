"""审核 window: the finance bureau reviews every department's submission at once.

Choose a folder; the submissions are read in worker processes (progress,
cancel), then listed one per row — sortable by any column, filtered by flag.
A submission opens read-only in the main window with its flags on top of the
issues panel; the summary workbook and the PDF summary are exported from here.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QSettings, Qt, QThread, Signal
from PySide6.QtGui import QBrush, QCloseEvent, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.common.screen import fit_to_screen
from desktop.common import messages
from desktop.form.document import Document
from forms.address import parse
from forms.model import Evaluation
from forms.numbers import fmt2, fmt_rate
from forms.review import FLAG_NAMES, Flag, Review, ReviewRow
from forms.system import System
from forms.validation import WARNING, Issue

if TYPE_CHECKING:
    from desktop.shell.main_window import MainWindow

FOLDER_KEY = "review/folder"
OUTPUT_KEY = "review/output"
ALL = "全部"
ANY_FLAG = "有问题标记的"
NO_FLAG = "没有问题标记的"
COLUMNS = ("单位名称", "年度", "表上总分", "重算总分", "等级", "相差", "预算执行率", "完成度",
           "错误", "提醒", "问题标记", "文件")
COL_TOTAL = COLUMNS.index("重算总分")
ROW_ROLE = Qt.ItemDataRole.UserRole + 1
FLAG_COLOUR = "#92400e"
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


SortKey = Decimal | Fraction | int | str | None  # what a column sorts by (exact numbers)


class _SortItem(QTableWidgetItem):
    """A cell that sorts by its value (numbers as numbers, empty last), not its text."""

    def __init__(self, text: str, key: SortKey):
        super().__init__(text)
        self.key = key

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine = self.key
        theirs: SortKey = other.key if isinstance(other, _SortItem) else other.text()
        if mine is None or theirs is None:
            return theirs is None and mine is not None  # empty cells after the others
        if isinstance(mine, str) or isinstance(theirs, str):
            return str(mine) < str(theirs)
        return mine < theirs


class _Worker(QObject):
    progress = Signal(int, int)
    finished = Signal(object)  # Review, or None when cancelled
    failed = Signal(str)

    def __init__(self, folder: str, reference: System | None):
        super().__init__()
        from exports.review_read import Cancel

        self.folder = folder
        self.reference = reference
        self.cancel = Cancel.new()

    def run(self) -> None:
        from exports.review_read import Cancelled, review_paths

        try:
            review = review_paths([self.folder], self.reference,
                                  progress=lambda done, total: self.progress.emit(done, total),
                                  cancel=self.cancel)
        except Cancelled:
            self.finished.emit(None)
        except Exception as exc:  # noqa: BLE001 - shown to the reviewer, never lost
            self.failed.emit(f"审核未能完成：{exc}")
        else:
            self.finished.emit(review)


class ReviewDocument(Document):
    """A submission shown read-only: edits are refused (the pages show the data again)
    and the review's flags head the issues panel."""

    refused = Signal()

    def __init__(self, evaluation: Evaluation, flags: tuple[Flag, ...], source: str):
        self.flags = flags
        self.source = source
        super().__init__(evaluation)

    @property
    def issues(self) -> list[Issue]:
        return flag_issues(self.flags) + super().issues

    @property
    def read_only_note(self) -> str:
        """Why the window shows this evaluation read-only (its banner)."""
        return (f"只读：这是审核中打开的报送文件 {Path(self.source).name}，只能查看，"
                f"不能修改、导出或打印；需要修改请由报送单位改好后重新报送。")

    def apply(self, after: Evaluation, *_how: object, **_how_named: object) -> None:
        """Refused whatever the edit (its text, merge key or path do not matter)."""
        if after == self.evaluation and after.system == self.evaluation.system:
            return
        self.changed.emit()  # the pages load the unchanged snapshot again
        self.refused.emit()


def flag_issues(flags: tuple[Flag, ...]) -> list[Issue]:
    return [Issue(WARNING, parse(flag.path or "department"), f"【审核·{flag.name}】{flag.message}"
                  f"（{flag.place}）") for flag in flags]


def details_html(row: ReviewRow) -> str:
    """A submission's flags, each with its place, for the pane below the table."""
    head = (f"<b>{escape(row.department or '（未填写单位名称）')} {row.year}</b>　"
            f"重算 {fmt2(row.result.total)}（{escape(row.result.grade)}）　"
            f"{escape(row.submission.path)}")
    if not row.flags:
        return head + "<p>没有问题标记。</p>"
    items = "".join(f"<li><b>{escape(f.name)}</b>：{escape(f.message)}"
                    f"　<span style='color:#555'>{escape(f.place)}</span></li>" for f in row.flags)
    return f"{head}<ol>{items}</ol>"


def _score(value: Decimal | None) -> tuple[str, SortKey]:
    return (fmt2(value), value)


class ReviewWindow(QMainWindow):
    """The 审核 window; ``open_submission`` shows a row in ``main_window``."""

    def __init__(self, settings: QSettings, open_submission: Callable[[ReviewRow], None],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.settings = settings
        self.open_submission = open_submission
        self.review: Review | None = None
        self.folder = ""
        self.reference: System | None = None
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self.setWindowTitle("审核多个单位的自评")
        fit_to_screen(self, 1200, 640)
        self._build()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.shutdown)

    # ------------------------------------------------------------ building

    def _build(self) -> None:
        centre = QWidget()
        layout = QVBoxLayout(centre)
        top = QHBoxLayout()
        self.choose_button = QPushButton("选择文件夹…")
        self.choose_button.clicked.connect(self.choose_folder)
        self.folder_label = QLabel("请选择存放各单位自评表（Excel）或评价包的文件夹，含子文件夹")
        self.reference_combo = QComboBox()
        self.reference_combo.setToolTip("与参考指标体系不同的自评会被标出")
        self._fill_references()
        self.reference_combo.currentIndexChanged.connect(self._reference_changed)
        top.addWidget(self.choose_button)
        top.addWidget(self.folder_label, 1)
        top.addWidget(QLabel("参考指标体系："))
        top.addWidget(self.reference_combo)
        layout.addLayout(top)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("显示："))
        self.filter_combo = QComboBox()
        self.filter_combo.setObjectName("reviewFilter")
        self.filter_combo.addItem(ALL, "")
        self.filter_combo.addItem(ANY_FLAG, "*")
        self.filter_combo.addItem(NO_FLAG, "-")
        for kind, name in FLAG_NAMES.items():
            self.filter_combo.addItem(name, kind)
        self.filter_combo.currentIndexChanged.connect(self.apply_filter)
        bar.addWidget(self.filter_combo)
        self.summary_label = QLabel("")
        bar.addWidget(self.summary_label, 1)
        self.open_button = QPushButton("打开所选（只读）")
        self.open_button.clicked.connect(self.open_selected)
        self.export_button = QPushButton("导出汇总表…")
        self.export_button.clicked.connect(self.export_summary)
        self.pdf_button = QPushButton("导出汇总报告 PDF…")
        self.pdf_button.clicked.connect(self.export_pdf)
        for button in (self.open_button, self.export_button, self.pdf_button):
            button.setEnabled(False)
            bar.addWidget(button)
        layout.addLayout(bar)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("reviewTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # double-click or Enter, as in a file list
        self.table.itemActivated.connect(lambda _item: self.open_selected())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.rejected_table = QTableWidget(0, 2)
        self.rejected_table.setObjectName("rejectedTable")
        self.rejected_table.setHorizontalHeaderLabels(["文件", "原因"])
        self.rejected_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rejected_table.horizontalHeader().setStretchLastSection(True)
        self.rejected_table.verticalHeader().setVisible(False)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.table, "自评")
        self.tabs.addTab(self.rejected_table, "未能读取的文件")
        self.details = QTextBrowser()
        self.details.setObjectName("reviewDetails")
        self.details.setPlaceholderText("选中一行，这里列出该份自评的全部问题标记和所在位置")
        self.details.setMaximumHeight(150)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.tabs)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 1)
        splitter.setCollapsible(0, False)
        layout.addWidget(splitter, 1)

        bottom = QHBoxLayout()
        self.progress = QProgressBar()
        self.progress.setFormat("正在读取 %v / %m 个文件")
        self.progress.setVisible(False)
        self.cancel_button = QPushButton("取消")
        self.cancel_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.status = QLabel("")
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.progress, 2)
        bottom.addWidget(self.cancel_button)
        layout.addLayout(bottom)
        self.setCentralWidget(centre)

    def _fill_references(self) -> None:
        from forms.catalog import shipped_systems, user_systems

        self.reference_combo.addItem("（不比对）", "")
        for entry in shipped_systems() + user_systems():
            self.reference_combo.addItem(entry.name, str(entry.path))

    # ------------------------------------------------------------ dialogs (tests replace these)

    def ask_folder(self) -> str:
        start = str(self.settings.value(FOLDER_KEY) or Path.home())
        return QFileDialog.getExistingDirectory(self, "选择存放自评表的文件夹", start)

    def ask_save_path(self, title: str, suggested: str, file_filter: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, title, suggested, file_filter)
        return path

    # ------------------------------------------------------------ reading

    def choose_folder(self) -> None:
        folder = self.ask_folder()
        if folder:
            self.start(folder)

    def _chosen_reference(self) -> System | None:
        ref = self.reference_combo.currentData()
        if not ref:
            return None
        from forms.catalog import SystemFileError, resolve_system
        from forms.system import SystemInvalid

        try:
            return resolve_system(str(ref))
        except (SystemFileError, SystemInvalid) as exc:
            messages.warning(self, f"参考指标体系无法使用，本次不比对：{exc}")
            return None

    def start(self, folder: str) -> None:
        if self._thread is not None:
            return
        self.folder = folder
        self.settings.setValue(FOLDER_KEY, folder)
        self.folder_label.setText(folder)
        self.reference = self._chosen_reference()
        self._worker = _Worker(folder, self.reference)
        self._thread = QThread(self)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.progress.connect(self._on_progress)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        self.cancel_button.setVisible(True)
        self.cancel_button.setEnabled(True)
        self.choose_button.setEnabled(False)
        self.status.setText("正在读取…")
        self._thread.start()

    def _reference_changed(self) -> None:
        if self.folder and not self.busy:
            self.start(self.folder)  # compare again with the chosen reference

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel.set()
            self.cancel_button.setEnabled(False)
            self.status.setText("正在取消…")

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _stop_thread(self) -> None:
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread.deleteLater()
        if self._worker is not None:
            self._worker.deleteLater()
        self._thread = None
        self._worker = None
        self.progress.setVisible(False)
        self.cancel_button.setVisible(False)
        self.choose_button.setEnabled(True)

    def _on_failed(self, message: str) -> None:
        self._stop_thread()
        self.status.setText("")
        messages.error(self, message, title="审核未能完成")

    def _on_finished(self, review: Review | None) -> None:
        self._stop_thread()
        if review is None:
            self.status.setText("已取消，未读取完的文件夹没有列出")
            return
        self.show_review(review)

    # ------------------------------------------------------------ showing

    def show_review(self, review: Review) -> None:
        self.review = review
        table = self.table
        table.setSortingEnabled(False)
        table.setRowCount(len(review.rows))
        for r, row in enumerate(review.rows):
            diff = row.difference
            cells: list[tuple[str, SortKey]] = [
                (row.department or "（未填写单位名称）", row.department),
                (str(row.year), row.year),
                _score(row.stated_total),
                _score(row.result.total),
                (row.result.grade, row.result.grade),
                _score(diff),
                (fmt_rate(row.execution_rate), row.execution_rate),
                (row.completeness, Fraction(row.result.filled, max(1, row.result.leaf_count))),
                (str(row.errors), row.errors),
                (str(row.warnings), row.warnings),
                ("；".join(dict.fromkeys(f.name for f in row.flags)), len(row.flags)),
                (Path(row.submission.path).name, row.submission.path),
            ]
            for c, (text, key) in enumerate(cells):
                item = _SortItem(text, key)
                item.setData(ROW_ROLE, r)
                if c in (1, 2, 3, 5, 6, 8, 9):
                    item.setTextAlignment(RIGHT)
                if row.flags and c == 10:
                    item.setForeground(QBrush(QColor(FLAG_COLOUR)))
                    item.setToolTip("\n".join(f"{f.name}：{f.message}（{f.place}）"
                                              for f in row.flags))
                if c == 11:
                    item.setToolTip(row.submission.path)
                table.setItem(r, c, item)
        table.setSortingEnabled(True)
        table.sortItems(COL_TOTAL, Qt.SortOrder.DescendingOrder)
        table.resizeColumnsToContents()
        for col in (0, 10):
            table.setColumnWidth(col, min(table.columnWidth(col), 320))
        self.rejected_table.setRowCount(len(review.rejected))
        for r, rejected in enumerate(review.rejected):
            self.rejected_table.setItem(r, 0, QTableWidgetItem(rejected.path))
            self.rejected_table.setItem(r, 1, QTableWidgetItem(rejected.reason))
        self.rejected_table.resizeColumnToContents(0)
        self.tabs.setTabText(0, f"自评（{len(review.rows)}）")
        self.tabs.setTabText(1, f"未能读取的文件（{len(review.rejected)}）")
        grades = "，".join(f"{g} {n}" for g, n in review.grade_counts())
        self.summary_label.setText(
            f"共 {len(review.rows)} 份；{grades}；平均 {fmt2(review.average_total) or '—'} 分"
            f"{review.excluded_text}")
        self.status.setText(f"已读取 {len(review.rows) + len(review.rejected)} 个文件")
        self.export_button.setEnabled(True)
        self.pdf_button.setEnabled(True)
        self.apply_filter()

    def row_at(self, table_row: int) -> ReviewRow | None:
        item = self.table.item(table_row, 0)
        if item is None or self.review is None:
            return None
        index = item.data(ROW_ROLE)
        return self.review.rows[index] if isinstance(index, int) else None

    def apply_filter(self) -> None:
        wanted = self.filter_combo.currentData()
        shown = 0
        for r in range(self.table.rowCount()):
            row = self.row_at(r)
            kinds = row.flag_kinds() if row is not None else set()
            visible = (not wanted or (wanted == "*" and bool(kinds))
                       or (wanted == "-" and not kinds) or wanted in kinds)
            self.table.setRowHidden(r, not visible)
            shown += visible
        if self.review is not None and wanted:
            self.status.setText(f"显示 {shown} / {len(self.review.rows)} 份")

    def visible_rows(self) -> list[ReviewRow]:
        out = []
        for r in range(self.table.rowCount()):
            row = self.row_at(r)
            if row is not None and not self.table.isRowHidden(r):
                out.append(row)
        return out

    def _selection_changed(self) -> None:
        items = self.table.selectedItems()
        self.open_button.setEnabled(bool(items))
        row = self.row_at(items[0].row()) if items else None
        self.details.setHtml(details_html(row) if row is not None else "")

    def open_selected(self) -> None:
        items = self.table.selectedItems()
        row = self.row_at(items[0].row()) if items else None
        if row is not None:
            self.open_submission(row)

    # ------------------------------------------------------------ exporting

    def _export(self, title: str, name: str, suffix: str, file_filter: str,
                make: Callable[[Review], bytes]) -> None:
        if self.review is None:
            return
        from exports.review_workbook import title_of
        from forms.files import WriteFailed, write_atomic

        folder = self.output_folder()
        chosen = self.ask_save_path(title, str(folder / f"{title_of(self.review)}{name}{suffix}"),
                                    file_filter)
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        # the summary never lands on a file of the review (forms.files.output_problem)
        inputs = [row.submission.path for row in self.review.rows] \
            + [rejected.path for rejected in self.review.rejected]
        try:
            write_atomic(path, make(self.review), inputs)
        except WriteFailed as exc:
            messages.error(self, str(exc), title="未能导出")
            return
        self.settings.setValue(OUTPUT_KEY, str(path.parent))
        self.status.setText(f"已导出 {path}")

    def output_folder(self) -> Path:
        """Where a summary is offered: the folder last saved to, never inside the folder under
        review (the next scan would find it there); else the review folder's parent."""
        scanned = Path(self.folder or str(self.settings.value(FOLDER_KEY) or Path.home()))
        saved = self.settings.value(OUTPUT_KEY)
        if saved:
            candidate = Path(str(saved))
            inside = candidate == scanned or scanned in candidate.parents
            if candidate.is_dir() and not inside:
                return candidate
        return scanned.parent if scanned.parent != scanned else Path.home()

    def export_summary(self) -> None:
        from exports.review_workbook import summary_bytes

        self._export("导出审核汇总表", "", ".xlsx", "Excel 工作簿 (*.xlsx)",
                     lambda review: summary_bytes(review, self.reference))

    def export_pdf(self) -> None:
        from exports.review_pdf import summary_pdf_bytes

        self._export("导出审核汇总报告", "", ".pdf", "PDF 文件 (*.pdf)", summary_pdf_bytes)

    def shutdown(self) -> None:
        """Stop a review in progress and wait for its thread (closing, or the program quitting:
        a thread still running when Qt tears down would abort the program)."""
        self.cancel()
        self._stop_thread()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt name)
        self.shutdown()
        super().closeEvent(event)


def open_in_main_window(main: MainWindow, row: ReviewRow) -> None:
    """Show a submission read-only in the main window, its flags heading the issues panel."""
    document = ReviewDocument(row.evaluation, row.flags, row.submission.path)
    if not main.opening.show_read_only(document):
        return
    note = f"只读（审核）：{Path(row.submission.path).name}"

    def refused() -> None:
        main.statusBar().showMessage("这是审核中打开的自评（只读），修改不会保存", 6000)
        main.save_status.say(note)

    document.refused.connect(refused)
    main.save_status.say(note)
    main.raise_()
    main.activateWindow()
