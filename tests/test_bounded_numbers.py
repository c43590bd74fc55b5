"""Numbers are bounded at the door, and whatever the program writes, it reads."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from decimal import Decimal

import pytest
from fuzz_budget import cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.cli import main
from exports.excel import workbook_bytes
from exports.workbook_import import read_workbook_bytes
from forms.model import LeafValue, Project
from forms.numbers import MAX_MAGNITUDE, NumberError, parse_number
from forms.package import PackageError, read_package, write_package
from forms.scoring import score
from forms.storage import Library

EXAMPLES = 60
_settings = settings(max_examples=cases(EXAMPLES), deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])

# every figure an evaluation can hold: |x| ≤ 10^12, at most 6 decimals
figures = st.decimals(min_value=-MAX_MAGNITUDE, max_value=MAX_MAGNITUDE, places=6,
                      allow_nan=False, allow_infinity=False) | st.integers(0, 10**12).map(Decimal)


@pytest.mark.parametrize("text, reason", [
    ("1e26", "不是数字"), ("100000000000000000000000000", "过大"), ("1000000000000.5", "过大"),
    ("-1000000000001", "过大"), ("0.0000001", "小数位过多"), ("1.1234567", "小数位过多"),
    ("9" * 41, "超过 40 个字符"),
])
def test_text_beyond_the_limits_is_refused_naming_field_and_limit(text, reason):
    with pytest.raises(NumberError) as caught:
        parse_number(text, "年末结转和结余")
    message = str(caught.value)
    assert message.startswith("年末结转和结余：") and reason in message


@pytest.mark.parametrize("value", [Decimal("1E+999999999"), Decimal("1E-999999999"), 10**5000,
                                   Decimal("1E+26"), 1e300, -1e26],
                         ids=["1E+999999999", "1E-999999999", "5000 digits", "1E+26", "1e300", "-1e26"])
def test_numbers_of_any_size_are_refused_at_once(value):
    started = time.perf_counter()
    with pytest.raises(NumberError):
        parse_number(value, "全年执行数")
    assert time.perf_counter() - started < 0.1


def test_the_limits_themselves_are_accepted():
    assert parse_number("1,000,000,000,000.000000", "x") == MAX_MAGNITUDE
    assert parse_number("-0.000001", "x") == Decimal("-0.000001")
    assert parse_number(0.1 + 0.2, "x") == Decimal("0.3")  # a spreadsheet's float noise


@_settings
@given(value=figures)
def test_every_figure_within_the_limits_reads_back_exactly(value):
    assert parse_number(format(value, "f"), "x") == value
    assert parse_number(value, "x") == value


def _package(sample_bytes: bytes, change) -> bytes:
    data = json.loads(sample_bytes, parse_float=Decimal)
    change(data)
    return json.dumps(data, ensure_ascii=False, default=str).encode()


def _leaf(data):
    return data["system"]["indicators"][0]["children"][0]["children"][0]


@pytest.mark.parametrize("change, path, words", [
    (lambda d: d["budget"].update(carryover="1e26"), "budget.carryover", "不是数字"),
    (lambda d: d["budget"].update(carryover="100000000000000000000000000"), "budget.carryover",
     "过大"),
    (lambda d: d["values"]["fdi"].update(actual="1.12345678"), "values.fdi.actual", "小数位过多"),
    (lambda d: d["department"].update(phone="@@BIG@@"), "department.phone", "指数写法"),
    (lambda d: d["budget"].update(carryover="@@INT@@"), "budget.carryover", "位数过多"),
    (lambda d: d["values"]["fdi"].update(x_future="@@LONG@@"), "values.fdi.x_future", "位数过多"),
    (lambda d: d["department"].update(year=0), "department.year", "1900–2999"),
])
def test_package_numbers_are_bounded_before_conversion(sample_bytes, change, path, words):
    data = _package(sample_bytes, change)
    data = (data.replace(b'"@@BIG@@"', b"1E+999999999")
            .replace(b'"@@INT@@"', b"9" * 5000).replace(b'"@@LONG@@"', b"1." + b"0" * 45))
    started = time.perf_counter()
    with pytest.raises(PackageError) as caught:
        read_package(data)
    assert time.perf_counter() - started < 1
    assert caught.value.path == path and words in caught.value.message


@pytest.mark.parametrize("change, path", [
    (lambda d: _leaf(d)["rule"].update(type=["ratio"]), ".rule.type"),
    (lambda d: _leaf(d)["rule"].update(type={"a": 1}), ".rule.type"),
    (lambda d: _leaf(d).update(source=["budget"]), ".source"),
    (lambda d: _leaf(d).update(source={"x": 1}), ".source"),
])
def test_wrong_json_types_are_refusals_with_their_path(sample_bytes, change, path):
    with pytest.raises(PackageError) as caught:
        read_package(_package(sample_bytes, change))
    assert caught.value.path.startswith("system.indicators[0]") and caught.value.path.endswith(path)


def test_new_with_an_impossible_year_is_refused(tmp_path, capsys):
    out = tmp_path / "p.json"
    for year in ("0", "-5", "99999"):
        assert main(["new", "--system", "national-common", "--department", "某局", "--year", year, "-o", str(out)]) == 2
        err = capsys.readouterr().err.strip()
        assert "年度" in err and len(err.splitlines()) == 1
    assert not out.exists()
    assert main(["new", "--system", "national-common", "--department", "某局", "--year", "2024", "-o", str(out)]) == 0
    assert main(["score", str(out)]) == 0


def _with_figures(sample, executed, carryover, actual, budget):
    ev = sample.with_value("fdi", LeafValue(actual=actual))
    return replace(ev, projects=(Project(name="项目", budget=budget, executed=executed),),
                   budget=replace(ev.budget, carryover=carryover,
                                  total=replace(ev.budget.total, executed=executed)))


@_settings
@given(executed=figures, carryover=figures, actual=figures, budget=figures)
def test_whatever_is_written_is_read_package_database_workbook(sample, tmp_path_factory, executed,
                                                               carryover, actual, budget):
    ev = _with_figures(sample, executed, carryover, actual, budget)
    score(ev)  # never raises for a figure within the limits
    written = write_package(ev)
    assert write_package(read_package(written)) == written
    library = Library(tmp_path_factory.mktemp("db") / "library.db")
    try:
        back = library.get(library.add(ev))
    finally:
        library.close()
    assert write_package(back) == written
    assert write_package(read_workbook_bytes(workbook_bytes(ev))) == written
