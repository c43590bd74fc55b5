"""The indicator page: the tree from the system, the per-rule editors, 不适用, custom blocks."""

from __future__ import annotations

import time
from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLabel, QLineEdit

from desktop.form.document import Document
from desktop.common.messages import Messages
from desktop.common.widgets import NumberField
from desktop.form.indicator_tree import COL_ACTUAL, COL_DEVIATION, COL_NAME, COL_SCORE
from desktop.form.pages.indicators import IndicatorsPage
from desktop.common.widgets import mark_level
from desktop_typing import (  # no_qt_warnings: autouse, fails on Qt warnings
    choose, ctrl, enter, ime_commit, press, setup_app, show, type_text,
    no_qt_warnings,  # noqa: F401
)
from forms import rules
from forms.address import parse
from forms.catalog import read_system_path, shipped_systems
from forms.model import new_evaluation
from forms.system import load_system
from helpers import evaluation_with
from tree_rows import current_row, group_row, leaf_row, leaf_rows, set_current, top_rows


@pytest.fixture
def page(qtbot, qapp, sample):
    setup_app(qapp)
    return show(qtbot, IndicatorsPage(Document(sample)))


def select_leaf(page, leaf_id):
    assert page.focus_leaf(leaf_id)
    QApplication.processEvents()
    return page.panel.editor


def row(page, leaf_id):
    return leaf_row(page, leaf_id)


def test_tree_is_built_from_the_system_with_weights_and_subtotals(page):
    tops = top_rows(page)
    assert len(tops) == 2
    top = tops[0]
    assert top.text(COL_NAME) == "履职效能" and top.text(1) == "60"
    assert top.text(COL_SCORE) == "57.00"
    assert tops[1].text(COL_SCORE) == "35.58"
    output = top.child(0)
    assert output.text(COL_NAME).startswith("产出") and "部门自定义" in output.text(COL_NAME)
    assert [output.child(i).text(COL_NAME) for i in range(output.childCount())] == \
        ["实际利用外资", "新洽谈入库项目数", "注册项目数"]
    assert row(page, "fdi").text(2) == "≥1500万美元"
    assert row(page, "exec_rate").text(COL_ACTUAL) == "95.76%"
    assert row(page, "exec_rate").text(COL_SCORE) == "9.58"
    assert "合计 92.58 分（优）" in page.summary.text()


def inputs(editor):
    """The editor's inputs: field name → the widget's class name."""
    return {name: type(w).__name__ for name, w in editor.inputs.items()}


def test_each_rule_gets_one_input_per_declared_field_by_its_type(page):
    shown = {"fdi": {"actual": "NumberField"}, "visits": {"actual": "NumberField"},
             "satisfaction": {"level": "QComboBox", "coefficient": "NumberField"},
             "exec_rate": {},  # computed from the budget table
             "perf_mgmt": {"checked": "QWidget"}, "assets": {"count": "CountSpin"}}
    for leaf_id, expected in shown.items():
        assert inputs(select_leaf(page, leaf_id)) == expected, leaf_id
    editor = select_leaf(page, "satisfaction")
    combo = editor.findChild(QComboBox, "level")
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "（请选择）", "优（100%）", "良（80%）", "中（60%）", "差（0%）", "按系数填写（%）"]
    assert not editor.percent.isVisible()  # until 按系数填写 is chosen


def test_value_with_a_source_is_shown_computed_and_not_editable(page):
    editor = select_leaf(page, "exec_rate")
    label = editor.findChild(QLabel, "computed")
    assert label.text() == "95.76%"
    assert "全年执行数 / 全年预算数" in label.toolTip()
    assert editor.number is None and not editor.inputs  # nothing to type
    assert "自动计算" in row(page, "exec_rate").toolTip(COL_ACTUAL)


def test_ticking_a_checklist_item_raises_the_score(page):
    document = page.document
    editor = select_leaf(page, "perf_mgmt")
    box = editor.findChild(QCheckBox, "item.selfeval")
    assert not box.isChecked()
    box.click()
    assert document.result.leaf("perf_mgmt").score == Decimal("10.00")
    assert document.result.total == Decimal("95.58")
    assert row(page, "perf_mgmt").text(COL_SCORE) == "10.00"
    assert row(page, "perf_mgmt").text(COL_ACTUAL) == "符合 3/3 项"
    assert "95.58" in page.summary.text()
    # undo restores the score and the box
    document.undo_stack.undo()
    assert document.result.total == Decimal("92.58")
    assert not editor.findChild(QCheckBox, "item.selfeval").isChecked()


