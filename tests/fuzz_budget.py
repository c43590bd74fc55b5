"""How many generated cases a property test runs.

``make test`` (and CI) runs every property test at its full count. ``make check``, the
inner loop while changing code, sets ``SELFEVAL_QUICK=1`` and runs a tenth of each (at
least five cases), so the same properties are exercised in seconds.
"""

from __future__ import annotations

import os

QUICK = os.environ.get("SELFEVAL_QUICK") == "1"


def cases(full: int) -> int:
    """``full`` in a full run; a tenth of it (at least 5) in the inner loop."""
    return max(5, full // 10) if QUICK else full
