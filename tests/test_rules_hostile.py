"""The criteria recogniser on hostile and odd numbers: bounded time, numbers read as written.

A cell of 20,000 digits or of 32,767 characters is refused at once (it took 54 s and 145 s
when the patterns backtracked); a sign, a thousands separator or an exponent is kept or the
text refused, never misread; a step is read as written; overlapping or unreachable bands
are named in the 请核对 note.  A property test feeds random text of the recogniser's own
vocabulary and checks it never raises and stays fast.
"""

from __future__ import annotations

import time
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forms.rules import recognise, unread_reason
from forms.rules.normalise import MAX_CHARS, cn_number, normalise
from forms.rules.recognisers import DOUBT
from fuzz_budget import cases

D = Decimal


def _timed(text: str):
    start = time.perf_counter()
    found = recognise(text, D(5), None)
    return found, time.perf_counter() - start


def test_twenty_thousand_digits_then_scores_is_refused_at_once():
    found, seconds = _timed("9" * 20_000 + "得5分；得3分")
    assert found is None
    assert seconds < 0.5
    assert f"超过 {MAX_CHARS} 字" in unread_reason("9" * 20_000 + "得5分；得3分")


def test_a_full_spreadsheet_cell_is_refused_at_once():
    cell = ("执行率≥95%的，得5分；90%≤执行率＜95%的，得3分；" * 1000)[:32_767]
    found, seconds = _timed(cell)
    assert found is None and seconds < 0.5


def test_a_long_run_of_digits_within_the_limit_is_refused_by_name():
    text = "1" * 900 + "得5分；得3分"
    found, seconds = _timed(text)
    assert found is None and seconds < 0.5
    assert "过长" in unread_reason(text)


def test_each_worst_shape_at_the_limit_reads_in_a_quarter_second():
    for piece in ("1-", "90%(含)-", "每超过1个百分点", "优良中差", "得1分；", "①1、(1)", "1.1.1.",
                  "发现1次，", "≥1%得1分", "一二三四五六七八九十百", "(1分)" + " " * 400,
                  "1 " + " \n" * 300 + "%", "介于1和" + "2" * 10):
        text = (piece * MAX_CHARS)[:MAX_CHARS]
        _, seconds = _timed(text)
        assert seconds < 0.25, (piece, seconds)


def test_a_minus_sign_is_kept():
    found = recognise("变动率低于-5%的，得2分；其他得1分。", D(2))
    assert found is not None and found.type == "bands"
    assert found.rule["bands"][0] == {"max": -5, "max_inclusive": False, "score": 2}
    found = recognise("增长率≥-5%的得3分，-10%(含)至-5%的得1分，其他不得分。", D(3))
    assert found is not None
    assert found.rule["bands"][0] == {"min": -5, "score": 3}
    assert found.rule["bands"][1] == {"min": -10, "max": -5, "max_inclusive": False, "score": 1}


def test_a_range_dash_is_not_a_sign():
    found = recognise("90%-95%的得4分，95%以上得5分，其他不得分。", D(5))
    assert found is not None
    assert found.rule["bands"][0] == {"min": 90, "max": 95, "max_inclusive": False, "score": 4}


def test_thousands_separators_are_read():
    found = recognise("＜1,000%的得2分；其他得1分。", D(2))
    assert found is not None
    assert found.rule["bands"][0] == {"max": 1000, "max_inclusive": False, "score": 2}
    found = recognise("≥1，000，000人次得5分，其他得2分。", D(5))
    assert found is not None and found.rule["bands"][0]["min"] == 1000000


def test_an_exponent_is_refused_not_misread():
    text = "1e300%以上得2分，其他得1分。"
    assert recognise(text, D(2)) is None
    assert "科学计数法" in unread_reason(text)


def test_a_number_beyond_what_the_program_keeps_is_refused():
    text = "每超过0.0000001个百分点扣1分，扣完为止。"
    assert recognise(text, D(5), D(100)) is None
    assert "小数位过多" in unread_reason(text)


