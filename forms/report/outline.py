"""Report outlines as data, and the report options an evaluation carries.

An outline is a tree of sections; each names what fills it (``content``).
The numbers (一、（一）1.) are given when the report is built, after the
sections left empty or left out are dropped, so the numbering closes up.

The notice decides the outline: an indicator system may name one in its
``report_outline`` field; an evaluation may choose another in its report
options (``extra["report"]``, kept on every package and database round trip).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..model import Evaluation


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    content: str = ""  # what fills the section, see build.CONTENT
    children: tuple[Section, ...] = ()


def _s(id_: str, title: str, content: str = "", *children: Section) -> Section:
    return Section(id_, title, content, tuple(children))


# The outline of seeds 000/001/002/004 (2022–2023 notices).
DEFAULT = (
    _s("basic", "基本情况", "",
       _s("functions", "部门职能", "functions"),
       _s("budget", "部门整体收支情况", "budget"),
       _s("targets", "部门整体支出绩效目标", "targets"),
       _s("tasks", "部门年度重点工作任务", "tasks")),
    _s("analysis", "综合评价分析", "",
       _s("conclusion", "自评结论综述", "conclusion"),
       _s("task_analysis", "各重点工作任务绩效目标完成情况分析", "task_analysis"),
       _s("projects", "项目支出完成情况", "projects"),
       _s("achievements", "主要工作成效", "achievements"),
       _s("management", "管理效率分析", "",
          _s("performance_management", "绩效管理", "performance_management"),
          _s("procurement_management", "采购管理", "procurement_management"),
          _s("asset_management", "资产管理", "asset_management"))),
    _s("problems", "存在的主要问题", "problems"),
    _s("measures", "下一步改进措施", "measures"),
)

# The outline of seed 003 (2021 notice).
Y2021 = (
    _s("basic", "基本情况", "",
       _s("tasks", "部门年度重点工作任务", "tasks"),
       _s("targets", "部门整体支出绩效目标", "targets"),
       _s("budget", "部门整体支出情况", "budget")),
    _s("analysis", "绩效自评情况", "",
       _s("performance", "履职效能分析", "conclusion task_analysis projects achievements"),
       _s("performance_management", "绩效管理", "performance_management"),
       _s("procurement_management", "采购管理", "procurement_management"),
       _s("asset_management", "资产管理", "asset_management")),
    _s("problems_measures", "存在的主要问题和下一步改进措施", "",
       _s("problems", "存在的主要问题", "problems"),
       _s("measures", "改进措施", "measures")),
)

OUTLINES: dict[str, tuple[str, tuple[Section, ...]]] = {
    "default": ("通用提纲（2022—2023 年度报告）", DEFAULT),
    "2021": ("2021 年度提纲（二、绩效自评情况）", Y2021),
}


def section_ids(outline: tuple[Section, ...]) -> list[tuple[str, str, int]]:
    """(id, title, depth) of every section, in order: what the clerk may leave out."""
    out: list[tuple[str, str, int]] = []

    def walk(sections: tuple[Section, ...], depth: int) -> None:
        for s in sections:
            out.append((s.id, s.title, depth))
            walk(s.children, depth + 1)

    walk(outline, 1)
    return out


@dataclass(frozen=True)
class ReportOptions:
    outline: str = "default"
    omit: frozenset[str] = field(default_factory=frozenset)
    charts: bool = False  # no published report has charts: off unless asked for
    attachments: bool = True

    def sections(self) -> tuple[Section, ...]:
        return OUTLINES.get(self.outline, OUTLINES["default"])[1]


def _raw(ev: Evaluation) -> dict[str, Any]:
    raw = ev.extra.get("report")
    return raw if isinstance(raw, dict) else {}


def report_options(ev: Evaluation) -> ReportOptions:
    """The evaluation's choice, else the system's outline, else the default; bad values ignored."""
    raw = _raw(ev)
    outline = raw.get("outline")
    if not isinstance(outline, str) or outline not in OUTLINES:
        outline = ev.system.extra.get("report_outline")
    if not isinstance(outline, str) or outline not in OUTLINES:
        outline = "default"
    omit = raw.get("omit")
    omitted = frozenset(x for x in omit if isinstance(x, str)) if isinstance(omit, list) else \
        frozenset()
    charts = raw.get("charts") is True
    attachments = raw.get("attachments") is not False
    return ReportOptions(outline, omitted, charts, attachments)


def with_report_options(ev: Evaluation, options: ReportOptions) -> Evaluation:
    """The evaluation carrying these options (stored under ``extra["report"]``)."""
    raw = dict(_raw(ev))
    raw.update(outline=options.outline, omit=sorted(options.omit), charts=options.charts,
               attachments=options.attachments)
    extra = dict(ev.extra)
    extra["report"] = raw
    return replace(ev, extra=extra)
