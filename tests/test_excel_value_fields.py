"""A leaf whose kind declares two or more value fields shows every one of them on the form,
labelled, and a clerk's edit of that cell in Excel is read back (docs/package.md).

The cell of 实际完成值 holds a line per field, "等级：部分达成年度指标并具有一定效果" /
"得分：7.2分"; the clerk corrects it in Excel, 导入Excel takes the fields it says, the review
names the cell, and text that cannot be read is refused naming the cell."""

from __future__ import annotations

import re
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from conftest import needs_tool
from fuzz_budget import cases
from helpers import evaluation_with
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exports.excel import SHEET_FORM, SHEET_SCORES, workbook_bytes
from exports.workbook_import import WorkbookImportError, read_workbook_report
from forms import rules
from forms.model import LeafValue
from forms.numbers import ZERO, fmt_weight, plain
from forms.rules import Rule, RuleKind
from forms.rules.base import Outcome, Param
from forms.scoring import score
from forms.value_fields import CHECKED, VALUE_FIELDS, ValueField

D = Decimal
PART = "部分达成年度指标并具有一定效果"


def _ev():
    ev = evaluation_with(
        {"id": "q", "name": "工作满意度", "weight": 10, "rule": {"type": "qualitative"}},
        {"id": "c", "name": "结余控制", "weight": 2,
         "rule": {"type": "compare", "amount_label": "本年结余", "reference_label": "上年结转"}})
    ev = ev.with_value("q", LeafValue(level=PART, score=D("7.2"), deviation="部分项目延期"))
    return ev.with_value("c", LeafValue(amount=D("12.5"), reference=D("20.345")))


def _cell(ws, name: str, header: str = "实际完成值"):
    """The cell of ``header``'s column in the row of leaf ``name``, found as a reader would."""
    head = next(c for row in ws.iter_rows() for c in row if c.value == header)
    row = next(c.row for r in ws.iter_rows(min_row=head.row + 1) for c in r if c.value == name)
    return ws.cell(row, head.column)


def _edit(data: bytes, changes: dict[str, object]) -> bytes:
    """Open the workbook as Excel would, change 实际完成值 of the named leaves, save."""
    wb = openpyxl.load_workbook(BytesIO(data))
    for name, text in changes.items():
        _cell(wb[SHEET_FORM], name).value = text
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def test_qualitative_and_compare_show_each_field_with_its_label_and_unit():
    ev = _ev()
    wb = openpyxl.load_workbook(BytesIO(workbook_bytes(ev)))
    ws = wb[SHEET_FORM]
    q, c = _cell(ws, "工作满意度"), _cell(ws, "结余控制")
    assert q.value == f"等级：{PART}\n得分：7.2分"
    assert c.value == "本年结余：12.50万元\n上年结转：20.345万元"  # 万元: two decimals at least
    for cell in (q, c):
        assert cell.number_format == "@"  # typed over in Excel, it stays text
        assert cell.alignment.wrap_text
        lines = cell.value.count("\n") + 1
        # its row is tall enough for every line (the form computes heights)
        assert ws.row_dimensions[cell.row].height >= lines * 14.4
    # the score column beside it prints the score scored from them
    assert _cell(ws, "工作满意度", "得分").value == 7.2
    assert _cell(ws, "结余控制", "得分").value == 2


def test_an_edited_score_is_read_back_and_the_import_says_so():
    ev = _ev()
    data = _edit(workbook_bytes(ev), {"工作满意度": f"等级：{PART}\n得分：7.5分"})
    back, notes = read_workbook_report(data)
    assert back.value("q").score == D("7.5") and back.value("q").level == PART
    assert back.value("q").deviation == "部分项目延期"  # the rest of the value kept
    assert score(back).leaf("q").score == D("7.50")
    assert back.value("c") == ev.value("c")  # not edited: the exact original
    assert any(n.startswith("已读入 “部门整体支出绩效自评表”E") and "（工作满意度 实际完成值）" in n
               for n in notes), notes


@pytest.mark.parametrize("typed, level, points", [
    ("等级：达成年度指标\n得分：9分", "达成年度指标", D("9")),
    ("等级：达成年度指标；得分：9", "达成年度指标", D("9")),  # on one line, no unit
    ("得分： ９.５ 分\n等级 : 达成年度指标", "达成年度指标", D("9.5")),  # other order, widths
    (f"等级：{PART}", PART, None),  # the score line deleted: cleared
    ("", None, None),  # the whole cell cleared
])
def test_what_a_clerk_types_in_the_cell_is_what_is_taken(typed, level, points):
    back, _ = read_workbook_report(_edit(workbook_bytes(_ev()), {"工作满意度": typed}))
    assert (back.value("q").level, back.value("q").score) == (level, points)


