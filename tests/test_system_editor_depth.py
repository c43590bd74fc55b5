"""The system editor with trees of four levels and the whole-system rules."""

from __future__ import annotations

from decimal import Decimal

from system_editor_driving import (  # noqa: F401 (fixtures: the editor, recorded messages)
    _qt,
    choose,
    click,
    editor,
    node,
    retype,
    type_cell,
)


def test_four_levels_and_the_new_rules_built_in_the_editor(qtbot, editor, _qt):
    """The clerk builds 产出 › 数量 › 招商 › 签约金额 with 增加一级, sets an overshoot
    penalty, full marks for 不适用 and a cap by the execution rate; the system scores,
    and its indicator table reads back into the same tree."""
    from exports.system_table import system_table_bytes
    from exports.system_workbook import import_system_bytes

    ed = editor
    retype(qtbot, ed.heading.sys_name, "四级体系")
    click(qtbot, ed, "add_top")
    node(qtbot, ed, "产出", "60")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "数量", "60")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "签约金额", "60")
    retype(qtbot, ed.detail.f_target, "100")
    choose(ed.detail.f_rule, "ratio")
    assert ed.detail.rule_editor.overshoot_box.isVisible()
    retype(qtbot, ed.detail.rule_editor.overshoot_percent, "30")
    retype(qtbot, ed.detail.rule_editor.overshoot_points, "2")
    ed.indicators.tree.setCurrentItem(ed.indicators.item_at((0, 0)))
    click(qtbot, ed, "add_level")  # 数量 moves into a new 数量: the leaf is now level 4
    assert ed.draft.depth() == 4 and ed.indicators.item_at((0, 0, 0, 0)).text(0) == "签约金额"
    ed.indicators.tree.setCurrentItem(ed.indicators.item_at((0, 0, 0)))
    retype(qtbot, ed.detail.f_name, "招商")
    click(qtbot, ed, "add_level")
    assert "最多 4 级" in _qt[-1]
    click(qtbot, ed, "add_top")
    node(qtbot, ed, "管理", "40")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "预算执行率", "40")
    assert ed.draft.is_leaf((1, 0)) is False  # a level-2 child of an empty group is a group
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "执行率", "40")
    retype(qtbot, ed.detail.f_target, "100")
    choose(ed.detail.f_source, "budget.execution_rate")
    choose(ed.detail.f_rule, "ratio")
    ed.indicators.tree.setCurrentItem(ed.indicators.item_at((1, 0)))
    click(qtbot, ed, "remove_level")  # 执行率 sits right under 管理: two levels there
    assert ed.draft.is_leaf((1, 0)) and ed.draft.depth() == 4
    choose(ed.heading.totals.policy, "full")
    choose(ed.heading.totals.cap_source, "budget.execution_rate")
    type_cell(qtbot, ed.heading.totals.cap, 0, 0, "70")
    type_cell(qtbot, ed.heading.totals.cap, 0, 1, "<80")
    type_cell(qtbot, ed.heading.totals.cap, 0, 2, "89")
    check = ed.draft.check()
    assert check.ok, check.problems
    system = check.system
    assert system.not_applicable == "full" and system.cap.limit(Decimal("76")) == 89
    leaf = system.leaves()[0]
    assert leaf.rule.overshoot.percent == 30 and leaf.rule.overshoot.points == 2
    back, problems = import_system_bytes(system_table_bytes(system), name=system.name)
    assert problems == []
    assert [(leaf_.name, leaf_.weight) for leaf_ in back.leaves()] == [("签约金额", 60),
                                                                       ("执行率", 40)]
    assert back.indicators[0].children[0].children[0].name == "招商"
    ed.indicators.tree.setCurrentItem(ed.indicators.item_at((0, 0, 0, 0)))
    assert ed.detail.rule_editor.overshoot_percent.text() == "30"  # shown again when reloaded



def test_percent_weights_show_both_after_import(qtbot, editor, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QDialog

    from desktop.system_editor.table_import import MappingDialog
    from test_rules_exports import _sheet

    monkeypatch.setattr(MappingDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    book = tmp_path / "百分比.xlsx"
    book.write_bytes(_sheet([
        ["一级指标", "分值", "二级指标", "分值", "三级指标", "分值"],
        ["决策", 50, "目标", 60, "相关性", 100],
        ["", "", "预算", 40, "科学性", 100],
        ["过程", 50, "管理", 100, "合规性", 100]]))
    assert editor.files.import_excel(book)
    assert editor.indicators.item_at((0, 0)).text(1) == "30（60%）"  # points, and the share printed
    assert editor.indicators.item_at((0, 0, 0)).text(1) == "30（100%）"
    assert editor.draft.check().ok
