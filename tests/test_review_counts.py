"""The review tells an empty or draft submission from a finished one: flagged, and kept out of
the averages and the distribution; titles name every year; our own summary is never read as a
submission, and is not offered inside the folder under review."""

from __future__ import annotations

from dataclasses import replace

import pytest
from openpyxl import load_workbook

from desktop.cli import main
from exports.review_read import review_paths
from forms.model import new_evaluation
from forms.package import write_package
from forms.review import DRAFT, EMPTY


@pytest.fixture
def folder(tmp_path, sample):
    root = tmp_path / "报来的"
    root.mkdir()
    (root / "完成.json").write_bytes(write_package(sample))
    empty = new_evaluation(sample.system, "空白单位", 2023)
    (root / "空白.json").write_bytes(write_package(empty))
    draft = replace(sample, department=replace(sample.department, name="草稿单位", year=2024))
    draft = draft.with_value("fdi", replace(draft.value("fdi"), actual=None))
    (root / "草稿.json").write_bytes(write_package(draft))
    return root


def test_empty_and_draft_are_flagged_and_left_out_of_the_figures(folder, sample):
    review = review_paths([folder])
    kinds = {r.department: r.flag_kinds() for r in review.rows}
    assert EMPTY in kinds["空白单位"] and DRAFT in kinds["草稿单位"]
    assert not kinds[sample.department.name] & {EMPTY, DRAFT}
    assert review.average_total == sum_of([r for r in review.rows
                                           if r.department == sample.department.name])
    assert sum(n for _, n in review.distribution()) == 1
    assert sum(n for _, n in review.grade_counts()) == 1
    assert review.excluded_text == "（不含未填写和草稿 2 份）"
    assert review.years_text == "2022—2024年度"


def sum_of(rows):
    return rows[0].result.total


def test_summary_titles_name_the_years_and_a_second_scan_skips_our_summary(folder, tmp_path,
                                                                          capsys):
    out, pdf = folder / "汇总.xlsx", folder / "汇总.pdf"
    assert main(["review", str(folder), "-o", str(out), "--pdf", str(pdf)]) == 0
    book = load_workbook(out)
    assert book.properties.title.startswith("2022—2024年度")
    capsys.readouterr()
    assert main(["review", str(folder), "--json"]) == 0
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["count"] == 3
    assert not [r for r in data["rejected"] if "汇总" in r["path"]]


def test_the_window_offers_the_summary_outside_the_folder_under_review(qtbot, tmp_path, folder,
                                                                       monkeypatch):
    from PySide6.QtCore import QSettings

    from desktop.shell.review_window import ReviewWindow

    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = ReviewWindow(settings, lambda row: None)
    qtbot.addWidget(window)
    window.folder = str(folder)
    assert window.output_folder() == folder.parent
    settings.setValue("review/output", str(folder / "sub"))
    (folder / "sub").mkdir()
    assert window.output_folder() == folder.parent  # inside the scanned folder: not offered
