"""The open evaluation: the current immutable snapshot, its undo history, its score.

Every edit anywhere in the window goes through ``Document.apply``: it pushes an
undo command holding the snapshots before and after, re-scores, and emits
``changed``.  Widgets never mutate data; they build a new snapshot (see
``forms.model``) and apply it.  Consecutive edits of the same field merge into
one undo step, as in Excel.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from forms import carry_over
from forms.address import Address
from forms.field_names import field_name
from forms.model import Evaluation
from forms.scoring import ScoreResult, score
from forms.validation import ERROR, Issue, validate

_MERGE_ID = 1

# Where an edit or a refused text is: a typed address (``forms.address``), or a path string
# from code that still speaks in strings (``str(address)`` is the same path).
Where = Address | str
# What makes consecutive edits one step: a field's address (which also says where the step
# is), or a key of words for an edit of no single field.
MergeKey = Address | str


def _path_of(key: MergeKey | None) -> str | None:
    """The field a merge key names: an address always, a string when it is a path (a key
    with ":" names a block, not a field)."""
    if not key or (isinstance(key, str) and ":" in key):
        return None
    return str(key)


def step_text(after: Evaluation, text: str, path: str | None) -> str:
    """What the history calls a step: where it changed ("收支情况 › 其他资金 › 全年执行数") when
    the caller said only 修改…; the caller's words otherwise."""
    if not path or not (text.startswith("修改") or text in ("编辑", "")):
        return text
    where = field_name(after, path)
    return where if " › " in where else text


class _Edit(QUndoCommand):
    def __init__(self, document: Document, before: Evaluation, after: Evaluation,
                 text: str, merge_key: str | None, path: str | None):
        super().__init__(text)
        self.document = document
        self.before = before
        self.after = after
        self.merge_key = merge_key
        self.path = path  # the field changed (where undo goes), when it is one field
        self.pushed = False  # the first redo() is the edit itself, not a redo

    def id(self) -> int:
        return _MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt name)
        if not isinstance(other, _Edit) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        self.document._set(self.after)
        if self.pushed:
            self.document.stepped.emit(False, self.text(), self.path or "")
        self.pushed = True

    def undo(self) -> None:
        self.document._set(self.before)
        self.document.stepped.emit(True, self.text(), self.path or "")


