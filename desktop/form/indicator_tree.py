"""The indicator tree (一级 / 二级 / 三级…) as an item model, for the 绩效指标评分 page.

``IndicatorTreeModel.show(evaluation, result, issues)`` is the one way in.  The
rows are the system's nodes, addressed by position (``NodeAddress``); a leaf is
also found by its id (``LeafField``).  Each node keeps the cells it shows (text,
tooltip, colours); a new snapshot of the same system compares them with the
new ones and emits ``dataChanged`` only for the rows that changed (one signal a
row, covering its changed cells), so typing stays cheap on a 100-leaf system.  A snapshot with another system (a
department-defined indicator added or removed, another evaluation opened)
resets the model.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from exports.tables import target_text as printed_target_text
from forms.address import LeafField, NodeAddress
from forms.model import Evaluation, LeafValue
from forms.numbers import fmt2, fmt_weight
from forms.scoring import NOT_APPLICABLE, GroupResult, LeafResult, ScoreResult
from forms.system import SOURCES, Group, Leaf, System
from forms.validation import ERROR, Issue, deviation_needed, shared_reason

from desktop.form.leaf_editors import actual_text
from desktop.common.widgets import COMPUTED_BG, ERROR_BG, WARNING_BG, worst_level

COL_NAME, COL_WEIGHT, COL_TARGET, COL_CRITERIA, COL_ACTUAL, COL_SCORE, COL_DEVIATION = range(7)
HEADERS = ("指标", "分值", "指标值", "评分标准", "实际完成值", "得分", "偏差原因")
CRITERIA_SHOWN = 36  # characters of 评分标准 in the tree; the full text is in the tooltip
GREY = "#9aa0a6"  # a 不适用 row
BELOW_FG = "#b35c00"  # a subtotal that lost points
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEAF_RIGHT = frozenset({COL_WEIGHT, COL_TARGET, COL_ACTUAL, COL_SCORE})
_GROUP_RIGHT = frozenset({COL_WEIGHT, COL_SCORE})
_GROUP_FLAGS = Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
_LEAF_FLAGS = _GROUP_FLAGS | Qt.ItemFlag.ItemIsEditable

Index = QModelIndex | QPersistentModelIndex
Key = LeafField | NodeAddress  # a row: a leaf by its id, or any node by position


def short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def target_text(leaf: Leaf, option_id: str | None = None) -> str:
    """指标值 as shown: the same text the report and the workbook print."""
    text = printed_target_text(leaf, option_id=option_id)
    return "" if text == "—" else text


class Cell(NamedTuple):
    """What one cell shows; colours are names ("" for none)."""

    text: str = ""
    tip: str = ""
    background: str = ""
    foreground: str = ""


Row = tuple[Cell, ...]


_DISPLAY, _TOOLTIP = int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.ToolTipRole)
_BACKGROUND, _FOREGROUND = int(Qt.ItemDataRole.BackgroundRole), int(Qt.ItemDataRole.ForegroundRole)
_FONT, _ALIGNMENT = int(Qt.ItemDataRole.FontRole), int(Qt.ItemDataRole.TextAlignmentRole)
_BRUSHES: dict[str, QBrush] = {}


def _brush(colour: str) -> QBrush:
    brush = _BRUSHES.get(colour)
    if brush is None:
        brush = _BRUSHES[colour] = QBrush(QColor(colour))
    return brush


def _mark(level: str | None) -> str:
    if level == ERROR:
        return ERROR_BG
    return WARNING_BG if level else ""


def _computed_tip(leaf: Leaf) -> str:
    name, how = SOURCES.get(leaf.source or "", (leaf.source, ""))
    return f"{name}由收支情况自动计算：{how}"


def leaf_row(leaf: Leaf, r: LeafResult | None, value: LeafValue, issues: list[Issue],
             refused: bool, shared: str = "") -> Row:
    """The cells of a leaf's row; ``refused``: a text the clerk typed was not a value;
    ``shared``: the 未能完成原因 text that serves as this leaf's 偏差原因 when it needs one."""
    name = Cell(leaf.name, leaf.name)
    weight = Cell(fmt_weight(leaf.weight))
    criteria = Cell(short(leaf.criteria, CRITERIA_SHOWN), leaf.criteria)
    if r is None:  # not scored (cannot happen for a leaf of the system scored)
        actual = Cell("", _computed_tip(leaf), COMPUTED_BG) if leaf.source else Cell()
        return (name, weight, Cell(target_text(leaf)), criteria, actual, Cell(), Cell())
    na = r.status == NOT_APPLICABLE
    actual_shown = actual_text(leaf, value, r)
    score = "不适用" if na else (fmt2(r.score) if r.status == "scored" else "0.00")
    if refused:  # typed text that is not a value: no score rather than the previous one
        actual_shown, score = "有误", "无效"
    own = LeafField(leaf.id, "deviation")
    deviation_issues = [i for i in issues if i.address == own]
    other = [i for i in issues if i.address != own]
    if value.deviation.strip():
        deviation = short(value.deviation, 40)
    elif shared and r.status == "scored" and deviation_needed(leaf, r.score, r.actual):
        deviation = "同未能完成原因：" + short(shared, 30)
    elif deviation_issues:
        deviation = "⚠ 需填写偏差原因"
    else:
        deviation = ""
    if na:
        deviation = (f"不适用：{short(value.reason, 30)}" if value.reason.strip()
                     else "不适用：⚠ 请填写原因")
    grey = GREY if na else ""
    other_level = worst_level(other)
    if other_level:
        actual = Cell(actual_shown, "\n".join(i.message for i in other), _mark(other_level), grey)
    elif leaf.source:
        actual = Cell(actual_shown, _computed_tip(leaf), COMPUTED_BG, grey)
    else:
        actual = Cell(actual_shown, "", "", grey)
    deviation_tip = "\n".join([i.message for i in deviation_issues]
                              + ([value.deviation] if value.deviation else []))
    return (
        Cell(leaf.name, "\n".join(i.message for i in issues) or leaf.name, _mark(other_level),
             grey),
        Cell(weight.text, "", "", grey),
        Cell(target_text(leaf, value.option), "", "", grey),
        Cell(criteria.text, criteria.tip, "", grey),
        actual,
        Cell(score, "", "", grey),
        Cell(deviation, deviation_tip, _mark(worst_level(deviation_issues)), grey),
    )


