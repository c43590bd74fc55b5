"""The evaluation package (docs/package.md): read strictly about form, leniently about content.

``read_package`` turns JSON text into an ``Evaluation`` or raises
``PackageError`` with the JSON path of the first problem; ``write_package``
returns the bytes of a package.  Unknown keys are kept at every level.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any
from collections.abc import Mapping

from .evidence import read_refs, write_refs
from .files import ReadFailed, read_bounded
from .model import (
    MAX_REFUSED,
    MAX_REFUSED_PATH,
    MAX_REFUSED_TEXT,
    NARRATIVE_FIELDS,
    NATURE_ROWS,
    SOURCE_ROWS,
    Budget,
    BudgetRow,
    Department,
    Evaluation,
    Goals,
    LeafValue,
    Project,
    Task,
    year_problem,
)
from .numbers import MAX_CHARS, NumberError, echo, one_line, parse_int, parse_number, plain
from .system import System, SystemInvalid, build_system, system_to_dict
from .value_fields import ENTRY_KEYS, VALUE_FIELDS

FORMAT = "selfeval-package"
VERSION = 1
MAX_PACKAGE_BYTES = 50 * 1024 * 1024


class PackageError(ValueError):
    """A package that cannot be used; ``str()`` names the JSON path and the problem."""

    def __init__(self, path: str, message: str):
        self.path = echo(path, 200)  # keys are the package's own text
        self.message = one_line(message)
        super().__init__(f"{path}: {message}" if path else message)


def _reject_constant(name: str) -> Any:
    raise PackageError("", f"包含非有限数字 {name}，不是有效的数字")


# Anything the writer cannot have written is refused before it is converted: json.loads would
# build a 4,300-digit int or a Decimal that prints as a gigabyte of zeros.  Unknown keys keep
# their exact decimals up to the same length as a typed number.


class _Refused(str):
    """A JSON number kept as its text, to be reported with its JSON path."""


def _first_refused(value: Any, path: str) -> str | None:
    if isinstance(value, _Refused):
        return path
    if isinstance(value, dict):
        for key, item in value.items():
            found = _first_refused(item, f"{path}.{key}" if path else str(key))
            if found is not None:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _first_refused(item, f"{path}[{i}]")
            if found is not None:
                return found
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _first_surrogate(value: Any, path: str) -> str | None:
    """The path of the first string holding a lone surrogate (``"\\ud800"`` in JSON)."""
    if isinstance(value, str):
        return path if _SURROGATE.search(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if _SURROGATE.search(str(key)):
                return where
            found = _first_surrogate(item, where)
            if found is not None:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _first_surrogate(item, f"{path}[{i}]")
            if found is not None:
                return found
    return None


def parse_json(text: str | bytes) -> Any:
    """JSON with exact decimals; NaN, Infinity and lone surrogates are refused."""
    if isinstance(text, bytes):
        if len(text) > MAX_PACKAGE_BYTES:
            raise PackageError("", "文件过大，不是评价包")
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PackageError("", "文件不是 UTF-8 编码的文本，不是评价包") from None
    refused: list[str] = []

    def number(kind: type, raw: str) -> Any:
        if len(raw) > MAX_CHARS or "e" in raw or "E" in raw:
            refused.append(raw)
            return _Refused(raw)
        return kind(raw)

    try:
        data = json.loads(text, parse_float=lambda raw: number(Decimal, raw),
                          parse_int=lambda raw: number(int, raw), parse_constant=_reject_constant)
        bad = _first_surrogate(data, "") if "\\u" in text or _SURROGATE.search(text) else None
    except json.JSONDecodeError as exc:
        raise PackageError("", f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列）") from None
    except RecursionError:
        raise PackageError("", "JSON 嵌套过深，不是评价包") from None
    if bad is not None:
        raise PackageError(bad, "含有无效的字符（不成对的 UTF-16 代理码），请删除后重试")
    if refused:
        shown = refused[0] if len(refused[0]) <= 24 else refused[0][:12] + "…"
        raise PackageError(_first_refused(data, "") or "",
                           f"数字 {shown} 使用了指数写法或位数过多：评价包中的数字应写成普通小数"
                           f"（不超过 {MAX_CHARS} 个字符，绝对值不超过 10¹²，最多 6 位小数）")
    return data


# ---------------------------------------------------------------- reading helpers

def _obj(raw: Any, path: str, *, required: bool = False) -> Mapping[str, Any]:
    if raw is None:
        if required:
            raise PackageError(path, "缺少此项")
        return {}
    if not isinstance(raw, Mapping):
        raise PackageError(path, "应为对象（{…}）")
    return raw


def _list(raw: Any, path: str) -> list[Any]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise PackageError(path, "应为列表（[…]）")
    return raw


def _num(raw: Mapping[str, Any], key: str, path: str) -> Decimal | None:
    value = raw.get(key)
    where = f"{path}.{key}" if path else key
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, str, Decimal)):
        raise PackageError(where, f"{echo(json.dumps(value, ensure_ascii=False, default=str), 40)} 不是数字")
    try:
        return parse_number(value, key)
    except NumberError as exc:
        raise PackageError(where, exc.reason) from None


def _text(raw: Mapping[str, Any], key: str, path: str) -> str:
    value = raw.get(key)
    if value is None:
        return ""
    if isinstance(value, bool):
        raise PackageError(f"{path}.{key}", "应为文字")
    if isinstance(value, (int, Decimal)):
        return plain(Decimal(value))
    if not isinstance(value, str):
        raise PackageError(f"{path}.{key}", "应为文字")
    return value


def _extra(raw: Mapping[str, Any], known: set[str]) -> dict[str, Any]:
    return {k: v for k, v in raw.items() if k not in known}


def _row(raw: Any, path: str) -> BudgetRow:
    obj = _obj(raw, path)
    return BudgetRow(
        initial=_num(obj, "initial", path),
        adjusted=_num(obj, "adjusted", path),
        executed=_num(obj, "executed", path),
        extra=_extra(obj, {"initial", "adjusted", "executed"}),
    )


def _rows(raw: Any, path: str, keys: tuple[tuple[str, str], ...]) -> dict[str, BudgetRow]:
    obj = _obj(raw, path)
    rows = {key: _row(obj.get(key), f"{path}.{key}") for key, _ in keys}
    for key, value in obj.items():  # rows we do not know are kept
        if key not in rows:
            rows[key] = _row(value, f"{path}.{key}")
    return rows


def _budget(raw: Any) -> Budget:
    obj = _obj(raw, "budget")
    return Budget(
        total=_row(obj["total"], "budget.total") if obj.get("total") is not None else None,
        by_source=_rows(obj.get("by_source"), "budget.by_source", SOURCE_ROWS),
        by_nature=_rows(obj.get("by_nature"), "budget.by_nature", NATURE_ROWS),
        carryover=_num(obj, "carryover", "budget"),
        appropriation_income=_num(obj, "appropriation_income", "budget"),
        extra=_extra(obj, {"total", "by_source", "by_nature", "carryover",
                           "appropriation_income"}),
    )


def _department(raw: Any) -> Department:
    obj = _obj(raw, "department", required=True)
    name = obj.get("name")
    if not isinstance(name, str):
        raise PackageError("department.name", "缺少单位名称" if name is None else "应为文字")
    year_raw = obj.get("year")
    if year_raw is None:
        raise PackageError("department.year", "缺少年度")
    try:
        year = parse_int(year_raw, "年度")
    except NumberError as exc:
        raise PackageError("department.year", f"年度{exc.reason}") from None
    problem = year_problem(year)
    if problem is not None:
        raise PackageError("department.year", problem)
    functions_raw = obj.get("functions")
    if isinstance(functions_raw, str):
        functions = tuple(line for line in functions_raw.splitlines() if line.strip())
    else:
        functions = tuple(_text({"f": f}, "f", f"department.functions[{i}]")
                          for i, f in enumerate(_list(functions_raw, "department.functions")))
    texts = {k: _text(obj, k, "department")
             for k in ("code", "divisions", "preparer", "phone", "head", "finance_head", "date")}
    known = {"name", "year", "functions", *texts}
    return Department(name=name, year=year, functions=functions, extra=_extra(obj, known),
                      **texts)


def _value(raw: Any, path: str) -> LeafValue:
    """A leaf's value: each field its kinds declare (forms.value_fields), read by type."""
    obj = _obj(raw, path)
    data: dict[str, Any] = {}
    for name, declared in VALUE_FIELDS.items():
        if declared.type in ("number", "count"):
            data[name] = _num(obj, name, path)
        elif declared.type == "checks":
            checks_raw = obj.get(name)
            if checks_raw is not None:
                items = _list(checks_raw, f"{path}.{name}")
                for i, item in enumerate(items):
                    if not isinstance(item, str):
                        raise PackageError(f"{path}.{name}[{i}]", "应为检查项编号（文字）")
                data[name] = tuple(items)
        else:  # text, choice
            v = obj.get(name)
            if v is not None and not isinstance(v, str):
                raise PackageError(f"{path}.{name}", "应为文字")
            data[name] = v or None
    na = obj.get("not_applicable", False)
    if na is None:
        na = False
    if not isinstance(na, bool):
        raise PackageError(f"{path}.not_applicable", "应为 true 或 false")
    return LeafValue(
        data,
        not_applicable=na,
        reason=_text(obj, "reason", path),
        deviation=_text(obj, "deviation", path),
        extra=_extra(obj, {*VALUE_FIELDS, *ENTRY_KEYS}),
    )


