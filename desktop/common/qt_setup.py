"""Make a QApplication speak Chinese and draw Chinese: bundled font, Qt's own translations.

Every window of the program (and every GUI test) calls ``setup_application``
once; calling it again is harmless.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    Qt,
    QTimer,
    QTranslator,
)
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QScrollBar,
    QWidget,
)

import resources

# The families tried before the bundled one: what Chinese office PCs have.
PREFERRED_FAMILIES = ("Microsoft YaHei", "微软雅黑", "PingFang SC", "Noto Sans CJK SC",
                      "Source Han Sans SC", "WenQuanYi Micro Hei", "SimHei", "黑体")
UI_POINT_SIZE = 10

_DONE = "_selfeval_setup_done"


def _register_bundled_font() -> str | None:
    """Register 文泉驿微米黑 from resources/ and return its family name (None if unusable)."""
    font_id = QFontDatabase.addApplicationFont(str(resources.bundled_font_path()))
    if font_id < 0:
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    return families[0] if families else None


def _chinese_family(bundled: str | None) -> str | None:
    """A family that covers simplified Chinese: a familiar system one, else the bundled one."""
    chinese = set(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))
    for family in PREFERRED_FAMILIES:
        if family in chinese:
            return family
    return bundled


# Qt 6.12 texts that qtbase_zh_CN.qm does not (yet) carry; seen in Qt's own file dialog.
MISSING_QT_TEXTS: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QAbstractFileIconProvider", "Folder"): "文件夹",
    ("QAbstractFileIconProvider", "File"): "文件",
    ("QAbstractFileIconProvider", "Drive"): "驱动器",
    ("QAbstractFileIconProvider", "%1 File"): "%1 文件",
    ("QPlatformTheme", "Don't Save"): "不保存",
    ("QPlatformTheme", "Close without Saving"): "关闭且不保存",
    ("QPrintDialog", "Print range"): "打印范围",
    ("QCalendarWidget", "Today"): "今天",
}


class _MissingQtTexts(QTranslator):
    """Answers only for ``MISSING_QT_TEXTS``; everything else goes to Qt's own .qm files."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        return MISSING_QT_TEXTS.get((context, source), "")

    def isEmpty(self) -> bool:  # noqa: N802 (Qt name)
        return False


def install_translators(app: QGuiApplication) -> list[QTranslator]:
    """Qt's own texts (QMessageBox buttons, QFileDialog, line edit context menus) in Chinese."""
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed: list[QTranslator] = []
    fallback = _MissingQtTexts(app)
    if app.installTranslator(fallback):
        installed.append(fallback)
    for name in ("qtbase_zh_CN", "qt_zh_CN"):
        translator = QTranslator(app)
        if translator.load(name, folder) and app.installTranslator(translator):
            installed.append(translator)
    return installed


_WHEEL_EDITORS = (QComboBox, QAbstractSpinBox, QAbstractSlider)


class WheelGuard(QObject):
    """Values change only by a deliberate act: the wheel over a combo box, spin box or
    slider without focus scrolls the page around it instead of changing the value.

    Such editors also stop taking focus from the wheel (Qt's WheelFocus), else the
    first notch would focus them and the next ones would edit.
    """

    def install(self, app: QApplication) -> None:
        """Watch the whole application from now on (after start-up: every event then
        passes through Python, which start-up should not pay for)."""
        for widget in app.allWidgets():
            _no_wheel_focus(widget)
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        kind = event.type()
        if kind == QEvent.Type.Polish:
            _no_wheel_focus(watched)
        elif (kind == QEvent.Type.Wheel and isinstance(watched, _WHEEL_EDITORS)
              and not isinstance(watched, QScrollBar) and not watched.hasFocus()):
            area = _scroll_area_around(watched)
            if area is not None:
                QCoreApplication.sendEvent(area.viewport(), event)
            return True  # never to the editor
        return False


def _no_wheel_focus(widget: QObject) -> None:
    if isinstance(widget, _WHEEL_EDITORS) and widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def program_icon() -> QIcon:
    """The icon of every window, from the PNGs rendered for each size (no SVG plugin needed)."""
    icon = QIcon()
    for path in resources.icon_paths():
        if path.is_file():
            icon.addFile(str(path))
    return icon


def setup_application(app: QGuiApplication) -> None:
    if app.property(_DONE):
        return
    app.setProperty(_DONE, True)
    app.setApplicationName("selfeval")
    app.setApplicationDisplayName("部门整体支出绩效自评")
    app.setOrganizationName("selfeval")
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    app.setWindowIcon(program_icon())
    install_translators(app)
    guard = WheelGuard(app)
    if isinstance(app, QApplication):
        QTimer.singleShot(0, lambda: guard.install(app))
    family = _chinese_family(_register_bundled_font())
    if family:
        font = QFont(family, UI_POINT_SIZE)
        app.setFont(font)
