"""The finance bureau's review of many submissions: recompute, compare, flag.

A submission is one department's evaluation as it arrived (an exported
workbook or a package).  ``review_submission`` scores it again and lists what
a reviewer must look at (flags); ``finish`` adds what only the whole set
shows (the same department and year twice) and sorts by score.  Nothing here
reads files: ``exports.review_read`` turns files into ``Submission`` values.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from .model import Evaluation
from .report.build import draft_reasons
from .numbers import ZERO, fmt2, fmt_rate, fmt_weight, round2
from .scoring import NOT_APPLICABLE, SCORED, ScoreResult, score
from .system import Leaf, System, system_to_dict
from .validation import (
    ERROR,
    EXPLAIN_BELOW_TEXT,
    EXPLAIN_EXECUTION_BELOW,
    Issue,
    budget_sum_issues,
    validate,
)

# Flag kinds, in the order a reviewer reads them; the texts name the filter in the window.
SCORE_DIFFERS = "score_differs"
EDITED = "edited"
LOW_EXECUTION = "low_execution"
BUDGET_SUM = "budget_sum"
NO_DEVIATION = "no_deviation"
DUPLICATE = "duplicate"
OTHER_SYSTEM = "other_system"
PACK = "pack"
EMPTY = "empty"
DRAFT = "draft"
NOT_COUNTED = (EMPTY, DRAFT)  # kept out of the averages, the grades and the distribution
FLAG_NAMES: dict[str, str] = {
    EMPTY: "未填写（不计入平均）",
    DRAFT: "草稿（不计入平均）",
    SCORE_DIFFERS: "表上得分与重算不符",
    EDITED: "导出后改动了表格",
    LOW_EXECUTION: f"执行率低于{EXPLAIN_BELOW_TEXT}未说明",
    BUDGET_SUM: "收支数据不平",
    NO_DEVIATION: "扣分未说明偏差原因",
    DUPLICATE: "重复报送",
    OTHER_SYSTEM: "未使用参考指标体系",
    PACK: "报送包与清单不符",
}


@dataclass(frozen=True)
class EditedCell:
    """A visible cell whose content differs from the data the program exported with it."""

    place: str  # 工作表!单元格
    label: str  # what the cell holds, as the clerk calls it
    exported: str
    visible: str
    path: str = ""  # the package field it holds


@dataclass(frozen=True)
class Stated:
    """What the visible cells of a workbook say: total, grade, and each leaf's score."""

    total: Decimal | None
    grade: str
    place: str  # the total's cell
    leaf_scores: Mapping[str, Decimal | None] = field(default_factory=dict)
    leaf_places: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Submission:
    path: str
    evaluation: Evaluation
    stated: Stated | None = None  # None for a package: nothing is stated beside the data
    edited: tuple[EditedCell, ...] = ()
    places: Mapping[str, str] = field(default_factory=dict)  # package path → 工作表!单元格
    pack_problems: tuple[str, ...] = ()  # a 报送包: files missing, changed or not listed


@dataclass(frozen=True)
class Rejected:
    """A file that is not a submission, and why."""

    path: str
    reason: str


@dataclass(frozen=True)
class Flag:
    kind: str
    message: str
    place: str  # where to look: a cell of the workbook, or the field of the form
    path: str = ""  # the field in the package (as an issue's path), for jumping there

    @property
    def name(self) -> str:
        return FLAG_NAMES[self.kind]


@dataclass(frozen=True)
class SystemMatch:
    identical: bool | None  # None: no reference system was given
    differences: tuple[str, ...] = ()
    brief: str = ""  # the differences in one short line, for a table cell