def test_choosing_a_level_scores_the_coefficient(page):
    document = page.document
    editor = select_leaf(page, "satisfaction")
    combo = editor.findChild(QComboBox, "level")
    choose(combo, "优")
    assert document.evaluation.value("satisfaction").level == "优"
    assert document.result.total == Decimal("94.58")
    assert row(page, "satisfaction").text(COL_SCORE) == "10.00"


def test_coefficient_as_a_percentage(page):
    document = page.document
    editor = select_leaf(page, "satisfaction")
    combo = editor.findChild(QComboBox, "level")
    choose(combo, "__instead__:coefficient")
    assert editor.percent.isVisible()
    editor.percent.setFocus()
    type_text("９５")
    assert document.evaluation.value("satisfaction").coefficient == Decimal("95")
    assert document.evaluation.value("satisfaction").level is None
    assert document.result.leaf("satisfaction").score == Decimal("9.50")


def test_not_applicable_with_a_reason_renormalises_the_total(page):
    document = page.document
    select_leaf(page, "procurement")
    page.panel.not_applicable.click()
    # the reason is asked for at once: the field has the focus and is marked
    assert QApplication.focusWidget() is page.panel.reason
    assert mark_level(page.panel.reason) == "error"
    assert "不适用的原因" in page.panel.reason.toolTip()
    ime_commit("本年度无政府采购事项")
    value = document.evaluation.value("procurement")
    assert value.not_applicable and value.reason == "本年度无政府采购事项"
    assert mark_level(page.panel.reason) == ""
    # 87.58 of the 95 applicable points → 92.19
    assert document.result.renormalised
    assert document.result.total == Decimal("92.19")
    assert "按适用指标折算" in page.summary.text()
    item = row(page, "procurement")
    assert item.text(COL_ACTUAL) == "不适用"
    assert item.foreground(COL_NAME).color().name() == "#9aa0a6"  # greyed
    assert not page.panel.editor.isEnabled()


def test_missing_deviation_warns_in_the_row_until_typed(page):
    document = page.document
    select_leaf(page, "visits")
    page.panel.editor.number.setFocus()
    page.panel.editor.number.selectAll()
    type_text("500")  # 400–600 → 8 of 10 points
    assert document.result.leaf("visits").score == Decimal("8")
    item = row(page, "visits")
    assert "需填写偏差原因" in item.text(COL_DEVIATION)
    assert item.background(COL_DEVIATION).color().name() == "#fff3cd"
    assert mark_level(page.panel.deviation.field) == "warning"
    page.panel.deviation.field.setFocus()
    ime_commit("受疫情影响部分企业暂停接待。")
    assert item.text(COL_DEVIATION) == "受疫情影响部分企业暂停接待。"
    assert item.background(COL_DEVIATION).style() == Qt.BrushStyle.NoBrush
    assert mark_level(page.panel.deviation.field) == ""
    assert page.panel.deviation.count.text() == "14 字"
    assert not [i for i in document.issues if "visits" in i.path]


def test_typing_merges_into_one_undo_step_and_ctrl_z_undoes(page):
    document = page.document
    select_leaf(page, "fdi")
    field = page.panel.editor.number
    field.setFocus()
    field.selectAll()
    type_text("１２００")  # full-width digits
    assert document.evaluation.value("fdi").actual == Decimal("1200")
    assert document.result.leaf("fdi").score == Decimal("8.00")
    assert document.undo_stack.count() == 1
    ctrl(Qt.Key.Key_Z)
    assert document.evaluation.value("fdi").actual == Decimal("1810")
    assert field.text() == "1810"
    assert row(page, "fdi").text(COL_SCORE) == "10.00"


def test_text_that_is_not_a_number_is_marked_in_the_field(page):
    document = page.document
    select_leaf(page, "fdi")
    field = page.panel.editor.number
    field.setFocus()
    field.selectAll()
    type_text("12x")
    assert mark_level(field) == "error"
    assert "不是数字" in field.toolTip()
    # the refused text no longer scores on the old figure: the leaf is 无效 and an error
    assert document.evaluation.value("fdi").actual is None
    assert any(i.path == "values.fdi.actual" and i.level == "error" and "12x" in i.message
               for i in document.issues)
    assert row(page, "fdi").text(COL_SCORE) == "无效"
    assert "无效" in page.panel.score.text()
    assert field.text() == "12x"


