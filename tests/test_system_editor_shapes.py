"""The ministry's shapes in the system editor: each kind's form is built from its params,
the 免评 line is under every kind's parameters, and 试算 scores them (docs/rules.md)."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from system_editor_driving import (  # noqa: F401 (fixtures: the editor, recorded messages)
    _qt,
    choose,
    click,
    node,
    retype,
    send_text,
)


def _one_leaf(qtbot, name: str):
    from desktop.system_editor.window import SystemEditor

    ed = SystemEditor()
    qtbot.addWidget(ed)
    ed.show()
    retype(qtbot, ed.heading.sys_name, "测试体系")
    click(qtbot, ed, "add_top")
    node(qtbot, ed, "产出", "100")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "质量", "100")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, name, "100")
    return ed


def test_qualitative_with_an_exemption_is_built_previewed_and_checked(qtbot, _qt):
    ed = _one_leaf(qtbot, "工作目标完成情况")
    choose(ed.detail.f_rule, "qualitative")
    path = ed.indicators.path
    assert ed.draft.rule(path) == {"type": "qualitative", "levels": {
        "达成年度指标": 80, "部分达成年度指标并具有一定效果": 60, "未达成年度指标且效果较差": 0}}
    exempt = ed.detail.rule_editor.field("exempt")
    exempt.reason.setFocus()
    send_text(exempt.reason, "单位无项目")
    retype(qtbot, exempt.score, "90")
    assert ed.draft.rule(path)["exempt_reason"] == "单位无项目"
    assert ed.draft.rule(path)["exempt_score"] == "90"
    # 试算: a level and a score in its band; outside it, the band is named
    level = ed.detail.preview.level  # its items are texts: picked from the list as the clerk sees it
    assert level.isVisible() and ed.detail.preview.actual.isVisible()
    level.setCurrentIndex(level.findText("部分达成年度指标并具有一定效果"))
    QApplication.processEvents()
    retype(qtbot, ed.detail.preview.actual, "70")
    assert ed.detail.preview.score_text() == "70.00 / 100 分"
    retype(qtbot, ed.detail.preview.actual, "85")
    assert "60.00（含）–80.00（不含）" in ed.detail.preview.score_text()
    check = ed.draft.check()
    assert check.ok, [p.message for p in check.problems]
    leaf = check.system.leaves()[0]
    assert leaf.rule.exempt is not None and (leaf.rule.exempt.reason, str(leaf.rule.exempt.score)) == (
        "单位无项目", "90")
    retype(qtbot, exempt.score, "120")
    assert "免评得分 120 超出 0–100 分" in ed.detail.node_problems.text()
    ed.undo_stack.setClean()


def test_reverse_ratio_is_a_direction_of_the_ratio_form(qtbot, _qt):
    ed = _one_leaf(qtbot, "单位成本")
    retype(qtbot, ed.detail.f_target, "100")
    choose(ed.detail.f_rule, "ratio")
    direction = ed.detail.rule_editor.field("direction").combo
    assert [direction.itemData(i) for i in range(direction.count())] == [
        "higher", "lower", "reverse", "equal"]
    choose(direction, "reverse")
    assert ed.draft.rule(ed.indicators.path)["direction"] == "reverse"
    retype(qtbot, ed.detail.preview.actual, "150")
    assert ed.detail.preview.score_text() == "50.00 / 100 分"
    choose(direction, "lower")
    QApplication.processEvents()
    assert ed.detail.preview.score_text() == "66.67 / 100 分"
    ed.undo_stack.setClean()