def test_the_cell_is_found_by_its_row_and_heading_after_rows_are_inserted():
    ev = _ev()
    wb = openpyxl.load_workbook(BytesIO(workbook_bytes(ev)))
    ws = wb[SHEET_FORM]
    before = _cell(ws, "工作满意度").coordinate
    ws.insert_rows(_cell(ws, "工作满意度").row, amount=2)  # two rows typed above the leaf
    cell = _cell(ws, "工作满意度")
    assert cell.coordinate != before and cell.value.startswith("等级：")
    cell.value = f"等级：{PART}\n得分：6分"
    out = BytesIO()
    wb.save(out)
    back, notes = read_workbook_report(out.getvalue())
    assert back.value("q").score == D("6")
    assert back.value("c") == ev.value("c")
    assert any(f"{cell.coordinate}（工作满意度 实际完成值）" in n for n in notes), notes


def test_a_score_outside_the_levels_band_is_taken_and_reported_by_the_program():
    back, _ = read_workbook_report(_edit(workbook_bytes(_ev()),
                                         {"工作满意度": "等级：达成年度指标\n得分：7.2分"}))
    result = score(back).leaf("q")
    assert result.status == "invalid" and "8.00（含）–10.00（含）" in result.message


@pytest.mark.parametrize("typed, words", [
    ("等级：达成年度指标\n得分：九分", ["E", "（工作满意度 实际完成值）的“得分”", "不是数字"]),
    ("9.5", ["（工作满意度 实际完成值）", "读不出各填报项", "“等级：…”、“得分：…”"]),
    (9.5, ["（工作满意度 实际完成值）", "读不出各填报项"]),  # typed as a number
    ("优秀\n得分：9", ["开头的“优秀”不属于任何填报项"]),
    ("得分：9\n得分：8", ["“得分”写了两次"]),
])
def test_text_that_cannot_be_read_is_refused_naming_the_cell(typed, words):
    with pytest.raises(WorkbookImportError) as caught:
        read_workbook_report(_edit(workbook_bytes(_ev()), {"工作满意度": typed}))
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("“部门整体支出绩效自评表”E")
    for word in words:
        assert word in message, message


def test_compare_amounts_edited_in_excel_change_the_score():
    ev = _ev()
    assert score(ev).leaf("c").score == D("2.00")  # 12.50 ≤ 20.345
    back, _ = read_workbook_report(_edit(workbook_bytes(ev), {
        "结余控制": "上年结转：20.345万元\n本年结余：25万元"}))
    assert (back.value("c").amount, back.value("c").reference) == (D("25"), D("20.345"))
    assert score(back).leaf("c").score == D("0.00")
    # the lines name the amounts as the leaf's rule does, as the indicator page shows them
    other = evaluation_with({"id": "c", "name": "结余控制", "weight": 2, "rule": {
        "type": "compare", "amount_label": "结余资金", "reference_label": "结转资金"}})
    other = other.with_value("c", LeafValue(amount=D("3"), reference=D("4")))
    data = workbook_bytes(other)
    ws = openpyxl.load_workbook(BytesIO(data))[SHEET_FORM]
    assert _cell(ws, "结余控制").value == "结余资金：3.00万元\n结转资金：4.00万元"
    back, _ = read_workbook_report(_edit(data, {"结余控制": "结余资金：5万元\n结转资金：4万元"}))
    assert (back.value("c").amount, back.value("c").reference) == (D("5"), D("4"))
    with pytest.raises(WorkbookImportError, match="的“结余资金”：“五”不是数字"):
        read_workbook_report(_edit(data, {"结余控制": "结余资金：五万元\n结转资金：4万元"}))


def test_a_coefficient_level_is_read_back(sample):
    ws = openpyxl.load_workbook(BytesIO(workbook_bytes(sample)))[SHEET_FORM]
    assert _cell(ws, "服务对象满意度").value == "等级：良"
    back, _ = read_workbook_report(_edit(workbook_bytes(sample), {"服务对象满意度": "等级：优"}))
    assert back.value("satisfaction").level == "优"
    assert score(back).leaf("satisfaction").score == D("10.00")


