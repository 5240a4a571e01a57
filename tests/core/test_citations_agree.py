"""The citation parser, reading only the notes, agrees with the hand-curated corpus."""

from __future__ import annotations

import re
import unicodedata

import pytest

from explorer.core.citations import parse_notes
from explorer.core.loader import load_corpus
from tests.support.corpora import DEFAULT_CORPUS


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(DEFAULT_CORPUS)


@pytest.fixture(scope="module")
def parsed(corpus):
    return {n.number: n for n in parse_notes((f.number, f.text) for f in corpus.essay.footnotes)}


def _fold(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9 ]+", " ", text)


def test_archival_locations_agree(corpus, parsed):
    for number, note in parsed.items():
        curated = {loc.key for doc in corpus.documents for loc in doc.locations if loc.footnote == number}
        assert note.location_keys() == curated, number


def test_document_dates_agree(corpus, parsed):
    """Each date the parser reads is a curated document's date, or the date of what it reports
    (the report on Kim's visit is known only by the span of the visit)."""
    for number, note in parsed.items():
        docs = [corpus.document_by_id[i] for i in corpus.documents_by_footnote.get(number, ())]
        dated = [{str(x) for x in (d.date, d.reports_date) if x} for d in docs]
        found = set(note.document_dates())
        assert found <= set().union(*dated), (number, found, dated)
        # a note that dates its documents dates all the curated ones (note 8 gives only a location;
        # the Ibid. notes 16-18 name no document)
        if note.documents() and all(c.document and c.document.date for c in note.documents()):
            assert all(d & found for d in dated if d), (number, found, dated)


def test_cited_works_agree(corpus, parsed):
    """Every source the curators link to a note is a work the parser finds in it (Ibid. as intended)."""
    for number, note in parsed.items():
        labels = [_fold(ref.label + " " + ref.key) for ref in note.cited_works(intended=True)]
        for source_id in corpus.sources_by_footnote.get(number, ()):
            source = corpus.source_by_id[source_id]
            if source.type == "archive-collection":
                continue  # note 1 describes a collection in prose; no work is cited
            words = [w for w in _fold(source.title).split() if len(w) > 3][:2]
            surnames = [_fold(a).split()[-1] for a in source.authors + source.editors]
            assert any(all(w in lab for w in words) or any(s in lab for s in surnames) for lab in labels), (
                number, source_id, labels)


def test_commentary_agrees(corpus, parsed):
    for number in corpus.manifest.commentary:
        assert all(c.kind == "commentary" for c in parsed[number].citations), number
