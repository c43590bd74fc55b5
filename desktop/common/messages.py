"""The one presenter of messages: errors of the environment, confirmations, notices.

Button texts are set here explicitly in Chinese, so the dialogs read right even
where Qt's translation files are missing.  Tests replace ``Messages.ask`` /
``Messages.show`` (monkeypatch) to answer dialogs without a human.
"""

from __future__ import annotations

import sys
import traceback
from datetime import datetime
from pathlib import Path
from types import TracebackType
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

ERROR = "error"
WARNING = "warning"
INFO = "info"

_ICONS = {ERROR: QMessageBox.Icon.Critical, WARNING: QMessageBox.Icon.Warning,
          INFO: QMessageBox.Icon.Information}


class Messages:
    """Static helpers; ``show`` and ``ask`` are the only places a QMessageBox is built."""

    @staticmethod
    def show(parent: QWidget | None, kind: str, title: str, text: str,
             details: str = "") -> None:
        box = QMessageBox(_ICONS.get(kind, QMessageBox.Icon.Information), title, text,
                          QMessageBox.StandardButton.NoButton, parent)
        box.addButton("确定", QMessageBox.ButtonRole.AcceptRole)
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # copy a path
        if details:
            box.setDetailedText(details)
            for button in box.buttons():
                if box.buttonRole(button) == QMessageBox.ButtonRole.ActionRole:
                    button.setText("显示详细信息…")
        box.exec()

    @staticmethod
    def ask(parent: QWidget | None, title: str, text: str, choices: list[str],
            kind: str = WARNING, default: int = 0) -> int:
        """Ask with the given Chinese choices (the last one cancels); return the index chosen."""
        box = QMessageBox(_ICONS.get(kind, QMessageBox.Icon.Question), title, text,
                          QMessageBox.StandardButton.NoButton, parent)
        buttons = []
        for index, label in enumerate(choices):
            role = (QMessageBox.ButtonRole.RejectRole if index == len(choices) - 1
                    else QMessageBox.ButtonRole.AcceptRole)
            buttons.append(box.addButton(label, role))
        box.setDefaultButton(buttons[default])
        box.setEscapeButton(buttons[-1])
        box.exec()
        clicked = box.clickedButton()
        return buttons.index(clicked) if clicked in buttons else len(choices) - 1

    @staticmethod
    def offer(parent: QWidget | None, title: str, text: str, choices: list[str],
              chosen: Callable[[int], None]) -> QMessageBox:
        """A notice with follow-up choices that does not block (the last choice closes it);
        ``chosen`` gets the index clicked."""
        box = QMessageBox(QMessageBox.Icon.Information, title, text,
                          QMessageBox.StandardButton.NoButton, parent)
        buttons = [box.addButton(label, QMessageBox.ButtonRole.RejectRole
                                 if i == len(choices) - 1 else QMessageBox.ButtonRole.ActionRole)
                   for i, label in enumerate(choices)]
        box.setEscapeButton(buttons[-1])
        box.buttonClicked.connect(
            lambda button: chosen(buttons.index(button)) if button in buttons else None)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box


def error(parent: QWidget | None, text: str, title: str = "出错了", details: str = "") -> None:
    Messages.show(parent, ERROR, title, text, details)


def warning(parent: QWidget | None, text: str, title: str = "请注意") -> None:
    Messages.show(parent, WARNING, title, text)


def info(parent: QWidget | None, text: str, title: str = "提示") -> None:
    Messages.show(parent, INFO, title, text)


def confirm(parent: QWidget | None, text: str, yes: str = "确定", no: str = "取消",
            title: str = "请确认") -> bool:
    """A destructive or irreversible step: ask once, naming what is lost."""
    return Messages.ask(parent, title, text, [yes, no], default=1) == 0


# ---------------------------------------------------------------- unexpected errors

def log_path() -> Path:
    from forms.paths import user_data_dir

    return user_data_dir() / "selfeval-errors.log"


def _log(text: str) -> Path | None:
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as stream:
            stream.write(f"--- {datetime.now().isoformat(timespec='seconds')}\n{text}\n")
        return path
    except OSError:
        return None


class ExceptionHook:
    """Show an unexpected exception once, in Chinese, log it, and keep the program running."""

    def __init__(self, parent_of: Callable[[], QWidget | None]):
        self.parent_of = parent_of
        self._showing = False

    def __call__(self, kind: type[BaseException], value: BaseException,
                 tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        details = "".join(traceback.format_exception(kind, value, tb))
        where = _log(details)
        if self._showing:  # an error while the message is up: logged, not shown twice
            return
        self._showing = True
        try:
            text = ("程序遇到了一个意外问题，刚才的操作可能没有完成。\n"
                    "已填写的内容会继续自动保存，可以继续工作；如问题反复出现，请联系技术支持"
                    + (f"，并提供日志文件：\n{where}" if where else "。"))
            error(self.parent_of(), text, title="意外问题", details=details)
        finally:
            self._showing = False


def install_exception_hook(parent_of: Callable[[], QWidget | None]) -> ExceptionHook:
    hook = ExceptionHook(parent_of)
    sys.excepthook = hook
    return hook
