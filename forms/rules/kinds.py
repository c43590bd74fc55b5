"""The rule kinds: each one's name, parameters, reading, scoring and wording.

A kind is one class here.  Everything that depends on the kind — reading and
checking a system file, writing it back, scoring a value, the 评分标准 text
printed when a notice gives none, the 指标值 column, the editor's parameter
form and default, the value fields the clerk fills in (with what a choice offers
and what a checklist lists), reading the kind out of a notice's text — asks the
kind (docs/rules.md).
"""

from __future__ import annotations

import copy
import math
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from collections.abc import Mapping

from ..numbers import HUNDRED, ZERO, fmt2, fmt_weight, plain
from . import recognisers as rec
from .bands import band_text, bands_out, read_bands, unit_join
from ..value_fields import (ACTUAL, CHECKED, COEFFICIENT, COUNT, LEVEL, OPTION, SCORE,
                            ValueField)
from .base import Option, Outcome, Overshoot, Param, Rule, RuleReader, num_out
from .params import (items_out, numbered, levels_out, overshoot_out, params_out, read_items, read_levels,
                     read_overshoot, read_params)

if TYPE_CHECKING:  # model imports system, which imports this registry
    from ..model import LeafValue

# How a deduction counts a step that is only begun: one wording, used everywhere.
COUNT_TEXT = {"proportional": "不足一步按比例扣", "started": "不足一步按一步扣",
              "whole": "不足一步不扣"}
DIRECTION_TEXT = {"higher": "正向（越高越好）", "lower": "反向（指标值÷实际值）",
                  "reverse": "反向（财政部公式）", "equal": "等于指标值",
                  "max": "不超过标准值", "min": "不低于标准值", "both": "与标准值相差"}
RATIO_DIRECTIONS = ("higher", "lower", "reverse", "equal")
DEDUCT_DIRECTIONS = ("max", "min", "both")
OVERSHOOT_PARAM = Param("overshoot", "偏离扣分", None, (), "overshoot",
                        hint="超过指标值百分之几及以上，扣几分；不设则留空")


def _scored(raw: Decimal, actual: Decimal | None, text: str) -> Outcome:
    return Outcome("scored", raw, actual, text)


def _missing(message: str) -> Outcome:
    return Outcome("missing", message=message)


def _invalid(message: str, text: str = "") -> Outcome:
    return Outcome("invalid", text=text, message=message)


class RuleKind:
    """The base of every kind; a kind overrides what differs.

    A kind whose ``params`` are all of standard types (``forms.rules.params``) is read,
    written and edited from them: it only needs ``score`` and its wording."""

    key = ""
    name = ""
    params: tuple[Param, ...] = ()
    note = ""  # the line the system editor shows above the parameters
    # the value fields it reads (forms.value_fields); the desktop builds one editor per
    # field, by its type, in this order
    fields: tuple[ValueField, ...] = ()
    reads_actual = False  # the actual number (typed, or computed from ``source``)

    @property
    def keys(self) -> tuple[str, ...]:
        """The JSON keys it owns in a rule dict: its parameters'."""
        return tuple(p.key for p in self.params)

    def param(self, key: str) -> Param | None:
        return next((p for p in self.params if p.key == key), None)

    def defaults(self) -> dict[str, Any]:
        return {p.key: copy.deepcopy(p.default) for p in self.params if p.default is not None}

    def read(self, r: RuleReader, raw: Mapping[str, Any], path: str, label: str,
             weight: Decimal, target: Decimal | None) -> Rule:
        return Rule(type=self.key, **read_params(self.params, r, raw, path, label, weight))

    # ---- what the value editors show (one editor per field type, desktop.form.leaf_editors)
    def choices(self, rule: Rule, field: ValueField) -> tuple[tuple[str, str], ...]:
        """What a ``choice`` field offers, or the items a ``checks`` field lists, for a
        leaf with ``rule``: (the value stored, the Chinese label shown)."""
        return ()

    def suffix(self, rule: Rule, field: ValueField, weight: Decimal, unit: str,
               value: LeafValue) -> str:
        """What is shown after a field as it holds ``value``: its unit (a number field
        without one takes the leaf's), or what bounds the points."""
        return field.unit or (unit if field.type == "number" else "")

    def label(self, rule: Rule, field: ValueField) -> str:
        """The field's name as this leaf's rule calls it (金额比较's 本年结余)."""
        return field.label

    def branches(self, rule: Rule) -> tuple[Option, ...]:
        """The alternatives one of which the clerk's choice picks (二者择其一), each with
        its own rule whose fields are filled in next; none for most kinds."""
        return ()

    def to_dict(self, rule: Rule) -> dict[str, Any]:
        return {"type": self.key, **params_out(self.params, rule)}

    def score(self, rule: Rule, name: str, weight: Decimal, target: Decimal | None,
              value: LeafValue, actual: Decimal | None) -> Outcome:
        raise NotImplementedError

    def describe(self, rule: Rule, weight: Decimal, target: Decimal | None, unit: str) -> str:
        return ""

    def target_text(self, rule: Rule, target: Decimal | None, unit: str) -> str:
        return "—"

    def recognise(self, text: str, weight: Decimal | None,
                  target: Decimal | None) -> dict[str, Any] | None:
        return None


