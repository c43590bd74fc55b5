"""Updating an evaluation to another version of its indicator system (更新指标体系).

An evaluation keeps the copy of the system it was scored with, so editing a
system never changes a finished evaluation.  When the clerk asks for it,
``plan_update`` compares the two systems leaf by leaf, carries the entered
values of kept leaves over by id, and scores before and after, so the window
can show exactly what changes before anything is replaced.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from collections.abc import Iterable

from .catalog import SystemEntry
from .model import Evaluation
from .numbers import ZERO
from .scoring import ScoreResult, score
from .system import RULE_TYPES, Group, Leaf, System

ADDED = "added"
REMOVED = "removed"
CHANGED = "changed"
KEPT = "kept"

KIND_TEXT = {ADDED: "新增", REMOVED: "删除", CHANGED: "修改", KEPT: "不变"}


@dataclass(frozen=True)
class LeafChange:
    kind: str  # added / removed / changed / kept
    leaf_id: str
    name: str
    old_weight: Decimal | None
    new_weight: Decimal | None
    old_score: Decimal | None
    new_score: Decimal | None
    what: tuple[str, ...] = ()  # for ``changed``: what differs, in Chinese

    @property
    def description(self) -> str:
        if self.kind == CHANGED:
            return "；".join(self.what)
        return KIND_TEXT[self.kind]


@dataclass(frozen=True)
class SystemUpdate:
    before: ScoreResult
    after: ScoreResult
    updated: Evaluation
    changes: tuple[LeafChange, ...]  # in the new system's order, removed ones last
    dropped_values: tuple[str, ...]  # leaf ids whose entered values are left behind
    kept_custom: tuple[str, ...]  # 部门自定义 blocks kept from the evaluation

    @property
    def differences(self) -> tuple[LeafChange, ...]:
        return tuple(c for c in self.changes if c.kind != KEPT)


def _leaf_differences(old: Leaf, new: Leaf) -> tuple[str, ...]:
    what = []
    if old.name != new.name:
        what.append(f"名称“{old.name}”→“{new.name}”")
    if old.weight != new.weight:
        what.append(f"分值 {old.weight} → {new.weight}")
    if old.rule.type != new.rule.type:
        what.append(f"评分规则 {RULE_TYPES[old.rule.type]} → {RULE_TYPES[new.rule.type]}")
    elif old.rule != new.rule:
        what.append("评分规则参数改变")
    if old.target != new.target:
        what.append(f"指标值 {old.target if old.target is not None else '无'} → "
                    f"{new.target if new.target is not None else '无'}")
    if old.source != new.source:
        what.append("数据来源改变")
    if old.criteria != new.criteria and not what:
        what.append("评分标准文字改变")
    return tuple(what)


def _keep_custom_blocks(old: System, new: System) -> tuple[System, tuple[str, ...]]:
    """A 部门自定义 (custom) level-2 block holds leaves the department added itself: when
    the new system has the same block with the same weight, keep the department's leaves."""
    old_blocks = {(top.name, mid.name): mid for top in old.indicators for mid in top.children
                  if isinstance(mid, Group) and mid.custom}
    kept: list[str] = []
    tops = []
    for top in new.indicators:
        mids: list[Group | Leaf] = []
        for mid in top.children:
            found = old_blocks.get((top.name, mid.name)) if isinstance(mid, Group) else None
            if isinstance(mid, Group) and mid.custom and found and found.weight == mid.weight \
                    and found.children != mid.children:
                mids.append(replace(mid, children=found.children))
                kept.append(f"{top.name} › {mid.name}")
            else:
                mids.append(mid)
        tops.append(replace(top, children=tuple(mids)))
    return replace(new, indicators=tuple(tops)), tuple(kept)


def plan_update(evaluation: Evaluation, new_system: System, *,
                keep_custom: bool = True) -> SystemUpdate:
    """What replacing the evaluation's system with ``new_system`` changes (nothing is saved)."""
    old_system = evaluation.system
    kept_custom: tuple[str, ...] = ()
    if keep_custom:
        new_system, kept_custom = _keep_custom_blocks(old_system, new_system)
    new_ids = new_system.leaf_index()
    values = {k: v for k, v in evaluation.values.items() if k in new_ids}
    dropped = tuple(k for k in evaluation.values if k not in new_ids)
    updated = replace(evaluation, system=new_system, values=values)
    before, after = score(evaluation), score(updated)
    old_ids = old_system.leaf_index()
    changes: list[LeafChange] = []
    for leaf in new_system.leaves():
        old = old_ids.get(leaf.id)
        new_result = after.leaf(leaf.id)
        new_score = new_result.score if new_result else None
        if old is None:
            changes.append(LeafChange(ADDED, leaf.id, leaf.name, None, leaf.weight, None,
                                      new_score))
            continue
        old_result = before.leaf(leaf.id)
        what = _leaf_differences(old, leaf)
        changes.append(LeafChange(CHANGED if what else KEPT, leaf.id, leaf.name, old.weight,
                                  leaf.weight, old_result.score if old_result else None,
                                  new_score, what))
    for leaf in old_system.leaves():
        if leaf.id not in new_ids:
            r = before.leaf(leaf.id)
            changes.append(LeafChange(REMOVED, leaf.id, leaf.name, leaf.weight, None,
                                      r.score if r else ZERO, None))
    return SystemUpdate(before, after, updated, tuple(changes), dropped, kept_custom)


def update_candidates(evaluation: Evaluation, entries: Iterable[SystemEntry]
                      ) -> list[SystemEntry]:
    """Available systems that look like another version of the evaluation's system:
    the same id, or the same name, or the same jurisdiction."""
    system = evaluation.system
    entries = list(entries)
    out = []
    for entry in entries:
        if (system.id and entry.id == system.id) or entry.name == system.name:
            out.append(entry)
    others = [e for e in entries if e not in out and system.jurisdiction
              and e.jurisdiction == system.jurisdiction]
    return out + others
