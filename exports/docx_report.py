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
import zipfile
from datetime import datetime, UTC
from io import BytesIO
from collections.abc import Iterable, Iterator
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor

from forms.model import Evaluation
from forms.numbers import clip
from forms.report import Heading, Label, PageBreak, Para, ReportDoc, Table
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
    # 二号 type on the 28-character grid is spread to whole grid cells (Word, WPS, LibreOffice):
    # a 22 pt title would wrap onto a third line
    _off_grid(title.element.get_or_add_pPr())
    for tag in ("w:pBdr",):  # the template's title has a rule under it
        node = title.element.get_or_add_pPr().find(qn(tag))
        if node is not None:
            node.getparent().remove(node)

    _table_styles(styles)

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

_TABLE_TEXT, _TABLE_HEAD = "TableText", "TableHead"
# what follows w:snapToGrid in a paragraph's properties (ECMA-376 CT_PPrBase)
_AFTER_SNAP = ("w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
               "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
               "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr",
               "w:sectPr", "w:pPrChange")


def _off_grid(ppr: Any) -> None:
    """Large type and tables off the document grid: Word, WPS and LibreOffice spread each
    character of a 二号 title over whole cells of the 28-character grid."""
    ppr.insert_element_before(parse_xml(f'<w:snapToGrid {nsdecls("w")} w:val="0"/>'),
                              *_AFTER_SNAP)


def _table_styles(styles: Any) -> None:
    """Paragraph styles of the attachments' cells: 五号-ish 9 pt, off the grid, no indent."""
    from docx.enum.style import WD_STYLE_TYPE

    for name, face in ((_TABLE_TEXT, BODY_FONT), (_TABLE_HEAD, HEI_FONT)):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        _style_font(style, face, TABLE_PT)
        pf = style.paragraph_format
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(int(TABLE_PT * 1.3 * 20) / 20)
        pf.space_before = pf.space_after = Pt(0)
        pf.first_line_indent = Pt(0)
        ppr = style.element.get_or_add_pPr()
        _off_grid(ppr)
        ind = ppr.find(qn("w:ind"))
        if ind is not None:
            ind.set(qn("w:firstLineChars"), "0")


