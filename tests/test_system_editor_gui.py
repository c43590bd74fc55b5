"""The indicator-system editor window, driven by typing and clicking (pytest-qt, offscreen)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QTableWidget, QWidget

from desktop import messages
from desktop.system_editor import SystemEditor, open_system_editor
from forms.catalog import resolve_system, shipped_systems, user_systems
from forms.model import LeafValue
from forms.scoring import score
from forms.system import load_system

D = Decimal


@pytest.fixture(autouse=True)
def _qt(qapp, monkeypatch):
    from desktop.qt_setup import setup_application

    setup_application(qapp)
    answers: list[str] = []
    monkeypatch.setattr(messages.Messages, "show",
                        staticmethod(lambda parent, kind, title, text, details="":
                                     answers.append(text)))
    monkeypatch.setattr(messages.Messages, "ask",
                        staticmethod(lambda parent, title, text, choices, kind="", default=0: 0))
    return answers


@pytest.fixture
def editor(qtbot):
    ed = SystemEditor()
    qtbot.addWidget(ed)
    ed.show()
    ed.undo_stack.setClean()
    return ed


def send_text(widget: QWidget, text: str) -> None:
    """Type text as a pinyin IME delivers it: one key event per character (never keyClicks)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, Qt.Key.Key_unknown,
                                                     Qt.KeyboardModifier.NoModifier, ch))


def retype(qtbot, widget: QWidget, text: str) -> None:
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    send_text(widget, text)


def type_cell(qtbot, table: QTableWidget, row: int, col: int, text: str) -> None:
    """Open the cell's editor as a double-click does, type, press Enter."""
    while table.rowCount() <= row:
        qtbot.mouseClick(table.parentWidget().findChild(QWidget, "add_row"),
                         Qt.MouseButton.LeftButton)
    table.setCurrentCell(row, col)
    table.editItem(table.item(row, col))
    editors = [e for e in table.findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1, "no cell editor opened"
    editor = editors[0]
    qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor, Qt.Key.Key_Delete)
    send_text(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()  # the delegate commits the cell through a queued call
    assert table.item(row, col).text() == text


def click(qtbot, ed: SystemEditor, name: str) -> None:
    qtbot.mouseClick(ed.buttons[name], Qt.MouseButton.LeftButton)


def choose(combo, key: str) -> None:
    """Pick the entry with this data, as the clerk picks it from the drop-down."""
    combo.setCurrentIndex(combo.findData(key))


def node(qtbot, ed, name: str, weight: str) -> None:
    retype(qtbot, ed.f_name, name)
    retype(qtbot, ed.f_weight, weight)


HAND_WRITTEN = {
    "name": "某区2024年部门整体支出绩效评价指标体系",
    "jurisdiction": "某区",
    "year": 2024,
    "indicators": [
        {"name": "管理效率", "weight": 40, "children": [
            {"name": "预算执行", "weight": 40, "children": [
                {"id": "ind01", "name": "预算执行率", "weight": 20, "unit": "%", "target": 100,
                 "source": "budget.execution_rate", "explain_below": 90,
                 "criteria": "预算执行率×分值，满分为止", "rule": {"type": "ratio"}},
                {"id": "ind02", "name": "制度建设", "weight": 20, "rule": {
                    "type": "checklist", "items": [
                        {"id": "i1", "label": "制定预算管理制度", "points": 12},
                        {"id": "i2", "label": "制度有效执行", "points": 8}]}},
            ]}]},
        {"name": "履职效能", "weight": 60, "children": [
            {"name": "产出", "weight": 60, "children": [
                {"id": "ind03", "name": "预算完成率", "weight": 30, "rule": {
                    "type": "deduct", "standard": 100, "direction": "min", "step": 5,
                    "points": 2, "count": "whole"}},
                {"id": "ind04", "name": "重点支出安排率", "weight": 30, "rule": {
                    "type": "bands", "bands": [{"min": 90, "score": 30}, {"min": 80, "score": 24},
                                               {"min": 70, "score": 18}]}},
            ]}]},
    ],
}


def build_through_editor(qtbot, ed: SystemEditor) -> None:
    retype(qtbot, ed.sys_name, HAND_WRITTEN["name"])
    retype(qtbot, ed.sys_jurisdiction, "某区")
    retype(qtbot, ed.sys_year, "2024")
    click(qtbot, ed, "add_top")
    node(qtbot, ed, "管理效率", "40")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "预算执行", "40")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "预算执行率", "20")
    retype(qtbot, ed.f_target, "100")
    retype(qtbot, ed.f_unit, "%")
    retype(qtbot, ed.f_explain, "90")
    ed.f_criteria.setFocus()
    send_text(ed.f_criteria, "预算执行率×分值，满分为止")
    choose(ed.f_source, "budget.execution_rate")
    choose(ed.f_rule, "ratio")
    click(qtbot, ed, "add_sibling")
    node(qtbot, ed, "制度建设", "20")
    choose(ed.f_rule, "checklist")
    items = ed.rule_editor.items
    type_cell(qtbot, items, 0, 0, "制定预算管理制度")
    type_cell(qtbot, items, 0, 1, "12")
    type_cell(qtbot, items, 1, 0, "制度有效执行")
    type_cell(qtbot, items, 1, 1, "8")
    ed.tree.setCurrentItem(ed.item_at((0,)))
    click(qtbot, ed, "add_sibling")
    node(qtbot, ed, "履职效能", "60")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "产出", "60")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "预算完成率", "30")
    choose(ed.f_rule, "deduct")
    retype(qtbot, ed.rule_editor.deduct_standard, "100")
    choose(ed.rule_editor.deduct_direction, "min")
    retype(qtbot, ed.rule_editor.deduct_step, "5")
    retype(qtbot, ed.rule_editor.deduct_points, "2")
    choose(ed.rule_editor.deduct_count, "whole")
    click(qtbot, ed, "add_sibling")
    node(qtbot, ed, "重点支出安排率", "30")
    choose(ed.f_rule, "bands")
    bands = ed.rule_editor.bands
    for r, (low, pts) in enumerate((("90", "30"), ("80", "24"), ("70", "18"))):
        type_cell(qtbot, bands, r, 0, low)
        type_cell(qtbot, bands, r, 2, pts)


