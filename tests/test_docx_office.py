"""The Word copy as an office PC makes it: properties, font table, grid, and linear writing.

Read from the package's XML: what Word and WPS show under 文件 → 信息, which faces they
substitute (the font table and its alternates), and the title off the 28-character grid,
so a 二号 title keeps its two lines; and the writer's time and memory with huge texts.
"""

from __future__ import annotations

import io
import itertools
import re
import time
import tracemalloc
import zipfile
from dataclasses import replace
from datetime import datetime, timedelta, UTC
from decimal import Decimal

import pytest
from fuzz_budget import cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from conftest import needs_tool
from docx.oxml.ns import qn
from lxml import etree
from report_text import load

from exports.docx_report import clean, docx_bytes
from forms.model import NARRATIVE_FIELDS, Project, Task

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def package():
    data = docx_bytes(load("liwan-xiezuo-2023.json"))
    return zipfile.ZipFile(io.BytesIO(data))


def _xml(package, name):
    return etree.fromstring(package.read(name))


def test_font_table_names_the_gongwen_faces_with_their_windows_names(package):
    fonts = {f.get(qn("w:name")): f for f in _xml(package, "word/fontTable.xml")}
    expected = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体",
                "黑体": "SimHei", "宋体": "SimSun"}
    for name, alternate in expected.items():
        font = fonts[name]
        assert font.find(qn("w:altName")).get(qn("w:val")) == alternate
        assert font.find(qn("w:charset")).get(qn("w:val")) == "86"
    # every East Asian face the document names is in the table
    named = set(re.findall(r'w:eastAsia="([^"]+)"',
                           (package.read("word/document.xml") + package.read("word/styles.xml")
                            ).decode()))
    assert named - {"zh-CN"} <= set(fonts), named - set(fonts)
    # the template's Japanese faces are gone
    assert not any("ＭＳ" in name or "Mincho" in name for name in fonts)


def test_settings_say_chinese_and_compress_punctuation(package):
    settings = _xml(package, "word/settings.xml")
    lang = settings.find(qn("w:themeFontLang"))
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    assert settings.find(qn("w:characterSpacingControl")).get(qn("w:val")) == \
        "compressPunctuation"


def test_properties_name_selfeval_and_the_real_time_without_a_thumbnail(package):
    names = package.namelist()
    assert not any("thumbnail" in n for n in names)
    assert b"thumbnail" not in package.read("_rels/.rels")
    assert b"thumbnail" not in package.read("[Content_Types].xml")
    app = package.read("docProps/app.xml").decode()
    assert "<Application>selfeval</Application>" in app
    assert "Macintosh" not in app and "Microsoft" not in app
    core = package.read("docProps/core.xml").decode()
    assert "python-docx" not in core
    created = re.search(r"<dcterms:created[^>]*>([^<]+)<", core).group(1)
    when = datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - when) < timedelta(hours=1)
    assert "<dc:title>广州市荔湾区协作办公室2023年度部门整体支出绩效自评报告</dc:title>" in core


def test_title_and_attachment_titles_are_off_the_character_grid(package):
    styles = _xml(package, "word/styles.xml")
    title = next(s for s in styles.iter(qn("w:style")) if s.get(qn("w:styleId")) == "Title")
    snap = title.find(qn("w:pPr")).find(qn("w:snapToGrid"))
    assert snap is not None and snap.get(qn("w:val")) == "0"
    body = _xml(package, "word/document.xml").find(qn("w:body"))
    off_grid = []
    for p in body.iterchildren(qn("w:p")):
        text = "".join(t.text or "" for t in p.iter(qn("w:t")))
        ppr = p.find(qn("w:pPr"))
        snap = ppr.find(qn("w:snapToGrid")) if ppr is not None else None
        if snap is not None and snap.get(qn("w:val")) == "0":
            off_grid.append(text)
    assert "附件1" in off_grid and "附件2" in off_grid
    assert any("部门整体支出绩效自评" in t and "表" in t for t in off_grid), off_grid
    # the body text stays on the grid
    assert not any(t.startswith("一、") for t in off_grid)


