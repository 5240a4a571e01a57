"""The event list pane: its models, its filters, and the state it sets and follows."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from explorer.core.loader import load_corpus
from explorer.core.model import Corpus
from explorer.ui.event_list import (
    DATE_ROLE,
    HAYSTACK_STEP,
    ID_ROLE,
    EventFilterProxy,
    EventListModel,
    EventListPane,
)
from explorer.ui.state import ExplorerState
from tools.synthetic import generate_corpus


def make_pane(qtbot, corpus: Corpus) -> tuple[EventListPane, ExplorerState]:
    state = ExplorerState(corpus)
    pane = EventListPane(corpus, state)
    qtbot.addWidget(pane)
    pane.show()
    return pane, state


def test_models_pass_the_model_tester(qtmodeltester, default_corpus: Corpus) -> None:
    model = EventListModel(default_corpus)
    qtmodeltester.check(model)
    proxy = EventFilterProxy(model)
    qtmodeltester.check(proxy)
    proxy.set_filter("stalin", None)
    qtmodeltester.check(proxy)
    proxy.set_filter("", "kim-il-sung" if "kim-il-sung" in default_corpus.person_by_id else None)
    qtmodeltester.check(proxy)


def test_rows_are_events_in_date_order_with_readable_dates(qtbot, tiny_corpus: Corpus) -> None:
    pane, _ = make_pane(qtbot, tiny_corpus)
    assert pane.visible_events() == ["ev-march", "ev-january"]
    first = pane.proxy.index(0, 0)
    assert first.data(DATE_ROLE) == "Mar 1949"
    assert first.data() == "Kim asks to attack"
    assert pane.proxy.index(1, 0).data(DATE_ROLE) == "30 Jan 1950"
    assert pane.count_label.text() == "2 events"


def test_the_filter_narrows_as_you_type_on_title_summary_and_people(qtbot, tiny_corpus: Corpus) -> None:
    pane, _ = make_pane(qtbot, tiny_corpus)
    qtbot.keyClicks(pane.filter_edit, "refused")  # only in a summary
    qtbot.waitUntil(lambda: pane.visible_events() == ["ev-march"])
    assert pane.count_label.text() == "1 of 2 events"
    pane.filter_edit.setText("KIM IL SUNG")  # a participant's name, any case
    qtbot.waitUntil(lambda: pane.visible_events() == ["ev-march"])
    pane.filter_edit.setText("stalin help")  # every word must match
    qtbot.waitUntil(lambda: pane.visible_events() == ["ev-january"])
    pane.filter_edit.clear()
    qtbot.waitUntil(lambda: pane.visible_events() == ["ev-march", "ev-january"])


def test_the_person_filter(qtbot, tiny_corpus: Corpus) -> None:
    pane, _ = make_pane(qtbot, tiny_corpus)
    assert [pane.person_combo.itemText(i) for i in range(pane.person_combo.count())] == [
        "Everyone", "Joseph Stalin (2)", "Kim Il Sung (1)"]
    pane.person_combo.setCurrentIndex(pane.person_combo.findData("kim"))
    assert pane.visible_events() == ["ev-march"]
    pane.set_person(None)
    assert len(pane.visible_events()) == 2


def test_choosing_a_row_selects_the_event_and_the_row_follows_the_state(qtbot, tiny_corpus: Corpus) -> None:
    pane, state = make_pane(qtbot, tiny_corpus)
    rect = pane.view.visualRect(pane.index_of("ev-january"))
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert state.event_id == "ev-january"
    state.select_event("ev-march")
    assert pane.current_event() == "ev-march"
    assert pane.view.selectionModel().isSelected(pane.index_of("ev-march"))


def test_filtering_out_the_current_event_does_not_change_the_selection(qtbot, tiny_corpus: Corpus) -> None:
    pane, state = make_pane(qtbot, tiny_corpus)
    assert pane.choose("ev-march")
    assert state.event_id == "ev-march"
    pane.filter_edit.setText("agrees")
    qtbot.waitUntil(lambda: pane.visible_events() == ["ev-january"])
    assert state.event_id == "ev-march"
    assert pane.current_event() is None
    pane.filter_edit.clear()
    qtbot.waitUntil(lambda: pane.current_event() == "ev-march")


def test_keyboard_moves_through_the_list(qtbot, tiny_corpus: Corpus) -> None:
    pane, state = make_pane(qtbot, tiny_corpus)
    state.select_event("ev-march")
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_Down)
    assert state.event_id == "ev-january"
    assert pane.proxy.index(1, 0).data(ID_ROLE) == "ev-january"


def test_a_filter_with_no_match_says_so_and_offers_to_clear_it(qtbot, tiny_corpus: Corpus) -> None:
    pane, state = make_pane(qtbot, tiny_corpus)
    state.select_event("ev-january")
    pane.filter_edit.setText("<b>zanzibar</b>")
    qtbot.waitUntil(lambda: pane.visible_events() == [])
    assert pane.no_match.isVisible() and not pane.view.isVisible()
    assert pane.no_match_label.text() == "No events match “<b>zanzibar</b>”."  # plain text, not markup
    assert pane.no_match_label.textFormat() == Qt.TextFormat.PlainText
    assert pane.count_label.text() == "0 of 2 events"
    qtbot.keyClick(pane.filter_edit, Qt.Key.Key_Return)
    assert pane.clear_button.hasFocus()
    qtbot.keyClick(pane.clear_button, Qt.Key.Key_Space)
    assert pane.filter_edit.text() == ""
    assert pane.view.isVisible() and not pane.no_match.isVisible()
    assert pane.current_event() == "ev-january"
    assert state.event_id == "ev-january"
    pane.set_person("kim")
    pane.filter_edit.setText("agrees")
    qtbot.waitUntil(lambda: pane.no_match.isVisible())
    assert pane.no_match_label.text() == "No events with Kim Il Sung match “agrees”."


def test_the_filter_scrolls_to_its_first_match(qtbot, default_corpus: Corpus) -> None:
    pane, state = make_pane(qtbot, default_corpus)
    pane.resize(300, 300)
    haystacks = pane.model.haystacks()
    # a common word, and the last event that does not have it
    word = max((w for h in haystacks for w in h.split() if len(w) > 4),
               key=lambda w: sum(w in h for h in haystacks))
    last = next(e for e, h in zip(reversed(default_corpus.events), reversed(haystacks), strict=True) if word not in h)
    state.select_event(last.id)
    qtbot.waitUntil(lambda: pane.view.verticalScrollBar().value() > 0)  # the list shows that event
    pane.filter_edit.setText(word)
    qtbot.waitUntil(lambda: 0 < len(pane.visible_events()) < len(default_corpus.events))
    assert pane.view.verticalScrollBar().maximum() > 0  # more matches than fit
    first = pane.view.visualRect(pane.proxy.index(0, 0))
    assert pane.view.viewport().rect().contains(first.center())
    assert state.event_id == last.id  # scrolling chose nothing


def test_typing_on_and_back_keeps_exactly_the_rows_a_fresh_filter_keeps(default_corpus: Corpus) -> None:
    """A word typed on only rescans the rows shown (issue 17); backspacing or a new word scans them all."""
    model = EventListModel(default_corpus)
    typed = EventFilterProxy(model)

    def rows(proxy: EventFilterProxy) -> list[str]:
        return [proxy.index(r, 0).data(ID_ROLE) for r in range(proxy.rowCount())]

    for text in ("s", "st", "sta", "stal", "stalin", "stalin m", "stalin mao", "stalin ma", "sta", "m", "ma",
                 "kim", "kim stalin", "stalin", ""):
        typed.set_filter(text, None)
        fresh = EventFilterProxy(model)
        fresh.set_filter(text, None)
        assert rows(typed) == rows(fresh), text
        if text == "stalin mao":
            assert 0 < len(rows(typed)) < model.rowCount()  # it does filter
    person = next(iter(default_corpus.events_by_person))
    typed.set_filter("sta", person)
    fresh = EventFilterProxy(model)
    fresh.set_filter("sta", person)
    assert rows(typed) == rows(fresh)
    assert typed.mapFromSource(model.index(0, 0)).isValid() == (model.index(0, 0).data(ID_ROLE) in rows(typed))


def test_a_change_in_the_source_filters_its_rows_again(tiny_corpus: Corpus) -> None:
    model = EventListModel(tiny_corpus)
    proxy = EventFilterProxy(model)
    proxy.set_filter("agrees", None)
    shown = proxy.rowCount()
    assert 0 < shown < model.rowCount()
    model.beginResetModel()
    model._set_rows(model._events[:1], model._ids[:1])  # as an edit removing an event leaves it
    model.endResetModel()
    assert proxy.rowCount() == sum("agrees" in h for h in model.haystacks())
    assert all(proxy.mapToSource(proxy.index(r, 0)).row() < 1 for r in range(proxy.rowCount()))


def _plain_filter(corpus: Corpus, text: str) -> list[str]:
    """The filter as first written: every word of *text*, lowercased, in the lowercased date, title,
    summary and participants' names and spellings joined by spaces (the reference the fast one equals)."""
    names = {p.id: " ".join((p.name, *p.spellings)) for p in corpus.people}
    words = text.lower().split()
    return [e.id for e in corpus.events
            if all(w in " ".join((e.display_date(), e.title, e.summary,
                                  *(names.get(p, p) for p in e.participants))).lower() for w in words)]


