"""The system editor's 总分规则: what 不适用 does to the total, and a cap of the total by
the bands of a budget rate (得分封顶, e.g. 执行率 70–80% → 自评得分不高于 89 分)."""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHeaderView, QLabel, QWidget

from forms.system import NA_POLICIES, SOURCES
from forms.system_edit import SystemDraft

from desktop.system_editor.widgets import (RowTable, band_rows, fill_combo, object_of, select_data,
                                           table_box)

NA_CHOICES = [(key, text) for key, text in NA_POLICIES.items()]
CAP_SOURCES = [("", "（不封顶）")] + [(key, name) for key, (name, _how) in SOURCES.items()]


class TotalRules(QGroupBox):
    """Two whole-system rules; writes into the draft, emits ``edited``."""

    edited = Signal()

    def __init__(self, draft_getter: Callable[[], SystemDraft], parent: QWidget | None = None):
        super().__init__("总分规则", parent)
        self._draft = draft_getter
        form = QFormLayout(self)
        form.setContentsMargins(4, 2, 4, 2)
        self.policy = QComboBox()
        self.policy.setObjectName("na_policy")
        fill_combo(self.policy, NA_CHOICES)
        self.policy.activated.connect(self._policy)
        self.cap_source = QComboBox()
        for combo in (self.policy, self.cap_source):  # long choices: shown elided, never
            combo.setSizeAdjustPolicy(  # widening the header past a 1366-pixel screen
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(14)
        self.cap_source.setObjectName("cap_source")
        fill_combo(self.cap_source, CAP_SOURCES)
        self.cap_source.activated.connect(self._cap)
        self.cap = RowTable(("下限（含）", "上限（含）", "得分不高于"))
        self.cap.setObjectName("cap_bands")
        self.cap.setMinimumHeight(60)
        self.cap.setMaximumHeight(96)
        self.cap.verticalHeader().setDefaultSectionSize(22)
        for col in range(3):
            self.cap.horizontalHeader().setSectionResizeMode(
                col, QHeaderView.ResizeMode.Stretch)
        self.cap.rows_changed.connect(lambda _rows: self._cap())
        self.cap.setToolTip("如：70、<80、89 表示执行率 70%（含）至 80% 时自评得分不高于 89 分")
        form.addRow("不适用指标：", self.policy)
        form.addRow("得分封顶依据：", self.cap_source)
        form.addRow(table_box(self.cap, ""))

    def load(self) -> None:
        """Show the draft's rules (the widgets send only the clerk's edits, so none here)."""
        data: dict[str, Any] = self._draft().data
        select_data(self.policy, data.get("not_applicable") or "rescale")
        cap = object_of(data.get("cap"))
        select_data(self.cap_source, cap.get("source") or "")
        self.cap.set_rows(band_rows(cap.get("bands"), "cap"))
        self.cap.setEnabled(bool(cap.get("source")) and self.policy.isEnabled())

    def set_read_only(self, read_only: bool) -> None:
        for widget in self.findChildren(QWidget):
            if not isinstance(widget, QLabel):
                widget.setEnabled(not read_only)

    def _policy(self) -> None:
        self._draft().set_policy(str(self.policy.currentData()))
        self.edited.emit()

    def _cap(self) -> None:
        source = str(self.cap_source.currentData() or "")
        self.cap.setEnabled(bool(source))
        self._draft().set_cap(source, [(r[0], r[1], r[2]) for r in self.cap.rows()])
        self.edited.emit()
