"""Validation: every problem of an evaluation as a value (level, path, Chinese message).

Nothing here raises for clerk data.  ``path`` is the JSON path of the field in
the evaluation package (``budget.by_source.general.executed``,
``values.exec_rate.deviation``), so the desktop can jump to the field and mark
the cell, and the command line can print it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from . import carry_over
from .address import Address, BudgetCell, FieldAddress, LeafField, NodeAddress, RowCell, parse
from .budget import effective_total, row_rate
from .evidence import ASKING, leaf_owner
from .leaf_entry import read_entry
from .value_fields import VALUE_FIELDS
from .model import (
    BUDGET_COLUMNS,
    GOAL_FIELDS,
    NARRATIVE_FIELDS,
    NATURE_ROWS,
    SOURCE_ROWS,
    BudgetRow,
    Evaluation,
)
from .numbers import ZERO, NumberError, fmt_amount, fmt_rate, fmt_weight, parse_number
from .scoring import INVALID, MISSING, NOT_APPLICABLE, SCORED, ScoreResult, score
from .system import Group, Leaf

ERROR = "error"
WARNING = "warning"

EXPLAIN_EXECUTION_BELOW = Decimal(90)
EXPLAIN_BELOW_TEXT = f"{fmt_weight(EXPLAIN_EXECUTION_BELOW)}%"  # as messages say it

# Where a path belongs in the form (the desktop's sections, in order).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("department", "单位基本情况"),
    ("budget", "收支情况"),
    ("goals", "绩效目标"),
    ("tasks", "重点工作任务"),
    ("projects", "项目支出"),
    ("values", "绩效指标评分"),
    ("narrative", "分析与结论"),
)


@dataclass(frozen=True)
class Issue:
    level: str  # "error" or "warning"
    address: Address
    message: str

    @property
    def path(self) -> str:
        return str(self.address)

    @property
    def section(self) -> str:
        return self.address.section

    def as_dict(self) -> dict[str, str]:
        return {"level": self.level, "path": self.path, "message": self.message}


def _row_label(group: str, key: str) -> str:
    names = dict(SOURCE_ROWS) if group == "by_source" else dict(NATURE_ROWS)
    return names.get(key, key)


def _check_row(issues: list[Issue], row: BudgetRow, group: str, key: str, label: str) -> None:
    for column, column_name in BUDGET_COLUMNS:
        value = row.get(column)
        if value is not None and value < 0:
            issues.append(Issue(ERROR, BudgetCell(group, key, column),
                                f"{label}{column_name}（{fmt_amount(value)}）不能为负数。"))
    if row.executed is not None and row.adjusted is not None and row.executed > row.adjusted:
        issues.append(Issue(WARNING, BudgetCell(group, key, "executed"),
                            f"{label}全年执行数（{fmt_amount(row.executed)}）大于全年预算数"
                            f"（{fmt_amount(row.adjusted)}），请核对。"))


def _check_sum(issues: list[Issue], total: BudgetRow, rows: list[BudgetRow], what: str,
               group: str) -> None:
    for column, column_name in BUDGET_COLUMNS:
        parts = [r.get(column) for r in rows]
        present = [p for p in parts if p is not None]
        expected = total.get(column)
        if not present or expected is None:
            continue
        got = sum(present, ZERO)
        if got != expected:
            issues.append(Issue(
                WARNING, BudgetCell(group, "", column),
                f"{what}{column_name}之和 {fmt_amount(got)} 与合计 {fmt_amount(expected)} 不一致"
                f"（相差 {fmt_amount(abs(got - expected))}），请核对。"))


def budget_sum_issues(evaluation: Evaluation) -> list[Issue]:
    """Fund-source and nature rows that do not add up to 合计, column by column."""
    issues: list[Issue] = []
    budget = evaluation.budget
    if budget.total is not None:
        sources = [budget.source(k) for k, _ in SOURCE_ROWS]
        _check_sum(issues, budget.total, sources, "按资金来源分", "total")
    natures = [budget.nature(k) for k, _ in NATURE_ROWS]
    if any(not n.is_empty for n in natures):
        _check_sum(issues, effective_total(budget), natures, "按支出性质分", "by_nature")
    return issues


def validate_budget(evaluation: Evaluation) -> list[Issue]:
    issues: list[Issue] = []
    budget = evaluation.budget
    total = effective_total(budget)
    if budget.total is not None:
        _check_row(issues, budget.total, "total", "", "合计：")
    issues += budget_sum_issues(evaluation)
    for group, rows in (("by_source", budget.by_source), ("by_nature", budget.by_nature)):
        for key, row in rows.items():
            _check_row(issues, row, group, key, f"{_row_label(group, key)}：")
    for key, label in (("carryover", "年末结转和结余"), ("appropriation_income", "财政拨款收入")):
        value = getattr(budget, key)
        if value is not None and value < 0:
            issues.append(Issue(ERROR, FieldAddress("budget", key),
                                f"{label}（{fmt_amount(value)}）不能为负数。"))
    for i, project in enumerate(evaluation.projects):
        name = project.name or f"第 {i + 1} 个项目"
        for field, label in (("budget", "预算数"), ("executed", "执行数")):
            amount = getattr(project, field)
            if amount is not None and amount < 0:
                issues.append(Issue(ERROR, RowCell("projects", i, field),
                                    f"{name}：{label}（{fmt_amount(amount)}）不能为负数。"))
        if (project.budget is not None and project.executed is not None
                and project.executed > project.budget):
            issues.append(Issue(WARNING, RowCell("projects", i, "executed"),
                                f"{name}：执行数（{fmt_amount(project.executed)}）大于预算数"
                                f"（{fmt_amount(project.budget)}），请核对。"))
    # An execution rate under EXPLAIN_EXECUTION_BELOW needs an explanation; when a leaf restates the rate,
    # its own explain_below / deviation check does that instead.
    if not any(leaf.source == "budget.execution_rate" for leaf in evaluation.system.leaves()):
        rate = row_rate(total)
        if (rate is not None and rate < EXPLAIN_EXECUTION_BELOW
                and not evaluation.goals.unmet_reason.strip()):
            issues.append(Issue(WARNING, FieldAddress("goals", "unmet_reason"),
                                f"预算执行率 {fmt_rate(rate)} 低于 {EXPLAIN_BELOW_TEXT}，"
                                "需在“未能完成原因”中说明。"))
    return issues


def shared_reason(evaluation: Evaluation, leaf: Leaf) -> str:
    """The 未能完成原因 text, for an indicator restating a budget rate: typed once, it serves
    as that indicator's 偏差原因 too (the tables print it there)."""
    reason = evaluation.goals.unmet_reason.strip()
    source = leaf.source or ""
    return reason if reason and source.startswith(("budget.", "projects.")) else ""


