"""The evaluation (one department, one year) as immutable snapshots.

An edit never changes a snapshot; it makes a new one (``dataclasses.replace``
or the helpers below), so the desktop's undo keeps before/after snapshots and
scoring can run on any of them.  Every record keeps the keys it did not know
in ``extra`` so that a package survives a round trip unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any
from collections.abc import Mapping

from . import carry_over
from .address import RowCell
from .address import parse as parse_address
from .evidence import EvidenceRef
from .system import Group, Leaf, System
from .value_fields import ENTRY_KEYS, VALUE_FIELDS

# 按资金来源 (by fund source) and 按支出性质 (by nature): key → Chinese row name
SOURCE_ROWS: tuple[tuple[str, str], ...] = (
    ("general", "一般公共预算财政拨款"),
    ("fund", "政府性基金预算财政拨款"),
    ("state_capital", "国有资本经营预算财政拨款"),
    ("other", "其他资金"),
)
NATURE_ROWS: tuple[tuple[str, str], ...] = (
    ("basic", "基本支出"),
    ("project", "项目支出"),
)
BUDGET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("initial", "年初预算数"),
    ("adjusted", "全年预算数"),
    ("executed", "全年执行数"),
)

DEPARTMENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("name", "单位名称"),
    ("year", "年度"),
    ("code", "单位编码"),
    ("functions", "部门职能"),
    ("divisions", "内设机构"),
    ("preparer", "填报人"),
    ("phone", "联系电话"),
    ("head", "单位负责人"),
    ("finance_head", "财务负责人"),
    ("date", "填报日期"),
)

GOAL_FIELDS: tuple[tuple[str, str], ...] = (
    ("targets", "年度整体绩效目标"),
    ("completion", "整体绩效目标完成情况"),
    ("unmet_reason", "未能完成原因"),
)

# 分析与结论: narrative texts in report order
NARRATIVE_FIELDS: tuple[tuple[str, str], ...] = (
    ("conclusion", "自评结论"),
    ("task_analysis", "各重点工作任务绩效目标完成情况"),
    ("achievements", "主要工作成效"),
    ("performance_management", "绩效管理"),
    ("procurement_management", "采购管理"),
    ("asset_management", "资产管理"),
    ("problems", "存在的主要问题"),
    ("measures", "下一步改进措施"),
)


@dataclass(frozen=True)
class BudgetRow:
    """One row of the budget table, amounts in 万元; None where not filled in."""

    initial: Decimal | None = None  # 年初预算数
    adjusted: Decimal | None = None  # 全年预算数
    executed: Decimal | None = None  # 全年执行数
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def get(self, column: str) -> Decimal | None:
        value: Decimal | None = getattr(self, column)
        return value

    @property
    def is_empty(self) -> bool:
        return self.initial is None and self.adjusted is None and self.executed is None


@dataclass(frozen=True)
class Budget:
    """年度部门整体支出规模."""

    total: BudgetRow | None = None  # 合计; None when omitted (then the sum of by_source)
    by_source: Mapping[str, BudgetRow] = field(default_factory=dict)
    by_nature: Mapping[str, BudgetRow] = field(default_factory=dict)
    carryover: Decimal | None = None  # 年末结转和结余
    appropriation_income: Decimal | None = None  # 财政拨款收入 (决算口径), as seed 004 states it
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def source(self, key: str) -> BudgetRow:
        return self.by_source.get(key) or BudgetRow()

    def nature(self, key: str) -> BudgetRow:
        return self.by_nature.get(key) or BudgetRow()


@dataclass(frozen=True)
class Department:
    name: str = ""
    year: int = 0
    code: str = ""
    functions: tuple[str, ...] = ()
    divisions: str = ""
    preparer: str = ""
    phone: str = ""
    head: str = ""
    finance_head: str = ""
    date: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Goals:
    targets: str = ""
    completion: str = ""
    unmet_reason: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Task:
    """重点工作任务."""

    name: str = ""
    target: str = ""
    result: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Project:
    """项目支出: one project's budget and spending in 万元."""

    name: str = ""
    budget: Decimal | None = None
    executed: Decimal | None = None
    result: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class LeafValue:
    """What the clerk entered for one leaf (三级指标).

    The value fields (实际完成值, 勾选项, 等级, 得分…) are those the rule kinds declare
    (``forms.value_fields``), held in ``data`` by name and read as attributes
    (``value.actual``; an undeclared name is an AttributeError, a declared one not
    entered is None).  ``LeafValue(actual=…)`` and ``dataclasses.replace(value, score=…)``
    take them by name; None leaves a field out."""

    data: Mapping[str, Any]
    not_applicable: bool = False  # 不适用
    reason: str = ""  # why not applicable
    deviation: str = ""  # 偏差原因分析及改进措施
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def __init__(self, data: Mapping[str, Any] | None = None, not_applicable: bool = False,
                 reason: str = "", deviation: str = "", extra: Mapping[str, Any] | None = None,
                 **fields: Any) -> None:
        merged = dict(data or {})
        for name, v in fields.items():
            if name not in VALUE_FIELDS:
                raise TypeError(f"LeafValue has no value field {name!r} (forms.value_fields)")
            merged[name] = v
        data = {k: v for k, v in merged.items() if v is not None}
        object.__setattr__(self, "data", data)
        # every declared field as a plain attribute, so that scoring reads value.actual at
        # the speed of a dataclass field (``__getattr__`` only serves a field declared later)
        self.__dict__.update(dict.fromkeys(VALUE_FIELDS))
        self.__dict__.update(data)
        object.__setattr__(self, "not_applicable", not_applicable)
        object.__setattr__(self, "reason", reason)
        object.__setattr__(self, "deviation", deviation)
        object.__setattr__(self, "extra", {} if extra is None else extra)

    def __getattr__(self, name: str) -> Any:  # only for names that are not attributes
        if name in VALUE_FIELDS:
            return self.__dict__["data"].get(name)
        raise AttributeError(f"LeafValue has no field {name!r}")

    def with_fields(self, **changes: Any) -> LeafValue:
        """The value with some value fields changed (None clears one)."""
        return LeafValue(self.data, self.not_applicable, self.reason, self.deviation, self.extra,
                         **changes)

    def __hash__(self) -> int:
        return hash((tuple(sorted(self.data.items())), self.not_applicable, self.reason,
                     self.deviation))

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={v!r}" for k, v in self.data.items())
        flags = "".join(f", {k}={getattr(self, k)!r}" for k in ENTRY_KEYS if getattr(self, k))
        return f"LeafValue({shown}{flags})"


