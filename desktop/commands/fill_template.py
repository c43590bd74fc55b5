"""``selfeval fill-template``: a bureau's own Excel template filled with an evaluation's figures.

The program proposes where each figure goes by the template's labels
(``exports.template_fill``); a mapping the clerk corrected (in the window, or given
with ``--mapping``) is kept in the data folder under the template's layout and used
again the next time the same template is filled.  What could not be placed is listed,
never guessed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from collections.abc import Callable
from .base import EXIT_OK, Fail, Subcommands, refuse
from .base import load as _load
from .base import write as _write


def add_parser(sub: Subcommands, func: Callable[[argparse.Namespace], int]) -> None:
    p = sub.add_parser("fill-template", help="把评价的数据填入财政局自己的 Excel 模板（另存一份）")
    p.add_argument("template", help="财政局的 Excel 模板（.xlsx）")
    p.add_argument("package", help="评价包（JSON）")
    p.add_argument("-o", "--output", required=True, help="填好的副本（.xlsx）")
    p.add_argument("--mapping", help="对应关系文件（JSON，由 --save-mapping 生成后修改），"
                   "使用并记住它")
    p.add_argument("--save-mapping", metavar="FILE", help="把使用的对应关系另存到该文件，以便修改")
    p.set_defaults(func=func)


def run(args: argparse.Namespace) -> int:
    from exports.template_fill import (
        FORMULA,
        TemplateError,
        fill,
        mapping_json,
        mapping_path,
        propose,
        read_mapping,
    )
    from forms.files import ReadFailed, read_bounded, write_atomic
    from forms.paths import user_templates_dir
    from forms.scoring import score

    refuse([args.output, args.save_mapping], [args.template, args.package, args.mapping])
    evaluation = _load(args.package)
    result = score(evaluation)
    try:
        data = read_bounded(args.template, 20 * 1024 * 1024, "模板")
        proposal = propose(data, evaluation, result)
        kept = mapping_path(user_templates_dir(), proposal)
        if args.mapping:
            placements = read_mapping(read_bounded(args.mapping, 4 * 1024 * 1024, "对应关系文件")
                                      .decode("utf-8", "replace"))
            source = f"使用对应关系文件 {args.mapping}（已记住，下次填写同一模板时自动使用）"
        elif kept.is_file():
            placements = read_mapping(read_bounded(kept, 4 * 1024 * 1024, "对应关系文件")
                                      .decode("utf-8", "replace"))
            source = "使用上次为这份模板保存的对应关系"
        else:
            placements = list(proposal.placements)
            source = "按模板中的标签自动对应"
        filled = fill(data, evaluation, placements, result)
    except (TemplateError, ReadFailed) as exc:
        raise Fail(f"{args.template}：{exc}") from None
    _write(args.output, filled.data, [args.template, args.package])
    text = mapping_json(proposal, placements, Path(args.template).name)
    if args.mapping:
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(kept, text.encode("utf-8"))
        except OSError as exc:
            sys.stderr.write(f"注意：对应关系未能保存到数据文件夹（{exc}）\n")
    if args.save_mapping:
        _write(args.save_mapping, text.encode("utf-8"))
    placed_keys = {p.key for p in placements}
    out = [f"已填写 {args.output}：{len(filled.written)} 处（{source}）"]
    for placement, reason in filled.skipped:
        out.append(f"  未填写 {placement.sheet}!{placement.cell}（{placement.key}）：{reason}")
    missing = [u for u in proposal.unplaced if u.key not in placed_keys and not u.computed]
    computed = [u for u in proposal.unplaced if u.key not in placed_keys and u.computed]
    if computed:
        out.append(f"以下 {len(computed)} 项由模板自己的公式计算，公式保留未动：")
        out += [f"  {u.label}：{u.reason.removeprefix(FORMULA)}" for u in computed]
    if missing:
        out.append(f"以下 {len(missing)} 项未能确定位置，没有填写（可用 --save-mapping 导出对应关系，"
                   "补上位置后用 --mapping 再填）：")
        out += [f"  {u.label}：{u.reason}" for u in missing]
    out += [f"注意：{note}" for note in filled.notes]
    sys.stdout.write("\n".join(out) + "\n")
    return int(EXIT_OK)
