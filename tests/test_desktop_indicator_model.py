"""IndicatorTreeModel: rows by position, repaint only what an edit changed, reset on a new system."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester

from desktop.form.document import Document
from desktop.form.indicator_tree import (
    COL_ACTUAL,
    COL_NAME,
    COL_SCORE,
    COL_WEIGHT,
    IndicatorTreeModel,
)
from desktop.common.widgets import ERROR_BG
from desktop_typing import no_qt_warnings  # noqa: F401 (autouse: fails on Qt warnings)
from forms import custom_block
from forms.address import LeafField, NodeAddress
from forms.package import package_from_dict
from forms.validation import ERROR, Issue
from test_rules import chongqing, tree


def shown(model: IndicatorTreeModel, document: Document) -> bool:
    issues = [i for i in document.issues if i.section == "values"]
    return model.show(document.evaluation, document.result, issues)


@pytest.fixture
def watched(qapp, sample):
    document = Document(sample)
    model = IndicatorTreeModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning, model)
    assert shown(model, document)  # the first snapshot builds the rows
    changes: list[tuple[NodeAddress, int, int]] = []
    resets: list[str] = []
    model.dataChanged.connect(lambda first, last, _roles=(): changes.append(
        (model.address(first), first.column(), last.column())))
    model.modelReset.connect(lambda: resets.append("reset"))
    return document, model, changes, resets


def text(model: IndicatorTreeModel, key: LeafField | NodeAddress, column: int) -> str:
    return model.data(model.index_of(key, column))


def test_an_edit_repaints_that_leafs_row_and_its_ancestors_subtotals_only(watched):
    document, model, changes, resets = watched
    fdi = model.address(model.leaf_index("fdi"))
    assert fdi == NodeAddress((0, 0, 0))
    value = replace(document.evaluation.value("fdi"), actual=Decimal("1200"))
    document.apply(document.evaluation.with_value("fdi", value), "修改", merge_key="values.fdi.actual")
    assert not shown(model, document)
    assert not resets
    # one signal a row: the leaf's, and its ancestors' (their 得分 cell only)
    rows = [address for address, _first, _last in changes]
    assert len(rows) == 3 and set(rows) == {fdi, NodeAddress((0, 0)), NodeAddress((0,))}
    assert {(a, f, last) for a, f, last in changes if a != fdi} == {
        (NodeAddress((0, 0)), COL_SCORE, COL_SCORE), (NodeAddress((0,)), COL_SCORE, COL_SCORE)}
    (first, last), = [(f, last) for a, f, last in changes if a == fdi]
    assert first <= COL_ACTUAL and last >= COL_SCORE  # its value and its score
    assert text(model, LeafField("fdi"), COL_SCORE) == "8.00"
    assert text(model, NodeAddress((0, 0)), COL_SCORE) == "28.00"
    # the same snapshot again: nothing to repaint
    changes.clear()
    shown(model, document)
    assert changes == []


def test_a_new_system_resets_the_model(watched):
    document, model, changes, resets = watched
    after, leaf_id = custom_block.add_leaf(document.evaluation, 0, 0)
    document.apply(after, "添加自定义指标")
    assert shown(model, document)
    assert resets == ["reset"] and changes == []
    block = model.index_of(NodeAddress((0, 0)))
    assert model.rowCount(block) == 4
    assert model.leaf_index(leaf_id) == model.index(3, 0, block)
    assert leaf_id in model.custom_leaves
    document.undo_stack.undo()
    assert shown(model, document)
    assert resets == ["reset", "reset"] and model.rowCount(model.index_of(NodeAddress((0, 0)))) == 3
    assert not model.leaf_index(leaf_id).isValid()


def four_levels(qapp) -> tuple[Document, IndicatorTreeModel]:
    pkg = chongqing() | {"system": tree(4), "values": {"a": {"actual": "75"}, "b": {"score": "60"}}}
    document = Document(package_from_dict(pkg))
    model = IndicatorTreeModel()
    QAbstractItemModelTester(model, QAbstractItemModelTester.FailureReportingMode.Warning, model)
    shown(model, document)
    return document, model


def test_a_four_level_system_shows_every_level(qapp):
    _document, model = four_levels(qapp)
    assert model.rowCount() == 2
    names, scores = [], []
    index = QModelIndex()
    for depth in range(4):
        assert model.rowCount(index) == 1 or index == QModelIndex()
        index = model.index(0, 0, index)
        assert model.address(index) == NodeAddress((0,) * (depth + 1))
        names.append(model.data(index))
        scores.append(model.data(index.siblingAtColumn(COL_SCORE)))
    assert names == ["A2", "A1", "A0", "甲"]
    assert scores == ["30.00", "30.00", "30.00", "30.00"]
    assert model.rowCount(index) == 0 and model.leaf_id(index) == "a"
    # a group's font is bold, a leaf's is the view's
    assert model.data(model.index(0, 0), Qt.ItemDataRole.FontRole).bold()
    assert model.data(index, Qt.ItemDataRole.FontRole) is None
    # back up the tree by parent()
    assert model.address(model.parent(model.parent(index))) == NodeAddress((0, 0))
    assert model.index_of(NodeAddress((0, 0, 0, 0))) == index
    assert not model.index_of(NodeAddress((0, 0, 0, 0, 0))).isValid()
    assert not model.index_of(NodeAddress((2,))).isValid()


def test_an_issue_on_a_group_marks_that_groups_row(qapp):
    document, model = four_levels(qapp)
    message = "A0 的下级指标分值之和（30）不等于其分值（40）"
    model.show(document.evaluation, document.result, [Issue(ERROR, NodeAddress((0, 0, 0)), message)])
    a0 = model.index_of(NodeAddress((0, 0, 0)))
    for column in (COL_NAME, COL_WEIGHT):
        brush = model.data(a0.siblingAtColumn(column), Qt.ItemDataRole.BackgroundRole)
        assert brush.color().name() == ERROR_BG
    assert model.data(a0, Qt.ItemDataRole.ToolTipRole) == message
    for other in (NodeAddress((0,)), NodeAddress((0, 0)), NodeAddress((1, 0, 0))):
        index = model.index_of(other)
        assert model.data(index, Qt.ItemDataRole.BackgroundRole) is None, other
    leaf = model.leaf_index("a")
    assert model.data(leaf, Qt.ItemDataRole.BackgroundRole) is None
    # the issue goes: the mark goes
    model.show(document.evaluation, document.result, [])
    assert model.data(a0, Qt.ItemDataRole.BackgroundRole) is None
    assert model.data(a0, Qt.ItemDataRole.ToolTipRole) == "A0"
