"""What every sub-command shares: the clean failure, reading a package, writing an output."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

EXIT_OK = 0
EXIT_UNUSABLE = 2


class Fail(Exception):
    """A clean failure: the message is printed on stderr, the exit status is 2."""


def load(path: str) -> Any:
    from forms.package import PackageError, load_package

    try:
        return load_package(path)
    except PackageError as exc:
        raise Fail(f"{path}：{exc}") from None


def write(path: str, data: bytes) -> None:
    from forms.files import WriteFailed, write_atomic

    try:
        write_atomic(path, data)
    except WriteFailed as exc:
        raise Fail(str(exc)) from None


def _same(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.abspath(a) == os.path.abspath(b)


def refuse_overwriting_inputs(inputs: Sequence[str | None], outputs: Sequence[str | None]) -> None:
    """Fail when an output is one of the inputs (the same file, however named) or two outputs
    are one file."""
    given = [o for o in outputs if o]
    for i, out in enumerate(given):
        for source in inputs:
            if source and _same(out, source):
                raise Fail(f"输出文件 {out} 就是输入文件 {source}，会把它覆盖。请换一个文件名")
        for other in given[i + 1:]:
            if _same(out, other):
                raise Fail(f"两个输出都是 {out}，请为每种输出各指定一个文件")