def deviation_needed(leaf: Leaf, result_score: Decimal, actual: Decimal | None) -> str:
    """The warning to give when this leaf needs a deviation text, or ''."""
    if leaf.explain_below is not None and actual is not None and actual < leaf.explain_below:
        unit = "%" if leaf.unit == "%" else leaf.unit
        return (f"{leaf.name} {fmt_rate(actual) if unit == '%' else fmt_weight(actual) + unit} "
                f"低于 {fmt_weight(leaf.explain_below)}{unit}，需说明原因")
    if result_score < leaf.weight:
        return (f"{leaf.name}得分 {result_score} 低于分值 {fmt_weight(leaf.weight)}，"
                f"请填写偏差原因分析及改进措施")
    return ""


def validate_values(evaluation: Evaluation, result: ScoreResult) -> list[Issue]:
    issues: list[Issue] = []
    leaf_ids = evaluation.system.leaf_index()
    refused_leaves = {a.leaf_id for a in map(parse, evaluation.refused) if isinstance(a, LeafField)}
    for r in result.leaves:
        leaf = r.leaf
        value = evaluation.value(leaf.id)
        if r.status == NOT_APPLICABLE:
            if not value.reason.strip():
                issues.append(Issue(ERROR, LeafField(leaf.id, "reason"),
                                    f"{leaf.name}：已标为不适用，请填写不适用的原因"))
            continue
        source = r.option.source if r.option and r.option.source else leaf.source
        if source and value.actual is not None:
            issues.append(Issue(WARNING, LeafField(leaf.id, "actual"),
                                f"{leaf.name}由收支情况自动计算，填写的实际完成值不予采用"))
        if r.status == MISSING:
            # a refused entry already says what is wrong with the value
            if leaf.id not in refused_leaves:
                # a rate that cannot be computed is fixed where the budget lacks a figure
                place = result.rates.fields.get(source or "") or LeafField(leaf.id)
                issues.append(Issue(WARNING, place, f"{r.message}（未计分）"))
        elif r.status == INVALID:
            issues.append(Issue(ERROR, LeafField(leaf.id), r.message))
        elif r.status == SCORED and not value.deviation.strip() \
                and not shared_reason(evaluation, leaf):
            message = deviation_needed(leaf, r.score, r.actual)
            if message:
                issues.append(Issue(WARNING, LeafField(leaf.id, "deviation"), message))
    for value_id in evaluation.values:
        if value_id not in leaf_ids:
            issues.append(Issue(WARNING, LeafField(value_id),
                                f"“{value_id}”不是指标体系中的指标，已保留但不参与评分"))
    return issues