def _cell_xml(text: str, width: int, align: str, head: bool, colspan: int, vmerge: str,
              keep: bool = False) -> str:
    jc = {"center": "center", "right": "right"}.get(align, "left")
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if colspan > 1:
        props += f'<w:gridSpan w:val="{colspan}"/>'
    if vmerge:
        props += f'<w:vMerge w:val="{vmerge}"/>' if vmerge == "restart" else "<w:vMerge/>"
    props += '<w:vAlign w:val="center"/>'
    # the faces, size, pitch and indent are the TableText/TableHead styles' (_setup): a cell
    # names only its style, which keeps a 10,000-row table small and quick to write
    ppr = (f'<w:pPr><w:pStyle w:val="{_TABLE_HEAD if head else _TABLE_TEXT}"/>'
           f'{"<w:keepNext/>" if keep else ""}<w:jc w:val="{jc}"/></w:pPr>')
    paras = []
    for line in (text.split("\n") if text and vmerge != "continue" else [""]):
        run = f'<w:r><w:t xml:space="preserve">{escape(clean(line))}</w:t></w:r>' if line else ""
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
    out = ['<w:tbl><w:tblPr><w:tblW w:w="{sum(twips)}" w:type="dxa"/>'
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

_SEPARATOR = ('<w:p><w:pPr><w:keepNext/><w:snapToGrid w:val="0"/>'
              '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
              '<w:ind w:firstLine="0" w:firstLineChars="0"/></w:pPr>'
              '<w:r><w:rPr><w:sz w:val="2"/></w:rPr><w:t></w:t></w:r></w:p>')
"""A 1 pt paragraph between two tables: Word and LibreOffice join adjacent tables into one,
and a joined table repeats no header row (those must be its first rows)."""


def _run_xml(text: str, rpr: str = "") -> str:
    """One run; tabs and line breaks as Word writes them (python-docx's run.text does the same)."""
    parts = []
    for piece in re.split("([\t\n])", clean(text)):
        if piece == "\t":
            parts.append("<w:tab/>")
        elif piece == "\n":
            parts.append("<w:br/>")
        elif piece:
            parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return f"<w:r>{rpr}{''.join(parts)}</w:r>" if parts else ""


def _para_xml(text: str, style: str = "", *, keep: bool | None = None,
              page_break: bool = False, no_grid: bool = False, no_indent: bool = False,
              align: str = "", east_asia: str = "", half_points: int = 0) -> str:
    """One paragraph as WordprocessingML (children in the schema's order)."""
    ppr = f'<w:pStyle w:val="{style}"/>' if style else ""
    if keep is not None:
        ppr += "<w:keepNext/>" if keep else '<w:keepNext w:val="0"/>'
    if page_break:
        ppr += "<w:pageBreakBefore/>"
    if no_grid:
        ppr += '<w:snapToGrid w:val="0"/>'
    if no_indent:
        ppr += '<w:ind w:firstLine="0" w:firstLineChars="0"/>'
    if align:
        ppr += f'<w:jc w:val="{align}"/>'
    rpr = ""
    if east_asia:
        rpr += (f'<w:rFonts w:ascii="{LATIN_FONT}" w:hAnsi="{LATIN_FONT}" '
                f'w:eastAsia="{east_asia}" w:hint="eastAsia"/>')
    if half_points:
        rpr += f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
    rpr = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{_run_xml(text, rpr)}</w:p>"


def _body_xml(doc: ReportDoc, cancelled: Cancelled | None) -> Iterator[str]:
    """The body's paragraphs and tables as XML text, one block at a time."""
    out = _Out()
    for text in doc.title:
        yield _para_xml(text, "Title")
    yield _para_xml("", "Title", keep=False)
    page_break = False
    for n, block in enumerate(doc.blocks):
        if n % 100 == 0:
            check(cancelled)
        yield from out.take()
        brk = page_break
        if isinstance(block, Para):
            out.append(_para_xml(block.text, page_break=brk))
        elif isinstance(block, Heading):
            out.append(_para_xml(block.text, f"Heading{min(block.level, 3)}", page_break=brk))
        elif isinstance(block, Label):
            if block.role == "attachment":
                out.append(_para_xml(block.text, keep=True, page_break=brk, no_grid=True,
                                     no_indent=True, align="left", east_asia=HEI_FONT))
            elif block.role == "table_title":
                out.append(_para_xml(block.text, keep=True, page_break=brk, no_grid=True,
                                     no_indent=True, align="center", east_asia=TITLE_FONT,
                                     half_points=32))
            else:
                out.append(_para_xml(block.text, keep=True, page_break=brk, no_indent=True,
                                     align="center", half_points=22))
        elif isinstance(block, Table):
            if n and isinstance(doc.blocks[n - 1], Table):
                out.append(_SEPARATOR)
            out.append(_table_xml(block, cancelled))
            continue
        elif isinstance(block, PageBreak):
            page_break = True
            continue
        else:
            continue  # charts are a PDF option; the Word copy is for rewording
        page_break = False
    yield from out.take()


class _Out(list[str]):
    def take(self) -> list[str]:
        taken = list(self)
        self.clear()
        return taken


# The faces a 公文 names, with the name Windows has for each (Word's 仿宋_GB2312 → 仿宋…):
# charset 86 (GB2312) tells Word and WPS they are Chinese faces when none is installed.
_FONT_TABLE = (
    (BODY_FONT, "仿宋", "02010609030101010101", "modern", "fixed"),
    (KAI_FONT, "楷体", "02010609030101010101", "modern", "fixed"),
    (TITLE_FONT, "宋体", "02000000000000000000", "script", "variable"),
    (HEI_FONT, "SimHei", "02010609060101010101", "modern", "fixed"),
    (SONG_FONT, "SimSun", "02010600030101010101", "auto", "variable"),
)
_LATIN_FONTS = (
    (LATIN_FONT, "02020603050405020304", "roman", "variable"),
    ("Calibri", "020F0502020204030204", "swiss", "variable"),
    ("Cambria", "02040503050406030204", "roman", "variable"),
)


def _font_table() -> bytes:
    fonts = []
    for name, alt, panose, family, pitch in _FONT_TABLE:
        fonts.append(f'<w:font w:name="{name}"><w:altName w:val="{alt}"/>'
                     f'<w:panose1 w:val="{panose}"/><w:charset w:val="86"/>'
                     f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>')
    for name, panose, family, pitch in _LATIN_FONTS:
        fonts.append(f'<w:font w:name="{name}"><w:panose1 w:val="{panose}"/>'
                     f'<w:charset w:val="00"/><w:family w:val="{family}"/>'
                     f'<w:pitch w:val="{pitch}"/></w:font>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<w:fonts {nsdecls("w", "r")}>{"".join(fonts)}</w:fonts>').encode()


def _app_properties() -> bytes:
    from importlib.metadata import PackageNotFoundError, version

    try:
        major, minor = (version("selfeval").split(".") + ["0", "0"])[:2]
        app_version = f"{int(major):02d}.{int(''.join(c for c in minor if c.isdigit()) or 0):04d}"
    except (PackageNotFoundError, ValueError):
        app_version = "01.0000"
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            'extended-properties"><Template></Template><TotalTime>0</TotalTime>'
            f'<Application>selfeval</Application><DocSecurity>0</DocSecurity>'
            f'<AppVersion>{app_version}</AppVersion></Properties>').encode()


def _properties(document: Any, meta: dict[str, str]) -> None:
    """What Word shows under 文件 → 信息, and the file's settings, as an office PC writes them.

    python-docx's template says it was made in 2013 on a Macintosh by "python-docx",
    names only Japanese and Latin faces, and carries a blank thumbnail.
    """
    package = document.part.package
    for part in package.iter_parts():
        name = str(part.partname)
        if name == "/word/fontTable.xml":
            part._blob = _font_table()
        elif name == "/docProps/app.xml":
            part._blob = _app_properties()
    for rid, rel in list(package.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package.rels[rid]  # the part goes with its only reference
    settings = document.settings.element
    lang = settings.find(qn("w:themeFontLang"))
    if lang is not None:
        lang.set(qn("w:val"), "en-US")
        lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = settings.find(qn("w:characterSpacingControl"))
    if spacing is not None:
        spacing.set(qn("w:val"), "compressPunctuation")  # Chinese Word's own default
    preview = settings.find(qn("w:savePreviewPicture"))
    if preview is not None:
        settings.remove(preview)
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    core = document.core_properties
    # python-docx refuses core properties longer than 255 characters
    core.title = clip(clean(meta.get("title", "")), 255)
    core.author = clip(clean(meta.get("author", "")), 255)
    core.subject = clip(clean(meta.get("subject", "")), 255)
    core.last_modified_by = core.author
    core.comments = ""
    core.keywords = ""
    core.category = ""
    core.revision = 1
    core.created = now
    core.modified = now




def render_docx(doc: ReportDoc, cancelled: Cancelled | None = None) -> bytes:
    document = Document()
    _setup(document)
    _footers(document, doc.draft)
    body = document.element.body
    # the default template starts with an empty paragraph: keep none of its paragraphs
    for p in list(body.iterchildren(qn("w:p"))):
        body.remove(p)
    _properties(document, doc.meta)
    out = BytesIO()
    document.save(out)
    return _with_body(out.getvalue(), _body_xml(doc, cancelled), cancelled)


def _with_body(package: bytes, body: Iterable[str], cancelled: Cancelled | None) -> bytes:
    """The package with the body's paragraphs and tables written into word/document.xml.

    The body is written as text, never as lxml elements: python-docx's ``add_paragraph``
    looks for the section properties among all the body's children on every call
    (quadratic), moving parsed elements into the document is quadratic in lxml, and an
    element costs far more memory than the text it holds.
    """
    source = zipfile.ZipFile(BytesIO(package))
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != "word/document.xml":
                target.writestr(info, data, zipfile.ZIP_DEFLATED)
                continue
            text = data.decode("utf-8")
            at = text.index("<w:sectPr")
            info.compress_type = zipfile.ZIP_DEFLATED
            # the body is repetitive XML: level 1 is three times quicker, 10% bigger
            info._compresslevel = 1  # type: ignore[attr-defined]
            with target.open(info, "w", force_zip64=True) as stream:
                stream.write(text[:at].encode("utf-8"))
                for piece in body:  # written as made: the body is never held whole
                    stream.write(piece.encode("utf-8"))
                stream.write(text[at:].encode("utf-8"))
    return out.getvalue()


def docx_bytes(evaluation: Evaluation, result: ScoreResult | None = None,
               cancelled: Cancelled | None = None) -> bytes:
    """The Word copy of the report (write it with ``forms.files.write_atomic``)."""
    result = result or score(evaluation)
    return render_docx(report_document(evaluation, result, cancelled), cancelled)


def default_docx_name(evaluation: Evaluation) -> str:
    from .pdf_report import default_report_name

    return default_report_name(evaluation, ".docx")
