"""`selfeval systems`, `system-check`, `system-import`, `new --system FILE`."""

from __future__ import annotations

import json

from desktop.cli import main
from forms.catalog import read_system_path
from forms.package import load_package
from forms.system_edit import SystemDraft
from test_system_workbook import NOTICE_ROWS, notice_workbook


def test_systems_lists_shipped_and_user(capsys):
    draft = SystemDraft()
    draft.set_header("name", "我的体系")
    draft.save_user()
    assert main(["systems"]) == 0
    out = capsys.readouterr().out
    assert "sichuan-dazhou\t[内置] 四川省达州市部门整体支出绩效评价指标体系" in out
    assert "user-1\t[用户] 我的体系" in out


def test_system_check_ok_and_every_problem_listed(tmp_path, capsys):
    good = tmp_path / "good.xlsx"
    good.write_bytes(notice_workbook())
    out = tmp_path / "体系.json"
    assert main(["system-import", str(good), "-o", str(out)]) == 0
    assert main(["system-check", str(out)]) == 0
    assert "检查通过（3 个一级指标，8 个三级指标，总分 100）" in capsys.readouterr().out

    raw = json.loads(out.read_text("utf-8"))
    raw["indicators"][0]["weight"] = 21
    raw["indicators"][1]["children"][0]["children"][0]["rule"] = {"type": "ratio"}
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    assert main(["system-check", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "有 2 处问题" in err
    assert "「部门决策」分值 21 与下级指标分值之和 20 不一致" in err
    assert "一级指标分值之和为 101，应为 100" in err
    assert "比率规则需要指标值" not in err  # 预算执行率 carries 指标值 100 from the table

    assert main(["system-check", str(tmp_path / "missing.json")]) == 2
    assert "找不到文件" in capsys.readouterr().err


def test_system_import_reports_rows_and_refuses_bad_files(tmp_path, capsys):
    rows = [list(r) for r in NOTICE_ROWS]
    rows[1][5] = 4
    book = tmp_path / "通知附件.xlsx"
    book.write_bytes(notice_workbook([tuple(r) for r in rows]))
    out = tmp_path / "out.json"
    assert main(["system-import", str(book), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "第 3 行：「部门决策 › 目标设定」分值 10 与下级指标分值之和 9 不一致" in err
    assert "有 1 处需核对" in err
    system, problems = read_system_path(out)  # written, to be finished in the editor
    assert system.name == "通知附件" and len(problems) == 1

    notxlsx = tmp_path / "x.xlsx"
    notxlsx.write_text("hello")
    assert main(["system-import", str(notxlsx), "-o", str(out)]) == 2
    assert "不是 Excel 工作簿" in capsys.readouterr().err


def test_new_accepts_a_system_file(tmp_path, capsys):
    book = tmp_path / "t.xlsx"
    book.write_bytes(notice_workbook())
    system_file = tmp_path / "体系.json"
    assert main(["system-import", str(book), "-o", str(system_file)]) == 0
    pkg = tmp_path / "new.json"
    assert main(["new", "--system", str(system_file), "--department", "某局", "--year", "2024",
                 "-o", str(pkg)]) == 0
    ev = load_package(pkg)
    assert ev.department.name == "某局" and len(list(ev.system.leaves())) == 8

    raw = json.loads(system_file.read_text("utf-8"))
    raw["indicators"][0]["weight"] = 5
    system_file.write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    assert main(["new", "--system", str(system_file), "--department", "某局", "--year", "2024",
                 "-o", str(pkg)]) == 2
    assert "有误，不能使用" in capsys.readouterr().err


def test_system_import_keeps_a_weight_typed_as_text(tmp_path, capsys):
    rows = [list(r) for r in NOTICE_ROWS]
    rows[1][5] = "待定"
    book = tmp_path / "通知附件.xlsx"
    book.write_bytes(notice_workbook([tuple(r) for r in rows]))
    out = tmp_path / "out.json"
    assert main(["system-import", str(book), "-o", str(out)]) == 0
    raw = json.loads(out.read_text("utf-8"))
    weights = [leaf["weight"] for top in raw["indicators"] for mid in top["children"]
               for leaf in mid["children"]]
    assert "待定" in weights  # written as the notice said, for the clerk to fix in the editor
    _, problems = read_system_path(out)
    assert any("待定" in p.message for p in problems)
