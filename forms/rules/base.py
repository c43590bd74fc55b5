"""The data of a configured rule, and what a rule kind must provide.

Kept apart from ``forms.system`` so that the registry of kinds (``forms.rules``)
and the system reader can both use it without importing each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol
from collections.abc import Mapping

from ..numbers import ZERO, plain


def num_out(value: Decimal) -> int | str:
    """A system number for JSON: an int when integral as entered, else its text."""
    if value == value.to_integral_value() and value.as_tuple().exponent == 0:
        return int(value)
    return plain(value)


# source → (Chinese name, how it is computed); the values are computed in budget.py.
SOURCES = {
    "budget.execution_rate": ("预算执行率", "合计 全年执行数 / 全年预算数 × 100%"),
    "budget.basic_execution_rate": ("基本支出执行率", "基本支出 全年执行数 / 全年预算数 × 100%"),
    "budget.project_execution_rate": ("项目支出执行率", "项目支出 全年执行数 / 全年预算数 × 100%"),
    "budget.carryover_rate": ("结转结余率", "年末结转和结余 / 合计 全年预算数 × 100%"),
    "budget.adjustment_rate": ("预算调整率", "|全年预算数 − 年初预算数| / 年初预算数 × 100%"),
    "projects.execution_rate": ("项目执行率", "各项目执行数之和 / 各项目预算数之和 × 100%"),
}


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
class Overshoot:
    """偏离扣分: an actual value at or above ``percent`` % over the target loses ``points``."""

    percent: Decimal
    points: Decimal


@dataclass(frozen=True)
class Exempt:
    """免评: a leaf marked 不适用 for the reason the notice states ("若单位无项目，得2分")
    scores ``score`` instead of following the system's not-applicable policy."""

    reason: str
    score: Decimal


@dataclass(frozen=True)
class Option:
    """One alternative of an ``either`` rule (二者择其一)."""

    id: str
    name: str
    rule: Rule
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
    overshoot: Overshoot | None = None
    exempt: Exempt | None = None  # 免评 of this leaf (any kind; forms.rules.read_exempt)
    values: tuple[tuple[str, Any], ...] = ()  # numbers, texts, choices read from ``params``
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def value(self, key: str) -> Any:
        """A parameter read generically (``forms.rules.params``); None when absent."""
        return next((v for k, v in self.values if k == key), None)

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def level(self, name: str) -> Decimal | None:
        return next((v for n, v in self.levels if n == name), None)


@dataclass(frozen=True)
class Param:
    """One parameter of a rule kind: how it is stored, read, checked and edited.

    The system editor builds a kind's form from these (one widget per ``kind``), and
    ``forms.rules.params`` reads and writes them, so a kind made of standard types
    needs neither reading code nor a desktop page of its own."""

    key: str
    label: str
    default: Any = None
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, Chinese label)
    # number | text | choice | bands | items | levels | overshoot | options (二者择其一)
    kind: str = "number"
    unit: str = ""  # shown after a number field: 分, %, 个百分点
    low: Decimal | None = None  # a number's bounds, checked on reading
    low_open: bool = False  # True: the number must be greater than ``low``
    high: Decimal | None = None
    optional: bool = False  # a number that may be left empty
    hint: str = ""  # the grey line shown with the field


@dataclass(frozen=True)
class Outcome:
    """What a kind's ``score`` made of one value: scored (raw, not yet rounded), missing
    or invalid with the Chinese reason."""

    status: str  # scored | missing | invalid
    raw: Decimal = ZERO
    actual: Decimal | None = None
    text: str = ""
    message: str = ""


@dataclass(frozen=True)
class Suggestion:
    """A rule read out of a 评分标准 text, with what was read in Chinese."""

    rule: dict[str, Any]
    explanation: str

    @property
    def type(self) -> str:
        return str(self.rule["type"])


class RuleReader(Protocol):
    """What a kind needs from the system reader to read its parameters."""

    def problem(self, path: str, message: str) -> None: ...

    def number(self, raw: Mapping[str, Any], key: str, path: str, label: str,
               *, required: bool = False) -> Decimal | None: ...

    def text(self, raw: Mapping[str, Any], key: str, path: str) -> str: ...

    def source(self, raw: Mapping[str, Any], path: str, label: str) -> str | None: ...

    def rule(self, raw: Any, path: str, label: str, weight: Decimal, target: Decimal | None,
             *, nested: bool = False) -> Rule: ...
