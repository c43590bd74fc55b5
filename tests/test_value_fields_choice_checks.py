"""A kind whose value is a choice and a checklist gets its editors from its field types.

核查评分 exists only in this test: the clerk picks a conclusion (a ``choice`` field whose
options the kind gives) and ticks the problems found (a ``checks`` field whose items the
kind gives).  No other file knows the kind: the indicator page builds a list and check
boxes from the declaration, what the clerk picks goes into the document as one undoable
step each, the editor shows what the document holds after undo and redo, the package
keeps the value, and the system editor's 试算 offers the same choices.  The last test: a
shipped kind names its fields as its rule does (金额比较's 本年结余 and 上年结转)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLabel

from forms import rules
from forms.model import LeafValue
from forms.numbers import ZERO, fmt_weight
from forms.rules import Rule, RuleKind
from forms.rules.base import Outcome
from forms.value_fields import VALUE_FIELDS, ValueField
from desktop_typing import (  # no_qt_warnings: autouse, fails on Qt warnings
    choose, ctrl, setup_app, show, type_text,
    no_qt_warnings,  # noqa: F401
)

D = Decimal
GRADE = ValueField("grade", "choice", "核查结论")
FOUND = ValueField("found", "checks", "发现问题")
SHARE = {"good": D(1), "partly": D("0.6"), "poor": ZERO}


class Inspection(RuleKind):
    key, name = "inspection", "核查评分"
    fields = (GRADE, FOUND)

    def choices(self, rule: Rule, field: ValueField) -> tuple[tuple[str, str], ...]:
        if field == GRADE:
            return (("good", "符合"), ("partly", "基本符合"), ("poor", "不符合"))
        return (("late", "报送不及时（扣1分）"), ("gaps", "资料不全（扣1分）"))

    def score(self, rule: Rule, name: str, weight: Decimal, target: Decimal | None,
              value: LeafValue, actual: Decimal | None) -> Outcome:
        if value.grade not in SHARE:
            return Outcome("missing", message=f"{name}：核查结论未选择")
        lost = len(value.found or ())
        return Outcome("scored", weight * SHARE[value.grade] - lost, None, value.grade)

    def describe(self, rule: Rule, weight: Decimal, target: Decimal | None, unit: str) -> str:
        return f"符合得 {fmt_weight(weight)} 分，基本符合得六成，每发现一个问题扣 1 分"


@pytest.fixture
def kind():
    rules.register(Inspection())
    yield
    rules.unregister("inspection")
    assert not {"grade", "found"} & set(VALUE_FIELDS)


def _evaluation():
    from helpers import evaluation_with

    return evaluation_with({"id": "check", "name": "资料核查", "weight": 5,
                            "rule": {"type": "inspection"}})


def test_a_choice_and_a_checks_field_are_edited_undone_and_saved(qtbot, qapp, kind):
    from desktop.form.document import Document
    from desktop.form.pages.indicators import IndicatorsPage
    from forms.package import package_from_dict, package_to_dict

    setup_app(qapp)
    document = Document(_evaluation())
    page = show(qtbot, IndicatorsPage(document))
    assert page.focus_leaf("check")
    QApplication.processEvents()
    editor = page.panel.editor
    combo = editor.findChild(QComboBox, "grade")
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "（请选择）", "符合", "基本符合", "不符合"]
    late = editor.findChild(QCheckBox, "item.late")
    gaps = editor.findChild(QCheckBox, "item.gaps")
    assert late.text() == "报送不及时（扣1分）" and gaps.isVisible()

    choose(combo, "partly")
    assert document.evaluation.value("check").grade == "partly"
    assert document.result.leaf("check").score == D("3.00")
    late.click()
    assert document.evaluation.value("check").found == ("late",)
    assert document.result.leaf("check").score == D("2.00")
    gaps.click()
    assert document.evaluation.value("check").found == ("late", "gaps")
    assert document.result.leaf("check").score == D("1.00")
    # two steps: the conclusion, and the ticks (edits of one field in a row are one step)
    assert document.undo_stack.count() == 2

    ctrl(Qt.Key.Key_Z)  # the ticks go; the editor shows what the document holds
    QApplication.processEvents()
    editor = page.panel.editor
    assert document.evaluation.value("check") == LeafValue(grade="partly")
    assert not editor.findChild(QCheckBox, "item.late").isChecked()
    assert not editor.findChild(QCheckBox, "item.gaps").isChecked()
    assert editor.findChild(QComboBox, "grade").currentData() == "partly"
    ctrl(Qt.Key.Key_Z)
    QApplication.processEvents()
    assert document.evaluation.value("check") == LeafValue()
    assert page.panel.editor.findChild(QComboBox, "grade").currentIndex() == 0
    ctrl(Qt.Key.Key_Y)
    QApplication.processEvents()
    assert page.panel.editor.findChild(QComboBox, "grade").currentData() == "partly"

    # the pick after undo goes onto the value the document holds, not onto an older copy
    page.panel.editor.findChild(QCheckBox, "item.gaps").click()
    assert document.evaluation.value("check") == LeafValue(grade="partly", found=("gaps",))
    choose(page.panel.editor.findChild(QComboBox, "grade"), "good")
    assert document.evaluation.value("check") == LeafValue(grade="good", found=("gaps",))
    assert document.result.leaf("check").score == D("4.00")

    saved = package_to_dict(document.evaluation)
    assert saved["values"]["check"]["grade"] == "good"
    assert list(saved["values"]["check"]["found"]) == ["gaps"]
    back = package_from_dict(saved)
    assert back == document.evaluation
    assert back.value("check").found == ("gaps",)


def test_the_tree_cell_leaves_a_two_field_value_to_the_panel(qtbot, qapp, kind):
    from desktop.form.indicator_inline import inline_kind
    from desktop.form.indicator_tree import COL_ACTUAL, COL_DEVIATION

    ev = _evaluation()
    assert inline_kind(ev, "check", COL_ACTUAL) is None
    assert inline_kind(ev, "check", COL_DEVIATION) == "deviation"


def test_the_preview_offers_the_kinds_choices_and_items(qtbot, qapp, kind):
    from desktop.system_editor.preview import PreviewBox
    from forms.system import system_to_dict
    from forms.system_edit import SystemDraft

    setup_app(qapp)
    draft = SystemDraft(system_to_dict(_evaluation().system))
    box = PreviewBox(lambda: draft)
    qtbot.addWidget(box)
    box.show()
    box.load((0, 0, 0))
    QApplication.processEvents()
    grade = box.findChild(QComboBox, "preview_grade")
    assert [grade.itemData(i) for i in range(grade.count())] == [None, "good", "partly", "poor"]
    assert "核查结论未选择" in box.score_text()
    grade.setCurrentIndex(grade.findData("good"))
    assert box.score_text() == "5.00 / 5 分"
    box.boxes[1].click()
    assert box.score_text() == "4.00 / 5 分"


def test_an_amount_comparison_names_its_two_amounts_as_the_rule_does(qtbot, qapp):
    from desktop.form.document import Document
    from desktop.form.pages.indicators import IndicatorsPage
    from helpers import evaluation_with

    setup_app(qapp)
    compare = {"id": "surplus", "name": "结余控制", "weight": 2,
               "rule": {"type": "compare", "amount_label": "本年结余", "reference_label": "上年结转"}}
    document = Document(evaluation_with(compare))
    page = show(qtbot, IndicatorsPage(document))
    assert page.focus_leaf("surplus")
    QApplication.processEvents()
    editor = page.panel.editor
    assert list(editor.inputs) == ["amount", "reference"]
    shown = [w.text() for w in editor.findChildren(QLabel) if w.isVisible()]
    assert "本年结余：" in shown and "上年结转：" in shown
    editor.inputs["amount"].setFocus()
    type_text("3")
    editor.inputs["reference"].setFocus()
    type_text("5")
    value = document.evaluation.value("surplus")
    assert (value.amount, value.reference) == (Decimal("3"), Decimal("5"))
    assert document.result.leaf("surplus").score == Decimal("2.00")
