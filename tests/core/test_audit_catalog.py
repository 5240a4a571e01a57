"""The catalogue cross-check: CATALOG_MISMATCH and CATALOGUED_UNCITED, and their near-misses."""

from __future__ import annotations

from explorer.core.audit.catalog import check_catalog, check_catalogued_uncited
from explorer.core.loader import load_corpus
from tests.support.corpora import TINY_FILES


def _record(document: str, *, frm: str = "[Shtykov]", to: str = "[Vyshinsky]", date: str = "1949-09-03",
            location: str = "", status: str = "found", rid: str = "cat") -> str:
    return f"""
  - id: {rid}
    document: {document}
    catalogue: Wilson Center Digital Archive
    catalog_status: {status}
    url: "https://digitalarchive.wilsoncenter.org/document/1"
    title: "Telegram"
    date: "{date}"
    from: {frm}
    to: {to}
    parsed_location: [{location}]
    read_on: "2026-11-29"
"""


def _corpus(make_corpus, *records: str, people: str | None = None, documents: str | None = None):
    files = {"catalog.yaml": "catalog:" + "".join(records)}
    if people:
        files["people.yaml"] = people
    if documents:
        files["documents.yaml"] = documents
    return load_corpus(make_corpus(files))


def test_sender_and_location_differences_are_one_finding_with_both_values(make_corpus):
    loc = '{archive: AVPRF, fond: "059a", opis: "5a", delo: "3", papka: "11", listy: "46-47"}'
    (f,) = check_catalog(_corpus(make_corpus, _record("doc-sept", frm="[Tunkin]", location=loc)))
    assert (f.code, f.severity, f.footnotes, f.passages, f.documents) == (
        "CATALOG_MISMATCH", "warning", (1,), ("p01",), ("doc-sept",))
    assert f.url == "https://digitalarchive.wilsoncenter.org/document/1"
    assert [(d["field"], d["essay"], d["catalogue"]) for d in f.details["differences"]] == [
        ("sender", "Terentii Shtykov", "Tunkin"),
        ("location", "AVPRF, f. 059a, op. 5a, d. 4, p. 11, ll. 136-138",
         "AVPRF, f. 059a, op. 5a, d. 3, p. 11, ll. 46-47"),
    ]
    assert "Tunkin" in f.message and "Terentii Shtykov" in f.message and f.url in f.message


def test_a_date_the_catalogue_gives_otherwise_is_a_mismatch(make_corpus):
    (f,) = check_catalog(_corpus(make_corpus, _record("doc-sept", date="1949-09-05")))
    assert f.details["differences"] == [{"field": "date", "essay": "3 Sep 1949", "catalogue": "5 Sep 1949"}]


def test_agreeing_records_and_near_misses_are_not_flagged(make_corpus):
    same_file = '{archive: AVPRF, fond: "059a", opis: "5a", delo: "4", papka: "11", listy: "136-138"}'
    corpus = _corpus(
        make_corpus,
        # the same values; a qualifier after the name; a month that contains the day
        _record("doc-sept", to="[Vyshinsky (for the Politburo)]", date="1949-09", location=same_file),
        # a record not found in the catalogue says nothing about the document
        _record("doc-jan", frm="[Tunkin]", status="not-found", rid="cat-2").replace(
            "read_on:", "searched: Stalin to Shtykov\n    read_on:"),
    )
    assert list(check_catalog(corpus)) == []


def test_a_pseudonym_matches_through_the_persons_other_names(make_corpus):
    people = TINY_FILES["people.yaml"].replace(
        "spellings: [Stalin]",
        'spellings: [Stalin]\n            other_names:\n              - {name: Filippov, source: WCDA}')
    record = _record("doc-jan", frm="[Cde. Filippov]", to="[Shtykov]", date="1950-01-30")
    assert list(check_catalog(_corpus(make_corpus, record, people=people))) == []
    # Without the recorded pseudonym the same record is a sender mismatch.
    (f,) = check_catalog(_corpus(make_corpus, record))
    assert f.details["differences"][0]["field"] == "sender"


def test_record_of_talks_against_record_of_conversation(make_corpus):
    documents = TINY_FILES["documents.yaml"].replace(
        "title: Telegram from Stalin to Shtykov", "title: Record of Conversation between Stalin and Mao")
    record = _record("doc-jan", frm="[]", to="[]", date="1950-01-30").replace(
        'title: "Telegram"', 'title: "Record of Talks between I.V. Stalin and Mao Zedong"')
    (f,) = check_catalog(_corpus(make_corpus, record, documents=documents))
    assert f.details["differences"] == [
        {"field": "title", "essay": "Record of Conversation", "catalogue": "Record of Talks"}]
    same = record.replace("Record of Talks", "Record of the Conversation")
    assert list(check_catalog(_corpus(make_corpus, same, documents=documents))) == []


UNCITED_DOC = """
          - id: doc-may
            kind: telegram
            title: Mao's telegram to Stalin
            date: "1950-05-13"
            senders: [kim]
"""


def test_a_narrated_catalogued_document_no_note_cites(make_corpus):
    documents = TINY_FILES["documents.yaml"].rstrip() + "\n" + UNCITED_DOC
    events = TINY_FILES["events.yaml"].replace("documents: [doc-jan, doc-sept]", "documents: [doc-jan, doc-may]")
    corpus = load_corpus(make_corpus({"documents.yaml": documents, "events.yaml": events, "catalog.yaml":
                                      "catalog:" + _record("doc-may", frm="[Kim]", to="[]", date="1950-05-13")}))
    (f,) = check_catalogued_uncited(corpus)
    assert (f.code, f.footnotes, f.passages, f.documents) == ("CATALOGUED_UNCITED", (), ("p02",), ("doc-may",))
    assert f.url and f.url in f.message
    # Cited documents, and uncited ones no event narrates, are not flagged.
    events_without = TINY_FILES["events.yaml"]
    corpus = load_corpus(make_corpus({"documents.yaml": documents, "events.yaml": events_without, "catalog.yaml":
                                      "catalog:" + _record("doc-may", frm="[Kim]", to="[]", date="1950-05-13")
                                      + _record("doc-sept", rid="c2")}, name="d"))
    assert list(check_catalogued_uncited(corpus)) == []
