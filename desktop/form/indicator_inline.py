"""Typing in the indicator tree's row itself: 实际完成值 and 偏差原因, as in a spreadsheet.

``inline_kind`` says what a cell edits in place, ``inline_text`` what its editor
starts with; both read the value fields the rule's kind declares, by their types.
``InlineDelegate`` opens a line editor on such a cell; what the clerk typed goes
to the page's ``inline_commit`` (one edit of the one field the cell owns), never
into the model, and Enter moves to the next leaf.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (QAbstractItemDelegate, QLineEdit, QStyledItemDelegate,
                               QStyleOptionViewItem, QWidget)

from forms.model import Evaluation
from forms.numbers import NumberError, parse_number, plain
from forms.rules import kind as rule_kind
from forms.value_fields import ValueField

from desktop.form.document import Document
from desktop.form.indicator_tree import COL_ACTUAL, COL_DEVIATION, IndicatorTreeModel

if TYPE_CHECKING:  # the view imports this module for inline_kind
    from desktop.form.indicator_view import IndicatorTree

Index = QModelIndex | QPersistentModelIndex
TYPED = ("number", "count", "text")  # the field types a line in the cell can hold


def _cell_field(fields: tuple[ValueField, ...]) -> ValueField | None:
    """The one field typed in the 实际完成值 cell, or None when the value is more than one
    line can say: a kind of one number, count or text field; or one choice with a number
    entered instead of it (等级 or a percentage, typed as 优 or 95)."""
    own = [f for f in fields if not f.instead]
    if len(own) != 1:
        return None
    field = own[0]
    if field.type in TYPED:
        return field
    if field.type == "choice" and any(f.instead == field.name for f in fields):
        return field
    return None


def inline_kind(ev: Evaluation, leaf_id: str, column: int) -> str | None:
    """What the cell edits in place: "deviation", the name of the value field typed in
    the 实际完成值 cell ("actual", "score", "count", "level"…), or None."""
    leaf = ev.system.leaf(leaf_id)
    if leaf is None or ev.value(leaf_id).not_applicable:
        return None
    if column == COL_DEVIATION:
        return "deviation"
    if column != COL_ACTUAL:
        return None
    spec = rule_kind(leaf.rule.type)
    field = _cell_field(spec.fields)
    if field is None or (spec.reads_actual and leaf.source and field.name == "actual"):
        return None  # computed from the budget table: nothing to type
    return field.name


def inline_text(ev: Evaluation, leaf_id: str, kind: str) -> str:
    """The text the cell's editor opens with: the value as the clerk would type it."""
    value = ev.value(leaf_id)
    if kind == "deviation":
        return value.deviation
    leaf = ev.system.leaf(leaf_id)
    fields = rule_kind(leaf.rule.type).fields if leaf is not None else ()
    typed = getattr(value, kind)
    if typed in (None, ""):  # a choice not made: the number entered instead, if any
        for other in fields:
            held = getattr(value, other.name) if other.instead == kind else None
            if held is not None:
                return f"{plain(held)}{other.unit}"
        return ""
    return typed if isinstance(typed, str) else plain(typed)


class InlineHost(Protocol):
    """What the cell editor asks of the page: the document, the commit of what was typed
    (False: refused, kept and marked), and the panel's field to correct it in."""

    @property
    def document(self) -> Document: ...

    def inline_commit(self, leaf_id: str, kind: str, text: str) -> bool: ...

    def focus_value(self) -> None: ...


class InlineDelegate(QStyledItemDelegate):
    """A line editor for the row's 实际完成值 / 偏差原因; Enter moves to the next row.

    ``page`` gives the document, takes what was typed and, after a refusal, focuses
    the field to correct it in (``InlineHost``).
    """

    def __init__(self, page: InlineHost, tree: IndicatorTree):
        super().__init__(tree)
        self.page = page
        self.tree = tree
        self.accepted = True

    def _target(self, index: Index) -> tuple[str, str] | None:
        model = index.model()
        leaf_id = model.leaf_id(index) if isinstance(model, IndicatorTreeModel) else None
        if leaf_id is None:
            return None
        kind = inline_kind(self.page.document.evaluation, leaf_id, index.column())
        return (leaf_id, kind) if kind else None

    def createEditor(  # noqa: N802 (Qt name)
            self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        target = self._target(index)
        if target is None:
            return None  # type: ignore[return-value]  # Qt takes None: no editor here
        editor = QLineEdit(parent)
        editor.setFrame(False)
        if target[1] != "deviation":
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:  # noqa: N802
        target = self._target(index)
        if target is not None and isinstance(editor, QLineEdit):
            editor.setText(inline_text(self.page.document.evaluation, *target))

    def takes_quietly(self, editor: QWidget, index: Index) -> bool:
        """Autosave may write this text now: a 偏差原因, or a number as it stands."""
        target = self._target(index)
        if target is None or not isinstance(editor, QLineEdit):
            return False
        if target[1] == "deviation":
            return True
        if self._choice(index):
            return False  # a level's name is taken when the cell closes, not half-typed
        try:
            parse_number(editor.text(), required=False)
        except NumberError:
            return False
        return True

    def _choice(self, index: Index) -> bool:
        target = self._target(index)
        leaf = self.page.document.evaluation.system.leaf(target[0]) if target else None
        if leaf is None or target is None:
            return False
        return any(f.name == target[1] and f.type == "choice"
                   for f in rule_kind(leaf.rule.type).fields)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel,  # noqa: N802
                     index: Index) -> None:
        # never written into the model: the page applies a new snapshot and the model follows
        target = self._target(index)
        self.accepted = True
        if target is not None and isinstance(editor, QLineEdit):
            self.accepted = self.page.inline_commit(target[0], target[1], editor.text())

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:  # noqa: N802
        key = getattr(event, "key", lambda: None)()
        if (event.type() == QEvent.Type.KeyPress and isinstance(editor, QLineEdit)
                and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            column = self.tree.currentIndex().column()
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            if not self.accepted:  # not a number: correct it in the field below
                self.page.focus_value()
                return True
            self.tree.next_leaf(column)
            return True
        return super().eventFilter(editor, event)
