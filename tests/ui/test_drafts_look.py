"""Drafted records look like drafts in every pane: italic rows with a tag, a drafts filter, a badge on cards."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import QStyleOptionViewItem

from explorer.core.loader import load_corpus
from explorer.core.model import Corpus
from explorer.ui import cards
from explorer.ui.event_list import ALL_EVENTS, DRAFT_ROLE, DRAFTS_ONLY, HIDE_DRAFTS, EventDelegate, EventListPane
from explorer.ui.state import ExplorerState
from tests.support.corpora import TINY_FILES


@pytest.fixture
def drafted(make_corpus) -> Corpus:
    """The tiny corpus with one drafted event (ev-january) and one drafted document (doc-sept),
    whose title carries markup that must be shown as text."""
    events = TINY_FILES["events.yaml"].replace("            footnotes: [2]\n",
                                               "            footnotes: [2]\n            draft: true\n")
    documents = TINY_FILES["documents.yaml"].replace(
        "            title: Telegram from Shtykov to Vyshinsky\n",
        "            title: Telegram <b>from</b> Shtykov\n            draft: true\n")
    assert events != TINY_FILES["events.yaml"] and documents != TINY_FILES["documents.yaml"]
    return load_corpus(make_corpus({"events.yaml": events, "documents.yaml": documents}, name="drafted"))


def _pane(qtbot, corpus: Corpus) -> EventListPane:
    state = ExplorerState(corpus)
    pane = EventListPane(corpus, state)
    qtbot.addWidget(pane)
    pane.resize(320, 400)
    pane.show()
    return pane


def test_draft_rows_say_so(qtbot, drafted: Corpus) -> None:
    pane = _pane(qtbot, drafted)
    rows = {pane.proxy.index(r, 0).data(): pane.proxy.index(r, 0) for r in range(pane.proxy.rowCount())}
    assert rows["Stalin agrees to help"].data(DRAFT_ROLE) is True
    assert rows["Kim asks to attack"].data(DRAFT_ROLE) is False
    assert rows["Stalin agrees to help"].data(Qt.ItemDataRole.AccessibleTextRole).endswith(", draft")
    assert "A draft" in rows["Stalin agrees to help"].data(Qt.ItemDataRole.ToolTipRole)
    assert "draft" not in rows["Kim asks to attack"].data(Qt.ItemDataRole.AccessibleTextRole)


def _painted(pane: EventListPane, row: int) -> QImage:
    """The row as the delegate paints it, on white."""
    option = QStyleOptionViewItem()
    option.initFrom(pane.view)
    option.rect = QRect(0, 0, 300, 48)
    option.palette.setColor(QPalette.ColorRole.Base, QColor("white"))
    image = QImage(300, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    EventDelegate(pane.view).paint(painter, option, pane.proxy.index(row, 0))
    painter.end()
    return image


def _inked(image: QImage, left: int, right: int, top: int, bottom: int) -> int:
    return sum(image.pixelColor(x, y) != QColor("white") for x in range(left, right) for y in range(top, bottom))


def test_draft_rows_are_drawn_with_a_tag_and_in_italics(qtbot, drafted: Corpus) -> None:
    pane = _pane(qtbot, drafted)
    plain, draft = _painted(pane, 0), _painted(pane, 1)
    assert pane.proxy.index(1, 0).data(DRAFT_ROLE)
    # The tag sits at the end of the date line: ink there only on the draft's row.
    assert _inked(draft, 250, 292, 6, 20) > 20
    assert _inked(plain, 250, 292, 6, 20) == 0
    _date_font, title_font = EventDelegate()._fonts(QStyleOptionViewItem(), draft=True)
    assert title_font.italic() and not EventDelegate()._fonts(QStyleOptionViewItem())[1].italic()


def test_the_drafts_filter(qtbot, drafted: Corpus) -> None:
    pane = _pane(qtbot, drafted)
    assert pane.drafts_combo.isVisible()
    assert pane.drafts_combo.itemText(1) == "Drafts only (1)"
    pane.set_drafts(DRAFTS_ONLY)
    assert pane.visible_events() == ["ev-january"]
    assert pane.count_label.text() == "1 of 2 events"
    pane.set_drafts(HIDE_DRAFTS)
    assert pane.visible_events() == ["ev-march"]
    pane.set_person("kim")
    pane.set_drafts(DRAFTS_ONLY)  # with the person filter: Kim takes part in no drafted event
    assert pane.visible_events() == []
    assert pane.no_match_label.text() == "No drafted events with Kim Il Sung."
    pane.clear_filters()
    assert pane.drafts_combo.currentData() == ALL_EVENTS
    assert pane.visible_events() == ["ev-march", "ev-january"]


def test_no_drafts_filter_without_drafts(qtbot, tiny_corpus: Corpus) -> None:
    pane = _pane(qtbot, tiny_corpus)
    assert not pane.drafts_combo.isVisible()


def test_cards_of_drafts_carry_a_badge_and_escape_the_text(drafted: Corpus, tiny_corpus: Corpus) -> None:
    colours = cards.Colours("#777777", "a { color: #0000ff; }", "#eeeeff", "#cccccc")
    doc = drafted.document_by_id["doc-sept"]
    html = cards.document_card(drafted, doc, None, colours)
    assert cards.DRAFT_BADGE in html
    assert "Telegram &lt;b&gt;from&lt;/b&gt; Shtykov" in html and "<b>from</b>" not in html
    plain = cards.document_card(drafted, drafted.document_by_id["doc-jan"], None, colours)
    assert cards.DRAFT_BADGE not in plain
    assert "(draft)" in plain  # it also evidences the drafted event, marked in the list
    event = drafted.event_by_id["ev-january"]
    assert "DRAFT" in cards.event_header(drafted, event, colours)
    assert "DRAFT" not in cards.event_header(drafted, drafted.event_by_id["ev-march"], colours)
    assert cards.DRAFT_BADGE not in cards.document_card(tiny_corpus, tiny_corpus.document_by_id["doc-sept"], None,
                                                        colours)


def test_the_document_pane_shows_the_badge(qtbot, make_window, drafted: Corpus) -> None:
    window = make_window(drafted)
    for document, badged in (("doc-sept", True), ("doc-jan", False)):
        window.state.select(document)
        window.document_pane.render_now()
        assert ("DRAFT" in window.document_pane.browser.toPlainText()) is badged
