"""Precision: findings the default corpus showed to be wrong or vague, and their near-misses."""

from __future__ import annotations

from explorer.core.audit.notes import check_dates, check_locations, check_no_source
from explorer.core.citations import parse_notes
from explorer.core.loader import load_corpus
from tests.support.corpora import TINY_FILES


def test_a_note_describing_a_held_collection_is_not_no_source(tiny_corpus_dir):
    corpus = load_corpus(tiny_corpus_dir)
    held = ("A collection of captured North Korean documents has long been available in the National Archives "
            "of the United States, but these include only records that were not destroyed.")
    assert list(check_no_source(corpus, parse_notes([(1, held)]))) == []
    # The author's own reasoning, naming no body of sources, still cites nothing.
    own = "This chronology leads the author to conclude that Stalin had learned of the substance of NSC-48."
    (f,) = check_no_source(corpus, parse_notes([(1, own)]))
    assert f.code == "NO_SOURCE" and f.footnotes == (1,)


def test_same_file_says_which_notes_cite_the_identical_folios(tiny_corpus_dir):
    corpus = load_corpus(tiny_corpus_dir)
    loc = "AVPRF, Fond 059a, Opis 5a, Delo 3, Papka 11, Listy {}."
    notes = parse_notes([(1, "Ciphered telegram from Shtykov to Vyshinsky, 19 January 1950, " + loc.format("87-91")),
                         (2, "Ciphered telegram from Stalin to Shtykov, 30 January 1950, " + loc.format("87-91"))])
    (f,) = [x for x in check_locations(corpus, notes) if x.code == "SAME_FILE"]
    assert "Notes 1, 2 cite the identical folios 87-91" in f.message
    assert f.details["identical_folios"] == {"87-91": [1, 2]}
    notes = parse_notes([(1, "Ciphered telegram from Shtykov to Vyshinsky, 19 January 1950, " + loc.format("87-91")),
                         (2, "Ciphered telegram from Stalin to Shtykov, 30 January 1950, " + loc.format("92-93"))])
    (f,) = [x for x in check_locations(corpus, notes) if x.code == "SAME_FILE"]
    assert "identical" not in f.message and f.details["identical_folios"] == {}


def test_the_text_dating_the_event_is_told_from_the_note_dating_the_document(make_corpus):
    # The essay's "30 January 1950" is the date of the event ev-january the note supports; the telegram
    # reporting it is of 2 February: the text dates the event, not the document.
    docs = TINY_FILES["documents.yaml"].replace('date: "1950-01-30"', 'date: "1950-02-02"')
    (f,) = check_dates(load_corpus(make_corpus({"documents.yaml": docs})))
    assert (f.severity, f.details["reading"], f.details["event"]) == ("info", "event", "ev-january")
    assert "the text dates the event" in f.message
    # With no event of that date before the document, it is the document's date that differs.
    events = TINY_FILES["events.yaml"].replace('date: "1950-01-30"', 'date: "1950-02-03"')
    (f,) = check_dates(load_corpus(make_corpus({"documents.yaml": docs, "events.yaml": events}, name="d")))
    assert (f.severity, f.details["reading"]) == ("warning", "document")
