"""Typing in the indicator tree's row itself: 实际完成值 and 偏差原因, as in a spreadsheet.

``inline_kind`` says what a cell edits in place, ``inline_text`` what its editor
starts with.  ``InlineDelegate`` opens a line editor on such a cell; what the
clerk typed goes to the page's ``inline_commit`` (one edit of the one field the
cell owns), never into the model, and Enter moves to the next leaf.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QAbstractItemDelegate, QLineEdit, QStyledItemDelegate, QWidget

from forms.model import Evaluation
from forms.numbers import NumberError, parse_number, plain
from forms.rules import kind as rule_kind

from desktop.form.indicator_tree import COL_ACTUAL, COL_DEVIATION, IndicatorTreeModel


def inline_kind(ev: Evaluation, leaf_id: str, column: int) -> str | None:
    """What the cell edits in place: "actual", "score", "count", "level" (等级 or a
    percentage), "deviation", the one value field of a kind edited by its fields, or None."""
    leaf = ev.system.leaf(leaf_id)
    if leaf is None or ev.value(leaf_id).not_applicable:
        return None
    if column == COL_DEVIATION:
        return "deviation"
    if column != COL_ACTUAL:
        return None
    spec = rule_kind(leaf.rule.type)
    if spec.editor == "number":
        return None if leaf.source else "actual"
    if spec.editor == "fields":  # a kind of one number or text field types it in the cell
        typed = [f for f in spec.fields if f.type in ("number", "count", "text")]
        return typed[0].name if len(spec.fields) == 1 and typed else None
    return {"score": "score", "count": "count", "level": "level"}.get(spec.editor)


def inline_text(ev: Evaluation, leaf_id: str, kind: str) -> str:
    """The text the cell's editor opens with: the value as the clerk would type it."""
    value = ev.value(leaf_id)
    if kind == "deviation":
        return value.deviation
    if kind == "level":
        if value.level:
            return value.level
        return "" if value.coefficient is None else f"{plain(value.coefficient)}%"
    typed = getattr(value, kind)
    if isinstance(typed, str):
        return typed
    return "" if typed is None else plain(typed)


class InlineDelegate(QStyledItemDelegate):
    """A line editor for the row's 实际完成值 / 偏差原因; Enter moves to the next row.

    ``page`` gives the document (``page.document``), takes what was typed
    (``page.inline_commit(leaf_id, kind, text) -> bool``) and, after a refusal, the
    field to correct it in (``page.panel.editor``).
    """

    def __init__(self, page: Any, tree: Any):
        super().__init__(tree)
        self.page = page
        self.tree = tree
        self.accepted = True

    def _target(self, index: Any) -> tuple[str, str] | None:
        model = index.model()
        leaf_id = model.leaf_id(index) if isinstance(model, IndicatorTreeModel) else None
        if leaf_id is None:
            return None
        kind = inline_kind(self.page.document.evaluation, leaf_id, index.column())
        return (leaf_id, kind) if kind else None

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
            editor.setText(inline_text(self.page.document.evaluation, *target))

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
        # never written into the model: the page applies a new snapshot and the model follows
        target = self._target(index)
        self.accepted = True
        if target is not None and isinstance(editor, QLineEdit):
            self.accepted = self.page.inline_commit(target[0], target[1], editor.text())

    def eventFilter(self, editor: Any, event: QEvent) -> bool:  # noqa: N802
        key = getattr(event, "key", lambda: None)()
        if (event.type() == QEvent.Type.KeyPress and isinstance(editor, QLineEdit)
                and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter)):
            column = self.tree.currentIndex().column()
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            if not self.accepted:  # not a number: correct it in the field below
                panel_editor = self.page.panel.editor
                field = panel_editor.main_widget() if panel_editor is not None else None
                if field is not None:
                    field.setFocus()
                return True
            self.tree.next_leaf(column)
            return True
        return super().eventFilter(editor, event)