def test_the_review_names_the_cell_typed_over(tmp_path):
    from exports.review_read import review_one

    path = tmp_path / "满意度.xlsx"
    path.write_bytes(_edit(workbook_bytes(_ev()), {"工作满意度": f"等级：{PART}\n得分：7.9分"}))
    row = review_one(str(path), None)
    assert row.result.leaf("q").score == D("7.90")
    edited = [f for f in row.flags if f.kind == "edited"]
    assert len(edited) == 1, [f.message for f in row.flags]
    flag = edited[0]
    assert flag.place.startswith(f"{SHEET_FORM}!E") and flag.path == "values.q"
    assert flag.message == (f"工作满意度 实际完成值：导出时为“等级：{PART}；得分：7.2分”，"
                            f"表上为“等级：{PART}；得分：7.9分”")
    # the score column was not retyped: the review says the sheet's score is not the recomputed
    assert any(f.kind == "score_differs" and "表上得分 7.20，重算 7.90" in f.message
               for f in row.flags), [f.message for f in row.flags]
    # an untouched workbook: nothing named
    clean = tmp_path / "原样.xlsx"
    clean.write_bytes(workbook_bytes(_ev()))
    assert not [f for f in review_one(str(clean), None).flags if f.kind == "edited"]


def test_an_older_reader_is_told_the_workbook_is_newer(monkeypatch):
    """A workbook with such a cell says data version 2, which a program reading only
    version 1 refuses as newer (not as damaged); one without keeps version 1."""
    from exports import workbook_import
    from exports.cellmap import DATA_SHEET

    data = workbook_bytes(_ev())
    assert openpyxl.load_workbook(BytesIO(data))[DATA_SHEET]["B1"].value == 2
    plain_ev = evaluation_with({"id": "m", "name": "直接", "weight": 10, "rule": {"type": "manual"}})
    older = workbook_bytes(plain_ev)
    assert openpyxl.load_workbook(BytesIO(older))[DATA_SHEET]["B1"].value == 1
    monkeypatch.setattr(workbook_import, "FORMAT_VERSION", 1)  # as an older program reads
    read_workbook_report(older)
    with pytest.raises(WorkbookImportError, match="由更新版本的程序导出（数据版本 2）"):
        read_workbook_report(data)


# ---------------------------------------------------------------- a kind of three fields

MEETINGS = ValueField("meetings", "count", "会议次数", "次", ZERO, D(9999))
SPENT = ValueField("spent", "number", "支出金额", "万元", ZERO, D(100000))
REMARK = ValueField("remark", "text", "情况说明")


class Meetings(RuleKind):
    """Registered by the tests only: a count, an amount and a text."""

    key, name = "meetings_spent", "会议经费"
    fields = (MEETINGS, SPENT, REMARK)
    editor = "fields"

    def score(self, rule: Rule, name: str, weight: Decimal, target: Decimal | None,
              value: LeafValue, actual: Decimal | None) -> Outcome:
        if value.meetings is None or value.spent is None:
            return Outcome("missing", message=f"{name}：会议次数或支出金额未填写")
        ok = value.meetings >= 4 and value.spent <= 50
        return Outcome("scored", weight if ok else ZERO, None, "")

    def describe(self, rule: Rule, weight: Decimal, target: Decimal | None, unit: str) -> str:
        return f"开会不少于4次且经费不超过50万元，得 {fmt_weight(weight)} 分"


@pytest.fixture
def meetings():
    rules.register(Meetings())
    yield
    rules.unregister("meetings_spent")
    assert not {"meetings", "spent", "remark"} & set(VALUE_FIELDS)


def _meetings_ev(value: LeafValue):
    ev = evaluation_with({"id": "mt", "name": "会议经费管理", "weight": 5,
                          "rule": {"type": "meetings_spent"}})
    return ev.with_value("mt", value)


def test_a_kind_of_three_fields_shows_and_reads_back_each(meetings):
    ev = _meetings_ev(LeafValue(meetings=D(6), spent=D("48.5"), remark="按计划召开"))
    data = workbook_bytes(ev)
    ws = openpyxl.load_workbook(BytesIO(data))[SHEET_FORM]
    cell = _cell(ws, "会议经费管理")
    assert cell.value == "会议次数：6次\n支出金额：48.50万元\n情况说明：按计划召开"
    assert cell.number_format == "@"
    assert _cell(ws, "会议经费管理", "得分").value == 5
    # the scoring sheet keeps its own summary; the form's cell is the one read back
    assert _cell(openpyxl.load_workbook(BytesIO(data))[SHEET_SCORES], "会议经费管理").value \
        != cell.value
    back, _ = read_workbook_report(_edit(data, {
        "会议经费管理": "会议次数：3次\n支出金额：48.50万元\n情况说明：第三季度会议取消；\n改为书面征求意见"}))
    value = back.value("mt")
    assert (value.meetings, value.spent) == (D(3), D("48.5"))
    assert value.remark == "第三季度会议取消；\n改为书面征求意见"  # its own lines and "；" kept
    assert score(back).leaf("mt").score == D("0.00")
    # a field no longer written is cleared; an unfilled one is not written at all
    back, _ = read_workbook_report(_edit(data, {"会议经费管理": "会议次数：4次\n支出金额：12万元"}))
    assert back.value("mt").remark is None and back.value("mt").spent == D("12")
    empty = _meetings_ev(LeafValue())
    ws = openpyxl.load_workbook(BytesIO(workbook_bytes(empty)))[SHEET_FORM]
    assert _cell(ws, "会议经费管理").value == "会议次数：\n支出金额：\n情况说明："  # what to fill in
    only = _meetings_ev(LeafValue(spent=D(3)))
    ws = openpyxl.load_workbook(BytesIO(workbook_bytes(only)))[SHEET_FORM]
    assert _cell(ws, "会议经费管理").value == "支出金额：3.00万元"