@dataclass(frozen=True)
class ReviewRow:
    submission: Submission
    result: ScoreResult
    issues: tuple[Issue, ...]
    flags: tuple[Flag, ...]
    system_match: SystemMatch

    @property
    def evaluation(self) -> Evaluation:
        return self.submission.evaluation

    @property
    def department(self) -> str:
        return self.evaluation.department.name.strip()

    @property
    def year(self) -> int:
        return self.evaluation.department.year

    @property
    def stated_total(self) -> Decimal | None:
        stated = self.submission.stated
        return stated.total if stated is not None else None

    @property
    def difference(self) -> Decimal | None:
        """表上得分 − 重算得分, when the table states a total."""
        stated = self.stated_total
        return None if stated is None else stated - self.result.total

    @property
    def stated_grade(self) -> str:
        stated = self.submission.stated
        return stated.grade if stated is not None else ""

    @property
    def execution_rate(self) -> Decimal | None:
        return self.result.rates.get("budget.execution_rate")

    @property
    def carryover_rate(self) -> Decimal | None:
        return self.result.rates.get("budget.carryover_rate")

    @property
    def completeness(self) -> str:
        return f"{self.result.filled}/{self.result.leaf_count}"

    @property
    def errors(self) -> int:
        return sum(1 for i in self.issues if i.level == ERROR)

    @property
    def warnings(self) -> int:
        return len(self.issues) - self.errors

    def flag_kinds(self) -> set[str]:
        return {f.kind for f in self.flags}


@dataclass(frozen=True)
class LeafStats:
    """One leaf across the submissions that scored it (不适用 and absent left out)."""

    scores: Mapping[int, Decimal]  # row index → score, in the review's order
    average: Decimal | None
    full: int  # how many scored full marks
    low: tuple[int, ...]  # row indexes far below the others (``outliers``)

    @property
    def count(self) -> int:
        return len(self.scores)

    @property
    def lowest(self) -> Decimal | None:
        return min(self.scores.values(), default=None)

    @property
    def highest(self) -> Decimal | None:
        return max(self.scores.values(), default=None)


# score bands of the distribution: (label, lowest score, highest score excluded)
SCORE_BANDS: tuple[tuple[str, Decimal, Decimal], ...] = (
    ("60 分以下", Decimal(0), Decimal(60)),
    ("60–70", Decimal(60), Decimal(70)),
    ("70–80", Decimal(70), Decimal(80)),
    ("80–90", Decimal(80), Decimal(90)),
    ("90–100", Decimal(90), Decimal(101)),
)


@dataclass(frozen=True)
class Review:
    rows: tuple[ReviewRow, ...]  # by recomputed score, highest first
    rejected: tuple[Rejected, ...]
    reference: str = ""  # the reference system's name, "" when none was given

    def grade_counts(self) -> list[tuple[str, int]]:
        """Each grade with its number of submissions, in the systems' order (best first)."""
        order: list[str] = []
        for row in self.rows:
            for _, grade in row.evaluation.system.grades:
                if grade not in order:
                    order.append(grade)
        counts = Counter(row.result.grade for row in self.counted)
        order += [grade for grade in counts if grade not in order]  # 未定级, last
        return [(grade, counts.get(grade, 0)) for grade in order]

    @cached_property
    def counted(self) -> tuple[ReviewRow, ...]:
        """The submissions the figures speak of: neither empty nor a draft."""
        return tuple(r for r in self.rows if not r.flag_kinds() & set(NOT_COUNTED))

    @property
    def excluded_text(self) -> str:
        """What the averages leave out, said beside them ("" when nothing)."""
        left = len(self.rows) - len(self.counted)
        return f"（不含未填写和草稿 {left} 份）" if left else ""

    @cached_property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({row.year for row in self.rows if row.year}))

    @property
    def years_text(self) -> str:
        """The years the review covers, as a title says them: 2023年度, 2022—2024年度."""
        years = self.years
        if not years:
            return ""
        if len(years) == 1:
            return f"{years[0]}年度"
        if list(years) == list(range(years[0], years[-1] + 1)):
            return f"{years[0]}—{years[-1]}年度"
        return "、".join(str(y) for y in years) + "年度"

    @cached_property  # asked for each row of each sheet: counted once, not once per row
    def year(self) -> int | None:
        """The year most submissions are for (a review is normally one spring's set)."""
        years = Counter(row.year for row in self.rows if row.year)
        return years.most_common(1)[0][0] if years else None

    def distribution(self) -> list[tuple[str, int]]:
        """Submissions per score band (recomputed totals)."""
        return [(label, sum(1 for r in self.counted if low <= r.result.total < high))
                for label, low, high in SCORE_BANDS]

    def leaf_stats(self, leaf_id: str) -> LeafStats:
        """How the submissions scored on one leaf, for the per-leaf sheet."""
        counted = {id(r) for r in self.counted}
        scored = [(i, found) for i, row in enumerate(self.rows)
                  if id(row) in counted and (found := row.result.leaf(leaf_id)) is not None
                  and found.status != NOT_APPLICABLE]
        scores = {i: found.score for i, found in scored}
        low = outliers({str(i): v for i, v in scores.items()})
        return LeafStats(scores, self.average(scores.values()),
                         sum(1 for _, found in scored if found.full_marks),
                         tuple(int(i) for i in low))

    def average(self, values: Iterable[Decimal | None]) -> Decimal | None:
        present = [v for v in values if v is not None]
        if not present:
            return None
        return round2(sum(present, ZERO) / len(present))

    @property
    def average_total(self) -> Decimal | None:
        return self.average(r.result.total for r in self.counted)

    @property
    def average_execution(self) -> Decimal | None:
        return self.average(r.execution_rate for r in self.counted)

    def flag_counts(self) -> list[tuple[str, int]]:
        counts = Counter(kind for row in self.rows for kind in row.flag_kinds())
        return [(kind, counts.get(kind, 0)) for kind in FLAG_NAMES]


