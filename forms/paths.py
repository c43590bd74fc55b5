"""Where user data lives: the platform's user data folder, never the program's folder."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "selfeval"


def user_data_dir() -> Path:
    """``SELFEVAL_HOME`` if set; else the platform's user data folder: %APPDATA%\\selfeval,
    ~/Library/Application Support/selfeval or $XDG_DATA_HOME/selfeval (~/.local/share/selfeval).
    """
    override = os.environ.get("SELFEVAL_HOME")
    if override:
        return Path(override)
    # roaming: the clerk's data follows the clerk's Windows profile, as %APPDATA% always did
    return platformdirs.user_data_path(APP_NAME, appauthor=False, roaming=True)


def default_db_path() -> Path:
    return user_data_dir() / "selfeval.db"


def user_systems_dir() -> Path:
    return user_data_dir() / "systems"
