"""自评得分 panel: total, grade, level-1/level-2 subtotals against weights, completeness.

It listens to ``document.scored`` and only changes label texts (the rows are
rebuilt only when the indicator system changes), so an update costs little.
A subtotal below its weight is shown in orange with a ▼ mark.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from desktop.form.document import Document, FollowsScore
from forms.numbers import fmt2, fmt_weight
from forms.scoring import GroupResult, ScoreResult
from forms.system import System

BELOW_COLOUR = "#b45309"  # below its weight: amber, readable on white
FULL_COLOUR = "#1f2937"
NA_COLOUR = "#9ca3af"  # 不适用: greyed


class _RowLabel(QLabel):
    """A subtotal row: a click asks to show that group in the indicator table."""

    def __init__(self, text: str, on_click: Callable[[], None]):
        super().__init__(text)
        self._on_click = on_click
        self.setCursor(Qt.CursorShape.PointingHandCursor)


class _NameLabel(_RowLabel):
    """A group's name that gives way to the figure beside it: elided ("…"), never the figure."""

    def __init__(self, text: str, on_click: Callable[[], None]):
        super().__init__(text, on_click)
        self.full_text = text
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(24)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        shown = self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight,
                                              max(0, self.width() - 2))
        if shown != self.text():
            self.setText(shown)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt name)
        if event.button() == Qt.MouseButton.LeftButton:
            self._on_click()
        super().mouseReleaseEvent(event)


class ScorePanel(FollowsScore, QWidget):
    group_activated = Signal(object)  # the NodeAddress of the group clicked

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("scorePanel")
        self.document: Document | None = None
        self._system: System | None = None
        self._rows: list[tuple[QLabel, QLabel]] = []
        self._painted: dict[int, tuple[str, bool]] = {}  # row → what its value label shows

        self.heading = QLabel("自评得分")
        self.heading.setStyleSheet("font-weight: bold;")
        self.total_label = QLabel("—")
        self.total_label.setObjectName("total")
        font = self.total_label.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.total_label.setFont(font)
        self.grade_label = QLabel("")
        grade_font = self.grade_label.font()
        grade_font.setPointSizeF(grade_font.pointSizeF() * 1.5)
        grade_font.setBold(True)
        self.grade_label.setFont(grade_font)
        self.renormalised_label = QLabel("按适用指标折算")
        self.renormalised_label.setToolTip("有指标标为不适用：总分按适用指标的分值折算为百分制")
        self.renormalised_label.setStyleSheet("color: #1d4ed8;")
        self.completeness_label = QLabel("")
        self.completeness_label.setObjectName("completeness")
        self.cap_label = QLabel("")  # 执行率 76%，自评得分不高于 89 分
        self.cap_label.setObjectName("cap")
        self.cap_label.setWordWrap(True)
        self.cap_label.setStyleSheet("color: #b35c00;")

        top = QGridLayout()
        top.addWidget(self.total_label, 0, 0, Qt.AlignmentFlag.AlignLeft)
        top.addWidget(self.grade_label, 0, 1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        # The subtotals scroll inside the panel when a system is long; the total never does.
        self.groups_widget = QWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab skips the panel: nothing to type
        self.scroll_area = scroll

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.heading)
        layout.addLayout(top)
        layout.addWidget(self.renormalised_label)
        layout.addWidget(self.cap_label)
        layout.addWidget(self.completeness_label)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        layout.addWidget(scroll, 1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.setMinimumWidth(210)
        self._clear()

    # ------------------------------------------------------------ document


    def _clear(self) -> None:
        self.total_label.setText("—")
        self.grade_label.setText("")
        self.renormalised_label.hide()
        self.cap_label.hide()
        self.completeness_label.setText("")
        self._rebuild_rows(())
        self._system = None

    def _rebuild_rows(self, groups: tuple[GroupResult, ...]) -> None:
        # A fresh container each time: grid row stretches would otherwise linger.
        container = QWidget()
        grid = QGridLayout(container)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(3)
        self._rows = []
        self._painted = {}
        for index, group in enumerate(groups):
            indent = "　" * (group.level - 1)
            click = (lambda at=group.address: self.group_activated.emit(at))
            name = _NameLabel(indent + group.group.name, click)
            name.setToolTip(f"{group.group.name}（单击查看这一组指标）")
            value = _RowLabel("", click)
            value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
            if group.level == 1:
                for label in (name, value):
                    label.setStyleSheet("font-weight: bold;")
            grid.addWidget(name, index, 0)
            grid.addWidget(value, index, 1)
            self._rows.append((name, value))
        grid.setRowStretch(len(groups), 1)
        grid.setColumnStretch(0, 1)
        old = self.scroll_area.takeWidget()
        if old is not None:
            old.deleteLater()
        self.scroll_area.setWidget(container)
        self.groups_widget = container

    def refresh(self) -> None:
        if self.document is None:
            self._clear()
            return
        result: ScoreResult = self.document.result
        system = self.document.evaluation.system
        if system is not self._system:
            self._rebuild_rows(result.groups)
            self._system = system
        self.total_label.setText(fmt2(result.total))
        self.grade_label.setText(result.grade)
        self.renormalised_label.setVisible(result.renormalised)
        cap = result.cap
        self.cap_label.setVisible(cap is not None and cap.limit is not None)
        if cap is not None:
            self.cap_label.setText(cap.text + (f"（封顶前 {fmt2(cap.uncapped)} 分）"
                                                if cap.applied else ""))
        self.completeness_label.setText(
            f"完成度 {result.filled}/{result.leaf_count}"
            + ("（已填完）" if result.complete else "（未填指标按 0 分计）"))
        for index, ((_name, value), group) in enumerate(zip(self._rows, result.groups)):
            weight = group.group.weight
            na = group.not_applicable
            below = not na and group.lost_points
            text = ("不适用" if na else
                    f"{'▼' if below else ''}{fmt2(group.score)}/{fmt_weight(weight)}")
            before = self._painted.get(index)
            if before == (text, below):
                continue  # style sheets are costly: touch only the rows that changed
            self._painted[index] = (text, below)
            was_na = before is not None and before[0] == "不适用"
            value.setText(text)
            value.setMinimumWidth(value.fontMetrics().horizontalAdvance(text) + 4)
            colour = NA_COLOUR if na else BELOW_COLOUR if below else FULL_COLOUR
            bold = "font-weight: bold; " if group.level == 1 else ""
            value.setStyleSheet(f"{bold}color: {colour};")
            if na != was_na:
                _name.setStyleSheet(f"{bold}color: {NA_COLOUR};" if na else bold)
            value.setToolTip(f"{group.group.name}：" + ("各指标均不适用，不计分" if na else
                             f"得分 {fmt2(group.score)}，分值 {fmt_weight(weight)}"
                             + ("（低于分值）" if below else "（满分）")))

    # ------------------------------------------------------------ for tests and the bench

    def total_text(self) -> str:
        return self.total_label.text()

    def row_texts(self) -> list[tuple[str, str]]:
        return [(getattr(n, "full_text", n.text()).strip("　"), v.text()) for n, v in self._rows]
