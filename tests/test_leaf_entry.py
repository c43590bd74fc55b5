"""What a clerk types into an indicator's cell: what is kept, what is refused and why.

The same reading serves the indicator tree's cells and the leaf panel, so a text
refused in one is refused in the other with the same words.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from fuzz_budget import cases
from hypothesis import given, settings
from hypothesis import strategies as st

from forms.leaf_entry import COUNT_MAX, coefficient_problem, count_problem, read_entry
from forms.model import LeafValue
from forms.package import read_package
from forms.scoring import score

EXAMPLES = 300
SAMPLE = read_package((Path(__file__).resolve().parent.parent / "forms" / "samples"
                       / "suigang-2022.json").read_bytes())


def leaf_and_value(sample, leaf_id):
    return sample.system.leaf(leaf_id), sample.value(leaf_id)


ACCEPTED = [  # (leaf, kind, typed, field, the value's fields afterwards)
    ("fdi", "actual", "1810", "actual", {"actual": Decimal(1810)}),
    ("fdi", "actual", "１，８１０.５", "actual", {"actual": Decimal("1810.5")}),
    ("fdi", "actual", "  ", "actual", {"actual": None}),
    ("assets", "count", "3", "count", {"count": Decimal(3)}),
    ("assets", "count", "0", "count", {"count": Decimal(0)}),
    ("assets", "count", "9999", "count", {"count": Decimal(9999)}),
    ("assets", "count", "", "count", {"count": None}),
    ("satisfaction", "level", "优", "level", {"level": "优", "coefficient": None}),
    ("satisfaction", "level", " 差 ", "level", {"level": "差", "coefficient": None}),
    ("satisfaction", "level", "95", "coefficient", {"level": None, "coefficient": Decimal(95)}),
    ("satisfaction", "level", "0", "coefficient", {"level": None, "coefficient": Decimal(0)}),
    ("satisfaction", "level", "100", "coefficient", {"level": None, "coefficient": Decimal(100)}),
    ("satisfaction", "level", "", "coefficient", {"level": None, "coefficient": None}),
    ("fdi", "deviation", "外资到位滞后。", "deviation", {"deviation": "外资到位滞后。"}),
]


@pytest.mark.parametrize(("leaf_id", "kind", "text", "field", "fields"), ACCEPTED)
def test_accepted_entries(sample, leaf_id, kind, text, field, fields):
    leaf, value = leaf_and_value(sample, leaf_id)
    entry = read_entry(leaf, leaf_id, value, kind, text)
    assert entry.refused == ""
    assert entry.field == field
    assert entry.value == replace(value, **fields)


REFUSED = [  # (leaf, kind, typed, the field marked, the words the clerk reads)
    ("fdi", "actual", "12x", "actual", "实际利用外资实际完成值：“12x”不是数字"),
    ("assets", "count", "2.5", "count", "资产管理规范性次数：应为 0–9999 的整数"),
    ("assets", "count", "-1", "count", "资产管理规范性次数：应为 0–9999 的整数"),
    ("assets", "count", "10000", "count", "资产管理规范性次数：应为 0–9999 的整数"),
    ("assets", "count", "两次", "count", "资产管理规范性次数：“两次”不是数字"),
    ("satisfaction", "level", "150", "coefficient",
     "服务对象满意度等级或系数：请填写优、良、中、差或 0–100 的百分比"),
    ("satisfaction", "level", "-5", "coefficient",
     "服务对象满意度等级或系数：请填写优、良、中、差或 0–100 的百分比"),
    ("satisfaction", "level", "很好", "coefficient", "服务对象满意度等级或系数：“很好”不是数字"),
    ("visits", "score", "1e999", "score", "走访企业人次得分：“1e999”"),
]


@pytest.mark.parametrize(("leaf_id", "kind", "text", "field", "message"), REFUSED)
def test_refused_entries_change_nothing_and_say_why(sample, leaf_id, kind, text, field,
                                                     message):
    leaf, value = leaf_and_value(sample, leaf_id)
    entry = read_entry(leaf, leaf_id, value, kind, text)
    assert entry.field == field
    assert entry.value == value
    assert entry.refused.startswith(message)


def test_the_same_level_or_percentage_again_is_no_change(sample):
    leaf, value = leaf_and_value(sample, "satisfaction")
    assert value.level == "良"
    assert read_entry(leaf, "satisfaction", value, "level", "良").value is value
    as_percent = replace(value, level=None, coefficient=Decimal(95))
    assert read_entry(leaf, "satisfaction", as_percent, "level", "95").value is as_percent
    # a percentage replaces a level even when it is the level's own figure
    assert read_entry(leaf, "satisfaction", value, "level", "80").value == \
        replace(value, level=None, coefficient=Decimal(80))


def test_an_unknown_kind_is_a_defect(sample):
    leaf, value = leaf_and_value(sample, "fdi")
    with pytest.raises(ValueError):
        read_entry(leaf, "fdi", value, "name", "x")


@pytest.mark.parametrize(("number", "ok"), [
    (None, True), (Decimal(0), True), (Decimal(COUNT_MAX), True), (Decimal("3.0"), True),
    (Decimal("0.5"), False), (Decimal(-1), False), (Decimal(COUNT_MAX + 1), False)])
def test_count_limits(number, ok):
    assert (count_problem(number, "次数") == "") is ok


@pytest.mark.parametrize(("number", "names", "message"), [
    (None, (), ""), (Decimal(0), (), ""), (Decimal(100), ("优",), ""),
    (Decimal("100.01"), (), "系数：请填写 0–100 的百分比"),
    (Decimal("-0.01"), ("优", "良"), "系数：请填写优、良或 0–100 的百分比")])
def test_coefficient_limits(number, names, message):
    assert coefficient_problem(number, "系数", names) == message


texts = st.one_of(
    st.text(max_size=12),
    st.decimals(allow_nan=False, allow_infinity=False, min_value=-20000,
                max_value=20000).map(str),
    st.integers(-50, 12000).map(str),
    st.sampled_from(["优", "良", "中", "差", " 优", "100%", "１０", "1,000", ""]),
)


def test_any_text_is_either_kept_and_scorable_or_refused_and_harmless():
    seen = {"cases": 0, "refused": 0}

    @settings(max_examples=cases(EXAMPLES), deadline=None)
    @given(st.sampled_from(["fdi:actual", "assets:count", "satisfaction:level", "visits:score"]),
           texts)
    def case(where, text):
        sample = SAMPLE
        leaf_id, kind = where.split(":")
        seen["cases"] += 1
        leaf, value = leaf_and_value(sample, leaf_id)
        entry = read_entry(leaf, leaf_id, value, kind, text)
        if entry.refused:
            seen["refused"] += 1
            assert entry.value == value and leaf.name in entry.refused
            return
        kept: LeafValue = entry.value
        result = score(sample.with_value(leaf_id, kept)).leaf(leaf_id)
        # what was kept scores (or is simply missing): never an invalid figure
        assert result.status != "invalid", (text, kept, result.status)
        assert result.score >= 0

    case()
    print(f"\nleaf entry sweep: {seen['cases']} texts, {seen['refused']} refused")
    assert seen["cases"] >= min(cases(EXAMPLES), 50)
