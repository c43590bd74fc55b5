"""The main window's commands: its actions, menus and toolbar, with their keys.

``WindowActions`` is a part of ``MainWindow``: it makes one ``QAction`` a command,
the menu bar and the toolbar, and knows which commands need an open evaluation
(``set_document_open``) and which write, export or print it (``set_view_only``).
It triggers nothing itself: the window connects each action's ``triggered`` signal
to the part that does the work, so this module knows no other part.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QMainWindow, QToolBar

from forms.validation import SECTIONS

Key = QKeySequence.StandardKey | str | Sequence[str] | None


class WindowActions:
    """Every command of the main window, in its menu and (some) on the toolbar."""

    def __init__(self, window: QMainWindow, undo_group: QUndoGroup):
        self._window = window
        a = self._action
        self.library = a("打开…", QKeySequence.StandardKey.Open,
                         "评价库：打开、新建、删除、导入或导出评价")
        self.new = a("新建…", QKeySequence.StandardKey.New, "按指标体系新建一份自评")
        self.next_year = a("新建下一年度",
                           tip="沿用本评价的单位、指标体系和文字，新建下一年度的自评")
        self.save = a("立即保存", QKeySequence.StandardKey.Save,
                      "修改本来就会自动保存；此命令立即保存")
        self.import_package = a("导入评价包…")
        self.export_package = a("导出评价包…")
        self.restore = a("恢复备份…", tip="从自动备份中恢复整个评价库或其中的评价")
        self.export_library = a("导出整个评价库…",
                                tip="把全部评价的评价包存入一个压缩文件，以便搬到另一台电脑")
        self.quit = a("退出", "Ctrl+Q")
        self.review = a("审核多个单位…",
                        tip="财政局：汇总审核各单位报来的自评表，重算得分并标出问题")

        self.undo = undo_group.createUndoAction(window, "撤销")
        self.undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.redo = undo_group.createRedoAction(window, "重做")
        self.redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.history = a("撤销记录…", tip="本次打开以来的每一步修改，可回到任意一步")

        # 视图 › one command a section (Ctrl+1 …); the index is the section's place in the list
        self.sections = [a(title, f"Ctrl+{index + 1}")
                         for index, (_key, title) in enumerate(SECTIONS)]
        self.toggle_issues = QAction("问题面板", window)
        self.toggle_issues.setCheckable(True)
        self.toggle_issues.setChecked(True)

        self.export_excel = a("导出Excel…", tip="导出 Excel 自评表")
        self.export_pdf = a("导出PDF…", tip="导出 PDF 自评报告")
        self.export_docx = a("导出Word…", tip="导出 Word 自评报告（可编辑）")
        self.report_options = a("报告选项…", tip="报告的提纲、包含的部分、图表和附件")
        self.print = a("打印…", QKeySequence.StandardKey.Print, "打印自评报告")
        self.import_excel = a("导入Excel…", tip="把本程序导出的 Excel 自评表读回为一份新的评价")
        self.fill_template = a("填写财政局模板…",
                               tip="把本评价的数据填入财政局自己的 Excel 模板（另存一份，模板不变）")
        self.pack = a("生成报送包…",
                      tip="PDF 报告、Word 报告、自评表、佐证材料和清单，打成一个 zip 报送")
        self.export_layout = a("导出为预算系统导入表…",
                               tip="按预算管理一体化系统的导入表格式导出（可再导入本程序）")

        self.edit_system = a("编辑指标体系…", tip="查看、修改和导入指标体系")
        self.update_system = a("更新本评价的指标体系…",
                               tip="把本评价换用新版的指标体系，保留已填的指标")

        self.help = a("使用说明", QKeySequence.StandardKey.HelpContents)
        if self.help.shortcut().isEmpty():
            self.help.setShortcut(QKeySequence("F1"))
        self.about = a("关于")

        self._build_menus()
        self.toolbar, self.tb_undo, self.tb_redo = self._build_toolbar(undo_group)
        # Shortcuts work even with the menu bar hidden or a menu never opened.
        window.addActions([self.library, self.new, self.save, self.quit, self.undo, self.redo,
                           self.print, self.help, *self.sections])

    def _action(self, text: str, shortcut: Key = None, tip: str = "") -> QAction:
        action = QAction(text, self._window)
        if isinstance(shortcut, str | QKeySequence.StandardKey):
            action.setShortcut(QKeySequence(shortcut))
        elif shortcut is not None:
            action.setShortcuts([QKeySequence(s) for s in shortcut])
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        return action

    # ------------------------------------------------------------ which are on

    def needing_document(self) -> list[QAction]:
        """The commands that act on the open evaluation: off while none is open."""
        return [self.next_year, self.save, self.export_package, self.history,
                self.update_system, self.export_excel, self.export_pdf, self.export_docx,
                self.print, self.fill_template, self.pack, self.export_layout,
                self.report_options, *self.sections]

    def writing(self) -> list[QAction]:
        """What writes, exports or prints the evaluation: off while it is only read."""
        return [self.save, self.next_year, self.export_package, self.history,
                self.update_system, self.export_excel, self.export_pdf, self.export_docx,
                self.print, self.fill_template, self.pack, self.export_layout,
                self.report_options, self.import_excel]

    def set_document_open(self, is_open: bool, can_save: bool) -> None:
        for action in self.needing_document():
            action.setEnabled(is_open)
        self.save.setEnabled(is_open and can_save)

    def set_view_only(self, view_only: bool) -> None:
        """A document only to read turns off what writes it; its end brings 导入Excel back
        (the others follow ``set_document_open``)."""
        if view_only:
            for action in self.writing():
                action.setEnabled(False)
        else:
            self.import_excel.setEnabled(True)

    def say_library_read_only(self) -> None:
        self.save.setToolTip("数据库是只读的，修改不会被保存")

    # ------------------------------------------------------------ menus and toolbar

    def _build_menus(self) -> None:
        bar = self._window.menuBar()
        m = bar.addMenu("文件(&F)")
        m.addAction(self.new)
        m.addAction(self.library)
        m.addAction(self.next_year)
        m.addSeparator()
        m.addAction(self.save)
        m.addSeparator()
        m.addAction(self.import_package)
        m.addAction(self.export_package)
        m.addAction(self.import_excel)
        m.addAction(self.fill_template)
        m.addAction(self.pack)
        m.addSeparator()
        m.addAction(self.export_library)
        m.addAction(self.restore)
        m.addSeparator()
        m.addAction(self.review)
        m.addSeparator()
        m.addAction(self.quit)
        m = bar.addMenu("编辑(&E)")
        m.addAction(self.undo)
        m.addAction(self.redo)
        m.addAction(self.history)
        m = bar.addMenu("视图(&V)")
        for action in self.sections:
            m.addAction(action)
        m.addSeparator()
        m.addAction(self.toggle_issues)
        m = bar.addMenu("导出(&X)")
        m.addAction(self.export_excel)
        m.addAction(self.export_pdf)
        m.addAction(self.export_docx)
        m.addAction(self.export_layout)
        m.addAction(self.report_options)
        m.addSeparator()
        m.addAction(self.print)
        m = bar.addMenu("指标体系(&S)")
        m.addAction(self.edit_system)
        m.addAction(self.update_system)
        m = bar.addMenu("帮助(&H)")
        m.addAction(self.help)
        m.addAction(self.about)

    def _build_toolbar(self, undo_group: QUndoGroup) -> tuple[QToolBar, QAction, QAction]:
        bar = QToolBar("工具栏")
        bar.setObjectName("toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.setIconSize(QSize(16, 16))
        self.new.setIconText("新建")
        self.library.setIconText("打开")
        for action in (self.new, self.library):
            bar.addAction(action)
        bar.addSeparator()
        # Fixed texts on the toolbar (the menu says what would be undone): no jumping buttons.
        tb_undo = QAction("撤销", self._window)
        tb_undo.triggered.connect(undo_group.undo)
        tb_redo = QAction("重做", self._window)
        tb_redo.triggered.connect(undo_group.redo)
        for action, can, text in ((tb_undo, undo_group.canUndoChanged,
                                   undo_group.undoTextChanged),
                                  (tb_redo, undo_group.canRedoChanged,
                                   undo_group.redoTextChanged)):
            action.setEnabled(False)
            can.connect(action.setEnabled)
            verb = action.text()
            text.connect(lambda what, a=action, v=verb: a.setToolTip(f"{v}：{what}" if what else v))
            bar.addAction(action)
        bar.addSeparator()
        self.export_excel.setIconText("导出Excel")
        self.export_pdf.setIconText("导出PDF")
        self.export_docx.setIconText("导出Word")
        self.print.setIconText("打印")
        for action in (self.export_excel, self.export_pdf, self.export_docx, self.print):
            bar.addAction(action)
        self._window.addToolBar(bar)
        return bar, tb_undo, tb_redo
