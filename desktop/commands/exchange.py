"""``selfeval export --layout NAME``: the workbook in a budget system's import layout."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import Fail

if TYPE_CHECKING:
    from forms.model import Evaluation


def workbook_in_layout(evaluation: Evaluation, layout_id: str | None) -> bytes:
    """Our workbook, or with ``layout_id`` the exchange layout of that name."""
    if not layout_id:
        from exports.excel import workbook_bytes

        return workbook_bytes(evaluation)
    from exports.exchange import layout_bytes, layouts
    from forms.paths import user_layouts_dir

    known = layouts(user_layouts_dir())
    if layout_id not in known:
        names = "；".join(f"{k}（{v.name}）" for k, v in known.items()) or "无"
        raise Fail(f"没有名为“{layout_id}”的交换格式。可用：{names}")
    return layout_bytes(evaluation, known[layout_id])
