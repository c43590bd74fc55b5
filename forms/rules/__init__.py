"""The registry of rule kinds: the one place that knows what each kind is.

``KINDS`` maps a rule's ``type`` to its kind (``forms/rules/kinds.py``).  The
system reader, scoring, the editor (its parameter form is built from the kind's
``params``), the exported tables and the desktop's value editors all ask here;
adding a kind is one class, registered with ``register`` (and, if it needs a new
way of entering a value or a new parameter widget, one desktop editor class).
See docs/rules.md for each kind with worked examples.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from collections.abc import Mapping

from ..numbers import NumberError, fmt_weight, parse_number
from .bands import band_text, bands_out, read_bands, unit_join
from .base import (
    SOURCES,
    Band,
    ChecklistItem,
    Exempt,
    Option,
    Outcome,
    Overshoot,
    Param,
    Rule,
    RuleReader,
    Suggestion,
    num_out,
)
from .kinds import (
    COUNT_TEXT,
    OVERSHOOT_PARAM,
    Bands,
    Checklist,
    Coefficient,
    Deduct,
    Either,
    Incidents,
    Manual,
    NumericKind,
    Ratio,
    RuleKind,
)
from ..value_fields import declare, withdraw
from .normalise import normalise
from .compare import Compare
from .qualitative import Qualitative
from .recognisers import DOUBT, exemption
from .params import STANDARD_TYPES

__all__ = [
    "COMMON_PARAMS",
    "COUNT_TEXT",
    "EXEMPT_KEYS",
    "KINDS",
    "OVERSHOOT_PARAM",
    "RULE_TYPES",
    "SOURCES",
    "STANDARD_TYPES",
    "Band",
    "ChecklistItem",
    "Exempt",
    "NumericKind",
    "Option",
    "Outcome",
    "Overshoot",
    "Param",
    "Rule",
    "RuleKind",
    "RuleReader",
    "Suggestion",
    "band_text",
    "bands_out",
    "describe",
    "kind",
    "num_out",
    "read_bands",
    "read_exempt",
    "recognise",
    "register",
    "rule_dict",
    "rule_keys",
    "target_text",
    "unit_join",
    "unread_reason",
    "unregister",
]

KINDS: dict[str, RuleKind] = {k.key: k for k in (
    Ratio(), Deduct(), Bands(), Checklist(), Incidents(), Coefficient(), Qualitative(), Compare(),
    Manual(), Either())}

for _shipped in KINDS.values():  # their value fields, as register() declares a later kind's
    declare(*_shipped.fields)

# type → Chinese name, in the order the editor lists them
RULE_TYPES: dict[str, str] = {key: k.name for key, k in KINDS.items()}

# The order in which notices' texts are tried: the most specific form first.
_RECOGNITION_ORDER = ["compare", "qualitative", "checklist", "incidents", "deduct", "coefficient", "bands",
                      "ratio"]


def register(rule_kind: RuleKind, *, recognise_before: str | None = None) -> None:
    """Add a kind to the registry (the editor lists it after those already there).

    ``recognise_before``: the kind whose wordings are tried after this kind's, when
    it recognises notices' texts; otherwise its texts are tried last."""
    if rule_kind.key in KINDS:
        raise ValueError(f"rule kind {rule_kind.key!r} is already registered")
    declare(*rule_kind.fields)  # the package, addresses and editors know its value fields
    KINDS[rule_kind.key] = rule_kind
    RULE_TYPES[rule_kind.key] = rule_kind.name
    if recognise_before is not None:
        _RECOGNITION_ORDER.insert(_RECOGNITION_ORDER.index(recognise_before), rule_kind.key)
    elif type(rule_kind).recognise is not RuleKind.recognise:
        _RECOGNITION_ORDER.append(rule_kind.key)


