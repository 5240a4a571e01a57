"""Who wrote to whom: documents as directed edges from each sender to each recipient.

:class:`Correspondence` indexes the corpus's documents that name both a
sender and a recipient, sorted by date, so that the edges of any date range
(the timeline's visible one) are counted without a scan of the corpus. The
people are laid on a circle in the order of their names, so the picture is
the same from one session to the next and a person keeps their place when the
range changes. The widget in ``explorer.ui.views.correspondence`` draws it.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from explorer.core.model import Corpus
from explorer.core.pausing import paced


@dataclass(frozen=True, slots=True)
class Edge:
    """Documents from one sender to one recipient, in date order."""

    sender: str
    recipient: str
    documents: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.documents)


@dataclass(frozen=True, slots=True)
class Letter:
    document: str
    start: int  # first day (ordinal)
    end: int  # last day, inclusive
    pairs: tuple[tuple[str, str], ...]


class Correspondence:
    """The corpus's documents with a sender and a recipient, and the people they join."""

    def __init__(self, corpus: Corpus) -> None:
        letters: list[Letter] = []
        undated: list[Letter] = []
        for d in paced(corpus.documents, 128):
            pairs = tuple((s, r) for s in d.senders for r in d.recipients)
            if not pairs:
                continue
            if d.date is None:
                undated.append(Letter(d.id, 0, 0, pairs))
            else:
                letters.append(Letter(d.id, d.date.lower.toordinal(), d.date.upper.toordinal(), pairs))
        letters.sort(key=lambda x: (x.start, x.end, x.document))
        self.letters = tuple(letters)
        self.undated = tuple(undated)
        self._starts = [x.start for x in letters]
        self._longest = max((x.end - x.start for x in letters), default=0)
        ids = {p for x in paced((*letters, *undated), 512) for pair in x.pairs for p in pair}
        self.names = {p: corpus.person_by_id[p].name if p in corpus.person_by_id else p for p in ids}
        #: Everyone who wrote or was written to, in the (stable) order of the circle.
        self.people: tuple[str, ...] = tuple(sorted(ids, key=lambda p: (self.names[p].casefold(), p)))

    def in_range(self, first: int | None = None, last: int | None = None) -> list[Letter]:
        """The dated letters overlapping the days ``first..last`` (all, undated too, without a range)."""
        if first is None or last is None:
            return [*self.letters, *self.undated]
        lo = bisect_left(self._starts, first - self._longest)
        hi = bisect_right(self._starts, last)
        return [x for x in self.letters[lo:hi] if x.end >= first]

    def edges(self, first: int | None = None, last: int | None = None) -> list[Edge]:
        """The edges of the letters in range (see :meth:`in_range`), busiest first, then by name."""
        found: dict[tuple[str, str], list[str]] = {}
        for letter in paced(self.in_range(first, last), 256):
            for pair in letter.pairs:
                found.setdefault(pair, []).append(letter.document)
        edges = [Edge(s, r, tuple(docs)) for (s, r), docs in paced(found.items(), 128)]
        edges.sort(key=lambda e: (-e.count, self.names[e.sender].casefold(), self.names[e.recipient].casefold(),
                                  e.sender, e.recipient))
        return edges


def circle_layout(people: tuple[str, ...]) -> dict[str, tuple[float, float]]:
    """Each person at a point of the unit circle, in the given order clockwise from the top."""
    n = max(len(people), 1)
    return {p: (math.sin(2 * math.pi * k / n), -math.cos(2 * math.pi * k / n)) for k, p in enumerate(people)}


def edge_width(count: int, thinnest: float = 1.0) -> float:
    """A line width that grows with the log of the number of documents."""
    return thinnest + 1.6 * math.log2(max(count, 1))


def distance_to_segment(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    """The distance from (px, py) to the segment from (ax, ay) to (bx, by)."""
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))