def test_incidents_count(page):
    document = page.document
    editor = select_leaf(page, "assets")
    editor.spin.setValue(2)
    assert document.evaluation.value("assets").count == Decimal(2)
    assert document.result.leaf("assets").score == Decimal("3.00")


def test_focus_path_lands_on_the_field(page):
    assert page.focus(parse("values.output_growth.deviation"))
    assert QApplication.focusWidget() is page.panel.deviation.field
    assert page.panel.leaf.id == "output_growth"
    assert page.focus(parse("values.fdi"))
    assert QApplication.focusWidget() is page.panel.editor.number
    assert page.focus(parse("system.indicators[0].children[0]"))
    assert current_row(page) == group_row(page, (0, 0))
    assert not page.focus(parse("values.no_such_leaf"))


# ---------------------------------------------------------------- custom block

def test_custom_block_add_reweight_and_remove_leaves(page, monkeypatch):
    document = page.document
    page.focus(parse("system.indicators[0].children[0]"))
    assert page.panel.add_button.isVisible()
    page.panel.add_button.click()
    block = document.evaluation.system.indicators[0].children[0]
    assert len(block.children) == 4 and block.weight == 30
    new = block.children[3]
    assert new.id == "custom_1" and new.weight == 1  # nothing left: 1 point, flagged
    # the block no longer adds up: an error on the block, shown on its row
    issue = next(i for i in document.issues if i.path == "system.indicators[0].children[0]")
    assert "31" in issue.message and "30" in issue.message
    assert group_row(page, (0, 0)).background(COL_NAME).color().name() == "#fde2e1"
    # the clerk names it (Chinese through the IME) and takes 5 points from 实际利用外资
    assert QApplication.focusWidget() is page.panel.c_name
    ime_commit("园区新增企业数")
    assert document.evaluation.system.leaf("custom_1").name == "园区新增企业数"
    assert row(page, "custom_1").text(COL_NAME) == "园区新增企业数"
    page.panel.c_weight.setFocus()
    page.panel.c_weight.selectAll()
    type_text("5")
    # each step names the indicator and the field it changed, and leads back to that field
    assert document.undo_stack.text(document.undo_stack.count() - 1) == \
        "绩效指标评分 › 园区新增企业数 › 分值"
    page.tree.setFocus()
    assert page.focus(parse("values.custom_1.name"))
    assert QApplication.focusWidget() is page.panel.c_name
    page.focus_leaf("fdi")
    page.panel.c_weight.setFocus()
    page.panel.c_weight.selectAll()
    type_text("5")  # 5 + 10 + 10 + 5 = 30
    assert not [i for i in document.issues if i.path.startswith("system.")]
    # a manual score for the new leaf counts at once
    editor = select_leaf(page, "custom_1")
    assert inputs(editor) == {"score": "NumberField"}
    editor.number.setFocus()
    type_text("4")
    assert document.result.leaf("custom_1").score == Decimal("4")
    # remove it again (confirmed)
    monkeypatch.setattr(Messages, "ask", staticmethod(lambda parent, title, text, choices, **k: 0))
    page.panel.c_remove.click()
    assert document.evaluation.system.leaf("custom_1") is None
    assert "custom_1" not in document.evaluation.values
    assert "custom_1" not in leaf_rows(page)
    # and every step is undoable
    while document.undo_stack.canUndo():
        document.undo_stack.undo()
    assert document.evaluation.system.indicators[0].children[0].weight == 30
    assert len(document.evaluation.system.indicators[0].children[0].children) == 3
    assert document.result.total == Decimal("92.58")


def test_leaves_outside_custom_blocks_cannot_be_redefined(page):
    select_leaf(page, "exec_rate")
    assert not page.panel.custom_box.isVisible()
    page.focus(parse("system.indicators[1].children[0]"))
    assert not page.panel.add_button.isVisible()


# ---------------------------------------------------------------- other rules on a new evaluation

EITHER = {
    "id": "procure_or_assets", "name": "采购或资产", "weight": 10,
    "rule": {"type": "either", "options": [
        {"id": "proc", "name": "政府采购执行率", "target": 100, "unit": "%",
         "rule": {"type": "ratio"}},
        {"id": "inc", "name": "资产事故", "rule": {"type": "incidents", "points": 2}}]}}
DEDUCT = {"id": "staff", "name": "在职人员控制率", "weight": 5, "unit": "%",
          "rule": {"type": "deduct", "standard": 100, "direction": "max", "step": 1,
                   "points": 0.5}}


