"""Every package that ``selfeval score`` accepts exports to PDF, Word and Excel; fast and stoppable.

The property test generates whole packages — any text (long, control
characters, emoji, lone punctuation), 0–300 tasks, projects and leaves, names
and criteria of 500 characters, rows taller than a page — and exports each in
all three formats.  ``tests/fuzz_budget.py`` scales the number of cases (CI: 200).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import zipfile
from dataclasses import replace
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from fuzz_budget import cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_text import DATA, load

from exports.cancel import ExportCancelled
from exports.docx_report import docx_bytes
from exports.excel import workbook_bytes
from exports.pdf_report import build_report
from forms.package import PackageError, read_package

EXAMPLES = 200

_HANZI = "部门整体支出绩效自评报告预算执行项目完成情况原因分析改进措施我办局委"
_PUNCT = "，。、；：！？（）《》“”‘’【】…—%.,;:!?()-"
chars = st.sampled_from(list(_HANZI + _PUNCT + "ABCxyz0123456789 \n\t\x00\x07😀𠮷\u3000"))
short = st.text(chars, max_size=30)
text = st.one_of(st.text(chars, max_size=200), st.text(chars, min_size=400, max_size=600),
                 st.builds(lambda s, n: s * n, st.text(chars, min_size=1, max_size=8),
                           st.integers(200, 1500)))
amount = st.one_of(st.none(), st.decimals(min_value=Decimal("-1e6"), max_value=Decimal("1e9"),
                                          places=2, allow_nan=False, allow_infinity=False)
                   .map(str))


@st.composite
def packages(draw) -> dict:
    n_leaves = draw(st.one_of(st.integers(0, 12), st.integers(0, 300)))
    leaves = []
    for i in range(n_leaves):
        leaf = {"id": f"l{i}", "name": draw(short) or f"指标{i}", "weight": "0.1",
                "criteria": draw(st.sampled_from(["", "按实际情况评分", "准" * 500])),
                "rule": {"type": "manual"}}
        if draw(st.booleans()):
            leaf.update(unit=draw(st.sampled_from(["%", "个", "人次", ""])), target="100",
                        rule={"type": "ratio", "direction": "higher"})
        leaves.append(leaf)
    leaves.append({"id": "rest", "name": "其他", "weight": str(100 - Decimal("0.1") * n_leaves),
                   "rule": {"type": "manual"}})
    groups, i = [], 0
    while i < len(leaves):
        size = draw(st.integers(1, 40))
        chunk = leaves[i:i + size]
        weight = sum(Decimal(leaf["weight"]) for leaf in chunk)
        groups.append({"name": draw(st.sampled_from(["产出", "效益", "预算执行", "二" * 500])),
                       "weight": str(weight), "children": chunk})
        i += size
    tops, j = [], 0
    while j < len(groups):
        size = draw(st.integers(1, 4))
        chunk = groups[j:j + size]
        tops.append({"name": draw(st.sampled_from(["履职效能", "管理效率", "一" * 500])),
                     "weight": str(sum(Decimal(g["weight"]) for g in chunk)), "children": chunk})
        j += size
    values = {}
    for leaf in leaves:
        kind = draw(st.sampled_from(["none", "value", "na"]))
        if kind == "value":
            key = "actual" if leaf["rule"]["type"] == "ratio" else "score"
            values[leaf["id"]] = {key: draw(st.sampled_from(["0", "0.05", "0.1", "95.5", "712"])),
                                  "deviation": draw(text)}
        elif kind == "na":
            values[leaf["id"]] = {"not_applicable": True, "reason": draw(short)}

    def row():
        return {"initial": draw(amount), "adjusted": draw(amount), "executed": draw(amount)}

    n_items = st.one_of(st.integers(0, 4), st.integers(0, 300))
    return {
        "format": "selfeval-package", "version": 1,
        "department": {"name": draw(short), "year": draw(st.integers(2000, 2100)),
                       "functions": draw(st.lists(text, max_size=5)), "divisions": draw(short),
                       "preparer": draw(short), "phone": draw(short), "date": draw(short)},
        "budget": {"total": draw(st.one_of(st.none(), st.builds(row))) or row(),
                   "by_source": {k: row() for k in draw(st.lists(st.sampled_from(
                       ["general", "fund", "state_capital", "other"]), unique=True))},
                   "by_nature": {k: row() for k in draw(st.lists(st.sampled_from(
                       ["basic", "project"]), unique=True))},
                   "carryover": draw(amount)},
        "goals": {"targets": draw(text), "completion": draw(text), "unmet_reason": draw(short)},
        "tasks": [{"name": draw(short), "target": draw(short), "result": draw(short)}
                  for _ in range(draw(n_items))],
        "projects": [{"name": draw(short), "budget": draw(amount), "executed": draw(amount),
                      "result": draw(short)} for _ in range(draw(n_items))],
        "system": {"name": "生成的指标体系", "indicators": tops,
                   "report_outline": draw(st.sampled_from(["default", "2021", "nonsense"]))},
        "values": values,
        "narrative": {k: draw(text) for k in ("conclusion", "task_analysis", "achievements",
                                              "performance_management", "problems", "measures")},
        "report": {"outline": draw(st.sampled_from(["default", "2021", 7])),
                   "omit": draw(st.lists(st.sampled_from(["functions", "budget", "projects",
                                                          "analysis", "tasks"]))),
                   "charts": draw(st.booleans())},
    }


@pytest.mark.slow
def test_every_accepted_package_exports_in_all_three_formats():
    counts = {"generated": 0, "refused": 0, "exported": 0}

    @settings(max_examples=cases(EXAMPLES), deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(raw=packages())
    def case(raw):
        counts["generated"] += 1
        try:
            ev = read_package(json.dumps(raw, ensure_ascii=False))
        except PackageError:
            counts["refused"] += 1
            return
        report = build_report(ev)
        assert report.data.startswith(b"%PDF") and report.pages >= 1
        docx = docx_bytes(ev)
        with zipfile.ZipFile(BytesIO(docx)) as z:
            assert "word/document.xml" in z.namelist()
        from docx import Document

        Document(BytesIO(docx))
        assert workbook_bytes(ev)[:2] == b"PK"
        counts["exported"] += 1

    case()
    print(f"\nreport fuzz: {counts}")
    assert counts["exported"] >= counts["generated"] // 2  # most generated packages are accepted


def _seed003_with_completion(length: int):
    ev = load("huangpu-lingang-2021.json")
    base = "对鱼珠片区岸线企业分布情况进行摸查，明确片区发展愿景，拟定片区整体策划方案；"
    completion = (base * (length // len(base) + 1))[:length]
    return replace(ev, goals=replace(ev.goals, completion=completion))


@pytest.mark.slow
def test_completion_length_sweep_exports_on_every_length():
    """Seed 003's goals with a 完成情况 of 150–175 characters (and far wider) always export."""
    lengths = list(range(150, 176)) + [0, 1, 27, 56, 100, 300, 600, 1200, 2500, 6000]
    for length in lengths:
        ev = _seed003_with_completion(length)
        report = build_report(ev)
        assert report.data.startswith(b"%PDF")
        assert docx_bytes(ev)[:2] == b"PK"
    print(f"\ncompletion sweep: {len(lengths)} lengths exported")