# ---------------------------------------------------------------- systems

def _scoring(leaf: Leaf) -> object:
    """What decides a leaf's score besides its weight."""
    return (leaf.rule, leaf.target, leaf.unit, leaf.source, leaf.explain_below)


def _some(names: list[str], shown: int = 5) -> str:
    return "、".join(names[:shown]) + (" 等" if len(names) > shown else "")


def compare_systems(system: System, reference: System | None) -> SystemMatch:
    """Whether ``system`` is the reference; if not, which leaves and weights differ."""
    if reference is None:
        return SystemMatch(None)
    mine, theirs = system_to_dict(system), system_to_dict(reference)
    if all(mine.get(key) == theirs.get(key) for key in ("indicators", "grades")):
        return SystemMatch(True)
    ours, ref = system.leaf_index(), reference.leaf_index()
    out: list[str] = []
    weights = rules = 0
    missing = [leaf.name for leaf_id, leaf in ref.items() if leaf_id not in ours]
    extra = [leaf.name for leaf_id, leaf in ours.items() if leaf_id not in ref]
    if missing:
        out.append(f"缺少 {len(missing)} 个指标：{_some(missing)}")
    if extra:
        out.append(f"多出 {len(extra)} 个指标：{_some(extra)}")
    for leaf_id, leaf in ours.items():
        other = ref.get(leaf_id)
        if other is None:
            continue
        if leaf.weight != other.weight:
            weights += 1
            out.append(f"{leaf.name}分值 {fmt_weight(leaf.weight)}（参考 {fmt_weight(other.weight)}）")
        elif _scoring(leaf) != _scoring(other):
            rules += 1
            out.append(f"{leaf.name}评分标准不同")
        if leaf.name != other.name:
            out.append(f"“{other.name}”改名为“{leaf.name}”")
    if not out:
        out.append("指标分组、名称或等级划分不同")
    counts = [f"缺 {len(missing)} 项" if missing else "", f"多 {len(extra)} 项" if extra else "",
              f"{weights} 项分值不同" if weights else "", f"{rules} 项评分标准不同" if rules else ""]
    brief = "，".join(c for c in counts if c) or out[0]
    return SystemMatch(False, tuple(out), brief)


# ---------------------------------------------------------------- one submission

def _place(sub: Submission, path: str, fallback: str) -> str:
    return sub.places.get(path) or fallback


