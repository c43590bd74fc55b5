"""Import an indicator table (指标表) from a spreadsheet, as the finance bureau's notice prints it.

A notice's table has columns like 一级指标 / 二级指标 / 三级指标 / 分值 / 评分标准, the
upper levels in merged cells (or simply left blank below their first row), an
optional 指标值 column, and sometimes a 分值 column next to each level.  The
header row is found by its words; ``mapping`` lets the clerk say which column
is which when the words differ.  Every leaf gets the manual rule (直接评分) with
its 评分标准 text kept, ready for the clerk to pick the real rule in the editor.

Nothing is guessed silently: what cannot be read is reported row by row as
``Problem`` values whose message names the sheet row.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from forms.files import ReadFailed, read_bounded
from forms.numbers import NumberError, fmt_weight, parse_number
from forms.system import Problem, System, build_system, num_out
from forms.system_edit import node_path_of
from forms.system_import import convert_shares, read_rules
from forms.tsv import split_block

from .xlsx_guard import (Limits, SpreadsheetDamaged, SpreadsheetRefused, check_xlsx,
                         reading_workbook)

MAX_BYTES = 20 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 60
LIMITS = Limits(file_bytes=MAX_BYTES, unpacked_bytes=MAX_BYTES * 10, rows=MAX_ROWS,
                merged_cells=MAX_ROWS * MAX_COLUMNS)

# field → Chinese name shown in the mapping step
FIELDS: dict[str, str] = {
    "level1": "一级指标",
    "weight1": "一级指标分值",
    "level2": "二级指标",
    "weight2": "二级指标分值",
    "level3": "三级指标",
    "weight3": "三级指标分值（有四级指标时）",
    "level4": "四级指标",
    "weight": "三级指标分值（末级指标的分值）",
    "target": "指标值",
    "unit": "计量单位",
    "criteria": "评分标准",
    "explanation": "指标解释",
}
REQUIRED = ("level1", "level2", "level3", "weight")

# Header words, most specific first; a header cell is matched after removing spaces.
_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("level1", ("一级指标", "一级", "评价维度")),
    ("level2", ("二级指标", "二级")),
    ("level3", ("三级指标", "三级", "评价指标", "指标名称", "具体指标")),
    ("level4", ("四级指标", "四级")),
    ("target", ("指标值", "目标值", "年度指标值", "标准值", "绩效目标值")),
    ("unit", ("计量单位", "单位")),
    ("criteria", ("评分标准", "评分细则", "评分方法", "评分规则", "计分方法", "评价标准")),
    ("explanation", ("指标解释", "指标说明", "指标内涵", "解释")),
    ("weight", ("分值", "权重", "标准分", "分数", "满分")),
)
_TOTAL_WORDS = ("合计", "总计", "总分", "小计")
_WEIGHT_IN_NAME = re.compile(r"^(.*?)[（(]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]\s*$")


class SystemImportError(ValueError):
    """A file that cannot be read as an indicator table at all; ``str()`` is Chinese."""


@dataclass(frozen=True)
class HeaderInfo:
    """The header row found (or the first rows, for the mapping step)."""

    sheet: str
    row: int  # 1-based sheet row of the header (a guess when not recognised)
    columns: tuple[str, ...]  # header text per column (0-based index)
    mapping: dict[str, int]  # field → column index, as recognised
    samples: tuple[tuple[str, ...], ...] = ()  # a few rows below, for the dialog
    recognised: bool = True  # False: the clerk must say which column is which


def _clean(value: Any, number_format: str = "") -> str:
    """A cell as text.  A number shown as a percentage (95% is stored as 0.95) is read as
    what the notice shows, ``95%``; binary float noise from formulas is dropped."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        percent = "%" in number_format
        number = Decimal(format(value * 100 if percent else value, ".12g"))
        text = format(number.normalize(), "f") if number == number.to_integral_value() \
            else format(number, "f")
        return text + ("%" if percent else "")
    text = unicodedata.normalize("NFKC", str(value)) if not isinstance(value, str) else value
    return text.replace("\u3000", " ").strip()


def _header_key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _match(text: str) -> str | None:
    key = _header_key(text)
    if not key or len(key) > 12:
        return None
    for field, words in _WORDS:
        if any(key == w or key.startswith(w) for w in words):
            return field
    return None


