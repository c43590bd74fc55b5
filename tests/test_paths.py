"""The clerk's data folder: the platform's user data folder unless SELFEVAL_HOME says otherwise."""

import sys
from pathlib import Path

import pytest

from forms.paths import default_db_path, user_data_dir, user_systems_dir


def test_selfeval_home_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SELFEVAL_HOME", str(tmp_path / "elsewhere"))
    assert default_db_path() == tmp_path / "elsewhere" / "selfeval.db"
    assert user_systems_dir() == tmp_path / "elsewhere" / "systems"


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG folders are Linux's")
def test_on_linux_the_data_follows_xdg_data_home(tmp_path, monkeypatch):
    monkeypatch.delenv("SELFEVAL_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    assert user_data_dir() == tmp_path / "share" / "selfeval"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_db_path() == tmp_path / "home" / ".local" / "share" / "selfeval" / "selfeval.db"


def test_on_windows_and_macos_the_usual_folders(monkeypatch):
    from forms import paths

    monkeypatch.delenv("SELFEVAL_HOME")
    monkeypatch.setattr(paths.sys, "platform", "win32")
    monkeypatch.setenv("WIN_PD_OVERRIDE_APPDATA", r"C:\Users\clerk\AppData\Roaming")
    assert str(user_data_dir()).replace("/", "\\") == r"C:\Users\clerk\AppData\Roaming\selfeval"
    monkeypatch.setattr(paths.sys, "platform", "darwin")
    assert user_data_dir() == Path.home() / "Library" / "Application Support" / "selfeval"