def _accented(corpus: Corpus) -> Corpus:
    """The tiny corpus with accents, capitals, a Greek final sigma, a spelling that repeats the name,
    and one person twice in an event: what the filter texts shorten or fold must not change a match."""
    people = {"kim": replace(corpus.person_by_id["kim"], name="Kim Il Sŭng", spellings=("Kim Il Sŭng", "KIM")),
              "stalin": replace(corpus.person_by_id["stalin"], name="Iosif Stálin", spellings=("ΣΤΑΛΙΝΟΣ",))}
    events = {"ev-march": replace(corpus.event_by_id["ev-march"], title="Kim asks to attack — Pyŏngyang",
                                  participants=("kim", "stalin", "kim")),
              "ev-january": replace(corpus.event_by_id["ev-january"], summary="Stalin tells Kim: «DÉJÀ VU»\tto help.")}
    return corpus.updated({"people": people, "events": events},
                          {"people": tuple(people.get(p.id, p) for p in corpus.people)})


FILTER_QUERIES = (
    "s", "st", "sta", "stal", "stalin", "stalin k", "stalin ki", "stalin kim", "stalin ki", "stalin", "sta", "",
    "kim", "kim kim", "kim il sŭng", "KIM IL SŬNG", "sung", "sŭng", "pyŏng", "pyong", "déjà", "DÉJÀ", "deja", "vu»",
    "σταλινος", "σταλινοσ", "stálin", "stalin ", "  ", "1949", "mar 1949", "30 jan", "zzz", "z", "",
)


