"""Every spreadsheet is checked from its zip directory and XML text before openpyxl sees it.

openpyxl builds an object for every cell a sheet declares and for every cell of a
merged range: one ``<mergeCell ref="A1:XFD1048576"/>`` in a 1.7 KB file costs
gigabytes.  ``check_xlsx`` looks at the zip's directory (size, members, ratio)
and then streams each worksheet's XML once, in chunks, for the row and column of
every cell and the area of every merged range, refusing what no table of ours has.
A file that passes can still be damaged inside (broken XML, a missing part):
``reading_workbook`` turns what openpyxl then raises into one ``SpreadsheetDamaged``.
"""

from __future__ import annotations

import lzma
import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1 << 20

# '<' never occurs inside an XML attribute value, so "[^<]*?" cannot skip into the next tag.
_CELL = re.compile(rb"<(?:\w+:)?c\s[^<]*?\br=\"([A-Z]{1,3})(\d{1,7})\"")
_ROW = re.compile(rb"<(?:\w+:)?row\s[^<]*?\br=\"(\d{1,7})\"")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_SHARED_STRING = re.compile(rb"<(?:\w+:)?si[\s>/]")
_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s[^<]*?\bref=\"([A-Z]{1,3})(\d{1,7})(?::([A-Z]{1,3})(\d{1,7}))?\"")


class SpreadsheetRefused(ValueError):
    """A spreadsheet refused before parsing; ``str()`` says why, in Chinese."""


class SpreadsheetDamaged(SpreadsheetRefused):
    """openpyxl could not read a spreadsheet the check let through: it is damaged inside."""


DAMAGED = "文件已损坏或不是有效的 Excel 工作簿，无法读取"
TOO_BIG = "文件内容过大，无法读取"

# What openpyxl raises for a damaged or foreign workbook (found by damaging ours part by
# part): broken XML (lxml's and ElementTree's errors are SyntaxErrors), an attribute of the
# wrong type or value (TypeError, ValueError), a missing part, relation or style (OSError,
# KeyError, IndexError), a number too large (OverflowError), a member it cannot unpack.
_OPENPYXL_DAMAGE = (SyntaxError, TypeError, ValueError, LookupError, ArithmeticError, OSError,
                    EOFError, zipfile.BadZipFile, zlib.error, lzma.LZMAError)
# What zipfile raises past BadZipFile for a damaged file: a compressed stream that cannot
# be unpacked (zlib, lzma; bz2's is an OSError) or ends early (EOFError), an offset pointing
# before the file's start or a member's name marked UTF-8 that is not (ValueError).
_ZIP_DAMAGE = (zlib.error, lzma.LZMAError, EOFError, OSError, ValueError)


@contextmanager
def reading_workbook(*ours: type[Exception]) -> Iterator[None]:
    """Around openpyxl reading a checked file: its failures become one ``SpreadsheetDamaged``
    (memory running out, a ``SpreadsheetRefused``); ``ours``, the caller's own refusals
    raised inside, pass unchanged. Anything else is a defect and is not hidden."""
    passing: tuple[type[Exception], ...] = (SpreadsheetRefused, *ours)
    try:
        yield
    except passing:
        raise
    except MemoryError:
        raise SpreadsheetRefused(TOO_BIG) from None
    except _OPENPYXL_DAMAGE:
        raise SpreadsheetDamaged(DAMAGED) from None


@dataclass(frozen=True)
class Limits:
    """What one kind of import accepts; the defaults are generous for any table of ours."""

    file_bytes: int = 20 * 1024 * 1024
    unpacked_bytes: int = 50 * 1024 * 1024
    members: int = 2000
    ratio: int = 200  # uncompressed / compressed per large member; plain XML compresses 10–30×
    rows: int = 100_000
    columns: int = 16_384
    merged_cells: int = 1_000_000  # cells inside merged ranges, summed over a sheet
    merged_ranges: int = 20_000
    # XML tags ('<') over all parts: openpyxl keeps every element it does not handle (~110 MB
    # and 4 s for 780,000); ours have about 82,000 for 1,000 indicators
    tags: int = 500_000
    # shared strings, each an object openpyxl builds (~25 µs): ours have a few thousand
    shared_strings: int = 50_000


def column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number


@dataclass(frozen=True)
class Facts:
    """What the check saw on its way, so nobody reads the sheets again for it."""

    formulas: bool  # some sheet has a formula cell


