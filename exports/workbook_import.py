"""Reading back a workbook this program exported (``selfeval import``).

The hidden data sheet gives the package as exported; the visible cells named
in its cell map are laid over it, so corrections a clerk made in Excel (a
figure, a deviation text, a contact) are taken.  Anything else is refused
with a Chinese message, in bounded time and memory: files over 20 MB,
encrypted or old-format files (OLE2, which is what Excel writes for a
password-protected workbook), damaged zips, zip bombs, absurd sheets, and
workbooks without our data sheet.
"""

from __future__ import annotations

import copy
import json
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

from forms.files import ReadFailed, read_bounded
from forms.model import Evaluation
from forms.numbers import NumberError, number_or_none, one_line, parse_number, plain
from forms.package import PackageError, package_from_dict, parse_json
from forms.system import Leaf, build_system

from .cellmap import (DATA_SHEET, FIELDS, FORMAT_VERSION, MARKER, NUMBER, TEXT, MappedCell,
                      value_at)
from .value_cells import (FieldsUnreadable, checks_part, example, fields_text, labels,
                          number_part, shown_fields, split_fields)
from .workbook_anchor import (COMPUTED_NOTE, PROJECTS, TASKS, Table, grid_of, is_empty, relocate,
                              table_rows)
from .xlsx_guard import Facts, Limits, SpreadsheetRefused, check_xlsx, reading_workbook

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLS = 64
# ours unpack to well under 5 MB even for 1,000 leaves
LIMITS = Limits(file_bytes=MAX_FILE_BYTES, unpacked_bytes=50 * 1024 * 1024)
NOT_OURS = "不是本程序导出的自评表（缺少程序数据），无法读回。请导入由本程序“导出 Excel”生成的文件"


class WorkbookImportError(ValueError):
    """A workbook that cannot be read back; ``str()`` says why, in Chinese, on one line."""

    def __init__(self, message: str):
        super().__init__(one_line(message))


def read_workbook_path(path: str | Path) -> Evaluation:
    return read_workbook_path_report(path)[0]


def read_workbook_path_report(path: str | Path) -> tuple[Evaluation, list[str]]:
    """As ``read_workbook_report``, for a file."""
    try:
        data = read_bounded(path, MAX_FILE_BYTES, "本程序导出的自评表")
    except ReadFailed as exc:
        raise WorkbookImportError(str(exc)) from None
    return read_workbook_report(data)


def _check_zip(data: bytes) -> Facts:
    try:
        return check_xlsx(data, LIMITS)
    except SpreadsheetRefused as exc:
        raise WorkbookImportError(str(exc)) from None


Rows = tuple[tuple[Any, ...], ...]


def _sheet_rows(ws: Any) -> Rows:
    """A sheet's values row by row, within MAX_ROWS × MAX_COLS (read-only mode parses the
    sheet as its rows are read, and has no random access)."""
    return tuple(ws.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLS, values_only=True))


def _check_range(ws: Any) -> None:
    max_row = ws.max_row or 0
    max_col = ws.max_column or 0
    if max_row > MAX_ROWS * 20 or max_col > 16384:
        raise WorkbookImportError(f"工作表“{ws.title}”的范围异常（{max_row} 行 × {max_col} 列），拒绝读取")


def _values(rows: Rows, wanted: set[str] | None) -> dict[str, Any]:
    """Cell values by coordinate; empty cells left out."""
    from openpyxl.utils import get_column_letter

    out: dict[str, Any] = {}
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            coord = f"{get_column_letter(c)}{r}"
            if wanted is None or coord in wanted:
                out[coord] = value
    return out


def _sheet_values(ws: Any, wanted: set[str] | None) -> dict[str, Any]:
    """Cell values by coordinate, reading rows once."""
    _check_range(ws)
    return _values(_sheet_rows(ws), wanted)


@dataclass(frozen=True)
class _Sheets:
    """What one opening of the workbook gives."""

    texts: dict[str, Any]  # the data sheet's columns A and B by coordinate
    cells: list[MappedCell]  # the cell map
    visible: dict[str, dict[str, Any]]  # the values of every sheet the map names
    form_rows: Rows  # the form sheet row by row


