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

import json
import warnings
from datetime import date, datetime, time
import zipfile
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from typing import Any

from forms.model import Evaluation
from forms.numbers import NumberError, number_or_none, parse_number, plain
from forms.package import PackageError, package_from_dict, parse_json

from .cellmap import DATA_SHEET, FORMAT_VERSION, MARKER, NUMBER, MappedCell

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024  # ours are well under 5 MB even for 1,000 leaves
MAX_MEMBERS = 2000
MAX_RATIO = 200  # compressed → uncompressed, per member (plain XML compresses ~10–30×)
MAX_ROWS = 5000
MAX_COLS = 64
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOT_OURS = "不是本程序导出的自评表（缺少程序数据），无法读回。请导入由本程序“导出 Excel”生成的文件"


class WorkbookImportError(ValueError):
    """A workbook that cannot be read back; ``str()`` says why, in Chinese."""


def read_workbook_path(path: str | Path) -> Evaluation:
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_FILE_BYTES:
            raise WorkbookImportError(f"{p.name} 过大（{size // (1024 * 1024)} MB，超过 20 MB），"
                                      "不是本程序导出的自评表")
        data = p.read_bytes()
    except FileNotFoundError:
        raise WorkbookImportError(f"找不到文件 {p}") from None
    except IsADirectoryError:
        raise WorkbookImportError(f"{p} 是文件夹，不是 Excel 文件") from None
    except PermissionError:
        raise WorkbookImportError(f"没有权限读取 {p}（文件可能正被其他程序打开）") from None
    except OSError as exc:
        raise WorkbookImportError(f"无法读取 {p}：{exc.strerror or exc}") from None
    return read_workbook_bytes(data)


