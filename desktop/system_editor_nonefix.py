"""Guard against a reference-count defect of PySide6 6.12 on Python 3.11.

On this combination every Qt method that returns nothing (``setText``,
``setVisible``, ``QTreeWidgetItem.setForeground`` …) hands back ``None``
without taking a reference, and every method returning a bool (``isVisible``,
``isChecked`` …) does the same with ``True``/``False``: each call lowers their
reference count by one.  A fresh program holds about 5,000 references to
``None`` and fewer to ``True``/``False``: after a few thousand such calls Python
aborts with "none_dealloc: deallocating None" (or "bool_dealloc") — the editor
window reached it within a minute of typing.  Python 3.12 made these objects
immortal (PEP 683), so the defect is harmless there; on 3.11 we do the same by
giving them a reference count that no session can use up.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40  # ~10^12 calls


def keep_none_alive() -> None:
    """Make ``None``, ``True`` and ``False`` practically immortal on CPython < 3.12."""
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for singleton in (None, True, False):
        refcount = ctypes.c_ssize_t.from_address(id(singleton))
        if refcount.value < _HEADROOM:
            refcount.value += _HEADROOM
