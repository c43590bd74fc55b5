"""Self-check of the desktop program as it was installed or built: ``SELFEVAL_SMOKE=FOLDER``.

Started so, the program opens as usual, then reports into ``FOLDER/smoke.txt``
(a windowless program on Windows has no console) and on stdout:

* texts Qt takes from its own translation files (qtbase_zh_CN.qm), read off a
  real message box and a real file dialog, and the translations folder;
* the sizes the window's icon comes in;
* the evaluation on screen exported through the window's own actions (导出Excel,
  导出PDF, 导出Word → ExportActions → thread pool → atomic write), each into
  FOLDER under the name the program proposes, with what it wrote.

The clerk's part is played by answering the save dialog with that name and a
draft question with 导出草稿; any other message is written into the report
instead of waiting for a click.  The last line is ``result=ok`` or
``result=FAILED: …``; the program then quits (``ok`` tells which).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLibraryInfo, QTimer
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel, QMessageBox

from desktop.common import messages

if TYPE_CHECKING:
    from desktop.shell.main_window import MainWindow

SMOKE = "SELFEVAL_SMOKE"
REPORT_NAME = "smoke.txt"
TIME_LIMIT_MS = 120_000
# (toolbar action attribute, the file's suffix)
EXPORTS = (("export_excel", ".xlsx"), ("export_pdf", ".pdf"),
           ("export_docx", ".docx"))


def qt_texts() -> list[str]:
    """``key=text`` for texts drawn by Qt itself, which only its .qm files put in Chinese."""
    box = QMessageBox()
    box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel)
    lines = [f"messagebox.save={box.button(QMessageBox.StandardButton.Save).text()}",
             f"messagebox.cancel={box.button(QMessageBox.StandardButton.Cancel).text()}"]
    box.deleteLater()
    dialog = QFileDialog()
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    label = dialog.findChild(QLabel, "fileNameLabel")
    buttons = dialog.findChild(QDialogButtonBox)
    lines.append(f"filedialog.filename={label.text() if label else ''}")
    if buttons is not None:
        lines.append("filedialog.buttons=" + " ".join(b.text() for b in buttons.buttons()))
    dialog.deleteLater()
    folder = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    lines.append(f"translations={folder}")
    lines.append(f"translations.qtbase_zh_CN={(folder / 'qtbase_zh_CN.qm').is_file()}")
    return lines


class SmokeRun:
    """Walks through the exports one after another (each finishes on the event loop)."""

    def __init__(self, window: MainWindow, folder: Path):
        self.window = window
        self.folder = folder
        self.lines: list[str] = []
        self.pending = list(EXPORTS)
        self.done = False
        self.ok = False

    def start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        self._answer_like_a_clerk()
        QTimer.singleShot(TIME_LIMIT_MS, lambda: self.finish("FAILED: 超时"))
        try:
            self.lines += qt_texts()
            document = self.window.document
            if document is None:
                self.finish("FAILED: 没有打开的评价")
                return
            evaluation = document.evaluation
            self.lines.append(f"evaluation={evaluation.department.name} "
                              f"{evaluation.department.year}")
            sizes = sorted(s.width() for s in self.window.windowIcon().availableSizes())
            self.lines.append("icon=" + ",".join(map(str, sizes)))
        except Exception as exc:  # noqa: BLE001 - reported in the smoke report
            self.finish(f"FAILED: {exc!r}")
            return
        self._next()

    def _answer_like_a_clerk(self) -> None:
        """The save dialog gets the proposed name in our folder; a draft is exported as one."""
        from desktop.shell.export_actions import ExportActions

        folder = self.folder
        lines = self.lines

        def save_path(actions: ExportActions, title: str, suggested: Path,
                      file_filter: str) -> str:
            lines.append(f"asked={title}")
            return str(folder / suggested.name)

        def draft(actions: ExportActions, reasons: list[str]) -> bool:
            lines.append("draft=" + "；".join(reasons))
            return True

        def offered(actions: ExportActions, path: Path) -> None:
            lines.append(f"offered={path.name}")

        def show(parent: object, kind: str, title: str, text: str, details: str = "") -> None:
            lines.append(f"message={kind} {title}：" + " ".join(text.split()))

        def ask(parent: object, title: str, text: str, choices: list[str], kind: str = "",
                default: int = 0) -> int:
            lines.append(f"question={title}：" + " ".join(text.split()))
            return len(choices) - 1  # the last choice is the one that changes nothing

        # unattended: a message must not wait for a click that never comes
        messages.Messages.show = staticmethod(show)  # type: ignore[method-assign]
        messages.Messages.ask = staticmethod(ask)  # type: ignore[method-assign]
        ExportActions.ask_save_path = save_path  # type: ignore[method-assign,assignment]
        ExportActions.ask_draft = draft  # type: ignore[method-assign,assignment]
        ExportActions.offer_open = offered  # type: ignore[method-assign,assignment]

    def _next(self) -> None:
        if self.done:
            return
        if not self.pending:
            self.finish("ok")
            return
        attribute, suffix = self.pending.pop(0)
        action = getattr(self.window.commands, attribute)
        before = set(self.folder.glob(f"*{suffix}"))
        self.lines.append(f"action={action.iconText()}")
        action.trigger()
        exports = self.window.exports
        if exports is None:
            self.finish(f"FAILED: {action.iconText()} 没有启动导出")
            return
        self._connect(exports.finished, lambda text: self._exported(text, suffix, before))
        self._connect(exports.failed, lambda text: self.finish(f"FAILED: {text}"))

    def _connect(self, signal: object, slot: Callable[[str], None]) -> None:
        """Connected for one emission only (the same ExportActions serves every export)."""
        def once(text: str) -> None:
            signal.disconnect(once)  # type: ignore[attr-defined]
            slot(text)
        signal.connect(once)  # type: ignore[attr-defined]

    def _exported(self, text: str, suffix: str, before: set[Path]) -> None:
        made = sorted(set(self.folder.glob(f"*{suffix}")) - before)
        if len(made) != 1 or made[0].stat().st_size == 0:
            self.finish(f"FAILED: {text}，但文件夹中没有新的 {suffix} 文件")
            return
        self.lines.append(f"exported={made[0].name} {made[0].stat().st_size}")
        QTimer.singleShot(0, self._next)

    def finish(self, result: str) -> None:
        if self.done:
            return
        self.done = True
        self.lines.append(f"result={result}")
        text = "\n".join(self.lines) + "\n"
        from forms.files import write_atomic

        write_atomic(self.folder / REPORT_NAME, text.encode("utf-8"))
        print(text, end="", flush=True)
        self.ok = result == "ok"
        QTimer.singleShot(0, self.window.close)


def start(window: MainWindow, folder: Path) -> SmokeRun:
    """Begin once the window is on screen; the program quits when the run is over."""
    run = SmokeRun(window, folder)
    QTimer.singleShot(0, run.start)
    return run
