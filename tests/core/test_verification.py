"""Which citations carry a verification mark: per note, per document, per finding."""

from __future__ import annotations

import pytest

from explorer.core.audit import Finding, run_audit
from explorer.core.citations import parse_notes
from explorer.core.loader import load_corpus
from explorer.core.verification import (
    LABEL_LIMIT,
    citation_label,
    document_targets,
    finding_targets,
    findings_by_footnote,
    note_targets,
    notes_by_key,
    short_labels,
)
from tests.support.corpora import DEFAULT_CORPUS


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(DEFAULT_CORPUS)


@pytest.fixture(scope="module")
def notes(corpus):
    return {n.number: n for n in parse_notes((f.number, f.text) for f in corpus.essay.footnotes)}


def test_a_note_lists_its_citations_once_each_and_no_commentary(corpus, notes) -> None:
    assert note_targets(notes[1], corpus) == ()  # the author's own comment cites nothing
    labels = [t.label for t in note_targets(notes[12], corpus)]
    assert labels == ["Report on Kim Il Sung’s visit to the USSR, March 30-April 25, 1950",
                      "Bajanov and Bajanova, “The Korean Conflict, 1950-1953”",
                      "Weathersby, “Should We Fear This?”, pp. 9-12"]
    assert all(t.footnote == 12 for t in note_targets(notes[12], corpus))
    keys = [t.key for n in notes.values() for t in note_targets(n, corpus) if t.footnote == n.number]
    assert all(keys)


def test_labels_name_the_correspondents_and_what_an_ibid_means(notes) -> None:
    first = notes[10].citations[0]
    assert citation_label(first) == "Ciphered telegram, Shtykov to Vyshinsky, 3 September 1949"
    ibid = next(c for c in notes[23].citations if c.kind == "ibid")
    assert citation_label(ibid) == "Ibid. (Weathersby, “Should We Fear This?”)"  # as the author meant it
    bare = notes[8].citations[0]  # a bare archival reference
    assert citation_label(bare) == "AVPRF, f. 059a, op. 5a, d. 3, p. 11, ll. 87-91"


def test_a_short_label_drops_the_kind_and_keeps_the_correspondents_and_the_day(corpus, notes) -> None:
    """Three telegrams of September 1949 in note 10: shortened, each still says who wrote to whom, and when."""
    shorts = [t.short_labels for t in note_targets(notes[10], corpus)][:3]
    assert shorts == [("Shtykov \u2192 Vyshinsky, 3 Sep 1949",), ("Gromyko \u2192 Tunkin, 11 Sep 1949",),
                      ("Tunkin \u2192 Soviet Foreign Ministry, 14 Sep 1949",)]
    assert short_labels(next(c for c in notes[23].citations if c.kind == "ibid")) == ()  # nothing to leave out
    (titled,) = parse_notes([(1, "Report on the talks, 3 May 1950, AVPRF, Fond 059a, Opis 5a, Delo 3, List 4.")])
    assert short_labels(titled.citations[0]) in ((), ("Report on the talks, 3 May 1950",))  # May is May


def test_a_long_label_is_one_line_cut_at_a_word() -> None:
    text = "A remark that goes on\nand on about the   archives, " + "quite extraordinarily long " * 10
    (note,) = parse_notes([(1, text)])
    label = citation_label(note.citations[0])
    assert len(label) <= LABEL_LIMIT and label.endswith("…") and "\n" not in label and "  " not in label
    assert label.startswith("A remark that goes on and on about the archives")
    assert label[:-1].endswith(("quite", "extraordinarily", "long"))  # a whole word, not "extraor…"


def test_a_long_document_label_is_cut_before_its_date() -> None:
    """The date tells two telegrams of one exchange apart: the correspondents' names are shortened, not it."""
    text = ("Ciphered telegram from Ambassador Extraordinary and Plenipotentiary Terentii Fomich Shtykov to "
            "Deputy Minister of Foreign Affairs Andrei Yanuarevich Vyshinsky, 3 September 1949, AVPRF, "
            "Fond 059a, Opis 5a, Delo 4, Papka 11, Listy 136-138.")
    (note,) = parse_notes([(1, text)])
    citation = note.citations[0]
    assert citation.document is not None and citation.document.date_text
    label = citation_label(citation)
    assert len(label) <= LABEL_LIMIT and "\n" not in label
    assert label.endswith(", " + citation.document.date_text) and "…" in label


def test_a_document_gets_its_own_citation_from_each_note_citing_it(corpus, notes) -> None:
    """Note 10 cites three documents: each gets only its own citation, matched by date and folios."""
    seen = {}
    for doc_id in corpus.documents_by_footnote[10]:
        targets = document_targets(corpus, notes, doc_id)
        assert [t.footnote for t in targets] == [10], doc_id
        seen[doc_id] = targets[0].key
    assert len(set(seen.values())) == 3
    assert "1949-09-11" in seen["gromyko-tunkin-1949-09-11"]
    # cited in two notes, once by its archival file alone
    assert [t.footnote for t in document_targets(corpus, notes, "shtykov-vyshinsky-1950-01-19")] == [8, 11]
    # notes 16-18 cite the report only as "Ibid.": the Ibid. is what there is to mark
    report = document_targets(corpus, notes, "report-kim-visit-1950")
    assert [(t.footnote, t.key.split(":")[0]) for t in report] == [
        (12, "doc"), (15, "doc"), (16, "ibid"), (17, "ibid"), (18, "ibid")]
    assert document_targets(corpus, notes, "nsc-48") == ()  # no note cites it
    assert document_targets(corpus, notes, "no-such-document") == ()


