"""How many generated cases a property test runs: the one knob for all of them.

``make test`` (and CI) runs every property test at its full count. ``make check``, the
inner loop while changing code, sets ``SELFEVAL_QUICK=1`` and runs a tenth of each (at
least five cases), so the same properties are exercised in seconds. A deeper sweep by
hand: ``SELFEVAL_CASES_SCALE=10 make test`` runs ten times the cases.
"""

from __future__ import annotations

import os

QUICK = os.environ.get("SELFEVAL_QUICK") == "1"
SCALE = float(os.environ.get("SELFEVAL_CASES_SCALE") or ("0.1" if QUICK else "1"))


def cases(full: int) -> int:
    """``full`` scaled: all of it in a full run, a tenth (at least 5) in the inner loop."""
    return max(5, int(full * SCALE))
