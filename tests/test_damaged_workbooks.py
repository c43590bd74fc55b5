"""A workbook damaged inside (its zip intact, a part broken) is refused with one clear
Chinese message by both readers, through one place: ``xlsx_guard.reading_workbook``."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

import pytest

from desktop.cli import main
from exports.excel import workbook_bytes
from exports.system_workbook import SystemImportError, import_system_bytes
from exports.workbook_import import WorkbookImportError, read_workbook_bytes
from exports.xlsx_guard import (DAMAGED, SpreadsheetDamaged, SpreadsheetRefused, check_xlsx,
                                reading_workbook)
from tests.test_system_workbook import notice_workbook


def _damage(data: bytes, name: str, change: Callable[[bytes], bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            dst.writestr(info, change(body) if info.filename == name else body)
    return out.getvalue()


# each breaks openpyxl in its own way (XML, a missing relation, a wrong attribute type,
# a style that is not there), none is caught by the zip and size check before it
DAMAGES = {
    "workbook XML cut off": ("xl/workbook.xml", lambda body: body[:len(body) // 2]),
    "styles not XML": ("xl/styles.xml", lambda body: b"\x00\x01 not xml"),
    "sheet relation missing": ("xl/_rels/workbook.xml.rels",
                               lambda body: body.replace(b'Id="rId1"', b'Id="rId9"')),
    "sheet id not a number": ("xl/workbook.xml",
                              lambda body: body.replace(b'sheetId="1"', b'sheetId="x"')),
}


@pytest.mark.parametrize("name", DAMAGES)
def test_a_damaged_indicator_table_is_refused_in_chinese(name):
    part, change = DAMAGES[name]
    data = _damage(notice_workbook(), part, change)
    check_xlsx(data)  # the damage is inside: only openpyxl meets it
    with pytest.raises(SystemImportError) as caught:
        import_system_bytes(data)
    assert str(caught.value) == "工作簿已损坏或不是有效的 .xlsx 文件，无法读取"


@pytest.mark.parametrize("name", DAMAGES)
def test_a_damaged_exported_workbook_is_refused_in_chinese(name, sample):
    part, change = DAMAGES[name]
    data = _damage(workbook_bytes(sample), part, change)
    with pytest.raises(WorkbookImportError) as caught:
        read_workbook_bytes(data)
    assert str(caught.value) == DAMAGED


def test_system_import_of_a_damaged_table_says_so_in_one_line(tmp_path, capsys):
    source = tmp_path / "指标表.xlsx"
    source.write_bytes(_damage(notice_workbook(), *DAMAGES["styles not XML"]))
    assert main(["system-import", str(source), "-o", str(tmp_path / "out.json")]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines() == ["selfeval：指标表.xlsx：工作簿已损坏或不是有效的 .xlsx 文件，无法读取"]
    assert not re.search(r"Traceback|Error\b", err)


def test_reading_workbook_turns_damage_into_one_type_and_hides_no_defect():
    class Ours(ValueError):
        pass

    for damage in (SyntaxError("xml"), KeyError("rId1"), TypeError("expected int"),
                   OSError("no workbook part"), zipfile.BadZipFile("bad CRC")):
        with pytest.raises(SpreadsheetDamaged, match="已损坏"), reading_workbook():
            raise damage
    with pytest.raises(SpreadsheetRefused, match="过大"), reading_workbook():
        raise MemoryError
    # the caller's own refusal (a ValueError) passes unchanged
    with pytest.raises(Ours), reading_workbook(Ours):
        raise Ours("不是本程序导出的自评表")
    # a defect is not passed off as a damaged file
    with pytest.raises(AttributeError), reading_workbook():
        raise AttributeError("a defect")
