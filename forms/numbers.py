"""Numbers as clerks type them, and the one rounding policy.

Every figure in the program is a ``Decimal``.  ``parse_number`` is the single
place where text becomes a number: it accepts what a clerk types in Excel or
WPS (full-width digits, thousands separators, a trailing 万元 or %) and refuses
everything else with a message that names the field.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

MAX_CHARS = 40  # the longest number text read anywhere (package JSON or a typed entry)
# No evaluation has a figure beyond 10^12 (万元 or any unit) or more than 6 decimals; refusing
# them here keeps huge exponents and endless digits out of every sum, rate and printed page.
MAX_MAGNITUDE = Decimal(10) ** 12
MAX_DECIMALS = 6
_TOO_BIG = "过大：数字的绝对值不能超过 10¹²（1,000,000,000,000）"
_TOO_FINE = f"小数位过多：最多 {MAX_DECIMALS} 位小数"
_SUFFIXES = ("万元", "元", "%", "分", "个", "次", "人次")
_NUMBER_RE = re.compile(r"^[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?$|^[+-]?\.[0-9]+$")
_FULL_WIDTH_DIGITS = frozenset("０１２３４５６７８９")


def _odd_digit(text: str) -> bool:
    """Whether ``text`` holds a digit other than 0–9 and full-width ０–９: NFKC would fold
    "²" and "①" into plain digits ("10²" read as 102), and Decimal reads "٢٠٢٤"."""
    return any(ch.isdigit() and not ch.isascii() and ch not in _FULL_WIDTH_DIGITS for ch in text)


class NumberError(ValueError):
    """Text that is not a number; ``str()`` is a Chinese message for the clerk.

    ``reason`` is the message without the field's name, for callers that name the
    field their own way (a JSON path)."""

    def __init__(self, field: str, reason: str):
        self.field = field
        self.reason = reason
        super().__init__(f"{field}：{reason}")


class NumberOutOfRange(NumberError):
    """A number, but too large for any form (more digits cannot help)."""


def bounded(value: Decimal, field: str = "数值", shown: object = None) -> Decimal:
    """``value`` if it is finite and within the limits every evaluation keeps, else
    ``NumberError`` naming the field and the limit.  Cheap for any exponent."""
    if not value.is_finite():
        raise NumberError(field, f"“{_short(shown if shown is not None else value)}”不是有效数字")
    if (value and value.adjusted() >= 13) or abs(value) > MAX_MAGNITUDE:
        raise NumberOutOfRange(field, f"“{_short(shown if shown is not None else value)}”{_TOO_BIG}")
    exponent = value.as_tuple().exponent
    if not value and isinstance(exponent, int) and exponent > 0:
        return Decimal(0)  # 0E+999999999 would print as itself
    if isinstance(exponent, int) and exponent < -MAX_DECIMALS:
        if value.adjusted() < -MAX_DECIMALS - 30 or value != value.quantize(Decimal(1).scaleb(-MAX_DECIMALS)):
            raise NumberError(field, f"“{_short(shown if shown is not None else value)}”{_TOO_FINE}")
        value = value.quantize(Decimal(1).scaleb(-MAX_DECIMALS)).normalize()
        if value.as_tuple().exponent > 0:  # type: ignore[operator]
            value = value.quantize(Decimal(1))
    return value


def echo(value: object, limit: int = 24) -> str:
    """A clerk's entry shown inside a one-line message: shortened, with line breaks and
    control characters as visible escapes (a message never breaks where the entry did)."""
    text = value if isinstance(value, str) else (
        format(value, "e") if isinstance(value, Decimal) and value.is_finite()
        and abs(value.adjusted()) > 20 else str(value))
    if len(text) > limit:
        text = text[: limit // 2] + "…"
    return escaped(text)


def clip(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, the cut marked with "…": where a format
    has a limit (a Word document's title, a PDF table cell that must fit on one page)."""
    return text if len(text) <= limit else text[: max(0, limit - 1)] + "…"


def escaped(text: str) -> str:
    """``text`` with line breaks, control characters (a terminal's escape sequences) and
    undecodable bytes of a file name as visible ``\\uXXXX`` escapes, nothing shortened."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == " " else f"\\u{ord(ch):04x}" for ch in text)


_short = echo


def one_line(message: str) -> str:
    """A message that must stay one line (a refusal): line breaks inside become spaces."""
    return " ".join(message.splitlines()) if len(message.splitlines()) > 1 else message


def D(value: object) -> Decimal:
    """A Decimal from an int, a Decimal or a plain decimal string (never via float)."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("bool is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # JSON numbers arrive as float only when a caller did not use parse_float=Decimal;
        # repr() gives the shortest text that round-trips, which is what was written.
        return Decimal(repr(value))
    if isinstance(value, str):
        return Decimal(value)
    raise TypeError(f"not a number: {value!r}")


def _normalise(text: str) -> str:
    # NFKC folds full-width digits, '．', '，', '％', '－' and the ideographic space.
    text = unicodedata.normalize("NFKC", text).strip()
    for suffix in _SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)].rstrip()
            break
    return text


