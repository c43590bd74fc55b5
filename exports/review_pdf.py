"""A short PDF summary of a review: the figures, the score distribution chart, the flags.

Two or three A4 pages for the bureau's leaders; the summary workbook holds
the detail.  ``summary_pdf_bytes(review)`` returns the PDF as bytes.
"""

from __future__ import annotations

import math
from io import BytesIO

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from forms.numbers import clip, fmt2, fmt_rate
from forms.review import FLAG_NAMES, Review

from .charts import SCORE_COLOUR
from .fonts import cover, cover_plain, font_for
from .review_workbook import SUMMARY_MARK, flag_summary, title_of

LISTED = 40  # submissions with flags listed by name; the workbook has them all
CELL_CHARS = 300  # a name cut to this many characters still fits a table row on one page


def _nice_step(top: int) -> int:
    """A tick step of 1, 2 or 5 × 10ⁿ giving at most about six ticks."""
    step = 1
    while top / step > 6:
        for factor in (2, 5 / 2, 2):  # 1 → 2 → 5 → 10 → 20 → 50 …
            step = int(step * factor)
            if top / step <= 6:
                break
    return step


def distribution_chart(review: Review, font: str, width: float, height: float) -> Drawing:
    counts = review.distribution()
    drawing = Drawing(width, height)
    drawing.initialFontName = font
    drawing.add(String(width / 2, height - 14, cover_plain("得分分布（份数）", font), fontName=font,
                       fontSize=11, textAnchor="middle"))
    chart = VerticalBarChart()
    chart.x, chart.y = 40, 30
    chart.width, chart.height = width - 60, height - 60
    chart.data = [[float(n) for _, n in counts]]
    chart.bars[0].fillColor = SCORE_COLOUR
    chart.bars[0].strokeColor = None
    chart.categoryAxis.categoryNames = [cover_plain(label, font) for label, _ in counts]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 9
    chart.categoryAxis.labels.dy = -4
    top = max((n for _, n in counts), default=0)
    chart.valueAxis.valueMin = 0
    step = _nice_step(top)
    chart.valueAxis.valueStep = step
    chart.valueAxis.valueMax = math.ceil(max(1, top) * 1.12 / step) * step  # room for the label
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.labelTextFormat = "%d"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#E0E0E0")
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 9
    chart.barLabels.nudge = 7
    chart.barLabelFormat = "%d"
    drawing.add(chart)
    return drawing


def summary_pdf_bytes(review: Review) -> bytes:
    body, hei = font_for("body"), font_for("hei")
    title_style = ParagraphStyle("t", fontName=font_for("title"), fontSize=18, leading=26,
                                 alignment=1, spaceAfter=6)
    head = ParagraphStyle("h", fontName=hei, fontSize=13, leading=20, spaceBefore=8, spaceAfter=4)
    text = ParagraphStyle("b", fontName=body, fontSize=11, leading=17)
    cell = ParagraphStyle("c", fontName=body, fontSize=9, leading=12)

    def p(value: str, style: ParagraphStyle = text) -> Paragraph:
        return Paragraph(cover(value, style.fontName), style)

    story: list[Flowable] = [p(title_of(review), title_style)]
    grades = "，".join(f"{g} {n} 份" for g, n in review.grade_counts())
    story.append(p(f"共审核 {len(review.rows)} 份自评"
                   + (f"，另有 {len(review.rejected)} 个文件不是自评或无法读取" if review.rejected else "")
                   + f"。按重算总分：{grades or '无'}。"
                   + f"平均重算总分 {fmt2(review.average_total) or '—'} 分，"
                   + f"平均预算执行率 {fmt_rate(review.average_execution) or '—'}"
                   + f"{review.excluded_text}。"
                   + (f"参考指标体系：{review.reference}。" if review.reference else "")))
    width = A4[0] - 40 * mm
    story.append(Spacer(1, 4 * mm))
    story.append(distribution_chart(review, body, width, 62 * mm))
    story.append(p("问题标记", head))
    counts = [[p("问题", cell), p("涉及份数", cell)]] + \
        [[p(FLAG_NAMES[k], cell), p(str(n), cell)] for k, n in review.flag_counts()]
    story.append(_table(counts, [width * 0.7, width * 0.3]))
    flagged = [r for r in review.rows if r.flags]
    if flagged:
        story.append(p(f"有问题标记的自评（{len(flagged)} 份"
                       + (f"，列出得分最高的 {LISTED} 份" if len(flagged) > LISTED else "") + "）", head))
        rows = [[p(h, cell) for h in ("单位名称", "年度", "表上总分", "重算总分", "问题标记")]]
        for r in flagged[:LISTED]:
            # a row must fit on a page: long names and flag lists are cut (the workbook has all)
            rows.append([p(clip(r.department or "（未填写）", CELL_CHARS), cell), p(str(r.year), cell),
                         p(fmt2(r.stated_total) or "—", cell), p(fmt2(r.result.total), cell),
                         p(clip(flag_summary(r), 2 * CELL_CHARS), cell)])
        story.append(_table(rows, [width * w for w in (0.3, 0.08, 0.12, 0.12, 0.38)]))
    story.append(p("各份自评的全部数据、问题的具体位置和各指标得分见审核汇总表（Excel）。", text))
    buffer = BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm,
                            topMargin=20 * mm, bottomMargin=20 * mm, title=title_of(review),
                            author="selfeval", keywords=SUMMARY_MARK)
    doc.build(story)
    return buffer.getvalue()


def _table(rows: list[list[Paragraph]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table
