"""Two- and four-level systems and the new rules through the exports and imports:
the notice-like indicator table, system import, the workbook and the PDF report."""

from __future__ import annotations

import io
import json
import subprocess

import pytest
from openpyxl import Workbook, load_workbook

from exports.excel import workbook_bytes
from exports.pdf_report import report_bytes
from exports.system_table import system_table_bytes
from exports.system_workbook import import_system_bytes
from exports.tables import indicator_rows
from exports.workbook_import import read_workbook_bytes
from forms.package import package_from_dict
from forms.scoring import score
from forms.system import load_system
from forms.system_edit import SystemDraft
from conftest import needs_tool
from test_rules import CAP, chongqing, with_executed

FOUR = {"name": "四级体系", "not_applicable": "full", "cap": CAP, "indicators": [
    {"name": "产出", "weight": 60, "children": [
        {"name": "数量", "weight": 40, "children": [
            {"name": "招商", "weight": 25, "children": [
                {"id": "a", "name": "新引进项目数", "weight": 15, "target": 12, "unit": "个",
                 "criteria": "实际值/目标值×分值，满分为止。", "rule": {"type": "ratio"}},
                {"id": "b", "name": "签约金额", "weight": 10, "target": 100, "unit": "亿元",
                 "rule": {"type": "ratio", "overshoot": {"percent": 30, "points": 2}}}]},
            {"name": "服务", "weight": 15, "children": [
                {"id": "c", "name": "企业走访数", "weight": 15,
                 "criteria": "≥400家得15分；300（含）-400家得10分；300家以下不得分。",
                 "rule": {"type": "bands", "bands": [{"min": 400, "score": 15},
                                                     {"min": 300, "score": 10}]}}]}]},
        {"name": "质量", "weight": 20, "children": [
            {"id": "d", "name": "投诉办结率", "weight": 20, "target": 100, "unit": "%",
             "rule": {"type": "ratio"}}]}]},
    {"name": "管理", "weight": 40, "children": [
        {"id": "e", "name": "预算执行率", "weight": 20, "target": 100, "unit": "%",
         "source": "budget.execution_rate", "rule": {"type": "ratio"}},
        {"id": "f", "name": "资金使用合规性", "weight": 20,
         "criteria": "每发现一例违规使用资金的情形，扣2分，扣完为止。",
         "rule": {"type": "incidents", "points": 2}}]}]}
VALUES = {"a": {"actual": "10"}, "b": {"actual": "140"}, "c": {"actual": "350"},
          "d": {"not_applicable": True, "reason": "本年度无投诉"}, "f": {"count": "1"}}


def four_package(executed: str = "760.00") -> dict:
    return with_executed(chongqing(), executed) | {"system": FOUR, "values": VALUES}


def shape(nodes):
    return [(n.name, n.weight, shape(n.children)) if hasattr(n, "children") else (n.name, n.weight)
            for n in nodes]


@pytest.mark.parametrize("raw", [chongqing()["system"], FOUR], ids=["two", "four"])
def test_indicator_table_reads_back_into_the_same_tree(raw):
    system = load_system(raw)
    data = system_table_bytes(system)
    ws = load_workbook(io.BytesIO(data)).active
    depth = 4 if raw is FOUR else 2
    assert [c.value for c in ws[2]][:2 * depth] == \
        [x for level in "一二三四"[:depth] for x in (f"{level}级指标", "分值")]
    back, problems = import_system_bytes(data, name=system.name)
    assert problems == []
    assert shape(back.indicators) == shape(system.indicators)
    read = {leaf.id: leaf for leaf in back.leaves()}
    for old in system.leaves():
        new = next(n for n in read.values() if n.name == old.name)
        assert new.rule.type in ("manual", old.rule.type) and bool(new.review) == \
            (new.rule.type != "manual")


def test_a_four_level_system_built_in_the_editor_exports_and_reads_back():
    draft = SystemDraft(json.loads(json.dumps(FOUR)))
    # the clerk nests 质量 one level deeper and adds a leaf there
    draft.add_level((0, 1, 0))
    leaf = draft.add_child((0, 1, 0))
    draft.rename(leaf, "办结时限")
    draft.set_weight(leaf, "5")
    draft.set_weight((0, 1, 0, 0), "15")
    assert draft.check().ok, draft.check().problems
    system = draft.check().system
    back, problems = import_system_bytes(system_table_bytes(system), name=system.name)
    assert problems == [] and shape(back.indicators) == shape(system.indicators)
    pkg = four_package() | {"system": draft.to_dict()}
    ev = package_from_dict(pkg)
    again = read_workbook_bytes(workbook_bytes(ev))
    assert again.values == ev.values and score(again).total == score(ev).total


