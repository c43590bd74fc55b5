"""What keeps the clerk's typing safe in the main window, apart from the pages.

- ``commit_open_editors``: a table or tree cell still being typed in is written
  into the document (before saving, closing, exporting, switching evaluation);
- ``undo_message``: what undo / redo just did, in words, for the status bar;
- ``HistoryDialog``: 撤销记录, the steps of the undo stack;
- ``ask_duplicate``: an imported evaluation of a department and year already
  in the library: replace, keep both (the copy labelled 导入), or cancel.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QUndoView,
    QVBoxLayout,
    QWidget,
)

from desktop.common.screen import fit_to_screen
from forms.field_names import field_name
from forms.model import Evaluation
from forms.storage import Summary

from desktop.common import messages

REPLACE, KEEP_BOTH, CANCEL = 0, 1, 2
IMPORT_LABEL = "导入"


def commit_open_editors(root: QWidget, quiet: bool = False) -> int:
    """Write every open cell editor under ``root`` into its model; return how many.

    ``quiet`` (autosave while the clerk may still be typing): the editor stays open,
    and only text its delegate can take without a fuss ("12." is not yet a number)
    is written — nothing is refused, no focus moves.
    """
    committed = 0
    focus = QApplication.focusWidget()
    for view in root.findChildren(QAbstractItemView):
        if view.state() != QAbstractItemView.State.EditingState:
            continue
        editor = focus if focus is not None and view.viewport().isAncestorOf(focus) else None
        if editor is None:
            index = view.currentIndex()
            editor = view.indexWidget(index) if index.isValid() else None
        if editor is None:
            continue
        index = view.currentIndex()
        delegate = view.itemDelegateForIndex(index) or view.itemDelegate()
        if quiet:
            takes = getattr(delegate, "takes_quietly", None)
            if takes is None or not takes(editor, index):
                continue
        delegate.commitData.emit(editor)
        if not quiet:
            delegate.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
        committed += 1
    return committed


# steps that add or remove rows or indicators: their text says what, the path where
_STRUCTURAL = ("添加", "插入", "删除")


def undo_message(undone: bool, text: str, where: str) -> str:
    verb = "撤销" if undone else "重做"
    if where and text.startswith(_STRUCTURAL):
        return f"{verb}：{text}（{where}）"
    return f"{verb}：{where}" if where else f"{verb}：{text}"


def where_changed(evaluation: Evaluation, path: str) -> str:
    return field_name(evaluation, path) if path else ""


class HistoryDialog(QDialog):
    """撤销记录: every step of the open evaluation; a click goes back to that state."""

    def __init__(self, stack: QUndoStack, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("撤销记录")
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("本次打开以来的修改（单击一步即回到该步之后的状态）："))
        self.view = QUndoView(stack, self)
        self.view.setEmptyLabel("（打开时的状态）")
        layout.addWidget(self.view)
        buttons = QDialogButtonBox()
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, 420, 420)


def ask_duplicate(parent: QWidget | None, evaluation: Evaluation, same: list[Summary]) -> int:
    """REPLACE, KEEP_BOTH or CANCEL for an import that repeats a department and year."""
    dept = evaluation.department
    first = same[0]
    saved = first.updated.replace("T", " ")[:16]
    text = (f"评价库中已有“{dept.name} {dept.year} 年度”的自评（得分 {first.total or '—'}，"
            f"{saved} 保存）。\n\n“替换”用导入的内容替换它（可用 Ctrl+Z 撤销）；"
            f"“两份都保留”另存一份，标为“{IMPORT_LABEL}”。")
    return messages.Messages.ask(parent, "已有同一年度的评价", text,
                                 ["替换已有的", "两份都保留", "取消"], default=2)


def labelled_copy(evaluation: Evaluation) -> Evaluation:
    """The imported copy kept beside the existing one, labelled so the library tells them apart."""
    extra = dict(evaluation.extra)
    extra["label"] = f"{IMPORT_LABEL} {datetime.now():%m-%d %H:%M}"
    return replace(evaluation, extra=extra)
