"""The correspondence dock: edges by date range, choosing an edge lists and selects its documents."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from explorer.core.model import Corpus
from explorer.ui.state import ExplorerState
from explorer.ui.views.correspondence import CorrespondencePane


@pytest.fixture
def pane(qtbot, default_corpus: Corpus) -> CorrespondencePane:
    pane = CorrespondencePane(default_corpus, ExplorerState(default_corpus))
    qtbot.addWidget(pane)
    pane.resize(700, 700)
    pane.show()
    qtbot.waitExposed(pane)
    return pane


def test_clicking_an_edge_lists_its_documents_and_selects_them(qtbot, pane: CorrespondencePane) -> None:
    canvas = pane.canvas
    edge = max(canvas.edges, key=lambda e: e.count)
    a, b = canvas.segment(edge)
    middle = (a + b) / 2
    assert canvas.edge_at(middle) == edge
    with qtbot.waitSignal(pane.state.document_selected):
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=middle.toPoint())
    listed = [pane.documents.item(r).data(Qt.ItemDataRole.UserRole) for r in range(pane.documents.count())]
    assert listed == list(edge.documents) and len(listed) > 1
    assert pane.state.document == listed[0] and pane.documents.currentRow() == 0
    with qtbot.waitSignal(pane.state.document_selected) as got:
        pane.documents.setCurrentRow(len(listed) - 1)
    assert got.args == [listed[-1]] and pane.state.document == listed[-1]


def test_a_document_selected_elsewhere_becomes_the_current_row(qtbot, pane: CorrespondencePane) -> None:
    edge = max(pane.canvas.edges, key=lambda e: e.count)
    pane.canvas.choose(edge.sender, edge.recipient)
    pane.state.select_document(edge.documents[-1])
    assert pane.documents.currentItem().data(Qt.ItemDataRole.UserRole) == edge.documents[-1]


def test_the_keyboard_moves_between_edges_and_chooses_one(qtbot, pane: CorrespondencePane) -> None:
    canvas = pane.canvas
    canvas.setFocus()
    qtbot.waitUntil(canvas.hasFocus)
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    assert canvas.edge_cursor == 1
    with qtbot.waitSignal(canvas.edge_chosen) as got:
        qtbot.keyClick(canvas, Qt.Key.Key_Return)
    assert got.args == [canvas.edges[1].sender, canvas.edges[1].recipient]
    assert pane.documents.count() == canvas.edges[1].count
    assert canvas.accessibleName() and pane.documents.accessibleName() and pane.summary.accessibleName()


def test_only_documents_in_the_visible_range_are_counted(qtbot, pane: CorrespondencePane) -> None:
    everything = {d for e in pane.canvas.edges for d in e.documents}
    first, last = dt.date(1950, 6, 1).toordinal(), dt.date(1950, 6, 30).toordinal()
    pane.set_range(first, last)
    qtbot.waitUntil(lambda: not pane._range_timer.isActive())
    inside = {d for e in pane.canvas.edges for d in e.documents}
    assert inside and inside < everything
    for doc_id in everything:
        date = pane.corpus.document_by_id[doc_id].date
        in_june = date is not None and date.lower.toordinal() <= last and date.upper.toordinal() >= first
        assert (doc_id in inside) == in_june, doc_id
    assert "1 Jun 1950 – 30 Jun 1950" in pane.summary.text()


def test_an_edge_leaving_the_range_empties_the_list(qtbot, pane: CorrespondencePane) -> None:
    edge = pane.canvas.edges[0]
    pane.canvas.choose(edge.sender, edge.recipient)
    assert pane.documents.count() == edge.count
    pane.set_range(dt.date(1800, 1, 1).toordinal(), dt.date(1800, 12, 31).toordinal())
    pane.apply_range()
    assert pane.canvas.edges == [] and pane.documents.count() == 0 and pane.canvas.chosen is None


def test_timeline_and_correspondence_are_synced_in_the_window(qtbot, window) -> None:
    window.view_actions[1].trigger()
    qtbot.waitUntil(window.correspondence_dock.isVisible)
    canvas = window.timeline.canvas
    canvas.set_view(canvas.view.zoomed(0.01))
    qtbot.waitUntil(lambda: window.correspondence.range == canvas.visible_days() and
                    not window.correspondence._range_timer.isActive())
    assert window.view_actions[1].shortcut().toString() == "Ctrl+6"


def test_the_letters_are_gathered_off_the_gui_thread_with_a_placeholder(qtbot, make_window, default_corpus) -> None:
    queued: list = []
    window = make_window(default_corpus, submit=queued.append)
    queued.clear()  # the audit's work
    window.view_actions[0].trigger()  # the timeline first: its range is the one counted
    qtbot.waitUntil(window.timeline_dock.isVisible)
    queued.pop()()  # the timeline built
    canvas, pane = window.correspondence.canvas, window.correspondence
    window.view_actions[1].trigger()
    qtbot.waitUntil(window.correspondence_dock.isVisible)
    assert len(queued) == 1 and canvas.building and not canvas.built
    assert pane.summary.text() == "Gathering the correspondence…"
    canvas.grab()  # the placeholder; keys wait
    qtbot.keyClick(canvas, Qt.Key.Key_Right)
    timeline = window.timeline.canvas
    timeline.set_view(timeline.view.zoomed(0.5))  # the range moves while the letters are gathered
    with qtbot.waitSignal(canvas.ready):
        queued.pop()()
    assert canvas.built and not canvas.building
    qtbot.waitUntil(lambda: not pane._range_timer.isActive())
    assert len(queued) == 1 and pane.summary.text() == "Gathering the correspondence…"  # the new range: a worker
    queued.pop()()
    assert pane.range == timeline.visible_days()
    assert canvas.edges == canvas.data.edges(*pane.range)  # counted for the range as it is now
    assert "documents between" in pane.summary.text()


def test_a_count_for_a_range_left_behind_is_dropped(qtbot, default_corpus: Corpus) -> None:
    queued: list = []
    pane = CorrespondencePane(default_corpus, ExplorerState(default_corpus), submit=queued.append)
    qtbot.addWidget(pane)
    pane.resize(600, 600)
    pane.show()
    queued.pop()()  # the letters gathered, the whole corpus counted
    letters = pane.canvas.data.letters
    early, whole = (letters[0].start, letters[0].start + 30), (letters[0].start, letters[-1].end)
    pane.set_range(*early)
    pane.apply_range()
    pane.set_range(*whole)
    pane.apply_range()
    count_whole, count_early = queued.pop(), queued.pop()
    count_whole()
    count_early()  # arrives last, for a range no longer shown: dropped
    assert pane.canvas.edges == pane.canvas.data.edges(*whole) != pane.canvas.data.edges(*early)


def test_a_long_name_keeps_its_surname_on_the_graph(pane: CorrespondencePane) -> None:
    from explorer.ui.views.correspondence import node_label

    fm = pane.canvas.fontMetrics()
    labels = {name: node_label(name, fm) for name in pane.canvas.data.names.values()}
    for full in ("Andrei Yanuarevich Vyshinsky", "Andrei Andreevich Gromyko", "Terentii Fomich Shtykov"):
        shown = labels[full]
        assert shown.endswith(full.split()[-1]) and shown.startswith("Andrei" if "Andrei" in full else "Terentii")
    assert labels["Andrei Yanuarevich Vyshinsky"] != labels["Andrei Andreevich Gromyko"]  # two Andreis told apart
    assert labels["Joseph Stalin"] == "Joseph Stalin" and labels["Mao Zedong"] == "Mao Zedong"  # short: as they are
