"""The parameter editor of one scoring rule (评分规则), for the system editor.

``RuleEditor`` shows the parameters of the rule type of a leaf (or of one
option of a 二者择其一 rule) and writes every change straight into the
``SystemDraft``; ``edited`` tells the window to re-run the live checks.
``RowTable`` is the small Excel-like table of band rows, checklist items and
levels (typing replaces, paste a block from Excel/WPS/Word, copy out).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QListWidget, QPushButton,
                               QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from desktop.tables import join_block, split_block
from forms.numbers import plain
from forms.rules import KINDS, RULE_TYPES, SOURCES
from forms.system_edit import NodePath, SystemDraft

def _choices(kind: str, key: str) -> list[tuple[str, str]]:
    """A parameter's choices as the registry words them."""
    return next(list(p.choices) for p in KINDS[kind].params if p.key == key)


DIRECTIONS_RATIO = _choices("ratio", "direction")
DIRECTIONS_DEDUCT = _choices("deduct", "direction")
COUNTS = _choices("deduct", "count")


def text_of(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


def fill_combo(combo: QComboBox, pairs: tuple[tuple[str, str], ...] | list[tuple[str, str]]
               ) -> None:
    combo.clear()
    for key, label in pairs:
        combo.addItem(label, key)


def select_data(combo: QComboBox, key: Any) -> None:
    index = combo.findData(key)
    combo.setCurrentIndex(max(index, 0))


def source_pairs() -> list[tuple[str, str]]:
    return [("", "（无：由填报人填写实际值）")] + [
        (key, f"{name}（{how}）") for key, (name, how) in SOURCES.items()]


class RowTable(QTableWidget):
    """A small editable table (band rows, checklist items, levels) with 添加/删除 buttons.

    ``rows_changed`` carries every row's texts after each cell edit."""

    rows_changed = Signal(list)

    def __init__(self, headers: tuple[str, ...], parent: QWidget | None = None):
        super().__init__(0, len(headers), parent)
        self.setHorizontalHeaderLabels(list(headers))
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in range(1, len(headers)):
            self.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.verticalHeader().setDefaultSectionSize(24)
        # as in Excel: typing replaces, F2 or a double-click edits
        triggers = QAbstractItemView.EditTrigger
        self.setEditTriggers(triggers.DoubleClicked | triggers.EditKeyPressed
                             | triggers.AnyKeyPressed | triggers.SelectedClicked)
        self.setMinimumHeight(90)
        self.setMaximumHeight(170)
        self._loading = False
        self.itemChanged.connect(self._changed)

    def set_rows(self, rows: list[tuple[str, ...]]) -> None:
        self._loading = True
        try:
            self.setRowCount(len(rows))
            for r, row in enumerate(rows):
                for c in range(self.columnCount()):
                    self.setItem(r, c, QTableWidgetItem(row[c] if c < len(row) else ""))
        finally:
            self._loading = False

    def rows(self) -> list[tuple[str, ...]]:
        out = []
        for r in range(self.rowCount()):
            out.append(tuple((self.item(r, c).text() if self.item(r, c) else "")
                             for c in range(self.columnCount())))
        return out

    def add_row(self) -> int:
        self._loading = True
        try:
            r = self.rowCount()
            self.insertRow(r)
            for c in range(self.columnCount()):
                self.setItem(r, c, QTableWidgetItem(""))
        finally:
            self._loading = False
        self.setCurrentCell(r, 0)
        return r

    def remove_current(self) -> None:
        r = self.currentRow()
        if r >= 0:
            self.removeRow(r)
            self.rows_changed.emit(self.rows())

    def _changed(self, _item: QTableWidgetItem) -> None:
        if not self._loading:
            self.rows_changed.emit(self.rows())

    # -------------------------------------------------- Excel-like copy and paste

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt name)
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste_text(QGuiApplication.clipboard().text())
            return
        if event.matches(QKeySequence.StandardKey.Copy):
            QGuiApplication.clipboard().setText(self.copy_text())
            return
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and \
                self.state() != QAbstractItemView.State.EditingState:
            self._set_cells([(i.row(), i.column(), "") for i in self.selectedIndexes()])
            return
        super().keyPressEvent(event)

    def _set_cells(self, cells: list[tuple[int, int, str]]) -> None:
        if not cells:
            return
        self._loading = True
        try:
            for r, c, text in cells:
                while self.rowCount() <= r:
                    self.insertRow(self.rowCount())
                    for col in range(self.columnCount()):
                        self.setItem(self.rowCount() - 1, col, QTableWidgetItem(""))
                self.item(r, c).setText(text)
        finally:
            self._loading = False
        self.rows_changed.emit(self.rows())

    def paste_text(self, text: str) -> None:
        """A block copied from Excel, WPS or a Word table: rows added as needed."""
        block = split_block(text)
        top = max(self.currentRow(), 0)
        left = max(self.currentColumn(), 0)
        cells = [(top + i, left + j, value.strip())
                 for i, row in enumerate(block) for j, value in enumerate(row)
                 if left + j < self.columnCount()]
        self._set_cells(cells)

    def copy_text(self) -> str:
        indexes = sorted((i.row(), i.column()) for i in self.selectedIndexes())
        if not indexes:
            return ""
        rows = sorted({r for r, _ in indexes})
        cols = sorted({c for _, c in indexes})
        return join_block([[self.item(r, c).text() if self.item(r, c) else "" for c in cols]
                           for r in rows])


