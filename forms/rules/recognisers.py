"""Reading a rule out of the 评分标准 text a notice prints.

Each function takes the text as ``normalise.normalise`` folded it (half-width, digits for
Chinese numerals, ``【n】`` for item numbers, ``−`` for a minus sign) and returns the rule as
its JSON dict (what a system file holds) or ``None`` when the text is not clearly that
form; the registry tries the kinds in turn, builds the rule and describes it back to the
clerk (docs/rules.md).  Notices write the same few forms in many wordings:
"执行率≥95%的，得30分；90%≤执行率＜95%的，得25分" and "≥90%，计5分；80%(含)-90%，计4分"
(分档), "优得20分，良得16分" (等级), "①……，得2分；②……" (逐项),
"每超过1个百分点扣0.5分" (标准值扣分), "每发现一例……扣1分" (按次),
"实际值/目标值×分值" (比率), and "超过指标值30%及以上的视为偏离，扣2分" (偏离扣分).

Every pattern is linear: a number starts only where no digit precedes it (so a run of
digits is tried once, not at each of its positions), repetitions are bounded and never
nested, and the text is at most ``normalise.MAX_CHARS`` long.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from ..numbers import NumberError, parse_number
from .base import num_out
from .normalise import MINUS

# the key under which a reader leaves what it assumed; the registry moves it into the note
DOUBT = "_doubt"
_NUM = r"((?<![\d.−])−?\d{1,16}(?:\.\d{1,16})?)(?!\d)"
_UNIT = r"(?:%|个百分点|百分点|次|个|项|天|日|人|家|篇|期|场|名|户|件|条|起|例|处|笔|宗)"
_COUNT_UNITS = ("次", "个", "项", "天", "日", "人", "家", "篇", "期", "场", "名", "户", "件", "条",
                "起", "例", "处", "笔", "宗")
_POINTS = re.compile(r"[,;]?\s*(?:的,?)?(?:得|计|记)\s*" + _NUM + r"\s*分|\(\s*" + _NUM
                     + r"\s*分\s*\)\s*[;。]?\s*$")
_UP = "超过|超出|上升|增加|增长|高于|多于|超支|延迟|延期|逾期|超期"
_DOWN = "低于|下降|减少|少于|不足|降低|低|少"
_BOTH = "相差|偏离|偏差|差"  # 与计划每相差3%: above or below alike
_STEP = re.compile(r"每(" + _BOTH + "|" + _UP + "|" + _DOWN + r")\s*(?:目标值|指标值|计划值|计划|标准值|标准)?\s*"
                   r"(\d{1,16}(?:\.\d{1,16})?)?\s*(?:个)?"
                   r"(百分点|%|个|次|项|天|日|万元)?[^,。;扣]{0,40}?,?\s*(?:扣减|扣)\s*" + _NUM + r"\s*分")
_STANDARD = re.compile(r"(≤|<=|不超过|不高于|≥|>=|不低于|不少于|达到|为)\s*" + _NUM
                       + r"\s*%?\s*(?:的|时|以上|以下)?")
_EVENT_VERB = r"(?:被通报批评|被通报|被约谈|被问责|被查处|被|发现|发生|出现|查出|查实|有|存在)"
_MEASURE = r"(?:例|次|起|项|个|处|笔|件|宗|条)"
_INCIDENT = re.compile(
    r"(?:每\s*" + _EVENT_VERB + r"\s*(?:1\s*)?" + _MEASURE + r"?"
    r"|每\s*" + _MEASURE + r"(?!百分点|%)"
    r"|" + _EVENT_VERB + r"\s*1\s*" + _MEASURE + r"|(?<=,)\s*1\s*(?:次|例|起|处))"
    r"[^扣。;]{0,40}?扣\s*(?:减|除)?\s*" + _NUM + r"\s*分")
_RATIO = re.compile(r"得分\s*=|[×*]\s*(?:该项)?分值|/\s*100\s*%?\s*[×*]|满分为止|按(?:实际)?(?:完成)?比例"
                    r"(?:计算|计)?(?:得分|计分)|(?:率|值)\s*[×*]\s*\d")
# the target over the actual: lower is better ("得分=目标值/实际值×分值")
_INVERSE = re.compile(r"(?:目标值|指标值|标准值|计划值|计划数|" + _NUM + r"\s*%?)\s*/\s*(?:实际|完成|[^/×*=]{0,8}?率)")
# a formula of one minus something: only the ministry's 反向 formula is read, not "(1-超标率)×分值"
_ONE_MINUS = re.compile(r"\(\s*1\s*[-−]|1\s*[-−]\s*\(")
_TARGET_WORD = r"(?:目标值|指标值|计划值|标准值)"
# the ministry's 反向 formula "(1-(实际值-目标值)/目标值)×分值"
_REVERSE = re.compile(r"1\s*[-−]\s*\(\s*(?:实际值|实际完成值|完成值)\s*[-−]\s*" + _TARGET_WORD
                      + r"\s*\)\s*[/÷]\s*" + _TARGET_WORD)
_LIMIT = re.compile(r"扣满\s*" + _NUM + r"\s*分(?:为止|即止)")
# 定性: the ministry's three levels, each with its band of the weight
_QUALITATIVE = ("未达成年度指标", "部分达成年度指标", "达成年度指标")
_QUALITATIVE_AT = (re.compile("未达成年度指标"), re.compile("部分达成年度指标"),
                   re.compile("(?<!未)(?<!部分)达成年度指标"))
_OVERSHOOT = re.compile(r"超过[^,。;]{0,16}?" + _NUM + r"\s*%\s*(?:\(含\)|及以上|以上)?[^。;]{0,14}?偏离"
                        r"[^。;]{0,8}?扣\s*(?:除|减)?\s*" + _NUM + r"\s*分[。;]?")
# a score at the end of a band: 得5分 / 计5分 / 得满分 / 不得分 / 得0分
_SCORE = re.compile(r"(?:得|计|记|给)\s*" + _NUM + r"\s*分|(?:得|计)?满分|不得分|不计分|(?<![\d.])0\s*分")
_GRADE_WORDS = ("优秀", "良好", "中等", "一般", "合格", "及格", "较差", "不合格", "不及格",
                "基本满意", "不满意", "满意", "较好", "基本称职", "不称职", "称职",
                "优", "良", "中", "差", "好")
_GRADE = "|".join(sorted(_GRADE_WORDS, key=len, reverse=True))
# a grade named inside a clause: "评价结果为优的", "评为良", "考核结果满意的"
_GRADE_NAMED = re.compile(r"(?:为|评为|结果|评议|评价|评定|获得|获评|:)\s*(" + _GRADE + r")"
                          r"(?=$|的|等|级|档|评价|评定|\(|,)")
_LETTER_GRADE = re.compile(r"^[A-E]\s*(?:等|级|档|类)?")
_MARK = r"(\((?:不)?含\))?"
_RANGE = re.compile(_NUM + r"\s*" + _UNIT + r"?\s*" + _MARK + r"\s*(?:[-–—~至到])\s*" + _NUM
                    + r"\s*(" + _UNIT + r")?\s*" + _MARK)
_BETWEEN = re.compile(_NUM + r"\s*%?\s*(<=|≤|<)\s*[^\d<>≤≥=]{0,12}?\s*(<=|≤|<)\s*" + _NUM)
_PREFIX = re.compile(r"(>=|≥|≧|>|<=|≤|≦|<|大于等于|大于或等于|不低于|不少于|不小于|高于|大于|超过|多于|"
                     r"低于或等于|小于或等于|小于等于|低于|小于|少于|不足|不超过|不高于|不大于|未达到|达到|"
                     r"等于|=|为)\s*" + _NUM
                     + r"\s*" + _UNIT + r"?\s*(\((?:不)?含\)|及以上|以上|及以下|以下|以内)?")
_SUFFIX = re.compile(_NUM + r"\s*" + _UNIT + r"?\s*(\((?:不)?含[^)]{0,6}\))?\s*(及以上|以上|及以下|以下|以内)"
                     r"(\((?:不)?含\))?")
_BARE = re.compile(_NUM + r"\s*(" + _UNIT + r")?\s*(?:的)?\s*$")  # "完成率100%得满分": at least that
_REST = re.compile(r"其[他它余]|以外|之外|剩余|否则|未开展|未完成|没有|无")


def _num(text: str | None) -> Decimal | None:
    if not text:
        return None
    try:
        return parse_number(text.replace(MINUS, "-"), required=False)
    except NumberError:
        return None


# 免评: "若单位无项目，得2分", "如本单位未发生政府采购的，得满分"
_EXEMPT = re.compile(r"(?:若|如果|如|对于)\s*((?:本|该)?(?:单位|部门)?\s*(?:无|没有|未发生|未涉及|不涉及)"
                     r"[^,;。:得计]{1,20}?)\s*(?:的)?\s*,?\s*(?:可)?(?:得|计)\s*(?:" + _NUM
                     + r"\s*分|(满分))[。;,]?")


def exemption(text: str) -> tuple[dict[str, Any] | None, str]:
    """The 免评 clause (its reason and points, None for 满分), and the text without it."""
    match = _EXEMPT.search(text)
    if not match:
        return None, text
    points = _num(match.group(2)) if match.group(2) else None
    if match.group(2) and (points is None or points < 0):
        return None, text
    found: dict[str, Any] = {"exempt_reason": _wide(match.group(1).strip())}
    if points is not None:
        found["exempt_score"] = num_out(points)
    return found, (text[:match.start()] + text[match.end():]).strip(" ,;。")


def overshoot(text: str) -> tuple[dict[str, Any] | None, str]:
    """The 偏离扣分 clause, and the text without it."""
    folded = text
    match = _OVERSHOOT.search(folded)
    if not match:
        return None, text
    percent, points = _num(match.group(1)), _num(match.group(2))
    if percent is None or points is None or points <= 0:
        return None, text
    rest = text[:match.start()] + text[match.end():]
    return {"percent": num_out(percent), "points": num_out(points)}, rest


_WIDE = str.maketrans("(),;:", "（），；：")


def _wide(label: str) -> str:
    """A label shown to the clerk: Chinese punctuation back after the fold."""
    return label.translate(_WIDE)


def checklist(text: str) -> dict[str, Any] | None:
    # the normaliser wrote every item number (①, ⑴, ⒈, (1), 1、, 1., (一), 一是) as 【n】
    parts = re.split(r"【\d{1,2}】", text)
    items: list[dict[str, Any]] = []
    for part in parts[1:]:
        part = part.strip()
        match = _POINTS.search(part)
        if not match:
            return None
        label = _wide(part[:match.start()].strip(" ,;。"))
        points = _num(match.group(1) or match.group(2))
        if not label or points is None:
            return None
        items.append({"id": f"i{len(items) + 1}", "label": label, "points": num_out(points)})
    if len(items) < 2:
        return None
    return {"type": "checklist", "items": items}


def deduct(text: str, target: Decimal | None = None) -> dict[str, Any] | None:
    folded = text
    step = _STEP.search(folded)
    if not step:
        return None
    word, step_size, unit, points = step.group(1), step.group(2), step.group(3), step.group(4)
    step_value = _num(step_size) if step_size else Decimal(1)
    points_value = _num(points)
    if step_value is None or step_value <= 0 or points_value is None or points_value <= 0:
        return None  # read as written or not at all: never a step of 1 for one not read
    direction = ("both" if word in _BOTH.split("|") else
                 "max" if word in _UP.split("|") else "min")
    standard = None
    for match in _STANDARD.finditer(folded[:step.start()]):
        standard = _num(match.group(2))
    if standard is None:
        standard = target  # the 指标值 is the standard the text deducts from
    doubt = ""
    if standard is None and unit in ("百分点", "%"):
        standard = Decimal(100)
        doubt = "评分标准未写明标准值，按 100% 理解"
    if standard is None and direction == "max" and unit in ("天", "日", "次", "个", "项"):
        standard = Decimal(0)  # "按时完成得满分，每延迟1天扣0.5分": counted from none
        doubt = "评分标准未写明标准值，按 0 起算"
    if standard is None:
        return None
    tail = folded[step.end():step.end() + 40]
    if re.search(r"不足.{0,12}(?:按比例|按实际)", tail):
        count = "proportional"
    elif re.search(r"不足.{0,12}按\s*(?:\d+(?:\.\d+)?|一)\s*个?\s*(?:百分点)?\s*(?:计|算)", tail):
        count = "started"
    elif re.search(r"不足.{0,12}不扣", tail):
        count = "whole"
    else:
        count = "proportional"
    found = {"type": "deduct", "standard": num_out(standard), "direction": direction,
             "step": num_out(step_value), "points": num_out(points_value), "count": count}
    limit = _LIMIT.search(folded)
    limit_value = _num(limit.group(1)) if limit else None
    if limit_value is not None and limit_value > 0:
        found["limit"] = num_out(limit_value)
    if doubt:
        found[DOUBT] = doubt
    return found


def incidents(text: str) -> dict[str, Any] | None:
    found = {_num(m.group(1)) for m in _INCIDENT.finditer(text)}
    if len(found) != 1:
        return None  # none, or events of different weight ("通报的每次扣2分；批评的每次扣1分")
    points = found.pop()
    if points is None:
        return None
    return {"type": "incidents", "points": num_out(points)}


# 等于: "实际值等于目标值的得满分，否则不得分"
_EQUAL = re.compile(r"(?:实际值|实际完成值|完成值)\s*(?:等于|=|与)\s*(?:目标值|指标值|计划值)\s*(?:一致|相等|相同)?"
                    r"\s*(?:的|时)?\s*,?\s*(?:得满分|得\s*" + _NUM + r"\s*分)\s*[,;]\s*"
                    r"(?:否则|不等于|不一致|不相等|其他|其余)[^。;]{0,12}?(?:不得分|得\s*0\s*分)")


def ratio(text: str, weight: Decimal | None = None) -> dict[str, Any] | None:
    folded = text
    equal = _EQUAL.search(folded)
    if equal:
        points = _num(equal.group(1))
        if points is not None and weight is not None and points != weight:
            return None  # part of the weight for being equal: not this rule
        return {"type": "ratio", "direction": "equal"}
    if not _RATIO.search(folded):
        return None
    if _REVERSE.search(folded):  # the ministry's 反向 formula, (1-(实际值-目标值)/目标值)×分值
        return {"type": "ratio", "direction": "reverse"}
    if _ONE_MINUS.search(folded):
        return None  # "(1-超标率)×分值": what the rate is measured from is not said
    if not re.search(r"率|指标值|目标值|计划|实际|完成|比例", folded):
        return None
    if "序时" in folded:
        return None  # measured against the time-proportional progress: not a fixed target
    lower = bool(re.search(r"超过.{0,8}的,?\s*得分\s*=", folded) or _INVERSE.search(folded))
    if "反向" in folded and not lower:
        return None  # a 反向指标 with a formula read as higher-is-better: not clear
    direction = "lower" if lower else "higher"
    return {"type": "ratio", "direction": direction}


def _segments(folded: str, weight: Decimal | None) -> list[tuple[str, Decimal]] | None:
    """(condition text, score) for each score the text names, in order."""
    out: list[tuple[str, Decimal]] = []
    start = 0
    for match in _SCORE.finditer(folded):
        word = match.group(0)
        if match.group(1) is not None:
            score = _num(match.group(1))
        elif "满分" in word and "不" not in word:
            score = weight
        else:
            score = Decimal(0)
        if score is None:
            return None
        condition = folded[start:match.start()]
        start = match.end()
        out.append((condition, score))
    tail = folded[start:]
    if re.search(r"扣\s*−?\d", tail):
        return None  # a deduction after the table: not a plain table
    return out


def _condition(text: str) -> dict[str, Any] | None:
    """The bounds one band's condition text sets, or ``None`` when it names none."""
    match = _BETWEEN.search(text)
    if match:
        return {"min": match.group(1), "min_inclusive": match.group(2) != "<",
                "max": match.group(4), "max_inclusive": match.group(3) != "<"}
    match = _RANGE.search(text)
    if match:
        low_mark, high_unit, high_mark = match.group(2) or "", match.group(4), match.group(5) or ""
        counted = high_unit in _COUNT_UNITS  # "2至3次": whole counts, both ends included
        return {"min": match.group(1), "min_inclusive": "不含" not in low_mark,
                "max": match.group(3),
                "max_inclusive": high_mark == "(含)" or (counted and "不含" not in high_mark)}
    match = _PREFIX.search(text)
    if match:
        word, number, mark = match.group(1), match.group(2), match.group(3) or ""
        if word in (">=", "≥", "≧", "大于等于", "大于或等于", "不低于", "不少于", "不小于", "达到"):
            return {"min": number, "min_inclusive": True}
        if word in (">", "高于", "大于", "超过", "多于"):
            return {"min": number, "min_inclusive": mark in ("(含)", "及以上")}
        if word in ("<=", "≤", "≦", "不超过", "不高于", "不大于", "低于或等于", "小于或等于", "小于等于"):
            return {"max": number, "max_inclusive": True}
        if word in ("<", "低于", "小于", "少于", "不足", "未达到"):
            return {"max": number, "max_inclusive": mark == "(含)"}
        if mark in ("以上", "及以上"):
            return {"min": number, "min_inclusive": True}
        if mark in ("以下", "及以下", "以内"):
            return {"max": number, "max_inclusive": True}
        return {"min": number, "max": number}  # 为 0 / 等于 0
    match = _SUFFIX.search(text)
    if match:
        number, mark1, word, mark2 = match.groups()
        marks = (mark1 or "") + (mark2 or "")
        if word in ("以上", "及以上"):
            return {"min": number, "min_inclusive": "不含" not in marks}
        return {"max": number, "max_inclusive": "不含" not in marks}
    match = _BARE.search(text.strip(" ,;:"))
    if match:
        number, unit = match.group(1), match.group(2) or ""
        if unit in _COUNT_UNITS:  # "1次的得1分": exactly
            return {"min": number, "max": number, DOUBT: f"“{number}{unit}”按“恰好 {number}{unit}”理解"}
        return {"min": number, "min_inclusive": True,
                DOUBT: f"“{number}{unit}”按“不低于 {number}{unit}”理解"}
    return None


