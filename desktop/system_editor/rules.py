"""The parameter editor of one scoring rule (评分规则), for the system editor.

``RuleEditor`` shows the parameters of the rule type of a leaf (or of one option
of a 二者择其一 rule) and writes every change straight into the ``SystemDraft``;
``edited`` tells the window to re-run the live checks.  Its form for each kind is
built from the registry (``forms.rules.KINDS``): the kind's note, then one field per
parameter (``desktop.system_editor.params``).  A kind registered later gets its page
the first time a leaf uses it.  Every field listens only to the clerk's edits
(``textEdited``, ``activated``, a table's committed cells), so ``load`` writes nothing.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker, Signal
from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLineEdit,
                               QListWidget, QPushButton, QTableWidget, QVBoxLayout, QWidget)

from desktop.system_editor.params import FIELDS, Change, ParamField, UnknownField, grey
from desktop.system_editor.widgets import (PageStack, fill_combo, select_data, source_pairs,
                                           text_of)
from forms.rules import COMMON_PARAMS, KINDS, RULE_TYPES, Param
from forms.system_edit import NodePath, SystemDraft

# Short names for fields reached from outside (the detail pane, tests):
# name → (kind, parameter key); kind None is the kind shown now.
_NAMED: dict[str, tuple[str | None, str]] = {
    "ratio_direction": ("ratio", "direction"), "deduct_standard": ("deduct", "standard"),
    "deduct_direction": ("deduct", "direction"), "deduct_step": ("deduct", "step"),
    "deduct_points": ("deduct", "points"), "deduct_count": ("deduct", "count"),
    "incident_points": ("incidents", "points"), "bands": ("bands", "bands"),
    "items": ("checklist", "items"), "levels": ("coefficient", "levels"),
}
# attribute of the current kind's 偏离扣分 field (or the ratio's when it has none)
_OVERSHOOT = {"overshoot_box": "box", "overshoot_percent": "percent",
              "overshoot_points": "points"}
_OPTIONS = ("option_list", "option_form", "option_name", "option_unit", "option_target",
            "option_source", "option_type", "option_rule")


# Where in a node a field is: the steps of its ``NodeAddress.fields`` ("rule", "bands").
Steps = tuple[str, ...]


def _takes_options(kind: str) -> bool:
    return any(p.kind == "options" for p in KINDS[kind].params)


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
        self.kind = "manual"
        self._read_only = False
        self.pages: dict[str, QWidget] = {}
        self.fields: dict[str, dict[str, ParamField]] = {}
        self.stack = PageStack()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        for kind in list(KINDS):
            if self.offers(kind):
                self.page(kind)

    def offers(self, kind: str) -> bool:
        return kind in KINDS and not (self.nested and _takes_options(kind))

    def page(self, kind: str) -> QWidget:
        """The kind's form, built from its note and parameters the first time."""
        if kind in self.pages:
            return self.pages[kind]
        spec = KINDS[kind]
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        if spec.note:
            form.addRow(grey(spec.note))
        fields: dict[str, ParamField] = {}
        common = () if self.nested else COMMON_PARAMS  # 免评, under the kind's own parameters
        for param in spec.params + common:
            field = FIELDS.get(param.kind, UnknownField)(self, kind, param)
            if field.labelled:
                form.addRow(f"{param.label}：", field.widget)
            else:
                form.addRow(field.widget)
            fields[param.key] = field
        self.pages[kind], self.fields[kind] = page, fields
        self.stack.addWidget(page)
        if self._read_only:
            self.set_read_only(True)
        return page

    def field(self, key: str, kind: str | None = None) -> ParamField | None:
        return self.fields.get(kind or self.kind, {}).get(key)

    def mark_widgets(self) -> dict[Steps, QWidget]:
        """What the live checks paint for a problem at ``….rule.<key>`` of the kind shown,
        by the steps of its address within the node: ("rule", key)."""
        return {("rule", key): f.mark for key, f in self.fields.get(self.kind, {}).items()}

    def __getattr__(self, name: str) -> QWidget:
        """The field named in ``_NAMED``, ``_OVERSHOOT`` or ``_OPTIONS`` (for tests and the
        detail pane: ``rule_editor.deduct_step``)."""
        fields = self.__dict__.get("fields")
        if fields is None:
            raise AttributeError(name)
        widget: object = None
        if name in _NAMED:
            kind, key = _NAMED[name]
            found = fields.get(kind or self.kind, {}).get(key)
            if found is not None:
                widget = found.mark
        elif name in _OVERSHOOT:
            found = fields.get(self.kind, {}).get("overshoot") or fields["ratio"]["overshoot"]
            widget = getattr(found, _OVERSHOOT[name])
        elif name in _OPTIONS and "either" in fields:
            widget = getattr(fields["either"]["options"], name)
        if isinstance(widget, QWidget):
            return widget
        raise AttributeError(name)

    def set_read_only(self, read_only: bool) -> None:
        """A shipped system: every input disabled, but its options can still be browsed."""
        self._read_only = read_only
        lists = set(self.findChildren(QListWidget))
        for widget in self.findChildren(QWidget):
            if widget in lists or widget.parentWidget() in lists:
                continue
            if isinstance(widget, (QLineEdit, QComboBox, QPushButton, QTableWidget)):
                widget.setEnabled(not read_only)
        for browsable in lists:
            browsable.setEnabled(True)

    # ------------------------------------------------------------ loading

    @property
    def draft(self) -> SystemDraft:
        return self._draft()

    def load(self, path: NodePath, option: int | None = None) -> None:
        """Show the rule of the leaf at ``path`` (or of its option ``option``)."""
        self.path, self.option = path, option
        rule = self.draft.rule(path, option)
        kind = str(rule.get("type"))
        kind = kind if self.offers(kind) else "manual"
        self.stack.setCurrentWidget(self.page(kind))
        self.kind = kind
        for field in self.fields[kind].values():
            field.load(rule)

    def apply(self, change: Change) -> None:
        """A field's edit: into the draft, then ``edited``."""
        if not self.path:
            return
        change(self.draft, self.path, self.option)
        self.edited.emit()


