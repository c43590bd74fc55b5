"""文件 › 生成报送包…: the report, the Word copy, the workbook, the evidence and the manifest in one
zip (``desktop.commands.pack.build``), written off the window's thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from desktop.common import messages
from desktop.shell.export_actions import ExportActions

ZIP_FILTER = "报送包 (*.zip)"


def make_pack(actions: ExportActions, revision: int | None = None) -> None:
    evaluation = actions.evaluation_to_export()
    if evaluation is None:
        return
    from exports.pack import pack_name
    from forms.evidence import EvidenceStore, missing_files
    from forms.paths import user_evidence_dir
    from forms.report.build import draft_reasons
    from forms.scoring import score

    reasons = draft_reasons(evaluation, score(evaluation))
    if reasons and not actions.ask_draft(reasons):
        return
    missing = missing_files(EvidenceStore(user_evidence_dir()), evaluation.evidence)
    if missing:
        names = "、".join(ref.name for _owner, ref in missing[:5])
        messages.error(actions.window, f"以下佐证材料在本机的数据文件夹中找不到：{names}。"
                       "请在对应的指标下移除后重新添加，再生成报送包。", title="生成报送包")
        return
    target = actions.ask_target("生成报送包", pack_name(evaluation, bool(reasons)), ".zip", ZIP_FILTER)
    if target is None:
        return
    stop = threading.Event()

    def work() -> Path:
        from desktop.commands.pack import build
        from forms.files import write_atomic

        data, _draft = build(evaluation, revision=revision, cancelled=stop.is_set)
        write_atomic(target, data, actions.inputs())
        return target

    actions.run_job("正在生成报送包…", work, lambda p: actions.tell_exported(p, []), stop=stop)


def export_layout(actions: ExportActions, choose: Callable[[list[tuple[str, str]]], str | None]
                  ) -> None:
    """导出 › 导出为预算系统导入表…: the workbook in an exchange layout (``choose`` picks one of
    (id, name) when there are several)."""
    evaluation = actions.evaluation_to_export()
    if evaluation is None:
        return
    from exports.exchange import layouts
    from forms.paths import user_layouts_dir

    known = layouts(user_layouts_dir())
    if not known:
        messages.error(actions.window, "没有可用的交换格式。", title="导出为预算系统导入表")
        return
    ident = next(iter(known)) if len(known) == 1 else choose(
        [(k, v.name) for k, v in known.items()])
    if not ident or ident not in known:
        return
    layout = known[ident]
    dept = evaluation.department
    target = actions.ask_target("导出为预算系统导入表",
                                f"{dept.year}年度{dept.name.strip() or '未命名单位'}（{layout.name}）.xlsx",
                                ".xlsx", "Excel 工作簿 (*.xlsx)")
    if target is None:
        return

    def work() -> Path:
        from exports.exchange import layout_bytes
        from forms.files import write_atomic

        write_atomic(target, layout_bytes(evaluation, layout), actions.inputs())
        return target

    actions.run_job("正在生成导入表…", work, lambda p: actions.tell_exported(p, []))
