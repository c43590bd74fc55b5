"""The reader's checklist: what a bureau reader checks in a report, its workbook and Word copy.

Each point reads the exported files (pdftotext, the Word paragraphs and tables, the
workbook's cells) or the report's document model, and answers True (holds), False (fails)
or None (does not apply to this package).  docs/report.md lists the points and the result
per seed package; tests/test_report_checklist.py keeps them holding.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from report_text import body, flat, pdf_text

from exports.docx_report import docx_bytes
from exports.excel import SHEET_FORM, SHEET_PROJECTS, SHEET_SCORES, workbook_bytes
from exports.pdf_report import build_report
from exports.report_doc import report_document
from forms.budget import effective_total, row_rate
from forms.numbers import fmt2, fmt_amount
from forms.report import Heading, Para, Table
from forms.report.build import draft_reasons
from forms.report.lists import typed_level
from forms.report.outline import report_options
from forms.report.wording import (
    budget_rate_reason,
    budget_sentences,
    percent,
    project_paragraphs,
    projects_partial,
    score_sentence,
    score_text,
)
from forms.scoring import NOT_APPLICABLE, score
from forms.validation import PLACEHOLDER_WORDS


@dataclass
class Material:
    ev: Any
    result: Any
    doc: Any  # the ReportDoc
    pdf: str  # running text of the PDF, whitespace and page numbers removed
    pdf_raw: str
    word: list[str]  # the Word copy's paragraphs
    word_tables: list[list[list[str]]]
    book: Any  # openpyxl workbook
    replaced: list[str]

    @property
    def body_paras(self) -> list[str]:
        out = []
        for block in self.doc.blocks:
            if isinstance(block, Table) or (hasattr(block, "role") and block.text == "附件1"):
                break
            if isinstance(block, Para):
                out.append(block.text)
        return out

    @property
    def headings(self) -> list[Heading]:
        return [b for b in self.doc.blocks if isinstance(b, Heading)]

    @property
    def style(self) -> Any:
        return report_options(self.ev).style


def material(ev: Any, tmp_path: Path) -> Material:
    from docx import Document

    report = build_report(ev)
    raw = pdf_text(report.data, tmp_path)
    text = re.sub(r"—\d+—", "", flat(raw))
    document = Document(BytesIO(docx_bytes(ev)))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return Material(ev, score(ev), report_document(ev), text, raw,
                    [p.text for p in document.paragraphs], tables,
                    load_workbook(BytesIO(workbook_bytes(ev))), report.replaced)


def _attachments(m: Material) -> str:
    return m.pdf[m.pdf.find("附件1"):]


def _generated(m: Material) -> list[str]:
    """The sentences the program writes (budget, score, projects), as printed; the budget's
    rate sentence without the clerk's reason that follows it."""
    out = budget_sentences(m.ev) + [score_sentence(m.ev, m.result)] + project_paragraphs(m.ev)
    reason = budget_rate_reason(m.ev)
    out = [s[: s.find("。") + 1] if reason and s.startswith("全年预算数") else s for s in out]
    printed = "".join(m.body_paras)
    out = [s for s in out if s in printed]
    # a project's line: its number is a list number, and the clerk's 完成情况 follows the figures
    return [s[s.find(".") + 1: s.find("。") + 1] if re.match(r"^\d+\.", s) else s for s in out]


def _rates(text: str) -> list[str]:
    return re.findall(r"(\d+(?:\.\d+)?)%", text)


def _budget_sentence(m: Material) -> str:
    return next((p for p in m.body_paras if p.startswith("全年预算数")), "")


def c_title(m: Material) -> bool:
    d = m.ev.department
    return m.pdf.startswith(f"{d.name}{d.year}年度部门整体支出绩效自评报告")


def c_outline_order(m: Material) -> bool:
    heads = [h.text for h in m.headings if h.level == 1]
    numbers = [h.split("、")[0] for h in heads if "、" in h]
    return numbers == list("一二三四五六七八九十")[:len(numbers)]