def _refused(raw: Any) -> dict[str, str]:
    """Typed text that was not a value, by field path (the limits ``with_refused`` keeps)."""
    obj = _obj(raw, "refused")
    if len(obj) > MAX_REFUSED:
        raise PackageError("refused", f"未采用的输入超过 {MAX_REFUSED} 项，不是有效的评价包")
    out: dict[str, str] = {}
    for key, text in obj.items():
        where = f"refused.{key}"
        if not isinstance(text, str):
            raise PackageError(where, "应为文字")
        if len(str(key)) > MAX_REFUSED_PATH or len(text) > MAX_REFUSED_TEXT:
            raise PackageError(where, f"过长（字段路径至多 {MAX_REFUSED_PATH} 字，"
                                      f"文字至多 {MAX_REFUSED_TEXT} 字）")
        if text.strip():
            out[str(key)] = text
    return out


def _system(raw: Any) -> System:
    if raw is None:
        raise PackageError("system", "缺少指标体系")
    try:
        key = json.dumps(raw, ensure_ascii=False, sort_keys=True, default=str)
    except (TypeError, ValueError, RecursionError):
        key = None
    cached = _SYSTEMS.get(key) if key is not None else None
    if cached is not None:
        return cached  # a System is immutable: the bureau's 300 packages share one
    system, problems = build_system(raw, "system", strict_custom=False)
    if problems:
        first = problems[0]
        more = f"（另有 {len(problems) - 1} 处问题）" if len(problems) > 1 else ""
        raise PackageError(first.path, f"指标体系有误：{first.message}{more}")
    if key is not None and len(key) <= 2_000_000:
        if len(_SYSTEMS) >= 16:
            _SYSTEMS.pop(next(iter(_SYSTEMS)))
        _SYSTEMS[key] = system
    return system