def validate_system_blocks(evaluation: Evaluation) -> list[Issue]:
    """Department-defined (custom) blocks whose leaves do not add up to the block's weight."""
    issues: list[Issue] = []
    for i, top in enumerate(evaluation.system.indicators):
        for j, mid in enumerate(top.children):
            if isinstance(mid, Group) and mid.custom:
                got = mid.children_weight
                if got != mid.weight:
                    issues.append(Issue(
                        ERROR, NodeAddress((i, j)),
                        f"{top.name} › {mid.name}：各指标分值之和 {fmt_weight(got)} "
                        f"不等于该项分值 {fmt_weight(mid.weight)}"))
    return issues


# Words a system's example rows carry until the department names its own indicator, and the
# XX a notice's example table leaves for the department's own figure or name.
PLACEHOLDER_WORDS = ("示例", "请替换")
_PLACEHOLDER_MARK = re.compile(r"(?<![A-Za-z])(?:XX|xx|ＸＸ|××)")


def is_placeholder(name: str) -> bool:
    return any(word in name for word in PLACEHOLDER_WORDS) or bool(_PLACEHOLDER_MARK.search(name))


def _clip(text: str, n: int = 16) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[:n - 1] + "…"


def _texts(evaluation: Evaluation) -> list[tuple[Address, str, str]]:
    """(address, label, text) of every text the clerk writes that the report prints."""
    out: list[tuple[Address, str, str]] = []
    for key, label in GOAL_FIELDS:
        out.append((FieldAddress("goals", key), label, getattr(evaluation.goals, key)))
    for key, label in NARRATIVE_FIELDS:
        out.append((FieldAddress("narrative", key), label, evaluation.narrative.get(key, "")))
    dept = evaluation.department
    out.append((FieldAddress("department", "functions"), "部门职能", "\n".join(dept.functions)))
    out.append((FieldAddress("department", "divisions"), "内设机构", dept.divisions))
    for k, task in enumerate(evaluation.tasks):
        for field, what in (("target", "绩效目标"), ("result", "完成情况")):
            out.append((RowCell("tasks", k, field), f"第 {k + 1} 项重点工作任务{what}",
                        getattr(task, field)))
    for k, project in enumerate(evaluation.projects):
        out.append((RowCell("projects", k, "result"), f"第 {k + 1} 个项目的完成情况",
                    project.result))
    return out


