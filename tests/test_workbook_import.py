"""Reading an exported workbook back: exact round trip, clerk corrections, refusals."""

from __future__ import annotations

import time
import zipfile
from dataclasses import replace
from decimal import Decimal
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from exports.excel import SHEET_FORM, SHEET_PROJECTS, workbook_bytes
from exports.workbook_import import WorkbookImportError, read_workbook_bytes, read_workbook_path
from forms.model import LeafValue, Task
from forms.package import write_package
from forms.scoring import score


def _edit(data: bytes, change) -> bytes:
    wb = load_workbook(BytesIO(data))
    change(wb)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell_of(ws, text):
    for row in ws.iter_rows():
        for cell in row:
            if cell.value == text:
                return cell
    raise AssertionError(text)


def test_round_trip_of_the_sample_is_exact(sample):
    back = read_workbook_bytes(workbook_bytes(sample))
    assert write_package(back) == write_package(sample)
    assert score(back).total == Decimal("92.58") and score(back).grade == "优"


def test_round_trip_keeps_tricky_texts_and_raw_values(sample, tmp_path):
    ev = sample.with_value("procurement", LeafValue(not_applicable=True, reason="本年度无政府采购"))
    ev = ev.with_value("perf_mgmt", LeafValue(checked=("targets", "selfeval"), deviation="=SUM(A1)"))
    ev = ev.with_value("assets", LeafValue(count=Decimal("2"), deviation="含\x07控制字符"))
    ev = ev.with_narrative("problems", "第一行\n第二行")
    ev = replace(ev, tasks=ev.tasks + (Task(name="新任务", target="", result="x" * 40000),))
    path = tmp_path / "t.xlsx"
    path.write_bytes(workbook_bytes(ev))
    back = read_workbook_path(path)
    assert write_package(back) == write_package(ev)
    assert score(back).total == score(ev).total


def test_clerk_corrections_in_excel_are_taken(sample):
    def change(wb):
        ws = wb[SHEET_FORM]
        total = _cell_of(ws, "合计").row
        ws.cell(total, 6).value = 1000.5  # 合计 全年执行数
        row = _cell_of(ws, "实际利用外资").row
        ws.cell(row, 5).value = "1,500"  # typed as text with a separator
        ws.cell(row, 8).value = "已补充说明"
        _cell_of(ws, "填报人").offset(column=1).value = "张三"
        wb[SHEET_PROJECTS].cell(3, 4).value = 200
    back = read_workbook_bytes(_edit(workbook_bytes(sample), change))
    assert back.budget.total.executed == Decimal("1000.5")
    assert back.value("fdi").actual == Decimal("1500")
    assert back.value("fdi").deviation == "已补充说明"
    assert back.department.preparer == "张三"
    assert back.projects[0].executed == Decimal("200")
    # the score follows the corrected figures: 1000.5 / 1153.25 → 8.68 of 10
    assert score(back).leaf("exec_rate").score == Decimal("8.68")
    # untouched fields keep their exact original text
    assert back.projects[1].budget == Decimal("150") and back.goals == sample.goals


def test_a_figure_that_is_not_a_number_is_named(sample):
    def change(wb):
        ws = wb[SHEET_FORM]
        ws.cell(_cell_of(ws, "合计").row, 5).value = "12x"
    with pytest.raises(WorkbookImportError) as err:
        read_workbook_bytes(_edit(workbook_bytes(sample), change))
    assert "合计 全年预算数" in str(err.value) and "12x" in str(err.value)


def test_workbook_not_ours_is_refused():
    wb = Workbook()
    wb.active["A1"] = "部门整体支出绩效自评表"
    out = BytesIO()
    wb.save(out)
    with pytest.raises(WorkbookImportError, match="不是本程序导出的自评表"):
        read_workbook_bytes(out.getvalue())


def test_newer_data_version_is_refused(sample):
    def change(wb):
        wb["selfeval_data"]["B1"] = 99
    with pytest.raises(WorkbookImportError, match="更新版本"):
        read_workbook_bytes(_edit(workbook_bytes(sample), change))


