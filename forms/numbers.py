"""Numbers as clerks type them, and the one rounding policy.

Every figure in the program is a ``Decimal``.  ``parse_number`` is the single
place where text becomes a number: it accepts what a clerk types in Excel or
WPS (full-width digits, thousands separators, a trailing 万元 or %) and refuses
everything else with a message that names the field.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")

_MAX_LEN = 40
# The largest figure a form can hold: beyond it a typing slip (or a hostile file) would
# overflow Qt's number types and the printed tables.
MAX_MAGNITUDE = Decimal(10) ** 12
_SUFFIXES = ("万元", "元", "%", "分", "个", "次", "人次")
_NUMBER_RE = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^[+-]?\.\d+$")


class NumberError(ValueError):
    """Text that is not a number; ``str()`` is a Chinese message for the clerk."""


class NumberOutOfRange(NumberError):
    """A number, but too large for any form (more digits cannot help)."""


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
    if isinstance(text, (Decimal, int, float)) and not isinstance(text, bool):
        try:
            value = D(text)
        except (InvalidOperation, ValueError):
            raise NumberError(f"{field}：“{text}”不是数字") from None
        if not value.is_finite():
            raise NumberError(f"{field}：“{text}”不是有效数字")
        return _bounded(value, str(text), field)
    if text is None:
        if required:
            raise NumberError(f"{field}：请填写数字")
        return None
    if not isinstance(text, str):
        raise NumberError(f"{field}：“{text}”不是数字")
    shown = text.strip()
    if len(shown) > _MAX_LEN:
        raise NumberError(f"{field}：“{shown[:12]}…”不是数字")
    cleaned = _normalise(text)
    if not cleaned:
        if required:
            raise NumberError(f"{field}：请填写数字")
        return None
    if not _NUMBER_RE.match(cleaned):
        raise NumberError(f"{field}：“{shown}”不是数字")
    return _bounded(Decimal(cleaned.replace(",", "")), shown, field)


def number_or_none(value: object) -> Decimal | None:
    """``value`` as a number when it reads as one, else None (empty, text, too large):
    for figures read from files, where a non-number is simply not a figure."""
    try:
        return parse_number(value, required=False)
    except NumberError:
        return None


def _bounded(value: Decimal, shown: str, field: str) -> Decimal:
    if abs(value) > MAX_MAGNITUDE:
        raise NumberOutOfRange(f"{field}：“{shown}”过大（不能超过 1 万亿）")
    return value


def round2(value: Decimal) -> Decimal:
    """The one rounding policy: two decimals, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


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
