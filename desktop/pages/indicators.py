"""绩效指标评分: the indicator tree and, below it, the editor of the selected row.

The tree (一级 / 二级 / 三级) is built from the system once and rebuilt only
when the system itself changes (a custom block edited, undo of such an edit);
a value edit only rewrites the texts and marks of the rows whose display
changed, so typing stays cheap on a 100-leaf system.

Below the tree, ``LeafPanel`` shows the selected leaf in full: the rule's
editor (``desktop.leaf_editors``), score, 不适用 with its reason, 偏差原因, and
for a leaf of a department-defined block (部门自定义指标) its name, weight,
unit, target and rule.  Selecting a custom block offers 添加指标.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStyledItemDelegate,
    QToolTip,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from forms import custom_block
from forms.address import Address, LeafField, NodeAddress, parse
from forms.leaf_entry import NUMBER_FIELDS, read_entry
from forms.model import Evaluation, LeafValue
from forms.numbers import NumberError, fmt2, fmt_weight, parse_number, plain
from forms.scoring import NOT_APPLICABLE, STATUS_TEXT, LeafResult
from exports.tables import target_text as printed_target_text
from forms.rules import kind as rule_kind
from forms.system import RULE_TYPES, SOURCES, Group, Leaf, System
from forms.validation import ERROR, Issue

from ..document import Document
from ..leaf_editors import RuleEditor, actual_text, leaf_editor, rule_summary
from ..messages import confirm
from ..tables import CommitStartsEdit, join_block
from ..widgets import (
    COMPUTED_BG,
    ERROR_BG,
    ERROR_FG,
    WARNING_BG,
    CountedText,
    LineField,
    NumberField,
    set_mark,
    show_problems,
    worst_level,
)
from .base import Page

COL_NAME, COL_WEIGHT, COL_TARGET, COL_CRITERIA, COL_ACTUAL, COL_SCORE, COL_DEVIATION = range(7)
HEADERS = ("指标", "分值", "指标值", "评分标准", "实际完成值", "得分", "偏差原因")
_CRITERIA_SHOWN = 36  # characters of 评分标准 in the tree; the full text is in the tooltip


def _leaf_of(address: Address) -> str | None:
    """The indicator an address is about (any of its fields), or None."""
    return address.leaf_id if isinstance(address, LeafField) else None


def _group_at(system: System, key: tuple[int, ...]) -> Group:
    node: Group | Leaf = system.indicators[key[0]]
    for index in key[1:]:
        assert isinstance(node, Group)
        node = node.children[index]
    assert isinstance(node, Group)
    return node
_GREY = QColor("#9aa0a6")
BELOW_FG = "#b35c00"  # a subtotal that lost points


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def target_text(leaf: Leaf, option_id: str | None = None) -> str:
    """指标值 as shown: the same text the report and the workbook print."""
    text = printed_target_text(leaf, option_id=option_id)
    return "" if text == "—" else text


class IndicatorTree(CommitStartsEdit, QTreeWidget):
    """The tree, with a spreadsheet's keyboard on leaf rows.

    Rows are selected whole, so typing on a leaf row goes to the cell that takes
    it: a figure to 实际完成值 (when the rule takes one there), Chinese text to
    偏差原因 (or to 实际完成值 for a level such as 优).  Enter moves to the next leaf.
    """

    def __init__(self, parent: QWidget, page: IndicatorsPage):
        super().__init__(parent)
        self.page = page

    def _leaf_id(self) -> str | None:
        item = self.currentItem()
        key = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        return key[1] if key and key[0] == "leaf" else None

    def _aim(self, chinese: bool) -> None:
        """Make the cell that takes what is being typed current."""
        leaf_id = self._leaf_id()
        if leaf_id is None or self.currentColumn() in (COL_ACTUAL, COL_DEVIATION):
            return  # on a data cell the clerk chose: it takes the typing or nothing does
        actual = self.page.inline_kind(leaf_id, COL_ACTUAL)
        if actual and (not chinese or actual == "level"):
            self.setCurrentItem(self.currentItem(), COL_ACTUAL)
        elif chinese and self.page.inline_kind(leaf_id, COL_DEVIATION):
            self.setCurrentItem(self.currentItem(), COL_DEVIATION)

    def next_leaf(self, column: int) -> None:
        below = self.itemBelow(self.currentItem()) if self.currentItem() else None
        while below is not None and below.data(0, Qt.ItemDataRole.UserRole)[0] != "leaf":
            below = self.itemBelow(below)
        if below is not None:
            self.setCurrentItem(below, column)

    def rows_text(self, whole: bool) -> str:
        """The current row, or the whole table, as tab-separated text for Excel / Word."""
        rows = []
        if whole:
            rows.append(list(HEADERS))
            item = self.topLevelItem(0)
            while item is not None:
                rows.append(self._row_texts(item))
                item = self.itemBelow(item)
        elif self.currentItem() is not None:
            rows.append(self._row_texts(self.currentItem()))
        return join_block(rows)

    def _row_texts(self, item: QTreeWidgetItem) -> list[str]:
        """What the row shows, with the texts shortened on screen given in full."""
        texts = [item.text(c) for c in range(len(HEADERS))]
        key = item.data(0, Qt.ItemDataRole.UserRole)
        ev = self.page.document.evaluation
        leaf = ev.system.leaf(key[1]) if key and key[0] == "leaf" else None
        if leaf is not None:
            value = ev.value(leaf.id)
            texts[COL_CRITERIA] = leaf.criteria
            texts[COL_DEVIATION] = (f"不适用：{value.reason}" if value.not_applicable
                                    else value.deviation)
        return texts

    def copy_rows(self, whole: bool = False) -> None:
        QGuiApplication.clipboard().setText(self.rows_text(whole))

    def contextMenuEvent(self, event: Any) -> None:  # noqa: N802
        menu = QMenu(self)
        menu.addAction("复制此行", lambda: self.copy_rows(False))
        menu.addAction("复制整张评分表", lambda: self.copy_rows(True))
        menu.exec(event.globalPos())

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802
        if self.state() != QAbstractItemView.State.EditingState:
            if event.matches(QKeySequence.StandardKey.Copy):
                self.copy_rows(False)
                return
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.next_leaf(self.currentColumn())
                return
            text = event.text()
            if text and text.isprintable() and not event.modifiers() & (
                    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
                self._aim(chinese=not text.isascii() and not text.isdigit())
        super().keyPressEvent(event)

    def inputMethodEvent(self, event: Any) -> None:  # noqa: N802
        if self.state() != QAbstractItemView.State.EditingState and event.commitString():
            self._aim(chinese=True)
        super().inputMethodEvent(event)


class LeafPanel(QWidget):
    """The full editor of one leaf (or the summary of a group) below the tree."""

    def __init__(self, page: IndicatorsPage):
        super().__init__(page)
        self.page = page
        self.leaf: Leaf | None = None
        self.editor: RuleEditor | None = None
        self._editor_key: Any = None
        self._loading = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(6)

        self.title = QLabel(self)
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.criteria = QLabel(self)
        self.criteria.setWordWrap(True)
        self.criteria.setStyleSheet("color: #444;")
        self.criteria.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.criteria)
        # what is wrong with this leaf, in words (the fields are also marked)
        self.problems = QLabel(self)
        self.problems.setObjectName("leaf_problems")
        self.problems.setWordWrap(True)
        layout.addWidget(self.problems)

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(self.form)
        # value editor and score on one row, how the rule scores just below: the panel
        # must show 偏差原因 without scrolling in a 1366×768 window
        self.editor_host = QWidget(self)
        self.editor_layout = QVBoxLayout(self.editor_host)
        self.editor_layout.setContentsMargins(0, 0, 0, 0)
        self.score = QLabel(self)
        self.score.setObjectName("leaf_score")
        font = self.score.font()
        font.setBold(True)
        self.score.setFont(font)
        value_row = QHBoxLayout()
        value_row.addWidget(self.editor_host, 1)
        value_row.addWidget(self.score, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        self.actual_label = QLabel("实际完成值：", self)
        self.form.addRow(self.actual_label, value_row)
        self.rule_note = QLabel(self)
        self.rule_note.setWordWrap(True)
        self.rule_note.setStyleSheet("color: #666;")
        self.form.addRow("", self.rule_note)

        na_row = QHBoxLayout()
        self.not_applicable = QCheckBox("本指标不适用", self)
        self.not_applicable.setObjectName("not_applicable")
        self.not_applicable.toggled.connect(self._na_toggled)
        self.reason = LineField(self)
        self.reason.setObjectName("reason")
        self.reason.setPlaceholderText("不适用的原因（必填），例如：本年度无政府采购事项")
        self.reason.edited.connect(lambda text: self._edit("reason", reason=text))
        na_row.addWidget(self.not_applicable)
        na_row.addWidget(self.reason, 1)
        self.na_label = QLabel("不适用：", self)
        self.form.addRow(self.na_label, na_row)

        self.deviation = CountedText(self, min_lines=2, max_lines=8)
        self.deviation.setObjectName("deviation")
        self.deviation.edited.connect(lambda text: self._edit("deviation", deviation=text))
        self.deviation_label = QLabel("偏差原因分析\n及改进措施：", self)
        self.form.addRow(self.deviation_label, self.deviation)

        # 部门自定义指标: the clerk defines the leaf itself
        self.custom_box = QGroupBox("部门自定义指标设置", self)
        custom = QFormLayout(self.custom_box)
        self.c_name = LineField(self.custom_box)
        self.c_name.setObjectName("custom.name")
        self.c_name.edited.connect(lambda t: self._define("name", name=t))
        self.c_weight = NumberField("分值", self.custom_box)
        self.c_weight.setObjectName("custom.weight")
        self.c_weight.setMaximumWidth(120)
        self.c_weight.value_edited.connect(self._weight_edited)
        self.c_unit = LineField(self.custom_box)
        self.c_unit.setObjectName("custom.unit")
        self.c_unit.setMaximumWidth(120)
        self.c_unit.edited.connect(lambda t: self._define("unit", unit=t))
        self.c_target = NumberField("指标值", self.custom_box)
        self.c_target.setObjectName("custom.target")
        self.c_target.setMaximumWidth(160)
        self.c_target.value_edited.connect(lambda v: self._define("target", target=v))
        self.c_rule = QComboBox(self.custom_box)
        self.c_rule.setObjectName("custom.rule")
        for key, label, _rule in custom_block.CUSTOM_RULES:
            self.c_rule.addItem(label, key)
        self.c_rule.currentIndexChanged.connect(self._rule_chosen)
        self.c_criteria = LineField(self.custom_box)
        self.c_criteria.setObjectName("custom.criteria")
        self.c_criteria.edited.connect(lambda t: self._define("criteria", criteria=t))
        self.c_remove = QPushButton("删除此指标", self.custom_box)
        self.c_remove.setObjectName("custom.remove")
        self.c_remove.clicked.connect(
            lambda: self.page.remove_leaf(self.leaf.id if self.leaf else ""))
        custom.addRow("指标名称：", self.c_name)
        row = QHBoxLayout()
        row.addWidget(self.c_weight)
        row.addWidget(QLabel("单位：", self.custom_box))
        row.addWidget(self.c_unit)
        row.addWidget(QLabel("指标值：", self.custom_box))
        row.addWidget(self.c_target)
        row.addStretch(1)
        custom.addRow("分值：", row)
        custom.addRow("计分方式：", self.c_rule)
        custom.addRow("评分标准：", self.c_criteria)
        custom.addRow("", self.c_remove)
        layout.addWidget(self.custom_box)

        # a group (一级/二级) row selected
        self.group_box = QWidget(self)
        group_layout = QVBoxLayout(self.group_box)
        group_layout.setContentsMargins(0, 0, 0, 0)
        self.group_text = QLabel(self.group_box)
        self.group_text.setWordWrap(True)
        self.block_problem = QLabel(self.group_box)
        self.block_problem.setWordWrap(True)
        self.block_problem.setStyleSheet(
            f"QLabel {{ background: {ERROR_BG}; color: #c0392b; padding: 4px; }}")
        self.add_button = QPushButton("添加指标", self.group_box)
        self.add_button.setObjectName("custom.add")
        self.add_button.clicked.connect(lambda: self.page.add_leaf(self._block))
        group_layout.addWidget(self.group_text)
        group_layout.addWidget(self.block_problem)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        group_layout.addLayout(buttons)
        layout.addWidget(self.group_box)
        layout.addStretch(1)
        self._block: tuple[int, ...] = ()
        self.show_nothing()

    # ---- which row is shown
    def _leaf_rows_visible(self, visible: bool) -> None:
        for w in (self.actual_label, self.editor_host, self.rule_note, self.score, self.na_label,
                  self.not_applicable, self.reason, self.deviation, self.deviation_label,
                  self.criteria):
            w.setVisible(visible)

    def show_nothing(self) -> None:
        self.leaf = None
        self.problems.setVisible(False)
        self._leaf_rows_visible(False)
        self.custom_box.setVisible(False)
        self.group_box.setVisible(False)
        self.title.setText("在上方选择一项指标进行填写。")

    def show_leaf(self, leaf: Leaf, ev: Evaluation, result: LeafResult | None,
                  issues: list[Issue], custom: bool) -> None:
        self._loading = True
        self.leaf = leaf
        self.group_box.setVisible(False)
        self._leaf_rows_visible(True)
        key = (leaf.id, leaf.rule, leaf.source, leaf.unit, leaf.target, leaf.weight, leaf.name)
        if key != self._editor_key:
            if self.editor is not None:
                # hide and delete in place: un-parenting would make it a window and
                # take the activation (and the clerk's focus) away from the page
                self.editor.hide()
                self.editor_layout.removeWidget(self.editor)
                self.editor.deleteLater()
            self.editor = leaf_editor(leaf, self.editor_host)
            self.editor.edited.connect(self._editor_edited)
            self.editor_layout.addWidget(self.editor)
            self._editor_key = key
            # Tab goes value → 不适用 → reason → 偏差原因, whatever the rule's editor is
            QWidget.setTabOrder(self.editor.main_widget(), self.not_applicable)
            QWidget.setTabOrder(self.not_applicable, self.reason)
            QWidget.setTabOrder(self.reason, self.deviation.field)
        value = ev.value(leaf.id)
        self.editor.load(value, result)
        na = value.not_applicable
        self.editor.setEnabled(not na)
        rule_name = RULE_TYPES.get(leaf.rule.type, leaf.rule.type)
        self.title.setText(f"{leaf.name}　（分值 {fmt_weight(leaf.weight)} 分"
                           + (f"，指标值 {target_text(leaf)}"
                              if target_text(leaf) and leaf.rule.type != "either" else "")
                           + f"，{rule_name}）")
        self.criteria.setText(f"评分标准：{leaf.criteria}" if leaf.criteria else "")
        self.criteria.setVisible(bool(leaf.criteria))
        summary = rule_summary(leaf.rule, leaf.weight, leaf.target, leaf.unit)
        self.rule_note.setText(f"计分方法：{summary}")
        refused = [p for p in ev.refused if _leaf_of(parse(p)) == leaf.id]
        if refused:
            self.score.setText("得分 无效（输入有误，请改正）")
            self.score.setStyleSheet(f"color: {ERROR_FG};")
        elif value.not_applicable:
            self.score.setText("不适用（不计分）")
            self.score.setStyleSheet("color: #888;")
        elif result is not None:
            status = STATUS_TEXT.get(result.status, "")
            extra = "" if result.status == "scored" else f"（{status}）"
            self.score.setText(f"得分 {fmt2(result.score)} / {fmt_weight(leaf.weight)} 分{extra}")
            self.score.setStyleSheet("")
        if self.not_applicable.isChecked() != na:
            self.not_applicable.setChecked(na)
        self.reason.setEnabled(na)
        self.reason.set_text(value.reason)
        self.deviation.set_text(value.deviation)
        self.deviation.setEnabled(not na)
        self._paint(issues)
        self.custom_box.setVisible(custom)
        if custom:
            self.c_weight.set_path(f"values.{leaf.id}.weight")
            self.c_target.set_path(f"values.{leaf.id}.target")
            self.c_name.set_text(leaf.name)
            self.c_weight.set_value(leaf.weight)
            self.c_unit.set_text(leaf.unit)
            self.c_target.set_value(leaf.target)
            self.c_criteria.set_text(leaf.criteria)
            choice = custom_block.rule_choice(leaf.rule)
            index = self.c_rule.findData(choice)
            if index < 0:
                self.c_rule.addItem(RULE_TYPES.get(leaf.rule.type, leaf.rule.type), choice)
                index = self.c_rule.findData(choice)
            if self.c_rule.currentIndex() != index:
                self.c_rule.setCurrentIndex(index)
            self.c_target.setEnabled(leaf.rule.type == "ratio")
        self._loading = False

    def show_group(self, group: Group, level: int, block: tuple[int, ...], subtotal: Decimal | None,
                   issues: list[Issue]) -> None:
        self.leaf = None
        self._block = block
        self.problems.setVisible(False)
        self._leaf_rows_visible(False)
        self.custom_box.setVisible(False)
        self.group_box.setVisible(True)
        self.title.setText(f"{'一二三四'[level - 1]}级指标：{group.name}　（分值 {fmt_weight(group.weight)} 分）")
        lines = []
        if subtotal is not None:
            lines.append(f"当前得分 {fmt2(subtotal)} 分。")
        if group.custom:
            lines.append(f"部门自定义指标：可添加、删除本项下的三级指标并修改名称、分值、指标值；"
                         f"各指标分值之和须等于 {fmt_weight(group.weight)} 分"
                         f"（现为 {fmt_weight(group.children_weight)} 分）。")
        self.group_text.setText("\n".join(lines))
        problems = [i.message for i in issues]
        self.block_problem.setText("\n".join(problems))
        self.block_problem.setVisible(bool(problems))
        self.add_button.setVisible(group.custom)

    def _paint(self, issues: list[Issue]) -> None:
        assert self.leaf is not None
        by_field: dict[str, list[Issue]] = {"deviation": [], "reason": [], "actual": []}
        for issue in issues:
            field = issue.address.field if isinstance(issue.address, LeafField) else ""
            by_field.get(field or "actual", by_field["actual"]).append(issue)
        for name, widget in (("deviation", self.deviation.field), ("reason", self.reason)):
            found = by_field[name]
            set_mark(widget, worst_level(found), "\n".join(i.message for i in found))
        show_problems(self.problems, issues)

    # ---- edits
    def _edit(self, field: str, **changes: Any) -> None:
        if self._loading or self.leaf is None:
            return
        value = replace(self.page.document.evaluation.value(self.leaf.id), **changes)
        self.page.apply_value(self.leaf.id, value, field)

    def _editor_edited(self, value: LeafValue, field: str) -> None:
        if self._loading or self.leaf is None:
            return
        # the editor's copy may be stale in fields it does not own: merge onto the current value
        current = self.page.document.evaluation.value(self.leaf.id)
        own = {f: getattr(value, f) for f in ("actual", "checked", "count", "level", "coefficient",
                                                "score", "option")}
        self.page.apply_value(self.leaf.id, replace(current, **own), field)

    def _na_toggled(self, checked: bool) -> None:
        if self._loading:
            return
        self._edit("not_applicable", not_applicable=checked)
        if checked:
            self.reason.setFocus()  # a reason is required: ask for it at once

    def _define(self, what: str, **changes: Any) -> None:
        if self._loading or self.leaf is None:
            return
        self.page.define_leaf(self.leaf.id, what, **changes)

    def _weight_edited(self, value: Decimal | None) -> None:
        if value is not None and value > 0:
            self._define("weight", weight=value)
        elif not self._loading:
            message = self.c_weight.invalid or "分值：必须是大于 0 的数字"
            set_mark(self.c_weight, ERROR, message)
            document = self.page.document
            document.set_invalid(self.c_weight.path or "values", message, self.c_weight.text())

    def _rule_chosen(self, _index: int) -> None:
        if self._loading or self.leaf is None:
            return
        key = self.c_rule.currentData()
        rule = next((r for k, _label, r in custom_block.CUSTOM_RULES if k == key), None)
        if rule is not None:
            self._define("rule", rule=rule)

    def focus_field(self, field: str) -> bool:
        if field == "deviation":
            self.deviation.field.setFocus()
        elif field == "reason":
            self.reason.setFocus()
        elif self.editor is not None:
            self.editor.main_widget().setFocus()
        else:
            return False
        return True


class IndicatorsPage(Page):
    title = "绩效指标评分"
    section = "values"

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(document, parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 4)
        outer.setSpacing(4)
        top = QHBoxLayout()
        heading = QLabel(self.title)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        heading.setFont(font)
        heading.setStyleSheet("color: #1f3a5f;")
        top.addWidget(heading)
        # with a hundred indicators the clerk wants to see only what still needs work
        self.only_open = QCheckBox("只看需处理的指标", self)
        self.only_open.setObjectName("only_open")
        self.only_open.toggled.connect(lambda _on: self._filter(self._open_leaves))
        top.addSpacing(16)
        top.addWidget(self.only_open)
        self.summary = QLabel(self)
        self.summary.setObjectName("indicator_summary")
        # never widens the page (the window must stay narrowable); the text is short
        # enough to show whole at 1366×768, the details are in its tooltip
        self.summary.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.summary, 1, Qt.AlignmentFlag.AlignRight)
        outer.addLayout(top)
        self._open_leaves: set[str] = set()  # leaves with an issue (to fill in or to fix)

        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.tree = IndicatorTree(self.splitter, self)
        self.tree.setObjectName("indicator_tree")
        self.tree.setColumnCount(len(HEADERS))
        self.tree.setHeaderLabels(list(HEADERS))
        self.tree.setWordWrap(False)
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # 实际完成值 and 偏差原因 can be typed in the row itself, as in a spreadsheet
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                  | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.tree.setItemDelegate(_InlineDelegate(self))
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        for col, width in ((COL_NAME, 210), (COL_WEIGHT, 48), (COL_TARGET, 80),
                           (COL_ACTUAL, 120), (COL_SCORE, 64)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.tree.setColumnWidth(col, width)
        header.setSectionResizeMode(COL_CRITERIA, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COL_DEVIATION, QHeaderView.ResizeMode.Stretch)
        self.tree.currentItemChanged.connect(lambda *_: self._show_current())

        self.panel_scroll = QScrollArea(self.splitter)
        self.panel_scroll.setWidgetResizable(True)
        self.panel_scroll.setFrameShape(QFrame.Shape.StyledPanel)
        self.panel = LeafPanel(self)
        self.panel_scroll.setWidget(self.panel)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        outer.addWidget(self.splitter, 1)

        self._system: System | None = None
        self._leaf_items: dict[str, QTreeWidgetItem] = {}
        self._group_items: dict[tuple[int, int], QTreeWidgetItem] = {}
        self._custom_leaves: set[str] = set()
        self._shown: dict[int, tuple[Any, ...]] = {}  # id(item) → what it shows now
        self.refresh()

    # ---- tree structure
    def _build(self, system: System) -> list[QTreeWidgetItem]:
        """New rows for ``system``, not yet in the tree (filling detached items is
        several times cheaper than filling rows the view is showing)."""
        self.tree.blockSignals(True)  # no panel updates while half the tree exists
        self.tree.clear()
        self._leaf_items.clear()
        self._group_items.clear()
        self._shown.clear()
        self._filtered_once = False  # new rows: apply 只看需处理的指标 again
        self._custom_leaves.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        tops = []

        def add(item: QTreeWidgetItem, group: Group, key: tuple[int, ...]) -> None:
            item.setData(0, Qt.ItemDataRole.UserRole, ("group", key))
            self._group_items[key] = item
            self._group_row(item, group, bold)
            for j, child in enumerate(group.children):
                if isinstance(child, Leaf):
                    self._leaf_item(item, child)
                    if group.custom:
                        self._custom_leaves.add(child.id)
                else:
                    add(QTreeWidgetItem(item), child, key + (j,))

        for i, top in enumerate(system.indicators):
            top_item = QTreeWidgetItem()
            tops.append(top_item)
            add(top_item, top, (i,))
        self._system = system
        return tops

    def _attach(self, tops: list[QTreeWidgetItem], selected: Any) -> None:
        self.tree.addTopLevelItems(tops)
        self.tree.expandAll()
        self.tree.doItemsLayout()  # lay the new rows out now, not at the first paint
        self.tree.blockSignals(False)
        self._select_key(selected)

    def _group_row(self, item: QTreeWidgetItem, group: Group, bold: QFont) -> None:
        name = group.name + ("（部门自定义）" if group.custom else "")
        item.setText(COL_NAME, name)
        item.setText(COL_WEIGHT, fmt_weight(group.weight))
        for col in range(len(HEADERS)):
            item.setFont(col, bold)
        for col in (COL_WEIGHT, COL_SCORE):
            item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _leaf_item(self, parent: QTreeWidgetItem, leaf: Leaf) -> None:
        item = QTreeWidgetItem(parent)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        item.setData(0, Qt.ItemDataRole.UserRole, ("leaf", leaf.id))
        item.setText(COL_NAME, leaf.name)
        item.setText(COL_WEIGHT, fmt_weight(leaf.weight))
        item.setText(COL_TARGET, target_text(leaf))
        item.setText(COL_CRITERIA, _short(leaf.criteria, _CRITERIA_SHOWN))
        item.setToolTip(COL_CRITERIA, leaf.criteria)
        for col in (COL_WEIGHT, COL_TARGET, COL_ACTUAL, COL_SCORE):
            item.setTextAlignment(col, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        source = leaf.source
        if source:
            item.setBackground(COL_ACTUAL, QBrush(QColor(COMPUTED_BG)))
            name, how = SOURCES.get(source, (source, ""))
            item.setToolTip(COL_ACTUAL, f"{name}由收支情况自动计算：{how}")
        self._leaf_items[leaf.id] = item

    def _selected_key(self) -> Any:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def _select_key(self, key: Any) -> None:
        item = None
        if key and key[0] == "leaf":
            item = self._leaf_items.get(key[1])
        elif key:
            item = self._group_items.get(key[1])
        if item is None:
            # first leaf, so the panel shows an editor at once
            item = next(iter(self._leaf_items.values()), None)
        if item is not None:
            self.tree.setCurrentItem(item)

    # ---- refresh
    def refresh(self) -> None:
        self._stale = False
        ev = self.document.evaluation
        tops = None
        if ev.system is not self._system:
            selected = self._selected_key()
            tops = self._build(ev.system)
        self.paint_marks(self.section_issues())
        if tops is not None:
            self._attach(tops, selected)
        self._show_current()

    def load(self, ev: Evaluation) -> None:
        self.refresh()

    def paint_marks(self, issues: list[Issue]) -> None:
        """Rows texts, scores and marks; only rows whose display changed are touched."""
        ev = self.document.evaluation
        result = self.document.result
        by_leaf: dict[str, list[Issue]] = {}
        by_group: dict[tuple[int, ...], list[Issue]] = {}
        for issue in issues:
            leaf_id = _leaf_of(issue.address)
            if leaf_id is not None and leaf_id in self._leaf_items:
                by_leaf.setdefault(leaf_id, []).append(issue)
            elif isinstance(issue.address, NodeAddress) and issue.address.indices:
                by_group.setdefault(issue.address.indices, []).append(issue)
        results = {r.leaf.id: r for r in result.leaves}
        for leaf_id, item in self._leaf_items.items():
            r = results.get(leaf_id)
            if r is not None:
                self._leaf_row(item, r, ev.value(leaf_id), by_leaf.get(leaf_id, []))
        self._group_scores(result, by_group)
        self._summary(result, issues)
        open_leaves = set(by_leaf)
        if open_leaves != self._open_leaves or not self._filtered_once:
            self._open_leaves = open_leaves
            self._filter(open_leaves)

    _filtered_once = False

    def _filter(self, open_leaves: set[str]) -> None:
        """Hide the rows with nothing to do when 只看需处理的指标 is ticked."""
        self._filtered_once = True
        only = self.only_open.isChecked()
        for leaf_id, item in self._leaf_items.items():
            hide = only and leaf_id not in open_leaves
            if item.isHidden() != hide:
                item.setHidden(hide)
        for item in self._group_items.values():
            # a group stays visible while any row below it is
            hide = only and not _any_visible_child(item)
            if item.isHidden() != hide:
                item.setHidden(hide)

    def _leaf_row(self, item: QTreeWidgetItem, r: LeafResult, value: LeafValue,
                  issues: list[Issue]) -> None:
        leaf = r.leaf
        na = r.status == NOT_APPLICABLE
        actual = actual_text(leaf, value, r)
        score = "不适用" if na else (fmt2(r.score) if r.status == "scored" else "0.00")
        refused = [i for i in issues if i.path in self.document.evaluation.refused]
        if refused:  # typed text that is not a value: no score rather than the previous one
            actual, score = "有误", "无效"
        deviation_issues = [i for i in issues if i.address == LeafField(leaf.id, "deviation")]
        other = [i for i in issues if i not in deviation_issues]
        if value.deviation.strip():
            deviation = _short(value.deviation, 40)
        elif deviation_issues:
            deviation = "⚠ 需填写偏差原因"
        else:
            deviation = ""
        if na:
            deviation = f"不适用：{_short(value.reason, 30)}" if value.reason.strip() else "不适用：⚠ 请填写原因"
        level = worst_level(issues)
        target = target_text(leaf, value.option)
        shown = (actual, score, deviation, na, level, target, tuple(i.message for i in issues),
                 value.deviation)
        if self._shown.get(id(item)) == shown:
            return
        self._shown[id(item)] = shown
        item.setText(COL_ACTUAL, actual)
        item.setText(COL_TARGET, target)
        item.setText(COL_SCORE, score)
        item.setText(COL_DEVIATION, deviation)
        item.setToolTip(COL_DEVIATION, "\n".join([i.message for i in deviation_issues]
                                                 + ([value.deviation] if value.deviation else [])))
        grey = QBrush(_GREY) if na else QBrush()
        for col in range(len(HEADERS)):
            item.setForeground(col, grey)
        name_tip = "\n".join(i.message for i in issues)
        item.setToolTip(COL_NAME, name_tip or leaf.name)
        # marks: the 偏差原因 cell for a missing deviation, the name and 实际完成值 cells otherwise
        dev_level = worst_level(deviation_issues)
        item.setBackground(COL_DEVIATION, _mark_brush(dev_level))
        other_level = worst_level(other)
        item.setBackground(COL_NAME, _mark_brush(other_level))
        if other_level:
            item.setBackground(COL_ACTUAL, _mark_brush(other_level))
            item.setToolTip(COL_ACTUAL, "\n".join(i.message for i in other))
        elif leaf.source:
            item.setBackground(COL_ACTUAL, QBrush(QColor(COMPUTED_BG)))
            name, how = SOURCES.get(leaf.source, (leaf.source, ""))
            item.setToolTip(COL_ACTUAL, f"{name}由收支情况自动计算：{how}")
        else:
            item.setBackground(COL_ACTUAL, QBrush())
            item.setToolTip(COL_ACTUAL, "")

    def _group_scores(self, result: Any, by_group: dict[tuple[int, ...], list[Issue]]) -> None:
        scores = {id(g.group): g for g in result.groups}
        for key, item in self._group_items.items():
            group = _group_at(self.document.evaluation.system, key)
            g = scores.get(id(group))
            issues = by_group.get(key, [])
            text = fmt2(g.score) if g is not None else ""
            below = g is not None and g.lost_points
            level = ERROR if issues else None
            shown = (text, below, level, tuple(i.message for i in issues))
            if self._shown.get(id(item)) == shown:
                continue
            self._shown[id(item)] = shown
            item.setText(COL_SCORE, text)
            item.setForeground(COL_SCORE, QBrush(QColor(BELOW_FG)) if below else QBrush())
            tip = (f"{group.name}：得分 {text} / 分值 {fmt_weight(group.weight)}"
                   + ("（低于分值）" if below else "（满分）"))
            item.setToolTip(COL_SCORE, tip)
            item.setBackground(COL_NAME, _mark_brush(level))
            item.setBackground(COL_WEIGHT, _mark_brush(level))
            item.setToolTip(COL_NAME, "\n".join(i.message for i in issues) or group.name)

    def _summary(self, result: Any, issues: list[Issue]) -> None:
        text = f"合计 {fmt2(result.total)} 分（{result.grade}）　已填 {result.filled}/{result.leaf_count} 项"
        tip = f"合计 {fmt2(result.total)} 分，等级“{result.grade}”"
        if result.renormalised:
            text += "　按适用指标折算"
            tip += (f"；有不适用指标，按适用指标折算：原始得分 {fmt2(result.raw_sum)} ÷ "
                    f"适用分值 {fmt_weight(result.applicable_weight)} × 100")
        if result.capped:
            text += "　已封顶"
            tip += f"；{result.cap.text}（封顶前 {fmt2(result.cap.uncapped)} 分）"
        self.summary.setText(text)
        self.summary.setToolTip(tip)

    # ---- the panel below
    def _show_current(self) -> None:
        item = self.tree.currentItem()
        key = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        ev = self.document.evaluation
        issues = self.section_issues()
        if not key:
            self.panel.show_nothing()
            return
        if key[0] == "leaf":
            leaf = ev.system.leaf(key[1])
            if leaf is None:
                self.panel.show_nothing()
                return
            mine = [i for i in issues if _leaf_of(i.address) == leaf.id]
            self.panel.show_leaf(leaf, ev, self.document.result.leaf(leaf.id), mine,
                                 leaf.id in self._custom_leaves)
        else:
            group_key: tuple[int, ...] = key[1]
            group = _group_at(ev.system, group_key)
            subtotal = next((g.score for g in self.document.result.groups if g.group is group),
                            None)
            mine = [x for x in issues if x.address == NodeAddress(group_key)]
            self.panel.show_group(group, len(group_key), group_key, subtotal, mine)

    # ---- edits
    def apply_value(self, leaf_id: str, value: LeafValue, field: str) -> None:
        ev = self.document.evaluation
        leaf = ev.system.leaf(leaf_id)
        name = leaf.name if leaf else leaf_id
        self.document.apply(ev.with_value(leaf_id, value), f"修改{name}",
                            merge_key=f"values.{leaf_id}.{field}")

    def add_leaf(self, block: tuple[int, ...]) -> None:
        if len(block) != 2:
            return  # a department's own block is a level-2 group
        after, leaf_id = custom_block.add_leaf(self.document.evaluation, *block)
        self.document.apply(after, "添加自定义指标",
                            path=f"system.indicators[{block[0]}].children[{block[1]}]")
        self.ensure_fresh()
        self.focus_leaf(leaf_id)
        self.panel.c_name.setFocus()
        self.panel.c_name.selectAll()

    def remove_leaf(self, leaf_id: str, ask: bool = True) -> None:
        ev = self.document.evaluation
        leaf = ev.system.leaf(leaf_id)
        if leaf is None or leaf_id not in self._custom_leaves:
            return
        if ask:
            text = (f"删除自定义指标“{leaf.name}”（{fmt_weight(leaf.weight)} 分）及其填写的内容？"
                    "可用 Ctrl+Z 撤销。")
            if not confirm(self, text, yes="删除指标", no="取消", title="删除指标"):
                return
        self.document.apply(custom_block.remove_leaf(ev, leaf_id), f"删除指标“{leaf.name}”",
                            path=f"values.{leaf_id}")

    def define_leaf(self, leaf_id: str, what: str, **changes: Any) -> None:
        after = custom_block.update_leaf(self.document.evaluation, leaf_id, **changes)
        self.document.apply(after, "修改自定义指标", merge_key=f"system.{leaf_id}.{what}")

    # ---- focus
    # ---- typing in the tree row
    def inline_kind(self, leaf_id: str, column: int) -> str | None:
        """What the cell edits in place: "actual", "score", "count", "level" (等级 or a
        percentage), "deviation" or None."""
        leaf = self.document.evaluation.system.leaf(leaf_id)
        if leaf is None or self.document.evaluation.value(leaf_id).not_applicable:
            return None
        if column == COL_DEVIATION:
            return "deviation"
        if column != COL_ACTUAL:
            return None
        editor = rule_kind(leaf.rule.type).editor
        if editor == "number":
            return None if leaf.source else "actual"
        return {"score": "score", "count": "count", "level": "level"}.get(editor)

    def inline_text(self, leaf_id: str, kind: str) -> str:
        value = self.document.evaluation.value(leaf_id)
        if kind == "deviation":
            return value.deviation
        if kind == "level":
            if value.level:
                return value.level
            return "" if value.coefficient is None else f"{plain(value.coefficient)}%"
        number = getattr(value, kind)
        return "" if number is None else plain(number)

    def inline_commit(self, leaf_id: str, kind: str, text: str) -> bool:
        """Apply what was typed in the row; False when it is refused (kept, marked)."""
        ev = self.document.evaluation
        value = ev.value(leaf_id)
        entry = read_entry(ev.system.leaf(leaf_id), leaf_id, value, kind, text)
        if entry.refused:
            self._inline_refused(leaf_id, text, entry.refused, entry.field)
            return False
        if entry.field == "deviation":
            if entry.value != value:
                self.apply_value(leaf_id, entry.value, entry.field)
            return True
        # accepted text ends the cell's refusal in the same edit (a refused level is a
        # refused percentage)
        refused = "coefficient" if entry.field == "level" else entry.field
        with self.document.refusing(f"values.{leaf_id}.{refused}", None):
            if entry.value != value:
                self.apply_value(leaf_id, entry.value, entry.field)
        return True

    def _inline_refused(self, leaf_id: str, text: str, message: str, kind: str = "actual") -> None:
        """Text that is not a number: kept in the panel's field, marked, an error of the
        document; the old value is cleared so it does not keep scoring."""
        self.focus_leaf(leaf_id)
        value = self.document.evaluation.value(leaf_id)
        with self.document.refusing(f"values.{leaf_id}.{kind}", text):  # one edit with the clearing
            if kind in NUMBER_FIELDS and getattr(value, kind) is not None:
                self.apply_value(leaf_id, replace(value, **{kind: None}), kind)
        editor = self.panel.editor
        field = getattr(editor, "number", None) or getattr(editor, "percent", None)
        if isinstance(field, NumberField):
            field.setText(text)
            field.invalid = message
            field._shown = None
            set_mark(field, ERROR, message)
        QToolTip.showText(self.tree.mapToGlobal(self.tree.visualItemRect(
            self._leaf_items[leaf_id]).bottomLeft()), message, self.tree)

    def focus_leaf(self, leaf_id: str) -> bool:
        item = self._leaf_items.get(leaf_id)
        if item is None:
            return False
        self.tree.setCurrentItem(item)
        self.tree.scrollToItem(item)
        return True

    def focus(self, address: Address) -> bool:
        self.ensure_fresh()
        leaf_id = _leaf_of(address)
        if leaf_id is not None:
            if not self.focus_leaf(leaf_id):
                return False
            assert isinstance(address, LeafField)
            return self.panel.focus_field(address.field or "actual")
        if isinstance(address, NodeAddress) and address.indices:
            item = self._group_items.get(address.indices)
            if item is None:
                return False
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)
            self.tree.setFocus()
            return True
        return False

    def set_document(self, document: Document) -> None:
        self._system = None
        super().set_document(document)


class _InlineDelegate(QStyledItemDelegate):
    """A line editor for the row's 实际完成值 / 偏差原因; Enter moves to the next row."""

    def __init__(self, page: IndicatorsPage):
        super().__init__(page.tree)
        self.page = page
        self.accepted = True

    def _target(self, index: Any) -> tuple[str, str] | None:
        item = self.page.tree.itemFromIndex(index)
        key = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if not key or key[0] != "leaf":
            return None
        kind = self.page.inline_kind(key[1], index.column())
        return (key[1], kind) if kind else None

    def createEditor(  # noqa: N802 (Qt name)
            self, parent: QWidget, option: Any, index: Any) -> QWidget | None:
        target = self._target(index)
        if target is None:
            return None
        editor = QLineEdit(parent)
        editor.setFrame(False)
        if target[1] != "deviation":
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return editor

    def setEditorData(self, editor: QWidget, index: Any) -> None:  # noqa: N802
        target = self._target(index)
        if target is not None and isinstance(editor, QLineEdit):
            editor.setText(self.page.inline_text(*target))

    def takes_quietly(self, editor: QWidget, index: Any) -> bool:
        """Autosave may write this text now: a 偏差原因, or a number as it stands."""
        target = self._target(index)
        if target is None or not isinstance(editor, QLineEdit):
            return False
        if target[1] in ("deviation", "level"):
            return target[1] == "deviation"
        try:
            parse_number(editor.text(), required=False)
        except NumberError:
            return False
        return True

    def setModelData(self, editor: QWidget, model: Any, index: Any) -> None:  # noqa: N802
        # never written into the item: the page applies a new snapshot and repaints
        target = self._target(index)
        self.accepted = True
        if target is not None and isinstance(editor, QLineEdit):
            self.accepted = self.page.inline_commit(target[0], target[1], editor.text())

    def eventFilter(self, editor: Any, event: QEvent) -> bool:  # noqa: N802
        key = getattr(event, "key", lambda: None)()
        if (event.type() == QEvent.Type.KeyPress and isinstance(editor, QLineEdit)
                and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            tree = self.page.tree
            column = tree.currentColumn()
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            if not self.accepted:  # not a number: correct it in the field below
                field = self.page.panel.editor.main_widget() if self.page.panel.editor else None
                if field is not None:
                    field.setFocus()
                return True
            if isinstance(tree, IndicatorTree):
                tree.next_leaf(column)
            return True
        return super().eventFilter(editor, event)


def _any_visible_child(item: QTreeWidgetItem) -> bool:
    for i in range(item.childCount()):
        child = item.child(i)
        if child.childCount():
            if _any_visible_child(child):
                return True
        elif not child.isHidden():
            return True
    return False


def _mark_brush(level: str | None) -> QBrush:
    if level == ERROR:
        return QBrush(QColor(ERROR_BG))
    if level:
        return QBrush(QColor(WARNING_BG))
    return QBrush()
