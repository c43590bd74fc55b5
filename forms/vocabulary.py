"""The words notices, budget systems and clerks use for our columns and rows: one place.

A pasted block's header (desktop), a bureau's template (``exports.template_fill``) and a
budget system's export (``exports.budget_import``) are all read with these words.  A
word is compared after ``norm``: no spaces, stars or colons, and no unit in brackets at
the end ("全年预算数（万元）" is "全年预算数").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

_NOISE = re.compile(r"[\s\u3000*＊:：]+")
_UNIT = re.compile(r"[（(]\s*(?:万元|元|%|％|分|个|人次|次)\s*[)）]$")

# column key → words, per table; the first word is what our own tables print
COLUMN_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "budget": {
        "initial": ("年初预算数", "年初预算", "年初批复数", "年初批复预算", "年初数", "年初预算金额"),
        "adjusted": ("全年预算数", "全年预算", "年度预算数", "调整后预算数", "调整后预算", "调整预算数",
                     "调整预算", "预算数", "全年预算金额", "预算金额", "批复预算"),
        "executed": ("全年执行数", "执行数", "年度预算执行数", "全年支出数", "实际支出", "实际支出数",
                     "支出数", "实际执行数", "决算数", "执行金额", "累计支出", "累计执行数", "累计支付",
                     "已支付数", "支付数", "全年支出"),
        "rate": ("执行率", "预算执行率", "全年执行率"),
    },
    "projects": {
        "name": ("项目名称", "项目", "名称", "项目名"),
        "budget": ("全年预算数", "预算数", "年度预算数", "预算", "预算金额", "调整后预算数", "全年预算"),
        "executed": ("全年执行数", "执行数", "年度预算执行数", "实际支出", "支出数", "执行",
                     "执行金额", "实际执行数", "全年支出数"),
        "rate": ("执行率", "预算执行率"),
        "result": ("绩效目标完成情况", "完成情况", "目标实际完成情况", "绩效完成情况", "实际完成情况",
                   "目标完成情况", "绩效目标实际完成情况"),
    },
    "tasks": {
        "name": ("重点工作任务", "任务", "任务名称", "工作任务", "重点任务", "主要任务"),
        "target": ("绩效目标", "目标", "年度目标", "预期目标", "年度绩效目标"),
        "result": ("完成情况", "实际完成情况", "目标完成情况", "绩效完成情况", "目标实际完成情况"),
    },
}

# rows of the budget table: line key → words
BUDGET_ROW_WORDS: dict[str, tuple[str, ...]] = {
    "total": ("合计", "总计", "预算合计", "支出合计", "年度预算合计", "部门整体支出", "年度部门整体支出"),
    "source.general": ("一般公共预算财政拨款", "一般公共预算", "一般公共预算拨款", "一般公共预算资金"),
    "source.fund": ("政府性基金预算财政拨款", "政府性基金预算", "政府性基金", "政府性基金预算资金"),
    "source.state_capital": ("国有资本经营预算财政拨款", "国有资本经营预算", "国有资本经营预算资金"),
    "source.other": ("其他资金", "其他收入", "其他资金收入", "单位资金"),
    "nature.basic": ("基本支出",),
    "nature.project": ("项目支出",),
}


def norm(text: object) -> str:
    if not isinstance(text, str):
        return ""
    return _UNIT.sub("", _NOISE.sub("", text))


def table_of(keys: Iterable[str]) -> str | None:
    """The table whose columns are exactly ``keys`` (a grid names its columns by key)."""
    wanted = set(keys)
    return next((t for t, cols in COLUMN_WORDS.items() if set(cols) == wanted), None)


def column_for(words: Mapping[str, tuple[str, ...]], text: str) -> str | None:
    """The column ``text`` names in a table with ``words``, or None; an exact word first."""
    key = norm(text)
    if not key:
        return None
    for column, names in words.items():
        if key in (norm(w) for w in names):
            return column
    return None
