"""The budget table's computed figures: 合计 when omitted, 执行率 and the other rates.

Rates are percent numbers at full precision (shown with two decimals); a
division by zero or a missing figure leaves the rate ``None`` with a reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .address import Address, BudgetCell, FieldAddress, RowCell
from .model import SOURCE_ROWS, Budget, BudgetRow, Evaluation, Project
from .numbers import HUNDRED, ZERO


def _sum(values: list[Decimal | None]) -> Decimal | None:
    present = [v for v in values if v is not None]
    return sum(present, ZERO) if present else None


def sum_rows(rows: list[BudgetRow]) -> BudgetRow:
    return BudgetRow(
        initial=_sum([r.initial for r in rows]),
        adjusted=_sum([r.adjusted for r in rows]),
        executed=_sum([r.executed for r in rows]),
    )


def effective_total(budget: Budget) -> BudgetRow:
    """合计 column by column: as typed, or the sum of the fund-source rows where left empty.

    A typed 合计 that disagrees with the sources is kept (and is a warning of the checks).
    """
    summed = sum_rows([budget.source(key) for key, _ in SOURCE_ROWS])
    typed = budget.total
    if typed is None:
        return summed
    return BudgetRow(
        initial=typed.initial if typed.initial is not None else summed.initial,
        adjusted=typed.adjusted if typed.adjusted is not None else summed.adjusted,
        executed=typed.executed if typed.executed is not None else summed.executed,
    )


def rate(numerator: Decimal | None, denominator: Decimal | None) -> Decimal | None:
    if numerator is None or denominator is None or denominator == 0:
        return None
    return numerator / denominator * HUNDRED


def row_rate(row: BudgetRow) -> Decimal | None:
    """执行率 = 全年执行数 / 全年预算数 × 100."""
    return rate(row.executed, row.adjusted)


@dataclass(frozen=True)
class Rates:
    """Every computed rate (percent, full precision) and why one is missing."""

    values: dict[str, Decimal | None]
    reasons: dict[str, str]
    # where to fill in what a missing rate lacks (the cell its reason names)
    fields: dict[str, Address] = field(default_factory=dict)

    def get(self, source: str) -> Decimal | None:
        return self.values.get(source)


def _why(label: str, numerator: Decimal | None, denominator: Decimal | None, num_name: str,
         den_name: str) -> str:
    if denominator is None:
        return f"{label}无法计算：{den_name}未填写"
    if denominator == 0:
        return f"{label}无法计算：{den_name}为 0"
    if numerator is None:
        return f"{label}无法计算：{num_name}未填写"
    return ""


def project_totals(projects: tuple[Project, ...]) -> tuple[Decimal | None, Decimal | None]:
    return (_sum([p.budget for p in projects]), _sum([p.executed for p in projects]))


def compute_rates(evaluation: Evaluation) -> Rates:
    budget = evaluation.budget
    total = effective_total(budget)
    basic = budget.nature("basic")
    project = budget.nature("project")
    proj_budget, proj_executed = project_totals(evaluation.projects)
    adjustment_numerator = (
        abs(total.adjusted - total.initial)
        if total.adjusted is not None and total.initial is not None else None
    )
    specs = {
        "budget.execution_rate": (total.executed, total.adjusted, "预算执行率", "合计全年执行数",
                                  "合计全年预算数"),
        "budget.basic_execution_rate": (basic.executed, basic.adjusted, "基本支出执行率",
                                        "基本支出全年执行数", "基本支出全年预算数"),
        "budget.project_execution_rate": (project.executed, project.adjusted, "项目支出执行率",
                                          "项目支出全年执行数", "项目支出全年预算数"),
        "budget.carryover_rate": (budget.carryover, total.adjusted, "结转结余率",
                                  "年末结转和结余", "合计全年预算数"),
        "budget.adjustment_rate": (adjustment_numerator, total.initial, "预算调整率",
                                   "合计全年预算数", "合计年初预算数"),
        "projects.execution_rate": (proj_executed, proj_budget, "项目执行率", "项目执行数",
                                    "项目预算数"),
    }
    first_project = 0 if evaluation.projects else None

    def project_cell(column: str) -> Address:
        return (RowCell("projects", first_project, column) if first_project is not None
                else FieldAddress("projects"))

    def total_cell(column: str) -> Address:
        return BudgetCell("total", "", column)

    places: dict[str, tuple[Address, Address]] = {
        "budget.execution_rate": (total_cell("executed"), total_cell("adjusted")),
        "budget.basic_execution_rate": (BudgetCell("by_nature", "basic", "executed"),
                                        BudgetCell("by_nature", "basic", "adjusted")),
        "budget.project_execution_rate": (BudgetCell("by_nature", "project", "executed"),
                                          BudgetCell("by_nature", "project", "adjusted")),
        "budget.carryover_rate": (FieldAddress("budget", "carryover"), total_cell("adjusted")),
        "budget.adjustment_rate": (total_cell("adjusted"), total_cell("initial")),
        "projects.execution_rate": (project_cell("executed"), project_cell("budget")),
    }
    values: dict[str, Decimal | None] = {}
    reasons: dict[str, str] = {}
    fields: dict[str, Address] = {}
    for key, (num, den, label, num_name, den_name) in specs.items():
        values[key] = rate(num, den)
        if values[key] is None:
            reasons[key] = _why(label, num, den, num_name, den_name)
            fields[key] = places[key][1] if den is None or den == 0 else places[key][0]
    return Rates(values, reasons, fields)
