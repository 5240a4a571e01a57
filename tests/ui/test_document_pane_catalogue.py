"""The document card's "As cited / As catalogued" section and its catalogue link."""

from __future__ import annotations

from PySide6.QtCore import QUrl

from explorer.core.loader import load_corpus
from explorer.core.model import Corpus
from explorer.ui import document_pane
from explorer.ui.document_pane import DocumentPane
from explorer.ui.state import ExplorerState
from tests.ui.helpers import click_link

URL = "https://digitalarchive.wilsoncenter.org/document/1"


def _record(title: str = "Telegram", frm: str = "[Tunkin]", status: str = "found") -> str:
    return f"""catalog:
  - id: cat-sept
    document: doc-sept
    catalogue: Wilson Center Digital Archive
    catalog_status: {status}
    record_id: "88599"
    url: "{URL}"
    title: {title}
    date: "1949-09-03"
    from: {frm}
    to: [Vyshinsky]
    parsed_location: []
    searched: "Searches for 'Shtykov to Vyshinsky'"
    read_on: "2026-11-29"
"""


def make_pane(qtbot, corpus: Corpus, document: str) -> tuple[DocumentPane, ExplorerState]:
    state = ExplorerState(corpus)
    pane = DocumentPane(corpus, state)
    qtbot.addWidget(pane)
    pane.resize(700, 900)
    pane.show()
    state.select_document(document)
    pane.render_now()
    return pane, state


def test_the_card_of_note_20s_document_shows_both_dates_and_marks_the_difference(qtbot, default_corpus) -> None:
    (doc,) = default_corpus.documents_by_footnote[20]
    pane, _ = make_pane(qtbot, default_corpus, doc)
    text = pane.browser.toPlainText()
    assert "As cited / As catalogued · Wilson Center Digital Archive" in text
    assert "Date\n29 May 1950\n30 May 1950\ndiffers" in text
    assert "Recipient\nJoseph Stalin\nVyshinsky (for the Politburo)\ndiffers" in text
    assert "Sender\nTerentii Fomich Shtykov\nShtykov\n" in text
    assert "Sender\nTerentii Fomich Shtykov\nShtykov\ndiffers" not in text  # the same man is no difference
    assert "Wilson Center Digital Archive, record 114908" in text
    html = pane.browser.toHtml()
    differs = document_pane.cards.Colours.of(pane.palette()).differs
    assert html.count(f'bgcolor="{differs}"') == 8  # two rows of four cells, from the palette


def test_a_hostile_catalogue_title_shows_literally(qtbot, make_corpus) -> None:
    hostile = "<b>bold</b> <a href='https://evil.example/'>x</a> &amp;"
    corpus = load_corpus(make_corpus({"catalog.yaml": _record(title=f'"{hostile}"')}))
    pane, _ = make_pane(qtbot, corpus, "doc-sept")
    assert hostile in pane.browser.toPlainText()
    anchors = {f.charFormat().anchorHref() for f in _fragments(pane)}
    assert URL in anchors and "https://evil.example/" not in anchors  # no link made from the title


def _fragments(pane: DocumentPane):
    block = pane.browser.document().begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            yield it.fragment()
            it += 1
        block = block.next()


def test_the_catalogue_link_opens_in_the_system_browser_only_on_a_click(qtbot, make_corpus, monkeypatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(document_pane, "open_in_system_browser", lambda url: opened.append(url) or True)
    corpus = load_corpus(make_corpus({"catalog.yaml": _record()}))
    pane, state = make_pane(qtbot, corpus, "doc-sept")
    text = pane.browser.toPlainText()
    assert "Sender\nTerentii Shtykov\nTunkin\ndiffers" in text
    assert opened == []  # showing the card opens nothing
    click_link(qtbot, pane.browser, URL)
    assert [u.toString() for u in opened] == [URL]
    assert state.selection.document == "doc-sept"  # the click is not taken for one of the app's links


def test_a_record_not_found_says_what_was_searched(qtbot, make_corpus) -> None:
    corpus = load_corpus(make_corpus({"catalog.yaml": _record(status="not-found")}))
    pane, _ = make_pane(qtbot, corpus, "doc-sept")
    text = pane.browser.toPlainText()
    assert "Not found in the catalogue (entry cat-sept)." in text
    assert "Searched  Searches for 'Shtykov to Vyshinsky'" in text
    assert "As catalogued\n" not in text


def test_a_document_without_catalogue_records_shows_no_section(qtbot, tiny_corpus) -> None:
    assert not tiny_corpus.catalog_by_document.get("doc-sept")
    pane, _ = make_pane(qtbot, tiny_corpus, "doc-sept")
    assert "As cited / As catalogued" not in pane.browser.toPlainText()
    assert "As catalogued" not in pane.browser.toHtml()
