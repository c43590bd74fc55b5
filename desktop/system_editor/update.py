"""更新指标体系: offer to move an evaluation to another version of its system.

The evaluation keeps the copy of the system it was scored with; nothing
changes unless the clerk chooses a version here, sees the table of what
changes (leaves added / removed / changed, score before → after) and confirms.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QHBoxLayout,
                               QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from desktop.common.screen import fit_to_screen
from desktop.common import messages
from forms.catalog import SystemEntry, SystemFileError, all_systems, read_system_path
from forms.model import Evaluation
from forms.numbers import fmt2, fmt_weight
from forms.system import System
from forms.system_update import ADDED, KEPT, REMOVED, SystemUpdate, plan_update, update_candidates

COLUMNS = ("三级指标", "变化", "分值（原→新）", "得分（原→新）")
_COLOURS = {ADDED: "#1a5fb4", REMOVED: "#c0392b"}


def _w(value: object) -> str:
    """A weight: ``10``, ``0.5``; a dash where there is none."""
    return fmt_weight(value) if value is not None else "—"  # type: ignore[arg-type]


def _s(value: object) -> str:
    """A score: two decimals, as everywhere else in the program."""
    return fmt2(value) if value is not None else "—"  # type: ignore[arg-type]


class SystemUpdateDialog(QDialog):
    def __init__(self, evaluation: Evaluation, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("更新评价所用的指标体系")
        fit_to_screen(self, 860, 560)
        self.evaluation = evaluation
        self.plan: SystemUpdate | None = None
        layout = QVBoxLayout(self)
        system = evaluation.system
        intro = QLabel(f"本评价使用的是保存在评价中的指标体系副本“{system.name}”"
                       f"{f'（{system.year}年）' if system.year else ''}。"
                       f"选择一个新版本，先看得分会怎样变化，再决定是否更新。")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        row.addWidget(QLabel("新版本："))
        self.choice = QComboBox()
        self.choice.setObjectName("choice")
        self.entries = update_candidates(evaluation, all_systems())
        others = [e for e in all_systems() if e not in self.entries]
        self.choice.addItem("（请选择）", None)
        for entry in self.entries + others:
            kind = "内置" if entry.builtin else "我的"
            self.choice.addItem(f"[{kind}] {entry.name}{f' {entry.year}' if entry.year else ''}",
                                entry)
        self.choice.currentIndexChanged.connect(self._chosen)
        row.addWidget(self.choice, 1)
        pick = QPushButton("从文件选择…")
        pick.clicked.connect(lambda: self.choose_file())
        row.addWidget(pick)
        layout.addLayout(row)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.summary)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("changes")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox()
        self.ok = buttons.addButton("更新为此版本", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("不更新", QDialogButtonBox.ButtonRole.RejectRole)
        self.ok.setEnabled(False)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        if self.entries:
            self.choice.setCurrentIndex(1)

    def _chosen(self) -> None:
        entry: SystemEntry | None = self.choice.currentData()
        if entry is None:
            self.show_plan(None)
            return
        self.use_path(entry.path)

    def choose_file(self, path: str | Path | None = None) -> None:
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "选择指标体系文件", str(Path.home()),
                                                    "指标体系文件 (*.json);;所有文件 (*)")
            if not chosen:
                return
            path = chosen
        self.use_path(Path(path))

    def use_path(self, path: Path) -> None:
        try:
            system, problems = read_system_path(path)
        except SystemFileError as exc:
            messages.error(self, str(exc), title="无法使用此指标体系")
            self.show_plan(None)
            return
        if problems:
            lines = "\n".join(p.message for p in problems[:8])
            messages.error(self, f"指标体系“{system.name}”还有 {len(problems)} 处问题（草稿），"
                           f"不能用于评分：\n{lines}", title="无法使用此指标体系")
            self.show_plan(None)
            return
        self.use_system(system)

    def use_system(self, system: System) -> None:
        self.show_plan(plan_update(self.evaluation, system))

    def show_plan(self, plan: SystemUpdate | None) -> None:
        self.plan = plan
        self.table.setRowCount(0)
        self.ok.setEnabled(plan is not None and bool(plan.differences))
        if plan is None:
            self.summary.setText("")
            return
        b, a = plan.before, plan.after
        diff = a.total - b.total
        sign = "+" if diff > 0 else ""
        text = (f"自评得分 {b.total}（{b.grade}）→ {a.total}（{a.grade}），变化 {sign}{diff}。"
                f"新增 {sum(c.kind == ADDED for c in plan.changes)} 个、删除 "
                f"{sum(c.kind == REMOVED for c in plan.changes)} 个、修改 "
                f"{sum(c.kind not in (ADDED, REMOVED, KEPT) for c in plan.changes)} 个三级指标。")
        if plan.dropped_values:
            text += f"\n删除的指标已填写的内容（{len(plan.dropped_values)} 项）将不再保留。"
        if plan.kept_custom:
            text += f"\n保留本单位自定义的指标：{'、'.join(plan.kept_custom)}。"
        if not plan.differences:
            text = "这个版本与本评价所用的指标体系相同，无需更新。"
        self.summary.setText(text)
        rows = [c for c in plan.changes if c.kind != KEPT]
        self.table.setRowCount(len(rows))
        for r, change in enumerate(rows):
            cells = (change.name, change.description,
                     f"{_w(change.old_weight)} → {_w(change.new_weight)}",
                     f"{_s(change.old_score)} → {_s(change.new_score)}")
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                colour = _COLOURS.get(change.kind)
                if colour:
                    item.setForeground(QBrush(QColor(colour)))
                self.table.setItem(r, c, item)

    def _accept(self) -> None:
        if self.plan is None or not self.plan.differences:
            return
        if self.plan.dropped_values and not messages.confirm(
                self, f"更新后，{len(self.plan.dropped_values)} 个被删除指标已填写的内容将不再保留。"
                      f"确定更新吗？", yes="更新"):
            return
        self.accept()

    def result_evaluation(self) -> Evaluation | None:
        return self.plan.updated if self.plan is not None else None


def offer_system_update(parent: QWidget | None, evaluation: Evaluation) -> Evaluation | None:
    """The updated evaluation, or None if the clerk declines."""
    dialog = SystemUpdateDialog(evaluation, parent)
    if dialog.exec() == QDialog.DialogCode.Accepted:
        return dialog.result_evaluation()
    return None
