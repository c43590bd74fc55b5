"""Table cells holding a text copied from last year (沿用上年): last year's years and
rates inside the text on amber, as in the page's text fields (``widgets.TextField``).

The model answers ``STALE_ROLE`` with the evaluation's year for a carried-over cell
(None otherwise); the delegate draws the cell's text with those spans highlighted.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem, QWidget

from forms.carry_over import stale_spans

from desktop.form.table_view import _CellDelegate
from desktop.form.tables import Index

STALE_ROLE = int(Qt.ItemDataRole.UserRole) + 7
STALE_BG = "#fcd34d"
STALE_FG = "#7c2d12"


def stale_html(text: str, year: int) -> str:
    """``text`` as HTML with the stale spans marked (line breaks kept)."""
    out: list[str] = []
    at = 0
    for start, end in stale_spans(text, year):
        if start < at:
            continue
        out.append(escape(text[at:start]))
        out.append(f'<span style="background:{STALE_BG};color:{STALE_FG}">'
                   f"{escape(text[start:end])}</span>")
        at = end
    out.append(escape(text[at:]))
    return "".join(out).replace("\n", "<br>")


class StaleCellDelegate(_CellDelegate):
    """The tables' cell delegate, drawing carried-over texts with highlighted spans."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        year = index.data(STALE_ROLE)
        text = index.data(Qt.ItemDataRole.DisplayRole)
        if not isinstance(year, int) or not isinstance(text, str) or not stale_spans(text, year):
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # background, selection and focus as usual; the text drawn below
        widget: QWidget | None = opt.widget  # None when the cell is drawn off any view
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        doc = QTextDocument()
        doc.setDefaultFont(opt.font)
        doc.setDocumentMargin(2)
        doc.setHtml(stale_html(text, year))
        doc.setTextWidth(rect.width())
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        context.clip = QRectF(0, 0, rect.width(), rect.height())
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(context.clip)
        doc.documentLayout().draw(painter, context)
        painter.restore()