def test_a_fine_step_is_read_as_written():
    found = recognise("每超过0.000001个百分点扣1分，扣完为止。", D(5), D(100))
    assert found is not None and found.type == "deduct"
    assert found.rule["step"] == "0.000001"
    found = recognise("每超过0.5个百分点扣0.25分。", D(5), D(100))
    assert found is not None and (found.rule["step"], found.rule["points"]) == ("0.5", "0.25")


def test_unreachable_band_is_named_in_the_note():
    found = recognise("完成率≥60%的得5分；完成率≥90%的得10分；其他不得分。", D(10))
    assert found is not None and found.type == "bands"
    assert "请核对" in found.explanation and "永远用不上" in found.explanation


def test_overlapping_bands_are_named_in_the_note():
    found = recognise("60%-85%（含）得5分；80%-100%得10分；其他不得分。", D(10))
    assert found is not None and found.type == "bands"
    assert "请核对" in found.explanation and "重叠" in found.explanation


def test_sorted_bands_carry_no_band_note():
    found = recognise("≥90%得5分，80%(含)-90%得3分，其他不得分。", D(5))
    assert found is not None and "请核对" not in found.explanation


def test_chinese_numerals():
    assert [cn_number(w) for w in ("九十五", "百", "十", "十二", "零点五", "一百零五", "二〇二四")] == \
        ["95", "100", "10", "12", "0.5", "105", "2024"]
    assert cn_number("点五") is None and cn_number("五点五点五") is None
    # numbers only where they count something: 一般, 十分重要 stay words
    assert normalise("工作一般的得1分").text == "工作一般的得1分"
    assert normalise("十分重要，得十分").text == "十分重要,得10分"
    for words in ("重点项目完成率", "二级指标", "一等奖", "三公经费", "统一口径"):
        assert normalise(words).text == words
    assert normalise("每降低五个百分点扣一分，一点五倍").text == "每降低5个百分点扣1分,1.5倍"
    assert cn_number("点") is None and cn_number("五点") is None


def test_unread_text_says_so():
    assert "保持直接评分" in unread_reason("根据实际情况酌情评分。")
    assert "择其一" in unread_reason("二者择其一：①…")


_VOCAB = st.sampled_from(
    ["得", "扣", "分", "每", "超过", "低于", "及以上", "以下", "(含)", "（不含）", "至", "-", "－",
     "~", "%", "个百分点", "次", "≥", "≤", "<", ">", "，", "；", "。", "①", "⑴", "1、", "(一)", "一是",
     "优", "良", "满意", "基本满意", "得满分", "不得分", "其他", "×分值", "/", "实际值", "目标值",
     "反向", "(1-", "e", "E", ",", ".", "−", "负", "百分之", "五", "十", "零点", "介于", "和", "之间",
     "发现", "一次", "被通报", " ", "\n"])
_TEXT = st.lists(st.one_of(_VOCAB, st.integers(-10**6, 10**20).map(str),
                           st.text(max_size=4)), max_size=120).map("".join)


@settings(max_examples=cases(400), deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT, weight=st.one_of(st.none(), st.integers(0, 100).map(Decimal)),
       target=st.one_of(st.none(), st.integers(-100, 1000).map(Decimal)))
def test_never_raises_and_stays_fast(text, weight, target):
    start = time.perf_counter()
    found = recognise(text, weight, target)
    reason = unread_reason(text)
    assert time.perf_counter() - start < 0.25
    assert reason.endswith("直接评分") or "择其一" in reason or "请分别" in reason
    if found is not None:
        assert found.explanation.startswith("识别为")
        assert found.rule["type"] in ("checklist", "incidents", "deduct", "coefficient", "bands",
                                      "ratio")


def test_an_assumed_standard_is_named_for_checking():
    found = recognise("每超过1个百分点扣0.5分，扣完为止。", D(5), None)
    assert found is not None and found.rule["standard"] == 100
    assert found.explanation.endswith("（请核对：评分标准未写明标准值，按 100% 理解）")
    assert DOUBT not in found.rule  # the note is not kept in the rule
    found = recognise("每超过1个百分点扣0.5分，扣完为止。", D(5), D(10))
    assert found is not None and "请核对" not in found.explanation  # the 指标值 is the standard


