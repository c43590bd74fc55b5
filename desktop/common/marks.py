"""Problem marks on fields: an error in red, a warning in amber, the message in the tooltip.

- ``set_mark`` paints a problem on a field (or clears it) and keeps the field's own
  tooltip below the message; ``mark_level`` reads back what is painted;
- ``set_base_tooltip`` sets a field's own tooltip, kept under any mark;
- ``show_problems`` lists a section's problems in words in a label;
- the colours (``ERROR_BG``…) are the same in the tables and the indicator tree.

What a field is marked with is kept here, by widget, not on the widget: reading a
never-set dynamic Qt property (``QObject.property``) corrupts None's reference count in
PySide6 6.12, and an attribute added to a Qt object is one the type checker cannot see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from PySide6.QtWidgets import QAbstractSpinBox, QLabel, QLineEdit, QPlainTextEdit, QWidget

from forms.validation import Issue

ERROR_BG = "#fde2e1"
ERROR_FG = "#c0392b"
WARNING_BG = "#fff3cd"
WARNING_FG = "#b7791f"
COMPUTED_BG = "#eef1f5"

_LEVEL_STYLE = {
    "error": (ERROR_BG, ERROR_FG),
    "warning": (WARNING_BG, WARNING_FG),
}


@dataclass
class _Mark:
    level: str = ""  # "error", "warning" or "" (none painted)
    base_tip: str | None = None  # the field's own tooltip; None until first known
    held: bool = False  # the field's height is fixed at its unmarked height


_MARKS: WeakKeyDictionary[QWidget, _Mark] = WeakKeyDictionary()


def _mark_of(widget: QWidget) -> _Mark:
    mark = _MARKS.get(widget)
    if mark is None:
        mark = _MARKS[widget] = _Mark()
    return mark


def mark_level(widget: QWidget) -> str:
    """The problem level painted on ``widget``: "error", "warning" or ""."""
    mark = _MARKS.get(widget)
    return mark.level if mark is not None else ""


def set_mark(widget: QWidget, level: str | None, message: str = "") -> None:
    """Mark ``widget`` with a problem, or clear the mark (``level=None``).

    The widget's own tooltip (see ``set_base_tooltip``) is kept below the message.
    """
    mark = _mark_of(widget)
    if mark.base_tip is None:
        mark.base_tip = widget.toolTip()
    tip = "\n".join(t for t in (message, mark.base_tip) if t)
    if widget.toolTip() != tip:
        widget.setToolTip(tip)
    if mark.level == (level or ""):
        return  # the same colours: a style sheet costs a restyle of the widget
    if isinstance(widget, (QLineEdit, QAbstractSpinBox)) and not mark.held:
        # the mark's 2 px border must not change the field's height (the rows below would
        # move under the clerk's mouse): it keeps the height it has unmarked
        widget.setFixedHeight(widget.sizeHint().height())
        mark.held = True
    mark.level = level or ""
    widget.setProperty("mark_level", level or "")  # for style sheets and other readers
    kind = "QPlainTextEdit" if isinstance(widget, QPlainTextEdit) else (
        "QLineEdit" if isinstance(widget, QLineEdit) else type(widget).__name__)
    if level in _LEVEL_STYLE:
        bg, fg = _LEVEL_STYLE[level]
        widget.setStyleSheet(f"{kind} {{ background: {bg}; border: 2px solid {fg}; }}")
    else:
        widget.setStyleSheet("")


def worst_level(issues: Iterable[Issue]) -> str | None:
    """"error" if any issue is an error, "warning" if there are only warnings, else None."""
    levels = {issue.level for issue in issues}
    if not levels:
        return None
    return "error" if "error" in levels else "warning"


def show_problems(label: QLabel, issues: list[Issue]) -> None:
    """List the issues' messages in ``label`` (red for errors, amber otherwise); hide it if none."""
    if issues:
        bg, fg = (ERROR_BG, ERROR_FG) if worst_level(issues) == "error" else (WARNING_BG, "#8a5a00")
        style = f"QLabel {{ background: {bg}; color: {fg}; padding: 4px; }}"
        if label.styleSheet() != style:
            label.setStyleSheet(style)
        label.setText("\n".join(f"⚠ {i.message}" for i in issues))
    label.setVisible(bool(issues))


def set_base_tooltip(widget: QWidget, tip: str) -> None:
    mark = _mark_of(widget)
    mark.base_tip = tip
    if not mark.level:
        widget.setToolTip(tip)
