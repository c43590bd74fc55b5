"""问题 panel: every validation issue in Chinese, errors before warnings; a click jumps there."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from desktop.form.document import Document, FollowsScore
from forms.validation import ERROR, SECTIONS, Issue

SECTION_NAMES = dict(SECTIONS)
ERROR_COLOUR = "#b91c1c"
WARNING_COLOUR = "#92400e"
ISSUE_ROLE = Qt.ItemDataRole.UserRole + 1


def ordered(issues: list[Issue]) -> list[Issue]:
    """Errors first, then warnings; within each, the order of the form's sections."""
    order = {key: index for index, (key, _) in enumerate(SECTIONS)}
    return sorted(issues, key=lambda i: (i.level != ERROR, order.get(i.section, len(order))))


def issue_text(issue: Issue) -> str:
    mark = "✗" if issue.level == ERROR else "⚠"
    section = SECTION_NAMES.get(issue.section, "其他")
    return f"{mark} {section} › {issue.message}"


def heading_text(issues: list[Issue]) -> str:
    errors = sum(1 for i in issues if i.level == ERROR)
    if not issues:
        return "问题：无 ✓"
    return f"问题（{errors} 错误，{len(issues) - errors} 提醒）：单击一条可跳到对应位置"


class IssuesPanel(FollowsScore, QWidget):
    issue_activated = Signal(object)  # Issue

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.document: Document | None = None
        self._shown: list[Issue] = []
        self.heading = QLabel("问题")
        self.heading.setStyleSheet("font-weight: bold;")
        self.list = QListWidget()
        self.list.setObjectName("issues")
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.itemClicked.connect(self._activate)
        self.list.itemActivated.connect(self._activate)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.setSpacing(2)
        layout.addWidget(self.heading)
        layout.addWidget(self.list)


    def refresh(self) -> None:
        issues = ordered(self.document.issues) if self.document is not None else []
        self.heading.setText(heading_text(issues) if self.document is not None else "问题")
        if issues == self._shown:
            return  # most keystrokes do not change the list: keep the selection and scroll
        self._shown = issues
        self.list.clear()
        for issue in issues:
            item = QListWidgetItem(issue_text(issue))
            item.setData(ISSUE_ROLE, issue)
            item.setToolTip(issue.message)
            colour = ERROR_COLOUR if issue.level == ERROR else WARNING_COLOUR
            item.setForeground(QBrush(QColor(colour)))
            self.list.addItem(item)

    def _activate(self, item: QListWidgetItem) -> None:
        issue = item.data(ISSUE_ROLE)
        if isinstance(issue, Issue):
            self.issue_activated.emit(issue)

    def issues(self) -> list[Issue]:
        return list(self._shown)
