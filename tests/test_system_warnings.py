"""Overlapping and unreachable bands are warned about; scoring stays fast on huge systems."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from desktop.cli import main
from forms.model import LeafValue, new_evaluation
from forms.scoring import score
from forms.system import load_system
from forms.system_warnings import system_warnings
from tests.helpers import system_with


def _bands(*bands: dict) -> dict:
    return {"id": "b", "name": "完成率", "weight": 10, "rule": {"type": "bands", "bands": list(bands)}}


def test_sorted_disjoint_bands_give_no_warning():
    system = system_with(_bands({"min": 90, "score": 10}, {"min": 60, "max": 90, "max_inclusive": False,
                                                          "score": 5}))
    assert system_warnings(system) == []


def test_a_band_inside_an_earlier_one_is_unreachable():
    system = system_with(_bands({"min": 60, "score": 5}, {"min": 90, "score": 10}))
    warnings = system_warnings(system)
    assert len(warnings) == 1
    assert warnings[0].path.endswith(".rule.bands[1]")
    assert "第 2 档（≥90）永远用不上" in warnings[0].message
    # and the scoring shows why: 95 falls in the first band
    ev = new_evaluation(system, "单位", 2023).with_value("b", LeafValue(actual=Decimal(95)))
    assert score(ev).leaf("b").score == 5


def test_overlap_that_costs_points_names_both_bands():
    system = system_with(_bands({"min": 60, "max": 85, "score": 5}, {"min": 80, "max": 100, "score": 10}))
    (warning,) = system_warnings(system)
    assert "第 2 档（≥80、≤100）与第 1 档（≥60、≤85）重叠：重叠部分只得第 1 档的 5 分" in warning.message


def test_descending_thresholds_overlap_by_design():
    system = system_with(_bands({"min": 95, "score": 10}, {"min": 90, "score": 8},
                                {"min": 80, "max": 100, "score": 5}))
    assert system_warnings(system) == []


@pytest.mark.parametrize("system_id", ["guangzhou-example", "national-common", "sichuan-dazhou"])
def test_shipped_systems_have_no_warnings(system_id):
    from forms.catalog import resolve_system

    assert system_warnings(resolve_system(system_id)) == []


def test_touching_bounds_overlap_only_when_both_include_them():
    open_end = system_with(_bands({"min": 90, "score": 10},
                                  {"min": 60, "max": 90, "max_inclusive": False, "score": 5}))
    closed = system_with(_bands({"min": 90, "score": 5}, {"min": 60, "max": 90, "score": 10}))
    assert system_warnings(open_end) == []
    assert len(system_warnings(closed)) == 1
    apart = system_with(_bands({"min": 90, "score": 5}, {"min": 60, "max": 90, "max_inclusive": False,
                                                         "score": 10}))
    assert system_warnings(apart) == []


def test_system_check_prints_the_warning_and_still_passes(tmp_path, capsys):
    from forms.catalog import system_file_bytes

    system = system_with(_bands({"min": 60, "score": 5}, {"min": 90, "score": 10}))
    path = tmp_path / "s.json"
    path.write_bytes(system_file_bytes(system))
    assert main(["system-check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "检查通过" in out and "注意：" in out and "永远用不上" in out


@pytest.mark.parametrize("shape", ["deep", "wide"])
def test_ten_thousand_leaves_score_within_a_fifth_of_a_second(shape):
    n = 10_000
    if shape == "deep":  # 10 × 10 groups of 100 leaves
        indicators = [{"name": f"一{a}", "weight": 10, "children": [
            {"name": f"二{a}-{b}", "weight": 1, "children": [
                {"id": f"l{a}-{b}-{c}", "name": f"指标{c}", "weight": "0.01", "target": 100,
                 "rule": {"type": "ratio"}} for c in range(100)]} for b in range(10)]}
            for a in range(10)]
    else:  # one group holding 10,000 level-2 groups of one leaf each
        indicators = [{"name": "一", "weight": 100, "children": [
            {"name": f"二{i}", "weight": "0.01", "children": [
                {"id": f"l{i}", "name": f"指标{i}", "weight": "0.01", "rule": {"type": "manual"}}]}
            for i in range(n)]}]
    system = load_system({"name": "大体系", "indicators": indicators})
    ev = new_evaluation(system, "单位", 2023)
    ev = ev.with_value(system.leaves()[0].id, LeafValue(actual=Decimal(50), score=Decimal("0.01")))
    times = []
    for _ in range(5):
        started = time.perf_counter()
        result = score(ev)
        times.append(time.perf_counter() - started)
    print(f"score, 10,000 leaves ({shape}): best {min(times) * 1000:.0f} ms of 5")
    assert len(result.leaves) == n and result.leaf(system.leaves()[-1].id) is not None
    assert min(times) < 0.2
