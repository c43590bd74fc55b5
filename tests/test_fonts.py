"""Report fonts in the roles of a 公文: installed faces by their Windows/方正 file names, else the
bundled serif, 楷体 and 黑体, each complete for GB2312 and the symbols reports print."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, SAMPLE, needs_tool
from exports import fonts
from resources.fonts.subset import gb2312

# what reports and clerks print beyond hanzi: punctuation, numbering, units, signs
SYMBOLS = ("，。、；：？！“”‘’（）《》【】〔〕——……·～／％＋－"
           "①②③④⑤⑥⑦⑧⑨⑩⑪⑳⑴⑵⒈㈠ⅠⅡⅫⅰ№‰×÷±≤≥°℃㎡㎞￥〇○●□■△▲※→"
           "0123456789ABCXYZabcxyz.,;:%()[]-+=/")
ROLE_TEXT = {"title": "部门整体支出绩效自评报告", "body": "的主要职责是", "hei": "基本情况",
             "kai": "部门职能"}


@pytest.fixture
def font_folders(monkeypatch, tmp_path):
    """Only the folders a test names: the machine's own fonts stay out of the choice."""
    monkeypatch.setenv("SELFEVAL_SYSTEM_FONTS", "0")
    monkeypatch.delenv("SELFEVAL_FONT_DIRS", raising=False)
    fonts.reset_for_tests()

    def use(*names_and_sources: tuple[str, Path]) -> Path:
        folder = tmp_path / "Windows" / "Fonts"
        folder.mkdir(parents=True, exist_ok=True)
        for name, source in names_and_sources:
            shutil.copy(source, folder / name)
        monkeypatch.setenv("SELFEVAL_FONT_DIRS", str(folder))
        fonts.reset_for_tests()
        return folder

    yield use
    monkeypatch.delenv("SELFEVAL_FONT_DIRS", raising=False)
    fonts.reset_for_tests()


def test_every_role_resolves_to_a_bundled_face_without_installed_fonts(font_folders):
    chosen = {role: fonts.font_for(role) for role in fonts.ROLES}
    assert chosen == {"title": fonts.SERIF, "body": fonts.SERIF, "hei": fonts.BUNDLED,
                      "kai": fonts.KAI, "song": fonts.SERIF}
    for name in set(chosen.values()):
        assert Path(fonts.font_file(name)).is_file()
        assert Path(fonts.font_file(name)).parent == ROOT / "resources" / "fonts"
    assert fonts.describe() == ("未找到仿宋字体，报告字体 标题：内置宋体，正文：内置宋体，"
                                "一级标题：内置黑体，二级标题：内置楷体，页码：内置宋体")


@pytest.mark.parametrize("face", [fonts.SERIF, fonts.KAI, fonts.BUNDLED])
def test_bundled_faces_cover_gb2312_and_the_report_symbols(face):
    have = fonts.cmap(fonts._bundled(face))
    codes = gb2312()
    hanzi = {c for c in codes if 0x4E00 <= c <= 0x9FFF}
    assert len(hanzi) == 6763
    assert sorted(chr(c) for c in codes - have) == []
    assert not hanzi - have
    assert [ch for ch in SYMBOLS if ord(ch) not in have] == []


def test_the_bundled_hei_covers_gbk_for_names_beyond_gb2312():
    have = fonts.cmap(fonts._bundled(fonts.BUNDLED))
    gbk = set()
    for high in range(0x81, 0xFF):
        for low in range(0x40, 0xFF):
            try:
                gbk.add(ord(bytes((high, low)).decode("gbk")))
            except UnicodeDecodeError:
                continue
    assert len(gbk) > 21000
    assert sorted(chr(c) for c in gbk - have) == ["ɑ", "ɡ", "☉"]


def test_a_character_outside_gbk_falls_back_to_the_bundled_hei(font_folders):
    body = fonts.font_for("body")
    # names and places beyond GB2312 are in the body face (GBK)
    assert fonts.missing_chars("王堃、李喆、漖塱、滘口、瞭望", body) == []
    # a CJK character after GBK's (U+9FA6) is in 文泉驿微米黑 only
    assert fonts.missing_chars("王龦", body) == ["龦"]
    markup = fonts.cover("王龦", body)
    assert markup == f'王<font name="{fonts.BUNDLED}">龦</font>'


