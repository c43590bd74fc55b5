"""Reading a report back as a clerk's reviewer would: the text of the PDF and of the Word copy."""

from __future__ import annotations

import re
import subprocess
from io import BytesIO
from pathlib import Path

DATA = Path(__file__).parent / "data"
MM = 72 / 25.4


def pdf_text(data: bytes, tmp_path: Path, *args: str) -> str:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(data)
    return subprocess.run(["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout


def flat(text: str) -> str:
    """Whitespace, page numbers and the draft mark removed: the running text."""
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"—\d+—", "", text)
    return text.replace("草稿", "")


def body(text: str) -> str:
    """The running text before the attachments."""
    cut = text.find("附件1")
    return text if cut < 0 else text[:cut]


def docx_paragraphs(data: bytes) -> list[str]:
    from docx import Document

    return [p.text for p in Document(BytesIO(data)).paragraphs]


def load(name: str):
    from forms.package import read_package

    return read_package((DATA / name).read_bytes())
