"""Who wrote to whom, without Qt: edges, the date range, the stable circle, hit tests."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from explorer.core.correspondence import Correspondence, circle_layout, distance_to_segment, edge_width
from explorer.core.loader import load_corpus
from tests.support.corpora import DEFAULT_CORPUS


def day(text: str) -> int:
    return dt.date.fromisoformat(text).toordinal()


def test_every_sender_recipient_pair_is_an_edge(tiny_corpus_dir: Path) -> None:
    tiny_corpus = load_corpus(tiny_corpus_dir)
    c = Correspondence(tiny_corpus)
    edges = {(e.sender, e.recipient): e.documents for e in c.edges()}
    for d in tiny_corpus.documents:
        for s in d.senders:
            for r in d.recipients:
                assert d.id in edges[(s, r)]
    assert sum(e.count for e in c.edges()) == sum(len(d.senders) * len(d.recipients) for d in tiny_corpus.documents)


def test_the_range_keeps_only_letters_that_overlap_it() -> None:
    default_corpus = load_corpus(DEFAULT_CORPUS)
    c = Correspondence(default_corpus)
    first, last = day("1950-01-01"), day("1950-03-31")
    inside = {d for e in c.edges(first, last) for d in e.documents}
    for d in default_corpus.documents:
        if d.senders and d.recipients and d.date is not None:
            overlaps = d.date.lower.toordinal() <= last and d.date.upper.toordinal() >= first
            assert (d.id in inside) == overlaps, d.id
    assert not any(x.document in inside for x in c.undated)
    everything = {d for e in c.edges() for d in e.documents}
    assert everything == {d.id for d in default_corpus.documents if d.senders and d.recipients}


def test_the_circle_is_ordered_by_name_and_the_same_every_time() -> None:
    default_corpus = load_corpus(DEFAULT_CORPUS)
    a, b = Correspondence(default_corpus), Correspondence(default_corpus)
    assert a.people == b.people
    names = [a.names[p].casefold() for p in a.people]
    assert names == sorted(names)
    layout = circle_layout(a.people)
    assert layout == circle_layout(b.people)
    assert layout[a.people[0]] == (0.0, -1.0)
    assert all(abs(x * x + y * y - 1) < 1e-9 for x, y in layout.values())


def test_widths_grow_with_the_log_of_the_count_and_hits_measure_to_the_segment() -> None:
    assert edge_width(1) < edge_width(2) < edge_width(8) < edge_width(100) < 13
    assert distance_to_segment(5, 3, 0, 0, 10, 0) == 3
    assert distance_to_segment(-4, 3, 0, 0, 10, 0) == 5
    assert distance_to_segment(1, 1, 0, 0, 0, 0) == 2 ** 0.5
