"""绩效目标: the year's overall targets, how they were met, and why not."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import QWidget

from forms.address import FieldAddress
from forms.model import GOAL_FIELDS, Evaluation
from forms.validation import EXPLAIN_BELOW_TEXT

from desktop.form.document import Document
from desktop.form.evidence_list import EvidenceList
from desktop.form.records import with_cell
from desktop.common.widgets import CountedText
from desktop.form.pages.base import Page, hint, subheading

_HINTS = {
    "targets": "按批复的部门整体支出绩效目标填写（产出、效益、满意度等）。",
    "completion": "逐项说明目标的完成情况，尽量用数字说话。",
    "unmet_reason": f"未完成的目标、预算执行率低于 {EXPLAIN_BELOW_TEXT} 时，在此说明原因。",
}


class GoalsPage(Page):
    title = "绩效目标"
    section = "goals"

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(document, parent)
        body = self.scroll_body()
        self.texts: dict[str, CountedText] = {}
        for key, label in GOAL_FIELDS:
            body.addWidget(subheading(label))
            body.addWidget(hint(_HINTS[key]))
            text = CountedText(self, min_lines=4 if key != "unmet_reason" else 3)
            text.setObjectName(f"goals.{key}")
            text.edited.connect(lambda value, k=key, lbl=label: self._edit(k, lbl, value))
            self.texts[key] = text
            self.fields[FieldAddress("goals", key)] = text.field
            body.addWidget(text)
        body.addWidget(subheading("佐证材料"))
        self.evidence = EvidenceList(lambda: self.document, FieldAddress("goals"), "绩效目标", self)
        self.fields[self.evidence.field] = self.evidence.files
        body.addWidget(self.evidence)
        body.addStretch(1)
        self.refresh()

    def _edit(self, key: str, label: str, value: str) -> None:
        ev = self.document.evaluation
        after = replace(ev, goals=with_cell(ev.goals, key, value))
        self.document.apply(after, f"修改{label}", merge_key=FieldAddress("goals", key))

    def load(self, ev: Evaluation) -> None:
        for key, text in self.texts.items():
            text.set_text(getattr(ev.goals, key))
        self.evidence.refresh()
