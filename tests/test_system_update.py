"""Updating an evaluation to a newer version of its system: the diff and score before → after."""

from __future__ import annotations

from decimal import Decimal

from forms.catalog import all_systems
from forms.scoring import score
from forms.system import load_system, system_to_dict
from forms.system_edit import SystemDraft
from forms.system_update import ADDED, CHANGED, KEPT, REMOVED, plan_update, update_candidates


def _edited(system, edit):
    raw = system_to_dict(system)
    edit(raw)
    return load_system(raw)


def _leaves(raw, custom=False):
    """(level-2 node, its leaves) of the 预算执行-like blocks (or only the custom ones)."""
    for top in raw["indicators"]:
        for mid in top["children"]:
            if bool(mid.get("custom")) == custom:
                yield mid, mid["children"]


def test_same_system_changes_nothing(sample):
    plan = plan_update(sample, sample.system)
    assert plan.before.total == plan.after.total == Decimal("92.58")
    assert all(c.kind == KEPT for c in plan.changes) and not plan.differences
    assert plan.dropped_values == ()


def test_reweighted_removed_and_added_leaves_with_scores_before_and_after(sample):
    block = sample.system.indicators[0].children[1]  # 履职效能 › 效益 (not custom)
    first, second = block.children[0], block.children[1]

    def edit(raw):
        _mid, leaves = next(iter(_leaves(raw)))
        removed = leaves.pop(1)  # the second leaf goes …
        leaves.append({"id": "new_leaf", "name": "新增指标", "weight": removed["weight"],
                       "rule": {"type": "manual"}})  # … and a new one takes its weight

    new_system = _edited(sample.system, edit)
    plan = plan_update(sample, new_system)
    kinds = {c.leaf_id: c.kind for c in plan.changes}
    assert kinds[second.id] == REMOVED and kinds["new_leaf"] == ADDED and kinds[first.id] == KEPT
    removed = next(c for c in plan.changes if c.kind == REMOVED)
    before_second = score(sample).leaf(second.id).score
    assert removed.old_score == before_second and removed.new_score is None
    # the new leaf has no value yet: the total drops by exactly the removed leaf's score
    assert plan.after.total == plan.before.total - before_second
    assert second.id in sample.values and plan.dropped_values == (second.id,)
    assert second.id not in plan.updated.values
    # kept values are carried over by id
    assert plan.updated.values[first.id] == sample.values[first.id]
    assert plan.updated.system.leaf("new_leaf") is not None


def test_rule_change_is_described(sample):
    leaf = sample.system.leaf("exec_rate")

    def edit(raw):
        for _, leaves in _leaves(raw):
            for node in leaves:
                if node["id"] == leaf.id:
                    node["rule"] = {"type": "manual"}

    plan = plan_update(sample, _edited(sample.system, edit))
    change = next(c for c in plan.changes if c.leaf_id == leaf.id)
    assert change.kind == CHANGED
    assert "评分规则 比率（按目标值折算） → 直接评分" in change.description


def test_custom_block_leaves_of_the_department_are_kept(sample):
    ev = sample  # 履职效能 › 产出 is the department's own block (custom) in the sample
    raw2 = system_to_dict(sample.system)
    mid2, _ = next(iter(_leaves(raw2, custom=True)))
    # the bureau's newer version ships the custom block with a placeholder leaf
    mid2["children"] = [{"id": "placeholder", "name": "示例", "weight": mid2["weight"],
                         "rule": {"type": "manual"}}]
    plan = plan_update(ev, load_system(raw2))
    assert plan.kept_custom == ("履职效能 › 产出",)
    assert plan.after.total == plan.before.total
    assert [leaf.id for leaf in plan.updated.system.indicators[0].children[0].children] == \
        ["fdi", "new_projects", "registered"]
    plan2 = plan_update(ev, load_system(raw2), keep_custom=False)
    assert plan2.after.total < plan2.before.total
    assert {c.leaf_id for c in plan2.differences} == {"fdi", "new_projects", "registered",
                                                      "placeholder"}


def test_candidates_are_other_versions(sample):
    assert update_candidates(sample, all_systems()) == []  # the sample's system is unique
    draft = SystemDraft.from_system(sample.system)
    draft.set_weight((0, 1, 0), "1")  # a newer, different version saved by the clerk
    draft.save_user()
    found = update_candidates(sample, all_systems())
    assert [e.id for e in found] == ["user-1"] and found[0].name == sample.system.name


def test_editing_a_system_never_changes_an_evaluation_made_from_it(tmp_path):
    from desktop.cli import main
    from forms.catalog import resolve_system, user_systems
    from forms.package import load_package

    draft = SystemDraft.from_system(resolve_system("national-common"))
    draft.data.pop("id")
    draft.save_user()
    system_id = user_systems()[0].id
    pkg = tmp_path / "评价.json"
    assert main(["new", "--system", system_id, "--department", "某局", "--year", "2024",
                 "-o", str(pkg)]) == 0
    weight = next(iter(draft.check().system.leaves())).weight
    draft.set_weight((0, 0, 0), str(weight + 1))
    draft.save_user()  # the system changes (now a draft with problems)
    ev = load_package(pkg)
    assert next(iter(ev.system.leaves())).weight == weight  # the evaluation keeps its own copy
    assert plan_update(ev, ev.system).differences == ()
