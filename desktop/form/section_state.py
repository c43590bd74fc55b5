"""How the navigation shows each section's state (decided in ``forms.section_state``)."""

from __future__ import annotations

from forms.section_state import EMPTY, ERROR_STATE, OK, WARNING

MARKS: dict[str, tuple[str, str, str]] = {  # state → (mark, colour, tooltip)
    OK: ("✓", "#15803d", "已填写，没有问题"),
    EMPTY: ("○", "#6b7280", "尚未填写"),
    WARNING: ("⚠", "#b45309", "有提醒，或指标尚未填完"),
    ERROR_STATE: ("✗", "#b91c1c", "有错误，请查看下方的问题"),
}