def _band_dict(bounds: dict[str, Any], score: Decimal) -> dict[str, Any]:
    band: dict[str, Any] = {}
    for end in ("min", "max"):
        value = _num(bounds.get(end))
        if value is None:
            continue
        band[end] = num_out(value)
        if not bounds.get(f"{end}_inclusive", True):
            band[f"{end}_inclusive"] = False
    band["score"] = num_out(score)
    return band


def bands(text: str, weight: Decimal | None) -> dict[str, Any] | None:
    folded = text
    segments = _segments(folded, weight)
    if not segments or len(segments) < 2:
        return None
    out: list[dict[str, Any]] = []
    doubts: list[str] = []
    for i, (condition, score) in enumerate(segments):
        # a formula sentence before the table ("执行率=执行数/预算数×100%。") is not a bound
        last_sentence = condition.rsplit("。", 1)[-1]
        bounds = _condition(last_sentence) or _condition(condition)
        if bounds is None:
            last = i == len(segments) - 1
            if last and (score == 0 or _REST.search(condition)):
                if score:
                    out.append({"score": num_out(score)})
                continue
            return None
        if DOUBT in bounds:
            doubts.append(f"第 {len(out) + 1} 档{bounds[DOUBT]}")
        out.append(_band_dict(bounds, score))
    if len(out) < 2 and not (len(out) == 1 and len(segments) == 2):
        return None
    found: dict[str, Any] = {"type": "bands", "bands": out}
    if doubts:
        found[DOUBT] = "；".join(doubts)
    return found


