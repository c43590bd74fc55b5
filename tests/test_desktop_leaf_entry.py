"""A coefficient or a count typed in the indicator tree's cell and in the leaf panel:
the same texts are refused, with the same limits, in both places."""

from __future__ import annotations

from decimal import Decimal

import pytest
from desktop_typing import (  # no_qt_warnings: autouse, fails on Qt warnings
    choose,
    enter,
    no_qt_warnings,  # noqa: F401
    press,
    setup_app,
    show,
    type_text,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox

from desktop.form.document import Document
from desktop.form.indicator_tree import COL_ACTUAL
from desktop.form.pages.indicators import IndicatorsPage
from desktop.common.widgets import mark_level
from forms.leaf_entry import COUNT_MAX

REFUSED = "（未采用，请改正）"  # what the document adds to a refused text


@pytest.fixture
def page(qtbot, qapp, sample):
    setup_app(qapp)
    return show(qtbot, IndicatorsPage(Document(sample)))


def type_in_row(page, leaf_id, text):
    page.tree.setFocus()
    page.tree.setCurrentIndex(page.model.leaf_index(leaf_id, COL_ACTUAL))
    type_text(text)
    enter()
    QApplication.processEvents()


def errors(document, path):
    return [i.message for i in document.issues if i.path == path and i.level == "error"]


def test_a_percentage_over_100_is_refused_in_the_row_and_in_the_panel(page):
    document = page.document
    path = "values.satisfaction.coefficient"
    type_in_row(page, "satisfaction", "95")
    assert document.evaluation.value("satisfaction").coefficient == Decimal(95)
    assert document.result.leaf("satisfaction").score == Decimal("9.50")
    type_in_row(page, "satisfaction", "150")
    # refused: the old figure no longer scores, and the clerk reads why
    assert document.evaluation.value("satisfaction").coefficient is None
    assert errors(document, path) == [
        "服务对象满意度等级或系数：请填写优、良、中、差或 0–100 的百分比" + REFUSED]
    type_in_row(page, "satisfaction", "良")  # a level name clears the refusal
    assert document.evaluation.value("satisfaction").level == "良"
    assert not errors(document, path)
    # the panel's percentage field takes the same limit
    page.focus_leaf("satisfaction")
    QApplication.processEvents()
    editor = page.panel.editor
    combo = editor.findChild(QComboBox, "level")
    choose(combo, "__instead__:coefficient")
    editor.percent.setFocus()
    type_text("80")
    assert document.evaluation.value("satisfaction").coefficient == Decimal(80)
    type_text("0")  # 800
    assert document.evaluation.value("satisfaction").coefficient is None
    assert mark_level(editor.percent) == "error"
    # the document keeps the refused text; the panel's error reads as the row's does
    assert errors(document, path) == [
        "服务对象满意度等级或系数：请填写优、良、中、差或 0–100 的百分比" + REFUSED]
    press(Qt.Key.Key_Backspace)  # 80 again
    assert document.evaluation.value("satisfaction").coefficient == Decimal(80)
    assert mark_level(editor.percent) == "" and not errors(document, path)


def test_a_count_is_a_whole_number_up_to_the_same_limit_in_row_and_panel(page):
    document = page.document
    type_in_row(page, "assets", "2")
    assert document.evaluation.value("assets").count == Decimal(2)
    for text in ("2.5", str(COUNT_MAX + 1), "-1"):
        type_in_row(page, "assets", text)
        assert document.evaluation.value("assets").count is None, text
        assert errors(document, "values.assets.count") == \
            ["资产管理规范性次数：应为 0–9999 的整数" + REFUSED], text
    type_in_row(page, "assets", str(COUNT_MAX))
    assert document.evaluation.value("assets").count == Decimal(COUNT_MAX)
    assert not errors(document, "values.assets.count")
    assert page.panel.editor.spin.maximum() == COUNT_MAX