def test_a_bare_bound_is_named_for_checking():
    found = recognise("培训4次及以上的得4分，2至3次的得2分，1次的得1分，未开展的不得分。", D(4))
    assert found is not None and found.rule["bands"][2] == {"min": 1, "max": 1, "score": 1}
    assert "第 3 档“1次”按“恰好 1次”理解" in found.explanation
    assert DOUBT not in found.rule


def test_a_hostile_table_imports_in_bounded_time_with_numbers_as_written():
    import io

    from openpyxl import Workbook

    from exports.system_workbook import import_raw_bytes
    from hostile_corpus import HEADER, criteria_cells

    cells = criteria_cells()
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for name, (text, _) in cells.items():
        ws.append(["产出", "数量", name, 10, text])
    out = io.BytesIO()
    wb.save(out)
    start = time.perf_counter()
    raw, _ = import_raw_bytes(out.getvalue())
    assert time.perf_counter() - start < 5
    leaves = {leaf["name"]: leaf for leaf in raw["indicators"][0]["children"][0]["children"]}
    for name, (_, expected) in cells.items():
        rule = leaves[name].get("rule")
        if expected == "refused":
            assert rule in (None, {"type": "manual"}), name
        else:
            end, number = expected.split()
            assert rule is not None and rule["type"] == "bands", name
            assert rule["bands"][0][end] == int(number), name


def _written(value: Decimal, separators: bool) -> str:
    text = f"{value:,f}" if separators else f"{value:f}"
    return text


@settings(max_examples=cases(300), deadline=None)
@given(units=st.integers(-10**15, 10**15), places=st.integers(0, 6),
       separators=st.booleans(), word=st.sampled_from(["低于", "<", "小于", "不足"]))
def test_any_bound_is_read_as_written(units, places, separators, word):
    value = D(units).scaleb(-places)  # at most 6 decimals, up to 10¹⁵
    text = f"完成率{word}{_written(value, separators)}%的，得2分；其他得1分。"
    found = recognise(text, D(2))
    if abs(value) > 10**12:  # beyond what any figure of the program may be: refused, said why
        assert found is None and "过大" in unread_reason(text), text
        return
    assert found is not None and found.type == "bands", text
    assert D(str(found.rule["bands"][0]["max"])) == value, text


@settings(max_examples=cases(200), deadline=None)
@given(mantissa=st.integers(1, 999), exponent=st.integers(-400, 400),
       letter=st.sampled_from(["e", "E"]))
def test_any_exponent_is_refused(mantissa, exponent, letter):
    text = f"完成率低于{mantissa}{letter}{exponent}%的，得2分；其他得1分。"
    assert recognise(text, D(2)) is None
    assert "科学计数法" in unread_reason(text)


@settings(max_examples=cases(200), deadline=None)
@given(step=st.decimals(min_value=D("0.000001"), max_value=1000, places=6),
       points=st.decimals(min_value=D("0.01"), max_value=10, places=2))
def test_any_step_is_read_as_written(step, points):
    text = f"每超过{step.normalize():f}个百分点扣{points.normalize():f}分，扣完为止。"
    found = recognise(text, D(10), D(100))
    if step == 0:
        assert found is None
        return
    assert found is not None and found.type == "deduct", text
    assert D(str(found.rule["step"])) == step and D(str(found.rule["points"])) == points, text


def test_system_import_warns_of_bands_read_that_overlap(tmp_path, capsys):
    import io

    from openpyxl import Workbook

    from desktop.cli import main
    from hostile_corpus import HEADER

    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["产出", "数量", "完成率", 60, "完成率≥60%的得30分；完成率≥90%的得60分；其他不得分。"])
    ws.append(["产出", "数量", "及时率", 40, "≥90%得40分，80%(含)-90%得20分，其他不得分。"])
    book = tmp_path / "通知.xlsx"
    out = io.BytesIO()
    wb.save(out)
    book.write_bytes(out.getvalue())
    assert main(["system-import", str(book), "-o", str(tmp_path / "s.json")]) == 0
    err = capsys.readouterr().err
    assert err.count("注意：") == 1 and "完成率" in err and "永远用不上" in err
