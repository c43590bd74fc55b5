"""The 部门整体支出绩效自评报告 as a PDF laid out after GB/T 9704-2012.

A4, margins 37/35/28/26 mm (text block 156 × 225 mm), body in 3号 仿宋 on a grid
of 22 lines × 28 characters, title in 2号 小标宋 centred, headings 一、黑体 /
（一）楷体 / 1. 仿宋 kept with what follows, page numbers "— N —" in 4号 宋体
with the dash 7 mm below the text block, odd pages right, even pages left.

The wording comes from the document model (``exports.report_doc`` over
``forms.report``); this module only sets it.  Lines are broken by
``pdf_text`` (禁则, justified, linear time); tables by ``pdf_table``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer
from reportlab.platypus import PageBreak as RLPageBreak

from forms.model import Evaluation
from forms.report import Chart, Heading, Label, PageBreak, Para, ReportDoc, Table
from forms.report.build import REPORT_TITLE, title_lines
from forms.scoring import ScoreResult, score

from . import fonts
from .cancel import Cancelled, check
from .pdf_table import FormTable
from .pdf_text import Line, Setter
from .report_doc import report_document

# GB/T 9704-2012 page geometry
TOP, BOTTOM, LEFT, RIGHT = 37 * mm, 35 * mm, 28 * mm, 26 * mm
BLOCK_W, BLOCK_H = A4[0] - LEFT - RIGHT, A4[1] - TOP - BOTTOM  # 156 × 225 mm
LINES = 22
LEADING = BLOCK_H / LINES  # ≈ 28.99 pt: 22 lines fill the block exactly
BODY_PT = 15.75  # 3号, 28 characters on a 156 mm line
TITLE_PT = 22.0  # 2号
PAGE_NO_PT = 14.0  # 4号
TABLE_PT = 9.0
TABLE_LEADING = 11.7
DASH_BELOW = 7 * mm  # the page number's dashes, below the text block
DASH_HEIGHT = 0.3  # the dash's middle above the baseline, in ems, when the font cannot tell
_FRAME_SLACK = 0.5  # a frame exactly 22 × LEADING would hold 21 lines (floating point)
# page streams are zlib-compressed; ASCII85 on top only makes them bigger and slower to write
rl_config.useA85 = 0
_FILE_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


@dataclass
class Report:
    data: bytes
    pages: int
    replaced: list[str] = field(default_factory=list)  # characters no font could print
    draft: bool = False


def default_report_name(evaluation: Evaluation, suffix: str = ".pdf",
                        draft: bool | None = None) -> str:
    """…年度部门整体支出绩效自评报告.pdf; （草稿） when the report would be a draft."""
    dept = _FILE_UNSAFE.sub("", evaluation.department.name).strip() or "未命名单位"
    if draft is None:
        from forms.report.build import draft_reasons

        draft = bool(draft_reasons(evaluation, score(evaluation)))
    mark = "（草稿）" if draft else ""
    return f"{dept}{evaluation.department.year}年度{REPORT_TITLE}{mark}{suffix}"


def report_title(evaluation: Evaluation) -> str:
    return "".join(title_lines(evaluation))


class _Line(Flowable):  # type: ignore[misc]
    """One line of text on the grid: height is one line pitch."""

    def __init__(self, setter: Setter, line: Line, height: float, align: str,
                 keep: bool = False, outline: tuple[str, int] | None = None):
        super().__init__()
        self.setter, self.line, self.h, self.align = setter, line, height, align
        self.keepWithNext = keep
        self._outline = outline

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return BLOCK_W, self.h

    def draw(self) -> None:
        size = self.setter.size
        baseline = self.h / 2 - 0.38 * size  # the em box centred on the line
        self.setter.draw(self.canv, 0, baseline, self.line, BLOCK_W, self.align)


class _Writer:
    def __init__(self, doc: ReportDoc, ev: Evaluation, result: ScoreResult,
                 cancelled: Cancelled | None):
        self.doc, self.ev, self.result, self.cancelled = doc, ev, result, cancelled
        self.coverage = fonts.Coverage()
        cov = self.coverage
        body, hei, kai, title = (fonts.font_for(r) for r in ("body", "hei", "kai", "title"))
        self.body = Setter(body, BODY_PT, cov)
        self.h1 = Setter(hei, BODY_PT, cov)
        self.h2 = Setter(kai, BODY_PT, cov)
        self.title = Setter(title, TITLE_PT, cov)
        self.table_title = Setter(title, 16.0, cov)
        self.sub = Setter(body, 11.0, cov)
        self.cell = Setter(body, TABLE_PT, cov)
        self.cell_head = Setter(hei, TABLE_PT, cov)
        self.story: list[Flowable] = []

    def lines(self, setter: Setter, text: str, height: float, align: str, indent: float = 0.0,
              keep: bool = False, outline: tuple[str, int] | None = None) -> None:
        for i, line in enumerate(setter.break_lines(text, BLOCK_W, indent, align == "justify")):
            self.story.append(_Line(setter, line, height, align, keep,
                                    outline if i == 0 else None))

    def build(self) -> list[Flowable]:
        for text in self.doc.title:
            self.lines(self.title, text, LEADING, "center")
        self.story.append(Spacer(BLOCK_W, LEADING))
        indent = 2 * BODY_PT
        for n, block in enumerate(self.doc.blocks):
            if n % 100 == 0:
                check(self.cancelled)
            if isinstance(block, Para):
                self.lines(self.body, block.text, LEADING, "justify", indent)
            elif isinstance(block, Heading):
                setter = {1: self.h1, 2: self.h2}.get(block.level, self.body)
                outline = (block.text, block.level - 1) if block.level <= 2 else None
                self.lines(setter, block.text, LEADING, "left", indent, keep=True,
                           outline=outline)
            elif isinstance(block, Label):
                if block.role == "attachment":
                    self.lines(self.h1, block.text, LEADING, "left", keep=True,
                               outline=(block.text, 0))
                elif block.role == "table_title":
                    self.lines(self.table_title, block.text, 24.0, "center", keep=True)
                else:
                    self.lines(self.sub, block.text, 18.0, "center", keep=True)
            elif isinstance(block, Table):
                self.story.append(FormTable.build(block, self.cell, self.cell_head,
                                                  TABLE_LEADING, BLOCK_H, self.cancelled))
            elif isinstance(block, PageBreak):
                self.story.append(RLPageBreak())
            elif isinstance(block, Chart):
                self._chart(block)
        return self.story

    def _chart(self, block: Chart) -> None:
        from reportlab.platypus import KeepTogether

        from .charts import budget_chart, score_chart

        font = fonts.BUNDLED  # chart labels are short: the sans reads better at 8 pt
        drawing = (budget_chart(self.ev, font, BLOCK_W, self.coverage)
                   if block.kind == "budget" else
                   score_chart(self.ev, self.result, font, BLOCK_W, self.coverage))
        if drawing is not None:
            self.story.append(KeepTogether([drawing, Spacer(BLOCK_W, LEADING / 2)]))


@lru_cache(maxsize=8)
def dash_height(font_name: str) -> float:
    """Where the middle of the font's "—" sits above the baseline, in ems (from its glyph box)."""
    import struct

    from reportlab.pdfbase import pdfmetrics

    try:
        face = pdfmetrics.getFont(font_name).face
        gid = face.charToGlyph[ord("—")]
        start = face.table["glyf"]["offset"] + face.glyphPos[gid]
        _, _, y_min, _, y_max = struct.unpack(">hhhhh", face._ttf_data[start:start + 10])
        middle = (y_min + y_max) / 2 / face.unitsPerEm
        return float(middle) if 0 < middle < 1 else DASH_HEIGHT
    except (KeyError, IndexError, AttributeError, TypeError, struct.error):
        # a font without the glyph, or parsed without its glyph table: the usual place
        return DASH_HEIGHT


