"""The 部门整体支出绩效自评报告 as a PDF laid out after GB/T 9704-2012.

A4, margins 37/35/28/26 mm (text block 156 × 225 mm), body in 3号 (15.75 pt)
仿宋 with a leading that puts 22 lines on a page and 28 characters on a line,
title in 2号 (22 pt) centred, headings 一、黑体 /（一）楷体 / 1. 仿宋, page
numbers "— N —" in 4号 7 mm below the text block, odd pages right, even pages
left.  The outline is the one shared by the published reports; the sentences
that restate figures come from ``forms.report_data`` so the report can never
disagree with the tables, and the clerk's texts fill the rest.  Attachments 1
and 2 print the 自评表 and the 指标评分表 from the same rows as the workbook.

Every printed character is checked against its font (``fonts.cover``): none
is silently dropped; what no font has is printed as 〓 and reported in
``Report.replaced``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any, Callable

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.lib import textsplit as _textsplit
from reportlab.platypus import paragraph as _paragraph
from reportlab.platypus import (
    BaseDocTemplate,
    LayoutError,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from forms.model import GOAL_FIELDS, Evaluation
from forms.numbers import fmt2, fmt_weight
from forms.report_data import budget_paragraph, project_sentences, projects_summary, score_sentence
from forms.scoring import ScoreResult, score

from . import fonts
from .charts import budget_chart, score_chart
from .tables import (
    REPORT_TITLE,
    WORKBOOK_TITLE,
    IndicatorRow,
    budget_lines,
    indicator_rows,
    rule_text,
    total_note,
    spans,
)

# GB/T 9704-2012 page geometry
TOP, BOTTOM, LEFT, RIGHT = 37 * mm, 35 * mm, 28 * mm, 26 * mm
BLOCK_W, BLOCK_H = A4[0] - LEFT - RIGHT, A4[1] - TOP - BOTTOM  # 156 × 225 mm
BODY_PT = 15.75  # 3号
TITLE_PT = 22.0  # 2号
PAGE_NO_PT = 14.0  # 4号
LINES = 22
LEADING = BLOCK_H / LINES  # ≈ 28.99 pt: 22 lines fill the block exactly
TABLE_PT = 9.5
CHUNK_ROWS = 30  # indicator rows per attachment table (see _indicator_tables)
EMPTY = "（未填写）"
_FILE_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')

# reportlab's CJK wrapping keeps Japanese closing marks off a line start but not the Chinese
# full-width comma, semicolon, colon and the like: add them (a line never starts with "，").
_CHINESE_CANNOT_START = "，；：。、！？）》」』】”’…%"
for _module in (_paragraph, _textsplit):
    _module.ALL_CANNOT_START = _module.ALL_CANNOT_START + "".join(  # type: ignore[attr-defined]
        ch for ch in _CHINESE_CANNOT_START if ch not in _module.ALL_CANNOT_START)


@dataclass
class Report:
    data: bytes
    pages: int
    replaced: list[str] = field(default_factory=list)  # characters no font could print


def default_report_name(evaluation: Evaluation) -> str:
    dept = _FILE_UNSAFE.sub("", evaluation.department.name).strip() or "未命名单位"
    return f"{dept}{evaluation.department.year}年度{REPORT_TITLE}.pdf"


def report_title(evaluation: Evaluation) -> str:
    return f"{evaluation.department.name}{evaluation.department.year}年度{REPORT_TITLE}"


class _BoldParagraph(Paragraph):
    """A heading in faux bold (fill + stroke), for when 黑体 is not installed.

    With only the bundled face the heading levels would look like body text;
    stroking the outlines keeps the 一、 level visibly heavier without drawing
    the text twice (which would duplicate it in copied or extracted text).
    """

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        original = canvas.beginText

        def begin(*args: Any, **kwargs: Any) -> Any:
            text = original(*args, **kwargs)
            text.setTextRenderMode(2)
            return text

        canvas.saveState()
        canvas.setLineWidth(0.45)
        canvas.beginText = begin
        try:
            super().drawOn(canvas, x, y, _sW)
        finally:
            del canvas.beginText
            canvas.restoreState()


class _Styles:
    def __init__(self) -> None:
        self.body_font = fonts.font_for("body")
        self.hei = fonts.font_for("hei")
        self.kai = fonts.font_for("kai")
        self.title_font = fonts.font_for("title")
        self.fake_bold = self.hei == fonts.BUNDLED
        indent = 2 * BODY_PT
        common = dict(fontSize=BODY_PT, leading=LEADING, wordWrap="CJK", spaceBefore=0,
                      spaceAfter=0)
        self.body = ParagraphStyle("body", fontName=self.body_font, firstLineIndent=indent,
                                   alignment=TA_JUSTIFY, **common)
        self.h1 = ParagraphStyle("h1", fontName=self.hei, firstLineIndent=indent,
                                 alignment=TA_LEFT, **common)
        self.h2 = ParagraphStyle("h2", fontName=self.kai, firstLineIndent=indent,
                                 alignment=TA_LEFT, **common)
        self.h3 = ParagraphStyle("h3", fontName=self.body_font, firstLineIndent=indent,
                                 alignment=TA_LEFT, **common)
        self.title = ParagraphStyle("title", fontName=self.title_font, fontSize=TITLE_PT,
                                    leading=TITLE_PT * 1.5, alignment=TA_CENTER, wordWrap="CJK",
                                    spaceAfter=LEADING)
        self.attach = ParagraphStyle("attach", fontName=self.hei, fontSize=BODY_PT,
                                     leading=LEADING, alignment=TA_LEFT, wordWrap="CJK")
        self.table_title = ParagraphStyle("ttitle", fontName=self.title_font, fontSize=16,
                                          leading=24, alignment=TA_CENTER, wordWrap="CJK",
                                          spaceAfter=4)
        self.sub = ParagraphStyle("sub", fontName=self.body_font, fontSize=11, leading=16,
                                  alignment=TA_CENTER, spaceAfter=6)
        tcommon = dict(fontName=self.body_font, fontSize=TABLE_PT, leading=TABLE_PT * 1.35,
                       wordWrap="CJK")
        self.cell = ParagraphStyle("cell", alignment=TA_LEFT, **tcommon)
        self.cell_c = ParagraphStyle("cellc", alignment=TA_CENTER, **tcommon)
        self.cell_r = ParagraphStyle("cellr", alignment=TA_RIGHT, **tcommon)
        self.cell_h = ParagraphStyle("cellh", alignment=TA_CENTER,
                                     **{**tcommon, "fontName": self.hei})


class _Builder:
    """Collects the story; every text passes through the font coverage check."""

    def __init__(self, ev: Evaluation, result: ScoreResult, split_rows: bool = False):
        self.ev = ev
        self.result = result
        self.split_rows = split_rows
        self.st = _Styles()
        self.coverage = fonts.Coverage()
        self.story: list[Flowable] = []

    def p(self, text: str, style: ParagraphStyle) -> Paragraph:
        markup = fonts.cover(text, style.fontName, self.coverage).replace("\n", "<br/>")
        if style.fontName == self.st.hei and self.st.fake_bold and style.name in ("h1", "attach",
                                                                                  "cellh"):
            return _BoldParagraph(markup, style)
        return Paragraph(markup, style)

    def add(self, text: str, style: ParagraphStyle | None = None) -> None:
        self.story.append(self.p(text, style or self.st.body))

    def texts(self, text: str) -> bool:
        """The clerk's text, one paragraph per line; False when there is none."""
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        for line in lines:
            self.add(line)
        return bool(lines)

    def heading(self, text: str, level: int) -> None:
        style = {1: self.st.h1, 2: self.st.h2, 3: self.st.h3}[level]
        if level == 1:
            # a level-1 heading never ends a page alone
            self.story.append(CondPageBreak(LEADING * 3))
        self.add(text, style)
        if level <= 2:
            self.story[-1]._outline = (text, level - 1)  # a PDF bookmark (see _Doc)

    def section(self, heading: str, level: int, body: str) -> None:
        """A heading with the clerk's text, marked 未填写 when empty (never a bare heading)."""
        self.heading(heading, level)
        if not self.texts(body):
            self.add(EMPTY)

    # ------------------------------------------------------------ the report body

    def build(self) -> None:
        ev, result = self.ev, self.result
        dept = ev.department
        self._title()

        self.heading("一、基本情况", 1)
        self.heading("（一）部门职能", 2)
        if dept.functions:
            self.add(f"{dept.name}的主要职责是：")
            for i, line in enumerate(dept.functions, start=1):
                self.add(f"{i}.{line.strip()}")
        else:
            self.add(EMPTY)
        if dept.divisions.strip():
            self.add("内设机构：" + dept.divisions.strip())
        self.heading("（二）部门整体收支情况", 2)
        self.add(budget_paragraph(ev) or EMPTY)
        self._drawing(budget_chart(ev, self._chart_font(), BLOCK_W, 112, self.coverage))
        self.section("（三）部门整体支出绩效目标", 2, ev.goals.targets)
        self.heading("（四）年度重点工作任务", 2)
        if ev.tasks:
            for i, task in enumerate(ev.tasks, start=1):
                target = f"绩效目标：{task.target.strip()}" if task.target.strip() else ""
                self.add(f"{i}.{task.name.strip() or '（未命名任务）'}。{target}")
        else:
            self.add(EMPTY)

        self.heading("二、综合评价分析", 1)
        self.heading("（一）自评结论", 2)
        self.add(score_sentence(ev, result))
        self.texts(ev.narrative.get("conclusion", ""))
        self._drawing(score_chart(ev, result, self._chart_font(), BLOCK_W, 190, self.coverage))
        self.heading("（二）各重点工作任务绩效目标完成情况", 2)
        wrote = self.texts(ev.narrative.get("task_analysis", ""))
        for i, task in enumerate(ev.tasks, start=1):
            if task.result.strip():
                self.add(f"{i}.{task.name.strip()}：{task.result.strip()}")
                wrote = True
        completion = ev.goals.completion.strip()
        if completion:
            self.add(f"整体绩效目标完成情况：{completion}")
            wrote = True
        if ev.goals.unmet_reason.strip():
            self.add(f"未能完成原因：{ev.goals.unmet_reason.strip()}")
            wrote = True
        if not wrote:
            self.add(EMPTY)
        self.heading("（三）项目支出完成情况", 2)
        summary = projects_summary(ev)
        if summary:
            self.add(summary)
            for i, (sentence, project) in enumerate(zip(project_sentences(ev), ev.projects), start=1):
                extra = project.result.strip()
                self.add(f"{i}.{sentence}{extra}")
        else:
            self.add("本年度无项目支出。" if not ev.projects else EMPTY)
        self.section("（四）主要工作成效", 2, ev.narrative.get("achievements", ""))
        self.heading("（五）管理效率分析", 2)
        wrote = False
        for n, (key, name) in enumerate((("performance_management", "绩效管理"),
                                         ("procurement_management", "采购管理"),
                                         ("asset_management", "资产管理")), start=1):
            text = ev.narrative.get(key, "")
            if text.strip():
                self.heading(f"{n}.{name}", 3)
                self.texts(text)
                wrote = True
        if not wrote:
            self.add(EMPTY)
        self.section("三、存在的主要问题", 1, ev.narrative.get("problems", ""))
        self.section("四、下一步改进措施", 1, ev.narrative.get("measures", ""))
        self._attachment_form()
        self._attachment_scores()

    def _title(self) -> None:
        """Department name, then 年度…报告 on its own line, as the published reports print it."""
        dept = self.ev.department
        title = report_title(self.ev)
        per_line = int(BLOCK_W // TITLE_PT)
        if len(title) > per_line and len(dept.name) <= per_line:
            markup = (fonts.cover(dept.name, self.st.title.fontName, self.coverage) + "<br/>"
                      + fonts.cover(f"{dept.year}年度{REPORT_TITLE}", self.st.title.fontName,
                                    self.coverage))
            self.story.append(Paragraph(markup, self.st.title))
        else:
            self.story.append(self.p(title, self.st.title))

    def _drawing(self, drawing: Flowable | None) -> None:
        if drawing is not None:
            self.story.append(KeepTogether([Spacer(1, 4), drawing, Spacer(1, 4)]))

    def _chart_font(self) -> str:
        # chart labels are short: the bundled sans reads better than 仿宋 at 8 pt
        return fonts.BUNDLED

    # ------------------------------------------------------------ attachments

    def _cell(self, text: str, style: ParagraphStyle | None = None) -> Paragraph:
        return self.p(text, style or self.st.cell)

    def _table(self, rows: list[list[Any]], widths: list[float], extra: list[tuple[Any, ...]],
               header_rows: int = 1) -> Table:
        # splitInRow lets a row taller than a page (a very long deviation text) run onto the
        # next page; it is only used on a second attempt (see build_report) because it
        # also splits ordinary rows at page ends, leaving a header with a sliver of a row.
        table = Table(rows, colWidths=widths, repeatRows=header_rows,
                      splitInRow=1 if self.split_rows else 0)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
            # empty cells are drawn as strings too: never let them pull in Helvetica
            ("FONT", (0, 0), (-1, -1), self.st.body_font, TABLE_PT),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            *extra,
        ]))
        return table

    def _indicator_tables(self, header: list[str], make_row: Callable[[IndicatorRow], list[Any]],
                          widths: list[float]) -> list[Table]:
        """The indicator rows as tables of at most CHUNK_ROWS rows, each with its header.

        One table for a whole system would be re-measured at every page break (quadratic:
        a 1,000-leaf system took 13 s); chunks broken at level-2 groups keep it linear.
        The level-1 and level-2 names are repeated at the top of each chunk.
        """
        c, cc, ch = self._cell, self.st.cell_c, self.st.cell_h
        ind = indicator_rows(self.ev, self.result)
        chunks: list[list[IndicatorRow]] = [[]]
        for a, b in spans([(i.l1_index, i.l2_index) for i in ind]):
            group = ind[a:b + 1]
            while group:
                room = CHUNK_ROWS - len(chunks[-1])
                if room <= 0 or (chunks[-1] and len(group) > room and len(group) <= CHUNK_ROWS):
                    chunks.append([])
                    room = CHUNK_ROWS
                chunks[-1].extend(group[:room])
                group = group[room:]
        tables = []
        for chunk in chunks:
            rows: list[list[Any]] = [[c(t, ch) for t in header]]
            rows += [make_row(item) for item in chunk]
            extra: list[tuple[Any, ...]] = [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2F2F2"))]
            for a, b in spans([i.l1_index for i in chunk]):
                rows[1 + a][0] = c(chunk[a].level1, cc)
                extra.append(("SPAN", (0, 1 + a), (0, 1 + b)))
            for a, b in spans([(i.l1_index, i.l2_index) for i in chunk]):
                rows[1 + a][1] = c(chunk[a].level2, cc)
                extra.append(("SPAN", (1, 1 + a), (1, 1 + b)))
            tables.append(self._table(rows, widths, extra))
        return tables

    def _attachment_form(self) -> None:
        ev, st, result = self.ev, self.st, self.result
        c, cc, cr, ch = self._cell, st.cell_c, st.cell_r, st.cell_h
        self.story.append(PageBreak())
        self.story.append(self.p("附件1", st.attach))
        self.story[-1]._outline = ("附件1 部门整体支出绩效自评表", 0)
        self.story.append(self.p(WORKBOOK_TITLE, st.table_title))
        self.story.append(self.p(f"（{ev.department.year}年度）", st.sub))
        w = BLOCK_W / 156.0  # one millimetre of the text block
        widths = [w * x for x in (16, 18, 30, 18, 18, 11, 13, 32)]
        rows: list[list[Any]] = []
        spans_: list[tuple[Any, ...]] = []

        def merged(r: int, c0: int, c1: int, r1: int | None = None) -> None:
            spans_.append(("SPAN", (c0, r), (c1, r if r1 is None else r1)))

        rows.append([c("单位名称", ch), "", c(ev.department.name)] + [""] * 5)
        merged(0, 0, 1), merged(0, 2, 7)
        for key, label in GOAL_FIELDS:
            r = len(rows)
            rows.append([c(label, ch), "", c(getattr(ev.goals, key) or "—")] + [""] * 5)
            merged(r, 0, 1), merged(r, 2, 7)
        first = len(rows)
        rows.append([c("年度部门整体支出规模（万元）", ch), c("项目", ch), "", c("年初预算数", ch),
                     c("全年预算数", ch), c("全年执行数", ch), "", c("执行率", ch)])
        merged(first, 1, 2), merged(first, 5, 6)
        groups: dict[str, list[int]] = {}
        for line in budget_lines(ev):
            r = len(rows)
            row = line.row
            cells = [c(fmt2(row.initial), cr), c(fmt2(row.adjusted), cr),
                     c(fmt2(row.executed), cr), "",
                     c(f"{fmt2(line.rate)}%" if line.rate is not None else "", cr)]
            if line.group:
                groups.setdefault(line.group, []).append(r)
                rows.append(["", "", c(line.name)] + cells)
            else:
                rows.append(["", c(line.name, ch), ""] + cells)
                merged(r, 1, 2)
            merged(r, 5, 6)
        for group, rs in groups.items():
            rows[rs[0]][1] = c(group, cc)
            merged(rs[0], 1, 1, rs[-1])
        r = len(rows)
        rows.append(["", c("年末结转和结余", ch), "", c(fmt2(ev.budget.carryover), cr)]
                    + [""] * 4)
        merged(r, 1, 2), merged(r, 4, 7)
        merged(first, 0, 0, r)
        self.story.append(self._table(rows, widths, spans_, header_rows=0))

        def leaf_row(item: IndicatorRow) -> list[Any]:
            score_text = "不适用" if item.result.status == "not_applicable" else fmt2(item.result.score)
            return ["", "", c(item.leaf.name), c(item.target_text, cc), c(item.actual_text, cc),
                    c(fmt_weight(item.leaf.weight), cc), c(score_text, cr), c(item.deviation)]

        self.story.extend(self._indicator_tables(
            ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分",
             "偏差原因分析及改进措施"], leaf_row, widths))
        note = total_note(result)
        d = ev.department
        rows = [
            [c("总分", ch), "", "", "", "", c(fmt_weight(ev.system.weight), cc),
             c(fmt2(result.total), cr), c(note)],
            [c("自评等级", ch), "", "", "", "", c(result.grade, ch), "", ""],
            [c("填报人", ch), c(d.preparer), "", c("联系电话", ch), c(d.phone), "",
             c("填报日期", ch), c(d.date)],
            [c("单位负责人", ch), c(d.head), "", c("财务负责人", ch), c(d.finance_head), "", "", ""],
        ]
        spans_ = []
        merged(0, 0, 4)
        merged(1, 0, 4), merged(1, 5, 7)
        merged(2, 1, 2), merged(2, 4, 5)
        merged(3, 1, 2), merged(3, 4, 7)
        self.story.append(self._table(rows, widths, spans_, header_rows=0))

    def _attachment_scores(self) -> None:
        ev, st, result = self.ev, self.st, self.result
        c, cc, cr, ch = self._cell, st.cell_c, st.cell_r, st.cell_h
        self.story.append(PageBreak())
        self.story.append(self.p("附件2", st.attach))
        self.story[-1]._outline = ("附件2 绩效指标评分表", 0)
        self.story.append(self.p("绩效指标评分表", st.table_title))
        self.story.append(self.p(f"（{ev.department.year}年度 {ev.department.name}）", st.sub))
        w = BLOCK_W / 156.0
        widths = [w * x for x in (14, 14, 20, 9, 37, 15, 16, 12, 19)]

        def leaf_row(item: IndicatorRow) -> list[Any]:
            return ["", "", c(item.leaf.name), c(fmt_weight(item.leaf.weight), cc),
                    c(rule_text(item.leaf)), c(item.target_text, cc), c(item.actual_text, cc),
                    c(fmt2(item.result.score), cr), c(item.status_text, cc)]

        self.story.extend(self._indicator_tables(
            ["一级指标", "二级指标", "三级指标", "分值", "评分标准", "指标值", "实际完成值",
             "得分", "状态"], leaf_row, widths))
        total = [[c("总分", ch), "", "", c(fmt_weight(ev.system.weight), cc),
                  c(f"自评等级：{result.grade}", ch), "", "", c(fmt2(result.total), cr), ""]]
        self.story.append(self._table(total, widths, [("SPAN", (0, 0), (2, 0)),
                                                      ("SPAN", (4, 0), (6, 0))], header_rows=0))


