"""The timeline's arithmetic: items on a day axis, the visible window, lanes, buckets, ticks.

Days are proleptic ordinals (:meth:`datetime.date.toordinal`), and an item
covers ``[start, end + 1)``: a day event is one day wide, "1950-03-30/1950-04-25"
27 days, "1949-08?" the whole of August. The :class:`Timeline` keeps events
and documents sorted by start so that the part in view is found by binary
search, whatever the corpus's size; :func:`pack_lanes` lays what is in view
in rows (greedy interval packing), and :func:`bucket_counts` counts it per
day, month or year when it is too dense to draw one by one. The widget in
``explorer.ui.views.timeline`` only paints what these return.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from explorer.core.dates import EdtfDate
from explorer.core.gc_pause import gc_paused
from explorer.core.model import Corpus
from explorer.core.months import month_abbreviation
from explorer.core.pausing import paced

#: The narrowest and widest views, in days.
MIN_SPAN = 3.0
MAX_SPAN = 366.0 * 200



def day_label(day: float) -> str:
    """A day ordinal (clamped to the calendar) as the views write it: "21 Jun 1950"."""
    d = dt.date.fromordinal(max(1, min(int(day), dt.date.max.toordinal())))
    return f"{d.day} {month_abbreviation(d.month)} {d.year}"

@dataclass(frozen=True, slots=True)
class Item:
    """An event or a document on the axis."""

    id: str
    start: int  # first day (ordinal)
    end: int  # last day (ordinal), inclusive
    label: str
    date_text: str  # as a reader writes it
    uncertain: bool = False  # "?" or "~": drawn as a range with a broken outline

    @property
    def ranged(self) -> bool:
        return self.end > self.start


def item_for(record_id: str, date: EdtfDate, label: str) -> Item:
    return Item(record_id, date.lower.toordinal(), date.upper.toordinal(), label, date.display(),
                date.uncertain or date.approximate)


class Track:
    """Items sorted by (start, end, id), with a binary-searchable start index."""

    def __init__(self, items: Sequence[Item]) -> None:
        self.items: tuple[Item, ...] = tuple(sorted(items, key=lambda i: (i.start, i.end, i.id)))
        self.starts = [i.start for i in paced(self.items, 1024)]
        # The longest item bounds how far before the window an overlapping item can start.
        self.longest = max((i.end - i.start for i in self.items), default=0)
        self.index = {item.id: n for n, item in paced(enumerate(self.items), 1024)}
        self.last = max((i.end for i in self.items), default=0)

    def __len__(self) -> int:
        return len(self.items)

    def visible(self, first: float, last: float) -> range:
        """Indexes whose start lies in ``[first - longest, last)``: a superset of the items
        overlapping the window, found in O(log n); :meth:`overlapping` filters it."""
        lo = bisect_left(self.starts, int(first) - self.longest - 1)
        hi = bisect_left(self.starts, last)
        return range(lo, hi)

    def overlapping(self, first: float, last: float) -> list[int]:
        """Indexes of the items that overlap the days ``[first, last)``, in start order."""
        items = self.items
        return [n for n in self.visible(first, last) if items[n].end + 1 > first]

    def count_starting(self, first: float, last: float) -> int:
        return bisect_left(self.starts, last) - bisect_left(self.starts, first)


class Timeline:
    """The corpus's events and dated documents on one axis."""

    def __init__(self, events: Sequence[Item], documents: Sequence[Item], undated_documents: int = 0) -> None:
        self.events = Track(events)
        self.documents = Track(documents)
        self.undated_documents = undated_documents

    @classmethod
    def of(cls, corpus: Corpus) -> Timeline:
        """The corpus's events and dated documents, sorted (a second or two at 100,000 events: the window
        calls it on a worker). Its items are frozen out of the garbage collector's scans, as the corpus is,
        so that no later collection pauses a frame to look at them."""
        with gc_paused(freeze=True):
            events = [item_for(e.id, e.date, e.title) for e in paced(corpus.events, 128)]
            documents = [item_for(d.id, d.date, d.title) for d in paced(corpus.documents, 128) if d.date is not None]
            return cls(events, documents, sum(d.date is None for d in corpus.documents))

    def extent(self) -> tuple[int, int]:
        """The first and last day anything covers (today's year when there is nothing)."""
        tracks = [t for t in (self.events, self.documents) if len(t)]
        if not tracks:
            year = dt.date.today().year
            return dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
        first = min(t.items[0].start for t in tracks)
        last = max(t.last for t in tracks)
        return first, last


# -- the view ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Viewport:
    """Which days are in view: ``[start, start + span)``, *span* clamped to sensible limits."""

    start: float
    span: float

    @property
    def end(self) -> float:
        return self.start + self.span

    @property
    def centre(self) -> float:
        return self.start + self.span / 2

    def x_of(self, day: float, width: float) -> float:
        return (day - self.start) / self.span * width

    def day_at(self, x: float, width: float) -> float:
        return self.start + x / max(width, 1.0) * self.span

    def zoomed(self, factor: float, anchor: float | None = None) -> Viewport:
        """*factor* < 1 zooms in; the day at *anchor* stays where it is (the centre by default)."""
        anchor = self.centre if anchor is None else anchor
        span = min(max(self.span * factor, MIN_SPAN), MAX_SPAN)
        return Viewport(anchor - (anchor - self.start) * span / self.span, span)

    def panned(self, fraction: float) -> Viewport:
        """Moved by *fraction* of its span (negative: earlier)."""
        return Viewport(self.start + self.span * fraction, self.span)

    def centred_on(self, first: int, last: int) -> Viewport:
        """Centred on the days ``first..last``, zoomed out if they do not fit in the span."""
        span = max(self.span, (last + 1 - first) * 1.25)
        span = min(span, MAX_SPAN)
        return Viewport((first + last + 1) / 2 - span / 2, span)


