"""A system as a notice-like Excel indicator table, and reading it back."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from exports.system_table import system_table_bytes
from exports.system_workbook import import_system_bytes
from forms.catalog import read_system_path, shipped_systems


@pytest.mark.parametrize("entry", shipped_systems(), ids=lambda e: e.id)
def test_table_reads_back_into_the_same_tree(entry):
    system, _ = read_system_path(entry.path)
    back, problems = import_system_bytes(system_table_bytes(system), name=system.name)
    assert problems == []
    assert [(g.name, g.weight, [(m.name, m.weight) for m in g.children])
            for g in back.indicators] == \
        [(g.name, g.weight, [(m.name, m.weight) for m in g.children]) for g in system.indicators]
    pairs = list(zip(back.leaves(), system.leaves()))
    assert len(pairs) == len(list(system.leaves()))
    for new, old in pairs:
        assert (new.name, new.weight, new.criteria, new.target, new.unit) == \
            (old.name, old.weight, old.criteria, old.target, old.unit)
        # a rule read from the criteria text is the system's own kind, marked 请核对;
        # what is not read stays 直接评分 (the system file keeps the rules)
        assert new.rule.type in ("manual", old.rule.type), (new.name, new.review)
        assert bool(new.review) == (new.rule.type != "manual")
    read = sum(1 for new, _ in pairs if new.review)
    print(f"{entry.id}: {read}/{len(pairs)} rules read back from the criteria")
    assert read >= len(pairs) // 2


def test_table_cells_as_a_notice_prints_them():
    system, _ = read_system_path(next(e.path for e in shipped_systems()
                                      if e.id == "sichuan-dazhou"))
    ws = load_workbook(io.BytesIO(system_table_bytes(system))).active
    assert ws["A1"].value == system.name
    assert [c.value for c in ws[2]] == ["一级指标", "分值", "二级指标", "分值", "三级指标", "分值",
                                        "指标值", "计量单位", "评分标准", "评分规则"]
    assert ws["A3"].value == "部门决策" and ws["B3"].value == 25
    assert "A3:A7" in {str(r) for r in ws.merged_cells.ranges}  # 部门决策 spans its 5 leaves
    assert ws["J3"].value == "逐项计分"
    last = ws.max_row
    assert ws.cell(row=last, column=1).value == "合计" and ws.cell(row=last, column=2).value == 100
