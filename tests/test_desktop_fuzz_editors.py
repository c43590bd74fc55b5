"""Random text typed into every kind of editor of the window: no crash, no 意外问题,
and what the database holds after each case is exactly what the window holds.

Cases per editor kind: 120 (scaled by ``tests/fuzz_budget.py``), a few hundred in all.
"""

from __future__ import annotations


import pytest
from desktop_typing import enter, press, type_text
from fuzz_budget import cases as budget
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.common import messages
from desktop.shell.app import create_main_window
from desktop.form.indicator_tree import COL_ACTUAL, COL_DEVIATION
from desktop.common.qt_setup import setup_application
from forms.address import parse

EXAMPLES = 120

_TYPED = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=24)
_NUMBERISH = st.from_regex(r"[+\-－]?[0-9０-９,，.．]{0,30}(万元|%|％|e5)?", fullmatch=True)
_HUGE = st.integers(min_value=10 ** 11, max_value=10 ** 40).map(str)
_DECIMALS = st.decimals(allow_nan=False, allow_infinity=False, places=8,
                        min_value=-10 ** 13, max_value=10 ** 13).map(str)
TEXTS = st.one_of(_TYPED, _NUMBERISH, _HUGE, _DECIMALS)

KINDS = ("leaf_field", "budget_cell", "project_cell", "tree_cell", "count", "text", "line")


@pytest.fixture
def window(qtbot, qapp, monkeypatch):
    setup_application(qapp)
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(messages.Messages, "show", staticmethod(
        lambda parent, kind, title, text, details="": said.append((title, text))))
    monkeypatch.setattr(messages.Messages, "ask", staticmethod(
        lambda parent, title, text, choices, kind="", default=0: len(choices) - 1))
    win = create_main_window(None)
    assert win is not None
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    win.said = said
    yield win
    win.close()
    win.library.close()


def _page(window, section: str):
    index, page = window.page_for(section)
    window.show_section(index)
    return page


def _type_into(window, kind: str, text: str, where: int) -> None:
    if kind == "leaf_field":
        page = _page(window, "values")
        page.focus_leaf(("fdi", "visits", "procurement")[where % 3])
        field = page.panel.editor.number
        field.setFocus()
        field.selectAll()
        type_text(text)
        press(Qt.Key.Key_Tab)
    elif kind in ("budget_cell", "project_cell"):
        page = _page(window, "budget" if kind == "budget_cell" else "projects")
        model = page.table.model()
        page.table.setFocus()
        page.table.setCurrentIndex(model.index(where % model.rowCount(),
                                               where % model.columnCount()))
        type_text(text)
        enter()
    elif kind == "tree_cell":
        page = _page(window, "values")
        leaf = ("fdi", "assets", "satisfaction", "visits")[where % 4]
        page.tree.setFocus()
        page.tree.setCurrentIndex(page.model.leaf_index(
            leaf, COL_DEVIATION if where % 5 == 0 else COL_ACTUAL))
        type_text(text)
        enter()
    elif kind == "count":
        page = _page(window, "values")
        page.focus_leaf("assets")
        spin = page.panel.editor.spin
        spin.setFocus()
        spin.selectAll()
        type_text(text)
        press(Qt.Key.Key_Tab)
    elif kind == "line":
        page = _page(window, "department")
        names = ("department.preparer", "department.phone", "department.code")
        field = page.fields[parse(names[where % 3])]
        field.setFocus()
        field.selectAll()
        type_text(text)
    else:
        page = _page(window, "values")
        page.focus_leaf("output_growth")
        page.panel.deviation.field.setFocus()
        type_text(text)
    QApplication.processEvents()


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_random_text_in_an_editor_never_crashes_and_is_saved_as_shown(window, kind):
    cases = {"n": 0, "refused": 0}
    evaluation_id = window.document.evaluation_id

    @settings(max_examples=budget(EXAMPLES), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(text=TEXTS, where=st.integers(min_value=0, max_value=50))
    def case(text: str, where: int) -> None:
        cases["n"] += 1
        _type_into(window, kind, text, where)
        assert window.save_now()
        stored = window.library.get(evaluation_id)
        assert window.document.same(stored, window.document.evaluation)
        cases["refused"] += bool(window.document.entries)

    case()
    assert not [s for s in window.said if s[0] in ("意外问题", "未能保存")]
    assert cases["n"] >= min(budget(EXAMPLES), 20)
    print(f"{kind}: {cases['n']} typed texts, {cases['refused']} with a refused entry")
