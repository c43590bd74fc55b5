"""What the library reports about itself: evaluations lost since the last start (and the
incident that noted them, until the clerk acknowledges it), and evaluations in 回收站."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Lost:
    """An evaluation the library held at its last commit and holds no more (or older)."""

    id: int
    department: str
    year: int
    revision: int
    found_revision: int | None  # None: missing altogether

    def __str__(self) -> str:
        what = "已不在库中" if self.found_revision is None else \
            f"退回到第 {self.found_revision} 版（原为第 {self.revision} 版）"
        return f"{self.department} {self.year} 年度（编号 {self.id}）{what}"


@dataclass(frozen=True)
class Deleted:
    """An evaluation in 回收站."""

    rid: int
    id: int
    department: str
    year: int
    total: str
    deleted: str


@dataclass
class Incident:
    """Evaluations found missing or older at a start, kept until the clerk acknowledges it."""

    key: str
    found: str
    lost: list[Lost]
    aside: str
    acknowledged: bool = False

    def as_json(self) -> str:
        return json.dumps({"key": self.key, "found": self.found, "aside": self.aside,
                           "acknowledged": self.acknowledged,
                           "lost": [[x.id, x.department, x.year, x.revision, x.found_revision]
                                    for x in self.lost]}, ensure_ascii=False)

    @staticmethod
    def from_json(text: str) -> Incident | None:
        try:
            data = json.loads(text)
            return Incident(str(data["key"]), str(data["found"]),
                            [Lost(int(a), str(b), int(c), int(d), None if e is None else int(e))
                             for a, b, c, d, e in data["lost"]],
                            str(data["aside"]), bool(data["acknowledged"]))
        except (ValueError, KeyError, TypeError):
            return None