def test_paragraph_properties_are_in_schema_order(package):
    """Word refuses ("unreadable content") properties out of the schema's order."""
    order = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "widowControl", "snapToGrid",
             "spacing", "ind", "jc", "rPr"]
    for name in ("word/document.xml", "word/styles.xml"):
        for ppr in _xml(package, name).iter(qn("w:pPr")):
            seen = [c.tag.replace(W, "") for c in ppr if c.tag.replace(W, "") in order]
            assert seen == sorted(seen, key=order.index), (name, seen)


def _lines(n: int) -> str:
    return "\n".join(f"第{i}行，按计划完成各项工作任务。" for i in range(n))


def _timed(ev) -> tuple[float, int]:
    tracemalloc.start()
    start = time.process_time()
    data = docx_bytes(ev)
    seconds = time.process_time() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert data[:2] == b"PK"
    return seconds, peak


@pytest.mark.slow
def test_word_writer_is_linear_in_lines_and_rows():
    base = load("liwan-xiezuo-2023.json")
    for make in (
        lambda n: replace(base, narrative={k: _lines(n) for k, _ in NARRATIVE_FIELDS}),
        lambda n: replace(base, tasks=tuple(Task(name=f"任务{i}", target="完成", result="完成")
                                            for i in range(n)),
                          projects=tuple(Project(name=f"项目{i}", budget=Decimal(1),
                                                 executed=Decimal(1), result="完成")
                                         for i in range(n))),
    ):
        small, big = _timed(make(1500)), _timed(make(6000))
        # four times the lines: about four times the time and memory (quadratic: sixteen)
        assert big[0] < small[0] * 7 + 0.1, (small, big)
        assert big[1] < small[1] * 6, (small, big)


@pytest.mark.slow
@needs_tool("soffice", "libreoffice-writer-nogui")
def test_libreoffice_sets_the_title_at_its_own_pitch_on_two_lines(package, tmp_path):
    """On the grid each 二号 character is spread to whole 15.79 pt cells (the title then wraps
    onto a third line with real fonts); off it, characters sit at the face's own advance."""
    import subprocess

    import pypdfium2 as pdfium

    path = tmp_path / "report.docx"
    path.write_bytes(docx_bytes(load("liwan-xiezuo-2023.json")))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   capture_output=True, timeout=180, check=True)
    document = pdfium.PdfDocument((tmp_path / "report.pdf").read_bytes())
    try:
        page = document[0].get_textpage()
        chars = [(page.get_text_range(i, 1), page.get_charbox(i, loose=True))
                 for i in range(page.count_chars())]
    finally:
        document.close()
    title = "广州市荔湾区协作办公室"
    start = next(i for i in range(len(chars))
                 if "".join(c for c, _ in chars[i:i + len(title)]) == title)
    lefts = [box[0] for _, box in chars[start:start + len(title)]]
    pitches = [b - a for a, b in itertools.pairwise(lefts)]
    cell = 156 * 72 / 25.4 / 28
    for pitch in pitches:
        assert abs(pitch / cell - round(pitch / cell)) > 0.03, (pitch, cell)
    # the title is two lines
    heading = next(i for i in range(len(chars)) if chars[i][0] == "一")
    title_lines = {round(box[3] / 10) for c, box in chars[start:heading] if c.strip()}
    assert len(title_lines) == 2, title_lines


_SAMPLE = None


def _sample():
    global _SAMPLE
    if _SAMPLE is None:
        _SAMPLE = load("liwan-xiezuo-2023.json")
    return _SAMPLE


@settings(max_examples=cases(60), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.text(st.sampled_from(list("绩效<>&\"'\t \x01\x0b\ufffe]]>=/\\;：。") + ["\ud800", "\U0001F600"]),
               max_size=60))
def test_any_typed_text_comes_back_from_the_word_body(text):
    """The body is written as XML text: markup, control characters, lone surrogates and
    tabs in a clerk's text give a file Word can read, with the text as typed (less what
    XML cannot hold)."""
    from docx import Document

    ev = _sample().with_narrative("achievements", "开头" + text + "结尾")
    document = Document(io.BytesIO(docx_bytes(ev)))
    body = "\n".join(p.text for p in document.paragraphs)
    expected = clean("开头" + text + "结尾")
    assert expected in body or expected.strip() in body, (expected, body[:200])
