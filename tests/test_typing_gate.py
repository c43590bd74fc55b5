"""`make lint` runs mypy --strict over desktop/ as over forms/ and exports/; the desktop files
not clean yet are named one by one in pyproject.toml, and that list may only shrink.

- no name is added to it (``STILL_FAILING`` is the most it may hold; take a name out of
  both when its file is clean, never put one in);
- every name is a file that exists (a renamed or deleted file leaves the list);
- a file on the list that has become clean leaves it (the slow test runs mypy without it);
- nothing else lets a desktop file out of the check: desktop/ is in ``files``, no
  ``exclude``, no pattern (``desktop.shell.*`` would let every new file in unchecked), no
  other setting loosened for a desktop module.
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent

STILL_FAILING = frozenset({
    "desktop.form.indicator_inline",
    "desktop.form.leaf_editors",
    "desktop.form.leaf_panel",
    "desktop.shell.app",
    "desktop.shell.export_actions",
    "desktop.shell.library_dialog",
    "desktop.shell.review_window",
    "desktop.shell.template_dialog",
    "desktop.shell.window_actions",
    "desktop.shell.window_opening",
    "desktop.shell.window_status",
    "desktop.system_editor.detail",
    "desktop.system_editor.files",
    "desktop.system_editor.preview",
    "desktop.system_editor.table_import",
    "desktop.system_editor.totals",
    "desktop.system_editor.tree",
    "desktop.system_editor.widgets",
    "desktop.system_editor.window",
})


def mypy_config(text: str | None = None) -> dict[str, Any]:
    if text is None:
        text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    config: dict[str, Any] = tomllib.loads(text)["tool"]["mypy"]
    return config


def _modules(override: dict[str, Any]) -> list[str]:
    module = override.get("module", [])
    return [module] if isinstance(module, str) else list(module)


def not_checked(config: dict[str, Any]) -> list[str]:
    """The modules whose errors mypy does not report (``ignore_errors``)."""
    return [m for o in config.get("overrides", []) if o.get("ignore_errors")
            for m in _modules(o)]


def gate_problems(config: dict[str, Any], root: Path = ROOT) -> list[str]:
    problems = []
    if "desktop" not in config.get("files", []):
        problems.append("desktop/ is not in mypy's files")
    for key in ("exclude", "follow_imports", "ignore_errors"):
        if key in config:
            problems.append(f"mypy's {key} applies to every file")
    listed = not_checked(config)
    if len(listed) != len(set(listed)):
        problems.append("a module is named twice")
    for name in listed:
        if name not in STILL_FAILING:
            problems.append(f"{name}: new on the list (the list may only shrink)")
        if not (root / (name.replace(".", "/") + ".py")).is_file():
            problems.append(f"{name}: no such file (take it off the list)")
    for override in config.get("overrides", []):
        for name in _modules(override):
            if not name.startswith("desktop"):
                continue
            if "*" in name:
                problems.append(f"{name}: a pattern lets new desktop files in unchecked")
            loosened = set(override) - {"module", "ignore_errors"}
            if loosened:
                problems.append(f"{name}: {', '.join(sorted(loosened))} loosened")
    return problems


def test_desktop_is_checked_but_for_a_list_that_only_shrinks():
    assert gate_problems(mypy_config()) == []
    assert set(not_checked(mypy_config())) <= STILL_FAILING


GATE = """
[tool.mypy]
strict = true
files = ["forms", "exports", "desktop"]

[[tool.mypy.overrides]]
module = ["openpyxl.*"]
ignore_missing_imports = true

[[tool.mypy.overrides]]
module = [MODULES]
ignore_errors = true
"""


@pytest.mark.parametrize("modules, found", [
    ('"desktop.shell.app"', []),
    ('"desktop.shell.app", "desktop.form.tables"', ["desktop.form.tables: new on the list"]),
    ('"desktop.shell.gone"', ["desktop.shell.gone: new on the list",
                              "desktop.shell.gone: no such file"]),
    ('"desktop.shell.*"', ["desktop.shell.*: new on the list", "desktop.shell.*: no such file",
                           "desktop.shell.*: a pattern"]),
    ('"desktop.shell.app", "desktop.shell.app"', ["a module is named twice"]),
])
def test_the_gate_sees_a_list_that_grows(modules, found):
    problems = gate_problems(mypy_config(GATE.replace("MODULES", modules)))
    assert len(problems) == len(found)
    for problem, words in zip(problems, found):
        assert problem.startswith(words)


@pytest.mark.parametrize("change, words", [
    (('"forms", "exports", "desktop"', '"forms", "exports"'), "desktop/ is not in mypy's files"),
    (("strict = true", 'strict = true\nexclude = "desktop/shell"'), "mypy's exclude"),
    (("strict = true", 'strict = true\nfollow_imports = "skip"'), "mypy's follow_imports"),
    (('module = ["openpyxl.*"]', 'module = ["openpyxl.*", "desktop.form.tables"]'),
     "desktop.form.tables: ignore_missing_imports loosened"),
])
def test_the_gate_sees_desktop_skipped(change, words):
    text = GATE.replace("MODULES", '"desktop.shell.app"').replace(*change)
    problems = gate_problems(mypy_config(text))
    assert any(words in problem for problem in problems), problems


def _ini(config: dict[str, Any]) -> str:
    """``config`` as a mypy.ini, without the list of modules not checked."""
    def value(v: Any) -> str:
        if isinstance(v, bool):
            return str(v)
        return ",".join(map(str, v)) if isinstance(v, list) else str(v)

    lines = ["[mypy]"] + [f"{k} = {value(v)}" for k, v in config.items()
                          if k not in ("overrides", "files")]
    for override in config.get("overrides", []):
        if override.get("ignore_errors"):
            continue
        lines.append(f"[mypy-{','.join(_modules(override))}]")
        lines += [f"{k} = {value(v)}" for k, v in override.items() if k != "module"]
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_a_listed_file_that_is_clean_leaves_the_list(tmp_path):
    listed = not_checked(mypy_config())
    if not listed:
        return  # every desktop file is checked: nothing to leave
    ini = tmp_path / "mypy.ini"
    ini.write_text(_ini(mypy_config()), encoding="utf-8")
    paths = [name.replace(".", "/") + ".py" for name in listed]
    run = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(ini),
                          "--cache-dir", str(tmp_path / "cache"), *paths],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert "error:" in run.stdout, run.stdout + run.stderr  # mypy ran and found the list's
    failing = {line.split(":", 1)[0] for line in run.stdout.splitlines() if ": error:" in line}
    clean = [p for p in paths if p not in failing]
    assert clean == [], f"clean now: take {clean} off the list in pyproject.toml and here"
