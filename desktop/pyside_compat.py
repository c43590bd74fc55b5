"""Work around a reference-count bug of PySide6 6.12 on Python 3.11.

On Python 3.11, PySide6/shiboken6 6.12.0 drops one reference to ``None`` on
every call of a Qt method that returns void (``setText``, ``setToolTip``,
``resize`` …; measured: 100 calls, ``sys.getrefcount(None)`` falls by 100).
``None`` starts with a few thousand references, so a window that refreshes
its widgets a few thousand times aborts with "Fatal Python error:
none_dealloc".  Python 3.12+ made these singletons immortal (PEP 683), which
hides the bug there.  Giving the singletons a very large reference count here
does the same on 3.11: they are never freed anyway, so nothing else changes.

Imported (for its effect) by every desktop module that calls Qt on each edit;
calling ``keep_singletons_alive`` again is harmless.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 40  # far more void calls than any session makes


def keep_singletons_alive() -> None:
    if sys.version_info >= (3, 12) or hasattr(sys, "getobjects"):  # immortal / debug build
        return
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every object in a release build of CPython
        refcount = ctypes.c_ssize_t.from_address(id(singleton))
        if refcount.value < _HEADROOM:
            refcount.value += _HEADROOM


keep_singletons_alive()
