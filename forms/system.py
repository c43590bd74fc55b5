"""Indicator systems (指标体系): the tree of SCORING.md as immutable data.

A system is data, versioned by jurisdiction and year.  ``build_system`` reads
the JSON form into dataclasses and returns every problem it finds as a value
(``Problem``: JSON path + Chinese message naming the node); ``load_system``
refuses a system that has any.  A draft with problems can still be built, so
an editor can preview scores while the clerk is typing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Mapping

from .numbers import HUNDRED, ZERO, NumberError, echo, fmt_weight, parse_number, plain

RULE_TYPES = {
    "ratio": "比率（按目标值折算）",
    "deduct": "标准值扣分",
    "bands": "分档计分",
    "checklist": "逐项计分",
    "incidents": "按次扣分",
    "coefficient": "等级系数",
    "manual": "直接评分",
    "either": "二者择其一",
}

# source → (Chinese name, how it is computed); the values are computed in budget.py.
SOURCES = {
    "budget.execution_rate": ("预算执行率", "合计 全年执行数 / 全年预算数 × 100%"),
    "budget.basic_execution_rate": ("基本支出执行率", "基本支出 全年执行数 / 全年预算数 × 100%"),
    "budget.project_execution_rate": ("项目支出执行率", "项目支出 全年执行数 / 全年预算数 × 100%"),
    "budget.carryover_rate": ("结转结余率", "年末结转和结余 / 合计 全年预算数 × 100%"),
    "budget.adjustment_rate": ("预算调整率", "|全年预算数 − 年初预算数| / 年初预算数 × 100%"),
    "projects.execution_rate": ("项目执行率", "各项目执行数之和 / 各项目预算数之和 × 100%"),
}

DEFAULT_GRADES: tuple[tuple[Decimal, str], ...] = (
    (Decimal(90), "优"),
    (Decimal(80), "良"),
    (Decimal(60), "中"),
    (Decimal(0), "差"),
)


class SystemInvalid(ValueError):
    """A system that cannot be used to score; carries every problem found."""

    def __init__(self, problems: list["Problem"]):
        self.problems = problems
        super().__init__("；".join(p.message for p in problems[:3]))


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(frozen=True)
class Band:
    score: Decimal
    min: Decimal | None = None
    max: Decimal | None = None
    min_inclusive: bool = True
    max_inclusive: bool = True

    def contains(self, value: Decimal) -> bool:
        if self.min is not None and (value < self.min or (value == self.min and not self.min_inclusive)):
            return False
        if self.max is not None and (value > self.max or (value == self.max and not self.max_inclusive)):
            return False
        return True


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    label: str
    points: Decimal


@dataclass(frozen=True)
class Option:
    """One alternative of an ``either`` rule (二者择其一)."""

    id: str
    name: str
    rule: "Rule"
    target: Decimal | None = None
    source: str | None = None
    unit: str = ""


@dataclass(frozen=True)
class Rule:
    type: str
    direction: str = ""  # ratio: higher/lower; deduct: max/min
    standard: Decimal | None = None
    step: Decimal = Decimal(1)
    points: Decimal | None = None
    count: str = "proportional"
    bands: tuple[Band, ...] = ()
    items: tuple[ChecklistItem, ...] = ()
    levels: tuple[tuple[str, Decimal], ...] = ()
    options: tuple[Option, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def level(self, name: str) -> Decimal | None:
        return next((v for n, v in self.levels if n == name), None)


@dataclass(frozen=True)
class Leaf:
    """A 三级指标: the only kind of node that is scored."""

    id: str
    name: str
    weight: Decimal
    rule: Rule
    unit: str = ""
    target: Decimal | None = None
    criteria: str = ""
    source: str | None = None
    explain_below: Decimal | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Group:
    """A 一级 or 二级 indicator: a name, a weight and children."""

    name: str
    weight: Decimal
    children: tuple["Group | Leaf", ...]
    custom: bool = False  # 部门个性指标: the clerk may add and reweight leaves
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

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
        for minimum, grade in self.grades:
            if total >= minimum:
                return grade
        return self.grades[-1][1] if self.grades else ""

    @property
    def weight(self) -> Decimal:
        return sum((g.weight for g in self.indicators), ZERO)


# ---------------------------------------------------------------- reading

_LEAF_KEYS = {"id", "name", "weight", "unit", "target", "criteria", "rule", "source", "explain_below"}
_GROUP_KEYS = {"name", "weight", "children", "custom"}
_SYSTEM_KEYS = {"id", "name", "jurisdiction", "year", "origin", "grades", "indicators"}
_RULE_KEYS = {"type", "direction", "standard", "step", "points", "count", "bands", "items",
              "levels", "options"}


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
        extra = {k: v for k, v in raw.items() if k not in _RULE_KEYS}
        if not isinstance(kind, str) or kind not in RULE_TYPES:
            self.problem(f"{path}.type", f"{label}：未知的评分规则类型“{echo(kind)}”")
            return Rule(type="manual", extra=extra)
        if kind == "either" and nested:
            self.problem(f"{path}.type", f"{label}：“二者择其一”的选项不能再嵌套择一规则")
            return Rule(type="manual", extra=extra)
        reader = getattr(self, f"_rule_{kind}")
        rule: Rule = reader(raw, path, label, weight, target)
        return Rule(**{**rule.__dict__, "extra": extra})

    def _rule_ratio(self, raw: Mapping[str, Any], path: str, label: str, weight: Decimal,
                    target: Decimal | None) -> Rule:
        direction = raw.get("direction", "higher") or "higher"
        if direction not in ("higher", "lower"):
            self.problem(f"{path}.direction", f"{label}：方向应为 higher（正向）或 lower（反向），不是“{echo(direction)}”")
        if target is None:
            self.problem(path, f"{label}：比率规则需要指标值（目标值）")
        elif direction == "higher" and target <= 0:
            self.problem(path, f"{label}：正向比率规则的指标值必须大于 0（现为 {plain(target)}）")
        elif target < 0:
            self.problem(path, f"{label}：反向比率规则的指标值不能为负（现为 {plain(target)}）")
        return Rule(type="ratio", direction=direction)

    def _rule_deduct(self, raw: Mapping[str, Any], path: str, label: str, weight: Decimal,
                     target: Decimal | None) -> Rule:
        standard = self.number(raw, "standard", path, f"{label} 标准值", required=True)
        direction = raw.get("direction", "max")
        if direction not in ("max", "min"):
            self.problem(f"{path}.direction", f"{label}：方向应为 max（不超过）或 min（不低于），不是“{echo(direction)}”")
        step = self.number(raw, "step", path, f"{label} 步长")
        if step is None:
            step = Decimal(1)
        elif step <= 0:
            self.problem(f"{path}.step", f"{label}：步长必须大于 0")
            step = Decimal(1)
        points = self.number(raw, "points", path, f"{label} 每步扣分", required=True)
        if points is not None and points <= 0:
            self.problem(f"{path}.points", f"{label}：每步扣分必须大于 0")
        count = raw.get("count", "proportional") or "proportional"
        if count not in ("proportional", "started", "whole"):
            self.problem(f"{path}.count", f"{label}：计步方式应为 proportional、started 或 whole，不是“{echo(count)}”")
        return Rule(type="deduct", direction=direction, standard=standard, step=step,
                    points=points or ZERO, count=count)

    def _rule_bands(self, raw: Mapping[str, Any], path: str, label: str, weight: Decimal,
                    target: Decimal | None) -> Rule:
        items = raw.get("bands")
        if not isinstance(items, list) or not items:
            self.problem(f"{path}.bands", f"{label}：分档规则至少需要一档")
            return Rule(type="bands")
        bands = []
        for i, band in enumerate(items):
            bpath = f"{path}.bands[{i}]"
            if not isinstance(band, Mapping):
                self.problem(bpath, f"{label} 第 {i + 1} 档：格式不对")
                continue
            score = self.number(band, "score", bpath, f"{label} 第 {i + 1} 档得分", required=True)
            low = self.number(band, "min", bpath, f"{label} 第 {i + 1} 档下限")
            high = self.number(band, "max", bpath, f"{label} 第 {i + 1} 档上限")
            if score is not None and score > weight:
                self.problem(f"{bpath}.score",
                             f"{label} 第 {i + 1} 档得分 {fmt_weight(score)} 超过分值 {fmt_weight(weight)}")
            if score is not None and score < 0:
                self.problem(f"{bpath}.score", f"{label} 第 {i + 1} 档得分不能为负")
            if low is not None and high is not None and low > high:
                self.problem(bpath, f"{label} 第 {i + 1} 档：下限 {plain(low)} 大于上限 {plain(high)}")
            bands.append(Band(score=score or ZERO, min=low, max=high,
                              min_inclusive=bool(band.get("min_inclusive", True)),
                              max_inclusive=bool(band.get("max_inclusive", True))))
        return Rule(type="bands", bands=tuple(bands))

    def _rule_checklist(self, raw: Mapping[str, Any], path: str, label: str, weight: Decimal,
                        target: Decimal | None) -> Rule:
        items = raw.get("items")
        if not isinstance(items, list) or not items:
            self.problem(f"{path}.items", f"{label}：逐项计分规则至少需要一项")
            return Rule(type="checklist")
        result: list[ChecklistItem] = []
        seen: set[str] = set()
        for i, item in enumerate(items):
            ipath = f"{path}.items[{i}]"
            if not isinstance(item, Mapping):
                self.problem(ipath, f"{label} 第 {i + 1} 项：格式不对")
                continue
            item_id = item.get("id")
            if not isinstance(item_id, str) or not item_id:
                self.problem(f"{ipath}.id", f"{label} 第 {i + 1} 项缺少编号")
                item_id = f"item{i + 1}"
            elif item_id in seen:
                self.problem(f"{ipath}.id", f"{label}：检查项编号“{item_id}”重复")
            seen.add(item_id)
            points = self.number(item, "points", ipath, f"{label} 第 {i + 1} 项分值", required=True)
            if points is not None and points < 0:
                self.problem(f"{ipath}.points", f"{label} 第 {i + 1} 项分值不能为负")
            result.append(ChecklistItem(item_id, self.text(item, "label", ipath), points or ZERO))
        total = sum((item.points for item in result), ZERO)
        if total != weight:
            self.problem(f"{path}.items",
                         f"{label}：各检查项分值之和 {fmt_weight(total)} 不等于分值 {fmt_weight(weight)}")
        return Rule(type="checklist", items=tuple(result))

    def _rule_incidents(self, raw: Mapping[str, Any], path: str, label: str, weight: Decimal,
                        target: Decimal | None) -> Rule:
        points = self.number(raw, "points", path, f"{label} 每次扣分", required=True)
        if points is not None and points <= 0:
            self.problem(f"{path}.points", f"{label}：每次扣分必须大于 0")
        return Rule(type="incidents", points=points or ZERO)

    def _rule_coefficient(self, raw: Mapping[str, Any], path: str, label: str, weight: Decimal,
                          target: Decimal | None) -> Rule:
        levels_raw = raw.get("levels", {})
        if levels_raw is None:
            levels_raw = {}
        if not isinstance(levels_raw, Mapping):
            self.problem(f"{path}.levels", f"{label}：等级表格式不对")
            levels_raw = {}
        levels = []
        for name, pct in levels_raw.items():
            value = self.number({"v": pct}, "v", f"{path}.levels.{name}", f"{label} 等级“{name}”")
            if value is not None and not ZERO <= value <= HUNDRED:
                self.problem(f"{path}.levels.{name}", f"{label} 等级“{name}”的系数应在 0–100 之间")
            levels.append((str(name), value if value is not None else ZERO))
        return Rule(type="coefficient", levels=tuple(levels))

    def _rule_manual(self, raw: Mapping[str, Any], path: str, label: str, weight: Decimal,
                     target: Decimal | None) -> Rule:
        return Rule(type="manual")

    def _rule_either(self, raw: Mapping[str, Any], path: str, label: str, weight: Decimal,
                     target: Decimal | None) -> Rule:
        items = raw.get("options")
        if not isinstance(items, list) or not items:
            self.problem(f"{path}.options", f"{label}：择一规则至少需要一个选项")
            return Rule(type="either")
        options: list[Option] = []
        seen: set[str] = set()
        for i, item in enumerate(items):
            opath = f"{path}.options[{i}]"
            if not isinstance(item, Mapping):
                self.problem(opath, f"{label} 第 {i + 1} 个选项：格式不对")
                continue
            option_id = item.get("id")
            if not isinstance(option_id, str) or not option_id:
                self.problem(f"{opath}.id", f"{label} 第 {i + 1} 个选项缺少编号")
                option_id = f"option{i + 1}"
            elif option_id in seen:
                self.problem(f"{opath}.id", f"{label}：选项编号“{option_id}”重复")
            seen.add(option_id)
            name = self.text(item, "name", opath) or option_id
            option_target = self.number(item, "target", opath, f"{label}（{name}）指标值")
            if option_target is None:
                option_target = target
            source = self.source(item, opath, f"{label}（{name}）")
            rule = self.rule(item.get("rule"), f"{opath}.rule", f"{label}（{name}）", weight,
                             option_target, nested=True)
            options.append(Option(option_id, name, rule, option_target, source,
                                  self.text(item, "unit", opath)))
        return Rule(type="either", options=tuple(options))

    def source(self, raw: Mapping[str, Any], path: str, label: str) -> str | None:
        source = raw.get("source")
        if source in (None, ""):
            return None
        if not isinstance(source, str) or source not in SOURCES:
            self.problem(f"{path}.source", f"{label}：未知的数据来源“{echo(source)}”")
            return None
        return str(source)


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
            year = int(str(year_raw))
        except ValueError:
            reader.problem(f"{path}.year", f"年度“{echo(year_raw)}”不是整数")
    grades = _read_grades(reader, raw.get("grades"), f"{path}.grades")
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
        extra={k: v for k, v in raw.items() if k not in _SYSTEM_KEYS},
    )
    return system, reader.problems


def load_system(raw: Any, path: str = "system", *, strict_custom: bool = True) -> System:
    """Read a system and refuse it (``SystemInvalid``) if anything is wrong."""
    system, problems = build_system(raw, path, strict_custom=strict_custom)
    if problems:
        raise SystemInvalid(problems)
    return system


def _read_grades(reader: _Reader, raw: Any, path: str) -> tuple[tuple[Decimal, str], ...]:
    if raw in (None, []):
        return DEFAULT_GRADES
    if not isinstance(raw, list):
        reader.problem(path, "等级划分格式不对")
        return DEFAULT_GRADES
    grades = []
    for i, item in enumerate(raw):
        gpath = f"{path}[{i}]"
        if not isinstance(item, Mapping):
            reader.problem(gpath, "等级划分格式不对")
            continue
        minimum = reader.number(item, "min", gpath, "等级下限", required=True)
        grade = reader.text(item, "grade", gpath)
        if not grade:
            reader.problem(f"{gpath}.grade", "等级名称未填写")
        if minimum is not None and not ZERO <= minimum <= HUNDRED:
            reader.problem(f"{gpath}.min", f"等级“{grade}”的下限应在 0–100 之间")
        grades.append((minimum if minimum is not None else ZERO, grade))
    grades.sort(key=lambda g: g[0], reverse=True)
    return tuple(grades)


def _read_group(reader: _Reader, raw: Any, path: str, trail: tuple[str, ...], level: int,
                seen_ids: dict[str, str], strict_custom: bool) -> Group | None:
    if not isinstance(raw, Mapping):
        reader.problem(path, f"第 {level} 级指标格式不对")
        return None
    name = reader.text(raw, "name", path).strip() or f"（未命名{'一二'[level - 1]}级指标）"
    here = trail + (name,)
    if not reader.text(raw, "name", path).strip():
        reader.problem(f"{path}.name", f"{_node_label(here)}缺少名称")
    weight = reader.number(raw, "weight", path, f"{_node_label(here)}分值", required=True)
    if weight is not None and weight <= 0:
        reader.problem(f"{path}.weight", f"{_node_label(here)}分值必须大于 0")
    weight = weight if weight is not None else ZERO
    children_raw = raw.get("children")
    if "rule" in raw and not children_raw:
        reader.problem(path, f"{_node_label(here)}是{'一二'[level - 1]}级指标，下面应有下级指标")
        children_raw = []
    if not isinstance(children_raw, list) or not children_raw:
        reader.problem(f"{path}.children", f"{_node_label(here)}没有下级指标")
        children_raw = []
    children: list[Group | Leaf] = []
    for i, child in enumerate(children_raw):
        cpath = f"{path}.children[{i}]"
        if level == 1:
            node: Group | Leaf | None = _read_group(reader, child, cpath, here, 2, seen_ids,
                                                    strict_custom)
        else:
            node = _read_leaf(reader, child, cpath, here, seen_ids)
        if node is not None:
            children.append(node)
    custom = bool(raw.get("custom", False))
    if custom and level != 2:
        reader.problem(f"{path}.custom", f"{_node_label(here)}：只有二级指标可以设为部门自定义指标")
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
        reader.problem(path, "三级指标格式不对")
        return None
    if isinstance(raw.get("children"), list):
        reader.problem(path, f"{_node_label(trail)}下的指标已是第三级，不能再有下级指标")
    name = reader.text(raw, "name", path).strip() or "（未命名三级指标）"
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
        extra={k: v for k, v in raw.items() if k not in _LEAF_KEYS},
    )


# ---------------------------------------------------------------- writing

def num_out(value: Decimal) -> int | str:
    """A system number for JSON: an int when integral as entered, else its text."""
    if value == value.to_integral_value() and value.as_tuple().exponent == 0:
        return int(value)
    return plain(value)


def _rule_dict(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {"type": rule.type}
    if rule.type == "ratio":
        out["direction"] = rule.direction or "higher"
    elif rule.type == "deduct":
        out.update(standard=num_out(rule.standard or ZERO), direction=rule.direction,
                   step=num_out(rule.step), points=num_out(rule.points or ZERO), count=rule.count)
    elif rule.type == "bands":
        bands = []
        for band in rule.bands:
            b: dict[str, Any] = {}
            if band.min is not None:
                b["min"] = num_out(band.min)
                if not band.min_inclusive:
                    b["min_inclusive"] = False
            if band.max is not None:
                b["max"] = num_out(band.max)
                if not band.max_inclusive:
                    b["max_inclusive"] = False
            b["score"] = num_out(band.score)
            bands.append(b)
        out["bands"] = bands
    elif rule.type == "checklist":
        out["items"] = [{"id": i.id, "label": i.label, "points": num_out(i.points)}
                        for i in rule.items]
    elif rule.type == "incidents":
        out["points"] = num_out(rule.points or ZERO)
    elif rule.type == "coefficient":
        out["levels"] = {name: num_out(value) for name, value in rule.levels}
    elif rule.type == "either":
        options = []
        for o in rule.options:
            od: dict[str, Any] = {"id": o.id, "name": o.name}
            if o.unit:
                od["unit"] = o.unit
            if o.target is not None:
                od["target"] = num_out(o.target)
            if o.source:
                od["source"] = o.source
            od["rule"] = _rule_dict(o.rule)
            options.append(od)
        out["options"] = options
    out.update(rule.extra)
    return out


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
        out["rule"] = _rule_dict(node.rule)
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
    out["grades"] = [{"min": num_out(m), "grade": g} for m, g in system.grades]
    out["indicators"] = [_node_dict(g) for g in system.indicators]
    out.update(system.extra)
    return out
