"""Budget-execution exports as the budget systems write them (for the import tests)."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook


def _bytes(wb: Workbook) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def by_source_in_yuan() -> bytes:
    """资金来源 rows in 元 under a title saying so, with 调整预算 and 累计支出 headers."""
    wb = Workbook()
    ws = wb.active
    ws.title = "预算执行情况"
    ws["A1"] = "2022年部门预算执行情况表"
    ws["A2"] = "单位：元"
    for col, word in zip("ABCD", ("资金来源", "年初预算", "调整预算", "累计支出")):
        ws[f"{col}3"] = word
    rows = [("合计", 11532500, 11532500, 11043700),
            ("一般公共预算", 11532500, 11532500, 11043700),
            ("政府性基金预算", 0, 0, 0),
            ("基本支出", None, 4914800, 4914800),
            ("项目支出", None, 6617700, 6128900)]
    for r, row in enumerate(rows, 4):
        for c, value in enumerate(row, 1):
            ws.cell(row=r, column=c, value=value)
    return _bytes(wb)


def projects_with_codes(names: list[str]) -> bytes:
    """A project list with 功能科目 codes and a row the evaluation has no project for, in 万元
    with thousands separators as text."""
    wb = Workbook()
    ws = wb.active
    ws.title = "项目"
    for col, word in zip("ABCD", ("科目编码", "项目名称", "预算数（万元）", "执行数（万元）")):
        ws[f"{col}1"] = word
    r = 2
    for i, name in enumerate(names):
        ws.cell(row=r, column=1, value=f"20{i}0101")
        ws.cell(row=r, column=2, value=name)
        ws.cell(row=r, column=3, value=f"{1 + i},{i}50.25")
        ws.cell(row=r, column=4, value=900.5 + i)
        r += 1
    ws.cell(row=r, column=2, value="不在评价中的项目")
    ws.cell(row=r, column=3, value=12)
    ws.cell(row=r, column=4, value=11)
    return _bytes(wb)
