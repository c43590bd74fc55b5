"""The editable system draft: tree operations, live checks mapped to nodes, preview, saving."""

from __future__ import annotations

from decimal import Decimal

import pytest

from forms.catalog import read_system_path, resolve_system, shipped_systems, user_systems
from forms.model import LeafValue
from forms.system import SystemInvalid, system_to_dict
from forms.system_edit import SystemDraft, node_path_of, preview_score

D = Decimal


def small_draft() -> SystemDraft:
    d = SystemDraft()
    d.set_header("name", "测试体系")
    a = d.add_child((), "管理", 60)
    a1 = d.add_child(a, "预算", 60)
    leaf = d.add_child(a1, "预算执行率", 40)
    d.set_field(leaf, "target", "100")
    d.set_field(leaf, "unit", "%")
    d.set_rule_type(leaf, "ratio")
    leaf2 = d.add_sibling(leaf, "制度", 20)
    d.set_rule_type(leaf2, "checklist")
    d.set_items(leaf2, [("有制度", "10"), ("执行", "10")])
    b = d.add_child((), "产出", 40)
    b1 = d.add_child(b, "数量", 40)
    d.add_child(b1, "完成率", 40)
    return d


def test_a_draft_built_by_operations_is_usable():
    d = small_draft()
    check = d.check()
    assert check.ok, check.problems
    assert [leaf.name for leaf in check.system.leaves()] == ["预算执行率", "制度", "完成率"]
    assert [leaf.id for leaf in check.system.leaves()] == ["ind01", "ind02", "ind03"]
    assert check.system.leaf("ind02").rule.items[1].points == D(10)


def test_weights_that_do_not_add_up_are_shown_at_each_level_with_both_figures():
    d = small_draft()
    d.set_weight((0, 0, 1), "15")
    check = d.check()
    assert [m.message for m in check.at((0, 0))] == ["「管理 › 预算」分值 60 与下级指标分值之和 55 不一致"]
    assert any("各检查项分值之和 20 不等于分值 15" in p.message for p in check.at((0, 0, 1)))
    assert check.below((0,)) == 2
    d.set_weight((0, 0, 1), "20")
    assert d.check().ok
    d.set_weight((1,), "30")
    check = d.check()
    assert [p.message for p in check.at(())] == ["一级指标分值之和为 90，应为 100"]
    assert any("30" in p.message and "40" in p.message for p in check.at((1,)))


def test_live_checks_band_scores_missing_target_and_not_a_number():
    d = small_draft()
    d.set_field((0, 0, 0), "target", "")
    assert any("需要指标值" in p.message for p in d.check().at((0, 0, 0)))
    d.set_field((0, 0, 0), "target", "１００％")  # full-width, as a pinyin IME types it
    assert d.check().ok
    d.set_rule_type((1, 0, 0), "bands")
    d.set_bands((1, 0, 0), [("90", "", "40"), ("80", "", "45")])
    assert any("第 2 档得分 45 超过分值 40" in p.message for p in d.check().at((1, 0, 0)))
    d.set_bands((1, 0, 0), [("90", "", "40"), ("80", "", "30"), ("", "", "")])
    assert d.check().ok
    d.set_weight((1, 0, 0), "四十")
    assert any("四十" in p.message for p in d.check().at((1, 0, 0)))


def test_move_remove_rename_and_ids_stay_stable():
    d = small_draft()
    new = d.move((0, 0, 1), -1)
    assert new == (0, 0, 0)
    assert d.node(new)["name"] == "制度" and d.node(new)["id"] == "ind02"
    assert d.move((0, 0, 0), -1) == (0, 0, 0)  # already first
    d.rename((1,), "产出指标")
    d.remove((0, 0, 1))
    assert list(d.walk()) == [(0,), (0, 0), (0, 0, 0), (1,), (1, 0), (1, 0, 0)]
    assert d.add_child((0, 0), "新增", 40) == (0, 0, 1)
    assert d.node((0, 0, 1))["id"] == "ind04"  # never reuses an id still in use


def test_problem_paths_map_to_nodes():
    assert node_path_of("system.indicators[2].children[0].children[3].rule.items[1].points") == \
        (2, 0, 3)
    assert node_path_of("system.indicators[1].weight") == (1,)
    assert node_path_of("system.indicators") == ()
    assert node_path_of("system.grades[0].min") == ()


def test_rule_switch_keeps_shared_params_and_either_options():
    d = small_draft()
    leaf = (1, 0, 0)
    d.set_rule_type(leaf, "deduct")
    d.set_rule_param(leaf, "points", "0.5")
    d.set_rule_type(leaf, "incidents")
    assert d.rule(leaf) == {"type": "incidents", "points": "0.5"}  # shared param kept
    d.set_rule_type(leaf, "either")
    i = d.add_option(leaf, "项目执行率")
    d.set_option_field(leaf, i, "target", "100")
    j = d.add_option(leaf, "资金到位率")
    d.set_rule_type(leaf, "manual", option=j)
    check = d.check()
    assert check.ok, check.problems
    rule = check.system.leaf("ind03").rule
    assert [o.name for o in rule.options] == ["项目执行率", "资金到位率"]
    assert rule.options[0].target == D(100) and rule.options[1].rule.type == "manual"