# Refused entries (text typed into a number field that is not a value) are kept as
# typed so that a crash or a restart does not lose them; the reader accepts exactly
# what ``with_refused`` can produce.
MAX_REFUSED = 5000
MAX_REFUSED_TEXT = 200
MAX_REFUSED_PATH = 300


@dataclass(frozen=True)
class Evaluation:
    department: Department
    system: System
    budget: Budget = field(default_factory=Budget)
    goals: Goals = field(default_factory=Goals)
    tasks: tuple[Task, ...] = ()
    projects: tuple[Project, ...] = ()
    values: Mapping[str, LeafValue] = field(default_factory=dict)
    narrative: Mapping[str, str] = field(default_factory=dict)
    # field path (as in validation: "budget.total.executed") → refused typed text
    refused: Mapping[str, str] = field(default_factory=dict)
    # 佐证材料 by owner ("values.<leaf id>", "budget", "goals"): forms/evidence.py
    evidence: Mapping[str, tuple[EvidenceRef, ...]] = field(default_factory=dict)
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def value(self, leaf_id: str) -> LeafValue:
        return self.values.get(leaf_id) or LeafValue()

    def with_value(self, leaf_id: str, value: LeafValue) -> Evaluation:
        values = dict(self.values)
        values[leaf_id] = value
        return replace(self, values=values)

    def with_narrative(self, key: str, text: str) -> Evaluation:
        narrative = dict(self.narrative)
        narrative[key] = text
        return replace(self, narrative=narrative)

    def with_evidence(self, owner: str, refs: tuple[EvidenceRef, ...]) -> Evaluation:
        evidence = {k: v for k, v in self.evidence.items() if k != owner}
        if refs:
            evidence[owner] = refs
        return replace(self, evidence=evidence)

    def with_system(self, system: System) -> Evaluation:
        return replace(self, system=system)

    def with_refused(self, path: str, text: str | None) -> Evaluation:
        """Keep ``text`` as refused at ``path`` (None or blank: the field has none)."""
        refused = {k: v for k, v in self.refused.items() if k != path}
        if text is not None and text.strip() and len(path) <= MAX_REFUSED_PATH:
            if len(refused) >= MAX_REFUSED:
                return self if path not in self.refused else replace(self, refused=refused)
            refused[path] = text[:MAX_REFUSED_TEXT]
        if refused == self.refused:
            return self
        return replace(self, refused=refused)

    def with_rows_moved(self, section: str, new_index: Mapping[int, int]) -> Evaluation:
        """Refused entries and carried-over marks of ``section`` rows follow their rows
        (``new_index``: old → new; rows not in it are gone)."""

        def moved(path: str) -> str | None:
            address = parse_address(path)
            if not isinstance(address, RowCell) or address.table != section:
                return path
            row = new_index.get(address.index)
            return None if row is None else str(replace(address, index=row))

        refused = {p: text for path, text in self.refused.items() if (p := moved(path)) is not None}
        marks = carry_over.carried(self)
        kept = [p for p in map(moved, marks) if p is not None]
        out = self if refused == self.refused else replace(self, refused=refused)
        return out if kept == list(marks) else carry_over.with_carried(out, kept)


