"""A bureau's own template filled with the evaluation's figures: every mapped cell read back,
and what the template had (formulas, merges, print set-up, protection) left as it was."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from desktop.cli import main
from exports.template_fill import figures, fill, propose
from forms.package import load_package
from forms.scoring import score
import template_shapes

SAMPLE = Path(__file__).resolve().parents[1] / "forms" / "samples" / "suigang-2022.json"


@pytest.fixture(scope="module")
def sample():
    return load_package(SAMPLE)


def _book(data: bytes):
    return load_workbook(BytesIO(data))


def _expected(fig, yuan: bool = False):
    value = fig.value
    if isinstance(value, Decimal):
        value = value * 10000 if yuan and fig.kind == "amount" else value
        return pytest.approx(float(value), abs=1e-9)
    return value


def _check_every_placed_cell(sample, data: bytes, yuan_sheets: tuple[str, ...] = ()) -> int:
    proposal = propose(data, sample)
    filled = fill(data, sample, proposal.placements)
    book = _book(filled.data)
    by_key = {f.key: f for f in figures(sample)}
    checked = 0
    for p in filled.written:
        fig = by_key[p.key]
        assert book[p.sheet][p.cell].value == _expected(fig, p.sheet in yuan_sheets), p
        checked += 1
    return checked


def test_merged_headers_each_figure_lands_under_its_label(sample):
    data = template_shapes.merged_headers()
    proposal = propose(data, sample)
    filled = fill(data, sample, proposal.placements)
    ws = _book(filled.data)["自评表"]
    assert ws["B2"].value == "广州开发区穗港科技合作园管理委员会"
    assert ws["F2"].value == 2022
    assert (ws["B5"].value, ws["C5"].value, ws["D5"].value) == (1153.25, 1153.25, 1104.37)
    assert ws["E5"].value == pytest.approx(0.9576)
    assert ws["E5"].number_format == "0.00%"
    assert ws["C6"].value == 1153.25  # 一般公共预算财政拨款
    assert ws["B10"].value == sample.goals.targets
    assert ws["E10"].value == sample.goals.completion
    assert ws["B11"].value == 92.58 and ws["D11"].value == "优"
    # the budget table's own 得分 column is not the evaluation's total
    assert ws["G5"].value is None
    assert _check_every_placed_cell(sample, data) == len(filled.written) >= 20
    original = _book(data)["自评表"]
    assert set(map(str, ws.merged_cells.ranges)) == set(map(str, original.merged_cells.ranges))
    assert ws["A1"].font.name == "方正小标宋简体" and ws["A3"].fill.fgColor.rgb == "00DDDDDD"
    assert ws.column_dimensions["A"].width == 24


def test_three_level_block_fills_each_indicator_row(sample):
    data = template_shapes.three_levels(sample)
    proposal = propose(data, sample)
    filled = fill(data, sample, proposal.placements)
    book = _book(filled.data)
    ws = book["指标评分"]
    result = score(sample)
    rows = {ws.cell(row=r, column=3).value: r for r in range(2, ws.max_row + 1)
            if ws.cell(row=r, column=3).value}
    for leaf in result.leaves:
        r = rows[leaf.leaf.name]
        assert ws.cell(row=r, column=7).value == pytest.approx(float(leaf.score)), leaf.leaf.name
        assert ws.cell(row=r, column=4).value == pytest.approx(float(leaf.leaf.weight))
    assert ws.cell(row=rows["服务对象满意度"], column=6).value == "良"
    assert ws.cell(row=rows["实际利用外资"], column=5).value == "≥1500万美元"
    total_row = max(rows.values()) + 1
    assert ws.cell(row=total_row, column=1).value == "总分"
    assert ws.cell(row=total_row, column=7).value == 92.58
    assert (book["封面"]["A2"].value, book["封面"]["B2"].value) == (sample.department.name, 2022)
    # a level-1 name merged down its rows is no row of its own: nothing is written beside it
    assert [str(r) for r in ws.merged_cells.ranges if str(r).startswith("A")]
    level_one = {f"group.{g.address}.score" for g in result.groups if g.level == 1}
    assert not level_one & {p.key for p in filled.written}
    assert _check_every_placed_cell(sample, data) >= 12 * 4


def test_template_formulas_print_setup_and_protection_survive(sample):
    data = template_shapes.with_formulas()
    before = _book(data)["预算执行"]
    proposal = propose(data, sample)
    computed = {u.key for u in proposal.unplaced if u.computed}
    assert {"budget.total.adjusted", "budget.total.executed", "budget.total.rate"} <= computed
    filled = fill(data, sample, proposal.placements)
    after = _book(filled.data)["预算执行"]
    written = {p.cell for p in filled.written if p.sheet == "预算执行"}
    for row in before.iter_rows():
        for cell in row:
            if cell.coordinate not in written:
                assert after[cell.coordinate].value == cell.value, cell.coordinate
                assert after[cell.coordinate].number_format == cell.number_format
    assert after["B4"].value == "=SUM(B5:B7)" and after["D5"].value.startswith("=IF(")
    # amounts in a 元 column are written in 元
    assert after["B5"].value == 11532500 and after["C5"].value == 11043700
    assert after["B9"].value == 92.58 and after["C9"].value == before["C9"].value
    assert after.page_setup.orientation == "landscape"
    assert after.page_setup.fitToWidth == 1 and after.sheet_properties.pageSetUpPr.fitToPage
    assert after.print_title_rows == before.print_title_rows == "$3:$3"
    assert after.print_options.horizontalCentered
    assert after.page_margins.left == 0.4
    assert after.oddFooter.center.text == "第 &P 页"
    assert after.protection.sheet and after.protection.password == before.protection.password
    assert [str(dv.sqref) for dv in after.data_validations.dataValidation] == ["B5:C7"]
    assert any("元" in note for note in filled.notes)
    assert _check_every_placed_cell(sample, data, yuan_sheets=("预算执行",)) == len(written)


def test_two_rows_that_could_both_be_meant_are_listed_not_guessed(sample):
    wb = Workbook()
    ws = wb.active
    for top in (1, 6):  # two tables, each with a 合计 row under 全年预算数
        ws.cell(row=top, column=2, value="全年预算数")
        ws.cell(row=top + 1, column=1, value="合计")
    out = BytesIO()
    wb.save(out)
    proposal = propose(out.getvalue(), sample)
    assert "budget.total.adjusted" not in {p.key for p in proposal.placements}
    reason = next(u.reason for u in proposal.unplaced if u.key == "budget.total.adjusted")
    assert "多处" in reason and "B2" in reason and "B7" in reason


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_fills_a_copy_and_keeps_a_corrected_mapping(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SELFEVAL_HOME", str(tmp_path / "home"))
    template = tmp_path / "模板.xlsx"
    template.write_bytes(template_shapes.merged_headers())
    digest = hashlib.sha256(template.read_bytes()).hexdigest()
    out, mapping = tmp_path / "填好.xlsx", tmp_path / "map.json"
    code, stdout, _ = _run(capsys, "fill-template", str(template), str(SAMPLE), "-o", str(out),
                           "--save-mapping", str(mapping))
    assert code == 0 and "已填写" in stdout
    assert _book(out.read_bytes())["自评表"]["D11"].value == "优"
    # the clerk moves 自评等级 to G11 and fills again with the corrected mapping
    raw = json.loads(mapping.read_text("utf-8"))
    raw["placements"] = [p if p[0] != "score.grade" else ["score.grade", "自评表", "G11"]
                         for p in raw["placements"]]
    mapping.write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    code, stdout, _ = _run(capsys, "fill-template", str(template), str(SAMPLE), "-o", str(out),
                           "--mapping", str(mapping))
    assert code == 0
    ws = _book(out.read_bytes())["自评表"]
    assert ws["G11"].value == "优" and ws["D11"].value is None
    # remembered: the next fill of the same template uses it without being told
    out2 = tmp_path / "again.xlsx"
    code, stdout, _ = _run(capsys, "fill-template", str(template), str(SAMPLE), "-o", str(out2))
    assert code == 0 and "上次" in stdout
    assert _book(out2.read_bytes())["自评表"]["G11"].value == "优"
    assert hashlib.sha256(template.read_bytes()).hexdigest() == digest  # never written over


@pytest.mark.parametrize("content, words", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "xls"),
    (b"not a workbook at all", "不是 Excel"),
    (b"PK\x03\x04broken", "损坏"),
])
def test_cli_refuses_a_template_it_cannot_read_in_one_line(tmp_path, capsys, content, words):
    template = tmp_path / "t.xlsx"
    template.write_bytes(content)
    code, _, err = _run(capsys, "fill-template", str(template), str(SAMPLE), "-o",
                        str(tmp_path / "o.xlsx"))
    assert code == 2 and words in err and err.count("\n") == 1 and "Traceback" not in err
    assert not (tmp_path / "o.xlsx").exists()


def test_cli_refuses_to_write_over_the_template_or_the_package(tmp_path, capsys):
    template = tmp_path / "t.xlsx"
    template.write_bytes(template_shapes.merged_headers())
    before = template.read_bytes()
    for target in (template, SAMPLE):
        code, _, err = _run(capsys, "fill-template", str(template), str(SAMPLE), "-o", str(target))
        assert code == 2 and "覆盖" in err
    assert template.read_bytes() == before