def test_a_system_built_in_the_editor_scores_like_the_hand_written_one(qtbot, editor, sample):
    build_through_editor(qtbot, editor)
    check = editor.draft.check()
    assert check.ok, [p.message for p in check.problems]
    assert "检查通过" in editor.status.text()
    assert editor.item_at((1, 0, 1)).text(3) == "分档计分"
    assert qtbot.waitUntil(lambda: True) is None
    editor.save()
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
    ed.tree.setCurrentItem(ed.item_at((0, 0, 0)))
    retype(qtbot, ed.f_weight, "25")
    mid = ed.item_at((0, 0))
    assert mid.text(4).startswith("✗")
    assert "分值 40 与下级指标分值之和 45 不一致" in mid.toolTip(4)
    assert mid.text(2) == "45"
    assert ed.item_at((0,)).text(4) == "下级 1 处"
    assert any("45" in ed.problem_list.item(i).text() for i in range(ed.problem_list.count()))
    assert "草稿：有 1 处问题" in ed.status.text()
    retype(qtbot, ed.f_weight, "20")
    assert mid.text(4) == "✓" and ed.problem_list.count() == 0
    # level 1 sum: both figures at the top
    ed.tree.setCurrentItem(ed.item_at((1,)))
    retype(qtbot, ed.f_weight, "50")
    assert any("一级指标分值之和为 90，应为 100" in ed.problem_list.item(i).text()
               for i in range(ed.problem_list.count()))
    assert ed.f_weight.property("mark_level") == "error"
    assert "60" in ed.f_weight.toolTip() and "50" in ed.f_weight.toolTip()
    retype(qtbot, ed.f_weight, "60")
    assert ed.problem_list.count() == 0 and ed.f_weight.property("mark_level") == ""
    # checklist points ≠ weight, shown on the items table
    ed.tree.setCurrentItem(ed.item_at((0, 0, 1)))
    type_cell(qtbot, ed.rule_editor.items, 1, 1, "5")
    assert "各检查项分值之和 17 不等于分值 20" in ed.node_problems.text()
    assert ed.rule_editor.items.property("mark_level") == "error"
    type_cell(qtbot, ed.rule_editor.items, 1, 1, "8")
    assert ed.node_problems.text() == "" and ed.rule_editor.items.property("mark_level") == ""
    # a band score above the weight
    ed.tree.setCurrentItem(ed.item_at((1, 0, 1)))
    type_cell(qtbot, ed.rule_editor.bands, 0, 2, "35")
    assert "第 1 档得分 35 超过分值 30" in ed.node_problems.text()
    assert ed.rule_editor.bands.property("mark_level") == "error"
    type_cell(qtbot, ed.rule_editor.bands, 0, 2, "30")
    assert ed.node_problems.text() == ""
    # a missing target on a ratio rule, marked on the 指标值 field
    ed.tree.setCurrentItem(ed.item_at((0, 0, 0)))
    retype(qtbot, ed.f_target, "")
    assert ed.f_target.property("mark_level") == "error"
    assert "需要指标值" in ed.f_target.toolTip()
    assert ed.item_at((0, 0, 0)).text(4) == "✗ 1"
    send_text(ed.f_target, "100")
    assert ed.f_target.property("mark_level") == "" and ed.draft.check().ok
    # a problem in the list selects its node when clicked
    retype(qtbot, ed.f_name, "")
    ed.tree.setCurrentItem(ed.item_at((1,)))
    item = ed.problem_list.item(0)
    ed._problem_clicked(item)
    assert ed.path == (0, 0, 0)


