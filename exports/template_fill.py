"""Filling a finance bureau's own Excel template with an evaluation's figures.

A bureau often asks for its own 自评表 instead of ours.  Its labels (单位名称, 全年预算数,
执行数, 得分, the indicators by name …) say where each figure goes, just as the
workbook import finds a clerk's figures by their labels:

- a *label figure* (单位名称, 年度, 总分 …) goes into the slot beside its label: the
  first cell to the right of the label's (merged) cell, or the cell below when the
  right-hand one is another label;
- a *table figure* (合计 × 全年预算数, an indicator × 得分 …) goes where the row of its
  row label meets the column of the nearest header above that names it.

``propose`` returns where each figure would go and, separately, what it could not
place and why (no label, two rows that could both be meant, a slot holding a
formula): nothing is guessed.  The clerk may correct the placements; ``fill``
then writes the figures into a copy of the template.  openpyxl keeps the
template's styles, merged cells, formulas, print set-up, data validation and
protection; a cell holding a formula is never written over.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

from forms.budget import row_rate
from forms.model import DEPARTMENT_FIELDS, Evaluation
from forms.numbers import round2
from forms.vocabulary import BUDGET_ROW_WORDS, COLUMN_WORDS, norm
from forms.scoring import NOT_APPLICABLE, ScoreResult, score

from .tables import budget_lines, indicator_rows, rate_fraction
from .xlsx_guard import SpreadsheetRefused, check_xlsx, reading_workbook

# What a figure is, for its cell's number format and for the mapping table.
AMOUNT, RATE, SCORE, TEXT, YEAR = "amount", "rate", "score", "text", "year"

_COORD = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})$")
_UNIT = re.compile(r"[（(]\s*(万元|元|%|％|分)\s*[)）]$")
_NOISE = re.compile(r"[\s\u3000*＊:：]+")


FORMULA = "由模板自己的公式计算："


class TemplateError(ValueError):
    """A template that cannot be filled; ``str()`` says why, in Chinese."""


# ---------------------------------------------------------------- the figures

@dataclass(frozen=True)
class Figure:
    """One figure of the evaluation that a template may have a place for."""

    key: str  # stable: "department.name", "budget.total.adjusted", "leaf.<id>.score" …
    label: str  # what the clerk calls it: "合计 › 全年预算数"
    value: Decimal | str | int | None
    kind: str  # AMOUNT, RATE, SCORE, TEXT or YEAR
    words: tuple[str, ...] = ()  # a label figure: the labels naming its slot
    rows: tuple[str, ...] = ()  # a table figure: the labels naming its row …
    columns: tuple[str, ...] = ()  # … and the headers naming its column


# Header words for each column, as the notices and the budget systems write them.
BUDGET_COLUMNS = COLUMN_WORDS["budget"]
BUDGET_ROWS = BUDGET_ROW_WORDS
LEAF_COLUMNS: dict[str, tuple[str, ...]] = {
    "weight": ("分值", "权重", "指标分值", "权重分值", "标准分值"),
    "target": ("指标值", "年度指标值", "目标值", "年度目标值", "预期指标值"),
    "actual": ("实际完成值", "全年实际值", "实际值", "完成值", "实际完成指标值"),
    "score": ("得分", "自评得分", "实际得分", "评分"),
    "deviation": ("偏差原因分析及改进措施", "偏差原因分析", "偏差原因", "原因分析及改进措施",
                  "未完成原因分析"),
}
LABELS: dict[str, tuple[str, ...]] = {
    "department.name": ("单位名称", "部门名称", "单位（部门）名称", "部门（单位）名称", "填报单位",
                        "预算单位", "预算部门", "部门（单位）", "单位（部门）"),
    "department.year": ("年度", "评价年度", "自评年度", "预算年度", "所属年度"),
    "department.code": ("单位编码", "部门编码", "单位代码", "部门代码", "预算单位编码"),
    "department.preparer": ("填报人", "填表人", "经办人"),
    "department.phone": ("联系电话", "电话"),
    "department.head": ("单位负责人", "部门负责人"),
    "department.finance_head": ("财务负责人",),
    "department.date": ("填报日期", "填表日期"),
    "score.total": ("自评得分", "总分", "自评总分", "综合得分", "总得分", "自评分数"),
    "score.grade": ("自评等级", "等级", "评价等级", "绩效等级", "评价结果"),
    "goals.targets": ("年度整体绩效目标", "年度总体目标", "年度绩效目标", "总体目标"),
    "goals.completion": ("整体绩效目标完成情况", "总体目标完成情况", "年度目标完成情况"),
    "goals.unmet_reason": ("未能完成原因", "未完成原因", "偏差原因及改进措施"),
}
# The goals block many 自评表 have: a row 年度总体目标 with 预期目标 | 实际完成情况 columns.
GOAL_ROWS = ("年度总体目标", "年度整体绩效目标", "年度绩效目标", "总体目标")
GOAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "targets": ("预期目标", "年度目标", "绩效目标"),
    "completion": ("实际完成情况", "完成情况", "目标完成情况"),
}
SCORE_ROWS = ("总分", "得分合计", "综合得分")  # not 合计: the budget table has one


def figures(evaluation: Evaluation, result: ScoreResult | None = None) -> list[Figure]:
    """Every figure of ``evaluation`` a template may ask for, in the order of our tables."""
    result = result or score(evaluation)
    dept = evaluation.department
    names = dict(DEPARTMENT_FIELDS)
    out: list[Figure] = []
    for key in ("name", "year", "code", "preparer", "phone", "head", "finance_head", "date"):
        value: Any = getattr(dept, key)
        out.append(Figure(f"department.{key}", names[key], value if value != "" else None,
                          YEAR if key == "year" else TEXT, words=LABELS[f"department.{key}"]))
    out.append(Figure("score.total", "自评得分", result.total, SCORE, words=LABELS["score.total"],
                      rows=SCORE_ROWS, columns=LEAF_COLUMNS["score"]))
    out.append(Figure("score.grade", "自评等级", result.grade or None, TEXT,
                      words=LABELS["score.grade"]))
    goals = evaluation.goals
    for key, label in (("targets", "年度整体绩效目标"), ("completion", "整体绩效目标完成情况"),
                       ("unmet_reason", "未能完成原因")):
        text = getattr(goals, key) or None
        out.append(Figure(f"goals.{key}", label, text, TEXT, words=LABELS[f"goals.{key}"],
                          rows=GOAL_ROWS if key in GOAL_COLUMNS else (),
                          columns=GOAL_COLUMNS.get(key, ())))
    headers = {"initial": "年初预算数", "adjusted": "全年预算数", "executed": "全年执行数",
               "rate": "执行率"}
    for line in budget_lines(evaluation):
        for column, header in headers.items():
            number: Decimal | None
            number = rate_fraction(row_rate(line.row)) if column == "rate" else line.row.get(column)
            out.append(Figure(f"budget.{line.key}.{column}", f"{line.name} › {header}", number,
                              RATE if column == "rate" else AMOUNT,
                              rows=BUDGET_ROWS[line.key], columns=BUDGET_COLUMNS[column]))
    for row in indicator_rows(evaluation, result):
        leaf, name = row.leaf, row.leaf.name
        not_applicable = row.result.status == NOT_APPLICABLE
        values: dict[str, tuple[Any, str]] = {
            "weight": (leaf.weight, SCORE),
            "target": (row.target_text or None, TEXT),
            "actual": (row.actual_text or None, TEXT),
            "score": ("不适用" if not_applicable else row.result.score, SCORE),
            "deviation": (row.deviation or None, TEXT),
        }
        for column, (value, kind) in values.items():
            out.append(Figure(f"leaf.{leaf.id}.{column}", f"{name} › {LEAF_COLUMNS[column][0]}",
                              value, kind, rows=(name,), columns=LEAF_COLUMNS[column]))
    for group in result.groups:
        out.append(Figure(f"group.{group.address}.score", f"{group.group.name} › 得分",
                          group.score, SCORE, rows=(group.group.name,),
                          columns=LEAF_COLUMNS["score"]))
        out.append(Figure(f"group.{group.address}.weight", f"{group.group.name} › 分值",
                          group.group.weight, SCORE, rows=(group.group.name,),
                          columns=LEAF_COLUMNS["weight"]))
    return out


# ---------------------------------------------------------------- reading the template

def unit_of(text: Any) -> str:
    if not isinstance(text, str):
        return ""
    match = _UNIT.search(_NOISE.sub("", text))
    return match.group(1) if match else ""


@dataclass
class _Sheet:
    name: str
    cells: dict[tuple[int, int], Any]  # every non-empty cell
    merged: dict[tuple[int, int], tuple[int, int, int, int]]  # cell → its merged range
    index: dict[str, list[tuple[int, int]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for (r, c), value in sorted(self.cells.items()):
            key = norm(value)
            if key:
                self.index.setdefault(key, []).append((r, c))

    def anchor(self, r: int, c: int) -> tuple[int, int]:
        """The top-left cell of the merged range holding (r, c), or the cell itself."""
        span = self.merged.get((r, c))
        return (span[0], span[1]) if span else (r, c)

    def span(self, r: int, c: int) -> tuple[int, int, int, int]:
        return self.merged.get((r, c), (r, c, r, c))

    def value(self, r: int, c: int) -> Any:
        return self.cells.get(self.anchor(r, c))


def coord(r: int, c: int) -> str:
    letters = ""
    while c:
        c, rem = divmod(c - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{r}"


def parse_coord(text: str) -> tuple[int, int] | None:
    match = _COORD.match(text.strip().upper())
    if not match:
        return None
    col = 0
    for ch in match.group(1):
        col = col * 26 + ord(ch) - 64
    row = int(match.group(2))
    if not (1 <= row <= 1_048_576 and 1 <= col <= 16_384):
        return None
    return row, col


def is_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=")


# ---------------------------------------------------------------- where figures go

@dataclass(frozen=True)
class Placement:
    """Where one figure goes: sheet and cell, and how the place was found."""

    key: str
    sheet: str
    cell: str
    how: str  # 标签右侧 / 标签下方 / 行列交叉 / 已保存 / 手动


@dataclass(frozen=True)
class Unplaced:
    key: str
    label: str
    reason: str
    computed: bool = False  # the template computes it with its own formula: nothing to fill


@dataclass(frozen=True)
class Proposal:
    template_id: str  # the template's layout, under which a corrected mapping is kept
    sheets: tuple[str, ...]
    placements: tuple[Placement, ...]
    unplaced: tuple[Unplaced, ...]
    notes: tuple[str, ...] = ()  # about the template as a whole (images dropped, units)


LIMIT = 20 * 1024 * 1024


def _load(data: bytes) -> Any:
    """The template as an openpyxl workbook, checked for size and damage first."""
    try:
        check_xlsx(data)
    except SpreadsheetRefused as exc:
        raise TemplateError(str(exc)) from None
    from openpyxl import load_workbook

    try:
        with reading_workbook():
            return load_workbook(BytesIO(data), keep_vba=_has_vba(data), rich_text=True)
    except SpreadsheetRefused as exc:
        raise TemplateError(str(exc)) from None


def _has_vba(data: bytes) -> bool:
    with zipfile.ZipFile(BytesIO(data)) as zf:
        return "xl/vbaProject.bin" in zf.namelist()


def _sheets(wb: Any) -> list[_Sheet]:
    out = []
    for ws in wb.worksheets:
        cells: dict[tuple[int, int], Any] = {}
        for row in ws.iter_rows():
            for cell in row:
                if cell.value is not None and cell.value != "":
                    cells[(cell.row, cell.column)] = _plain(cell.value)
        merged: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        for rng in ws.merged_cells.ranges:
            box = (rng.min_row, rng.min_col, rng.max_row, rng.max_col)
            if (box[2] - box[0] + 1) * (box[3] - box[1] + 1) > 10_000:
                continue  # a range that large is a background, never a slot
            for r in range(box[0], box[2] + 1):
                for c in range(box[1], box[3] + 1):
                    merged[(r, c)] = box
        out.append(_Sheet(ws.title, cells, merged))
    return out


def _plain(value: Any) -> Any:
    """Rich text as its plain string; other values as they are."""
    if hasattr(value, "__str__") and type(value).__name__ == "CellRichText":
        return str(value)
    return value


def layout_id(sheets: Sequence[_Sheet]) -> str:
    """The template's layout: its sheet names and where each label stands (not the figures a
    clerk filled in), so a corrected mapping is found again for a fresh copy of the template."""
    digest = hashlib.sha256()
    for sheet in sheets:
        digest.update(b"\x00sheet\x00" + sheet.name.encode())
        for (r, c), value in sorted(sheet.cells.items()):
            if isinstance(value, str) and not is_formula(value):
                digest.update(f"{r},{c}:{norm(value)}\n".encode())
    return digest.hexdigest()[:32]


def _label_slot(sheet: _Sheet, r: int, c: int, labels: set[str]) -> tuple[int, int, str] | None:
    """The slot beside a label at (r, c): the next cell to the right of its merged range when
    that is empty or a formula-free value, else the cell below when that is free."""
    top, left, bottom, right = sheet.span(r, c)
    candidates = ((top, right + 1, "标签右侧"), (bottom + 1, left, "标签下方"))
    for rr, cc, how in candidates:
        ar, ac = sheet.anchor(rr, cc)
        if (ar, ac) != (rr, cc) and how == "标签右侧" and ac <= right:
            continue
        value = sheet.cells.get((ar, ac))
        if value is None or (not is_formula(value) and norm(value) not in labels):
            return ar, ac, how
    return None


def _header_columns(sheet: _Sheet, row: int, left: int, words: Iterable[str],
                    headers: set[str]) -> list[int]:
    """Columns right of ``left`` whose nearest header above ``row`` is one of ``words`` (a
    header merged over several columns counts for its first)."""
    out = []
    for word in words:
        for r, c in sheet.index.get(word, ()):
            if r >= row or c <= left or sheet.anchor(r, c) != (r, c):
                continue
            # another header word between this one and the row: this column is another table's
            if any(norm(sheet.cells.get((rr, c))) in headers for rr in range(r + 1, row)):
                continue
            out.append(c)
    return sorted(set(out))


def propose(data: bytes, evaluation: Evaluation, result: ScoreResult | None = None) -> Proposal:
    """Where each figure of ``evaluation`` would go in the template ``data``."""
    wb = _load(data)
    sheets = _sheets(wb)
    notes = _notes(data, sheets)
    headers = {norm(w) for table in (BUDGET_COLUMNS, LEAF_COLUMNS, GOAL_COLUMNS)
               for words in table.values() for w in words}
    label_words = headers | {norm(w) for words in LABELS.values() for w in words}
    placements: list[Placement] = []
    unplaced: list[Unplaced] = []
    taken: dict[tuple[str, int, int], str] = {}
    for fig in figures(evaluation, result):
        found, reason = _find(fig, sheets, label_words, headers)
        clash = [p for p in found if (p.sheet, *(parse_coord(p.cell) or (0, 0))) in taken]
        if clash:
            other = taken[(clash[0].sheet, *(parse_coord(clash[0].cell) or (0, 0)))]
            unplaced.append(Unplaced(fig.key, fig.label,
                                     f"“{clash[0].sheet}”{clash[0].cell} 已放{other}，请手动指定"))
            continue
        if found:
            for p in found:
                taken[(p.sheet, *(parse_coord(p.cell) or (0, 0)))] = fig.label
            placements.extend(found)
        elif reason:
            unplaced.append(Unplaced(fig.key, fig.label, reason, reason.startswith(FORMULA)))
    return Proposal(layout_id(sheets), tuple(s.name for s in sheets), tuple(placements),
                    tuple(unplaced), tuple(notes))


def _notes(data: bytes, sheets: Sequence[_Sheet]) -> list[str]:
    notes = []
    with zipfile.ZipFile(BytesIO(data)) as zf:
        if any(n.startswith(("xl/drawings/", "xl/charts/", "xl/media/")) for n in zf.namelist()):
            notes.append("模板中有图片或图表，填写后的副本不会保留它们；如需要，请在 Excel 或 WPS 中补上")
    units = {unit_of(v) for s in sheets for v in s.cells.values()}
    if "元" in units:
        notes.append("模板中有以“元”为单位的列：金额已按 1 万元 = 10000 元换算后填入")
    return notes


def _find(fig: Figure, sheets: Sequence[_Sheet], label_words: set[str], headers: set[str]
          ) -> tuple[list[Placement], str]:
    """The places ``fig`` goes (one per sheet that has it) or why there is none ("" when the
    template simply does not ask for it)."""
    out: list[Placement] = []
    if fig.rows and fig.columns:
        for sheet in sheets:
            cells: set[tuple[int, int]] = set()
            for word in fig.rows:
                for r, c in sheet.index.get(norm(word), ()):
                    top, _, bottom, right = sheet.span(r, c)
                    for col in _header_columns(sheet, r, right, map(norm, fig.columns), headers):
                        target = sheet.anchor(r, col)
                        t_top, _, t_bottom, _ = sheet.span(*target)
                        # a label merged over rows fills a cell merged over the same rows only
                        if (t_top, t_bottom) == (top, bottom):
                            cells.add(target)
            if len(cells) > 1:
                where = "、".join(coord(r, c) for r, c in sorted(cells))
                return [], f"“{sheet.name}”中有多处可能（{where}），请手动指定"
            for r, c in cells:
                if is_formula(sheet.cells.get((r, c))):
                    return [], FORMULA + f"“{sheet.name}”{coord(r, c)}"
                out.append(Placement(fig.key, sheet.name, coord(r, c), "行列交叉"))
        if out:
            return out, ""
    if fig.words:
        for sheet in sheets:
            slots: set[tuple[int, int, str]] = set()
            for word in fig.words:
                for r, c in sheet.index.get(norm(word), ()):
                    slot = _label_slot(sheet, r, c, label_words)
                    if slot is not None:
                        slots.add(slot)
            if len({(r, c) for r, c, _ in slots}) > 1:
                where = "、".join(coord(r, c) for r, c, _ in sorted(slots))
                return [], f"“{sheet.name}”中有多处可能（{where}），请手动指定"
            for r, c, how in slots:
                if is_formula(sheet.cells.get((r, c))):
                    return [], FORMULA + f"“{sheet.name}”{coord(r, c)}"
                out.append(Placement(fig.key, sheet.name, coord(r, c), how))
        if out:
            return out, ""
    return out, ""


# ---------------------------------------------------------------- writing the copy

@dataclass(frozen=True)
class Filled:
    data: bytes
    written: tuple[Placement, ...]
    skipped: tuple[tuple[Placement, str], ...]  # not written, with the reason
    notes: tuple[str, ...]


def fill(data: bytes, evaluation: Evaluation, placements: Sequence[Placement],
         result: ScoreResult | None = None) -> Filled:
    """A copy of the template ``data`` with each placed figure written in its cell."""
    wb = _load(data)
    sheets = _sheets(wb)
    by_key = {f.key: f for f in figures(evaluation, result)}
    written: list[Placement] = []
    skipped: list[tuple[Placement, str]] = []
    yuan = {s.name: _yuan_columns(s) for s in sheets}
    for p in placements:
        fig = by_key.get(p.key)
        at = parse_coord(p.cell)
        if fig is None:
            skipped.append((p, "本评价中没有这一项"))
            continue
        if p.sheet not in wb.sheetnames or at is None:
            skipped.append((p, f"模板中没有“{p.sheet}”{p.cell}"))
            continue
        ws = wb[p.sheet]
        sheet = next(s for s in sheets if s.name == p.sheet)
        r, c = sheet.anchor(*at)
        cell = ws.cell(row=r, column=c)
        if is_formula(cell.value):
            skipped.append((p, "该单元格是模板的公式，保留公式"))
            continue
        value = _cell_value(fig, c in yuan[p.sheet])
        if value is None:
            skipped.append((p, "本评价中这一项没有数值（未填写或无法计算），模板原样保留"))
            continue
        cell.value = value
        if fig.kind == AMOUNT and isinstance(value, (int, float)) and cell.number_format == "General":
            cell.number_format = "0.00"
        elif fig.kind == RATE and isinstance(value, (int, float)) and cell.number_format == "General":
            cell.number_format = "0.00%"
        written.append(Placement(p.key, p.sheet, coord(r, c), p.how))
    out = BytesIO()
    wb.save(out)
    return Filled(out.getvalue(), tuple(written), tuple(skipped), tuple(_notes(data, sheets)))


def _yuan_columns(sheet: _Sheet) -> set[int]:
    """Columns headed in 元 (not 万元): amounts written there are multiplied by 10,000."""
    out: set[int] = set()
    for (_r, c), value in sheet.cells.items():
        if unit_of(value) == "元":
            _top, left, _bottom, right = sheet.span(_r, c)
            out.update(range(left, right + 1))
    return out


def _cell_value(fig: Figure, yuan: bool) -> Any:
    value = fig.value
    if value is None:
        return None
    if isinstance(value, Decimal):
        if fig.kind == AMOUNT and yuan:
            value = round2(value * 10000)
        # a cell holds a float; two decimals (four for a rate fraction) survive exactly
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# ---------------------------------------------------------------- a mapping kept per template

def mapping_json(proposal: Proposal, placements: Sequence[Placement], template_name: str) -> str:
    return json.dumps({
        "format": "selfeval-template-mapping", "version": 1, "template": template_name,
        "layout": proposal.template_id,
        "placements": [[p.key, p.sheet, p.cell] for p in placements],
    }, ensure_ascii=False, indent=1)


def read_mapping(text: str) -> list[Placement]:
    """Placements from a kept mapping; malformed entries are dropped, never guessed."""
    try:
        raw = json.loads(text)
    except ValueError as exc:
        raise TemplateError(f"对应关系文件不是有效的 JSON：{exc}") from None
    if not isinstance(raw, dict) or raw.get("format") != "selfeval-template-mapping":
        raise TemplateError("不是本程序保存的模板对应关系文件")
    out = []
    for entry in raw.get("placements") or ():
        if (isinstance(entry, list) and len(entry) == 3 and all(isinstance(x, str) for x in entry)
                and parse_coord(entry[2]) is not None):
            out.append(Placement(entry[0], entry[1], entry[2].upper(), "已保存"))
    return out


def mapping_path(folder: Path, proposal: Proposal) -> Path:
    return folder / f"{proposal.template_id}.json"
