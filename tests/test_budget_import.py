"""The budget system's execution export read into the budget table and the projects."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from pathlib import Path

import budget_exports
import pytest
from openpyxl import Workbook

from desktop.cli import main
from exports.budget_import import BudgetImportError, _amount, apply, read_budget_export
from forms.model import new_evaluation
from forms.package import load_package

SAMPLE = Path(__file__).resolve().parents[1] / "forms" / "samples" / "suigang-2022.json"
D = Decimal


@pytest.fixture
def blank():
    """The sample's system and projects, with every figure cleared (a clerk starting the year)."""
    sample = load_package(SAMPLE)
    fresh = new_evaluation(sample.system, sample.department.name, 2022)
    from dataclasses import replace

    return replace(fresh, projects=tuple(replace(p, budget=None, executed=None)
                                         for p in sample.projects))


def test_sources_in_yuan_fill_the_budget_table_in_wan_yuan(blank):
    proposal = read_budget_export(budget_exports.by_source_in_yuan(), blank)
    assert proposal.unit == "元" and not proposal.notes
    after = apply(blank, proposal.placed)
    sample = load_package(SAMPLE)
    assert after.budget.total == sample.budget.total
    assert after.budget.source("general") == sample.budget.source("general")
    assert after.budget.nature("basic").adjusted == D("491.48")
    assert after.budget.nature("project").executed == D("612.89")
    assert after.budget.nature("basic").initial is None


def test_projects_matched_by_name_and_codes_dropped(blank):
    names = [p.name for p in blank.projects]
    proposal = read_budget_export(budget_exports.projects_with_codes(names), blank)
    after = apply(blank, proposal.placed)
    assert [p.budget for p in after.projects] == [D("1050.25"), D("2150.25"), D("3250.25")]
    assert [p.executed for p in after.projects] == [D("900.50"), D("901.50"), D("902.50")]
    skipped = [r for r in proposal.rows if not r.target]
    assert [r.label for r in skipped] == ["不在评价中的项目"] and "不导入" in skipped[0].note


def test_totals_that_do_not_add_up_are_reported_not_forced(blank):
    wb = Workbook()
    ws = wb.active
    ws.append(["资金来源", "全年预算数", "执行数"])
    ws.append(["合计", 100, 90])
    ws.append(["一般公共预算财政拨款", 60, 50])
    ws.append(["其他资金", 30, 30])
    out = BytesIO()
    wb.save(out)
    proposal = read_budget_export(out.getvalue(), blank)
    assert any("之和 90.00 万元与合计 100.00 万元不等" in n for n in proposal.notes)
    after = apply(blank, proposal.placed)
    assert after.budget.total.adjusted == D(100)  # as the export says


def test_two_rows_with_the_same_name_are_not_guessed(blank):
    wb = Workbook()
    ws = wb.active
    ws.append(["项目", "预算数", "执行数"])
    ws.append(["基本支出", 10, 9])
    ws.append(["基本支出", 20, 19])
    out = BytesIO()
    wb.save(out)
    proposal = read_budget_export(out.getvalue(), blank)
    assert not proposal.placed and all("多行" in r.note for r in proposal.rows)


@pytest.mark.parametrize("text, value", [
    ("1,234.50", D("1234.50")), ("1234.5", D("1234.5")), ("-3", D(-3)), ("1,0000", None),
    ("约5", None), ("1e5", None), ("", None), ("—", None), (True, None), (float("nan"), None),
])
def test_amounts_are_read_as_written_or_not_at_all(text, value):
    assert _amount(text) == value


def test_a_workbook_without_budget_columns_is_refused_in_chinese(blank):
    wb = Workbook()
    wb.active.append(["姓名", "电话"])
    out = BytesIO()
    wb.save(out)
    with pytest.raises(BudgetImportError, match="预算执行表"):
        read_budget_export(out.getvalue(), blank)


def test_cli_import_budget_writes_a_new_package_and_lists_what_it_did(tmp_path, capsys):
    export = tmp_path / "执行表.xlsx"
    export.write_bytes(budget_exports.by_source_in_yuan())
    out = tmp_path / "filled.json"
    assert main(["import-budget", str(export), str(SAMPLE), "-o", str(out)]) == 0
    text = capsys.readouterr().out
    assert "原表单位：元" in text and "合计" in text
    assert load_package(out).budget.total.executed == D("1104.37")
    assert main(["import-budget", str(export), str(SAMPLE), "-o", str(export)]) == 2
    assert "覆盖" in capsys.readouterr().err
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"nonsense")
    assert main(["import-budget", str(bad), str(SAMPLE), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "不是 Excel" in err and err.count("\n") == 1


def test_the_budget_page_imports_the_ticked_rows_as_one_undoable_step(qtbot, qapp, blank,
                                                                      tmp_path, monkeypatch):
    from desktop_typing import setup_app, show
    from PySide6.QtCore import Qt

    from desktop.form import budget_import_dialog as dialog_module
    from desktop.form.document import Document
    from desktop.form.pages.budget import BudgetPage

    setup_app(qapp)
    page = show(qtbot, BudgetPage(Document(blank)))
    export = tmp_path / "执行表.xlsx"
    export.write_bytes(budget_exports.by_source_in_yuan())
    monkeypatch.setattr(dialog_module, "ask_export_path", lambda parent: str(export))

    def answer(dialog):
        rows = [dialog.table.item(r, 2).text() for r in range(dialog.table.rowCount())]
        assert rows == ["合计", "一般公共预算", "政府性基金预算", "基本支出", "项目支出"]
        assert dialog.table.item(4, 5).text() == "612.89"
        dialog.table.item(2, 0).setCheckState(Qt.CheckState.Unchecked)  # the clerk unticks one
        return True

    monkeypatch.setattr(dialog_module, "run_dialog", answer)
    qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
    document = page.document
    assert document.evaluation.budget.total.executed == D("1104.37")
    assert document.evaluation.budget.source("fund").adjusted is None  # unticked
    assert document.undo_stack.undoText().startswith("从预算执行表导入 4 行")
    assert page.model.data(page.model.index(0, 2)) not in (None, "")
    document.undo_stack.undo()
    assert document.evaluation.budget.total.executed is None
