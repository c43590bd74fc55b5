"""The evaluation package: exact round trips, and every malformed package refused with its path."""

import json
from decimal import Decimal

import pytest

from forms.package import PackageError, parse_json, read_package, write_package


def raw(sample_bytes):
    return parse_json(sample_bytes)


def test_round_trip_is_exact(sample_bytes):
    ev = read_package(sample_bytes)
    again = read_package(write_package(ev))
    assert again == ev
    assert write_package(again) == write_package(ev)
    # amounts keep the precision entered, as strings
    data = json.loads(write_package(ev))
    assert data["projects"][0]["budget"] == "207.5"
    assert data["budget"]["carryover"] == "0.00"


def test_unknown_keys_survive_a_round_trip(sample_bytes):
    data = raw(sample_bytes)
    data["x_top"] = {"a": [1, 2.50, "三"]}
    data["department"]["x_dept"] = "部门附加"
    data["budget"]["x_budget"] = 1
    data["budget"]["by_source"]["general"]["x_row"] = True
    data["budget"]["by_source"]["x_new_row"] = {"initial": "1", "adjusted": "2", "executed": "3"}
    data["goals"]["x_goal"] = None
    data["tasks"][0]["x_task"] = "任务附加"
    data["projects"][1]["x_proj"] = {"deep": {"deeper": Decimal("12345678901234567890.123456789")}}
    data["system"]["x_sys"] = "体系附加"
    data["system"]["indicators"][0]["x_l1"] = 1
    data["system"]["indicators"][0]["children"][0]["children"][0]["x_leaf"] = [1]
    data["system"]["indicators"][0]["children"][0]["children"][0]["rule"]["x_rule"] = "r"
    data["values"]["fdi"]["x_value"] = "v"
    data["values"]["ghost"] = {"actual": "1"}
    data["narrative"]["x_text"] = "附加文字"
    text = json.dumps(data, ensure_ascii=False, default=str)
    text = text.replace('"12345678901234567890.123456789"', "12345678901234567890.123456789")
    out = json.loads(write_package(read_package(text)), parse_float=Decimal)
    assert out["x_top"] == {"a": [1, Decimal("2.50"), "三"]}
    assert out["department"]["x_dept"] == "部门附加"
    assert out["budget"]["x_budget"] == 1
    assert out["budget"]["by_source"]["general"]["x_row"] is True
    assert out["budget"]["by_source"]["x_new_row"]["executed"] == "3"
    assert "x_goal" in out["goals"]
    assert out["tasks"][0]["x_task"] == "任务附加"
    assert out["projects"][1]["x_proj"]["deep"]["deeper"] == Decimal("12345678901234567890.123456789")
    assert out["system"]["x_sys"] == "体系附加"
    assert out["system"]["indicators"][0]["x_l1"] == 1
    leaf = out["system"]["indicators"][0]["children"][0]["children"][0]
    assert leaf["x_leaf"] == [1] and leaf["rule"]["x_rule"] == "r"
    assert out["values"]["fdi"]["x_value"] == "v"
    assert out["values"]["ghost"] == {"actual": "1"}
    assert out["narrative"]["x_text"] == "附加文字"


def test_numbers_may_be_json_numbers_or_strings(sample_bytes):
    data = raw(sample_bytes)
    data["budget"]["total"]["executed"] = Decimal("1104.37")
    data["values"]["fdi"]["actual"] = 1810
    text = json.dumps(data, ensure_ascii=False, default=str).replace('"1104.37"', "1104.37", 1)
    ev = read_package(text)
    assert ev.budget.total.executed == Decimal("1104.37")
    assert ev.value("fdi").actual == Decimal(1810)


def test_total_may_be_omitted(sample_bytes):
    from forms.budget import effective_total
    data = raw(sample_bytes)
    del data["budget"]["total"]
    ev = read_package(json.dumps(data, ensure_ascii=False, default=str))
    assert ev.budget.total is None
    assert effective_total(ev.budget).executed == Decimal("1104.37")
    assert "total" not in json.loads(write_package(ev))["budget"]


def _bad(sample_bytes, mutate):
    data = raw(sample_bytes)
    mutate(data)
    return json.dumps(data, ensure_ascii=False, default=str)


