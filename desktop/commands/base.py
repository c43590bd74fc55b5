"""What every sub-command shares: the clean failure, reading a package, writing an output."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import argparse

    from forms.model import Evaluation

EXIT_OK = 0
EXIT_UNUSABLE = 2


class Fail(Exception):
    """A clean failure: the message is printed on stderr, the exit status is 2."""


class Subcommands(Protocol):
    """Where a sub-command adds its parser (``ArgumentParser.add_subparsers()``)."""

    def add_parser(self, name: str, *, help: str | None = ...) -> argparse.ArgumentParser: ...


def load(path: str) -> Evaluation:
    from forms.package import PackageError, load_package

    try:
        return load_package(path)
    except PackageError as exc:
        raise Fail(f"{path}：{exc}") from None


def refuse(outputs: Sequence[str | None], inputs: Sequence[str | None]) -> None:
    """Before any work: an output that is an input, a folder, a special file, or given for
    two formats is refused (``forms.files.output_problem``)."""
    from forms.files import output_problem

    problem = output_problem([o for o in outputs if o], [i for i in inputs if i])
    if problem is not None:
        raise Fail(problem)


def say(text: str) -> None:
    """One line on stderr; a name's control characters (terminal escapes) shown escaped."""
    from forms.numbers import escaped

    sys.stderr.write(escaped(text) + "\n")


def write(path: str, data: bytes, inputs: Sequence[str | None] = ()) -> None:
    from forms.files import WriteFailed, write_atomic

    try:
        # checked again: a path may have changed meanwhile
        write_atomic(path, data, [i for i in inputs if i])
    except WriteFailed as exc:
        raise Fail(str(exc)) from None
