"""An editable draft of an indicator system (指标体系草稿), without Qt.

The editor window works on a ``SystemDraft``: the JSON form that
``build_system`` reads, held as plain dicts and lists so that it may be wrong
while the clerk is typing (weights that do not add up, a number that is not a
number yet).  Every operation changes the draft in place; the live checks are
simply ``build_system``'s problems, mapped back to the tree node they concern.

Nodes are addressed by their index path: ``(i,)`` a level-1 node (一级指标),
``(i, j)`` a level-2 node (二级指标), ``(i, j, k)`` a leaf (三级指标).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .budget import Rates
from .catalog import SYSTEM_FORMAT, SYSTEM_VERSION, SystemFileError, parse_system_file
from .files import ReadFailed, read_bounded, write_atomic
from .model import LeafValue
from .numbers import NumberError, parse_number
from .package import MAX_PACKAGE_BYTES, dumps, parse_json
from .paths import user_systems_dir
from .scoring import LeafResult, score_leaf
from .system import DEFAULT_GRADES, Leaf, Problem, System, build_system, num_out, system_to_dict

NodePath = tuple[int, ...]

LEVEL_NAMES = {1: "一级指标", 2: "二级指标", 3: "三级指标"}

# Default parameters when the clerk picks a rule type, so that the new rule is
# complete enough to show what is still missing rather than a wall of problems.
_RULE_DEFAULTS: dict[str, dict[str, Any]] = {
    "ratio": {"direction": "higher"},
    "deduct": {"direction": "max", "standard": 100, "step": 1, "points": 1,
               "count": "proportional"},
    "bands": {"bands": []},
    "checklist": {"items": []},
    "incidents": {"points": 1},
    "coefficient": {"levels": {"优": 100, "良": 80, "中": 60, "差": 0}},
    "manual": {},
    "either": {"options": []},
}

_PATH_RE = re.compile(r"^system\.indicators\[(\d+)\](?:\.children\[(\d+)\])?"
                      r"(?:\.children\[(\d+)\])?")


def number_or_text(text: str) -> Any:
    """What the clerk typed in a number field: a JSON number when it parses, else the text
    itself (``build_system`` then reports it as not a number), ``None`` when empty."""
    stripped = text.strip()
    if not stripped:
        return None
    try:
        value = parse_number(stripped)
    except NumberError:
        return stripped
    assert value is not None
    return num_out(value)


def node_path_of(problem_path: str) -> NodePath:
    """The tree node a ``build_system`` problem path (rooted at ``system``) belongs to."""
    match = _PATH_RE.match(problem_path)
    if not match:
        return ()
    return tuple(int(g) for g in match.groups() if g is not None)


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


class SystemDraft:
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
            if level < 3:
                node["children"] = self._nodes(node.get("children"), level + 1,
                                               f"「{node.get('name') or '未命名'}」")
            nodes.append(node)
        return nodes

    # ------------------------------------------------------------ construction

    @classmethod
    def from_system(cls, system: System) -> "SystemDraft":
        return cls(system_to_dict(system))

    @classmethod
    def from_file_bytes(cls, data: bytes, where: str = "") -> "SystemDraft":
        """A draft from a system file, problems and all (``SystemFileError`` if unreadable)."""
        parse_system_file(data, where)  # refuses what is not a system file at all
        raw = parse_json(data)
        if raw.get("format") == "selfeval-package":
            raw = raw["system"]
        return cls(_plain(raw))

    @classmethod
    def from_path(cls, path: str | Path) -> "SystemDraft":
        p = Path(path)
        try:
            data = read_bounded(p, MAX_PACKAGE_BYTES, "指标体系文件")
        except ReadFailed as exc:
            raise SystemFileError(str(exc)) from None
        return cls.from_file_bytes(data, p.name)

    def copy(self) -> "SystemDraft":
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
        return len(path) == 3

    def walk(self) -> list[NodePath]:
        """Every node path, depth first, in display order."""
        out: list[NodePath] = []
        for i, top in enumerate(self.data["indicators"]):
            out.append((i,))
            for j, mid in enumerate(top.get("children") or []):
                out.append((i, j))
                for k, _ in enumerate(mid.get("children") or []):
                    out.append((i, j, k))
        return out

    def leaf_ids(self) -> set[str]:
        return {str(self.node(p).get("id")) for p in self.walk() if len(p) == 3}

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
                self.data["year"] = int(value) if value.isdigit() else value
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

    def _new_node(self, level: int) -> dict[str, Any]:
        if level == 3:
            return {"id": self.new_leaf_id(), "name": "", "weight": None,
                    "rule": {"type": "manual"}}
        return {"name": "", "weight": None, "children": []}

    def add_child(self, parent: NodePath, name: str = "", weight: Any = None) -> NodePath:
        """A new last child of ``parent`` (``()`` → a new 一级指标)."""
        if len(parent) >= 3:
            raise ValueError("三级指标下不能再添加下级指标")
        node = self._new_node(len(parent) + 1)
        node["name"] = name
        node["weight"] = weight
        kids = self.children(parent)
        kids.append(node)
        self.changed()
        return parent + (len(kids) - 1,)

    def add_sibling(self, path: NodePath, name: str = "", weight: Any = None) -> NodePath:
        """A new node of the same level right after ``path``."""
        parent, index = path[:-1], path[-1]
        node = self._new_node(len(path))
        node["name"] = name
        node["weight"] = weight
        self.children(parent).insert(index + 1, node)
        self.changed()
        return parent + (index + 1,)

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

    # ------------------------------------------------------------ rules

    def rule(self, path: NodePath, option: int | None = None) -> dict[str, Any]:
        """The rule dict of a leaf, or of one option of its 二者择其一 rule."""
        node = self.node(path)
        rule = node.get("rule")
        if not isinstance(rule, dict):
            rule = node["rule"] = {"type": "manual"}
        if option is None:
            return rule
        opt = rule["options"][option]
        if not isinstance(opt.get("rule"), dict):
            opt["rule"] = {"type": "manual"}
        return opt["rule"]  # type: ignore[no-any-return]

    def set_rule_type(self, path: NodePath, kind: str, option: int | None = None) -> None:
        """Change the rule type, starting from sensible parameters; switching back and
        forth keeps parameters that both types share."""
        old = self.rule(path, option)
        if old.get("type") == kind:
            return
        new: dict[str, Any] = {"type": kind}
        for key, default in _RULE_DEFAULTS.get(kind, {}).items():
            kept = old.get(key)
            new[key] = copy.deepcopy(kept if kept is not None and key != "direction"
                                     else default)
        if option is None:
            self.node(path)["rule"] = new
        else:
            self.node(path)["rule"]["options"][option]["rule"] = new
        self.changed()

    def set_rule(self, path: NodePath, rule: dict[str, Any]) -> None:
        """Replace a leaf's whole rule (e.g. one read out of its 评分标准 text)."""
        self.node(path)["rule"] = copy.deepcopy(rule)
        self.changed()

    def set_rule_param(self, path: NodePath, key: str, value: Any,
                       option: int | None = None) -> None:
        """direction / standard / step / points / count (number fields from text)."""
        rule = self.rule(path, option)
        if key in ("standard", "step", "points") and isinstance(value, str):
            value = number_or_text(value)
        if value is None:
            rule.pop(key, None)
        else:
            rule[key] = value
        self.changed()

    def set_bands(self, path: NodePath, rows: list[tuple[str, str, str]],
                  option: int | None = None) -> None:
        """Band table rows (下限, 上限, 得分) as typed; blank rows are dropped.

        A bound may be written ``>90`` / ``<10`` for an exclusive bound."""
        bands = []
        for low, high, score in rows:
            if not (low.strip() or high.strip() or score.strip()):
                continue
            band: dict[str, Any] = {}
            for key, text in (("min", low), ("max", high)):
                text = text.strip()
                exclusive = text[:1] in (">", "<", "＞", "＜")
                text = text.lstrip("<>＜＞=≥≤").strip()
                if text:
                    band[key] = number_or_text(text)
                    if exclusive:
                        band[f"{key}_inclusive"] = False
            band["score"] = number_or_text(score)
            bands.append(band)
        self.rule(path, option)["bands"] = bands
        self.changed()

    def set_items(self, path: NodePath, rows: list[tuple[str, str]],
                  option: int | None = None) -> None:
        """Checklist items as (检查内容, 分值) rows; ids are kept by position or made up."""
        rule = self.rule(path, option)
        old = rule.get("items") if isinstance(rule.get("items"), list) else []
        used: set[str] = set()
        items = []
        for i, (label, points) in enumerate(r for r in rows if r[0].strip() or r[1].strip()):
            item_id = old[i].get("id") if i < len(old) and isinstance(old[i], dict) else None
            if not isinstance(item_id, str) or not item_id or item_id in used:
                n = i + 1
                while f"i{n}" in used or any(isinstance(o, dict) and o.get("id") == f"i{n}"
                                              for o in old[i + 1:]):
                    n += 1
                item_id = f"i{n}"
            used.add(item_id)
            items.append({"id": item_id, "label": label.strip(), "points": number_or_text(points)})
        rule["items"] = items
        self.changed()

    def set_levels(self, path: NodePath, rows: list[tuple[str, str]],
                   option: int | None = None) -> None:
        """Coefficient levels as (等级, 系数%) rows."""
        levels: dict[str, Any] = {}
        for name, pct in rows:
            if name.strip() or pct.strip():
                levels[name.strip()] = number_or_text(pct)
        self.rule(path, option)["levels"] = levels
        self.changed()

    def add_option(self, path: NodePath, name: str = "") -> int:
        rule = self.rule(path)
        options = rule.setdefault("options", [])
        used = {o.get("id") for o in options if isinstance(o, dict)}
        n = len(options) + 1
        while f"opt{n}" in used:
            n += 1
        options.append({"id": f"opt{n}", "name": name, "rule": {"type": "ratio",
                                                                 "direction": "higher"}})
        self.changed()
        return len(options) - 1

    def remove_option(self, path: NodePath, index: int) -> None:
        self.rule(path)["options"].pop(index)
        self.changed()

    def set_option_field(self, path: NodePath, index: int, key: str, value: Any) -> None:
        """name / unit / target / source of one 二者择其一 option."""
        opt = self.rule(path)["options"][index]
        if key == "target" and isinstance(value, str):
            value = number_or_text(value)
        if value in (None, ""):
            opt.pop(key, None)
        else:
            opt[key] = value
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