class NumericKind(RuleKind):
    """Kinds scored on the actual number, with the optional 偏离扣分."""

    fields = (ACTUAL,)
    reads_actual = True

    def reference(self, rule: Rule, target: Decimal | None) -> Decimal | None:
        return target

    def read_overshoot(self, r: RuleReader, raw: Mapping[str, Any], path: str,
                       label: str) -> Overshoot | None:
        return read_overshoot(r, raw, path, label)

    def overshoot_dict(self, rule: Rule, out: dict[str, Any]) -> dict[str, Any]:
        if rule.overshoot is not None:
            out["overshoot"] = overshoot_out(rule.overshoot)
        return out

    def raw_score(self, rule: Rule, weight: Decimal, target: Decimal | None,
                  actual: Decimal) -> Decimal | str:
        raise NotImplementedError

    def score(self, rule: Rule, name: str, weight: Decimal, target: Decimal | None,
              value: LeafValue, actual: Decimal | None) -> Outcome:
        assert actual is not None  # scoring resolves a missing actual before asking
        raw = self.raw_score(rule, weight, target, actual)
        if isinstance(raw, str):
            return _invalid(f"{name}：{raw}")
        ref = self.reference(rule, target)
        shoot = rule.overshoot
        if shoot is not None and ref is not None and ref > 0 \
                and actual >= ref * (HUNDRED + shoot.percent) / HUNDRED:
            raw -= shoot.points
        return _scored(raw, actual, "")

    def overshoot_text(self, rule: Rule) -> str:
        shoot = rule.overshoot
        if shoot is None:
            return ""
        return (f"；完成值超过指标值 {fmt_weight(shoot.percent)}% 及以上的视为偏离，"
                f"扣 {fmt_weight(shoot.points)} 分")

    def recognise(self, text: str, weight: Decimal | None,
                  target: Decimal | None) -> dict[str, Any] | None:
        shoot, rest = rec.overshoot(text)
        found = self.recognise_plain(rest, weight, target)
        if found is not None and shoot is not None:
            found["overshoot"] = shoot
        return found

    def recognise_plain(self, text: str, weight: Decimal | None,
                        target: Decimal | None) -> dict[str, Any] | None:
        return None


