"""Zoom (Ctrl+plus / minus) reaches every pane; the View menu says what its items do (issue 10.9)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from explorer.core.model import Corpus
from explorer.ui.main_window import MainWindow


def sizes(window: MainWindow) -> dict[str, float]:
    note = window.passage_pane.note
    events = window.event_list
    return {
        "event rows": events.view.sizeHintForRow(0),
        "event filter": events.filter_edit.font().pointSizeF(),
        "audit table": window.audit_panel.view.font().pointSizeF(),
        "audit rows": window.audit_panel.view.rowHeight(0),
        "audit detail": window.audit_panel.detail.font().pointSizeF(),
        "note title": note.title.font().pointSizeF(),
        "note body": note.body.font().pointSizeF(),
        "essay": window.passage_pane.view.font().pointSizeF(),
        "document": window.document_pane.browser.font().pointSizeF(),
        "document marks": window.document_pane.font().pointSizeF(),
    }


def test_zoom_reaches_every_pane_and_back(qtbot, make_window, default_corpus: Corpus) -> None:
    window = make_window(default_corpus)
    assert window.show_finding("IBID_INTENT:23")
    before = sizes(window)
    for _ in range(2):
        qtbot.keyClick(window.passage_pane.view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert window.zoom.percent == 120
    after = sizes(window)
    assert window.passage_pane.note.title.font().bold()  # it keeps its weight
    grew = {name for name in before if after[name] > before[name]}
    assert grew == set(before), f"did not grow: {set(before) - grew}"
    qtbot.keyClick(window.passage_pane.view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert sizes(window) == before


def test_a_saved_zoom_applies_from_the_start(make_window, tiny_corpus: Corpus, settings) -> None:
    settings.zoom = 150
    window = make_window(tiny_corpus)
    plain = window.font().pointSizeF()
    assert window.event_list.view.font().pointSizeF() >= plain * 1.4
    assert window.audit_panel.view.font().pointSizeF() >= plain * 1.4


def test_the_view_menu_says_what_its_items_do(window: MainWindow) -> None:
    view = next(a.menu() for a in window.menuBar().actions() if a.text() == "&View")
    texts = [a.text().replace("&", "") for a in view.actions() if not a.isSeparator()]
    for text in ("Zoom In", "Zoom Out", "Actual Size", "Filter Events", "Go to Events", "Go to Document",
                 "Go to the Essay"):
        assert text in texts
    shortcuts = {a.text().replace("&", ""): a.shortcut().toString() for a in view.actions()}
    assert shortcuts["Go to Events"] == "Ctrl+1" and shortcuts["Go to the Essay"] == "Ctrl+3"