def _preview(qtbot, ed, text):
    retype(qtbot, ed.preview.actual, text)
    return ed.preview.result.text()


def test_preview_shows_the_scoring_examples(qtbot, editor):
    ed = editor
    click(qtbot, ed, "add_top")
    node(qtbot, ed, "管理", "100")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "预算", "100")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "预算执行率", "10")
    retype(qtbot, ed.f_target, "100")
    choose(ed.f_rule, "ratio")
    assert _preview(qtbot, ed, "43.65") == "4.37 / 10 分"
    # 在职人员控制率: weight 5, standard 100, max, step 1, 0.5 per step
    node(qtbot, ed, "在职人员控制率", "5")
    choose(ed.f_rule, "deduct")
    retype(qtbot, ed.rule_editor.deduct_standard, "100")
    retype(qtbot, ed.rule_editor.deduct_points, "0.5")
    assert _preview(qtbot, ed, "103.4") == "3.30 / 5 分"
    choose(ed.rule_editor.deduct_count, "started")
    assert ed.preview.result.text() == "3.00 / 5 分"
    choose(ed.rule_editor.deduct_count, "whole")
    assert ed.preview.result.text() == "3.50 / 5 分"
    # 预算完成率: weight 8, min, step 5, 2 per whole step
    node(qtbot, ed, "预算完成率", "8")
    choose(ed.rule_editor.deduct_direction, "min")
    retype(qtbot, ed.rule_editor.deduct_step, "5")
    retype(qtbot, ed.rule_editor.deduct_points, "2")
    assert _preview(qtbot, ed, "88") == "4.00 / 8 分"
    # bands
    node(qtbot, ed, "重点支出安排率", "5")
    choose(ed.f_rule, "bands")
    for r, (low, pts) in enumerate((("90", "5"), ("80", "4"), ("70", "3"), ("60", "2"))):
        type_cell(qtbot, ed.rule_editor.bands, r, 0, low)
        type_cell(qtbot, ed.rule_editor.bands, r, 2, pts)
    assert _preview(qtbot, ed, "85") == "4.00 / 5 分"
    node(qtbot, ed, "预算调整率", "3")
    for r, (high, pts) in enumerate((("0", "3"), ("10", "2"), ("20", "1"), ("30", "0.5"))):
        type_cell(qtbot, ed.rule_editor.bands, r, 0, "")
        type_cell(qtbot, ed.rule_editor.bands, r, 1, high)
        type_cell(qtbot, ed.rule_editor.bands, r, 2, pts)
    assert _preview(qtbot, ed, "12.5") == "1.00 / 3 分"
    # checklist and incidents previews
    choose(ed.f_rule, "incidents")
    retype(qtbot, ed.rule_editor.incident_points, "1")
    assert _preview(qtbot, ed, "2") == "1.00 / 3 分"
    assert _preview(qtbot, ed, "abc").startswith("测试值")