class OptionsField(ParamField):
    """二者择其一: the options, each with its name, 指标值, source and its own rule."""

    labelled = False

    def __init__(self, editor: RuleEditor, kind: str, param: Param):
        super().__init__(editor, kind, param)
        layout = QVBoxLayout(self.widget)
        layout.setContentsMargins(0, 0, 0, 0)
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
        layout.addLayout(row)
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
        fill_combo(self.option_type, [(k, v) for k, v in RULE_TYPES.items()
                                      if not _takes_options(k)])
        self.option_rule = RuleEditor(lambda: editor.draft, nested=True)
        self.option_rule.edited.connect(editor.edited)
        self.option_name.textEdited.connect(lambda t: self._option_field("name", t))
        self.option_unit.textEdited.connect(lambda t: self._option_field("unit", t))
        self.option_target.textEdited.connect(lambda t: self._option_field("target", t))
        self.option_source.activated.connect(
            lambda: self._option_field("source", self.option_source.currentData()))
        self.option_type.activated.connect(self._option_type)
        oform.addRow("选项名称：", self.option_name)
        oform.addRow("单位：", self.option_unit)
        oform.addRow("指标值：", self.option_target)
        oform.addRow("数据来源：", self.option_source)
        oform.addRow("评分规则：", self.option_type)
        oform.addRow(self.option_rule)
        layout.addWidget(self.option_form)
        self.mark = self.option_list

    @property
    def draft(self) -> SystemDraft:
        return self.editor.draft

    def load(self, rule: dict[str, Any]) -> None:
        self._load_options(max(self.option_list.currentRow(), 0))

    def _load_options(self, current: int) -> None:
        options = self.draft.rule(self.editor.path).get("options") or []
        with QSignalBlocker(self.option_list):  # the list refilled: the option shown below
            self.option_list.clear()
            for opt in options:
                self.option_list.addItem(str(opt.get("name") or opt.get("id") or "（未命名）"))
            if options:
                self.option_list.setCurrentRow(min(current, len(options) - 1))
        self.option_form.setVisible(bool(options))
        if options:
            self._fill_option(self.option_list.currentRow())

    def _fill_option(self, index: int) -> None:
        path = self.editor.path
        opt = self.draft.rule(path)["options"][index]
        self.option_name.setText(str(opt.get("name") or ""))
        self.option_unit.setText(str(opt.get("unit") or ""))
        self.option_target.setText(text_of(opt.get("target")))
        select_data(self.option_source, opt.get("source") or "")
        select_data(self.option_type, self.draft.rule(path, index).get("type"))
        self.option_rule.load(path, index)

    def _show_option(self, row: int) -> None:
        """The clerk picked another option in the list: its fields and rule."""
        if row >= 0:
            self._fill_option(row)

    def _add_option(self) -> None:
        path = self.editor.path
        index = self.draft.add_option(path, f"口径{len(self.draft.rule(path)['options']) + 1}")
        self._load_options(index)
        self.editor.edited.emit()

    def _remove_option(self) -> None:
        row = self.option_list.currentRow()
        if row >= 0:
            self.draft.remove_option(self.editor.path, row)
            self._load_options(max(row - 1, 0))
            self.editor.edited.emit()

    def _option_field(self, key: str, value: object) -> None:
        row = self.option_list.currentRow()
        if row < 0:
            return
        self.draft.set_option_field(self.editor.path, row, key, value)
        if key == "name":
            self.option_list.item(row).setText(str(value) if value else "（未命名）")
        self.editor.edited.emit()

    def _option_type(self) -> None:
        row = self.option_list.currentRow()
        if row < 0:
            return
        self.draft.set_rule_type(self.editor.path, self.option_type.currentData(), option=row)
        self.option_rule.load(self.editor.path, row)
        self.editor.edited.emit()


FIELDS["options"] = OptionsField