class Ratio(NumericKind):
    key, name = "ratio", "比率（按目标值折算）"
    params = (Param("direction", "方向", "higher",
                    tuple((d, DIRECTION_TEXT[d]) for d in RATIO_DIRECTIONS), "choice"),
              OVERSHOOT_PARAM)
    note = "按“指标值”折算，满分为止；指标值在上方填写。"

    def read(self, r: RuleReader, raw: Mapping[str, Any], path: str, label: str,
             weight: Decimal, target: Decimal | None) -> Rule:
        direction = raw.get("direction", "higher") or "higher"
        if direction not in RATIO_DIRECTIONS:
            r.problem(f"{path}.direction", f"{label}：方向应为 higher（正向）、lower 或 reverse（反向）、"
                                           f"equal（等于），不是“{direction}”")
        if target is None:
            r.problem(path, f"{label}：比率规则需要指标值（目标值）")
        elif direction == "higher" and target <= 0:
            r.problem(path, f"{label}：正向比率规则的指标值必须大于 0（现为 {plain(target)}）")
        elif direction in ("lower", "reverse") and target < 0:
            r.problem(path, f"{label}：反向比率规则的指标值不能为负（现为 {plain(target)}）")
        return Rule(type="ratio", direction=direction,
                    overshoot=self.read_overshoot(r, raw, path, label))

    def to_dict(self, rule: Rule) -> dict[str, Any]:
        return self.overshoot_dict(rule, {"type": "ratio", "direction": rule.direction or "higher"})

    def raw_score(self, rule: Rule, weight: Decimal, target: Decimal | None,
                  actual: Decimal) -> Decimal | str:
        direction = rule.direction or "higher"
        if target is None or (direction == "higher" and target <= 0):
            return "指标值未设置，无法按比率计分"
        if direction == "equal":  # 等于: the target exactly; a target of 0 is met by anything ≤ 0
            met = actual <= 0 if target == 0 else actual == target
            return weight if met else ZERO
        if direction == "higher":
            return weight * min(Decimal(1), actual / target)
        if actual <= target:
            return weight
        if target <= 0:  # 反向 with a target of 0: anything above it misses entirely
            return ZERO
        if direction == "reverse":  # the ministry's (1 − (实际值 − 指标值)/指标值) × 分值
            return max(ZERO, (1 - (actual - target) / target) * weight)
        return weight * target / actual

    def describe(self, rule: Rule, weight: Decimal, target: Decimal | None, unit: str) -> str:
        w = fmt_weight(weight)
        if rule.direction == "lower":
            text = f"实际值不高于指标值得 {w} 分，高于的按 指标值/实际值×{w} 计分"
        elif rule.direction == "reverse":
            text = (f"反向指标：实际值不高于指标值得 {w} 分，高于的按 (1-(实际值-指标值)/指标值)×{w} 计分，"
                    f"达到指标值两倍及以上不得分")
        elif rule.direction == "equal":
            text = (f"实际值等于指标值得 {w} 分，否则不得分" if target != 0
                    else f"实际值为 0（或以下）得 {w} 分，否则不得分")
        else:
            text = f"按 实际值/指标值×{w} 计分，满分为止"
        return text + self.overshoot_text(rule)

    def target_text(self, rule: Rule, target: Decimal | None, unit: str) -> str:
        if target is None:
            return "—"
        sign = {"lower": "≤", "reverse": "≤", "equal": "="}.get(rule.direction, "≥")
        return sign + unit_join(fmt_weight(target), unit)

    def recognise_plain(self, text: str, weight: Decimal | None,
                        target: Decimal | None) -> dict[str, Any] | None:
        return rec.ratio(text, weight)


