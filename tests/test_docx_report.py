"""The Word copy read back with python-docx: page, grid, fonts, footers, tables; LibreOffice opens it."""

from __future__ import annotations

import subprocess
from dataclasses import replace
from io import BytesIO

import pytest
from conftest import needs_tool
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from report_text import docx_paragraphs, load

from exports.docx_report import docx_bytes


@pytest.fixture(scope="module")
def seed000():
    return docx_bytes(load("liwan-xiezuo-2023.json"))


def _mm(length) -> float:
    return round(length.mm, 1)


def test_page_margins_and_document_grid(seed000):
    doc = Document(BytesIO(seed000))
    section = doc.sections[0]
    assert (_mm(section.page_width), _mm(section.page_height)) == (210.0, 297.0)
    assert [_mm(m) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                             section.right_margin)] == [37.0, 35.0, 28.0, 26.0]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "linesAndChars"
    assert grid.get(qn("w:linePitch")) == "579" and grid.get(qn("w:charSpace")) == "-848"


def _east_asia(style) -> str:
    return style.element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))


def test_styles_carry_the_east_asian_faces_of_a_gongwen(seed000):
    doc = Document(BytesIO(seed000))
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing.pt == pytest.approx(28.95)
    assert normal.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert _east_asia(normal) == "仿宋_GB2312"
    assert _east_asia(doc.styles["Title"]) == "方正小标宋简体" and doc.styles["Title"].font.size.pt == 22
    assert _east_asia(doc.styles["Heading 1"]) == "黑体"
    assert _east_asia(doc.styles["Heading 2"]) == "楷体_GB2312"
    assert doc.styles["Heading 1"].paragraph_format.keep_with_next
    xml = doc.styles.element.xml
    assert "eastAsiaTheme" not in xml and 'w:eastAsia="en-US"' not in xml
    assert 'w:eastAsia="zh-CN"' in xml
    # headings are headings (the navigation pane shows the outline)
    levels = [(p.style.name, p.text) for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert levels[:3] == [("Heading 1", "一、基本情况"), ("Heading 2", "（一）部门职能"),
                          ("Heading 2", "（二）部门整体收支情况")]


def _field_text(paragraph) -> tuple[str, str]:
    runs = paragraph._p.findall(qn("w:r"))
    instr = "".join(t.text for r in runs for t in r.findall(qn("w:instrText")))
    return paragraph.text, instr


def test_page_numbers_odd_right_even_left_from_a_page_field(seed000):
    doc = Document(BytesIO(seed000))
    assert doc.settings.odd_and_even_pages_header_footer
    section = doc.sections[0]
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    for paragraph, align in ((odd, WD_ALIGN_PARAGRAPH.RIGHT), (even, WD_ALIGN_PARAGRAPH.LEFT)):
        text, instr = _field_text(paragraph)
        assert paragraph.alignment == align
        assert instr.strip() == "PAGE"
        assert text.startswith("— ") and text.endswith(" —")
        fonts = {r.find(qn("w:rPr")).find(qn("w:rFonts")).get(qn("w:eastAsia"))
                 for r in paragraph._p.findall(qn("w:r"))}
        assert fonts == {"宋体"}
        assert {r.font.size.pt for r in paragraph.runs if r.font.size} == {14}
    assert not section.header.paragraphs[0].text  # not a draft


def test_attachments_are_real_tables_with_merges_and_repeated_headers(seed000):
    doc = Document(BytesIO(seed000))
    ev = load("liwan-xiezuo-2023.json")
    assert len(doc.tables) == 3
    head, form, scores = doc.tables
    assert head.cell(0, 0).text == "单位名称" and head.cell(0, 2).text == ev.department.name
    assert head.cell(0, 0)._tc.grid_span == 2
    for table in (form, scores):
        first = table.rows[0]._tr
        assert first.find(qn("w:trPr")).find(qn("w:tblHeader")) is not None
        assert table.rows[1]._tr.find(qn("w:trPr")).find(qn("w:tblHeader")) is None
        assert table.cell(0, 0).text == "一级指标"
        # the 一级 label is one merged cell over all its leaves
        restarts = [tc for tc in table._tbl.iter(qn("w:tc"))
                    if (vm := tc.find(qn("w:tcPr")).find(qn("w:vMerge"))) is not None
                    and vm.get(qn("w:val")) == "restart"]
        assert len(restarts) >= len(ev.system.indicators)
        labels = [table.cell(r, 0).text for r in range(1, 1 + len(ev.system.leaves()))]
        assert labels[0] == labels[1] == ev.system.indicators[0].name  # merged: same cell
    assert form.cell(len(form.rows) - 2, 6).text == "填报日期"
    texts = [c.text for c in form.rows[1].cells]
    assert texts[2] == ev.system.leaves()[0].name


def test_draft_marked_in_every_header(sample):
    leaf = sample.system.leaves()[0].id
    values = dict(sample.values)
    values.pop(leaf)
    doc = Document(BytesIO(docx_bytes(replace(sample, values=values))))
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == "草稿"
    assert section.even_page_header.paragraphs[0].text == "草稿"
    assert not any("未填写" in p for p in docx_paragraphs(docx_bytes(replace(sample,
                                                                            values=values))))


@needs_tool("soffice", "libreoffice-writer-nogui")
def test_libreoffice_opens_it_without_repair(seed000, tmp_path):
    path = tmp_path / "report.docx"
    path.write_bytes(seed000)
    run = subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                          "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    pdf = tmp_path / "report.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=False).stdout
    flat = "".join(text.split())
    assert "一、基本情况" in flat.replace(" ", "") or "一、基本情况" in text.replace(" ", "")
    assert "附件" in text.replace(" ", "")
    # the footer puts the page number's dashes about 7 mm below the text block
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf.read_bytes())
    try:
        page = document[0].get_textpage()
        dashes = [page.get_charbox(i) for i in range(page.count_chars())
                  if page.get_text_range(i, 1) == "—"]
        assert dashes
        mm = 72 / 25.4
        for _, bottom, _, top in dashes:
            assert (35 * mm - (bottom + top) / 2) / mm == pytest.approx(7, abs=1)
    finally:
        document.close()
