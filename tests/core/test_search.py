"""Full-text search: what it finds, its query syntax, hostile queries, and the stored index."""

from __future__ import annotations

import dataclasses
import sqlite3

import pytest

from explorer.core.corpus_cache import load_corpus_cached
from explorer.core.dates import parse_edtf
from explorer.core.loader import load_corpus
from explorer.core.search import KINDS, SearchIndex, index_file_for, parse_query
from tests.support.corpora import DEFAULT_CORPUS


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return load_corpus_cached(DEFAULT_CORPUS, tmp_path_factory.mktemp("cache"))


MARKS = [
    ("doc:shtykov-stalin-1950-05-29", 20, "disputed", "Folio range wrong: ll. 13-14 against the zhemchug copy"),
    ("doc:stalin-shtykov-1950-01-30", 9, "verified", "Checked against the AVPRF photocopy."),
]


@pytest.fixture(scope="module")
def index(corpus):
    with SearchIndex.build_in_memory(corpus, MARKS) as built:
        yield built


def ids(hits, kind=None):
    return [h.id for h in hits if kind is None or h.kind == kind]


# -- what it finds -------------------------------------------------------------------


def test_every_kind_of_record_is_indexed(index, corpus):
    counts = dict(index._conn.execute("SELECT kind, count(*) FROM items GROUP BY kind").fetchall())
    assert counts == {
        "passage": len(corpus.essay.passages), "note": len(corpus.essay.footnotes), "event": len(corpus.events),
        "document": len(corpus.documents), "catalog": len(corpus.catalog),
        "person": len(corpus.people), "source": len(corpus.sources),
        "place": len(corpus.places), "mark": len(MARKS),
    }
    assert set(counts) == set(KINDS)


def test_catalogue_records_are_found_by_their_own_words_and_lead_to_their_document(index, corpus):
    record = corpus.catalog_by_id["wcda-tunkin-vyshinsky-1949-09-03"]
    assert corpus.catalog and record.url and "88599" in record.url
    hits = index.search("88599")  # the record's address: in no other record
    assert [(h.kind, h.id, h.document) for h in hits] == [("catalog", record.id, record.document)]
    doc = corpus.document_by_id[record.document]
    assert hits[0].note == doc.footnotes[0] and "Telegram, Tunkin to Vyshinsky" in hits[0].title
    # The catalogue's names (from/to) are searched like a document's; kind: filters them.
    named = index.search("person:tunkin kind:catalog", limit=100)
    assert record.id in ids(named) and {h.kind for h in named} == {"catalog"}
    # A not-found record is found by what was searched, and its notes are its document's.
    missing = corpus.catalog_by_id["wcda-gromyko-tunkin-1949-09-11"]
    found = index.search('"Fond 059a" kind:catalogue', limit=100)
    assert missing.id in ids(found)
    notes = corpus.document_by_id[missing.document].footnotes
    assert missing.id in ids(index.search(f"note:{notes[0]} kind:catalog", limit=100))


def test_an_edited_catalogue_record_is_reindexed(copy):
    root, cache = copy
    corpus = load_corpus(root)
    with SearchIndex.open(corpus, cache) as index:
        record = corpus.catalog_by_id["wcda-tunkin-vyshinsky-1949-09-03"]
        catalog = tuple(dataclasses.replace(c, note="A quokka was seen.") if c is record else c
                        for c in corpus.catalog)
        edited = dataclasses.replace(corpus, catalog=catalog)
        assert index.update_records(edited, [record.id]) == 1
        assert [(h.kind, h.id) for h in index.search("quokka")] == [("catalog", record.id)]
        assert ids(index.search("88599")) == [record.id]  # the rest of the record is still there
        # Removed from the catalogue: gone from the index too.
        gone = dataclasses.replace(edited, catalog=tuple(c for c in catalog if c.id != record.id))
        index.update_records(gone, [record.id])
        assert index.search("quokka") == []


