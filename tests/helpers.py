"""Small builders for tests: a one-leaf system, a leaf from its JSON form."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from forms.model import new_evaluation
from forms.system import Leaf, System, load_system


def system_with(*leaves: dict[str, Any], weight_rest: bool = True) -> System:
    """A valid system holding the given leaves (topped up to 100 with a manual leaf)."""
    leaves_ = [copy.deepcopy(leaf) for leaf in leaves]
    total = sum(Decimal(str(leaf["weight"])) for leaf in leaves_)
    if weight_rest and total < 100:
        leaves_.append({"id": "rest", "name": "其他", "weight": str(100 - total),
                        "rule": {"type": "manual"}})
    return load_system({
        "name": "测试体系",
        "indicators": [{"name": "一级", "weight": 100, "children": [
            {"name": "二级", "weight": 100, "children": leaves_}]}],
    })


def leaf(raw: dict[str, Any]) -> Leaf:
    found = system_with(raw).leaf(raw["id"])
    assert found is not None
    return found


def evaluation_with(*leaves: dict[str, Any]):
    return new_evaluation(system_with(*leaves), "测试单位", 2023)