def _load(data: bytes, formulas: bool = True) -> _Sheets:
    """The data sheet, and the visible sheets, from one opening of the workbook."""
    from openpyxl import load_workbook

    from .excel import SHEET_FORM

    try:
        # read-only mode parses each sheet as its rows are read: the whole reading is guarded
        with warnings.catch_warnings(), reading_workbook(WorkbookImportError):
            warnings.simplefilter("ignore")  # foreign workbooks make openpyxl chatty
            wb = load_workbook(BytesIO(data), read_only=True, data_only=True, keep_links=False)
            try:
                if DATA_SHEET not in wb.sheetnames:
                    raise WorkbookImportError(NOT_OURS)
                raw = _sheet_values(wb[DATA_SHEET], None)
                texts = {k: v for k, v in raw.items() if k.startswith(("A", "B"))}
                cells = _decode_cells(texts)
                visible: dict[str, dict[str, Any]] = {}
                form_rows: Rows = ()
                for sheet in sorted({cell.sheet for cell in cells}):  # whole sheets: rows may have moved
                    if sheet not in wb.sheetnames:
                        raise WorkbookImportError(f"工作表“{sheet}”被删除或改名，无法读回")
                    _check_range(wb[sheet])
                    rows = _sheet_rows(wb[sheet])
                    visible[sheet] = _values(rows, None)
                    if sheet == SHEET_FORM:
                        form_rows = rows
                if SHEET_FORM not in visible and SHEET_FORM in wb.sheetnames:
                    form_rows = _sheet_rows(wb[SHEET_FORM])  # for the review, though it maps no cell
            finally:
                wb.close()
            if formulas:
                _mark_uncomputed(data, visible)
    except SpreadsheetRefused as exc:
        raise WorkbookImportError(str(exc)) from None
    return _Sheets(texts, cells, visible, form_rows)


class Uncomputed:
    """A formula cell without a cached result (saved by a program that does not compute)."""


UNCOMPUTED = Uncomputed()


def _mark_uncomputed(data: bytes, visible: dict[str, dict[str, Any]]) -> None:
    """Mark the cells that read as empty but hold a formula: data_only gives None for a
    formula nobody computed, which must not be taken as a cleared figure."""
    from openpyxl import load_workbook

    wb = load_workbook(BytesIO(data), read_only=True, data_only=False, keep_links=False)
    try:
        for sheet, values in visible.items():
            for coord, value in _sheet_values(wb[sheet], None).items():
                if coord not in values and isinstance(value, str) and value.startswith("="):
                    values[coord] = UNCOMPUTED
    finally:
        wb.close()


def _chunks(texts: dict[str, Any], start: int, count: int) -> str:
    parts = []
    for row in range(start, start + count):
        value = texts.get(f"A{row}")
        if not isinstance(value, str):
            raise WorkbookImportError("程序数据不完整（隐藏数据被改动），无法读回")
        parts.append(value)
    return "".join(parts)


def _header(texts: dict[str, Any]) -> tuple[int, int]:
    if texts.get("A1") != MARKER:
        raise WorkbookImportError(NOT_OURS)
    version = texts.get("B1")
    if not isinstance(version, int) or version < 1:
        raise WorkbookImportError("程序数据已损坏（版本号无效），无法读回")
    if version > FORMAT_VERSION:
        raise WorkbookImportError(f"该自评表由更新版本的程序导出（数据版本 {version}），请升级程序后再导入")
    n_cells, n_package = texts.get("B2"), texts.get("B3")
    if not isinstance(n_cells, int) or not isinstance(n_package, int) \
            or not 0 < n_cells <= 1000 or not 0 < n_package <= 1000:
        raise WorkbookImportError("程序数据已损坏，无法读回")
    return n_cells, n_package


def _decode_cells(texts: dict[str, Any]) -> list[MappedCell]:
    n_cells, _ = _header(texts)
    try:
        raw = json.loads(_chunks(texts, 4, n_cells))
        return [MappedCell.from_list(item) for item in raw]
    except (ValueError, TypeError):
        raise WorkbookImportError("程序数据已损坏（单元格对照表无法解析），无法读回") from None


def _package(texts: dict[str, Any]) -> dict[str, Any]:
    n_cells, n_package = _header(texts)
    try:
        data = parse_json(_chunks(texts, 4 + n_cells, n_package))
    except PackageError as exc:
        raise WorkbookImportError(f"程序数据已损坏：{exc}") from None
    if not isinstance(data, dict):
        raise WorkbookImportError("程序数据已损坏，无法读回")
    return data


def _set(obj: Any, path: tuple[str | int, ...], value: Any) -> None:
    for key in path[:-1]:
        if isinstance(obj, list) and isinstance(key, int) and 0 <= key < len(obj):
            obj = obj[key]
        elif isinstance(obj, dict) and isinstance(key, str):
            obj = obj.setdefault(key, {})
        else:
            return
    last = path[-1]
    if isinstance(obj, dict) and isinstance(last, str):
        obj[last] = value
    elif isinstance(obj, list) and isinstance(last, int) and 0 <= last < len(obj):
        obj[last] = value


_UNCHANGED = object()