def test_diacritics_and_case_fold(index):
    plain = index.search("pak hon-yong", limit=100)
    marked = index.search("Pak Hŏn-yŏng", limit=100)
    assert ids(marked) == ids(plain) and "pak-hon-yong" in ids(marked, "person")
    assert "kim-pak-in-moscow-1950" in ids(marked, "event")


def test_a_persons_other_name_forms_find_the_person_and_their_records(index):
    for form in ("Shtykov", "Shykov", "Shtykov's", "Terentii", "shtyk*"):
        hits = index.search(form, limit=200)
        assert "shtykov" in ids(hits, "person"), form
        assert "shtykov-stalin-1950-05-29" in ids(hits, "document"), form


def test_a_misspelt_name_finds_records_that_only_spell_it_right(index, corpus):
    # The person record lists "Shykov" among his spellings; this telegram's text never says "Shykov".
    doc = corpus.document_by_id["shtykov-stalin-1950-05-29"]
    assert "shykov" not in f"{doc.title} {doc.summary} {doc.note}".lower()
    assert "shtykov-stalin-1950-05-29" in ids(index.search("Shykov", limit=200), "document")


def test_person_filter(index, corpus):
    hits = index.search("person:shtykov kind:document", limit=200)
    expected = set(corpus.documents_by_person["shtykov"])
    assert set(ids(hits)) == expected and {h.kind for h in hits} == {"document"}


def test_phrases_and_prefixes(index):
    phrase = index.search('"atomic bomb"')
    assert phrase and all("atomic bomb" in h.snippet.lower() for h in phrase)
    assert index.search('"bomb atomic"') == []
    assert set(ids(index.search("atom*"))) >= set(ids(phrase))


def test_prefixes_fold_and_expand_to_the_indexed_words(index, monkeypatch):
    from explorer.core import search

    assert "pak-hon-yong" in ids(index.search("Hŏn-yŏ*", limit=200), "person")
    assert "shtykov" in ids(index.search("SHTY*", limit=200), "person")
    assert index.search("zzqx*") == [] and index.search("stalin -zzqx*")
    monkeypatch.setattr(search, "MAX_EXPANSION", 1)
    assert index._expand('"shty"*') == '("shtykov")'


def test_excluded_words(index):
    with_pak = set(ids(index.search("Kim Moscow", limit=500)))
    without = set(ids(index.search("Kim Moscow -Pak", limit=500)))
    assert without < with_pak and "kim-pak-in-moscow-1950" not in without


def test_note_filter_finds_the_note_its_passage_and_what_it_cites(index, corpus):
    hits = index.search("note:20", limit=500)
    found = {(h.kind, h.id) for h in hits}
    assert ("note", "fn20") in found
    assert ("passage", corpus.footnote(20).passage_id) in found
    for doc in corpus.documents_by_footnote[20]:
        assert ("document", doc) in found
    assert ("mark", MARKS[0][0]) in found
    assert {(h.kind, h.id) for h in index.search("note:fn20", limit=500)} == found


def test_date_filters_overlap_the_records_range(index, corpus):
    hits = index.search("from:1950-05 to:1950-06 kind:event", limit=500)
    expected = {e.id for e in corpus.events
                if e.date.upper.isoformat() >= "1950-05-01" and e.date.lower.isoformat() <= "1950-06-30"}
    assert set(ids(hits)) == expected and expected
    # An interval reaching into the range counts: overlap, not containment.
    assert any(corpus.event_by_id[i].date.lower.isoformat() < "1950-05-01" for i in expected)


def test_open_date_ranges_and_long_spans(corpus):
    long = parse_edtf("1945-08/1953-07")
    first = corpus.events[0]
    edited = dataclasses.replace(corpus, events=(dataclasses.replace(first, date=long), *corpus.events[1:]))
    with SearchIndex.build_in_memory(edited) as index:
        assert first.id in ids(index.search("date:1950-06-25 kind:event", limit=500))
        later = ids(index.search("from:1950-06-25 kind:event", limit=500))
        assert first.id in later and all(edited.event_by_id[i].date.upper.isoformat() >= "1950-06-25" for i in later)
        earlier = ids(index.search("to:1949-12 kind:event", limit=500))
        assert first.id in earlier and all(edited.event_by_id[i].date.lower.year <= 1949 for i in earlier)
        assert index.search("from:1951 to:1950") == []


