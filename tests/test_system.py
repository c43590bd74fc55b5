"""Indicator systems: loaded from data, refused with a message naming the node."""

import copy

import pytest

from forms.catalog import read_system_path, shipped_systems, system_file_bytes, parse_system_file
from forms.scoring import score
from forms.model import new_evaluation
from forms.system import SystemInvalid, build_system, load_system, system_to_dict

GOOD = {
    "name": "测试体系",
    "indicators": [
        {"name": "管理效率", "weight": 60, "children": [
            {"name": "预算执行", "weight": 60, "children": [
                {"id": "exec", "name": "预算执行率", "weight": 40, "target": 100,
                 "source": "budget.execution_rate", "rule": {"type": "ratio"}},
                {"id": "chk", "name": "绩效管理", "weight": 20, "rule": {"type": "checklist",
                 "items": [{"id": "a", "label": "甲", "points": 12}, {"id": "b", "label": "乙", "points": 8}]}},
            ]}]},
        {"name": "履职效能", "weight": 40, "children": [
            {"name": "产出", "weight": 40, "custom": True, "children": [
                {"id": "out", "name": "产出数量", "weight": 40, "rule": {"type": "bands",
                 "bands": [{"min": 90, "score": 40}, {"min": 60, "score": 20}]}}]}]},
    ],
}


def problems_of(mutate):
    raw = copy.deepcopy(GOOD)
    mutate(raw)
    _, problems = build_system(raw)
    return [p.message for p in problems], [p.path for p in problems]


def test_good_system_loads():
    system = load_system(GOOD)
    assert [leaf.id for leaf in system.leaves()] == ["exec", "chk", "out"]
    assert system.weight == 100


@pytest.mark.parametrize("mutate, words", [
    (lambda r: r["indicators"][0].update(weight=50), ["一级指标分值之和为 90", "管理效率", "50", "60"]),
    (lambda r: r["indicators"][0]["children"][0]["children"][0].update(weight=30),
     ["管理效率 › 预算执行", "60", "50"]),
    (lambda r: r["indicators"][1]["children"][0]["children"][0].update(id="exec"),
     ["产出数量", "exec", "重复"]),
    (lambda r: r["indicators"][0]["children"][0]["children"][1]["rule"].update(type="magic"),
     ["绩效管理", "未知的评分规则类型", "magic"]),
    (lambda r: r["indicators"][0]["children"][0]["children"][1]["rule"]["items"][0].update(points=10),
     ["绩效管理", "18", "20"]),
    (lambda r: r["indicators"][1]["children"][0]["children"][0]["rule"]["bands"][0].update(score=45),
     ["产出数量", "45", "超过分值 40"]),
    (lambda r: r["indicators"][0]["children"][0]["children"][0].update(target=0), ["预算执行率", "大于 0"]),
    (lambda r: r["indicators"][0]["children"][0]["children"][0].pop("target"), ["预算执行率", "指标值"]),
    (lambda r: r["indicators"][0]["children"][0]["children"][0].update(source="budget.magic"),
     ["预算执行率", "未知的数据来源", "budget.magic"]),
    (lambda r: r["indicators"][0]["children"][0]["children"][0].update(weight="4O"),
     ["预算执行率", "4O"]),
])
def test_refusals_name_the_node(mutate, words):
    messages, _ = problems_of(mutate)
    assert messages, "the system should have been refused"
    text = "；".join(messages)
    for word in words:
        assert word in text


def test_a_custom_block_may_be_uneven_only_in_an_evaluation():
    def shrink(r):
        r["indicators"][1]["children"][0]["children"][0]["weight"] = 30
        r["indicators"][1]["children"][0]["children"][0]["rule"]["bands"][0]["score"] = 30
    raw = copy.deepcopy(GOOD)
    shrink(raw)
    assert build_system(raw)[1]  # a system file must add up
    assert not build_system(raw, strict_custom=False)[1]  # an evaluation reports it instead


def test_load_system_raises_with_every_problem():
    raw = copy.deepcopy(GOOD)
    raw["indicators"][0]["weight"] = 1
    raw["indicators"][1]["children"][0]["children"][0]["rule"]["type"] = "nope"
    with pytest.raises(SystemInvalid) as caught:
        load_system(raw)
    assert len(caught.value.problems) >= 3


