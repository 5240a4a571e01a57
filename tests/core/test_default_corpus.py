"""The shipped corpus: valid, faithful to the essay, complete."""

from __future__ import annotations

import re

import pytest
import yaml

from explorer.core.essay_import import read_essay_file
from explorer.core.loader import load_corpus
from tests.support.corpora import DEFAULT_CORPUS


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(DEFAULT_CORPUS)


@pytest.fixture(scope="module")
def essay():
    return read_essay_file(DEFAULT_CORPUS / "essay.txt")


def _raw(name):
    # Read independently of the app's loader, so the loader cannot hide a gap.
    return yaml.safe_load((DEFAULT_CORPUS / f"{name}.yaml").read_text(encoding="utf-8"))[name]


def test_every_quote_in_data_is_verbatim(essay):
    checked = 0
    for event in _raw("events"):
        for anchor in event.get("passages") or []:
            assert anchor["quote"] in essay.passage(anchor["passage"]).text, (event["id"], anchor["quote"])
            checked += 1
    for doc in _raw("documents"):
        for quote in doc.get("quotes") or []:
            assert quote["text"] in essay.passage(quote["passage"]).text, (doc["id"], quote["text"])
            checked += 1
        for loc in doc.get("locations") or []:
            if loc.get("as_cited"):
                assert loc["as_cited"] in essay.footnote(loc["footnote"]).text, (doc["id"], loc["as_cited"])
                checked += 1
    assert checked > 50


def test_every_spelling_occurs_in_the_essay(essay):
    text = "\n".join([p.text for p in essay.passages] + [f.text for f in essay.footnotes])
    for name in ("people", "places"):
        for record in _raw(name):
            for spelling in record.get("spellings") or []:
                assert spelling in text, (record["id"], spelling)


def test_every_footnote_is_accounted_for(corpus):
    assert corpus.unaccounted_footnotes() == ()
    for number, reason in corpus.manifest.commentary.items():
        assert len(reason.split()) >= 5, number
        assert not corpus.documents_by_footnote.get(number), f"note {number} is commentary yet cites a document"


def test_every_event_is_anchored_and_dated_in_range(corpus):
    assert len(corpus.events) >= 30
    for event in corpus.events:
        assert event.passages, event.id
        assert 1945 <= event.date.lower.year <= 1950, event.id
    assert corpus.events[0].date.lower.year == 1945
    assert corpus.events[-1].date.upper.year == 1950


def test_summaries_are_in_our_own_words(corpus, essay):
    essay_words = " ".join(p.text for p in essay.passages).lower().split()
    shingles = {" ".join(essay_words[i:i + 8]) for i in range(len(essay_words) - 7)}
    for record in (*corpus.events, *corpus.documents):
        words = (record.summary or "").lower().split()
        copied = [" ".join(words[i:i + 8]) for i in range(len(words) - 7) if " ".join(words[i:i + 8]) in shingles]
        assert not copied, (record.id, copied[:1])


_TITLE = re.compile(
    r"\b(?:Ambassador|Comrade|General|Secretary of State|Foreign Minister|Chairman|spy in Washington,)\s+"
    r"(?!Staff\b)((?:[A-Z]\.\s?)*[A-Z][A-Za-z’'-]+(?:\s+(?:[A-Z]\.\s?)*[A-Z][A-Za-z’'-]+)*)"
)
_PARTIES = re.compile(
    r"\b(?:[Tt]elegram|[Cc]onversation)\s+(?:from|between)\s+(?:\[[^\]]*\]\s*)?((?:[A-Z]\.\s?)*[A-Z][\w’'-]+)"
    r"(?:\s+(?:to|and)\s+(?:the\s+)?(?:\[[^\]]*\]\s*)?((?:[A-Z]\.\s?)*[A-Z][\w’'-]+))?"
)


def _named_people(essay):
    """Names the essay gives people, found by the titles and telegram forms it uses."""
    names = set()
    for p in essay.passages:
        names.update(m.group(1) for m in _TITLE.finditer(p.text))
    for f in essay.footnotes:
        for m in _PARTIES.finditer(f.text):
            names.update(g for g in m.groups() if g)
    return names


def test_every_person_named_in_the_essay_has_a_record(corpus, essay):
    names = _named_people(essay)
    # the extraction itself must find the correspondents of the telegrams
    assert {"Shtykov", "Vyshinsky", "Gromyko", "Tunkin", "Roshchin", "Stalin"} <= names
    spellings = {s for p in corpus.people for s in (p.name, *p.spellings)}
    words = {w for s in spellings for w in s.split()}
    organisations = {"Soviet", "DPRK", "USSR", "Foreign", "Ministry"}
    missing = sorted(n for n in names if n.split()[-1] not in words and n.split()[0] not in organisations)
    assert not missing
    for person in ("Kim Il Sung", "Pak Hon-yong", "Mao Zedong", "Syngman Rhee", "Dean Acheson", "Ho Chi Minh",
                   "Vasiliev", "McLean", "Shykov", "Bruce Cumings"):
        assert any(person in s for s in spellings), person