# ---------------------------------------------------------------- undo

class DraftHistory:
    """Undo/redo (撤销/重做) for a draft: snapshots of its data after each edit.

    Consecutive edits with the same ``key`` (typing in one field) merge into one
    step, as in Excel, so one undo takes back the whole word."""

    LIMIT = 200

    def __init__(self, data: dict[str, Any]):
        self.states: list[dict[str, Any]] = [copy.deepcopy(data)]
        self.keys: list[str | None] = [None]
        self.index = 0

    def record(self, data: dict[str, Any], key: str | None = None) -> None:
        if data == self.states[self.index]:
            return
        del self.states[self.index + 1:]
        del self.keys[self.index + 1:]
        if key is not None and self.index > 0 and self.keys[self.index] == key:
            self.states[self.index] = copy.deepcopy(data)
            return
        self.states.append(copy.deepcopy(data))
        self.keys.append(key)
        self.index += 1
        if len(self.states) > self.LIMIT:
            self.states.pop(0)
            self.keys.pop(0)
            self.index -= 1

    def break_merge(self) -> None:
        """The next edit starts a new step even in the same field (e.g. after undo)."""
        self.keys[self.index] = None

    @property
    def can_undo(self) -> bool:
        return self.index > 0

    @property
    def can_redo(self) -> bool:
        return self.index < len(self.states) - 1

    def undo(self) -> dict[str, Any] | None:
        if not self.can_undo:
            return None
        self.index -= 1
        self.break_merge()
        return copy.deepcopy(self.states[self.index])

    def redo(self) -> dict[str, Any] | None:
        if not self.can_redo:
            return None
        self.index += 1
        self.break_merge()
        return copy.deepcopy(self.states[self.index])
