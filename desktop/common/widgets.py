"""Small widgets shared by the form pages.

- ``NumberField``: a line edit that accepts what ``forms.numbers.parse_number``
  accepts (full-width digits, separators, a trailing 万元 or %) and says in
  place when the text is not a number;
- ``LineField`` / ``TextField``: one-line and growing multi-line text that
  report only the clerk's edits (never the program's own refresh);
- ``CountedText``: a growing text with its character count (字数);
- ``ReadOnlyText``: the generated report sentences, shown but not editable;
- (``OneLineLabel``, a title that always takes one line, is in ``desktop/common/labels.py``);
- ``set_mark``: paints a problem (error red / warning amber) on a field with
  the message in its tooltip (``desktop/common/marks.py``, re-exported here);
- ``showing``: ``with showing(widget):`` around the program setting a value in a
  widget whose change signal has no user-only twin (a spin box, a plain-text edit),
  so that what the program shows never comes back as the clerk's edit. Widgets that
  have one report the user-only signal instead (``textEdited``, ``clicked``,
  ``activated``).

Ctrl+Z / Ctrl+Y in these fields undo the *document* (every field at once), not
the widget's private text history: ``desktop.common.undo_route`` takes those keys for
the whole window.
"""

from __future__ import annotations

import re
from decimal import Decimal
from contextlib import AbstractContextManager
from typing import Protocol, cast
from collections.abc import Callable

from PySide6.QtCore import QObject, QPoint, QRect, QSignalBlocker, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFocusEvent,
    QPalette,
    QPaintEvent,
    QResizeEvent,
    QSyntaxHighlighter,
    QTextCharFormat,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollBar,
    QSizePolicy,
    QSpinBox,
    QStyle,
    QStyleOptionButton,
    QStyleOptionFocusRect,
    QStylePainter,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from forms.address import Address
from forms.carry_over import stale_spans
from forms.leaf_entry import COUNT_MAX
from forms.numbers import NumberError, NumberOutOfRange, parse_number, plain

from desktop.common.marks import (  # the marks' names, as the pages have always found them
    COMPUTED_BG as COMPUTED_BG,
    ERROR_BG as ERROR_BG,
    ERROR_FG as ERROR_FG,
    WARNING_BG as WARNING_BG,
    WARNING_FG as WARNING_FG,
    mark_level as mark_level,
    set_base_tooltip as set_base_tooltip,
    set_mark as set_mark,
    show_problems as show_problems,
    worst_level as worst_level,
)
from desktop.common.undo_route import undoing

# the start of a number, not yet one: "-", "1,", "1153.", "１２．" (full-width folded by NFKC)
_PARTIAL_NUMBER = re.compile(r"^[+\-＋－]?[\d０-９,，]*[.．]?$")

# ------------------------------------------------------------------ the open document

class KeepsRefusedText(Protocol):
    """What a number field needs of the open document: the text it refused, kept until
    corrected (``desktop.form.document.Document`` is one)."""

    def refused_text(self, path: str) -> str | None: ...

    def refusing(self, path: str, text: str | None) -> AbstractContextManager[None]: ...


def find_document(widget: QWidget | None) -> KeepsRefusedText | None:
    """The open document of the page that holds ``widget`` (None outside a page).

    Only ``NumberField`` asks, for the text it refused (kept in the document until
    corrected); undo no longer does (``desktop.common.undo_route``). The fields are built
    without a document (a leaf's editor by ``leaf_editors.leaf_editor``) and outlive it:
    a page shows the next evaluation in the same widgets, so the page is asked each time.
    """
    while widget is not None:
        document = getattr(widget, "document", None)
        if callable(getattr(document, "refusing", None)):  # a runtime Protocol check costs more
            return cast(KeepsRefusedText, document)
        widget = widget.parentWidget()
    return None


# ------------------------------------------------------------------ showing a value

def showing(widget: QObject) -> QSignalBlocker:
    """``with showing(widget): widget.setValue(...)`` - the program shows a value and the
    widget reports nothing: its change signals are blocked until the block ends."""
    return QSignalBlocker(widget)


# ------------------------------------------------------------------ only to be read

READ_ONLY_STYLE = ("QLineEdit[readOnly=\"true\"], QPlainTextEdit[readOnly=\"true\"], "
                   "QAbstractSpinBox[readOnly=\"true\"] { background: #f3f4f6; color: #333; }")


