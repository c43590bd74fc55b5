"""Indicator systems (指标体系): the tree of docs/scoring.md as immutable data.

A system is data, versioned by jurisdiction and year.  ``build_system`` reads
the JSON form into dataclasses and returns every problem it finds as a value
(``Problem``: JSON path + Chinese message naming the node); ``load_system``
refuses a system that has any.  A draft with problems can still be built, so
an editor can preview scores while the clerk is typing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any
from collections.abc import Mapping

from .numbers import HUNDRED, ZERO, NumberError, echo, fmt_weight, parse_int, parse_number
from .rules import (
    KINDS,
    RULE_TYPES,
    SOURCES,
    Band,
    ChecklistItem,
    Option,
    Overshoot,
    Rule,
    bands_out,
    num_out,
    read_bands,
    read_exempt,
    rule_dict,
    rule_keys,
)

__all__ = [
    "RULE_TYPES",
    "SOURCES",
    "Band",
    "Cap",
    "ChecklistItem",
    "Group",
    "Leaf",
    "Option",
    "Overshoot",
    "Problem",
    "Rule",
    "System",
    "SystemInvalid",
    "build_system",
    "load_system",
    "num_out",
    "system_to_dict",
]

UNGRADED = "未定级"  # a total below every grade's 下限 (a grade list without a 0 floor)
DEFAULT_GRADES: tuple[tuple[Decimal, str], ...] = (
    (Decimal(90), "优"),
    (Decimal(80), "良"),
    (Decimal(60), "中"),
    (Decimal(0), "差"),
)

MAX_DEPTH = 4  # 一级 › 二级 › 三级 › 四级; leaves may sit at level 2, 3 or 4
LEVEL_WORDS = "一二三四"

# What a 不适用 leaf does to the total (the system's ``not_applicable``).
NA_POLICIES = {
    "rescale": "按适用指标折算（适用指标得分 / 适用指标分值 × 100）",
    "full": "不适用的指标得满分",
    "zero": "不适用的指标不得分",
}


class SystemInvalid(ValueError):
    """A system that cannot be used to score; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("；".join(p.message for p in problems[:3]))


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    @property
    def system_field(self) -> str:
        """The system file's top-level field the problem is in ("name", "year", "grades",
        "indicators"…), or "" for a problem outside the system (an import's note)."""
        head, dot, rest = self.path.partition(".")
        if head != "system" or not dot:
            return ""
        return rest.split(".", 1)[0].split("[", 1)[0]

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class Leaf:
    """An indicator without children (末级指标, at level 2, 3 or 4): the only kind of
    node that is scored."""

    id: str
    name: str
    weight: Decimal
    rule: Rule
    unit: str = ""
    target: Decimal | None = None
    criteria: str = ""
    source: str | None = None
    explain_below: Decimal | None = None
    review: str = ""  # 请核对: the rule was read from the criteria text, not yet confirmed
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Cap:
    """封顶: the total may not exceed the cap of the band the rate ``source`` falls in
    (Band.score holds the cap), e.g. 执行率 70–80% → 自评得分不高于 89 分."""

    source: str
    bands: tuple[Band, ...]

    def limit(self, rate: Decimal) -> Decimal | None:
        return next((b.score for b in self.bands if b.contains(rate)), None)


@dataclass(frozen=True)
class Group:
    """An indicator with children (一级, 二级 or 三级): a name, a weight and children."""

    name: str
    weight: Decimal
    children: tuple[Group | Leaf, ...]
    custom: bool = False  # 部门个性指标: the clerk may add and reweight leaves
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def children_weight(self) -> Decimal:
        """The sum of the children's weights (equal to the group's own in a valid system)."""
        return sum((c.weight for c in self.children), ZERO)

    def leaves(self) -> tuple[Leaf, ...]:
        """Every leaf below this group, in order (computed once: the group is immutable)."""
        cached: tuple[Leaf, ...] | None = self.__dict__.get("_leaves")
        if cached is None:
            found: list[Leaf] = []
            for child in self.children:
                if isinstance(child, Leaf):
                    found.append(child)
                else:
                    found.extend(child.leaves())
            cached = tuple(found)
            object.__setattr__(self, "_leaves", cached)
        return cached