def unregister(key: str) -> None:
    """Take a kind out again (a test's own kind), and the value fields only it declared."""
    gone = KINDS.pop(key, None)
    if gone is not None:
        still = {f.name for k in KINDS.values() for f in k.fields}
        withdraw(*(f.name for f in gone.fields if f.name not in still))
    RULE_TYPES.pop(key, None)
    if key in _RECOGNITION_ORDER:
        _RECOGNITION_ORDER.remove(key)


# Parameters every leaf's rule may have whatever its kind, shown under the kind's own.
# 免评 is one row of the editor (desktop/system_editor/params.py, ExemptField) and two keys
# of the rule dict: exempt_reason (the situation, "单位无项目") and exempt_score (points).
COMMON_PARAMS = (
    Param("exempt", "免评", None, kind="exempt",
          hint="该指标因所写情形标为不适用时得此分，不按体系的不适用规则；情形不设则留空"),
)
EXEMPT_KEYS = ("exempt_reason", "exempt_score")


def read_exempt(r: RuleReader, raw: Mapping[str, Any], path: str, label: str,
                weight: Decimal) -> Exempt | None:
    """免评 (``exempt_reason``, ``exempt_score``) of a leaf's rule, or None."""
    reason = raw.get("exempt_reason")
    points = r.number(raw, "exempt_score", path, f"{label} 免评得分")
    if reason in (None, ""):
        if points is not None:
            r.problem(f"{path}.exempt_reason", f"{label}：填写了免评得分，但未写明免评情形")
        return None
    if not isinstance(reason, str):
        r.problem(f"{path}.exempt_reason", f"{label}：免评情形应为文字")
        return None
    if points is not None and not Decimal(0) <= points <= weight:
        r.problem(f"{path}.exempt_score",
                  f"{label}：免评得分 {fmt_weight(points)} 超出 0–{fmt_weight(weight)} 分")
        points = None
    return Exempt(reason.strip(), weight if points is None else points)


def rule_keys() -> set[str]:
    """Every key some kind owns in a rule dict; the rest is kept as it was read."""
    return {"type"}.union(*(k.keys for k in KINDS.values()), EXEMPT_KEYS)


def kind(key: str) -> RuleKind:
    """The kind of a rule type; an unknown type is scored as 直接评分 would refuse it."""
    return KINDS.get(key) or KINDS["manual"]


def rule_dict(rule: Rule) -> dict[str, Any]:
    out: dict[str, Any] = KINDS[rule.type].to_dict(rule) if rule.type in KINDS else {"type": rule.type}
    if rule.exempt is not None:
        out["exempt_reason"] = rule.exempt.reason
        out["exempt_score"] = num_out(rule.exempt.score)
    out.update(rule.extra)
    return out


def describe(rule: Rule, weight: Decimal, target: Decimal | None, unit: str,
             source: str | None = None) -> str:
    """A configured rule in Chinese (printed as 评分标准 when the notice gives no text)."""
    text = kind(rule.type).describe(rule, weight, target, unit)
    if rule.exempt is not None:
        text += f"；{rule.exempt.reason}的，得 {fmt_weight(rule.exempt.score)} 分"
    if source in SOURCES:
        text = f"{SOURCES[source][0]} = {SOURCES[source][1]}；{text}"
    return text


def target_text(rule: Rule, target: Decimal | None, unit: str) -> str:
    """指标值 as printed: the target with its unit, or what the rule measures against."""
    return kind(rule.type).target_text(rule, target, unit)


