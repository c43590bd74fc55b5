"""A field of the form named as the clerk sees it: "收支情况 › 合计 › 全年执行数".

Paths are the package's JSON paths (as in ``forms.validation``); undo messages
and other notices use these names to say where something changed.
"""

from __future__ import annotations

import re

from .model import (
    BUDGET_COLUMNS,
    DEPARTMENT_FIELDS,
    GOAL_FIELDS,
    NARRATIVE_FIELDS,
    NATURE_ROWS,
    SOURCE_ROWS,
    Evaluation,
)
from .validation import SECTIONS

_SECTION_TITLES = dict(SECTIONS)
_BUDGET = re.compile(r"^budget\.(total|by_source|by_nature)(?:\.(\w+))?\.(\w+)$")
_GROUP = re.compile(r"^system\.indicators\[(\d+)\](?:\.children\[(\d+)\])?$")
_ROW = re.compile(r"^(tasks|projects)\[(\d+)\](?:\.(\w+))?")
_ITEM_FIELDS = {"name": "名称", "target": "绩效目标", "result": "完成情况", "budget": "预算数",
                "executed": "执行数"}
_LEAF_FIELDS = {"actual": "实际完成值", "score": "得分", "count": "次数", "level": "等级",
                "coefficient": "系数", "option": "评价口径", "checked": "勾选项",
                "not_applicable": "不适用", "reason": "不适用原因",
                "deviation": "偏差原因分析及改进措施", "name": "指标名称", "weight": "分值",
                "unit": "单位", "target": "指标值", "rule": "计分方式", "criteria": "评分标准"}


def field_trail(evaluation: Evaluation, path: str) -> list[str]:
    """The section title, then the row or indicator, then the field (as many as known)."""
    head = path.split(".", 1)[0].split("[", 1)[0]
    section = "values" if head == "system" else head
    trail = [_SECTION_TITLES.get(section, "")]
    rest = path.split(".", 1)[1] if "." in path else ""
    if head == "department":
        trail.append(dict(DEPARTMENT_FIELDS).get(rest, rest))
    elif head == "goals":
        trail.append(dict(GOAL_FIELDS).get(rest, rest))
    elif head == "narrative":
        trail.append(dict(NARRATIVE_FIELDS).get(rest, rest))
    elif head == "budget":
        match = _BUDGET.match(path)
        if path == "budget.carryover":
            trail.append("年末结转和结余")
        elif match:
            group, key, column = match.groups()
            rows = dict(SOURCE_ROWS) if group == "by_source" else dict(NATURE_ROWS)
            trail.append("合计" if group == "total" else rows.get(key or "", key or ""))
            trail.append(dict(BUDGET_COLUMNS).get(column, column))
    elif head in ("tasks", "projects"):
        match = _ROW.match(path)
        if match:
            index = int(match.group(2))
            items = getattr(evaluation, head)
            name = getattr(items[index], "name", "") if index < len(items) else ""
            trail.append(name.strip() or f"第 {index + 1} 行")
            if match.group(3):
                trail.append(_ITEM_FIELDS.get(match.group(3), match.group(3)))
    elif (match := _GROUP.match(path)) is not None:  # a level-1 or level-2 indicator
        tops = evaluation.system.indicators
        top = tops[int(match.group(1))] if int(match.group(1)) < len(tops) else None
        if top is not None:
            trail.append(top.name)
            mids = top.children
            if match.group(2) is not None and int(match.group(2)) < len(mids):
                trail.append(mids[int(match.group(2))].name)
    elif head in ("values", "system"):
        leaf_id, _, field = path[len(head) + 1:].partition(".")
        leaf = evaluation.system.leaf(leaf_id)
        if leaf is not None:
            trail.append(leaf.name)
            if field:
                trail.append(_LEAF_FIELDS.get(field, field))
    return [t for t in trail if t]


def field_name(evaluation: Evaluation, path: str) -> str:
    return " › ".join(field_trail(evaluation, path))
