"""A folder of submissions as a finance bureau receives them, built from the test packages.

``build_folder(path)`` writes:

- ``白云/投资促进局.xlsx``  — baiyun-2023 exported, untouched (90.99, 优, no flags)
- ``白云/改过的.xlsx``      — the same package under another name, exported, then in Excel
  the visible 总分 typed over (95) and 合计 全年执行数 changed (11894.15 → 13000)
- ``问题单位.xlsx``          — baiyun with the explanations removed and the fund-source
  rows no longer adding up: low execution unexplained, budget sum, leaves without deviation
- ``穗港.xlsx`` and ``穗港-再次.json`` — the suigang sample (another system), twice
- ``损坏.xlsx`` (a cut-off workbook), ``通讯录.xlsx`` (somebody else's workbook),
  ``加密.xlsx`` (password-protected), ``说明.pdf`` (another format)
"""

from __future__ import annotations

import copy
import json
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from exports.excel import SHEET_FORM, workbook_bytes
from forms.package import package_from_dict

ROOT = Path(__file__).resolve().parent.parent
BAIYUN = ROOT / "tests" / "data" / "baiyun-2023.json"
SUIGANG = ROOT / "forms" / "samples" / "suigang-2022.json"

EDITED_NAME = "白云区改过的单位"
PROBLEM_NAME = "白云区问题单位"
BAIYUN_NAME = "广州市白云区投资促进局"
SUIGANG_NAME = "广州开发区穗港科技合作园管理委员会"


def baiyun_raw() -> dict[str, Any]:
    raw: dict[str, Any] = json.loads(BAIYUN.read_text(encoding="utf-8"))
    return raw


def export(raw: dict[str, Any]) -> bytes:
    return workbook_bytes(package_from_dict(copy.deepcopy(raw)))


def find_row(ws: Any, label: str, column: int = 1) -> int:
    for row in range(1, ws.max_row + 1):
        if ws.cell(row, column).value == label:
            return row
    raise LookupError(label)


def edit_visible(data: bytes, edits: dict[str, Any]) -> bytes:
    """What a clerk does in Excel after export: type over cells of the form sheet."""
    wb = load_workbook(BytesIO(data))
    ws = wb[SHEET_FORM]
    for coord, value in edits.items():
        ws[coord] = value
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def edited_workbook() -> tuple[bytes, dict[str, str]]:
    """The edited submission and the cells changed: {"total": coord, "executed": coord}."""
    raw = baiyun_raw()
    raw["department"]["name"] = EDITED_NAME
    data = export(raw)
    ws = load_workbook(BytesIO(data))[SHEET_FORM]
    total_row = find_row(ws, "总分")
    executed_row = find_row(ws, "合计", 2)
    coords = {"total": f"G{total_row}", "executed": f"F{executed_row}"}
    return edit_visible(data, {coords["total"]: 95, coords["executed"]: 13000}), coords


def problem_raw() -> dict[str, Any]:
    raw = baiyun_raw()
    raw["department"]["name"] = PROBLEM_NAME
    raw["goals"]["unmet_reason"] = ""
    for value in raw["values"].values():
        value.pop("deviation", None)
    raw["budget"]["by_source"]["general"]["executed"] = "1600.00"  # 24.80 short of 合计
    return raw


def foreign_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "通讯录"
    ws.append(["姓名", "电话"])
    ws.append(["张三", "020-12345678"])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def build_folder(folder: Path) -> dict[str, Path]:
    """Write the folder; returns the files by a short name."""
    (folder / "白云").mkdir(parents=True, exist_ok=True)
    files = {
        "clean": folder / "白云" / "投资促进局.xlsx",
        "edited": folder / "白云" / "改过的.xlsx",
        "problem": folder / "问题单位.xlsx",
        "other": folder / "穗港.xlsx",
        "duplicate": folder / "穗港-再次.json",
        "damaged": folder / "损坏.xlsx",
        "foreign": folder / "通讯录.xlsx",
        "encrypted": folder / "加密.xlsx",
        "pdf": folder / "说明.pdf",
    }
    clean = export(baiyun_raw())
    files["clean"].write_bytes(clean)
    files["edited"].write_bytes(edited_workbook()[0])
    files["problem"].write_bytes(export(problem_raw()))
    files["other"].write_bytes(export(json.loads(SUIGANG.read_text(encoding="utf-8"))))
    files["duplicate"].write_bytes(SUIGANG.read_bytes())
    files["damaged"].write_bytes(clean[: len(clean) // 2])
    files["foreign"].write_bytes(foreign_workbook())
    files["pdf"].write_bytes(b"%PDF-1.4\n%%EOF\n")
    # what Excel writes for a workbook with an opening password: an OLE2 container
    files["encrypted"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4088))
    (folder / "~$投资促进局.xlsx").write_bytes(b"lock")  # Excel's lock file: not listed
    return files


def dies_on_broken(path: str, reference: Any) -> Any:
    """A reader whose process dies on files named 崩溃…: what a crash in a parser looks like."""
    import os

    from exports.review_read import review_one

    if Path(path).name.startswith("崩溃"):
        os._exit(3)
    return review_one(path, reference)