def test_very_common_words_are_ranked_in_a_sample_but_filters_apply_first(index, monkeypatch):
    from explorer.core import search

    everything = index.search("the", limit=500)
    monkeypatch.setattr(search, "RANK_CAP", 5)
    capped = index.search("the", limit=50)
    assert len(capped) == 5 and set(ids(capped)) <= set(ids(everything))
    # The kind and note filters narrow the match before the cap: a sample of documents, not of everything.
    documents = index.search("the kind:document", limit=50)
    assert len(documents) == 5 and {h.kind for h in documents} == {"document"}


def test_marks_comments_are_searched(index):
    hits = index.search("zhemchug")
    assert [(h.kind, h.id, h.note) for h in hits] == [("mark", MARKS[0][0], 20)]
    assert "disputed" in hits[0].title


def test_hits_carry_where_to_go_and_a_highlighted_plain_snippet(index, corpus):
    hit = next(h for h in index.search("atomic bomb") if h.kind == "passage")
    assert hit.passage == hit.id and hit.note is not None
    start, end = hit.highlights[0]
    assert hit.snippet[start:end].lower() in ("atomic", "bomb")
    assert "[" in hit.marked_snippet() and "\x02" not in hit.snippet
    note = index.search("note:12 kind:note")[0]
    assert (note.id, note.note, note.passage) == ("fn12", 12, corpus.footnote(12).passage_id)


def test_snippets_say_a_name_once(index):
    """A place named as it is spelt, and an event at that place, once read "Ongjin peninsula Ongjin peninsula"."""
    hits = {(h.kind, h.id): h for h in index.search("Ongjin", limit=50)}
    place = hits[("place", "ongjin-peninsula")]
    event = hits[("event", "kim-proposes-general-attack-1950-06-21")]
    for hit in (place, event):
        assert "Ongjin peninsula Ongjin peninsula" not in hit.snippet, hit.snippet
    assert event.snippet.count("Pyongyang") <= 1


def test_limit_caps_the_hits(index):
    assert len(index.search("the", limit=3)) == 3
    assert index.search("the", limit=0) == []


# -- the query syntax --------------------------------------------------------------------


def test_parse_query():
    q = parse_query('kind:documents person:Shtykov note:20 from:1950-05 to:1950-06 "war plan" atom* -rhee')
    assert q.kinds == {"document"} and q.notes == {20}
    assert q.people == ('names : "Shtykov"',)
    assert q.terms == ('"war plan"', '"atom"*') and q.excluded == ('"rhee"',)
    assert q.date_from is not None and q.date_to is not None and q.date_from < q.date_to


def test_filters_that_do_not_read_are_words():
    q = parse_query("from:soon kind:banana note:x title:stalin")
    assert q.date_from is None and not q.kinds and not q.notes
    assert q.terms == ('"from:soon"', '"kind:banana"', '"note:x"', '"title:stalin"')


HOSTILE = [
    '"unbalanced', 'a "b', '"', '""', '"""', "NEAR(", "NEAR(a b", "NEAR(a, 2)", "*", "**", "a*b*", "-", "--", "-a",
    "AND OR", "AND", "OR NOT", "NOT a", "a AND", "(", ")", "(a OR b", "{title}: a", "title:", "title:x", "body:",
    "names:", ":", "^a", "a^", "+", "a:b:c", "kind:", "person:", "note:", "from:", "to:", "from:1950-13",
    "note:99999999999", "person:*", "kind:*", "\x00", "a\x00b", "\x00\x00\"", "'", "''", "\\", "%", "_", ";--",
    "'); DROP TABLE items; --", "a" * 100_000, "word " * 5000, '"' * 3001, "é" * 1000, "\u202e", "\ufeff",
    "\U0001F600", "ŏ*", "\r\n\t", "collate nocase", "rank:", "rowid:1", "fts:", "* -", "-*",
]


