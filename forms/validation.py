"""Validation: every problem of an evaluation as a value (level, path, Chinese message).

Nothing here raises for clerk data.  ``path`` is the JSON path of the field in
the evaluation package (``budget.by_source.general.executed``,
``values.exec_rate.deviation``), so the desktop can jump to the field and mark
the cell, and the command line can print it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from . import carry_over
from .address import Address, BudgetCell, FieldAddress, LeafField, NodeAddress, RowCell, parse
from .budget import effective_total, row_rate
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
    if budget.carryover is not None and budget.carryover < 0:
        issues.append(Issue(ERROR, FieldAddress("budget", "carryover"),
                            f"年末结转和结余（{fmt_amount(budget.carryover)}）不能为负数。"))
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


def _deviation_needed(leaf: Leaf, result_score: Decimal, actual: Decimal | None) -> str:
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
                issues.append(Issue(WARNING, LeafField(leaf.id), f"{r.message}（未计分）"))
        elif r.status == INVALID:
            issues.append(Issue(ERROR, LeafField(leaf.id), r.message))
        elif r.status == SCORED and not value.deviation.strip():
            message = _deviation_needed(leaf, r.score, r.actual)
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


# Words a system's example rows carry until the department names its own indicator.
PLACEHOLDER_WORDS = ("示例", "请替换")


def is_placeholder(name: str) -> bool:
    return any(word in name for word in PLACEHOLDER_WORDS)


def validate_placeholders(evaluation: Evaluation) -> list[Issue]:
    """Leaves, groups and tasks still named with a system's example text."""
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
    for k, task in enumerate(evaluation.tasks):
        if is_placeholder(task.name):
            issues.append(Issue(WARNING, RowCell("tasks", k, "name"),
                                f"重点工作任务“{task.name}”仍是示例名称，请替换"))
    return issues


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
    order = {key: i for i, (key, _) in enumerate(SECTIONS)}
    issues.sort(key=lambda i: (i.level != ERROR, order.get(i.section, 99)))
    return issues
