"""Three bureau templates of different shapes, built as the seeds' 附件 lay their tables out.

- ``merged_headers``: 附件1's 自评表 — a title over the width, 单位名称 and 年度 slots
  merged across columns, 年度预算执行情况（万元） merged over its three sub-headers, header
  cells merged over two rows, the goals block and 自评得分/等级 slots.
- ``three_levels``: 附件2's indicator block — 一级/二级 names merged down their rows,
  分值 | 指标值 | 实际完成值 | 得分 | 偏差原因, a 总分 row; a second sheet named like
  a bureau's cover with 单位 values *below* their labels.
- ``with_formulas``: a budget table whose 合计 and 执行率 are the template's own formulas,
  amounts in 元, landscape print set-up with print titles, a protected sheet and a data
  validation: all of it must survive the filling untouched.
"""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from forms.model import Evaluation
from forms.scoring import score
from exports.tables import indicator_rows, spans


def _bytes(wb: Workbook) -> bytes:
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def merged_headers() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    ws["A1"] = "部门整体支出绩效自评表"
    ws.merge_cells("A1:G1")
    ws["A1"].font = Font(name="方正小标宋简体", size=18)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws["A2"] = "单位名称"
    ws.merge_cells("B2:D2")
    ws["E2"] = "年度"
    ws.merge_cells("F2:G2")
    ws["A3"] = "资金来源"
    ws.merge_cells("A3:A4")
    ws["B3"] = "年度预算执行情况（万元）"
    ws.merge_cells("B3:D3")
    ws["E3"] = "执行率"
    ws.merge_cells("E3:E4")
    ws["F3"] = "分值"
    ws.merge_cells("F3:F4")
    ws["G3"] = "得分"
    ws.merge_cells("G3:G4")
    for col, word in zip("BCD", ("年初预算数", "全年预算数", "全年执行数")):
        ws[f"{col}4"] = word
    for row, name in enumerate(("合计", "一般公共预算财政拨款", "政府性基金预算", "其他资金"), 5):
        ws[f"A{row}"] = name
    ws["B9"] = "预期目标"
    ws.merge_cells("B9:D9")
    ws["E9"] = "实际完成情况"
    ws.merge_cells("E9:G9")
    ws["A10"] = "年度总体目标"
    ws.merge_cells("B10:D10")
    ws.merge_cells("E10:G10")
    ws["A11"] = "自评得分"
    ws["C11"] = "自评等级"
    ws["A12"] = "填报人："
    ws["C12"] = "联系电话："
    ws["A3"].fill = PatternFill("solid", fgColor="DDDDDD")
    ws.column_dimensions["A"].width = 24
    return _bytes(wb)


def three_levels(evaluation: Evaluation) -> bytes:
    """The indicator block for ``evaluation``'s system (names as the bureau printed them)."""
    wb = Workbook()
    cover = wb.active
    cover.title = "封面"
    for col, word in zip("ABC", ("单位名称", "年度", "总分")):
        cover[f"{col}1"] = word
    ws = wb.create_sheet("指标评分")
    headers = ("一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "得分",
               "偏差原因分析及改进措施")
    for col, word in enumerate(headers, 1):
        ws.cell(row=1, column=col, value=word)
    rows = indicator_rows(evaluation, score(evaluation))
    for i, row in enumerate(rows):
        ws.cell(row=2 + i, column=3, value=row.leaf.name)
    for level in (1, 2):
        for first, last in spans([row.key_at(level) for row in rows]):
            ws.cell(row=2 + first, column=level, value=rows[first].name_at(level))
            if last > first:
                ws.merge_cells(start_row=2 + first, start_column=level, end_row=2 + last,
                               end_column=level)
    r = 2 + len(rows)
    ws.cell(row=r, column=1, value="总分")
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
    return _bytes(wb)


def with_formulas() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "预算执行"
    ws["A1"] = "预算单位"
    for col, word in zip("ABCD", ("资金来源", "全年预算数（元）", "执行数（元）", "执行率")):
        ws[f"{col}3"] = word
    for row, name in enumerate(("合计", "一般公共预算财政拨款", "政府性基金预算财政拨款",
                                "其他资金"), 4):
        ws[f"A{row}"] = name
        ws[f"D{row}"] = f"=IF(B{row}=0,\"\",C{row}/B{row})"
        ws[f"D{row}"].number_format = "0.0%"
    ws["B4"] = "=SUM(B5:B7)"
    ws["C4"] = "=SUM(C5:C7)"
    ws["A9"] = "自评得分"
    ws["C9"] = "=IF(B9>=90,\"优\",IF(B9>=80,\"良\",\"中\"))"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "3:3"
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = 0.4
    ws.oddFooter.center.text = "第 &P 页"
    dv = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0")
    ws.add_data_validation(dv)
    dv.add("B5:C7")
    ws.protection.sheet = True
    ws.protection.password = "1234"
    return _bytes(wb)