def c_no_repeated_number(m: Material) -> bool:
    last: dict[int, str] = {}
    for h in m.headings:
        mark = re.match(r"^(（[一二三四五六七八九十]+）|[一二三四五六七八九十]+、|\d+\.)", h.text)
        key = mark.group(1) if mark else ""
        if key and last.get(h.level) == key:
            return False
        last[h.level] = key
        for deeper in [k for k in last if k > h.level]:
            last.pop(deeper)
    return True


def c_functions_numbered_once(m: Material) -> bool | None:
    if not m.ev.department.functions:
        return None
    return not re.search(r"(?<![\d.])(\d{1,2})\.\1[.、．]", m.pdf)


def c_functions_continuous(m: Material) -> bool | None:
    blocks = list(m.doc.blocks)
    start = next((i for i, b in enumerate(blocks)
                  if isinstance(b, Para) and b.text.endswith("的主要职责是：")), None)
    if not m.ev.department.functions or start is None:
        return None
    numbers = []
    for b in blocks[start + 1:]:
        found = re.match(r"^(\d+)\.", b.text) if isinstance(b, Para) else None
        if not found:
            break
        numbers.append(int(found.group(1)))
    return bool(numbers) and numbers == list(range(1, len(numbers) + 1))


def c_typed_headings(m: Material) -> bool:
    return not any(typed_level(p) for p in m.body_paras)


def c_no_example_words(m: Material) -> bool:
    words = PLACEHOLDER_WORDS + ("XX",)
    return m.doc.draft or not any(w in m.pdf for w in words)


def c_draft_says_so(m: Material) -> bool:
    reasons = draft_reasons(m.ev, m.result)
    return bool(reasons) == m.doc.draft and (("草稿" in m.pdf_raw) == m.doc.draft)


def c_no_other_year(m: Material) -> bool:
    year = m.ev.department.year
    opening = re.compile(r"(?:^|[。；])(?:在|于)?((?:19|20)\d\d)\s*年[，,度]")
    return m.doc.draft or all(int(y) == year for p in m.body_paras for y in opening.findall(p))


def c_score_sentence(m: Material) -> bool:
    line = next((p for p in m.body_paras if "自评得分为" in p), "")
    total = score_text(m.result.total)
    return f"得分为{total}分" in line.replace(" ", "") and f"“{m.result.grade}”" in line


def c_total_agrees(m: Material) -> bool:
    total = fmt2(m.result.total)
    att = _attachments(m)
    return att.count(total) >= 2  # 附件1 and 附件2


def c_grade_agrees(m: Material) -> bool:
    return f"自评等级：{m.result.grade}" in _attachments(m) and m.result.grade in \
        _attachments(m)[: _attachments(m).find("附件2")]


def c_budget_agrees(m: Material) -> bool | None:
    total = effective_total(m.ev.budget)
    if total.adjusted is None:
        return None
    att = _attachments(m)[: _attachments(m).find("附件2")]
    return fmt2(total.adjusted) in att and \
        (fmt_amount(total.adjusted) if m.style.separators else fmt2(total.adjusted)) in \
        _budget_sentence(m).replace(" ", "")


def c_body_rate_precision(m: Material) -> bool:
    places = m.style.rate_places
    return all(len(r.split(".")[1]) == places if "." in r else True
               for p in _generated(m) for r in _rates(p))


def c_attachment_rate_precision(m: Material) -> bool | None:
    total = effective_total(m.ev.budget)
    r = row_rate(total)
    if r is None:
        return None
    return percent(r, m.style.rate_places) in _attachments(m)


def c_workbook_rate_format(m: Material) -> bool | None:
    ws = m.book[SHEET_FORM]
    cells = [c for row in ws.iter_rows() for c in row
             if isinstance(c.number_format, str) and c.number_format.endswith("%")
             and "General" not in c.number_format and isinstance(c.value, (int, float))]
    if not cells:
        return None
    places = m.style.rate_places
    ok = {"0%", "0." + "0" * places + "%"} if places else {"0%"}
    return all(c.number_format in ok for c in cells)


