"""The PDF report, read back with pdftotext / pdffonts / pypdf."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import needs_tool
from exports import fonts
from exports.pdf_text import COMPRESSIBLE
from exports.pdf_report import build_report, default_report_name, report_bytes
from forms.model import LeafValue

pytestmark = needs_tool("pdftotext", "poppler-utils")

MM = 72 / 25.4


def _text(data: bytes, tmp_path: Path, *args: str) -> str:
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(data)
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def sample_report():
    from forms.package import load_package

    return build_report(load_package(Path(__file__).parent.parent / "forms" / "samples"
                                     / "suigang-2022.json"))


def test_outline_in_order(sample_report, tmp_path):
    text = _flat(_text(sample_report.data, tmp_path))
    headings = ["广州开发区穗港科技合作园管理委员会2022年度部门整体支出绩效自评报告",
                "一、基本情况", "（一）部门职能", "（二）部门整体收支情况", "（三）部门整体支出绩效目标",
                "（四）部门年度重点工作任务", "二、综合评价分析", "（一）自评结论综述",
                # the default outline (seeds 000/002) has no section of its own for the projects
                "（二）各重点工作任务绩效目标完成情况分析", "（三）主要工作成效",
                "（四）管理效率分析", "三、存在的主要问题", "四、下一步改进措施", "附件1",
                "部门整体支出绩效自评表", "附件2", "绩效指标评分表"]
    positions = [text.find(h) for h in headings]
    assert -1 not in positions, [h for h, p in zip(headings, positions) if p == -1]
    assert positions == sorted(positions)


def test_generated_sentences_carry_the_sample_figures(sample_report, tmp_path):
    text = re.sub(r"—\d+—", "", _flat(_text(sample_report.data, tmp_path)))  # page numbers
    for sentence in [
        "全年预算数1153.25万元，执行数1104.37万元，完成预算的95.8%。",
        "按资金来源分，一般公共预算财政拨款支出1104.37万元，政府性基金预算财政拨款支出0万元，"
        "国有资本经营预算财政拨款支出0万元，其他资金支出0万元。",
        "按支出性质看，基本支出491.48万元，项目支出612.89万元。年末结转和结余0.00万元。",
        # three projects listed, 项目支出 661.77: introduced as a partial list (seed 001)
        "本年度项目支出全年预算数661.77万元，执行数612.89万元。以下列出其中重点项目3个"
        "（预算数合计452.10万元，非全部项目）：",
        "1.仲裁解除用地合同经费项目全年预算数为207.50万元，执行数为185.30万元，完成预算的89.3%。",
        "我委2022年度部门整体支出绩效自评得分为92.58分，自评等级为“优”。",
        # the task analysis closes with the projects (no section of their own)
        "1.仲裁解除用地合同经费项目全年预算数为207.50万元",
    ]:
        assert sentence in text, sentence
    # the clerk's texts fill the rest
    assert "聚焦优势产业，强链补链构建智能制造园区" in text
    assert "1.会同区相关部门编制发展规划" in text


def test_attachments_print_the_tables(sample_report, tmp_path):
    text = _flat(_text(sample_report.data, tmp_path))
    after = text[text.find("附件1"):]
    for item in ("全年执行数", "1153.25", "1104.37", "95.8%", "预算执行率", "9.58",
                 "总分", "92.58", "自评等级", "偏差原因分析及改进措施", "评分标准"):
        assert item in after, item
    # every leaf plainly scored: 附件2 has no always-empty 状态 column
    assert "已评分" not in after and "状态" not in after[after.find("附件2"):]


def test_fonts_embedded_and_every_character_covered(sample_report, tmp_path):
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(sample_report.data)
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = out.splitlines()[2:]
    assert rows, out
    for row in rows:
        assert " yes yes " in row, row  # embedded, subset
    assert "Helvetica" not in out
    assert sample_report.replaced == []
    # every character pdftotext gets back is one the font has
    have = fonts.cmap(fonts.font_for("body"))
    text = _text(sample_report.data, tmp_path)
    missing = {ch for ch in text if not ch.isspace() and ord(ch) not in have}
    assert missing == set()


def test_missing_glyphs_are_substituted_and_reported(sample, tmp_path):
    rare = "𠮷野家😀"
    ev = sample.with_narrative("problems", f"问题：{rare}")
    ev = ev.with_value("fdi", LeafValue(actual=sample.value("fdi").actual, deviation="😀偏差"))
    report = build_report(ev)
    assert report.replaced == ["𠮷", "😀"]
    text = _flat(_text(report.data, tmp_path))
    assert "问题：〓野家〓" in text
    assert fonts.missing_chars(rare, fonts.font_for("body")) == ["𠮷", "😀"]
    assert fonts.missing_chars("部门整体支出 95.76%", fonts.font_for("body")) == []


def test_gb9704_page_geometry(sample_report, tmp_path):
    reader = PdfReader(BytesIO(sample_report.data))
    assert len(reader.pages) == sample_report.pages >= 5
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    html = _text(sample_report.data, tmp_path, "-bbox", "-f", "1", "-l", "2")
    words = [(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]
    page1 = html.split("</page>")[0]
    p1 = [w for w in words if f'xMin="{w[0]:.6f}"' in page1]
    left = min(w[0] for w in p1)
    assert left == pytest.approx(28 * MM, abs=0.5)  # left margin 28 mm
    top = min(w[1] for w in p1)
    assert 37 * MM <= top < 37 * MM + 10  # top margin 37 mm
    # body lines 225 mm / 22 apart
    tops = sorted({round(w[1], 1) for w in p1 if w[4].startswith(("2.", "3.", "4."))})
    assert tops[1] - tops[0] == pytest.approx(225 * MM / 22, abs=0.2)
    # page numbers: "— 1 —" right on odd pages, "— 2 —" left on even pages
    plain = _text(sample_report.data, tmp_path, "-layout")
    pages = plain.split("\f")
    assert "—1—" in _flat(pages[0]) and "—2—" in _flat(pages[1])
    dash1 = [w for w in p1 if w[4] == "—"]
    assert max(w[2] for w in dash1) == pytest.approx(A4_W - 26 * MM - 14, abs=1.5)
    p2 = [w for w in words if w not in p1 and w[4] == "—"]
    assert min(w[0] for w in p2) == pytest.approx(28 * MM + 14, abs=1.5)


A4_W = 595.2756


def test_empty_sections_are_left_out_and_numbering_closes_up(sample, tmp_path):
    ev = sample.with_narrative("problems", "").with_narrative("achievements", "   ")
    ev = replace(ev, tasks=())
    text = re.sub(r"—\d+—", "", _flat(_text(report_bytes(ev), tmp_path)))  # page numbers
    assert "未填写" not in text
    assert "存在的主要问题" not in text and "主要工作成效" not in text
    assert "三、下一步改进措施" in text
    assert "（三）主要工作成效" not in text and "（三）管理效率分析" in text
    assert "部门年度重点工作任务" not in text
    assert "集中力量开展稳定经济发展工作。二、综合评价分析" in text


def test_charts_only_when_asked(sample, sample_report, tmp_path):
    from forms.report import ReportOptions, with_report_options

    text = _flat(_text(sample_report.data, tmp_path))
    assert "各级指标得分与分值" not in text and "预算执行情况" not in text
    with_charts = with_report_options(sample, ReportOptions(charts=True))
    text = _flat(_text(report_bytes(with_charts), tmp_path))
    assert "各级指标得分与分值" in text and "预算执行情况" in text


def test_installed_office_fonts_are_preferred(tmp_path, monkeypatch):
    from resources import bundled_font_path

    folder = tmp_path / "Fonts"
    folder.mkdir()
    shutil.copy(bundled_font_path(), folder / "simfang.ttf")  # stands in for 仿宋
    monkeypatch.setenv("SELFEVAL_FONT_DIRS", str(folder))
    monkeypatch.setenv("SELFEVAL_SYSTEM_FONTS", "0")
    fonts.reset_for_tests()
    try:
        body = fonts.font_for("body")
        assert body != fonts.BUNDLED
        assert fonts.font_file(body) == str(folder / "simfang.ttf")
        assert fonts.font_for("hei") == fonts.BUNDLED  # no 黑体 there: the bundled face
        assert "正文：simfang.ttf" in fonts.describe() and "一级标题：内置黑体" in fonts.describe()
    finally:
        monkeypatch.delenv("SELFEVAL_FONT_DIRS")
        fonts.reset_for_tests()


def test_default_name(sample):
    assert default_report_name(sample) == "广州开发区穗港科技合作园管理委员会2022年度部门整体支出绩效自评报告.pdf"


@pytest.mark.slow
def test_two_processes_give_the_same_report(tmp_path):
    """Fonts are parsed afresh in each process (no cache) and the bytes do not change."""
    import os
    import sys

    exe = Path(sys.executable).parent / "selfeval"
    sample = Path(__file__).resolve().parent.parent / "forms" / "samples" / "suigang-2022.json"
    env = dict(os.environ, SELFEVAL_HOME=str(tmp_path / "home"), SELFEVAL_SYSTEM_FONTS="0")
    outputs = []
    for i in range(2):
        out = tmp_path / f"r{i}.pdf"
        run = subprocess.run([str(exe), "export", str(sample), "--pdf", str(out)], env=env,
                             capture_output=True, text=True, timeout=60)
        assert run.returncode == 0, run.stderr
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.slow
def test_very_long_texts_run_over_pages_without_loss(sample, tmp_path):
    """A deviation text taller than a page splits inside its table row instead of failing."""
    long_text = "很长的说明文字，" * 600
    ev = sample.with_value("fdi", LeafValue(actual=sample.value("fdi").actual, deviation=long_text))
    ev = ev.with_narrative("problems", "问题" * 3000)
    ev = replace(ev, department=replace(ev.department, name="某" * 120))
    report = build_report(ev)
    assert report.pages > 15
    text = _flat(_text(report.data, tmp_path))
    # a phrase may straddle a page end (the repeated header comes between): count characters
    assert text.count("很") == 600 and text.count("明") == 600
    assert text.count("问题") == 3000 + 1  # and the heading 三、存在的主要问题


def test_a_full_page_has_22_lines_of_28_characters(sample, tmp_path):
    ev = sample.with_narrative("achievements", "园区建设稳步推进，各项工作取得明显成效。" * 80)
    data = report_bytes(ev)
    best = 0
    for page in range(1, 8):
        html = _text(data, tmp_path, "-bbox", "-f", str(page), "-l", str(page))
        if "附件" in html:
            break  # the attachments are tables, not 3号 body text
        boxes = re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', html)
        # 3号 body lines only: not chart labels, not the title, not the page number
        tops = {round(float(y0)) for y0, y1 in boxes if 15 < float(y1) - float(y0) < 17
                and float(y0) < 37 * MM + 225 * MM}
        best = max(best, len(tops))
    assert best == 22
    text = _text(data, tmp_path, "-layout")
    full = [line.strip() for line in text.splitlines() if line.strip().startswith(("推进", "得明显"))]
    # every full line holds exactly 28 characters (the paragraph's last line may be shorter),
    # and a closing mark squeezed in after them (the marks before it at half width)
    cells = [len(line) - (len(line) == 29 and line[-1] in COMPRESSIBLE) for line in full]
    assert max(cells) == 28
    assert sum(n == 28 for n in cells) >= len(full) - 1 >= 10


def test_headings_are_bookmarks(sample_report):
    reader = PdfReader(BytesIO(sample_report.data))
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [item.title for item in top] == ["一、基本情况", "二、综合评价分析", "三、存在的主要问题",
                                            "四、下一步改进措施", "附件1", "附件2"]
    assert reader.get_destination_page_number(top[-2]) == 3  # 附件1 starts page 4
    assert reader.metadata.title == "广州开发区穗港科技合作园管理委员会2022年度部门整体支出绩效自评报告"