@pytest.mark.parametrize("node, value, expected", [
    ({"name": "预算执行率", "weight": 10, "target": 100, "rule": {"type": "ratio"}},
     LeafValue(actual=D("43.65")), "4.37"),
    ({"name": "在职人员控制率", "weight": 5, "rule": {"type": "deduct", "standard": 100,
      "direction": "max", "step": 1, "points": "0.5", "count": "proportional"}},
     LeafValue(actual=D("103.4")), "3.30"),
    ({"name": "在职人员控制率", "weight": 5, "rule": {"type": "deduct", "standard": 100,
      "direction": "max", "step": 1, "points": "0.5", "count": "started"}},
     LeafValue(actual=D("103.4")), "3.00"),
    ({"name": "在职人员控制率", "weight": 5, "rule": {"type": "deduct", "standard": 100,
      "direction": "max", "step": 1, "points": "0.5", "count": "whole"}},
     LeafValue(actual=D("103.4")), "3.50"),
    ({"name": "预算完成率", "weight": 8, "rule": {"type": "deduct", "standard": 100,
      "direction": "min", "step": 5, "points": 2, "count": "whole"}},
     LeafValue(actual=D(88)), "4.00"),
    ({"name": "重点支出安排率", "weight": 5, "rule": {"type": "bands", "bands": [
        {"min": 90, "score": 5}, {"min": 80, "score": 4}, {"min": 70, "score": 3},
        {"min": 60, "score": 2}]}}, LeafValue(actual=D(85)), "4"),
    ({"name": "预算调整率", "weight": 3, "source": "budget.adjustment_rate",
      "rule": {"type": "bands", "bands": [{"max": 0, "score": 3}, {"max": 10, "score": 2},
                                           {"max": 20, "score": 1}, {"max": 30, "score": "0.5"}]}},
     LeafValue(actual=D("12.5")), "1"),
])
def test_preview_gives_the_scoring_examples(node, value, expected):
    assert preview_score(node, value).score == D(expected)


def test_save_user_system_as_draft_and_usable(tmp_path):
    d = small_draft()
    d.set_weight((1,), "30")
    path = d.save_user()
    assert path.name == "user-1.json"
    entries = user_systems()
    assert [e.id for e in entries] == ["user-1"]
    with pytest.raises(SystemInvalid):  # a draft with problems cannot be used to score
        resolve_system("user-1")
    again = SystemDraft.from_path(path)
    assert again.node((1,))["weight"] == 30 and len(again.check().problems) == 2
    again.set_weight((1,), "40")
    assert again.save_user() == path
    assert resolve_system("user-1").name == "测试体系"


def test_every_shipped_system_round_trips_through_a_draft():
    for entry in shipped_systems():
        system, problems = read_system_path(entry.path)
        draft = SystemDraft.from_path(entry.path)
        assert draft.check().ok and not problems
        assert system_to_dict(draft.check().system) == system_to_dict(system)


def test_a_damaged_file_opens_with_what_was_dropped_listed(tmp_path):
    path = tmp_path / "坏.json"
    path.write_text('{"format": "selfeval-system", "name": "x", "indicators": '
                    '[{"name": "A", "weight": 100, "children": ["oops", {"name": "B", '
                    '"weight": 100, "children": 5}]}, 7]}', "utf-8")
    d = SystemDraft.from_path(path)
    assert d.walk() == [(0,), (0, 0)]
    assert len(d.dropped) == 3 and "「A」的第 1 个二级指标不是对象（oops）" in d.dropped[0]
    assert any("没有下级指标" in p.message for p in d.check().at((0, 0)))
    # no grades in the file: the default thresholds are shown (and used, as before)
    assert [g["grade"] for g in d.data["grades"]] == ["优", "良", "中", "差"]


def test_the_system_of_an_evaluation_package_opens_as_a_draft(sample_bytes):
    d = SystemDraft.from_file_bytes(sample_bytes, "suigang-2022.json")
    assert d.check().ok and d.data["name"] == "样例指标体系（仅供开发测试，非官方）"
    assert [leaf.id for leaf in d.check().system.leaves()][:2] == ["fdi", "new_projects"]


def test_not_a_system_file_is_refused_in_chinese():
    from forms.catalog import SystemFileError

    with pytest.raises(SystemFileError, match="格式应为"):
        SystemDraft.from_file_bytes(b'{"format": "something-else"}', "x.json")
    with pytest.raises(SystemFileError):
        SystemDraft.from_file_bytes(b"\xff\xfe not json", "x.json")
