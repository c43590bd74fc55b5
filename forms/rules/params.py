"""A kind's parameters read from and written to a rule dict, driven by its ``params``.

A kind made only of standard parameter types (number, text, choice, band table,
checklist items, levels, 偏离扣分) needs no reading or writing code of its own:
``RuleKind.read`` and ``RuleKind.to_dict`` call these, and the system editor builds
its form from the same ``params``.  The built-in kinds use the table readers here too.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from ..numbers import HUNDRED, ZERO, fmt_weight
from .bands import bands_out, read_bands
from .base import ChecklistItem, Overshoot, Param, Rule, RuleReader, num_out

# The parameter types the editor has a widget for; "options" is 二者择其一's own.
STANDARD_TYPES = ("number", "text", "choice", "bands", "items", "levels", "overshoot")


def bound_problem(param: Param, value: Decimal) -> str | None:
    """Why a number breaks the parameter's bounds, in Chinese; None when it keeps them."""
    if param.low is not None:
        if param.low_open and value <= param.low:
            return f"必须大于 {fmt_weight(param.low)}"
        if value < param.low:
            return f"不能小于 {fmt_weight(param.low)}"
    if param.high is not None and value > param.high:
        return f"不能大于 {fmt_weight(param.high)}"
    return None


def read_overshoot(r: RuleReader, raw: Mapping[str, Any], path: str,
                   label: str) -> Overshoot | None:
    spec = raw.get("overshoot")
    if spec in (None, {}):
        return None
    if not isinstance(spec, Mapping):
        r.problem(f"{path}.overshoot", f"{label}：偏离扣分格式不对")
        return None
    percent = r.number(spec, "percent", f"{path}.overshoot", f"{label} 偏离幅度", required=True)
    points = r.number(spec, "points", f"{path}.overshoot", f"{label} 偏离扣分", required=True)
    if percent is not None and percent < 0:
        r.problem(f"{path}.overshoot.percent", f"{label}：偏离幅度不能为负")
    if points is not None and points <= 0:
        r.problem(f"{path}.overshoot.points", f"{label}：偏离扣分必须大于 0")
    return Overshoot(percent or ZERO, points or ZERO)


def numbered(r: RuleReader, items: list[Any], path: str, label: str, what: str, id_word: str,
             fallback: str) -> Iterator[tuple[int, str, Mapping[str, Any], str]]:
    """Index, path, mapping and id of each ``{id, …}`` entry of a list; a malformed entry
    is left out, and a missing or repeated id is a problem (a missing one is made up)."""
    seen: set[str] = set()
    for i, item in enumerate(items):
        ipath = f"{path}[{i}]"
        if not isinstance(item, Mapping):
            r.problem(ipath, f"{label} 第 {i + 1} {what}：格式不对")
            continue
        item_id = item.get("id")
        if not isinstance(item_id, str) or not item_id:
            r.problem(f"{ipath}.id", f"{label} 第 {i + 1} {what}缺少编号")
            item_id = f"{fallback}{i + 1}"
        elif item_id in seen:
            r.problem(f"{ipath}.id", f"{label}：{id_word}编号“{item_id}”重复")
        seen.add(item_id)
        yield i, ipath, item, item_id


def read_items(r: RuleReader, items: Any, path: str, label: str,
               weight: Decimal) -> tuple[ChecklistItem, ...]:
    """Checklist items ``{id, label, points}``; their points must add up to the weight."""
    if not isinstance(items, list) or not items:
        r.problem(f"{path}.items", f"{label}：逐项计分规则至少需要一项")
        return ()
    result: list[ChecklistItem] = []
    for i, ipath, item, item_id in numbered(r, items, f"{path}.items", label, "项", "检查项",
                                            "item"):
        points = r.number(item, "points", ipath, f"{label} 第 {i + 1} 项分值", required=True)
        if points is not None and points < 0:
            r.problem(f"{ipath}.points", f"{label} 第 {i + 1} 项分值不能为负")
        result.append(ChecklistItem(item_id, r.text(item, "label", ipath), points or ZERO))
    total = sum((item.points for item in result), ZERO)
    if total != weight:
        r.problem(f"{path}.items",
                  f"{label}：各检查项分值之和 {fmt_weight(total)} 不等于分值 {fmt_weight(weight)}")
    return tuple(result)