def hold_read_only(root: QWidget) -> None:
    """Every field under ``root`` can be read, selected and scrolled but not changed: text
    and number fields read-only (and greyed), tables not editable, check boxes, lists to
    choose from and buttons off; a widget with ``view_control = True`` (a filter of what is
    shown) is left alone. Safe to call again for widgets built later."""
    if root.styleSheet() != READ_ONLY_STYLE:
        root.setStyleSheet(READ_ONLY_STYLE)
    for widget in root.findChildren(QWidget):
        if getattr(widget, "view_control", False):  # changes what is shown, not the data
            continue
        if isinstance(widget, (QLineEdit, QPlainTextEdit, QTextEdit, QAbstractSpinBox)):
            if not widget.isReadOnly():
                widget.setReadOnly(True)
                widget.style().unpolish(widget)  # the grey of READ_ONLY_STYLE, now
                widget.style().polish(widget)
        elif isinstance(widget, QAbstractItemView):
            widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        elif isinstance(widget, (QAbstractButton, QComboBox)) and not isinstance(widget, QScrollBar):
            if widget.isEnabled():
                widget.setEnabled(False)


# ------------------------------------------------------------------ fields

class LineField(QLineEdit):
    """A one-line text field; ``edited`` fires for the clerk's edits only."""

    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.textEdited.connect(self.edited.emit)

    def set_text(self, text: str) -> None:
        """Show ``text`` without reporting an edit; keep the cursor when unchanged."""
        if self.text() != text:
            self.setText(text)



class NumberField(LineField):
    """A number as clerks type it; ``value_edited`` gives a Decimal or None (empty).

    Text that does not parse stays in the field, marked red with the reason; the
    field's value becomes empty (the old figure is not scored on) and, when the
    field has a ``path``, the document lists the text as an error until corrected.
    """

    value_edited = Signal(object)

    def __init__(self, label: str = "数值", parent: QWidget | None = None,
                 path: Address | str = "",
                 check: Callable[[Decimal | None, str], str] | None = None):
        super().__init__(parent)
        self.label = label
        # the field it edits (for the issues panel), as the package path the document's
        # refused texts are kept under
        self.path = str(path)
        self.check = check  # (value, label) → why the number is refused, "" if it is not
        self.invalid = ""
        self._shown: Decimal | None = None  # the value the document holds for this field
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.textEdited.connect(self._on_edited)
        self.editingFinished.connect(self._on_finished)

    def _parse(self, text: str) -> tuple[bool, Decimal | None, str]:
        self._out_of_range = False
        try:
            value = parse_number(text, self.label, required=False)
        except NumberOutOfRange as exc:
            self._out_of_range = True
            return False, None, str(exc)
        except NumberError as exc:
            return False, None, str(exc)
        problem = self.check(value, self.label) if self.check is not None else ""
        if problem:
            self._out_of_range = True  # a number, but not one the field takes: marked at once
            return False, None, problem
        return True, value, ""

    _out_of_range = False

    def _on_edited(self, text: str) -> None:
        ok, value, message = self._parse(text)
        self.invalid = "" if ok else message
        if ok:
            set_mark(self, None)
            self._shown = value
            document = self._document()
            if document is None or document.refused_text(self.path) is None:
                self.value_edited.emit(value)
                return
            with document.refusing(self.path, None):  # the value and the cleared text: one edit
                self.value_edited.emit(value)
        elif self._out_of_range or not _PARTIAL_NUMBER.match(text.strip()):
            self._refuse(message)
        # a number being typed ("1,1", "1153.") is marked only if the clerk leaves it so

    def _document(self) -> KeepsRefusedText | None:
        return find_document(self) if self.path else None

    def _refuse(self, message: str) -> None:
        """Not a number: marked, kept in the evaluation as refused text (an error), and
        the old figure no longer counts — one edit."""
        set_mark(self, "error", message)
        document = self._document()
        text = self.text()
        if document is None or not text.strip():
            if self._shown is not None:
                self._shown = None
                self.value_edited.emit(None)
            return
        with document.refusing(self.path, text):
            if self._shown is not None:
                self._shown = None
                self.value_edited.emit(None)

    def _on_finished(self) -> None:
        if self.invalid:
            self._refuse(self.invalid)

    def value(self) -> Decimal | None:
        ok, value, _ = self._parse(self.text())
        return value if ok else None

    def set_value(self, value: Decimal | None) -> None:
        """Show ``value``, or the refused text the document keeps for this field; a field
        whose text already means this value is left alone, and so is one being typed in."""
        document = self._document()
        refused = document.refused_text(self.path) if document is not None else None
        if refused is not None:
            self._shown = None
            typing = self.hasFocus() and self.isModified()
            if self.text() != refused and (undoing() or not typing):
                self.setText(refused)
            ok, _, message = self._parse(self.text())
            if not ok or self.text() == refused:
                self.invalid = message or f"{self.label}：“{refused}”不是此处可用的值"
                set_mark(self, "error", self.invalid)
            return
        ok, current, _ = self._parse(self.text())
        if ok and current == value and (value is not None or not self.text().strip()):
            self._shown = value
            if not self.hasFocus():
                self.invalid = ""
                set_mark(self, None)
            return
        # the clerk is still typing (the red mark says what is wrong) - unless Ctrl+Z asks
        # for the undone value over it
        if not ok and not undoing() and self.hasFocus():
            return
        self._shown = value
        self.setText("" if value is None else plain(value))
        self.invalid = ""
        set_mark(self, None)

    def set_path(self, where: Address | str) -> None:
        """The field now edits another item (a panel shared by several indicators); the
        refused text of the item it leaves stays in the document."""
        path = str(where)
        if path != self.path:
            self.invalid = ""
            self._shown = None
            self.setText("")
            set_mark(self, None)
        self.path = path


