"""The review's summary workbook: 汇总, 问题清单, 指标得分 and 未读取文件.

``summary_bytes(review)`` returns the .xlsx as bytes.  Like the department's
workbook, every figure is a value with a number format (scores ``0.00``,
rates ``0.00%``), clerk text stays text, and each sheet prints on A4
landscape, fitted to the page width, with its header repeated on each page.
"""

from __future__ import annotations

from collections import Counter
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles.cell_style import StyleArray

from forms.numbers import fmt2
from forms.review import FLAG_NAMES, Review, ReviewRow
from forms.system import Leaf, System

from .cellmap import MappedCell
from .excel import FONT_SUB, RATE, RIGHT, SCORE, WRAP_CENTER, _print_setup, _Sheet, _title
from .tables import rate_fraction

SHEET_SUMMARY = "汇总"
SHEET_FLAGS = "问题清单"
SHEET_LEAVES = "指标得分"
SHEET_REJECTED = "未读取文件"
TITLE = "部门整体支出绩效自评审核汇总"
SUMMARY_MARK = "selfeval-review-summary"

SUMMARY_HEADER: tuple[tuple[str, float], ...] = (
    ("序号", 5), ("单位名称", 22), ("年度", 6), ("指标体系", 16), ("与参考体系一致", 8),
    ("体系差异", 18), ("表上总分", 8), ("表上等级", 6), ("重算总分", 8), ("重算等级", 6),
    ("相差", 7), ("预算执行率", 9), ("结转结余率", 9), ("完成度", 7), ("错误", 5), ("提醒", 5),
    ("问题标记", 22), ("文件", 26),
)
FLAG_HEADER: tuple[tuple[str, float], ...] = (
    ("序号", 5), ("单位名称", 22), ("年度", 6), ("问题", 16), ("说明", 60), ("位置", 26),
    ("文件", 28),
)
LEAF_STATS: tuple[tuple[str, float], ...] = (
    ("一级指标", 10), ("二级指标", 12), ("三级指标", 20), ("分值", 6), ("单位数", 6),
    ("平均得分", 8), ("最低得分", 8), ("最高得分", 8), ("满分单位数", 7), ("明显偏低的单位", 30),
)
REJECTED_HEADER: tuple[tuple[str, float], ...] = (("序号", 5), ("文件", 60), ("原因", 70))


def title_of(review: Review) -> str:
    """The title names every year the submissions are for (2022—2024年度…)."""
    return f"{review.years_text}{TITLE}"


def _match_text(row: ReviewRow) -> str:
    identical = row.system_match.identical
    return "—" if identical is None else ("是" if identical else "否")


def flag_summary(row: ReviewRow) -> str:
    counts = Counter(f.kind for f in row.flags)
    return "；".join(f"{FLAG_NAMES[k]}" + (f"（{n}）" if n > 1 else "")
                    for k, n in counts.items())


class _Book:
    def __init__(self) -> None:
        self.wb = Workbook()
        self.styles: dict[tuple[Any, ...], StyleArray] = {}
        self.cells: list[MappedCell] = []  # a summary reads back nothing: kept apart

    def sheet(self, title: str, header: tuple[tuple[str, float], ...], first: bool = False
              ) -> _Sheet:
        ws = self.wb.active if first else self.wb.create_sheet(title)
        assert ws is not None
        ws.title = title
        s = _Sheet(ws, [w for _, w in header], self.cells, self.styles)
        return s

    def header(self, s: _Sheet, row: int, header: tuple[tuple[str, float], ...],
               start: int = 1) -> None:
        for col, (label, _) in enumerate(header, start=start):
            s.put(row, col, label, bold=True, align=WRAP_CENTER)


