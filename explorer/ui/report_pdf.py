"""Writing an export to a file, as `explorer export` and the window's File > Export both do, and the
citation-check report laid out by Qt (no browser, no TeX): as PDF through Qt's own PDF writer, or on
a printer (File > Print).

The report's HTML (explorer/core/export/report.py) is set on a QTextDocument laid out for the page and
printed to a QPdfWriter in memory; the file is then written whole or not at all, as every export is.
Qt is imported only where a page is laid out, so the command line's text exports do not load it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.core.audit import ReviewEntry
from explorer.core.citations import ParsedNote
from explorer.core.export import ExportMark
from explorer.core.export.report import FONT_POINTS, to_html
from explorer.core.export.writing import report_for, write_export, write_file
from explorer.core.model import Corpus

if TYPE_CHECKING:
    from PySide6.QtGui import QPagedPaintDevice, QTextDocument
    from PySide6.QtPrintSupport import QPrinter

RESOLUTION = 300  # dots per inch of the PDF's layout


def write_export_file(corpus: Corpus, notes: Sequence[ParsedNote], marks: Sequence[ExportMark], fmt: str,
                      path: Path, review: Sequence[ReviewEntry] = ()) -> tuple[ExportMark, ...]:
    """Write the export *fmt* (``explorer export --format``) of the corpus to *path*, whole or not at
    all; return the marks it leaves out. Raises :class:`~explorer.core.errors.CorpusError` naming the
    file and the reason when it cannot be written."""
    if fmt == "report-pdf":
        return write_report_pdf(corpus, notes, marks, fmt, path, review)
    return write_export(corpus, notes, marks, fmt, path, review)


def _laid_out(html: str, device: QPagedPaintDevice, resolution: int) -> QTextDocument:
    """The report's *html* as a document laid out in pages of *device*."""
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QFont, QTextDocument

    document = QTextDocument()
    # no "fi"/"fl" ligatures: a reader searching the PDF for "findings" or "file" must find them
    font = document.defaultFont()
    font.setPointSizeF(FONT_POINTS)  # the body's size: Qt sizes the headings from it
    for tag in ("liga", "clig"):
        font.setFeature(QFont.Tag(tag), 0)
    document.setDefaultFont(font)
    # lay the text out in the device's own units, so the fonts keep their point size on the page
    document.documentLayout().setPaintDevice(device)
    document.setHtml(html)
    rect = device.pageLayout().paintRectPixels(resolution)
    document.setPageSize(QSizeF(rect.width(), rect.height()))
    return document


def report_pdf_bytes(html: str, title: str) -> bytes:
    """The PDF of the report's *html*, on A4 with 18 mm margins."""
    from PySide6.QtCore import QBuffer, QIODevice, QMarginsF
    from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter

    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setTitle(title)
    writer.setCreator("explorer")
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter))
    _laid_out(html, writer, RESOLUTION).print_(writer)
    del writer  # ends the PDF: the writer finishes the file when it goes
    buffer.close()
    return bytes(buffer.data().data())


def print_report(html: str, title: str, printer: QPrinter) -> None:
    """Print the report's *html* on *printer* (as the print dialog set it up), in its pages."""
    printer.setDocName(title)
    _laid_out(html, printer, printer.resolution()).print_(printer)


def write_report_pdf(corpus: Corpus, notes: Sequence[ParsedNote], marks: Sequence[ExportMark], fmt: str,
                     path: Path, review: Sequence[ReviewEntry] = ()) -> tuple[ExportMark, ...]:
    """Write the report as PDF to *path* (the command line's ``--format report-pdf``); leaves no mark out."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is None:
        # the command line has no window: lay text out offscreen unless a platform is chosen
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _app = QGuiApplication([])  # fonts need an application while the PDF is made
    report = report_for(corpus, notes, marks, review)
    write_file(path, report_pdf_bytes(to_html(report), f"Citation check: {report.title}"))
    return ()
