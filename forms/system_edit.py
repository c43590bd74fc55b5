"""An editable draft of an indicator system (指标体系草稿), without Qt.

The editor window works on a ``SystemDraft``: the JSON form that
``build_system`` reads, held as plain dicts and lists so that it may be wrong
while the clerk is typing (weights that do not add up, a number that is not a
number yet).  Every operation changes the draft in place; the live checks are
simply ``build_system``'s problems, mapped back to the tree node they concern.

Nodes are addressed by their index path: ``(i,)`` a level-1 node (一级指标),
``(i, j)`` a level-2 node (二级指标), and so on down to level 4.  A node with a
``children`` list is a group; any other is a leaf (末级指标), at level 2, 3 or 4.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .address import node_indices
from .address import parse as parse_address
from .budget import Rates
from .catalog import SYSTEM_FORMAT, SYSTEM_VERSION, SystemFileError, parse_system_file
from .files import ReadFailed, read_bounded, write_atomic
from .model import LeafValue
from .numbers import NumberError, parse_int, parse_number
from .package import MAX_PACKAGE_BYTES, dumps, parse_json
from .paths import user_systems_dir
from .scoring import LeafResult, score_leaf
from .system import (
    DEFAULT_GRADES,
    MAX_DEPTH,
    Leaf,
    Problem,
    System,
    build_system,
    num_out,
    system_to_dict,
)
from .system_edit_rules import RuleEdits, number_or_text

__all__ = ["LEVEL_NAMES", "Check", "NodePath", "SystemDraft", "number_or_text"]

NodePath = tuple[int, ...]

LEVEL_NAMES = {1: "一级指标", 2: "二级指标", 3: "三级指标", 4: "四级指标"}

def node_path_of(problem_path: str) -> NodePath:
    """The tree node a ``build_system`` problem path (rooted at ``system``) belongs to."""
    return node_indices(parse_address(problem_path))


def blank_system() -> dict[str, Any]:
    return {
        "name": "",
        "jurisdiction": "",
        "grades": [{"min": num_out(m), "grade": g} for m, g in DEFAULT_GRADES],
        "indicators": [],
    }


@dataclass(frozen=True)
class Check:
    """The live check result: every problem, and the same grouped by tree node."""

    system: System
    problems: tuple[Problem, ...]
    by_node: dict[NodePath, tuple[Problem, ...]]

    @property
    def ok(self) -> bool:
        return not self.problems

    def at(self, path: NodePath) -> tuple[Problem, ...]:
        return self.by_node.get(path, ())

    def below(self, path: NodePath) -> int:
        """How many problems concern this node or any node under it."""
        n = len(path)
        return sum(len(ps) for p, ps in self.by_node.items() if p[:n] == path and n)


class SystemDraft(RuleEdits):
    """A system being edited: raw JSON-like data plus the operations of the editor."""

    def __init__(self, data: dict[str, Any] | None = None):
        self.data: dict[str, Any] = copy.deepcopy(data) if data is not None else blank_system()
        self.data.pop("format", None)
        self.data.pop("version", None)
        self.dropped: list[str] = []  # what a damaged file held that is not a node
        self.data["indicators"] = self._nodes(self.data.get("indicators"), 1, "")
        if self.data.get("grades") in (None, []):  # what build_system uses anyway, shown
            self.data["grades"] = blank_system()["grades"]
        self._check: Check | None = None

    def _nodes(self, raw: Any, level: int, where: str) -> list[dict[str, Any]]:
        """Keep the tree walkable: nodes must be objects, children lists (a hand-edited
        file may break this; what is dropped is listed in ``dropped``)."""
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.dropped.append(f"{where or '指标体系'}的下级指标格式不对，已忽略")
            return []
        nodes = []
        for i, node in enumerate(raw):
            if not isinstance(node, dict):
                self.dropped.append(f"{where or '指标体系'}的第 {i + 1} 个{LEVEL_NAMES[level]}"
                                    f"不是对象（{str(node)[:20]}），已忽略")
                continue
            if level == 1 or ("children" in node and level < MAX_DEPTH):
                node["children"] = self._nodes(node.get("children"), level + 1,
                                               f"「{node.get('name') or '未命名'}」")
            nodes.append(node)
        return nodes

    # ------------------------------------------------------------ construction

    @classmethod
    def from_system(cls, system: System) -> SystemDraft:
        return cls(system_to_dict(system))

    @classmethod
    def from_file_bytes(cls, data: bytes, where: str = "") -> SystemDraft:
        """A draft from a system file, problems and all (``SystemFileError`` if unreadable)."""
        parse_system_file(data, where)  # refuses what is not a system file at all
        raw = parse_json(data)
        if raw.get("format") == "selfeval-package":
            raw = raw["system"]
        return cls(_plain(raw))

    @classmethod
    def from_path(cls, path: str | Path) -> SystemDraft:
        p = Path(path)
        try:
            data = read_bounded(p, MAX_PACKAGE_BYTES, "指标体系文件")
        except ReadFailed as exc:
            raise SystemFileError(str(exc)) from None
        return cls.from_file_bytes(data, p.name)

    def copy(self) -> SystemDraft:
        return SystemDraft(self.data)

    # ------------------------------------------------------------ reading

    def node(self, path: NodePath) -> dict[str, Any]:
        if not path:
            return self.data
        node: dict[str, Any] = self.data["indicators"][path[0]]
        for i in path[1:]:
            node = node["children"][i]
        return node

    def children(self, path: NodePath) -> list[dict[str, Any]]:
        if not path:
            return self.data["indicators"]  # type: ignore[no-any-return]
        node = self.node(path)
        kids = node.get("children")
        if not isinstance(kids, list):
            kids = node["children"] = []
        return kids

    def is_leaf(self, path: NodePath) -> bool:
        return bool(path) and not isinstance(self.node(path).get("children"), list)

    def walk(self) -> list[NodePath]:
        """Every node path, depth first, in display order."""
        out: list[NodePath] = []

        def visit(nodes: list[Any], prefix: NodePath) -> None:
            for i, node in enumerate(nodes):
                out.append(prefix + (i,))
                kids = node.get("children") if isinstance(node, dict) else None
                if isinstance(kids, list):
                    visit(kids, prefix + (i,))

        visit(self.data["indicators"], ())
        return out

    def leaves(self) -> list[NodePath]:
        return [p for p in self.walk() if self.is_leaf(p)]

    def depth(self) -> int:
        """The deepest level in the tree (2 to 4 in a usable system)."""
        return max((len(p) for p in self.walk()), default=0)

    def leaf_ids(self) -> set[str]:
        return {str(self.node(p).get("id")) for p in self.leaves()}

    def to_dict(self) -> dict[str, Any]:
        return copy.deepcopy(self.data)

    def check(self) -> Check:
        """The live checks: ``build_system``'s problems, grouped by tree node (cached)."""
        if self._check is None:
            system, problems = build_system(self.data, "system")
            by_node: dict[NodePath, list[Problem]] = {}
            for p in problems:
                by_node.setdefault(node_path_of(p.path), []).append(p)
            self._check = Check(system, tuple(problems),
                                {k: tuple(v) for k, v in by_node.items()})
        return self._check

    def changed(self) -> None:
        self._check = None

    # ------------------------------------------------------------ system header

    def set_header(self, key: str, value: str) -> None:
        """name / jurisdiction / origin / id / year (year as typed; build_system checks it)."""
        value = value.strip() if key in ("year", "id") else value
        if key == "year":
            if not value:
                self.data.pop("year", None)
            else:
                try:  # as typed when not a year: build_system names what is wrong
                    self.data["year"] = parse_int(value, "年度")
                except NumberError:
                    self.data["year"] = value
        else:
            self.data[key] = value
        self.changed()

    def set_grades(self, rows: list[tuple[str, str]]) -> None:
        """Grade thresholds as (下限 text, 等级 name) rows; blank rows are dropped."""
        grades = [{"min": number_or_text(m), "grade": g.strip()}
                  for m, g in rows if m.strip() or g.strip()]
        self.data["grades"] = grades
        self.changed()

    # ------------------------------------------------------------ tree operations

    def new_leaf_id(self) -> str:
        used = self.leaf_ids()
        n = len(used) + 1
        while f"ind{n:02d}" in used:
            n += 1
        return f"ind{n:02d}"

    def _new_node(self, leaf: bool) -> dict[str, Any]:
        if leaf:
            return {"id": self.new_leaf_id(), "name": "", "weight": None,
                    "rule": {"type": "manual"}}
        return {"name": "", "weight": None, "children": []}

    def _child_is_leaf(self, parent: NodePath) -> bool:
        """What a new child of ``parent`` is: like its siblings; in an empty group a leaf
        from level 3 on (or at the deepest level), a group above."""
        kids = self.children(parent)
        if kids:
            return not isinstance(kids[0].get("children"), list)
        return len(parent) >= 2

    def add_child(self, parent: NodePath, name: str = "", weight: Any = None,
                  *, leaf: bool | None = None) -> NodePath:
        """A new last child of ``parent`` (``()`` → a new 一级指标)."""
        if parent and self.is_leaf(parent):
            raise ValueError("末级指标下不能再添加下级指标；先用“增加一级”把它变成一组")
        if leaf is None:
            leaf = bool(parent) and self._child_is_leaf(parent)
        if len(parent) + 1 >= MAX_DEPTH:
            leaf = True
        if not parent:
            leaf = False
        node = self._new_node(leaf)
        node["name"] = name
        node["weight"] = weight
        kids = self.children(parent)
        kids.append(node)
        self.changed()
        return parent + (len(kids) - 1,)

    def add_sibling(self, path: NodePath, name: str = "", weight: Any = None) -> NodePath:
        """A new node of the same level right after ``path``."""
        parent, index = path[:-1], path[-1]
        node = self._new_node(self.is_leaf(path))
        node["name"] = name
        node["weight"] = weight
        self.children(parent).insert(index + 1, node)
        self.changed()
        return parent + (index + 1,)

    def add_level(self, path: NodePath) -> NodePath:
        """增加一级: the node at ``path`` moves down into a new group of the same name and
        weight that takes its place; returns the new group's path."""
        below = max((len(p) for p in self.walk() if p[:len(path)] == path), default=len(path))
        if below + 1 > MAX_DEPTH:
            raise ValueError(f"指标体系最多 {MAX_DEPTH} 级，不能再增加一级")
        kids = self.children(path[:-1])
        node = kids[path[-1]]
        kids[path[-1]] = {"name": node.get("name", ""), "weight": node.get("weight"),
                          "children": [node]}
        self.changed()
        return path

    def remove_level(self, path: NodePath) -> NodePath:
        """减少一级: the group at ``path`` is dissolved; its children take its place among
        its siblings.  Returns the path of the first of them."""
        if self.is_leaf(path):
            raise ValueError("末级指标没有下级，不能减少一级")
        if len(path) == 1 and any(not isinstance(k.get("children"), list)
                                  for k in self.children(path)):
            raise ValueError("一级指标下直接是末级指标时不能再减少一级：指标体系至少两级")
        kids = self.children(path[:-1])
        node = kids.pop(path[-1])
        kids[path[-1]:path[-1]] = node.get("children") or []
        self.changed()
        return path

    def remove(self, path: NodePath) -> dict[str, Any]:
        removed = self.children(path[:-1]).pop(path[-1])
        self.changed()
        return removed

    def move(self, path: NodePath, delta: int) -> NodePath:
        """Move a node up (-1) or down (+1) among its siblings; returns its new path."""
        kids = self.children(path[:-1])
        i, j = path[-1], path[-1] + delta
        if not 0 <= j < len(kids):
            return path
        kids[i], kids[j] = kids[j], kids[i]
        self.changed()
        return path[:-1] + (j,)

    def rename(self, path: NodePath, name: str) -> None:
        self.node(path)["name"] = name
        self.changed()

    def set_weight(self, path: NodePath, text: str) -> None:
        self.node(path).pop("share", None)  # the notice's percent no longer describes it
        self.node(path)["weight"] = number_or_text(text)
        self.changed()

    def set_field(self, path: NodePath, key: str, value: Any) -> None:
        """A node field (unit, target, criteria, source, explain_below, custom, id);
        empty text removes the key.  Number fields keep unparsable text for the checks."""
        node = self.node(path)
        if key in ("target", "explain_below") and isinstance(value, str):
            value = number_or_text(value)
        if value in (None, "", False):
            node.pop(key, None)
        else:
            node[key] = value
        self.changed()

    # ------------------------------------------------------------ sums shown in the tree

    def children_sum(self, path: NodePath) -> Decimal | None:
        """The sum of the children's weights, or None if one is not a number yet."""
        total = Decimal(0)
        for child in self.children(path):
            try:
                value = parse_number(child.get("weight"), required=False)
            except NumberError:
                return None
            total += value or 0
        return total

    # ------------------------------------------------------------ saving

    def file_bytes(self) -> bytes:
        """The system file (the format the program ships its systems in).

        A usable system is written in its normal form; a draft with problems is
        written as typed, so that it opens again exactly as it was left."""
        check = self.check()
        body = system_to_dict(check.system) if check.ok else self.to_dict()
        data: dict[str, Any] = {"format": SYSTEM_FORMAT, "version": SYSTEM_VERSION}
        data.update(body)
        return dumps(data).encode("utf-8")

    def ensure_id(self, folder: Path | None = None) -> str:
        """The system's id, making up a free ``user-N`` one when it has none."""
        current = str(self.data.get("id") or "").strip()
        if current:
            return current
        folder = folder or user_systems_dir()
        n = 1
        while (folder / f"user-{n}.json").exists():
            n += 1
        self.data["id"] = f"user-{n}"
        self.changed()
        return self.data["id"]  # type: ignore[no-any-return]

    def save_user(self, folder: Path | None = None) -> Path:
        """Save into the user's systems folder as ``<id>.json`` (WriteFailed on error)."""
        folder = folder or user_systems_dir()
        system_id = self.ensure_id(folder)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{safe_file_stem(system_id)}.json"
        write_atomic(path, self.file_bytes())
        return path


