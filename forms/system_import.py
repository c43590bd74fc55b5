"""What a notice's table says beyond its tree, read on import.

Weights printed as percentages of the parent (一级 50/25/25 and each child a share
of 100) become points, the share kept as ``share``; each leaf's 评分标准 text is
read by the registry's recogniser and the rule applied with its 请核对 mark
(``review``) until the clerk confirms it in the editor (docs/rules.md).
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from typing import Any

from .numbers import number_or_none
from .rules import recognise
from .system import num_out

NodePath = tuple[int, ...]


def convert_shares(nodes: list[dict[str, Any]], parent: NodePath = ()
                   ) -> list[tuple[NodePath, str, Decimal]]:
    """百分比权重: a group whose children add up to 100 but not to its own weight weighs
    them as percentages of itself.  Returns (path, name, weight) of each group converted."""
    converted: list[tuple[NodePath, str, Decimal]] = []
    for i, node in enumerate(nodes):
        kids = node.get("children")
        if not isinstance(kids, list):
            continue
        weight = number_or_none(node.get("weight"))
        shares = [number_or_none(k.get("weight")) for k in kids]
        known = [w for w in shares if w is not None]
        if weight is not None and weight != 100 and kids and len(known) == len(kids) \
                and sum(known) == 100:
            for kid, share in zip(kids, known):
                points = weight * share / 100
                kid["share"] = num_out(share)
                kid["weight"] = num_out(points.normalize() if points == points.to_integral_value()
                                        else points)
            converted.append((parent + (i,), str(node.get("name", "")), weight))
        converted += convert_shares(kids, parent + (i,))
    return converted


def read_rules(nodes: list[dict[str, Any]]) -> int:
    """Apply the rule each leaf's 评分标准 text reads as, marked 请核对; how many were read."""
    count = 0
    for node in nodes:
        kids = node.get("children")
        if isinstance(kids, list):
            count += read_rules(kids)
            continue
        criteria = str(node.get("criteria") or "")
        target = number_or_none(node.get("target"))
        found = recognise(criteria, number_or_none(node.get("weight")), target)
        if found is None:
            continue
        if found.type == "ratio" and target is None:
            # "得分=完成率/100%×60分": the divisor is the target; without one a ratio
            # cannot score, so the leaf stays 直接评分
            folded = unicodedata.normalize("NFKC", criteria)
            divisor = re.search(r"/\s*(\d+(?:\.\d+)?)\s*%", folded)
            if divisor is not None:
                node["target"] = num_out(Decimal(divisor.group(1)))
            elif re.search(r"率\s*[×*]\s*(?:\d|分值)", folded):
                node["target"] = 100  # "执行率×10分": a rate against 100%
            else:
                continue
            node.setdefault("unit", "%")
        node["rule"] = found.rule
        node["review"] = found.explanation
        count += 1
    return count
