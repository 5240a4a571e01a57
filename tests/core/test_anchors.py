"""Sentences, anchors and the event at a place in the essay (explorer.core.anchors)."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from explorer.core.anchors import (
    Span,
    anchor_in,
    anchors_of,
    event_at,
    nearest_event,
    sentence_span,
    sentence_starts,
)
from explorer.core.loader import load_corpus


def test_sentences_split_at_full_stops_but_not_initials_or_abbreviations() -> None:
    text = "K. Weathersby wrote it. The U.S. Army left Korea. Gen. MacArthur came! “Why?” he asked. Then 1950."
    starts = sentence_starts(text)
    assert [text[s:s + 8] for s in starts] == ["K. Weath", "The U.S.", "Gen. Mac", "“Why?” h", "Then 195"]


def test_sentence_span_covers_every_sentence_the_range_touches() -> None:
    text = "One. Two words here. Three."
    assert sentence_span(text, text.index("words")) == Span(5, 20)
    assert sentence_span(text, 0, text.index("Three")) == Span(0, 20)
    assert sentence_span(text, text.index("Three")) == Span(21, 27)


@given(st.text(alphabet="ab. ?!”A1\n", max_size=60), st.data())
def test_sentence_span_always_holds_its_range(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, max(len(text) - 1, 0)))
    span = sentence_span(text, start)
    assert span.start <= start
    assert span.end <= len(text)


def test_anchors_and_event_at_on_the_tiny_corpus(tiny_corpus_dir: Path) -> None:
    corpus = load_corpus(tiny_corpus_dir)
    (anchor,) = anchors_of(corpus, "ev-march")
    passage = corpus.passage("p01")
    assert passage is not None
    assert passage.text[anchor.quote.start:anchor.quote.end] == "In March 1949 Kim asked Stalin for leave to attack."
    assert anchor_in(corpus, "ev-march", "p99") == anchor
    assert anchors_of(corpus, "no-such-event") == ()
    # inside the quote, inside the sentence but outside a quote, and in a sentence no event narrates
    assert event_at(corpus, "p01", 5) == "ev-march"
    p02 = corpus.passage("p02")
    assert p02 is not None
    assert event_at(corpus, "p02", p02.text.index("ready")) == "ev-january"
    assert event_at(corpus, "p01", passage.text.index("refused")) is None


def test_nearest_event_prefers_the_sentence_before_the_offset(tiny_corpus_dir: Path) -> None:
    corpus = load_corpus(tiny_corpus_dir)
    p01 = corpus.passage("p01")
    assert p01 is not None
    after_quote = p01.text.index("Stalin refused")
    assert nearest_event(corpus, ["ev-march", "ev-january"], "p01", after_quote) == "ev-march"
    assert nearest_event(corpus, ["ev-march"], "p01", 0) == "ev-march"  # only one after it: still found
    assert nearest_event(corpus, ["ev-january"], "p01", 10) is None  # not narrated in p01