def recognise(columns: list[str]) -> dict[str, int]:
    """Field → column from header words.  A 分值 column right after a level-1 or level-2
    column is that level's weight; the last 分值 column is the leaves' weight."""
    mapping: dict[str, int] = {}
    weight_cols: list[int] = []
    for index, text in enumerate(columns):
        field = _match(text)
        if field == "weight":
            weight_cols.append(index)
        elif field and field not in mapping:
            mapping[field] = index
    for index in weight_cols:
        before = columns[index - 1] if index else ""
        left = _match(before) if before else None
        if left == "level1" and "weight1" not in mapping and index != weight_cols[-1]:
            mapping["weight1"] = index
        elif left == "level2" and "weight2" not in mapping and index != weight_cols[-1]:
            mapping["weight2"] = index
        elif left == "level3" and "weight3" not in mapping and index != weight_cols[-1]:
            mapping["weight3"] = index
        else:
            mapping["weight"] = index
    return mapping


# ---------------------------------------------------------------- opening

def _open(data: bytes) -> Any:
    from openpyxl import load_workbook

    if len(data) > MAX_BYTES:
        raise SystemImportError(f"文件太大（{len(data) // (1024 * 1024)} MB），"
                                f"指标表不应超过 {MAX_BYTES // (1024 * 1024)} MB")
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise SystemImportError("这是旧版 Excel（.xls）或 WPS 文件，请在 Excel/WPS 中"
                                "“另存为” .xlsx 格式后再导入")
    if data[:2] != b"PK":
        raise SystemImportError("不是 Excel 工作簿（.xlsx）：请选择 .xlsx 文件；"
                                "Word 中的指标表请先复制到 Excel 再保存")
    try:
        check_xlsx(data, LIMITS)  # before openpyxl builds an object per declared cell
        with reading_workbook():  # (not read-only: every part is parsed here, none later)
            return load_workbook(io.BytesIO(data), data_only=True)
    except SpreadsheetDamaged:
        raise SystemImportError("工作簿已损坏或不是有效的 .xlsx 文件，无法读取") from None
    except SpreadsheetRefused as exc:
        raise SystemImportError(str(exc)) from None


def _grid(ws: Any) -> list[list[str]]:
    """The sheet as text, merged ranges filled with their top-left value."""
    if ws.max_row > MAX_ROWS:
        raise SystemImportError(f"工作表“{ws.title}”有 {ws.max_row} 行，超过 {MAX_ROWS} 行，"
                                f"不像指标表")
    width = min(ws.max_column, MAX_COLUMNS)
    grid = [[""] * width for _ in range(ws.max_row)]
    # only the cells the sheet has: iter_rows would create every cell of the rectangle, and
    # one stray cell at XFD5000 makes that rectangle 80 million cells
    for (r, c), cell in ws._cells.items():
        if c <= width and cell.value is not None:
            grid[r - 1][c - 1] = _clean(cell.value, cell.number_format or "")
    for rng in ws.merged_cells.ranges:
        top = grid[rng.min_row - 1][rng.min_col - 1] if rng.min_col <= width else ""
        for r in range(rng.min_row, min(rng.max_row, len(grid)) + 1):
            for c in range(rng.min_col, min(rng.max_col, width) + 1):
                grid[r - 1][c - 1] = top
    return grid


def _find_header(grid: list[list[str]]) -> tuple[int, dict[str, int]]:
    for r, row in enumerate(grid[:30]):
        mapping = recognise(row)
        names = sum(1 for f in ("level1", "level2", "level3", "level4") if f in mapping)
        if "weight" in mapping and len(mapping) >= 3 and ("level3" in mapping or names >= 2):
            return r, mapping
    return -1, {}


def _sheets(data: bytes) -> list[tuple[str, list[list[str]]]]:
    wb = _open(data)
    try:
        return [(ws.title, _grid(ws)) for ws in wb.worksheets]
    finally:
        wb.close()


MAX_TEXT = 2 * 1024 * 1024