@pytest.mark.slow
def test_a_50000_line_deviation_text_exports_in_under_10_seconds():
    ev = load("liwan-xiezuo-2023.json")
    leaf = ev.system.leaves()[0].id
    long_text = "\n".join(f"第{i}行：偏差原因分析及改进措施" for i in range(50_000))
    ev = ev.with_value(leaf, replace(ev.value(leaf), deviation=long_text))
    start, cpu = time.perf_counter(), time.process_time()
    report = build_report(ev)
    elapsed, used = time.perf_counter() - start, time.process_time() - cpu
    print(f"\n50,000-line deviation: {report.pages} pages in {elapsed:.1f} s ({used:.1f} s CPU)")
    # the machine's own time: on a shared CI runner the wall clock also counts the neighbours
    assert used < 10
    assert report.pages > 1000


def test_cancel_stops_the_builders():
    ev = load("liwan-xiezuo-2023.json")
    for build in (build_report, docx_bytes):
        with pytest.raises(ExportCancelled):
            build(ev, cancelled=lambda: True)
    # asked again during the work, not only at the start
    asked = []

    def later() -> bool:
        asked.append(1)
        return len(asked) > 3

    leaf = ev.system.leaves()[0].id
    long = ev.with_value(leaf, replace(ev.value(leaf), deviation="说明\n" * 20_000))
    start = time.perf_counter()
    with pytest.raises(ExportCancelled) as info:
        build_report(long, cancelled=later)
    assert time.perf_counter() - start < 2
    assert "取消" in str(info.value)


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "selfeval"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd, check=False)


def test_cli_writes_the_word_copy(tmp_path):
    out = tmp_path / "报告.docx"
    run = _cli("export", str(DATA / "huangpu-lingang-2021.json"), "--docx", str(out))
    assert run.returncode == 0, run.stderr
    assert out.read_bytes()[:2] == b"PK" and "已导出" in run.stderr


def test_environment_failure_is_exit_2_one_chinese_line_old_file_intact(tmp_path):
    old = tmp_path / "old.pdf"
    old.write_bytes(b"the old report")
    folder = tmp_path / "folder.docx"
    folder.mkdir()
    missing = tmp_path / "no-such-folder" / "r.pdf"
    for args in (("--pdf", str(missing)), ("--docx", str(folder))):
        run = _cli("export", str(DATA / "liwan-xiezuo-2023.json"), *args)
        assert run.returncode == 2
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in run.stderr and "无法写入" in lines[0]
    # a disk that fills up while writing: the old file keeps its content
    script = ("import errno, os, sys\n"
              "from desktop.cli import main\n"
              ""
              "def full(fd): raise OSError(errno.ENOSPC, 'No space left on device')\n"
              "os.fsync = full\n"
              f"sys.exit(main(['export', {str(DATA / 'liwan-xiezuo-2023.json')!r}, "
              f"'--pdf', {str(old)!r}]))\n")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120, check=False)
    assert run.returncode == 2 and "磁盘空间不足" in run.stderr and "Traceback" not in run.stderr
    assert old.read_bytes() == b"the old report"


def test_a_table_part_that_fits_the_page_exactly_still_exports():
    """A form-table part whose height equals the room left on the page to the last bit
    once made reportlab give up the page (LayoutError); found by the property test."""
    evaluation = read_package((DATA / "table-fits-exactly.json").read_bytes())
    report = build_report(evaluation)
    assert report.data.startswith(b"%PDF")
    assert report.draft


def test_a_writer_defect_is_one_chinese_line_and_the_old_file_stays(tmp_path, monkeypatch,
                                                                     capsys):
    from desktop import cli
    from exports import pdf_report

    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(pdf_report, "build_report", broken)
    out = tmp_path / "report.pdf"
    out.write_bytes(b"old")
    code = cli.main(["export", str(DATA.parent.parent / "forms" / "samples" / "suigang-2022.json"),
                     "--pdf", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert out.read_bytes() == b"old"
    assert err.count("\n") == 1 and "导出失败" in err and "Traceback" not in err
