"""No text from a corpus can size the window (issue 11.5)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from explorer.core.loader import load_corpus
from explorer.core.text import shorten
from explorer.ui.cards import breakable
from tests.support.corpora import TINY_FILES


def long_titles(make_corpus, word: str) -> Path:
    events = TINY_FILES["events.yaml"].replace("title: Kim asks to attack", f"title: {word}").replace(
        "summary: Kim asks", f"summary: {word} asks")
    documents = TINY_FILES["documents.yaml"].replace("title: Telegram from Stalin to Shtykov", f"title: {word}")
    people = TINY_FILES["people.yaml"].replace("name: Kim Il Sung", f"name: {word}")
    manifest = TINY_FILES["corpus.yaml"].replace("title: null", f"title: {word}")
    assert all(word in text for text in (events, documents, people, manifest))
    return make_corpus({"events.yaml": events, "documents.yaml": documents, "people.yaml": people,
                        "corpus.yaml": manifest})


@pytest.mark.parametrize("length", [200, 20_000])
def test_a_long_word_in_a_title_does_not_size_the_window(qtbot, make_window, make_corpus, length: int) -> None:
    word = ("Kim" * length)[:length]  # no break anywhere
    corpus = load_corpus(long_titles(make_corpus, word))
    started = time.process_time()  # CPU, not the wall clock: a loaded machine slows the one, not the other
    window = make_window(corpus)
    window.state.select_event("ev-january")  # the long-titled document in the chooser
    window.state.select_document("doc-jan")
    window.document_pane.render_now()
    window.state.select_footnote(2)
    window.audit_action.trigger()
    QApplication.processEvents()
    assert window.minimumSizeHint().width() < 1000
    assert window.minimumSizeHint().height() < 700
    assert window.minimumSize().width() < 1000
    for pane in (window.event_list, window.document_pane, window.passage_pane, window.audit_panel):
        assert pane.minimumSizeHint().width() < 700, pane
    window.resize(1024, 700)
    assert window.width() <= 1024
    window.state.select_event("ev-march")  # the long-titled event in the header
    window.document_pane.render_now()
    QApplication.processEvents()
    assert window.minimumSizeHint().width() < 1000
    assert window.minimumSizeHint().height() < 700
    label = window.document_pane.event_label
    assert word[:20] in label.text().replace("\u200b", "")
    assert word[:20] in label.toolTip().replace("\u200b", "")  # what the header cuts, the tooltip has
    assert time.process_time() - started < 5


def test_a_note_opened_in_a_wide_window_does_not_hold_it_wide(qtbot, window) -> None:
    window.resize(2200, 900)
    window.state.select_footnote(2)
    QApplication.processEvents()
    assert window.minimumSizeHint().width() < 1000
    window.resize(1024, 700)
    assert window.width() == 1024


def test_breaks_and_cuts() -> None:
    assert breakable("short words stay") == "short words stay"
    assert breakable("x" * 50) == "x" * 24 + "\u200b" + "x" * 24 + "\u200b" + "xx"
    assert shorten("abc", 10) == "abc"
    assert shorten("a" * 30, 10) == "a" * 9 + "…"
    assert shorten("word " * 10, 20) == "word word word word…"