@pytest.mark.parametrize("text", HOSTILE, ids=range(len(HOSTILE)))
def test_hostile_queries_answer_without_exception(index, text):
    hits = index.search(text)
    assert isinstance(hits, list) and len(hits) <= 50


def test_a_query_sqlite_rejects_is_answered_as_plain_words(index, monkeypatch):
    # Belt and braces: were the parser ever to pass SQLite something it rejects, the words still answer.
    from explorer.core import search

    real = search.Query.match
    calls = []

    def rejected_once(self, bounds=None):
        calls.append(self)
        return "NEAR(" if len(calls) == 1 else real(self, bounds)

    monkeypatch.setattr(search.Query, "match", rejected_once)
    assert ids(index.search('"zhemchug')) == [MARKS[0][0]] and len(calls) == 2


# -- the stored index ----------------------------------------------------------------------


@pytest.fixture
def copy(tmp_path):
    """A writable copy of the default corpus, and a cache folder."""
    import shutil

    root = tmp_path / "korea"
    shutil.copytree(DEFAULT_CORPUS, root)
    return root, tmp_path / "cache"


def test_stored_beside_the_cache_and_reused(copy):
    root, cache = copy
    corpus = load_corpus_cached(root, cache)
    first = SearchIndex.open(corpus, cache, MARKS)
    assert first.outcome == "built" and first.path == index_file_for(root, cache) and first.path.parent == cache
    hits = ids(first.search("Shykov"))
    first.close()
    second = SearchIndex.open(corpus, cache, MARKS)
    assert second.outcome == "hit" and ids(second.search("Shykov")) == hits
    second.close()


def test_new_marks_are_synced_on_open(copy):
    root, cache = copy
    corpus = load_corpus_cached(root, cache)
    SearchIndex.open(corpus, cache, MARKS).close()
    with SearchIndex.open(corpus, cache, [*MARKS, ("doc:x", 3, "unchecked", "quokka")]) as again:
        assert again.outcome == "hit" and ids(again.search("quokka")) == ["doc:x"]
        again.update_marks([])
        assert again.search("quokka") == [] and again.search("zhemchug") == []


def test_an_edited_corpus_is_rebuilt(copy):
    root, cache = copy
    SearchIndex.open(load_corpus_cached(root, cache), cache).close()
    people = root / "people.yaml"
    people.write_text(people.read_text(encoding="utf-8").replace('"Shykov"]', '"Shykov", "Wombatov"]'),
                      encoding="utf-8")
    with SearchIndex.open(load_corpus_cached(root, cache), cache) as again:
        assert again.outcome.startswith("rebuilt") and "shtykov" in ids(again.search("Wombatov"), "person")


@pytest.mark.parametrize("damage", [b"not a database at all" * 100, b""])
def test_a_damaged_index_is_rebuilt(copy, damage):
    root, cache = copy
    corpus = load_corpus_cached(root, cache)
    SearchIndex.open(corpus, cache).close()
    index_file_for(root, cache).write_bytes(damage)
    with SearchIndex.open(corpus, cache) as again:
        assert again.outcome.startswith("rebuilt") and ids(again.search("Shykov"), "person") == ["shtykov"]


def test_an_index_missing_rows_is_rebuilt(copy):
    root, cache = copy
    corpus = load_corpus_cached(root, cache)
    SearchIndex.open(corpus, cache).close()
    with sqlite3.connect(index_file_for(root, cache)) as conn:
        conn.execute("DELETE FROM items WHERE kind = 'person'")
    conn.close()
    with SearchIndex.open(corpus, cache) as again:
        assert again.outcome.startswith("rebuilt") and "shtykov" in ids(again.search("Shykov"), "person")


def test_an_unwritable_cache_folder_indexes_in_memory(copy):
    root, cache = copy
    corpus = load_corpus_cached(root, cache)
    blocker = cache.parent / "blocker"
    blocker.write_text("a file where the folder should be")
    with SearchIndex.open(corpus, blocker / "cache") as index:
        assert index.outcome == "memory" and index.path is None and ids(index.search("Shykov"), "person")


