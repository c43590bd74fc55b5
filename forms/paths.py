"""Where user data lives: the platform's user data folder, never the program's folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "selfeval"


def user_data_dir() -> Path:
    """``SELFEVAL_HOME`` if set; else %APPDATA%\\selfeval, ~/Library/Application Support/selfeval
    or $XDG_DATA_HOME/selfeval (~/.local/share/selfeval)."""
    override = os.environ.get("SELFEVAL_HOME")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP_NAME


def default_db_path() -> Path:
    return user_data_dir() / "selfeval.db"


def user_systems_dir() -> Path:
    return user_data_dir() / "systems"
