"""Every export of the tiny corpus (with marks) against its golden file.

A change to an export shows here as a diff a reviewer reads; after checking it, rewrite the golden
files with ``EXPLORER_WRITE_GOLDEN=1 pytest tests/core/export/test_golden.py``.
"""

from __future__ import annotations

import os

import pytest

from explorer.core.export import parsed_notes
from explorer.core.export.writing import export_text
from explorer.core.model import Corpus
from tests.support.export_marks import GOLDEN, ORPHAN_KEY, tiny_marks

FILES = {"csl-json": "tiny.csl.json", "ris": "tiny.ris", "bibtex": "tiny.bib", "biblatex": "tiny-biblatex.bib",
         "report-md": "tiny-report.md", "report-html": "tiny-report.html"}


@pytest.mark.parametrize("fmt", FILES)
def test_export_matches_golden_file(tiny: Corpus, fmt: str) -> None:
    text, left_out = export_text(tiny, parsed_notes(tiny), tiny_marks(tiny), fmt)
    golden = GOLDEN / FILES[fmt]
    if os.environ.get("EXPLORER_WRITE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8"), f"{fmt} differs from {golden.name}"
    # the citation formats leave out only the mark on a citation the essay no longer has; the report none
    assert [m.key for m in left_out] == ([] if fmt.startswith("report") else [ORPHAN_KEY])


def test_the_same_export_twice_is_the_same_text(tiny: Corpus) -> None:
    notes, marks = parsed_notes(tiny), tiny_marks(tiny)
    for fmt in FILES:
        assert export_text(tiny, notes, marks, fmt) == export_text(tiny, notes, marks, fmt)
