"""A clerk's workbook is read by its labels: inserted, deleted and reordered rows are read
correctly, and the clerk is told what was taken and what never is."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from io import BytesIO

import pytest
from fuzz_budget import cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from desktop.cli import main
from exports.excel import SHEET_FORM, SHEET_PROJECTS, SHEET_TASKS, workbook_bytes
from exports.workbook_import import WorkbookImportError, read_workbook_report
from forms.model import Project, Task
from forms.package import write_package
from forms.scoring import score


def _edit(data: bytes, change) -> bytes:
    wb = load_workbook(BytesIO(data))
    change(wb)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _row_of(ws, text):
    return next(c.row for line in ws.iter_rows() for c in line if c.value == text)


def test_an_inserted_project_row_reads_back_all_projects(sample):
    def change(wb):
        ws = wb[SHEET_PROJECTS]
        first = _row_of(ws, sample.projects[0].name)
        ws.insert_rows(first)  # a new first project typed above the others
        for col, value in enumerate(["0", "新增的培训项目", 12.5, 10, None, "已完成"], start=1):
            ws.cell(first, col).value = value

    ev, notes = read_workbook_report(_edit(workbook_bytes(sample), change))
    names = [p.name for p in ev.projects]
    assert names == ["新增的培训项目"] + [p.name for p in sample.projects]
    assert ev.projects[0].budget == Decimal("12.5") and ev.projects[0].executed == Decimal(10)
    for old, new in zip(sample.projects, ev.projects[1:]):
        assert (new.budget, new.executed, new.result) == (old.budget, old.executed, old.result)
    assert any("新增项目“新增的培训项目”" in n for n in notes)


def test_a_deleted_task_row_removes_that_task_only(sample):
    def change(wb):
        ws = wb[SHEET_TASKS]
        ws.delete_rows(_row_of(ws, sample.tasks[0].name))

    ev, notes = read_workbook_report(_edit(workbook_bytes(sample), change))
    assert [t.name for t in ev.tasks] == [t.name for t in sample.tasks[1:]]
    assert [t.result for t in ev.tasks] == [t.result for t in sample.tasks[1:]]
    assert any("不再保留" in n and sample.tasks[0].name[:20] in n for n in notes)


def test_reordered_project_rows_keep_their_figures(sample):
    def change(wb):
        ws = wb[SHEET_PROJECTS]
        a, b = _row_of(ws, sample.projects[0].name), _row_of(ws, sample.projects[2].name)
        for col in range(1, 7):
            ws.cell(a, col).value, ws.cell(b, col).value = ws.cell(b, col).value, ws.cell(a, col).value

    ev, _ = read_workbook_report(_edit(workbook_bytes(sample), change))
    by_name = {p.name: p for p in ev.projects}
    for p in sample.projects:
        assert by_name[p.name].executed == p.executed and by_name[p.name].budget == p.budget
    assert ev.projects[0].name == sample.projects[2].name


def test_rows_inserted_in_the_form_do_not_shift_what_is_read(sample):
    def change(wb):
        ws = wb[SHEET_FORM]
        ws.insert_rows(_row_of(ws, "年末结转和结余"), amount=2)  # two rows of notes
        ws.cell(_row_of(ws, "合计"), 6).value = 1000.5  # 合计 全年执行数, moved down? no: above
        leaf_row = _row_of(ws, "走访企业人次")  # below the inserted rows: moved by 2
        ws.cell(leaf_row, 5).value = 800

    ev, notes = read_workbook_report(_edit(workbook_bytes(sample), change))
    assert ev.budget.total.executed == Decimal("1000.5")
    assert ev.value("visits").actual == Decimal(800)
    assert ev.budget.carryover == sample.budget.carryover
    assert ev.value("fdi").actual == sample.value("fdi").actual
    assert any("走访企业人次 实际完成值" in n for n in notes)


def test_scores_and_weights_typed_in_excel_are_not_taken_and_the_clerk_is_told(sample, tmp_path,
                                                                              capsys):
    def change(wb):
        ws = wb[SHEET_FORM]
        row = _row_of(ws, "走访企业人次")
        ws.cell(row, 6).value = 50  # 分值
        ws.cell(row, 7).value = 50  # 得分

    path = tmp_path / "edited.xlsx"
    path.write_bytes(_edit(workbook_bytes(sample), change))
    assert main(["import", str(path), "-o", str(tmp_path / "out.json")]) == 0
    err = capsys.readouterr().err
    assert "得分、分值、指标值、合计、总分和执行率由程序计算" in err and "不会读入" in err
    ev, _ = read_workbook_report(path.read_bytes())
    assert score(ev).total == score(sample).total


def test_a_formula_without_a_result_in_a_project_is_refused_naming_it(sample):
    def change(wb):
        ws = wb[SHEET_PROJECTS]
        ws.cell(_row_of(ws, sample.projects[1].name), 4).value = "=C4*0.9"

    with pytest.raises(WorkbookImportError) as caught:
        read_workbook_report(_edit(workbook_bytes(sample), change))
    assert "项目支出情况" in str(caught.value) and "没有它的计算结果" in str(caught.value)


def test_an_untouched_workbook_reads_back_exactly_with_only_the_standing_note(sample):
    ev, notes = read_workbook_report(workbook_bytes(sample))
    assert write_package(ev) == write_package(sample)
    assert len(notes) == 1 and "不会读入" in notes[0]


_names = st.text(st.characters(blacklist_categories=("Cs",)), max_size=8) | st.sampled_from(
    ["合计", "项目名称", "", " ", "\x1f", "重点工作任务", "完成情况", "序号", "绩效目标"])


@settings(max_examples=cases(60), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tasks=st.lists(st.tuples(_names, _names, _names), max_size=4),
       projects=st.lists(st.tuples(_names, _names), max_size=4))
def test_any_tables_read_back_exactly_when_untouched(sample, tasks, projects):
    """Names that look like header words, 合计, blanks and control characters included."""
    ev = replace(sample, tasks=tuple(Task(name=a, target=b, result=c) for a, b, c in tasks),
                 projects=tuple(Project(name=a, budget=Decimal(1), executed=Decimal(0), result=b)
                                for a, b in projects))
    assert write_package(read_workbook_report(workbook_bytes(ev))[0]) == write_package(ev)
