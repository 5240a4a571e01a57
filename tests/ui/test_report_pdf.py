"""The citation-check report as PDF through Qt's own writer: pages, and the text on them."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

from explorer.core.export import parsed_notes
from explorer.core.export.report import to_html
from explorer.core.export.writing import report_for
from explorer.core.model import Corpus
from explorer.ui.report_pdf import report_pdf_bytes, write_report_pdf


def pdftotext(path: Path, *options: str) -> str:
    """The PDF's text as poppler reads it (poppler-utils is a test dependency: .ci/system-deps.sh)."""
    assert shutil.which("pdftotext"), "pdftotext is missing: install poppler-utils (.ci/system-deps.sh does)"
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_the_default_corpus_report_has_pages_and_every_note(qapp, default_corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "report.pdf"
    assert write_report_pdf(default_corpus, parsed_notes(default_corpus), [], "report-pdf", out) == ()
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-") and _pages(pdf) > 5
    text = pdftotext(out, "-layout")
    for footnote in default_corpus.essay.footnotes:
        assert f"Note {footnote.number}" in text
    assert "Summary" in text and "AVPRF" in text
    assert "findings: error" in text  # searchable: no "fi" ligature hides the word


def test_hostile_text_is_laid_out_as_text(qapp, tmp_path: Path) -> None:
    html = to_html_of("<b>not bold</b> <img src='file:///etc/passwd'>")
    pdf = report_pdf_bytes(html, "t")
    assert _pages(pdf) == 1
    out = tmp_path / "t.pdf"
    out.write_bytes(pdf)
    text = pdftotext(out)
    assert "<b>not bold</b> <img src='file:///etc/passwd'>" in " ".join(text.split())


def to_html_of(title: str) -> str:
    from explorer.core.export.report import Report

    return to_html(Report(title, "t", (), (), False))


def test_report_for_runs_the_audit(default_corpus: Corpus) -> None:
    report = report_for(default_corpus, parsed_notes(default_corpus), [])
    assert sum(len(n.findings) for n in report.notes) > 0


def test_the_layout_headings_above_the_text_wide_tables_and_a_header_on_every_page(
        qapp, tiny_corpus: Corpus, tmp_path: Path) -> None:
    """What the rendered pages showed wrong once: note headings smaller than the text (Qt sizes headings
    from the default font, not the body's style), tables narrower than the text, indented, a header row
    only on a table's first page."""
    from PySide6.QtGui import QPdfWriter, QTextCursor, QTextLength, QTextTable

    from explorer.core.export.report import FONT_POINTS
    from explorer.ui.report_pdf import RESOLUTION, _laid_out
    from tests.support.export_marks import tiny_marks
    from tests.ui.helpers import first_format

    writer = QPdfWriter(str(tmp_path / "unused.pdf"))  # only lays out: nothing is printed
    writer.setResolution(RESOLUTION)
    report = report_for(tiny_corpus, parsed_notes(tiny_corpus), tiny_marks(tiny_corpus))
    document = _laid_out(to_html(report), writer, RESOLUTION)
    sizes: dict[str, float] = {}
    block = document.begin()
    while block.isValid():
        sizes.setdefault(block.text(), first_format(block).font().pointSizeF())
        block = block.next()
    assert sizes["Note 1"] > FONT_POINTS + 1 and sizes["Summary"] > sizes["Note 1"]
    tables = []
    cursor = QTextCursor(document)
    while not cursor.atEnd():
        table = cursor.currentTable()
        if isinstance(table, QTextTable) and table not in tables:
            tables.append(table)
        cursor.movePosition(QTextCursor.MoveOperation.NextBlock)
    assert len(tables) == 7  # summary, at a glance; citations and marks of notes 1 and 2; the orphan marks
    assert all(t.format().headerRowCount() == 1 for t in tables)
    wide = [t for t in tables if t.format().width().type() == QTextLength.Type.PercentageLength]
    assert len(wide) == 5 and all(t.format().width().rawValue() == 100 for t in wide)
    body = document.rootFrame().frameFormat().leftMargin()
    assert all(t.format().leftMargin() <= body for t in tables)
