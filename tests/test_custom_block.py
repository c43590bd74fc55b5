"""A department's own indicators (部门自定义指标): adding, changing and removing them.

Each edit is a new snapshot; the block keeps its weight, and validation says so
when its leaves no longer add up to it.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from forms.custom_block import (
    CUSTOM_RULES,
    add_leaf,
    block_of,
    new_leaf_id,
    remove_leaf,
    rule_choice,
    update_leaf,
)
from forms.scoring import score
from forms.system import Rule
from forms.validation import validate


def block(ev):
    return ev.system.indicators[0].children[0]  # 产出, the sample's custom block (30 points)


@pytest.mark.parametrize(("leaf_id", "where"), [
    ("fdi", (0, 0)), ("registered", (0, 0)),
    ("output_growth", None),  # 效益 is not the department's own
    ("satisfaction", None), ("no_such_leaf", None)])
def test_block_of(sample, leaf_id, where):
    assert block_of(sample.system, leaf_id) == where


def test_a_new_leaf_takes_what_is_left_of_the_block_or_one_point(sample):
    after, leaf_id = add_leaf(sample, 0, 0)
    assert leaf_id == "custom_1" and new_leaf_id(after.system) == "custom_2"
    new = block(after).children[-1]
    assert (new.name, new.weight, new.rule.type) == ("新增指标", Decimal(1), "manual")
    assert block(after).weight == 30  # the block's own weight never changes
    assert any(i.path == "system.indicators[0].children[0]" and "31" in i.message
               for i in validate(after, score(after)))
    # with 5 points freed, the next leaf takes exactly those 5 and the block adds up
    lighter = update_leaf(sample, "fdi", weight=Decimal(5))
    after, leaf_id = add_leaf(lighter, 0, 0)
    assert after.system.leaf(leaf_id).weight == Decimal(5)
    assert not [i for i in validate(after, score(after)) if i.path.startswith("system.")]
    assert sample.system.leaf(leaf_id) is None  # the snapshot it came from is untouched


def test_update_and_remove_only_touch_the_departments_own_leaves(sample):
    named = update_leaf(sample, "fdi", name="外资", criteria="到位即得分")
    assert (named.system.leaf("fdi").name, named.system.leaf("fdi").criteria) == \
        ("外资", "到位即得分")
    assert update_leaf(sample, "satisfaction", name="x") is sample
    assert remove_leaf(sample, "satisfaction") is sample
    gone = remove_leaf(sample, "fdi")
    assert gone.system.leaf("fdi") is None and "fdi" not in gone.values
    assert [c.id for c in block(gone).children] == ["new_projects", "registered"]
    assert sample.system.leaf("fdi") is not None and "fdi" in sample.values


def test_removing_a_leaf_drops_the_text_refused_in_it_and_keeps_the_rest(sample):
    typed = sample.with_refused("values.fdi.actual", "一千").with_refused(
        "values.registered.actual", "十").with_refused("budget.total.executed", "x")
    gone = remove_leaf(typed, "fdi")
    assert dict(gone.refused) == {"values.registered.actual": "十", "budget.total.executed": "x"}


@pytest.mark.parametrize(("rule", "choice"), [
    (Rule(type="manual"), "manual"),
    (Rule(type="ratio", direction="higher"), "ratio"),
    (Rule(type="ratio", direction="lower"), "ratio_lower"),
    (Rule(type="incidents", points=Decimal(1)), "incidents"),
])
def test_rule_choice_names_the_offered_rules(rule, choice):
    assert rule_choice(rule) == choice
    offered = {key: offered_rule for key, _label, offered_rule in CUSTOM_RULES}
    if choice in offered:
        assert rule_choice(offered[choice]) == choice


def test_a_changed_rule_rescores_the_leaf(sample):
    assert (score(sample).leaf("fdi").status, score(sample).leaf("fdi").score) == \
        ("scored", Decimal(10))
    manual = update_leaf(sample, "fdi", rule=Rule(type="manual"))
    # a manual score is typed by the clerk: until then the leaf is missing and scores 0
    result = score(manual).leaf("fdi")
    assert (result.status, result.score, result.message) == \
        ("missing", 0, "实际利用外资：得分未填写")
