"""The system editor's live checks under the tree: the status line (检查通过, or how many
problems keep the draft from scoring) and the list of problems, warnings and import notes.

``ChecksPane.show_check`` fills both from the draft; a click on a problem emits
``chosen`` with the node it concerns, which the window selects in the tree.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from forms.system import Problem
from forms.system_edit import NodePath, SystemDraft, node_path_of
from forms.system_warnings import system_warnings

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
RED = QColor("#c0392b")
AMBER = QColor("#b7791f")


class ChecksPane(QWidget):
    """The status line and the problem list; emits ``chosen(NodePath)`` on a click."""

    chosen = Signal(object)  # NodePath

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.problem_list = QListWidget()
        self.problem_list.setObjectName("problems")
        self.problem_list.setMaximumHeight(120)
        self.problem_list.itemClicked.connect(self._clicked)
        self.problem_list.itemActivated.connect(self._clicked)
        layout.addWidget(self.problem_list)

    def show_check(self, draft: SystemDraft, notes: list[Problem]) -> None:
        """The draft's problems (and ``notes``, what an import could not take) in the list,
        its state in the status line."""
        check = draft.check()
        self.problem_list.clear()
        for note in notes:
            self._add(f"注意：{note.message}", AMBER, None)
        for warning in system_warnings(check.system):  # usable, but worth a look
            self._add(f"注意：{warning.message}", AMBER, node_path_of(warning.path))
        for path in [()] + draft.walk():
            for p in check.at(path):
                self._add(f"✗ {p.message}", RED, path)
        # an empty list would only take the tree's rows away (the status line says 检查通过)
        self.problem_list.setVisible(self.problem_list.count() > 0)

        leaves = len(draft.leaves())
        if check.ok:
            text = f"✓ 检查通过：{len(draft.data['indicators'])} 个一级指标，{leaves} 个末级指标，" \
                   f"总分 100，可以用于评分。"
            self.status.setStyleSheet("color: #2e7d32; font-weight: bold;")
        else:
            text = f"草稿：有 {len(check.problems)} 处问题，暂不能用于评分（可以先保存）。" \
                   f"{leaves} 个末级指标。"
            self.status.setStyleSheet("color: #c0392b; font-weight: bold;")
        unconfirmed = sum(1 for p in draft.leaves() if draft.node(p).get("review"))
        if unconfirmed:
            text += f"　{unconfirmed} 个指标的评分规则读自评分标准，请核对后确认。"
        self.status.setText(text)

    def _add(self, text: str, colour: QColor, path: NodePath | None) -> None:
        item = QListWidgetItem(text)
        item.setForeground(QBrush(colour))
        item.setData(PATH_ROLE, path)
        self.problem_list.addItem(item)

    def _clicked(self, item: QListWidgetItem) -> None:
        path = item.data(PATH_ROLE)
        if path:
            self.chosen.emit(tuple(path))
