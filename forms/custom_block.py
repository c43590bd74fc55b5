"""Editing a department-defined block (部门自定义指标, ``custom: true``) as new snapshots.

Pure functions over the immutable system dataclasses (no Qt), so the page's
add / remove / re-weight actions are each one undoable ``Evaluation.with_system``.
The block's own weight never changes: when its leaves do not add up to it,
``forms.validation.validate_system_blocks`` says so.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from .address import leaf_of, parse
from .model import Evaluation
from .rules import RULE_TYPES
from .rules.kinds import DIRECTION_TEXT
from .system import Group, Leaf, Rule, System

# rule choices offered for a department's own indicator
# (the names are the registry's: one wording of each rule everywhere)
CUSTOM_RULES: tuple[tuple[str, str, Rule], ...] = (
    ("manual", RULE_TYPES["manual"], Rule(type="manual")),
    ("ratio", f"{RULE_TYPES['ratio']}，{DIRECTION_TEXT['higher']}",
     Rule(type="ratio", direction="higher")),
    ("ratio_lower", f"{RULE_TYPES['ratio']}，{DIRECTION_TEXT['lower']}",
     Rule(type="ratio", direction="lower")),
)


def rule_choice(rule: Rule) -> str:
    if rule.type == "ratio":
        return "ratio_lower" if rule.direction == "lower" else "ratio"
    return rule.type


def block_of(system: System, leaf_id: str) -> tuple[int, int] | None:
    """(i, j) of the custom level-2 block holding ``leaf_id``, or None."""
    for i, top in enumerate(system.indicators):
        for j, mid in enumerate(top.children):
            if isinstance(mid, Group) and mid.custom and any(
                    isinstance(c, Leaf) and c.id == leaf_id for c in mid.children):
                return i, j
    return None


def _with_block(system: System, i: int, j: int, block: Group) -> System:
    top = system.indicators[i]
    children = list(top.children)
    children[j] = block
    indicators = list(system.indicators)
    indicators[i] = replace(top, children=tuple(children))
    return replace(system, indicators=tuple(indicators))


def new_leaf_id(system: System) -> str:
    used = set(system.leaf_index())
    n = 1
    while f"custom_{n}" in used:
        n += 1
    return f"custom_{n}"


def add_leaf(ev: Evaluation, i: int, j: int) -> tuple[Evaluation, str]:
    """A snapshot with a new leaf at the end of block (i, j); gives the new leaf's id."""
    block = ev.system.indicators[i].children[j]
    assert isinstance(block, Group)
    remaining = block.weight - block.children_weight
    leaf = Leaf(
        id=new_leaf_id(ev.system),
        name="新增指标",
        weight=remaining if remaining > 0 else Decimal(1),
        rule=Rule(type="manual"),
        criteria="",
    )
    block = replace(block, children=block.children + (leaf,))
    return ev.with_system(_with_block(ev.system, i, j, block)), leaf.id


def remove_leaf(ev: Evaluation, leaf_id: str) -> Evaluation:
    """A snapshot without the custom leaf ``leaf_id``, its value and its refused entries."""
    where = block_of(ev.system, leaf_id)
    if where is None:
        return ev
    i, j = where
    block = ev.system.indicators[i].children[j]
    assert isinstance(block, Group)
    block = replace(block, children=tuple(c for c in block.children
                                          if not (isinstance(c, Leaf) and c.id == leaf_id)))
    values = {k: v for k, v in ev.values.items() if k != leaf_id}
    refused = {p: t for p, t in ev.refused.items() if leaf_of(parse(p)) != leaf_id}
    return replace(ev.with_system(_with_block(ev.system, i, j, block)), values=values,
                   refused=refused)


def update_leaf(ev: Evaluation, leaf_id: str, **changes: Any) -> Evaluation:
    """A snapshot where the custom leaf ``leaf_id`` has ``changes``.

    ``changes`` are Leaf fields: name, weight, unit, target, criteria, rule.
    """
    where = block_of(ev.system, leaf_id)
    if where is None:
        return ev
    i, j = where
    block = ev.system.indicators[i].children[j]
    assert isinstance(block, Group)
    children = tuple(replace(c, **changes) if isinstance(c, Leaf) and c.id == leaf_id else c
                     for c in block.children)
    return ev.with_system(_with_block(ev.system, i, j, replace(block, children=children)))