@pytest.mark.parametrize("face", [fonts.SERIF, fonts.KAI])
def test_the_bundled_serif_and_kai_cover_every_hanzi_of_gbk(face):
    from resources.fonts.subset import gbk

    have = fonts.cmap(fonts._bundled(face))
    hanzi = {c for c in gbk() if 0x4E00 <= c <= 0x9FFF}
    assert len(hanzi) == 20902
    assert sorted(chr(c) for c in hanzi - have) == []


def test_windows_file_names_are_picked_for_their_roles(font_folders):
    serif, kai, hei = (fonts.BUNDLED_FILES[n] for n in (fonts.SERIF, fonts.KAI, fonts.BUNDLED))
    folder = font_folders(("simfang.ttf", serif), ("SIMKAI.TTF", kai), ("simhei.ttf", hei),
                          ("simsun.ttc", serif), ("FZXBSJW.TTF", serif))
    expected = {"title": "FZXBSJW.TTF", "body": "simfang.ttf", "hei": "simhei.ttf",
                "kai": "SIMKAI.TTF", "song": "simsun.ttc"}
    for role, file in expected.items():
        name = fonts.font_for(role)
        assert name not in fonts.BUNDLED_LABELS, role
        assert fonts.font_file(name) == str(folder / file), role
    assert fonts.describe() == ("报告字体 标题：FZXBSJW.TTF，正文：simfang.ttf，"
                                "一级标题：simhei.ttf，二级标题：SIMKAI.TTF，页码：simsun.ttc")


def test_fangzheng_gbk_faces_win_over_windows_ones_and_a_missing_role_is_bundled(font_folders):
    serif, kai = fonts.BUNDLED_FILES[fonts.SERIF], fonts.BUNDLED_FILES[fonts.KAI]
    folder = font_folders(("FZFSK.TTF", serif), ("simfang.ttf", kai), ("FZKTK.TTF", kai),
                          ("FZXBSK.TTF", serif))
    assert fonts.font_file(fonts.font_for("body")) == str(folder / "FZFSK.TTF")
    assert fonts.font_file(fonts.font_for("kai")) == str(folder / "FZKTK.TTF")
    assert fonts.font_file(fonts.font_for("title")) == str(folder / "FZXBSK.TTF")
    assert fonts.font_for("hei") == fonts.BUNDLED  # no 黑体 installed
    assert fonts.font_for("song") == fonts.SERIF  # no 宋体 installed
    assert "正文：FZFSK.TTF" in fonts.describe() and "一级标题：内置黑体" in fonts.describe()


def test_a_file_reportlab_cannot_read_is_passed_over(font_folders):
    broken = font_folders()
    (broken / "simfang.ttf").write_bytes(b"OTTO" + bytes(200))  # CFF or damaged
    fonts.reset_for_tests()
    assert fonts.font_for("body") == fonts.SERIF


def _runs_by_font(data: bytes) -> dict[str, str]:
    """Printed text per embedded font (subset prefix dropped), read back from the PDF."""
    runs: dict[str, list[str]] = {}

    def visit(text, cm, tm, font_dict, size):
        if font_dict and text.strip():
            base = str(font_dict["/BaseFont"]).split("+")[-1]
            runs.setdefault(base, []).append(text)

    from io import BytesIO

    for page in PdfReader(BytesIO(data)).pages[:2]:
        page.extract_text(visitor_text=visit)
    return {k: "".join(v).replace("\n", "") for k, v in runs.items()}