def group_row(group: Group, g: GroupResult | None, issues: list[Issue]) -> Row:
    """The cells of a group's row: its subtotal (orange when it lost points) and its marks."""
    mark = _mark(ERROR if issues else None)
    text = fmt2(g.score) if g is not None else ""
    below = g is not None and g.lost_points
    tip = (f"{group.name}：得分 {text} / 分值 {fmt_weight(group.weight)}"
           + ("（低于分值）" if below else "（满分）"))
    name = group.name + ("（部门自定义）" if group.custom else "")
    return (Cell(name, "\n".join(i.message for i in issues) or group.name, mark),
            Cell(fmt_weight(group.weight), "", mark), Cell(), Cell(), Cell(),
            Cell(text, tip, "", BELOW_FG if below else ""), Cell())


class _Node:
    __slots__ = ("address", "cells", "children", "inputs", "item", "parent", "roles", "serial")

    def __init__(self, serial: int, address: NodeAddress, item: Group | Leaf,
                 parent: _Node | None):
        self.serial = serial
        self.address = address
        self.item = item
        self.parent = parent
        self.children: list[_Node] = []
        self.cells: Row = ()
        self.inputs: tuple[Any, ...] | None = None  # what the cells were made from
        self.roles: tuple[dict[int, Any], ...] | None = None  # the cells by role, when asked

    @property
    def row(self) -> int:
        return self.address.indices[-1]


