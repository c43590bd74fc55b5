"""Full marks only for full achievement, and a grade only for a total that reaches it.

A leaf of weight 0.01 at 50% scored 0.005, which rounded half up to 0.01 — full marks — so
a table of tiny weights totalled 100.00 at 50%.  A grade list without a 0 floor graded a
total below its lowest 下限 with that grade (38.58 分 as 优)."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from docx import Document
from fuzz_budget import cases
from hostile_corpus import floorless_grades, tiny_weight_leaves
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from conftest import SAMPLE
from desktop.cli import main
from exports.docx_report import docx_bytes
from exports.excel import workbook_bytes
from forms.numbers import round2, round_score
from forms.package import read_package
from forms.scoring import score
from forms.system import UNGRADED, build_system


def _tiny_weights(tiny: int, achieved: str) -> dict:
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["system"], data["values"] = tiny_weight_leaves(tiny, achieved)
    return data


def test_tiny_weights_at_half_achievement_do_not_reach_full_marks():
    evaluation = read_package(json.dumps(_tiny_weights(100, "50"), ensure_ascii=False))
    result = score(evaluation)
    assert [r.score for r in result.leaves if r.leaf.id.startswith("t")] == [Decimal("0.00")] * 100
    assert result.total == Decimal("99.00")
    full = score(read_package(json.dumps(_tiny_weights(100, "100"), ensure_ascii=False)))
    assert full.total == Decimal("100.00")


def test_a_leaf_just_short_of_full_marks_stays_short():
    data = _tiny_weights(0, "100")
    data["values"]["big"] = {"actual": "99.996"}  # 98.99604 of 99: half up would give 99.00
    result = score(read_package(json.dumps(data, ensure_ascii=False)))
    assert result.leaf("big").score == Decimal("98.99")
    assert result.total < 100


@settings(max_examples=cases(500), deadline=None, database=None)
@given(st.decimals(min_value=Decimal("0.01"), max_value=100, places=2),
       st.decimals(min_value=0, max_value=1, places=6))
def test_round_score_reaches_full_only_at_full(weight, fraction):
    raw = weight * fraction
    got = round_score(raw, weight)
    assert (got == weight) == (raw == weight)
    assert got <= weight and abs(got - raw) <= Decimal("0.01")
    assert got in (round2(raw), round2(raw) - Decimal("0.01"))


def _ungraded_sample(grades: str = "two-grades") -> dict:
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["system"]["grades"] = floorless_grades()[grades]
    return data  # the sample scores 92.58, below every 下限


@pytest.mark.parametrize("grades", list(floorless_grades()))
def test_a_total_below_every_grade_is_ungraded_in_score_workbook_and_report(grades):
    evaluation = read_package(json.dumps(_ungraded_sample(grades), ensure_ascii=False))
    result = score(evaluation)
    assert result.total == Decimal("92.58") and result.grade == UNGRADED
    book = load_workbook(io.BytesIO(workbook_bytes(evaluation)))
    cells = [str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
             if c.value is not None]
    assert UNGRADED in cells  # the form's 等级 cell
    assert {c for c in cells if c.startswith("自评等级：")} == {f"自评等级：{UNGRADED}"}
    text = "".join(p.text for p in Document(io.BytesIO(docx_bytes(evaluation))).paragraphs)
    assert f"自评等级为“{UNGRADED}”" in text and "自评等级为“良”" not in text


def test_system_check_flags_a_grade_list_without_a_zero_floor(tmp_path, capsys):
    path = tmp_path / "system.json"
    path.write_text(json.dumps(_ungraded_sample()["system"], ensure_ascii=False), encoding="utf-8")
    assert main(["system-check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "等级划分没有下限为 0 的等级" in out and "低于 93 分" in out
    _, problems = build_system(json.loads(path.read_text(encoding="utf-8")))
    assert problems == []  # usable: flagged, not refused (an evaluation using it still opens)


@pytest.mark.parametrize("grades", [[{"min": 0, "grade": "差"}], None])
def test_a_list_with_a_floor_is_not_flagged(tmp_path, capsys, grades):
    system = _ungraded_sample()["system"]
    system["grades"] = grades
    path = tmp_path / "system.json"
    path.write_text(json.dumps(system, ensure_ascii=False), encoding="utf-8")
    assert main(["system-check", str(path)]) == 0
    assert "下限为 0" not in capsys.readouterr().out


def test_the_system_editor_lists_the_missing_floor_and_clicking_it_is_harmless(qtbot, tmp_path,
                                                                               monkeypatch):
    from PySide6.QtCore import Qt

    from desktop.common import messages
    from desktop.system_editor.window import SystemEditor

    monkeypatch.setattr(messages.Messages, "show", staticmethod(lambda *a, **k: None))
    path = tmp_path / "system.json"
    path.write_text(json.dumps(_ungraded_sample()["system"], ensure_ascii=False), encoding="utf-8")
    editor = SystemEditor()
    qtbot.addWidget(editor)
    editor.show()
    assert editor.files.open_file(path)
    items = [editor.checks.problem_list.item(i) for i in range(editor.checks.problem_list.count())]
    floor = [i for i in items if "等级划分没有下限为 0 的等级" in i.text()]
    assert len(floor) == 1 and floor[0].text().startswith("注意：")
    rect = editor.checks.problem_list.visualItemRect(floor[0])
    qtbot.mouseClick(editor.checks.problem_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor.close()