def test_every_cited_document_has_something_to_mark(corpus, notes) -> None:
    for doc in corpus.documents:
        if doc.footnotes:
            assert {t.footnote for t in document_targets(corpus, notes, doc.id)} == set(doc.footnotes), doc.id


def test_findings_lead_to_their_notes_citations(corpus, notes) -> None:
    findings = run_audit(corpus, list(notes.values()))
    ibid = next(f for f in findings if f.code == "IBID_INTENT" and f.footnotes == (23,))
    assert [t.footnote for t in finding_targets(ibid, notes, corpus)] == [23, 23]
    by_note = findings_by_footnote(findings)
    assert ibid in by_note[23]
    assert set(by_note) == {n for f in findings for n in f.footnotes}
    assert finding_targets(Finding("NAME_VARIANT", "warning", "no note"), notes, corpus) == ()


def test_notes_citing_exactly_the_same_share_a_key(corpus, notes) -> None:
    shared = notes_by_key(notes.values(), corpus)
    assert shared["work:weathersby:to attack or not to attack@1-9"] == (8, 10, 11)
    assert all(len(numbers) == 1 for key, numbers in shared.items() if key.startswith("doc:ciphered-telegram"))


def test_keys_survive_an_edit_elsewhere_in_the_notes(corpus) -> None:
    texts = [(f.number, f.text) for f in corpus.essay.footnotes]
    before = {n.number: [t.key for t in note_targets(n, corpus)] for n in parse_notes(texts)}
    edited = [(n, text.replace("Cumings", "Cummings") if n == 2 else text) for n, text in texts]
    edited.insert(0, (0, "A new first note: see Bruce Cumings, The Origins of the Korean War (Princeton, 1990)."))
    after = {n.number: [t.key for t in note_targets(n, corpus)] for n in parse_notes(edited)}
    changed = [n for n in before if before[n] != after[n]]
    assert changed == [2]


def test_notes_24_and_26_cite_two_documents_and_get_two_keys(corpus, notes) -> None:
    """Same kind, sender, recipient and day; the corpus tells the two telegrams apart, so must the keys."""
    from explorer.core.verification import document_links, key_moves

    [on_24] = [t for t in note_targets(notes[24], corpus) if t.key.startswith("doc:")]
    [on_26] = [t for t in note_targets(notes[26], corpus) if t.key.startswith("doc:")]
    assert on_24.label == on_26.label and on_24.old_key == on_26.old_key == "doc:telegram:stalin>shtykov:1950-06-21"
    assert on_24.key.endswith("#doc=stalin-shtykov-1950-06-21-ships")
    assert on_26.key.endswith("#doc=stalin-shtykov-1950-06-21-plan")
    assert document_links(corpus, notes[24]) == {notes[24].documents()[0].index: "stalin-shtykov-1950-06-21-ships"}
    moves = key_moves(notes.values(), corpus)
    assert moves[on_24.old_key] == ((on_24.key, 24, on_24.label), (on_26.key, 26, on_26.label))
    # the same document cited in two notes still shares one mark
    assert notes_by_key(notes.values(), corpus)[next(
        t.key for t in note_targets(notes[12], corpus) if t.key.startswith("doc:"))] == (12, 15)


def test_every_document_the_corpus_distinguishes_has_its_own_keys(corpus, notes) -> None:
    keys_of: dict[str, set[str]] = {}
    for doc in corpus.documents:
        keys_of[doc.id] = {t.key for t in document_targets(corpus, notes, doc.id) if t.key.startswith("doc:")}
    for a in keys_of:
        for b in keys_of:
            if a < b:
                assert not keys_of[a] & keys_of[b], (a, b)


def test_an_unlinked_document_citation_is_told_apart_by_what_the_note_gives() -> None:
    """No corpus document to link to: folios, the publication and its pages, else the note number."""
    from explorer.core.verification import mark_key

    texts = [
        (1, "Telegram from Stalin to Shtykov, 21 June 1950."),
        (2, "Telegram from Stalin to Shtykov, 21 June 1950."),
        (3, "Telegram from Stalin to Shtykov, 21 June 1950, AVPRF, f. 059a, op. 5a, d. 3, p. 11, l. 45."),
        (4, "Telegram from Stalin to Shtykov, 21 June 1950, AVPRF, f. 059a, op. 5a, d. 3, p. 11, l. 46."),
    ]
    parsed = {n.number: n for n in parse_notes(texts)}
    keys = {n: mark_key(parsed[n].documents()[0], parsed[n]) for n in parsed}
    assert keys[1].endswith("#fn=1") and keys[2].endswith("#fn=2")  # nothing else tells them apart
    assert "fn=" not in keys[3] and keys[3] != keys[4]  # their folios do


def test_merging_two_changes_keeps_both_texts() -> None:
    from explorer.core.verification import merge_marks

    base = ("unchecked", "")
    assert merge_marks(base, ("disputed", ""), ("unchecked", "my comment")) == ("disputed", "my comment")
    assert merge_marks(base, ("disputed", "wrong date"), ("unchecked", "my comment")) == (
        "disputed", "wrong date / my comment")
    assert merge_marks(base, ("verified", "a"), ("disputed", "b")) == ("disputed", "a / b")  # a doubt stays
    assert merge_marks(("verified", "a"), ("verified", "a, and b"), ("verified", "a")) == ("verified", "a, and b")
    assert merge_marks(("verified", "a"), ("verified", "a"), ("disputed", "a, but c")) == ("disputed", "a, but c")
    assert merge_marks(base, ("verified", "same"), ("verified", "same")) == ("verified", "same")
