"""Where user data lives: the platform's user data folder, never the program's folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from platformdirs.api import PlatformDirsABC

APP_NAME = "selfeval"


def _platform_dirs() -> PlatformDirsABC:
    # chosen when asked rather than when imported, so a test can stand on another platform;
    # roaming: the clerk's data follows the Windows profile, as %APPDATA% always did
    kind: type[PlatformDirsABC]
    if sys.platform == "win32":
        from platformdirs.windows import Windows
        kind = Windows
    elif sys.platform == "darwin":
        from platformdirs.macos import MacOS
        kind = MacOS
    else:
        from platformdirs.unix import Unix
        kind = Unix
    return kind(APP_NAME, appauthor=False, roaming=True)


def user_data_dir() -> Path:
    """``SELFEVAL_HOME`` if set; else the platform's user data folder: %APPDATA%\\selfeval,
    ~/Library/Application Support/selfeval or $XDG_DATA_HOME/selfeval (~/.local/share/selfeval).
    """
    override = os.environ.get("SELFEVAL_HOME")
    if override:
        return Path(override)
    return _platform_dirs().user_data_path


def default_db_path() -> Path:
    return user_data_dir() / "selfeval.db"


def user_systems_dir() -> Path:
    return user_data_dir() / "systems"


def user_templates_dir() -> Path:
    """Where the mapping a clerk corrected for a bureau's template is kept, one file per layout."""
    return user_data_dir() / "templates"


def user_evidence_dir() -> Path:
    """Where attached 佐证材料 are kept, each file once, named by its SHA-256."""
    return user_data_dir() / "evidence"


def user_layouts_dir() -> Path:
    """Exchange layouts the clerk or the bureau added (data files, docs/exchange.md)."""
    return user_data_dir() / "layouts"
