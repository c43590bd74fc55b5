"""Numbers and sentences as the published reports write them.

Amounts in 万元 with two decimals (a zero fund-source clause as "0 万元", as
seeds 000–002 print it), with or without thousands separators; rates with the
report's one precision (a whole rate stays whole: 100%); scores "92.58 分" /
"100 分"; every figure spaced alike (``FigureStyle``, chosen by the outline);
the clerk's own self-reference (我办/我局/我委…).
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from ..budget import effective_total, project_totals, rate, row_rate
from ..model import NATURE_ROWS, SOURCE_ROWS, Evaluation
from ..numbers import HUNDRED, fmt2, fmt_amount, fmt_weight, round2
from ..scoring import ScoreResult
from .outline import FigureStyle, report_options

_END = "。；！？.;!?…"


def amount(value: Decimal, style: FigureStyle | None = None) -> str:
    """万元 figure: two decimals, with thousands separators where the style has them."""
    return fmt_amount(value) if style is not None and style.separators else fmt2(value)


def clause_amount(value: Decimal, style: FigureStyle | None = None) -> str:
    """A fund-source clause's figure: "0" for nothing spent, else two decimals."""
    return "0" if value == 0 else amount(value, style)


def rate_shown(value: Decimal, places: int = 2) -> Decimal:
    """The rate (a percent number) as printed with ``places`` decimals, half up; a rate under
    100 never shows 100: it is cut, not rounded up, at the last place.  The workbook's rate
    cells hold this figure too, so they print what the report prints."""
    step = Decimal(1).scaleb(-places)
    shown = value.quantize(step, rounding=ROUND_HALF_UP)
    if shown >= HUNDRED > value:
        shown = value.quantize(step, rounding=ROUND_DOWN)
    return shown


def percent(value: Decimal, places: int = 2) -> str:
    """A rate with ``places`` decimals, a whole one without (100%, 87.4%, 95.76%, 89%)."""
    shown = rate_shown(value, places)
    if shown == shown.to_integral_value():
        return fmt_weight(shown) + "%"
    return format(shown, "f") + "%"


_FULL = "，。；：、（）“”‘’！？《》—…"


def spaced(text: str, style: FigureStyle) -> str:
    """The figures in ``text`` (marked ⟨…⟩) set as the style wants: one space each side, or none.

    No space is kept next to full-width punctuation or at either end of the sentence.
    """
    if not style.spaced:
        return text.replace("⟨", "").replace("⟩", "")
    text = text.replace("⟨", " ").replace("⟩", " ")
    text = re.sub(r" +", " ", text)
    text = re.sub(rf" *([{_FULL}]) *", r"\1", text)
    return text.strip()


def score_text(value: Decimal) -> str:
    return fmt_weight(round2(value))


def sentence(text: str) -> str:
    """The text ending in a full stop (a typed line may end without one)."""
    text = text.strip()
    if not text or text[-1] in _END or text[-1] in "：:":
        return text
    return text.rstrip("，,、") + "。"


def self_reference(ev: Evaluation) -> str:
    """How the department calls itself: set in the report options, else from its name."""
    explicit = str(ev.extra.get("report", {}).get("self_reference", "") or "").strip() \
        if isinstance(ev.extra.get("report"), dict) else ""
    if explicit:
        return explicit
    name = ev.department.name.strip()
    for suffix, ref in (("办公室", "我办"), ("委员会", "我委"), ("管委会", "我委"), ("局", "我局"),
                        ("办", "我办"), ("委", "我委"), ("院", "我院"), ("中心", "我中心"),
                        ("厅", "我厅"), ("署", "我署")):
        if name.endswith(suffix):
            return ref
    return "我单位"


def style_of(ev: Evaluation) -> FigureStyle:
    return report_options(ev).style


EXPLAIN_BELOW = Decimal(90)  # a rate under this is followed by its reason (the notices' 90%)


def budget_rate_reason(ev: Evaluation) -> str:
    """The clerk's 未能完成原因 when the budget's rate is under 90%: printed after the rate."""
    r = row_rate(effective_total(ev.budget))
    reason = " ".join(line.strip() for line in ev.goals.unmet_reason.splitlines() if line.strip())
    return reason if r is not None and r < EXPLAIN_BELOW and reason else ""


def budget_sentences(ev: Evaluation, style: FigureStyle | None = None) -> list[str]:
    """财政拨款收入 … / 全年预算数 … 完成预算的 Z%。 / 按资金来源分，… / 年末结转和结余 W 万元。"""
    st = style or style_of(ev)

    def a(value: Decimal) -> str:
        return f"⟨{amount(value, st)}⟩万元"

    total = effective_total(ev.budget)
    out: list[str] = []
    income = ev.budget.appropriation_income
    if income is not None:
        out.append(f"{self_reference(ev)}⟨{ev.department.year}⟩年度财政拨款收入{a(income)}。")
    if total.adjusted is not None and total.executed is not None:
        line = f"全年预算数{a(total.adjusted)}，执行数{a(total.executed)}"
        r = row_rate(total)
        line += f"，完成预算的⟨{percent(r, st.rate_places)}⟩。" if r is not None else "。"
        reason = budget_rate_reason(ev)
        if reason:
            line += sentence(reason)
        out.append(line)
    elif total.adjusted is not None:
        out.append(f"全年预算数{a(total.adjusted)}。")
    elif total.executed is not None:
        out.append(f"全年执行数{a(total.executed)}。")
    second = ""
    sources = [(name, ev.budget.source(key).executed) for key, name in SOURCE_ROWS]
    entered = [(name, v) for name, v in sources if v is not None]
    if entered:
        second += "按资金来源分，" + "，".join(
            f"{name}支出⟨{clause_amount(v, st)}⟩万元" for name, v in entered) + "。"
    natures = [(name, ev.budget.nature(key).executed) for key, name in NATURE_ROWS]
    nat = [(name, v) for name, v in natures if v is not None]
    if nat:
        second += "按支出性质看，" + "，".join(f"{name}{a(v)}" for name, v in nat) + "。"
    if ev.budget.carryover is not None:
        second += f"年末结转和结余{a(ev.budget.carryover)}。"
    if second:
        out.append(second)
    return [spaced(line, st) for line in out]