def parse_number(text: object, field: str = "数值", *, required: bool = True) -> Decimal | None:
    """Parse what a clerk typed into a finite Decimal.

    ``field`` names the field in the error message.  With ``required=False`` an
    empty entry gives ``None``; with ``required=True`` it is refused.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        if not -MAX_MAGNITUDE <= text <= MAX_MAGNITUDE:  # before Decimal(): an int may be huge
            raise NumberOutOfRange(field, f"“{_short(str(text)) if text.bit_length() < 200 else '…'}”{_TOO_BIG}")
        return Decimal(text)
    if isinstance(text, float):
        value = D(text)
        if value.is_finite() and value.as_tuple().exponent < -MAX_DECIMALS:  # type: ignore[operator]
            # a spreadsheet's binary float carries noise digits (0.1 + 0.2 = 0.30000000000000004)
            value = round(value, MAX_DECIMALS).normalize() if value.adjusted() < 13 else value
        return bounded(value, field, text)
    if isinstance(text, Decimal):
        return bounded(text, field)
    if text is None:
        if required:
            raise NumberError(field, "请填写数字")
        return None
    if not isinstance(text, str):
        raise NumberError(field, f"“{_short(str(text))}”不是数字")
    shown = text.strip()
    if len(shown) > MAX_CHARS:
        raise NumberError(field, f"“{echo(shown)}”不是数字（超过 {MAX_CHARS} 个字符）")
    if _odd_digit(shown):
        raise NumberError(field, f"“{echo(shown)}”不是数字：请用数字 0–9 填写（不用上标、带圈或其他文字的数字）")
    cleaned = _normalise(text)
    if not cleaned:
        if required:
            raise NumberError(field, "请填写数字")
        return None
    if not _NUMBER_RE.match(cleaned):
        raise NumberError(field, f"“{echo(shown)}”不是数字")
    return bounded(Decimal(cleaned.replace(",", "")), field, shown)


def parse_int(text: object, field: str = "数值", low: int | None = None,
              high: int | None = None) -> int:
    """A whole number, stored as an int or typed as ASCII digits, within ``low``..``high``
    when given: the year and every integer field.  ``parse_number`` reads it (the same
    length and size bounds, the same messages); on top of that only 0–9 are digits here
    (full-width ones too are refused: a year is never typed in an IME's digits) and the
    value must be whole.  Anything else is a ``NumberError`` naming the field."""
    if isinstance(text, bool) or not isinstance(text, (int, str)):
        raise NumberError(field, f"“{echo(str(text))}”不是整数")
    if isinstance(text, str):
        if any(ch.isdigit() and not ch.isascii() for ch in text[: MAX_CHARS + 1]):
            raise NumberError(field, f"“{echo(text.strip())}”不是整数：请用半角数字 0–9 填写")
        if not text.strip():
            raise NumberError(field, "请填写整数")
    try:
        value = parse_number(text, field)
    except NumberOutOfRange:
        raise
    except NumberError as exc:  # the same reasons, said of a whole number
        raise NumberError(field, exc.reason.replace("不是数字", "不是整数")) from None
    assert value is not None  # required
    if value != value.to_integral_value():
        raise NumberError(field, f"“{echo(text if isinstance(text, str) else plain(value))}”不是整数")
    number = int(value)
    if low is not None and high is not None and not low <= number <= high:
        raise NumberOutOfRange(field, f"{number} 不合理（应在 {low}–{high} 之间）")
    if low is not None and number < low:
        raise NumberOutOfRange(field, f"{number} 过小（不能小于 {low}）")
    if high is not None and number > high:
        raise NumberOutOfRange(field, f"{number} 过大（不能大于 {high}）")
    return number


def number_or_none(value: object) -> Decimal | None:
    """``value`` as a number when it reads as one, else None (empty, text, too large):
    for figures read from files, where a non-number is simply not a figure."""
    try:
        return parse_number(value, required=False)
    except NumberError:
        return None


def round2(value: Decimal) -> Decimal:
    """The one rounding policy: two decimals, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def round_score(value: Decimal, full: Decimal) -> Decimal:
    """A score rounded by ``round2``, except that a score below ``full`` never rounds up to
    it: it is cut to the cent below instead.  Full marks mean full achievement, so a leaf of
    weight 0.01 at 50% scores 0.00, not 0.01, and a table of tiny weights cannot total 100."""
    rounded = round2(value)
    if value < full <= rounded:
        return value.quantize(CENT, rounding=ROUND_FLOOR)
    return rounded


def clamp(value: Decimal, low: Decimal, high: Decimal) -> Decimal:
    return max(low, min(high, value))


def plain(value: Decimal) -> str:
    """A Decimal as plain text with the precision it carries (no exponent)."""
    text = format(value, "f")
    return "0" if text in ("-0", "-0.0") else text


def fmt2(value: Decimal | None) -> str:
    """Two decimals, e.g. ``1104.37``; empty for a missing value."""
    if value is None:
        return ""
    return format(round2(value), "f")


def fmt_amount(value: Decimal | None) -> str:
    """An amount in 万元 with thousands separators, e.g. ``1,104.37``."""
    if value is None:
        return ""
    return format(round2(value), ",f")


def fmt_rate(value: Decimal | None) -> str:
    """A rate given as a percent number, e.g. ``95.76%``."""
    if value is None:
        return ""
    return f"{fmt2(value)}%"


def fmt_weight(value: Decimal) -> str:
    """A weight or score without needless zeros: ``10``, ``0.5``, ``4.37``."""
    text = plain(value.normalize()) if value == value.to_integral_value() else plain(value)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
