"""Linking from the essay: a new event from selected words, a quote added to a record, a note linked to a
document; each through the essay's (or the note's) context menu, each one undoable edit."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QMenu

from explorer.ui.curation import ChooseRecordDialog
from explorer.ui.main_window import MainWindow


def _action(menu: QMenu, text: str):
    found = [a for a in menu.actions() if a.text() == text]
    assert found, f"no {text!r} in {[a.text() for a in menu.actions()]}"
    return found[0]


def _select(window: MainWindow, passage_id: str, words: str) -> None:
    """Select *words* of a passage in the essay view, as a drag would."""
    pane = window.passage_pane
    start = window.state.corpus.passage(passage_id).text.index(words)
    cursor = QTextCursor(pane.view.document())
    cursor.setPosition(pane.position_of(passage_id, start))
    cursor.setPosition(pane.position_of(passage_id, start + len(words)), QTextCursor.MoveMode.KeepAnchor)
    pane.view.setTextCursor(cursor)


def test_a_new_event_from_selected_words(window: MainWindow) -> None:
    state = window.state
    words = "Stalin said he was “ready to help him in this matter.”"
    _select(window, "p02", words)
    menu = window.curation.essay_menu(QPoint(4, 4))
    before = {e.id for e in state.corpus.events}
    _action(menu, "New Event from Selection").trigger()
    (new_id,) = {e.id for e in state.corpus.events} - before
    event = state.corpus.event_by_id[new_id]
    assert event.passages[0].passage == "p02" and event.passages[0].text == words
    assert words in state.corpus.passage("p02").text  # verbatim
    assert event.date.text == "1950-01-30" and event.date_label == "30 January 1950"  # its sentence's date
    assert event.title.startswith("Stalin said he was") and not event.draft
    assert event.footnotes == (2,)
    assert state.event_id == new_id  # the new event is selected
    assert "draft" not in window.edit_session.editable.render("events").split(f"id: {new_id}")[1]
    window.undo_stack.undo()
    assert new_id not in state.corpus.event_by_id and state.event_id != new_id
    assert new_id not in window.edit_session.editable.render("events")


def test_nothing_selected_makes_no_event_and_says_why(window: MainWindow) -> None:
    window.passage_pane.view.setTextCursor(QTextCursor(window.passage_pane.view.document()))
    menu = window.curation.essay_menu(QPoint(4, 4))
    assert not _action(menu, "New Event from Selection").isEnabled()
    window.curation.new_event_action.trigger()
    assert window.undo_stack.count() == 0
    assert "select some words of the essay first" in window.message_bar.text.text()


def test_a_selection_across_two_paragraphs_is_refused(window: MainWindow) -> None:
    pane = window.passage_pane
    cursor = QTextCursor(pane.view.document())
    cursor.setPosition(pane.position_of("p01", 3))
    cursor.setPosition(pane.position_of("p02", 5), QTextCursor.MoveMode.KeepAnchor)
    pane.view.setTextCursor(cursor)
    window.curation.new_event_action.trigger()
    assert window.undo_stack.count() == 0 and "within one paragraph" in window.message_bar.text.text()


def test_add_the_selection_as_a_quote_of_a_document(window: MainWindow) -> None:
    state = window.state
    words = "Stalin said he was"
    _select(window, "p02", words)
    _action(window.curation.essay_menu(QPoint(4, 4)), "Add as Quote to…").trigger()
    dialog = window.curation.dialog
    assert isinstance(dialog, ChooseRecordDialog) and "Stalin said he was" in dialog.label.text()
    assert dialog.chooser.choose("doc-jan")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert not dialog.isVisible()
    quotes = state.corpus.document_by_id["doc-jan"].quotes
    assert [(q.passage, q.text) for q in quotes][-1] == ("p02", words)
    assert quotes[-1].text in state.corpus.passage("p02").text
    window.undo_stack.undo()
    assert len(state.corpus.document_by_id["doc-jan"].quotes) == 1


def test_add_the_selection_as_a_quote_of_an_event_picked_by_typing(window: MainWindow) -> None:
    state = window.state
    _select(window, "p01", "Stalin refused.")
    window.curation.add_quote_action.trigger()
    dialog = window.curation.dialog
    assert isinstance(dialog, ChooseRecordDialog)
    dialog.chooser.setEditText("Event: Kim asks to attack — 1949-03 — ev-march")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert state.corpus.event_by_id["ev-march"].passages[-1].text == "Stalin refused."
    window.undo_stack.undo()
    assert len(state.corpus.event_by_id["ev-march"].passages) == 1


def test_link_the_open_note_to_a_document_from_its_context_menu(window: MainWindow) -> None:
    state = window.state
    state.select_footnote(1)
    assert "doc-jan" not in state.corpus.documents_by_footnote.get(1, ())
    menu = window.curation.note_menu(QPoint(4, 4))
    _action(menu, "Link Note 1 to Document…").trigger()
    dialog = window.curation.dialog
    assert isinstance(dialog, ChooseRecordDialog) and dialog.chooser.choose("doc-jan")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    assert state.corpus.document_by_id["doc-jan"].footnotes == (1, 2)
    assert "doc-jan" in state.corpus.documents_by_footnote[1]  # the note now cites it
    window.undo_stack.undo()
    assert state.corpus.document_by_id["doc-jan"].footnotes == (2,)


def test_a_footnote_markers_menu_links_its_note(window: MainWindow) -> None:
    pane = window.passage_pane
    cursor = QTextCursor(pane.view.document())
    cursor.setPosition(pane.marker_position(2) + 1)
    spot = pane.view.cursorRect(cursor).center() - QPoint(2, 0)
    assert pane.view.anchorAt(spot) == "fn:2"
    _action(window.curation.essay_menu(spot), "Link Note 2 to Document…").trigger()
    dialog = window.curation.dialog
    assert isinstance(dialog, ChooseRecordDialog) and dialog.chooser.choose("doc-jan")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()  # doc-jan already cites note 2
    assert dialog.isVisible() and "already linked" in window.message_bar.text.text()
    assert window.undo_stack.count() == 0


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard", "This plugin does not support raise")
def test_a_right_click_on_the_essay_opens_the_menu_with_the_links(window: MainWindow, qtbot) -> None:
    _select(window, "p02", "Stalin said")
    view = window.passage_pane.view
    assert view.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    view.customContextMenuRequested.emit(QPoint(8, 8))
    qtbot.waitUntil(lambda: isinstance(QApplication.activePopupWidget(), QMenu))
    menu = QApplication.activePopupWidget()
    texts = [a.text() for a in menu.actions()]
    assert "New Event from Selection" in texts and "Add as Quote to…" in texts
    assert any("Copy" in t for t in texts)  # the text's own menu is kept
    menu.close()