def test_round_trip_keeps_everything():
    raw = copy.deepcopy(GOOD)
    raw["indicators"][0]["note"] = {"kept": True}
    raw["indicators"][0]["children"][0]["children"][0]["rule"]["memo"] = "保留"
    system = load_system(raw)
    again = system_to_dict(system)
    assert again["indicators"][0]["note"] == {"kept": True}
    assert again["indicators"][0]["children"][0]["children"][0]["rule"]["memo"] == "保留"
    assert load_system(again) == system


def test_every_shipped_system_loads_and_checks():
    entries = shipped_systems()
    ids = {e.id for e in entries}
    assert {"guangzhou-example", "sichuan-dazhou", "national-common"} <= ids
    names = {e.id: e.name for e in entries}
    assert names["guangzhou-example"] == "示例：广州市区级部门整体支出绩效自评指标体系（非官方）"
    for entry in entries:
        system, problems = read_system_path(entry.path)
        assert problems == [], (entry.id, problems)
        assert system.weight == 100
        assert entry.origin, f"{entry.id} must say where it comes from"
        # a new, empty evaluation on it scores without raising
        result = score(new_evaluation(system, "某单位", 2023))
        assert str(result.total) == "0.00" and not result.complete
        # the file format round-trips
        again, problems = parse_system_file(system_file_bytes(system))
        assert problems == [] and again == system


def test_shipped_guangzhou_covers_what_the_issue_asks():
    entry = next(e for e in shipped_systems() if e.id == "guangzhou-example")
    system, _ = read_system_path(entry.path)
    assert [g.name for g in system.indicators] == ["履职效能", "管理效率"]
    assert any(mid.custom for top in system.indicators for mid in top.children)
    sources = {leaf.source for leaf in system.leaves()}
    assert {"budget.execution_rate", "budget.carryover_rate"} <= sources
    names = {leaf.name for leaf in system.leaves()}
    assert any("政府采购" in n for n in names)


def test_shipped_dazhou_weights():
    entry = next(e for e in shipped_systems() if e.id == "sichuan-dazhou")
    system, _ = read_system_path(entry.path)
    assert [(g.name, int(g.weight)) for g in system.indicators] == [
        ("部门决策", 25), ("综合管理", 30), ("部门绩效情况", 45)]
    leaves = {leaf.name: int(leaf.weight) for leaf in system.leaves()}
    for name, weight in {"相关性": 5, "明确性": 5, "合理性": 5, "测算依据": 5, "目标管理": 5,
                         "专项资金分配时限": 2, "中期评估": 2, "绩效监控": 5, "非税收入执收": 2,
                         "资产管理": 6, "内控制度管理": 2, "信息公开": 6, "绩效评价": 5}.items():
        assert leaves.get(name) == weight, name


def test_shipped_national_uses_the_yueyang_rules():
    from decimal import Decimal
    from forms.budget import Rates
    from forms.model import LeafValue
    from forms.scoring import score_leaf
    entry = next(e for e in shipped_systems() if e.id == "national-common")
    system, _ = read_system_path(entry.path)
    assert [g.name for g in system.indicators] == ["投入", "过程", "产出", "效果"]
    by_name = {leaf.name: leaf for leaf in system.leaves()}
    staff = by_name["财政供养人员控制率"]
    r = score_leaf(staff, LeafValue(actual=Decimal("103.4")), Rates({}, {}))
    assert str(r.score) == "3.30"
    key = by_name["重点支出安排率"]
    assert str(score_leaf(key, LeafValue(actual=Decimal(85)), Rates({}, {})).score) == "4.00"
    adjust = by_name["预算调整率"]
    assert adjust.source == "budget.adjustment_rate"
    assert str(score_leaf(adjust, LeafValue(), Rates({"budget.adjustment_rate": Decimal("12.5")}, {})).score) == "1.00"


def test_a_problem_names_the_system_field_it_is_in():
    from forms.system import Problem

    assert Problem("system.name", "缺少名称").system_field == "name"
    assert Problem("system.grades[0].min", "x").system_field == "grades"
    assert Problem("system.indicators[1].children[0].weight", "x").system_field == "indicators"
    assert Problem("row 3", "第 3 行为空，已跳过").system_field == ""
    assert Problem("system", "x").system_field == ""
