"""The report's body built once from the evaluation: headings, paragraphs, the figure sentences.

Nothing is printed for what the clerk left empty: a section without content is
left out with its heading and the numbering closes up.  Errors or unfilled
leaves make the document a draft (草稿), never a placeholder in the text.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Evaluation
from ..scoring import ScoreResult
from ..validation import ERROR, Issue, draft_issues, validate
from .lists import narrative_blocks, numbered_items
from .model import Block, Chart, Heading, Para, ReportDoc
from .outline import ReportOptions, Section, report_options
from .wording import (
    budget_rate_reason,
    budget_sentences,
    project_paragraphs,
    score_sentence,
    self_reference,
    sentence,
    strip_number,
)

REPORT_TITLE = "部门整体支出绩效自评报告"
TITLE_CHARS = 20  # 二号 characters on a 156 mm line
_CN = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 20 → 二十 (outlines never reach 100)."""
    if n <= 10:
        return _CN[n - 1]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens - 1]) + "十" + (_CN[ones - 1] if ones else "")


def numbered(level: int, n: int, title: str) -> str:
    if level == 1:
        return f"{cn_number(n)}、{title}"
    if level == 2:
        return f"（{cn_number(n)}）{title}"
    return f"{n}.{title}"


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "\n").split("\n") if line.strip()]


def title_lines(ev: Evaluation) -> tuple[str, ...]:
    """One line when it fits, else broken after the year or after the name (as printed)."""
    dept = ev.department
    name = dept.name.strip()
    head = f"{name}{dept.year}年度"
    full = head + REPORT_TITLE
    if len(full) <= TITLE_CHARS or not name:
        return (full,)
    if len(head) <= TITLE_CHARS:
        return (head, REPORT_TITLE)
    return (name, f"{dept.year}年度{REPORT_TITLE}")


class _Body:
    def __init__(self, ev: Evaluation, result: ScoreResult, options: ReportOptions):
        self.ev = ev
        self.result = result
        self.options = options
        self.style = options.style
        self.reason_printed = False  # 未能完成原因 said after the budget's rate
        self.level = 1  # the level of the section being filled

    def content(self, key: str) -> list[Block]:
        ev, dept = self.ev, self.ev.department
        narrative = ev.narrative
        out: list[Block] = []
        if key == "functions":
            functions = [f.strip() for f in dept.functions if f.strip()]
            if functions:
                out.append(Para(f"{dept.name.strip() or self_reference(ev)}的主要职责是："))
                out += [Para(sentence(f)) for f in numbered_items(functions)]
            divisions = " ".join(lines(dept.divisions))
            if divisions:
                if not divisions.startswith(("我", "本")) and "设有" not in divisions[:12]:
                    divisions = f"{self_reference(ev)}内设{divisions}"
                out.append(Para(sentence(divisions)))
        elif key == "budget":
            out += [Para(s) for s in budget_sentences(ev, self.style)]
            self.reason_printed = bool(out) and bool(budget_rate_reason(ev))
            if out and self.options.charts:
                out.append(Chart("budget"))
        elif key == "targets":
            out += [Para(t) for t in lines(ev.goals.targets)]
        elif key == "tasks":
            for i, task in enumerate(ev.tasks, start=1):
                name = strip_number(" ".join(lines(task.name)))
                target = " ".join(lines(task.target))
                if name and target:
                    out.append(Para(f"{i}.{name.rstrip('。；;')}：{sentence(target)}"))
                elif name or target:
                    out.append(Para(f"{i}.{sentence(name or target)}"))
        elif key == "conclusion":
            out.append(Para(score_sentence(ev, self.result, self.style)))
            out += narrative_blocks(lines(narrative.get("conclusion", "")), self.level)
            if self.options.charts:
                out.append(Chart("score"))
        elif key == "task_analysis":
            out += narrative_blocks(lines(narrative.get("task_analysis", "")), self.level)
            for i, task in enumerate(ev.tasks, start=1):
                done = lines(task.result)
                if done:
                    name = strip_number(" ".join(lines(task.name))).rstrip("。；;")
                    first = f"{i}.{name}：{done[0]}" if name else f"{i}.{done[0]}"
                    out += [Para(first)] + [Para(t) for t in done[1:]]
            out += [Para(t) for t in lines(ev.goals.completion)]
            if not self.reason_printed:
                out += [Para(t) for t in lines(ev.goals.unmet_reason)]
        elif key == "projects":
            out += [Para(t) for t in project_paragraphs(ev, self.style)]
        else:
            out += narrative_blocks(lines(narrative.get(key, "")), self.level)
        return out

    def section(self, section: Section, level: int, n: int) -> list[Block]:
        """The section's blocks with its heading, or nothing when it has no content."""
        if section.id in self.options.omit:
            return []
        body: list[Block] = []
        for key in section.content.split():
            self.level = level
            body += self.content(key)
        i = 0
        for child in section.children:
            blocks = self.section(child, level + 1, i + 1)
            if blocks:
                i += 1
                body += blocks
        if not body:
            return []
        return [Heading(numbered(level, n, self.options.title(section)), level)] + body


def body_blocks(ev: Evaluation, result: ScoreResult, options: ReportOptions) -> list[Block]:
    builder = _Body(ev, result, options)
    out: list[Block] = []
    n = 0
    for section in options.sections():
        blocks = builder.section(section, 1, n + 1)
        if blocks:
            n += 1
            out += blocks
    return out


def draft_reasons(ev: Evaluation, result: ScoreResult,
                  issues: list[Issue] | tuple[Issue, ...] | None = None) -> list[str]:
    """Why the report is a draft: errors found by the checks, leaves not filled in, example
    or unconfirmed texts (示例/请替换/XX, 沿用上年, another year's 本年).  ``issues``: the
    checks' findings when the caller has them already."""
    reasons = []
    found_issues = validate(ev, result) if issues is None else issues
    errors = [i for i in found_issues if i.level == ERROR]
    if errors:
        reasons.append(f"有 {len(errors)} 处错误")
    for what, found in draft_issues(ev).items():
        if found:
            reasons.append(f"有 {len(found)} 处{what}")
    missing = result.leaf_count - result.filled
    if missing > 0:
        reasons.append(f"尚有 {missing} 项指标未填写")
    return reasons


def build_document(ev: Evaluation, result: ScoreResult,
                   attachments: Callable[[Evaluation, ScoreResult], list[Block]] | None = None,
                   ) -> ReportDoc:
    """The whole report; ``attachments`` adds 附件1/附件2 (built where the tables are)."""
    options = report_options(ev)
    blocks = body_blocks(ev, result, options)
    if options.attachments and attachments is not None:
        blocks += attachments(ev, result)
    reasons = draft_reasons(ev, result)
    title = "".join(title_lines(ev))
    return ReportDoc(title=title_lines(ev), blocks=tuple(blocks), draft=bool(reasons),
                     draft_reasons=tuple(reasons),
                     meta={"title": title, "author": ev.department.name, "subject": REPORT_TITLE})
