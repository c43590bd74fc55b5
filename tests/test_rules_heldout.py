"""The recogniser on texts it was not tuned to (tests/rules_heldout.py).

A wrong rule is worse than none: not one text may be read as a rule other than the one it
states (a wrong kind, or the right kind scoring the listed values otherwise), and at least
90 % must be read right.  The counts per class are printed.
"""

from __future__ import annotations

from collections import Counter

import pytest

from rules_heldout import HELDOUT, HELDOUT_FRESH
from test_rules_corpus import judge


def outcomes(entries) -> list[tuple[str, str, str]]:
    """(class, text, verdict): verdict is "right", "unread" (left 直接评分) or "wrong"."""
    out = []
    for cls, text, weight, target, kind, checks in entries:
        outcome = judge(text, weight, target, kind, checks)
        verdict = "right" if not outcome else "unread" if outcome == "not read" else "wrong"
        out.append((cls, text, verdict if not outcome or verdict == "unread" else
                    f"wrong: {outcome}"))
    return out


def test_heldout_size_and_classes():
    classes = Counter(cls for cls, *_ in HELDOUT)
    assert len(HELDOUT) >= 40
    assert Counter(cls for cls, *_ in HELDOUT_FRESH) == dict.fromkeys(classes, 3)
    assert set(classes) == {"checklist", "grade", "numeral", "range", "event", "reverse",
                            "manual"}
    assert all(n >= 3 for n in classes.values())


@pytest.mark.parametrize("entries", [HELDOUT, HELDOUT_FRESH], ids=["first", "fresh"])
def test_heldout_rate(entries):
    results = outcomes(entries)
    count = Counter(v.split(":")[0] for _, _, v in results)
    per_class: dict[str, Counter[str]] = {}
    for cls, _, verdict in results:
        per_class.setdefault(cls, Counter())[verdict.split(":")[0]] += 1
    print(f"\nheld-out: {count['right']}/{len(results)} right, {count['unread']} unread, "
          f"{count['wrong']} wrong")
    for cls, c in per_class.items():
        print(f"  {cls}: {c['right']}/{sum(c.values())} right, {c['unread']} unread, "
              f"{c['wrong']} wrong")
    for _, text, verdict in results:
        if verdict != "right":
            print(f"  ✗ {text[:40]}… {verdict}")
    assert count["wrong"] == 0
    assert count["right"] >= 0.9 * len(results)
