"""Test set-up: headless Qt, and user data never touching the real home folder."""

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLE = ROOT / "forms" / "samples" / "suigang-2022.json"


@pytest.fixture(autouse=True)
def _user_home(tmp_path, monkeypatch):
    """Each test gets its own user data folder (database, systems, settings)."""
    home = tmp_path / "userdata"
    monkeypatch.setenv("SELFEVAL_HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return home


@pytest.fixture
def sample_bytes():
    return SAMPLE.read_bytes()


@pytest.fixture
def sample():
    from forms.package import read_package

    return read_package(SAMPLE.read_bytes())
