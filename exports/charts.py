"""The report's two charts, drawn with reportlab.graphics (no extra dependency).

1. 得分与分值: each level-1 and level-2 group's score beside its weight, so a
   reader sees at a glance where points were lost.
2. 预算执行: 全年预算数 beside 全年执行数 for 合计 and each fund source used.
"""

from __future__ import annotations

from decimal import Decimal

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from forms.budget import effective_total, row_rate
from forms.model import SOURCE_ROWS, Evaluation
from forms.numbers import fmt2
from forms.scoring import ScoreResult

from .fonts import Coverage, cover_plain

WEIGHT_COLOUR = colors.HexColor("#B8C4D6")
SCORE_COLOUR = colors.HexColor("#1F4E8C")
BUDGET_COLOUR = colors.HexColor("#C9C9C9")
EXECUTED_COLOUR = colors.HexColor("#2E6B3A")


def _short(name: str, limit: int = 6) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _chart(width: float, height: float, title: str, labels: list[str], series: list[list[float]],
           names: tuple[str, str], fills: tuple[colors.Color, colors.Color], font: str,
           fmt: str, coverage: Coverage | None, horizontal: bool = False) -> Drawing:
    drawing = Drawing(width, height)
    drawing.initialFontName = font  # else the renderer starts with (unembedded) Helvetica
    drawing.add(String(width / 2, height - 14, cover_plain(title, font, coverage), fontName=font,
                       fontSize=11, textAnchor="middle"))
    chart: VerticalBarChart | HorizontalBarChart
    if horizontal:
        # few categories with long names: bars run across, names sit on the left
        chart = HorizontalBarChart()
        chart.x, chart.y = 110, 30
        chart.width, chart.height = width - 150, height - 56
    else:
        chart = VerticalBarChart()
        chart.x, chart.y = 42, 46
        chart.width, chart.height = width - 60, height - 96
    chart.data = series
    chart.barSpacing = 3  # room between the two value labels of a group
    chart.groupSpacing = 10
    for i, fill in enumerate(fills):
        chart.bars[i].fillColor = fill
        chart.bars[i].strokeColor = None
    chart.categoryAxis.categoryNames = [cover_plain(_short(n), font, coverage) for n in labels]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 8 if len(labels) > 6 else 9
    if horizontal:
        chart.categoryAxis.labels.dx = -4
        chart.categoryAxis.labels.boxAnchor = "e"
        chart.categoryAxis.reverseDirection = True  # 合计 on top
        chart.barLabels.boxAnchor = "w"
    else:
        chart.categoryAxis.labels.dy = -4
    if len(labels) > 6 and not horizontal:
        chart.categoryAxis.labels.angle = 30
        chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.valueMin = 0
    top = max((max(s) for s in series if s), default=1.0) or 1.0
    chart.valueAxis.valueMax = top * 1.18
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#E0E0E0")
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 6.5 if len(labels) > 8 else 7
    chart.barLabels.nudge = 6 if not horizontal else 4
    chart.barLabelFormat = fmt
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width / 2 - 60, 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName = font
    legend.fontSize = 9
    legend.dx = legend.dy = 8
    legend.deltax = 70
    legend.colorNamePairs = [(fills[0], cover_plain(names[0], font, coverage)),
                             (fills[1], cover_plain(names[1], font, coverage))]
    drawing.add(legend)
    return drawing


def score_chart(ev: Evaluation, result: ScoreResult, font: str, width: float, height: float,
                coverage: Coverage | None = None) -> Drawing | None:
    """得分 against 分值 for every level-1 and level-2 group."""
    groups = [g for g in result.groups]
    if not groups:
        return None
    labels = [g.group.name for g in groups]
    weights = [float(g.group.weight) for g in groups]
    scores = [float(g.score) for g in groups]
    return _chart(width, height, "各级指标得分与分值", labels, [weights, scores], ("分值", "得分"),
                  (WEIGHT_COLOUR, SCORE_COLOUR), font, "%.2f", coverage)


def budget_chart(ev: Evaluation, font: str, width: float, height: float,
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
            rows.append((name.replace("财政拨款", ""), row.adjusted, row.executed))
    labels = [r[0] for r in rows]
    execution = row_rate(total)
    title = f"预算执行情况（万元，合计执行率 {'—' if execution is None else fmt2(execution)}%）"
    return _chart(width, height, title, labels,
                  [[float(r[1]) for r in rows], [float(r[2]) for r in rows]],
                  ("全年预算数", "全年执行数"), (BUDGET_COLOUR, EXECUTED_COLOUR), font, "%.2f",
                  coverage, horizontal=True)