FIRST_YEAR, LAST_YEAR = 1900, 2999


def year_problem(year: int) -> str | None:
    """Why ``year`` cannot be an evaluation's year, or None; the package reader and every
    way of starting an evaluation ask the same question."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return f"年度 {year} 不合理（应在 {FIRST_YEAR}–{LAST_YEAR} 之间）"
    return None


def new_evaluation(system: System, department: str, year: int) -> Evaluation:
    """An empty evaluation to fill in."""
    return Evaluation(
        department=Department(name=department, year=year),
        system=system,
        budget=Budget(
            total=BudgetRow(),
            by_source={key: BudgetRow() for key, _ in SOURCE_ROWS},
            by_nature={key: BudgetRow() for key, _ in NATURE_ROWS},
        ),
        narrative={key: "" for key, _ in NARRATIVE_FIELDS},
    )


def next_year(evaluation: Evaluation) -> Evaluation:
    """新建下一年度: keep department, system and texts; clear figures and values."""
    dept = replace(evaluation.department, year=evaluation.department.year + 1, date="")
    fresh = new_evaluation(evaluation.system, dept.name, dept.year)
    copied = replace(
        fresh,
        department=dept,
        goals=evaluation.goals,
        tasks=tuple(replace(t, result="") for t in evaluation.tasks),
        projects=tuple(replace(p, budget=None, executed=None, result="")
                       for p in evaluation.projects),
        narrative=dict(evaluation.narrative),
        extra=evaluation.extra,
    )
    # every copied text is 沿用上年 until the clerk edits or confirms it
    return carry_over.with_carried(copied, carry_over.copied_paths(copied))


def find_group_of(system: System, leaf_id: str) -> tuple[Group, Group] | None:
    """The (level-1, level-2) groups that hold a leaf."""
    for top in system.indicators:
        for mid in top.children:
            if isinstance(mid, Group) and any(
                isinstance(c, Leaf) and c.id == leaf_id for c in mid.children
            ):
                return top, mid
    return None