def text_sheets(text: str) -> list[tuple[str, list[list[str]]]]:
    """A table copied from Word, WPS or Excel (tab-separated, Excel's quoting) as one sheet.

    Cells a copied merged cell leaves empty are carried down like merged cells."""
    if len(text) > MAX_TEXT:
        raise SystemImportError("剪贴板中的内容太多，不像一张指标表")
    if "\t" not in text:
        raise SystemImportError("剪贴板中没有表格：请在 Word、WPS 或 Excel 中选中整张指标表"
                                "（含表头）后复制，再导入")
    rows = split_block(text)
    if len(rows) > MAX_ROWS:
        raise SystemImportError(f"表格有 {len(rows)} 行，超过 {MAX_ROWS} 行，不像指标表")
    width = min(max((len(r) for r in rows), default=0), MAX_COLUMNS)
    grid = [[_clean(c) for c in r[:width]] + [""] * (width - len(r[:width])) for r in rows]
    return [("剪贴板", grid)]


def header_candidates_text(text: str, row: int | None = None) -> HeaderInfo:
    return _header_info(text_sheets(text), row)


def import_raw_text(text: str, mapping: dict[str, int] | None = None, *, name: str = "",
                    header_row: int | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """As ``import_raw_bytes`` for a table pasted from the clipboard."""
    return _import_sheets(text_sheets(text), mapping, name or "粘贴的指标表", header_row)


def header_candidates(data: bytes, row: int | None = None) -> HeaderInfo:
    """The header row the importer would use, or the first rows when none is recognised,
    for the column-mapping step (列对应).  ``row`` (1-based) takes that row of the first
    sheet as the header instead, when the clerk says where it is."""
    return _header_info(_sheets(data), row)


def _header_info(sheets: list[tuple[str, list[list[str]]]], row: int | None) -> HeaderInfo:
    if row is not None and sheets:
        title, grid = sheets[0]
        r = min(max(row, 1), max(len(grid), 1)) - 1
        columns = tuple(grid[r]) if grid else ()
        mapping = recognise(list(columns))
        return HeaderInfo(title, r + 1, columns, mapping,
                          tuple(tuple(x) for x in grid[r + 1:r + 6]),
                          "level3" in mapping and "weight" in mapping)
    for title, grid in sheets:
        r, mapping = _find_header(grid)
        if r >= 0:
            return HeaderInfo(title, r + 1, tuple(grid[r]), mapping,
                              tuple(tuple(row) for row in grid[r + 1:r + 6]))
    title, grid = sheets[0] if sheets else ("", [])
    # No recognisable header: offer the widest of the first rows as the headers.
    widths = [sum(1 for c in row if c) for row in grid[:30]]
    first = widths.index(max(widths)) if widths else 0
    columns = tuple(grid[first]) if grid else ()
    return HeaderInfo(title, first + 1, columns, recognise(list(columns)),
                      tuple(tuple(row) for row in grid[first + 1:first + 6]), False)


# ---------------------------------------------------------------- building the tree

_ENUMERATOR = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]"
                         r"|\d+[、.．](?!\d))\s*")


def _split_weight(name: str) -> tuple[str, str]:
    """``一、部门决策（25分）`` → (部门决策, 25): notices number their levels and often print
    a level's weight in its name."""
    name = _ENUMERATOR.sub("", name).strip() or name
    match = _WEIGHT_IN_NAME.match(name)
    if match and match.group(1).strip():
        return match.group(1).strip(), match.group(2)
    return name, ""


