"""A rule kind declares its value fields; from that declaration alone its value is edited,
scored, saved, exported and read back, reviewed (docs/rules.md, “Adding a rule kind”).

The two kinds below exist only in this test and no other file knows them: 填写即得分, whose
value is one text, and 结余比较 ("有结余，但不超过上年结转，2分"), whose value is two amounts.
The clerk types them on the indicator page; the document scores and undoes them; the
package keeps them; the workbook writes them and reads them back (a text corrected in Excel
is taken); the bureau's review scores the exported file the same."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from forms import rules
from forms.model import LeafValue
from forms.numbers import ZERO, fmt2, fmt_weight
from forms.rules import Rule, RuleKind
from forms.rules.base import Outcome
from forms.value_fields import VALUE_FIELDS, ValueField
from desktop_typing import (  # no_qt_warnings: autouse, fails on Qt warnings
    ctrl, setup_app, show, type_text,
    no_qt_warnings,  # noqa: F401
)

D = Decimal


class FillIn(RuleKind):
    key, name = "fill_in", "填写即得分"
    fields = (ValueField("note", "text", "完成情况说明"),)

    def score(self, rule: Rule, name: str, weight: Decimal, target: Decimal | None,
              value: LeafValue, actual: Decimal | None) -> Outcome:
        if not value.note:
            return Outcome("missing", message=f"{name}：完成情况说明未填写")
        return Outcome("scored", weight, None, value.note)

    def describe(self, rule: Rule, weight: Decimal, target: Decimal | None, unit: str) -> str:
        return f"填写完成情况说明即得 {fmt_weight(weight)} 分"


class Surplus(RuleKind):
    key, name = "surplus_vs_carried", "结余比较"
    fields = (ValueField("surplus", "number", "本年结余", "万元", low=ZERO),
              ValueField("carried", "number", "上年结转", "万元", low=ZERO))

    def score(self, rule: Rule, name: str, weight: Decimal, target: Decimal | None,
              value: LeafValue, actual: Decimal | None) -> Outcome:
        if value.surplus is None or value.carried is None:
            return Outcome("missing", message=f"{name}：本年结余或上年结转未填写")
        text = f"结余 {fmt2(value.surplus)} 万元，上年结转 {fmt2(value.carried)} 万元"
        return Outcome("scored", weight if value.surplus <= value.carried else ZERO, None, text)

    def describe(self, rule: Rule, weight: Decimal, target: Decimal | None, unit: str) -> str:
        return f"有结余，但不超过上年结转，{fmt_weight(weight)} 分；超过的不得分"


@pytest.fixture
def kinds():
    rules.register(FillIn())
    rules.register(Surplus())
    yield
    rules.unregister("fill_in")
    rules.unregister("surplus_vs_carried")
    assert not {"note", "surplus", "carried"} & set(VALUE_FIELDS)


def _evaluation():
    from helpers import evaluation_with

    return evaluation_with({"id": "fill", "name": "工作总结", "weight": 3, "rule": {"type": "fill_in"}},
                           {"id": "cmp", "name": "结余控制", "weight": 2,
                            "rule": {"type": "surplus_vs_carried"}})


def test_a_declared_kind_goes_from_panel_to_review(qtbot, qapp, kinds, tmp_path):
    from desktop.form.document import Document
    from desktop.form.pages.indicators import IndicatorsPage
    from exports.excel import workbook_bytes
    from exports.review_read import review_one
    from exports.workbook_import import read_workbook_bytes
    from forms.package import package_from_dict, package_to_dict
    from forms.scoring import score

    setup_app(qapp)
    document = Document(_evaluation())
    page = show(qtbot, IndicatorsPage(document))

    # the panel: one field per declared field, typed like a clerk
    assert page.focus_leaf("fill")
    QApplication.processEvents()
    editor = page.panel.editor
    assert list(editor.inputs) == ["note"]
    note = editor.findChild(QLineEdit, "note")
    note.setFocus()
    type_text("done in 2024")
    assert document.evaluation.value("fill").note == "done in 2024"
    assert document.result.leaf("fill").score == D("3.00")

    assert page.focus_leaf("cmp")
    QApplication.processEvents()
    editor = page.panel.editor
    editor.findChild(QLineEdit, "surplus").setFocus()
    type_text("6")
    editor.findChild(QLineEdit, "carried").setFocus()
    type_text("5")
    assert document.result.leaf("cmp").score == D("0.00")  # 结余 6 exceeds 结转 5
    ctrl(Qt.Key.Key_Z)  # undo takes back the 上年结转 typed, nothing else
    assert document.evaluation.value("cmp").carried is None
    assert document.evaluation.value("cmp").surplus == D("6")
    editor.findChild(QLineEdit, "carried").setFocus()
    type_text("8")
    assert document.result.leaf("cmp").score == D("2.00")
    # a value outside the declared bounds is refused with the field's name
    surplus = editor.findChild(QLineEdit, "surplus")
    surplus.setFocus()
    surplus.selectAll()
    type_text("-1")
    assert any("结余控制本年结余" in i.message and "不能小于 0万元" in i.message
               for i in document.issues), [i.message for i in document.issues]
    surplus.selectAll()
    type_text("4")
    ev = document.evaluation
    assert score(ev).leaf("cmp").score == D("2.00")

    # the package: the declared names are the keys
    saved = package_to_dict(ev)
    assert saved["values"]["fill"]["note"] == "done in 2024"
    assert (saved["values"]["cmp"]["surplus"], saved["values"]["cmp"]["carried"]) == ("4", "8")
    assert package_from_dict(saved) == ev

    # the workbook: written, a text corrected in Excel taken, the amounts kept
    import openpyxl

    wb = openpyxl.load_workbook(BytesIO(workbook_bytes(ev)))
    cells = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value == "done in 2024"]
    assert cells, "the text is in the form"
    for cell in cells:
        cell.value = "done, checked"
    out = BytesIO()
    wb.save(out)
    back = read_workbook_bytes(out.getvalue())
    assert back.value("fill").note == "done, checked"
    assert (back.value("cmp").surplus, back.value("cmp").carried) == (D("4"), D("8"))

    # the review scores the exported file as the program did
    path = tmp_path / "结余.xlsx"
    path.write_bytes(workbook_bytes(ev))
    row = review_one(str(path), None)
    assert row.result.total == score(ev).total
    assert row.result.leaf("cmp").score == D("2.00")


def test_a_kind_cannot_redeclare_a_field_another_way(kinds):
    class Clash(RuleKind):
        key, name = "clash", "冲突"
        fields = (ValueField("note", "number", "说明"),)

    with pytest.raises(ValueError, match="already declared"):
        rules.register(Clash())
    assert "clash" not in rules.KINDS


def test_an_undeclared_field_is_not_a_value(kinds):
    with pytest.raises(TypeError):
        LeafValue(nothing=1)
    assert LeafValue(note="x").note == "x"
    assert LeafValue().surplus is None


def test_the_preview_offers_the_declared_fields(qtbot, qapp, kinds):
    from desktop.system_editor.preview import PreviewBox
    from forms.system import system_to_dict
    from forms.system_edit import SystemDraft

    setup_app(qapp)
    draft = SystemDraft(system_to_dict(_evaluation().system))
    box = PreviewBox(lambda: draft)
    qtbot.addWidget(box)
    box.show()
    box.load((0, 0, 1))  # 结余控制
    QApplication.processEvents()
    surplus = box.findChild(QLineEdit, "preview_surplus")
    carried = box.findChild(QLineEdit, "preview_carried")
    assert surplus.isVisible() and carried.isVisible()
    assert box.findChild(QLineEdit, "preview_actual") is None  # only the declared fields
    surplus.setFocus()
    type_text("3")
    assert "本年结余或上年结转未填写" in box.score_text()
    carried.setFocus()
    type_text("5")
    assert box.score_text() == "2.00 / 2 分"
    box.load((0, 0, 0))  # 工作总结: one text
    QApplication.processEvents()
    note = box.findChild(QLineEdit, "preview_note")
    assert note.isVisible() and box.findChild(QLineEdit, "preview_surplus") is None
    note.setFocus()
    type_text("ok")
    assert box.score_text() == "3.00 / 3 分"


def test_a_kind_of_one_field_is_typed_in_the_tree_cell(qtbot, qapp, kinds):
    from desktop.form.document import Document
    from desktop.form.indicator_tree import COL_ACTUAL
    from desktop.form.pages.indicators import IndicatorsPage
    from desktop_typing import enter
    from tree_rows import leaf_row, set_current

    setup_app(qapp)
    document = Document(_evaluation())
    page = show(qtbot, IndicatorsPage(document))
    page.tree.setFocus()
    set_current(page, leaf_row(page, "fill"), COL_ACTUAL)
    qtbot.keyClick(page.tree, Qt.Key.Key_F2)
    type_text("all done")
    enter()
    assert document.evaluation.value("fill").note == "all done"
    assert document.result.leaf("fill").score == D("3.00")
    assert leaf_row(page, "fill").text(COL_ACTUAL) == "all done"


def test_a_declared_number_outside_its_bounds_from_a_file_is_an_error_not_a_score(kinds):
    from forms.package import package_from_dict, package_to_dict
    from forms.scoring import score

    saved = package_to_dict(_evaluation())
    saved["values"]["cmp"] = {"surplus": "-1", "carried": "5"}  # as an edited file may hold
    result = score(package_from_dict(saved)).leaf("cmp")
    assert result.status == "invalid" and result.score == 0
    assert result.message == "结余控制本年结余：不能小于 0万元"