def _take(kind: str, value: Any, original: Any, where: str) -> Any:
    """What a visible cell gives for a package field: the new text, or ``_UNCHANGED``
    when it still shows what the export wrote (the exact original is then kept)."""
    from .excel import clean_text  # what the export wrote for a text

    if value is UNCOMPUTED:
        raise WorkbookImportError(f"{where}：是公式，但文件中没有它的计算结果（保存文件的程序"
                                  "没有计算公式）。请在 Excel 或 WPS 中打开并保存后再导入，"
                                  "或把公式改为数值")
    if kind == NUMBER:
        if isinstance(value, bool) or (value is not None and not isinstance(value, (int, float, str, Decimal))):
            raise WorkbookImportError(f"{where}：不是数字")
        if isinstance(value, str) and value.strip() == "":
            value = None
        try:
            new = None if value is None else parse_number(value, where)
        except NumberError as exc:
            raise WorkbookImportError(str(exc)) from None
        before = number_or_none(original)
        if new == before or (before is not None and isinstance(value, (int, float))
                             and abs(float(before) - value) <= 1e-12 * max(1.0, abs(value))):
            # what we wrote: a cell holds 16 significant digits (an int when they are
            # whole), a figure up to 19; keep the exact original
            return _UNCHANGED
        return "" if new is None else plain(new)
    text = "" if value is None else (value if isinstance(value, str) else _cell_text(value))
    before_text = original if isinstance(original, str) else ("" if original is None else str(original))
    if _lines(text) == _lines(clean_text(before_text)):
        return _UNCHANGED  # keep the exact original (control characters, length, \r)
    return text


def _take_fields(leaf: Leaf, value: Any, original: Any, where: str) -> dict[str, Any]:
    """What a cell of several fields (``exports/value_cells.py``) gives: field name → the
    new entry ("" or [] where the clerk cleared it), only the fields changed; a text it
    cannot read is refused, naming the cell."""
    from .excel import clean_text

    if value is UNCOMPUTED:
        _take(TEXT, value, None, where)  # refused there, with the same words
    if value is not None and not isinstance(value, str):
        raise WorkbookImportError(f"{where}：读不出各填报项，应逐行写成{example(leaf)}")
    before = original if isinstance(original, Mapping) else {}
    text = value or ""
    if _lines(text) == _lines(clean_text(fields_text(leaf, before))):
        return {}  # as exported: the exact original is kept
    try:
        parts = split_fields(leaf, text)
        names = labels(leaf)
        changes: dict[str, Any] = {}
        for field in shown_fields(leaf):
            part, old = parts[field.name], before.get(field.name)
            at = f"{where}的“{names[field.name]}”"
            if field.type in ("number", "count"):
                new = _take(NUMBER, None if part is None else number_part(field, part), old, at)
            elif field.type == "checks":
                items = [] if part is None else checks_part(leaf, field, part)
                new = _UNCHANGED if items == list(old or []) else items
            else:  # a choice is a name: the spaces around it are the clerk's layout
                new = _take(TEXT, part if part is None or field.type == "text" else part.strip(),
                            old, at)
            if new is not _UNCHANGED:
                changes[field.name] = new
    except FieldsUnreadable as exc:
        raise WorkbookImportError(f"{where}：{exc}") from None
    return changes


def _overlay(package: dict[str, Any], cells: list[MappedCell],
             visible: dict[str, dict[str, Any]], notes: list[str]) -> None:
    """Take what the clerk changed in the visible cells."""
    leaves: dict[str, Leaf] | None = None
    for cell in cells:
        where = f"“{cell.sheet}”{cell.coord}（{cell.label}）"
        shown = visible.get(cell.sheet, {}).get(cell.coord)
        if cell.kind == FIELDS:
            if leaves is None:  # no visible cell changes the system: as exported
                leaves = build_system(package.get("system"), strict_custom=False)[0].leaf_index()
            leaf = leaves.get(str(cell.path[-1]))
            entry = value_at(package, cell.path)
            if leaf is None or not shown_fields(leaf):
                notes.append(f"{where}：本程序不认识该指标的评分方法，此格的修改未读入")
                continue
            changes = _take_fields(leaf, shown, entry, where)
            if changes:
                if not isinstance(entry, dict):
                    entry = {}
                    _set(package, cell.path, entry)
                for name, new in changes.items():
                    if new in ("", []):
                        entry.pop(name, None)
                    else:
                        entry[name] = new
                notes.append(f"已读入 {where}")
            continue
        new = _take(cell.kind, shown, value_at(package, cell.path), where)
        if new is not _UNCHANGED:
            _set(package, cell.path, new)
            notes.append(f"已读入 {where}")