def read_levels(r: RuleReader, levels_raw: Any, path: str,
                label: str) -> tuple[tuple[str, Decimal], ...]:
    """Levels ``{name: percent}``, each percent between 0 and 100."""
    if levels_raw is None:
        levels_raw = {}
    if not isinstance(levels_raw, Mapping):
        r.problem(f"{path}.levels", f"{label}：等级表格式不对")
        levels_raw = {}
    levels = []
    for name, pct in levels_raw.items():
        value = r.number({"v": pct}, "v", f"{path}.levels.{name}", f"{label} 等级“{name}”")
        if value is not None and not ZERO <= value <= HUNDRED:
            r.problem(f"{path}.levels.{name}", f"{label} 等级“{name}”的系数应在 0–100 之间")
        levels.append((str(name), value if value is not None else ZERO))
    return tuple(levels)


def read_params(params: tuple[Param, ...], r: RuleReader, raw: Mapping[str, Any], path: str,
                label: str, weight: Decimal) -> dict[str, Any]:
    """The ``Rule`` fields the parameters give: tables in their own fields, numbers,
    texts and choices in ``values``."""
    fields: dict[str, Any] = {}
    values: list[tuple[str, Any]] = []
    for p in params:
        name = f"{label} {p.label}"
        if p.kind == "number":
            number = r.number(raw, p.key, path, name, required=not p.optional)
            why = bound_problem(p, number) if number is not None else None
            if why:
                r.problem(f"{path}.{p.key}", f"{label}：{p.label}{why}")
            values.append((p.key, number))
        elif p.kind == "text":
            values.append((p.key, r.text(raw, p.key, path)))
        elif p.kind == "choice":
            choice = raw.get(p.key) or p.default
            allowed = dict(p.choices)
            if choice not in allowed:
                r.problem(f"{path}.{p.key}", f"{label}：{p.label}应为"
                          f"{'、'.join(allowed.values())}之一，不是“{choice}”")
            values.append((p.key, choice))
        elif p.kind == "bands":
            bands = raw.get(p.key)
            if not isinstance(bands, list) or not bands:
                r.problem(f"{path}.{p.key}", f"{label}：分档规则至少需要一档")
            else:
                fields["bands"] = read_bands(r, bands, path, label, weight, "score")
        elif p.kind == "items":
            fields["items"] = read_items(r, raw.get(p.key), path, label, weight)
        elif p.kind == "levels":
            fields["levels"] = read_levels(r, raw.get(p.key), path, label)
        elif p.kind == "overshoot":
            fields["overshoot"] = read_overshoot(r, raw, path, label)
    fields["values"] = tuple(values)
    return fields


def items_out(items: tuple[ChecklistItem, ...]) -> list[dict[str, Any]]:
    return [{"id": i.id, "label": i.label, "points": num_out(i.points)} for i in items]


def levels_out(levels: tuple[tuple[str, Decimal], ...]) -> dict[str, Any]:
    return {n: num_out(v) for n, v in levels}


def overshoot_out(shoot: Overshoot) -> dict[str, Any]:
    return {"percent": num_out(shoot.percent), "points": num_out(shoot.points)}


def params_out(params: tuple[Param, ...], rule: Rule) -> dict[str, Any]:
    """The rule dict entries of the parameters, as ``read_params`` reads them back."""
    out: dict[str, Any] = {}
    for p in params:
        if p.kind in ("number", "text", "choice"):
            value = rule.value(p.key)
            if isinstance(value, Decimal):
                out[p.key] = num_out(value)
            elif value not in (None, ""):
                out[p.key] = value
        elif p.kind == "bands":
            out[p.key] = bands_out(rule.bands, "score")
        elif p.kind == "items":
            out[p.key] = items_out(rule.items)
        elif p.kind == "levels":
            out[p.key] = levels_out(rule.levels)
        elif p.kind == "overshoot" and rule.overshoot is not None:
            out[p.key] = overshoot_out(rule.overshoot)
    return out
