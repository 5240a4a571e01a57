"""The essay pane: positions, highlights, clicks on sentences and footnote markers."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from explorer.core.loader import load_corpus
from explorer.core.model import Corpus
from explorer.ui.essay_view import index_of_units, utf16_len
from explorer.ui.passage_pane import PassagePane
from explorer.ui.state import ExplorerState
from tests.support.corpora import TINY_ESSAY
from tests.ui.helpers import click_footnote, click_link, click_text


def make_pane(qtbot, corpus: Corpus) -> tuple[PassagePane, ExplorerState]:
    state = ExplorerState(corpus)
    pane = PassagePane(corpus, state)
    pane.resize(700, 500)
    qtbot.addWidget(pane)
    pane.show()
    pane.activateWindow()
    qtbot.waitUntil(pane.isActiveWindow)  # offscreen activates later than waitActive says
    return pane, state


def test_utf16_helpers() -> None:
    assert utf16_len("a𝔊b") == 4
    assert index_of_units("a𝔊b", 3) == 2
    assert index_of_units("abc", 2) == 2


@pytest.fixture
def astral_corpus(make_corpus: Callable[..., Path]) -> Corpus:
    """The tiny corpus with characters outside the BMP before the quotes."""
    essay = TINY_ESSAY.replace("In March 1949", "𝔊𝔊 In March 1949").replace("On 30 January", "𝄞 On 30 January")
    return load_corpus(make_corpus(essay=essay))


def test_offsets_map_to_document_positions_and_back(qtbot, astral_corpus: Corpus) -> None:
    pane, _ = make_pane(qtbot, astral_corpus)
    doc_text = pane.view.document().toPlainText()
    for passage in astral_corpus.essay.passages:
        for offset in range(len(passage.text) + 1):
            position = pane.position_of(passage.id, offset)
            assert position is not None
            assert pane.text_at(position) == (passage.id, offset)
        # what sits at the mapped positions is the passage's own text (markers aside)
        start = pane.position_of(passage.id, 0)
        assert start is not None
        assert doc_text.encode("utf-16-le")[start * 2:].decode("utf-16-le").startswith(passage.text[:10])


def test_the_selected_event_is_highlighted_even_after_astral_characters(qtbot, astral_corpus: Corpus) -> None:
    pane, state = make_pane(qtbot, astral_corpus)
    state.select_event("ev-january")
    assert pane.highlighted_text() == ["On 30 January 1950 Stalin said"]
    state.select_event("ev-march")
    assert pane.highlighted_text() == ["In March 1949 Kim asked Stalin for leave to attack."]


def test_clicking_a_sentence_selects_the_event_it_narrates(qtbot, tiny_corpus: Corpus) -> None:
    pane, state = make_pane(qtbot, tiny_corpus)
    p02 = tiny_corpus.passage("p02")
    assert p02 is not None
    click_text(qtbot, pane, "p02", p02.text.index("ready"))  # in the sentence, past the quote
    assert state.event_id == "ev-january"
    click_text(qtbot, pane, "p01", 3)
    assert state.event_id == "ev-march"
    p01 = tiny_corpus.passage("p01")
    assert p01 is not None
    click_text(qtbot, pane, "p01", p01.text.index("refused"))  # a sentence no event narrates
    assert state.event_id == "ev-march"
    assert state.passage == "p01"


def test_a_footnote_marker_opens_the_note_until_it_is_closed(qtbot, tiny_corpus: Corpus) -> None:
    pane, state = make_pane(qtbot, tiny_corpus)
    click_footnote(qtbot, pane, 2)
    assert state.footnote == 2
    assert state.document == "doc-jan"
    assert pane.note.isVisible()
    assert pane.note.title.text() == "Note 2"
    assert "Ciphered telegram from Stalin to Shtykov" in pane.note.body.toPlainText()
    assert "Cites Telegram from Stalin to Shtykov" in pane.note.body.toPlainText()
    qtbot.mouseClick(pane.note.close_button, Qt.MouseButton.LeftButton)
    assert state.footnote is None
    assert not pane.note.isVisible()


def test_escape_closes_the_note(qtbot, tiny_corpus: Corpus) -> None:
    pane, state = make_pane(qtbot, tiny_corpus)
    state.select_footnote(1)
    pane.view.setFocus()
    qtbot.keyClick(pane.view, Qt.Key.Key_Escape)
    assert state.footnote is None


def test_a_link_in_the_note_selects_what_it_cites(qtbot, tiny_corpus: Corpus) -> None:
    pane, state = make_pane(qtbot, tiny_corpus)
    state.select_footnote(1)
    click_link(qtbot, pane.note.body, "source:weathersby-1995")
    assert state.selection.source == "weathersby-1995"


def test_corpus_text_is_never_markup(qtbot, make_corpus: Callable[..., Path]) -> None:
    essay = TINY_ESSAY.replace("Stalin refused.", "Stalin refused <b>flatly</b> & <a href='event:ev-january'>x</a>.")
    corpus = load_corpus(make_corpus(essay=essay))
    pane, _ = make_pane(qtbot, corpus)
    text = pane.view.document().toPlainText()
    assert "<b>flatly</b> & <a href='event:ev-january'>x</a>" in text
    hrefs = set()
    block = pane.view.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            href = it.fragment().charFormat().anchorHref()
            if href:
                hrefs.add(href)
            it += 1
        block = block.next()
    assert hrefs == {"fn:1", "fn:2"}


def test_zoom_rebuilds_with_a_larger_font(qtbot, tiny_corpus: Corpus) -> None:
    pane, state = make_pane(qtbot, tiny_corpus)
    state.select_event("ev-january")
    before = pane.view.font().pointSizeF()
    pane.set_zoom(150)
    assert pane.view.font().pointSizeF() > before
    assert pane.highlighted_text() == ["On 30 January 1950 Stalin said"]
