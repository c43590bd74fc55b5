"""A leaf's value of several declared fields, as one visible cell of the workbook.

A rule kind declares the fields its value is made of (``forms.value_fields``).  When a
leaf's kind declares two or more (定性分档评分: 等级 and 得分; 金额比较: two amounts; a kind
registered later), the form's 实际完成值 cell prints one line per field, each with the
field's Chinese label and unit::

    等级：部分达成年度指标并具有一定效果
    得分：72分

The labels are those the leaf's rule gives its fields, as the indicator page shows them
(金额比较's 本年结余 and 上年结转).  The lines are the fields that hold something (all of
them while none does).  The cell is mapped to the whole value (``cellmap.FIELDS``);
``split_fields`` cuts a clerk's edit of it back into the fields, and text it cannot read
is refused (``exports.workbook_import``) with a message naming the cell.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from forms.model import LeafValue
from forms.numbers import number_or_none, plain
from forms.rules import kind as rule_kind
from forms.system import Leaf
from forms.value_fields import ValueField

COLON = "："
ITEM_SEPARATOR = "、"  # between the items of a checks field
_CENT = Decimal("0.01")


def shown_fields(leaf: Leaf) -> tuple[ValueField, ...]:
    """The fields the cell holds: the kind's declared fields (less 实际完成值 when the
    budget gives it), when there are two or more; else ()."""
    fields = tuple(f for f in rule_kind(leaf.rule.type).fields
                   if not (f.name == "actual" and leaf.source))
    return fields if len(fields) >= 2 else ()


def labels(leaf: Leaf) -> dict[str, str]:
    """Each shown field's label as the leaf's rule calls it (金额比较's 本年结余), as the
    indicator page shows it; the declared labels where the rule would name two alike."""
    kind = rule_kind(leaf.rule.type)
    fields = shown_fields(leaf)
    named = {f.name: kind.label(leaf.rule, f).strip() or f.label for f in fields}
    if len(set(named.values())) < len(named):
        return {f.name: f.label for f in fields}
    return named


def _item_labels(leaf: Leaf) -> dict[str, str]:
    return {item.id: item.label for item in leaf.rule.items}


def field_shown(field: ValueField, raw: Any, leaf: Leaf) -> str:
    """One field's value as its line shows it (after the label): numbers exactly as kept
    (万元 with at least two decimals), with the unit; checks by their items' names."""
    if raw is None or raw == "" or raw == [] or raw == ():
        return ""
    if field.type in ("number", "count"):
        number = number_or_none(raw)
        if number is None:
            return str(raw)
        if field.unit == "万元" and number.as_tuple().exponent > -2:  # type: ignore[operator]
            number = number.quantize(_CENT)  # 12.5 → 12.50: more places are kept as typed
        return plain(number) + field.unit
    if field.type == "checks":
        labels = _item_labels(leaf)
        items = [raw] if isinstance(raw, str) else list(raw)
        return ITEM_SEPARATOR.join(labels.get(str(i), str(i)) for i in items)
    return str(raw)


def fields_text(leaf: Leaf, data: Mapping[str, Any]) -> str:
    """The cell's text for a value (``data``: field name → value, as a ``LeafValue`` holds
    it or as the package writes it)."""
    fields = shown_fields(leaf)
    names = labels(leaf)
    filled = [f for f in fields if field_shown(f, data.get(f.name), leaf)]
    return "\n".join(f"{names[f.name]}{COLON}{field_shown(f, data.get(f.name), leaf)}"
                     for f in (filled or fields))


def fields_lines(leaf: Leaf, value: LeafValue) -> list[str]:
    """The lines the form prints for a leaf's value; none where it prints no such cell."""
    if value.not_applicable or not shown_fields(leaf):
        return []
    return fields_text(leaf, value.data).split("\n")


class FieldsUnreadable(ValueError):
    """The cell's text cannot be read as the fields; ``str()`` says why, in Chinese."""


def _markers(names: list[str]) -> re.Pattern[str]:
    words = sorted({re.escape(n) for n in names}, key=len, reverse=True)
    # a label starts the text, a line, or follows "；" (a clerk may write one line)
    return re.compile(r"(?:^|(?<=\n)|(?<=[；;]))[ \t\u3000]*(" + "|".join(words) + r")[ \t\u3000]*[：:]")


def example(leaf: Leaf) -> str:
    """How the cell is written, for a message: “等级：…”、“得分：…”."""
    return "、".join(f"“{name}{COLON}…”" for name in labels(leaf).values())


def split_fields(leaf: Leaf, text: str) -> dict[str, str | None]:
    """The cell's text cut into each field's part (None for a field it does not name).

    ``FieldsUnreadable`` when no field is named, text stands before the first label, or a
    label is written twice."""
    fields = shown_fields(leaf)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    out: dict[str, str | None] = {f.name: None for f in fields}
    if not text.strip():
        return out
    names = labels(leaf)
    by_label = {names[f.name]: f for f in fields}
    found = list(_markers(list(by_label)).finditer(text))
    if not found:
        raise FieldsUnreadable(f"读不出各填报项，应逐行写成{example(leaf)}")
    head = text[:found[0].start()]
    if head.strip(" \t\u3000\n；;"):
        raise FieldsUnreadable(f"开头的“{head.strip()[:20]}”不属于任何填报项，应逐行写成"
                               f"{example(leaf)}")
    for i, match in enumerate(found):
        field = by_label[match.group(1)]
        if out[field.name] is not None:
            raise FieldsUnreadable(f"“{match.group(1)}”写了两次")
        end = found[i + 1].start() if i + 1 < len(found) else len(text)
        part = text[match.end():end]
        if i + 1 < len(found) and part.endswith(("\n", "；", ";")):
            part = part[:-1]  # the separator before the next label
        out[field.name] = part
    return out


def number_part(field: ValueField, part: str) -> str:
    """A number field's part without its unit (``forms.numbers.parse_number`` reads it)."""
    text = part.strip()
    if field.unit and text.endswith(field.unit):
        text = text[: -len(field.unit)].rstrip()
    return text


def checks_part(leaf: Leaf, field: ValueField, part: str) -> list[str]:
    """A checks field's items, by their names or ids; ``FieldsUnreadable`` for one the
    rule does not have."""
    items = _item_labels(leaf)
    ids = {label: item_id for item_id, label in items.items()}
    out: list[str] = []
    for word in re.split(r"[、，,\n]", part):
        word = word.strip()
        if not word:
            continue
        item_id = ids.get(word, word if word in items or not items else None)
        if item_id is None:
            raise FieldsUnreadable(f"“{labels(leaf).get(field.name, field.label)}”中的“{word[:20]}”"
                                   "不是本指标的检查项")
        if item_id not in out:
            out.append(item_id)
    return out