class Deduct(NumericKind):
    key, name = "deduct", "标准值扣分"
    params = (Param("standard", "标准值", 100),
              Param("direction", "方向", "max",
                    tuple((d, DIRECTION_TEXT[d]) for d in DEDUCT_DIRECTIONS), "choice"),
              Param("step", "步长（每…）", 1, low=ZERO, low_open=True, optional=True,
                    hint="实际值每偏离多少算一步，如 1 个百分点"),
              Param("points", "每步扣分", 1, unit="分", low=ZERO, low_open=True),
              Param("count", "计步方式", "proportional", tuple(COUNT_TEXT.items()), "choice"),
              Param("limit", "最多扣分", None, unit="分", low=ZERO, low_open=True, optional=True,
                    hint="扣满多少分为止；不设则扣完本指标分值为止"),
              OVERSHOOT_PARAM)

    def reference(self, rule: Rule, target: Decimal | None) -> Decimal | None:
        return target if target is not None else rule.standard

    def read(self, r: RuleReader, raw: Mapping[str, Any], path: str, label: str,
             weight: Decimal, target: Decimal | None) -> Rule:
        standard = r.number(raw, "standard", path, f"{label} 标准值", required=True)
        direction = raw.get("direction", "max")
        if direction not in DEDUCT_DIRECTIONS:
            r.problem(f"{path}.direction", f"{label}：方向应为 max（不超过）、min（不低于）或 both（相差），"
                                           f"不是“{direction}”")
        step = r.number(raw, "step", path, f"{label} 步长")
        if step is None:
            step = Decimal(1)
        elif step <= 0:
            r.problem(f"{path}.step", f"{label}：步长必须大于 0")
            step = Decimal(1)
        points = r.number(raw, "points", path, f"{label} 每步扣分", required=True)
        if points is not None and points <= 0:
            r.problem(f"{path}.points", f"{label}：每步扣分必须大于 0")
        count = raw.get("count", "proportional") or "proportional"
        if not isinstance(count, str) or count not in COUNT_TEXT:
            r.problem(f"{path}.count", f"{label}：计步方式应为 proportional、started 或 whole，不是“{count}”")
        limit = r.number(raw, "limit", path, f"{label} 最多扣分")
        if limit is not None and limit <= 0:
            r.problem(f"{path}.limit", f"{label}：最多扣分必须大于 0")
            limit = None
        return Rule(type="deduct", direction=direction, standard=standard, step=step,
                    points=points or ZERO, count=count,
                    overshoot=self.read_overshoot(r, raw, path, label),
                    values=(("limit", limit),) if limit is not None else ())

    def to_dict(self, rule: Rule) -> dict[str, Any]:
        return self.overshoot_dict(rule, {
            "type": "deduct", "standard": num_out(rule.standard or ZERO),
            "direction": rule.direction, "step": num_out(rule.step),
            "points": num_out(rule.points or ZERO), "count": rule.count,
            **({"limit": num_out(rule.value("limit"))} if rule.value("limit") is not None else {})})

    def raw_score(self, rule: Rule, weight: Decimal, target: Decimal | None,
                  actual: Decimal) -> Decimal | str:
        standard = rule.standard or ZERO
        if rule.direction == "both":  # 与计划每相差…: above or below alike
            gap = abs(actual - standard)
        else:
            gap = actual - standard if rule.direction == "max" else standard - actual
        if gap <= 0:
            return weight
        steps = gap / rule.step
        if rule.count == "started":
            steps = Decimal(math.ceil(steps))
        elif rule.count == "whole":
            steps = Decimal(math.floor(steps))
        lost = steps * (rule.points or ZERO)
        limit = rule.value("limit") if rule.values else None  # (most rules have none: no scan)
        if limit is not None:
            lost = min(lost, limit)
        return max(ZERO, weight - lost)

    def describe(self, rule: Rule, weight: Decimal, target: Decimal | None, unit: str) -> str:
        std = unit_join(fmt_weight(rule.standard or ZERO), unit)
        over = {"max": "每超过", "min": "每低于", "both": "每相差"}.get(rule.direction, "每超过")
        limit = rule.value("limit")
        until = f"扣满 {fmt_weight(limit)} 分为止" if limit is not None else "扣完为止"
        return (f"以 {std} 为标准，{over} {fmt_weight(rule.step)}{unit} 扣 "
                f"{fmt_weight(rule.points or ZERO)} 分，{COUNT_TEXT.get(rule.count, '')}，{until}"
                + self.overshoot_text(rule))

    def target_text(self, rule: Rule, target: Decimal | None, unit: str) -> str:
        value = target if target is not None else rule.standard
        if value is None:
            return "—"
        sign = {"max": "≤", "min": "≥", "both": "="}.get(rule.direction, "≤")
        return sign + unit_join(fmt_weight(value), unit)

    def recognise_plain(self, text: str, weight: Decimal | None,
                        target: Decimal | None) -> dict[str, Any] | None:
        return rec.deduct(text, target)


