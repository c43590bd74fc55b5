"""Form pages: a keystroke on the indicator page, a paste into the budget grid, opening the pages.

All in-process on a 100-leaf evaluation (tests/bench/synthetic.py), offscreen.
"""

from __future__ import annotations

import os
from typing import Any

from common import InProcess
from synthetic import synthetic_evaluation

_state: dict[str, Any] = {}


def _app() -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    try:
        from desktop.common.qt_setup import setup_application
        setup_application(app)
    except ImportError:
        pass
    return app


def _setup_indicators() -> None:
    from desktop.form.document import Document
    from desktop.form.pages.indicators import IndicatorsPage

    app = _app()
    evaluation = synthetic_evaluation(100)
    document = Document(evaluation)
    page = IndicatorsPage(document)
    page.resize(1000, 600)
    page.show()
    leaf = next(r.leaf.id for r in document.result.leaves if r.leaf.rule.type == "ratio"
                and not r.leaf.source)
    page.focus_leaf(leaf)
    app.processEvents()
    field = page.panel.editor.number
    field.setFocus()
    _state.update(app=app, page=page, field=field, turn=0, document=document, leaf=leaf)


def _keystroke() -> None:
    """What one typed digit costs: parse, new snapshot, score, validate, refresh, paint."""
    field = _state["field"]
    _state["turn"] = 1 - _state["turn"]
    text = "81" if _state["turn"] else "97"
    field.setText(text)
    field.textEdited.emit(text)
    _state["app"].processEvents()
    assert _state["document"].evaluation.value(_state["leaf"]).actual is not None


def _setup_budget() -> None:
    from desktop.form.document import Document
    from desktop.form.pages.budget import BudgetPage

    app = _app()
    document = Document(synthetic_evaluation(100))
    page = BudgetPage(document)
    page.resize(1000, 600)
    page.show()
    app.processEvents()
    blocks = ["\n".join("\t".join(str(100 * r + c + k) for c in range(3)) for r in range(7)) + "\n"
              for k in (1, 2)]
    _state.update(app=app, budget=page, blocks=blocks, turn=0)


def _paste() -> None:
    page = _state["budget"]
    _state["turn"] = 1 - _state["turn"]
    page.table.setCurrentIndex(page.model.index(0, 0))
    page.table.paste(_state["blocks"][_state["turn"]])
    _state["app"].processEvents()


def _setup_open() -> None:
    _state.update(app=_app(), evaluation=synthetic_evaluation(100))


def _open_pages() -> None:
    from desktop.form.document import Document
    from desktop.form.pages import build_pages

    pages = build_pages(Document(_state["evaluation"]))
    for page in pages:
        page.deleteLater()
    _state["app"].processEvents()


def benchmarks() -> list[InProcess]:
    return [
        InProcess("indicator page: one keystroke in a leaf's value, 100 leaves (score + refresh)",
                  _keystroke, target_ms=50, repeat=50, setup=_setup_indicators),
        InProcess("budget grid: paste a 7×3 block from Excel (one undo step)",
                  _paste, target_ms=50, repeat=30, setup=_setup_budget),
        InProcess("open an evaluation: build the seven form pages, 100 leaves",
                  _open_pages, target_ms=250, repeat=10, setup=_setup_open),
    ]