@dataclass(frozen=True)
class System:
    name: str
    indicators: tuple[Group, ...]
    id: str = ""
    jurisdiction: str = ""
    year: int | None = None
    origin: str = ""
    grades: tuple[tuple[Decimal, str], ...] = DEFAULT_GRADES
    strict_grades: frozenset[str] = frozenset()  # "> 90 优": a total of exactly 90 is not 优
    not_applicable: str = "rescale"  # one of NA_POLICIES
    cap: Cap | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def leaves(self) -> tuple[Leaf, ...]:
        cached: tuple[Leaf, ...] | None = self.__dict__.get("_leaves")
        if cached is None:
            cached = tuple(leaf for group in self.indicators for leaf in group.leaves())
            object.__setattr__(self, "_leaves", cached)
        return cached

    def leaf(self, leaf_id: str) -> Leaf | None:
        return self.leaf_index().get(leaf_id)

    def leaf_index(self) -> dict[str, Leaf]:
        cached = self.__dict__.get("_leaf_index")
        if cached is None:
            cached = {leaf.id: leaf for leaf in self.leaves()}
            object.__setattr__(self, "_leaf_index", cached)
        return cached

    def grade(self, total: Decimal) -> str:
        """The first grade whose 下限 the total reaches; below every 下限 (a list without a
        0 floor) it is 未定级, never the lowest grade listed (38.58 is not 优)."""
        for minimum, grade in self.grades:
            if total > minimum or (total == minimum and grade not in self.strict_grades):
                return grade
        return UNGRADED

    def grade_floor_problem(self, path: str = "system") -> Problem | None:
        """A warning when the grade list has no 0 floor: some totals get no grade."""
        if not self.grades or min(m for m, _ in self.grades) <= ZERO:
            return None
        lowest = min(self.grades, key=lambda g: g[0])
        return Problem(f"{path}.grades", f"等级划分没有下限为 0 的等级：低于 {fmt_weight(lowest[0])} 分"
                                         f"（“{lowest[1]}”的下限）的总分不评等级，显示为“{UNGRADED}”")

    @property
    def weight(self) -> Decimal:
        return sum((g.weight for g in self.indicators), ZERO)


# ---------------------------------------------------------------- reading

_LEAF_KEYS = {"id", "name", "weight", "unit", "target", "criteria", "rule", "source", "explain_below",
              "review"}
_GROUP_KEYS = {"name", "weight", "children", "custom"}
_SYSTEM_KEYS = {"id", "name", "jurisdiction", "year", "origin", "grades", "indicators",
                "not_applicable", "cap"}


class _Reader:
    """Collects problems while reading; numbers that do not parse become 0."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def number(self, raw: Mapping[str, Any], key: str, path: str, label: str,
               *, required: bool = False) -> Decimal | None:
        value = raw.get(key)
        if value is None or value == "":
            if required:
                self.problem(f"{path}.{key}", f"{label}未填写")
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
            self.problem(f"{path}.{key}", f"{label}：{value!r} 不是数字")
            return None
        try:
            return parse_number(value, label)
        except NumberError as exc:
            self.problem(f"{path}.{key}", str(exc))
            return None

    def text(self, raw: Mapping[str, Any], key: str, path: str) -> str:
        value = raw.get(key, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(f"{path}.{key}", f"应为文字，实为{_json_kind(value)}")
            return str(value)
        return value

    def rule(self, raw: Any, path: str, label: str, weight: Decimal, target: Decimal | None,
             *, nested: bool = False) -> Rule:
        if not isinstance(raw, Mapping):
            self.problem(path, f"{label}：缺少评分规则")
            return Rule(type="manual")
        kind = raw.get("type")
        rule_kind = KINDS.get(kind) if isinstance(kind, str) else None
        if rule_kind is None:
            self.problem(f"{path}.type", f"{label}：未知的评分规则类型“{echo(kind)}”")
            return Rule(type="manual", extra=_rest(raw))
        extra = _rest(raw)
        if kind == "either" and nested:
            self.problem(f"{path}.type", f"{label}：“二者择其一”的选项不能再嵌套择一规则")
            return Rule(type="manual", extra=extra)
        rule = rule_kind.read(self, raw, path, label, weight, target)
        exempt = None if nested else read_exempt(self, raw, path, label, weight)
        return Rule(**{**rule.__dict__, "extra": extra, "exempt": exempt})

    def source(self, raw: Mapping[str, Any], path: str, label: str) -> str | None:
        source = raw.get("source")
        if source in (None, ""):
            return None
        if not isinstance(source, str) or source not in SOURCES:
            self.problem(f"{path}.source", f"{label}：未知的数据来源“{source}”")
            return None
        return str(source)


def _rest(raw: Mapping[str, Any]) -> dict[str, Any]:
    """What a rule dict holds beyond any kind's keys: kept and written back as it was."""
    known = rule_keys()
    return {k: v for k, v in raw.items() if k not in known}


