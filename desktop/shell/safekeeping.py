"""What keeps the clerk's typing safe in the main window, apart from the pages.

- ``commit_open_editors``: a table or tree cell still being typed in is written
  into the document (before saving, closing, exporting, switching evaluation);
- ``undo_message``: what undo / redo just did, in words, for the status bar;
- ``HistoryDialog``: 撤销记录, the steps of the undo stack, and ``ask_behind``: the question
  before leaving a state that has undone steps after it;
- ``ask_duplicate``: an imported evaluation of a department and year already
  in the library: replace, keep both (the copy labelled 导入), or cancel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractSpinBox,
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.common.screen import fit_to_screen
from forms.field_names import field_name
from forms.model import Evaluation
from forms.storage import Summary

from desktop.common import messages
from desktop.form.document import Document

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
    for view in _views(root):
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


class _TypingWatch(QObject):
    """Child of the window it watches, so its connection ends with the window."""

    def __init__(self, root: QWidget, pending: Callable[[], object]):
        super().__init__(root)
        self.root = root
        self.pending = pending
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self.watch)

    def watch(self, _old: QWidget | None, new: QWidget | None) -> None:
        root = self.root
        if new is None or new.property("reportsTyping") or not root.isAncestorOf(new):
            return
        line = new if isinstance(new, QLineEdit) else None
        if isinstance(new, QAbstractSpinBox):
            line = new.findChild(QLineEdit)
        elif line is not None and not any(line.parentWidget() is view.viewport()
                                          for view in _views(root)):
            return  # a plain field reports its own edits
        if line is None:
            return
        new.setProperty("reportsTyping", True)
        line.textEdited.connect(self._typed)

    def _typed(self, _text: str) -> None:
        self.pending()


def report_typing(root: QWidget, pending: Callable[[], object]) -> None:
    """Call ``pending`` at each keystroke in an editor under ``root`` that keeps its text to
    itself until it closes (a cell or tree editor of an item view, a spin box): the
    autosave's one-second promise then holds for text that never reached the document."""
    _TypingWatch(root, pending)


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
    """撤销记录: every step of the open evaluation.  Choosing a step and 回到这一步 goes back
    to the state after it as one more step, so the later steps stay and 撤销 returns."""

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(parent)
        self.document = document
        self.setWindowTitle("撤销记录")
        layout = QVBoxLayout(self)
        note = QLabel("本次打开以来的每一步修改。选中一步后按“回到这一步”，即回到该步之后的状态；"
                      "这本身也是一步，之后的修改都保留，可用 Ctrl+Z 撤销回来。")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.steps = QListWidget(self)
        self.steps.itemDoubleClicked.connect(lambda _item: self.go())
        self.steps.currentRowChanged.connect(self._selected)
        layout.addWidget(self.steps, 1)
        buttons = QDialogButtonBox()
        self.go_button = buttons.addButton("回到这一步", QDialogButtonBox.ButtonRole.ActionRole)
        self.go_button.clicked.connect(self.go)
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.fill()
        fit_to_screen(self, 520, 460)

    def fill(self) -> None:
        stack = self.document.undo_stack
        self.steps.clear()
        self.steps.addItem("（打开时的状态）")
        for i in range(stack.count()):
            item = QListWidgetItem(f"{i + 1}. {stack.text(i)}")
            if i >= stack.index():
                item.setForeground(Qt.GlobalColor.gray)  # undone: on the redo side
                item.setToolTip("已撤销的一步（可重做）")
            self.steps.addItem(item)
        self.steps.setCurrentRow(stack.index())
        self._selected(stack.index())

    def _selected(self, row: int) -> None:
        self.go_button.setEnabled(row >= 0 and row != self.document.undo_stack.index())

    def go(self) -> None:
        row = self.steps.currentRow()
        if row < 0 or row == self.document.undo_stack.index():
            return
        self.document.jump_to(row)
        self.fill()


def ask_behind(parent: QWidget | None, document: Document, doing: str) -> bool:
    """Before closing, switching or exporting with steps undone: keep this state, or go back
    to the latest.  False: the clerk cancelled."""
    if not document.behind:
        return True
    stack = document.undo_stack
    later = stack.count() - stack.index()
    answer = messages.Messages.ask(
        parent, "有已撤销的修改",
        f"当前状态之后还有 {later} 步已撤销的修改（最近一步：{stack.text(stack.count() - 1)}）。"
        f"{doing}之前，保留当前状态，还是回到最新的状态？",
        ["保留当前状态", "回到最新状态", "取消"], default=1)
    if answer == 1:
        stack.setIndex(stack.count())
    return answer in (0, 1)


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


def _views(root: QWidget) -> list[QAbstractItemView]:
    """The item views under ``root`` (typed for every PySide6 version's stubs)."""
    found: list[QAbstractItemView] = []
    child: object
    for child in root.findChildren(QAbstractItemView):
        if isinstance(child, QAbstractItemView):
            found.append(child)
    return found
