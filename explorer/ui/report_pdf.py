"""The citation-check report as PDF, laid out by Qt's own PDF writer (no browser, no TeX).

The report's HTML (explorer/core/export/report.py) is set on a QTextDocument and printed to a
QPdfWriter in memory; the file is then written whole or not at all, as every export is.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QSizeF
from PySide6.QtGui import QFont, QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from explorer.core.audit import ReviewEntry
from explorer.core.citations import ParsedNote
from explorer.core.export import ExportMark
from explorer.core.export.report import to_html
from explorer.core.export.writing import report_for, write_file
from explorer.core.model import Corpus

RESOLUTION = 300  # dots per inch of the PDF's layout


def report_pdf_bytes(html: str, title: str) -> bytes:
    """The PDF of the report's *html*, on A4 with 18 mm margins."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator("explorer")
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))
    document = QTextDocument()
    # no "fi"/"fl" ligatures: a reader searching the PDF for "findings" or "file" must find them
    font = document.defaultFont()
    for tag in ("liga", "clig"):
        font.setFeature(QFont.Tag(tag), 0)
    document.setDefaultFont(font)
    # lay the text out in the writer's own units, so the fonts keep their point size on the page
    document.documentLayout().setPaintDevice(writer)
    document.setHtml(html)
    rect = writer.pageLayout().paintRectPixels(RESOLUTION)
    document.setPageSize(QSizeF(rect.width(), rect.height()))
    document.print_(writer)
    del writer  # ends the PDF: the writer finishes the file when it goes
    buffer.close()
    return bytes(buffer.data().data())


def write_report_pdf(corpus: Corpus, notes: Sequence[ParsedNote], marks: Sequence[ExportMark], fmt: str,
                     path: Path, review: Sequence[ReviewEntry] = ()) -> tuple[ExportMark, ...]:
    """Write the report as PDF to *path* (the command line's ``--format report-pdf``); leaves no mark out."""
    if QGuiApplication.instance() is None:
        # the command line has no window: lay text out offscreen unless a platform is chosen
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _app = QGuiApplication([])  # fonts need an application while the PDF is made
    report = report_for(corpus, notes, marks, review)
    write_file(path, report_pdf_bytes(to_html(report), f"Citation check: {report.title}"))
    return ()