def _summary_sheet(book: _Book, review: Review) -> None:
    s = book.sheet(SHEET_SUMMARY, SUMMARY_HEADER, first=True)
    last = len(SUMMARY_HEADER)
    _title(s, 1, title_of(review), last)
    reference = f"参考指标体系：{review.reference}" if review.reference else "未指定参考指标体系"
    _title(s, 2, f"共 {len(review.rows)} 份自评（按重算总分排序），{reference}；"
           f"未能读取的文件 {len(review.rejected)} 个", last, FONT_SUB, 22)
    book.header(s, 3, SUMMARY_HEADER)
    row = 4
    for i, r in enumerate(review.rows, start=1):
        s.put(row, 1, i, align=WRAP_CENTER)
        s.put(row, 2, r.department or "（未填写单位名称）")
        s.put(row, 3, r.year, align=WRAP_CENTER)
        s.put(row, 4, r.evaluation.system.name)
        s.put(row, 5, _match_text(r), align=WRAP_CENTER)
        s.put(row, 6, r.system_match.brief)  # the detail is in 问题清单
        s.number(row, 7, r.stated_total, fmt=SCORE)
        s.put(row, 8, r.stated_grade, align=WRAP_CENTER)
        s.number(row, 9, r.result.total, fmt=SCORE)
        s.put(row, 10, r.result.grade, align=WRAP_CENTER)
        s.number(row, 11, r.difference, fmt=SCORE)
        s.number(row, 12, rate_fraction(r.execution_rate), fmt=RATE)
        s.number(row, 13, rate_fraction(r.carryover_rate), fmt=RATE)
        s.put(row, 14, r.completeness, align=WRAP_CENTER)
        s.put(row, 15, r.errors, align=RIGHT)
        s.put(row, 16, r.warnings, align=RIGHT)
        s.put(row, 17, flag_summary(r))
        s.put(row, 18, r.submission.path)
        row += 1
    row += 1
    stats: list[tuple[str, Any, str | None]] = [("份数", len(review.rows), None)]
    stats += [(f"等级“{grade}”", count, None) for grade, count in review.grade_counts()]
    stats += [("计入平均的份数（不含未填写和草稿）", len(review.counted), None),
              ("平均重算总分", review.average_total, SCORE),
              ("平均预算执行率", rate_fraction(review.average_execution), RATE)]
    stats += [(FLAG_NAMES[kind], count, None) for kind, count in review.flag_counts()]
    s.put(row, 2, "统计", last_col=4, bold=True, align=WRAP_CENTER)
    s.put(row, 5, "数值", bold=True, align=WRAP_CENTER)
    for label, value, fmt in stats:
        row += 1
        s.put(row, 2, label, last_col=4)
        if fmt:
            s.number(row, 5, value, fmt=fmt)
        else:
            s.put(row, 5, value, align=RIGHT)
    s.heights()
    s.ws.freeze_panes = "C4"
    s.ws.auto_filter.ref = f"A3:R{3 + len(review.rows)}"
    _print_setup(s.ws, landscape=True, title_rows="3:3")


def _flags_sheet(book: _Book, review: Review) -> None:
    s = book.sheet(SHEET_FLAGS, FLAG_HEADER)
    _title(s, 1, f"{title_of(review)} · 问题清单", len(FLAG_HEADER), FONT_SUB, 28)
    book.header(s, 2, FLAG_HEADER)
    row, n = 3, 0
    for r in review.rows:
        for flag in r.flags:
            n += 1
            s.put(row, 1, n, align=WRAP_CENTER)
            s.put(row, 2, r.department or "（未填写单位名称）")
            s.put(row, 3, r.year, align=WRAP_CENTER)
            s.put(row, 4, flag.name)
            s.put(row, 5, flag.message)
            s.put(row, 6, flag.place)
            s.put(row, 7, r.submission.path)
            row += 1
    if n == 0:
        s.put(row, 1, "没有发现问题", last_col=len(FLAG_HEADER), align=WRAP_CENTER)
    s.heights()
    s.ws.freeze_panes = "A3"
    if n:
        s.ws.auto_filter.ref = f"A2:G{2 + n}"
    _print_setup(s.ws, landscape=True, title_rows="2:2")