def _check_zip(data: bytes) -> None:
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookImportError("文件过大（超过 20 MB），不是本程序导出的自评表")
    if data.startswith(OLE2_MAGIC):
        raise WorkbookImportError("该文件设有打开密码（已加密）或是旧版 .xls 格式，无法读取。"
                                  "请在 Excel 中取消密码，另存为 .xlsx 后再导入")
    if not data.startswith(b"PK"):
        raise WorkbookImportError("不是 Excel（.xlsx）文件")
    try:
        with zipfile.ZipFile(BytesIO(data)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise WorkbookImportError("文件内部结构异常（包含的部件过多），拒绝读取")
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(1, info.compress_size):
                    raise WorkbookImportError("文件解压后异常庞大（疑似压缩炸弹），拒绝读取")
            if total > MAX_UNPACKED_BYTES:
                raise WorkbookImportError("文件解压后超过 50 MB，不是本程序导出的自评表，拒绝读取")
            names = {i.filename for i in infos}
            if "xl/workbook.xml" not in names:
                raise WorkbookImportError("不是 Excel（.xlsx）工作簿：缺少工作簿内容")
            bad = zf.testzip()
            if bad is not None:
                raise WorkbookImportError(f"文件已损坏（部件 {bad} 校验失败），无法读取")
    except zipfile.BadZipFile:
        raise WorkbookImportError("文件已损坏（不是完整的 .xlsx 压缩包），无法读取") from None
    except (zipfile.LargeZipFile, NotImplementedError, RuntimeError):
        # RuntimeError: a member encrypted with a zip password
        raise WorkbookImportError("文件使用了不支持的压缩或加密方式，无法读取") from None


def _sheet_values(ws: Any, wanted: set[str] | None) -> dict[str, Any]:
    """Cell values by coordinate, reading rows once (read-only mode has no random access)."""
    from openpyxl.utils import get_column_letter

    out: dict[str, Any] = {}
    max_row = ws.max_row or 0
    max_col = ws.max_column or 0
    if max_row > MAX_ROWS * 20 or max_col > 16384:
        raise WorkbookImportError(f"工作表“{ws.title}”的范围异常（{max_row} 行 × {max_col} 列），拒绝读取")
    for r, row in enumerate(ws.iter_rows(max_row=MAX_ROWS, max_col=MAX_COLS, values_only=True),
                            start=1):
        for c, value in enumerate(row, start=1):
            if value is None:
                continue
            coord = f"{get_column_letter(c)}{r}"
            if wanted is None or coord in wanted:
                out[coord] = value
    return out


def _load(data: bytes) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """(data sheet column A by row, visible cells by sheet) from the workbook."""
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # foreign workbooks make openpyxl chatty
            wb = load_workbook(BytesIO(data), read_only=True, data_only=True, keep_links=False)
            try:
                if DATA_SHEET not in wb.sheetnames:
                    raise WorkbookImportError(NOT_OURS)
                raw = _sheet_values(wb[DATA_SHEET], None)
                texts = {k: v for k, v in raw.items() if k.startswith(("A", "B"))}
                cells = _decode_cells(texts)
                wanted: dict[str, set[str]] = {}
                for cell in cells:
                    wanted.setdefault(cell.sheet, set()).add(cell.coord)
                visible: dict[str, dict[str, Any]] = {}
                for sheet, coords in wanted.items():
                    if sheet not in wb.sheetnames:
                        raise WorkbookImportError(f"工作表“{sheet}”被删除或改名，无法读回")
                    visible[sheet] = _sheet_values(wb[sheet], coords)
            finally:
                wb.close()
    except WorkbookImportError:
        raise
    except MemoryError:
        raise WorkbookImportError("文件内容过大，无法读取") from None
    except Exception:  # noqa: BLE001 - any parser failure of a damaged file
        raise WorkbookImportError("文件已损坏或不是有效的 Excel 工作簿，无法读取") from None
    return texts, visible


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


def _get(obj: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        if isinstance(obj, dict) and isinstance(key, str):
            obj = obj.get(key)
        elif isinstance(obj, list) and isinstance(key, int) and 0 <= key < len(obj):
            obj = obj[key]
        else:
            return None
    return obj


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


def _overlay(package: dict[str, Any], cells: list[MappedCell],
             visible: dict[str, dict[str, Any]]) -> None:
    """Take what the clerk changed in the visible cells."""
    from .excel import clean_text  # what the export wrote for a text

    for cell in cells:
        value = visible.get(cell.sheet, {}).get(cell.coord)
        original = _get(package, cell.path)
        where = f"“{cell.sheet}”{cell.coord}（{cell.label}）"
        if cell.kind == NUMBER:
            if isinstance(value, bool) or (value is not None and not isinstance(value, (int, float, str, Decimal))):
                raise WorkbookImportError(f"{where}：不是数字")
            if isinstance(value, str) and value.strip() == "":
                value = None
            try:
                new = None if value is None else parse_number(value, where)
            except NumberError as exc:
                raise WorkbookImportError(str(exc)) from None
            if new is not None and isinstance(value, float):
                new = Decimal(repr(value))
            before = number_or_none(original)
            if new == before or (before is not None and isinstance(value, float)
                                 and abs(float(before) - value) <= 1e-12 * max(1.0, abs(value))):
                continue  # what we wrote (a cell holds ~15 digits): keep the exact original
            _set(package, cell.path, "" if new is None else plain(new))
        else:
            text = "" if value is None else (value if isinstance(value, str) else _cell_text(value))
            before = original if isinstance(original, str) else ("" if original is None else str(original))
            if _lines(text) == _lines(clean_text(before)):
                continue  # unchanged: keep the exact original (control characters, length, \r)
            _set(package, cell.path, text)


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


def read_workbook_bytes(data: bytes) -> Evaluation:
    """An evaluation from the bytes of a workbook this program exported."""
    _check_zip(data)
    texts, visible = _load(data)
    package = _package(texts)
    cells = _decode_cells(texts)
    _overlay(package, cells, visible)
    try:
        return package_from_dict(package)
    except PackageError as exc:
        raise WorkbookImportError(f"自评表中的数据有误：{exc}") from None

