"""The budget system's import sheet as an export format: written from a data file, read back
by import with nothing lost and the clerk's corrections taken."""

from __future__ import annotations

import json
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop.cli import main
from desktop_windows import menu_titled, open_window, shown  # noqa: F401 (fixtures)
from exports.exchange import LayoutError, layout_bytes, layouts, read_layout
from exports.workbook_import import read_workbook
from forms.package import load_package, write_package

SAMPLE = Path(__file__).resolve().parents[1] / "forms" / "samples" / "suigang-2022.json"
PROVINCE = "province-department"


@pytest.fixture(scope="module")
def sample():
    return load_package(SAMPLE)


def test_the_province_sheet_has_its_field_names_in_order(sample):
    book = load_workbook(BytesIO(layout_bytes(sample, layouts()[PROVINCE])))
    keys = {ws.title: [c.value for c in ws[1]] for ws in book.worksheets
            if ws.sheet_state == "visible"}
    assert keys == {
        "资金情况": ["name", "completion", "amt3", "amt5", "amt4", "amt6", "scores", "bgtget", "score"],
        "绩效目标": ["agencyname", "yeargoal", "allyeargoal", "deviationanaly"],
        "绩效指标": ["findex", "sindex", "name", "actualweight", "indexval", "actualvalue", "score",
                 "kpi_remark"],
    }
    funds = book["资金情况"]
    assert [funds.cell(row=3, column=c).value for c in (1, 2, 3, 5, 7, 9)] == \
        ["合计", pytest.approx(0.9576), 1153.25, 1104.37, 10, pytest.approx(9.58)]
    indicators = book["绩效指标"]
    first = [indicators.cell(row=3, column=c).value for c in range(1, 9)]
    assert first[:7] == ["履职效能", "产出", "实际利用外资", 10, "≥1500万美元", "1810万美元", 10]


def test_round_trip_export_import_gives_the_same_package(tmp_path, sample, capsys):
    out, back = tmp_path / "导入表.xlsx", tmp_path / "back.json"
    assert main(["export", str(SAMPLE), "--layout", PROVINCE, "--xlsx", str(out)]) == 0
    assert main(["import", str(out), "-o", str(back)]) == 0
    assert back.read_bytes() == write_package(sample)


def test_corrections_in_the_visible_cells_are_read_back_even_after_rows_moved(tmp_path, sample):
    book = load_workbook(BytesIO(layout_bytes(sample, layouts()[PROVINCE])))
    funds, indicators = book["资金情况"], book["绩效指标"]
    funds["E3"] = 1100.5  # 合计 › 全年执行数
    row = next(r for r in range(3, indicators.max_row + 1)
               if indicators.cell(row=r, column=3).value == "服务对象满意度")
    indicators.cell(row=row, column=8, value="满意度调查样本偏少，明年扩大调查范围。")
    indicators.insert_rows(3)  # the clerk inserts a row above the indicators
    book["绩效目标"]["C3"] = "全部完成。"
    buffer = BytesIO()
    book.save(buffer)
    read = read_workbook(buffer.getvalue())
    evaluation = read.evaluation
    assert evaluation.budget.total.executed == Decimal("1100.5")
    assert evaluation.value("satisfaction").deviation == "满意度调查样本偏少，明年扩大调查范围。"
    assert evaluation.goals.completion == "全部完成。"
    assert evaluation.goals.targets == sample.goals.targets


def test_a_layout_is_a_data_file_the_user_can_add(tmp_path, monkeypatch, sample, capsys):
    monkeypatch.setenv("SELFEVAL_HOME", str(tmp_path))
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "city.json").write_text(json.dumps({
        "format": "selfeval-exchange-layout", "version": 1, "id": "city", "name": "某市导入表",
        "sheets": [{"title": "指标", "rows": "indicators", "columns": [
            {"key": "zbmc", "label": "指标名称", "value": "indicator.name"},
            {"key": "df", "label": "得分", "value": "indicator.score"},
            {"key": "pcyy", "label": "偏差原因", "value": "indicator.deviation"}]}]},
        ensure_ascii=False), "utf-8")
    out = tmp_path / "city.xlsx"
    assert main(["export", str(SAMPLE), "--layout", "city", "--xlsx", str(out)]) == 0
    ws = load_workbook(out)["指标"]
    assert [c.value for c in ws[1]] == ["zbmc", "df", "pcyy"]
    assert ws["A3"].value == "实际利用外资" and ws["B3"].value == 10
    assert main(["import", str(out), "-o", str(tmp_path / "b.json")]) == 0
    assert main(["export", str(SAMPLE), "--layout", "nosuch", "--xlsx", str(out)]) == 2
    err = capsys.readouterr().err
    assert "nosuch" in err and "city" in err and PROVINCE in err


@pytest.mark.parametrize("raw, words", [
    ("{", "JSON"), ("[]", "format"), ('{"format": "selfeval-exchange-layout"}', "id"),
    ('{"format": "selfeval-exchange-layout", "id": "a", "name": "b", "sheets": [{"title": "t", '
     '"rows": "people", "columns": []}]}', "rows"),
    ('{"format": "selfeval-exchange-layout", "id": "a", "name": "b", "sheets": [{"title": "t", '
     '"rows": "budget", "columns": [{"key": "x", "label": "y", "value": "indicator.name"}]}]}',
     "不认识"),
])
def test_a_broken_layout_file_says_what_is_wrong(raw, words):
    with pytest.raises(LayoutError, match=words):
        read_layout(raw)


@pytest.mark.slow
def test_the_export_menu_writes_the_layout_and_import_reads_it(open_window, shown, qtbot,
                                                               tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_HOME", str(tmp_path / "home"))
    window = open_window(tmp_path / "lib.db")
    actions = window.exports
    monkeypatch.setattr(actions, "ask_save_path", lambda *a: str(tmp_path / "导入表.xlsx"))
    monkeypatch.setattr(actions, "offer_open", lambda path: None)
    menu = menu_titled(window, "导出")
    action = next(a for a in menu.actions() if a.text() == "导出为预算系统导入表…")
    with qtbot.waitSignal(actions.finished, timeout=20000):
        action.trigger()
    read = read_workbook((tmp_path / "导入表.xlsx").read_bytes())
    assert write_package(read.evaluation) == write_package(window.document.evaluation)