def _json_kind(value: Any) -> str:
    """What a JSON value is, in the clerk's words."""
    if isinstance(value, bool):
        return " true/false"
    if isinstance(value, (int, float, Decimal)):
        return "数字"
    if isinstance(value, Mapping):
        return "对象（{…}）"
    if isinstance(value, list):
        return "列表（[…]）"
    return "其他内容"


def _node_label(trail: tuple[str, ...]) -> str:
    return "「" + " › ".join(trail) + "」"


def build_system(raw: Any, path: str = "system", *, strict_custom: bool = True
                 ) -> tuple[System, list[Problem]]:
    """Read a system from its JSON form; return it with every problem found.

    ``strict_custom=False`` accepts a department-defined (custom) block whose
    leaves do not add up to its weight (an evaluation in progress); the
    evaluation's validation reports that instead.
    """
    reader = _Reader()
    if not isinstance(raw, Mapping):
        reader.problem(path, "指标体系应为对象")
        return System(name="", indicators=()), reader.problems
    name = reader.text(raw, "name", path)
    if not name.strip():
        reader.problem(f"{path}.name", "指标体系缺少名称")
    year_raw = raw.get("year")
    year: int | None = None
    if year_raw not in (None, ""):
        try:
            year = parse_int(year_raw, "年度")
        except NumberError as exc:
            reader.problem(f"{path}.year", f"年度{exc.reason}")
    grades, strict_grades = _read_grades(reader, raw.get("grades"), f"{path}.grades")
    policy = raw.get("not_applicable") or "rescale"
    if not isinstance(policy, str) or policy not in NA_POLICIES:  # a list is not hashable
        reader.problem(f"{path}.not_applicable",
                       "不适用指标的处理应为 rescale（折算）、full（得满分）或 zero（不得分），"
                       + (f"不是“{echo(policy)}”" if isinstance(policy, str)
                          else f"实为{_json_kind(policy)}"))
        policy = "rescale"
    cap = _read_cap(reader, raw.get("cap"), f"{path}.cap")
    seen_ids: dict[str, str] = {}
    groups: list[Group] = []
    indicators = raw.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        reader.problem(f"{path}.indicators", "指标体系没有任何指标")
        indicators = []
    for i, node in enumerate(indicators):
        group = _read_group(reader, node, f"{path}.indicators[{i}]", (), 1, seen_ids, strict_custom)
        if group is not None:
            groups.append(group)
    total = sum((g.weight for g in groups), ZERO)
    if groups and total != HUNDRED:
        reader.problem(f"{path}.indicators", f"一级指标分值之和为 {fmt_weight(total)}，应为 100")
    system = System(
        name=name,
        indicators=tuple(groups),
        id=reader.text(raw, "id", path),
        jurisdiction=reader.text(raw, "jurisdiction", path),
        year=year,
        origin=reader.text(raw, "origin", path),
        grades=grades,
        strict_grades=strict_grades,
        not_applicable=policy,
        cap=cap,
        extra={k: v for k, v in raw.items() if k not in _SYSTEM_KEYS},
    )
    return system, reader.problems


def load_system(raw: Any, path: str = "system", *, strict_custom: bool = True) -> System:
    """Read a system and refuse it (``SystemInvalid``) if anything is wrong."""
    system, problems = build_system(raw, path, strict_custom=strict_custom)
    if problems:
        raise SystemInvalid(problems)
    return system