def test_encrypted_or_old_format_is_refused():
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000
    with pytest.raises(WorkbookImportError, match="密码"):
        read_workbook_bytes(ole2)


@pytest.mark.parametrize("data, words", [
    (b"hello, not a workbook", "不是 Excel"),
    (b"", "不是 Excel"),
])
def test_garbage_is_refused(data, words):
    with pytest.raises(WorkbookImportError, match=words):
        read_workbook_bytes(data)


def test_damaged_zip_is_refused(sample):
    data = workbook_bytes(sample)
    with pytest.raises(WorkbookImportError, match="损坏"):
        read_workbook_bytes(data[: len(data) // 2])
    # a valid zip whose sheet XML is garbage
    buf = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as src, zipfile.ZipFile(buf, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename.startswith("xl/worksheets/"):
                body = b"<worksheet><sheetData><row><c"  # cut off
            dst.writestr(info, body)
    with pytest.raises(WorkbookImportError, match=r"损坏|无法读取|不是本程序"):
        read_workbook_bytes(buf.getvalue())


def test_zip_bomb_is_refused_quickly():
    buf = BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    data = buf.getvalue()
    assert len(data) < 1024 * 1024
    start = time.perf_counter()
    with pytest.raises(WorkbookImportError, match=r"压缩炸弹|过大|超过"):
        read_workbook_bytes(data)
    assert time.perf_counter() - start < 2


def test_oversized_file_is_refused_without_reading(tmp_path):
    big = tmp_path / "big.xlsx"
    with big.open("wb") as fh:
        fh.truncate(21 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(WorkbookImportError, match="20 MB"):
        read_workbook_path(big)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(WorkbookImportError, match="找不到"):
        read_workbook_path(tmp_path / "nope.xlsx")
    with pytest.raises(WorkbookImportError, match="文件夹"):
        read_workbook_path(tmp_path)


def test_sheet_with_absurd_dimensions_is_refused_quickly(sample):
    def change(wb):
        wb[SHEET_FORM]["XFD1048576"] = "x"  # the last cell Excel has
    data = _edit(workbook_bytes(sample), change)
    start = time.perf_counter()
    with pytest.raises(WorkbookImportError, match="范围异常"):
        read_workbook_bytes(data)
    assert time.perf_counter() - start < 2


def test_text_fields_typed_as_numbers_or_dates_read_back_as_text(sample):
    import datetime

    def change(wb):
        ws = wb[SHEET_FORM]
        _cell_of(ws, "联系电话").offset(column=1).value = 13800138000
        _cell_of(ws, "填报日期").offset(column=1).value = datetime.datetime(2023, 3, 1)
    back = read_workbook_bytes(_edit(workbook_bytes(sample), change))
    assert back.department.phone == "13800138000"
    assert back.department.date == "2023-03-01"


def test_figures_beyond_double_precision_keep_their_digits(sample):
    # 19 significant digits, the most the number limits allow; a cell's double holds ~15
    ev = sample.with_value("fdi", LeafValue(actual=Decimal("999999999999.123457")))
    back = read_workbook_bytes(workbook_bytes(ev))
    assert back.value("fdi").actual == Decimal("999999999999.123457")


@pytest.mark.parametrize("system_id", ["guangzhou-example", "national-common", "sichuan-dazhou"])
def test_every_shipped_system_exports_and_reads_back(system_id):
    """An evaluation just started on any shipped system (nothing filled in yet)."""
    from exports.pdf_report import build_report
    from forms.catalog import resolve_system
    from forms.model import new_evaluation

    ev = new_evaluation(resolve_system(system_id), "测试单位", 2023)
    back = read_workbook_bytes(workbook_bytes(ev))
    assert write_package(back) == write_package(ev)
    report = build_report(ev)
    assert report.pages >= 4 and report.replaced == []
