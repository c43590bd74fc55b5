"""Exports: `selfeval export` whole-process against LibreOffice printing the same workbook.

A clerk today opens the Excel tables and prints them to PDF; LibreOffice headless
converting the very workbook we export is that baseline, timed in the same
hyperfine run.
"""

from __future__ import annotations

import shutil

from common import OUT, ROOT, Command, InProcess, selfeval
from synthetic import synthetic_evaluation

from exports.excel import workbook_bytes
from exports.docx_report import docx_bytes
from exports.pdf_report import report_bytes
from exports.workbook_import import read_workbook_bytes
from forms.package import load_package

SAMPLE = str(ROOT / "forms" / "samples" / "suigang-2022.json")
BOOK = OUT / "exports-sample.xlsx"


def _prepare() -> None:
    OUT.mkdir(exist_ok=True)
    BOOK.write_bytes(workbook_bytes(load_package(SAMPLE)))


def _soffice() -> Command | None:
    exe = shutil.which("soffice")
    if exe is None:
        return None
    profile = (OUT / "lo-profile").as_uri()
    return Command("soffice --convert-to pdf (same workbook)",
                   [exe, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(OUT / "lo-out"), str(BOOK)])


def benchmarks() -> list[Command | InProcess]:
    sample = load_package(SAMPLE)
    medium = synthetic_evaluation(100)
    large = synthetic_evaluation(1000)
    book = workbook_bytes(sample)
    baseline = _soffice()
    ratio = 3.0 if baseline else None
    return [
        Command("selfeval export sample --xlsx (whole process)",
                selfeval("export", SAMPLE, "--xlsx", str(OUT / "exp.xlsx")), target_s=0.5,
                baseline=baseline, min_ratio=ratio, prepare=_prepare),
        Command("selfeval export sample --pdf (whole process)",
                selfeval("export", SAMPLE, "--pdf", str(OUT / "exp.pdf")), target_s=1.0,
                baseline=baseline, min_ratio=ratio, prepare=_prepare),
        Command("selfeval export sample --docx (whole process)",
                selfeval("export", SAMPLE, "--docx", str(OUT / "exp.docx")), target_s=0.6,
                prepare=_prepare),
        Command("selfeval import sample workbook (whole process)",
                selfeval("import", str(BOOK), "-o", str(OUT / "imp.json")), target_s=0.8,
                prepare=_prepare),
        InProcess("workbook_bytes(sample)", lambda: workbook_bytes(sample), target_ms=100,
                  repeat=20),
        InProcess("report_bytes(sample), fonts registered", lambda: report_bytes(sample),
                  target_ms=400, repeat=10),
        InProcess("docx_bytes(sample)", lambda: docx_bytes(sample), target_ms=150, repeat=10),
        InProcess("read_workbook_bytes(sample workbook)", lambda: read_workbook_bytes(book),
                  target_ms=100, repeat=20),
        InProcess("workbook_bytes, 1,000 leaves", lambda: workbook_bytes(large), target_ms=1500,
                  repeat=5),
        InProcess("report_bytes, 100 leaves (19 pages)", lambda: report_bytes(medium),
                  target_ms=1500, repeat=3),
    ]
