"""The selection rules, without Qt: what choosing an event, document, note or passage brings along."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.core.loader import load_corpus
from explorer.core.model import Corpus
from explorer.core.selection import (
    Selection,
    follow,
    follow_document,
    follow_event,
    follow_footnote,
    follow_passage,
)


@pytest.fixture
def corpus(tiny_corpus_dir: Path) -> Corpus:
    return load_corpus(tiny_corpus_dir)


def test_an_event_brings_its_first_document_and_passage(corpus: Corpus) -> None:
    assert follow_event(corpus, Selection(), "ev-january") == Selection(
        event="ev-january", document="doc-jan", passage="p02")


def test_an_unknown_event_clears_only_the_event(corpus: Corpus) -> None:
    start = follow_event(corpus, Selection(), "ev-january")
    assert follow_event(corpus, start, "ev-gone") == Selection(document="doc-jan", passage="p02")


def test_reselecting_an_event_keeps_the_readers_choice_among_its_evidence(corpus: Corpus) -> None:
    picked = follow_document(corpus, follow_event(corpus, Selection(), "ev-january"), "doc-sept")
    assert picked.event == "ev-january" and picked.document == "doc-sept"
    assert follow_event(corpus, picked, "ev-january").document == "doc-sept"


def test_a_footnote_picks_what_it_cites_and_an_event_citing_it(corpus: Corpus) -> None:
    start = follow_event(corpus, Selection(), "ev-march")
    assert follow_footnote(corpus, start, 2) == Selection(
        event="ev-january", document="doc-jan", passage="p02", footnote=2)
    assert follow_footnote(corpus, start, 99) == start  # no such note: nothing opens


def test_a_passage_elsewhere_closes_the_open_footnote(corpus: Corpus) -> None:
    opened = follow_footnote(corpus, Selection(), 2)
    assert follow_passage(corpus, opened, "p02").footnote == 2
    moved = follow_passage(corpus, opened, "p01")
    assert moved.footnote is None and moved.event == opened.event


def test_follow_reads_any_id_and_refuses_what_is_not_one(corpus: Corpus) -> None:
    assert follow(corpus, Selection(), "doc-jan") == follow_document(corpus, Selection(), "doc-jan")
    assert follow(corpus, Selection(), "nonsense") is None
