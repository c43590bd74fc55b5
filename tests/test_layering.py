"""The layers point one way: forms ← exports ← desktop (docs/architecture.md)."""

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
