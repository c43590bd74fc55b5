"""Where a field of an evaluation lives, as a small typed value.

Every problem (``forms.validation.Issue``), every refused entry and every group
result carries one of these instead of a string to be picked apart again.
``str(address)`` is the JSON path of the field in the evaluation package
(``budget.by_source.general.executed``, ``values.exec_rate.deviation``,
``system.indicators[0].children[1]``): the form packages store and ``--json``
prints.  ``parse`` is the one reader of such a path; what it does not know it
keeps as an ``OtherAddress``, so nothing typed is ever dropped.  Every address's
``section`` is the form section (as ``forms.validation.SECTIONS`` names them) it is in.

The shapes (see docs/package.md for the package's fields):

- ``FieldAddress``  a plain field of a section: ``department.name``, ``goals.unmet_reason``,
  ``narrative.summary``, ``budget.carryover``; with no key, the section itself.
- ``BudgetCell``    a cell of the budget table: group ``total``, ``by_source`` or ``by_nature``,
  the row key (none for 合计 or for a whole group's column) and the column.
- ``RowCell``       a cell of a row table (``tasks``, ``projects``): index and column.
- ``LeafField``     an indicator's entry: ``values.<leaf id>`` and the field (``actual``,
  ``deviation``…), or no field for the indicator as a whole.
- ``NodeAddress``   a node of the indicator tree by position (level-1, level-2… indices),
  with the rest of a system-file path (``.rule.lower``) when a system problem names one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .value_fields import ENTRY_KEYS, VALUE_FIELDS

SECTION_OF_HEAD = {"system": "values"}  # system problems are shown with the indicators

_N = r"(?:0|[1-9][0-9]*)"  # an index as str() writes it, so that parse and str() round-trip
_ROW = re.compile(rf"^(tasks|projects)\[({_N})\](?:\.([a-z_]+))?$")
_NODE = re.compile(rf"^system\.indicators(\[{_N}\](?:\.children\[{_N}\])*)(.*)$")
_INDEX = re.compile(r"\[([0-9]+)\]")
_BUDGET_GROUPS = ("total", "by_source", "by_nature")
BUDGET_COLUMNS = ("initial", "adjusted", "executed")  # as forms.model.BUDGET_COLUMNS
# The fields of an indicator's entry besides its value fields (those the rule kinds declare,
# forms.value_fields.VALUE_FIELDS) and of a department-defined indicator's definition.
LEAF_FIELDS = frozenset({
    *ENTRY_KEYS, "name", "weight", "unit", "target", "rule", "criteria", "evidence"})


@dataclass(frozen=True)
class FieldAddress:
    section: str
    key: str = ""

    def __str__(self) -> str:
        return f"{self.section}.{self.key}" if self.key else self.section


@dataclass(frozen=True)
class BudgetCell:
    group: str  # "total", "by_source" or "by_nature"
    row: str = ""  # the source or nature key; "" for 合计 or a group's column as a whole
    column: str = ""  # "budget", "adjusted", "executed"…; "" for the whole row

    section = "budget"

    def __str__(self) -> str:
        return ".".join(p for p in ("budget", self.group, self.row, self.column) if p)


@dataclass(frozen=True)
class RowCell:
    table: str  # "tasks" or "projects"
    index: int
    column: str = ""

    @property
    def section(self) -> str:
        return self.table

    def __str__(self) -> str:
        return f"{self.table}[{self.index}]" + (f".{self.column}" if self.column else "")


@dataclass(frozen=True)
class LeafField:
    leaf_id: str
    field: str = ""  # "" for the indicator as a whole

    section = "values"

    def __str__(self) -> str:
        return f"values.{self.leaf_id}" + (f".{self.field}" if self.field else "")


@dataclass(frozen=True)
class NodeAddress:
    indices: tuple[int, ...]  # position in the tree: level-1 index, level-2 index…
    rest: str = ""  # what a system-file problem names within the node: ".rule.lower"

    section = "values"

    @property
    def fields(self) -> tuple[str, ...]:
        """The steps of ``rest``: ``.rule.options[0].lower`` → ("rule", "options[0]", "lower")."""
        return tuple(self.rest.split(".")[1:])

    def __str__(self) -> str:
        steps = "".join(f"[{i}]" if k == 0 else f".children[{i}]"
                        for k, i in enumerate(self.indices))
        return f"system.indicators{steps}{self.rest}"


@dataclass(frozen=True)
class OtherAddress:
    """A path of no known shape (a package field this version does not address)."""

    path: str

    @property
    def section(self) -> str:
        head = self.path.split(".", 1)[0].split("[", 1)[0]
        return SECTION_OF_HEAD.get(head, head)

    def __str__(self) -> str:
        return self.path


Address = FieldAddress | BudgetCell | RowCell | LeafField | NodeAddress | OtherAddress

_PLAIN_SECTIONS = ("department", "goals", "narrative")


def parse(path: str) -> Address:
    """The address a JSON path names; ``str(parse(p)) == p`` for every path."""
    head, dot, rest = path.partition(".")
    if head in _PLAIN_SECTIONS and "." not in rest and "[" not in rest:
        if dot and not rest:
            return OtherAddress(path)
        return FieldAddress(head, rest)
    if head == "budget":
        if rest in ("carryover", "appropriation_income", "evidence"):  # fields outside the grid
            return FieldAddress("budget", rest)
        if not rest:
            return OtherAddress(path) if dot else FieldAddress("budget")
        parts = rest.split(".")
        group, tail = parts[0], parts[1:]
        if group in _BUDGET_GROUPS and all(tail) and len(tail) <= 2:
            if len(tail) == 2 and group != "total":
                return BudgetCell(group, tail[0], tail[1])
            if len(tail) == 1 and (tail[0] in BUDGET_COLUMNS or group == "total"):
                return BudgetCell(group, "", tail[0])  # 合计's cell, or a group's column sum
            if len(tail) == 1:
                return BudgetCell(group, tail[0])  # a whole row
            if not tail:
                return BudgetCell(group)
        return OtherAddress(path)
    if head == "values" and rest:
        # leaf ids are the system's own ("1.2.3" is common): only a known field splits off
        leaf_id, _, field = rest.rpartition(".")
        if leaf_id and (field in LEAF_FIELDS or field in VALUE_FIELDS):
            return LeafField(leaf_id, field)
        return LeafField(rest)
    if (match := _ROW.match(path)) is not None:
        return RowCell(match.group(1), int(match.group(2)), match.group(3) or "")
    if (match := _NODE.match(path)) is not None:
        return NodeAddress(tuple(int(i) for i in _INDEX.findall(match.group(1))), match.group(2))
    if path in _PLAIN_SECTIONS + ("tasks", "projects", "values"):
        return FieldAddress(path)
    return OtherAddress(path)


def leaf_of(address: Address) -> str | None:
    """The indicator an address is about (any of its fields), or None."""
    return address.leaf_id if isinstance(address, LeafField) else None


def node_indices(address: Address) -> tuple[int, ...]:
    """The indicator-tree position an address names, or () when it names none."""
    return address.indices if isinstance(address, NodeAddress) else ()
