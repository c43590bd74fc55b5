"""Start the desktop program: QApplication, settings, the library database, the main window.

``run(db_path)`` is what ``selfeval`` / ``selfeval gui [--db PATH]`` calls.
With ``SELFEVAL_QUIT_AFTER_SHOW=1`` the program quits as soon as the main
window is shown (the start-up benchmark times exactly that); with
``SELFEVAL_SMOKE=FOLDER`` it checks itself first (desktop/shell/smoke.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from desktop.common import messages
from desktop.common.qt_setup import setup_application
from desktop.shell.smoke import SMOKE
from desktop.shell.smoke import start as start_smoke
from forms.files import os_reason
from forms.paths import default_db_path, user_data_dir
from forms.storage import DatabaseDamaged, Library, StorageError, set_aside

if TYPE_CHECKING:
    from desktop.shell.main_window import MainWindow

QUIT_AFTER_SHOW = "SELFEVAL_QUIT_AFTER_SHOW"


def settings_path() -> Path:
    return user_data_dir() / "settings.ini"


def open_settings() -> QSettings:
    """INI settings in the user data folder (so each test, and each $SELFEVAL_HOME, has its own)."""
    return QSettings(str(settings_path()), QSettings.Format.IniFormat)


def create_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    setup_application(app)
    return app


def open_library(path: Path, parent: QWidget | None = None) -> Library | None:
    """Open the database; a damaged one may be moved aside (kept) and a fresh one started."""
    while True:
        try:
            return Library(path)
        except StorageError as exc:
            damaged = isinstance(exc, DatabaseDamaged) and path.exists()
            if not damaged:
                messages.error(parent, f"{exc}\n\n程序将退出。", title="无法打开数据库")
                return None
            answer = messages.Messages.ask(
                parent, "数据库已损坏",
                f"{exc}\n\n选择“移到一旁并新建”，原文件会改名保留在同一文件夹中，"
                f"程序用一个新的空数据库启动。",
                ["移到一旁并新建", "退出"], kind=messages.ERROR)
            if answer != 0:
                return None
            try:
                moved = set_aside(path)
            except OSError as move_error:
                messages.error(parent, f"无法移动数据库文件 {path}：{os_reason(move_error)}",
                               title="无法打开数据库")
                return None
            messages.info(parent, f"原数据库已保留为：\n{moved}")


def tell_losses(library: Library, parent: QWidget | None = None) -> None:
    """What went missing since the last start: shown at every start until the clerk
    acknowledges it, with the newest snapshot that holds it offered."""
    from forms import backups

    lines = "\n".join(f"· {lost}" for lost in library.lost[:12])
    more = f"\n……共 {len(library.lost)} 份" if len(library.lost) > 12 else ""
    kept = (f"\n\n出问题时的数据库文件已原样复制保留为：\n{library.kept_aside}\n"
            f"请勿删除，交技术支持处理可能找回。" if library.kept_aside else "")
    text = (f"上次关闭后，数据库中有评价丢失或退回到旧版本"
            f"（数据库的日志文件 -wal 可能被删除或损坏）：\n{lines}{more}{kept}")
    offer = backups.offer(library)
    choices = ["知道了，不再提醒", "下次启动时再提醒"]
    if offer is not None:
        made, back = offer
        names = "\n".join(f"· {held}（第 {held.revision} 版）" for held in back[:12])
        text += (f"\n\n{made.time:%Y-%m-%d %H:%M} 的备份中有这些评价，可以找回：\n{names}\n"
                 f"找回前会先备份现在的评价库。")
        choices.insert(0, "从备份找回")
    else:
        text += "\n\n其余评价可以照常使用。如有导出的评价包或 Excel 自评表，可重新导入。"
    answer = messages.Messages.ask(parent, "有评价丢失", text, choices, default=0)
    try:
        if offer is not None and answer == 0:
            backups.snapshot(library, "restore", rotating=False)
            back_names = backups.recover(library, offer[0], library.lost)
            messages.info(parent, "已从备份找回：\n" + "\n".join(back_names))
        elif answer == len(choices) - 2:
            library.acknowledge()
    except StorageError as exc:
        messages.error(parent, f"无法找回：{exc}")


def _other_copy_running(path: Path) -> QLockFile:
    """A lock next to the database; held by a live process means another copy is open."""
    lock = QLockFile(str(path) + ".lock")
    lock.setStaleLockTime(0)  # only a live owner counts (a killed copy leaves a stale lock)
    lock.tryLock(0)
    return lock


def create_main_window(db_path: str | Path | None = None) -> MainWindow | None:
    """Everything but the event loop (tests and the kill test use it)."""
    from desktop.shell.main_window import MainWindow
    from forms.catalog import sample_package_bytes

    path = Path(db_path) if db_path else default_db_path()
    library = open_library(path)
    if library is None:
        return None
    if library.lost:
        tell_losses(library)
    elif library.log_lost:
        messages.warning(None, f"数据库 {path} 上次没有正常关闭，且它的日志文件（-wal）和状态文件已不在，"
                         f"最后一次写入主文件之后（最多约一分钟）的修改可能没有保存。"
                         f"请检查最近填写的内容；如有导出的评价包或 Excel 自评表，可重新导入。")
    try:
        library.ensure_sample(sample_package_bytes())
    except StorageError as exc:  # a full disk, a busy database: the program still opens
        messages.warning(None, f"无法加入示例评价：{exc}")
    window = MainWindow(library, open_settings(), path)
    if library.read_only:
        window.set_read_only_notice()
    lock = _other_copy_running(path)
    window.lock = lock
    window.save_status.set_other_copy_notice(not lock.isLocked())
    window.opening.open_initial()
    return window


def no_display() -> bool:
    """Linux without a desktop (ssh, a server): Qt would abort with an English message."""
    return (sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM")
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"))


def run(db_path: str | None = None) -> int:
    if no_display():
        sys.stderr.write("selfeval：没有可用的图形界面（未设置 DISPLAY），无法打开窗口。"
                         "请在桌面环境中运行；命令行功能见 selfeval --help。\n")
        return 2
    app = create_app()
    holder: list[QWidget] = []
    hook = messages.install_exception_hook(
        lambda: QApplication.activeWindow() or (holder[0] if holder else None))
    try:
        window = create_main_window(db_path)
    except Exception:  # noqa: BLE001 - a defect before the event loop runs: to the presenter
        # (the database's failures are told where they happen; Qt hands a slot's exception
        # to the hook itself, but nothing does so for start-up code)
        hook(*sys.exc_info())
        return 2
    if window is None:
        return 2
    holder.append(window)
    if window.start_maximized:
        window.showMaximized()
    else:
        window.show()
    smoke = None
    if os.environ.get(SMOKE):
        smoke = start_smoke(window, Path(os.environ[SMOKE]))
    elif os.environ.get(QUIT_AFTER_SHOW):
        QTimer.singleShot(0, window.close)
    code = app.exec()
    if smoke is not None and not smoke.ok:
        code = 1
    if window.lock is not None:
        window.lock.unlock()
    window.library.close()
    return int(code)
