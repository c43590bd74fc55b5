"""The indicator-system editor, continued: either-options, custom blocks, undo, pasting
from spreadsheets and notices, the main window's menu, closing, keyboard, Excel round trip."""

from __future__ import annotations


from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop.common import messages
from desktop.system_editor.window import SystemEditor, open_system_editor
from forms.catalog import shipped_systems
from forms.scoring import score
from system_editor_driving import (  # noqa: F401 - fixtures
    D, HAND_WRITTEN, _preview, _qt, build_through_editor, choose, click, editor, node, recognise_click, retype,
    send_text, type_cell,
)


def test_either_custom_move_and_delete(qtbot, editor):
    ed = editor
    retype(qtbot, ed.heading.sys_name, "择一测试")
    click(qtbot, ed, "add_top")
    node(qtbot, ed, "产出", "100")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "部门自定义指标", "100")
    qtbot.mouseClick(ed.detail.f_custom, Qt.MouseButton.LeftButton)
    assert ed.draft.node((0, 0))["custom"] is True and ed.indicators.item_at((0, 0)).text(3) == "部门自定义"
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "项目执行率", "60")
    choose(ed.detail.f_rule, "either")
    add = ed.detail.rule_editor.findChild(QWidget, "add_option")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    retype(qtbot, ed.detail.rule_editor.option_name, "按资金执行")
    retype(qtbot, ed.detail.rule_editor.option_target, "100")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    retype(qtbot, ed.detail.rule_editor.option_name, "按进度完成")
    choose(ed.detail.rule_editor.option_type, "coefficient")
    assert ed.draft.check().at((0, 0, 0)) == ()
    # preview: choose the alternative, then its input
    choose(ed.detail.preview.option, "opt1")
    assert _preview(qtbot, ed, "80") == "48.00 / 60 分"
    choose(ed.detail.preview.option, "opt2")
    ed.detail.preview.level.setCurrentIndex(ed.detail.preview.level.findData("良"))
    assert ed.detail.preview.result.text() == "48.00 / 60 分"
    click(qtbot, ed, "add_sibling")
    node(qtbot, ed, "资金到位率", "40")
    click(qtbot, ed, "up")
    assert ed.indicators.path == (0, 0, 0) and ed.draft.node((0, 0, 0))["name"] == "资金到位率"
    assert ed.indicators.item_at((0, 0, 0)).text(0) == "资金到位率"
    click(qtbot, ed, "down")
    assert ed.indicators.item_at((0, 0, 1)).text(0) == "资金到位率"
    assert ed.draft.check().ok
    click(qtbot, ed, "delete_node")  # confirmed by the patched dialog
    assert [ed.draft.node(p)["name"] for p in ed.draft.walk()] == ["产出", "部门自定义指标",
                                                                  "项目执行率"]
    assert "分值 100 与下级指标分值之和 60 不一致" in ed.checks.problem_list.item(0).text()
    assert ed.files.save()
    assert "草稿" in ed.files.system_list.currentItem().text()