def _rebuild(table: Table, rows: list[tuple[int, dict[str, Any]]], originals: Any,
             notes: list[str]) -> list[Any]:
    """The table's list as the sheet shows it: a row keeps the unknown keys and exact
    figures of the item of the same name; other rows are new items (a renamed one too),
    items no row names are gone, and the notes say so."""
    from .excel import clean_text

    old = [o for o in originals if isinstance(o, dict)] if isinstance(originals, list) else []
    used: set[int] = set()
    names = {field: word for word, field in table.columns.items()}
    out = []
    for row, values in rows:
        if is_empty(values):
            # a blank row stands for an exported item that printed empty (a name of control
            # characters prints as nothing), if there is one left; else it is skipped
            blank = next((i for i, o in enumerate(old) if i not in used
                          and not any(clean_text(str(o.get(f) or "")) for f in table.columns.values())),
                         None)
            if blank is not None:
                used.add(blank)
                out.append(dict(old[blank]))
            continue
        name = values.get("name")
        name_text = "" if name is None else (name if isinstance(name, str) else _cell_text(name))
        match = next((i for i, o in enumerate(old) if i not in used
                      and _lines(clean_text(str(o.get("name") or ""))) == _lines(name_text)), None)
        item: dict[str, Any] = dict(old[match]) if match is not None else {}
        if match is not None:
            used.add(match)
        for field in table.columns.values():
            kind = NUMBER if field in table.numbers else TEXT
            where = f"“{table.sheet}”第 {row} 行（{table.what}“{name_text[:20]}” {names[field]}）"
            new = _take(kind, values.get(field), item.get(field), where)
            if new is not _UNCHANGED:
                item[field] = new
                if match is not None:
                    notes.append(f"已读入 {where}")
            elif field not in item:
                item[field] = ""
        if match is None:
            notes.append(f"“{table.sheet}”第 {row} 行：新增{table.what}“{name_text[:20]}”")
        out.append(item)
    for i, o in enumerate(old):
        if i not in used:
            notes.append(f"{table.what}“{str(o.get('name') or '')[:20]}”已不在“{table.sheet}”中，"
                         f"不再保留")
    return out


def _lines(text: str) -> str:
    # XML parsing turns \r\n and \r into \n: a text read back is compared with that in mind
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _cell_text(value: Any) -> str:
    """A text field the clerk typed as something else: a number (a phone) or a date."""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d") if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return plain(Decimal(repr(value)))
    if isinstance(value, (int, Decimal)):
        return plain(Decimal(value))
    return str(value)


@dataclass(frozen=True)
class WorkbookRead:
    """One reading of a workbook this program exported: the evaluation as the clerk left
    it, and what the review compares it with (the package and cell map exported with it,
    the visible form as it now reads)."""

    evaluation: Evaluation
    notes: tuple[str, ...]  # what the clerk should know, as ``read_workbook_report`` gives
    cells: tuple[MappedCell, ...]  # the cell map, as exported (before any row moved)
    exported: Mapping[str, Any]  # the package as exported, no visible cell taken
    form_rows: Rows  # the form sheet's values row by row; () when there is no such sheet


def read_workbook_bytes(data: bytes) -> Evaluation:
    """An evaluation from the bytes of a workbook this program exported."""
    return read_workbook(data).evaluation


def read_workbook_report(data: bytes) -> tuple[Evaluation, list[str]]:
    """The evaluation and what the clerk should know: each visible edit taken (and where
    it was found), rows added or gone, labels not found, what is never read."""
    read = read_workbook(data)
    return read.evaluation, list(read.notes)


def read_workbook(data: bytes) -> WorkbookRead:
    """A workbook this program exported, opened once; ``WorkbookImportError`` says in
    Chinese why it cannot be read back."""
    facts = _check_zip(data)
    sheets = _load(data, facts.formulas)
    exported = _package(sheets.texts)
    package = copy.deepcopy(exported)
    cells = sheets.cells
    visible = sheets.visible
    grids = {sheet: grid_of(values) for sheet, values in visible.items()}
    notes: list[str] = []
    rebuilt: list[str] = []
    for table in (PROJECTS, TASKS):
        if not any(c.path[:1] == (table.key,) for c in cells) or table.sheet not in grids:
            continue
        rows = table_rows(table, grids[table.sheet])
        if rows is None:
            notes.append(f"“{table.sheet}”中找不到表头，其中的修改未读入")
            rebuilt.append(table.key)
            continue
        package[table.key] = _rebuild(table, rows, package.get(table.key), notes)
        rebuilt.append(table.key)
    moved = relocate(cells, grids, tuple(rebuilt))
    notes += moved.notes
    located = {sheet: {} for sheet in visible}  # type: dict[str, dict[str, Any]]
    for sheet, values in visible.items():
        located[sheet] = values
    _overlay(package, moved.cells, located, notes)
    try:
        evaluation = package_from_dict(package)
    except PackageError as exc:
        raise WorkbookImportError(f"自评表中的数据有误：{exc}") from None
    notes.append(COMPUTED_NOTE)
    return WorkbookRead(evaluation, tuple(notes), tuple(cells), exported, sheets.form_rows)
