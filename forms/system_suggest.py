"""Read a scoring rule out of a notice's 评分标准 text — as a suggestion the clerk asks for.

Notices word the common rules the same way year after year:
"①……，得2分；②……，得2分" (逐项计分), "≤100%的，得5分；每超过1个百分点扣0.5分，
不足1个百分点的按比例扣分" (标准值扣分), "每发现一例……扣1分" (按次扣分),
"得分=预算执行率/100%×6分" (比率).  ``suggest_rule`` recognises these and returns
the rule with a Chinese sentence saying what it read; the editor applies it only
when the clerk clicks, shows the parameters, and the clerk can undo it.
Nothing is returned when the text is not clearly one of these forms.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .numbers import NumberError, fmt_weight, parse_number
from .system import RULE_TYPES, num_out

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮"
_NUM = r"(\d+(?:\.\d+)?)"
_POINTS = re.compile(r"[，,；;]?\s*(?:的，?)?得\s*" + _NUM + r"\s*分")
_UP = "超过|超出|上升|增加|高于|多于|超支"
_DOWN = "低于|下降|减少|少于|不足|降低|低"
_CN_DIGITS = {"一": "1", "二": "2", "两": "2", "三": "3", "四": "4", "五": "5", "十": "10"}
_STEP = re.compile(r"每(" + _UP + "|" + _DOWN + r")\s*(\d+(?:\.\d+)?|[一二两三四五十])?\s*(?:个)?(百分点|%|个|次|项|天|万元)?"
                   r"[^，。；;扣]*?[，,]?\s*(?:扣减|扣)\s*" + _NUM + r"\s*分")
_STANDARD = re.compile(r"(≤|<=|不超过|不高于|≥|>=|不低于|不少于|达到|为)\s*" + _NUM + r"\s*%?\s*(?:的|时|以上|以下)?")
_INCIDENT = re.compile(r"每(?:发现|发生|出现|查出|有)\s*(?:一|1)\s*(?:例|次|起|项|个|处|笔|件)[^扣。]*扣\s*"
                       + _NUM + r"\s*分")
_RATIO = re.compile(r"(?:得分\s*=|×\s*分值|/\s*100%\s*×|满分为止)")


@dataclass(frozen=True)
class Suggestion:
    rule: dict[str, Any]
    explanation: str  # what was read, in Chinese

    @property
    def type(self) -> str:
        return str(self.rule["type"])


def _clean(text: str) -> str:
    """Full-width digits and signs folded character by character (so that positions in
    the folded text are positions in the original)."""
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 else ch)
    return "".join(out)


def _num(text: str) -> Decimal | None:
    try:
        return parse_number(text, required=False)
    except NumberError:
        return None


def _checklist(text: str, weight: Decimal | None) -> Suggestion | None:
    # NFKC turns ① into 1, so split the original text on circled numbers first
    parts = re.split(f"[{_CIRCLED}]", text)
    if len(parts) < 3:
        parts = re.split(r"(?:^|[；;。\s])[（(]?\d{1,2}[)）.、．]", text)
    items: list[dict[str, str | int]] = []
    for part in parts[1:]:
        part = part.strip()
        clean = _clean(part)
        match = _POINTS.search(clean)
        if not match:
            return None
        label = part[:match.start()].strip(" ，,；;。")
        points = _num(match.group(1))
        if not label or points is None:
            return None
        items.append({"id": f"i{len(items) + 1}", "label": label, "points": num_out(points)})
    if len(items) < 2:
        return None
    total = sum((Decimal(str(i["points"])) for i in items), Decimal(0))
    note = ""
    if weight is not None and total != weight:
        note = f"（各项合计 {fmt_weight(total)} 分，与分值 {fmt_weight(weight)} 不符，请核对）"
    return Suggestion({"type": "checklist", "items": items},
                      f"识别为{RULE_TYPES['checklist']}：{len(items)} 项，合计 {fmt_weight(total)} 分{note}")


def _deduct(text: str, target: Decimal | None = None) -> Suggestion | None:
    clean = _clean(text)
    step = _STEP.search(clean)
    if not step:
        return None
    word, step_size, unit, points = step.group(1), step.group(2), step.group(3), step.group(4)
    step_size = _CN_DIGITS.get(step_size, step_size) if step_size else "1"
    direction = "max" if word in _UP.split("|") else "min"
    standard = None
    for match in _STANDARD.finditer(clean[:step.start()]):
        standard = _num(match.group(2))
    if standard is None:
        standard = target  # the 指标值 is the standard the text deducts from
    if standard is None:
        standard = Decimal(100) if unit in ("百分点", "%") else None
    if standard is None:
        return None
    tail = clean[step.end():step.end() + 40]
    if re.search(r"不足.{0,12}(?:按比例|按实际)", tail):
        count = "proportional"
    elif re.search(r"不足.{0,12}按\s*(?:\d+(?:\.\d+)?|一)\s*个?\s*(?:百分点)?\s*(?:计|算)", tail):
        count = "started"
    elif re.search(r"不足.{0,12}不扣", tail):
        count = "whole"
    else:
        count = "proportional"
    rule = {"type": "deduct", "standard": num_out(standard), "direction": direction,
            "step": num_out(_num(step_size) or Decimal(1)),
            "points": num_out(_num(points) or Decimal(0)), "count": count}
    counts = {"proportional": "不足一步按比例", "started": "不足一步按一步", "whole": "满一步才扣"}
    side = "超过" if direction == "max" else "低于"
    return Suggestion(rule, f"识别为{RULE_TYPES['deduct']}：标准值 {rule['standard']}，每{side}"
                            f" {rule['step']} 扣 {rule['points']} 分，{counts[count]}")


def _incidents(text: str) -> Suggestion | None:
    match = _INCIDENT.search(_clean(text))
    if not match:
        return None
    points = _num(match.group(1))
    if points is None:
        return None
    return Suggestion({"type": "incidents", "points": num_out(points)},
                      f"识别为{RULE_TYPES['incidents']}：每次扣 {fmt_weight(points)} 分")


def _ratio(text: str) -> Suggestion | None:
    clean = _clean(text)
    if not _RATIO.search(clean) or ("率" not in clean and "指标值" not in clean):
        return None
    direction = "lower" if re.search(r"超过.{0,8}的[，,]?\s*得分\s*=", clean) else "higher"
    return Suggestion({"type": "ratio", "direction": direction},
                      f"识别为{RULE_TYPES['ratio']}（{'反向' if direction == 'lower' else '正向'}）："
                      f"请在“指标值”中填写目标值")


def suggest_rule(criteria: str, weight: Decimal | None = None,
                 target: Decimal | None = None) -> Suggestion | None:
    """The rule a 评分标准 text describes, when it clearly is one of the common forms.

    ``target`` (the leaf's 指标值) is the standard of a deduction when the text gives none."""
    text = criteria.strip()
    if not text or "择其一" in text or "择一" in text:
        return None  # 二者择其一: the options and their own rules are set by hand
    return _checklist(text, weight) or _incidents(text) or _deduct(text, target) or _ratio(text)
