"""selfeval review: a bureau's folder of submissions → summary workbook, PDF and JSON.

The folder (tests/review_folder.py) holds a clean submission, one edited in Excel after
export, one with unexplained problems, another system submitted twice, a damaged file,
somebody else's workbook and a PDF.  Every column and flag is read back with openpyxl.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from review_folder import (
    BAIYUN_NAME,
    EDITED_NAME,
    PROBLEM_NAME,
    SUIGANG_NAME,
    build_folder,
    edited_workbook,
)

from desktop.cli import main
from exports.review_read import Cancel, Cancelled, find_files, review_paths
from exports.review_workbook import (
    FLAG_HEADER,
    LEAF_STATS,
    SHEET_FLAGS,
    SHEET_LEAVES,
    SHEET_REJECTED,
    SHEET_SUMMARY,
    SUMMARY_HEADER,
)
from forms.catalog import resolve_system

REFERENCE = "guangzhou-example"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    root = tmp_path_factory.mktemp("submissions")
    return root, build_folder(root)


@pytest.fixture(scope="module")
def summary(folder, tmp_path_factory):
    """The summary workbook and the --json output of one CLI run."""
    root, _ = folder
    out = tmp_path_factory.mktemp("out")
    xlsx, pdf, js = out / "汇总.xlsx", out / "汇总.pdf", out / "review.json"
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        code = main(["review", str(root), "-o", str(xlsx), "--pdf", str(pdf),
                     "--system", REFERENCE, "--json", "--workers", "2"])
    assert code == 0
    js.write_text(buffer.getvalue(), encoding="utf-8")
    return load_workbook(xlsx), json.loads(buffer.getvalue()), pdf


def _rows(ws, header_row: int) -> list[dict[str, object]]:
    header = [c.value for c in ws[header_row]]
    out = []
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if row[0] is None or not isinstance(row[0], int):
            break
        out.append(dict(zip(header, row)))
    return out


def _issue_counts(files: dict[str, Path], name: str) -> tuple[int, int]:
    from exports.workbook_import import read_workbook_path
    from forms.package import load_package
    from forms.validation import ERROR, validate

    path = next(p for p in files.values() if p.name == name)
    ev = load_package(path) if path.suffix == ".json" else read_workbook_path(path)
    issues = validate(ev)
    errors = sum(1 for i in issues if i.level == ERROR)
    return errors, len(issues) - errors


def test_finding_files_skips_lock_files_and_names_missing_paths(folder):
    root, files = folder
    found, missing = find_files([root, root / "没有这个", files["clean"]])
    assert sorted(found) == sorted(files.values())
    assert [m.reason for m in missing] == ["找不到该文件或文件夹"]


def test_summary_sheet_every_column(summary, folder):
    wb, _, _ = summary
    _, files = folder
    ws = wb[SHEET_SUMMARY]
    assert [c.value for c in ws[3]] == [h for h, _ in SUMMARY_HEADER]
    rows = _rows(ws, 3)
    assert [r["单位名称"] for r in rows] == [SUIGANG_NAME, SUIGANG_NAME, EDITED_NAME, BAIYUN_NAME,
                                          PROBLEM_NAME]
    assert [r["重算总分"] for r in rows] == [92.58, 92.58, 91.32, 90.99, 90.99]  # sorted by score
    assert [r["序号"] for r in rows] == [1, 2, 3, 4, 5]
    by_file = {Path(str(r["文件"])).name: r for r in rows}

    # 错误 and 提醒 are the counts of the form's own checks on the data as read back
    for name, row in by_file.items():
        counted = _issue_counts(files, name)
        assert (row["错误"], row["提醒"]) == counted, name
    clean = by_file["投资促进局.xlsx"]
    assert clean == {
        "序号": 4, "单位名称": BAIYUN_NAME, "年度": 2023,
        "指标体系": "示例：广州市区级部门整体支出绩效自评指标体系（非官方）",
        "与参考体系一致": "是", "体系差异": None, "表上总分": 90.99, "表上等级": "优",
        "重算总分": 90.99, "重算等级": "优", "相差": 0, "预算执行率": 0.4365,
        "结转结余率": 0.5635, "完成度": "18/18", "错误": clean["错误"], "提醒": clean["提醒"],
        "问题标记": "草稿（不计入平均）",  # the example system's 示例 texts: not final
        "文件": str(files["clean"]),
    }
    edited = by_file["改过的.xlsx"]
    assert (edited["表上总分"], edited["重算总分"], edited["相差"]) == (95, 91.32, 3.68)
    assert edited["预算执行率"] == pytest.approx(0.4771)  # 13000 / 27247.94
    assert edited["问题标记"] == ("表上得分与重算不符（2）；导出后改动了表格；收支数据不平（2）；"
                              "草稿（不计入平均）")
    other = by_file["穗港.xlsx"]
    assert other["与参考体系一致"] == "否"
    assert other["体系差异"] == "缺 13 项，多 7 项，4 项分值不同"
    assert other["问题标记"] == "未使用参考指标体系；重复报送"
    package = by_file["穗港-再次.json"]
    assert package["表上总分"] is None and package["表上等级"] is None and package["相差"] is None
    problem = by_file["问题单位.xlsx"]
    assert problem["提醒"] >= 4 and problem["错误"] == 0  # the lost points, the sums, …
    assert problem["问题标记"] == ("执行率低于90%未说明；收支数据不平；扣分未说明偏差原因（3）；"
                               "草稿（不计入平均）")
    # number formats: the clerk's printouts show two decimals and percentages
    cells = {ws.cell(3, c).value: ws.cell(4, c) for c in range(1, len(SUMMARY_HEADER) + 1)}
    assert cells["重算总分"].number_format == "0.00"
    assert cells["预算执行率"].number_format == "0.00%"


def test_summary_statistics_below_the_table(summary):
    wb, _, _ = summary
    ws = wb[SHEET_SUMMARY]
    stats = {ws.cell(r, 2).value: ws.cell(r, 5).value for r in range(10, ws.max_row + 1)}
    assert stats["统计"] == "数值"
    # the three submissions on the example system are drafts (示例 texts): not counted
    assert stats["份数"] == 5 and stats["计入平均的份数（不含未填写和草稿）"] == 2
    assert stats["平均预算执行率"] == 0.9576
    assert stats["等级“优”"] == 2 and stats["等级“良”"] == 0
    assert stats["平均重算总分"] == 92.58  # the two finished ones
    assert stats["草稿（不计入平均）"] == 3
    assert stats["重复报送"] == 2 and stats["导出后改动了表格"] == 1
    assert ws.cell(2, 1).value.endswith("未能读取的文件 4 个")


def test_flag_sheet_names_the_exact_places(summary, folder):
    wb, _, _ = summary
    ws = wb[SHEET_FLAGS]
    assert [c.value for c in ws[2]] == [h for h, _ in FLAG_HEADER]
    rows = _rows(ws, 2)
    _, coords = edited_workbook()
    edited = [(r["问题"], r["说明"], r["位置"]) for r in rows if r["单位名称"] == EDITED_NAME]
    assert edited == [
        ("表上得分与重算不符", "表上总分 95.00，重算 91.32（高 3.68 分）",
         f"部门整体支出绩效自评表!{coords['total']}"),
        ("表上得分与重算不符", "预算执行率：表上得分 3.49，重算 3.82", "部门整体支出绩效自评表!G24"),
        ("导出后改动了表格", "合计 全年执行数：导出时为“11894.15”，表上为“13000”",
         f"部门整体支出绩效自评表!{coords['executed']}"),
        ("收支数据不平", ("按资金来源分全年执行数之和 11,894.15 与合计 13,000.00 不一致"
         "（相差 1,105.85），请核对。"), f"部门整体支出绩效自评表!{coords['executed']}"),
        ("收支数据不平", ("按支出性质分全年执行数之和 11,894.15 与合计 13,000.00 不一致"
         "（相差 1,105.85），请核对。"), "收支情况"),
        ("草稿（不计入平均）", "草稿：有 4 处示例文字，不计入平均分和分布", "绩效指标评分"),
    ]
    problem = [(r["问题"], r["位置"]) for r in rows if r["单位名称"] == PROBLEM_NAME]
    assert problem == [
        ("执行率低于90%未说明", "部门整体支出绩效自评表!H24"),
        ("收支数据不平", "部门整体支出绩效自评表!F8"),
        ("扣分未说明偏差原因", "部门整体支出绩效自评表!H20"),
        ("扣分未说明偏差原因", "部门整体支出绩效自评表!H24"),
        ("扣分未说明偏差原因", "部门整体支出绩效自评表!H25"),
        ("草稿（不计入平均）", "绩效指标评分"),
    ]
    messages = [r["说明"] for r in rows if r["单位名称"] == PROBLEM_NAME]
    assert messages[0] == "预算执行率 43.65%，低于 90%，未说明原因"
    assert "相差 24.80" in messages[1]
    assert messages[2] == "效益指标（示例，请替换）得分 5.50（分值 6），未填写偏差原因分析"
    duplicates = [r for r in rows if r["问题"] == "重复报送"]
    assert len(duplicates) == 2
    assert all(r["单位名称"] == SUIGANG_NAME and r["年度"] == 2022 for r in duplicates)
    assert {str(r["说明"]).rsplit("另见：", 1)[1] for r in duplicates} == {
        str(folder[1]["other"]), str(folder[1]["duplicate"])}
    assert [r["问题"] for r in rows if r["单位名称"] == BAIYUN_NAME] == ["草稿（不计入平均）"]
    systems = [r["说明"] for r in rows if r["问题"] == "未使用参考指标体系"]
    assert len(systems) == 2 and systems[0] == systems[1]
    assert systems[0].startswith("指标体系“样例指标体系（仅供开发测试，非官方）”与参考体系不同：缺少 13 个指标：")
    assert "预算执行率分值 10（参考 8）" in systems[0] and "多出 7 个指标" in systems[0]
    assert [r["序号"] for r in rows] == list(range(1, len(rows) + 1))


def test_leaf_sheet_scores_across_departments(summary):
    wb, _, _ = summary
    ws = wb[SHEET_LEAVES]
    header = [c.value for c in ws[2]]
    assert header[:len(LEAF_STATS)] == [h for h, _ in LEAF_STATS]
    assert header[len(LEAF_STATS):] == [SUIGANG_NAME + "（2022）"] * 2 + [EDITED_NAME, BAIYUN_NAME,
                                                                      PROBLEM_NAME]
    rows = {r[2]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    # reference system first: 8 points there, 10 in the suigang sample (same leaf id)
    # statistics over the counted (finished) submissions; every department's score shown
    assert rows["预算执行率"] == ("管理效率", "预算管理", "预算执行率", 8, 2, 9.58, 9.58, 9.58, 0, None,
                              9.58, 9.58, 3.82, 3.49, 3.49)
    benefit = rows["效益指标（示例，请替换）"]
    assert benefit[4] == 0 and benefit[10:12] == ("—", "—") and benefit[12] == 5.5
    assert ws.print_area is not None and "$A$1:$J$" in ws.print_area


def test_rejected_sheet_gives_each_reason(summary, folder):
    """A workbook is refused with the very reason 导入Excel gives; other files are named."""
    from exports.workbook_import import WorkbookImportError, read_workbook_path

    wb, _, _ = summary
    _, files = folder
    rows = {r["文件"]: r["原因"] for r in _rows(wb[SHEET_REJECTED], 2)}
    expected = {str(files["pdf"]): "不是 Excel 自评表或评价包（.pdf 文件），已跳过"}
    for key in ("damaged", "foreign", "encrypted"):
        with pytest.raises(WorkbookImportError) as refused:
            read_workbook_path(files[key])
        expected[str(files[key])] = str(refused.value)
    assert rows == expected
    assert "损坏" in rows[str(files["damaged"])]
    assert "不是本程序导出的自评表" in rows[str(files["foreign"])]
    assert "加密" in rows[str(files["encrypted"])]


def test_sheets_print_on_a4_landscape(summary):
    wb, _, _ = summary
    for ws in wb.worksheets:
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.print_title_rows


def test_json_output(summary, folder):
    _, data, _ = summary
    _, files = folder
    assert data["count"] == 5 and data["reference"].startswith("示例：广州市")
    assert data["grades"] == {"优": 2, "良": 0, "中": 0, "差": 0}
    assert data["average_total"] == "92.58"
    assert data["flag_counts"] == {"score_differs": 1, "edited": 1, "low_execution": 1,
                                   "budget_sum": 2, "no_deviation": 1, "duplicate": 2,
                                   "other_system": 2, "pack": 0, "empty": 0, "draft": 3}
    by_path = {s["path"]: s for s in data["submissions"]}
    edited = by_path[str(files["edited"])]
    assert edited["stated"] == {"total": "95.00", "grade": "优"}
    assert edited["recomputed"] == {"total": "91.32", "grade": "优"}
    assert edited["difference"] == "3.68"
    assert edited["execution_rate"] == "47.71" and edited["completeness"] == {"filled": 18,
                                                                                "leaves": 18}
    assert edited["system"] == {"name": "示例：广州市区级部门整体支出绩效自评指标体系（非官方）",
                                "identical": True, "differences": []}
    assert [f["kind"] for f in edited["flags"]] == ["score_differs", "score_differs", "edited",
                                                   "budget_sum", "budget_sum", "draft"]
    assert edited["flags"][2]["place"].endswith("!F8")
    package = by_path[str(files["duplicate"])]
    assert package["stated"] is None and package["difference"] is None
    assert package["system"]["identical"] is False
    assert {r["path"] for r in data["rejected"]} == {str(files[k]) for k in ("damaged", "foreign",
                                                                            "pdf", "encrypted")}


def test_pdf_summary_has_the_figures(summary):
    from pypdf import PdfReader

    _, _, pdf = summary
    reader = PdfReader(pdf)
    text = "".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) <= 2
    for expected in ("2023年度部门整体支出绩效自评审核汇总", "共审核 5 份自评", "得分分布",
                     "平均重算总分 92.58", EDITED_NAME, "导出后改动了表格"):
        assert expected in text.replace("\n", "")


def test_parallel_and_serial_reviews_agree(folder):
    root, _ = folder
    reference = resolve_system(REFERENCE)
    serial = review_paths([root], reference, workers=1)
    parallel = review_paths([root], reference, workers=2)
    assert [(r.submission.path, r.result.total, r.flags) for r in serial.rows] == \
        [(r.submission.path, r.result.total, r.flags) for r in parallel.rows]
    assert serial.rejected == parallel.rejected


def test_a_system_without_worker_processes_reviews_one_file_after_another(folder, monkeypatch):
    """A Python without named semaphores (or a system without /dev/shm) cannot start a pool:
    the review reads in its own process instead of failing with a traceback."""
    import sys

    root, _ = folder
    reference = resolve_system(REFERENCE)
    serial = review_paths([root], reference, workers=1)
    monkeypatch.setitem(sys.modules, "multiprocessing.synchronize", None)  # import fails
    without = review_paths([root], reference, workers=2)
    assert [(r.submission.path, r.result.total, r.flags) for r in without.rows] == \
        [(r.submission.path, r.result.total, r.flags) for r in serial.rows]
    assert len(without.rows) == 5 and without.rejected == serial.rejected


def test_progress_is_reported_and_cancel_stops(folder):
    root, _ = folder
    seen: list[tuple[int, int]] = []
    review_paths([root], progress=lambda done, total: seen.append((done, total)), workers=1)
    assert seen[0] == (0, 9) and seen[-1] == (9, 9) and len(seen) == 10
    cancel = Cancel.new()

    def stop_after_two(done: int, total: int) -> None:
        if done == 2:
            cancel.set()

    with pytest.raises(Cancelled):
        review_paths([root], progress=stop_after_two, cancel=cancel, workers=2)


def test_text_output_and_a_folder_without_files(tmp_path, capsys, folder):
    root, _ = folder
    assert main(["review", str(root)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "共 5 份自评，4 个文件未能读取"
    assert "[导出后改动了表格] 合计 全年执行数：导出时为“11894.15”，表上为“13000”" in out
    empty = tmp_path / "空"
    empty.mkdir()
    assert main(["review", str(empty)]) == 2
    assert "没有任何文件" in capsys.readouterr().err


def test_a_changed_leaf_score_cell_is_named(tmp_path):
    """A 得分 cell of a computed leaf typed over: the leaf, both scores and the cell."""
    from review_folder import baiyun_raw, edit_visible, export

    data = export(baiyun_raw())
    path = tmp_path / "x.xlsx"
    path.write_bytes(edit_visible(data, {"G24": 8}))
    review = review_paths([path])
    (row,) = review.rows
    assert [(f.message, f.place) for f in row.flags] == [
        ("预算执行率：表上得分 8.00，重算 3.49", "部门整体支出绩效自评表!G24"),
        ("草稿：有 4 处示例文字，不计入平均分和分布", "绩效指标评分")]
    assert row.result.total == Decimal("90.99")


def test_outliers_are_the_few_far_below_the_rest():
    from forms.review import outliers

    d = Decimal
    assert outliers({"甲": d(10), "乙": d(10), "丙": d("9.5"), "丁": d(10), "戊": d(2)}) == ["戊"]
    assert outliers({"甲": d("3.49"), "乙": d("3.49"), "丙": d("3.82"), "丁": d("9.58")}) == []
    assert outliers({"甲": d(0), "乙": d(10), "丙": d(10)}) == []  # too few to say
    assert outliers({k: d(5) for k in "甲乙丙丁戊"}) == []


def test_a_worker_that_dies_costs_only_its_own_file(tmp_path, folder):
    from review_folder import dies_on_broken

    _, files = folder
    for i in range(6):
        shutil.copy(files["clean"], tmp_path / f"{i}.xlsx")
    (tmp_path / "崩溃.xlsx").write_bytes(b"x")
    review = review_paths([tmp_path], workers=2, task=dies_on_broken)
    assert len(review.rows) == 6
    assert [(Path(r.path).name, r.reason) for r in review.rejected] == [
        ("崩溃.xlsx", "读取该文件的进程意外退出（文件可能异常庞大或已损坏），已跳过")]


def test_score_distribution_bands_and_chart_ticks(folder):
    from exports.review_pdf import _nice_step

    root, _ = folder
    review = review_paths([root], workers=1)
    assert review.distribution() == [("60 分以下", 0), ("60–70", 0), ("70–80", 0),
                                     ("80–90", 0), ("90–100", 2)]
    assert [_nice_step(n) for n in (0, 5, 7, 13, 31, 286, 1000)] == [1, 1, 2, 5, 10, 50, 200]
