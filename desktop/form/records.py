"""One field of a snapshot's record changed, by the field's name, type-checked.

The form's tables and pages name fields by key (a column's ``key``, a form row's key),
and ``dataclasses.replace(record, **{key: value})`` would take any key and any value.
``with_cell`` is the one place that writes a field by name: the value must be of the
field's kind (text into a text field, an amount or nothing into an amount field), so a
wrong key or value is a programming error here, not a snapshot that scores nonsense.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

# What a cell of the form's tables holds once parsed: text, an amount, or nothing.
CellValue = Decimal | str | None

R = TypeVar("R", bound="DataclassInstance")


def with_cell(record: R, key: str, value: CellValue) -> R:
    """``record`` with field ``key`` set to ``value``; KeyError for a key that is no field of
    that kind (text for a text field; a Decimal or None for an amount field)."""
    current = getattr(record, key, KeyError)
    if isinstance(value, str):
        fits = isinstance(current, str)
    else:
        fits = current is None or isinstance(current, Decimal)
    if not fits:
        raise KeyError(f"{type(record).__name__} has no field {key!r} for {value!r}")
    return replace(record, **{key: value})


def with_cells(record: R, values: dict[str, CellValue]) -> R:
    """``record`` with every field of ``values`` set (``with_cell`` for each)."""
    for key, value in values.items():
        record = with_cell(record, key, value)
    return record
