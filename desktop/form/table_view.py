"""The spreadsheet-like view of a ``desktop.form.tables.FormTableModel``.

``FormTable`` has the keyboard of a spreadsheet: typing on a selected cell replaces
its content, F2 or double-click edits, Enter moves down, Tab right, Esc cancels;
Ctrl+V pastes a tab-separated block from Excel or WPS (see ``FormTableModel.set_texts``),
Ctrl+C copies the selection. ``_CellDelegate`` is the cell editor.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QEvent,
    QObject,
    QItemSelection,
    QItemSelectionModel,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QContextMenuEvent, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QLineEdit,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from forms.tsv import join_block, split_block

from desktop.form.blocks import CommitStartsEdit, HeaderMatch, read_header
from desktop.form.tables import Column, FormTableModel, Index, parse_cell

class _CellDelegate(QStyledItemDelegate):
    """Line editor whose Enter moves down and Tab moves right (as in Excel)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,  # noqa: N802
                     index: Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setFrame(False)
        model = index.model()
        if isinstance(model, FormTableModel) and model.columns[index.column()].numeric:
            editor.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return editor

    def takes_quietly(self, editor: QWidget, index: Index) -> bool:
        """Autosave may write this text now: a number (or any text in a text column)."""
        model = index.model()
        if not isinstance(editor, QLineEdit) or not isinstance(model, FormTableModel):
            return False
        column = model.columns[index.column()]
        return parse_cell(column, editor.text().strip() if column.numeric else editor.text())[0]

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.KeyPress and isinstance(editor, QLineEdit):
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
                if (view := _table_of(editor)) is not None:
                    view.move_cursor(1, 0)
                return True
            if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
                self.commitData.emit(editor)
                self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
                if (view := _table_of(editor)) is not None:
                    view.move_cursor(0, -1 if key == Qt.Key.Key_Backtab else 1)
                return True
        return super().eventFilter(editor, event)


def _table_of(editor: QWidget) -> FormTable | None:
    """The table a cell editor is open in (the editor sits on the table's viewport)."""
    viewport = editor.parentWidget()
    view = viewport.parentWidget() if viewport is not None else None
    return view if isinstance(view, FormTable) else None


