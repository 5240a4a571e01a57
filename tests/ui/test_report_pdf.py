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