def test_shipped_system_is_read_only_until_copied(qtbot, editor, tmp_path):
    ed = editor
    entry = next(e for e in shipped_systems() if e.id == "sichuan-dazhou")
    assert ed.open_entry(entry)
    assert ed.read_only and ed.f_name.isReadOnly() and not ed.buttons["add_top"].isEnabled()
    assert not ed.save()
    assert ed.save_copy()
    assert not ed.read_only and ed.file_path == user_systems()[0].path
    assert user_systems()[0].name == "四川省达州市部门整体支出绩效评价指标体系"
    ed.tree.setCurrentItem(ed.item_at((0, 0, 0)))
    retype(qtbot, ed.f_name, "目标相关性")
    assert ed.save()
    assert resolve_system(user_systems()[0].id).indicators[0].children[0].children[0].name == \
        "目标相关性"
    # share as a file and open it again
    out = tmp_path / "分享.json"
    assert ed.export_file(out)
    ed.new_system(ask=False)
    assert ed.open_file(out) and ed.draft.node((0, 0, 0))["name"] == "目标相关性"
    # delete a user system (asks first)
    ed.open_entry(user_systems()[0])
    assert ed.delete_system() and user_systems() == []


def test_draft_with_problems_saves_but_cannot_score(qtbot, editor, _qt):
    ed = editor
    click(qtbot, ed, "add_top")
    node(qtbot, ed, "决策", "30")
    assert ed.save()
    assert "草稿" in ed.statusBar().currentMessage()
    from forms.system import SystemInvalid

    with pytest.raises(SystemInvalid):
        resolve_system(user_systems()[0].id)


def test_import_from_excel_with_mapping_step(qtbot, editor, tmp_path, monkeypatch, _qt):
    from desktop.system_editor_import import MappingDialog
    from test_system_workbook import FLAT_ROWS, flat_workbook

    seen = {}

    def accept(dialog):
        seen["mapping"] = dialog.mapping()
        seen["row"] = dialog.header_row.value()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(MappingDialog, "exec", accept)
    book = tmp_path / "通知附件2.xlsx"
    book.write_bytes(flat_workbook(FLAT_ROWS))
    assert editor.import_excel(book)
    assert seen == {"row": 2, "mapping": {"level1": 0, "level2": 1, "level3": 2, "weight": 3,
                                          "target": 4, "criteria": 5}}
    assert editor.item_at((1, 1, 0)).text(0) == "内控制度"
    assert editor.item_at((0,)).text(1) == "60"
    texts = [editor.problem_list.item(i).text() for i in range(editor.problem_list.count())]
    assert any("第 8 行" in t and "健全" in t for t in texts)
    assert "导入 2 个一级指标、6 个三级指标" in _qt[-1]
    assert editor.dirty


def test_update_dialog_shows_score_before_and_after(qtbot, sample):
    from desktop.system_editor_update import SystemUpdateDialog
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
    ed.open_entry(entry)
    ed.tree.setCurrentItem(ed.item_at((0, 0, 0)))
    ed.preview.boxes[0].setChecked(True)
    assert ed.preview.result.text() == "2.00 / 5 分"
    shot = tmp_path / "editor.png"
    assert ed.grab().save(str(shot))
    assert Path(shot).stat().st_size > 20000
    ed.undo_stack.setClean()
    ed.close()  # deletes itself (WA_DeleteOnClose)
    qtbot.waitUntil(lambda: not _alive(ed))


def _alive(widget) -> bool:
    try:
        return widget.isVisible() or True
    except RuntimeError:
        return False


def test_mapping_dialog_rereads_headers_when_the_row_moves(qtbot):
    from desktop.system_editor_import import MappingDialog
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


