"""The panes follow every record edit at once, with no reload: the event list, the document card, the essay's
marks and open note, the status line, the views, the search index and the audit."""

from __future__ import annotations

import datetime as dt

from explorer.core.corpus_edit import DeleteRecord, InsertRecord, SetField
from explorer.ui.main_window import MainWindow
from explorer.ui.views.timeline import TimelinePane
from tests.support.launching import Deferred


def _tooltip(window: MainWindow, event_id: str) -> str:
    from PySide6.QtCore import Qt

    return str(window.event_list.index_of(event_id).data(Qt.ItemDataRole.ToolTipRole))


def test_a_renamed_person_shows_in_the_list_the_card_and_the_filter(window: MainWindow, qtbot) -> None:
    state, panes = window.state, window.event_list
    state.select_document("doc-sept")
    window.document_pane.render_now()
    assert "Shtykov" in window.document_pane.browser.toPlainText()
    panes.filter_edit.setText("Shtykovsky")
    panes._on_filter_changed()
    assert panes.visible_events() == []
    window.edit_session.push(SetField("people", "shtykov", "name", "Terentii Shtykovsky"))
    # no timer, no reload: the card shown is already the new one
    assert "Terentii Shtykovsky" in window.document_pane.browser.toPlainText()
    assert panes.visible_events() == []  # doc-sept's sender is in no event's participants
    panes.filter_edit.setText("Stalin Joe")
    panes._on_filter_changed()
    assert panes.visible_events() == []
    window.edit_session.push(SetField("people", "stalin", "spellings", ["Stalin", "Joe"]))
    assert panes.visible_events() == ["ev-march", "ev-january"]  # the filter decided again with the new names
    window.edit_session.push(SetField("people", "stalin", "name", "Iosif Stalin"))
    assert "With Kim Il Sung, Iosif Stalin." in _tooltip(window, "ev-march")
    window.undo_stack.undo()
    assert "With Kim Il Sung, Joseph Stalin." in _tooltip(window, "ev-march")


def test_a_redated_event_moves_in_the_list_and_stays_selected(window: MainWindow, qtmodeltester) -> None:
    state, panes = window.state, window.event_list
    qtmodeltester.check(panes.proxy)  # and it keeps watching: the moves below must keep the model sound
    state.select_event("ev-march")
    assert panes.visible_events() == ["ev-march", "ev-january"]
    window.edit_session.push(SetField("events", "ev-march", "date", "1950-02"))
    assert panes.visible_events() == ["ev-january", "ev-march"]
    assert panes.current_event() == "ev-march" and state.event_id == "ev-march"
    assert window.status_line.text().startswith("Event 2 of 2: ")
    window.edit_session.push(SetField("events", "ev-march", "title", "Kim asks again"))
    assert window.event_list.index_of("ev-march").data() == "Kim asks again"
    assert "Kim asks again" in window.status_line.text()
    assert "Kim asks again" in window.document_pane.event_label.text()
    panes.filter_edit.setText("asks")
    panes._on_filter_changed()
    assert panes.visible_events() == ["ev-march"]
    window.edit_session.push(SetField("events", "ev-march", "date", "1949-01"))  # moves back, filtered
    assert panes.visible_events() == ["ev-march"] and panes.current_event() == "ev-march"
    window.edit_session.push(SetField("events", "ev-january", "summary", "Stalin asks for nothing."))
    assert panes.visible_events() == ["ev-march", "ev-january"]  # now it matches the filter too


def test_an_added_and_a_removed_event_appear_and_go(window: MainWindow) -> None:
    panes = window.event_list
    window.edit_session.push(InsertRecord("events", {
        "id": "ev-june", "date": "1950-06-25", "title": "The attack", "summary": "The war begins.",
        "participants": ["kim"]}))
    assert panes.visible_events() == ["ev-march", "ev-january", "ev-june"]
    assert panes.count_label.text() == "3 events"
    assert panes.drafts_combo.isHidden()  # no drafts yet
    window.edit_session.push(SetField("events", "ev-june", "draft", True))
    assert not panes.drafts_combo.isHidden() and panes.drafts_combo.itemText(1) == "Drafts only (1)"
    assert panes.person_combo.findData("kim") >= 0 and "(2)" in panes.person_combo.itemText(
        panes.person_combo.findData("kim"))
    window.state.select_event("ev-june")
    window.edit_session.push(DeleteRecord("events", "ev-june"))
    assert panes.visible_events() == ["ev-march", "ev-january"] and window.state.event_id is None
    assert panes.count_label.text() == "2 events"


