"""Stopping an export half-way: the builders call ``check`` now and then."""

from __future__ import annotations

from collections.abc import Callable

Cancelled = Callable[[], bool]


class ExportCancelled(Exception):
    """The clerk pressed 取消: nothing was written, the old file is intact."""

    def __init__(self) -> None:
        super().__init__("导出已取消，原文件未改动。")


def check(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise ExportCancelled()
