"""The fields a clerk's value of one leaf is made of, declared by the rule kinds.

A rule kind (``forms.rules``) lists the ``ValueField``s it reads next to its ``params``;
registering the kind declares them here.  From this one declaration the package reads and
writes the value (``forms.package``), ``LeafValue`` holds it (``forms.model``), addresses
and the field's Chinese name exist (``forms.address``, ``forms.field_names``), and the
desktop builds one editor per field *type* (``desktop.form.leaf_editors``): a number, a
count, a text line, a list to choose from, check boxes.  What a choice offers and what a
checks field lists belong to the leaf's rule, so the kind gives them
(``RuleKind.choices``).

Kept apart from ``forms.rules`` and ``forms.model`` so that both can import it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

# number: a Decimal (实际完成值, 得分…); count: a whole number 0–9999 (次数);
# text: what the clerk writes; choice: one of the rule's names (等级, 评价口径);
# checks: the ids of the items ticked (勾选项)
FIELD_TYPES = ("number", "count", "text", "choice", "checks")


@dataclass(frozen=True)
class ValueField:
    name: str  # the key in the package's value and the LeafValue attribute
    type: str  # one of FIELD_TYPES
    label: str  # Chinese, as the clerk reads it: 实际完成值, 本年结余
    unit: str = ""  # shown after a number field: 万元, %, 次
    low: Decimal | None = None  # a number's bounds, checked by validation
    high: Decimal | None = None
    # the name of a choice field this number is entered instead of (系数 instead of 等级):
    # the choice offers "按…填写" to show it, and entering one clears the other
    instead: str = ""


ACTUAL = ValueField("actual", "number", "实际完成值")
CHECKED = ValueField("checked", "checks", "勾选项")
COUNT = ValueField("count", "count", "次数", "次", Decimal(0), Decimal(9999))
LEVEL = ValueField("level", "choice", "等级")
COEFFICIENT = ValueField("coefficient", "number", "系数", "%", Decimal(0), Decimal(100), "level")
SCORE = ValueField("score", "number", "得分", "分", Decimal(0))
OPTION = ValueField("option", "choice", "评价口径")

# name → declaration, in the order a package writes them
VALUE_FIELDS: dict[str, ValueField] = {f.name: f for f in (
    OPTION, ACTUAL, COUNT, COEFFICIENT, SCORE, CHECKED, LEVEL)}

# what every leaf's value holds besides its kind's fields (not declared by kinds)
ENTRY_KEYS = ("not_applicable", "reason", "deviation")


def declare(*fields: ValueField) -> None:
    """Add a kind's fields; a name already declared must be declared the same way."""
    for f in fields:
        if f.type not in FIELD_TYPES:
            raise ValueError(f"value field {f.name!r}: unknown type {f.type!r}")
        if f.name in ENTRY_KEYS or not f.name.isidentifier() or f.name.startswith("_"):
            raise ValueError(f"value field name {f.name!r} is not allowed")
        known = VALUE_FIELDS.get(f.name)
        if known is not None and known != f:
            raise ValueError(f"value field {f.name!r} is already declared as {known}")
    for f in fields:  # all or none
        VALUE_FIELDS[f.name] = f


def withdraw(*names: str) -> None:
    """Take fields out again (a test's own kind); the shipped ones stay."""
    for name in names:
        if name not in _SHIPPED:
            VALUE_FIELDS.pop(name, None)


_SHIPPED = frozenset(VALUE_FIELDS)


def shipped(name: str) -> bool:
    """A field of the kinds the program ships (the exports give those cells of their own);
    False for one a later kind declared."""
    return name in _SHIPPED