def validate_placeholders(evaluation: Evaluation) -> list[Issue]:
    """Indicators, criteria, tasks, projects and texts still holding a system's or a notice's
    example text (示例, 请替换, XX): printed as they are, they would read as the department's."""
    issues: list[Issue] = []
    for i, top in enumerate(evaluation.system.indicators):
        for j, mid in enumerate(top.children):
            if isinstance(mid, Group) and is_placeholder(mid.name):
                issues.append(Issue(WARNING, NodeAddress((i, j)),
                                    f"二级指标“{mid.name}”仍是示例名称，请改为本部门的指标"))
        if is_placeholder(top.name):
            issues.append(Issue(WARNING, NodeAddress((i,)),
                                f"一级指标“{top.name}”仍是示例名称，请改为本部门的指标"))
    for leaf in evaluation.system.leaves():
        if is_placeholder(leaf.name):
            issues.append(Issue(WARNING, LeafField(leaf.id),
                                f"指标“{leaf.name}”仍是示例名称，请改为本部门的指标及指标值"))
        elif is_placeholder(leaf.criteria):
            issues.append(Issue(WARNING, LeafField(leaf.id),
                                f"指标“{leaf.name}”的评分标准仍是示例文字"
                                f"（“{_clip(leaf.criteria)}”），请改为本部门的评分标准"))
    for k, task in enumerate(evaluation.tasks):
        if is_placeholder(task.name):
            issues.append(Issue(WARNING, RowCell("tasks", k, "name"),
                                f"重点工作任务“{task.name}”仍是示例名称，请替换"))
    for k, project in enumerate(evaluation.projects):
        if is_placeholder(project.name):
            issues.append(Issue(WARNING, RowCell("projects", k, "name"),
                                f"项目“{project.name}”仍是示例名称，请替换"))
    for address, label, text in _texts(evaluation):
        for line in text.splitlines():
            if is_placeholder(line):
                issues.append(Issue(WARNING, address,
                                    f"{label}中有示例文字“{_clip(line)}”，请改为本部门的内容"))
                break
    return issues


# A sentence that opens with a year (2023年，… / 2023年度… / 在2023年…) speaks of that year's work.
_OPENING_YEAR = re.compile(r"^(?:在|于)?\s*((?:19|20)\d\d)\s*年")
_LIST_MARK = re.compile(r"^(?:\d{1,2}\s*[.、．](?!\d)|[（(][一二三四五六七八九十\d]{1,3}[)）]"
                        r"|[一二三四五六七八九十]{1,3}[、是]|[①-⑳])\s*")


def validate_years(evaluation: Evaluation) -> list[Issue]:
    """A sentence about a year's work that names another year than the evaluation's: most
    often last year's text copied forward (a text still marked 沿用上年 is asked about once,
    by ``validate_carried``) (\"2023年，…将全面贯彻…\" in the 2024 report)."""
    year = evaluation.department.year
    issues: list[Issue] = []
    if not year:
        return issues
    carried = set(carry_over.carried(evaluation))  # already asked about, years included
    for address, label, text in _texts(evaluation):
        if str(address) in carried:
            continue
        for part in re.split(r"[。；！？\n]", text):
            sentence = _LIST_MARK.sub("", part.strip())
            m = _OPENING_YEAR.match(sentence)
            if m and int(m.group(1)) != year:
                issues.append(Issue(WARNING, address,
                                    f"{label}中“{_clip(sentence)}”写的是 {m.group(1)} 年，"
                                    f"本报告是 {year} 年度，请核对"))
                break
    return issues


def validate_typed_headings(evaluation: Evaluation) -> list[Issue]:
    """Headings the clerk typed at the level of the section they stand in (two （一） in a row)."""
    from .report.lists import typed_heading_problems  # the report's outline builds on this module

    return [Issue(WARNING, FieldAddress("narrative", key), message)
            for key, _line, message in typed_heading_problems(evaluation)]


def draft_issues(evaluation: Evaluation) -> dict[str, list[Issue]]:
    """What keeps a report a draft besides errors: example texts, 沿用上年 texts not yet
    confirmed, another year's sentences.  Each is a warning in the checks too."""
    return {"示例文字": validate_placeholders(evaluation),
            "沿用上年的文字未确认": validate_carried(evaluation),
            "年份与评价年度不符的文字": validate_years(evaluation)}


_TEXT_LABELS = {**{f"goals.{k}": v for k, v in GOAL_FIELDS},
                **{f"narrative.{k}": v for k, v in NARRATIVE_FIELDS}}


def carried_label(path: str) -> str:
    """The field a carried-over path names, in the clerk's words."""
    if path in _TEXT_LABELS:
        return _TEXT_LABELS[path]
    if path == "department.functions":
        return "部门职能"
    if path.startswith("tasks["):
        index = path[len("tasks["):].split("]", 1)[0]
        what = "名称" if path.endswith(".name") else "绩效目标"
        return f"第 {int(index) + 1} 项重点工作任务{what}" if index.isdigit() else path
    if path.startswith("projects["):
        index = path[len("projects["):].split("]", 1)[0]
        return f"第 {int(index) + 1} 个项目的名称" if index.isdigit() else path
    return path


