"""The open evaluation: the current immutable snapshot, its undo history, its score.

Every edit anywhere in the window goes through ``Document.apply``: it pushes an
undo command holding the snapshots before and after, re-scores, and emits
``changed``.  Widgets never mutate data; they build a new snapshot (see
``forms.model``) and apply it.  Consecutive edits of the same field merge into
one undo step, as in Excel.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from forms.model import Evaluation
from forms.scoring import ScoreResult, score
from forms.validation import Issue, validate

_MERGE_ID = 1


class _Edit(QUndoCommand):
    def __init__(self, document: Document, before: Evaluation, after: Evaluation,
                 text: str, merge_key: str | None):
        super().__init__(text)
        self.document = document
        self.before = before
        self.after = after
        self.merge_key = merge_key

    def id(self) -> int:
        return _MERGE_ID if self.merge_key else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt name)
        if not isinstance(other, _Edit) or other.merge_key != self.merge_key:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        self.document._set(self.after)

    def undo(self) -> None:
        self.document._set(self.before)


class Document(QObject):
    """One open evaluation (a row of the library)."""

    changed = Signal()  # the snapshot changed (edit, undo, redo, reload)
    scored = Signal()  # score and issues recomputed

    def __init__(self, evaluation: Evaluation, evaluation_id: int | None = None,
                 revision: int | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.evaluation_id = evaluation_id
        self.revision = revision
        self.undo_stack = QUndoStack(self)
        self._evaluation = evaluation
        self._result: ScoreResult = score(evaluation)
        self._issues: list[Issue] = validate(evaluation, self._result)

    @property
    def evaluation(self) -> Evaluation:
        return self._evaluation

    @property
    def result(self) -> ScoreResult:
        return self._result

    @property
    def issues(self) -> list[Issue]:
        return self._issues

    def apply(self, after: Evaluation, text: str = "编辑", merge_key: str | None = None) -> None:
        """Make ``after`` the current snapshot as one undoable step.

        ``merge_key`` (e.g. the field's path) merges consecutive edits of the same
        field into one step.
        """
        if after == self._evaluation and after.system == self._evaluation.system:
            return
        self.undo_stack.push(_Edit(self, self._evaluation, after, text, merge_key))

    def replace(self, evaluation: Evaluation) -> None:
        """Load a new snapshot without undo (e.g. after re-opening)."""
        self.undo_stack.clear()
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
