"""The report as a document model: what is printed, in order, independent of the file format.

The PDF and the Word writers render these blocks and decide nothing about
wording; the builder (``forms.report.build``) decides everything that is said.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Align = Literal["left", "center", "right", "justify"]


@dataclass(frozen=True)
class Heading:
    """A numbered heading: level 1 一、(黑体), 2 （一）(楷体), 3 1.(仿宋)."""

    text: str
    level: int


@dataclass(frozen=True)
class Para:
    """A body paragraph, first line indented two characters, justified."""

    text: str


@dataclass(frozen=True)
class Label:
    """A short line outside the body style: 附件1 (黑体, left) or a table's title/subtitle."""

    text: str
    role: Literal["attachment", "table_title", "table_sub"]


@dataclass(frozen=True)
class Cell:
    text: str
    align: Align = "left"
    head: bool = False  # a header or label cell (黑体 in the PDF, bold in Word)
    colspan: int = 1
    rowspan: int = 1


@dataclass(frozen=True)
class Table:
    """A ruled table on a grid; positions covered by a merged cell hold ``None``.

    ``header_rows`` repeat at the top of every page the table continues on.
    ``keep_last`` rows (totals and sign-off) never start a page on their own:
    they stay with the row before them.  A row is never split across pages
    unless it alone is taller than a page.
    """

    widths: tuple[float, ...]  # millimetres, summing to the text block's 156 mm
    rows: tuple[tuple[Cell | None, ...], ...]
    header_rows: int = 0
    keep_last: int = 0


@dataclass(frozen=True)
class PageBreak:
    pass


@dataclass(frozen=True)
class Chart:
    kind: Literal["budget", "score"]


Block = Heading | Para | Label | Table | PageBreak | Chart


@dataclass(frozen=True)
class ReportDoc:
    title: tuple[str, ...]  # the title's lines, as the published reports break it
    blocks: tuple[Block, ...]
    draft: bool = False  # errors or unfilled leaves: 草稿 on every page and in the file name
    draft_reasons: tuple[str, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)  # title, author for the file's properties

    def text_blocks(self) -> list[str]:
        """Every paragraph and heading in order (what both writers print as running text)."""
        out = list(self.title)
        for block in self.blocks:
            if isinstance(block, (Heading, Para, Label)):
                out.append(block.text)
        return out
