"""定性 on the indicator page: the clerk picks a level, types a score inside its band, and a
score outside the band is an error on the leaf, not a score (docs/rules.md)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel

from desktop.form.document import Document
from desktop.form.indicator_tree import COL_ACTUAL, COL_SCORE
from desktop.form.pages.indicators import IndicatorsPage
from desktop_typing import (  # no_qt_warnings: autouse, fails on Qt warnings
    choose, ctrl, setup_app, show, type_text,
    no_qt_warnings,  # noqa: F401
)
from helpers import evaluation_with
from tree_rows import leaf_row


@pytest.fixture
def page(qtbot, qapp):
    setup_app(qapp)
    ev = evaluation_with({"id": "q", "name": "工作目标完成情况", "weight": 10,
                          "rule": {"type": "qualitative"}})
    return show(qtbot, IndicatorsPage(Document(ev)))


def test_level_then_a_score_in_its_band(page):
    document = page.document
    assert page.focus_leaf("q")
    QApplication.processEvents()
    editor = page.panel.editor
    assert list(editor.inputs) == ["level", "score"]  # its declared fields, in order
    choose(editor.findChild(QComboBox, "level"), "部分达成年度指标并具有一定效果")
    assert "6（含）–8（不含）" in editor.findChild(QLabel, "score.suffix").text()
    editor.number.setFocus()
    type_text("7.5")
    value = document.evaluation.value("q")
    assert (value.level, value.score) == ("部分达成年度指标并具有一定效果", Decimal("7.5"))
    assert document.result.leaf("q").score == Decimal("7.50")
    assert leaf_row(page, "q").text(COL_SCORE) == "7.50"
    assert leaf_row(page, "q").text(COL_ACTUAL) == "部分达成年度指标并具有一定效果"

    # 8 belongs to the level above: an error naming the band, and no points
    editor.number.selectAll()
    type_text("8")
    result = document.result.leaf("q")
    assert result.status == "invalid" and result.score == 0
    assert any("6.00（含）–8.00（不含）" in i.message for i in document.issues)

    # choosing the level above makes the same 8 a score
    choose(editor.findChild(QComboBox, "level"), "达成年度指标")
    assert document.result.leaf("q").score == Decimal("8.00")
    ctrl(Qt.Key.Key_Z)  # one step back: the level, not the score
    assert document.evaluation.value("q").level == "部分达成年度指标并具有一定效果"
    assert document.evaluation.value("q").score == Decimal("8")