def table_box(table: RowTable, hint: str) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    if hint:
        label = QLabel(hint)
        label.setWordWrap(True)
        label.setStyleSheet("color: #555;")
        layout.addWidget(label)
    layout.addWidget(table)
    buttons = QHBoxLayout()
    add = QPushButton("添加一行")
    add.setObjectName("add_row")
    remove = QPushButton("删除所选行")
    remove.setObjectName("remove_row")
    add.clicked.connect(table.add_row)
    remove.clicked.connect(table.remove_current)
    buttons.addWidget(add)
    buttons.addWidget(remove)
    buttons.addStretch(1)
    layout.addLayout(buttons)
    return box


class PageStack(QWidget):
    """Pages of which one is shown; unlike QStackedWidget it is only as tall as that page."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._pages: list[QWidget] = []
        self._current: QWidget | None = None

    def addWidget(self, page: QWidget) -> None:  # noqa: N802 (Qt-like name)
        self._pages.append(page)
        self._layout.addWidget(page)
        page.setVisible(self._current is None)
        if self._current is None:
            self._current = page

    def setCurrentWidget(self, page: QWidget) -> None:  # noqa: N802
        self._current = page
        for p in self._pages:
            p.setVisible(p is page)

    def currentWidget(self) -> QWidget | None:  # noqa: N802
        return self._current


class RuleEditor(QWidget):
    """The parameters of one rule; writes into the draft, emits ``edited``."""

    edited = Signal()

    def __init__(self, draft_getter: Callable[[], SystemDraft], nested: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._draft = draft_getter
        self.nested = nested  # an option's own rule: no 二者择其一 inside
        self.path: NodePath = ()
        self.option: int | None = None
        self._loading = False
        self.pages: dict[str, QWidget] = {}
        self.stack = PageStack()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        # 偏离扣分, an option of the kinds that take it (ratio, deduct, bands)
        self.overshoot_box = QWidget()
        shoot = QHBoxLayout(self.overshoot_box)
        shoot.setContentsMargins(0, 0, 0, 0)
        self.overshoot_percent = QLineEdit()
        self.overshoot_percent.setObjectName("overshoot_percent")
        self.overshoot_points = QLineEdit()
        self.overshoot_points.setObjectName("overshoot_points")
        for field in (self.overshoot_percent, self.overshoot_points):
            field.setMaximumWidth(60)
            field.textEdited.connect(lambda _t: self._overshoot())
        shoot.addWidget(QLabel("偏离扣分：超过指标值"))
        shoot.addWidget(self.overshoot_percent)
        shoot.addWidget(QLabel("% 及以上，扣"))
        shoot.addWidget(self.overshoot_points)
        shoot.addWidget(QLabel("分（不设则留空）"))
        shoot.addStretch(1)
        layout.addWidget(self.overshoot_box)

        # ratio
        page = QWidget()
        form = QFormLayout(page)
        self.ratio_direction = QComboBox()
        fill_combo(self.ratio_direction, DIRECTIONS_RATIO)
        self.ratio_direction.currentIndexChanged.connect(
            lambda: self._param("direction", self.ratio_direction.currentData()))
        form.addRow("方向：", self.ratio_direction)
        note = QLabel("按“指标值”折算，满分为止；指标值在上方填写。")
        note.setStyleSheet("color: #555;")
        form.addRow(note)
        self._add_page("ratio", page)

        # deduct
        page = QWidget()
        form = QFormLayout(page)
        self.deduct_standard = QLineEdit()
        self.deduct_standard.setObjectName("deduct_standard")
        self.deduct_direction = QComboBox()
        fill_combo(self.deduct_direction, DIRECTIONS_DEDUCT)
        self.deduct_step = QLineEdit()
        self.deduct_step.setObjectName("deduct_step")
        self.deduct_points = QLineEdit()
        self.deduct_points.setObjectName("deduct_points")
        self.deduct_count = QComboBox()
        fill_combo(self.deduct_count, COUNTS)
        self.deduct_standard.textEdited.connect(lambda t: self._param("standard", t))
        self.deduct_step.textEdited.connect(lambda t: self._param("step", t))
        self.deduct_points.textEdited.connect(lambda t: self._param("points", t))
        self.deduct_direction.currentIndexChanged.connect(
            lambda: self._param("direction", self.deduct_direction.currentData()))
        self.deduct_count.currentIndexChanged.connect(
            lambda: self._param("count", self.deduct_count.currentData()))
        form.addRow("标准值：", self.deduct_standard)
        form.addRow("方向：", self.deduct_direction)
        form.addRow("步长（每…）：", self.deduct_step)
        form.addRow("每步扣分：", self.deduct_points)
        form.addRow("计步方式：", self.deduct_count)
        self._add_page("deduct", page)

        # bands
        self.bands = RowTable(("下限（含）", "上限（含）", "得分"))
        self.bands.setObjectName("bands")
        self.bands.rows_changed.connect(self._bands)
        self._add_page("bands", table_box(
            self.bands, "自上而下，第一个包含实际值的档位计分；不含边界时写“>90”或“<10”。"))

        # checklist
        self.items = RowTable(("检查内容", "分值"))
        self.items.setObjectName("items")
        self.items.rows_changed.connect(self._items)
        self._add_page("checklist", table_box(self.items, "各项分值之和应等于本指标分值。"))

        # incidents
        page = QWidget()
        form = QFormLayout(page)
        self.incident_points = QLineEdit()
        self.incident_points.setObjectName("incident_points")
        self.incident_points.textEdited.connect(lambda t: self._param("points", t))
        form.addRow("每发生一次扣分：", self.incident_points)
        self._add_page("incidents", page)

        # coefficient
        self.levels = RowTable(("等级", "系数（%）"))
        self.levels.setObjectName("levels")
        self.levels.rows_changed.connect(self._levels)
        self._add_page("coefficient", table_box(self.levels, "得分 = 分值 × 系数 ÷ 100。"))

        # manual
        page = QLabel("由填报人直接填写得分（0 至分值之间），按上方评分标准评定。")
        page.setWordWrap(True)
        page.setStyleSheet("color: #555;")
        self._add_page("manual", page)

        # either
        if not nested:
            page = QWidget()
            layout2 = QVBoxLayout(page)
            layout2.setContentsMargins(0, 0, 0, 0)
            hint = QLabel("填报时二者择其一：每个选项有自己的指标值、数据来源和评分规则，按本指标分值计分。")
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #555;")
            layout2.addWidget(hint)
            row = QHBoxLayout()
            self.option_list = QListWidget()
            self.option_list.setObjectName("options")
            self.option_list.setMaximumHeight(70)
            self.option_list.currentRowChanged.connect(self._show_option)
            row.addWidget(self.option_list, 1)
            col = QVBoxLayout()
            add = QPushButton("添加选项")
            add.setObjectName("add_option")
            add.clicked.connect(self._add_option)
            remove = QPushButton("删除选项")
            remove.clicked.connect(self._remove_option)
            col.addWidget(add)
            col.addWidget(remove)
            col.addStretch(1)
            row.addLayout(col)
            layout2.addLayout(row)
            self.option_form = QWidget()
            oform = QFormLayout(self.option_form)
            self.option_name = QLineEdit()
            self.option_name.setObjectName("option_name")
            self.option_unit = QLineEdit()
            self.option_target = QLineEdit()
            self.option_target.setObjectName("option_target")
            self.option_source = QComboBox()
            fill_combo(self.option_source, source_pairs())
            self.option_type = QComboBox()
            self.option_type.setObjectName("option_type")
            fill_combo(self.option_type, [(k, v) for k, v in RULE_TYPES.items() if k != "either"])
            self.option_rule = RuleEditor(draft_getter, nested=True)
            self.option_rule.edited.connect(self.edited)
            self.option_name.textEdited.connect(lambda t: self._option_field("name", t))
            self.option_unit.textEdited.connect(lambda t: self._option_field("unit", t))
            self.option_target.textEdited.connect(lambda t: self._option_field("target", t))
            self.option_source.currentIndexChanged.connect(
                lambda: self._option_field("source", self.option_source.currentData()))
            self.option_type.currentIndexChanged.connect(self._option_type)
            oform.addRow("选项名称：", self.option_name)
            oform.addRow("单位：", self.option_unit)
            oform.addRow("指标值：", self.option_target)
            oform.addRow("数据来源：", self.option_source)
            oform.addRow("评分规则：", self.option_type)
            oform.addRow(self.option_rule)
            layout2.addWidget(self.option_form)
            self._add_page("either", page)

    def set_read_only(self, read_only: bool) -> None:
        """A shipped system: every input disabled, but its options can still be browsed."""
        browsable = getattr(self, "option_list", None)
        for widget in self.findChildren(QWidget):
            if widget is browsable or isinstance(widget, (QLabel, PageStack)) or \
                    widget.parentWidget() is browsable:
                continue
            if isinstance(widget, (QLineEdit, QComboBox, QPushButton, QTableWidget)):
                widget.setEnabled(not read_only)
        if browsable is not None:
            browsable.setEnabled(True)

    def _add_page(self, kind: str, page: QWidget) -> None:
        self.pages[kind] = page
        self.stack.addWidget(page)

    # ------------------------------------------------------------ loading

    @property
    def draft(self) -> SystemDraft:
        return self._draft()

    def load(self, path: NodePath, option: int | None = None) -> None:
        """Show the rule of the leaf at ``path`` (or of its option ``option``)."""
        self.path, self.option = path, option
        rule = self.draft.rule(path, option)
        kind = rule.get("type") if rule.get("type") in self.pages else "manual"
        self._loading = True
        try:
            self.stack.setCurrentWidget(self.pages[kind])
            takes = any(p.kind == "overshoot" for p in KINDS[kind].params)
            self.overshoot_box.setVisible(takes)
            shoot = rule.get("overshoot") if isinstance(rule.get("overshoot"), dict) else {}
            self.overshoot_percent.setText(text_of(shoot.get("percent")))
            self.overshoot_points.setText(text_of(shoot.get("points")))
            if kind == "ratio":
                select_data(self.ratio_direction, rule.get("direction") or "higher")
            elif kind == "deduct":
                self.deduct_standard.setText(text_of(rule.get("standard")))
                self.deduct_step.setText(text_of(rule.get("step")))
                self.deduct_points.setText(text_of(rule.get("points")))
                select_data(self.deduct_direction, rule.get("direction") or "max")
                select_data(self.deduct_count, rule.get("count") or "proportional")
            elif kind == "bands":
                rows = []
                for band in rule.get("bands") or []:
                    if not isinstance(band, dict):
                        continue
                    low = text_of(band.get("min"))
                    high = text_of(band.get("max"))
                    if low and band.get("min_inclusive") is False:
                        low = ">" + low
                    if high and band.get("max_inclusive") is False:
                        high = "<" + high
                    rows.append((low, high, text_of(band.get("score"))))
                self.bands.set_rows(rows)
            elif kind == "checklist":
                self.items.set_rows([(text_of(i.get("label")), text_of(i.get("points")))
                                     for i in rule.get("items") or [] if isinstance(i, dict)])
            elif kind == "incidents":
                self.incident_points.setText(text_of(rule.get("points")))
            elif kind == "coefficient":
                levels = rule.get("levels") if isinstance(rule.get("levels"), dict) else {}
                self.levels.set_rows([(str(k), text_of(v)) for k, v in levels.items()])
            elif kind == "either":
                current = max(self.option_list.currentRow(), 0)
                self._load_options(current)
        finally:
            self._loading = False

    def _load_options(self, current: int) -> None:
        options = self.draft.rule(self.path).get("options") or []
        was = self._loading
        self._loading = True
        try:
            self.option_list.clear()
            for opt in options:
                self.option_list.addItem(str(opt.get("name") or opt.get("id") or "（未命名）"))
            self.option_form.setVisible(bool(options))
            if options:
                self.option_list.setCurrentRow(min(current, len(options) - 1))
                self._fill_option(self.option_list.currentRow())
        finally:
            self._loading = was

    def _fill_option(self, index: int) -> None:
        opt = self.draft.rule(self.path)["options"][index]
        self.option_name.setText(str(opt.get("name") or ""))
        self.option_unit.setText(str(opt.get("unit") or ""))
        self.option_target.setText(text_of(opt.get("target")))
        select_data(self.option_source, opt.get("source") or "")
        rule = self.draft.rule(self.path, index)
        select_data(self.option_type, rule.get("type"))
        self.option_rule.load(self.path, index)

    # ------------------------------------------------------------ edits

    def _after(self) -> None:
        self.edited.emit()

    def _overshoot(self) -> None:
        if self._loading or not self.path:
            return
        self.draft.set_overshoot(self.path, self.overshoot_percent.text(),
                                 self.overshoot_points.text(), self.option)
        self._after()

    def _param(self, key: str, value: Any) -> None:
        if self._loading or not self.path:
            return
        self.draft.set_rule_param(self.path, key, value, self.option)
        self._after()

    def _bands(self, rows: list[tuple[str, str, str]]) -> None:
        if not self._loading:
            self.draft.set_bands(self.path, rows, self.option)
            self._after()

    def _items(self, rows: list[tuple[str, str]]) -> None:
        if not self._loading:
            self.draft.set_items(self.path, rows, self.option)
            self._after()

    def _levels(self, rows: list[tuple[str, str]]) -> None:
        if not self._loading:
            self.draft.set_levels(self.path, rows, self.option)
            self._after()

    def _show_option(self, row: int) -> None:
        if self._loading or row < 0:
            return
        self._loading = True
        try:
            self._fill_option(row)
        finally:
            self._loading = False

    def _add_option(self) -> None:
        index = self.draft.add_option(self.path, f"口径{len(self.draft.rule(self.path)['options']) + 1}")
        self._load_options(index)
        self._after()

    def _remove_option(self) -> None:
        row = self.option_list.currentRow()
        if row >= 0:
            self.draft.remove_option(self.path, row)
            self._load_options(max(row - 1, 0))
            self._after()

    def _option_field(self, key: str, value: Any) -> None:
        if self._loading:
            return
        row = self.option_list.currentRow()
        if row < 0:
            return
        self.draft.set_option_field(self.path, row, key, value)
        if key == "name":
            self.option_list.item(row).setText(value or "（未命名）")
        self._after()

    def _option_type(self) -> None:
        if self._loading:
            return
        row = self.option_list.currentRow()
        if row < 0:
            return
        self.draft.set_rule_type(self.path, self.option_type.currentData(), option=row)
        self.option_rule.load(self.path, row)
        self._after()


def rule_label(kind: Any) -> str:
    return RULE_TYPES.get(str(kind), str(kind or ""))


def align_right(item: QTableWidgetItem) -> None:
    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