class FormTable(CommitStartsEdit, QTableView):
    """A QTableView that behaves like a spreadsheet for the clerk."""

    def __init__(self, model: FormTableModel, parent: QWidget | None = None, *,
                 fit_rows: bool = True):
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(_CellDelegate(self))
        self.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed
                             | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setAlternatingRowColors(False)
        self.setWordWrap(True)
        self.setTabKeyNavigation(True)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.setMinimumSectionSize(60)
        for i, column in enumerate(model.columns):
            if column.width:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Interactive)
                self.setColumnWidth(i, column.width)
            else:
                header.setSectionResizeMode(i, QHeaderView.ResizeMode.Stretch)
        # Rows fit their (wrapped) text; re-fitted after the widths or the texts change,
        # once per burst of changes (ResizeToContents re-measures on every repaint).
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._fit_timer = QTimer(self)
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self.resizeRowsToContents)
        if fit_rows:  # tables of one-line figures (the budget grid) need none of this
            header.sectionResized.connect(lambda *_: self._fit_timer.start())
            model.dataChanged.connect(lambda *_: self._fit_timer.start())
            model.rowsInserted.connect(lambda *_: self._fit_timer.start())
        self.verticalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # a title wider than its column (年初预算数（万元） on a 125 % laptop) wraps, and the
        # header grows to show all its lines
        header.sectionResized.connect(lambda *_: self.fit_header())
        self.fit_header()
        if model.rowCount() and model.columnCount():
            self.setCurrentIndex(model.index(0, 0))

    header_fitted = Signal()  # the header's height changed to show its titles

    def fit_header(self) -> None:
        header = self.horizontalHeader()
        metrics = header.fontMetrics()
        flags = int(Qt.AlignmentFlag.AlignCenter) | int(Qt.TextFlag.TextWordWrap)
        model = self.model()
        lines = [metrics.boundingRect(QRect(0, 0, max(1, header.sectionSize(i) - 8), 1 << 16), flags,
                                      str(model.headerData(i, Qt.Orientation.Horizontal) or "")).height()
                 for i in range(model.columnCount()) if not header.isSectionHidden(i)]
        need = max(lines, default=0) + 8
        if need != header.minimumHeight():
            header.setMinimumHeight(need)
            self.header_fitted.emit()

    # set by a page whose table can grow (tasks, projects): row commands of the menu
    on_insert: Callable[[], None] | None = None
    on_remove: Callable[[], None] | None = None

    def table_model(self) -> FormTableModel:
        model = self.model()
        assert isinstance(model, FormTableModel)
        return model

    # ---- keyboard
    def move_cursor(self, down: int, right: int) -> None:
        current = self.currentIndex()
        model = self.table_model()
        if not current.isValid():
            return
        row = min(max(0, current.row() + down), model.rowCount() - 1)
        col = current.column() + right
        if col >= model.columnCount():  # Tab past the last column: next row, first column
            col, row = 0, min(row + 1, model.rowCount() - 1)
        elif col < 0:
            col, row = model.columnCount() - 1, max(0, row - 1)
        self.setCurrentIndex(model.index(row, col))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
            return
        key = event.key()
        if self.state() != QAbstractItemView.State.EditingState:
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                up = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                self.move_cursor(-1 if up else 1, 0)
                return
            if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.clear_selection_cells()
                return
            if key == Qt.Key.Key_Tab:
                self.move_cursor(0, 1)
                return
            if key == Qt.Key.Key_Backtab:
                self.move_cursor(0, -1)
                return
        super().keyPressEvent(event)

    # ---- clipboard
    def selected_block(self) -> tuple[int, int, list[list[str]]]:
        indexes = self.selectionModel().selectedIndexes() or [self.currentIndex()]
        indexes = [i for i in indexes if i.isValid()]
        if not indexes:
            return 0, 0, []
        top = min(i.row() for i in indexes)
        left = min(i.column() for i in indexes)
        bottom = max(i.row() for i in indexes)
        right = max(i.column() for i in indexes)
        model = self.table_model()
        block = []
        for r in range(top, bottom + 1):
            block.append([model.data(model.index(r, c), Qt.ItemDataRole.EditRole) or ""
                          for c in range(left, right + 1)])
        return top, left, block

    def copy_selection(self) -> str:
        _, _, block = self.selected_block()
        text = join_block(block)
        QGuiApplication.clipboard().setText(text)
        return text

    def paste(self, text: str | None = None) -> None:
        if text is None:
            text = QGuiApplication.clipboard().text()
        block = split_block(text)
        if not block:
            return
        current = self.currentIndex()
        top = current.row() if current.isValid() else 0
        left = current.column() if current.isValid() else 0
        model = self.table_model()
        # One copied cell pasted onto a selection fills every selected cell (as Excel does).
        if len(block) == 1 and len(block[0]) == 1:
            top0, left0, sel = self.selected_block()
            if sel and (len(sel) > 1 or len(sel[0]) > 1):
                top, left = top0, left0
                block = [[block[0][0]] * len(sel[0]) for _ in sel]
        # A block copied with its header row goes to the columns its header names.
        match = read_header(model.columns, block[0]) if len(block) > 1 else None
        targets = None
        if match is not None:
            if not match.sure and not self.confirm_header(model.columns, block[0], match):
                return
            targets = match.targets
            block = block[1:]
            left = min((t for t in targets if t is not None), default=left)
        model.set_texts(top, left, block, "粘贴", targets)
        if model.skipped:
            from desktop.common import messages

            messages.warning(self, "以下粘贴的内容没有可放的位置，未采用（单元格已标出）：\n"
                             + "\n".join(model.skipped[:10])
                             + (f"\n……共 {len(model.skipped)} 处" if len(model.skipped) > 10
                                else ""), title="部分内容未粘贴")
        bottom = min(top + len(block), model.rowCount()) - 1
        right = min(left + max(len(r) for r in block), model.columnCount()) - 1
        if bottom >= top and right >= left:
            selection = self.selectionModel()
            selection.select(QItemSelection(model.index(top, left), model.index(bottom, right)),
                             QItemSelectionModel.SelectionFlag.ClearAndSelect)

    def confirm_header(self, columns: Sequence[Column], header: list[str],
                       match: HeaderMatch) -> bool:
        """Some header words name no column: show where each column would go first."""
        from desktop.common import messages

        lines = []
        for text, target in zip(header, match.targets):
            if text.strip():
                where = columns[target].title if target is not None else "（不粘贴）"
                lines.append(f"“{text.strip()}” → {where}")
        answer = messages.Messages.ask(
            self, "粘贴的表头", "粘贴内容的第一行是表头，将按下面的对应粘贴；"
            "对应不到的列不粘贴：\n" + "\n".join(lines), ["按此粘贴", "取消"], default=0)
        return answer == 0

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        self.context_menu().exec(event.globalPos())

    def context_menu(self) -> QMenu:
        """The right-click menu a spreadsheet user expects, in Chinese."""
        menu = QMenu(self)
        menu.addAction("复制", QKeySequence(QKeySequence.StandardKey.Copy), self.copy_selection)
        menu.addAction("粘贴", QKeySequence(QKeySequence.StandardKey.Paste), self.paste)
        menu.addAction("清除内容", QKeySequence(Qt.Key.Key_Delete), self.clear_selection_cells)
        if self.on_insert is not None or self.on_remove is not None:
            menu.addSeparator()
        if self.on_insert is not None:
            menu.addAction("在下方插入一行", self.on_insert)
        if self.on_remove is not None:
            menu.addAction("删除所选行", self.on_remove)
        return menu

    def clear_selection_cells(self) -> None:
        top, left, block = self.selected_block()
        if block:
            self.table_model().set_texts(top, left, [[""] * len(r) for r in block], "清除")

    def focus_cell(self, row: int, key: str) -> bool:
        model = self.table_model()
        if not 0 <= row < model.rowCount():
            return False
        index = model.index(row, model.column_of(key))
        # select just this cell, whatever modifier keys Qt believes are held
        self.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        return True