def _decorate(draft: bool) -> Any:
    def on_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        """— N —, 4号, its dashes 7 mm below the text block; odd pages right, even left."""
        number = canvas.getPageNumber()
        text = f"— {number} —"
        canvas.saveState()
        font = fonts.font_for("title")
        canvas.setFont(font, PAGE_NO_PT)
        y = BOTTOM - DASH_BELOW - dash_height(font) * PAGE_NO_PT
        if number % 2:
            canvas.drawRightString(LEFT + BLOCK_W - PAGE_NO_PT, y, text)
        else:
            canvas.drawString(LEFT + PAGE_NO_PT, y, text)
        if draft:
            canvas.setFillColor(colors.HexColor("#C00000"))
            canvas.setFont(fonts.font_for("hei"), 16)
            canvas.drawRightString(LEFT + BLOCK_W, A4[1] - TOP + 12 * mm, "草稿")
        canvas.restoreState()
    return on_page


class _Doc(BaseDocTemplate):  # type: ignore[misc]
    def __init__(self, buffer: BytesIO, meta: dict[str, str], draft: bool):
        super().__init__(buffer, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP,
                         bottomMargin=BOTTOM, title=meta.get("title", ""),
                         author=meta.get("author", ""), subject=meta.get("subject", ""),
                         creator="selfeval", invariant=1,
                         initialFontName=fonts.font_for("body"), initialFontSize=BODY_PT)
        frame = Frame(LEFT, BOTTOM - _FRAME_SLACK, BLOCK_W, BLOCK_H + _FRAME_SLACK, leftPadding=0,
                      rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=_decorate(draft))])
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


def render_pdf(doc: ReportDoc, ev: Evaluation, result: ScoreResult,
               cancelled: Cancelled | None = None) -> Report:
    writer = _Writer(doc, ev, result, cancelled)
    story = writer.build()
    buffer = BytesIO()
    pdf = _Doc(buffer, doc.meta, doc.draft)
    pdf.build(story)
    return Report(buffer.getvalue(), pdf.page, writer.coverage.replaced, doc.draft)


def build_report(evaluation: Evaluation, result: ScoreResult | None = None,
                 cancelled: Cancelled | None = None) -> Report:
    """The report PDF with its page count and the characters no font could print.

    ``cancelled`` is asked now and then; when it answers True the build stops
    with ``ExportCancelled``.
    """
    result = result or score(evaluation)
    doc = report_document(evaluation, result, cancelled)
    return render_pdf(doc, evaluation, result, cancelled)


def report_bytes(evaluation: Evaluation) -> bytes:
    """The report as PDF bytes (write them with ``forms.files.write_atomic``)."""
    return build_report(evaluation).data