@needs_tool("pdffonts", "poppler-utils")
def test_report_embeds_the_bundled_faces_in_their_roles(font_folders, tmp_path):
    from exports.pdf_report import build_report
    from forms.package import load_package

    report = build_report(load_package(SAMPLE))
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(report.data)
    out = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    rows = {line.split()[0].split("+")[-1]: line for line in out.splitlines()[2:]}
    for face in ("SelfevalSerifSC-Regular", "SelfevalKai-Regular", "WenQuanYiMicroHei"):
        assert face in rows, out
        assert " TrueType " in rows[face] and " yes yes yes " in rows[face], rows[face]
    assert report.replaced == []
    runs = _runs_by_font(report.data)
    assert ROLE_TEXT["title"] in runs["SelfevalSerifSC-Regular"]
    assert ROLE_TEXT["body"] in runs["SelfevalSerifSC-Regular"]
    assert ROLE_TEXT["hei"] in runs["WenQuanYiMicroHei"]
    assert ROLE_TEXT["kai"] in runs["SelfevalKai-Regular"]
    assert ROLE_TEXT["kai"] not in runs["SelfevalSerifSC-Regular"]


def test_building_a_report_writes_nothing_to_the_user_folders(tmp_path):
    """No font cache in the data folder the clerk backs up (nor anywhere else in the profile)."""
    home = tmp_path / "home"
    env = {**os.environ, "HOME": str(home), "SELFEVAL_HOME": str(home / "data"),
           "XDG_CACHE_HOME": str(home / "cache"), "XDG_DATA_HOME": str(home / "share"),
           "SELFEVAL_SYSTEM_FONTS": "0"}
    code = ("from forms.package import load_package; from exports.pdf_report import build_report;"
            f"assert build_report(load_package({str(SAMPLE)!r})).pages > 1")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, timeout=60)
    assert not home.exists() or [p for p in home.rglob("*") if p.is_file()] == []


def test_windows_fonts_are_found_in_the_system_and_the_per_user_folder(monkeypatch, tmp_path):
    """On Windows the fonts are where Windows keeps them: %WINDIR%\\Fonts, and for a font the
    clerk installed "for me only" %LOCALAPPDATA%\\Microsoft\\Windows\\Fonts (a fake of each)."""
    serif, kai, hei = (fonts.BUNDLED_FILES[n] for n in (fonts.SERIF, fonts.KAI, fonts.BUNDLED))
    windir = tmp_path / "张 三 Windows"
    local = tmp_path / "Users" / "张 三" / "AppData" / "Local"
    system, user = windir / "Fonts", local / "Microsoft" / "Windows" / "Fonts"
    system.mkdir(parents=True)
    user.mkdir(parents=True)
    shutil.copy(hei, system / "simhei.ttf")
    shutil.copy(serif, system / "simsun.ttc")
    shutil.copy(kai, system / "simkai.ttf")
    shutil.copy(serif, user / "方正小标宋简体.TTF")  # installed by the clerk, for this user only
    shutil.copy(serif, user / "仿宋_GB2312.ttf")
    shutil.copy(kai, user / "simkai.ttf")  # also in the system folder: that one wins
    monkeypatch.delenv("SELFEVAL_FONT_DIRS", raising=False)
    monkeypatch.setenv("SELFEVAL_SYSTEM_FONTS", "1")
    monkeypatch.setenv("WINDIR", str(windir))
    monkeypatch.setenv("LOCALAPPDATA", str(local))
    monkeypatch.setattr(fonts.sys, "platform", "win32")
    assert fonts.font_dirs() == [system, user]
    fonts.reset_for_tests()
    try:
        files = {role: fonts.font_file(fonts.font_for(role)) for role in fonts.ROLES}
        assert files == {"title": str(user / "方正小标宋简体.TTF"),
                         "body": str(user / "仿宋_GB2312.ttf"), "hei": str(system / "simhei.ttf"),
                         "kai": str(system / "simkai.ttf"), "song": str(system / "simsun.ttc")}
        assert fonts.describe() == ("报告字体 标题：方正小标宋简体.TTF，正文：仿宋_GB2312.ttf，"
                                    "一级标题：simhei.ttf，二级标题：simkai.ttf，页码：simsun.ttc")
    finally:
        monkeypatch.undo()
        fonts.reset_for_tests()
