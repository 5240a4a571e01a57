"""A long essay is held a window of passages at a time (issue 17): the window follows the selection and
the reader's scrolling, and everything mapped in it (positions, marks, the reader's own selection) stays
right as it moves.

The threshold and the window are made small here: a window of 3 passages over a 13-passage essay.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QPalette, QTextCursor, QTextDocument, QWheelEvent
from PySide6.QtWidgets import QAbstractSlider, QApplication

import explorer.ui.passage_pane as passage_pane
from explorer.core.audit import Finding
from explorer.core.loader import load_corpus
from explorer.core.model import Corpus
from explorer.ui.passage_pane import PassagePane
from explorer.ui.state import ExplorerState
from tests.support.corpora import TINY_ESSAY, TINY_FILES
from tests.ui.helpers import click_footnote

FILLER = 10  # long paragraphs before the tiny essay's two (which become p11 and p12; its closing note p13)
Action = QAbstractSlider.SliderAction


def _filler(n: int) -> str:
    return f"Paragraph {n} opens here. " + " ".join(
        f"Sentence {k} of paragraph {n} goes on about the archive and its many boxes of telegrams." for k in range(8))


@pytest.fixture
def windowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(passage_pane, "WINDOW_THRESHOLD", 5)
    monkeypatch.setattr(passage_pane, "WINDOW_PASSAGES", 3)
    monkeypatch.setattr(passage_pane, "WINDOW_CHARS", 10**9)  # the count decides
    monkeypatch.setattr(passage_pane, "WINDOW_SCREENS", 0)


@pytest.fixture
def long_corpus(make_corpus: Callable[..., Path]) -> Corpus:
    """Ten long paragraphs, then the tiny essay (its events, quotes and notes moved to p11 and p12)."""
    body = TINY_ESSAY.replace("[bookmark: _GoBack]", "")
    essay = "[bookmark: _GoBack]" + "\n\n".join(_filler(n) for n in range(1, FILLER + 1)) + "\n\n" + body
    moved = {name: TINY_FILES[name].replace("p01", "p11").replace("p02", "p12")
             for name in ("events.yaml", "documents.yaml")}
    corpus = load_corpus(make_corpus(moved, essay=essay))
    assert [p.id for p in corpus.essay.passages][-3:] == ["p11", "p12", "p13"]
    return corpus


def shown(qtbot, corpus: Corpus, height: int = 300) -> tuple[PassagePane, ExplorerState]:
    state = ExplorerState(corpus)
    pane = PassagePane(corpus, state)
    pane.resize(640, height)
    qtbot.addWidget(pane)
    pane.show()
    qtbot.waitUntil(lambda: pane.view.viewport().height() > 100 and pane.view.settled)
    return pane, state


def held_ids(pane: PassagePane, corpus: Corpus) -> list[str]:
    lo, hi = pane.passages_held
    return [p.id for p in corpus.essay.passages[lo:hi]]


def scroll(qtbot, pane: PassagePane, action: QAbstractSlider.SliderAction) -> None:
    """One scroll as a reader's wheel or key does it, and the window's move after it, if any."""
    bar = pane.view.verticalScrollBar()
    bar.triggerAction(action)
    qtbot.waitUntil(lambda: not pane._shift.isActive())


def top_place(pane: PassagePane) -> tuple[str, int, int] | None:
    """The passage and offset of the text at the top of the view, and where its line is on screen."""
    place = pane.text_at(pane.view.top_position())
    return None if place is None else (*place, where(pane, place))


def where(pane: PassagePane, place: tuple[str, int] | tuple[str, int, int]) -> int:
    position = pane.position_of(place[0], place[1])
    assert position is not None, f"{place} left the window"
    cursor = QTextCursor(pane.view.document())
    cursor.setPosition(position)
    return pane.view.cursorRect(cursor).top()


def kept(pane: PassagePane, before: tuple[str, int, int] | None) -> bool:
    """Whether the text that was at the top is where it was on screen, to the pixel."""
    return before is not None and where(pane, before) == before[2]


def test_the_default_and_the_tiny_essay_are_held_whole(qtbot, default_corpus: Corpus, tiny_corpus: Corpus) -> None:
    for corpus in (default_corpus, tiny_corpus):
        pane, _ = shown(qtbot, corpus)
        assert not pane.windowed
        assert pane.passages_held == (0, len(corpus.essay.passages))
        assert pane.place.isHidden()
        assert pane.view.document().firstBlock().text()  # the heading, as before
        for passage in corpus.essay.passages:
            assert pane.position_of(passage.id, 0) is not None


def test_a_long_essay_opens_at_its_start_with_its_heading(qtbot, windowed, long_corpus: Corpus) -> None:
    pane, _ = shown(qtbot, long_corpus)
    assert pane.windowed
    assert held_ids(pane, long_corpus) == ["p01", "p02", "p03"]
    assert pane.view.document().firstBlock().text() == "Untitled essay"
    assert pane.position_of("p04", 0) is None  # outside the window
    qtbot.waitUntil(lambda: pane.place.text() != "")
    assert pane.place.isVisible() and pane.place.text().endswith("of 13")


def test_a_far_event_recentres_the_window_and_highlights_its_quote(qtbot, windowed, long_corpus: Corpus) -> None:
    pane, state = shown(qtbot, long_corpus)
    state.select_event("ev-january")
    assert "p12" in held_ids(pane, long_corpus)
    assert pane.highlighted_text() == ["On 30 January 1950 Stalin said"]
    quote = pane.position_of("p12", 0)
    assert quote is not None and pane.is_in_view(quote)
    assert held_ids(pane, long_corpus) == ["p11", "p12", "p13"]  # the essay's end: the window stops there
    assert pane.view.document().firstBlock().text().startswith("In March 1949")  # no heading away from the start
    state.select_passage("p01")  # and back
    assert held_ids(pane, long_corpus)[0] == "p01"
    start = pane.position_of("p01", 0)
    assert start is not None and pane.is_in_view(start)


def test_positions_map_both_ways_inside_the_window(qtbot, windowed, long_corpus: Corpus) -> None:
    pane, state = shown(qtbot, long_corpus)
    state.select_passage("p06")
    text = pane.view.document().toPlainText()
    for passage_id in held_ids(pane, long_corpus):
        passage = long_corpus.passage(passage_id)
        assert passage is not None
        for offset in range(0, len(passage.text) + 1, 7):
            position = pane.position_of(passage_id, offset)
            assert position is not None and pane.text_at(position) == (passage_id, offset)
        start = pane.position_of(passage_id, 0)
        assert start is not None and text[start:].startswith(passage.text[:20])
    assert pane.position_of("p01", 0) is None and pane.position_of("p12", 0) is None


def test_a_note_chosen_through_a_link_moves_the_window_to_its_marker(qtbot, windowed, long_corpus: Corpus) -> None:
    pane, state = shown(qtbot, long_corpus)
    assert pane.marker_position(2) is None
    pane.view.anchorClicked.emit(QUrl("fn:2"))  # a link to the note, as the essay or a note sends it
    assert state.footnote == 2
    assert "p12" in held_ids(pane, long_corpus)
    marker = pane.marker_position(2)
    assert marker is not None
    qtbot.waitUntil(lambda: pane.is_in_view(marker))
    assert pane.note.title.text() == "Note 2"
    click_footnote(qtbot, pane, 1)  # the markers in the moved window are live
    assert state.footnote == 1


def test_a_search_hit_outside_the_window_brings_it_there_and_marks_it(qtbot, windowed, long_corpus: Corpus) -> None:
    pane, _ = shown(qtbot, long_corpus)
    pane.set_search_match("p12", ["stalin"])
    assert "p12" in held_ids(pane, long_corpus)
    marked = [m.cursor.selectedText() for m in pane.view.extraSelections()]
    assert marked == ["Stalin"]
    start = pane.position_of("p12", long_corpus.passage("p12").text.index("Stalin"))  # type: ignore[union-attr]
    assert start is not None and pane.is_in_view(start)


def test_scrolling_moves_the_window_on_with_the_top_line_kept(qtbot, windowed, long_corpus: Corpus) -> None:
    pane, _ = shown(qtbot, long_corpus)
    bar = pane.view.verticalScrollBar()
    assert bar.maximum() > 0
    moves = 0
    for _ in range(400):
        if pane.passages_held[1] == len(long_corpus.essay.passages) and bar.value() == bar.maximum():
            break
        held = pane.passages_held
        bar.triggerAction(Action.SliderPageStepAdd)
        before = top_place(pane)  # what the reader sees at the top, before the window moves
        qtbot.waitUntil(lambda: not pane._shift.isActive())
        if pane.passages_held != held:
            moves += 1
            assert kept(pane, before), "the line at the top jumped"
    assert moves >= 3
    last = long_corpus.essay.passages[-1]
    end = pane.position_of(last.id, len(last.text))
    assert end is not None and pane.is_in_view(end)  # the essay's real end can be read
    for _ in range(400):  # and back up to the title
        if pane.passages_held[0] == 0 and bar.value() == 0:
            break
        held = pane.passages_held
        bar.triggerAction(Action.SliderPageStepSub)
        before = top_place(pane)
        qtbot.waitUntil(lambda: not pane._shift.isActive())
        if pane.passages_held != held:
            moves += 1
            assert kept(pane, before), "the line at the top jumped"
    assert moves >= 6
    assert pane.view.document().firstBlock().text() == "Untitled essay"


def test_programmatic_scrolls_do_not_move_the_window(qtbot, windowed, long_corpus: Corpus) -> None:
    pane, _ = shown(qtbot, long_corpus)
    bar = pane.view.verticalScrollBar()
    bar.setValue(bar.maximum())  # as a reveal does: not the reader heading for the edge
    qtbot.waitUntil(lambda: not pane._place_due.isActive())
    assert pane.passages_held == (0, 3)


def test_home_and_end_go_to_the_essay_s_own_start_and_end(qtbot, windowed, long_corpus: Corpus) -> None:
    pane, _ = shown(qtbot, long_corpus)
    bar = pane.view.verticalScrollBar()
    scroll(qtbot, pane, Action.SliderToMaximum)
    assert held_ids(pane, long_corpus) == ["p11", "p12", "p13"]
    assert bar.value() == bar.maximum()
    qtbot.waitUntil(lambda: pane.place.text() != "" and not pane._place_due.isActive())
    assert "of 13" in pane.place.text() and "13" in pane.place.text().split(" of ")[0]
    scroll(qtbot, pane, Action.SliderToMinimum)
    assert held_ids(pane, long_corpus) == ["p01", "p02", "p03"]
    assert bar.value() == 0


def test_the_readers_selected_text_survives_a_move(qtbot, windowed, long_corpus: Corpus) -> None:
    pane, _ = shown(qtbot, long_corpus)
    view, bar = pane.view, pane.view.verticalScrollBar()
    p03 = long_corpus.passage("p03")
    assert p03 is not None
    start, end = pane.position_of("p03", 10), pane.position_of("p03", 40)
    assert start is not None and end is not None
    cursor = QTextCursor(view.document())
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    view.setTextCursor(cursor)
    for _ in range(400):
        if pane.passages_held != (0, 3):
            break
        bar.triggerAction(Action.SliderSingleStepAdd)
        qtbot.waitUntil(lambda: not pane._shift.isActive())
    assert "p03" in held_ids(pane, long_corpus)
    cursor = view.textCursor()
    assert cursor.selectedText() == p03.text[10:40]
    assert pane.text_at(cursor.selectionStart()) == ("p03", 10)  # what curation's "New Event from Selection" reads


def test_zoom_keeps_the_window_and_the_place(qtbot, windowed, long_corpus: Corpus) -> None:
    pane, state = shown(qtbot, long_corpus)
    state.select_event("ev-january")
    held = pane.passages_held
    pane.set_zoom(150)
    assert pane.passages_held == held
    assert pane.highlighted_text() == ["On 30 January 1950 Stalin said"]
    quote = pane.position_of("p12", 0)
    assert quote is not None and pane.is_in_view(quote)


def test_flags_follow_the_window(qtbot, windowed, long_corpus: Corpus) -> None:
    pane, state = shown(qtbot, long_corpus)
    pane.set_findings({2: (Finding("X1", "warning", "something", footnotes=(2,)),)})  # note 2 is far away
    state.select_footnote(2)
    marker = pane.marker_position(2)
    assert marker is not None
    cursor = QTextCursor(pane.view.document())
    cursor.setPosition(marker + 1)
    assert cursor.charFormat().fontWeight() == 700  # flagged as the window was built
    other = pane.marker_position(1)
    assert other is not None
    cursor.setPosition(other + 1)
    assert cursor.charFormat().fontWeight() != 700


def test_moving_the_window_leaves_no_old_document_behind(qtbot, windowed, long_corpus: Corpus) -> None:
    pane, state = shown(qtbot, long_corpus)
    for passage_id in ("p12", "p01", "p07", "p13", "p04"):
        state.select_passage(passage_id)
    assert len(pane.view.findChildren(QTextDocument)) == 1


def test_the_wheel_moves_the_window_on(qtbot, windowed, long_corpus: Corpus) -> None:
    pane, _ = shown(qtbot, long_corpus)
    view = pane.view
    where = QPointF(view.viewport().width() / 2, 100)
    for _ in range(100):
        if pane.passages_held != (0, 3):
            break
        wheel = QWheelEvent(where, QPointF(view.viewport().mapToGlobal(where.toPoint())), QPoint(), QPoint(0, -120),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)
        QApplication.sendEvent(view.viewport(), wheel)
        qtbot.waitUntil(lambda: not pane._shift.isActive())
    assert pane.passages_held[0] > 0


def test_page_down_keys_move_the_window_on(qtbot, windowed, long_corpus: Corpus) -> None:
    pane, _ = shown(qtbot, long_corpus)
    for _ in range(100):
        if pane.passages_held != (0, 3):
            break
        qtbot.keyClick(pane.view, Qt.Key.Key_PageDown)
        qtbot.waitUntil(lambda: not pane._shift.isActive())
    assert pane.passages_held[0] > 0


def test_new_event_from_selection_reads_the_words_selected_in_a_moved_window(qtbot, windowed, make_window,
                                                                              long_corpus: Corpus) -> None:
    window = make_window(long_corpus)
    pane = window.passage_pane
    window.state.select_event("ev-january")  # far from the essay's start: the window moves there
    assert "p12" in held_ids(pane, long_corpus)
    p12 = long_corpus.passage("p12")
    assert p12 is not None
    start = p12.text.index("Stalin said")
    first, last = pane.position_of("p12", start), pane.position_of("p12", start + len("Stalin said"))
    assert first is not None and last is not None
    cursor = QTextCursor(pane.view.document())
    cursor.setPosition(first)
    cursor.setPosition(last, QTextCursor.MoveMode.KeepAnchor)
    pane.view.setTextCursor(cursor)
    selected = window.curation.essay_selection()
    assert (selected.passage, selected.start, selected.end) == ("p12", start, start + len("Stalin said"))
    assert selected.text == "Stalin said"


def test_a_palette_change_and_an_edit_keep_the_window_and_its_marks(qtbot, windowed, long_corpus: Corpus) -> None:
    pane, state = shown(qtbot, long_corpus)
    state.select_event("ev-january")
    held, built = pane.passages_held, pane.view.document()
    dark = QPalette(pane.palette())
    dark.setColor(QPalette.ColorRole.Base, QColor("#101010"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#f0f0f0"))
    pane.setPalette(dark)  # rebuilt in the new colours
    assert pane.view.document() is not built
    assert pane.passages_held == held
    assert pane.highlighted_text() == ["On 30 January 1950 Stalin said"]
    event = long_corpus.event_by_id["ev-january"]
    state.set_corpus(long_corpus.updated({"events": {event.id: replace(event, title="Retitled")}}))  # an edit
    assert pane.passages_held == held
    assert pane.highlighted_text() == ["On 30 January 1950 Stalin said"]
