"""Domain core: scoring time in-process, and `selfeval score` whole-process."""

from __future__ import annotations

from common import ROOT, Command, InProcess, selfeval
from synthetic import synthetic_evaluation

from forms.scoring import score
from forms.validation import validate

SAMPLE = str(ROOT / "forms" / "samples" / "suigang-2022.json")


def benchmarks() -> list[Command | InProcess]:
    small = synthetic_evaluation(100)
    large = synthetic_evaluation(1000)
    return [
        InProcess("score, 100 leaves (in-process, median)", lambda: score(small), target_ms=2),
        InProcess("score, 1,000 leaves (in-process, median)", lambda: score(large),
                  target_ms=20, repeat=20),
        InProcess("score + validate, 100 leaves", lambda: validate(small, score(small))),
        Command("selfeval score sample (whole process)", selfeval("score", SAMPLE),
                target_s=0.3, runs=10),
        Command("selfeval score --json sample (whole process)",
                selfeval("score", "--json", SAMPLE), target_s=0.3, runs=10),
    ]