def test_either_custom_move_and_delete(qtbot, editor):
    ed = editor
    retype(qtbot, ed.sys_name, "择一测试")
    click(qtbot, ed, "add_top")
    node(qtbot, ed, "产出", "100")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "部门自定义指标", "100")
    qtbot.mouseClick(ed.f_custom, Qt.MouseButton.LeftButton)
    assert ed.draft.node((0, 0))["custom"] is True and ed.item_at((0, 0)).text(3) == "部门自定义"
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "项目执行率", "60")
    choose(ed.f_rule, "either")
    add = ed.rule_editor.findChild(QWidget, "add_option")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    retype(qtbot, ed.rule_editor.option_name, "按资金执行")
    retype(qtbot, ed.rule_editor.option_target, "100")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    retype(qtbot, ed.rule_editor.option_name, "按进度完成")
    choose(ed.rule_editor.option_type, "coefficient")
    assert ed.draft.check().at((0, 0, 0)) == ()
    # preview: choose the alternative, then its input
    choose(ed.preview.option, "opt1")
    assert _preview(qtbot, ed, "80") == "48.00 / 60 分"
    choose(ed.preview.option, "opt2")
    ed.preview.level.setCurrentIndex(ed.preview.level.findText("良"))
    assert ed.preview.result.text() == "48.00 / 60 分"
    click(qtbot, ed, "add_sibling")
    node(qtbot, ed, "资金到位率", "40")
    click(qtbot, ed, "up")
    assert ed.path == (0, 0, 0) and ed.draft.node((0, 0, 0))["name"] == "资金到位率"
    assert ed.item_at((0, 0, 0)).text(0) == "资金到位率"
    click(qtbot, ed, "down")
    assert ed.item_at((0, 0, 1)).text(0) == "资金到位率"
    assert ed.draft.check().ok
    click(qtbot, ed, "delete_node")  # confirmed by the patched dialog
    assert [ed.draft.node(p)["name"] for p in ed.draft.walk()] == ["产出", "部门自定义指标",
                                                                  "项目执行率"]
    assert "分值 100 与下级指标分值之和 60 不一致" in ed.problem_list.item(0).text()
    assert ed.save()
    assert "草稿" in ed.system_list.currentItem().text()


def test_update_dialog_lists_added_and_removed_leaves(qtbot, sample, _qt):
    from desktop.system_editor_update import SystemUpdateDialog
    from forms.system_edit import SystemDraft

    draft = SystemDraft.from_system(sample.system)
    draft.remove((0, 1, 1))  # 走访企业人次 goes
    draft.add_child((0, 1), "园区企业满意度", "10")
    draft.save_user()
    dialog = SystemUpdateDialog(sample)
    qtbot.addWidget(dialog)
    rows = [[dialog.table.item(r, c).text() for c in range(4)]
            for r in range(dialog.table.rowCount())]
    removed = sample.system.indicators[0].children[1].children[1]
    before = score(sample).leaf(removed.id).score
    assert rows == [["园区企业满意度", "新增", "— → 10", "— → 0.00"],
                    [removed.name, "删除", "10 → —", f"{before} → —"]]
    assert "删除的指标已填写的内容（1 项）将不再保留" in dialog.summary.text()
    dialog._accept()  # asks first (answered yes by the patched dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert removed.id not in dialog.result_evaluation().values


def test_main_window_menu_opens_the_editor_and_updates_the_system(qtbot, monkeypatch):
    from desktop.app import create_main_window
    from desktop.system_editor_update import SystemUpdateDialog
    from forms.system_edit import SystemDraft

    window = create_main_window(None)
    assert window is not None
    qtbot.addWidget(window)
    window.show()
    window.edit_systems()
    editors = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, SystemEditor) and w.isVisible()]
    assert len(editors) == 1 and editors[0].parent() is window
    editors[0].close()
    ev = window.document.evaluation  # the sample
    draft = SystemDraft.from_system(ev.system)
    draft.set_weight((1, 0, 0), "8")
    draft.set_weight((1, 0, 1), "7")
    draft.save_user()
    monkeypatch.setattr(SystemUpdateDialog, "exec",
                        lambda self: (self._accept(), self.result())[1])
    window.update_system()
    assert window.document.evaluation.system.leaf("exec_rate").weight == D(8)
    window.document.undo_stack.undo()  # one undo step puts the old system back
    assert window.document.evaluation.system.leaf("exec_rate").weight == D(10)