def safe_file_stem(text: str) -> str:
    stem = re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("._")
    return stem or "system"


def _plain(value: Any) -> Any:
    """JSON data read with Decimal numbers → ints/strings as system files write them."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return num_out(value)
    return value


# ---------------------------------------------------------------- preview

def draft_leaf(node: dict[str, Any]) -> Leaf:
    """A leaf dict as the scoring sees it, on its own (the rest of the draft may be wrong).

    ``source`` is dropped so that the preview uses the test value typed by the clerk."""
    leaf = copy.deepcopy(node)
    leaf.pop("source", None)
    rule = leaf.get("rule")
    if isinstance(rule, dict):
        for opt in rule.get("options") or []:
            if isinstance(opt, dict):
                opt.pop("source", None)
    leaf["id"] = "preview"
    weight = leaf.get("weight")
    wrapper = {"name": "preview", "indicators": [
        {"name": "g1", "weight": weight, "children": [
            {"name": "g2", "weight": weight, "children": [leaf]}]}]}
    system, _ = build_system(wrapper, "preview")
    found = system.leaf("preview")
    assert found is not None
    return found


def preview_score(node: dict[str, Any], value: LeafValue) -> LeafResult:
    """试算: the score of a draft leaf for a test value, exactly as scoring will give it."""
    return score_leaf(draft_leaf(node), value, Rates({}, {}))
