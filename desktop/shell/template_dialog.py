"""文件 › 填写财政局模板…: the bureau's own template filled with the open evaluation's figures.

The clerk picks the template; the program proposes where each figure goes
(``exports.template_fill.propose``) or takes the mapping kept for that template,
and shows it as a table: 数据项, 数值, 工作表, 单元格, 说明.  The clerk corrects a
cell by typing its coordinate (B5) or clears it; a figure the program could not place
shows why.  On 填写 the mapping is kept in the data folder for this template's layout
and the figures are written into a copy; the template itself is never written.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.common import messages
from desktop.common.screen import fit_to_screen
from desktop.shell.export_actions import ExportActions
from exports.template_fill import (
    FORMULA,
    Figure,
    Placement,
    Proposal,
    parse_coord,
)

COLUMNS = ("数据项", "数值", "工作表", "单元格", "说明")
COL_SHEET, COL_CELL, COL_NOTE = 2, 3, 4
INVALID_BRUSH = QBrush(QColor("#fde2e1"))


def _shown(fig: Figure) -> str:
    value = fig.value
    if value is None:
        return "（无）"
    if isinstance(value, Decimal) and fig.kind == "rate":
        return f"{value * 100:.2f}%"
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


class TemplateFillDialog(QDialog):
    """The proposed mapping as an editable table; ``placements()`` gives the clerk's."""

    def __init__(self, parent: QWidget | None, template_name: str, proposal: Proposal,
                 figures: Sequence[Figure], placements: Sequence[Placement], remembered: bool):
        super().__init__(parent)
        self.setWindowTitle(f"填写财政局模板：{template_name}")
        self.proposal = proposal
        self.figures = list(figures)
        by_key: dict[str, list[Placement]] = {}
        for p in placements:
            by_key.setdefault(p.key, []).append(p)
        self._placed = by_key
        self._reasons = {u.key: u.reason for u in proposal.unplaced}
        layout = QVBoxLayout(self)
        placed = sum(len(v) for v in by_key.values())
        head = (f"已按{'上次保存的对应关系' if remembered else '模板中的标签'}找到 {placed} 处。"
                "请核对：单元格可直接改写（如 B5），清空即不填写该项。模板本身不会被改动。")
        self.summary = QLabel(head)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        for note in proposal.notes:
            label = QLabel("注意：" + note)
            label.setWordWrap(True)
            layout.addWidget(label)
        self.show_all = QCheckBox("显示模板没有要求的数据项（可手动指定位置）")
        self.show_all.toggled.connect(self._filter)
        layout.addWidget(self.show_all)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_NOTE, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self._rows: list[tuple[Figure, int]] = []  # (figure, occurrence) per table row
        self._fill_table()
        self.table.itemChanged.connect(self._check_cell)
        buttons = QDialogButtonBox(self)
        self.ok = buttons.addButton("填写并另存…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_to_screen(self, 880, 560)
        self._filter(False)

    def _fill_table(self) -> None:
        rows: list[tuple[Figure, Placement | None]] = []
        for fig in self.figures:
            places: list[Placement | None] = [*self._placed.get(fig.key, [])] or [None]
            rows += [(fig, p) for p in places]
        self.table.setRowCount(len(rows))
        sheets = list(self.proposal.sheets)
        for r, (fig, place) in enumerate(rows):
            self._rows.append((fig, r))
            for c, text in ((0, fig.label), (1, _shown(fig))):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
            combo = QComboBox()
            combo.addItems(sheets)
            if place is not None and place.sheet in sheets:
                combo.setCurrentText(place.sheet)
            combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.table.setCellWidget(r, COL_SHEET, combo)
            self.table.setItem(r, COL_CELL, QTableWidgetItem(place.cell if place else ""))
            reason = self._reasons.get(fig.key, "")
            note = place.how if place else (reason.replace(FORMULA, "模板公式计算：")
                                            if reason else "模板中未找到")
            item = QTableWidgetItem(note)
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            item.setToolTip(note)
            self.table.setItem(r, COL_NOTE, item)

    def _asked(self, row: int) -> bool:
        """A row the template asks for: placed, or not placed for a stated reason."""
        fig = self._rows[row][0]
        cell = self.table.item(row, COL_CELL)
        return bool(cell and cell.text().strip()) or fig.key in self._reasons

    def _filter(self, show_all: bool) -> None:
        for row in range(self.table.rowCount()):
            self.table.setRowHidden(row, not show_all and not self._asked(row))

    def _check_cell(self, item: QTableWidgetItem) -> None:
        if item.column() != COL_CELL:
            return
        text = item.text().strip()
        bad = bool(text) and parse_coord(text) is None
        item.setBackground(INVALID_BRUSH if bad else QBrush())
        item.setToolTip("不是单元格位置：请写成 B5 这样的列字母加行号" if bad else "")
        self.ok.setEnabled(not any(self._bad(r) for r in range(self.table.rowCount())))

    def _bad(self, row: int) -> bool:
        item = self.table.item(row, COL_CELL)
        text = item.text().strip() if item else ""
        return bool(text) and parse_coord(text) is None

    def placements(self) -> list[Placement]:
        out = []
        for row, (fig, _) in enumerate(self._rows):
            item = self.table.item(row, COL_CELL)
            text = item.text().strip().upper() if item else ""
            combo = self.table.cellWidget(row, COL_SHEET)
            if not text or parse_coord(text) is None or not isinstance(combo, QComboBox):
                continue
            out.append(Placement(fig.key, combo.currentText(), text.replace("$", ""), "手动"))
        return out


def default_output_name(template: Path) -> str:
    return f"{template.stem}（已填写）.xlsx"


def fill_template(actions: ExportActions) -> None:
    """文件 › 填写财政局模板…: choose the template, check the mapping, save the filled copy."""
    evaluation = actions.evaluation_to_export()
    if evaluation is None:
        return
    chosen = actions.ask_open_path("选择财政局的 Excel 模板", actions.folder(),
                                   "Excel 模板 (*.xlsx *.xlsm)")
    if not chosen:
        return
    template = Path(chosen)
    from exports.template_fill import (
        TemplateError,
        figures,
        mapping_json,
        mapping_path,
        propose,
        read_mapping,
    )
    from forms.files import ReadFailed, read_bounded, write_atomic
    from forms.paths import user_templates_dir
    from forms.scoring import score

    result = score(evaluation)
    try:
        data = read_bounded(template, 20 * 1024 * 1024, "模板")
        proposal = propose(data, evaluation, result)
        kept = mapping_path(user_templates_dir(), proposal)
        remembered = kept.is_file()
        placements = (read_mapping(read_bounded(kept, 4 * 1024 * 1024).decode("utf-8", "replace"))
                      if remembered else list(proposal.placements))
    except (TemplateError, ReadFailed) as exc:
        messages.error(actions.window, f"无法使用这份模板：{exc}", title="填写财政局模板")
        return
    dialog = TemplateFillDialog(actions.window, template.name, proposal,
                                figures(evaluation, result), placements, remembered)
    if not actions.run_dialog(dialog):
        return
    placements = dialog.placements()
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(kept, mapping_json(proposal, placements, template.name).encode("utf-8"))
    except OSError as exc:
        actions.say(f"对应关系未能保存（{exc}），下次需重新核对")
    target = actions.ask_target("保存填好的模板", default_output_name(template), ".xlsx",
                                "Excel 工作簿 (*.xlsx)", also=[template])
    if target is None:  # not chosen, or the template itself (or the database): refused
        return

    def work() -> tuple[Path, int, int]:
        from exports.template_fill import fill

        filled = fill(data, evaluation, placements, result)
        write_atomic(target, filled.data, [*actions.inputs(), template])
        return target, len(filled.written), len(filled.skipped)

    def done(outcome: tuple[Path, int, int]) -> None:
        path, written, skipped = outcome
        note = f"（填写了 {written} 处" + (f"，{skipped} 处没有数值未填" if skipped else "") + "）"
        actions.tell_exported(path, [], note)

    actions.run_job("正在填写财政局模板…", work, done)