def test_a_count_beyond_its_bounds_is_taken_and_refused_by_validation(meetings):
    from forms.validation import validate

    ev = _meetings_ev(LeafValue(meetings=D(6), spent=D("48.5")))
    back, _ = read_workbook_report(_edit(workbook_bytes(ev), {
        "会议经费管理": "会议次数：10000次\n支出金额：48.5万元"}))
    assert back.value("mt").meetings == D(10000)  # kept as typed, as 导入Excel keeps any figure
    assert any("会议次数" in i.message for i in validate(back)), [i.message for i in validate(back)]


class CheckedRemark(RuleKind):
    """Registered by the tests only: items ticked (by the rule's items) and a text."""

    key, name = "checked_remark", "勾选加说明"
    params = (Param("items", "检查项", [], (), "items"),)
    fields = (CHECKED, REMARK)
    editor = "fields"

    def score(self, rule: Rule, name: str, weight: Decimal, target: Decimal | None,
              value: LeafValue, actual: Decimal | None) -> Outcome:
        chosen = set(value.checked or ())
        return Outcome("scored", sum((i.points for i in rule.items if i.id in chosen), ZERO),
                       None, "")


@pytest.fixture
def checked_remark():
    rules.register(CheckedRemark())
    yield
    rules.unregister("checked_remark")


def test_ticked_items_are_named_and_read_back_by_their_names(checked_remark):
    ev = evaluation_with({"id": "ck", "name": "制度建设", "weight": 5, "rule": {
        "type": "checked_remark", "items": [{"id": "a", "label": "制度健全", "points": 2},
                                            {"id": "b", "label": "执行到位", "points": 3}]}})
    ev = ev.with_value("ck", LeafValue(checked=("a",), remark="见附件"))
    data = workbook_bytes(ev)
    ws = openpyxl.load_workbook(BytesIO(data))[SHEET_FORM]
    assert _cell(ws, "制度建设").value == "勾选项：制度健全\n情况说明：见附件"
    assert read_workbook_report(data)[0].value("ck") == ev.value("ck")
    back, _ = read_workbook_report(_edit(data, {"制度建设": "勾选项：制度健全、执行到位\n情况说明：见附件"}))
    assert back.value("ck").checked == ("a", "b")
    assert score(back).leaf("ck").score == D("5.00")
    back, _ = read_workbook_report(_edit(data, {"制度建设": "勾选项：\n情况说明：未建立"}))
    assert back.value("ck").checked is None and back.value("ck").remark == "未建立"
    with pytest.raises(WorkbookImportError, match="“勾选项”中的“档案齐全”不是本指标的检查项"):
        read_workbook_report(_edit(data, {"制度建设": "勾选项：制度健全、档案齐全"}))


# ---------------------------------------------------------------- sweeps

_settings = settings(max_examples=cases(40), deadline=None,
                     suppress_health_check=[HealthCheck.function_scoped_fixture])
LABELS = ("会议次数", "支出金额", "情况说明")
# what a clerk writes in 情况说明: any text Excel keeps (no control characters but the line
# break, which XML turns \r into), and none that starts a line with another field's label
_STARTS_A_FIELD = re.compile(r"(^|[\n；;])[ \t\u3000]*(" + "|".join(LABELS) + r")[ \t\u3000]*[：:]")
remarks = st.lists(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
                   | st.sampled_from(["\n", "；", "：", " ", "\u3000", "万元", *LABELS]),
                   max_size=24).map("".join).filter(lambda t: not _STARTS_A_FIELD.search(t))
counts = st.integers(0, 9999).map(Decimal)
amounts = st.integers(0, 4).flatmap(lambda places: st.decimals(
    min_value=0, max_value=100000, places=places, allow_nan=False, allow_infinity=False))