def c_amount_style(m: Material) -> bool | None:
    big = [a for p in _generated(m) for a in re.findall(r"\d[\d,]*\.\d\d", p)
           if float(a.replace(",", "")) >= 1000]
    if not big:
        return None
    return all(("," in a) == m.style.separators for a in big)


def c_spacing(m: Material) -> bool:
    spaced = m.style.spaced
    for p in _generated(m):
        for found in re.finditer(r"\d[\d,.]*", p):
            before = p[found.start() - 1] if found.start() else ""
            after = p[found.end()] if found.end() < len(p) else ""
            if before and before not in "，。；：（）“”.-" and (before == " ") != spaced:
                return False
            if after and after not in "，。；：（）“”%.-" and (after == " ") != spaced:
                return False
    return True


def c_reason_after_low_rate(m: Material) -> bool | None:
    r = row_rate(effective_total(m.ev.budget))
    reason = m.ev.goals.unmet_reason.strip()
    if r is None or r >= 90 or not reason:
        return None
    return _budget_sentence(m).replace(" ", "").find(reason.split()[0][:8].replace(" ", "")) > 0


def c_reason_once(m: Material) -> bool | None:
    reason = m.ev.goals.unmet_reason.strip()
    if not reason:
        return None
    key = flat(reason)[:16]
    return body(m.pdf).count(key) == 1


def c_total_sentence(m: Material) -> bool | None:
    total = effective_total(m.ev.budget)
    if total.adjusted is None and total.executed is None:
        return None
    return bool(_budget_sentence(m)) or any(p.startswith("全年执行数") for p in m.body_paras)


def c_income(m: Material) -> bool | None:
    income = m.ev.budget.appropriation_income
    if income is None:
        return None
    return any("财政拨款收入" in p for p in m.body_paras)


def c_partial_sentence(m: Material) -> bool | None:
    if not projects_partial(m.ev):
        return None
    return any("非全部项目" in p for p in m.body_paras) or "projects" in report_options(m.ev).omit


def c_partial_workbook(m: Material) -> bool | None:
    if not projects_partial(m.ev):
        return None
    ws = m.book[SHEET_PROJECTS]
    return any("非全部项目" in str(c.value or "") for row in ws.iter_rows() for c in row)


def c_not_applicable_alike(m: Material) -> bool | None:
    na = [r.leaf.name for r in m.result.leaves if r.status == NOT_APPLICABLE]
    if not na:
        return None
    for table in m.word_tables[-2:]:
        for row in table:
            if row and any(cell == na[0] for cell in row):
                if "不适用" not in row or "0.00" in row:
                    return False
    for sheet in (SHEET_FORM, SHEET_SCORES):
        ws = m.book[sheet]
        for row in ws.iter_rows():
            values = [c.value for c in row]
            if na[0] in values and ("不适用" not in values or 0 in values[2:]):
                return False
    return True


def c_rescaling_note(m: Material) -> bool | None:
    if not m.result.renormalised:
        return None
    att = _attachments(m)
    first, second = att[: att.find("附件2")], att[att.find("附件2"):]
    books = [any("按适用指标折算" in str(c.value or "") for row in m.book[s].iter_rows() for c in row)
             for s in (SHEET_FORM, SHEET_SCORES)]
    return "按适用指标折算" in first and "按适用指标折算" in second and all(books)


def c_no_empty_column(m: Material) -> bool:
    table = m.word_tables[-1]
    columns = list(zip(*[r for r in table[1:] if len(r) == len(table[0])]))
    return all(any(cell.strip() for cell in col) for col in columns)


def c_no_form_labels(m: Material) -> bool:
    running = body(m.pdf)
    return not any(bad in running for bad in ("未填写", "未命名", "None", "（无法计算）", ".00%",
                                              ".00分"))