def validate_carried(evaluation: Evaluation) -> list[Issue]:
    """Texts copied from last year that the clerk has neither edited nor confirmed."""
    return [Issue(WARNING, parse(path), f"{carried_label(path)}：沿用上年的文字，请修改或确认"
                                 f"（注意其中的年份和比率）")
            for path in carry_over.carried(evaluation)]


def refused_message(evaluation: Evaluation, path: str, text: str) -> str:
    """The error of a refused entry: the field in the clerk's words, the text, why."""
    from .field_names import field_trail  # field_names builds on this module's SECTIONS

    shown = text if len(text) <= 30 else text[:29] + "…"
    why = f"“{shown}”不是此处可用的值"
    try:
        parse_number(text, "", required=False)
    except NumberError as exc:
        why = str(exc).lstrip("：:")
    else:
        # a number the indicator's field does not take: the words its row and panel use
        reason = _leaf_entry_reason(evaluation, path, text)
        if reason:
            return f"{reason}（未采用，请改正）"
    # the section is said where the issue is listed (panel, page): the field within it
    where = " › ".join(field_trail(evaluation, path)[1:]) or path
    return f"{where}：{why}（未采用，请改正）"


def _leaf_entry_reason(evaluation: Evaluation, path: str, text: str) -> str:
    """Why an indicator's count, coefficient or a bounded number a kind declared refuses
    ``text``, or ""."""
    address = parse(path)
    if not isinstance(address, LeafField):
        return ""
    declared = VALUE_FIELDS.get(address.field)
    bounded = declared is not None and declared.type in ("number", "count") and address.field not in (
        "actual", "score") and (declared.low is not None or declared.high is not None)
    if address.field not in ("count", "coefficient") and not bounded:
        return ""
    leaf = evaluation.system.leaf(address.leaf_id)
    if leaf is None:
        return ""
    return read_entry(leaf, address.leaf_id, evaluation.value(address.leaf_id), address.field,
                      text).refused


def _refused_field_exists(evaluation: Evaluation, path: str) -> bool:
    """False for the entry of an indicator that has since been removed."""
    address = parse(path)
    if isinstance(address, LeafField):
        return address.leaf_id in evaluation.system.leaf_index()
    return not str(address).startswith("system.")


def validate_refused(evaluation: Evaluation) -> list[Issue]:
    """Typed text that is not a value: an error until the clerk corrects or clears it."""
    return [Issue(ERROR, parse(path), refused_message(evaluation, path, text))
            for path, text in evaluation.refused.items()
            if _refused_field_exists(evaluation, path)]


def validate_evidence(evaluation: Evaluation) -> list[Issue]:
    """An indicator whose 评分标准 asks for 佐证材料 and has none attached."""
    issues = []
    for leaf in evaluation.system.leaves():
        if ASKING.search(leaf.criteria) and not evaluation.evidence.get(leaf_owner(leaf.id)):
            if evaluation.value(leaf.id).not_applicable:
                continue
            issues.append(Issue(WARNING, LeafField(leaf.id, "evidence"),
                                f"{leaf.name}：评分标准要求佐证材料，尚未添加"))
    return issues


def validate(evaluation: Evaluation, result: ScoreResult | None = None) -> list[Issue]:
    """Every issue of the evaluation, errors first, then in form order."""
    if result is None:
        result = score(evaluation)
    issues = validate_refused(evaluation) + validate_system_blocks(evaluation)
    if not evaluation.department.name.strip():
        issues.append(Issue(WARNING, FieldAddress("department", "name"), "单位名称未填写"))
    issues += validate_budget(evaluation)
    issues += validate_values(evaluation, result)
    issues += validate_placeholders(evaluation)
    issues += validate_carried(evaluation)
    issues += validate_evidence(evaluation)
    issues += validate_years(evaluation)
    issues += validate_typed_headings(evaluation)
    order = {key: i for i, (key, _) in enumerate(SECTIONS)}
    issues.sort(key=lambda i: (i.level != ERROR, order.get(i.section, 99)))
    return issues
