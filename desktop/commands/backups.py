"""``selfeval backups`` and ``selfeval restore``: the library's snapshots (``forms.backups``)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from .base import EXIT_OK, Fail, Subcommands

if TYPE_CHECKING:
    from forms.storage import Library

def _library(args: argparse.Namespace) -> Library:
    from forms.paths import default_db_path
    from forms.storage import Library, StorageError
    from pathlib import Path

    path = Path(args.db) if args.db else default_db_path()
    if not path.is_file():
        raise Fail(f"找不到数据库文件 {path}")
    try:
        return Library(path)
    except StorageError as exc:
        raise Fail(str(exc)) from None


def cmd_backups(args: argparse.Namespace) -> int:
    from forms import backups

    library = _library(args)
    try:
        snapshots = backups.listing(library.path)
    finally:
        library.close()
    if args.json:
        sys.stdout.write(json.dumps([s.as_json() for s in snapshots], ensure_ascii=False,
                                    indent=1) + "\n")
        return EXIT_OK
    if not snapshots:
        sys.stdout.write(f"{backups.folder_of(library.path)} 中还没有备份。\n")
    for s in snapshots:
        sys.stdout.write(f"{s.id}  {s.describe()}\n")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from forms import backups
    from forms.storage import StorageError

    library = _library(args)
    try:
        snapshot = backups.find(library.path, args.snapshot)
        if snapshot is None:
            raise Fail(f"没有名为 {args.snapshot} 的备份（用 selfeval backups 查看）")
        if args.evaluation is None:
            backups.restore_library(library, snapshot)
            sys.stdout.write(f"已从 {snapshot.id} 恢复整个评价库（{len(snapshot.evaluations)} 份评价）；"
                             f"恢复前的评价库已备份。\n")
        else:
            new_id = backups.restore_evaluation(library, snapshot, args.evaluation)
            sys.stdout.write(f"已从 {snapshot.id} 恢复评价（编号 {args.evaluation}），"
                             f"作为编号 {new_id} 加入评价库，标为“{backups.label_of(snapshot)}”。\n")
    except StorageError as exc:
        raise Fail(str(exc)) from None
    finally:
        library.close()
    return EXIT_OK


def add_parsers(sub: Subcommands) -> None:
    # --db before the command (selfeval --db X backups) is kept: SUPPRESS adds no default over it
    p = sub.add_parser("backups", help="列出评价库的自动备份")
    p.add_argument("--db", default=argparse.SUPPRESS, help="数据库文件（默认在用户数据文件夹）")
    p.add_argument("--json", action="store_true", help="以 JSON 输出")
    p.set_defaults(func=cmd_backups)
    p = sub.add_parser("restore", help="从备份恢复整个评价库，或其中一份评价")
    p.add_argument("snapshot", metavar="SNAPSHOT", help="备份编号（selfeval backups 所列）")
    p.add_argument("--evaluation", type=int, metavar="ID", help="只恢复这份评价（加在现有评价旁）")
    p.add_argument("--db", default=argparse.SUPPRESS, help="数据库文件（默认在用户数据文件夹）")
    p.set_defaults(func=cmd_restore)