class IndicatorTreeModel(QAbstractItemModel):
    """The rows of the system's indicator tree with what the evaluation makes of them."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.system: System | None = None
        self._nodes: list[_Node] = []  # by serial (the index's internal id)
        self._tops: list[_Node] = []
        self._leaves: dict[str, _Node] = {}
        self.custom_leaves: frozenset[str] = frozenset()  # leaves of a 部门自定义 block
        self.open_leaves: frozenset[str] = frozenset()  # leaves with an issue
        self._bold = QFont()
        self._bold.setBold(True)

    # ---- the one way in
    def show(self, ev: Evaluation, result: ScoreResult, issues: list[Issue]) -> bool:
        """Show this snapshot; True when the model was reset (another system)."""
        if ev.system is not self.system:
            self.beginResetModel()
            self._build(ev.system)
            for node, cells in self._rows(ev, result, issues):
                node.cells, node.roles = cells, None
            self.endResetModel()
            return True
        for node, cells in self._rows(ev, result, issues):
            old, node.cells, node.roles = node.cells, cells, None
            changed = [c for c, (before, now) in enumerate(zip(old, cells, strict=True))
                       if before != now]
            if changed:  # one signal a row: the view measures the row's height once
                self.dataChanged.emit(self.createIndex(node.row, changed[0], node.serial),
                                      self.createIndex(node.row, changed[-1], node.serial))
        return False

    def _build(self, system: System) -> None:
        self.system = system
        self._nodes = []
        self._leaves = {}
        custom: set[str] = set()

        def add(item: Group | Leaf, address: NodeAddress, parent: _Node | None) -> _Node:
            node = _Node(len(self._nodes), address, item, parent)
            self._nodes.append(node)
            if isinstance(item, Leaf):
                self._leaves[item.id] = node
                if parent is not None and isinstance(parent.item, Group) and parent.item.custom:
                    custom.add(item.id)
            else:
                node.children = [add(child, NodeAddress(address.indices + (j,)), node)
                                 for j, child in enumerate(item.children)]
            return node

        self._tops = [add(top, NodeAddress((i,)), None)
                      for i, top in enumerate(system.indicators)]
        self.custom_leaves = frozenset(custom)

    def _rows(self, ev: Evaluation, result: ScoreResult,
              issues: list[Issue]) -> Iterator[tuple[_Node, Row]]:
        by_leaf: dict[str, list[Issue]] = {}
        by_node: dict[tuple[int, ...], list[Issue]] = {}
        for issue in issues:
            address = issue.address
            if isinstance(address, LeafField) and address.leaf_id in self._leaves:
                by_leaf.setdefault(address.leaf_id, []).append(issue)
            elif isinstance(address, NodeAddress) and address.indices:
                by_node.setdefault(address.indices, []).append(issue)
        self.open_leaves = frozenset(by_leaf)
        leaves = {r.leaf.id: r for r in result.leaves}
        groups = {g.address.indices: g for g in result.groups}
        for node in self._nodes:
            item = node.item
            # a row whose inputs are equal to the last ones shows the same cells
            # (compared by their figures: a result's leaf or group is the same object, and
            # comparing it would walk the whole subtree on every keystroke)
            if isinstance(item, Leaf):
                mine = by_leaf.get(item.id, [])
                refused = bool(mine) and any(i.path in ev.refused for i in mine)
                r, value = leaves.get(item.id), ev.value(item.id)
                inputs: tuple[Any, ...] = (
                    None if r is None else (r.score, r.status, r.actual, r.actual_text, r.message,
                                            r.option.id if r.option else None),
                    value, mine, refused, shared_reason(ev, item))
                if inputs != node.inputs:
                    node.inputs = inputs
                    yield node, leaf_row(item, r, value, mine, refused, inputs[-1])
            else:
                indices = node.address.indices
                g, mine = groups.get(indices), by_node.get(indices, [])
                inputs = (None if g is None else (g.score, g.applicable_weight), mine)
                if inputs != node.inputs:
                    node.inputs = inputs
                    yield node, group_row(item, g, mine)

    # ---- addresses
    def _node(self, index: Index) -> _Node | None:
        return self._nodes[index.internalId()] if index.isValid() else None

    def index_of(self, key: Key, column: int = 0) -> QModelIndex:
        """The index of a leaf (by id) or a node (by position); invalid when there is none."""
        node: _Node | None = None
        if isinstance(key, LeafField):
            node = self._leaves.get(key.leaf_id)
        elif key.indices:
            siblings = self._tops
            for i in key.indices:
                if not 0 <= i < len(siblings):
                    return QModelIndex()
                node = siblings[i]
                siblings = node.children
        if node is None:
            return QModelIndex()
        return self.createIndex(node.row, column, node.serial)

    def leaf_index(self, leaf_id: str, column: int = 0) -> QModelIndex:
        return self.index_of(LeafField(leaf_id), column)

    def address(self, index: Index) -> NodeAddress | None:
        node = self._node(index)
        return node.address if node is not None else None

    def item(self, index: Index) -> Group | Leaf | None:
        """The system's group or leaf on the index's row."""
        node = self._node(index)
        return node.item if node is not None else None

    def leaf_id(self, index: Index) -> str | None:
        node = self._node(index)
        return node.item.id if node is not None and isinstance(node.item, Leaf) else None

    def key(self, index: Index) -> Key | None:
        """The row's key that survives a reset: a leaf's id, or a group's position."""
        node = self._node(index)
        if node is None:
            return None
        return LeafField(node.item.id) if isinstance(node.item, Leaf) else node.address

    def leaf_ids(self) -> list[str]:
        return list(self._leaves)

    def row_texts(self, index: Index) -> list[str]:
        node = self._node(index)
        return [c.text for c in node.cells] if node is not None else []

    # ---- QAbstractItemModel
    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:
        node = self._node(parent)
        siblings = self._tops if node is None else node.children
        if not (0 <= row < len(siblings) and 0 <= column < len(HEADERS)):
            return QModelIndex()
        return self.createIndex(row, column, siblings[row].serial)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        node = self._node(index)
        if node is None or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.parent.row, 0, node.parent.serial)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        if parent.isValid() and parent.column() != 0:
            return 0
        node = self._node(parent)
        return len(self._tops) if node is None else len(node.children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802
        return len(HEADERS)

    def flags(self, index: Index) -> Qt.ItemFlag:
        node = self._node(index)
        if node is None:
            return Qt.ItemFlag.NoItemFlags
        # a leaf's cells are editable: the delegate says which of them take typing
        return _LEAF_FLAGS if isinstance(node.item, Leaf) else _GROUP_FLAGS

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(HEADERS)):
            return HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._nodes[index.internalId()]  # called for every role of every painted cell
        roles = node.roles
        if roles is None:
            roles = node.roles = self._roles(node)
        return roles[index.column()].get(role)

    def _roles(self, node: _Node) -> tuple[dict[int, Any], ...]:
        """What each cell of the row answers, by role (only the roles it has a value for)."""
        group = isinstance(node.item, Group)
        right = _GROUP_RIGHT if group else _LEAF_RIGHT
        found = []
        for column, cell in enumerate(node.cells):
            roles: dict[int, Any] = {_DISPLAY: cell.text}
            if cell.tip:
                roles[_TOOLTIP] = cell.tip
            if cell.background:
                roles[_BACKGROUND] = _brush(cell.background)
            if cell.foreground:
                roles[_FOREGROUND] = _brush(cell.foreground)
            if group:
                roles[_FONT] = self._bold
            if column in right:
                roles[_ALIGNMENT] = _RIGHT
            found.append(roles)
        return tuple(found)
