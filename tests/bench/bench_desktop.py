"""Desktop program: start-up to a shown main window (whole process), live score after an edit."""

from __future__ import annotations

import os
from dataclasses import replace
from decimal import Decimal
from typing import Any

from common import OUT, Command, InProcess, selfeval
from synthetic import synthetic_evaluation

_state: dict[str, Any] = {}


def _setup_window() -> None:
    """A main window on a 100-leaf evaluation, showing the indicator page (where edits happen)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["SELFEVAL_HOME"] = str(OUT / "home-inprocess")
    from PySide6.QtWidgets import QApplication

    from desktop.shell.app import create_app, create_main_window
    from forms.paths import default_db_path
    from forms.scoring import score
    from forms.storage import Library

    create_app()
    db = default_db_path()
    db.parent.mkdir(parents=True, exist_ok=True)
    # the session flag (.state) too: without the database it reads as a lost database, and
    # start-up would wait on its warning for ever when the bench runs a second time
    for suffix in ("", "-wal", "-shm", ".state"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    evaluation = synthetic_evaluation(100)
    library = Library(db)
    library.set_meta("sample_added", "bench")  # no sample: the 100-leaf evaluation only
    evaluation_id = library.add(evaluation)
    library.close()
    window = create_main_window(db)
    assert window is not None and window.document.evaluation_id == evaluation_id
    window.resize(1366, 768)
    window.show()
    window.show_section(next(i for i, p in enumerate(window.pages) if p.section == "values"))
    QApplication.processEvents()
    leaf = "l0"
    values = [replace(evaluation.value(leaf), actual=Decimal(a)) for a in ("81", "97")]
    variants = [evaluation.with_value(leaf, v) for v in values]
    _state.update(app=QApplication.instance(), window=window, values=values, turn=0,
                  totals=[f"{score(v).total:.2f}" for v in variants], leaf=leaf)
    assert _state["totals"][0] != _state["totals"][1]


def _edit_and_wait() -> None:
    window = _state["window"]
    turn = _state["turn"] = 1 - _state["turn"]
    document = window.document
    document.apply(document.evaluation.with_value(_state["leaf"], _state["values"][turn]),
                   "编辑", merge_key="bench")
    expected = _state["totals"][turn]
    while window.score_panel.total_text() != expected:
        _state["app"].processEvents()
    _state["app"].processEvents()  # and the repaint the clerk sees


def benchmarks() -> list[Command | InProcess]:
    return [
        Command("selfeval gui: start to shown main window with the sample (whole process)",
                selfeval("gui"), target_s=1.5, runs=7,
                env={"SELFEVAL_QUIT_AFTER_SHOW": "1"}),
        InProcess("score panel updated after an edit, 100 leaves (in-process, median)",
                  _edit_and_wait, target_ms=50, repeat=50, setup=_setup_window),
    ]
