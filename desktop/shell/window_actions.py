"""The main window's commands: its actions, menus and toolbar, with their keys.

``WindowActionsMixin`` is mixed into ``MainWindow``: it makes the ``act_*`` actions
(each triggering one of the window's slots), the menu bar and the toolbar. The
actions that need an open evaluation are listed in ``_document_actions``; the
window enables them when one is shown.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QToolBar

from desktop.shell.export_actions import ExportActions
from desktop.form.issues_panel import IssuesPanel
from forms.validation import SECTIONS


class WindowActionsMixin:
    """Every command of the main window, in its menu and (some) on the toolbar."""

    # provided by the window (with the slots the actions trigger)
    undo_group: QUndoGroup
    issues_panel: IssuesPanel
    exports: ExportActions

    def _action(self, text: str, slot: Callable[[], Any], shortcut: Any = None,
                tip: str = "") -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        if shortcut is not None:
            if isinstance(shortcut, (list, tuple)):
                action.setShortcuts([QKeySequence(s) for s in shortcut])
            else:
                action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.act_library = a("打开…", self.show_library, QKeySequence.StandardKey.Open,
                             "评价库：打开、新建、删除、导入或导出评价")
        self.act_new = a("新建…", self.new_evaluation, QKeySequence.StandardKey.New,
                         "按指标体系新建一份自评")
        self.act_next_year = a("新建下一年度", self.start_next_year,
                               tip="沿用本评价的单位、指标体系和文字，新建下一年度的自评")
        self.act_save = a("立即保存", self.save_and_say, QKeySequence.StandardKey.Save,
                          "修改本来就会自动保存；此命令立即保存")
        self.act_import_package = a("导入评价包…", self.import_package)
        self.act_export_package = a("导出评价包…", self.export_package)
        self.act_restore = a("恢复备份…", self.show_restore,
                             tip="从自动备份中恢复整个评价库或其中的评价")
        self.act_export_library = a("导出整个评价库…", self.export_library,
                                    tip="把全部评价的评价包存入一个压缩文件，以便搬到另一台电脑")
        self.act_quit = a("退出", self.close, "Ctrl+Q")
        self.act_review = a("审核多个单位…", self.show_review,
                            tip="财政局：汇总审核各单位报来的自评表，重算得分并标出问题")

        self.act_undo = self.undo_group.createUndoAction(self, "撤销")
        self.act_undo.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.act_redo = self.undo_group.createRedoAction(self, "重做")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Y"), QKeySequence("Ctrl+Shift+Z")])
        self.act_history = a("撤销记录…", self.show_history,
                             tip="本次打开以来的每一步修改，可回到任意一步")

        self.act_sections: list[QAction] = []
        for index, (_key, title) in enumerate(SECTIONS):
            action = a(title, lambda i=index: self.show_section(i), f"Ctrl+{index + 1}")
            self.act_sections.append(action)
        self.act_toggle_issues = QAction("问题面板", self, checkable=True, checked=True)
        self.act_toggle_issues.toggled.connect(self.issues_panel.setVisible)

        self.act_export_excel = a("导出Excel…", lambda: self.exports.export_excel(),
                                  tip="导出 Excel 自评表")
        self.act_export_pdf = a("导出PDF…", lambda: self.exports.export_pdf(),
                                tip="导出 PDF 自评报告")
        self.act_export_docx = a("导出Word…", lambda: self.exports.export_docx(),
                                 tip="导出 Word 自评报告（可编辑）")
        self.act_report_options = a("报告选项…", self.edit_report_options,
                                    tip="报告的提纲、包含的部分、图表和附件")
        self.act_print = a("打印…", lambda: self.exports.print_report(),
                           QKeySequence.StandardKey.Print, "打印自评报告")
        self.act_import_excel = a("导入Excel…", lambda: self.exports.import_excel(),
                                  tip="把本程序导出的 Excel 自评表读回为一份新的评价")
        self.act_fill_template = a("填写财政局模板…", self.fill_bureau_template,
                                   tip="把本评价的数据填入财政局自己的 Excel 模板（另存一份，模板不变）")
        self.act_pack = a("生成报送包…", self.make_submission_pack,
                          tip="PDF 报告、Word 报告、自评表、佐证材料和清单，打成一个 zip 报送")
        self.act_export_layout = a("导出为预算系统导入表…", self.export_exchange_layout,
                                   tip="按预算管理一体化系统的导入表格式导出（可再导入本程序）")
        self.export_actions_list = [self.act_export_excel, self.act_export_pdf,
                                    self.act_export_docx, self.act_print,
                                    self.act_import_excel]

        self.act_edit_system = a("编辑指标体系…", self.edit_systems,
                                 tip="查看、修改和导入指标体系")
        self.act_update_system = a("更新本评价的指标体系…", self.update_system,
                                   tip="把本评价换用新版的指标体系，保留已填的指标")

        self.act_help = a("使用说明", self.show_help, QKeySequence.StandardKey.HelpContents)
        if self.act_help.shortcut().isEmpty():
            self.act_help.setShortcut(QKeySequence("F1"))
        self.act_about = a("关于", self.show_about)
        self._document_actions = [self.act_next_year, self.act_save, self.act_export_package,
                                  self.act_history,
                                  self.act_update_system, self.act_export_excel,
                                  self.act_export_pdf, self.act_export_docx, self.act_print,
                                  self.act_fill_template, self.act_pack, self.act_export_layout,
                                  self.act_report_options, *self.act_sections]

    def fill_bureau_template(self) -> None:
        from desktop.shell.template_dialog import fill_template

        fill_template(self.exports)

    def make_submission_pack(self) -> None:
        from desktop.shell.pack_action import make_pack

        # the pack names the revision it was made from: save what is on screen first
        saved = self.document is not None and self.save_now()
        make_pack(self.exports, self.document.revision if saved and self.document else None)

    def export_exchange_layout(self) -> None:
        from desktop.shell.pack_action import export_layout

        export_layout(self.exports, self.choose_layout)

    def choose_layout(self, choices: list[tuple[str, str]]) -> str | None:
        """Which exchange layout, when there are several (tests replace this)."""
        from PySide6.QtWidgets import QInputDialog

        names = [name for _id, name in choices]
        name, ok = QInputDialog.getItem(self, "导出为预算系统导入表", "交换格式：", names, 0, False)
        return next((i for i, n in choices if n == name), None) if ok else None

    def _build_menus(self) -> None:
        bar = self.menuBar()
        m = bar.addMenu("文件(&F)")
        m.addAction(self.act_new)
        m.addAction(self.act_library)
        m.addAction(self.act_next_year)
        m.addSeparator()
        m.addAction(self.act_save)
        m.addSeparator()
        m.addAction(self.act_import_package)
        m.addAction(self.act_export_package)
        m.addAction(self.act_import_excel)
        m.addAction(self.act_fill_template)
        m.addAction(self.act_pack)
        m.addSeparator()
        m.addAction(self.act_export_library)
        m.addAction(self.act_restore)
        m.addSeparator()
        m.addAction(self.act_review)
        m.addSeparator()
        m.addAction(self.act_quit)
        m = bar.addMenu("编辑(&E)")
        m.addAction(self.act_undo)
        m.addAction(self.act_redo)
        m.addAction(self.act_history)
        m = bar.addMenu("视图(&V)")
        for action in self.act_sections:
            m.addAction(action)
        m.addSeparator()
        m.addAction(self.act_toggle_issues)
        m = bar.addMenu("导出(&X)")
        m.addAction(self.act_export_excel)
        m.addAction(self.act_export_pdf)
        m.addAction(self.act_export_docx)
        m.addAction(self.act_export_layout)
        m.addAction(self.act_report_options)
        m.addSeparator()
        m.addAction(self.act_print)
        m = bar.addMenu("指标体系(&S)")
        m.addAction(self.act_edit_system)
        m.addAction(self.act_update_system)
        m = bar.addMenu("帮助(&H)")
        m.addAction(self.act_help)
        m.addAction(self.act_about)

    def _build_toolbar(self) -> None:
        bar = QToolBar("工具栏")
        bar.setObjectName("toolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        bar.setIconSize(QSize(16, 16))
        self.act_new.setIconText("新建")
        self.act_library.setIconText("打开")
        for action in (self.act_new, self.act_library):
            bar.addAction(action)
        bar.addSeparator()
        # Fixed texts on the toolbar (the menu says what would be undone): no jumping buttons.
        self.tb_undo = QAction("撤销", self)
        self.tb_undo.triggered.connect(self.undo_group.undo)
        self.tb_redo = QAction("重做", self)
        self.tb_redo.triggered.connect(self.undo_group.redo)
        for action, can, text in ((self.tb_undo, self.undo_group.canUndoChanged,
                                   self.undo_group.undoTextChanged),
                                  (self.tb_redo, self.undo_group.canRedoChanged,
                                   self.undo_group.redoTextChanged)):
            action.setEnabled(False)
            can.connect(action.setEnabled)
            verb = action.text()
            text.connect(lambda what, a=action, v=verb: a.setToolTip(f"{v}：{what}" if what else v))
            bar.addAction(action)
        bar.addSeparator()
        self.act_export_excel.setIconText("导出Excel")
        self.act_export_pdf.setIconText("导出PDF")
        self.act_export_docx.setIconText("导出Word")
        self.act_print.setIconText("打印")
        for action in (self.act_export_excel, self.act_export_pdf, self.act_export_docx,
                       self.act_print):
            bar.addAction(action)
        self.addToolBar(bar)
        self.toolbar = bar