def test_either_rule_chooses_an_option_then_its_editor(qtbot, qapp):
    setup_app(qapp)
    document = Document(evaluation_with(EITHER, DEDUCT))
    page = show(qtbot, IndicatorsPage(document))
    editor = select_leaf(page, "procure_or_assets")
    assert inputs(editor) == {"option": "QComboBox"}
    combo = editor.findChild(QComboBox, "option")
    choose(combo, "proc")
    sub = editor.editors["proc"]
    assert editor.stack.currentWidget() is sub
    sub.number.setFocus()
    type_text("80")
    value = document.evaluation.value("procure_or_assets")
    assert value.option == "proc" and value.actual == Decimal("80")
    assert document.result.leaf("procure_or_assets").score == Decimal("8.00")
    assert row(page, "procure_or_assets").text(COL_ACTUAL) == "政府采购执行率：80%"  # as exported
    assert row(page, "procure_or_assets").text(2) == "≥100%"  # the chosen option's 指标值
    choose(combo, "inc")
    editor.editors["inc"].spin.setValue(1)
    assert document.result.leaf("procure_or_assets").score == Decimal("8.00")
    assert document.evaluation.value("procure_or_assets").option == "inc"


def test_deduct_rule_takes_a_number(qtbot, qapp):
    setup_app(qapp)
    document = Document(evaluation_with(DEDUCT))
    page = show(qtbot, IndicatorsPage(document))
    editor = select_leaf(page, "staff")
    assert isinstance(editor.inputs["actual"], NumberField)
    editor.number.setFocus()
    type_text("103.4%")
    assert document.result.leaf("staff").score == Decimal("3.30")
    assert "每超过 1% 扣 0.5 分" in page.panel.rule_note.line()


# ---------------------------------------------------------------- speed

