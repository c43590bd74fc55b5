"""`selfeval export` and `selfeval import` as a clerk or a script runs them."""

from __future__ import annotations

import errno
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from desktop.cli import main
from forms.package import load_package, read_package, write_package
from forms.scoring import score

SAMPLE = Path(__file__).resolve().parent.parent / "forms" / "samples" / "suigang-2022.json"


def test_export_both_files(tmp_path, capsys):
    xlsx, pdf = tmp_path / "表.xlsx", tmp_path / "报告.pdf"
    assert main(["export", str(SAMPLE), "--xlsx", str(xlsx), "--pdf", str(pdf)]) == 0
    assert load_workbook(xlsx).sheetnames[0] == "部门整体支出绩效自评表"
    assert pdf.read_bytes().startswith(b"%PDF")
    err = capsys.readouterr().err
    assert "已导出" in err and str(xlsx) in err


def test_export_needs_a_target(capsys):
    assert main(["export", str(SAMPLE)]) == 2
    assert "--xlsx" in capsys.readouterr().err


def test_bad_package_exit_2_with_message(tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "selfeval-package", "version": 1, "department": {"name": "x", '
                   '"year": 2022}, "system": null}', encoding="utf-8")
    assert main(["export", str(bad), "--xlsx", str(tmp_path / "o.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "缺少指标体系" in err and "Traceback" not in err
    assert not (tmp_path / "o.xlsx").exists()


def test_unwritable_target_keeps_the_previous_file(tmp_path, capsys, monkeypatch):
    target = tmp_path / "报告.pdf"
    target.write_bytes(b"previous report")

    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("forms.files.os.fsync", disk_full)
    assert main(["export", str(SAMPLE), "--pdf", str(target)]) == 2
    assert "磁盘空间不足" in capsys.readouterr().err
    assert target.read_bytes() == b"previous report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.pdf"]  # no temp file left


def test_target_in_a_missing_folder(tmp_path, capsys):
    assert main(["export", str(SAMPLE), "--xlsx", str(tmp_path / "无此文件夹" / "a.xlsx")]) == 2
    assert "文件夹不存在" in capsys.readouterr().err


def test_import_round_trip_through_the_command(tmp_path):
    xlsx, back = tmp_path / "a.xlsx", tmp_path / "back.json"
    assert main(["export", str(SAMPLE), "--xlsx", str(xlsx)]) == 0
    assert main(["import", str(xlsx), "-o", str(back)]) == 0
    original = load_package(SAMPLE)
    imported = read_package(back.read_bytes())
    assert write_package(imported) == write_package(original)
    assert score(imported).total == score(original).total


def test_import_of_a_foreign_workbook_exit_2(tmp_path, capsys):
    foreign = tmp_path / "别人的表.xlsx"
    Workbook().save(foreign)
    assert main(["import", str(foreign), "-o", str(tmp_path / "x.json")]) == 2
    err = capsys.readouterr().err
    assert "不是本程序导出的自评表" in err and "Traceback" not in err
    assert not (tmp_path / "x.json").exists()


@pytest.mark.slow
def test_export_as_a_separate_process(tmp_path):
    """The installed command: Chinese messages on stderr, exit codes as documented."""
    exe = Path(sys.executable).parent / "selfeval"
    xlsx = tmp_path / "a.xlsx"
    run = subprocess.run([str(exe), "export", str(SAMPLE), "--xlsx", str(xlsx)],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert xlsx.stat().st_size > 5000
    run = subprocess.run([str(exe), "export", str(tmp_path / "无.json"), "--pdf",
                          str(tmp_path / "a.pdf")], capture_output=True, text=True, timeout=60)
    assert run.returncode == 2 and "找不到文件" in run.stderr


def test_export_of_a_draft_says_why(tmp_path, capsys):
    # the shipped example system, its example criteria and names untouched
    package = Path(__file__).parent / "data" / "baiyun-2023.json"
    assert main(["export", str(package), "--pdf", str(tmp_path / "r.pdf")]) == 0
    err = capsys.readouterr().err
    assert "有 4 处示例文字" in err and "草稿" in err


def test_pdf_export_names_its_faces_and_warns_without_fangsong(tmp_path, capsys, monkeypatch):
    import shutil

    from exports import fonts

    monkeypatch.setenv("SELFEVAL_SYSTEM_FONTS", "0")
    monkeypatch.delenv("SELFEVAL_FONT_DIRS", raising=False)
    fonts.reset_for_tests()
    try:
        assert main(["export", str(SAMPLE), "--pdf", str(tmp_path / "a.pdf")]) == 0
        err = capsys.readouterr().err
        assert "未找到仿宋" in err and "正文：内置宋体" in err and "二级标题：内置楷体" in err
        # with a 仿宋 installed (any TrueType face under Windows' file name) it is named
        folder = tmp_path / "Fonts"
        folder.mkdir()
        shutil.copy(fonts.BUNDLED_FILES[fonts.KAI], folder / "simfang.ttf")
        monkeypatch.setenv("SELFEVAL_FONT_DIRS", str(folder))
        fonts.reset_for_tests()
        assert main(["export", str(SAMPLE), "--pdf", str(tmp_path / "b.pdf")]) == 0
        err = capsys.readouterr().err
        assert "未找到仿宋" not in err and "正文：simfang.ttf" in err
    finally:
        monkeypatch.undo()
        fonts.reset_for_tests()