def test_update_records_reindexes_only_what_changed(copy):
    root, cache = copy
    corpus = load_corpus(root)
    with SearchIndex.open(corpus, cache) as index:
        before = index._conn.execute("SELECT count(*) FROM items").fetchone()[0]
        shtykov = corpus.person_by_id["shtykov"]
        doc = corpus.document_by_id["shtykov-stalin-1950-05-29"]
        people = tuple(dataclasses.replace(p, spellings=(*p.spellings, "Wombatov")) if p is shtykov else p
                       for p in corpus.people)
        documents = tuple(dataclasses.replace(d, summary="A platypus report.") if d is doc else d
                          for d in corpus.documents if d.id != "acheson-press-club-speech-1950-01-12")
        edited = dataclasses.replace(corpus, people=people, documents=documents)
        written = index.update_records(edited, ["shtykov", doc.id, "acheson-press-club-speech-1950-01-12"])
        involved = {*edited.events_by_person["shtykov"], *edited.documents_by_person["shtykov"]}
        assert len(involved | {doc.id}) < written < before / 2
        # The person's new name form reaches the records naming him; the edited summary is found, the old is not.
        assert "shtykov-stalin-1950-05-29" in ids(index.search("Wombatov", limit=200), "document")
        assert ids(index.search("platypus")) == [doc.id]
        assert "shtykov-stalin-1950-05-29" not in ids(index.search("promised Soviet arms", limit=200))
        assert index.search("acheson kind:document") == []
        after = index._conn.execute("SELECT count(*) FROM items").fetchone()[0]
        assert after == before - 1
        check = index._conn.execute("INSERT INTO fts (fts) VALUES ('integrity-check')")
        assert check is not None  # raises if the index and its content disagree


def test_an_edited_events_date_moves_its_passages_and_notes(copy):
    root, cache = copy
    corpus = load_corpus(root)
    with SearchIndex.open(corpus, cache) as index:
        note = corpus.footnote(20)
        assert ("note", "fn20") not in {(h.kind, h.id) for h in index.search("from:1960 kind:note", limit=500)}
        moved = parse_edtf("1960-01-01")
        events = tuple(dataclasses.replace(e, date=moved) if 20 in e.footnotes else e for e in corpus.events)
        edited = dataclasses.replace(corpus, events=events)
        index.update_records(edited, edited.events_by_footnote[20])
        found = {(h.kind, h.id) for h in index.search("from:1960", limit=500)}
        assert ("note", "fn20") in found and ("passage", note.passage_id) in found
        # Removed again: the note's and passage's dates go with it.
        gone = dataclasses.replace(edited, events=tuple(e for e in edited.events if 20 not in e.footnotes))
        index.update_records(gone, edited.events_by_footnote[20])
        assert index.search("from:1960", limit=500) == []


def test_an_index_built_on_a_worker_thread_answers_on_another(corpus, tmp_path):
    import threading

    built = []
    worker = threading.Thread(target=lambda: built.append(SearchIndex.open(corpus, tmp_path)))
    worker.start()
    worker.join()
    with built[0] as index:
        assert "shtykov" in ids(index.search("Shykov"), "person")


def test_a_large_synthetic_corpus_builds_and_answers(tmp_path):
    from tools.synthetic import generate_corpus

    root = generate_corpus(tmp_path / "gen", 400).path
    corpus = load_corpus_cached(root, tmp_path / "cache")
    with SearchIndex.open(corpus, tmp_path / "cache") as index:
        counts = index._conn.execute("SELECT count(*) FROM items").fetchone()[0]
        assert counts == sum(corpus.counts()[k] for k in ("events", "documents", "people", "sources", "places")) \
            + len(corpus.essay.passages) + len(corpus.essay.footnotes)
        hits = index.search("telegram", limit=20)
        assert len(hits) == 20 and all(h.highlights or "telegram" in h.title.lower() for h in hits)
