"""Print this interpreter's path if the kit's wheels fit it (CPython 3.11-3.13, 64-bit)."""

import platform
import sys

fits = (sys.implementation.name == "cpython" and (3, 11) <= sys.version_info[:2] <= (3, 13)
        and sys.maxsize > 2**32
        and platform.machine().lower() in ("amd64", "x86_64", "aarch64", "arm64"))
if fits:
    print(sys.executable)