def listed_projects(ev: Evaluation) -> list[int]:
    """Indexes of the project rows that say something (a name or a budget)."""
    return [i for i, p in enumerate(ev.projects) if p.name.strip() or p.budget is not None]


def projects_partial(ev: Evaluation) -> bool:
    """The listed projects' budgets do not add up to 项目支出's: the list is a part."""
    listed = [ev.projects[i] for i in listed_projects(ev)]
    adjusted = ev.budget.nature("project").adjusted
    if not listed or adjusted is None:
        return False
    budget, _ = project_totals(tuple(listed))
    return budget is None or round2(budget) != round2(adjusted)


def project_paragraphs(ev: Evaluation, style: FigureStyle | None = None) -> list[str]:
    """The projects as the data allow: all of them, a partial list, or 无项目支出."""
    st = style or style_of(ev)

    def a(value: Decimal) -> str:
        return f"⟨{amount(value, st)}⟩万元"

    listed = [ev.projects[i] for i in listed_projects(ev)]
    nature = ev.budget.nature("project")
    spent = nature.executed if nature.executed is not None else nature.adjusted
    if not listed:
        # 无项目支出 only when the clerk entered 项目支出 as zero: an empty row says nothing
        return ["本年度无项目支出。"] if spent is not None and spent == 0 else []
    budget, executed = project_totals(tuple(listed))
    out: list[str] = []
    partial = projects_partial(ev)
    if not partial and budget is not None:
        line = f"本年度共实施项目⟨{len(listed)}⟩个，全年预算数合计{a(budget)}"
        if executed is not None:
            line += f"，执行数合计{a(executed)}"
            r = rate(executed, budget)
            if r is not None:
                line += f"，完成预算的⟨{percent(r, st.rate_places)}⟩"
        out.append(line + "。")
    elif partial:
        line = "本年度项目支出"
        if nature.adjusted is not None:
            line += f"全年预算数{a(nature.adjusted)}"
        if nature.executed is not None:
            line += ("，" if nature.adjusted is not None else "") + f"执行数{a(nature.executed)}"
        line += f"。以下列出其中重点项目⟨{len(listed)}⟩个"
        if budget is not None:
            line += f"（预算数合计{a(budget)}，非全部项目）"
        out.append(line + "：")
    for i, project in enumerate(listed, start=1):
        name = project.name.strip() or f"项目{i}"
        parts = []
        if project.budget is not None:
            parts.append(f"全年预算数为{a(project.budget)}")
        if project.executed is not None:
            parts.append(f"执行数为{a(project.executed)}")
        r = rate(project.executed, project.budget)
        if r is not None:
            parts.append(f"完成预算的⟨{percent(r, st.rate_places)}⟩")
        text = f"{i}.{strip_number(name)}" + "，".join(parts) + ("。" if parts else "")
        if not parts:
            text = sentence(text)
        result = project.result.strip()
        if result:
            text += sentence(result)
        out.append(spaced(text, st))
    return [spaced(line, st) for line in out]


def score_sentence(ev: Evaluation, result: ScoreResult, style: FigureStyle | None = None) -> str:
    """根据……指标体系，我办年度指标评分表得分为 S 分，自评等级为“G”。"""
    st = style or style_of(ev)
    text = (f"根据部门整体支出绩效评价指标体系，{self_reference(ev)}⟨{ev.department.year}⟩年度"
            f"部门整体支出绩效自评得分为⟨{score_text(result.total)}⟩分，自评等级为“{result.grade}”")
    if result.renormalised:
        text += "（不适用指标不参与评分，按适用指标分值折算为百分制）"
    if result.cap is not None and result.cap.limit is not None:
        text += f"（{result.cap.text}" + (f"，封顶前为⟨{score_text(result.cap.uncapped)}⟩分）"
                                          if result.cap.applied else "）")
    return spaced(text + "。", st)


# A line the clerk numbered: 1. 1、 1．（1） (1) （一） 一、 一是 ① — captured with what follows.
NUMBERED = re.compile(
    r"^(?:(?P<arabic>\d{1,2})\s*[.、．](?!\d)|[（(](?P<paren_arabic>\d{1,2})[)）]"
    r"|[（(](?P<paren_cn>[一二三四五六七八九十]{1,3})[)）]|(?P<cn>[一二三四五六七八九十]{1,3})、"
    r"|(?P<shi>[一二三四五六七八九十]{1,3})是|(?P<circled>[①-⑳]))\s*")


def strip_number(text: str) -> str:
    """The line without the clerk's own number in front (1. 1、 （一） 一、 一是 ①)."""
    m = NUMBERED.match(text.strip())
    if m is None or m.group("shi"):  # 一是… reads on without its number: keep it whole
        return text.strip()
    return text.strip()[m.end():].strip()
