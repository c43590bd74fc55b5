"""The indicator page and score panel with two- and four-level systems and a capped total."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from desktop.form.document import Document
from desktop.form.indicator_tree import COL_NAME, COL_SCORE
from desktop.form.pages.indicators import IndicatorsPage
from desktop.form.score_panel import ScorePanel
from desktop_typing import (  # no_qt_warnings: autouse, fails on Qt warnings
    enter, setup_app, show, type_text,
    no_qt_warnings,  # noqa: F401
)
from forms.address import parse
from forms.package import package_from_dict
from test_rules import CAP, chongqing, tree, with_executed
from tree_rows import current_row, set_current, top_rows


def names(item):
    return [item.child(i).text(COL_NAME) for i in range(item.childCount())]


def test_two_levels_the_chongqing_table(qtbot, qapp):
    setup_app(qapp)
    document = Document(package_from_dict(chongqing()))
    page = show(qtbot, IndicatorsPage(document))
    top = top_rows(page)
    assert [t.text(COL_NAME) for t in top] == ["预算执行", "共性指标", "个性指标"]
    assert len(names(top[1])) == 14 and top[1].child(0).childCount() == 0  # leaves right below
    assert top[0].text(COL_SCORE) == "7.60"
    # the clerk types a lower 任务完成率: the level-1 subtotal and the total follow
    assert page.focus_leaf("cq_tasks")
    QApplication.processEvents()
    field = page.panel.editor.number
    field.setFocus()
    field.selectAll()
    type_text("90")
    enter()
    QApplication.processEvents()
    assert document.result.leaf("cq_tasks").actual == 90
    assert top[2].text(COL_SCORE) == "52.00"
    panel = show(qtbot, ScorePanel())
    panel.set_document(document)
    assert panel.total_text() == "95.60"
    assert ("个性指标", "▼52.00/54") in panel.row_texts()


def test_four_levels_rows_subtotals_and_group_panel(qtbot, qapp):
    setup_app(qapp)
    pkg = chongqing() | {"system": tree(4), "values": {"a": {"actual": "75"}, "b": {"score": "60"}}}
    document = Document(package_from_dict(pkg))
    page = show(qtbot, IndicatorsPage(document))
    a2 = top_rows(page)[0]
    a1 = a2.child(0)
    a0 = a1.child(0)
    assert [a2.text(COL_NAME), a1.text(COL_NAME), a0.text(COL_NAME), a0.child(0).text(COL_NAME)] \
        == ["A2", "A1", "A0", "甲"]
    assert [a2.text(COL_SCORE), a1.text(COL_SCORE), a0.text(COL_SCORE)] == ["30.00"] * 3
    set_current(page, a0)
    QApplication.processEvents()
    assert page.panel.title.line().startswith("三级指标：A0")
    assert page.focus(parse("system.indicators[0].children[0].children[0]"))
    assert current_row(page) == a0
    panel = show(qtbot, ScorePanel())
    panel.set_document(document)
    assert panel.row_texts()[:3] == [("A2", "▼30.00/40"), ("A1", "▼30.00/40"), ("A0", "▼30.00/40")]
    assert panel.total_text() == "90.00"


def test_the_score_panel_prints_the_cap(qtbot, qapp):
    setup_app(qapp)
    pkg = with_executed(chongqing(), "760.00")
    pkg["system"]["cap"] = CAP
    panel = show(qtbot, ScorePanel())
    panel.set_document(Document(package_from_dict(pkg)))
    assert panel.total_text() == "89.00"
    assert panel.cap_label.isVisible()
    assert panel.cap_label.text() == "预算执行率 76%，自评得分不高于 89 分（封顶前 97.60 分）"
