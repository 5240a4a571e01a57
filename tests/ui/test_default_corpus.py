"""The shipped corpus, event by event: the essay highlights the event's quote, the detail
pane names its evidence."""

from __future__ import annotations

from explorer.core.anchors import anchor_in
from explorer.core.model import Corpus
from explorer.ui.main_window import MainWindow


def test_every_event_highlights_its_quote_and_names_its_documents(
    qtbot, make_window, default_corpus: Corpus
) -> None:
    window: MainWindow = make_window(default_corpus)
    assert window.event_list.visible_events() == [e.id for e in default_corpus.events]
    for event in default_corpus.events:
        assert window.event_list.choose(event.id)
        assert window.state.event_id == event.id
        qtbot.waitUntil(lambda: window.document_pane.shown == window.state.selection)

        quotes = [q.text for q in event.passages]
        highlighted = window.passage_pane.highlighted_text()
        assert highlighted, f"{event.id}: nothing highlighted"
        for text in highlighted:
            assert any(text in quote for quote in quotes), (event.id, text)
        anchor = anchor_in(default_corpus, event.id, window.state.passage)
        assert anchor is not None
        position = window.passage_pane.position_of(anchor.passage, anchor.quote.start)
        assert position is not None and window.passage_pane.is_in_view(position), event.id

        shown = window.document_pane.browser.toPlainText()
        if event.documents:
            titles = [default_corpus.document_by_id[d].title for d in event.documents]
            assert any(title in shown for title in titles), (event.id, titles)
        elif event.sources:
            assert any(default_corpus.source_by_id[s].title in shown for s in event.sources), event.id
        else:
            assert "no document or source" in shown, event.id
