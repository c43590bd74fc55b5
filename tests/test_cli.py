"""The selfeval command: score, systems, new — exit codes and clear one-line messages."""

import json
import subprocess
import sys

import pytest

from conftest import SAMPLE
from desktop.cli import main

SELFEVAL = [sys.executable, "-m", "desktop.cli"]


def run(*args, **kw):
    return subprocess.run([*SELFEVAL, *map(str, args)], capture_output=True, text=True,
                          encoding="utf-8", timeout=60, **kw)


def test_score_prints_total_grade_and_no_issues():
    proc = run("score", SAMPLE)
    assert proc.returncode == 0, proc.stderr
    assert "自评得分：92.58 分" in proc.stdout
    assert "等级：优" in proc.stdout
    assert "完成度：12/12" in proc.stdout
    assert "问题：无" in proc.stdout


def test_score_json_is_the_package_format(capsys):
    assert main(["score", str(SAMPLE), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["total"] == "92.58" and out["grade"] == "优" and out["complete"] is True
    assert out["issues"] == []
    assert out["budget"]["execution_rate"] == "95.76"
    assert out["budget"]["carryover_rate"] == "0.00"
    leaf = next(i for i in out["indicators"] if i["id"] == "exec_rate")
    assert leaf == {"id": "exec_rate", "name": "预算执行率", "weight": "10", "actual": "95.76",
                    "score": "9.58", "status": "scored"}
    assert list(out) == ["total", "grade", "complete", "budget", "indicators", "issues"]


def test_score_with_warnings_still_exits_0(tmp_path, capsys):
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["values"]["procurement"] = {"actual": "60"}
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["score", str(path)]) == 0
    out = capsys.readouterr().out
    assert "自评得分：90.58 分" in out and "[提醒] 政府采购执行率得分 3.00" in out


BAD = {
    "not_json.json": b"{not json",
    "wrong_format.json": json.dumps({"format": "other", "version": 1}).encode(),
    "higher_version.json": json.dumps({"format": "selfeval-package", "version": 9}).encode(),
    "bad_number.json": SAMPLE.read_bytes().replace(b'"1104.37"', b'"12x"', 1),
    "nan.json": SAMPLE.read_bytes().replace(b'"1104.37"', b'NaN', 1),
    "bad_system.json": SAMPLE.read_bytes().replace(b'"weight": 60', b'"weight": 61', 1),
    "binary.json": bytes(range(256)) * 10,
    "empty.json": b"",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_unusable_packages_exit_2_with_one_clear_line(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(BAD[name])
    proc = run("score", path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert lines[0].startswith("selfeval：") and name in lines[0]


def test_bad_number_message_names_the_path(tmp_path, capsys):
    path = tmp_path / "p.json"
    path.write_bytes(BAD["bad_number.json"])
    assert main(["score", str(path)]) == 2
    err = capsys.readouterr().err
    assert 'budget.total.executed: “12x”不是数字' in err


def test_missing_file_and_folder(tmp_path, capsys):
    assert main(["score", str(tmp_path / "nope.json")]) == 2
    assert "找不到文件" in capsys.readouterr().err
    assert main(["score", str(tmp_path)]) == 2
    assert "文件夹" in capsys.readouterr().err


def test_bad_arguments_exit_2_in_chinese(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["score"])
    assert caught.value.code == 2
    assert "参数有误" in capsys.readouterr().err


def test_systems_lists_the_shipped_systems(capsys):
    assert main(["systems"]) == 0
    out = capsys.readouterr().out
    assert "guangzhou-example\t[内置] 示例：广州市区级部门整体支出绩效自评指标体系（非官方）" in out
    assert "sichuan-dazhou" in out and "national-common" in out


def test_new_writes_an_empty_package_that_scores(tmp_path, capsys):
    out = tmp_path / "new.json"
    assert main(["new", "--system", "sichuan-dazhou", "--department", "某某区财政局",
                 "--year", "2024", "-o", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["department"] == {**data["department"], "name": "某某区财政局", "year": 2024}
    assert data["system"]["name"].startswith("四川省达州市")
    capsys.readouterr()
    assert main(["score", str(out), "--json"]) == 0
    scored = json.loads(capsys.readouterr().out)
    assert scored["total"] == "0.00" and scored["complete"] is False
    assert all(i["status"] == "missing" for i in scored["indicators"])


def test_new_refuses_an_unknown_system_and_an_unwritable_target(tmp_path, capsys):
    assert main(["new", "--system", "nope", "--department", "x", "--year", "2024",
                 "-o", str(tmp_path / "a.json")]) == 2
    assert "没有编号为“nope”的指标体系" in capsys.readouterr().err
    assert main(["new", "--system", "sichuan-dazhou", "--department", "x", "--year", "2024",
                 "-o", str(tmp_path / "no" / "such" / "dir.json")]) == 2
    assert "无法写入" in capsys.readouterr().err


def test_score_does_not_import_heavy_libraries():
    code = (f"import sys; from desktop.cli import main; main(['score', r'{SAMPLE}']); "
            "heavy = [m for m in ('PySide6', 'openpyxl', 'reportlab', 'sqlite_utils') if m in sys.modules]; "
            "print('HEAVY', heavy)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          encoding="utf-8", timeout=60)
    assert "HEAVY []" in proc.stdout, proc.stdout + proc.stderr


def test_export_warns_about_characters_no_font_can_print(tmp_path, capsys):
    data = json.loads(SAMPLE.read_text(encoding="utf-8"))
    data["narrative"]["problems"] = "个别单据用字生僻：𠮷。"
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert main(["export", str(path), "--pdf", str(tmp_path / "r.pdf")]) == 0
    err = capsys.readouterr().err
    assert "𠮷" in err and "〓" in err
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
