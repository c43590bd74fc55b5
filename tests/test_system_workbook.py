"""Importing a notice's indicator table (指标表) from an .xlsx workbook."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook

from exports.system_workbook import (
    SystemImportError,
    header_candidates,
    import_system_bytes,
    import_system_path,
)
from forms.system import Group

# A notice-like table: title row, header with a 分值 column per level, upper levels merged.
NOTICE_ROWS = [
    # 一级, 分值, 二级, 分值, 三级, 分值, 指标值, 评分标准
    ("部门决策", 20, "目标设定", 10, "绩效目标合理性", 5, "", "①绩效目标与部门职责相符，得3分；②……，得2分。"),
    (None, None, None, None, "绩效指标明确性", 5, "", "细化分解为具体指标，得5分。"),
    (None, None, "预算编制", 10, "预算编制科学性", 10, "", "预算编制经过论证，得10分。"),
    ("部门管理", 30, "资金管理", 18, "预算执行率", 10, "100%", "预算执行率×分值，满分为止"),
    (None, None, None, None, "预算调整率", 8, "≤10%", "每超过一个百分点扣0.5分"),
    (None, None, "资产管理", 12, "资产管理规范性", 12, "", "制度健全得6分，执行有效得6分。"),
    ("部门产出与效益", 50, "产出", 30, "重点工作完成率", 30, "100%", "完成率×分值"),
    (None, None, "效益", 20, "服务对象满意度", 20, "≥90%", "满意度≥90%得满分，每低1个百分点扣1分"),
]


def notice_workbook(rows=NOTICE_ROWS) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "附件2"
    ws.append(["2023年度部门整体支出绩效评价指标体系"])
    ws.merge_cells("A1:H1")
    ws.append(["一级指标", "分值", "二级指标", "分值", "三级指标", "分值", "指标值", "评分标准"])
    for row in rows:
        ws.append(list(row))
    # merge the upper levels as the notice prints them
    start = 3
    spans: dict[int, list[tuple[int, int]]] = {1: [], 3: []}
    for col in (1, 3):
        first = start
        for i in range(1, len(rows) + 1):
            r = start + i
            nxt = rows[i][col - 1] if i < len(rows) else "end"
            if nxt is not None:
                spans[col].append((first, r - 1))
                first = r
    for col, ranges in spans.items():
        for a, b in ranges:
            if b > a:
                for c in (col, col + 1):
                    letter = "ABCDEFGH"[c - 1]
                    ws.merge_cells(f"{letter}{a}:{letter}{b}")
    ws.append(["合计", 100, None, None, None, 100, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def flat_workbook(rows, header=("评价维度", "二级", "指标名称", "权重", "目标值", "评分细则")) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "指标"
    ws.append(["单位：分"])
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


FLAT_ROWS = [
    ("履职效能", "重点工作", "年度重点任务完成率", 30, "100%", "完成率×分值"),
    ("", "", "产出数量", 20, "12", "按计划完成得满分"),
    ("", "社会效益", "群众满意度", 10, "90%", "满意度/90%×分值"),
    ("管理效率", "预算执行", "预算执行率", "15", "100%", "执行率×分值"),
    ("", "", "结转结余率", "5", "", "结转结余率每超过1%扣1分"),
    ("", "制度建设", "内控制度", "20", "健全", "制度健全有效得满分"),
]


def _tree(system):
    return [(g.name, g.weight, [(m.name, m.weight, [(leaf.name, leaf.weight)
                                                    for leaf in m.children])
                                for m in g.children]) for g in system.indicators]


def test_notice_table_with_merged_cells_imports_into_the_right_tree():
    system, problems = import_system_bytes(notice_workbook(), name="某区2023")
    assert problems == []
    assert system.name == "某区2023"
    tree = _tree(system)
    assert [(n, w) for n, w, _ in tree] == [("部门决策", 20), ("部门管理", 30), ("部门产出与效益", 50)]
    assert tree[0][2] == [("目标设定", 10, [("绩效目标合理性", 5), ("绩效指标明确性", 5)]),
                          ("预算编制", 10, [("预算编制科学性", 10)])]
    assert tree[1][2][0] == ("资金管理", 18, [("预算执行率", 10), ("预算调整率", 8)])
    leaves = list(system.leaves())
    assert len(leaves) == 8
    # what the criteria texts clearly say is applied, marked 请核对; the rest stays 直接评分
    assert {leaf.name: leaf.rule.type for leaf in leaves if leaf.rule.type != "manual"} == {
        "绩效目标合理性": "checklist", "预算执行率": "ratio", "预算调整率": "deduct",
        "重点工作完成率": "ratio", "服务对象满意度": "deduct"}
    assert all(bool(leaf.review) == (leaf.rule.type != "manual") for leaf in leaves)
    assert system.leaf("ind05").rule.standard == 10  # its 指标值 ≤10% is the standard
    assert len({leaf.id for leaf in leaves}) == 8
    exec_rate = leaves[3]
    assert exec_rate.criteria == "预算执行率×分值，满分为止"
    assert exec_rate.target == Decimal(100) and exec_rate.unit == "%"
    assert leaves[4].target == Decimal(10)  # "≤10%": the bound is the number


def test_flat_table_with_other_header_words_and_blank_upper_cells():
    data = flat_workbook(FLAT_ROWS)
    info = header_candidates(data)
    assert info.row == 2 and info.recognised
    assert info.mapping == {"level1": 0, "level2": 1, "level3": 2, "weight": 3, "target": 4,
                            "criteria": 5}
    system, problems = import_system_bytes(data)
    tree = _tree(system)
    assert tree == [
        ("履职效能", 60, [("重点工作", 50, [("年度重点任务完成率", 30), ("产出数量", 20)]),
                      ("社会效益", 10, [("群众满意度", 10)])]),
        ("管理效率", 40, [("预算执行", 20, [("预算执行率", 15), ("结转结余率", 5)]),
                      ("制度建设", 20, [("内控制度", 20)])]),
    ]
    # "健全" is not a number: kept in the criteria and reported on its row, not dropped
    assert len(problems) == 1
    assert "第 8 行" in problems[0].message and "健全" in problems[0].message
    leaf = system.leaf(list(system.leaf_index())[-1])
    assert leaf is not None and leaf.criteria.startswith("指标值：健全")


def test_weights_that_do_not_add_up_are_listed_not_guessed():
    rows = [list(r) for r in NOTICE_ROWS]
    rows[1][5] = 4  # 绩效指标明确性 5 → 4: 目标设定 declares 10, children give 9
    rows[6][5] = "三十"  # not a number
    system, problems = import_system_bytes(notice_workbook([tuple(r) for r in rows]))
    messages = [p.message for p in problems]
    assert any("第 9 行" in m and "三十" in m for m in messages), messages
    assert any("目标设定" in m and "10" in m and "9" in m and "第 3 行" in m for m in messages)
    # the declared weight stays as printed: the clerk decides, the program does not guess
    top = system.indicators[0]
    assert isinstance(top.children[0], Group) and top.children[0].weight == Decimal(10)
    assert any("重点工作完成率" in m and "没有分值" not in m for m in messages)


def test_explicit_mapping_overrides_header_words():
    rows = [("A", "B", "甲", 60, "说明1"), ("", "", "乙", 40, "说明2")]
    data = flat_workbook(rows, header=("维度一", "维度二", "名目", "点数", "方法"))
    with pytest.raises(SystemImportError):
        import_system_bytes(data)
    info = header_candidates(data)
    assert not info.recognised  # nothing recognised: the widest row is offered as headers
    assert info.row == 2 and info.columns == ("维度一", "维度二", "名目", "点数", "方法")
    assert info.samples[0] == ("A", "B", "甲", "60", "说明1")
    system, problems = import_system_bytes(
        data, {"level1": 0, "level2": 1, "level3": 2, "weight": 3, "criteria": 4}, header_row=2)
    assert problems == []
    assert [(leaf.name, leaf.weight, leaf.criteria) for leaf in system.leaves()] == [
        ("甲", 60, "说明1"), ("乙", 40, "说明2")]


def test_weight_printed_in_the_name_is_used():
    rows = [("决策（40分）", "目标", "目标明确", 40, "", ""),
            ("产出（60分）", "产出", "完成率", 50, "", "")]
    system, problems = import_system_bytes(flat_workbook(rows))
    assert [g.name for g in system.indicators] == ["决策", "产出"]
    assert system.indicators[1].weight == Decimal(60)
    assert any("产出" in p.message and "60" in p.message and "50" in p.message for p in problems)


@pytest.mark.parametrize("data, words", [
    (b"not a workbook at all", "不是 Excel"),
    (b"\xd0\xcf\x11\xe0" + b"\0" * 100, ".xls"),
    (b"PK\x03\x04garbage", "损坏"),
])
def test_unusable_files_are_refused_in_chinese(data, words):
    with pytest.raises(SystemImportError) as exc:
        import_system_bytes(data)
    assert words in str(exc.value)


def test_path_errors(tmp_path):
    with pytest.raises(SystemImportError, match="找不到文件"):
        import_system_path(tmp_path / "nope.xlsx")
    doc = tmp_path / "通知.docx"
    doc.write_bytes(b"x")
    with pytest.raises(SystemImportError, match="xlsx"):
        import_system_path(doc)
    good = tmp_path / "指标表.xlsx"
    good.write_bytes(notice_workbook())
    system, problems = import_system_path(good)
    assert system.name == "指标表" and not problems


def test_huge_sheet_refused():
    wb = Workbook()
    ws = wb.active
    ws.cell(row=6000, column=1, value="x")
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(SystemImportError, match="超过"):
        import_system_bytes(buf.getvalue())


def test_header_at_a_given_row_for_the_mapping_step():
    data = flat_workbook(FLAT_ROWS)
    info = header_candidates(data, row=1)
    assert info.columns[0] == "单位：分" and not info.recognised
    info = header_candidates(data, row=2)
    assert info.recognised and info.mapping["level3"] == 2 and info.samples[0][2] == "年度重点任务完成率"


def test_group_rows_of_their_own_and_numbered_names():
    """Some notices give each 一级/二级 indicator its own row with its weight, and number them."""
    rows = [
        ("一、部门决策", "", "", 40, "", ""),
        ("一、部门决策", "（一）目标设定", "", 40, "", ""),
        ("一、部门决策", "（一）目标设定", "1.绩效目标合理性", 25, "", "相符得满分"),
        ("一、部门决策", "（一）目标设定", "2.绩效指标明确性", 15, "", ""),
        ("二、部门产出", "", "", 60, "", ""),
        ("二、部门产出", "（一）产出数量", "", 55, "", ""),
        ("二、部门产出", "（一）产出数量", "1.完成率", 60, "", ""),
    ]
    system, problems = import_system_bytes(flat_workbook(rows))
    tree = _tree(system)
    assert tree == [("部门决策", 40, [("目标设定", 40, [("绩效目标合理性", 25), ("绩效指标明确性", 15)])]),
                    ("部门产出", 60, [("产出数量", 55, [("完成率", 60)])])]
    # the declared 55 is kept; each mismatch is reported on the row that declared the weight
    assert [p.message for p in problems] == [
        "工作表“指标”第 8 行：「部门产出 › 产出数量」分值 55 与下级指标分值之和 60 不一致",
        "工作表“指标”第 7 行：「部门产出」分值 60 与下级指标分值之和 55 不一致"]


def test_a_table_copied_from_word_imports_like_a_workbook():
    from exports.system_workbook import header_candidates_text, import_raw_text

    # Word puts a merged cell's text in its first row only, and quotes cells with breaks
    text = ("附件：评价指标\n"
            "一级指标\t二级指标\t三级指标\t分值\t指标值\t评分标准\n"
            "部门决策（40分）\t目标设定\t绩效目标合理性\t25\t\t\"①相符，得15分；\n②明确，得10分\"\n"
            "\t\t绩效指标明确性\t15\t\t细化分解得15分\n"
            "部门产出（60分）\t产出\t完成率\t60\t100%\t完成率×分值\n")
    info = header_candidates_text(text)
    assert info.row == 2 and info.recognised and info.sheet == "剪贴板"
    raw, problems = import_raw_text(text)
    assert problems == []
    top = raw["indicators"]
    assert [(g["name"], g["weight"]) for g in top] == [("部门决策", 40), ("部门产出", 60)]
    leaf = top[0]["children"][0]["children"][0]
    assert leaf["criteria"] == "①相符，得15分；\n②明确，得10分" and leaf["weight"] == 25
    assert top[1]["children"][0]["children"][0]["target"] == 100


def test_clipboard_without_a_table_is_refused():
    from exports.system_workbook import header_candidates_text

    with pytest.raises(SystemImportError, match="剪贴板中没有表格"):
        header_candidates_text("部门决策 40 分")


def test_percent_cells_and_formula_noise_read_as_shown():
    wb = Workbook()
    ws = wb.active
    ws.append(["一级指标", "二级指标", "三级指标", "分值", "指标值"])
    ws.append(["决策", "目标", "执行率", 0.1 + 0.2, 0.95])  # 0.30000000000000004 from a formula
    ws["E2"].number_format = "0%"
    ws.append(["", "", "完成率", 99.7, 1])
    ws["E3"].number_format = "0.00%"
    buf = io.BytesIO()
    wb.save(buf)
    system, problems = import_system_bytes(buf.getvalue())
    leaves = list(system.leaves())
    assert [(x.weight, x.target, x.unit) for x in leaves] == [
        (Decimal("0.3"), Decimal(95), "%"), (Decimal("99.7"), Decimal(100), "%")]
    assert problems == [] and system.indicators[0].weight == Decimal(100)  # 0.3 + 99.7 exactly