def _percent(score: Decimal, full: Decimal) -> int | str:
    value = score * 100 / full
    if value == value.to_integral_value():
        return int(value)
    return num_out(value.quantize(Decimal("0.01")))


def grades(text: str, weight: Decimal | None) -> dict[str, Any] | None:
    """"优得20分，良得16分，中得12分，差得0分" as coefficients of the weight."""
    folded = text
    segments = _segments(folded, weight)
    if not segments or len(segments) < 2:
        return None
    found: list[tuple[str, Decimal]] = []
    for condition, score in segments:
        # the grade opens the condition: "优得20分", "评价为良好的，得4分", "优（满意度≥90%）得10分"
        stripped = re.sub("[“”‘’\"'「」]", "", condition).strip(" ,;。:的")
        clause = re.split(r"[。:;,]", stripped)[-1]
        head = re.sub(r"^\s*(?:评价|评定|考核|等级|等次|结果|评|被评)*(?:为|是|:)?\s*",
                      "", clause)
        words = [w for w in _GRADE_WORDS if head.startswith(w)]
        if not words:
            named = list(_GRADE_NAMED.finditer(clause))
            if named:
                words = [named[-1].group(1)]
        letter = _LETTER_GRADE.match(head)
        if letter:
            words = [letter.group(0).replace(" ", "")]
        if not words:
            return None
        found.append((max(words, key=len), score))
    full = weight if weight is not None else max(s for _, s in found)
    if not full or full <= 0 or any(s > full for _, s in found):
        return None
    levels = {name: _percent(score, full) for name, score in found}
    if len(levels) != len(found):
        return None
    return {"type": "coefficient", "levels": levels}