class Bands(NumericKind):
    key, name = "bands", "分档计分"
    params = (Param("bands", "分档", [], (), "bands",
                    hint="自上而下，第一个包含实际值的档位计分；不含边界时写“>90”或“<10”。"),
              OVERSHOOT_PARAM)

    def read(self, r: RuleReader, raw: Mapping[str, Any], path: str, label: str,
             weight: Decimal, target: Decimal | None) -> Rule:
        items = raw.get("bands")
        shoot = self.read_overshoot(r, raw, path, label)
        if not isinstance(items, list) or not items:
            r.problem(f"{path}.bands", f"{label}：分档规则至少需要一档")
            return Rule(type="bands", overshoot=shoot)
        return Rule(type="bands", bands=read_bands(r, items, path, label, weight, "score"),
                    overshoot=shoot)

    def to_dict(self, rule: Rule) -> dict[str, Any]:
        return self.overshoot_dict(rule, {"type": "bands", "bands": bands_out(rule.bands, "score")})

    def raw_score(self, rule: Rule, weight: Decimal, target: Decimal | None,
                  actual: Decimal) -> Decimal | str:
        return next((b.score for b in rule.bands if b.contains(actual)), ZERO)

    def describe(self, rule: Rule, weight: Decimal, target: Decimal | None, unit: str) -> str:
        text = "；".join(f"{band_text(b, unit)}得 {fmt_weight(b.score)} 分" for b in rule.bands)
        return text + "；其余得 0 分" + self.overshoot_text(rule)

    def target_text(self, rule: Rule, target: Decimal | None, unit: str) -> str:
        if target is not None:
            return unit_join(fmt_weight(target), unit)
        return band_text(rule.bands[0], unit) if rule.bands else "—"

    def recognise_plain(self, text: str, weight: Decimal | None,
                        target: Decimal | None) -> dict[str, Any] | None:
        return rec.bands(text, weight)


class Checklist(RuleKind):
    key, name = "checklist", "逐项计分"
    params = (Param("items", "检查项", [], (), "items", hint="各项分值之和应等于本指标分值。"),)
    fields = (CHECKED,)

    def choices(self, rule: Rule, field: ValueField) -> tuple[tuple[str, str], ...]:
        return tuple((i.id, f"{i.label}（{fmt_weight(i.points)} 分）") for i in rule.items)

    def read(self, r: RuleReader, raw: Mapping[str, Any], path: str, label: str,
             weight: Decimal, target: Decimal | None) -> Rule:
        return Rule(type="checklist", items=read_items(r, raw.get("items"), path, label, weight))

    def to_dict(self, rule: Rule) -> dict[str, Any]:
        return {"type": "checklist", "items": items_out(rule.items)}

    def score(self, rule: Rule, name: str, weight: Decimal, target: Decimal | None,
              value: LeafValue, actual: Decimal | None) -> Outcome:
        if value.checked is None:
            return _missing(f"{name}：尚未勾选")
        points = {item.id: item.points for item in rule.items}
        unknown = [c for c in value.checked if c not in points]
        if unknown:
            return _invalid(f"{name}：勾选项“{'、'.join(unknown)}”不存在")
        chosen = set(value.checked)
        return _scored(sum((points[c] for c in chosen), ZERO), None,
                       f"符合 {len(chosen)}/{len(rule.items)} 项")

    def describe(self, rule: Rule, weight: Decimal, target: Decimal | None, unit: str) -> str:
        return "；".join(f"{i.label}（{fmt_weight(i.points)} 分）" for i in rule.items)

    def target_text(self, rule: Rule, target: Decimal | None, unit: str) -> str:
        return f"符合全部 {len(rule.items)} 项"

    def recognise(self, text: str, weight: Decimal | None,
                  target: Decimal | None) -> dict[str, Any] | None:
        return rec.checklist(text)


