"""报告选项: the outline the report follows, sections left out, charts and attachments.

The choice is stored with the evaluation (``forms.report.with_report_options``),
so it travels in packages and the library like any other field and is undone
with Ctrl+Z.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from forms.model import Evaluation
from forms.report import OUTLINES, ReportOptions, report_options, section_ids
from forms.report.wording import self_reference


ROWS = 9  # check boxes a column


class ReportOptionsDialog(QDialog):
    def __init__(self, parent: QWidget | None, evaluation: Evaluation):
        super().__init__(parent)
        self.setWindowTitle("报告选项")
        self.evaluation = evaluation
        current = report_options(evaluation)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.outline = QComboBox()
        for key, (label, _) in OUTLINES.items():
            self.outline.addItem(label, key)
        self.outline.setCurrentIndex(list(OUTLINES).index(current.outline))
        form.addRow("报告提纲：", self.outline)
        self.reference = QLineEdit(self_reference(evaluation))
        self.reference.setToolTip("得分句中单位的自称，如“我办”“我局”“我委”")
        form.addRow("单位自称：", self.reference)
        layout.addLayout(form)
        self.sections_box = QGroupBox("报告包含的部分（不勾选的部分连同标题不印出，序号自动接续）")
        self.grid = QGridLayout(self.sections_box)
        layout.addWidget(self.sections_box)
        self.charts = QCheckBox("PDF 中附图表（已发布的报告均无图表）")
        self.charts.setChecked(current.charts)
        self.attachments = QCheckBox("附件1 自评表、附件2 绩效指标评分表")
        self.attachments.setChecked(current.attachments)
        layout.addWidget(self.charts)
        layout.addWidget(self.attachments)
        buttons = QDialogButtonBox()
        buttons.addButton("确定", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.checks: dict[str, QCheckBox] = {}
        self._omit = set(current.omit)
        self._fill_sections()
        self.outline.currentIndexChanged.connect(self._fill_sections)

    def _fill_sections(self) -> None:
        for section_id, box in self.checks.items():  # keep what was chosen under the old outline
            if box.isChecked():
                self._omit.discard(section_id)
            else:
                self._omit.add(section_id)
            box.deleteLater()
        self.checks = {}
        key = self.outline.currentData()
        sections = section_ids(OUTLINES[key][1])
        # columns of at most ROWS boxes: the dialog stays within a 125 % laptop screen's height
        per_column = -(-len(sections) // -(-len(sections) // ROWS))
        for row, (section_id, title, depth) in enumerate(sections):
            box = QCheckBox(("　" * (depth - 1)) + title)
            box.setProperty("section", section_id)
            box.setChecked(section_id not in self._omit)
            self.grid.addWidget(box, row % per_column, row // per_column)
            self.checks[section_id] = box

    def options(self) -> ReportOptions:
        omit = {key for key, box in self.checks.items() if not box.isChecked()}
        return ReportOptions(outline=str(self.outline.currentData()), omit=frozenset(omit),
                             charts=self.charts.isChecked(),
                             attachments=self.attachments.isChecked())

    def reference_text(self) -> str:
        return self.reference.text().strip()


def ask_report_options(parent: QWidget | None, evaluation: Evaluation) -> Evaluation | None:
    """The evaluation with the options the clerk chose, or None when nothing changed."""
    from dataclasses import replace

    from forms.report import with_report_options

    dialog = ReportOptionsDialog(parent, evaluation)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    after = with_report_options(evaluation, dialog.options())
    report = dict(after.extra["report"])
    reference = dialog.reference_text()
    if reference and reference != self_reference(evaluation):
        report["self_reference"] = reference
    after = replace(after, extra={**after.extra, "report": report})
    return None if after.extra == evaluation.extra else after
