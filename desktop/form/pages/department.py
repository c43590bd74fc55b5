"""单位基本情况: name, year, functions (one per line), divisions, who filled it in."""

from __future__ import annotations

from dataclasses import replace
from PySide6.QtWidgets import QFormLayout, QSpinBox, QWidget

from forms.address import FieldAddress
from forms.model import DEPARTMENT_FIELDS, Department, Evaluation

from desktop.form.document import Document
from desktop.form.records import with_cell
from desktop.common.widgets import CountedText, LineField, showing
from desktop.form.pages.base import Page, hint
import itertools

_LABELS = dict(DEPARTMENT_FIELDS)
_LINE_FIELDS = ("name", "code", "preparer", "phone", "head", "finance_head", "date")


class DepartmentPage(Page):
    title = "单位基本情况"
    section = "department"

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(document, parent)
        body = self.scroll_body()
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(8)
        body.addLayout(form)

        def line(key: str) -> LineField:
            field = LineField(self)
            field.setObjectName(f"department.{key}")
            field.edited.connect(lambda text, k=key: self._edit_text(k, text))
            self.fields[FieldAddress("department", key)] = field
            return field

        self.year = QSpinBox(self)
        self.year.setRange(2000, 2100)
        self.year.setSuffix(" 年度")
        self.year.setObjectName("department.year")
        self.year.valueChanged.connect(self._year_changed)
        self.fields[FieldAddress("department", "year")] = self.year

        self.functions = CountedText(self, min_lines=4)
        self.functions.setObjectName("department.functions")
        self.functions.edited.connect(self._functions_changed)
        self.fields[FieldAddress("department", "functions")] = self.functions.field
        self.divisions = CountedText(self, min_lines=2)
        self.divisions.setObjectName("department.divisions")
        self.divisions.edited.connect(lambda text: self._edit_text("divisions", text))
        self.fields[FieldAddress("department", "divisions")] = self.divisions.field

        self.lines = {key: line(key) for key in _LINE_FIELDS}
        form.addRow(_LABELS["name"] + "：", self.lines["name"])
        form.addRow(_LABELS["year"] + "：", self.year)
        form.addRow(_LABELS["code"] + "：", self.lines["code"])
        form.addRow(_LABELS["functions"] + "：", self.functions)
        form.addRow("", hint("每行一条职能；报告“部门职能”一节按行列出。"))
        form.addRow(_LABELS["divisions"] + "：", self.divisions)
        for key in ("preparer", "phone", "head", "finance_head", "date"):
            form.addRow(_LABELS[key] + "：", self.lines[key])
        self.lines["date"].setPlaceholderText("例如 2023年3月15日")
        # Tab follows the form from top to bottom, not the order the widgets were made in
        chain = [self.lines["name"], self.year, self.lines["code"], self.functions.field,
                 self.divisions.field] + [self.lines[k] for k in
                                          ("preparer", "phone", "head", "finance_head", "date")]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        body.addStretch(1)
        self.refresh()

    # ---- edits
    def _edit(self, key: str, department: Department) -> None:
        """One edit of field ``key``, which ``department`` holds changed."""
        after = replace(self.document.evaluation, department=department)
        self.document.apply(after, f"修改{_LABELS[key]}",
                            merge_key=FieldAddress("department", key))

    def _edit_text(self, key: str, text: str) -> None:
        self._edit(key, with_cell(self.document.evaluation.department, key, text))

    def _year_changed(self, year: int) -> None:
        self._edit("year", replace(self.document.evaluation.department, year=year))

    def _functions_changed(self, text: str) -> None:
        # One function per line; blank lines are not functions.
        items = tuple(line.strip() for line in text.split("\n") if line.strip())
        department = self.document.evaluation.department
        if items != department.functions:
            self._edit("functions", replace(department, functions=items))

    # ---- refresh
    def load(self, ev: Evaluation) -> None:
        """Show ``ev``; the fields report only the clerk's edits, never what is shown here."""
        dept = ev.department
        for key, field in self.lines.items():
            field.set_text(getattr(dept, key))
        if dept.year and self.year.value() != dept.year:
            with showing(self.year):
                self.year.setValue(dept.year)
        shown = tuple(line.strip() for line in self.functions.text().split("\n") if line.strip())
        if shown != dept.functions:
            self.functions.set_text("\n".join(dept.functions))
        self.divisions.set_text(dept.divisions)
