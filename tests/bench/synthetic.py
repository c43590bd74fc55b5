"""A filled evaluation of any size, with every rule type, for benchmarks."""

from __future__ import annotations

from decimal import Decimal

from forms.catalog import sample_package_bytes
from forms.model import Evaluation, LeafValue
from forms.package import read_package
from forms.system import load_system

_RULES = [
    ({"type": "ratio"}, {"target": 100}, lambda i: LeafValue(actual=Decimal(80 + i % 30))),
    ({"type": "ratio", "direction": "lower"}, {"target": 5},
     lambda i: LeafValue(actual=Decimal(i % 9), deviation="说明")),
    ({"type": "deduct", "standard": 100, "direction": "max", "step": 1, "points": 0.1,
      "count": "started"}, {}, lambda i: LeafValue(actual=Decimal("101.5"))),
    ({"type": "bands", "bands": [{"min": 90, "score": 1}, {"min": 60, "score": 0.5}]}, {},
     lambda i: LeafValue(actual=Decimal(50 + i % 50))),
    ({"type": "checklist", "items": [{"id": "a", "label": "甲", "points": 0.5},
                                     {"id": "b", "label": "乙", "points": 0.5}]}, {},
     lambda i: LeafValue(checked=("a",) if i % 2 else ("a", "b"))),
    ({"type": "incidents", "points": 0.25}, {}, lambda i: LeafValue(count=Decimal(i % 3))),
    ({"type": "coefficient", "levels": {"优": 100, "良": 80}}, {},
     lambda i: LeafValue(level="良" if i % 2 else "优")),
    ({"type": "manual"}, {}, lambda i: LeafValue(score=Decimal("0.9"))),
]


def synthetic_evaluation(leaves: int = 100) -> Evaluation:
    """``leaves`` leaves of weight 100/leaves in 10 level-1 × 5 level-2 groups."""
    assert leaves % 50 == 0
    weight = Decimal(100) / leaves
    per_mid = leaves // 50
    indicators = []
    values = {}
    n = 0
    for a in range(10):
        mids = []
        for b in range(5):
            children = []
            for _ in range(per_mid):
                rule, extra, value = _RULES[n % len(_RULES)]
                rule = dict(rule)
                if rule["type"] == "checklist":
                    half = weight / 2
                    rule["items"] = [{"id": "a", "label": "甲", "points": str(half)},
                                     {"id": "b", "label": "乙", "points": str(weight - half)}]
                if rule["type"] == "bands":
                    rule["bands"] = [{"min": 90, "score": str(weight)},
                                     {"min": 60, "score": str(weight / 2)}]
                children.append({"id": f"l{n}", "name": f"指标{n}", "weight": str(weight),
                                 "rule": rule, **extra})
                values[f"l{n}"] = value(n)
                n += 1
            mids.append({"name": f"二级{a}-{b}", "weight": str(weight * per_mid),
                         "children": children})
        indicators.append({"name": f"一级{a}", "weight": str(weight * per_mid * 5),
                           "children": mids})
    system = load_system({"name": f"基准体系（{leaves} 个指标）", "indicators": indicators})
    base = read_package(sample_package_bytes())
    return Evaluation(department=base.department, system=system, budget=base.budget,
                      goals=base.goals, tasks=base.tasks, projects=base.projects,
                      values=values, narrative=base.narrative)
