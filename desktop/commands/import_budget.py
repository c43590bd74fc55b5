"""``selfeval import-budget``: the budget table and the projects' figures taken from the budget
system's execution export (``exports.budget_import``)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from .base import EXIT_OK, Fail, Subcommands, refuse
from .base import load as _load
from .base import write as _write


def add_parser(sub: Subcommands, func: Callable[[argparse.Namespace], int]) -> None:
    p = sub.add_parser("import-budget", help="从预算管理一体化系统导出的预算执行表读入收支数据")
    p.add_argument("export", help="预算执行表（.xlsx）")
    p.add_argument("package", help="评价包（JSON）")
    p.add_argument("-o", "--output", required=True, help="填入收支数据后的评价包（JSON）")
    p.set_defaults(func=func)


def run(args: argparse.Namespace) -> int:
    from exports.budget_import import BudgetImportError, apply, read_budget_export
    from forms.files import ReadFailed, read_bounded
    from forms.package import write_package

    refuse([args.output], [args.export])
    evaluation = _load(args.package)
    try:
        data = read_bounded(args.export, 20 * 1024 * 1024, "预算执行表")
        proposal = read_budget_export(data, evaluation)
    except (BudgetImportError, ReadFailed) as exc:
        raise Fail(f"{args.export}：{exc}") from None
    _write(args.output, write_package(apply(evaluation, proposal.placed)))
    out = [f"已从 {args.export} 读入 {len(proposal.placed)} 行（原表单位：{proposal.unit}，"
           f"已按万元填入），写入 {args.output}："]
    out += [f"  {r.where} {r.label} → {r.note.removeprefix('填入')}" for r in proposal.placed]
    skipped = [r for r in proposal.rows if not r.target]
    if skipped:
        out.append(f"未导入 {len(skipped)} 行：")
        out += [f"  {r.where} {r.label}：{r.note}" for r in skipped[:50]]
        if len(skipped) > 50:
            out.append(f"  ……另有 {len(skipped) - 50} 行")
    out += [f"注意：{n}" for n in proposal.notes]
    sys.stdout.write("\n".join(out) + "\n")
    return EXIT_OK
