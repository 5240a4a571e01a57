"""Where the essay narrates an event, and which event a place in the essay narrates.

An event's quotes are verbatim spans of passages (the loader checks this). The
reading pane highlights each quote inside its sentence, and a click anywhere
in such a sentence selects the event; both directions are answered here,
without Qt, in Python string offsets.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from explorer.core.model import Corpus
from explorer.core.months import MONTH_ABBREVIATIONS

# A sentence ends after . ? or ! (and any closing quotes or brackets), before
# whitespace and a capital, a digit or an opening quote.
_END = re.compile(r"[.?!][”’\"')\]]*(?=\s+[“‘\"(\[A-Z0-9])")
_ABBREVIATIONS = frozenset((
    "mr", "mrs", "ms", "dr", "st", "gen", "col", "lt", "capt", "maj", "adm", "sgt", "no", "nos", "vol",
    "vols", "pp", "p", "ed", "eds", "cf", "vs", "etc", "al", "sept", "fig", "ch", "art", "op",
    # "Mar." and the like, not "May." (a word that often ends a sentence)
    *(a.lower() for a in MONTH_ABBREVIATIONS if a != "May"),
))
_WORD_BEFORE = re.compile(r"([A-Za-z]+)\.$")


@dataclass(frozen=True, slots=True)
class Span:
    """Characters ``start`` to ``end`` (exclusive) of a passage's text."""

    start: int
    end: int

    def __contains__(self, offset: object) -> bool:
        return isinstance(offset, int) and self.start <= offset < self.end

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True, slots=True)
class Anchor:
    """One place an event is narrated: its quote, inside the sentence(s) holding it."""

    event: str
    passage: str
    quote: Span
    sentence: Span


@lru_cache(maxsize=4096)
def sentence_starts(text: str) -> tuple[int, ...]:
    """Offsets where the sentences of *text* begin (always starting with 0)."""
    starts = [0]
    for m in _END.finditer(text):
        word = _WORD_BEFORE.search(text, max(0, m.start() - 12), m.start() + 1)
        if word and (len(word.group(1)) == 1 or word.group(1).lower() in _ABBREVIATIONS):
            continue  # an initial ("K. Weathersby", "U.S.") or an abbreviation
        nxt = m.end()
        while nxt < len(text) and text[nxt].isspace():
            nxt += 1
        starts.append(nxt)
    return tuple(starts)


def sentence_span(text: str, start: int, end: int | None = None) -> Span:
    """The whole sentence(s) of *text* holding characters *start* to *end*."""
    end = start + 1 if end is None else max(end, start + 1)
    starts = sentence_starts(text)
    first = max((s for s in starts if s <= start), default=0)
    following = [s for s in starts if s >= end]
    last = following[0] if following else len(text)
    while last > first and text[last - 1].isspace():
        last -= 1
    return Span(first, last)


def anchors_of(corpus: Corpus, event_id: str) -> tuple[Anchor, ...]:
    """Every place the essay narrates *event_id*, in the event's own order."""
    event = corpus.event_by_id.get(event_id)
    if event is None:
        return ()
    found = []
    for quote in event.passages:
        passage = corpus.passage(quote.passage)
        if passage is None:
            continue
        start = passage.text.find(quote.text)
        if start < 0:
            continue
        end = start + len(quote.text)
        found.append(Anchor(event_id, passage.id, Span(start, end), sentence_span(passage.text, start, end)))
    return tuple(found)


def anchor_in(corpus: Corpus, event_id: str, passage_id: str | None = None) -> Anchor | None:
    """The anchor of *event_id* in *passage_id* if it has one there, else its first."""
    anchors = anchors_of(corpus, event_id)
    for anchor in anchors:
        if anchor.passage == passage_id:
            return anchor
    return anchors[0] if anchors else None


def event_at(corpus: Corpus, passage_id: str, offset: int, prefer: str | None = None) -> str | None:
    """The event narrated at *offset* of a passage, or None.

    A click inside an event's quote beats a click elsewhere in its sentence;
    among equals, *prefer* (the event already selected) wins, then the
    tightest span, so a click never jumps away from what the reader is on.
    """
    ranked = []
    for event_id in corpus.events_by_passage.get(passage_id, ()):
        for anchor in anchors_of(corpus, event_id):
            if anchor.passage != passage_id:
                continue
            if offset in anchor.quote:
                ranked.append((0, event_id != prefer, len(anchor.quote), event_id))
            elif offset in anchor.sentence:
                ranked.append((1, event_id != prefer, len(anchor.sentence), event_id))
    return min(ranked)[3] if ranked else None


def nearest_event(corpus: Corpus, candidates: Iterable[str], passage_id: str, offset: int) -> str | None:
    """Of *candidates*, the event narrated nearest before *offset* of a passage.

    A footnote marker follows the sentence it documents, so for a note this is
    the event that note is about; a sentence after the offset counts only when
    none comes before it. None if no candidate is narrated in the passage.
    """
    ranked = []
    for event_id in candidates:
        for anchor in anchors_of(corpus, event_id):
            if anchor.passage == passage_id:
                after = anchor.sentence.end > offset
                distance = anchor.sentence.start - offset if after else offset - anchor.sentence.end
                ranked.append((after, distance, event_id))
    return min(ranked)[2] if ranked else None