# Systems read from packages, by their JSON text: a folder of submissions on one bureau's
# system reads it once per process (a few recent ones kept).
_SYSTEMS: dict[str, System] = {}


def package_from_dict(data: Any) -> Evaluation:
    if not isinstance(data, Mapping):
        raise PackageError("", "顶层应为对象（{…}），不是评价包")
    fmt = data.get("format")
    if fmt != FORMAT:
        raise PackageError("format", f"格式应为“{FORMAT}”，不是“{echo(fmt)}”：这不是本程序的评价包"
                           if fmt is not None else f"缺少 format（应为“{FORMAT}”）：这不是本程序的评价包")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise PackageError("version", "缺少版本号" if version is None else f"版本号“{echo(version)}”不是整数")
    if version > VERSION:
        raise PackageError("version", f"评价包版本 {version} 高于本程序支持的版本 {VERSION}，请升级程序后再打开")
    if version < 1:
        raise PackageError("version", f"评价包版本 {version} 无效")
    department = _department(data.get("department"))
    system = _system(data.get("system"))
    goals_raw = _obj(data.get("goals"), "goals")
    goals = Goals(**{k: _text(goals_raw, k, "goals") for k in ("targets", "completion", "unmet_reason")},
                  extra=_extra(goals_raw, {"targets", "completion", "unmet_reason"}))
    tasks = []
    for i, t in enumerate(_list(data.get("tasks"), "tasks")):
        path = f"tasks[{i}]"
        obj = _obj(t, path)
        tasks.append(Task(**{k: _text(obj, k, path) for k in ("name", "target", "result")},
                          extra=_extra(obj, {"name", "target", "result"})))
    projects = []
    for i, p in enumerate(_list(data.get("projects"), "projects")):
        path = f"projects[{i}]"
        obj = _obj(p, path)
        projects.append(Project(name=_text(obj, "name", path), budget=_num(obj, "budget", path),
                                executed=_num(obj, "executed", path),
                                result=_text(obj, "result", path),
                                extra=_extra(obj, {"name", "budget", "executed", "result"})))
    values_raw = _obj(data.get("values"), "values")
    values = {str(k): _value(v, f"values.{k}") for k, v in values_raw.items()}
    narrative_raw = _obj(data.get("narrative"), "narrative")
    narrative = {str(k): _text(narrative_raw, k, "narrative") for k in narrative_raw}
    for key, _ in NARRATIVE_FIELDS:
        narrative.setdefault(key, "")
    known = {"format", "version", "department", "budget", "goals", "tasks", "projects", "system",
             "values", "narrative", "refused", "evidence"}
    try:
        evidence = read_refs(data.get("evidence"))
    except ValueError as exc:
        raise PackageError("evidence", str(exc)) from None
    return Evaluation(
        department=department,
        system=system,
        budget=_budget(data.get("budget")),
        goals=goals,
        tasks=tuple(tasks),
        projects=tuple(projects),
        values=values,
        narrative=narrative,
        refused=_refused(data.get("refused")),
        evidence=evidence,
        extra=_extra(data, known),
    )