def fit(first: int, last: int) -> Viewport:
    """A view of the days ``first..last`` with a margin either side."""
    span = min(max((last + 1 - first) * 1.04, MIN_SPAN), MAX_SPAN)
    return Viewport((first + last + 1) / 2 - span / 2, span)


def pack_lanes(extents: Sequence[tuple[float, float]], lanes: int, gap: float = 4.0) -> list[int] | None:
    """Greedy interval packing: *extents* (x0, x1), sorted by x0, each to the first of *lanes* rows
    whose last extent ends *gap* before it starts. None if some extent finds no free row."""
    ends: list[float] = []
    out: list[int] = []
    for x0, x1 in extents:
        for lane, end in enumerate(ends):
            if end + gap <= x0:
                ends[lane] = x1
                out.append(lane)
                break
        else:
            if len(ends) >= lanes:
                return None
            ends.append(x1)
            out.append(len(ends) - 1)
    return out


def pack_by_priority(extents: Sequence[tuple[float, float]], lanes: int, gap: float = 4.0) -> list[int | None]:
    """Like :func:`pack_lanes`, but what does not fit is left out (None) instead of failing, and
    the narrowest extents are placed first: when a view is crowded by long ranges (a whole year,
    a season), the dated days stay drawn and the few long ones are counted instead."""
    taken: list[list[tuple[float, float]]] = [[] for _ in range(lanes)]
    out: list[int | None] = [None] * len(extents)
    for n in sorted(range(len(extents)), key=lambda n: (extents[n][1] - extents[n][0], n)):
        x0, x1 = extents[n]
        for lane, spans in enumerate(taken):
            at = bisect_left(spans, (x0, x1))
            clear_before = at == 0 or spans[at - 1][1] + gap <= x0
            clear_after = at == len(spans) or x1 + gap <= spans[at][0]
            if clear_before and clear_after:
                spans.insert(at, (x0, x1))
                out[n] = lane
                break
    return out


# -- buckets and ticks --------------------------------------------------------------------

#: The bucket and tick units, finest first: (name, approximate days).
UNITS = (("day", 1), ("month", 30.44), ("year", 365.25), ("decade", 3652.5))


def unit_start(day: int, unit: str) -> int:
    """The first day of the *unit* holding *day*."""
    d = dt.date.fromordinal(day)
    if unit == "day":
        return day
    if unit == "month":
        return d.replace(day=1).toordinal()
    if unit == "year":
        return dt.date(d.year, 1, 1).toordinal()
    return dt.date(max(1, d.year - d.year % 10), 1, 1).toordinal()


def next_unit(day: int, unit: str) -> int:
    """The first day of the *unit* after the one starting on *day*."""
    d = dt.date.fromordinal(day)
    if unit == "day":
        return day + 1
    if unit == "month":
        return (dt.date(d.year + 1, 1, 1) if d.month == 12 else dt.date(d.year, d.month + 1, 1)).toordinal()
    years = 1 if unit == "year" else 10
    return dt.date(min(d.year + years, 9999), 1, 1).toordinal()


def unit_for(view: Viewport, width: float, min_px: float) -> str:
    """The finest unit whose cells are at least *min_px* wide in *view*."""
    per_day = width / view.span
    for name, days in UNITS:
        if days * per_day >= min_px:
            return name
    return UNITS[-1][0]


def cells(view: Viewport, unit: str) -> list[tuple[int, int]]:
    """The *unit* cells ``(first day, first day of the next)`` that the view touches."""
    lo = max(1, int(view.start))
    hi = min(dt.date.max.toordinal(), int(view.end) + 1)
    out: list[tuple[int, int]] = []
    day = unit_start(lo, unit)
    while day <= hi:
        after = next_unit(day, unit)
        if after <= day:  # the end of the calendar
            break
        out.append((day, after))
        day = after
    return out


def bucket_counts(track: Track, view: Viewport, unit: str) -> list[tuple[int, int, int]]:
    """``(first day, next first day, items starting in it)`` per *unit* in view; empty cells left out."""
    starts = track.starts
    out = []
    for first, after in cells(view, unit):
        count = bisect_left(starts, after) - bisect_left(starts, first)
        if count:
            out.append((first, after, count))
    return out


def tick_label(day: int, unit: str) -> str:
    d = dt.date.fromordinal(day)
    if unit == "day":
        month = month_abbreviation(d.month)
        return f"{d.day} {month}" if d.day != 1 or d.month != 1 else f"{d.day} {month} {d.year}"
    if unit == "month":
        return month_abbreviation(d.month) if d.month != 1 else f"{month_abbreviation(d.month)} {d.year}"
    return str(d.year)


def ticks(view: Viewport, width: float, min_px: float = 56.0) -> tuple[str, list[tuple[int, str]]]:
    """The axis's unit and its labelled ticks ``(day, label)`` at least *min_px* apart."""
    unit = unit_for(view, width, min_px)
    return unit, [(first, tick_label(first, unit)) for first, _ in cells(view, unit)]


def nearest(track: Track, day: float) -> int | None:
    """The index of the item starting nearest *day* (None for an empty track)."""
    if not track.items:
        return None
    n = bisect_right(track.starts, day)
    if n == 0:
        return 0
    if n == len(track.starts):
        return n - 1
    return n if track.starts[n] - day < day - track.starts[n - 1] else n - 1
