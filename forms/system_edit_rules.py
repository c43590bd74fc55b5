"""The rule part of a system draft: a leaf's rule, its parameters and its options.

Mixed into ``forms.system_edit.SystemDraft``; the defaults a new rule starts from
come from the registry of rule kinds (``forms.rules``).
"""

from __future__ import annotations

import copy
from typing import Any

from .numbers import NumberError, parse_number
from .rules import KINDS
from .system import num_out

NodePath = tuple[int, ...]


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


def band_rows(rows: list[tuple[str, str, str]], key: str) -> list[dict[str, Any]]:
    """Rows (下限, 上限, value) as typed into band dicts; ``>90`` / ``<10`` is exclusive."""
    bands = []
    for low, high, value in rows:
        if not (low.strip() or high.strip() or value.strip()):
            continue
        band: dict[str, Any] = {}
        for end, text in (("min", low), ("max", high)):
            text = text.strip()
            exclusive = text[:1] in (">", "<", "＞", "＜")
            text = text.lstrip("<>＜＞=≥≤").strip()
            if text:
                band[end] = number_or_text(text)
                if exclusive:
                    band[f"{end}_inclusive"] = False
        band[key] = number_or_text(value)
        bands.append(band)
    return bands


class RuleEdits:
    """Operations on leaf rules; the draft provides ``node`` and ``changed``."""

    def node(self, path: NodePath) -> dict[str, Any]:
        raise NotImplementedError

    def changed(self) -> None:
        raise NotImplementedError

    def set_overshoot(self, path: NodePath, percent: str, points: str,
                      option: int | None = None) -> None:
        """偏离扣分 of a ratio/deduct/bands rule; both fields empty removes it."""
        rule = self.rule(path, option)
        if not (percent.strip() or points.strip()):
            rule.pop("overshoot", None)
        else:
            rule["overshoot"] = {"percent": number_or_text(percent),
                                 "points": number_or_text(points)}
        self.changed()

    def set_policy(self, policy: str) -> None:
        """What a 不适用 leaf does to the total: rescale (the default), full or zero."""
        data = self.node(())
        if policy == "rescale":
            data.pop("not_applicable", None)
        else:
            data["not_applicable"] = policy
        self.changed()

    def set_cap(self, source: str, rows: list[tuple[str, str, str]]) -> None:
        """得分封顶 by the bands of a rate; no source removes it."""
        data = self.node(())
        if not source:
            data.pop("cap", None)
        else:
            data["cap"] = {"source": source, "bands": band_rows(rows, "cap")}
        self.changed()

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
        self.node(path).pop("review", None)  # the clerk chose the rule
        new: dict[str, Any] = {"type": kind}
        # the kind's defaults, so that the new rule is complete enough to show what is
        # still missing rather than a wall of problems
        defaults = KINDS[kind].defaults() if kind in KINDS else {}
        for key, default in defaults.items():
            kept = old.get(key)
            new[key] = copy.deepcopy(kept if kept is not None and key != "direction"
                                     else default)
        if option is None:
            self.node(path)["rule"] = new
        else:
            self.node(path)["rule"]["options"][option]["rule"] = new
        self.changed()

    def confirm_rule(self, path: NodePath) -> None:
        """The clerk has checked a rule read from the criteria: drop its 请核对 mark."""
        self.node(path).pop("review", None)
        self.changed()

    def set_rule(self, path: NodePath, rule: dict[str, Any]) -> None:
        """Replace a leaf's whole rule (e.g. one read out of its 评分标准 text)."""
        self.node(path).pop("review", None)
        self.node(path)["rule"] = copy.deepcopy(rule)
        self.changed()

    def set_rule_param(self, path: NodePath, key: str, value: Any,
                       option: int | None = None) -> None:
        """One number, text or choice parameter; a number field's text becomes a number
        when it parses (the kind's ``params`` say which keys are numbers)."""
        rule = self.rule(path, option)
        kind = KINDS.get(str(rule.get("type")))
        param = kind.param(key) if kind is not None else None
        if isinstance(value, str) and param is not None and param.kind == "number":
            value = number_or_text(value)
        elif isinstance(value, str) and not value.strip():
            value = None
        if value is None:
            rule.pop(key, None)
        else:
            rule[key] = value
        self.changed()

    def set_bands(self, path: NodePath, rows: list[tuple[str, str, str]],
                  option: int | None = None) -> None:
        """Band table rows (下限, 上限, 得分) as typed; blank rows are dropped.

        A bound may be written ``>90`` / ``<10`` for an exclusive bound."""
        bands = band_rows(rows, "score")
        self.rule(path, option)["bands"] = bands
        self.changed()

    def set_items(self, path: NodePath, rows: list[tuple[str, str]],
                  option: int | None = None) -> None:
        """Checklist items as (检查内容, 分值) rows; ids are kept by position or made up."""
        rule = self.rule(path, option)
        old: list[Any] = rule["items"] if isinstance(rule.get("items"), list) else []
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
