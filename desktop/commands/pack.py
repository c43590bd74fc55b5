"""``selfeval pack``: the 报送包 — report, Word copy, workbook, filled template, evidence and a
manifest with every file's SHA-256, in one zip (``exports.pack``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from .base import EXIT_OK, Fail, Subcommands, refuse
from .base import load as _load
from .base import write as _write

if TYPE_CHECKING:
    from forms.model import Evaluation


def add_parser(sub: Subcommands, func: Callable[[argparse.Namespace], int]) -> None:
    p = sub.add_parser("pack", help="生成报送包：PDF 报告、Word 报告、自评表、佐证材料和清单，打成一个 zip")
    p.add_argument("package", help="评价包（JSON）")
    p.add_argument("-o", "--output", required=True, help="报送包（.zip）；草稿的文件名会标“草稿”")
    p.add_argument("--template", help="财政局的 Excel 模板（.xlsx）：填好后一并放入报送包")
    p.set_defaults(func=func)


def draft_name(path: str) -> str:
    """``path`` with （草稿） before its suffix, unless its name says 草稿 already."""
    target = Path(path)
    if "草稿" in target.name:
        return path
    return str(target.with_name(f"{target.stem}（草稿）{target.suffix or '.zip'}"))


def build(evaluation: Evaluation, template: tuple[str, bytes] | None = None,
          revision: int | None = None, cancelled: Callable[[], bool] = lambda: False
          ) -> tuple[bytes, bool]:
    """The pack's bytes and whether it is a draft (the window calls this too)."""
    from exports.docx_report import docx_bytes
    from exports.excel import default_workbook_name, workbook_bytes
    from exports.pack import build_pack
    from exports.pdf_report import build_report, default_report_name
    from forms.evidence import EvidenceStore
    from forms.paths import user_evidence_dir
    from forms.report.build import draft_reasons
    from forms.scoring import score

    result = score(evaluation)
    draft = bool(draft_reasons(evaluation, result))
    report = build_report(evaluation)
    filled = None
    name = ""
    if template is not None:
        from exports.template_fill import fill, propose

        template_path, data = template
        filled = fill(data, evaluation, propose(data, evaluation, result).placements, result).data
        name = f"{Path(template_path).stem}（已填写）.xlsx"
    names = (default_report_name(evaluation, ".pdf", draft), default_report_name(
        evaluation, ".docx", draft), default_workbook_name(evaluation))
    data = build_pack(evaluation, EvidenceStore(user_evidence_dir()), pdf=report.data,
                      docx=docx_bytes(evaluation, result), workbook=workbook_bytes(evaluation),
                      names=names, filled_template=filled, template_name=name,
                      revision=revision, result=result, cancelled=cancelled)
    return data, draft


def run(args: argparse.Namespace) -> int:
    from exports.template_fill import TemplateError
    from forms.files import ReadFailed, read_bounded

    refuse([args.output], [args.package, args.template])
    evaluation = _load(args.package)
    template = None
    if args.template:
        try:
            template = (args.template, read_bounded(args.template, 20 * 1024 * 1024, "模板"))
        except ReadFailed as exc:
            raise Fail(f"{args.template}：{exc}") from None
    try:
        data, draft = build(evaluation, template)
    except TemplateError as exc:
        raise Fail(f"{args.template}：{exc}") from None
    except FileNotFoundError as exc:
        raise Fail(f"佐证材料在本机的数据文件夹中找不到：{exc}。请在程序中重新添加后再生成") from None
    output = draft_name(args.output) if draft else args.output
    refuse([output], [args.package, args.template])
    _write(output, data)
    sys.stdout.write(f"已生成报送包 {output}（{len(data) / 1024 / 1024:.1f} MB）\n")
    if draft:
        sys.stdout.write("注意：评价尚有错误、未填写的指标或待确认的内容，报送包是草稿，文件名已标“草稿”。\n")
    return EXIT_OK
