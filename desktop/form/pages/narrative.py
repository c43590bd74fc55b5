"""分析与结论: the clerk's texts, beside the sentences the program writes itself.

The generated sentences (score, budget figures, projects) are shown read-only
above the texts so the clerk sees what the PDF will say and does not retype
figures that could then disagree with the tables.
"""

from __future__ import annotations


from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from forms.address import FieldAddress
from forms.model import NARRATIVE_FIELDS, Evaluation
from forms.report_data import budget_paragraph, projects_summary, score_sentence

from desktop.form.document import Document
from desktop.common.widgets import CountedText, ReadOnlyText
from desktop.form.pages.base import Page, hint, subheading

_HINTS = {
    "conclusion": "自评得分与等级由程序按评分表写入报告（见上），此处写总体评价。",
    "task_analysis": "逐项对照重点工作任务的绩效目标，说明完成情况。",
    "achievements": "主要工作成效（履职效能分析）。",
    "performance_management": "绩效目标管理、运行监控、自评与结果应用等情况。",
    "procurement_management": "政府采购预算、计划与执行情况。",
    "asset_management": "资产配置、使用、处置及账实相符情况。",
    "problems": "存在的主要问题。",
    "measures": "下一步改进措施，与问题逐一对应。",
}


class NarrativePage(Page):
    title = "分析与结论"
    section = "narrative"

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(document, parent)
        body = self.scroll_body()
        box = QGroupBox("报告中由程序生成的文字（只读，随数据自动更新）", self)
        inner = QVBoxLayout(box)
        self.generated_score = ReadOnlyText(box)
        self.generated_budget = ReadOnlyText(box)
        self.generated_projects = ReadOnlyText(box)
        for generated in (self.generated_score, self.generated_budget, self.generated_projects):
            inner.addWidget(generated)
        body.addWidget(box)
        self.texts: dict[str, CountedText] = {}
        for key, label in NARRATIVE_FIELDS:
            body.addWidget(subheading(label))
            if key in _HINTS:
                body.addWidget(hint(_HINTS[key]))
            text = CountedText(self, min_lines=3)
            text.setObjectName(f"narrative.{key}")
            text.edited.connect(lambda value, k=key, lbl=label: self._edit(k, lbl, value))
            self.texts[key] = text
            self.fields[FieldAddress("narrative", key)] = text.field
            body.addWidget(text)
        body.addStretch(1)
        self.refresh()

    def _edit(self, key: str, label: str, value: str) -> None:
        after = self.document.evaluation.with_narrative(key, value)
        self.document.apply(after, f"修改{label}", merge_key=FieldAddress("narrative", key))

    def load(self, ev: Evaluation) -> None:
        self.generated_score.set_text(score_sentence(ev, self.document.result))
        self.generated_budget.set_text(budget_paragraph(ev) or "（收支情况尚未填写）")
        self.generated_projects.set_text(projects_summary(ev) or "（项目支出尚未填写）")
        for key, text in self.texts.items():
            text.set_text(ev.narrative.get(key, ""))