MALFORMED = [
    (lambda d: d["budget"]["by_source"]["general"].update(executed="12x"),
     "budget.by_source.general.executed", '“12x”不是数字'),
    (lambda d: d["budget"]["total"].update(adjusted="NaN"), "budget.total.adjusted", "不是数字"),
    (lambda d: d["budget"]["total"].update(adjusted="Infinity"), "budget.total.adjusted", "不是数字"),
    (lambda d: d["budget"].update(carryover=[1]), "budget.carryover", "不是数字"),
    (lambda d: d["budget"].update(carryover=True), "budget.carryover", "不是数字"),
    (lambda d: d["values"]["fdi"].update(actual="一千"), "values.fdi.actual", "不是数字"),
    (lambda d: d["values"]["assets"].update(count="x"), "values.assets.count", "不是数字"),
    (lambda d: d["values"]["perf_mgmt"].update(checked="targets"), "values.perf_mgmt.checked", "列表"),
    (lambda d: d["values"]["perf_mgmt"].update(checked=[1]), "values.perf_mgmt.checked[0]", "编号"),
    (lambda d: d["values"].update(fdi=[1]), "values.fdi", "对象"),
    (lambda d: d["values"]["fdi"].update(not_applicable="yes"), "values.fdi.not_applicable", "true"),
    (lambda d: d["projects"][2].update(budget="9 4.6"), "projects[2].budget", "不是数字"),
    (lambda d: d.update(projects={"a": 1}), "projects", "列表"),
    (lambda d: d.update(tasks=[1]), "tasks[0]", "对象"),
    (lambda d: d.update(format="something-else"), "format", "不是本程序的评价包"),
    (lambda d: d.pop("format"), "format", "缺少"),
    (lambda d: d.update(version=2), "version", "高于本程序支持的版本"),
    (lambda d: d.update(version="1"), "version", "不是整数"),
    (lambda d: d.pop("department"), "department", "缺少"),
    (lambda d: d["department"].pop("name"), "department.name", "缺少单位名称"),
    (lambda d: d["department"].update(year="二〇二二"), "department.year", "不是整数"),
    (lambda d: d.pop("system"), "system", "缺少指标体系"),
    (lambda d: d["system"]["indicators"][0].update(weight=70),
     "system.indicators[0].weight", "「履职效能」分值 70 与下级指标分值之和 60 不一致"),
    (lambda d: d["system"]["indicators"][1]["children"][1]["children"][0]["rule"]["items"][0].update(points=5),
     "system.indicators[1].children[1].children[0].rule.items", "绩效管理规范性"),
    (lambda d: d["system"]["indicators"][1]["children"][0]["children"][0].update(source="budget.x"),
     "system.indicators[1].children[0].children[0].source", "未知的数据来源"),
    (lambda d: d["system"]["indicators"][0]["children"][1]["children"][0]["rule"].update(type="guess"),
     "system.indicators[0].children[1].children[0].rule.type", "guess"),
    (lambda d: d["narrative"].update(problems={"a": 1}), "narrative.problems", "文字"),
]


@pytest.mark.parametrize("mutate, path, words", MALFORMED)
def test_malformed_packages_are_refused_with_their_path(sample_bytes, mutate, path, words):
    with pytest.raises(PackageError) as caught:
        read_package(_bad(sample_bytes, mutate))
    assert caught.value.path == path
    assert words in str(caught.value)
    assert str(caught.value).startswith(path)


@pytest.mark.parametrize("text, words", [
    (b"", "不是有效的 JSON"),
    (b"{", "不是有效的 JSON"),
    (b"[]", "顶层应为对象"),
    (b"\xff\xfe\x00garbage", "UTF-8"),
    (b'{"format": "selfeval-package", "version": 1, "x": NaN}', "NaN"),
    (b"[" * 100000 + b"]" * 100000, "JSON"),
    (b"PK\x03\x04 this is a zip", "JSON"),
])
def test_not_a_package_at_all(text, words):
    with pytest.raises(PackageError) as caught:
        read_package(text)
    assert words in str(caught.value)


def test_well_formed_but_wrong_is_accepted_and_reported(sample_bytes):
    from forms.validation import validate
    data = raw(sample_bytes)
    data["values"]["procurement"] = {"actual": "60"}  # below full marks, no deviation
    data["values"]["assets"] = {"count": "-1"}  # impossible: invalid leaf
    data["budget"]["by_source"]["general"]["executed"] = "1104.38"
    ev = read_package(_bad(sample_bytes, lambda d: d.update(data)))
    issues = validate(ev)
    paths = {i.path: i for i in issues}
    assert paths["values.assets"].level == "error"
    assert paths["values.procurement.deviation"].level == "warning"
    assert "1,104.38" in paths["budget.total.executed"].message
    assert "1,104.37" in paths["budget.total.executed"].message


def test_lone_surrogates_are_refused_with_their_path(sample_bytes):
    text = sample_bytes.decode("utf-8").replace("做好优质项目", "做好\\ud800优质项目", 1)
    with pytest.raises(PackageError) as caught:
        read_package(text)
    assert caught.value.path == "goals.targets"
    # a proper pair written as escapes is fine
    ok = sample_bytes.decode("utf-8").replace("做好优质项目", "做好\\ud842\\udfb7优质项目", 1)
    assert "𠮷" in read_package(ok).goals.targets


def test_appropriation_income_round_trips_and_is_absent_when_empty(sample):
    from dataclasses import replace as _replace

    from forms.package import package_to_dict, read_package, write_package

    assert "appropriation_income" not in package_to_dict(sample)["budget"]
    ev = _replace(sample, budget=_replace(sample.budget, appropriation_income=Decimal("11894.35")))
    again = read_package(write_package(ev))
    assert again.budget.appropriation_income == Decimal("11894.35")
    assert package_to_dict(again)["budget"]["appropriation_income"] == "11894.35"