class _QuietReader:
    """Reads a recognised rule to check and describe it; problems become 请核对 notes."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(message)

    def number(self, raw: Mapping[str, Any], key: str, path: str, label: str,
               *, required: bool = False) -> Decimal | None:
        value = raw.get(key)
        if value is None or value == "":
            if required:
                self.problem(path, f"{label}未填写")
            return None
        try:
            return parse_number(value, label)
        except (NumberError, TypeError):
            self.problem(path, f"{label}不是数字")
            return None

    def text(self, raw: Mapping[str, Any], key: str, path: str) -> str:
        return str(raw.get(key) or "")

    def source(self, raw: Mapping[str, Any], path: str, label: str) -> str | None:
        return None

    def rule(self, raw: Any, path: str, label: str, weight: Decimal, target: Decimal | None,
             *, nested: bool = False) -> Rule:
        return Rule(type="manual")


def recognise(criteria: str, weight: Decimal | None = None,
              target: Decimal | None = None) -> Suggestion | None:
    """The rule a 评分标准 text describes, when it clearly is one of the common forms,
    with a sentence saying what was read.  ``target`` (the leaf's 指标值) is the
    standard of a deduction when the text gives none."""
    text = criteria.strip()
    if not text or "择其一" in text or "择一" in text:
        return None  # 二者择其一: the options and their own rules are set by hand
    normal = normalise(text)
    if normal.refusal:
        return None
    exempt, text = exemption(normal.text)
    for key in _RECOGNITION_ORDER:
        found = KINDS[key].recognise(text, weight, target) if text else None
        if found is not None:
            doubt = str(found.pop(DOUBT, "") or "")
            explanation = _explain(found, weight, target)
            if doubt:  # read, but with an assumption the text does not state
                explanation += f"（请核对：{doubt}）"
            rule = _with_exempt(found, exempt, weight)
            return Suggestion(rule, explanation + _exempt_text(rule))
    if exempt is not None and not text:  # the text says only when the leaf is exempt
        rule = _with_exempt({"type": "manual"}, exempt, weight)
        return Suggestion(rule, "识别为直接评分" + _exempt_text(rule))
    return None


def _with_exempt(found: dict[str, Any], exempt: dict[str, Any] | None,
                 weight: Decimal | None) -> dict[str, Any]:
    if exempt is None:
        return found
    out = {**found, **exempt}
    if "exempt_score" not in out and weight is not None:
        out["exempt_score"] = num_out(weight)  # 得满分
    return out


def _exempt_text(rule: dict[str, Any]) -> str:
    if "exempt_reason" not in rule:
        return ""
    points = rule.get("exempt_score")
    return f"；{rule['exempt_reason']}的（标为不适用）得 {points if points is not None else '满'} 分"


def unread_reason(criteria: str) -> str:
    """Why ``recognise`` read no rule from a text, in a sentence for the clerk."""
    text = criteria.strip()
    if not text:
        return "评分标准为空，保持直接评分"
    if "择其一" in text or "择一" in text:
        return "评分标准为二者择其一，请分别设置各选项的规则"
    refusal = normalise(text).refusal
    if refusal:
        return f"{refusal}，保持直接评分"
    return "评分标准中未识别出分档、等级、逐项、扣分或比率的写法，保持直接评分"


def _explain(found: dict[str, Any], weight: Decimal | None, target: Decimal | None) -> str:
    rule_kind = KINDS[found["type"]]
    reader = _QuietReader()
    full = weight if weight is not None else Decimal(100)
    rule = rule_kind.read(reader, found, "", "", full, target if target is not None else Decimal(100))
    text = f"识别为{rule_kind.name}：" + rule_kind.describe(rule, full, target, "")
    if found["type"] == "checklist":
        total = sum((i.points for i in rule.items), Decimal(0))
        text = f"识别为{rule_kind.name}：{len(rule.items)} 项，合计 {fmt_weight(total)} 分"
        if weight is not None and total != weight:
            text += f"（各项合计 {fmt_weight(total)} 分，与分值 {fmt_weight(weight)} 不符，请核对）"
    elif found["type"] == "ratio" and target is None:
        text += "；请在“指标值”中填写目标值"
    elif weight is not None and reader.problems:
        text += "（" + "；".join(p.strip("：") for p in reader.problems[:2]) + "，请核对）"
    from ..system_warnings import band_warnings  # it reads rules: imported when needed

    warned = band_warnings(rule, "", "")
    if warned:
        text += "（请核对：" + "；".join(w.message.strip() for w in warned[:2]) + "）"
    return text
