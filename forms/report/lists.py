"""Lists and headings the clerk typed, understood as the clerk meant them.

Published reports number their lists (1.负责… in 部门职能) and clerks paste
them as they are: a list whose lines carry their own numbers (1. 1、 （一） 一、
一是 ① …) is printed as typed, never numbered a second time.  In a narrative,
a short line that starts with 一、, （一） or 1. and does not read as a sentence is
a heading of that level (its face, kept with what follows); a typed heading
whose level is not below its section's is set one level below and reported
(``typed_heading_problems``).  The clerk's "1、" becomes the report's "1." only
where that cannot be misread (a digit follows no number: "1、2号楼" stays).
"""

from __future__ import annotations

import re

from ..model import Evaluation
from .model import Block, Heading, Para
from .outline import Section, report_options
from .wording import NUMBERED

_LEVEL_NAMES = {1: "一、", 2: "（一）", 3: "1."}
_SENTENCE_MARKS = re.compile(r"[。；！？;!?：:]")
HEADING_CHARS = {1: 24, 2: 24, 3: 24}  # longer than this, a numbered line is a paragraph


def is_numbered(line: str) -> bool:
    return NUMBERED.match(line.strip()) is not None


def normalise(line: str) -> str:
    """The clerk's "1、" or "1．" at the start as the report's "1." (a digit never follows)."""
    return re.sub(r"^(\d{1,2})\s*[、．](?!\d)", r"\1.", line.strip())


def numbered_items(items: list[str]) -> list[str]:
    """1.… 2.… for a plain list; a list whose lines carry their own numbers, as typed."""
    if any(is_numbered(item) for item in items):
        return [normalise(item) for item in items]
    # an item that opens with a decimal or a dotted number ("1.2亿元…") gets a space after
    # its own number, so that "1.1.2亿元" never reads as a number 1.1.2
    return [f"{i}.{' ' if _DOTTED.match(item.strip()) else ''}{item.strip()}"
            for i, item in enumerate(items, start=1)]


_DOTTED = re.compile(r"\d+[.．]\d")


def typed_level(line: str) -> int:
    """The heading level a typed line stands for (1 一、, 2 （一）, 3 1.), or 0 for a paragraph."""
    text = line.strip()
    m = NUMBERED.match(text)
    if m is None:
        return 0
    level = 1 if m.group("cn") else 2 if m.group("paren_cn") else 3 if m.group("arabic") else 0
    if not level:
        return 0
    rest = text[m.end():]
    if level < 3 and rest.endswith("。"):
        rest = rest[:-1]  # seed 003: 二、擦亮服务招牌，营造优质高效营商环境。
    if not rest or len(rest) > HEADING_CHARS[level] or _SENTENCE_MARKS.search(rest) \
            or rest.count("，") > 1:
        return 0
    return level


def narrative_blocks(texts: list[str], section_level: int) -> list[Block]:
    """The clerk's lines under a section of ``section_level``: headings and paragraphs."""
    out: list[Block] = []
    for text in texts:
        level = typed_level(text)
        if level and level <= section_level:
            level = section_level + 1 if section_level < 3 else 0
        out.append(Heading(normalise(text), level) if level else Para(text))
    return out


def _key_levels(sections: tuple[Section, ...], depth: int, out: dict[str, int]) -> None:
    for s in sections:
        for key in s.content.split():
            out.setdefault(key, depth)
        _key_levels(s.children, depth + 1, out)


def typed_heading_problems(ev: Evaluation) -> list[tuple[str, str, str]]:
    """(narrative key, line, message) for each typed heading at or above its section's level."""
    levels: dict[str, int] = {}
    _key_levels(report_options(ev).sections(), 1, levels)
    out = []
    for key, text in ev.narrative.items():
        section_level = levels.get(key)
        if section_level is None:
            continue
        for line in text.replace("\r", "\n").split("\n"):
            level = typed_level(line)
            if level and level <= section_level:
                shown = line.strip() if len(line.strip()) <= 20 else line.strip()[:19] + "…"
                out.append((key, line.strip(),
                            f"“{shown}”是{_LEVEL_NAMES[level]}级标题，与所在部分的标题同级或更高，"
                            f"报告中将按下一级排出，请改用"
                            f"{_LEVEL_NAMES.get(section_level + 1, '1.')}编号"))
    return out
