"""The layers point one way: forms ← exports ← desktop, and within the desktop its rooms
common ← form, system_editor ← shell ← cli (docs/architecture.md); no file grows past 600 lines."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "forms": {"PySide6", "desktop", "exports", "openpyxl", "reportlab", "docx"},
    "exports": {"PySide6", "desktop"},
}


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_imports_point_the_right_way(package):
    bad = []
    for path in sorted((ROOT / package).rglob("*.py")):
        wrong = imports_of(path) & FORBIDDEN[package]
        if wrong:
            bad.append(f"{path.relative_to(ROOT)} imports {sorted(wrong)}")
    assert not bad, "\n".join(bad)


def _percent_of_quotient(node: ast.AST) -> bool:
    """``a / b * 100`` or ``a * 100 / b``: a rate computed by hand."""
    if not isinstance(node, ast.BinOp):
        return False
    def hundred(n: ast.AST) -> bool:
        return ((isinstance(n, ast.Constant) and n.value == 100)
                or (isinstance(n, ast.Name) and n.id == "HUNDRED"))

    if isinstance(node.op, ast.Mult):
        sides = (node.left, node.right)
        return any(hundred(a) and isinstance(b, ast.BinOp) and isinstance(b.op, ast.Div)
                   for a, b in (sides, sides[::-1]))
    if isinstance(node.op, ast.Div) and isinstance(node.left, ast.BinOp):
        inner = node.left
        return isinstance(inner.op, ast.Mult) and (hundred(inner.left) or hundred(inner.right))
    return False


@pytest.mark.parametrize("package", ["desktop", "exports"])
def test_rates_are_computed_in_forms_only(package):
    """Execution rates and other percentages come from forms (forms.budget.rate)."""
    found = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if _percent_of_quotient(node):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not found, "\n".join(found)


def test_the_rate_check_sees_a_hand_made_rate():
    for text in ("r = e / b * 100", "r = 100 * (e / b)", "r = e * 100 / b",
                 "r = e / b * HUNDRED"):
        assert any(_percent_of_quotient(n) for n in ast.walk(ast.parse(text))), text
    for text in ("r = rate(e, b)", "w = v * 100", "x = a / 2"):
        assert not any(_percent_of_quotient(n) for n in ast.walk(ast.parse(text))), text


# The desktop's rooms (docs/architecture.md): common ← form, system_editor ← shell ← cli,
# and commands ← shell, cli (the commands use no Qt).
ROOMS_MAY_IMPORT = {
    "common": set(),
    "form": {"common"},
    "system_editor": {"common"},
    "shell": {"common", "form", "system_editor", "commands"},
    "commands": set(),
    "cli": {"shell", "commands"},
}


def _room_of(path: Path) -> str:
    parts = path.relative_to(ROOT / "desktop").parts
    return parts[0] if len(parts) > 1 else path.stem


def _desktop_imports(path: Path) -> set[str]:
    """The rooms a desktop module imports from (``desktop.<room>…``), at any depth of the file."""
    rooms = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                 [node.module] if isinstance(node, ast.ImportFrom) and node.module else [])
        if isinstance(node, ast.ImportFrom) and node.level:
            names = []  # relative imports stay within a room
        rooms.update(n.split(".")[1] for n in names if n.startswith("desktop."))
    return rooms


def test_the_desktop_rooms_point_one_way():
    bad, seen = [], set()
    for path in sorted((ROOT / "desktop").rglob("*.py")):
        room = _room_of(path)
        if room == "__init__":
            continue
        seen.add(room)
        assert room in ROOMS_MAY_IMPORT, f"{path.relative_to(ROOT)}: a module outside the rooms"
        wrong = _desktop_imports(path) - ROOMS_MAY_IMPORT[room] - {room}
        if wrong:
            bad.append(f"{path.relative_to(ROOT)} ({room}) imports {sorted(wrong)}")
    assert seen == set(ROOMS_MAY_IMPORT)
    assert not bad, "\n".join(bad)


def test_the_room_check_sees_an_upward_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("from desktop.shell.app import run\nimport desktop.form.document\n")
    assert _desktop_imports(module) == {"shell", "form"}


MAX_LINES = 600


def test_no_source_file_is_over_600_lines():
    long = []
    for package in ("forms", "exports", "desktop", "tests", "packaging", "resources"):
        for path in sorted((ROOT / package).rglob("*.py")):
            count = len(path.read_text(encoding="utf-8").splitlines())
            if count > MAX_LINES:
                long.append(f"{path.relative_to(ROOT)}: {count} lines")
    assert not long, "\n".join(long)
