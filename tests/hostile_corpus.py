"""Hostile spreadsheets and special files, built on the fly (nothing large is stored)."""

from __future__ import annotations

import io
import os
import re
import zipfile
from pathlib import Path
from collections.abc import Callable

from openpyxl import Workbook

HEADER = ["一级指标", "二级指标", "三级指标", "分值", "评分标准"]


def plain_workbook() -> bytes:
    """A small indicator table, the kind a notice gives."""
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["决策", "目标", "目标合理", 100, "合理得满分"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rewrite(data: bytes, change: Callable[[str, bytes], bytes | None],
            extra: dict[str, bytes] | None = None, level: int = 6) -> bytes:
    """``data`` with each member passed through ``change`` (None drops it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as dst:
        for info in src.infolist():
            body = change(info.filename, src.read(info))
            if body is not None:
                dst.writestr(info.filename, body)
        for name, body in (extra or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def _sheets(data: bytes, edit: Callable[[bytes], bytes]) -> bytes:
    return rewrite(data, lambda name, body: edit(body)
                   if name.startswith("xl/worksheets/sheet") else body)


def _before(tag: bytes, insert: bytes) -> Callable[[bytes], bytes]:
    return lambda body: body.replace(tag, insert + tag, 1) if tag in body else body


def _merge(ref: str) -> Callable[[bytes], bytes]:
    merge = f'<mergeCells count="1"><mergeCell ref="{ref}"/></mergeCells>'.encode()
    return lambda body: re.sub(rb"(</sheetData>)", lambda m: m.group(1) + merge, body, count=1)


def _cell(ref: str, value: bytes, kind: bytes = b"n") -> Callable[[bytes], bytes]:
    row = re.sub(r"[A-Z]", "", ref)
    cell = b'<row r="' + row.encode() + b'"><c r="' + ref.encode() + b'" t="' + kind + b'"><v>' \
        + value + b"</v></c></row>"
    return _before(b"</sheetData>", cell)


def typed_into_total(data: bytes, value: object) -> bytes:
    """Our exported workbook with ``value`` typed into 合计 全年执行数 (a visible mapped cell)."""
    from openpyxl import load_workbook

    from exports.excel import SHEET_FORM

    wb = load_workbook(io.BytesIO(data))
    ws = wb[SHEET_FORM]
    row = next(c.row for line in ws.iter_rows() for c in line if c.value == "合计")
    ws.cell(row, 6).value = value
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def typed_values() -> dict[str, object]:
    return {"typed-1e26": 1e26, "typed-1e308": 1e308, "typed-exponent-text": "1E+999999999",
            "typed-50-digits": "9" * 50, "typed-formula": "=1/0", "typed-tiny": 1e-300}


def spreadsheets(base: bytes) -> dict[str, bytes]:
    """Damaged and hostile variants of the workbook ``base``."""
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                         for i in range(1, 10))
              + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              b"<si><t>&lol9;</t></si></sst>")
    return {
        "merge-whole-sheet": _sheets(base, _merge("A1:XFD1048576")),
        "merge-many-columns": _sheets(base, _merge("A1:ZZ9000")),
        "cell-at-XFD5000": _sheets(base, _cell("XFD5000", b"1")),
        "row-1048576": _sheets(base, _cell("A1048576", b"1")),
        "dimension-whole-sheet": _sheets(base, lambda b: re.sub(
            rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"', b)),
        "huge-exponent": _sheets(base, _cell("B4999", b"1E+999999999")),
        "huge-number": _sheets(base, _cell("C4999", b"1E+308")),
        "zip-bomb": _sheets(base, lambda b: _before(b"</sheetData>", b" " * (120 * 1024 * 1024))(b)),
        "billion-laughs": rewrite(base, lambda n, b: b,
                                  extra={"xl/sharedStrings.xml": laughs}),
        "external-entity": _sheets(base, lambda b: b.replace(
            b"<worksheet", b'<!DOCTYPE w [<!ENTITY x SYSTEM "file:///etc/passwd">]><worksheet', 1)
            .replace(b"</sheetData>", b'<row r="4998"><c r="A4998" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData>', 1)),
        "truncated": base[: len(base) // 2],
        "no-workbook-part": rewrite(base, lambda n, b: None if n == "xl/workbook.xml" else b),
        "garbage-sheet": rewrite(base, lambda n, b: os.urandom(len(b))
                                 if n.startswith("xl/worksheets/") else b),
        "ole2-header": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4096,
        "empty": b"",
        "random": os.urandom(4096),
        "text": "一级指标\t分值\n决策\t100\n".encode(),
    }


def special_paths(folder: Path) -> dict[str, Path]:
    """A device, a FIFO, a folder and a missing file."""
    fifo = folder / "fifo.xlsx"
    if not fifo.exists():
        os.mkfifo(fifo)
    (folder / "folder.xlsx").mkdir(exist_ok=True)
    return {"dev-zero": Path("/dev/zero"), "fifo": fifo, "folder": folder / "folder.xlsx",
            "missing": folder / "missing.xlsx"}


def criteria_cells() -> dict[str, tuple[str, str]]:
    """评分标准 cells a hostile or careless table holds, each with what the importer must do
    with it: "refused" (left 直接评分), or the band bound it must read ("max -5")."""
    return {
        "20,000 digits": ("9" * 20_000 + "得5分；得3分", "refused"),
        "full cell": (("执行率≥95%的，得5分；90%≤执行率＜95%的，得3分；" * 1000)[:32_767], "refused"),
        "negative": ("变动率低于-5%的，得2分；其他得1分。", "max -5"),
        "thousands": ("＜1,000%的得2分；其他得1分。", "max 1000"),
        "full-width thousands": ("≥１，０００人次的得2分；其他得1分。", "min 1000"),
        "exponent": ("1e300%以上得2分，其他得1分。", "refused"),
        "tiny step": ("每超过0.0000001个百分点扣1分。", "refused"),
        "brackets": ("(" * 900 + "得1分；得2分", "refused"),
        "scores only": ("得1分；" * 150, "refused"),
        "spaces": ("≥90%" + " " * 900 + "得2分；其他得1分", "min 90"),
    }


# ---------------------------------------------------------------- the review's bombs

_SST = (b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>')


def _junk(unit: Callable[[int], bytes], megabytes: int) -> bytes:
    """``megabytes`` of small XML units, repeated from a 40 KB block of pseudo-random ones:
    made in milliseconds, and a zip keeps it under 20 MB at a modest ratio (larger than
    deflate's 32 KB window, the block cannot be referenced whole)."""
    state, units, size = 12345, [], 0
    while size < 40 * 1024:
        state = (state * 1103515245 + 12345) % (1 << 31)
        units.append(unit(state >> 8))
        size += len(units[-1])
    block = b"".join(units)
    return block * (megabytes * 1024 * 1024 // len(block))


def unknown_element_bomb(base: bytes, megabytes: int = 45) -> bytes:
    """``base`` with millions of small elements no schema knows after the form sheet's data
    (openpyxl keeps every element it does not handle: this 4.7 MB file took 40 s and 1 GB
    before exports/xlsx_guard.py counted tags)."""
    junk = _junk(lambda n: b"<%c/>" % (97 + n % 4), megabytes)
    return rewrite(base, lambda n, b: b.replace(b"</sheetData>", b"</sheetData>" + junk, 1)
                   if n == "xl/worksheets/sheet1.xml" else b)


def shared_strings_bomb(base: bytes, megabytes: int = 45) -> bytes:
    """``base`` with a shared-strings part of millions of short strings nobody uses (84 s
    before the shared strings were counted)."""
    junk = _junk(lambda n: b"<si><t>%x</t></si>" % (n % 256), megabytes)
    sst = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats'
           b'.org/spreadsheetml/2006/main">' + junk + b"</sst>")
    return rewrite(base, lambda n, b: b.replace(b"</Types>", _SST + b"</Types>", 1)
                   if n == "[Content_Types].xml" else b, extra={"xl/sharedStrings.xml": sst})


def review_bombs(base: bytes) -> dict[str, bytes]:
    """What a hostile department could send the bureau's review, made from the workbook
    ``base`` (our export) on the fly."""
    return {"unknown-element-bomb": unknown_element_bomb(base),
            "shared-strings-bomb": shared_strings_bomb(base)}


def output_clashes(folder: Path, source: Path, suffix: str = "") -> dict[str, Path]:
    """Outputs that must never be written for the input ``source``: the input itself by
    another spelling, a symbolic and a hard link to it, a FIFO, a folder and a link to
    ``/dev/null`` (a link, so that a writer that follows it cannot harm the system), the
    last three named with ``suffix`` (a save dialog adds its format's)."""
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / f"link-{source.name}"
    if not link.is_symlink():
        link.symlink_to(source.resolve())
    hard = folder / f"hard-{source.name}"
    if not hard.exists():
        os.link(source, hard)
    fifo = folder / f"out-fifo{suffix}"
    if not fifo.exists():
        os.mkfifo(fifo)
    null = folder / f"null-link{suffix}"
    if not null.is_symlink():
        null.symlink_to("/dev/null")
    (folder / f"out-folder{suffix}").mkdir(exist_ok=True)
    return {"same-path": source, "dotted-path": source.parent / "." / source.name,
            "symlink": link, "hard-link": hard, "fifo": fifo, "folder": folder / f"out-folder{suffix}",
            "dev-null": null}


def hostile_integers() -> dict[str, object]:
    """What an integer field (a year) may hold that ``int()`` reads wrongly or chokes on."""
    return {"circled": "①", "superscript": "²", "full-width": "２０２４", "arabic-indic": "٢٠٢٤",
            "devanagari": "२०२४", "5000-digits": "9" * 5000, "decimal": "2024.5",
            "exponent": "2e3", "spaced-inside": "20 24", "bool": True, "list": [2024],
            "object": {"y": 2024}, "float": 2024.5, "empty": " ", "huge-int": 10 ** 5000}


def hostile_folder(folder: Path) -> dict[str, Path]:
    """A folder of submissions with what a review must name, not trip on: a symbolic-link
    loop, a dangling link, a FIFO, a path too long and a name with a terminal escape."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sub").mkdir(exist_ok=True)
    loop = folder / "sub" / "loop"
    if not loop.is_symlink():
        loop.symlink_to("..")
    dangling = folder / "dangling.xlsx"
    if not dangling.is_symlink():
        dangling.symlink_to(folder / "no-such-file.xlsx")
    fifo = folder / "pipe.xlsx"
    if not fifo.exists():
        os.mkfifo(fifo)
    escape = folder / "esc\x1b[2Jcleared\x07.xlsx"
    escape.write_bytes(b"not a workbook")
    return {"loop": loop, "dangling": dangling, "fifo": fifo, "escape": escape,
            "too-long": folder / ("长" * 200 + ".xlsx")}


def wrong_json_values() -> dict[str, object]:
    """A value of every JSON type (and the shapes that broke readers before: a list where a
    word is expected is unhashable), to put where a reader expects something else."""
    return {"null": None, "true": True, "zero": 0, "big-int": 10 ** 30, "decimal": 1.5,
            "negative": -7, "empty-text": "", "text": "zero", "digits-text": "①",
            "list": ["zero"], "empty-list": [], "nested-list": [["a"]], "object": {"a": 1},
            "empty-object": {}, "list-of-objects": [{"type": "ratio"}]}


# Every field name the package and system readers look up (forms/package.py, system.py,
# custom_block.py and the rule kinds' parameters): absent fields are tried as well.
READ_FIELDS = ("actual", "adjusted", "bands", "budget", "by_nature", "by_source", "cap",
               "carried_over", "carryover", "checked", "children", "code", "coefficient",
               "count", "criteria", "custom", "date", "department", "deviation", "direction",
               "divisions", "executed", "explain_below", "finance_head", "format", "functions",
               "goals", "grade", "grades", "head", "id", "indicators", "initial", "items",
               "jurisdiction", "label", "level", "levels", "max", "max_inclusive", "min",
               "min_inclusive", "name", "narrative", "not_applicable", "option", "options",
               "origin", "overshoot", "phone", "points", "preparer", "projects", "reason",
               "refused", "result", "review", "rule", "score", "source", "standard", "step",
               "system", "target", "tasks", "total", "type", "unit", "values", "version",
               "weight", "year")


def json_paths(value: object, path: tuple[object, ...] = (),
               absent: tuple[str, ...] = ()) -> list[tuple[object, ...]]:
    """Every place in a JSON document (object keys and list indexes), parents first, and
    in every object each name of ``absent`` that it does not hold."""
    out: list[tuple[object, ...]] = [path] if path else []
    if isinstance(value, dict):
        out += [(*path, key) for key in absent if key not in value]
        for key, item in value.items():
            out += json_paths(item, (*path, key), absent)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += json_paths(item, (*path, i), absent)
    return out


def replaced(document: object, path: tuple[object, ...], value: object) -> object:
    """A deep copy of ``document`` with the place ``path`` holding ``value``."""
    import copy

    out = copy.deepcopy(document)
    here = out
    for step in path[:-1]:
        here = here[step]  # type: ignore[index]
    here[path[-1]] = value  # type: ignore[index]
    return out


def long_names() -> dict[str, str]:
    """Department names past what a format holds: Word's core title takes 255 characters, a
    PDF table row must fit on one page."""
    return {"cjk-2000": "长" * 2000, "latin-word-2000": "A" * 2000, "spaced-3000": "很长 " * 600,
            "title-238": "某" * 238, "mixed-5000": ("部门Department" * 400)[:5000]}


def tiny_weight_leaves(count: int, achieved: str) -> tuple[dict, dict]:
    """(system, values): a 99-point leaf at full marks beside ``count`` leaves of 0.01 points
    (and one leaf for the rest of the 100) at ``achieved`` percent of their target 100."""
    from decimal import Decimal

    rest = Decimal(1) - Decimal("0.01") * count
    leaves = [{"id": "big", "name": "大项", "weight": 99, "target": 100, "rule": {"type": "ratio"}}]
    leaves += [{"id": f"t{i}", "name": f"小项{i}", "weight": "0.01", "target": 100,
                "rule": {"type": "ratio"}} for i in range(count)]
    if rest:
        leaves.append({"id": "rest", "name": "其余", "weight": str(rest), "target": 100,
                       "rule": {"type": "ratio"}})
    system = {"name": "微小分值", "indicators": [{"name": "一级", "weight": 100, "children": [
        {"name": "二级", "weight": 100, "children": leaves}]}]}
    values = {"big": {"actual": "100"}, "rest": {"actual": "100"}}
    values.update({f"t{i}": {"actual": achieved} for i in range(count)})
    return system, values


def floorless_grades() -> dict[str, list[dict]]:
    """Grade lists whose lowest 下限 is above 0: a low total reaches none of them."""
    return {"one-grade": [{"min": 95, "grade": "优"}],
            "two-grades": [{"min": 95, "grade": "优"}, {"min": 93, "grade": "良"}],
            "no-差": [{"min": 95, "grade": "优"}, {"min": 94, "grade": "良"}, {"min": 93, "grade": "中"}]}
