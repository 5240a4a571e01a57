"""The timeline's arithmetic, without Qt: ranges, the visible window, lanes, buckets, ticks."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from explorer.core.dates import parse_edtf
from explorer.core.loader import load_corpus
from explorer.core.timeline import (
    MIN_SPAN,
    Item,
    Timeline,
    Track,
    Viewport,
    bucket_counts,
    fit,
    item_for,
    nearest,
    pack_by_priority,
    pack_lanes,
    ticks,
)


def day(text: str) -> int:
    return dt.date.fromisoformat(text).toordinal()


def test_uncertain_and_ranged_dates_become_ranges() -> None:
    ranged = item_for("a", parse_edtf("1950-03-30/1950-04-25"), "A")
    assert (ranged.start, ranged.end) == (day("1950-03-30"), day("1950-04-25"))
    assert ranged.ranged and not ranged.uncertain
    month = item_for("b", parse_edtf("1949-08?"), "B")
    assert (month.start, month.end) == (day("1949-08-01"), day("1949-08-31"))
    assert month.ranged and month.uncertain
    one = item_for("c", parse_edtf("1950-06-25"), "C")
    assert not one.ranged and one.date_text == "25 Jun 1950"


def test_the_timeline_holds_every_event_and_dated_document(tiny_corpus_dir: Path) -> None:
    tiny_corpus = load_corpus(tiny_corpus_dir)
    timeline = Timeline.of(tiny_corpus)
    assert {i.id for i in timeline.events.items} == {e.id for e in tiny_corpus.events}
    dated = {d.id for d in tiny_corpus.documents if d.date is not None}
    assert {i.id for i in timeline.documents.items} == dated
    assert timeline.undated_documents == len(tiny_corpus.documents) - len(dated)
    first, last = timeline.extent()
    assert first == min(e.date.lower.toordinal() for e in tiny_corpus.events)
    assert last >= max(e.date.upper.toordinal() for e in tiny_corpus.events)


def _items(seed: int, n: int) -> list[Item]:
    rng = random.Random(seed)
    out = []
    for k in range(n):
        start = day("1950-01-01") + rng.randint(0, 900)
        out.append(Item(f"e{k}", start, start + rng.choice([0, 0, 0, 30, 364]), f"E{k}", ""))
    return out


@given(st.integers(0, 10_000), st.floats(day("1949-06-01"), day("1953-01-01")), st.floats(1, 800))
def test_overlapping_is_exactly_the_items_in_view(seed: int, first: float, span: float) -> None:
    track = Track(_items(seed % 50, 200))
    got = {track.items[n].id for n in track.overlapping(first, first + span)}
    want = {i.id for i in track.items if i.start < first + span and i.end + 1 > first}
    assert got == want


def test_zoom_keeps_the_anchor_day_in_place_and_pan_moves_by_a_share() -> None:
    view = Viewport(1000.0, 100.0)
    zoomed = view.zoomed(0.5, anchor=1080.0)
    assert zoomed.span == 50.0
    assert abs(zoomed.x_of(1080.0, 500) - view.x_of(1080.0, 500)) < 1e-9
    assert view.zoomed(1e-9).span == MIN_SPAN
    assert view.panned(0.25).start == 1025.0 and view.panned(-0.25).span == 100.0


def test_centring_on_a_range_zooms_out_when_it_does_not_fit() -> None:
    view = Viewport(0.0, 10.0)
    centred = view.centred_on(100, 109)
    assert centred.centre == 105.0 and centred.span == 12.5
    assert view.centred_on(50, 50).span == 10.0 and view.centred_on(50, 50).centre == 50.5
    assert fit(10, 19).start < 10 and fit(10, 19).end > 20


def test_lanes_never_overlap_and_overflow_says_so() -> None:
    extents = [(0.0, 50.0), (10.0, 30.0), (40.0, 60.0), (55.0, 70.0), (100.0, 120.0)]
    lanes = pack_lanes(extents, 3, gap=2)
    assert lanes == [0, 1, 1, 0, 0]
    for a in range(len(extents)):
        for b in range(a + 1, len(extents)):
            if lanes[a] == lanes[b]:
                assert extents[a][1] + 2 <= extents[b][0] or extents[b][1] + 2 <= extents[a][0]
    assert pack_lanes(extents, 1, gap=2) is None


def test_bucket_counts_account_for_every_item_starting_in_view() -> None:
    track = Track(_items(3, 1000))
    view = Viewport(day("1949-12-01"), 1200)
    for unit in ("day", "month", "year"):
        buckets = bucket_counts(track, view, unit)
        assert sum(c for _, _, c in buckets) == track.count_starting(buckets[0][0], buckets[-1][1]) == 1000
        assert all(first < after for first, after, _ in buckets)


def test_ticks_pick_a_unit_that_leaves_room_for_labels() -> None:
    unit, marks = ticks(Viewport(day("1950-01-01"), 3650), 1000)
    assert unit == "year" and marks[1] == (day("1951-01-01"), "1951")
    unit, marks = ticks(Viewport(day("1950-01-01"), 365), 1000)
    assert unit == "month" and (day("1950-02-01"), "Feb") in marks and (day("1951-01-01"), "Jan 1951") in marks
    unit, marks = ticks(Viewport(day("1950-06-20"), 10), 1000)
    assert unit == "day" and (day("1950-06-25"), "25 Jun") in marks


def test_nearest_finds_the_closest_start() -> None:
    track = Track([Item("a", 10, 10, "", ""), Item("b", 20, 20, "", ""), Item("c", 40, 40, "", "")])
    assert [track.items[nearest(track, d)].id for d in (0, 14, 16, 31, 100)] == ["a", "a", "b", "c", "c"]
    assert nearest(Track([]), 5) is None


def test_crowded_lanes_keep_the_narrow_items_and_leave_out_the_long_ones() -> None:
    # Three year-long ranges over four single days, and two rows.
    extents = [(0.0, 900.0), (0.0, 900.0), (0.0, 900.0), (10.0, 16.0), (30.0, 36.0), (50.0, 56.0), (70.0, 76.0)]
    lanes = pack_by_priority(extents, 2, gap=2)
    assert lanes[3:] == [0, 0, 0, 0] and lanes[:3].count(None) == 2 and 1 in lanes[:3]
    for a in range(len(extents)):
        for b in range(a + 1, len(extents)):
            if lanes[a] is not None and lanes[a] == lanes[b]:
                assert extents[a][1] + 2 <= extents[b][0] or extents[b][1] + 2 <= extents[a][0]