def _read_cap(reader: _Reader, raw: Any, path: str) -> Cap | None:
    if raw in (None, {}):
        return None
    if not isinstance(raw, Mapping):
        reader.problem(path, "得分封顶格式不对")
        return None
    source = reader.source(raw, path, "得分封顶")
    if source is None:
        reader.problem(f"{path}.source", "得分封顶需要依据的比率（如 budget.execution_rate）")
        source = "budget.execution_rate"
    items = raw.get("bands")
    if not isinstance(items, list) or not items:
        reader.problem(f"{path}.bands", "得分封顶至少需要一档")
        items = []
    return Cap(source, read_bands(reader, items, path, "得分封顶", HUNDRED, "cap"))


def _read_grades(reader: _Reader, raw: Any,
                 path: str) -> tuple[tuple[tuple[Decimal, str], ...], frozenset[str]]:
    """The grades, highest first, and the names of those whose lower bound is strict."""
    if raw in (None, []):
        return DEFAULT_GRADES, frozenset()
    if not isinstance(raw, list):
        reader.problem(path, "等级划分格式不对")
        return DEFAULT_GRADES, frozenset()
    grades = []
    strict_grades: set[str] = set()
    for i, item in enumerate(raw):
        gpath = f"{path}[{i}]"
        if not isinstance(item, Mapping):
            reader.problem(gpath, "等级划分格式不对")
            continue
        # "> 90 优" (strict) as the notice writes it: min_inclusive false, or ">90" typed
        bound = item.get("min")
        strict = item.get("min_inclusive") is False
        if isinstance(bound, str) and bound.strip()[:1] in (">", "＞", "≥"):
            strict = strict or bound.strip()[:1] in (">", "＞")
            item = {**item, "min": bound.strip()[1:].lstrip("=").strip()}
        minimum = reader.number(item, "min", gpath, "等级下限", required=True)
        grade = reader.text(item, "grade", gpath)
        if strict and grade:
            strict_grades.add(grade)
        if not grade:
            reader.problem(f"{gpath}.grade", "等级名称未填写")
        if minimum is not None and not ZERO <= minimum <= HUNDRED:
            reader.problem(f"{gpath}.min", f"等级“{grade}”的下限应在 0–100 之间")
        grades.append((minimum if minimum is not None else ZERO, grade))
    grades.sort(key=lambda g: (g[0], g[1] in strict_grades), reverse=True)
    return tuple(grades), frozenset(strict_grades)


def _is_group(raw: Any) -> bool:
    return isinstance(raw, Mapping) and isinstance(raw.get("children"), list)


def _read_group(reader: _Reader, raw: Any, path: str, trail: tuple[str, ...], level: int,
                seen_ids: dict[str, str], strict_custom: bool) -> Group | None:
    word = LEVEL_WORDS[level - 1]
    if not isinstance(raw, Mapping):
        reader.problem(path, f"第 {level} 级指标格式不对")
        return None
    name = reader.text(raw, "name", path).strip() or f"（未命名{word}级指标）"
    here = trail + (name,)
    if not reader.text(raw, "name", path).strip():
        reader.problem(f"{path}.name", f"{_node_label(here)}缺少名称")
    weight = reader.number(raw, "weight", path, f"{_node_label(here)}分值", required=True)
    if weight is not None and weight <= 0:
        reader.problem(f"{path}.weight", f"{_node_label(here)}分值必须大于 0")
    weight = weight if weight is not None else ZERO
    children_raw = raw.get("children")
    if "rule" in raw and not children_raw:
        reader.problem(path, f"{_node_label(here)}是{word}级指标，下面应有下级指标")
        children_raw = []
    if not isinstance(children_raw, list) or not children_raw:
        reader.problem(f"{path}.children", f"{_node_label(here)}没有下级指标")
        children_raw = []
    children: list[Group | Leaf] = []
    for i, child in enumerate(children_raw):
        cpath = f"{path}.children[{i}]"
        if _is_group(child) and level + 1 < MAX_DEPTH:
            node: Group | Leaf | None = _read_group(reader, child, cpath, here, level + 1,
                                                    seen_ids, strict_custom)
        else:
            node = _read_leaf(reader, child, cpath, here, seen_ids)
        if node is not None:
            children.append(node)
    custom = bool(raw.get("custom", False))
    if custom and level != 2:
        reader.problem(f"{path}.custom", f"{_node_label(here)}：只有二级指标可以设为部门自定义指标")
    elif custom and any(isinstance(c, Group) for c in children):
        reader.problem(f"{path}.custom",
                       f"{_node_label(here)}：部门自定义指标下只能是末级指标，不能再分级")
    total = sum((c.weight for c in children), ZERO)
    if children and total != weight and (strict_custom or not custom):
        reader.problem(f"{path}.weight",
                       f"{_node_label(here)}分值 {fmt_weight(weight)} 与下级指标分值之和 "
                       f"{fmt_weight(total)} 不一致")
    return Group(name=name, weight=weight, children=tuple(children), custom=custom,
                 extra={k: v for k, v in raw.items() if k not in _GROUP_KEYS})