def _score_flags(sub: Submission, result: ScoreResult) -> list[Flag]:
    stated = sub.stated
    if stated is None:
        return []
    flags: list[Flag] = []
    if stated.total is None:
        flags.append(Flag(SCORE_DIFFERS, f"表上没有总分，重算为 {fmt2(result.total)}", stated.place,
                          "values"))
    elif round2(stated.total) != result.total:
        diff = round2(stated.total) - result.total
        flags.append(Flag(SCORE_DIFFERS,
                          f"表上总分 {fmt2(stated.total)}，重算 {fmt2(result.total)}"
                          f"（{'高' if diff > 0 else '低'} {fmt2(abs(diff))} 分）",
                          stated.place, "values"))
    if stated.grade and stated.grade != result.grade:
        flags.append(Flag(SCORE_DIFFERS, f"表上等级“{stated.grade}”，重算为“{result.grade}”",
                          stated.place, "values"))
    for r in result.leaves:
        if r.leaf.id not in stated.leaf_scores:
            continue
        shown = stated.leaf_scores[r.leaf.id]
        if shown is not None and round2(shown) != r.score:
            flags.append(Flag(SCORE_DIFFERS, f"{r.leaf.name}：表上得分 {fmt2(shown)}，重算 {fmt2(r.score)}",
                              stated.leaf_places.get(r.leaf.id, stated.place),
                              f"values.{r.leaf.id}"))
    return flags


def _edited_flags(sub: Submission) -> list[Flag]:
    return [Flag(EDITED, f"{c.label}：导出时为“{c.exported or '（空）'}”，表上为“{c.visible or '（空）'}”",
                 c.place, c.path) for c in sub.edited]


def _execution_flags(sub: Submission, result: ScoreResult) -> list[Flag]:
    rate = result.rates.get("budget.execution_rate")
    if rate is None or rate >= EXPLAIN_EXECUTION_BELOW:
        return []
    ev = sub.evaluation
    leaves = [leaf for leaf in ev.system.leaves() if leaf.source == "budget.execution_rate"]
    if ev.goals.unmet_reason.strip() or any(ev.value(leaf.id).deviation.strip() for leaf in leaves):
        return []
    path = f"values.{leaves[0].id}.deviation" if leaves else "goals.unmet_reason"
    return [Flag(LOW_EXECUTION, f"预算执行率 {fmt_rate(rate)}，低于 {EXPLAIN_BELOW_TEXT}，未说明原因",
                 _place(sub, path, "绩效目标 › 未能完成原因" if not leaves else f"{leaves[0].name} › 偏差原因"),
                 path)]


def _budget_flags(sub: Submission) -> list[Flag]:
    return [Flag(BUDGET_SUM, issue.message, _place(sub, issue.path, "收支情况"), issue.path)
            for issue in budget_sum_issues(sub.evaluation)]


def _deviation_flags(sub: Submission, result: ScoreResult) -> list[Flag]:
    flags = []
    for r in result.leaves:
        if r.status != SCORED or r.score >= r.leaf.weight:
            continue
        if sub.evaluation.value(r.leaf.id).deviation.strip():
            continue
        flags.append(Flag(NO_DEVIATION,
                          f"{r.leaf.name}得分 {fmt2(r.score)}（分值 {fmt_weight(r.leaf.weight)}），"
                          "未填写偏差原因分析",
                          _place(sub, f"values.{r.leaf.id}.deviation", f"绩效指标评分 › {r.leaf.name}"),
                          f"values.{r.leaf.id}.deviation"))
    return flags


def review_submission(sub: Submission, reference: System | None) -> ReviewRow:
    result = score(sub.evaluation)
    issues = tuple(validate(sub.evaluation, result))
    match = compare_systems(sub.evaluation.system, reference)
    flags = _score_flags(sub, result) + _edited_flags(sub) + _execution_flags(sub, result) \
        + _budget_flags(sub) + _deviation_flags(sub, result)
    flags += [Flag(PACK, problem, "清单.txt") for problem in sub.pack_problems]
    if result.filled == 0:
        flags.append(Flag(EMPTY, f"没有填写任何指标（0/{result.leaf_count}），"
                          "不计入平均分和分布", "绩效指标评分", "values"))
    else:
        reasons = draft_reasons(sub.evaluation, result, issues)
        if reasons:
            flags.append(Flag(DRAFT, "草稿：" + "；".join(reasons) + "，不计入平均分和分布",
                              "绩效指标评分", "values"))
    if match.identical is False:
        flags.append(Flag(OTHER_SYSTEM, f"指标体系“{sub.evaluation.system.name}”与参考体系不同："
                          + "；".join(match.differences), "绩效指标评分", "system"))
    return ReviewRow(sub, result, issues, tuple(flags), match)