def _page_number(canvas: Canvas, doc: BaseDocTemplate) -> None:
    """— N —, 4号, 7 mm below the text block; odd pages right, even pages left (空一字)."""
    number = canvas.getPageNumber()
    text = f"— {number} —"
    canvas.saveState()
    font = fonts.font_for("song")
    canvas.setFont(font, PAGE_NO_PT)
    y = BOTTOM - 7 * mm - PAGE_NO_PT * 0.8
    if number % 2:
        canvas.drawRightString(LEFT + BLOCK_W - PAGE_NO_PT, y, text)
    else:
        canvas.drawString(LEFT + PAGE_NO_PT, y, text)
    canvas.restoreState()


class _Doc(BaseDocTemplate):
    def __init__(self, buffer: BytesIO, title: str, author: str):
        super().__init__(buffer, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP,
                         bottomMargin=BOTTOM, title=title, author=author,
                         subject=REPORT_TITLE, creator="selfeval", invariant=1,
                         initialFontName=fonts.font_for("body"), initialFontSize=BODY_PT)
        frame = Frame(LEFT, BOTTOM, BLOCK_W, BLOCK_H, leftPadding=0, rightPadding=0,
                      topPadding=0, bottomPadding=0, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_page_number)])
        self._bookmarks = 0

    def afterFlowable(self, flowable: Flowable) -> None:
        """Headings and attachments become PDF bookmarks, so a reviewer can jump to them."""
        outline = getattr(flowable, "_outline", None)
        if outline is None:
            return
        text, level = outline
        self._bookmarks += 1
        key = f"h{self._bookmarks}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)


def build_report(evaluation: Evaluation, result: ScoreResult | None = None) -> Report:
    """The report PDF with its page count and the characters no font could print."""
    result = result or score(evaluation)
    try:
        return _build(evaluation, result, split_rows=False)
    except (LayoutError, TypeError):
        # a table row taller than a page: allow rows to split across pages.  (reportlab
        # 4–5 may raise TypeError while composing the LayoutError message for a table.)
        return _build(evaluation, result, split_rows=True)


def _build(evaluation: Evaluation, result: ScoreResult, split_rows: bool) -> Report:
    builder = _Builder(evaluation, result, split_rows)
    builder.build()
    buffer = BytesIO()
    doc = _Doc(buffer, report_title(evaluation), evaluation.department.name)
    doc.build(builder.story)
    return Report(buffer.getvalue(), doc.page, builder.coverage.replaced)


def report_bytes(evaluation: Evaluation) -> bytes:
    """The report as PDF bytes (write them with ``forms.files.write_atomic``)."""
    return build_report(evaluation).data