def _read_leaf(reader: _Reader, raw: Any, path: str, trail: tuple[str, ...],
               seen_ids: dict[str, str]) -> Leaf | None:
    if not isinstance(raw, Mapping):
        reader.problem(path, "末级指标格式不对")
        return None
    if isinstance(raw.get("children"), list):
        reader.problem(path, f"{_node_label(trail)}下的指标已是第{LEVEL_WORDS[MAX_DEPTH - 1]}级，"
                             "不能再有下级指标")
    name = reader.text(raw, "name", path).strip() or "（未命名末级指标）"
    here = trail + (name,)
    label = _node_label(here)
    if not reader.text(raw, "name", path).strip():
        reader.problem(f"{path}.name", f"{label}缺少名称")
    leaf_id = raw.get("id")
    if not isinstance(leaf_id, str) or not leaf_id.strip():
        reader.problem(f"{path}.id", f"{label}缺少编号（id）")
        leaf_id = f"_{path}"
    elif leaf_id in seen_ids:
        reader.problem(f"{path}.id", f"{label}的编号“{leaf_id}”与{seen_ids[leaf_id]}重复")
    else:
        seen_ids[leaf_id] = label
    weight = reader.number(raw, "weight", path, f"{label}分值", required=True)
    if weight is not None and weight <= 0:
        reader.problem(f"{path}.weight", f"{label}分值必须大于 0")
    weight = weight if weight is not None else ZERO
    target = reader.number(raw, "target", path, f"{label}指标值")
    source = reader.source(raw, path, label)
    rule = reader.rule(raw.get("rule"), f"{path}.rule", label, weight, target)
    return Leaf(
        id=leaf_id,
        name=name,
        weight=weight,
        rule=rule,
        unit=reader.text(raw, "unit", path),
        target=target,
        criteria=reader.text(raw, "criteria", path),
        source=source,
        explain_below=reader.number(raw, "explain_below", path, f"{label}说明阈值"),
        review=reader.text(raw, "review", path),
        extra={k: v for k, v in raw.items() if k not in _LEAF_KEYS},
    )


# ---------------------------------------------------------------- writing

def _node_dict(node: Group | Leaf) -> dict[str, Any]:
    if isinstance(node, Group):
        out: dict[str, Any] = {"name": node.name, "weight": num_out(node.weight)}
        if node.custom:
            out["custom"] = True
        out["children"] = [_node_dict(c) for c in node.children]
    else:
        out = {"id": node.id, "name": node.name, "weight": num_out(node.weight)}
        if node.unit:
            out["unit"] = node.unit
        if node.target is not None:
            out["target"] = num_out(node.target)
        if node.criteria:
            out["criteria"] = node.criteria
        if node.source:
            out["source"] = node.source
        if node.explain_below is not None:
            out["explain_below"] = num_out(node.explain_below)
        if node.review:
            out["review"] = node.review
        out["rule"] = rule_dict(node.rule)
    out.update(node.extra)
    return out


def system_to_dict(system: System) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if system.id:
        out["id"] = system.id
    out["name"] = system.name
    out["jurisdiction"] = system.jurisdiction
    if system.year is not None:
        out["year"] = system.year
    if system.origin:
        out["origin"] = system.origin
    out["grades"] = [{"min": num_out(m), "grade": g,
                      **({"min_inclusive": False} if g in system.strict_grades else {})}
                     for m, g in system.grades]
    if system.not_applicable != "rescale":
        out["not_applicable"] = system.not_applicable
    if system.cap is not None:
        out["cap"] = {"source": system.cap.source, "bands": bands_out(system.cap.bands, "cap")}
    out["indicators"] = [_node_dict(g) for g in system.indicators]
    out.update(system.extra)
    return out
