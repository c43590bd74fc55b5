"""The report's document model: outline, wording and blocks, with no file format in sight."""

from .build import REPORT_TITLE, build_document, title_lines
from .model import Block, Cell, Chart, Heading, Label, PageBreak, Para, ReportDoc, Table
from .outline import OUTLINES, ReportOptions, report_options, section_ids, with_report_options

__all__ = [
           "OUTLINES",
           "REPORT_TITLE",
           "Block",
           "Cell",
           "Chart",
           "Heading",
           "Label",
           "PageBreak",
           "Para",
           "ReportDoc",
           "ReportOptions",
           "Table",
           "build_document",
           "report_options",
           "section_ids",
           "title_lines",
           "with_report_options",
]
