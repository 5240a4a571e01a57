"""The marks the export tests set on the tiny corpus, and where the export golden files are."""

from __future__ import annotations

from explorer.core.export import ExportMark, parsed_notes
from explorer.core.model import Corpus
from explorer.core.verification import note_targets
from tests.support.corpora import REPO

HERE = REPO / "tests" / "core" / "export"
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
