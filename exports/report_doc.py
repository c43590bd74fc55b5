"""The report's document with its attachments: 附件1 自评表 and 附件2 绩效指标评分表.

The body comes from ``forms.report``; the attachment tables are built here from
the same rows as the workbook (``exports.tables``), as model tables with merged
cells, so the PDF and the Word copy print them alike.
"""

from __future__ import annotations

from collections.abc import Callable

from forms.model import GOAL_FIELDS, Evaluation
from forms.numbers import fmt2, fmt_weight
from forms.report import Block, Cell, Label, PageBreak, ReportDoc, Table, build_document
from forms.report.outline import report_options
from forms.report.wording import percent
from forms.scoring import NOT_APPLICABLE, ScoreResult, score

from .cancel import Cancelled, check
from .tables import (
    WORKBOOK_TITLE,
    IndicatorRow,
    budget_lines,
    group_levels,
    indicator_rows,
    level_headers,
    rule_text,
    spans,
    total_note,
)

Grid = list[list[Cell | None]]
# column widths (mm) keep 一级指标, 实际完成值 and 填报日期 on one line at 9 pt
FORM_WIDTHS = (18.0, 16.0, 26.0, 18.0, 19.0, 11.0, 15.0, 33.0)
SCORE_WIDTHS = (15.0, 15.0, 19.0, 9.0, 34.0, 15.0, 18.0, 12.0, 19.0)
# by the number of group columns: the group and leaf columns, then the rest of the row;
# a deeper system takes its columns from the leaf and the widest text column
LevelWidths = dict[int, tuple[tuple[float, ...], tuple[float, ...]]]
FORM_LEVEL_WIDTHS: LevelWidths = {
    1: ((18.0, 36.0), (18.0, 19.0, 11.0, 15.0, 39.0)),
    2: ((18.0, 16.0, 26.0), FORM_WIDTHS[3:]),
    3: ((18.0, 15.0, 15.0, 20.0), (18.0, 19.0, 11.0, 15.0, 25.0)),
}
SCORE_LEVEL_WIDTHS: LevelWidths = {
    1: ((15.0, 34.0), SCORE_WIDTHS[3:]),
    2: (SCORE_WIDTHS[:3], SCORE_WIDTHS[3:]),
    3: ((15.0, 15.0, 15.0, 17.0), (9.0, 28.0, 15.0, 18.0, 12.0, 12.0)),
}


def level_widths(table: LevelWidths, levels: int) -> tuple[float, ...]:
    names, rest = table[min(max(levels, 1), 3)]
    return names + rest


def _h(text: str, colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, "center", True, colspan, rowspan)


def _c(text: str, align: str = "left", colspan: int = 1, rowspan: int = 1) -> Cell:
    return Cell(text, align, False, colspan, rowspan)  # type: ignore[arg-type]


def _row(n: int, *cells: tuple[int, Cell]) -> list[Cell | None]:
    row: list[Cell | None] = [None] * n
    for col, cell in cells:
        row[col] = cell
    return row


def _indicators(items: list[IndicatorRow], header: list[str],
                make: Callable[[IndicatorRow], list[Cell | None]], widths: tuple[float, ...],
                footer: Grid, cancelled: Cancelled | None) -> Table:
    """The indicator rows under ``header``: one column per group level, each label
    merged down the rows of its children."""
    n = len(widths)
    levels = group_levels(items)
    rows: Grid = [[_h(t) for t in header]]
    body_start = len(rows)
    for i, item in enumerate(items):
        if i % 200 == 0:
            check(cancelled)
        groups: list[Cell | None] = [None] * levels  # filled by the merges below
        rows.append(groups + make(item))
    for level in range(1, levels + 1):
        for a, b in spans([i.key_at(level) for i in items]):
            rows[body_start + a][level - 1] = _c(items[a].name_at(level), "center",
                                                 rowspan=b - a + 1)
    rows += footer
    assert all(len(r) == n for r in rows)
    return Table(widths, tuple(tuple(r) for r in rows), header_rows=1, keep_last=len(footer))


def _form_head(ev: Evaluation) -> Table:
    n = 8
    rows: Grid = [_row(n, (0, _h("单位名称", 2)), (2, _c(ev.department.name, colspan=6)))]
    for key, label in GOAL_FIELDS:
        rows.append(_row(n, (0, _h(label, 2)), (2, _c(getattr(ev.goals, key) or "—", colspan=6))))
    first = len(rows)
    rows.append(_row(n, (1, _h("项目", 2)), (3, _h("年初预算数")), (4, _h("全年预算数")),
                     (5, _h("全年执行数", 2)), (7, _h("执行率"))))
    lines = budget_lines(ev)
    places = report_options(ev).style.rate_places
    groups: dict[str, list[int]] = {}
    for line in lines:
        r = len(rows)
        row = line.row
        figures = [(3, _c(fmt2(row.initial), "right")), (4, _c(fmt2(row.adjusted), "right")),
                   (5, _c(fmt2(row.executed), "right", colspan=2)),
                   (7, _c(percent(line.rate, places) if line.rate is not None else "", "right"))]
        if line.group:
            groups.setdefault(line.group, []).append(r)
            rows.append(_row(n, (2, _c(line.name)), *figures))
        else:
            rows.append(_row(n, (1, _h(line.name, 2)), *figures))
    for group, rs in groups.items():
        rows[rs[0]][1] = _c(group, "center", rowspan=len(rs))
    rows.append(_row(n, (1, _h("年末结转和结余", 2)),
                     (3, _c(fmt2(ev.budget.carryover), "right", colspan=5))))
    rows[first][0] = _h("年度部门整体支出规模（万元）", rowspan=len(rows) - first)
    return Table(FORM_WIDTHS, tuple(tuple(r) for r in rows))


