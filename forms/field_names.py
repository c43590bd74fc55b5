"""A field of the form named as the clerk sees it: "收支情况 › 合计 › 全年执行数".

Paths are the package's JSON paths (as in ``forms.validation``); undo messages
and other notices use these names to say where something changed.
"""

from __future__ import annotations

from .address import Address, BudgetCell, FieldAddress, LeafField, NodeAddress, RowCell, parse
from .model import (
    BUDGET_COLUMNS,
    DEPARTMENT_FIELDS,
    GOAL_FIELDS,
    NARRATIVE_FIELDS,
    NATURE_ROWS,
    SOURCE_ROWS,
    Evaluation,
)
from .system import Group, Leaf
from .validation import SECTIONS
from .value_fields import VALUE_FIELDS

_SECTION_TITLES = dict(SECTIONS)
_ITEM_FIELDS = {"name": "名称", "target": "绩效目标", "result": "完成情况", "budget": "预算数",
                "executed": "执行数"}
# the value fields' names are their declarations' labels (forms.value_fields)
_LEAF_FIELDS = {"not_applicable": "不适用", "reason": "不适用原因",
                "deviation": "偏差原因分析及改进措施", "name": "指标名称", "weight": "分值",
                "unit": "单位", "target": "指标值", "rule": "计分方式", "criteria": "评分标准",
                "evidence": "佐证材料"}


def field_trail(evaluation: Evaluation, path: str | Address) -> list[str]:
    """The section title, then the row or indicator, then the field (as many as known)."""
    address = parse(path) if isinstance(path, str) else path
    trail = [_SECTION_TITLES.get(address.section, "")]
    if isinstance(address, FieldAddress):
        names = {"department": DEPARTMENT_FIELDS, "goals": GOAL_FIELDS,
                 "narrative": NARRATIVE_FIELDS, "budget": (("carryover", "年末结转和结余"),
                                                              ("appropriation_income",
                                                               "财政拨款收入"))}
        # every section's files are its 佐证材料 (budget.evidence, goals.evidence)
        named = dict(names.get(address.section, ()), evidence="佐证材料")
        trail.append(named.get(address.key, address.key))
    elif isinstance(address, BudgetCell):
        rows = dict(SOURCE_ROWS) if address.group == "by_source" else dict(NATURE_ROWS)
        trail.append("合计" if address.group == "total" else rows.get(address.row, address.row))
        trail.append(dict(BUDGET_COLUMNS).get(address.column, address.column))
    elif isinstance(address, RowCell):
        items = getattr(evaluation, address.table)
        name = getattr(items[address.index], "name", "") if address.index < len(items) else ""
        trail.append(name.strip() or f"第 {address.index + 1} 行")
        trail.append(_ITEM_FIELDS.get(address.column, address.column))
    elif isinstance(address, NodeAddress) and not address.rest:  # a group at any level
        nodes: tuple[Group | Leaf, ...] = evaluation.system.indicators
        for index in address.indices:
            if index >= len(nodes):
                break
            trail.append(nodes[index].name)
            node = nodes[index]
            nodes = node.children if isinstance(node, Group) else ()
    elif isinstance(address, LeafField):
        leaf = evaluation.system.leaf(address.leaf_id)
        if leaf is not None:
            trail.append(leaf.name)
            declared = VALUE_FIELDS.get(address.field)
            trail.append(_LEAF_FIELDS.get(address.field)
                         or (declared.label if declared is not None else address.field))
    return [t for t in trail if t]


def field_name(evaluation: Evaluation, path: str | Address) -> str:
    return " › ".join(field_trail(evaluation, path))
