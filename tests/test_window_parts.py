"""The main window is composed of parts, not mixed from classes that share its attributes.

Each part (``desktop/shell/window_*.py``) owns its widgets and state and knows no other
part: it imports none, and touches no private attribute of any object but itself. The
window and its neighbours (``desktop/shell``, ``desktop/cli.py``, ``desktop/commands``)
pass ``mypy --strict``.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHELL = ROOT / "desktop" / "shell"
PARTS = sorted(SHELL.glob("window_*.py"))
TYPED = ["desktop/shell", "desktop/cli.py", "desktop/commands"]


def imported(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            modules.add(node.module)
            modules.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            modules.update(a.name for a in node.names)
    return modules


def test_the_main_window_is_composed_of_parts_that_know_nothing_of_each_other(qapp):
    from desktop.shell.main_window import MainWindow

    own = [c.__qualname__ for c in MainWindow.__mro__[1:]
           if not c.__module__.startswith(("PySide6", "Shiboken", "builtins"))]
    assert own == [], f"MainWindow inherits behaviour from {own}: compose a part instead"
    assert [p.stem for p in PARTS] == ["window_actions", "window_navigation", "window_opening",
                                       "window_status"]
    for path in PARTS:
        others = {f"desktop.shell.{p.stem}" for p in PARTS if p != path}
        others.add("desktop.shell.main_window")
        assert not imported(path) & others, f"{path.name} imports {sorted(imported(path) & others)}"


def private_reaches(source: str) -> list[str]:
    """``x._name`` where ``x`` is not ``self`` (nor ``cls``): a reach into another's state."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Attribute) and node.attr.startswith("_")
                and not node.attr.startswith("__")):
            owner = node.value
            if isinstance(owner, ast.Name) and owner.id in ("self", "cls"):
                continue
            found.append(f"{ast.unparse(node)} (line {node.lineno})")
    return found


@pytest.mark.parametrize("path", [*PARTS, SHELL / "main_window.py", SHELL / "pack_action.py",
                                  SHELL / "template_dialog.py"], ids=lambda p: p.stem)
def test_no_part_touches_a_private_attribute_of_another_object(path):
    assert private_reaches(path.read_text(encoding="utf-8")) == []


def test_the_private_check_sees_a_reach():
    source = "def f(self, other):\n    self._mine = other._theirs\n    return self._host._x\n"
    assert private_reaches(source) == ["other._theirs (line 2)", "self._host._x (line 3)"]


@pytest.mark.slow
def test_the_window_and_the_command_line_pass_mypy_strict():
    env = dict(os.environ, MYPY_FORCE_COLOR="0")
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
                             "--show-error-codes", *TYPED], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=600)
    # mypy also reads the modules these import; only errors in these files count here
    mine = [line for line in result.stdout.splitlines()
            if line.startswith(("desktop/shell/", "desktop/cli.py", "desktop/commands/"))
            and ": error:" in line]
    assert result.returncode in (0, 1), result.stderr
    assert mine == [], "\n".join(mine)