class CountSpin(QSpinBox):
    """A whole-number count (次数) that may also be empty (未填写, shown at -1)."""

    count_edited = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setRange(-1, COUNT_MAX)
        self.setSpecialValueText("未填写")
        self.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.valueChanged.connect(self._on_changed)

    def _on_changed(self, value: int) -> None:
        self.count_edited.emit(None if value < 0 else Decimal(value))

    def set_count(self, count: Decimal | None) -> None:
        """Show ``count`` without reporting an edit."""
        wanted = -1 if count is None else int(count)
        if self.value() != wanted:
            with showing(self):
                self.setValue(wanted)



class _StaleHighlighter(QSyntaxHighlighter):
    """In a text copied from last year: the years before this one and the rates, on amber."""

    def __init__(self, document: QTextDocument, year: int):
        super().__init__(document)
        self.year = year
        self.stale_format = QTextCharFormat()
        self.stale_format.setBackground(QColor("#fcd34d"))
        self.stale_format.setForeground(QColor("#7c2d12"))

    def highlightBlock(self, text: str) -> None:  # noqa: N802 (Qt name)
        for start, end in stale_spans(text, self.year):
            self.setFormat(start, end - start, self.stale_format)


class TextField(QPlainTextEdit):
    """Multi-line text that grows with its content (up to ``max_lines``) when the clerk
    leaves it; while it has the keyboard it keeps its height and scrolls inside."""

    _stale: _StaleHighlighter | None = None

    def set_stale_year(self, year: int | None) -> None:
        """Highlight last year's years and rates (a text 沿用上年), or stop (None)."""
        if year is None:
            if self._stale is not None:
                self._stale.setDocument(None)
                self._stale = None
        elif self._stale is None or self._stale.year != year:
            if self._stale is not None:
                self._stale.setDocument(None)
            self._stale = _StaleHighlighter(self.document(), year)

    def stale_year(self) -> int | None:
        return self._stale.year if self._stale is not None else None

    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, min_lines: int = 2, max_lines: int = 14):
        super().__init__(parent)
        self.min_lines = min_lines
        self.max_lines = max_lines
        self.setUndoRedoEnabled(False)  # Ctrl+Z belongs to the document
        self.setTabChangesFocus(True)  # Tab moves to the next field, as in a form
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        margins = self.contentsMargins()  # includes the frame
        self._frame = margins.top() + margins.bottom()
        self.textChanged.connect(self._on_changed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    def _on_changed(self) -> None:
        self.edited.emit(self.toPlainText())

    def set_text(self, text: str) -> None:
        """Show ``text`` without reporting an edit; listeners of ``textChanged`` hear
        nothing either (``CountedText`` recounts itself)."""
        if self.toPlainText() == text:
            return
        with showing(self):
            cursor_at = self.textCursor().position()
            self.setPlainText(text)
            if self.hasFocus():
                cursor = self.textCursor()
                cursor.setPosition(min(cursor_at, len(text)))
                self.setTextCursor(cursor)

    def _fit(self, *_: object) -> None:
        line = self.fontMetrics().lineSpacing()
        # the laid-out height of the text (Chinese lines can be taller than lineSpacing)
        content = 0.0
        block = self.document().firstBlock()
        while block.isValid() and content <= self.max_lines * line * 2:
            content += self.blockBoundingRect(block).height()
            block = block.next()
        content = max(self.min_lines * line, min(self.max_lines * line, content))
        # the frame as drawn unmarked: a problem's thicker border does not change the height
        frame = 2 * int(self.document().documentMargin() + 0.5) + self._frame
        height = int(content + 0.999) + frame + 2
        if self.height() != height and not self.hasFocus():
            self.setFixedHeight(height)
        # while the clerk types or pastes, the box keeps its height and scrolls inside:
        # the field below stays where the mouse expects it; it is fitted when editing ends

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt name)
        super().focusOutEvent(event)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit()



