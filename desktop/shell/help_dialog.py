"""使用说明: the help dialog (F1), with the keys a clerk uses."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from desktop.common.screen import fit_to_screen


class HelpDialog(QDialog):
    TEXT = """
<h3>部门整体支出绩效自评 · 使用说明</h3>
<p><b>怎么用：</b>左侧是自评表的各个部分，逐页填写；右侧的<b>自评得分</b>随每次输入实时更新，
低于分值的小计以 ▼ 标出；下方的<b>问题</b>列出所有错误和提醒，单击一条即跳到对应的格子。</p>
<p><b>不会丢失：</b>每次修改约 1 秒内自动保存到数据库，关闭窗口或断电最多丢失最后 1 秒的输入。
状态栏显示最近一次保存的时间。</p>
<p><b>评价库（Ctrl+O）：</b>列出所有单位和年度的自评；可新建、打开、新建下一年度（沿用单位、指标体系和文字，清空数字）、
删除，以及导入、导出评价包（JSON 文件，便于拷贝和报送）。</p>
<p><b>导出：</b>“导出”菜单生成 Excel 自评表、PDF 自评报告和可编辑的 Word 报告（供在 Word 或 WPS 中修改措辞），
也可直接打印，或按预算管理一体化系统的导入表格式导出。“文件”菜单可把数据填入财政局自己的 Excel 模板，
或生成报送包：报告、表格、佐证材料和清单打成一个压缩包。</p>
<p><b>少录一遍：</b>“收支情况”页可从预算系统导出的预算执行表读入收支数据；各指标、收支情况和绩效目标下可添加佐证材料。</p>
<p><b>备份：</b>程序自动备份评价库（每天、每次打开、导入替换和升级之前）；“文件 › 恢复备份…”按时间恢复整库或其中一份评价；
删除的评价先进“回收站”，90 天内可恢复。</p>
<p><b>左侧标记：</b>✓ 已填写 · ○ 尚未填写 · ⚠ 有提醒或未填完 · ✗ 有错误。</p>
<h4>快捷键</h4>
<table cellspacing="4">
<tr><td>Ctrl+N</td><td>新建评价</td></tr>
<tr><td>Ctrl+O</td><td>打开评价库</td></tr>
<tr><td>Ctrl+S</td><td>立即保存</td></tr>
<tr><td>Ctrl+P</td><td>打印自评报告</td></tr>
<tr><td>Ctrl+Z / Ctrl+Y</td><td>撤销 / 重做（所有格子通用；状态栏说明撤销了哪一格，“编辑 › 撤销记录”列出每一步）</td></tr>
<tr><td>Ctrl+1 … Ctrl+7</td><td>切换到第 1…7 部分</td></tr>
<tr><td>Tab / Shift+Tab</td><td>下一个 / 上一个格子</td></tr>
<tr><td>Enter</td><td>表格中移到下一行</td></tr>
<tr><td>F1</td><td>本说明</td></tr>
</table>
"""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("使用说明")
        browser = QTextBrowser()
        browser.setHtml(self.TEXT)
        buttons = QDialogButtonBox()
        buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(browser)
        layout.addWidget(buttons)
        fit_to_screen(self, 560, 520)