def _typed(value: LeafValue) -> str:
    """The cell as a clerk types it: every field, on its own line."""
    return (f"会议次数：{plain(value.meetings)}次\n支出金额：{plain(value.spent)}万元\n"
            f"情况说明：{value.remark or ''}")


@pytest.mark.slow
@_settings
@given(first=st.tuples(counts, amounts, remarks), then=st.tuples(counts, amounts, remarks))
def test_any_value_within_the_bounds_round_trips_and_any_edit_is_taken(meetings, first, then):
    a = LeafValue(meetings=first[0], spent=first[1], remark=first[2] or None)
    ev = _meetings_ev(a)
    data = workbook_bytes(ev)
    back, _ = read_workbook_report(data)
    assert back.value("mt") == a  # not edited: exactly what was exported
    b = LeafValue(meetings=then[0], spent=then[1], remark=then[2] or None)
    back, notes = read_workbook_report(_edit(data, {"会议经费管理": _typed(b)}))
    assert back.value("mt") == b, (_typed(b), notes)


@pytest.mark.slow
@_settings
@given(weight=st.integers(1, 100), data=st.data())
def test_a_qualitative_level_and_any_score_in_its_band_round_trip(weight, data):
    from forms.rules.qualitative import QUALITATIVE_LEVELS

    ev = evaluation_with({"id": "q", "name": "工作满意度", "weight": weight,
                          "rule": {"type": "qualitative"}})
    level = data.draw(st.sampled_from(sorted(QUALITATIVE_LEVELS)))
    low = D(weight) * QUALITATIVE_LEVELS[level] / 100
    high = min([D(weight) * p / 100 for p in QUALITATIVE_LEVELS.values()
                if p > QUALITATIVE_LEVELS[level]] or [D(weight)])
    points = data.draw(st.decimals(min_value=low, max_value=high, places=2))
    if points == high and level != "达成年度指标":
        points = low
    value = LeafValue(level=level, score=points)
    exported = workbook_bytes(ev.with_value("q", value))
    back, _ = read_workbook_report(exported)
    assert back.value("q") == value
    typed = data.draw(st.sampled_from(["等级：{l}\n得分：{s}分", "得分：{s}\n等级：{l}",
                                       "等级：{l}；得分：{s}"]))
    back, _ = read_workbook_report(_edit(workbook_bytes(ev), {
        "工作满意度": typed.format(l=level, s=plain(points))}))
    assert back.value("q") == value
    assert score(back).leaf("q").score == points.quantize(D("0.01"))


# ---------------------------------------------------------------- as it prints

def test_the_column_is_wide_enough_for_the_lines_within_reason():
    from openpyxl.utils import get_column_letter

    from exports.excel import display_width

    ws = openpyxl.load_workbook(BytesIO(workbook_bytes(_ev())))[SHEET_FORM]
    cell = _cell(ws, "结余控制")
    width = ws.column_dimensions[get_column_letter(cell.column)].width
    # "上年结转：20.345万元" whole on its line; 定性's long level name wraps (at most 24)
    assert display_width("上年结转：20.345万元") < width <= 24


@pytest.mark.slow
@needs_tool("soffice", "libreoffice-calc-nogui")
def test_libreoffice_prints_every_line_of_every_field_under_the_headings(tmp_path):
    import subprocess
    leaves = [{"id": f"q{i}", "name": f"第{i}项工作满意度", "weight": 3, "rule": {"type": "qualitative"}}
              for i in range(30)]
    ev = evaluation_with(*leaves)
    scores = {f"q{i}": D("2.4") + D(i) / 100 for i in range(30)}
    for leaf_id, points in scores.items():
        ev = ev.with_value(leaf_id, LeafValue(level="达成年度指标", score=points,
                                              deviation="因项目进度调整，部分资金未形成支出。" * 3))
    path = tmp_path / "book.xlsx"
    path.write_bytes(workbook_bytes(ev))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   capture_output=True, timeout=180, check=True)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "book.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    form_pages = [p for p in pages if "工作满意度" in p]
    assert len(form_pages) >= 2, "the table runs over a page"
    for page in form_pages[1:]:  # the headings print again at the top
        lines = [line for line in page.splitlines() if line.strip()]
        assert any("实际完成值" in line for line in lines[:3]), lines[:3]
    flat = "".join(text.split())
    assert "#" not in flat
    for points in scores.values():  # each leaf's lines, whole (a row never splits)
        assert f"得分：{plain(points)}分" in flat, points
    assert flat.count("等级：达成年度指标") == 30
