"""What a benchmark is: a whole-process command (timed by hyperfine) or an in-process call.

Each ``tests/bench/bench_*.py`` defines ``benchmarks() -> list[Command | InProcess]``;
``run.py`` runs them all and prints one table of medians against their targets.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
OUT = ROOT / "bench-out"


def selfeval(*args: str) -> list[str]:
    """The installed ``selfeval`` command with arguments."""
    return [str(VENV_BIN / "selfeval"), *args]


@dataclass
class Command:
    name: str
    argv: list[str]
    target_s: float | None = None  # the figure: median must be at most this
    baseline: "Command | None" = None  # timed in the same run; report ratio baseline/this
    min_ratio: float | None = None  # target for baseline/this
    runs: int = 7
    warmup: int = 1
    env: dict[str, str] = field(default_factory=dict)
    prepare: Callable[[], None] | None = None  # run once before timing


@dataclass
class InProcess:
    name: str
    func: Callable[[], object]
    target_ms: float | None = None
    repeat: int = 50
    setup: Callable[[], None] | None = None


@dataclass
class Measure:
    """A figure that is not a time (peak memory): ``func`` returns it in ``unit``."""

    name: str
    func: Callable[[], float]
    unit: str
    target: float | None = None  # at most this


def bench_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["SELFEVAL_HOME"] = str(OUT / "home")
    if extra:
        env.update(extra)
    return env