def _big_system(leaves: int = 100):
    groups = []
    per_group = 10
    for g in range(leaves // per_group):
        children = [{"id": f"l{g}_{i}", "name": f"指标{g}-{i}", "weight": 1, "unit": "%",
                     "target": 100, "criteria": "实际值/目标值×分值" * 3,
                     "rule": {"type": "ratio"}} for i in range(per_group)]
        groups.append({"name": f"二级{g}", "weight": per_group, "children": children})
    return load_system({"name": "百项指标", "indicators": [
        {"name": "一级", "weight": leaves, "children": groups}]})


def test_an_edit_on_a_100_leaf_system_refreshes_quickly(qtbot, qapp):
    setup_app(qapp)
    ev = new_evaluation(_big_system(), "测试单位", 2023)
    document = Document(ev)
    page = show(qtbot, IndicatorsPage(document))
    editor = select_leaf(page, "l5_5")
    editor.number.setFocus()
    timings = []
    for ch in "9512":
        start = time.perf_counter()
        type_text(ch)
        timings.append(time.perf_counter() - start)
    assert document.evaluation.value("l5_5").actual == Decimal("9512")
    # scoring + validation + this page's refresh, per keystroke (the issue asks ≤ 50 ms
    # for the score panel; leave room for a loaded test machine)
    assert sorted(timings)[len(timings) // 2] < 0.1, timings


def test_values_and_deviation_typed_in_the_tree_row(page):
    document = page.document
    tree = page.tree
    tree.setFocus()
    set_current(page, row(page, "fdi"), COL_ACTUAL)
    type_text("１２００")  # typing on the cell starts editing it, replacing the value
    enter()
    assert document.evaluation.value("fdi").actual == Decimal("1200")
    assert row(page, "fdi").text(COL_SCORE) == "8.00"
    # Enter went down to the next leaf, same column
    assert current_row(page) == row(page, "new_projects")
    assert tree.currentIndex().column() == COL_ACTUAL
    # the lost points want a reason: typed in the row's 偏差原因 cell
    set_current(page, row(page, "fdi"), COL_DEVIATION)
    ime_commit("外资项目延期到位。")
    enter()
    assert document.evaluation.value("fdi").deviation == "外资项目延期到位。"
    assert row(page, "fdi").text(COL_DEVIATION) == "外资项目延期到位。"
    # a computed value cannot be typed over
    set_current(page, row(page, "exec_rate"), COL_ACTUAL)
    type_text("5")
    assert not isinstance(QApplication.focusWidget(), QLineEdit)
    assert document.result.leaf("exec_rate").actual.quantize(Decimal("0.01")) == Decimal("95.76")


def test_text_typed_in_the_tree_that_is_not_a_number_is_refused_in_place(page):
    document = page.document
    page.tree.setFocus()
    set_current(page, row(page, "registered"), COL_ACTUAL)
    type_text("八个")
    enter()
    assert document.evaluation.value("registered").actual is None
    assert "values.registered.actual" in document.entries
    field = page.panel.editor.number
    assert field.text() == "八个" and mark_level(field) == "error"


def test_tab_goes_from_the_value_to_not_applicable_to_the_deviation(page):
    select_leaf(page, "fdi")
    page.panel.editor.number.setFocus()
    press(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is page.panel.not_applicable


def test_a_number_being_typed_is_not_flagged_until_left(page):
    select_leaf(page, "fdi")
    field = page.panel.editor.number
    field.setFocus()
    field.selectAll()
    type_text("1,8")
    assert mark_level(field) == ""  # "1,8" may still become "1,810"
    assert page.document.evaluation.value("fdi").actual == Decimal("1")  # the last number
    page.panel.deviation.field.setFocus()  # leaving the field: now it is an error
    assert mark_level(field) == "error"
    assert "不是数字" in field.toolTip()


def test_level_typed_in_the_tree_row(page):
    document = page.document
    page.tree.setFocus()
    set_current(page, row(page, "satisfaction"), COL_ACTUAL)
    ime_commit("优")
    enter()
    assert document.evaluation.value("satisfaction").level == "优"
    assert document.result.total == Decimal("94.58")
    set_current(page, row(page, "satisfaction"), COL_ACTUAL)
    type_text("90%")
    enter()
    value = document.evaluation.value("satisfaction")
    assert value.level is None and value.coefficient == Decimal("90")
    assert row(page, "satisfaction").text(COL_ACTUAL) == "90%"  # as the exports print it


@pytest.mark.parametrize("entry", shipped_systems(), ids=lambda e: e.id or e.path.stem)
def test_every_leaf_of_every_shipped_system_gets_its_editor(qtbot, qapp, entry):
    """A new evaluation on each shipped system: every leaf can be selected, shows the
    editor of its rule, and its issues land on a field."""
    setup_app(qapp)
    system, problems = read_system_path(entry.path)
    assert not problems
    document = Document(new_evaluation(system, "测试单位", 2024))
    page = show(qtbot, IndicatorsPage(document))
    widget = {"number": "NumberField", "count": "CountSpin", "choice": "QComboBox",
              "checks": "QWidget", "text": "LineField"}
    for leaf in system.leaves():
        editor = select_leaf(page, leaf.id)
        declared = {f.name: widget[f.type] for f in rules.kind(leaf.rule.type).fields
                    if not (leaf.source and f.name == "actual")}
        assert inputs(editor) == declared, leaf.id
        assert page.panel.leaf.id == leaf.id
    for issue in document.issues:
        if issue.section == "values":  # a rate's missing figure is fixed on 收支情况
            assert page.focus(issue.address), issue.path


def test_typing_on_a_selected_row_goes_to_the_cell_that_takes_it(page):
    document = page.document
    page.tree.setFocus()
    set_current(page, row(page, "registered"), COL_NAME)
    type_text("６")  # a figure → 实际完成值
    enter()
    assert document.evaluation.value("registered").actual == Decimal("6")
    set_current(page, row(page, "registered"), COL_NAME)
    ime_commit("注册流程调整。")  # Chinese → 偏差原因
    enter()
    assert document.evaluation.value("registered").deviation == "注册流程调整。"
    assert current_row(page) == row(page, "output_growth")  # Enter: next leaf
    press(Qt.Key.Key_Return, "\r")  # Enter on a row that is not being edited: next leaf
    assert current_row(page) == row(page, "visits")


def test_copy_the_scoring_table_for_excel(page):
    from forms.tsv import split_block

    page.tree.setFocus()
    set_current(page, row(page, "exec_rate"), COL_NAME)
    ctrl(Qt.Key.Key_C)
    copied = split_block(QApplication.clipboard().text())
    assert copied == [["预算执行率", "10", "≥100%", "预算执行率×分值，满分为止", "95.76%", "9.58",
                       "仲裁解除用地合同经费等项目按进度支付，部分资金未形成支出。"]]
    table = split_block(page.tree.rows_text(whole=True))
    assert table[0][:3] == ["指标", "分值", "指标值"]
    assert len(table) == 1 + 2 + 6 + 12  # header, 一级, 二级, leaves
    assert table[1][:2] == ["履职效能", "60"]


def test_set_document_shows_another_system(page):
    other = Document(evaluation_with(DEDUCT))
    page.set_document(other)
    assert set(leaf_rows(page)) == {"staff", "rest"}
    editor = select_leaf(page, "staff")
    editor.number.setFocus()
    type_text("101")
    assert other.result.leaf("staff").score == Decimal("4.50")
    assert "92.58" not in page.summary.text()


def test_subtotals_that_lost_points_stand_out(page):
    top = top_rows(page)[0]
    assert top.foreground(COL_SCORE).color().name() == "#b35c00"  # 57.00 of 60
    assert "低于分值" in top.toolTip(COL_SCORE)
    output = top.child(0)
    assert output.foreground(COL_SCORE).style() == Qt.BrushStyle.NoBrush  # 30.00 of 30


def test_ctrl_z_over_a_half_typed_number_shows_the_undone_value(page):
    document = page.document
    select_leaf(page, "fdi")
    field = page.panel.editor.number
    field.setFocus()
    field.selectAll()
    type_text("2x")  # "2" applied, then "2x" refused (the value is cleared)
    assert document.evaluation.value("fdi").actual is None
    ctrl(Qt.Key.Key_Z)
    assert document.evaluation.value("fdi").actual == Decimal("1810")
    assert field.text() == "1810" and mark_level(field) == ""
    assert "values.fdi.actual" not in document.entries


def test_custom_leaf_switched_to_a_ratio_of_its_target(page):
    document = page.document
    page.focus(parse("system.indicators[0].children[0]"))
    page.panel.add_button.click()
    panel = page.panel
    panel.c_rule.setCurrentIndex(panel.c_rule.findData("ratio"))
    assert document.evaluation.system.leaf("custom_1").rule.type == "ratio"
    assert "实际完成值未填写" in panel.problems.text()
    assert panel.c_target.isEnabled()  # a ratio needs its 指标值
    panel.c_target.setFocus()
    type_text("20")
    panel.c_unit.setFocus()
    ime_commit("家")
    leaf = document.evaluation.system.leaf("custom_1")
    assert (leaf.target, leaf.unit) == (Decimal("20"), "家")
    editor = select_leaf(page, "custom_1")
    assert isinstance(editor.inputs["actual"], NumberField)
    editor.number.setFocus()
    type_text("15")
    assert document.result.leaf("custom_1").score == Decimal("0.75")  # 1 × 15 / 20
    assert row(page, "custom_1").text(2) == "≥20家"


def test_only_the_indicators_that_need_work(qtbot, qapp, sample):
    setup_app(qapp)
    ev = sample.with_value("visits", replace(sample.value("visits"), actual=Decimal("500")))
    page = show(qtbot, IndicatorsPage(Document(ev)))
    page.only_open.click()
    visible = [leaf_id for leaf_id, item in leaf_rows(page).items() if not item.isHidden()]
    assert visible == ["visits"]  # 8 of 10 points and no 偏差原因 yet
    assert not group_row(page, (0, 1)).isHidden()  # 效益, which holds it
    assert group_row(page, (1,)).isHidden()  # 管理效率: nothing to do there
    page.focus_leaf("visits")
    page.panel.deviation.field.setFocus()
    ime_commit("部分企业暂停接待。")
    assert all(item.isHidden() for item in leaf_rows(page).values())
    page.only_open.click()
    assert not any(item.isHidden() for item in leaf_rows(page).values())


def test_the_unmet_reason_serves_the_execution_rate_indicator(qtbot, qapp, sample):
    from dataclasses import replace

    from forms.model import LeafValue

    values = dict(sample.values)
    values["exec_rate"] = LeafValue()  # 95.8% → 9.58 of 10: a 偏差原因 is needed
    ev = replace(sample, values=values,
                 goals=replace(sample.goals, unmet_reason="部分资金年底才拨付"))
    setup_app(qapp)
    page = show(qtbot, IndicatorsPage(Document(ev)))
    assert row(page, "exec_rate").text(COL_DEVIATION) == "同未能完成原因：部分资金年底才拨付"
    assert not [i for i in page.document.issues if i.path == "values.exec_rate.deviation"]
    select_leaf(page, "exec_rate")
    assert "部分资金年底才拨付" in page.panel.deviation.field.placeholderText()
    # without the reason, the indicator asks for its own
    page.document.apply(replace(ev, goals=replace(ev.goals, unmet_reason="")), "清空", None)
    assert "需填写偏差原因" in row(page, "exec_rate").text(COL_DEVIATION)

