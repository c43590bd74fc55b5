from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from forms.numbers import (
    NumberError,
    fmt_amount,
    fmt_rate,
    fmt_weight,
    number_or_none,
    parse_number,
    round2,
)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1239.81", "1239.81"),
        ("1,239.81", "1239.81"),
        ("１２３９．８１", "1239.81"),  # full-width digits and point
        ("１，２３９．８１", "1239.81"),  # full-width comma
        (" 1239.81 万元 ", "1239.81"),
        ("1239.81万元", "1239.81"),
        ("95.8%", "95.8"),
        ("９５．８％", "95.8"),
        ("0", "0"),
        ("-12.5", "-12.5"),
        ("－12.5", "-12.5"),
        (".5", "0.5"),
        ("1,234,567.00", "1234567.00"),
        ("\u3000100\u3000", "100"),  # ideographic spaces
    ],
)
def test_accepts_what_clerks_type(text, expected):
    assert parse_number(text, "全年执行数") == Decimal(expected)


def test_keeps_the_precision_entered():
    assert str(parse_number("94.60")) == "94.60"


@pytest.mark.parametrize("text", ["12x", "NaN", "nan", "Infinity", "-Infinity", "inf", "1e3",
                                  "1,2", "12,34.5", "1.2.3", "--1", "万元", "%", "一百", "0x10",
                                  "1 2", "12..5"])
def test_refuses_non_numbers_naming_the_field(text):
    with pytest.raises(NumberError) as caught:
        parse_number(text, "全年执行数")
    assert "全年执行数" in str(caught.value)


@pytest.mark.parametrize("text", ["", "   ", "万元", None])
def test_empty_is_refused_where_a_number_is_required(text):
    with pytest.raises(NumberError) as caught:
        parse_number(text, "预算数")
    assert "预算数" in str(caught.value)


def test_empty_is_none_where_optional():
    assert parse_number("  ", "预算数", required=False) is None
    assert parse_number(None, "预算数", required=False) is None


def test_refuses_non_finite_decimals():
    with pytest.raises(NumberError):
        parse_number(Decimal("NaN"), "x")
    with pytest.raises(NumberError):
        parse_number(float("inf"), "x")


def test_round_half_up():
    assert round2(Decimal("4.365")) == Decimal("4.37")
    assert round2(Decimal("89.995")) == Decimal("90.00")
    assert round2(Decimal("2.345")) == Decimal("2.35")  # float rounding would give 2.34
    assert round2(Decimal("-0.005")) == Decimal("-0.01")


def test_formats():
    assert fmt_amount(Decimal("1104.37")) == "1,104.37"
    assert fmt_amount(Decimal("0")) == "0.00"
    assert fmt_rate(Decimal("95.76151")) == "95.76%"
    assert fmt_weight(Decimal("10")) == "10"
    assert fmt_weight(Decimal("0.50")) == "0.5"
    assert fmt_weight(Decimal("1E+1")) == "10"


@given(st.text(max_size=60))
def test_parser_never_crashes(text):
    try:
        value = parse_number(text, "字段", required=False)
    except NumberError as exc:
        assert "字段" in str(exc)
    else:
        assert value is None or value.is_finite()


@given(st.decimals(allow_nan=False, allow_infinity=False, places=2,
                   min_value=Decimal("-1e12"), max_value=Decimal("1e12")))
def test_formatted_amounts_parse_back(value):
    assert parse_number(fmt_amount(value), "x") == round2(value)


def test_a_figure_beyond_a_trillion_is_refused_by_the_one_parser():
    from forms.numbers import MAX_MAGNITUDE, NumberOutOfRange

    assert parse_number("1000000000000") == MAX_MAGNITUDE
    for text in ("100000000000000000000000000", "-1000000000000.01", "１０００００００００００００"):
        with pytest.raises(NumberOutOfRange, match="过大"):
            parse_number(text, "全年预算数")


@pytest.mark.parametrize(("value", "expected"), [
    ("1,234.50", Decimal("1234.50")), ("１２", Decimal(12)), (7, Decimal(7)),
    (Decimal("0.1"), Decimal("0.1")), ("", None), ("  ", None), (None, None),
    ("十二", None), ("1e999", None), (True, None), (float("nan"), None)])
def test_number_or_none_reads_a_figure_or_nothing(value, expected):
    assert number_or_none(value) == expected