@pytest.mark.parametrize("which", ["default", "accented"])
def test_the_filter_keeps_exactly_what_the_plain_match_keeps(which: str, default_corpus: Corpus,
                                                            tiny_corpus: Corpus) -> None:
    """Typing on (narrowing), deleting (widening), clearing, case and accents: one proxy typed through
    every query shows, each time, the rows the plain lowercase match keeps."""
    corpus = default_corpus if which == "default" else _accented(tiny_corpus)
    model = EventListModel(corpus)
    typed = EventFilterProxy(model)
    for text in FILTER_QUERIES + tuple(reversed(FILTER_QUERIES)):
        typed.set_filter(text, None)
        assert [typed.index(r, 0).data(ID_ROLE) for r in range(typed.rowCount())] == _plain_filter(corpus, text), text
    if which == "accented":  # the queries do tell the events apart
        assert _plain_filter(corpus, "déjà") == ["ev-january"] and _plain_filter(corpus, "deja") == []
        assert _plain_filter(corpus, "σταλινος") == ["ev-march", "ev-january"]


def test_filter_texts_built_in_slices_equal_texts_built_at_once(tiny_corpus: Corpus, default_corpus: Corpus) -> None:
    sliced = EventListModel(default_corpus)
    steps = sliced.haystack_steps()
    next(steps)
    sliced.set_corpus(_accented(tiny_corpus))  # an edit between two steps (here: another corpus)
    assert sum(1 for _ in steps) >= 0
    assert sliced.haystacks() == EventListModel(_accented(tiny_corpus)).haystacks()
    sliced = EventListModel(default_corpus)
    assert sum(1 for _ in sliced.haystack_steps()) == -(-len(default_corpus.events) // HAYSTACK_STEP)
    assert sliced.haystacks() == EventListModel(default_corpus).haystacks()
    # After an edit (a person renamed, an event retitled) the kept texts follow, as a fresh model's.
    edited = _accented(tiny_corpus)
    model = EventListModel(tiny_corpus)
    model.haystacks()
    model.set_corpus(edited)
    assert model.haystacks() == EventListModel(edited).haystacks()
    assert "sŭng" in model.haystacks()[model.row_of("ev-march") or 0]


def test_the_pane_builds_the_filter_texts_while_idle(qtbot, default_corpus: Corpus) -> None:
    pane, _ = make_pane(qtbot, default_corpus)
    assert pane.model._haystack_rows is None  # not on the way to the first paint
    qtbot.waitUntil(lambda: pane.model._haystack_rows is not None)
    assert pane.model._haystack_rows == EventListModel(default_corpus).haystacks()


def laid_out(pane: EventListPane) -> bool:
    """Whether the list's batched layout has reached its last row: its scroll range covers every row."""
    bar, view = pane.view.verticalScrollBar(), pane.view
    rows = pane.proxy.rowCount()
    per_item = view.verticalScrollMode() == view.ScrollMode.ScrollPerItem
    return bar.maximum() + bar.pageStep() >= rows * (1 if per_item else view.sizeHintForRow(0))


def test_an_event_selected_before_a_long_list_is_laid_out_is_scrolled_to(qtbot, tmp_path: Path) -> None:
    """A long list is laid out in batches once shown: the row selected at start-up (--select, the last
    selection) must still end up in view, not the list's top."""
    corpus = load_corpus(generate_corpus(tmp_path / "long", 3000).path)
    state = ExplorerState(corpus)
    pane = EventListPane(corpus, state)
    qtbot.addWidget(pane)
    pane.resize(300, 400)
    target = corpus.events[len(corpus.events) * 2 // 3]
    state.select_event(target.id)
    pane.show()
    bar = pane.view.verticalScrollBar()

    def in_view() -> bool:
        rect = pane.view.visualRect(pane.index_of(target.id))
        return rect.isValid() and pane.view.viewport().rect().contains(rect.center())

    qtbot.waitUntil(lambda: laid_out(pane))
    assert in_view() and bar.value() > 0


def test_the_reader_scrolling_away_is_not_undone_by_the_layout(qtbot, tmp_path: Path) -> None:
    corpus = load_corpus(generate_corpus(tmp_path / "long", 3000).path)
    state = ExplorerState(corpus)
    pane = EventListPane(corpus, state)
    qtbot.addWidget(pane)
    pane.resize(300, 400)
    state.select_event(corpus.events[-1].id)
    pane.show()
    bar = pane.view.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.triggerAction(bar.SliderAction.SliderToMinimum)  # the reader goes back to the top
    qtbot.waitUntil(lambda: laid_out(pane))
    assert bar.value() == 0


def test_events_of_one_date_share_its_text_as_shown(default_corpus: Corpus) -> None:
    model = EventListModel(default_corpus)
    by_date: dict[str, list[str]] = {}
    for row in range(model.rowCount()):
        by_date.setdefault(default_corpus.events[row].display_date(), []).append(model.date_of(row))
    shared = [dates for dates in by_date.values() if len(dates) > 1]
    assert shared  # the default corpus has days with several events
    assert all(date is dates[0] for dates in shared for date in dates)
    assert [model.date_of(row) for row in range(model.rowCount())] == [e.display_date() for e in default_corpus.events]
