"""Finding a clerk's figures by their labels, not by the coordinates they were written to.

A clerk may insert, delete or reorder rows in Excel.  Each cell of the cell map
is looked for in the row whose label (项目, 三级指标 name, 填报人…) it belongs to,
in the column under its header word; the project and task tables are read row
by row under their header, so the lists become exactly what the sheets show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from .cellmap import MappedCell

COMPUTED_NOTE = ("得分、分值、指标值、合计、总分和执行率由程序计算或来自指标体系，"
                 "表中对它们的修改不会读入")
_COORD = re.compile(r"^([A-Z]{1,3})(\d+)$")

Grid = dict[tuple[int, int], Any]


def col_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def col_letters(number: int) -> str:
    letters = ""
    while number:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def grid_of(cells: dict[str, Any]) -> Grid:
    out: Grid = {}
    for coord, value in cells.items():
        match = _COORD.match(coord)
        if match:
            out[(int(match.group(2)), col_number(match.group(1)))] = value
    return out


def _text(value: Any) -> str:
    return re.sub(r"\s+", "", value) if isinstance(value, str) else ""


def _split(label: str, index: dict[str, list[tuple[int, int]]]) -> tuple[str, str | None]:
    """("合计", "全年执行数") from "合计 全年执行数": the last word is a header when the sheet
    has a cell saying it (得分, 实际完成值…); else the whole label names the row."""
    if " " in label:
        row_text, header = label.rsplit(" ", 1)
        if _text(header) in index and _text(row_text) in index:
            return row_text, _text(header)
    return label, None


def _index(grid: Grid) -> dict[str, list[tuple[int, int]]]:
    """Where each text stands, computed once per sheet."""
    out: dict[str, list[tuple[int, int]]] = {}
    for (r, c), v in grid.items():
        if isinstance(v, str):
            out.setdefault(_text(v), []).append((r, c))
    return out


@dataclass
class Relocated:
    cells: list[MappedCell]
    notes: list[str]


def relocate(cells: list[MappedCell], grids: dict[str, Grid], skip: tuple[str, ...]) -> Relocated:
    """Each cell moved to where its row label and header now stand; cells whose label is
    gone are dropped (the exported value is kept) with a note."""
    out: list[MappedCell] = []
    notes: list[str] = []
    indexes = {sheet: _index(grid) for sheet, grid in grids.items()}
    for cell in cells:
        if cell.path and cell.path[0] in skip:
            continue
        index = indexes.get(cell.sheet, {})
        match = _COORD.match(cell.coord)
        if not match:
            continue
        col, row = col_number(match.group(1)), int(match.group(2))
        row_text, header = _split(cell.label, index)
        rows = sorted({r for r, c in index.get(_text(row_text), ()) if c < col})
        if not rows:
            notes.append(f"“{cell.sheet}”中找不到“{row_text}”所在的行（可能被删除或改名），"
                         f"{cell.label}按导出时的内容保留")
            continue
        found = min(rows, key=lambda r: (abs(r - row), r))
        if header is not None:
            heads = [(r, c) for r, c in index.get(header, ()) if r < found]
            if heads:
                col = max(heads)[1]  # the nearest header row above
        out.append(replace(cell, coord=f"{col_letters(col)}{found}"))
    return Relocated(out, notes)


# ---------------------------------------------------------------- tables

@dataclass(frozen=True)
class Table:
    sheet: str
    key: str  # "projects" or "tasks"
    columns: dict[str, str]  # header word → field
    numbers: tuple[str, ...]
    what: str  # 项目 / 任务


PROJECTS = Table("项目支出情况", "projects",
                 {"项目名称": "name", "全年预算数": "budget", "全年执行数": "executed",
                  "完成情况": "result"}, ("budget", "executed"), "项目")
TASKS = Table("重点工作任务", "tasks",
              {"重点工作任务": "name", "绩效目标": "target", "完成情况": "result"}, (), "任务")


def is_empty(values: dict[str, Any]) -> bool:
    return all(v is None or v == "" for v in values.values())  # " " is something typed


def table_rows(table: Table, grid: Grid) -> list[tuple[int, dict[str, Any]]] | None:
    """(row, field → cell value) for each row under the table's header, down to 合计;
    None when the header row is not there."""
    header_row, columns = None, {}
    for (r, c), v in sorted(grid.items()):
        field = table.columns.get(_text(v))
        if field is not None and (header_row is None or r == header_row):
            header_row = r
            columns[field] = c
    if header_row is None or "name" not in columns:
        return None
    last = max((r for r, _ in grid), default=header_row)
    out = []
    for r in range(header_row + 1, last + 1):
        if _text(grid.get((r, 1))) == "合计":  # the total row (a project may be named 合计)
            break
        values = {field: grid.get((r, c)) for field, c in columns.items()}
        out.append((r, values))  # empty rows too: an empty item was exported as one
    return out