def _leaf_order(review: Review, reference: System | None) -> list[tuple[str, str, Leaf]]:
    """(一级, 二级, leaf) for every leaf id met: the reference's order first, then as met."""
    seen: dict[str, tuple[str, str, Leaf]] = {}
    systems = ([reference] if reference is not None else []) + \
        [r.evaluation.system for r in review.rows]
    for system in systems:
        for top in system.indicators:
            for mid in top.children:
                if isinstance(mid, Leaf):
                    seen.setdefault(mid.id, (top.name, "", mid))
                    continue
                for leaf in mid.leaves():
                    seen.setdefault(leaf.id, (top.name, mid.name, leaf))
    return list(seen.values())


def _leaves_sheet(book: _Book, review: Review, reference: System | None) -> None:
    names = [f"{r.department or '（未填写）'}" + (f"（{r.year}）" if r.year != review.year else "")
             for r in review.rows]
    widths = LEAF_STATS + tuple((name, 16.0) for name in names)
    s = book.sheet(SHEET_LEAVES, widths)
    stats_cols = len(LEAF_STATS)
    _title(s, 1, f"{title_of(review)} · 各指标得分", stats_cols, FONT_SUB, 28)
    book.header(s, 2, widths)
    s.fixed_height[2] = 2 * 14.4 + 6  # long department names wrap in their on-screen columns
    row = 3
    for level1, level2, leaf in _leaf_order(review, reference):
        stats = review.leaf_stats(leaf.id)
        for col, r in enumerate(review.rows, start=stats_cols + 1):
            result = r.result.leaf(leaf.id)
            if result is None:
                s.put(row, col, "—", align=WRAP_CENTER)
            elif result.status == "not_applicable":
                s.put(row, col, "不适用", align=WRAP_CENTER)
            else:
                s.number(row, col, result.score, fmt=SCORE)
        s.put(row, 1, level1, align=WRAP_CENTER)
        s.put(row, 2, level2, align=WRAP_CENTER)
        s.put(row, 3, leaf.name)
        s.number(row, 4, leaf.weight, fmt="General")
        s.put(row, 5, stats.count, align=RIGHT)
        s.number(row, 6, stats.average, fmt=SCORE)
        s.number(row, 7, stats.lowest, fmt=SCORE)
        s.number(row, 8, stats.highest, fmt=SCORE)
        s.put(row, 9, stats.full, align=RIGHT)
        s.put(row, 10, "、".join(f"{names[i]} {fmt2(stats.scores[i])}" for i in stats.low))
        row += 1
    s.heights()
    s.ws.freeze_panes = "D3"
    # the per-department columns are for the screen; the statistics print
    s.ws.print_area = f"A1:J{max(3, row - 1)}"
    _print_setup(s.ws, landscape=True, title_rows="2:2")


def _rejected_sheet(book: _Book, review: Review) -> None:
    s = book.sheet(SHEET_REJECTED, REJECTED_HEADER)
    _title(s, 1, "未能读取的文件（不是本程序导出的自评表或评价包，或已损坏）", 3, FONT_SUB, 28)
    book.header(s, 2, REJECTED_HEADER)
    for i, rejected in enumerate(review.rejected, start=1):
        s.put(2 + i, 1, i, align=WRAP_CENTER)
        s.put(2 + i, 2, rejected.path)
        s.put(2 + i, 3, rejected.reason)
    if not review.rejected:
        s.put(3, 1, "无", last_col=3, align=WRAP_CENTER)
    s.heights()
    _print_setup(s.ws, landscape=True, title_rows="2:2")


def build_summary(review: Review, reference: System | None = None) -> Workbook:
    book = _Book()
    _summary_sheet(book, review)
    _flags_sheet(book, review)
    _leaves_sheet(book, review, reference)
    _rejected_sheet(book, review)
    book.wb.active = 0
    book.wb.properties.title = title_of(review)
    book.wb.properties.creator = "selfeval"
    book.wb.properties.keywords = SUMMARY_MARK  # a later review of the folder skips it
    return book.wb


def summary_bytes(review: Review, reference: System | None = None) -> bytes:
    """The summary workbook as .xlsx bytes (write them with ``forms.files.write_atomic``)."""
    buffer = BytesIO()
    build_summary(review, reference).save(buffer)
    return buffer.getvalue()

