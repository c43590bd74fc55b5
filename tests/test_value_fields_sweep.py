"""Any list of declared value fields gets one input per field, by type, in declared order.

Each case registers a kind with one to four fields of random types (number, count, text,
choice, checks), builds its editor, shows a random value (which must not come back as an
edit, and must be what the inputs show), then makes one clerk's edit in each input and
checks that exactly that field's change is sent.  Cases: 60 (scaled by
``tests/fuzz_budget.py``).
"""

from __future__ import annotations

from decimal import Decimal
from itertools import count

from fuzz_budget import cases as budget
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtWidgets import QCheckBox, QComboBox

from desktop.common.widgets import CountSpin, LineField, NumberField
from desktop_typing import setup_app
from forms import rules
from forms.model import LeafValue
from forms.rules import Rule, RuleKind
from forms.rules.base import Outcome
from forms.value_fields import FIELD_TYPES, ValueField
from helpers import leaf

EXAMPLES = 60
OPTIONS = (("x", "甲"), ("y", "乙"), ("z", "丙"))
WIDGET = {"number": NumberField, "count": CountSpin, "text": LineField, "choice": QComboBox}
_keys = count()


def _field(i: int, kind: str) -> ValueField:
    return ValueField(f"sweep{i}_{kind}", kind, f"字段{i}")  # one name, one type, always


def _value(field: ValueField) -> st.SearchStrategy[object]:
    return {
        "number": st.decimals(min_value=-10 ** 6, max_value=10 ** 6, places=2,
                              allow_nan=False, allow_infinity=False),
        "count": st.integers(min_value=0, max_value=9999).map(Decimal),
        "text": st.text(alphabet="完成情况abc 12", min_size=1, max_size=12).map(str.strip)
        .filter(bool),
        "choice": st.sampled_from([o for o, _ in OPTIONS]),
        "checks": st.lists(st.sampled_from([o for o, _ in OPTIONS]), unique=True)
        .map(lambda ids: tuple(o for o, _ in OPTIONS if o in ids)),
    }[field.type]


@st.composite
def _case(draw: st.DrawFn) -> tuple[tuple[ValueField, ...], dict[str, object]]:
    types = draw(st.lists(st.sampled_from(FIELD_TYPES), min_size=1, max_size=4))
    fields = tuple(_field(i, t) for i, t in enumerate(types))
    shown = {f.name: draw(_value(f)) for f in fields if draw(st.booleans())}
    return fields, shown


def _kind(fields: tuple[ValueField, ...]) -> RuleKind:
    class Sweep(RuleKind):
        key, name = f"sweep_{next(_keys)}", "测试字段"

        def choices(self, rule: Rule, field: ValueField) -> tuple[tuple[str, str], ...]:
            return OPTIONS

        def score(self, *args: object) -> Outcome:
            return Outcome("missing", message="")

    Sweep.fields = fields
    return Sweep()


def _clerk_edit(editor, field: ValueField) -> object:
    """Edit the field as the clerk would; the value the edit must send."""
    widget = editor.inputs[field.name]
    if field.type == "number":
        widget.setText("42.5")
        widget.textEdited.emit("42.5")
        return Decimal("42.5")
    if field.type == "count":
        widget.setValue(7 if widget.value() != 7 else 8)
        return Decimal(widget.value())
    if field.type == "text":
        widget.setText("改了")
        widget.textEdited.emit("改了")
        return "改了"
    if field.type == "choice":
        index = widget.findData("z")
        widget.setCurrentIndex(index)
        widget.activated.emit(index)
        return "z"
    box = widget.findChild(QCheckBox, "item.y")  # this field's own boxes
    ticked = box.isChecked()
    box.click()
    ids = [o for o, _ in OPTIONS if widget.findChild(QCheckBox, f"item.{o}").isChecked()]
    assert ("y" in ids) != ticked
    return tuple(ids)


def test_any_declared_fields_get_their_inputs_in_order(qtbot, qapp):
    from desktop.form.leaf_editors import leaf_editor

    setup_app(qapp)

    @settings(max_examples=budget(EXAMPLES), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=_case())
    def run(case: tuple[tuple[ValueField, ...], dict[str, object]]) -> None:
        fields, shown = case
        kind = _kind(fields)
        rules.register(kind)
        try:
            value = LeafValue(**shown)
            editor = leaf_editor(leaf({"id": "s", "name": "测试", "weight": 10,
                                       "rule": {"type": kind.key}}), current=lambda: value)
            qtbot.addWidget(editor)
            edits: list[tuple[dict, str]] = []
            editor.edited.connect(lambda changes, name: edits.append((changes, name)))
            assert list(editor.inputs) == [f.name for f in fields]
            for f in fields:
                if f.type in WIDGET:
                    assert isinstance(editor.inputs[f.name], WIDGET[f.type]), f
                else:
                    boxes = editor.inputs[f.name].findChildren(QCheckBox)
                    assert [b.text() for b in boxes] == [label for _, label in OPTIONS]
            editor.load(value, None)
            editor.load(value, None)
            assert edits == []  # what is shown is no edit
            for f in fields:
                held = shown.get(f.name)
                widget = editor.inputs[f.name]
                if f.type == "number":
                    assert (Decimal(widget.text()) if widget.text() else None) == held
                elif f.type == "count":
                    assert widget.value() == (-1 if held is None else int(held))
                elif f.type == "text":
                    assert widget.text() == (held or "")
                elif f.type == "choice":
                    assert (widget.currentData() or None) == held
                else:
                    ticked = tuple(o for o, _ in OPTIONS
                                   if widget.findChild(QCheckBox, f"item.{o}").isChecked())
                    assert ticked == (held or ())
            for f in fields:
                sent = _clerk_edit(editor, f)
                assert edits[-1] == ({f.name: sent}, f.name), (f, edits[-1])
            editor.deleteLater()
        finally:
            rules.unregister(kind.key)

    run()
