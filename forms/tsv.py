"""Tab-separated text as Excel, WPS and Word put a copied table on the clipboard.

Rows end at a line break, cells at a tab; a cell holding a tab, a line break or a
quote comes quoted, with quotes inside doubled (the ``csv`` module's ``excel-tab``).
"""

from __future__ import annotations

import csv
import io


def split_block(text: str) -> list[list[str]]:
    """The rows of a copied block. The trailing line break Excel adds is not a row; an
    empty line is a row of one empty cell; any line break inside a cell becomes "\\n"."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return [row or [""] for row in csv.reader(io.StringIO(text, newline=""), dialect="excel-tab")]


def join_block(rows: list[list[str]]) -> str:
    """Rows as the clipboard text Excel writes (quoting only cells that need it)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, dialect="excel-tab", lineterminator="\n")
    for row in rows:
        if row == [""]:
            out.write("\n")  # csv would write "" to tell it from no row; Excel writes nothing
        else:  # a line break inside a cell is "\n", as in Excel (a lone "\r" would end the row)
            writer.writerow([cell.replace("\r\n", "\n").replace("\r", "\n") for cell in row])
    return out.getvalue()