@needs_tool("pdftotext", "poppler-utils")
def test_the_workbook_and_report_of_a_four_level_capped_evaluation(tmp_path):
    ev = package_from_dict(four_package("650.00"))
    result = score(ev)
    # 不适用 scores full marks (the system's policy); 执行率 65% holds the total at 79
    assert (str(result.total), str(result.cap.uncapped)) == ("79.00", "81.50")
    rows = indicator_rows(ev, result)
    assert [r.names for r in rows[:2]] == [("产出", "数量", "招商")] * 2
    assert rows[0].name_at(3) == "招商" and rows[-1].names == ("管理",)
    book = load_workbook(io.BytesIO(workbook_bytes(ev)))
    texts = [str(c.value) for ws in book.worksheets for r in ws.iter_rows() for c in r if c.value]
    assert "预算执行率 65%，自评得分不高于 79 分（封顶前 81.50 分）" in texts
    assert {"二级指标", "三级指标", "四级指标", "数量", "招商"} <= set(texts)
    flat = "".join(_pdf_text(report_bytes(ev), tmp_path).split())
    assert "预算执行率65%，自评得分不高于79分，封顶前为81.5分" in flat
    assert "新引进项目数" in flat and "招商" in flat


def _pdf_text(data: bytes, tmp_path) -> str:
    pdf = tmp_path / "r.pdf"
    pdf.write_bytes(data)
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def _sheet(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_import_two_name_columns_with_rules_read_from_the_criteria():
    data = _sheet([
        ["一级指标", "二级指标", "分值", "评分标准"],
        ["预算执行", "预算执行率", 10, "预算执行率=全年执行数/全年预算数×100%，得分=预算执行率×10分。"],
        ["共性指标", "资金使用合规性", 5, "每发现一例违规使用资金的情形，扣1分，扣完为止。"],
        ["", "绩效目标编制", 5, "优得5分，良得4分，中得3分，差得0分。"],
        ["个性指标", "重点工作", 80, "根据完成情况酌情评分。"],
    ])
    system, problems = import_system_bytes(data, name="两级")
    assert problems == []
    assert shape(system.indicators) == [
        ("预算执行", 10, [("预算执行率", 10)]),
        ("共性指标", 10, [("资金使用合规性", 5), ("绩效目标编制", 5)]),
        ("个性指标", 80, [("重点工作", 80)])]
    kinds = {leaf.name: (leaf.rule.type, bool(leaf.review)) for leaf in system.leaves()}
    assert kinds == {"预算执行率": ("ratio", True), "资金使用合规性": ("incidents", True),
                     "绩效目标编制": ("coefficient", True), "重点工作": ("manual", False)}
    assert system.leaf("ind01").target == 100  # "×100%": the ratio's target


def test_import_percent_of_parent_weights_shows_both():
    data = _sheet([
        ["一级指标", "分值", "二级指标", "分值", "三级指标", "分值"],
        ["决策", 50, "目标", 60, "相关性", 50],
        ["", "", "", "", "明确性", 50],
        ["", "", "预算", 40, "科学性", 100],
        ["过程", 25, "管理", 100, "合规性", 100],
        ["效益", 25, "效果", 100, "满意度", 100],
    ])
    raw_system, problems = import_system_bytes(data, name="百分比")
    assert shape(raw_system.indicators) == [
        ("决策", 50, [("目标", 30, [("相关性", 15), ("明确性", 15)]),
                      ("预算", 20, [("科学性", 20)])]),
        ("过程", 25, [("管理", 25, [("合规性", 25)])]),
        ("效益", 25, [("效果", 25, [("满意度", 25)])])]
    assert raw_system.indicators[0].children[0].extra["share"] == 60  # the percent, kept
    assert any("按占“决策”（50 分）的百分比换算为分值" in p.message for p in problems)


def test_rows_carry_one_name_and_merge_key_per_level():
    """What a renderer needs for one column per level with merges over children."""
    from exports.tables import group_levels, spans

    ev = package_from_dict(four_package())
    rows = indicator_rows(ev, score(ev))
    assert group_levels(rows) == 3
    columns = [[r.name_at(level) for r in rows] for level in (1, 2, 3)]
    assert columns == [["产出"] * 4 + ["管理"] * 2,
                       ["数量", "数量", "数量", "质量", "", ""],
                       ["招商", "招商", "服务", "", "", ""]]
    merges = [spans([r.key_at(level) for r in rows]) for level in (1, 2, 3)]
    assert merges == [[(0, 3), (4, 5)],
                      [(0, 2), (3, 3), (4, 4), (5, 5)],
                      [(0, 1), (2, 2), (3, 3), (4, 4), (5, 5)]]
