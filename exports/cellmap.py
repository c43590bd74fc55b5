"""The hidden data sheet that lets a workbook be read back exactly.

Visible cells carry the figures and texts a clerk may correct in Excel; what
cells cannot express exactly (the indicator system, raw value fields such as
checked items, the narrative texts, unknown keys) travels as the package JSON
in a very hidden sheet, cut in chunks below Excel's 32,767-character cell
limit.  Next to it, a map says which visible cell holds which package field,
so reading back overlays the clerk's corrections on the package.
"""

from __future__ import annotations

import json

from dataclasses import dataclass
from typing import Any

from forms.model import Evaluation
from forms.package import write_package

DATA_SHEET = "selfeval_data"
MARKER = "selfeval-workbook"
FORMAT_VERSION = 2  # the highest this program reads (and writes, with a FIELDS cell)
CHUNK = 32000

TEXT = "text"
NUMBER = "number"
# one cell holding a leaf's value of several declared fields, a line each (exports/value_cells.py);
# its path is ("values", leaf id).  A workbook with such a cell says FIELDS_VERSION: a program
# that knows only TEXT and NUMBER then asks for a newer program instead of calling it damaged
FIELDS = "fields"
FIELDS_VERSION = 2
KINDS = (TEXT, NUMBER, FIELDS)


@dataclass(frozen=True)
class MappedCell:
    """A visible cell that holds one field of the package."""

    sheet: str
    coord: str
    kind: str  # TEXT, NUMBER or FIELDS
    path: tuple[str | int, ...]  # keys into the package dict, e.g. ("budget", "total", "executed")
    label: str  # what the clerk calls it, for messages

    def as_list(self) -> list[Any]:
        return [self.sheet, self.coord, self.kind, list(self.path), self.label]

    @staticmethod
    def from_list(raw: Any) -> MappedCell:
        sheet, coord, kind, path, label = raw
        if not (isinstance(sheet, str) and isinstance(coord, str) and kind in KINDS
                and isinstance(path, list) and isinstance(label, str)
                and all(isinstance(p, (str, int)) for p in path)):
            raise ValueError("bad cell map entry")
        return MappedCell(sheet, coord, kind, tuple(path), label)


def chunks(text: str, size: int = CHUNK) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]


def value_at(package: Any, path: tuple[str | int, ...]) -> Any:
    """The value a cell's ``path`` names in a package dict; None where there is none."""
    obj = package
    for key in path:
        if isinstance(obj, dict) and isinstance(key, str):
            obj = obj.get(key)
        elif isinstance(obj, list) and isinstance(key, int) and 0 <= key < len(obj):
            obj = obj[key]
        else:
            return None
    return obj


def write_data_sheet(ws: Any, ev: Evaluation, cells: list[MappedCell]) -> None:
    """The very hidden sheet: the package and the cell map, in chunks (every workbook that
    can be read back writes it here: ours, exports/excel.py, and the exchange layouts)."""
    ws.sheet_state = "veryHidden"
    # U+FFFE/U+FFFF are not allowed in XML; in JSON they can only sit inside strings,
    # where an escape keeps them exactly
    package = write_package(ev).decode("utf-8").replace("\ufffe", "\\ufffe") \
        .replace("\uffff", "\\uffff")
    cell_json = json.dumps([c.as_list() for c in cells])  # ASCII: labels may hold any character
    cell_chunks, package_chunks = chunks(cell_json, CHUNK), chunks(package, CHUNK)
    ws["A1"] = MARKER
    ws["B1"] = FIELDS_VERSION if any(c.kind == FIELDS for c in cells) else 1
    ws["A2"] = "cells"
    ws["B2"] = len(cell_chunks)
    ws["A3"] = "package"
    ws["B3"] = len(package_chunks)
    for i, text in enumerate(cell_chunks + package_chunks):
        cell = ws.cell(row=4 + i, column=1, value=text)
        cell.data_type = "s"  # JSON never starts with '=', but make it certain
