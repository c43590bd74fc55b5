"""重点工作任务 and 项目支出: growing tables with add/remove buttons.

Long texts (a task's target and result) are awkward in a cell, so the current
row's texts are also shown below the table in growing fields.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Generic, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from forms import carry_over
from forms.address import Address, FieldAddress, RowCell
from forms.budget import rate
from forms.model import Evaluation, Project, Task
from forms.report_data import projects_summary

from desktop.form.document import Document
from desktop.common.messages import confirm
from desktop.form.stale_cells import STALE_ROLE, StaleCellDelegate
from desktop.form.table_view import FormTable
from desktop.form.records import CellValue, with_cells
from desktop.form.tables import AMOUNT, RATE, Column, FormTableModel, GridCell, Index
from desktop.common.widgets import CountedText, ReadOnlyText
from desktop.form.pages.base import Page, hint, subheading



Item = TypeVar("Item", Task, Project)


class _ListModel(FormTableModel, Generic[Item]):
    """Rows are the items of a tuple field of the evaluation (tasks or projects)."""

    can_grow = True
    noun = ""

    # ---- what a table of items says: its items, and a snapshot holding other items
    def items(self, ev: Evaluation) -> tuple[Item, ...]:
        raise NotImplementedError

    def with_items(self, ev: Evaluation, items: tuple[Item, ...]) -> Evaluation:
        raise NotImplementedError

    def new_item(self) -> Item:
        raise NotImplementedError

    def row_count(self, ev: Evaluation) -> int:
        return len(self.items(ev))

    def cell(self, ev: Evaluation, row: int, key: str) -> CellValue:
        value: CellValue = getattr(self.items(ev)[row], key)
        return value

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != STALE_ROLE:
            return super().data(index, role)
        if not index.isValid():
            return None
        ev = self.document.evaluation
        path = self.path(index.row(), self.columns[index.column()].key)
        return ev.department.year if path in carry_over.carried(ev) else None

    def with_cells(self, ev: Evaluation, row: int, values: dict[str, CellValue]) -> Evaluation:
        items = list(self.items(ev))
        items[row] = with_cells(items[row], values)
        return self.with_items(ev, tuple(items))

    def with_rows(self, ev: Evaluation, count: int) -> Evaluation:
        items = list(self.items(ev))
        items += [self.new_item() for _ in range(count - len(items))]
        return self.with_items(ev, tuple(items[:count]))

    def insert_row(self, at: int) -> None:
        ev = self.document.evaluation
        items = list(self.items(ev))
        items.insert(at, self.new_item())
        moved = ev.with_rows_moved(self.section, {i: i + (i >= at) for i in range(len(items))})
        self.document.apply(self.with_items(moved, tuple(items)), f"插入{self.noun}",
                            path=RowCell(self.section, at), rows_moved=True)

    def remove_rows(self, rows: list[int]) -> None:
        ev = self.document.evaluation
        drop = set(rows)
        kept = [i for i in range(len(self.items(ev))) if i not in drop]
        items = tuple(self.items(ev)[i] for i in kept)
        moved = ev.with_rows_moved(self.section, {old: new for new, old in enumerate(kept)})
        names = [self.items(ev)[i].name.strip() for i in sorted(drop)
                 if 0 <= i < len(self.items(ev))]
        what = f"删除{self.noun}“{names[0]}”" if len(names) == 1 and names[0] else (
            f"删除 {len(names)} 行{self.noun}" if len(names) > 1 else f"删除{self.noun}")
        self.document.apply(self.with_items(moved, items), what,
                            path=RowCell(self.section, min(drop)) if drop else None,
                            rows_moved=True)

    def address(self, row: int, key: str) -> RowCell:
        return RowCell(self.section, row, key)

    def cells_for(self, address: Address) -> list[GridCell]:
        if not isinstance(address, RowCell) or address.table != self.section:
            return []
        key = address.column or self.columns[0].key
        if key not in {c.key for c in self.columns}:
            key = self.columns[0].key
        return [GridCell(address.index, key)]


class TasksModel(_ListModel[Task]):
    section = "tasks"
    noun = "任务"
    columns = (
        Column("name", "重点工作任务", width=220),
        Column("target", "绩效目标"),
        Column("result", "完成情况"),
    )

    def items(self, ev: Evaluation) -> tuple[Task, ...]:
        return ev.tasks

    def with_items(self, ev: Evaluation, items: tuple[Task, ...]) -> Evaluation:
        return replace(ev, tasks=items)

    def new_item(self) -> Task:
        return Task()


class ProjectsModel(_ListModel[Project]):
    section = "projects"
    noun = "项目"
    columns = (
        Column("name", "项目名称", width=230),
        Column("budget", "全年预算数（万元）", AMOUNT, width=140),
        Column("executed", "全年执行数（万元）", AMOUNT, width=140),
        Column("rate", "执行率", RATE, computed="全年执行数 / 全年预算数 × 100%", width=90),
        Column("result", "绩效目标完成情况"),
    )

    def items(self, ev: Evaluation) -> tuple[Project, ...]:
        return ev.projects

    def with_items(self, ev: Evaluation, items: tuple[Project, ...]) -> Evaluation:
        return replace(ev, projects=items)

    def new_item(self) -> Project:
        return Project()

    def cell(self, ev: Evaluation, row: int, key: str) -> CellValue:
        project = self.items(ev)[row]
        if key == "rate":
            return rate(project.executed, project.budget)
        return super().cell(ev, row, key)


class _RowsPage(Page):
    model_type: type[TasksModel] | type[ProjectsModel]
    intro = ""
    detail: tuple[tuple[str, str], ...] = ()  # (key, label) of long texts shown below

    def __init__(self, document: Document, parent: QWidget | None = None):
        super().__init__(document, parent)
        body = self.scroll_body()
        body.addWidget(hint(self.intro))
        self.model: TasksModel | ProjectsModel = self.model_type(document, self)
        self.table: FormTable = FormTable(self.model, self)
        self.table.setItemDelegate(StaleCellDelegate(self.table))
        self.table.setObjectName(f"{self.section}.table")
        # a height of its own (it scrolls inside): were it stretched over the page's spare
        # room, a text or message growing below would shrink it and move every field
        self.table.setMinimumHeight(220)
        self.table.setFixedHeight(280)
        self.table.on_insert = self.insert_below
        self.table.on_remove = self.remove_selected
        body.addWidget(self.table)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(f"添加{self.model.noun}", self)
        self.remove_button = QPushButton(f"删除所选{self.model.noun}", self)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        body.addLayout(buttons)
        self.detail_title = subheading("")
        body.addWidget(self.detail_title)
        self.details: dict[str, CountedText] = {}
        for key, label in self.detail:
            body.addWidget(hint(label))
            text = CountedText(self, min_lines=2, max_lines=8)
            text.setObjectName(f"{self.section}.detail.{key}")
            text.edited.connect(lambda value, k=key: self._detail_edited(k, value))
            self.details[key] = text
            body.addWidget(text)
        self.extra_widgets(body)
        body.addStretch(1)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._load_detail())
        self.refresh()

    def extra_widgets(self, body: QVBoxLayout) -> None:
        pass

    def document_switched(self) -> None:
        self.model.document = self.document

    def current_row(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def add_row(self) -> None:
        row = self.model.add_row()
        self.table.focus_cell(row, self.model.columns[0].key)

    def insert_below(self) -> None:
        row = self.current_row()
        at = row + 1 if row >= 0 else self.model.rowCount()
        self.model.insert_row(at)
        self.table.focus_cell(at, self.model.columns[0].key)

    def remove_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedIndexes()}
                      or ({self.current_row()} - {-1}))
        if not rows:
            return
        items = self.model.items(self.document.evaluation)
        names = "、".join((items[r].name or f"第 {r + 1} 行") for r in rows[:3])
        more = f"等 {len(rows)} 个" if len(rows) > 3 else ""
        text = (f"删除{self.model.noun}“{names}”{more}？该行填写的内容将一并删除"
                "（可用 Ctrl+Z 撤销）。")
        if confirm(self, text, yes=f"删除{self.model.noun}", no="取消", title="删除确认"):
            self.model.remove_rows(rows)

    def _detail_edited(self, key: str, value: str) -> None:
        row = self.current_row()
        if row < 0:
            return
        ev = self.model.with_cells(self.document.evaluation, row, {key: value})
        self.document.apply(ev, f"修改{self.model.noun}", merge_key=RowCell(self.section, row, key))

    def _load_detail(self) -> None:
        row = self.current_row()
        items = self.model.items(self.document.evaluation)
        has_row = 0 <= row < len(items)
        name = (items[row].name or f"第 {row + 1} 行") if has_row else ""
        self.detail_title.setText(f"当前{self.model.noun}：{name}" if has_row
                                  else "（选中一行后可在此编辑较长的文字）")
        carried = carry_over.carried(self.document.evaluation)
        year = self.document.evaluation.department.year
        for key, text in self.details.items():
            text.setEnabled(has_row)
            shown = self.model.cell(self.document.evaluation, row, key) if has_row else ""
            text.set_text(shown if isinstance(shown, str) else "")
            # a copied text shows last year's years and rates, here as in its cell
            stale = has_row and str(RowCell(self.section, row, key)) in carried
            text.field.set_stale_year(year if stale else None)

    def load(self, ev: Evaluation) -> None:
        self.model.refresh()
        self.remove_button.setEnabled(self.model.rowCount() > 0)
        self._load_detail()

    def focus(self, address: Address) -> bool:
        self.ensure_fresh()
        cells = self.model.cells_for(address)
        if not cells and address == FieldAddress(self.section):
            # the table as a whole (e.g. no project listed yet): its first cell
            if self.model.rowCount() == 0:
                self.scroll_to(self.table)
                self.table.setFocus()
                return True
            cells = [GridCell(0, self.model.columns[0].key)]
        if not cells:
            return False
        self.scroll_to(self.table)
        return self.table.focus_cell(*cells[0])


class TasksPage(_RowsPage):
    title = "重点工作任务"
    section = "tasks"
    model_type = TasksModel
    intro = "每行一项年度重点工作任务。可从 Excel / WPS 复制多行后按 Ctrl+V 粘贴，行数不够时自动添加。"
    detail = (("target", "绩效目标"), ("result", "完成情况"))


class ProjectsPage(_RowsPage):
    title = "项目支出"
    section = "projects"
    model_type = ProjectsModel
    intro = "逐个列出项目的全年预算数和执行数，执行率自动计算。可从 Excel / WPS 粘贴整块数据。"
    detail = (("result", "绩效目标完成情况"),)

    def extra_widgets(self, body: QVBoxLayout) -> None:
        body.addWidget(subheading("报告中的表述（自动生成，只读）"))
        self.sentence = ReadOnlyText(self)
        body.addWidget(self.sentence)

    def load(self, ev: Evaluation) -> None:
        super().load(ev)
        self.sentence.set_text(projects_summary(ev) or "（填写项目后，这里显示报告中的表述。）")
