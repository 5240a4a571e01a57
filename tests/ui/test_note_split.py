"""The open note's share of the essay pane: about a third, its marks scrolling rather than squeezing its
words, a split the reader drags, remembered for the next note and the next run."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.core.model import Corpus
from explorer.ui.main_window import MainWindow
from explorer.ui.marks_book import MarkBook, open_marks
from explorer.ui.passage_pane import NOTE_SHARE, PassagePane
from explorer.ui.settings import Settings, open_settings

LONG_NOTE = 10  # four citations, six lines of text in a wide column


@pytest.fixture
def note_window(make_window, tmp_path: Path, default_corpus: Corpus) -> Callable[..., MainWindow]:
    opened = []

    def make(size: tuple[int, int], settings: Settings | None = None) -> MainWindow:
        opened.append(open_marks(tmp_path / "marks.sqlite"))
        window = make_window(default_corpus, settings, marks=MarkBook(opened[-1], default_corpus.manifest.id))
        window.resize(*size)
        return window

    yield make
    for each in opened:
        each.close()


def open_note(qtbot, pane: PassagePane, window: MainWindow, number: int) -> None:
    window.state.select_footnote(number)
    qtbot.waitUntil(lambda: pane.note.isVisible() and pane.note.height() > 0)


def body_lines(pane: PassagePane) -> float:
    return pane.note.body.viewport().height() / pane.note.body.fontMetrics().lineSpacing()


@pytest.mark.parametrize(("size", "lines"), [((1600, 1000), 6), ((1024, 700), 2.5)])
def test_a_long_note_with_marks_gets_about_a_third_and_shows_its_words(
        qtbot, note_window, size: tuple[int, int], lines: float) -> None:
    window = note_window(size)
    pane = window.passage_pane
    open_note(qtbot, pane, window, LONG_NOTE)
    essay, note = pane.splitter.sizes()
    assert 0.28 <= note / (essay + note) <= NOTE_SHARE + 0.01, (essay, note)
    section = pane.note.verification
    assert section is not None and section.isVisibleTo(window) and len(section.editors) == 4
    # the marks' rows scroll: they leave the note's own words room to read
    assert section.rows_area.height() <= note * 0.45
    assert body_lines(pane) >= lines


def test_a_short_note_takes_only_the_room_it_needs(qtbot, note_window) -> None:
    window = note_window((1600, 1000))
    pane = window.passage_pane
    open_note(qtbot, pane, window, 24)  # one line, two citations
    essay, note = pane.splitter.sizes()
    assert note < (essay + note) * 0.3


def drag_split(pane: PassagePane, by: int) -> None:
    """What the handle does when dragged (a mouse drag offscreen lands at unreliable global positions)."""
    pane.splitter.moveSplitter(pane.splitter.sizes()[0] + by, 1)


def test_the_split_the_reader_drags_holds_for_the_next_note_and_the_next_run(
        qtbot, note_window, tmp_path: Path) -> None:
    settings = Settings(open_settings(tmp_path / "split.ini"))
    window = note_window((1600, 1000), settings)
    pane = window.passage_pane
    open_note(qtbot, pane, window, LONG_NOTE)
    before = pane.splitter.sizes()[1]
    drag_split(pane, -100)  # up: a taller note
    essay, note = pane.splitter.sizes()
    assert note >= before + 80, (before, note)
    share = note / (essay + note)
    assert pane.note_share == pytest.approx(share, abs=0.01)
    open_note(qtbot, pane, window, 24)  # a short note: no more than it needs
    essay, note = pane.splitter.sizes()
    assert note / (essay + note) < 0.3
    open_note(qtbot, pane, window, LONG_NOTE)  # a long one again: the share the reader chose
    essay, note = pane.splitter.sizes()
    assert note / (essay + note) == pytest.approx(share, abs=0.02)
    window.close()
    assert settings.note_share == pytest.approx(share, abs=0.01)

    again = note_window((1600, 1000), Settings(open_settings(tmp_path / "split.ini")))
    open_note(qtbot, again.passage_pane, again, LONG_NOTE)
    essay, note = again.passage_pane.splitter.sizes()
    assert note / (essay + note) == pytest.approx(share, abs=0.02)


@pytest.mark.parametrize("stored", ["", "junk", "2.5", "-1", "nan"])
def test_a_share_the_settings_file_holds_wrongly_is_not_used(tmp_path: Path, stored: str) -> None:
    q = open_settings(tmp_path / "bad.ini")
    q.setValue("reading/note_share", stored)
    assert Settings(q).note_share is None
