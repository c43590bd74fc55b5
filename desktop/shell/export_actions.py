"""导出 Excel / 导出 PDF / 打印 / 导入 Excel for the main window.

The window wires its menu and toolbar actions to the four slots.  Building a
workbook or a report takes a noticeable fraction of a second (more for a big
indicator system), so it runs on the thread pool while a busy progress dialog
keeps the window painted; the result comes back through a queued signal.
Files are written atomically (``forms.files.write_atomic``), so a failure —
the file open in Excel or WPS, a full disk, a read-only folder — leaves the
previous file intact and the clerk reads what happened, in Chinese.

打印 shows Qt's print preview of the report's PDF pages (drawn with
pypdfium2), with the print dialog behind its 打印 button; should the renderer
be missing, the report opens in the system's PDF reader instead.
"""

from __future__ import annotations

import threading
import traceback
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar, cast
from collections.abc import Sequence, Callable

from PySide6.QtCore import QObject, QRunnable, QSettings, Qt, QThreadPool, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (QDialog, QFileDialog, QMainWindow, QProgressDialog, QPushButton,
                               QWidget)

from desktop.common.screen import fit_to_screen
from desktop.common import messages
from forms.model import Evaluation

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

    from exports.pdf_report import Report

T = TypeVar("T")

FOLDER_KEY = "export/folder"
XLSX_FILTER = "Excel 工作簿 (*.xlsx)"
PDF_FILTER = "PDF 文件 (*.pdf)"
DOCX_FILTER = "Word 文档 (*.docx)"


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    """Runs ``work`` on the thread pool; the outcome returns as a queued signal."""

    def __init__(self, work: Callable[[], object]):
        super().__init__()
        self.work = work
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.work()
        except BaseException as exc:  # noqa: BLE001 - reported to the clerk, never lost
            self.signals.failed.emit((exc, traceback.format_exc()))
        else:
            self.signals.done.emit(result)


def preview_available() -> bool:
    """Whether the report's pages can be drawn for a print preview (pypdfium2)."""
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        return False
    return True