def read_package(text: str | bytes) -> Evaluation:
    """An evaluation from package text; ``PackageError`` names what is wrong."""
    try:
        return package_from_dict(parse_json(text))
    except SystemInvalid as exc:  # pragma: no cover - build_system reports, never raises
        raise PackageError("system", str(exc)) from None


def load_package(path: str | Path) -> Evaluation:
    try:
        data = read_bounded(path, MAX_PACKAGE_BYTES, "评价包")
    except ReadFailed as exc:
        raise PackageError("", str(exc)) from None
    return read_package(data)


# ---------------------------------------------------------------- writing

def _n(value: Decimal | None) -> str:
    return "" if value is None else plain(value)


def _row_dict(row: BudgetRow, *, with_initial: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if with_initial or row.initial is not None:
        out["initial"] = _n(row.initial)
    out["adjusted"] = _n(row.adjusted)
    out["executed"] = _n(row.executed)
    out.update(row.extra)
    return out


def value_to_dict(value: LeafValue) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, declared in VALUE_FIELDS.items():  # the declared order, then any left over
        v = value.data.get(name)
        if v is None:
            continue
        if declared.type in ("number", "count"):
            out[name] = plain(v)
        elif declared.type == "checks":
            out[name] = list(v)
        else:
            out[name] = v
    if value.not_applicable:
        out["not_applicable"] = True
    if value.reason:
        out["reason"] = value.reason
    if value.deviation:
        out["deviation"] = value.deviation
    out.update(value.extra)
    return out


def package_to_dict(ev: Evaluation) -> dict[str, Any]:
    d = ev.department
    budget: dict[str, Any] = {}
    if ev.budget.total is not None:
        budget["total"] = _row_dict(ev.budget.total)
    budget["by_source"] = {k: _row_dict(r) for k, r in ev.budget.by_source.items()}
    budget["by_nature"] = {k: _row_dict(r, with_initial=False) for k, r in ev.budget.by_nature.items()}
    budget["carryover"] = _n(ev.budget.carryover)
    if ev.budget.appropriation_income is not None:  # older programs keep it as an unknown key
        budget["appropriation_income"] = _n(ev.budget.appropriation_income)
    budget.update(ev.budget.extra)
    out: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "department": {
            "name": d.name, "year": d.year, "code": d.code, "functions": list(d.functions),
            "divisions": d.divisions, "preparer": d.preparer, "phone": d.phone, "head": d.head,
            "finance_head": d.finance_head, "date": d.date, **d.extra,
        },
        "budget": budget,
        "goals": {"targets": ev.goals.targets, "completion": ev.goals.completion,
                  "unmet_reason": ev.goals.unmet_reason, **ev.goals.extra},
        "tasks": [{"name": t.name, "target": t.target, "result": t.result, **t.extra}
                  for t in ev.tasks],
        "projects": [{"name": p.name, "budget": _n(p.budget), "executed": _n(p.executed),
                      "result": p.result, **p.extra} for p in ev.projects],
        "system": system_to_dict(ev.system),
        "values": {k: value_to_dict(v) for k, v in ev.values.items()},
        "narrative": dict(ev.narrative),
    }
    if ev.refused:
        out["refused"] = dict(ev.refused)
    if ev.evidence:
        out["evidence"] = write_refs(ev.evidence)
    out.update(ev.extra)
    return out


def _encode(value: Any, indent: str, out: list[str]) -> None:
    # json.dumps cannot write a Decimal exactly; unknown keys read with parse_float=Decimal
    # must come back as the very number they were.
    if isinstance(value, Mapping):
        if not value:
            out.append("{}")
            return
        inner = indent + " "
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            out.append(("," if i else "") + "\n" + inner + json.dumps(str(key), ensure_ascii=False) + ": ")
            _encode(item, inner, out)
        out.append("\n" + indent + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            out.append("[]")
            return
        inner = indent + " "
        out.append("[")
        for i, item in enumerate(value):
            out.append(("," if i else "") + "\n" + inner)
            _encode(item, inner, out)
        out.append("\n" + indent + "]")
    elif isinstance(value, Decimal):
        out.append(plain(value) if value.is_finite() else json.dumps(str(value)))
    else:
        out.append(json.dumps(value, ensure_ascii=False))


def write_package(ev: Evaluation) -> bytes:
    text = dumps(package_to_dict(ev))
    return text.encode("utf-8")


def dumps(data: Any) -> str:
    """JSON text for a package or system: UTF-8 Chinese, one-space indent, exact decimals."""
    out: list[str] = []
    _encode(data, "", out)
    return "".join(out) + "\n"