class _Builder:
    def __init__(self, sheet: str) -> None:
        self.sheet = sheet
        self.problems: list[Problem] = []
        self.indicators: list[dict[str, Any]] = []
        self.rows: dict[tuple[int, ...], int] = {}  # node path → first sheet row
        self.declared: dict[tuple[int, ...], tuple[Decimal, int]] = {}
        self.n = 0
        self.recognised = 0  # leaves whose rule was read from their criteria

    def problem(self, row: int, path: str, message: str) -> None:
        self.problems.append(Problem(path, f"工作表“{self.sheet}”第 {row} 行：{message}"))

    def number(self, text: str, row: int, what: str) -> Decimal | None:
        if not text:
            return None
        try:
            return parse_number(text.replace("分", "").strip(), what)
        except NumberError as exc:
            self.problem(row, f"row{row}", str(exc))
            return None

    def group(self, siblings: list[dict[str, Any]], parent: tuple[int, ...], name: str,
              weight_text: str, row: int, what: str) -> tuple[dict[str, Any], tuple[int, ...]]:
        name, in_name = _split_weight(name)
        for i, node in enumerate(siblings):
            if node["name"] == name and i == len(siblings) - 1:
                path = parent + (i,)
                break
        else:
            node = {"name": name, "weight": None, "children": []}
            siblings.append(node)
            path = parent + (len(siblings) - 1,)
            self.rows[path] = row
        text = weight_text or in_name
        if text and path not in self.declared:
            value = self.number(text, row, f"{what}“{name}”分值")
            if value is not None:
                self.declared[path] = (value, row)
        return node, path

    def leaf(self, parent: dict[str, Any], path: tuple[int, ...], cells: dict[str, str],
             row: int, field: str = "level3") -> None:
        self.n += 1
        name = _ENUMERATOR.sub("", cells.get(field, "")).strip() or cells.get(field, "")
        leaf: dict[str, Any] = {"id": f"ind{self.n:02d}", "name": name}
        weight_text = cells.get("weight", "").replace("分", "").strip()
        try:
            weight = parse_number(weight_text, "分值", required=False)
            leaf["weight"] = num_out(weight) if weight is not None else None
        except NumberError:
            leaf["weight"] = weight_text  # kept as written: the checks name it on its row
        if not weight_text:
            self.problem(row, f"row{row}", f"{FIELDS[field]}“{name}”没有分值")
        unit = cells.get("unit", "")
        target_text = cells.get("target", "")
        criteria = cells.get("criteria", "")
        if target_text:
            cleaned = target_text.lstrip("≥≤<>＞＜=").strip()
            if cleaned.endswith("%") and not unit:
                unit = "%"
            try:
                target = parse_number(cleaned, "指标值")
                assert target is not None
                leaf["target"] = num_out(target)
            except NumberError:
                criteria = f"指标值：{target_text}\n{criteria}".strip()
                self.problem(row, f"row{row}", f"“{name}”的指标值“{target_text}”不是数字，"
                             f"已写入评分标准，请在编辑器中核对")
        if unit:
            leaf["unit"] = unit
        explanation = cells.get("explanation", "")
        if explanation and explanation != criteria:
            criteria = f"{criteria}\n（指标解释：{explanation}）".strip()
        if criteria:
            leaf["criteria"] = criteria
        leaf["rule"] = {"type": "manual"}
        parent["children"].append(leaf)
        self.rows[path + (len(parent["children"]) - 1,)] = row

    def finish(self) -> None:
        """Upper-level weights: declared ones as given (a mismatch is reported by the
        checks), missing ones summed from their children; then weights printed as
        percentages of the parent become points, and the criteria texts are read."""
        def weigh(nodes: list[dict[str, Any]], parent: tuple[int, ...]) -> None:
            for i, node in enumerate(nodes):
                if isinstance(node.get("children"), list):
                    weigh(node["children"], parent + (i,))
                    node["weight"] = self._weight(parent + (i,), node)

        weigh(self.indicators, ())
        for path, name, weight in convert_shares(self.indicators):
            self.problem(self.rows.get(path, 0), "shares",
                         f"“{name}”的下级指标权重合计 100，已按占“{name}”"
                         f"（{fmt_weight(weight)} 分）的百分比换算为分值，请核对")
        self.recognised = read_rules(self.indicators)

    def _weight(self, path: tuple[int, ...], node: dict[str, Any]) -> Any:
        declared = self.declared.get(path)
        if declared is not None:
            return num_out(declared[0])
        total = Decimal(0)
        for child in node["children"]:
            try:
                w = parse_number(child.get("weight"), required=False)
            except NumberError:
                w = None  # a weight kept as written: the sum is unknown, not guessed
            if w is None:
                return None
            total += w
        return num_out(total)


def _is_total(cells: dict[str, str]) -> bool:
    names = [_header_key(cells.get(k, "")) for k in ("level1", "level2", "level3", "level4")]
    return any(n in _TOTAL_WORDS for n in names if n)


def _levels(mapping: dict[str, int]) -> tuple[list[str], str]:
    """The group name columns and the leaf name column of a table with two, three or four
    name columns.  A three-column table missing 一级 or 二级 keeps its leaves under
    stand-in names, as before."""
    if "level4" in mapping:
        return ["level1", "level2", "level3"], "level4"
    if "level3" in mapping:
        return ["level1", "level2"], "level3"
    if "level2" in mapping and "level1" in mapping:
        return ["level1"], "level2"
    raise SystemImportError("找不到“三级指标”和“分值”列：请在列对应中指明哪一列是哪一项")