class ExportActions(QObject):
    """The export slots; ``current()`` gives the evaluation on screen (or None)."""

    finished = Signal(str)  # what was done, as shown in the status bar
    failed = Signal(str)  # the message shown to the clerk

    def __init__(self, parent: QWidget, current: Callable[[], Evaluation | None],
                 on_imported: Callable[[Evaluation], None], settings: QSettings):
        super().__init__(parent)
        self.window = parent
        self.current = current
        self.on_imported = on_imported
        self.settings = settings
        self.busy = False
        self._job: _Job | None = None
        self._progress: QProgressDialog | None = None
        self.last_report: Report | None = None  # the last one built for printing (tests look)
        # the files the program reads (its database), which an export must never replace
        self.inputs: Callable[[], list[Path]] = list
        self.preview: QPrintPreviewDialog | None = None
        self._preview_printer: object = None

    # ------------------------------------------------------------ dialogs (tests replace these)

    def ask_save_path(self, title: str, suggested: Path, file_filter: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self.window, title, str(suggested), file_filter)
        return path

    def run_dialog(self, dialog: QDialog) -> bool:
        """A modal dialog answered: accepted or not."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def ask_open_path(self, title: str, folder: Path, file_filter: str) -> str:
        path, _ = QFileDialog.getOpenFileName(self.window, title, str(folder), file_filter)
        return path

    # ------------------------------------------------------------ helpers

    def folder(self) -> Path:
        saved = self.settings.value(FOLDER_KEY)
        if saved and Path(str(saved)).is_dir():
            return Path(str(saved))
        documents = Path.home() / "Documents"
        return documents if documents.is_dir() else Path.home()

    def _remember(self, path: Path) -> None:
        self.settings.setValue(FOLDER_KEY, str(path.parent))

    def _idle(self) -> bool:
        if self.busy:
            self.say("上一项导出尚未完成，请稍候")
        return not self.busy

    def evaluation_to_export(self) -> Evaluation | None:
        if not self._idle():
            return None
        evaluation = self.current()
        if evaluation is None and getattr(self.window, "document", None) is None:
            messages.info(self.window, "请先打开或新建一份评价。")  # (else the clerk declined)
        return evaluation

    def say(self, text: str) -> None:
        if isinstance(self.window, QMainWindow):
            self.window.statusBar().showMessage(text, 8000)

    def ask_target(self, title: str, name: str, suffix: str, file_filter: str,
                also: Sequence[Path] = ()) -> Path | None:
        """Where to write, asked of the clerk; refused if it is the database or one of the
        inputs ``also`` names (a bureau's template)."""
        chosen = self.ask_save_path(title, self.folder() / name, file_filter)
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        from forms.files import output_problem

        problem = output_problem([path], [*self.inputs(), *also])
        if problem is not None:  # refused before the work starts (write_atomic asks again)
            messages.error(self.window, problem, title="导出失败")
            self.failed.emit(problem)
            return None
        self._remember(path)
        return path

    def run_job(self, label: str, work: Callable[[], T], done: Callable[[T], None],
                failed: Callable[[BaseException, str], None] | None = None,
                stop: threading.Event | None = None) -> None:
        """``work`` on the thread pool behind a progress dialog; with ``stop``, the dialog has
        取消, which sets it (the work asks it now and then and ends with ExportCancelled)."""
        if self.busy:
            self.say("上一项导出尚未完成，请稍候")
            return
        self.busy = True
        progress = QProgressDialog(label, "取消" if stop is not None else "", 0, 0, self.window)
        progress.setWindowTitle("请稍候")
        if stop is None:
            # cannot be interrupted (Qt takes None; PySide6 6.8's stubs do not say so)
            progress.setCancelButton(cast(QPushButton, None))
        else:
            progress.setAutoReset(False)

            def cancel() -> None:
                stop.set()
                self.say("正在取消…")

            progress.canceled.connect(cancel)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(300)  # quick work never flashes a dialog
        progress.setAutoClose(False)
        progress.setValue(0)
        self._progress = progress
        job = _Job(work)
        job.setAutoDelete(False)  # keep the signals object alive until we are told

        def finish() -> None:
            progress.reset()
            progress.hide()
            progress.deleteLater()
            self._progress = None
            self._job = None
            self.busy = False

        def on_done(result: object) -> None:
            finish()
            done(cast(T, result))  # what ``work`` returned, carried through a Qt signal

        def on_failed(payload: tuple[BaseException, str]) -> None:
            from exports.cancel import ExportCancelled

            finish()
            exc, details = payload
            if isinstance(exc, ExportCancelled):
                text = "已取消导出，原有文件未改动"
                self.say(text)
                self.failed.emit(text)
                return
            (failed or self._show_failure)(exc, details)

        job.signals.done.connect(on_done, Qt.ConnectionType.QueuedConnection)
        job.signals.failed.connect(on_failed, Qt.ConnectionType.QueuedConnection)
        self._job = job
        QThreadPool.globalInstance().start(job)

    def _show_failure(self, exc: BaseException, details: str) -> None:
        from forms.files import WriteFailed

        if isinstance(exc, WriteFailed):
            text = str(exc)
        else:
            text = f"导出没有完成：{exc}。原有文件未改动。"
            messages.error(self.window, text, title="导出失败", details=details)
            self.failed.emit(text)
            return
        messages.error(self.window, text, title="导出失败")
        self.failed.emit(text)

    # ------------------------------------------------------------ slots

    @Slot()
    def export_excel(self) -> None:
        evaluation = self.evaluation_to_export()
        if evaluation is None:
            return
        from exports.excel import default_workbook_name

        path = self.ask_target("导出 Excel 自评表", default_workbook_name(evaluation), ".xlsx",
                            XLSX_FILTER)
        if path is None:
            return

        def work() -> Path:
            from exports.excel import workbook_bytes
            from forms.files import write_atomic

            write_atomic(path, workbook_bytes(evaluation), self.inputs())
            return path

        self.run_job("正在生成 Excel 自评表…", work, lambda p: self.tell_exported(p, []))

    def ask_draft(self, reasons: list[str]) -> bool:
        """An evaluation with errors, unfilled leaves, example or unconfirmed texts: export it
        as a 草稿, or go back."""
        text = ("这份评价" + "，".join(reasons) + "。导出的报告每页和文件名都将标明“草稿”，"
                "不宜作为正式报告上报。是否仍然导出？")
        return messages.Messages.ask(self.window, "导出草稿", text,
                                     ["导出草稿", "返回修改"], default=1) == 0

    def _report_target(self, evaluation: Evaluation, title: str, suffix: str,
                       file_filter: str) -> Path | None:
        from exports.pdf_report import default_report_name
        from forms.report.build import draft_reasons
        from forms.scoring import score

        reasons = draft_reasons(evaluation, score(evaluation))
        if reasons and not self.ask_draft(reasons):
            return None
        name = default_report_name(evaluation, suffix, draft=bool(reasons))
        return self.ask_target(title, name, suffix, file_filter)

    @Slot()
    def export_pdf(self) -> None:
        evaluation = self.evaluation_to_export()
        if evaluation is None:
            return
        path = self._report_target(evaluation, "导出 PDF 自评报告", ".pdf", PDF_FILTER)
        if path is None:
            return

        stop = threading.Event()

        def work() -> tuple[Path, list[str], str]:
            from exports.fonts import describe
            from exports.pdf_report import build_report
            from forms.files import write_atomic

            report = build_report(evaluation, cancelled=stop.is_set)
            # only a finished report replaces the old file
            write_atomic(path, report.data, self.inputs())
            return path, report.replaced, describe()

        self.run_job("正在生成 PDF 自评报告…", work,
                     lambda r: self.tell_exported(r[0], r[1], f"（{r[2]}）"), stop=stop)

    @Slot()
    def export_docx(self) -> None:
        evaluation = self.evaluation_to_export()
        if evaluation is None:
            return
        path = self._report_target(evaluation, "导出 Word 自评报告", ".docx", DOCX_FILTER)
        if path is None:
            return

        stop = threading.Event()

        def work() -> Path:
            from exports.docx_report import docx_bytes
            from forms.files import write_atomic

            write_atomic(path, docx_bytes(evaluation, cancelled=stop.is_set), self.inputs())
            return path

        self.run_job("正在生成 Word 自评报告…", work, lambda p: self.tell_exported(p, []), stop=stop)

    def tell_exported(self, path: Path, replaced: list[str], note: str = "") -> None:
        text = f"已导出 {path}{note}"
        self.say(text)
        if replaced:
            messages.warning(self.window, _replaced_message(replaced))
        self.finished.emit(text)
        self.offer_open(path)

    def offer_open(self, path: Path) -> None:
        """The export is done: say so where the clerk looks, with the next steps at hand."""
        def chosen(index: int) -> None:
            if index < 2:
                target = path if index == 0 else path.parent
                if not self.open_url(QUrl.fromLocalFile(str(target))):
                    self.open_failed(target, folder=index == 1)
        messages.Messages.offer(self.window, "导出完成", f"已导出：\n{path}",
                                ["打开文件", "打开所在文件夹", "关闭"], chosen)

    def open_failed(self, target: Path, folder: bool) -> None:
        """Nothing on this PC opened it: say so, with the path to copy."""
        from PySide6.QtGui import QGuiApplication

        what = "文件夹" if folder else "文件"
        text = (f"本机没有能打开该{what}的程序（或打开被拒绝）。{what}在：\n{target}\n\n"
                "可复制路径后在资源管理器或文件管理器中打开。")
        if messages.Messages.ask(self.window, f"无法打开{what}", text, ["复制路径", "关闭"],
                                 default=0) == 0:
            QGuiApplication.clipboard().setText(str(target))
            self.say(f"已复制路径：{target}")

    @Slot()
    def print_report(self) -> None:
        evaluation = self.evaluation_to_export()
        if evaluation is None:
            return

        stop = threading.Event()

        def work() -> Report:
            from exports.pdf_report import build_report

            return build_report(evaluation, cancelled=stop.is_set)

        self.run_job("正在生成打印预览…", work, self._show_print, stop=stop)

    def _show_print(self, report: Report) -> None:
        self.last_report = report
        if report.replaced:
            messages.warning(self.window, _replaced_message(report.replaced))
        if preview_available():
            self.preview = self.make_preview_dialog(report.data)
            self.show_preview(self.preview)
            self.finished.emit("打印预览")
            return
        self._open_in_reader(report.data)

    def _open_in_reader(self, data: bytes) -> None:
        """Without a PDF renderer: the system's PDF reader previews and prints the file."""
        from forms.files import WriteFailed, write_atomic
        from forms.paths import user_data_dir

        folder = user_data_dir() / "print"
        # a new name each time: the reader may still hold (and on Windows lock) the last one
        path = folder / f"自评报告-打印-{datetime.now():%Y%m%d-%H%M%S-%f}.pdf"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for old in folder.glob("自评报告-打印-*.pdf"):
                try:
                    old.unlink()
                except OSError:
                    pass  # still open in the reader: removed another time
            write_atomic(path, data)
        except (WriteFailed, OSError) as exc:
            messages.error(self.window, f"无法准备打印文件：{exc}", title="打印")
            self.failed.emit(str(exc))
            return
        if not self.open_url(QUrl.fromLocalFile(str(path))):
            text = (f"没有找到可以打开 PDF 的程序。报告已保存在 {path}，"
                    "请用 PDF 阅读器打开后打印。")
            messages.warning(self.window, text, title="打印")
            self.failed.emit(text)
            return
        text = "已在 PDF 阅读器中打开报告，请在其中打印"
        self.say(text)
        self.finished.emit(text)

    def open_url(self, url: QUrl) -> bool:  # tests replace this
        return bool(QDesktopServices.openUrl(url))

    def make_preview_dialog(self, data: bytes) -> QPrintPreviewDialog:
        """打印预览: Qt's preview of the report's pages, with its own 打印 button."""
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName("部门整体支出绩效自评报告")
        dialog = QPrintPreviewDialog(printer, self.window)
        dialog.setWindowTitle("打印预览 — 部门整体支出绩效自评报告")
        fit_to_screen(dialog, 900, 700)
        dialog.paintRequested.connect(lambda target: paint_pdf_pages(data, target))
        self._preview_printer = printer  # the dialog does not own it: kept while it shows
        return dialog

    def show_preview(self, dialog: QPrintPreviewDialog) -> None:  # tests replace this (a modal dialog)
        dialog.exec()

    @Slot()
    def import_excel(self) -> None:
        if not self._idle():
            return
        chosen = self.ask_open_path("导入 Excel 自评表", self.folder(), XLSX_FILTER)
        if not chosen:
            return
        path = Path(chosen)
        self._remember(path)

        def work() -> tuple[Evaluation, list[str]]:
            from exports.workbook_import import read_workbook_path_report

            return read_workbook_path_report(path)

        def failed(exc: BaseException, details: str) -> None:
            from exports.workbook_import import WorkbookImportError

            if isinstance(exc, WorkbookImportError):
                messages.error(self.window, f"{path.name}：{exc}", title="无法导入")
            else:
                messages.error(self.window, f"{path.name} 无法导入：{exc}", title="无法导入",
                               details=details)
            self.failed.emit(str(exc))

        def done(result: tuple[Evaluation, list[str]]) -> None:
            evaluation, notes = result
            self.on_imported(evaluation)
            text = f"已导入 {path.name}"
            self.say(text)
            shown = "\n".join(f"· {n}" for n in notes[:15])
            more = f"\n……共 {len(notes)} 条" if len(notes) > 15 else ""
            messages.info(self.window, f"已导入 {path.name}：\n{shown}{more}", title="导入完成")
            self.finished.emit(text)

        self.run_job("正在读取 Excel 自评表…", work, done, failed)


def _replaced_message(replaced: list[str]) -> str:
    chars = "、".join(replaced)
    return (f"报告中有 {len(replaced)} 个字符（{chars}）所有可用字体都没有，打印时已用“〓”代替。"
            "请把这些字改为常用字后重新导出。")


def paint_pdf_pages(data: bytes, printer: QPrinter, dpi: int = 200) -> int:
    """Draw the report's PDF pages on a printer (or its preview), one sheet each.

    pypdfium2 (PDFium, the renderer of Chrome's PDF viewer) rasterises each page at up
    to ``dpi`` — 200 is sharp on paper and keeps an A4 page image near 15 MB — and the
    image fills the whole sheet, since the PDF already carries its GB/T 9704 margins.
    Returns the number of pages drawn.
    """
    import pypdfium2 as pdfium
    from PySide6.QtCore import QMarginsF, QRectF
    from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
    from PySide6.QtPrintSupport import QPrinter

    document = pdfium.PdfDocument(data)
    printer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                      QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0)))
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        document.close()
        return 0
    try:
        dpi = min(printer.resolution(), dpi)
        for index in range(len(document)):
            if index:
                printer.newPage()
            page = document[index]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True, prefer_bgrx=True)
            raw = bitmap.buffer
            image = QImage(raw, bitmap.width, bitmap.height, bitmap.stride,
                           QImage.Format.Format_RGBX8888)
            rect = printer.paperRect(QPrinter.Unit.DevicePixel)
            painter.drawImage(QRectF(0, 0, rect.width(), rect.height()), image)
            del image, raw
            bitmap.close()
            page.close()
        return len(document)
    finally:
        painter.end()
        document.close()
