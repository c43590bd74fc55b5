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
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from forms.model import Evaluation
from forms.report import OUTLINES, ReportOptions, report_options, section_ids
from forms.report.outline import RATE_PLACES, STYLES, left_out
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
        self.places = QComboBox()
        self.places.setObjectName("rate_places")
        self.places.addItem("按提纲（所依通知的报告写法）", None)
        for places in RATE_PLACES:
            self.places.addItem(f"{places} 位小数" if places else "取整", places)
        self.places.setCurrentIndex(self.places.findData(current.rate_places)
                                    if current.rate_places is not None else 0)
        self.places.setToolTip("正文、附件和工作簿中的比率统一按此位数；整数比率（如 100%）不加小数")
        form.addRow("比率小数位：", self.places)
        layout.addLayout(form)
        self.sections_box = QGroupBox("报告包含的部分（不勾选的部分连同标题不印出，序号自动接续；"
                                      "标题可改写）")
        self.grid = QGridLayout(self.sections_box)
        layout.addWidget(self.sections_box)
        self.left_out = QLabel(self)
        self.left_out.setObjectName("left_out")
        self.left_out.setWordWrap(True)
        layout.addWidget(self.left_out)
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
        self.titles: dict[str, QLineEdit] = {}
        self._titles = dict(current.titles)
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
        self._titles.update(self._typed_titles())
        for edit in self.titles.values():
            edit.deleteLater()
        self.checks = {}
        self.titles = {}
        key = self.outline.currentData()
        sections = section_ids(OUTLINES[key][1])
        # columns of at most ROWS rows: the dialog stays within a 125 % laptop screen's height
        per_column = -(-len(sections) // -(-len(sections) // ROWS))
        for row, (section_id, title, depth) in enumerate(sections):
            box = QCheckBox("　" * (depth - 1))
            box.setProperty("section", section_id)
            box.setChecked(section_id not in self._omit)
            edit = QLineEdit(self._titles.get(section_id, title))
            edit.setObjectName(f"title.{section_id}")
            edit.setPlaceholderText(title)
            edit.setProperty("default", title)
            edit.setAccessibleName(f"标题：{title}")
            at, column = row % per_column, 2 * (row // per_column)
            self.grid.addWidget(box, at, column)
            self.grid.addWidget(edit, at, column + 1)
            self.checks[section_id] = box
            self.titles[section_id] = edit
        missing = [label for _, label in left_out(OUTLINES[key][1])]
        self.left_out.setText("本提纲不含：" + "、".join(missing) + "（填写的内容不印入报告）"
                              if missing else "本提纲包含全部内容。")
        style = STYLES.get(key, STYLES["default"])
        self.places.setItemText(0, f"按提纲（{style.rate_places} 位小数）")

    def _typed_titles(self) -> dict[str, str]:
        """The headings the clerk rewrote; an emptied one goes back to the outline's."""
        out = {}
        for section_id, edit in self.titles.items():
            text = edit.text().strip()
            if text and text != edit.property("default"):
                out[section_id] = text
            else:
                self._titles.pop(section_id, None)
        return out

    def options(self) -> ReportOptions:
        omit = {key for key, box in self.checks.items() if not box.isChecked()}
        ids = set(self.titles)
        titles = {k: v for k, v in self._titles.items() if k not in ids}
        titles.update(self._typed_titles())
        places = self.places.currentData()
        return ReportOptions(outline=str(self.outline.currentData()), omit=frozenset(omit),
                             charts=self.charts.isChecked(),
                             attachments=self.attachments.isChecked(),
                             titles=tuple(sorted(titles.items())),
                             rate_places=places if isinstance(places, int) else None)

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
