"""The ``selfeval`` command.

With no arguments (or ``gui``) it opens the desktop program; the other
sub-commands work without a window.  Heavy libraries (Qt, openpyxl,
reportlab, sqlite-utils) are imported only by the sub-commands that need
them, so ``selfeval score`` starts fast.  Exit status: 0 done, 2 unusable
input or an unwritable target; messages go to stderr in Chinese, never a
traceback.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
from typing import TYPE_CHECKING, NoReturn
from collections.abc import Callable, Sequence

from forms import __version__

if TYPE_CHECKING:
    from forms.model import Evaluation
    from forms.system import System

from desktop.commands.base import EXIT_OK, EXIT_UNUSABLE, Fail
from desktop.commands.base import load as _load
from desktop.commands.base import refuse as _refuse
from desktop.commands.base import say as _say
from desktop.commands.base import write as _write


# argparse's own words, in Chinese (it looks ``_`` up at call time).
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示此帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "expected one argument": "需要一个值",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的子命令 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的值",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s：%(message)s",
}


def _zh(message: str) -> str:
    return _ARGPARSE_ZH.get(message, message)


argparse._ = _zh  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        sys.stderr.write(f"selfeval：参数有误：{message}\n")
        raise SystemExit(EXIT_UNUSABLE)


def _system_inputs(ref: str | None) -> list[str]:
    """The system given by file (not by its id) is an input too."""
    from pathlib import Path

    return [ref] if ref and Path(ref).is_file() else []


def _int_arg(text: str, field: str, low: int, high: int) -> int:
    from forms.numbers import NumberError, parse_int

    try:
        return parse_int(text, field, low, high)
    except NumberError as exc:
        raise Fail(str(exc)) from None


# ---------------------------------------------------------------- sub-commands

def cmd_score(args: argparse.Namespace) -> int:
    from forms.numbers import fmt_weight
    from forms.report_data import score_json
    from forms.scoring import STATUS_TEXT, score
    from forms.system import Leaf
    from forms.validation import ERROR, validate

    evaluation = _load(args.package)
    result = score(evaluation)
    issues = validate(evaluation, result)
    if args.json:
        sys.stdout.write(json.dumps(score_json(result, issues), ensure_ascii=False, indent=1) + "\n")
        return EXIT_OK
    dept = evaluation.department
    out = [f"{dept.name} {dept.year} 年度部门整体支出绩效自评",
           f"指标体系：{evaluation.system.name}",
           f"自评得分：{result.total} 分    等级：{result.grade}"
           + ("（按适用指标折算）" if result.renormalised else "")
           + (f"（{result.cap.text}）" if result.cap is not None and result.cap.limit is not None
              else ""),
           f"完成度：{result.filled}/{result.leaf_count}"
           + ("（已全部填写）" if result.complete else "（尚未填完，未填指标按 0 分计）"),
           ""]
    for group in result.groups:
        indent = "  " * group.level
        out.append(f"{indent}{group.group.name}  {group.score}/{fmt_weight(group.group.weight)}")
        for leaf in group.group.children:
            if isinstance(leaf, Leaf):
                r = result.leaf(leaf.id)
                assert r is not None
                status = "" if r.status == "scored" else f"（{STATUS_TEXT[r.status]}）"
                out.append(f"{indent}  {leaf.name}  {r.score}/{fmt_weight(leaf.weight)}{status}")
    errors = sum(1 for i in issues if i.level == ERROR)
    out.append("")
    if issues:
        out.append(f"问题：{errors} 个错误，{len(issues) - errors} 个提醒")
        for issue in issues:
            mark = "错误" if issue.level == ERROR else "提醒"
            out.append(f"  [{mark}] {issue.message}（{issue.path}）")
    else:
        out.append("问题：无")
    from forms.numbers import escaped

    sys.stdout.write("\n".join(escaped(line) for line in out) + "\n")
    return EXIT_OK


def cmd_systems(args: argparse.Namespace) -> int:
    from forms.catalog import shipped_systems, user_systems

    rows = [("内置", e) for e in shipped_systems()] + [("用户", e) for e in user_systems()]
    for kind, entry in rows:
        year = f"{entry.year}年" if entry.year else ""
        line = f"{entry.id}\t[{kind}] {entry.name}（{entry.jurisdiction}{year}）"
        if args.verbose:
            line += f"\n\t来源：{entry.origin}\n\t文件：{entry.path}"
        sys.stdout.write(line + "\n")
    return EXIT_OK


def _resolve_system(ref: str) -> System:
    from forms.catalog import SystemFileError, resolve_system
    from forms.system import SystemInvalid

    try:
        return resolve_system(ref)
    except SystemFileError as exc:
        raise Fail(str(exc)) from None
    except SystemInvalid as exc:
        lines = "\n".join(f"  {p.message}（{p.path}）" for p in exc.problems)
        raise Fail(f"指标体系“{ref}”有误，不能使用：\n{lines}") from None


def cmd_new(args: argparse.Namespace) -> int:
    from forms.model import new_evaluation, year_problem
    from forms.package import write_package

    if not args.department.strip():
        raise Fail("单位名称不能为空")
    inputs = _system_inputs(args.system)
    _refuse([args.output], inputs)
    year = _int_arg(args.year, "年度", -(10 ** 9), 10 ** 9)
    problem = year_problem(year)
    if problem is not None:
        raise Fail(problem)
    system = _resolve_system(args.system)
    evaluation = new_evaluation(system, args.department.strip(), year)
    _write(args.output, write_package(evaluation), inputs)
    _say(f"已写入 {args.output}")
    return EXIT_OK


def cmd_system_check(args: argparse.Namespace) -> int:
    from forms.catalog import SystemFileError, read_system_path

    try:
        system, problems = read_system_path(args.file)
    except SystemFileError as exc:
        raise Fail(str(exc)) from None
    if problems:
        _say(f"{args.file}：指标体系有 {len(problems)} 处问题：")
        for p in problems:
            _say(f"  {p.message}（{p.path or '/'}）")
        return EXIT_UNUSABLE
    leaves = sum(1 for _ in system.leaves())
    from forms.numbers import escaped

    sys.stdout.write(escaped(f"{args.file}：指标体系“{system.name}”检查通过"
                             f"（{len(system.indicators)} 个一级指标，{leaves} 个三级指标，总分 100）")
                     + "\n")
    from forms.system_warnings import system_warnings

    for warning in system_warnings(system):
        sys.stdout.write(escaped(f"  注意：{warning.message}（{warning.path}）") + "\n")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    if not args.xlsx and not args.pdf and not args.docx:
        raise Fail("请用 --xlsx、--pdf 和/或 --docx 指定要导出的文件")
    if args.layout and not args.xlsx:
        raise Fail("--layout 决定 Excel 的格式：请同时用 --xlsx 指定 Excel 文件")
    _refuse([args.xlsx, args.pdf, args.docx], [args.package])
    evaluation = _load(args.package)
    try:
        return _export(args, evaluation)
    except (Fail, MemoryError, RecursionError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 — a defect in a writer: one line, the old file kept
        raise Fail(f"导出失败：程序内部错误（{type(exc).__name__}），原有文件未改动。"
                   f"请把评价包 {args.package} 发给技术支持") from None


def _export(args: argparse.Namespace, evaluation: Evaluation) -> int:
    if args.xlsx:
        from desktop.commands.exchange import workbook_in_layout

        _write(args.xlsx, workbook_in_layout(evaluation, args.layout), [args.package])
        _say(f"已导出 {args.xlsx}")
    draft = False
    if args.pdf:
        from exports.pdf_report import build_report

        report = build_report(evaluation)
        _write(args.pdf, report.data, [args.package])
        draft = report.draft
        _say(f"已导出 {args.pdf}")
        _font_note()
        if report.replaced:
            sys.stderr.write(f"注意：报告中有 {len(report.replaced)} 个字符（{'、'.join(report.replaced)}）"
                             f"所有可用字体都没有，已用“〓”代替，请改为常用字后重新导出。\n")
    if args.docx:
        from exports.docx_report import docx_bytes
        from forms.report.build import draft_reasons
        from forms.scoring import score

        _write(args.docx, docx_bytes(evaluation), [args.package])
        draft = draft or bool(draft_reasons(evaluation, score(evaluation)))
        _say(f"已导出 {args.docx}")
    if draft:
        from forms.report.build import draft_reasons
        from forms.scoring import score

        why = "，".join(draft_reasons(evaluation, score(evaluation))) or "尚有错误或未填写的指标"
        sys.stderr.write(f"注意：评价{why}，报告每页标有“草稿”。\n")
    return EXIT_OK


def _font_note() -> None:
    """Which faces the report was set in; a warning when 仿宋 was not found (as the window says)."""
    from exports import fonts

    faces = fonts.describe()
    if fonts.fangsong_missing():
        sys.stderr.write("注意：本机未找到仿宋字体（仿宋_GB2312、方正仿宋或仿宋），正文用内置宋体排版；"
                         "装上仿宋后重新导出即可。\n")
        faces = faces.removeprefix("未找到仿宋字体，")
    sys.stderr.write(f"{faces}\n")


def cmd_import(args: argparse.Namespace) -> int:
    from exports.workbook_import import WorkbookImportError, read_workbook_path_report
    from forms.package import write_package

    _refuse([args.output], [args.workbook])
    try:
        evaluation, notes = read_workbook_path_report(args.workbook)
    except WorkbookImportError as exc:
        raise Fail(str(exc)) from None
    _write(args.output, write_package(evaluation), [args.workbook])
    for note in notes:  # what was taken from the visible sheets, and what never is
        _say(f"  {note}")
    _say(f"已写入 {args.output}")
    return EXIT_OK


def cmd_system_import(args: argparse.Namespace) -> int:
    from exports.system_workbook import SystemImportError, import_raw_path
    from forms.system_edit import SystemDraft

    _refuse([args.output], [args.workbook])
    try:
        raw, problems = import_raw_path(args.workbook)
    except SystemImportError as exc:
        raise Fail(str(exc)) from None
    # a draft with problems is written as read (a weight typed as text stays text), so the
    # editor shows the clerk exactly what the notice's table said
    draft = SystemDraft(raw)
    _write(args.output, draft.file_bytes(), [args.workbook])
    for p in problems:
        _say(f"  {p.message}（{p.path}）")
    from forms.system_warnings import system_warnings  # bands read from the criteria

    for warning in system_warnings(draft.check().system):
        _say(f"  注意：{warning.message}（{warning.path}）")
    _say(f"已写入 {args.output}" + (f"，有 {len(problems)} 处需核对" if problems else ""))
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from exports.review_read import find_files, review_paths
    from forms.numbers import escaped, fmt2

    workers = None if args.workers is None else _int_arg(args.workers, "--workers", 1, 256)
    outputs = [args.output, args.pdf]
    inputs = [*args.paths, *_system_inputs(args.system)]
    _refuse(outputs, inputs)
    if args.output or args.pdf:  # the summary never lands on a file under review
        inputs += [str(p) for p in find_files(args.paths)[0]]
        _refuse(outputs, inputs)
    reference = _resolve_system(args.system) if args.system else None
    show = sys.stderr.isatty() and not args.json

    def progress(done: int, total: int) -> None:
        if show:
            sys.stderr.write(f"\r正在读取 {done}/{total} 个文件…")

    review = review_paths(args.paths, reference, workers=workers, progress=progress)
    if show:
        sys.stderr.write("\n")
    if not review.rows and not review.rejected:
        raise Fail("所给的文件夹中没有任何文件")
    if not review.rows:  # nothing could be read: say why, file by file, and write nothing
        if args.json:
            from forms.review import review_json

            sys.stdout.write(json.dumps(review_json(review), ensure_ascii=False, indent=1) + "\n")
        for rejected in review.rejected:
            sys.stderr.write(escaped(f"  未读取：{rejected.path}：{rejected.reason}") + "\n")
        raise Fail(f"没有读取到任何自评表（{len(review.rejected)} 个文件或文件夹未能读取）")
    built: list[tuple[str, bytes, str]] = []
    try:  # both built before either is written: a failure leaves no half of the pair
        if args.output:
            from exports.review_workbook import summary_bytes

            built.append((args.output, summary_bytes(review, reference), "审核汇总表"))
        if args.pdf:
            from exports.review_pdf import summary_pdf_bytes

            built.append((args.pdf, summary_pdf_bytes(review), "审核汇总报告"))
    except (MemoryError, RecursionError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 — a defect in a writer: one line, nothing written
        raise Fail(f"审核汇总未能生成：程序内部错误（{type(exc).__name__}），没有写入任何文件") from None
    for target, data, what in built:
        _write(target, data, inputs)
        sys.stderr.write(escaped(f"已写入{what} {target}") + "\n")
    if args.json:
        from forms.review import review_json

        sys.stdout.write(json.dumps(review_json(review), ensure_ascii=False, indent=1) + "\n")
        return EXIT_OK
    out = [f"共 {len(review.rows)} 份自评，{len(review.rejected)} 个文件未能读取"
           + (f"；参考指标体系：{review.reference}" if review.reference else "")]
    for i, row in enumerate(review.rows, start=1):
        stated = fmt2(row.stated_total) if row.stated_total is not None else "—"
        out.append(f"{i:>3}. {row.department or '（未填写单位名称）'} {row.year}  "
                   f"重算 {row.result.total}（{row.result.grade}）  表上 {stated}  "
                   f"完成度 {row.completeness}  错误 {row.errors} 提醒 {row.warnings}")
        for flag in row.flags:
            out.append(f"       [{flag.name}] {flag.message}（{flag.place}）")
    for rejected in review.rejected:
        out.append(f"  未读取：{rejected.path}：{rejected.reason}")
    grades = "，".join(f"{g} {n}" for g, n in review.grade_counts())
    out.append(f"等级：{grades or '—'}；平均重算总分 {fmt2(review.average_total) or '—'}")
    sys.stdout.write("\n".join(escaped(line) for line in out) + "\n")
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    from desktop.shell.app import run

    # absolute, so the window's title, 关于 and its per-database settings name one file
    # wherever the program was started from
    return run(db_path=os.path.abspath(args.db) if args.db else None)


# ---------------------------------------------------------------- parser

def cmd_fill_template(args: argparse.Namespace) -> int:
    from desktop.commands import fill_template

    return fill_template.run(args)


def cmd_import_budget(args: argparse.Namespace) -> int:
    from desktop.commands import import_budget

    return import_budget.run(args)


def cmd_pack(args: argparse.Namespace) -> int:
    from desktop.commands import pack

    return pack.run(args)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="selfeval", description="部门整体支出绩效自评：填报、评分与导出。"
                     "不带参数时打开桌面程序。")
    parser.add_argument("--db", help="数据库文件（默认在用户数据文件夹）")
    parser.add_argument("--version", action="version", version=f"selfeval {__version__}",
                        help="显示程序版本并退出")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    p = sub.add_parser("gui", help="打开桌面程序")
    # SUPPRESS: no default of its own over a --db given before the command (selfeval --db X gui)
    p.add_argument("--db", default=argparse.SUPPRESS, help="数据库文件（默认在用户数据文件夹）")
    p.set_defaults(func=cmd_gui)

    p = sub.add_parser("score", help="计算评价包的得分、等级和问题")
    p.add_argument("package", help="评价包（JSON）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("systems", help="列出可用的指标体系")
    p.add_argument("-v", "--verbose", action="store_true", help="同时显示来源和文件位置")
    p.set_defaults(func=cmd_systems)

    p = sub.add_parser("new", help="按指标体系新建一个待填写的评价包")
    p.add_argument("--system", required=True, help="指标体系编号或文件")
    p.add_argument("--department", required=True, help="单位名称")
    p.add_argument("--year", required=True, help="年度")
    p.add_argument("-o", "--output", required=True, help="输出的评价包（JSON）")
    p.set_defaults(func=cmd_new)

    p = sub.add_parser("export", help="导出 Excel 自评表、PDF 自评报告和/或 Word 自评报告")
    p.add_argument("package", help="评价包（JSON）")
    p.add_argument("--xlsx", help="Excel 文件")
    p.add_argument("--pdf", help="PDF 文件")
    p.add_argument("--docx", help="Word 文件（可编辑的报告）")
    p.add_argument("--layout", help="Excel 按预算系统的导入表格式（交换格式编号，见 docs/exchange.md）")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="把本程序导出的 Excel 自评表读回为评价包")
    p.add_argument("workbook", help="Excel 文件（.xlsx）")
    p.add_argument("-o", "--output", required=True, help="输出的评价包（JSON）")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("system-check", help="检查指标体系文件")
    p.add_argument("file", help="指标体系文件（JSON）")
    p.set_defaults(func=cmd_system_check)

    p = sub.add_parser("system-import", help="从 Excel 指标表生成指标体系文件")
    p.add_argument("workbook", help="Excel 文件（.xlsx）")
    p.add_argument("-o", "--output", required=True, help="输出的指标体系文件（JSON）")
    p.set_defaults(func=cmd_system_import)

    p = sub.add_parser("review", help="审核多个单位的自评表（财政局用）：重算、比对、标记问题")
    p.add_argument("paths", nargs="+", metavar="PATH", help="自评表（.xlsx）、评价包或文件夹（含子文件夹）")
    p.add_argument("-o", "--output", help="输出的审核汇总表（.xlsx）")
    p.add_argument("--pdf", help="输出的审核汇总报告（PDF，含得分分布图）")
    p.add_argument("--system", help="参考指标体系（编号或文件），标出未使用它的单位")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.add_argument("--workers", help="并行读取的进程数（默认按处理器数）")
    p.set_defaults(func=cmd_review)

    from desktop.commands import backups, fill_template, import_budget, pack

    fill_template.add_parser(sub, cmd_fill_template)
    import_budget.add_parser(sub, cmd_import_budget)
    pack.add_parser(sub, cmd_pack)
    backups.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if getattr(sys, "frozen", False):
        # a frozen Windows build starts review workers as copies of itself
        import multiprocessing

        multiprocessing.freeze_support()
    for stream in (sys.stdout, sys.stderr):
        reconfigure: Callable[..., object] | None = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):
                pass
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args.func = cmd_gui
    if args.func is not cmd_gui:
        # a short-lived batch command allocates many small objects (a report's paragraphs,
        # a font's metrics) and frees them all at exit: cyclic collection only costs time
        gc.disable()
    try:
        return int(args.func(args))
    except Fail as exc:
        from forms.numbers import escaped, one_line  # a refusal is one line, whatever it quotes

        sys.stderr.write(f"selfeval：{escaped(one_line(str(exc)))}\n")
        return EXIT_UNUSABLE
    except (MemoryError, RecursionError):
        sys.stderr.write("selfeval：内存不足，无法完成，原有文件未改动。请关闭其他程序后重试。\n")
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        return 130


def main_gui() -> int:
    """``selfeval-gui``: the desktop program started from a shortcut, without a console.

    pythonw on Windows has no stdout/stderr: anything written there would fail,
    so both go to nothing (errors are shown in windows and logged)."""
    import os

    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 (process-long)
    return main(["gui", *sys.argv[1:]])


if __name__ == "__main__":
    sys.exit(main())
