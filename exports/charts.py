"""The report's two charts, drawn with reportlab.graphics (no extra dependency).

1. 得分与分值: each level-1 and level-2 group's score beside its weight, so a
   reader sees at a glance where points were lost.
2. 预算执行: 全年预算数 beside 全年执行数 for 合计 and each fund source used.

Both are horizontal bar charts whose height grows with their rows: names on the
left never turn or collide, and each row carries one figure at its bar's end.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from forms.budget import effective_total, rate, row_rate
from forms.model import SOURCE_ROWS, Evaluation
from forms.numbers import fmt2, fmt_weight
from forms.report.wording import percent
from forms.scoring import GroupResult, ScoreResult

from .fonts import Coverage, cover_plain

WEIGHT_COLOUR = colors.HexColor("#B8C4D6")
SCORE_COLOUR = colors.HexColor("#1F4E8C")
BUDGET_COLOUR = colors.HexColor("#C9C9C9")
EXECUTED_COLOUR = colors.HexColor("#2E6B3A")


MAX_GROUPS = 12  # beyond this the score chart shows the 一级 groups only
ROW_PT = 22.0  # one category: two bars and the space between categories
BAR_PT = 7.0
FRAME_PT = 62.0  # title above, axis and legend below


def _short(name: str, limit: int = 9) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def chart_height(rows: int) -> float:
    """The height a chart of ``rows`` categories takes: every row keeps its pitch, so the
    names on the left and the figures at the bars' ends never run into each other."""
    return FRAME_PT + ROW_PT * max(rows, 1)


def _chart(width: float, title: str, labels: list[str], series: list[list[float]],
           figures: list[str], names: tuple[str, str], fills: tuple[colors.Color, colors.Color],
           font: str, coverage: Coverage | None) -> Drawing:
    """Bars across, names on the left; one figure per category, at the end of its longer
    bar, so two figures never share a row."""
    height = chart_height(len(labels))
    drawing = Drawing(width, height)
    drawing.initialFontName = font  # else the renderer starts with (unembedded) Helvetica
    drawing.add(String(width / 2, height - 14, cover_plain(title, font, coverage), fontName=font,
                       fontSize=11, textAnchor="middle"))
    chart = HorizontalBarChart()
    chart.x, chart.y = 118, 36
    chart.width, chart.height = width - 118 - 10, height - FRAME_PT + 4
    chart.data = series
    chart.barWidth = BAR_PT
    chart.barSpacing = 0
    chart.groupSpacing = ROW_PT - 2 * BAR_PT
    for i, fill in enumerate(fills):
        chart.bars[i].fillColor = fill
        chart.bars[i].strokeColor = None
    chart.categoryAxis.categoryNames = [cover_plain(n, font, coverage) for n in labels]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.dx = 6 - chart.x  # from the left edge: a 二级 name shows indented
    chart.categoryAxis.labels.boxAnchor = "w"
    chart.categoryAxis.reverseDirection = True  # the first category on top
    chart.valueAxis.valueMin = 0
    top = max((max(s) for s in series if s), default=1.0) or 1.0
    # the longest bar stops short enough for its figure to end inside the drawing
    room = max((stringWidth(f, font, 8) for f in figures), default=0.0) + 10
    chart.valueAxis.valueMax = top * chart.width / max(chart.width - room, chart.width / 3)
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#E0E0E0")
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 8
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.nudge = 4
    chart.barLabelFormat = "values"
    # each row's figure goes at the end of its longer bar, clear of the other
    texts = [cover_plain(f, font, coverage) for f in figures]
    first_longer = [a >= b for a, b in zip(series[0], series[1], strict=True)]
    chart.barLabelArray = [[t if f else "" for t, f in zip(texts, first_longer, strict=True)],
                           [t if not f else "" for t, f in zip(texts, first_longer, strict=True)]]
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width / 2 - 60, 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName = font
    legend.fontSize = 9
    legend.dx = legend.dy = 8
    legend.deltax = 80
    legend.colorNamePairs = [(fills[0], cover_plain(names[0], font, coverage)),
                             (fills[1], cover_plain(names[1], font, coverage))]
    drawing.add(legend)
    return drawing


def chart_groups(result: ScoreResult) -> list[GroupResult]:
    """The groups the score chart shows: 一级 and 二级, or 一级 only when they are many."""
    groups = [g for g in result.groups if g.level <= 2]
    return groups if len(groups) <= MAX_GROUPS else [g for g in groups if g.level == 1]


def score_chart(ev: Evaluation, result: ScoreResult, font: str, width: float,
                coverage: Coverage | None = None) -> Drawing | None:
    """得分 against 分值 for the 一级 (and 二级) groups, a 二级 name indented under its 一级."""
    groups = chart_groups(result)
    if not groups:
        return None
    labels = [("　" if g.level > 1 else "") + _short(g.group.name) for g in groups]
    figures = [f"{fmt2(g.score)} / {fmt_weight(g.group.weight)}" for g in groups]
    return _chart(width, "各级指标得分与分值", labels,
                  [[float(g.group.weight) for g in groups], [float(g.score) for g in groups]],
                  figures, ("分值", "得分"), (WEIGHT_COLOUR, SCORE_COLOUR), font, coverage)


def _budget_figure(executed: Decimal, budget: Decimal) -> str:
    share = rate(executed, budget)
    return f"{fmt2(executed)} / {fmt2(budget)}" + (f"（{percent(share)}）" if share is not None
                                                    else "")


def budget_chart(ev: Evaluation, font: str, width: float,
                 coverage: Coverage | None = None) -> Drawing | None:
    """全年预算数 against 全年执行数, 合计 and the fund sources in use."""
    rows: list[tuple[str, Decimal, Decimal]] = []
    total = effective_total(ev.budget)
    if total.adjusted is None or total.executed is None:
        return None
    rows.append(("合计", total.adjusted, total.executed))
    for key, name in SOURCE_ROWS:
        row = ev.budget.source(key)
        if row.adjusted and row.executed is not None:
            rows.append((_short(name.replace("财政拨款", "")), row.adjusted, row.executed))
    figures = [_budget_figure(executed, budget) for _, budget, executed in rows]
    execution = row_rate(total)
    title = f"预算执行情况（万元，合计执行率 {'—' if execution is None else fmt2(execution)}%）"
    return _chart(width, title, [r[0] for r in rows],
                  [[float(r[1]) for r in rows], [float(r[2]) for r in rows]], figures,
                  ("全年预算数", "全年执行数"), (BUDGET_COLOUR, EXECUTED_COLOUR), font, coverage)