def test_update_dialog_lists_added_and_removed_leaves(qtbot, sample, _qt):
    from desktop.system_editor.update import SystemUpdateDialog
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
    from desktop.shell.app import create_main_window
    from desktop.system_editor.update import SystemUpdateDialog
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
    from desktop.system_editor.table_import import MappingDialog
    from test_system_workbook import NOTICE_ROWS, notice_workbook

    monkeypatch.setattr(MappingDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    rows = [list(r) for r in NOTICE_ROWS]
    rows[6][5] = "三十"
    book = tmp_path / "附件.xlsx"
    book.write_bytes(notice_workbook([tuple(r) for r in rows]))
    assert editor.files.import_excel(book)
    leaf = editor.indicators.item_at((2, 0, 0))
    assert leaf.text(0) == "重点工作完成率" and leaf.text(1) == "三十" and leaf.text(4) == "✗ 1"
    texts = [editor.checks.problem_list.item(i).text() for i in range(editor.checks.problem_list.count())]
    assert any("三十" in t for t in texts)
    editor.indicators.tree.setCurrentItem(leaf)
    retype(qtbot, editor.detail.f_weight, "30")
    # no problem left; the rule read from "完成率×分值" waits for the clerk's confirmation
    assert leaf.text(4) == "请核对" and editor.draft.check().ok
    waiting = sum(1 for p in editor.draft.leaves() if editor.draft.node(p).get("review"))
    assert f"{waiting} 个指标的评分规则读自评分标准，请核对后确认" in editor.checks.status.text()
    qtbot.mouseClick(editor.detail.suggestion.confirm_button, Qt.MouseButton.LeftButton)
    assert leaf.text(4) == "✓"
    assert f"{waiting - 1} 个指标的评分规则读自评分标准" in editor.checks.status.text()


def test_undo_and_redo_in_the_editor(qtbot, editor):
    ed = editor
    assert not ed.action_for["undo"].isEnabled()
    click(qtbot, ed, "add_top")
    node(qtbot, ed, "部门决策", "25")
    click(qtbot, ed, "add_sibling")
    retype(qtbot, ed.detail.f_name, "部门管理")
    assert [ed.draft.node(p)["name"] for p in ed.draft.walk()] == ["部门决策", "部门管理"]
    ed.action_for["undo"].trigger()  # the whole name typed, in one step
    assert [ed.draft.node(p)["name"] for p in ed.draft.walk()] == ["部门决策", ""]
    ed.action_for["undo"].trigger()  # the added sibling
    assert [ed.draft.node(p)["name"] for p in ed.draft.walk()] == ["部门决策"]
    assert ed.indicators.item_at((1,)) is None and ed.indicators.item_at((0,)).text(1) == "25"
    ed.action_for["redo"].trigger()
    ed.action_for["redo"].trigger()
    assert ed.indicators.item_at((1,)).text(0) == "部门管理"
    ed.indicators.tree.setCurrentItem(ed.indicators.item_at((0,)))
    click(qtbot, ed, "delete_node")
    assert ed.indicators.item_at((1,)) is None
    ed.action_for["undo"].trigger()  # a deleted branch comes back
    assert ed.indicators.item_at((0,)).text(0) == "部门决策" and ed.indicators.item_at((1,)).text(0) == "部门管理"


def test_update_from_a_file_refuses_a_draft(qtbot, sample, tmp_path, _qt):
    from desktop.system_editor.update import SystemUpdateDialog
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
    editor.files.open_entry(entry)
    path = next(p for p in editor.draft.walk()
                if len(p) == 3 and editor.draft.rule(p).get("type") == "either")
    editor.indicators.tree.setCurrentItem(editor.indicators.item_at(path))
    options = editor.detail.rule_editor.option_list
    assert options.isEnabled() and options.count() == 2
    assert not editor.detail.rule_editor.option_name.isEnabled()
    options.setCurrentRow(1)
    assert editor.detail.rule_editor.option_name.text() == editor.draft.rule(path)["options"][1]["name"]
    before = editor.draft.to_dict()
    editor.files.save_copy()  # the copy is editable again
    assert editor.detail.rule_editor.option_name.isEnabled()
    assert editor.draft.to_dict()["indicators"] == before["indicators"]


def test_rule_recognised_from_the_criteria_on_request(qtbot, editor, tmp_path, monkeypatch):
    from desktop.system_editor.table_import import MappingDialog
    from test_system_workbook import notice_workbook

    monkeypatch.setattr(MappingDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    book = tmp_path / "通知.xlsx"
    book.write_bytes(notice_workbook())
    editor.files.import_excel(book)
    ed = editor
    ed.indicators.tree.setCurrentItem(ed.indicators.item_at((1, 0, 1)))  # 预算调整率: "每超过一个百分点扣0.5分"
    # the import applied what the text says, marked 请核对 until the clerk confirms
    assert ed.detail.f_rule.currentData() == "deduct"
    assert ed.detail.suggestion.note.text().startswith("请核对：识别为标准值扣分")
    assert ed.detail.suggestion.confirm_button.isVisible()
    qtbot.mouseClick(ed.detail.suggestion.confirm_button, Qt.MouseButton.LeftButton)
    assert "review" not in ed.draft.node((1, 0, 1)) and not ed.detail.suggestion.confirm_button.isVisible()
    ed.draft.set_rule((1, 0, 1), {"type": "manual"})
    ed.detail.load(ed.indicators.path)
    recognise_click(qtbot, ed)
    assert ed.detail.f_rule.currentData() == "deduct"
    assert ed.detail.rule_editor.deduct_standard.text() == "10"  # its 指标值 (≤10%)
    assert ed.detail.rule_editor.deduct_points.text() == "0.5"
    assert "识别为标准值扣分：以 10 为标准，每超过 1 扣 0.5 分" in ed.detail.suggestion.note.text()
    assert _preview(qtbot, ed, "13.4") == "6.30 / 8 分"
    ed.indicators.tree.setCurrentItem(ed.indicators.item_at((0, 0, 0)))  # "①…，得3分；②……，得2分。"
    assert ed.detail.f_rule.currentData() == "checklist"  # applied on import
    assert ed.detail.rule_editor.items.rows() == [("绩效目标与部门职责相符", "3"), ("……", "2")]
    choose(ed.detail.f_rule, "manual")  # the clerk's own choice replaces it, and the mark goes
    assert ed.draft.rule((0, 0, 0)) == {"type": "manual"} and "review" not in ed.draft.node((0, 0, 0))
    recognise_click(qtbot, ed)
    assert ed.detail.f_rule.currentData() == "checklist"
    ed.action_for["undo"].trigger()
    assert ed.draft.rule((0, 0, 0)) == {"type": "manual"}
    ed.indicators.tree.setCurrentItem(ed.indicators.item_at((0, 1, 0)))  # "预算编制经过论证，得10分。"
    recognise_click(qtbot, ed)
    assert "未能从评分标准中识别" in ed.detail.suggestion.note.text() and ed.detail.f_rule.currentData() == "manual"


def test_checklist_items_pasted_from_a_spreadsheet(qtbot, editor):
    ed = editor
    click(qtbot, ed, "add_top")
    node(qtbot, ed, "管理", "100")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "制度", "100")
    click(qtbot, ed, "add_child")
    node(qtbot, ed, "资产管理", "6")
    choose(ed.detail.f_rule, "checklist")
    items = ed.detail.rule_editor.items
    QApplication.clipboard().setText("资产管理制度健全\t2\n账实相符\t2\n\"处置规范，\n收入及时上缴\"\t1\n")
    items.setFocus()
    qtbot.keyClick(items, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert items.rows() == [("资产管理制度健全", "2"), ("账实相符", "2"),
                            ("处置规范，\n收入及时上缴", "1")]
    assert "各检查项分值之和 5 不等于分值 6" in ed.detail.node_problems.text()
    items.setCurrentCell(2, 1)
    QApplication.clipboard().setText("2")
    qtbot.keyClick(items, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert ed.detail.node_problems.text() == ""
    items.selectAll()
    qtbot.keyClick(items, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text().startswith("资产管理制度健全\t2\n账实相符\t2\n")
    assert next(i["label"] for i in ed.draft.rule((0, 0, 0))["items"]) == "资产管理制度健全"


def test_paste_a_table_copied_from_the_notice(qtbot, editor, monkeypatch, _qt):
    from desktop.system_editor.table_import import MappingDialog

    monkeypatch.setattr(MappingDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    QApplication.clipboard().setText(
        "一级指标\t二级指标\t三级指标\t分值\t评分标准\n"
        "部门决策\t目标设定\t相关性\t40\t\"①与职责相符，得20分；②与规划相符，得20分。\"\n"
        "部门产出\t产出\t完成率\t60\t得分=完成率/100%×60分，满分为止\n")
    assert editor.action_for["paste"].text() == "粘贴指标表"
    editor.action_for["paste"].trigger()
    assert "已从“剪贴板”导入 2 个一级指标、2 个三级指标" in _qt[-1]
    assert editor.indicators.item_at((1, 0, 0)).text(0) == "完成率" and editor.draft.check().ok
    editor.indicators.tree.setCurrentItem(editor.indicators.item_at((0, 0, 0)))
    recognise_click(qtbot, editor)
    assert editor.detail.rule_editor.items.rows() == [("与职责相符", "20"), ("与规划相符", "20")]
    QApplication.clipboard().setText("no table here")
    assert not editor.files.import_clipboard()
    assert "剪贴板中没有表格" in _qt[-1]


def test_closing_the_main_window_asks_for_unsaved_system_edits(qtbot, monkeypatch):
    from PySide6.QtWidgets import QMainWindow

    main = QMainWindow()
    qtbot.addWidget(main)
    main.show()
    ed = open_system_editor(main)
    click(qtbot, ed, "add_top")
    retype(qtbot, ed.detail.f_name, "部门决策")
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
        assert ed.detail.f_name.hasFocus() or QApplication.focusWidget() is ed.detail.f_name
        send_text(ed.detail.f_name, name)
        qtbot.keyClick(ed.detail.f_name, Qt.Key.Key_Return)
        send_text(ed.detail.f_weight, weight)
        qtbot.keyClick(ed.detail.f_weight, Qt.Key.Key_Return)
    leaves = [ed.draft.node(p) for p in ed.draft.walk() if len(p) == 3]
    assert [(n["name"], n["weight"]) for n in leaves] == [
        ("相关性", 5), ("明确性", 5), ("合理性", 5), ("", None)]
    assert ed.indicators.item_at((0, 0)).text(2) == "15"


def test_export_the_system_as_an_excel_table_and_import_it_again(qtbot, editor, tmp_path,
                                                                  monkeypatch):
    from desktop.system_editor.table_import import MappingDialog

    monkeypatch.setattr(MappingDialog, "exec", lambda self: QDialog.DialogCode.Accepted)
    entry = next(e for e in shipped_systems() if e.id == "national-common")
    editor.files.open_entry(entry)
    table = tmp_path / "指标表.xlsx"
    assert editor.files.export_table(table)  # allowed for a read-only shipped system too
    names = [editor.draft.node(p)["name"] for p in editor.draft.walk()]
    editor.files.new_system(ask=False)
    assert editor.files.import_excel(table)
    assert [editor.draft.node(p)["name"] for p in editor.draft.walk()] == names
    assert editor.draft.check().ok
