"""The recogniser against a corpus of criteria texts as notices print them.

Every text with a rule must be read as that rule and score the listed actual values
as the notice means; a text with no clear rule must stay 直接评分.  The rate is
printed; at least 85 % must be right, and every rule applied on import carries its
请核对 mark (tested in test_system_workbook and test_system_table).
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from forms.model import LeafValue
from forms.rules import recognise
from forms.scoring import score_leaf
from forms.budget import Rates
from forms.system import build_system
from rules_corpus import CORPUS

D = Decimal


def _value(kind: str, text: str) -> LeafValue:
    if kind == "checklist":
        return LeafValue(checked=tuple(text.split(",")))
    if kind == "incidents":
        return LeafValue(count=D(text))
    if kind == "coefficient":
        return LeafValue(level=text)
    return LeafValue(actual=D(text))


def _leaf(rule: dict, weight: int, target: int | None):
    raw = {"id": "x", "name": "x", "weight": weight, "rule": rule}
    if target is not None:
        raw["target"] = target
    system, _ = build_system({"name": "c", "indicators": [{"name": "a", "weight": weight,
                                                            "children": [raw]}]})
    return system.leaf("x")


def judge(text: str, weight: int, target: int | None, kind: str | None,
          checks: list[tuple[str, str]]) -> str:
    """"" when the text is read as the notice means, else what went wrong."""
    found = recognise(text, D(weight), D(target) if target is not None else None)
    if kind is None:
        return "" if found is None else f"read as {found.type} where no rule is clear"
    if found is None:
        return "not read"
    if found.type != kind:
        return f"read as {found.type}, not {kind}"
    assert found.explanation.startswith("识别为")
    leaf = _leaf(found.rule, weight, target)
    wrong = []
    for value, expected in checks:
        got = score_leaf(leaf, _value(kind, value), Rates({}, {})).score
        if str(got) != expected:
            wrong.append(f"{value} → {got}, not {expected}")
    return "；".join(wrong)


@pytest.mark.parametrize("entry", CORPUS, ids=lambda e: e[0][:18])
def test_each_corpus_text(entry):
    """Each text on its own, so that a regression names the wording it broke."""
    text, weight, target, kind, checks = entry
    outcome = judge(text, weight, target, kind, checks)
    if outcome and kind is None:
        pytest.fail(outcome)  # a rule applied where the text gives none is never accepted
    if outcome:
        pytest.xfail(outcome)  # counted in the rate below


def test_recognition_rate():
    results = [(e, judge(*e)) for e in CORPUS]
    right = sum(1 for _, outcome in results if not outcome)
    with_rule = [r for r in results if r[0][3] is not None]
    rate = right / len(results)
    print(f"\nrecognition: {right}/{len(results)} right ({rate:.0%}); texts with a rule: "
          f"{sum(1 for _, o in with_rule if not o)}/{len(with_rule)}; checks: "
          f"{sum(len(e[4]) for e in CORPUS)}")
    for (text, *_), outcome in results:
        if outcome:
            print(f"  ✗ {text[:40]}… {outcome}")
    assert rate >= 0.85
    wrong_rules = [o for _, o in results if o.startswith("read as")]
    assert wrong_rules == []  # never a wrong kind; wrong parameters are caught by 请核对