def c_pdf_word_same(m: Material) -> bool:
    return body(m.pdf) == body(re.sub(r"\s+", "", "".join(m.word)).replace("草稿", ""))


def c_no_replaced(m: Material) -> bool:
    return not m.replaced


def c_sentences_end(m: Material) -> bool:
    return all(p.rstrip()[-1] in "。；：！？…）”.;!?:" for p in m.body_paras if p.strip())


def c_attachments(m: Material) -> bool | None:
    if not report_options(m.ev).attachments:
        return None
    return "附件1部门整体支出绩效自评表" in m.pdf and "附件2绩效指标评分表" in m.pdf


def c_page_numbers(m: Material) -> bool:
    return "— 1 —" in m.pdf_raw or "—1—" in re.sub(r"\s+", "", m.pdf_raw)


CHECKS: list[tuple[str, str, Callable[[Material], bool | None]]] = [
    ("title", "标题为“单位名称+年度+部门整体支出绩效自评报告”", c_title),
    ("outline", "一级标题一、二、三……连续", c_outline_order),
    ("no-repeat", "同级标题不重号（不出现两个（一）相连）", c_no_repeated_number),
    ("functions-once", "部门职能不重复编号（无“1.1.”）", c_functions_numbered_once),
    ("functions-run", "部门职能序号 1、2、3……连续", c_functions_continuous),
    ("typed-headings", "正文中键入的短标题按标题排出", c_typed_headings),
    ("examples", "定稿中无“示例”“请替换”“XX”", c_no_example_words),
    ("draft", "有草稿原因时每页标“草稿”，无原因时不标", c_draft_says_so),
    ("year", "定稿中无以他年开头的本年工作句", c_no_other_year),
    ("score", "得分句的得分、等级与评分结果一致", c_score_sentence),
    ("total", "附件1、附件2 的总分与正文一致", c_total_agrees),
    ("grade", "附件中的自评等级与正文一致", c_grade_agrees),
    ("budget", "正文预算数与附件1 支出规模一致", c_budget_agrees),
    ("rate-body", "正文比率统一小数位", c_body_rate_precision),
    ("rate-attachments", "附件比率与正文同一写法", c_attachment_rate_precision),
    ("rate-workbook", "工作簿比率格式与正文同一写法（100% 不写 100.00%）", c_workbook_rate_format),
    ("amounts", "金额千分位按所依通知的报告写法", c_amount_style),
    ("spacing", "数字前后空格统一", c_spacing),
    ("reason", "执行率低于 90% 时紧随其原因", c_reason_after_low_rate),
    ("reason-once", "未能完成原因只写一次", c_reason_once),
    ("total-sum", "合计（含按来源求和）写入预算句", c_total_sentence),
    ("income", "填写的财政拨款收入写入正文", c_income),
    ("partial-sentence", "项目清单不全时正文注明", c_partial_sentence),
    ("partial-workbook", "项目清单不全时工作簿注明", c_partial_workbook),
    ("not-applicable", "不适用在附件1、附件2、工作簿中写法一致", c_not_applicable_alike),
    ("rescaling", "折算时每个总分旁注明“按适用指标折算”", c_rescaling_note),
    ("no-empty-column", "附件2 无空列", c_no_empty_column),
    ("no-labels", "正文无“未填写”“None”等表单字样", c_no_form_labels),
    ("pdf-word", "PDF 与 Word 正文文字相同", c_pdf_word_same),
    ("glyphs", "无以“〓”替代的字", c_no_replaced),
    ("sentences", "每段以标点结束", c_sentences_end),
    ("attachments", "附件1、附件2 及其标题齐全", c_attachments),
    ("page-numbers", "有页码“— N —”", c_page_numbers),
]


def run(m: Material) -> dict[str, bool | None]:
    return {key: check(m) for key, _, check in CHECKS}
