"""What a clerk types for one indicator (三级指标), read into its value.

The indicator tree's cells and the leaf panel refuse the same texts with the
same words: a count (次数) that is not a whole number 0–9999, a coefficient
outside 0–100 %, and text that is not a number.  A refused text changes nothing;
the reason comes back for the field to show.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from decimal import Decimal

from .model import LeafValue
from .numbers import HUNDRED, ZERO, NumberError, parse_number, plain
from .system import Leaf
from .value_fields import COEFFICIENT, VALUE_FIELDS, ValueField

COUNT_MAX = 9999  # no unit has more incidents; a longer number is a typing slip
NUMBER_FIELDS = ("actual", "score", "count", "coefficient")  # the value's number fields
KINDS = NUMBER_FIELDS + ("level", "deviation")  # what a cell may be typed into
_WHAT = {"actual": "实际完成值", "score": "得分", "count": "次数", "coefficient": "等级或系数"}


def count_problem(number: Decimal | None, label: str) -> str:
    """Why ``number`` cannot be a count, or "" (empty is allowed: 未填写)."""
    if number is None:
        return ""
    if number < 0 or number != number.to_integral_value() or number > COUNT_MAX:
        return f"{label}：应为 0–{COUNT_MAX} 的整数"
    return ""


def bounds_problem(declared: ValueField, number: Decimal | None, label: str) -> str:
    """Why ``number`` is outside a declared value field's bounds, or "" (empty is allowed)."""
    if number is None:
        return ""
    if declared.type == "count":
        return count_problem(number, label)
    low, high, unit = declared.low, declared.high, declared.unit
    if low is not None and high is not None and not low <= number <= high:
        return f"{label}：应在 {plain(low)}–{plain(high)}{unit} 之间"
    if low is not None and number < low:
        return f"{label}：不能小于 {plain(low)}{unit}"
    if high is not None and number > high:
        return f"{label}：不能大于 {plain(high)}{unit}"
    return ""


def instead_problem(declared: ValueField, number: Decimal | None, label: str,
                    names: Iterable[str] = ()) -> str:
    """Why ``number``, entered instead of a choice of ``names`` (a percentage instead of
    a level), is refused, or "": the message names both ways of filling it in."""
    if not bounds_problem(declared, number, label):
        return ""
    joined = "、".join(names)
    what = "百分比" if declared.unit == "%" else declared.label
    low = plain(declared.low if declared.low is not None else ZERO)
    high = plain(declared.high if declared.high is not None else HUNDRED)
    return f"{label}：请填写{joined + '或' if joined else ''} {low}–{high} 的{what}"


def coefficient_problem(number: Decimal | None, label: str,
                        level_names: Iterable[str] = ()) -> str:
    """Why ``number`` cannot be a coefficient in percent, or "" (empty is allowed)."""
    return instead_problem(COEFFICIENT, number, label, level_names)


@dataclass(frozen=True)
class Entry:
    """A typed text read for one field of a leaf's value."""

    field: str  # the LeafValue field the text went to (a level's number goes to "coefficient")
    value: LeafValue  # the value with the text in it; the old value when refused or unchanged
    refused: str = ""  # why the text was refused, as the field shows it


def read_entry(leaf: Leaf | None, leaf_id: str, value: LeafValue, kind: str,
               text: str) -> Entry:
    """Read ``text`` typed as ``kind`` (one of ``KINDS``) into ``value``.

    A ``level`` is one of the rule's level names (优 / 良 / …) or else a percentage.
    """
    if kind not in KINDS:
        declared = VALUE_FIELDS.get(kind)
        if declared is None or declared.type not in ("number", "count", "text"):
            raise ValueError(f"unknown entry kind {kind!r}")
        return _declared_entry(leaf, leaf_id, value, declared, text)
    if kind == "deviation":
        return Entry(kind, replace(value, deviation=text))
    level_names = [name for name, _ in leaf.rule.levels] if leaf is not None else []
    if kind == "level":
        level = text.strip()
        if leaf is not None and leaf.rule.level(level) is not None:
            if level == value.level:
                return Entry(kind, value)
            return Entry(kind, value.with_fields(level=level, coefficient=None))
        kind = "coefficient"
    label = f"{leaf.name if leaf is not None else leaf_id}{_WHAT[kind]}"
    try:
        number = parse_number(text, label, required=False)
    except NumberError as exc:
        return Entry(kind, value, str(exc))
    if kind == "count":
        problem = count_problem(number, label)
    elif kind == "coefficient":
        problem = coefficient_problem(number, label, level_names)
    else:
        problem = ""
    if problem:
        return Entry(kind, value, problem)
    if kind == "coefficient":
        if number == value.coefficient and not value.level:
            return Entry(kind, value)
        return Entry(kind, value.with_fields(coefficient=number, level=None))
    if kind == "count":
        return Entry(kind, value.with_fields(count=number))
    if kind == "score":
        return Entry(kind, value.with_fields(score=number))
    return Entry(kind, value.with_fields(actual=number))


def _declared_entry(leaf: Leaf | None, leaf_id: str, value: LeafValue, declared: ValueField,
                    text: str) -> Entry:
    """A field a kind declared (forms.value_fields): text kept as typed, numbers parsed and
    held to the declaration's bounds."""
    name = declared.name
    if declared.type == "text":
        return Entry(name, value.with_fields(**{name: text.strip() or None}))
    label = f"{leaf.name if leaf is not None else leaf_id}{declared.label}"
    try:
        number = parse_number(text, label, required=False)
    except NumberError as exc:
        return Entry(name, value, str(exc))
    problem = bounds_problem(declared, number, label)
    if problem:
        return Entry(name, value, problem)
    return Entry(name, value.with_fields(**{name: number}))