class CountedText(QWidget):
    """A growing text field with its character count below, e.g. “326 字 / 上限 800”."""

    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, limit: int | None = None,
                 min_lines: int = 3, max_lines: int = 14):
        super().__init__(parent)
        self.limit = limit
        self.field = TextField(self, min_lines=min_lines, max_lines=max_lines)
        self.count = QLabel(self)
        self.count.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.count.setStyleSheet("color: #666;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.field)
        layout.addWidget(self.count)
        self.setFocusProxy(self.field)
        self.field.textChanged.connect(self._count)
        self.field.edited.connect(self.edited.emit)
        self._count()

    def _count(self) -> None:
        n = len(self.field.toPlainText())
        text = f"{n} 字"
        if self.limit:
            text += f" / 上限 {self.limit} 字"
            self.count.setStyleSheet("color: #c0392b;" if n > self.limit else "color: #666;")
        self.count.setText(text)

    def text(self) -> str:
        return self.field.toPlainText()

    def set_text(self, text: str) -> None:
        self.field.set_text(text)
        self._count()  # the field showed it silently


class ReadOnlyText(QLabel):
    """Generated text the clerk reads but does not type (what the PDF will say)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(f"QLabel {{ background: {COMPUTED_BG}; color: #333; padding: 6px; }}")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def set_text(self, text: str) -> None:
        if self.text() != text:
            self.setText(text)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        return QSize(120, hint.height())


class WrapCheckBox(QCheckBox):
    """A check box whose text wraps onto further lines when the pane is narrow (a notice's
    long checklist item on a 125 % laptop screen) instead of widening the window or being
    cut off on the right.  Clicking the text ticks it, as with any check box."""

    MIN_CHARS = 10  # the narrowest it gets: this many Chinese characters a line

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(text, parent)
        policy = self.sizePolicy()
        policy.setHorizontalPolicy(QSizePolicy.Policy.Preferred)  # may be narrower than its text
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _indent(self) -> int:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        style = self.style()
        return (style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, option, self)
                + style.pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing, option, self) + 2)

    def _text_rect(self, width: int) -> QRect:
        return QRect(self._indent(), 0, max(1, width - self._indent() - 2), 1 << 20)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt name)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 (Qt name)
        flags = int(Qt.AlignmentFlag.AlignLeft) | int(Qt.TextFlag.TextWordWrap)
        text = self.fontMetrics().boundingRect(self._text_rect(width), flags, self.text())
        return max(super().sizeHint().height(), text.height() + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        one_line = super().sizeHint().width()
        width = min(one_line, self._indent() + 2 + self.fontMetrics().horizontalAdvance("国") * self.MIN_CHARS)
        return QSize(width, self.heightForWidth(width))

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt name)
        hint = super().sizeHint()
        return QSize(hint.width(), self.heightForWidth(hint.width()))

    def hitButton(self, pos: QPoint) -> bool:  # noqa: N802 (Qt name)
        return self.rect().contains(pos)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt name)
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        option.text = ""  # the indicator only; the text is drawn wrapped below
        indicator = self.style().subElementRect(QStyle.SubElement.SE_CheckBoxIndicator, option, self)
        option.rect = QRect(0, 0, indicator.width() + 2, self.height())
        painter.drawControl(QStyle.ControlElement.CE_CheckBox, option)
        group = QPalette.ColorGroup.Active if self.isEnabled() else QPalette.ColorGroup.Disabled
        painter.setPen(self.palette().color(group, QPalette.ColorRole.WindowText))
        flags = (int(Qt.AlignmentFlag.AlignLeft) | int(Qt.AlignmentFlag.AlignVCenter)
                 | int(Qt.TextFlag.TextWordWrap))
        text = self._text_rect(self.width())
        text.setHeight(self.height())
        drawn = painter.boundingRect(text, flags, self.text())
        painter.drawText(text, flags, self.text())
        if self.hasFocus():  # where Tab has got to, as on any check box
            focus = QStyleOptionFocusRect()
            focus.initFrom(self)
            focus.rect = drawn.adjusted(-1, 0, 1, 0)
            painter.drawPrimitive(QStyle.PrimitiveElement.PE_FrameFocusRect, focus)
