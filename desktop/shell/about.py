"""帮助 › 关于: what a clerk (or the person helping them) needs to know about this copy.

The version, where the data is kept (to back it up), which fonts the window and
the report use (the 公文 look needs 仿宋/黑体/楷体 installed), and that nothing
needs the network.
"""

from __future__ import annotations

import platform
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtWidgets import QApplication

from forms import __version__, backups
from forms.paths import user_data_dir

TITLE = "部门整体支出绩效自评"


def about_text(db_path: Path | str) -> str:
    from exports.fonts import describe  # registers the report fonts: only when asked

    app = QApplication.instance()
    window_font = app.font().family() if isinstance(app, QApplication) else "（未知）"
    return "\n".join([
        f"{TITLE}  版本 {__version__}",
        "离线填报、实时评分，导出 Excel 自评表、PDF 自评报告和可编辑的 Word 报告；不需要网络。",
        "",
        f"数据文件夹：{user_data_dir()}",
        f"数据库：{db_path}",
        f"自动备份：{backups.folder_of(Path(db_path))}",
        "（每天和每次启动后首次保存时自动备份，文件 › 恢复备份… 可从中恢复；"
        "要另存一份，把这个文件夹复制到 U 盘或其他电脑即可。）",
        "",
        f"界面字体：{window_font}",
        f"{describe()}",
        "",
        f"Python {platform.python_version()} · Qt（PySide6）{pyside_version}",
    ])
