"""Fixtures for the export tests: the tiny corpus with marks on its citations, and the default corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.core.export import ExportMark, parsed_notes
from explorer.core.loader import load_corpus
from explorer.core.model import Corpus
from explorer.core.verification import note_targets
from tests.conftest import DEFAULT_CORPUS, write_corpus

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"
#: The marks set on the tiny corpus: one per citation kind, and one on a citation the essay no longer has.
ORPHAN_KEY = "doc:telegram:kim>stalin:1949-03-05#fn=9"


def tiny_marks(corpus: Corpus) -> list[ExportMark]:
    targets = [t for n in parsed_notes(corpus) for t in note_targets(n, corpus)]
    doc_sept, weathersby, doc_jan = targets
    return [
        ExportMark(doc_sept.key, "verified", "Checked against the Bulletin's translation.", 1, doc_sept.label,
                   "2026-01-05T10:00:00Z", who="A. Reader"),
        ExportMark(weathersby.key, "disputed", "Pages 1-9 are the whole article; which page?", 1, weathersby.label,
                   "2026-01-06T11:30:00Z"),
        ExportMark(doc_jan.key, "unchecked", "", 2, doc_jan.label, "2026-01-07T09:15:00Z"),
        ExportMark(ORPHAN_KEY, "verified", "Set before note 9 was cut.", 9, "Telegram, Kim to Stalin",
                   "2025-12-01T08:00:00Z"),
    ]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    return load_corpus(write_corpus(tmp_path_factory.mktemp("export") / "tiny"))


@pytest.fixture(scope="session")
def default_corpus() -> Corpus:
    return load_corpus(DEFAULT_CORPUS)
