"""Test set-up: headless Qt, and user data never touching the real home folder."""

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLE = ROOT / "forms" / "samples" / "suigang-2022.json"


def needs_tool(name: str, package: str):
    """Skip where a checking tool is missing on a developer's machine; in CI (where
    .ci/system-deps installs it) a missing tool fails the tests instead of hiding them."""
    missing = shutil.which(name) is None and not os.environ.get("CI")
    return pytest.mark.skipif(missing, reason=f"{name} missing: apt-get install {package}")


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
