"""The selection state: what each selection implies, history, and signals only on change."""

from __future__ import annotations

import logging
from collections import Counter

import pytest

from explorer.core.model import Corpus
from explorer.core.selection import Selection, follow_event, follow_footnote
from explorer.ui.state import ExplorerState

SIGNALS = ("event_selected", "document_selected", "source_selected", "person_selected", "passage_selected",
           "footnote_selected", "selection_changed", "history_changed")


@pytest.fixture
def state(qtbot, tiny_corpus: Corpus) -> ExplorerState:
    return ExplorerState(tiny_corpus)


def record(state: ExplorerState) -> Counter[str]:
    counts: Counter[str] = Counter()
    for name in SIGNALS:
        getattr(state, name).connect(lambda *args, name=name: counts.update([name]))
    return counts


def test_selecting_an_event_selects_its_first_document_and_passage(state: ExplorerState) -> None:
    counts = record(state)
    state.select_event("ev-january")
    assert state.selection == Selection(event="ev-january", document="doc-jan", passage="p02")
    assert counts == Counter(event_selected=1, document_selected=1, passage_selected=1,
                             selection_changed=1, history_changed=1)


def test_selecting_what_is_selected_emits_nothing(state: ExplorerState) -> None:
    state.select_event("ev-january")
    counts = record(state)
    state.select_event("ev-january")
    state.select_document("doc-jan")
    state.select_passage("p02")
    state.select("ev-january")
    assert counts == Counter()


def test_an_event_brings_its_own_first_document(state: ExplorerState) -> None:
    state.select_event("ev-march")
    assert state.document == "doc-sept"
    state.select_event("ev-january")  # doc-sept evidences this one too, but doc-jan is its first
    assert state.document == "doc-jan"


def test_a_footnote_selects_the_document_it_cites_and_an_event_citing_it(state: ExplorerState) -> None:
    state.select_event("ev-march")
    state.select_footnote(2)
    assert state.selection == Selection(event="ev-january", document="doc-jan", passage="p02", footnote=2)
    state.select_footnote(None)
    assert state.footnote is None and state.event_id == "ev-january"


def test_a_document_picks_an_event_it_evidences(state: ExplorerState) -> None:
    state.select_event("ev-march")
    state.select_document("doc-jan")
    assert (state.event_id, state.document) == ("ev-january", "doc-jan")


def test_back_and_forward_restore_whole_snapshots(state: ExplorerState) -> None:
    changes = []
    state.history_changed.connect(lambda back, fwd: changes.append((back, fwd)))
    state.select_event("ev-march")
    first = state.selection
    state.select_footnote(2)
    second = state.selection
    state.back()
    assert state.selection == first
    state.back()
    assert state.selection == Selection()
    state.forward()
    state.forward()
    assert state.selection == second
    assert changes == [(True, False), (True, True), (False, True), (True, True), (True, False)]
    state.select_event("ev-march")
    assert not state.can_go_forward()


def test_select_by_any_id_and_by_link(state: ExplorerState) -> None:
    assert state.select("fn1") and state.footnote == 1
    assert state.select("doc-jan") and state.document == "doc-jan"
    assert state.select("weathersby-1995") and state.selection.source == "weathersby-1995"
    assert state.select("stalin") and state.selection.person == "stalin"
    assert not state.select("no-such-id")
    assert state.select_link("event:ev-march") and state.event_id == "ev-march"
    assert state.select_link("fn:2") and state.footnote == 2
    assert not state.select_link("https://example.org")


def test_selection_round_trips_through_ids_and_drops_what_is_gone(tiny_corpus: Corpus) -> None:
    selection = follow_footnote(tiny_corpus, follow_event(tiny_corpus, Selection(), "ev-march"), 2)
    assert Selection.from_ids(tiny_corpus, selection.to_ids()) == selection
    assert Selection.from_ids(tiny_corpus, ["event:gone", "footnote:99", "nonsense", "passage:p01"]) == Selection(
        passage="p01")


def test_ids_gone_from_a_saved_selection_are_warned_of_and_quietly_let_go_after_an_edit(
        tiny_corpus: Corpus, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="explorer")
    assert Selection.from_ids(tiny_corpus, ["event:gone"]) == Selection()
    assert [r.levelno for r in caplog.records if "gone" in r.getMessage()] == [logging.WARNING]
    caplog.clear()
    assert Selection.from_ids(tiny_corpus, ["event:gone", "passage:p01"], quiet=True) == Selection(passage="p01")
    assert [r.levelno for r in caplog.records if "gone" in r.getMessage()] == [logging.DEBUG]