def test_the_essay_marks_and_the_open_note_follow(window: MainWindow) -> None:
    state, essay = window.state, window.passage_pane
    state.select_event("ev-march")
    assert essay.highlighted_text() == ["In March 1949 Kim asked Stalin for leave to attack."]
    window.edit_session.push(SetField("events", "ev-march", "passages",
                                      [{"passage": "p01", "quote": "Kim asked Stalin"}]))
    assert essay.highlighted_text() == ["Kim asked Stalin"]
    state.select_footnote(1)
    assert "Telegram from Shtykov to Vyshinsky" in essay.note.body.toPlainText()
    window.edit_session.push(SetField("documents", "doc-sept", "title", "Shtykov's telegram of 3 September"))
    assert "Shtykov's telegram of 3 September" in essay.note.body.toPlainText()
    assert essay.view.toPlainText().count("Kim asked Stalin") == 1  # the essay's text never changes


def test_the_search_index_follows(window: MainWindow, qtbot) -> None:
    search = window.search_panel
    search.field.setText("Shtykovsky")
    search.run_query()
    qtbot.waitUntil(lambda: search.index is not None)
    search.run_query()
    assert search.hits == []
    window.edit_session.push(SetField("people", "shtykov", "name", "Terentii Shtykovsky"))
    assert {h.kind for h in search.hits} >= {"person"}
    window.undo_stack.undo()
    assert search.hits == []


def test_the_audit_runs_again_after_edits_pause(window: MainWindow, qtbot) -> None:
    audit = window.audit
    before = audit.findings
    assert before is not None
    audit.rerun_timer.setInterval(20)  # the pause it waits for (1.5 s in the window)
    window.edit_session.push(SetField("documents", "doc-sept", "footnotes", []))
    assert audit.findings is before and audit.rerun_timer.isActive()  # not at once: edits in a row audit once
    with qtbot.waitSignal(audit.finished, timeout=3000):
        pass
    assert audit.corpus is window.state.corpus and audit.findings is not before


def test_the_timeline_is_laid_again_when_shown(window: MainWindow) -> None:
    timeline: TimelinePane = window.timeline
    assert not timeline.canvas.built
    window.edit_session.push(SetField("events", "ev-march", "date", "1948-01"))
    assert not timeline.canvas.built  # hidden: nothing built
    window.timeline_dock.show()
    assert timeline.canvas.timeline.extent()[0] == dt.date(1948, 1, 1).toordinal()
    window.edit_session.push(SetField("events", "ev-march", "date", "1949-03"))
    assert not timeline.canvas.built  # laid again when next painted
    assert timeline.canvas.timeline.extent()[0] == dt.date(1949, 3, 1).toordinal()


def test_an_audit_let_go_by_an_edit_is_never_shown(make_window, tiny_corpus) -> None:
    pool = Deferred()
    window: MainWindow = make_window(tiny_corpus, submit=pool)
    audit = window.audit
    first = pool.jobs[:]  # the audit of the corpus as opened, still running
    pool.jobs.clear()
    window.edit_session.push(SetField("documents", "doc-sept", "footnotes", []))
    audit.rerun_timer.timeout.emit()  # the edits paused
    for work in first:
        work()  # the old run ends late: its findings are about a corpus no longer shown
    assert audit.findings is None
    pool.run()  # the search index may be among them; the audit of the edited corpus
    assert audit.findings is not None and audit.corpus is window.state.corpus


def test_the_card_rendered_again_keeps_its_place(window: MainWindow) -> None:
    window.resize(900, 400)  # a card longer than the pane
    window.state.select_document("doc-sept")
    pane = window.document_pane
    pane.render_now()
    bar = pane.browser.verticalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    window.edit_session.push(SetField("documents", "doc-sept", "title", "Shtykov's telegram"))
    assert "Shtykov's telegram" in pane.browser.toPlainText() and bar.value() == bar.maximum() > 0


def test_the_correspondence_counts_again(window: MainWindow) -> None:
    pane = window.correspondence
    window.correspondence_dock.show()
    assert ("shtykov", "vyshinsky") in {(e.sender, e.recipient) for e in pane.canvas.edges}
    window.edit_session.push(SetField("documents", "doc-sept", "senders", ["stalin"]))
    edges = {(e.sender, e.recipient) for e in pane.canvas.edges}
    assert ("stalin", "vyshinsky") in edges and ("shtykov", "vyshinsky") not in edges
    window.correspondence_dock.hide()
    window.edit_session.push(SetField("documents", "doc-sept", "senders", ["kim"]))
    assert not pane.canvas.built  # hidden: counted when next shown
    window.correspondence_dock.show()
    assert ("kim", "vyshinsky") in {(e.sender, e.recipient) for e in pane.canvas.edges}
