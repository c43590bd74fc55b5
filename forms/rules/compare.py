"""金额比较: a score from comparing two amounts the clerk types ("有结余，但不超过上年结转，2分").

The clerk enters both amounts (its two declared value fields); the rule says which way they
must compare, whether the first must be above zero (有结余), and what the two are called.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..numbers import ZERO, fmt2, fmt_weight
from ..value_fields import ValueField
from . import recognisers as rec
from .base import Outcome, Param, Rule
from .kinds import RuleKind, _missing, _scored

if TYPE_CHECKING:
    from ..model import LeafValue

RELATIONS: dict[str, tuple[str, Callable[[Decimal, Decimal], bool]]] = {
    "le": ("不超过", operator.le), "lt": ("低于", operator.lt),
    "ge": ("不低于", operator.ge), "gt": ("高于", operator.gt)}
AMOUNT = ValueField("amount", "number", "本项金额", "万元")
REFERENCE = ValueField("reference", "number", "比较金额", "万元")
# "有结余，但不超过上年结转，2分" / "有结余但未超过上年结转的，得2分"
_TEXT = re.compile(r"^有\s*([^\s,;。的]{2,8}?)\s*,?\s*但\s*(不超过|未超过|不高于|低于|不低于|高于)\s*"
                   r"([^\s,;。的]{2,8}?)\s*(?:的)?\s*,?\s*(?:得|计)?\s*" + rec._NUM + r"\s*分\s*[。;]?\s*$")
_WORDS = {"不超过": "le", "未超过": "le", "不高于": "le", "低于": "lt", "不低于": "ge", "高于": "gt"}


class Compare(RuleKind):
    key, name = "compare", "金额比较"
    params = (Param("amount_label", "本项金额的名称", "本年结余", kind="text"),
              Param("reference_label", "比较金额的名称", "上年结转", kind="text"),
              Param("relation", "得分条件", "le",
                    tuple((k, f"本项金额{w}比较金额") for k, (w, _) in RELATIONS.items()), "choice"),
              Param("positive", "本项金额须大于 0", "yes",
                    (("yes", "是（如“有结余”）"), ("no", "否")), "choice"))
    note = "填报时填写两个金额；满足得分条件得满分，否则不得分。"
    fields = (AMOUNT, REFERENCE)

    def _names(self, rule: Rule) -> tuple[str, str]:
        return (str(rule.value("amount_label") or AMOUNT.label),
                str(rule.value("reference_label") or REFERENCE.label))

    def label(self, rule: Rule, field: ValueField) -> str:
        first, second = self._names(rule)
        return {AMOUNT.name: first, REFERENCE.name: second}.get(field.name, field.label)

    def score(self, rule: Rule, name: str, weight: Decimal, target: Decimal | None,
              value: LeafValue, actual: Decimal | None) -> Outcome:
        first, second = self._names(rule)
        amount, reference = value.amount, value.reference
        if amount is None or reference is None:
            return _missing(f"{name}：{first}或{second}未填写")
        _word, holds = RELATIONS.get(str(rule.value("relation") or "le"), RELATIONS["le"])
        met = holds(amount, reference) and (rule.value("positive") == "no" or amount > 0)
        text = f"{first} {fmt2(amount)} 万元，{second} {fmt2(reference)} 万元"
        return _scored(weight if met else ZERO, None, text)

    def describe(self, rule: Rule, weight: Decimal, target: Decimal | None, unit: str) -> str:
        first, second = self._names(rule)
        word = RELATIONS.get(str(rule.value("relation") or "le"), RELATIONS["le"])[0]
        head = f"有{first}，但{word}{second}" if rule.value("positive") != "no" \
            else f"{first}{word}{second}"
        return f"{head}，得 {fmt_weight(weight)} 分；否则不得分"

    def target_text(self, rule: Rule, target: Decimal | None, unit: str) -> str:
        first, second = self._names(rule)
        sign = {"le": "≤", "lt": "<", "ge": "≥", "gt": ">"}.get(str(rule.value("relation")), "≤")
        return f"{first}{sign}{second}"

    def recognise(self, text: str, weight: Decimal | None,
                  target: Decimal | None) -> dict[str, Any] | None:
        match = _TEXT.match(text)
        if not match:
            return None
        points = rec._num(match.group(4))
        if points is None or (weight is not None and points != weight):
            return None  # a part of the weight: not a whole-leaf comparison
        return {"type": "compare", "amount_label": match.group(1),
                "reference_label": match.group(3), "relation": _WORDS[match.group(2)],
                "positive": "yes"}
