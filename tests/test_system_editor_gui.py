"""The indicator-system editor window, driven by typing and clicking (pytest-qt, offscreen):
building a system, live checks, the preview, read-only systems, import and update."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from desktop.system_editor.window import open_system_editor
from forms.catalog import resolve_system, shipped_systems, user_systems
from forms.model import LeafValue
from forms.scoring import score
from forms.system import load_system
from system_editor_driving import (  # noqa: F401 - fixtures
    D, HAND_WRITTEN, _preview, _qt, build_through_editor, choose, click, editor, node, retype, send_text, type_cell,
)


def test_a_system_built_in_the_editor_scores_like_the_hand_written_one(qtbot, editor, sample):
    build_through_editor(qtbot, editor)
    check = editor.draft.check()
    assert check.ok, [p.message for p in check.problems]
    assert "检查通过" in editor.checks.status.text()
    assert editor.indicators.item_at((1, 0, 1)).text(3) == "分档计分"
    assert qtbot.waitUntil(lambda: True) is None
    editor.files.save()
    saved = resolve_system("user-1")  # through the file, as a new evaluation would get it
    by_hand = load_system(HAND_WRITTEN)
    values = {"ind02": LeafValue(checked=("i1",)), "ind03": LeafValue(actual=D(88)),
              "ind04": LeafValue(actual=D("85.5"))}
    filled = replace(sample, system=by_hand, values=values)
    ours = score(replace(filled, system=saved))
    theirs = score(filled)
    assert [(r.leaf.id, r.leaf.name, r.score) for r in ours.leaves] == \
        [(r.leaf.id, r.leaf.name, r.score) for r in theirs.leaves]
    assert ours.total == theirs.total
    # 95.76 × 20 / 100 + 12 + 30 − 2 × 2 + 24
    assert [r.score for r in ours.leaves][1:] == [D(12), D(26), D(24)]


def test_live_checks_fire_in_place_and_disappear_when_fixed(qtbot, editor):
    build_through_editor(qtbot, editor)
    ed = editor
    # weights that do not add up: level-2 node, with both figures, at the node and in the list
    ed.indicators.tree.setCurrentItem(ed.indicators.item_at((0, 0, 0)))
    retype(qtbot, ed.detail.f_weight, "25")
    mid = ed.indicators.item_at((0, 0))
    assert mid.text(4).startswith("✗")
    assert "分值 40 与下级指标分值之和 45 不一致" in mid.toolTip(4)
    assert mid.text(2) == "45"
    assert ed.indicators.item_at((0,)).text(4) == "下级 1 处"
    assert any("45" in ed.checks.problem_list.item(i).text() for i in range(ed.checks.problem_list.count()))
    assert "草稿：有 1 处问题" in ed.checks.status.text()
    retype(qtbot, ed.detail.f_weight, "20")
    assert mid.text(4) == "✓" and ed.checks.problem_list.count() == 0
    # level 1 sum: both figures at the top
    ed.indicators.tree.setCurrentItem(ed.indicators.item_at((1,)))
    retype(qtbot, ed.detail.f_weight, "50")
    assert any("一级指标分值之和为 90，应为 100" in ed.checks.problem_list.item(i).text()
               for i in range(ed.checks.problem_list.count()))
    assert ed.detail.f_weight.property("mark_level") == "error"
    assert "60" in ed.detail.f_weight.toolTip() and "50" in ed.detail.f_weight.toolTip()
    retype(qtbot, ed.detail.f_weight, "60")
    assert ed.checks.problem_list.count() == 0 and ed.detail.f_weight.property("mark_level") == ""
    # checklist points ≠ weight, shown on the items table
    ed.indicators.tree.setCurrentItem(ed.indicators.item_at((0, 0, 1)))
    type_cell(qtbot, ed.detail.rule_editor.items, 1, 1, "5")
    assert "各检查项分值之和 17 不等于分值 20" in ed.detail.node_problems.text()
    assert ed.detail.rule_editor.items.property("mark_level") == "error"
    type_cell(qtbot, ed.detail.rule_editor.items, 1, 1, "8")
    assert ed.detail.node_problems.text() == "" and ed.detail.rule_editor.items.property("mark_level") == ""
    # a band score above the weight
    ed.indicators.tree.setCurrentItem(ed.indicators.item_at((1, 0, 1)))
    type_cell(qtbot, ed.detail.rule_editor.bands, 0, 2, "35")
    assert "第 1 档得分 35 超过分值 30" in ed.detail.node_problems.text()
    assert ed.detail.rule_editor.bands.property("mark_level") == "error"
    type_cell(qtbot, ed.detail.rule_editor.bands, 0, 2, "30")
    assert ed.detail.node_problems.text() == ""
    # a missing target on a ratio rule, marked on the 指标值 field
    ed.indicators.tree.setCurrentItem(ed.indicators.item_at((0, 0, 0)))
    retype(qtbot, ed.detail.f_target, "")
    assert ed.detail.f_target.property("mark_level") == "error"
    assert "需要指标值" in ed.detail.f_target.toolTip()
    assert ed.indicators.item_at((0, 0, 0)).text(4) == "✗ 1"
    send_text(ed.detail.f_target, "100")
    assert ed.detail.f_target.property("mark_level") == "" and ed.draft.check().ok
    # a problem in the list selects its node when clicked
    retype(qtbot, ed.detail.f_name, "")
    ed.indicators.tree.setCurrentItem(ed.indicators.item_at((1,)))
    problems = ed.checks.problem_list
    rect = problems.visualItemRect(problems.item(0))
    qtbot.mouseClick(problems.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert ed.indicators.path == (0, 0, 0)




def test_preview_shows_the_scoring_examples(qtbot, editor):
    ed = editor
    click(qtbot, ed, "add_top")
    node(qtbot, ed, "管理", "100")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "预算", "100")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "预算执行率", "10")
    retype(qtbot, ed.detail.f_target, "100")
    choose(ed.detail.f_rule, "ratio")
    assert _preview(qtbot, ed, "43.65") == "4.37 / 10 分"
    # 在职人员控制率: weight 5, standard 100, max, step 1, 0.5 per step
    node(qtbot, ed, "在职人员控制率", "5")
    choose(ed.detail.f_rule, "deduct")
    retype(qtbot, ed.detail.rule_editor.deduct_standard, "100")
    retype(qtbot, ed.detail.rule_editor.deduct_points, "0.5")
    assert _preview(qtbot, ed, "103.4") == "3.30 / 5 分"
    choose(ed.detail.rule_editor.deduct_count, "started")
    assert ed.detail.preview.result.text() == "3.00 / 5 分"
    choose(ed.detail.rule_editor.deduct_count, "whole")
    assert ed.detail.preview.result.text() == "3.50 / 5 分"
    # 预算完成率: weight 8, min, step 5, 2 per whole step
    node(qtbot, ed, "预算完成率", "8")
    choose(ed.detail.rule_editor.deduct_direction, "min")
    retype(qtbot, ed.detail.rule_editor.deduct_step, "5")
    retype(qtbot, ed.detail.rule_editor.deduct_points, "2")
    assert _preview(qtbot, ed, "88") == "4.00 / 8 分"
    # bands
    node(qtbot, ed, "重点支出安排率", "5")
    choose(ed.detail.f_rule, "bands")
    for r, (low, pts) in enumerate((("90", "5"), ("80", "4"), ("70", "3"), ("60", "2"))):
        type_cell(qtbot, ed.detail.rule_editor.bands, r, 0, low)
        type_cell(qtbot, ed.detail.rule_editor.bands, r, 2, pts)
    assert _preview(qtbot, ed, "85") == "4.00 / 5 分"
    node(qtbot, ed, "预算调整率", "3")
    for r, (high, pts) in enumerate((("0", "3"), ("10", "2"), ("20", "1"), ("30", "0.5"))):
        type_cell(qtbot, ed.detail.rule_editor.bands, r, 0, "")
        type_cell(qtbot, ed.detail.rule_editor.bands, r, 1, high)
        type_cell(qtbot, ed.detail.rule_editor.bands, r, 2, pts)
    assert _preview(qtbot, ed, "12.5") == "1.00 / 3 分"
    # checklist and incidents previews
    choose(ed.detail.f_rule, "incidents")
    retype(qtbot, ed.detail.rule_editor.incident_points, "1")
    assert _preview(qtbot, ed, "2") == "1.00 / 3 分"
    assert _preview(qtbot, ed, "abc").startswith("测试值")


def test_shipped_system_is_read_only_until_copied(qtbot, editor, tmp_path):
    ed = editor
    entry = next(e for e in shipped_systems() if e.id == "sichuan-dazhou")
    assert ed.files.open_entry(entry)
    assert ed.files.read_only and ed.detail.f_name.isReadOnly() and not ed.indicators.buttons["add_top"].isEnabled()
    assert not ed.files.save()
    assert ed.files.save_copy()
    assert not ed.files.read_only and ed.files.file_path == user_systems()[0].path
    assert user_systems()[0].name == "四川省达州市部门整体支出绩效评价指标体系"
    ed.indicators.tree.setCurrentItem(ed.indicators.item_at((0, 0, 0)))
    retype(qtbot, ed.detail.f_name, "目标相关性")
    assert ed.files.save()
    assert resolve_system(user_systems()[0].id).indicators[0].children[0].children[0].name == \
        "目标相关性"
    # share as a file and open it again
    out = tmp_path / "分享.json"
    assert ed.files.export_file(out)
    ed.files.new_system(ask=False)
    assert ed.files.open_file(out) and ed.draft.node((0, 0, 0))["name"] == "目标相关性"
    # delete a user system (asks first)
    ed.files.open_entry(user_systems()[0])
    assert ed.files.delete_system() and user_systems() == []


def test_draft_with_problems_saves_but_cannot_score(qtbot, editor, _qt):
    ed = editor
    click(qtbot, ed, "add_top")
    node(qtbot, ed, "决策", "30")
    assert ed.files.save()
    assert "草稿" in ed.statusBar().currentMessage()
    from forms.system import SystemInvalid

    with pytest.raises(SystemInvalid):
        resolve_system(user_systems()[0].id)


def test_import_from_excel_with_mapping_step(qtbot, editor, tmp_path, monkeypatch, _qt):
    from desktop.system_editor.table_import import MappingDialog
    from test_system_workbook import FLAT_ROWS, flat_workbook

    seen = {}

    def accept(dialog):
        seen["mapping"] = dialog.mapping()
        seen["row"] = dialog.header_row.value()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(MappingDialog, "exec", accept)
    book = tmp_path / "通知附件2.xlsx"
    book.write_bytes(flat_workbook(FLAT_ROWS))
    assert editor.files.import_excel(book)
    assert seen == {"row": 2, "mapping": {"level1": 0, "level2": 1, "level3": 2, "weight": 3,
                                          "target": 4, "criteria": 5}}
    assert editor.indicators.item_at((1, 1, 0)).text(0) == "内控制度"
    assert editor.indicators.item_at((0,)).text(1) == "60"
    texts = [editor.checks.problem_list.item(i).text() for i in range(editor.checks.problem_list.count())]
    assert any("第 8 行" in t and "健全" in t for t in texts)
    assert "导入 2 个一级指标、6 个三级指标" in _qt[-1]
    assert editor.dirty


def test_update_dialog_shows_score_before_and_after(qtbot, sample):
    from desktop.system_editor.update import SystemUpdateDialog
    from forms.system_edit import SystemDraft

    draft = SystemDraft.from_system(sample.system)
    draft.set_weight((1, 0, 0), "8")  # 预算执行率 10 → 8 …
    draft.set_weight((1, 0, 1), "7")  # … 结转结余率 5 → 7
    draft.save_user()
    dialog = SystemUpdateDialog(sample)
    qtbot.addWidget(dialog)
    assert dialog.plan is not None  # the other version was found and chosen
    assert dialog.summary.text().startswith("自评得分 92.58（优）→ ")
    rows = {dialog.table.item(r, 0).text(): dialog.table.item(r, 2).text()
            for r in range(dialog.table.rowCount())}
    assert rows == {"预算执行率": "10 → 8", "结转结余率": "5 → 7"}
    assert dialog.ok.isEnabled()
    dialog._accept()
    updated = dialog.result_evaluation()
    assert updated is not None and updated.system.leaf("exec_rate").weight == D(8)
    assert updated.values == sample.values


def test_open_editor_is_non_modal_and_screenshot(qtbot, tmp_path):
    ed = open_system_editor(None)
    assert not ed.isModal() and ed.isVisible()
    assert open_system_editor(None) is ed  # raised, not opened twice
    entry = next(e for e in shipped_systems() if e.id == "sichuan-dazhou")
    ed.files.open_entry(entry)
    ed.indicators.tree.setCurrentItem(ed.indicators.item_at((0, 0, 0)))
    ed.detail.preview.boxes[0].click()
    assert ed.detail.preview.result.text() == "2.00 / 5 分"
    shot = tmp_path / "editor.png"
    assert ed.grab().save(str(shot))
    assert Path(shot).stat().st_size > 20000
    ed.undo_stack.setClean()
    ed.close()  # deletes itself (WA_DeleteOnClose)
    qtbot.waitUntil(lambda: not _alive(ed))


def test_the_systems_header_fields_are_wide_enough_to_read_at_1366_by_768(qtbot):
    ed = open_system_editor(None)
    try:
        ed.resize(1366, 768)
        QApplication.processEvents()
        metrics = ed.heading.sys_jurisdiction.fontMetrics()
        assert ed.heading.sys_jurisdiction.width() >= metrics.horizontalAdvance("广州市黄埔区")
        assert ed.heading.sys_year.width() >= metrics.horizontalAdvance("2024") + 8
        assert ed.heading.sys_name.width() >= metrics.horizontalAdvance("某区部门整体支出")
        # a leaf's fields and the rule's button are inside their pane, not cut off on the right
        ed.files.open_entry(next(e for e in shipped_systems() if e.id == "sichuan-dazhou"))
        ed.indicators.tree.setCurrentItem(ed.indicators.item_at((0, 0, 0)))
        QApplication.processEvents()
        viewport = ed.detail.viewport()
        for widget in (ed.detail.suggestion.button, ed.detail.f_rule, ed.detail.f_source, ed.detail.f_name):
            right = widget.mapTo(viewport, widget.rect().topRight()).x()
            assert right <= viewport.width(), widget.objectName() or widget.text()
    finally:
        ed.undo_stack.setClean()
        ed.close()
        qtbot.waitUntil(lambda: not _alive(ed))


def _alive(widget) -> bool:
    try:
        return widget.isVisible() or True
    except RuntimeError:
        return False


def test_mapping_dialog_rereads_headers_when_the_row_moves(qtbot):
    from desktop.system_editor.table_import import MappingDialog
    from exports.system_workbook import header_candidates
    from test_system_workbook import flat_workbook

    rows = [("A", "B", "甲", 60, "说明1"), ("", "", "乙", 40, "说明2")]
    data = flat_workbook(rows, header=("维度一", "维度二", "名目", "点数", "方法"))
    dialog = MappingDialog(header_candidates(data, row=1), None, data)
    qtbot.addWidget(dialog)
    assert dialog.combos["level3"].itemText(1) == "A 列：单位：分"  # the title row so far
    dialog.header_row.setValue(2)
    assert dialog.combos["level3"].itemText(3) == "C 列：名目"
    assert dialog.table.item(0, 2).text() == "甲"
    choose(dialog.combos["level1"], 0)
    choose(dialog.combos["level2"], 1)
    choose(dialog.combos["level3"], 2)
    dialog._accept()
    assert "三级指标分值" in dialog.error.text()  # the weight column is still missing
    choose(dialog.combos["weight"], 3)
    dialog._accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.mapping() == {"level1": 0, "level2": 1, "level3": 2, "weight": 3}
