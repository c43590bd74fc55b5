"""A 评分标准 text brought to one spelling before the recogniser reads it.

Notices write the same rule in many spellings: full-width digits and brackets, Chinese
numerals ("得五分", "百分之九十五", "扣零点五分"), circled and bracketed item numbers
(①, ⑴, ⒈, "（一）", "一是", "1、"), "介于A和B之间".  ``normalise`` folds them to one form, so
that the readers in ``recognisers.py`` parse a handful of shapes:

- width: every character folded by NFKC on its own (full-width → ASCII), ÷ written /;
- item numbers at the start of an item (①, ⑴, ⒈, (1), 1), 1、, 1., (一), 一是) → ``【n】``;
- Chinese numerals before a unit, a score or after 百分之 → digits;
- a minus sign (after a comparison word or at a clause's start, or 负) → ``−`` (U+2212),
  so that it is kept apart from the range dash "90-95%";
- thousands separators "1,000" → "1000";
- a run of white space → one space.

A text the recogniser must not guess at is refused with the reason, which the clerk sees:
longer than ``MAX_CHARS``, a number in exponent form ("1e300"), or a number the program
does not keep (more than 10¹², more than 6 decimals: ``forms.numbers.parse_number``).

Every step is one left-to-right pass or a regular expression without nested repetition
over a text of bounded length, so the time is linear in the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..numbers import NumberError, parse_number

MAX_CHARS = 1000  # the longest 评分标准 read; a notice's cell holds a few hundred at most
MINUS = "−"

_CIRCLED = {**{chr(0x2460 + i): i + 1 for i in range(20)},  # ①…⑳
            **{chr(0x2474 + i): i + 1 for i in range(20)},  # ⑴…⒇
            **{chr(0x2488 + i): i + 1 for i in range(20)},  # ⒈…⒛
            **{chr(0x2776 + i): i + 1 for i in range(10)},  # ❶…❿
            **{chr(0x3251 + i): i + 21 for i in range(15)}}  # ㉑…㉟
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}
_CN_UNIT = {"十": 10, "百": 100, "千": 1000}
_CN = "零〇一二两三四五六七八九十百千"
# what may follow a Chinese numeral for it to be a number (not "一般", "统一", "十分重要")
_MEASURE = ("个百分点|百分点|个|次|天|日|项|例|起|处|笔|件|宗|条|人|家|篇|期|场|名|户|年|月|周|"
            "小时|分钟|元|万元|%|倍")
_CN_RUN = re.compile(
    f"百分之([{_CN}点]{{1,12}})"                       # 百分之九十五, 百分之百
    f"|(?<=[得扣计记减给满共])([{_CN}点]{{1,12}})(?=分)"   # 得五分, 扣零点五分
    f"|([{_CN}点]{{1,12}})(?=(?:{_MEASURE}))")          # 五个百分点, 一天, 二次
_ITEM_CN = re.compile(r"(?:^|(?<=[;。\s:]))(?:\(([一二三四五六七八九十]{1,2})\)|([一二三四五六七八九十]{1,2})是)")
_ITEM_DIGIT = re.compile(r"(?:^|(?<=[;。\s:]))(?:\((\d{1,2})\)|(\d{1,2})(?:、|\.(?!\d)|\)))")
_BETWEEN = re.compile(r"介于\s*([^和与至到之]{1,24}?)\s*(?:和|与|至|到)\s*([^之]{1,24}?)\s*之间")
_SIGN = re.compile(r"(?:^|(?<=[<>≤≥=(;,:于过足到为达至~]))\s*(?:-|负|−)\s*(?=\d)")
_THOUSANDS = re.compile(r"(?<![\d.])\d{1,3}(?:,\d{3})+(?![\d,])(?!\.\d*,)")
_EXPONENT = re.compile(r"\d[eE][+-]?\d")
_NUMBER = re.compile(r"(?<![\d.])−?\d+(?:\.\d+)?")
_LONGEST_DIGITS = 21  # a sign, 13 digits, the point and 6 decimals: parse_number's widest
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Normalised:
    text: str  # the normalised text ("" when refused)
    refusal: str = ""  # why the text is not read at all, in Chinese


def cn_number(word: str) -> str | None:
    """"九十五" → "95", "零点五" → "0.5", "百" → "100", "十" → "10"; None if not a number."""
    whole, point, frac = word.partition("点")
    if "点" in frac or not whole or (point and not frac):
        return None  # "重点项", "点五", "五点": not a number
    total, current = 0, None
    if whole in ("百", "千"):
        total = _CN_UNIT[whole]
    elif all(ch in _CN_DIGIT for ch in whole) and len(whole) > 1 and not any(
            ch in _CN_UNIT for ch in whole):
        total = int("".join(str(_CN_DIGIT[ch]) for ch in whole))  # "二〇二四"
    else:
        for ch in whole:
            if ch in "零〇":
                continue  # "一百零五": a place held empty
            if ch in _CN_DIGIT:
                if current is not None:
                    return None  # two digits in a row: "九五"
                current = _CN_DIGIT[ch]
            elif ch in _CN_UNIT:
                total += (1 if current is None else current) * _CN_UNIT[ch]
                current = None
            else:
                return None
        total += current or 0
    if frac:
        if not all(ch in _CN_DIGIT for ch in frac):
            return None
        return f"{total}." + "".join(str(_CN_DIGIT[ch]) for ch in frac)
    return str(total)


# full-width ASCII, the ideographic space, item numbers and ÷ in one table (str.translate is
# one pass in C); anything else NFKC would change is folded character by character
_TABLE: dict[int, str] = {**{0xFF01 + i: chr(0x21 + i) for i in range(94)}, 0x3000: " ",
                          0xF7: "/", **{ord(ch): f"【{n}】" for ch, n in _CIRCLED.items()}}


def _fold(text: str) -> str:
    text = text.translate(_TABLE)
    if unicodedata.is_normalized("NFKC", text):
        return text
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out).replace("÷", "/")


def _numerals(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        percent, score, counted = match.groups()
        number = cn_number(percent or score or counted)
        if number is None:
            return match.group(0)
        return number + "%" if percent is not None else number
    return _CN_RUN.sub(one, text)


def _items(text: str) -> str:
    def cn(match: re.Match[str]) -> str:
        number = cn_number(match.group(1) or match.group(2))
        return f"【{number}】" if number else match.group(0)
    text = _ITEM_CN.sub(cn, text)
    return _ITEM_DIGIT.sub(lambda m: f"【{int(m.group(1) or m.group(2))}】", text)


def normalise(text: str) -> Normalised:
    if len(text) > MAX_CHARS:
        return Normalised("", f"评分标准超过 {MAX_CHARS} 字，未自动识别")
    folded = _SPACES.sub(" ", _fold(text))  # one space at most: adjacent \s* stay cheap
    exponent = _EXPONENT.search(folded)
    if exponent:
        return Normalised("", f"数字“{folded[max(0, exponent.start() - 8):exponent.end() + 8]}…”"
                              "是科学计数法，未自动识别，请写成普通数字")
    folded = _THOUSANDS.sub(lambda m: m.group(0).replace(",", ""), folded)
    folded = _numerals(folded)
    folded = _items(folded)
    folded = _BETWEEN.sub(lambda m: f"{m.group(1)}-{m.group(2)}", folded)
    folded = _SIGN.sub(MINUS, folded)
    for match in _NUMBER.finditer(folded):
        digits = match.group(0)
        if len(digits) > _LONGEST_DIGITS:
            return Normalised("", f"评分标准中的数字“{digits[:12]}…”过长，未自动识别")
        if len(digits) <= 7:
            continue  # seven characters hold no number beyond parse_number's bounds
        try:
            parse_number(digits.replace(MINUS, "-"), "评分标准中的数字")
        except NumberError as e:
            return Normalised("", f"{e}，未自动识别")
    return Normalised(folded)