def _build(title: str, grid: list[list[str]], header: int, mapping: dict[str, int],
           name: str) -> tuple[dict[str, Any], list[Problem]]:
    if "weight" not in mapping:
        raise SystemImportError("找不到“三级指标”和“分值”列：请在列对应中指明哪一列是哪一项")
    groups, leaf_field = _levels(mapping)
    b = _Builder(title)
    if leaf_field == "level3":
        for f in ("level1", "level2"):
            if f not in mapping:
                b.problem(header + 1, "header", f"表中没有“{FIELDS[f]}”列，"
                          + ("已用一级指标名称代替" if f == "level2" else "已归入“（未分一级）”")
                          + "，请在编辑器中整理")
    elif leaf_field == "level4" and any(f not in mapping for f in groups):
        b.problem(header + 1, "header", "表中有“四级指标”列，但缺少上面某一级的列，"
                  "已用上一级名称代替，请在编辑器中整理")
    weights = {f: f"weight{f[-1]}" for f in groups}
    carry = dict.fromkeys(groups, "") | dict.fromkeys(weights.values(), "")
    for r in range(header + 1, len(grid)):
        row = grid[r]
        sheet_row = r + 1
        cells = {f: (row[c] if c < len(row) else "") for f, c in mapping.items()}
        if not any(cells.values()):
            continue
        if _is_total(cells):
            continue
        leaf_name = cells.get(leaf_field, "")
        if leaf_name and all(cells.get(f) == leaf_name for f in groups if f in mapping):
            continue  # a title row merged across the table
        for k, key in enumerate(groups):
            if cells.get(key):
                if cells[key] != carry[key]:
                    for deeper in groups[k + 1:]:  # a new group starts its own sub-list
                        carry[deeper] = carry[weights[deeper]] = ""
                carry[key] = cells[key]
                carry[weights[key]] = cells.get(weights[key], "")
        names: list[str] = []
        for k, key in enumerate(groups):
            if key in mapping:
                names.append(carry[key])
            else:  # a missing column: 一级 → （未分一级）, others → the name above
                names.append(names[-1] if k else "（未分一级）")
        if not leaf_name:
            # A row of its own for an upper indicator ("一、部门决策 … 25"): its weight.
            weight = cells.get("weight", "")
            if weight and names[0] and "level1" in mapping:
                siblings = b.indicators
                parent: tuple[int, ...] = ()
                for k, key in enumerate(groups):
                    if k and not (cells.get(key) and key in mapping):
                        break
                    node, parent = b.group(siblings, parent, names[k],
                                           carry[weights[key]] or weight, sheet_row,
                                           FIELDS[key])
                    siblings = node["children"]
                continue
            if weight or cells.get("criteria"):
                b.problem(sheet_row, f"row{sheet_row}",
                          f"有分值或评分标准，但没有{FIELDS[leaf_field]}名称，已跳过")
            continue
        # a leaf may sit higher than the deepest column: its deeper group cells are empty
        # on the row where its parent starts (merged cells carry a name down instead)
        while len(names) > 1 and not names[-1] and leaf_field != "level3":
            names.pop()
        empty = next((k for k, n in enumerate(names) if not n), None)
        if empty is not None:
            b.problem(sheet_row, f"row{sheet_row}",
                      f"{FIELDS[leaf_field]}“{leaf_name}”上方没有{FIELDS[groups[empty]]}名称，已跳过")
            continue
        siblings = b.indicators
        path: tuple[int, ...] = ()
        node = {}
        for k, key in enumerate(groups[:len(names)]):
            node, path = b.group(siblings, path, names[k], carry[weights[key]], sheet_row,
                                 FIELDS[key])
            siblings = node["children"]
            carry[weights[key]] = ""  # the merged weight counts once
        b.leaf(node, path, cells, sheet_row, leaf_field)
    b.finish()
    if not b.indicators:
        raise SystemImportError(f"工作表“{title}”第 {header + 1} 行之下没有读到任何末级指标")
    raw = {"name": name, "jurisdiction": "", "indicators": b.indicators}
    _, checks = build_system(raw, "system")
    problems = list(b.problems)
    for p in checks:
        node_path = node_path_of(p.path)
        line = b.rows.get(node_path)
        where = f"工作表“{title}”第 {line} 行：" if line else ""
        problems.append(Problem(p.path, where + p.message))
    return raw, problems


