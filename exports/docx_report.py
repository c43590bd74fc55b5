"""The report as an editable Word copy (.docx) with python-docx, from the same document model.

A4, margins 37/35/28/26 mm, Normal 三号 16 pt 仿宋_GB2312 at an exact line pitch
on a document grid of 22 lines × 28 characters (``w:docGrid``); title 二号
方正小标宋简体; headings 一、黑体 / （一）楷体_GB2312 / 1. 仿宋, kept with the
next paragraph; page numbers "— N —" 四号 宋体 from a PAGE field, odd pages
right and even pages left.  East Asian font names go in ``w:eastAsia``: Word
and WPS substitute what is missing.  附件1 and 附件2 are real Word tables with
merged cells and header rows repeated on each page.

Tables are written as XML directly: python-docx's cell access recomputes the
whole grid on each call, which is quadratic for a 300-leaf system.

A label merged down its children (``w:vMerge``) that runs over a page break is
printed on the first page only: Word and WPS repeat header rows, not merged
labels, and where their pages break is unknown here (fonts are substituted), so
the merge cannot be restarted per page as the PDF and the workbook do.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from forms.model import Evaluation
from forms.numbers import clip
from forms.report import Chart, Heading, Label, PageBreak, Para, ReportDoc, Table
from forms.scoring import ScoreResult, score

from .cancel import Cancelled, check
from .report_doc import report_document

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEI_FONT = "黑体"
KAI_FONT = "楷体_GB2312"
SONG_FONT = "宋体"
LATIN_FONT = "Times New Roman"
BODY_PT = 16
LINE_PITCH = 579  # twentieths of a point: 22 lines in 225 mm
CHAR_SPACE = -848  # (15.79 pt pitch − 16 pt) × 4096: 28 characters in 156 mm
TABLE_PT = 9
_MAX_CANT_SPLIT_LINES = 40  # a longer row may run onto the next page (else Word clips it)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def clean(text: str) -> str:
    """Text XML can hold: control characters and lone surrogates dropped."""
    return _ILLEGAL.sub("", text)


def _fonts(rpr: Any, east_asia: str, latin: str = LATIN_FONT) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(attr)) is not None:
            del fonts.attrib[qn(attr)]
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _style_font(style: Any, east_asia: str, size: float, bold: bool = False) -> None:
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = False
    style.font.color.rgb = RGBColor(0, 0, 0)
    _fonts(style.element.get_or_add_rPr(), east_asia)


def _setup(document: Any) -> None:
    styles = document.styles
    # the default template's theme fonts and en-US East Asian language override explicit names
    defaults = document.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        for rpr in defaults.iter(qn("w:rPr")):
            _fonts(rpr, BODY_FONT)
            lang = rpr.find(qn("w:lang"))
            if lang is None:
                lang = OxmlElement("w:lang")
                rpr.append(lang)
            lang.set(qn("w:eastAsia"), "zh-CN")
    for fonts in document.styles.element.iter(qn("w:rFonts")):
        # any theme font left in a style (Heading 4…, Title Char…) would override the names
        if any(fonts.get(qn(a)) is not None for a in ("w:asciiTheme", "w:eastAsiaTheme")):
            _fonts(fonts.getparent(), fonts.get(qn("w:eastAsia")) or BODY_FONT)
    normal = styles["Normal"]
    _style_font(normal, BODY_FONT, BODY_PT)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PITCH / 20)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    pf.first_line_indent = Pt(2 * BODY_PT)
    ppr = normal.element.get_or_add_pPr()
    ind = ppr.find(qn("w:ind"))
    if ind is not None:
        ind.set(qn("w:firstLineChars"), "200")  # two characters, whatever the font size
    for level, (font, bold) in {1: (HEI_FONT, False), 2: (KAI_FONT, False),
                                3: (BODY_FONT, False)}.items():
        style = styles[f"Heading {level}"]
        _style_font(style, font, BODY_PT, bold)
        hpf = style.paragraph_format
        hpf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        hpf.line_spacing = Pt(LINE_PITCH / 20)
        hpf.space_before = Pt(0)
        hpf.space_after = Pt(0)
        hpf.first_line_indent = Pt(2 * BODY_PT)
        hpf.keep_with_next = True
        hpf.alignment = WD_ALIGN_PARAGRAPH.LEFT
    title = styles["Title"]
    _style_font(title, TITLE_FONT, 22)
    tpf = title.paragraph_format
    tpf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    tpf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    tpf.line_spacing = Pt(LINE_PITCH / 20)
    tpf.first_line_indent = Pt(0)
    tpf.space_after = Pt(0)
    tpf.keep_with_next = True
    for tag in ("w:pBdr",):  # the template's title has a rule under it
        node = title.element.get_or_add_pPr().find(qn(tag))
        if node is not None:
            node.getparent().remove(node)

    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(20)
    section.footer_distance = Mm(25.5)  # the dashes 7 mm below the text block (LibreOffice)
    sect = section._sectPr
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        sect.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))


def _page_number(paragraph: Any, right: bool) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if right else WD_ALIGN_PARAGRAPH.LEFT
    pf = paragraph.paragraph_format
    pf.first_line_indent = Pt(0)
    if right:
        pf.right_indent = Pt(14)  # 空一字
    else:
        pf.left_indent = Pt(14)

    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        r.font.size = Pt(14)
        _fonts(r._element.get_or_add_rPr(), SONG_FONT, SONG_FONT)
        return r

    run("— ")
    for kind, instr in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"),
                        ("end", None)):
        r = run()
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            r._element.append(fld)
        elif instr == " PAGE ":
            node = OxmlElement("w:instrText")
            node.set(qn("xml:space"), "preserve")
            node.text = instr
            r._element.append(node)
        else:
            r.text = instr or ""
    run(" —")


def _footers(document: Any, draft: bool) -> None:
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    _page_number(section.footer.paragraphs[0], right=True)
    _page_number(section.even_page_footer.paragraphs[0], right=False)
    if draft:
        for header in (section.header, section.even_page_header):
            p = header.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            p.paragraph_format.first_line_indent = Pt(0)
            r = p.add_run("草稿")
            r.font.size = Pt(16)
            r.font.color.rgb = RGBColor(0xC0, 0, 0)
            _fonts(r._element.get_or_add_rPr(), HEI_FONT)


# ------------------------------------------------------------------ tables

def _cell_xml(text: str, width: int, align: str, head: bool, colspan: int, vmerge: str,
              keep: bool = False) -> str:
    jc = {"center": "center", "right": "right"}.get(align, "left")
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if colspan > 1:
        props += f'<w:gridSpan w:val="{colspan}"/>'
    if vmerge:
        props += f'<w:vMerge w:val="{vmerge}"/>' if vmerge == "restart" else "<w:vMerge/>"
    props += '<w:vAlign w:val="center"/>'
    rpr = (f'<w:rPr><w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" '
           f'w:eastAsia="{HEI_FONT if head else BODY_FONT}" w:hint="eastAsia"/>'
           f'<w:sz w:val="{TABLE_PT * 2}"/><w:szCs w:val="{TABLE_PT * 2}"/></w:rPr>')
    ppr = (f'<w:pPr>{"<w:keepNext/>" if keep else ""}<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" '
           f'w:line="{int(TABLE_PT * 1.3 * 20)}" w:lineRule="exact"/>'
           f'<w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="{jc}"/>{rpr}</w:pPr>')
    paras = []
    for line in (text.split("\n") if text and vmerge != "continue" else [""]):
        run = (f'<w:r>{rpr}<w:t xml:space="preserve">{escape(clean(line))}</w:t></w:r>'
               if line else "")
        paras.append(f"<w:p>{ppr}{run}</w:p>")
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{''.join(paras)}</w:tc>"


def _table_xml(table: Table, cancelled: Cancelled | None) -> str:
    twips = [round(w / 25.4 * 1440) for w in table.widths]
    n_rows = len(table.rows)
    below: dict[tuple[int, int], tuple[int, str]] = {}  # covered by a vertical merge
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            if cell is not None and cell.rowspan > 1:
                for rr in range(r + 1, min(n_rows, r + cell.rowspan)):
                    below[(rr, c)] = (max(1, cell.colspan), "continue")
    out = [f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{sum(twips)}" w:type="dxa"/>'
           '<w:jc w:val="center"/><w:tblBorders>'
           + "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                     for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
           + '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>'
           '<w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
           '</w:tblPr><w:tblGrid>' + "".join(f'<w:gridCol w:w="{w}"/>' for w in twips)
           + "</w:tblGrid>"]
    for r, row in enumerate(table.rows):
        if r % 100 == 0:
            check(cancelled)
        longest = max((cell.text.count("\n") + len(cell.text) // 10 for cell in row
                       if cell is not None), default=0)
        trpr = ""
        if r < table.header_rows:
            trpr += "<w:tblHeader/>"
        if longest < _MAX_CANT_SPLIT_LINES:
            trpr += "<w:cantSplit/>"
        keep = n_rows - table.keep_last - 1 <= r < n_rows - 1 and table.keep_last > 0
        cells = []
        c = 0
        while c < len(row):
            cell = row[c]
            if (r, c) in below:
                span, _ = below[(r, c)]
                width = sum(twips[c:c + span])
                cells.append(_cell_xml("", width, "left", False, span, "continue", keep))
                c += span
                continue
            if cell is None:
                c += 1  # covered by a cell to its left
                continue
            span = max(1, min(cell.colspan, len(row) - c))
            width = sum(twips[c:c + span])
            cells.append(_cell_xml(cell.text, width, cell.align, cell.head, span,
                                   "restart" if cell.rowspan > 1 else "", keep))
            c += span
        out.append(f"<w:tr><w:trPr>{trpr}</w:trPr>{''.join(cells)}</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


# ------------------------------------------------------------------ document

def _separator(document: Any) -> None:
    """A 1 pt paragraph between two tables: Word and LibreOffice join adjacent tables
    into one, and a joined table repeats no header row (those must be its first rows)."""
    p = document.add_paragraph("")
    pf = p.paragraph_format
    pf.first_line_indent = Pt(0)
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(1)
    pf.keep_with_next = True
    p._p.get_or_add_pPr().append(parse_xml(f'<w:snapToGrid {nsdecls("w")} w:val="0"/>'))
    run = p.add_run("")
    run.font.size = Pt(1)


def render_docx(doc: ReportDoc, cancelled: Cancelled | None = None) -> bytes:
    document = Document()
    _setup(document)
    _footers(document, doc.draft)
    body = document.element.body
    # the default template starts with an empty paragraph: reuse none, append after it
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    for text in doc.title:
        document.add_paragraph(clean(text), style="Title")
    blank = document.add_paragraph("", style="Title")
    blank.paragraph_format.keep_with_next = False
    page_break_pending = False
    for n, block in enumerate(doc.blocks):
        if n % 100 == 0:
            check(cancelled)
        if isinstance(block, Para):
            p = document.add_paragraph(clean(block.text))
        elif isinstance(block, Heading):
            p = document.add_paragraph(clean(block.text), style=f"Heading {min(block.level, 3)}")
        elif isinstance(block, Label):
            p = document.add_paragraph(clean(block.text))
            pf = p.paragraph_format
            pf.first_line_indent = Pt(0)
            pf.keep_with_next = True
            run = p.runs[0] if p.runs else p.add_run("")
            if block.role == "attachment":
                pf.alignment = WD_ALIGN_PARAGRAPH.LEFT
                _fonts(run._element.get_or_add_rPr(), HEI_FONT)
            elif block.role == "table_title":
                pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run.font.size = Pt(16)
                _fonts(run._element.get_or_add_rPr(), TITLE_FONT)
            else:
                pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
                run.font.size = Pt(11)
        elif isinstance(block, Table):
            if n and isinstance(doc.blocks[n - 1], Table):
                _separator(document)
            body.find(qn("w:sectPr")).addprevious(parse_xml(_table_xml(block, cancelled)))
            continue
        elif isinstance(block, PageBreak):
            page_break_pending = True
            continue
        elif isinstance(block, Chart):
            continue  # charts are a PDF option; the Word copy is for rewording
        else:
            continue
        if page_break_pending:
            p.paragraph_format.page_break_before = True
            page_break_pending = False
    # Word's core properties hold at most 255 characters (python-docx refuses more)
    document.core_properties.title = clip(clean(doc.meta.get("title", "")), 255)
    document.core_properties.author = clip(clean(doc.meta.get("author", "")), 255)
    document.core_properties.subject = clip(clean(doc.meta.get("subject", "")), 255)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def docx_bytes(evaluation: Evaluation, result: ScoreResult | None = None,
               cancelled: Cancelled | None = None) -> bytes:
    """The Word copy of the report (write it with ``forms.files.write_atomic``)."""
    result = result or score(evaluation)
    return render_docx(report_document(evaluation, result, cancelled), cancelled)


def default_docx_name(evaluation: Evaluation) -> str:
    from .pdf_report import default_report_name

    return default_report_name(evaluation, ".docx")
