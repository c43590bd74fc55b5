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


# The outline of seeds 000 and 002 (2023 notice of 荔湾区): the projects' figures are part of
# the task analysis, as those reports have no section of their own for them.
DEFAULT = (
    _s("basic", "基本情况", "",
       _s("functions", "部门职能", "functions"),
       _s("budget", "部门整体收支情况", "budget"),
       _s("targets", "部门整体支出绩效目标", "targets"),
       _s("tasks", "部门年度重点工作任务", "tasks")),
    _s("analysis", "综合评价分析", "",
       _s("conclusion", "自评结论综述", "conclusion"),
       _s("task_analysis", "各重点工作任务绩效目标完成情况分析", "task_analysis projects"),
       _s("achievements", "主要工作成效", "achievements"),
       _s("management", "管理效率分析", "",
          _s("performance_management", "绩效管理", "performance_management"),
          _s("procurement_management", "采购管理", "procurement_management"),
          _s("asset_management", "资产管理", "asset_management"))),
    _s("problems", "存在的主要问题", "problems"),
    _s("measures", "下一步改进措施", "measures"),
)

# The outline of seed 001 (2022, 部门概况 and a section for the projects).
Y2023_OVERVIEW = (
    _s("basic", "基本情况", "",
       _s("functions", "部门概况", "functions"),
       _s("tasks", "年度总体工作和重点工作任务", "targets tasks"),
       _s("budget", "部门整体收支情况", "budget"),
       _s("performance_management", "部门整体绩效管理情况", "performance_management")),
    _s("analysis", "综合评价分析", "",
       _s("conclusion", "自评结论综述", "conclusion"),
       _s("task_analysis", "各项工作任务绩效目标完成情况分析", "task_analysis"),
       _s("projects", "各重点任务项目支出完成情况分析", "projects"),
       _s("achievements", "主要工作成效", "achievements")),
    _s("problems", "存在的主要问题", "problems"),
    _s("measures", "下一步改进措施", "measures"),
)

# The outline of seed 004 (2023 notice of 白云区: 部门基本情况, 绩效自评情况).
Y2023_BAIYUN = (
    _s("basic", "部门基本情况", "",
       _s("functions", "部门职能", "functions"),
       _s("tasks", "年度总体工作和重点工作任务", "tasks"),
       _s("targets", "部门整体支出绩效目标", "targets"),
       _s("budget", "部门整体收支情况（以决算数为统计口径）", "budget"),
       _s("performance_management", "部门整体绩效管理情况", "performance_management")),
    _s("analysis", "绩效自评情况", "",
       _s("conclusion", "自评结论", "conclusion"),
       _s("performance", "履职效能分析", "task_analysis projects achievements"),
       _s("management", "管理效率分析", "procurement_management asset_management")),
    _s("problems", "存在的主要问题", "problems"),
    _s("measures", "下一步改进措施", "measures"),
)

# The outline of seed 003 (2021 notice).  That report has no 部门职能; a clerk who typed them
# still sees them, first under 基本情况.
Y2021 = (
    _s("basic", "基本情况", "",
       _s("functions", "部门职能", "functions"),
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
    "default": ("通用提纲（部门职能…主要工作成效，如荔湾区 2023 年度报告）", DEFAULT),
    "overview": ("部门概况提纲（含项目支出完成情况分析，如开发区 2022 年度报告）", Y2023_OVERVIEW),
    "baiyun": ("部门基本情况提纲（绩效自评情况，如白云区 2023 年度报告）", Y2023_BAIYUN),
    "2021": ("2021 年度提纲（二、绩效自评情况）", Y2021),
}

# What can fill a report, in the clerk's words: a key no section of an outline names is
# shown as left out in 报告选项, so nothing the clerk typed disappears unsaid.
CONTENT_LABELS: tuple[tuple[str, str], ...] = (
    ("functions", "部门职能"),
    ("budget", "部门整体收支情况"),
    ("targets", "部门整体支出绩效目标"),
    ("tasks", "部门年度重点工作任务"),
    ("conclusion", "自评结论"),
    ("task_analysis", "各重点工作任务绩效目标完成情况"),
    ("projects", "项目支出完成情况"),
    ("achievements", "主要工作成效"),
    ("performance_management", "绩效管理"),
    ("procurement_management", "采购管理"),
    ("asset_management", "资产管理"),
    ("problems", "存在的主要问题"),
    ("measures", "下一步改进措施"),
)


@dataclass(frozen=True)
class FigureStyle:
    """How a report writes its figures, as the published reports of its notice do.

    ``rate_places``: decimals of every rate (a whole rate stays whole: 100%);
    ``separators``: 27,247.94 rather than 27247.94; ``spaced``: a space on each side of
    every figure the program writes (8727.19 万元, 得分为 98.4 分), or none.
    """

    rate_places: int = 1
    separators: bool = False
    spaced: bool = True


STYLES: dict[str, FigureStyle] = {
    "default": FigureStyle(1, False, True),
    "overview": FigureStyle(1, False, True),
    "baiyun": FigureStyle(2, True, False),
    "2021": FigureStyle(1, False, True),
}
RATE_PLACES = (0, 1, 2)


def left_out(outline: tuple[Section, ...]) -> list[tuple[str, str]]:
    """(key, label) of what the outline has no section for."""
    named: set[str] = set()

    def walk(sections: tuple[Section, ...]) -> None:
        for s in sections:
            named.update(s.content.split())
            walk(s.children)

    walk(outline)
    return [(key, label) for key, label in CONTENT_LABELS if key not in named]


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
    titles: tuple[tuple[str, str], ...] = ()  # (section id, the clerk's heading), sorted
    rate_places: int | None = None  # None: as the outline's notice writes rates

    def sections(self) -> tuple[Section, ...]:
        return OUTLINES.get(self.outline, OUTLINES["default"])[1]

    def title(self, section: Section) -> str:
        return dict(self.titles).get(section.id, section.title)

    @property
    def style(self) -> FigureStyle:
        style = STYLES.get(self.outline, STYLES["default"])
        if self.rate_places is not None:
            style = replace(style, rate_places=self.rate_places)
        return style


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
    titles = raw.get("titles")
    renamed = tuple(sorted((k, v.strip()) for k, v in titles.items()
                           if isinstance(k, str) and isinstance(v, str) and v.strip())) \
        if isinstance(titles, dict) else ()
    places = raw.get("rate_places")
    rate_places = places if isinstance(places, int) and not isinstance(places, bool) \
        and places in RATE_PLACES else None
    return ReportOptions(outline, omitted, charts, attachments, renamed, rate_places)


def with_report_options(ev: Evaluation, options: ReportOptions) -> Evaluation:
    """The evaluation carrying these options (stored under ``extra["report"]``)."""
    raw = dict(_raw(ev))
    raw.update(outline=options.outline, omit=sorted(options.omit), charts=options.charts,
               attachments=options.attachments, titles=dict(options.titles))
    if options.rate_places is None:
        raw.pop("rate_places", None)
    else:
        raw["rate_places"] = options.rate_places
    extra = dict(ev.extra)
    extra["report"] = raw
    return replace(ev, extra=extra)