class Incidents(RuleKind):
    key, name = "incidents", "按次扣分"
    params = (Param("points", "每发生一次扣分", 1, unit="分", low=ZERO, low_open=True),)
    fields = (COUNT,)

    def suffix(self, rule: Rule, field: ValueField, weight: Decimal, unit: str,
               value: LeafValue) -> str:
        return f"次（每次扣 {fmt_weight(rule.points or ZERO)} 分）"

    def read(self, r: RuleReader, raw: Mapping[str, Any], path: str, label: str,
             weight: Decimal, target: Decimal | None) -> Rule:
        points = r.number(raw, "points", path, f"{label} 每次扣分", required=True)
        if points is not None and points <= 0:
            r.problem(f"{path}.points", f"{label}：每次扣分必须大于 0")
        return Rule(type="incidents", points=points or ZERO)

    def to_dict(self, rule: Rule) -> dict[str, Any]:
        return {"type": "incidents", "points": num_out(rule.points or ZERO)}

    def score(self, rule: Rule, name: str, weight: Decimal, target: Decimal | None,
              value: LeafValue, actual: Decimal | None) -> Outcome:
        count = value.count
        if count is None:
            return _missing(f"{name}：次数未填写")
        if count < 0 or count != count.to_integral_value():
            return _invalid(f"{name}：次数应为不小于 0 的整数，不是 {plain(count)}")
        return _scored(weight - count * (rule.points or ZERO), count, f"{int(count)} 次")

    def describe(self, rule: Rule, weight: Decimal, target: Decimal | None, unit: str) -> str:
        return f"每发生一次扣 {fmt_weight(rule.points or ZERO)} 分，扣完为止"

    def target_text(self, rule: Rule, target: Decimal | None, unit: str) -> str:
        return "0次"

    def recognise(self, text: str, weight: Decimal | None,
                  target: Decimal | None) -> dict[str, Any] | None:
        return rec.incidents(text)


class Coefficient(RuleKind):
    key, name = "coefficient", "等级系数"
    params = (Param("levels", "等级及系数", {"优": 100, "良": 80, "中": 60, "差": 0}, (),
                    "levels", hint="得分 = 分值 × 系数 ÷ 100。"),)
    fields = (LEVEL, COEFFICIENT)

    def choices(self, rule: Rule, field: ValueField) -> tuple[tuple[str, str], ...]:
        return tuple((n, f"{n}（{fmt_weight(pct)}%）") for n, pct in rule.levels)

    def read(self, r: RuleReader, raw: Mapping[str, Any], path: str, label: str,
             weight: Decimal, target: Decimal | None) -> Rule:
        return Rule(type="coefficient", levels=read_levels(r, raw.get("levels", {}), path, label))

    def to_dict(self, rule: Rule) -> dict[str, Any]:
        return {"type": "coefficient", "levels": levels_out(rule.levels)}

    def score(self, rule: Rule, name: str, weight: Decimal, target: Decimal | None,
              value: LeafValue, actual: Decimal | None) -> Outcome:
        if value.level:
            pct = rule.level(value.level)
            if pct is None:
                return _invalid(f"{name}：等级“{value.level}”不存在")
            text = value.level
        elif value.coefficient is not None:
            pct = value.coefficient
            if not ZERO <= pct <= HUNDRED:
                return _invalid(f"{name}：系数应在 0–100 之间，不是 {plain(pct)}")
            text = f"{fmt2(pct)}%"
        else:
            return _missing(f"{name}：等级未选择")
        return _scored(weight * pct / HUNDRED, pct, text)

    def describe(self, rule: Rule, weight: Decimal, target: Decimal | None, unit: str) -> str:
        return "、".join(f"{n} {fmt_weight(v)}%" for n, v in rule.levels) + \
            f"，乘以分值 {fmt_weight(weight)}"

    def target_text(self, rule: Rule, target: Decimal | None, unit: str) -> str:
        return rule.levels[0][0] if rule.levels else "—"

    def recognise(self, text: str, weight: Decimal | None,
                  target: Decimal | None) -> dict[str, Any] | None:
        return rec.grades(text, weight)