def check_xlsx(data: bytes, limits: Limits = Limits()) -> Facts:
    """Raise ``SpreadsheetRefused`` unless ``data`` is an .xlsx openpyxl can read in bounded
    time and memory."""
    if len(data) > limits.file_bytes:
        raise SpreadsheetRefused(f"文件过大（超过 {limits.file_bytes // (1024 * 1024)} MB），拒绝读取")
    if data.startswith(OLE2_MAGIC):
        raise SpreadsheetRefused("该文件设有打开密码（已加密）或是旧版 .xls/WPS 格式，无法读取。"
                                 "请在 Excel 或 WPS 中取消密码，另存为 .xlsx 后再导入")
    if not data.startswith(b"PK"):
        raise SpreadsheetRefused("不是 Excel（.xlsx）文件")
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > limits.members:
                raise SpreadsheetRefused("文件内部结构异常（包含的部件过多），拒绝读取")
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > 1024 * 1024 and info.file_size > limits.ratio * max(1, info.compress_size):
                    raise SpreadsheetRefused("文件解压后异常庞大（疑似压缩炸弹），拒绝读取")
            if total > limits.unpacked_bytes:
                raise SpreadsheetRefused(f"文件解压后超过 {limits.unpacked_bytes // (1024 * 1024)} MB，"
                                         "不像一张表格，拒绝读取")
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names:
                raise SpreadsheetRefused("不是 Excel（.xlsx）工作簿：缺少工作簿内容")
            _check_parts(zf, infos, limits)
            formulas = False
            for info in infos:  # reading a member checks its CRC too
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    formulas = _check_sheet(zf, info, limits) or formulas
            return Facts(formulas)
    except SpreadsheetRefused:
        raise
    except zipfile.BadZipFile:
        raise SpreadsheetRefused("文件已损坏（不是完整的 .xlsx 压缩包），无法读取") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError):
        # RuntimeError: a member encrypted with a zip password
        raise SpreadsheetRefused("文件使用了不支持的压缩或加密方式，无法读取") from None
    except _ZIP_DAMAGE:
        raise SpreadsheetRefused("文件已损坏（压缩数据无法解开），无法读取") from None


def _xml_chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's XML in chunks of about a megabyte, each cut before a '<', so no tag is
    split between two chunks."""
    tail = b""
    with zf.open(info) as stream:
        while True:
            chunk = stream.read(_CHUNK)
            text = tail + chunk
            if not chunk:
                yield text
                return
            cut = text.rfind(b"<")  # a tag cut by the chunk boundary is read with the next
            text, tail = (text[:cut], text[cut:]) if cut > 0 else (text, b"")
            if len(tail) > _CHUNK:  # one tag longer than a megabyte is no spreadsheet
                raise SpreadsheetRefused("工作表的内容异常，拒绝读取")
            yield text


def _check_parts(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Count the tags of every XML part and the shared strings, stopping at the budget: what
    openpyxl would build an object for, whatever the part or the element is called."""
    tags = strings = 0
    for info in infos:
        if not info.filename.lower().endswith((".xml", ".rels", ".vml")):
            continue
        for text in _xml_chunks(zf, info):
            tags += text.count(b"<")
            strings += len(_SHARED_STRING.findall(text))
            if tags > limits.tags:
                raise SpreadsheetRefused(f"文件内部的元素异常之多（超过 {limits.tags:,} 个），"
                                         "不像一张表格，拒绝读取")
            if strings > limits.shared_strings:
                raise SpreadsheetRefused(f"文件中的共享字符串异常之多（超过 "
                                         f"{limits.shared_strings:,} 个），不像一张表格，拒绝读取")


def _check_sheet(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limits: Limits) -> bool:
    """One streaming pass over a worksheet's XML (at most its declared size is read);
    True when it has a formula."""
    formulas = False
    merged = 0
    ranges = 0
    for text in _xml_chunks(zf, info):
        formulas = formulas or _FORMULA.search(text) is not None
        for match in _ROW.finditer(text):
            _check_row(int(match.group(1)), limits)
        for match in _CELL.finditer(text):
            _check_row(int(match.group(2)), limits)
            if column_number(match.group(1)) > limits.columns:
                raise SpreadsheetRefused(f"工作表的范围异常（有单元格 "
                                         f"{match.group(1).decode()}{match.group(2).decode()}），"
                                         "不像一张表格，拒绝读取")
        for match in _MERGE.finditer(text):
            ranges += 1
            c1, r1 = column_number(match.group(1)), int(match.group(2))
            c2 = column_number(match.group(3)) if match.group(3) else c1
            r2 = int(match.group(4)) if match.group(4) else r1
            merged += (abs(c2 - c1) + 1) * (abs(r2 - r1) + 1)
            if merged > limits.merged_cells or ranges > limits.merged_ranges:
                raise SpreadsheetRefused("工作表的合并单元格范围异常庞大"
                                         f"（如 {match.group(0).split(b'ref=')[-1].decode()}），"
                                         "拒绝读取")
    return formulas


def _check_row(row: int, limits: Limits) -> None:
    if row > limits.rows:
        raise SpreadsheetRefused(f"工作表的范围异常（有第 {row} 行，超过 {limits.rows} 行），"
                                 "不像一张表格，拒绝读取")
