"""佐证材料 of one owner (an indicator, 收支情况 or 绩效目标): the files, added by a button or by
dropping them on the list, removed with Delete; every change is one undoable step.

The widget holds no copy of the list: it shows ``document.evaluation.evidence[owner]``
and applies a new tuple through the document.  Adding copies the file into the data
folder's store (``forms.evidence``); removing drops the reference only, so an undo
brings the file back.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QUrl, Qt, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from forms.address import Address, FieldAddress, LeafField, parse
from forms.evidence import EvidenceError, EvidenceRef, EvidenceStore
from forms.paths import user_evidence_dir

from desktop.form.document import Document


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} 字节"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


class _Files(QListWidget):
    dropped = Signal(list)
    delete_pressed = Signal()

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QListWidget.DragDropMode.DropOnly)
        self.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        if event.mimeData().hasUrls():
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        paths = [u.toLocalFile() for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.dropped.emit(paths)
        else:
            super().dropEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.selectedItems():
            self.delete_pressed.emit()
            return
        super().keyPressEvent(event)


def evidence_field(owner: Address) -> Address:
    """Where an owner's files are, as a field: an issue about them names it, and so does a
    step that changes them (``budget.evidence``, ``values.<leaf id>.evidence``)."""
    if isinstance(owner, LeafField):
        return LeafField(owner.leaf_id, "evidence")
    if isinstance(owner, FieldAddress):
        return FieldAddress(owner.section, "evidence")
    return owner


class EvidenceList(QWidget):
    """The 佐证材料 of ``owner`` in the open evaluation: ``FieldAddress("budget")``,
    ``FieldAddress("goals")`` or an indicator's ``LeafField`` (its path, as
    ``forms.evidence`` keys the files, is taken too)."""

    def __init__(self, document: Callable[[], Document], owner: Address | str, what: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self._document = document
        self.owner = parse(owner) if isinstance(owner, str) else owner
        self.what = what  # how the step is named: "指标 › 预算执行率"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.files = _Files(self)
        self.files.setObjectName("evidence.files")
        self.files.setMaximumHeight(96)
        self.files.dropped.connect(self.add_paths)
        self.files.delete_pressed.connect(self.remove_selected)
        self.files.itemDoubleClicked.connect(self._open)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #666;")
        buttons = QHBoxLayout()
        self.add_button = QPushButton("添加文件…", self)
        self.add_button.clicked.connect(self._choose)
        self.remove_button = QPushButton("移除", self)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.note, 1)
        layout.addWidget(self.files)
        layout.addLayout(buttons)
        self.store = EvidenceStore(user_evidence_dir())
        self.refresh()

    def set_owner(self, owner: Address | str, what: str) -> None:
        self.owner = parse(owner) if isinstance(owner, str) else owner
        self.what = what
        self.refresh()

    @property
    def field(self) -> Address:
        """The field the files are (``evidence_field`` of the owner)."""
        return evidence_field(self.owner)

    @property
    def document(self) -> Document:
        return self._document()

    def refs(self) -> tuple[EvidenceRef, ...]:
        return tuple(self.document.evaluation.evidence.get(str(self.owner), ()))

    def refresh(self) -> None:
        self.store = EvidenceStore(user_evidence_dir())
        refs = self.refs()
        self.files.clear()
        for ref in refs:
            item = QListWidgetItem(f"{ref.name}（{size_text(ref.size)}）")
            missing = not self.store.has(ref)
            if missing:
                item.setText(item.text() + "　本机找不到该文件")
                item.setForeground(Qt.GlobalColor.red)
            item.setToolTip(f"SHA-256：{ref.sha256}\n添加于 {ref.added}")
            self.files.addItem(item)
        self.remove_button.setEnabled(bool(refs))
        self.note.setText("可把文件拖到上面的列表中；双击打开" if not refs else
                          f"共 {len(refs)} 个文件，{size_text(sum(r.size for r in refs))}")

    def ask_paths(self) -> list[str]:  # tests replace this
        paths, _ = QFileDialog.getOpenFileNames(self, "添加佐证材料", str(Path.home()))
        return paths

    def _choose(self) -> None:
        paths = self.ask_paths()
        if paths:
            self.add_paths(paths)

    def add_paths(self, paths: list[str]) -> None:
        from desktop.common import messages

        added: list[EvidenceRef] = []
        refused: list[str] = []
        stamp = datetime.now().isoformat(timespec="seconds")
        for path in paths:
            try:
                added.append(self.store.add(path, stamp))
            except EvidenceError as exc:
                refused.append(str(exc))
        current = self.refs()
        known = {r.sha256 for r in current}
        fresh = tuple(r for r in added if r.sha256 not in known)
        if fresh:
            names = "、".join(r.name for r in fresh)
            after = self.document.evaluation.with_evidence(str(self.owner), current + fresh)
            self.document.apply(after, f"添加佐证材料：{self.what} › {names}", path=self.field)
        if refused:
            messages.warning(self, "以下文件没有添加：\n" + "\n".join(refused))
        self.refresh()

    def remove_selected(self) -> None:
        rows = sorted({self.files.row(i) for i in self.files.selectedItems()})
        if not rows:
            return
        current = self.refs()
        gone = [current[r].name for r in rows if r < len(current)]
        kept = tuple(r for i, r in enumerate(current) if i not in rows)
        self.document.apply(self.document.evaluation.with_evidence(str(self.owner), kept),
                            f"移除佐证材料：{self.what} › {'、'.join(gone)}", path=self.field)
        self.refresh()

    def _open(self, item: QListWidgetItem) -> None:
        """Open a copy under the file's own name (the store names files by content)."""
        from desktop.common import messages

        ref = self.refs()[self.files.row(item)]
        if not self.store.has(ref):
            messages.warning(self, f"{ref.name}：本机的数据文件夹中找不到该文件")
            return
        try:
            folder = Path(tempfile.mkdtemp(prefix="selfeval-"))
            copy = folder / ref.name
            shutil.copyfile(self.store.path_of(ref), copy)
        except OSError as exc:
            messages.warning(self, f"{ref.name}：无法打开（{exc.strerror or exc}）")
            return
        if not self.open_url(QUrl.fromLocalFile(str(copy))):
            messages.warning(self, f"本机没有能打开“{ref.name}”的程序。文件在：\n{copy}")

    def open_url(self, url: QUrl) -> bool:  # tests replace this
        return bool(QDesktopServices.openUrl(url))
