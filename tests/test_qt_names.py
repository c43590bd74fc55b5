"""No class in desktop/ hides a method of its Qt base class under a name of its own.

A widget method named ``emit`` broke every editor on PySide6 6.8 (the signal's ``emit``
was found on the widget first); an attribute named ``scroll`` or ``format`` replaces
QWidget.scroll() or QSyntaxHighlighter.format() for any Qt code that calls them from
Python.  Overriding one of Qt's virtual functions (events, model and delegate methods,
undo commands) is how Qt is meant to be used and is allowed; anything else must have a
name Qt does not use.
"""

import ast
import importlib
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent

# Qt virtual functions the program overrides on purpose.  A name ending in "Event" is a
# virtual event handler.  Add a name here only if Qt declares it virtual.
VIRTUALS = {
    "eventFilter", "event",
    "data", "setData", "flags", "headerData", "rowCount", "columnCount", "index", "parent",
    "createEditor", "setEditorData", "setModelData", "updateEditorGeometry", "paint", "commitData",
    "highlightBlock", "sizeHint", "minimumSizeHint", "hasHeightForWidth", "heightForWidth",
    "hitButton",
    "accept", "reject", "done",
    "id", "mergeWith", "redo", "undo",
    "run", "isEmpty", "translate",
}


def own_names(node: ast.ClassDef) -> set[str]:
    """The methods a class defines and the attributes its methods set on ``self``."""
    names = {b.name for b in node.body if isinstance(b, ast.FunctionDef | ast.AsyncFunctionDef)}
    for sub in ast.walk(node):
        if isinstance(sub, ast.Assign | ast.AnnAssign | ast.AugAssign):
            targets = sub.targets if isinstance(sub, ast.Assign) else [sub.target]
            for target in targets:
                for e in ast.walk(target):
                    if (isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name)
                            and e.value.id == "self"):
                        names.add(e.attr)
    return names


def classes(tree: ast.AST, prefix: tuple[str, ...] = ()):
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.ClassDef):
            yield (*prefix, node.name), node
            yield from classes(node, (*prefix, node.name))
        elif isinstance(node, ast.FunctionDef):
            continue  # classes made inside a function are not reachable by name


def qt_names(cls: type) -> set[str]:
    names: set[str] = set()
    for base in cls.__mro__[1:]:
        if base.__module__.startswith(("PySide6", "Shiboken")):
            names |= {n for n in vars(base) if not n.startswith("_")}
    return names


def shadowed(module_name: str, source: str) -> list[str]:
    module = importlib.import_module(module_name)
    found = []
    for qualname, node in classes(ast.parse(source)):
        obj: object = module
        for part in qualname:
            obj = getattr(obj, part, None)
        if not isinstance(obj, type):
            continue
        clash = own_names(node) & qt_names(obj)
        for name in sorted(n for n in clash if n not in VIRTUALS and not n.endswith("Event")):
            found.append(f"{module_name}.{'.'.join(qualname)}.{name}")
    return found


def desktop_modules():
    for path in sorted((ROOT / "desktop").rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path.read_text(encoding="utf-8")


def test_no_desktop_class_hides_a_method_of_its_qt_base(qapp):
    found = [name for module, source in desktop_modules() for name in shadowed(module, source)]
    assert found == [], "these names hide a method of the Qt base class: " + ", ".join(found)


def test_the_check_sees_a_method_and_an_attribute_that_hide_qt_ones():
    source = (
        "from PySide6.QtWidgets import QWidget\n"
        "class Editor(QWidget):\n"
        "    def emit(self, field): pass\n"
        "    def keyPressEvent(self, event): pass\n"
        "    def __init__(self):\n"
        "        super().__init__()\n"
        "        self.scroll = None\n"
        "        self.rows = 0\n"
    )
    namespace: dict[str, object] = {}
    exec(compile(source, "<editor>", "exec"), namespace)
    node = next(n for n in ast.parse(source).body if isinstance(n, ast.ClassDef))
    cls = namespace["Editor"]
    assert isinstance(cls, type)
    clash = own_names(node) & qt_names(cls)
    assert {n for n in clash if n not in VIRTUALS and not n.endswith("Event")} == {"emit", "scroll"}
