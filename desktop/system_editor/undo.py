"""The system editor's undo (撤销/重做): a ``QUndoStack`` of draft snapshots.

A ``SystemDraft`` is plain data changed in place, so every step keeps a copy of the
draft's data before and after it.  The window's ``DraftUndo`` holds the stack and
the snapshot of the draft at the stack's current step; after each edit the window
calls ``record`` and the difference becomes one ``DraftStep``.  Consecutive edits
with the same key (typing in one field of one node) merge into one step, so one
undo takes back the whole word; an undo or redo in between, or a save, starts a new
step.  Undo and redo give the window the snapshot back, with the node (and the
field) the step changed, so the clerk sees what was undone.

The stack is the window's target for Ctrl+Z / Ctrl+Y in any of its widgets
(``desktop.common.undo_route``), and its clean state is the window's 未保存 mark.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand, QUndoStack
from PySide6.QtWidgets import QWidget

from desktop.common.undo_route import route_undo_keys
from forms.system_edit import NodePath

_MERGE_ID = 2  # any id but -1: commands of this kind may merge (see ``DraftStep.mergeWith``)

# What a typed-in field is called in a step's text (撤销：修改名称).
FIELD_NAMES = {
    "sys_name": "体系名称", "sys_jurisdiction": "适用地区", "sys_year": "年度",
    "f_name": "名称", "f_weight": "分值", "f_id": "编号", "f_unit": "单位",
    "f_target": "指标值", "f_explain": "说明阈值", "f_criteria": "评分标准",
}


# Typing in one field of one node: the widget's name and the node selected (None: none).
MergeKey = tuple[str, NodePath | None]


@dataclass(frozen=True)
class Edit:
    """What a part of the window reports after it changed the draft: whether the 试算
    should follow, and for an edit that is not typing the step's name (a node added, a
    rule read) and the node selected before it, which undo selects again."""

    preview: bool = False
    step: str = ""
    before: NodePath | None = None


class Shows(Protocol):
    """How the window shows a step's snapshot: the data, the node to select, the field
    typed in, and what was done in words (撤销：修改名称)."""

    def __call__(self, data: dict[str, Any], select: NodePath | None, field: str,
                 said: str) -> None: ...


class DraftStep(QUndoCommand):
    """One change of the draft: its data before and after, and the node selected at each."""

    def __init__(self, owner: DraftUndo, text: str, before: dict[str, Any],
                 after: dict[str, Any], key: MergeKey | None, where: tuple[NodePath | None,
                                                                       NodePath | None],
                 field: str, merges: bool):
        super().__init__(text)
        self.owner = owner
        self.before = before
        self.after = after
        self.key = key
        self.before_path, self.after_path = where
        self.field = field  # the widget typed in (focused again by undo), or ""
        self.merges = merges  # False: an undo or redo came in between, a new step begins
        self.pushed = False  # the first redo() is the edit itself, already made

    def id(self) -> int:
        return _MERGE_ID if self.key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt name)
        if not isinstance(other, DraftStep) or not other.merges or other.key != self.key:
            return False
        self.after = other.after
        self.after_path = other.after_path
        return True

    def redo(self) -> None:
        if self.pushed:
            self.owner.show(self.after, self.after_path, self.field, f"重做：{self.text()}")
        self.pushed = True

    def undo(self) -> None:
        self.owner.show(self.before, self.before_path, self.field, f"撤销：{self.text()}")


class DraftUndo:
    """The undo stack of one editor window and the draft's snapshot at its current step."""

    LIMIT = 200

    def __init__(self, window: QWidget, shows: Shows):
        self.stack = QUndoStack(window)
        self.stack.setUndoLimit(self.LIMIT)
        self._shows = shows
        self._state: dict[str, Any] = {}
        self._stepped = False
        route_undo_keys(window, self.stack)  # Ctrl+Z in any field of the window

    def start(self, data: dict[str, Any]) -> None:
        """A draft opened (or made): its history begins here, with nothing to save."""
        self.stack.clear()
        self.stack.setClean()
        self._state = copy.deepcopy(data)
        self._stepped = False

    def record(self, data: dict[str, Any], text: str, *, key: MergeKey | None = None,
               where: tuple[NodePath | None, NodePath | None] = (None, None),
               field: str = "") -> None:
        """The draft is now ``data``: one step from the last snapshot (none if unchanged).

        ``where`` is the node selected before and after the edit; ``field`` the widget
        typed in; ``key`` merges the step into the last one of the same key."""
        if data == self._state:
            return
        after = copy.deepcopy(data)
        step = DraftStep(self, text, self._state, after, key, where, field,
                         merges=not self._stepped)
        self._state = after
        self._stepped = False
        self.stack.push(step)

    def absorb(self, data: dict[str, Any]) -> None:
        """The draft changed by itself, not by the clerk (the id given when it is first
        saved): every step takes the change in, so no undo or redo takes it back."""
        changed = {k: v for k, v in data.items() if k not in self._state or self._state[k] != v}
        for index in range(self.stack.count()):
            step = self.stack.command(index)
            if isinstance(step, DraftStep):
                step.before.update(copy.deepcopy(changed))
                step.after.update(copy.deepcopy(changed))
        self._state = copy.deepcopy(data)

    def show(self, data: dict[str, Any], select: NodePath | None, field: str,
             said: str) -> None:
        """An undo or redo: the window shows ``data`` (a copy; the step keeps its own)."""
        self._state = data
        self._stepped = True
        self._shows(copy.deepcopy(data), select, field, said)