def qualitative(text: str) -> dict[str, Any] | None:
    """定性: "达成年度指标的，得分为分值的80%（含）-100%；部分达成年度指标并具有一定效果的，
    60%（含）-80%；未达成年度指标且效果较差的，0-60%" — the three levels, each floor read as
    written (or the ministry's 80/60/0 when the text names the levels only)."""
    places: dict[str, int] = {}
    for word, pattern in zip(_QUALITATIVE, _QUALITATIVE_AT, strict=True):
        match = pattern.search(text)
        if match:
            places[word] = match.start()
    if len(places) != 3:
        return None
    order = sorted(places, key=places.__getitem__)
    floors: dict[str, Any] = {}
    for i, word in enumerate(order):
        end = places[order[i + 1]] if i + 1 < len(order) else len(text)
        part = text[places[word]:end]
        match = _RANGE.search(part)
        floors[word] = _num(match.group(1)) if match else None
    names = {"达成年度指标": "达成年度指标", "部分达成年度指标": "部分达成年度指标并具有一定效果",
             "未达成年度指标": "未达成年度指标且效果较差"}
    if all(v is None for v in floors.values()):
        levels = {names[w]: pct for w, pct in zip(_QUALITATIVE[::-1], (80, 60, 0), strict=True)}
        return {"type": "qualitative", "levels": levels,
                DOUBT: "评分标准未写明各等级的得分区间，按 80%–100%、60%–80%、0–60% 理解"}
    if any(v is None or not 0 <= v <= 100 for v in floors.values()):
        return None
    return {"type": "qualitative",
            "levels": {names[w]: num_out(floors[w]) for w in _QUALITATIVE[::-1]}}