# ---------------------------------------------------------------- the whole set

def _with_flag(row: ReviewRow, flag: Flag) -> ReviewRow:
    return ReviewRow(row.submission, row.result, row.issues, row.flags + (flag,), row.system_match)


DUPLICATES_NAMED = 5  # the other copies a duplicate's message names


def finish(rows: Iterable[ReviewRow], rejected: Iterable[Rejected],
           reference: System | None = None) -> Review:
    """Flag the same department and year submitted more than once; sort by score."""
    rows = list(rows)
    by_key: dict[tuple[str, int], list[int]] = {}
    for i, row in enumerate(rows):
        if row.department:
            by_key.setdefault((row.department, row.year), []).append(i)
    for (name, year), indexes in by_key.items():
        if len(indexes) < 2:
            continue
        # each names at most DUPLICATES_NAMED others: naming all of them would make the
        # messages of n copies grow as n² (3,000 copies, 9 million paths)
        first = [rows[j].submission.path for j in indexes[:DUPLICATES_NAMED + 1]]
        for i in indexes:
            others = [p for p in first if p != rows[i].submission.path][:DUPLICATES_NAMED]
            more = len(indexes) - 1 - len(others)
            rows[i] = _with_flag(rows[i], Flag(
                DUPLICATE, f"{name} {year} 年度共报送 {len(indexes)} 份，另见："
                + "；".join(others) + (f" 等（另有 {more} 份未列出）" if more else ""),
                "单位基本情况 › 单位名称", "department.name"))
    rows.sort(key=lambda r: (-r.result.total, r.department, r.submission.path))
    rejected = sorted(rejected, key=lambda r: r.path)
    return Review(tuple(rows), tuple(rejected), reference.name if reference else "")


def outliers(scores: Mapping[str, Decimal]) -> list[str]:
    """Who scored far below the others on one leaf: under Tukey's lower fence
    (Q1 − 1.5 × IQR, inclusive quartiles), for the per-leaf sheet."""
    if len(scores) < 4:
        return []
    q1, _, q3 = statistics.quantiles([float(v) for v in scores.values()], n=4,
                                     method="inclusive")
    fence = q1 - 1.5 * (q3 - q1)
    return [name for name, v in scores.items() if float(v) < fence]


def _d(value: Decimal | None) -> str | None:
    return None if value is None else fmt2(value)


def row_json(row: ReviewRow) -> dict[str, object]:
    stated = row.submission.stated
    return {
        "path": row.submission.path,
        "department": row.department,
        "year": row.year,
        "system": {"name": row.evaluation.system.name, "identical": row.system_match.identical,
                   "differences": list(row.system_match.differences)},
        "stated": None if stated is None else {"total": _d(stated.total), "grade": stated.grade},
        "recomputed": {"total": _d(row.result.total), "grade": row.result.grade},
        "difference": _d(row.difference),
        "execution_rate": _d(row.execution_rate),
        "carryover_rate": _d(row.carryover_rate),
        "completeness": {"filled": row.result.filled, "leaves": row.result.leaf_count},
        "errors": row.errors,
        "warnings": row.warnings,
        "flags": [{"kind": f.kind, "name": f.name, "message": f.message, "place": f.place}
                  for f in row.flags],
    }


def review_json(review: Review) -> dict[str, object]:
    """The review as plain data for ``selfeval review --json`` (figures as two-decimal text)."""
    return {
        "reference": review.reference or None,
        "count": len(review.rows),
        "grades": dict(review.grade_counts()),
        "average_total": _d(review.average_total),
        "average_execution_rate": _d(review.average_execution),
        "flag_counts": dict(review.flag_counts()),
        "submissions": [row_json(row) for row in review.rows],
        "rejected": [{"path": r.path, "reason": r.reason} for r in review.rejected],
    }