def import_system_bytes(data: bytes, mapping: dict[str, int] | None = None, *,
                        name: str = "", sheet: str | None = None,
                        header_row: int | None = None) -> tuple[System, list[Problem]]:
    """A system (every leaf 直接评分, 评分标准 kept) and the problems found, row by row.

    ``mapping`` (field → 0-based column) overrides the header words; then
    ``header_row`` (1-based) says where the table starts (default: the recognised
    header row, else row 1).  ``SystemImportError`` when nothing usable is there."""
    raw, problems = import_raw_bytes(data, mapping, name=name, sheet=sheet,
                                     header_row=header_row)
    system, _ = build_system(raw, "system")
    return system, problems


def import_raw_bytes(data: bytes, mapping: dict[str, int] | None = None, *,
                     name: str = "", sheet: str | None = None,
                     header_row: int | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """As ``import_system_bytes``, but the system's JSON form as read, for the editor: a
    weight that is not a number stays as written, so the clerk sees and fixes it there."""
    sheets = _sheets(data)
    if sheet is not None:
        sheets = [s for s in sheets if s[0] == sheet] or sheets
    return _import_sheets(sheets, mapping, name, header_row)


def _import_sheets(sheets: list[tuple[str, list[list[str]]]], mapping: dict[str, int] | None,
                   name: str, header_row: int | None) -> tuple[dict[str, Any], list[Problem]]:
    for title, grid in sheets:
        r, found = _find_header(grid)
        if mapping is not None:
            if header_row is not None:
                r = header_row - 1
            elif r < 0:
                r = 0
            return _build(title, grid, r, dict(mapping), name or title)
        if r >= 0:
            return _build(title, grid, r, found, name or title)
    raise SystemImportError("没有找到指标表的表头（如“一级指标、二级指标、三级指标、分值、评分标准”），"
                            "请用列对应指明哪一列是哪一项")


def _read_workbook(path: str | Path) -> tuple[Path, bytes]:
    p = Path(path)
    if p.suffix.lower() in (".xls", ".et", ".doc", ".docx", ".wps", ".csv"):
        raise SystemImportError(f"{p.name}：只能导入 .xlsx 工作簿，请先另存为 .xlsx")
    try:
        return p, read_bounded(p, MAX_BYTES, "Excel 工作簿")
    except ReadFailed as exc:
        raise SystemImportError(str(exc)) from None


def import_system_path(path: str | Path, mapping: dict[str, int] | None = None
                       ) -> tuple[System, list[Problem]]:
    p, data = _read_workbook(path)
    try:
        return import_system_bytes(data, mapping, name=p.stem)
    except SystemImportError as exc:
        raise SystemImportError(f"{p.name}：{exc}") from None


def import_raw_path(path: str | Path, mapping: dict[str, int] | None = None
                    ) -> tuple[dict[str, Any], list[Problem]]:
    """As ``import_system_path``, but the system's JSON form as read (see ``import_raw_bytes``)."""
    p, data = _read_workbook(path)
    try:
        return import_raw_bytes(data, mapping, name=p.stem)
    except SystemImportError as exc:
        raise SystemImportError(f"{p.name}：{exc}") from None


Sheets = list[tuple[str, list[list[str]]]]


def read_sheets_path(path: str | Path) -> Sheets:
    """The workbook's sheets as text grids, read once (the editor's column step and its
    import both work from them)."""
    p, data = _read_workbook(path)
    try:
        return _sheets(data)
    except SystemImportError as exc:
        raise SystemImportError(f"{p.name}：{exc}") from None


def header_info(sheets: Sheets, row: int | None = None) -> HeaderInfo:
    """As ``header_candidates``, for sheets already read."""
    return _header_info(sheets, row)


def import_raw_sheets(sheets: Sheets, mapping: dict[str, int] | None = None, *, name: str = "",
                      header_row: int | None = None) -> tuple[dict[str, Any], list[Problem]]:
    """As ``import_raw_bytes``, for sheets already read."""
    return _import_sheets(sheets, mapping, name, header_row)


def weight_text(value: Decimal) -> str:
    return fmt_weight(value)
