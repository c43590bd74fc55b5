"""Killing the program loses at most the last second: a real process, SIGKILLed after an edit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from decimal import Decimal
from pathlib import Path

import pytest

from desktop_windows import edit_then_kill
from forms.storage import Library

pytestmark = pytest.mark.slow  # real processes started and killed: seconds each

SCRIPT = textwrap.dedent("""
    import sys
    from dataclasses import replace
    from decimal import Decimal
    from PySide6.QtCore import QTimer
    from desktop.shell.app import create_app, create_main_window

    app = create_app()
    window = create_main_window(sys.argv[1])
    window.show()

    def edit():
        document = window.document
        value = document.evaluation.value("output_growth")
        document.apply(document.evaluation.with_value(
            "output_growth", replace(value, actual=Decimal("5"))))
        print("edited", flush=True)

    QTimer.singleShot(100, edit)
    app.exec()
""")


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_an_edit_survives_killing_the_process_one_second_later(tmp_path, qtbot):
    db = tmp_path / "selfeval.db"
    edit_then_kill(SCRIPT, db)  # autosave's promise: saved within a second
    library = Library(db)
    rows = library.list()
    assert len(rows) == 1
    assert library.get(rows[0].id).value("output_growth").actual == Decimal("5")
    assert rows[0].total == "93.58"
    library.close()

    # the next start opens it, without calling the killed copy's stale lock "in use"
    from desktop.shell.app import create_main_window

    window = create_main_window(db)
    qtbot.addWidget(window)
    assert window.save_status.lock_label.isHidden()
    assert window.score_panel.total_text() == "93.58"
    window.close()
    window.library.close()



def test_without_a_display_the_program_says_so_in_chinese(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    done = subprocess.run([sys.executable, "-m", "desktop.cli", "gui", "--db",
                           str(tmp_path / "x.db")], env=env, capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[1], timeout=60)
    if sys.platform.startswith("linux"):
        assert done.returncode == 2
        assert "没有可用的图形界面" in done.stderr
        assert "Traceback" not in done.stderr
