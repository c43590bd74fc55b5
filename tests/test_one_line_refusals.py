"""One-line refusals: the year and every integer field are read by one function
(``forms.numbers.parse_int``) that takes ASCII digits only and a bounded length; long names
are cut where a format has a limit; ``review`` names every path it cannot read, with the
reason, and exits 2 when nothing could be read; names with control characters are shown
escaped.  None of these ends in a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fuzz_budget import cases
from hostile_corpus import hostile_folder, hostile_integers, long_names
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SAMPLE
from desktop.cli import main
from forms.numbers import NumberError, clip, parse_int, parse_number
from forms.package import PackageError, read_package
from forms.system import build_system
from forms.system_edit import SystemDraft

HOSTILE = hostile_integers()


def _one_line_refusal(err: str) -> None:
    assert err.startswith("selfeval：") and err.count("\n") == 1, err
    assert "Traceback" not in err and "\x1b" not in err


@pytest.mark.parametrize("name", list(HOSTILE))
def test_parse_int_refuses_what_int_would_misread(name):
    with pytest.raises(NumberError) as caught:
        parse_int(HOSTILE[name], "年度")
    message = str(caught.value)
    assert message.startswith("年度：") and "\n" not in message and len(message) < 120


def test_parse_int_reads_plain_years_and_says_full_width_digits_are_refused():
    assert parse_int("2024", "年度") == 2024 and parse_int(" 2024\t", "年度") == 2024
    assert parse_int(2024, "年度") == 2024 and parse_int("-3", "x") == -3
    assert parse_int("2024.0", "年度") == 2024  # whole, as parse_number reads it
    with pytest.raises(NumberError, match="半角数字"):
        parse_int("２０２４", "年度")
    with pytest.raises(NumberError, match="2000–2100"):
        parse_int("1999", "年度", 2000, 2100)


@settings(max_examples=cases(300), deadline=None, database=None)
@given(st.one_of(st.text(max_size=60), st.integers(), st.booleans(), st.none(),
                 st.floats(allow_nan=True), st.lists(st.integers(), max_size=2)))
def test_parse_int_returns_int_of_ascii_digits_or_refuses(value):
    try:
        got = parse_int(value, "字段")
    except NumberError as exc:
        assert "\n" not in str(exc)
        return
    if isinstance(value, str):  # what parse_number reads, when it is whole, in 0–9 digits
        assert all(ch.isascii() for ch in value if ch.isdigit())
        assert got == parse_number(value) and isinstance(got, int)
    else:
        assert isinstance(value, int) and not isinstance(value, bool) and got == value


@pytest.mark.parametrize("text", ["10²", "①", "٢٠", "1⁵", "३", "₂"])
def test_figures_refuse_digits_that_are_not_0_to_9(text):
    """NFKC folds "10²" into "102" and Decimal reads Arabic-Indic digits: neither is what the
    clerk meant, so a figure takes 0–9 and full-width ０–９ only."""
    with pytest.raises(NumberError, match="0–9"):
        parse_number(text, "全年执行数")
    assert parse_number("１０２", "全年执行数") == 102


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_package_year_is_refused_in_one_line(name):
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["department"]["year"] = HOSTILE[name] if name != "huge-int" else "9" * 5000
    with pytest.raises(PackageError) as caught:
        read_package(json.dumps(data, ensure_ascii=False))
    assert "department.year" in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_system_year_is_a_problem_not_a_crash(name):
    raw = json.loads(SAMPLE.read_text(encoding="utf-8"))["system"]
    raw["year"] = HOSTILE[name] if name != "huge-int" else "9" * 5000
    if name == "empty":
        return  # an empty year is no year
    _, problems = build_system(raw)
    assert [p.path for p in problems] == ["system.year"]
    draft = SystemDraft(raw)
    if isinstance(HOSTILE[name], str):
        draft.set_header("year", HOSTILE[name])  # typed in the editor: kept as typed, marked
        assert any(p.path.endswith("year") for p in draft.check().problems)


@pytest.mark.parametrize("year", ["①", "²", "２０２４", "9" * 5000, "٢٠٢٤"])
def test_new_with_a_strange_year_is_one_line(tmp_path, capsys, year):
    assert main(["new", "--system", "sichuan-dazhou", "--department", "某局", "--year", year,
                 "-o", str(tmp_path / "n.json")]) == 2
    _one_line_refusal(capsys.readouterr().err)
    assert not (tmp_path / "n.json").exists()


def test_score_of_a_package_with_a_strange_year_is_one_line(tmp_path, capsys):
    for year in ("①", "9" * 5000):
        data = json.loads(SAMPLE.read_text(encoding="utf-8"))
        data["department"]["year"] = year
        path = tmp_path / "p.json"
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        assert main(["score", str(path)]) == 2
        _one_line_refusal(capsys.readouterr().err)


def test_review_workers_is_read_by_the_same_function(tmp_path, capsys):
    for workers in ("②", "0", "9" * 5000):
        assert main(["review", str(SAMPLE), "--workers", workers]) == 2
        _one_line_refusal(capsys.readouterr().err)


def test_clip_keeps_short_text_and_marks_the_cut():
    assert clip("短", 255) == "短"
    assert len(clip("长" * 1000, 255)) == 255 and clip("长" * 1000, 255).endswith("…")


def _long_named(tmp_path: Path, name: str, copies: int = 1) -> Path:
    folder = tmp_path / "long"
    folder.mkdir()
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["department"]["name"] = name
    for i in range(copies):
        (folder / f"{i}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return folder


@pytest.mark.parametrize("name", list(long_names().values()), ids=list(long_names()))
def test_long_department_names_export_to_word_and_review_pdf(tmp_path, capsys, name):
    """Word's title holds 255 characters; a review PDF's table row must fit on one page (two
    copies of one department: the duplicate flag names it again)."""
    from docx import Document
    from pypdf import PdfReader

    folder = _long_named(tmp_path, name, copies=2)
    docx = tmp_path / "r.docx"
    assert main(["export", str(folder / "0.json"), "--docx", str(docx)]) == 0
    title = Document(str(docx)).core_properties.title
    assert 0 < len(title) <= 255
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    assert main(["review", str(folder), "--pdf", str(pdf), "-o", str(xlsx)]) == 0
    text = "".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert name.split()[0][:20] in text.replace("\n", "")
    assert xlsx.exists()


def test_review_names_each_unreadable_path_with_its_reason(tmp_path, capsys):
    folder = tmp_path / "报来的"
    paths = hostile_folder(folder)
    shutil.copy(SAMPLE, folder / "sub" / "good.json")
    assert main(["review", str(folder), str(paths["too-long"]), "/dev/zero"]) == 0
    out = capsys.readouterr().out
    assert "共 1 份自评" in out and "\x1b" not in out and "\x07" not in out
    lines = {line.strip().rsplit("：", 1)[0]: line for line in out.splitlines() if "未读取" in line}
    assert "符号链接循环" in lines[f"未读取：{paths['loop']}"]
    assert "链接指向的文件不存在" in lines[f"未读取：{paths['dangling']}"]
    assert "特殊文件" in lines[f"未读取：{paths['fifo']}"]
    assert "特殊文件" in lines["未读取：/dev/zero"]
    assert "文件名或路径过长" in lines[f"未读取：{paths['too-long']}"]
    assert f"未读取：{folder}/esc\\u001b[2Jcleared\\u0007.xlsx" in lines


@pytest.mark.parametrize("what", ["nosuch", "dev-zero", "fifo", "loop-only", "too-long"])
def test_review_exits_2_when_nothing_could_be_read(tmp_path, capsys, what):
    folder = tmp_path / "f"
    paths = hostile_folder(folder)
    given = {"nosuch": tmp_path / "nosuch", "dev-zero": Path("/dev/zero"), "fifo": paths["fifo"],
             "loop-only": folder / "sub", "too-long": paths["too-long"]}[what]
    assert main(["review", str(given)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines()[-1].startswith("selfeval：没有读取到任何自评表")
    assert "未读取：" in captured.err and "\x1b" not in captured.err


def test_review_names_unreadable_folders_and_files(tmp_path, capsys, monkeypatch):
    """Without read permission (simulated: the tests run as root, who may read anything)."""
    import errno
    import os

    import exports.review_read as review_read
    import forms.files as files

    folder = tmp_path / "报来的"
    (folder / "锁住的").mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "good.json")
    shutil.copy(SAMPLE, folder / "locked.json")
    real_scandir, real_open = os.scandir, os.open

    def scandir(path):
        if str(path).endswith("锁住的"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    def opener(path, flags, *args):
        if str(path).endswith("locked.json"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(review_read.os, "scandir", scandir)
    monkeypatch.setattr(files.os, "open", opener)
    assert main(["review", str(folder), "--workers", "1"]) == 0
    out = capsys.readouterr().out
    assert f"未读取：{folder / '锁住的'}：无法打开文件夹：没有访问权限" in out
    assert f"未读取：{folder / 'locked.json'}：" in out and "没有访问权限" in out
    assert "共 1 份自评" in out


def test_names_with_terminal_escapes_are_shown_escaped_by_every_command(tmp_path, capsys):
    name = "某局\x1b]0;pwned\x07\x1b[2J"
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["department"]["name"] = name
    package = tmp_path / "p\x1b[31m.json"
    package.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "o\x1b[1m.xlsx"
    runs = [["score", str(package)], ["export", str(package), "--xlsx", str(out)],
            ["import", str(out), "-o", str(tmp_path / "back\x07.json")],
            ["review", str(tmp_path)], ["score", str(tmp_path / "missing\x1b[2J.json")]]
    for argv in runs:
        main(argv)
        captured = capsys.readouterr()
        for stream in (captured.out, captured.err):
            assert "\x1b" not in stream and "\x07" not in stream, (argv, stream)
    assert main(["score", str(package)]) == 0
    assert "某局\\u001b]0;pwned\\u0007" in capsys.readouterr().out


def test_review_follows_a_linked_subfolder_once(tmp_path, capsys):
    """A folder linked in (a shared drive mounted into the year's folder) is read, not
    skipped without a word; linked twice, its files are read once."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copy(SAMPLE, elsewhere / "sent.json")
    folder = tmp_path / "year"
    folder.mkdir()
    (folder / "linked").symlink_to(elsewhere)
    (folder / "again").symlink_to(elsewhere)
    assert main(["review", str(folder)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("共 1 份自评，0 个文件未能读取")


@pytest.mark.slow
def test_every_case_through_the_real_command_exits_0_or_2_without_a_traceback(tmp_path):
    """The cases above, each in its own process as a clerk runs them."""
    import subprocess
    import sys

    folder = tmp_path / "f"
    paths = hostile_folder(folder)
    package = tmp_path / "p.json"
    shutil.copy(SAMPLE, package)
    long_package = _long_named(tmp_path, long_names()["cjk-2000"], copies=2)
    runs = [["new", "--system", "sichuan-dazhou", "--department", "x", "--year", year, "-o",
             str(tmp_path / "n.json")] for year in ("①", "²", "9" * 5000, "２０２４")]
    runs += [["review", str(p)] for p in (tmp_path / "nosuch", Path("/dev/zero"),
                                          paths["fifo"], paths["loop"], paths["too-long"], folder)]
    runs += [["export", str(package), "--pdf", str(package)],
             ["export", str(package), "--xlsx", str(tmp_path / "o"), "--pdf", str(tmp_path / "o")],
             ["export", str(package), "--pdf", str(paths["fifo"])],
             ["review", str(long_package), "--pdf", str(tmp_path / "r.pdf"), "-o", str(tmp_path / "r.xlsx")],
             ["export", str(long_package / "0.json"), "--docx", str(tmp_path / "r.docx")],
             ["review", str(long_package), "--workers", "②"]]
    for argv in runs:
        done = subprocess.run([sys.executable, "-m", "desktop.cli", *argv], capture_output=True,
                              text=True, encoding="utf-8", timeout=120)
        assert done.returncode in (0, 2), (argv[:3], done.stderr[-500:])
        assert "Traceback" not in done.stderr and "\x1b" not in done.stdout + done.stderr
        if done.returncode == 2:
            assert done.stderr.splitlines()[-1].startswith("selfeval："), (argv[:3], done.stderr)
