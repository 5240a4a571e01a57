"""The detail pane: what it shows for an event, its chooser, its links, its debounce."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from explorer.core.loader import load_corpus
from explorer.core.model import Corpus
from explorer.ui.document_pane import DocumentPane
from explorer.ui.state import ExplorerState
from tests.ui.helpers import click_link


def make_pane(qtbot, corpus: Corpus) -> tuple[DocumentPane, ExplorerState]:
    state = ExplorerState(corpus)
    pane = DocumentPane(corpus, state)
    qtbot.addWidget(pane)
    pane.resize(500, 700)
    pane.show()
    return pane, state


def shown(pane: DocumentPane, state: ExplorerState) -> Callable[[], bool]:
    return lambda: pane.shown == state.selection


def test_a_document_is_written_out_in_full(qtbot, tiny_corpus: Corpus) -> None:
    pane, state = make_pane(qtbot, tiny_corpus)
    state.select_event("ev-march")
    qtbot.waitUntil(shown(pane, state))
    text = pane.browser.toPlainText()
    for expected in (
        "ciphered telegram",
        "Telegram from Shtykov to Vyshinsky",
        "3 Sep 1949 · reporting Mar 1949",
        "From\nTerentii Shtykov",
        "To\nAndrei Vyshinsky",
        "AVPRF, Fond 059a, Opis 5a, Delo 4, Papka 11, Listy 136-138",
        "Cite as  AVPRF, f. 059a, op. 5a, d. 4, p. 11, ll. 136-138",
        "Kathryn Weathersby, “To Attack or Not to Attack?” Cold War International History Project Bulletin 5 "
        "(1995): 1-9",
        "Directly.",
        "Note  1",
        "30 Jan 1950  Stalin agrees to help",
    ):
        assert expected in text, expected
    assert "Kim asks to attack" in pane.event_label.text()
    assert not pane.chooser.isVisible()


def test_the_chooser_lists_several_documents_and_selects_one(qtbot, tiny_corpus: Corpus) -> None:
    pane, state = make_pane(qtbot, tiny_corpus)
    state.select_event("ev-january")
    qtbot.waitUntil(shown(pane, state))
    assert pane.chooser.isVisible()
    assert [pane.chooser.itemData(i) for i in range(pane.chooser.count())] == ["doc-jan", "doc-sept"]
    assert pane.chooser.currentData() == "doc-jan"
    assert "“ready to help him in this matter.” ¶ 2" in pane.browser.toPlainText()
    pane.chooser.setCurrentIndex(1)
    assert (state.event_id, state.document) == ("ev-january", "doc-sept")
    qtbot.waitUntil(shown(pane, state))
    assert "Telegram from Shtykov to Vyshinsky" in pane.browser.toPlainText()


def test_links_navigate(qtbot, tiny_corpus: Corpus) -> None:
    pane, state = make_pane(qtbot, tiny_corpus)
    state.select_event("ev-march")
    qtbot.waitUntil(shown(pane, state))
    click_link(qtbot, pane.browser, "person:shtykov")
    qtbot.waitUntil(shown(pane, state))
    assert "Terentii Shtykov" in pane.browser.toPlainText()
    assert "Sends or receives" in pane.browser.toPlainText()
    click_link(qtbot, pane.browser, "doc:doc-jan")  # a telegram he received
    assert (state.event_id, state.document, state.selection.person) == ("ev-january", "doc-jan", None)
    qtbot.waitUntil(shown(pane, state))
    click_link(qtbot, pane.browser, "fn:2")
    assert state.footnote == 2
    click_link(qtbot, pane.browser, "passage:p02")  # where the essay quotes it
    assert state.passage == "p02"
    state.select_event("ev-march")
    qtbot.waitUntil(shown(pane, state))
    click_link(qtbot, pane.browser, "source:weathersby-1995")  # where it is published
    qtbot.waitUntil(shown(pane, state))
    assert "bulletin article" in pane.browser.toPlainText()
    pane.event_label.linkActivated.emit("person:kim")  # a QLabel's links have no public hit test
    assert state.selection.person == "kim"


def test_fast_changes_render_once(qtbot, tiny_corpus: Corpus, monkeypatch) -> None:
    pane, state = make_pane(qtbot, tiny_corpus)
    renders = []
    original = pane.browser.setHtml
    monkeypatch.setattr(pane.browser, "setHtml", lambda html: (renders.append(html), original(html)))
    for _ in range(5):
        state.select_event("ev-march")
        state.select_event("ev-january")
    qtbot.waitUntil(shown(pane, state))
    assert len(renders) == 1


def test_corpus_text_is_never_markup(qtbot, make_corpus: Callable[..., Path]) -> None:
    from tests.support.corpora import TINY_FILES

    documents = TINY_FILES["documents.yaml"].replace(
        "title: Telegram from Shtykov to Vyshinsky", 'title: "<b>Bold</b> & <a href=\'event:ev-january\'>x</a>"')
    events = TINY_FILES["events.yaml"].replace("title: Kim asks to attack", 'title: "<i>Kim</i> asks"')
    corpus = load_corpus(make_corpus({"documents.yaml": documents, "events.yaml": events}))
    pane, state = make_pane(qtbot, corpus)
    state.select_event("ev-march")
    qtbot.waitUntil(shown(pane, state))
    assert "<b>Bold</b> & <a href='event:ev-january'>x</a>" in pane.browser.toPlainText()
    assert "&lt;i&gt;Kim&lt;/i&gt; asks" in pane.event_label.text()
