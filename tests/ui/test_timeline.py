"""The timeline dock: clicks select, selections elsewhere centre, keys move and zoom, density."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from explorer.core.correspondence import Correspondence, Edge
from explorer.core.loader import load_corpus
from explorer.core.model import Corpus
from explorer.core.timeline import Timeline
from explorer.ui.state import ExplorerState
from explorer.ui.views import correspondence as correspondence_view
from explorer.ui.views.timeline import TimelineCanvas, TimelinePane
from tools.synthetic import generate_corpus


@pytest.fixture
def pane(qtbot, default_corpus: Corpus) -> TimelinePane:
    pane = TimelinePane(default_corpus, ExplorerState(default_corpus))
    qtbot.addWidget(pane)
    pane.resize(1400, 400)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def _drawn(qtbot, canvas: TimelineCanvas, event_id: str):
    canvas.grab()  # paints now, exposed or not
    rect = canvas.event_rect(event_id)
    assert rect is not None, f"{event_id} was not drawn"
    return rect


def test_clicking_an_event_selects_it_in_the_state(qtbot, pane: TimelinePane) -> None:
    canvas = pane.canvas
    target = canvas.timeline.events.items[len(canvas.timeline.events) // 2]
    canvas.centre_on(target)
    canvas.set_view(canvas.view.zoomed(0.05))
    rect = _drawn(qtbot, canvas, target.id)
    with qtbot.waitSignal(canvas.state.event_selected) as got:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert got.args == [target.id] and canvas.state.event_id == target.id


def test_clicking_a_document_mark_selects_the_document(qtbot, pane: TimelinePane) -> None:
    canvas = pane.canvas
    doc = canvas.timeline.documents.items[0]
    canvas.set_view(canvas.view.centred_on(doc.start, doc.end).zoomed(0.02))
    canvas.grab()  # paints now, exposed or not
    rect = canvas.document_rect(doc.id)
    assert rect is not None
    with qtbot.waitSignal(canvas.state.document_selected):
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert canvas.state.document == doc.id


def test_an_event_selected_elsewhere_is_centred(qtbot, pane: TimelinePane) -> None:
    canvas = pane.canvas
    canvas.set_view(canvas.view.zoomed(0.1))
    for item in (canvas.timeline.events.items[0], canvas.timeline.events.items[-1]):
        with qtbot.waitSignal(canvas.range_changed):
            canvas.state.select_event(item.id)
        assert abs(canvas.view.centre - (item.start + item.end + 1) / 2) < 1
        assert canvas.view.start <= item.start and item.end + 1 <= canvas.view.end
        assert _drawn(qtbot, canvas, item.id).center().x() == pytest.approx(canvas.width() / 2, abs=canvas.width() / 4)


def test_keys_pan_zoom_and_choose_the_next_event(qtbot, pane: TimelinePane) -> None:
    canvas = pane.canvas
    canvas.setFocus()
    qtbot.waitUntil(canvas.hasFocus)
    start = canvas.view
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert canvas.view.start > start.start and canvas.view.span == start.span
    qtbot.keyClick(canvas, Qt.Key.Key_Left)
    assert canvas.view.start == pytest.approx(start.start)
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    assert canvas.view.span < start.span
    qtbot.keyClick(canvas, Qt.Key.Key_Minus)
    assert canvas.view.span == pytest.approx(start.span)
    qtbot.keyClick(canvas, Qt.Key.Key_Home)
    events = canvas.timeline.events.items
    assert canvas.cursor_event == events[0].id
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    assert canvas.cursor_event == events[1].id and canvas.hasFocus()  # Tab stays in the timeline
    qtbot.keyClick(canvas, Qt.Key.Key_Tab)
    qtbot.keyClick(canvas, Qt.Key.Key_Backtab)
    assert canvas.cursor_event == events[1].id
    with qtbot.waitSignal(canvas.state.event_selected):
        qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert canvas.state.event_id == events[1].id
    qtbot.keyClick(canvas, Qt.Key.Key_End)
    assert canvas.cursor_event == events[-1].id
    assert canvas.view.start <= events[-1].start < canvas.view.end


def test_wheel_zooms_around_the_cursor_and_dragging_pans(qtbot, pane: TimelinePane) -> None:
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    canvas = pane.canvas
    x = canvas.width() * 0.25
    day = canvas.view.day_at(x, canvas.width())
    wheel = QWheelEvent(QPointF(x, 50), QPointF(canvas.mapToGlobal(QPoint(int(x), 50))), QPoint(), QPoint(0, 120),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(canvas, wheel)
    assert canvas.view.span < pane.canvas.timeline.extent()[1] - pane.canvas.timeline.extent()[0] + 10
    assert canvas.view.day_at(x, canvas.width()) == pytest.approx(day, abs=0.01)
    before = canvas.view.start
    y = canvas.height() - 5  # below the lanes: a drag, not a click on something
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=QPoint(600, y))
    qtbot.mouseMove(canvas, QPoint(500, y))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=QPoint(500, y))
    assert canvas.view.start > before  # dragged leftwards: later days come into view
    assert canvas.state.event_id is None and canvas.state.document is None


def test_ranged_and_uncertain_dates_are_drawn_as_ranges(qtbot, pane: TimelinePane) -> None:
    canvas = pane.canvas
    ranged = next(i for i in canvas.timeline.events.items if i.end - i.start > 20)
    canvas.set_view(canvas.view.centred_on(ranged.start, ranged.end))
    rect = _drawn(qtbot, canvas, ranged.id)
    per_day = canvas.width() / canvas.view.span
    assert rect.width() == pytest.approx((ranged.end + 1 - ranged.start) * per_day, rel=0.05)


def test_a_dense_view_draws_counts_and_zooming_in_draws_events(qtbot, tmp_path: Path) -> None:
    corpus = load_corpus(generate_corpus(tmp_path / "big", 3000).path)
    canvas = TimelineCanvas(corpus, ExplorerState(corpus))
    qtbot.addWidget(canvas)
    canvas.resize(800, 300)
    canvas.show()
    qtbot.waitExposed(canvas)
    canvas.grab()  # paints now, exposed or not
    assert canvas.dense
    buckets = [t for _, kind, t in canvas._hits if kind == "bucket"]
    assert sum(count for _, _, count in buckets) >= len(corpus.events)  # every event counted (+ documents)
    first, _after, _ = max(buckets, key=lambda b: b[2])
    canvas.set_view(canvas.view.centred_on(first, first).zoomed(1e-6))
    canvas.grab()  # paints now, exposed or not
    assert not canvas.dense
    drawn = {t for _, kind, t in canvas._hits if kind == "event"}
    more = next((t for _, kind, t in canvas._hits if kind == "more"), ())
    overlapping = {canvas.timeline.events.items[n].id for n in canvas.timeline.events.overlapping(
        canvas.view.start, canvas.view.end)}
    assert drawn and drawn | set(more) == overlapping and not drawn & set(more)  # each drawn or counted


def test_the_dock_is_in_the_view_menu_and_its_range_drives_the_correspondence(qtbot, window) -> None:
    action = window.view_actions[0]
    assert action.text() == "&Timeline" and not window.timeline_dock.isVisible()
    action.trigger()
    qtbot.waitUntil(window.timeline_dock.isVisible)
    canvas = window.timeline.canvas
    canvas.set_view(canvas.view.zoomed(0.5))
    assert window.correspondence.range == canvas.visible_days()
    assert window.timeline.accessibleName() or canvas.accessibleName() == "Timeline"
    assert all(b.accessibleName() for b in window.timeline.buttons)


def test_hidden_views_build_nothing_until_shown_then_follow_the_selection(
        qtbot, monkeypatch, make_window, default_corpus: Corpus) -> None:
    built: Counter[str] = Counter()
    timeline_of = Timeline.of

    def counted_of(corpus: Corpus) -> Timeline:
        built["timeline"] += 1
        return timeline_of(corpus)

    class CountedCorrespondence(Correspondence):
        def __init__(self, corpus: Corpus) -> None:
            built["correspondence"] += 1
            super().__init__(corpus)

        def edges(self, first: int | None = None, last: int | None = None) -> list[Edge]:
            built["edges"] += 1
            return super().edges(first, last)

    monkeypatch.setattr(Timeline, "of", staticmethod(counted_of))
    monkeypatch.setattr(correspondence_view, "Correspondence", CountedCorrespondence)
    items = timeline_of(default_corpus).events.items  # not counted: the original, called by the test
    window = make_window(default_corpus)
    assert not window.timeline_dock.isVisible() and not window.correspondence_dock.isVisible()
    window.state.select_document(default_corpus.documents[0].id)
    for item in items[-5:]:
        window.state.select_event(item.id)
    window.state.select_event(items[0].id)
    assert window.state.event_id == items[0].id
    assert built == Counter()  # nothing laid out, counted or centred while hidden

    window.view_actions[0].trigger()
    qtbot.waitUntil(window.timeline_dock.isVisible)
    canvas = window.timeline.canvas
    assert built["timeline"] == 1
    assert canvas.cursor_event == items[0].id  # caught up with the selection made while hidden
    assert abs(canvas.view.centre - (items[0].start + items[0].end + 1) / 2) < 1
    last = items[-1]
    with qtbot.waitSignal(canvas.range_changed):
        window.state.select_event(last.id)  # shown, it follows at once
    assert abs(canvas.view.centre - (last.start + last.end + 1) / 2) < 1
    assert built["timeline"] == 1 and built["correspondence"] == 0

    window.view_actions[1].trigger()
    qtbot.waitUntil(window.correspondence_dock.isVisible)
    assert built["correspondence"] == 1 and built["edges"] == 1
    assert window.correspondence.range == canvas.visible_days()
    expected = correspondence_view.Correspondence(default_corpus).edges(*canvas.visible_days())
    assert window.correspondence.canvas.edges == expected


def test_the_timeline_is_built_off_the_gui_thread_with_a_placeholder(qtbot, make_window, default_corpus) -> None:
    queued: list = []
    window = make_window(default_corpus, submit=queued.append)
    queued.clear()  # the audit's work
    target = default_corpus.events[len(default_corpus.events) // 2].id
    window.view_actions[0].trigger()  # the timeline shown: its building is queued, not done
    qtbot.waitUntil(window.timeline_dock.isVisible)
    pane, canvas = window.timeline, window.timeline.canvas
    assert len(queued) == 1 and canvas.building and not canvas.built
    assert pane.summary.text() == "Building timeline…" and not any(b.isEnabled() for b in pane.buttons)
    canvas.grab()  # paints the placeholder; keys and clicks wait
    qtbot.keyClick(canvas, Qt.Key.Key_Plus)
    window.state.select_event(target)  # chosen while it builds: followed when built
    assert not canvas.built
    with qtbot.waitSignal(canvas.ready):
        queued.pop()()
    assert canvas.built and not canvas.building and all(b.isEnabled() for b in pane.buttons)
    assert canvas.cursor_event == target and "events and" in pane.summary.text()
    # the default corpus has one undated document: said in words, not "document(s)"
    assert "; 1 undated document not on the timeline" in pane.summary.text() and "(s)" not in pane.summary.text()
    assert canvas.view.start <= canvas.timeline.events.items[canvas.timeline.events.index[target]].start
    assert window.correspondence.range is None or window.correspondence.range == canvas.visible_days()


def test_long_labels_are_elided_to_the_widest_a_label_may_be(qtbot, pane: TimelinePane) -> None:
    from explorer.ui.views.timeline import LABEL_MAX

    canvas = pane.canvas
    fm = canvas.fontMetrics()
    long = [i for i in canvas.timeline.events.items if fm.horizontalAdvance(i.label) > LABEL_MAX + 20]
    assert long
    canvas.centre_on(long[0])
    canvas.set_view(canvas.view.zoomed(0.02))
    canvas.grab()
    laid = {key: text.text() for key, text in canvas._static.items() if key[0] == long[0].id}
    assert laid and all(text != long[0].label and text.endswith("…") for text in laid.values())


def _bars_and_labels(canvas: TimelineCanvas):
    canvas.grab()  # paints now, exposed or not
    ids = {target for _rect, kind, target in canvas._hits if kind == "event"}
    bars = {i: canvas.event_rect(i) for i in ids}
    labels = {i: canvas.label_rect(i) for i in ids if canvas.label_rect(i) is not None}
    return bars, labels


@pytest.mark.parametrize("zoom", [1.0, 0.3, 0.08, 0.02])
def test_a_label_is_beside_its_bar_never_over_a_bar(qtbot, pane: TimelinePane, zoom: float) -> None:
    canvas = pane.canvas
    items = canvas.timeline.events.items
    canvas.centre_on(items[len(items) // 2])
    canvas.set_view(canvas.view.zoomed(zoom))
    canvas.state.select_event(items[len(items) // 2].id)
    bars, labels = _bars_and_labels(canvas)
    assert labels, "no label drawn"
    for event_id, label in labels.items():
        bar = bars[event_id]
        assert label.left() >= bar.right() or label.right() <= bar.left(), (event_id, bar, label)
        assert label.top() < bar.center().y() < label.bottom()  # beside it, in its lane
        if event_id != canvas.state.event_id:  # the chosen one's label is drawn over its neighbours
            over = [other for other, rect in bars.items() if rect.intersects(label)]
            assert over == [], (event_id, label, over)
        assert label.left() >= 0 and label.right() <= canvas.width() + 0.5


def test_at_the_right_edge_a_label_goes_before_its_bar(qtbot, pane: TimelinePane) -> None:
    from explorer.core.timeline import Viewport

    canvas = pane.canvas
    last = canvas.timeline.events.items[-1]
    span, width = 60.0, canvas.width()
    # the last event's bar ends 20 px before the right edge: no room for its label after it
    canvas.set_view(Viewport(last.end + 1 - span * (width - 20) / width, span))
    bars, labels = _bars_and_labels(canvas)
    assert canvas.width() - bars[last.id].right() < 25
    assert last.id in labels, "the last event has no label"
    assert labels[last.id].right() <= bars[last.id].left()
    canvas.state.select_event(last.id)  # chosen, drawn over its neighbours: still before its bar
    canvas.set_view(Viewport(last.end + 1 - span * (width - 20) / width, span))  # (choosing it centred it)
    bars, labels = _bars_and_labels(canvas)
    assert labels[last.id].right() <= bars[last.id].left()
    assert labels[last.id].width() >= canvas.fontMetrics().horizontalAdvance(last.label[:10])


def test_placing_labels_beside_bars() -> None:
    from explorer.ui.views.timeline import LABEL_GAP, place_labels

    # three bars in one lane of a 500 px view: room after the first two, the third at the right edge, with
    # the second's label close behind it
    bars = [(10.0, 16.0), (300.0, 306.0), (470.0, 476.0)]
    places = place_labels(bars, [0, 0, 0], [100.0, 100.0, 100.0], 500.0, 40.0)
    assert places[0] == (16 + LABEL_GAP, 100.0, False)  # after, whole
    assert places[1] == (306 + LABEL_GAP, 100.0, False)
    left, room, before = places[2]
    assert before and left + room == 470 - LABEL_GAP and room < 100  # before, cut, its bar's right
    assert left >= 306 + LABEL_GAP + 100  # not over the second's label
    # a bar followed closely in its lane: its label goes before it when it fits there whole
    assert place_labels([(200.0, 206.0), (230.0, 236.0)], [0, 0], [100.0, 10.0], 500.0, 40.0)[0] == (
        200 - LABEL_GAP - 100, 100.0, True)
    # no room on either side: no label at all
    assert place_labels([(0.0, 500.0)], [0], [100.0], 500.0, 40.0) == [None]