def test_imported_weight_that_is_not_a_number_is_fixed_in_place(qtbot, editor, tmp_path,
                                                                 monkeypatch):
    from desktop.system_editor_import import MappingDialog
    from test_system_workbook import NOTICE_ROWS, notice_workbook

    monkeypatch.setattr(MappingDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    rows = [list(r) for r in NOTICE_ROWS]
    rows[6][5] = "三十"
    book = tmp_path / "附件.xlsx"
    book.write_bytes(notice_workbook([tuple(r) for r in rows]))
    assert editor.import_excel(book)
    leaf = editor.item_at((2, 0, 0))
    assert leaf.text(0) == "重点工作完成率" and leaf.text(1) == "三十" and leaf.text(4) == "✗ 1"
    texts = [editor.problem_list.item(i).text() for i in range(editor.problem_list.count())]
    assert any("三十" in t for t in texts)
    editor.tree.setCurrentItem(leaf)
    retype(qtbot, editor.f_weight, "30")
    # no problem left; the rule read from "完成率×分值" waits for the clerk's confirmation
    assert leaf.text(4) == "请核对" and editor.draft.check().ok
    waiting = sum(1 for p in editor.draft.leaves() if editor.draft.node(p).get("review"))
    assert f"{waiting} 个指标的评分规则读自评分标准，请核对后确认" in editor.status.text()
    qtbot.mouseClick(editor.confirm_button, Qt.MouseButton.LeftButton)
    assert leaf.text(4) == "✓"
    assert f"{waiting - 1} 个指标的评分规则读自评分标准" in editor.status.text()


def test_undo_and_redo_in_the_editor(qtbot, editor):
    ed = editor
    assert not ed.actions["undo"].isEnabled()
    click(qtbot, ed, "add_top")
    node(qtbot, ed, "部门决策", "25")
    click(qtbot, ed, "add_sibling")
    retype(qtbot, ed.f_name, "部门管理")
    assert [ed.draft.node(p)["name"] for p in ed.draft.walk()] == ["部门决策", "部门管理"]
    ed.actions["undo"].trigger()  # the whole name typed, in one step
    assert [ed.draft.node(p)["name"] for p in ed.draft.walk()] == ["部门决策", ""]
    ed.actions["undo"].trigger()  # the added sibling
    assert [ed.draft.node(p)["name"] for p in ed.draft.walk()] == ["部门决策"]
    assert ed.item_at((1,)) is None and ed.item_at((0,)).text(1) == "25"
    ed.actions["redo"].trigger()
    ed.actions["redo"].trigger()
    assert ed.item_at((1,)).text(0) == "部门管理"
    ed.tree.setCurrentItem(ed.item_at((0,)))
    click(qtbot, ed, "delete_node")
    assert ed.item_at((1,)) is None
    ed.actions["undo"].trigger()  # a deleted branch comes back
    assert ed.item_at((0,)).text(0) == "部门决策" and ed.item_at((1,)).text(0) == "部门管理"


def test_update_from_a_file_refuses_a_draft(qtbot, sample, tmp_path, _qt):
    from desktop.system_editor_update import SystemUpdateDialog
    from forms.system_edit import SystemDraft

    dialog = SystemUpdateDialog(sample)
    qtbot.addWidget(dialog)
    assert dialog.plan is None and not dialog.ok.isEnabled()  # nothing like it installed
    draft = SystemDraft.from_system(sample.system)
    draft.set_weight((0,), "45")
    bad = tmp_path / "草稿.json"
    bad.write_bytes(draft.file_bytes())
    dialog.choose_file(bad)
    assert dialog.plan is None and "还有 2 处问题（草稿），不能用于评分" in _qt[-1]
    draft.set_weight((0,), "60")
    draft.set_weight((0, 1), "25")
    draft.set_weight((0, 1, 0), "15")
    draft.set_weight((0, 2), "5")
    draft.set_weight((0, 2, 0), "5")
    good = tmp_path / "新版.json"
    good.write_bytes(draft.file_bytes())
    dialog.choose_file(good)
    assert dialog.plan is not None and dialog.ok.isEnabled()
    changed = {c.name: c.description for c in dialog.plan.differences}
    top = sample.system.indicators[0]
    assert changed == {top.children[1].children[0].name: "分值 10 → 15",
                       top.children[2].children[0].name: "分值 10 → 5"}


def test_read_only_either_options_can_be_browsed(qtbot, editor):
    entry = next(e for e in shipped_systems() if e.id == "guangzhou-example")
    editor.open_entry(entry)
    path = next(p for p in editor.draft.walk()
                if len(p) == 3 and editor.draft.rule(p).get("type") == "either")
    editor.tree.setCurrentItem(editor.item_at(path))
    options = editor.rule_editor.option_list
    assert options.isEnabled() and options.count() == 2
    assert not editor.rule_editor.option_name.isEnabled()
    options.setCurrentRow(1)
    assert editor.rule_editor.option_name.text() == editor.draft.rule(path)["options"][1]["name"]
    before = editor.draft.to_dict()
    editor.save_copy()  # the copy is editable again
    assert editor.rule_editor.option_name.isEnabled()
    assert editor.draft.to_dict()["indicators"] == before["indicators"]


def test_rule_recognised_from_the_criteria_on_request(qtbot, editor, tmp_path, monkeypatch):
    from desktop.system_editor_import import MappingDialog
    from test_system_workbook import notice_workbook

    monkeypatch.setattr(MappingDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    book = tmp_path / "通知.xlsx"
    book.write_bytes(notice_workbook())
    editor.import_excel(book)
    ed = editor
    ed.tree.setCurrentItem(ed.item_at((1, 0, 1)))  # 预算调整率: "每超过一个百分点扣0.5分"
    # the import applied what the text says, marked 请核对 until the clerk confirms
    assert ed.f_rule.currentData() == "deduct"
    assert ed.suggest_note.text().startswith("请核对：识别为标准值扣分")
    assert ed.confirm_button.isVisible()
    qtbot.mouseClick(ed.confirm_button, Qt.MouseButton.LeftButton)
    assert "review" not in ed.draft.node((1, 0, 1)) and not ed.confirm_button.isVisible()
    ed.draft.set_rule((1, 0, 1), {"type": "manual"})
    ed.load_detail()
    qtbot.mouseClick(ed.suggest_button, Qt.MouseButton.LeftButton)
    assert ed.f_rule.currentData() == "deduct"
    assert ed.rule_editor.deduct_standard.text() == "10"  # its 指标值 (≤10%)
    assert ed.rule_editor.deduct_points.text() == "0.5"
    assert "识别为标准值扣分：以 10 为标准，每超过 1 扣 0.5 分" in ed.suggest_note.text()
    assert _preview(qtbot, ed, "13.4") == "6.30 / 8 分"
    ed.tree.setCurrentItem(ed.item_at((0, 0, 0)))  # "①…，得3分；②……，得2分。"
    assert ed.f_rule.currentData() == "checklist"  # applied on import
    assert ed.rule_editor.items.rows() == [("绩效目标与部门职责相符", "3"), ("……", "2")]
    choose(ed.f_rule, "manual")  # the clerk's own choice replaces it, and the mark goes
    assert ed.draft.rule((0, 0, 0)) == {"type": "manual"} and "review" not in ed.draft.node((0, 0, 0))
    qtbot.mouseClick(ed.suggest_button, Qt.MouseButton.LeftButton)
    assert ed.f_rule.currentData() == "checklist"
    ed.actions["undo"].trigger()
    assert ed.draft.rule((0, 0, 0)) == {"type": "manual"}
    ed.tree.setCurrentItem(ed.item_at((0, 1, 0)))  # "预算编制经过论证，得10分。"
    qtbot.mouseClick(ed.suggest_button, Qt.MouseButton.LeftButton)
    assert "未能从评分标准中识别" in ed.suggest_note.text() and ed.f_rule.currentData() == "manual"


def test_checklist_items_pasted_from_a_spreadsheet(qtbot, editor):
    ed = editor
    click(qtbot, ed, "add_top")
    node(qtbot, ed, "管理", "100")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "制度", "100")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "资产管理", "6")
    choose(ed.f_rule, "checklist")
    items = ed.rule_editor.items
    QApplication.clipboard().setText("资产管理制度健全\t2\n账实相符\t2\n\"处置规范，\n收入及时上缴\"\t1\n")
    items.setFocus()
    qtbot.keyClick(items, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert items.rows() == [("资产管理制度健全", "2"), ("账实相符", "2"),
                            ("处置规范，\n收入及时上缴", "1")]
    assert "各检查项分值之和 5 不等于分值 6" in ed.node_problems.text()
    items.setCurrentCell(2, 1)
    QApplication.clipboard().setText("2")
    qtbot.keyClick(items, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert ed.node_problems.text() == ""
    items.selectAll()
    qtbot.keyClick(items, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text().startswith("资产管理制度健全\t2\n账实相符\t2\n")
    assert next(i["label"] for i in ed.draft.rule((0, 0, 0))["items"]) == "资产管理制度健全"


def test_paste_a_table_copied_from_the_notice(qtbot, editor, monkeypatch, _qt):
    from desktop.system_editor_import import MappingDialog

    monkeypatch.setattr(MappingDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    QApplication.clipboard().setText(
        "一级指标\t二级指标\t三级指标\t分值\t评分标准\n"
        "部门决策\t目标设定\t相关性\t40\t\"①与职责相符，得20分；②与规划相符，得20分。\"\n"
        "部门产出\t产出\t完成率\t60\t得分=完成率/100%×60分，满分为止\n")
    assert editor.actions["paste"].text() == "粘贴指标表"
    editor.actions["paste"].trigger()
    assert "已从“剪贴板”导入 2 个一级指标、2 个三级指标" in _qt[-1]
    assert editor.item_at((1, 0, 0)).text(0) == "完成率" and editor.draft.check().ok
    editor.tree.setCurrentItem(editor.item_at((0, 0, 0)))
    qtbot.mouseClick(editor.suggest_button, Qt.MouseButton.LeftButton)
    assert editor.rule_editor.items.rows() == [("与职责相符", "20"), ("与规划相符", "20")]
    QApplication.clipboard().setText("no table here")
    assert not editor.import_clipboard()
    assert "剪贴板中没有表格" in _qt[-1]


def test_closing_the_main_window_asks_for_unsaved_system_edits(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMainWindow

    main = QMainWindow()
    qtbot.addWidget(main)
    main.show()
    ed = open_system_editor(main)
    click(qtbot, ed, "add_top")
    retype(qtbot, ed.f_name, "部门决策")
    answers = [2, 1]  # 取消, then 不保存
    monkeypatch.setattr(messages.Messages, "ask",
                        staticmethod(lambda *a, **k: answers.pop(0)))
    assert not main.close() and main.isVisible() and ed.isVisible()
    assert main.close() and not answers


def test_enter_moves_from_name_to_weight_to_the_next_indicator(qtbot, editor):
    ed = editor
    click(qtbot, ed, "add_top")
    click(qtbot, ed, "add_child")
    click(qtbot, ed, "add_child")
    for name, weight in (("相关性", "5"), ("明确性", "5"), ("合理性", "5")):
        assert ed.f_name.hasFocus() or QApplication.focusWidget() is ed.f_name
        send_text(ed.f_name, name)
        qtbot.keyClick(ed.f_name, Qt.Key.Key_Return)
        send_text(ed.f_weight, weight)
        qtbot.keyClick(ed.f_weight, Qt.Key.Key_Return)
    leaves = [ed.draft.node(p) for p in ed.draft.walk() if len(p) == 3]
    assert [(n["name"], n["weight"]) for n in leaves] == [
        ("相关性", 5), ("明确性", 5), ("合理性", 5), ("", None)]
    assert ed.item_at((0, 0)).text(2) == "15"


def test_export_the_system_as_an_excel_table_and_import_it_again(qtbot, editor, tmp_path,
                                                                  monkeypatch):
    from desktop.system_editor_import import MappingDialog

    monkeypatch.setattr(MappingDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    entry = next(e for e in shipped_systems() if e.id == "national-common")
    editor.open_entry(entry)
    table = tmp_path / "指标表.xlsx"
    assert editor.export_table(table)  # allowed for a read-only shipped system too
    names = [editor.draft.node(p)["name"] for p in editor.draft.walk()]
    editor.new_system(ask=False)
    assert editor.import_excel(table)
    assert [editor.draft.node(p)["name"] for p in editor.draft.walk()] == names
    assert editor.draft.check().ok

