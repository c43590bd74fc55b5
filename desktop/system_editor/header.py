"""The system editor's header: 体系名称, 适用地区, 年度 on one line, 等级划分 and 总分规则
side by side below it (the middle pane then fits a 125 % laptop screen next to the other
two).

``HeaderPane`` owns these fields.  It writes the clerk's edits into the draft it is given
(``draft``, the window's current one) and emits ``edited``; ``load`` shows the draft's
header, ``mark`` paints the live checks of the whole system's fields.  The fields listen
only to what the clerk does (``textEdited``, the grade table's committed rows), so
showing a draft writes nothing back.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit,
                               QVBoxLayout, QWidget)

from desktop.common.widgets import set_mark
from desktop.system_editor.totals import TotalRules
from desktop.system_editor.undo import Edit
from desktop.system_editor.widgets import RowTable, text_of
from forms.system_edit import Check, SystemDraft


class HeaderPane(QWidget):
    """The whole system's fields above the tree; emits ``edited(Edit)`` after each edit."""

    edited = Signal(object)  # Edit

    def __init__(self, draft: Callable[[], SystemDraft], parent: QWidget | None = None):
        super().__init__(parent)
        self._draft = draft
        self._read_only = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        form = QHBoxLayout()
        self.sys_name = QLineEdit()
        self.sys_name.setObjectName("sys_name")
        self.sys_jurisdiction = QLineEdit()
        self.sys_jurisdiction.setObjectName("sys_jurisdiction")
        self.sys_year = QLineEdit()
        self.sys_year.setObjectName("sys_year")
        em = self.sys_name.fontMetrics().horizontalAdvance("国")  # a Chinese character's width
        self.sys_name.setMinimumWidth(em * 8)
        self.sys_jurisdiction.setMinimumWidth(em * 7)  # "广州市黄埔区" readable
        self.sys_year.setMinimumWidth(em * 3)  # "2024"
        self.sys_year.setMaximumWidth(em * 4)
        for text, field, stretch in (("体系名称：", self.sys_name, 3),
                                     ("适用地区：", self.sys_jurisdiction, 2),
                                     ("年度：", self.sys_year, 0)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addWidget(label)
            form.addWidget(field, stretch)
        self.sys_name.textEdited.connect(lambda t: self._header("name", t))
        self.sys_jurisdiction.textEdited.connect(lambda t: self._header("jurisdiction", t))
        self.sys_year.textEdited.connect(lambda t: self._header("year", t))
        layout.addLayout(form)

        row = QHBoxLayout()
        self.grades = RowTable(("等级下限（分）", "等级"))
        self.grades.setObjectName("grades")
        self.grades.setMinimumHeight(60)
        self.grades.setMaximumHeight(118)
        self.grades.verticalHeader().setDefaultSectionSize(22)
        self.grades.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.grades.rows_changed.connect(self._grades)
        gbox = QGroupBox("等级划分")
        gbox.setMinimumWidth(150)
        gl = QVBoxLayout(gbox)
        gl.setContentsMargins(4, 2, 4, 2)
        gl.addWidget(self.grades)
        gl.addStretch(1)  # the table at the top when 总分规则 beside it is taller
        row.addWidget(gbox, 2)
        self.totals = TotalRules(draft)
        self.totals.edited.connect(lambda: self.edited.emit(Edit()))
        row.addWidget(self.totals, 2)
        layout.addLayout(row)

    def load(self) -> None:
        """Show the draft's header; its fields send only the clerk's edits, so none here."""
        data = self._draft().data
        self.sys_name.setText(str(data.get("name") or ""))
        self.sys_jurisdiction.setText(str(data.get("jurisdiction") or ""))
        self.sys_year.setText(text_of(data.get("year")))
        for field in (self.sys_name, self.sys_jurisdiction):
            field.setCursorPosition(0)  # show the start of a long name
        self.grades.set_rows([((">" if g.get("min_inclusive") is False else "") + text_of(g.get("min")),
                               str(g.get("grade") or ""))
                              for g in data.get("grades") or [] if isinstance(g, dict)])
        self.totals.load()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for field in (self.sys_name, self.sys_jurisdiction, self.sys_year):
            field.setReadOnly(read_only)
        self.grades.setEnabled(not read_only)
        self.totals.set_read_only(read_only)

    def mark(self, check: Check) -> None:
        """The problems of the system's own fields, on those fields."""
        top = check.at(())
        for field, widget in (("name", self.sys_name), ("year", self.sys_year),
                              ("grades", self.grades)):
            msgs = [p.message for p in top if p.system_field == field]
            set_mark(widget, "error" if msgs else None, "\n".join(msgs))

    def _header(self, key: str, value: str) -> None:
        if self._read_only:
            return
        self._draft().set_header(key, value)
        self.edited.emit(Edit())

    def _grades(self, rows: list[tuple[str, str]]) -> None:
        if self._read_only:
            return
        self._draft().set_grades(rows)
        self.edited.emit(Edit())