class Document(QObject):
    """One open evaluation (a row of the library)."""

    changed = Signal()  # the snapshot changed (edit, undo, redo, reload)
    scored = Signal()  # score and issues recomputed
    stepped = Signal(bool, str, str)  # undo (True) or redo: the step's text and field path

    def __init__(self, evaluation: Evaluation, evaluation_id: int | None = None,
                 revision: int | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.evaluation_id = evaluation_id
        self.revision = revision
        self.undo_stack = QUndoStack(self)
        self._evaluation = evaluation
        self._result: ScoreResult = score(evaluation)
        self._issues: list[Issue] = validate(evaluation, self._result)
        # refused text waiting for the edit that clears its field's value (see ``refusing``)
        self._held: dict[str, str | None] = {}

    @property
    def evaluation(self) -> Evaluation:
        return self._evaluation

    @property
    def result(self) -> ScoreResult:
        return self._result

    @property
    def issues(self) -> list[Issue]:
        return self._issues

    # ---- typed text that is not a value (kept in the evaluation: it survives a crash)
    @property
    def entries(self) -> dict[str, Issue]:
        """Refused entries as the errors the issues panel lists, by field path."""
        refused = self._evaluation.refused
        if not refused:
            return {}
        return {i.path: i for i in self._issues if i.level == ERROR and i.path in refused}

    def refused_text(self, where: Where) -> str | None:
        return self._evaluation.refused.get(str(where))

    @contextmanager
    def refusing(self, where: Where, text: str | None) -> Iterator[None]:
        """Record ``text`` as refused at ``where`` (None: the field has a value again) in the
        edit the block makes (the one that clears or sets the value), or in an edit of
        its own when the block makes none."""
        path = str(where)
        self._held[path] = text
        try:
            yield
        finally:
            if path in self._held:
                del self._held[path]
                self.apply(self._evaluation.with_refused(path, text), "输入有误", merge_key=path)

    def set_invalid(self, where: Where, message: str = "", text: str | None = None) -> None:
        """Text typed into ``where`` is refused: an error until the clerk corrects it."""
        del message  # validation words the error from the field and the text
        if text is None:
            text = self._evaluation.refused.get(str(where)) or "？"
        with self.refusing(where, text):
            pass

    def clear_invalid(self, where: Where) -> None:
        if str(where) in self._evaluation.refused:
            with self.refusing(where, None):
                pass

    def invalid_at(self, where: Where) -> Issue | None:
        return self.entries.get(str(where))

    @staticmethod
    def same(a: Evaluation, b: Evaluation) -> bool:
        """Equal as the database would store them (``extra`` is not part of ``==``)."""
        return a is b or (a == b and a.system == b.system and a.extra == b.extra)

    def apply(self, after: Evaluation, text: str = "编辑", merge_key: MergeKey | None = None,
              path: Where | None = None, rows_moved: bool = False) -> None:
        """Make ``after`` the current snapshot as one undoable step.

        ``merge_key`` (the field's address) merges consecutive edits of the same
        field into one step (its path string is the same key); ``path`` is the field
        changed (a ``merge_key`` that is an address, or a path string, serves as one).
        A copied text the clerk edits is no longer 沿用上年;
        ``rows_moved``: rows were inserted or removed, no text was edited, and the marks
        have moved with their rows (``Evaluation.with_rows_moved``).
        """
        if not rows_moved:
            after = carry_over.settle(self._evaluation, after)
        for held_path, held_text in self._held.items():
            after = after.with_refused(held_path, held_text)
        self._held.clear()
        if self.same(after, self._evaluation):
            return
        where = str(path) if path is not None else _path_of(merge_key)
        # one spelling of a key: a field's address and its path string merge with each other
        key = None if merge_key is None else str(merge_key)
        self.undo_stack.push(_Edit(self, self._evaluation, after, step_text(after, text, where),
                                   key, where))

    # ---- history (编辑 › 撤销记录)
    @property
    def behind(self) -> bool:
        """Steps were undone: the latest state is on the redo side."""
        return self.undo_stack.index() < self.undo_stack.count()

    def state_after(self, step: int) -> Evaluation:
        """The snapshot after the first ``step`` steps (0: as opened), without moving."""
        stack = self.undo_stack
        here = stack.index()
        blocked = self.blockSignals(True)
        try:
            stack.setIndex(step)
            state = self._evaluation
            stack.setIndex(here)
        finally:
            self.blockSignals(blocked)
        return state

    def jump_to(self, step: int) -> None:
        """Go to the state after ``step`` steps as one more undoable step: the later steps stay
        in the history (and one 撤销 comes back from the jump)."""
        stack = self.undo_stack
        if not 0 <= step <= stack.count():
            return
        target = self.state_after(step)
        label = "打开时的状态" if step == 0 else stack.text(step - 1)
        blocked = self.blockSignals(True)
        try:
            stack.setIndex(stack.count())  # from the latest, so nothing is dropped
        finally:
            self.blockSignals(blocked)
        if self.same(target, self._evaluation):
            self.changed.emit()
            self.scored.emit()
            return
        self.apply(target, f"回到第 {step} 步之后：{label}")

    def replace(self, evaluation: Evaluation) -> None:
        """Load a new snapshot without undo (e.g. after re-opening)."""
        self.undo_stack.clear()
        self._held.clear()
        self._set(evaluation)

    def _set(self, evaluation: Evaluation) -> None:
        self._evaluation = evaluation
        self._result = score(evaluation)
        self._issues = validate(evaluation, self._result)
        self.changed.emit()
        self.scored.emit()


class FollowsScore:
    """A view that redraws itself (``refresh``) whenever its document is re-scored."""

    document: Document | None

    def refresh(self) -> None:
        raise NotImplementedError

    def set_document(self, document: Document | None) -> None:
        if self.document is not None:
            try:
                self.document.scored.disconnect(self.refresh)
            except (RuntimeError, TypeError):
                pass
        self.document = document
        if document is not None:
            document.scored.connect(self.refresh)
        self.refresh()