def _score_text(item: IndicatorRow) -> str:
    return "不适用" if item.result.status == NOT_APPLICABLE else fmt2(item.result.score)


def attachment_blocks(ev: Evaluation, result: ScoreResult,
                      cancelled: Cancelled | None = None) -> list[Block]:
    d = ev.department
    out: list[Block] = [PageBreak(), Label("附件1", "attachment"),
                        Label(WORKBOOK_TITLE, "table_title"),
                        Label(f"（{d.year}年度）", "table_sub"), _form_head(ev)]

    items = indicator_rows(ev, result)
    levels = group_levels(items)
    names = level_headers(levels)

    def form_row(item: IndicatorRow) -> list[Cell | None]:
        return [_c(item.leaf.name), _c(item.target_text, "center"),
                _c(item.actual_text, "center"), _c(fmt_weight(item.leaf.weight), "center"),
                _c(_score_text(item), "right"), _c(item.deviation)]

    widths = level_widths(FORM_LEVEL_WIDTHS, levels)
    n = len(widths)
    note = total_note(result)
    # the sign-off keeps its place at the right edge; the names take what the levels leave
    footer: Grid = [
        _row(n, (0, _h("总分", n - 3)), (n - 3, _c(fmt_weight(ev.system.weight), "center")),
             (n - 2, _c(fmt2(result.total), "right")), (n - 1, _c(note))),
        _row(n, (0, _h("自评等级", n - 3)), (n - 3, _h(result.grade, 3))),
        _row(n, (0, _h("填报人")), (1, _c(d.preparer, colspan=n - 6)), (n - 5, _h("联系电话")),
             (n - 4, _c(d.phone, colspan=2)), (n - 2, _h("填报日期")), (n - 1, _c(d.date))),
        _row(n, (0, _h("单位负责人")), (1, _c(d.head, colspan=n - 6)), (n - 5, _h("财务负责人")),
             (n - 4, _c(d.finance_head, colspan=4))),
    ]
    out.append(_indicators(items, names + ["指标值", "实际完成值", "分值", "得分",
                                           "偏差原因分析及改进措施"],
                           form_row, widths, footer, cancelled))
    out += [PageBreak(), Label("附件2", "attachment"), Label("绩效指标评分表", "table_title"),
            Label(f"（{d.year}年度 {d.name}）", "table_sub")]

    # 状态 only when some leaf is not plainly scored: no always-empty column
    with_status = any(item.note for item in items)

    def score_row(item: IndicatorRow) -> list[Cell | None]:
        row: list[Cell | None] = [
            _c(item.leaf.name), _c(fmt_weight(item.leaf.weight), "center"),
            _c(rule_text(item.leaf)), _c(item.target_text, "center"),
            _c(item.actual_text, "center"), _c(_score_text(item), "right")]
        return row + [_c(item.note, "center")] if with_status else row

    widths = level_widths(SCORE_LEVEL_WIDTHS, levels)
    if not with_status:  # the 状态 column's width goes to 评分标准
        criteria = levels + 2
        widths = widths[:criteria] + (widths[criteria] + widths[-1],) + widths[criteria + 1:-1]
    n = len(widths)
    note = total_note(result)
    total_cells = [(0, _h("总分", levels + 1)),
                   (levels + 1, _c(fmt_weight(ev.system.weight), "center")),
                   (levels + 2, _h(f"自评等级：{result.grade}", 3)),
                   (levels + 5, _c(fmt2(result.total), "right"))]
    if with_status:
        total_cells.append((n - 1, _c(note)))
    total: Grid = [_row(n, *total_cells)]
    if not with_status and note:  # the rescaling note still beside the total
        total.append(_row(n, (0, _h("说明", levels + 1)), (levels + 1, _c(note, colspan=n - levels - 1))))
    head = ["分值", "评分标准", "指标值", "实际完成值", "得分"] + (["状态"] if with_status else [])
    out.append(_indicators(items, names + head, score_row, widths, total, cancelled))
    return out


def report_document(ev: Evaluation, result: ScoreResult | None = None,
                    cancelled: Cancelled | None = None) -> ReportDoc:
    """The report both writers print: body from ``forms.report``, attachments from here."""
    check(cancelled)
    result = result or score(ev)
    return build_document(ev, result, lambda e, r: attachment_blocks(e, r, cancelled))