class Manual(RuleKind):
    key, name = "manual", "直接评分"
    note = "由填报人直接填写得分（0 至分值之间），按上方评分标准评定。"
    fields = (SCORE,)

    def suffix(self, rule: Rule, field: ValueField, weight: Decimal, unit: str,
               value: LeafValue) -> str:
        return f"分（0–{fmt_weight(weight)} 分）"

    def score(self, rule: Rule, name: str, weight: Decimal, target: Decimal | None,
              value: LeafValue, actual: Decimal | None) -> Outcome:
        if value.score is None:
            return _missing(f"{name}：得分未填写")
        if value.score < 0 or value.score > weight:
            return _invalid(f"{name}：得分 {plain(value.score)} 超出 0–{fmt_weight(weight)} 分",
                            plain(value.score))
        return _scored(value.score, None, "")

    def describe(self, rule: Rule, weight: Decimal, target: Decimal | None, unit: str) -> str:
        return f"按实际情况评分，最高 {fmt_weight(weight)} 分"


class Either(RuleKind):
    """二者择其一: scoring resolves the option chosen and asks that option's kind."""

    key, name = "either", "二者择其一"
    params = (Param("options", "可选口径", [], (), "options"),)
    note = "填报时二者择其一：每个选项有自己的指标值、数据来源和评分规则，按本指标分值计分。"
    fields = (OPTION,)

    def choices(self, rule: Rule, field: ValueField) -> tuple[tuple[str, str], ...]:
        return tuple((o.id, o.name) for o in rule.options)

    def branches(self, rule: Rule) -> tuple[Option, ...]:
        return rule.options

    def read(self, r: RuleReader, raw: Mapping[str, Any], path: str, label: str,
             weight: Decimal, target: Decimal | None) -> Rule:
        items = raw.get("options")
        if not isinstance(items, list) or not items:
            r.problem(f"{path}.options", f"{label}：择一规则至少需要一个选项")
            return Rule(type="either")
        options: list[Option] = []
        for _i, opath, item, option_id in numbered(r, items, f"{path}.options", label, "个选项",
                                                   "选项", "option"):
            name = r.text(item, "name", opath) or option_id
            option_target = r.number(item, "target", opath, f"{label}（{name}）指标值")
            if option_target is None:
                option_target = target
            source = r.source(item, opath, f"{label}（{name}）")
            rule = r.rule(item.get("rule"), f"{opath}.rule", f"{label}（{name}）", weight,
                          option_target, nested=True)
            options.append(Option(option_id, name, rule, option_target, source,
                                  r.text(item, "unit", opath)))
        return Rule(type="either", options=tuple(options))

    def to_dict(self, rule: Rule) -> dict[str, Any]:
        from . import rule_dict  # the options' own kinds write their rules

        options = []
        for o in rule.options:
            od: dict[str, Any] = {"id": o.id, "name": o.name}
            if o.unit:
                od["unit"] = o.unit
            if o.target is not None:
                od["target"] = num_out(o.target)
            if o.source:
                od["source"] = o.source
            od["rule"] = rule_dict(o.rule)
            options.append(od)
        return {"type": "either", "options": options}

    def describe(self, rule: Rule, weight: Decimal, target: Decimal | None, unit: str) -> str:
        from . import describe  # each option in its own kind's words

        return "二者择其一：" + "；".join(
            f"{o.name}：" + describe(o.rule, weight, o.target if o.target is not None else target,
                                    o.unit or unit, o.source)
            for o in rule.options)

    def target_text(self, rule: Rule, target: Decimal | None, unit: str) -> str:
        return "二者择其一"
