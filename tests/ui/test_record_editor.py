"""The record editor, driven as a reader drives it: typing into its fields, choosing from its completers,
adding and removing rows, Apply, undo, redo, and saving the corpus back to its files."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from explorer.core.errors import CorpusError
from explorer.core.loader import RECORD_SCHEMAS, load_corpus
from explorer.ui.main_window import MainWindow
from explorer.ui.record_editor import APPLY, DISCARD, KEEP, RecordEditor
from explorer.ui.record_fields import (
    DateField,
    ListField,
    MappingForm,
    NumberField,
    ReferenceField,
    TextField,
)
from tests.support.corpora import DEFAULT_CORPUS, write_corpus
from tests.support.record_form import choose_completion, line_of, open_editor, retype

#: A completer's popup, on the offscreen platform, says these: about the platform, not the app.
popup_noise = pytest.mark.qt_log_ignore("This plugin does not support (grabbing the keyboard|raise)")


@pytest.fixture(autouse=True)
def no_modal_question(monkeypatch) -> list[str]:
    """The question about changes not applied answers Discard, and is recorded (a modal box would hang)."""
    asked: list[str] = []

    def answer(self: RecordEditor, title: str) -> str:
        asked.append(title)
        return DISCARD

    monkeypatch.setattr(RecordEditor, "_ask_unapplied", answer)
    return asked


def test_every_field_of_every_kind_is_in_the_form(window: MainWindow) -> None:
    for kind, record_id in (("events", "ev-march"), ("documents", "doc-sept"), ("people", "kim"),
                            ("sources", "weathersby-1995"), ("places", "moscow")):
        editor = open_editor(window, kind, record_id)
        assert set(editor.fields) == set(RECORD_SCHEMAS[kind]) - {"id"}
        assert not editor.is_dirty() and not editor.problems
        assert not editor.apply_button.isEnabled() and not editor.revert_button.isEnabled()
    doc = open_editor(window, "documents", "doc-sept")
    assert isinstance(doc.fields["date"], DateField) and isinstance(doc.fields["senders"], ListField)
    assert isinstance(doc.fields["locations"].rows[0], MappingForm)
    assert line_of(doc.fields["date"]).text() == "1949-09-03"
    location = doc.fields["locations"].rows[0]
    assert isinstance(location, MappingForm) and line_of(location.fields["fond"]).text() == "059a"
    assert isinstance(location.fields["footnote"], NumberField) and location.fields["footnote"].value() == 1


def test_a_catalogue_record_opens_with_every_field(make_window) -> None:
    window = make_window(load_corpus(DEFAULT_CORPUS))  # only read: nothing is applied or saved
    record = window.state.corpus.catalog[0]
    editor = window.record_editor.editor
    assert editor.edit("catalog", record.id)
    assert set(editor.fields) == set(RECORD_SCHEMAS["catalog"]) - {"id"} and not editor.problems


TINY_CATALOG = """
    catalog:
      - id: wcda-jan
        document: doc-jan
        catalogue: Wilson Center Digital Archive
        catalog_status: not-found
        searched: "Stalin Shtykov January 1950"
"""


def test_a_catalogue_record_is_edited_and_checked(make_window, tmp_path: Path, qtbot) -> None:
    window = make_window(load_corpus(write_corpus(tmp_path / "cat", {"catalog.yaml": TINY_CATALOG})))
    window.state.select_event("ev-january")
    editor = window.record_editor.editor
    window.record_editor.edit_action.trigger()
    assert "Catalogue record: wcda-jan" in [editor.chooser.itemText(i) for i in range(editor.chooser.count())]
    assert editor.edit("catalog", "wcda-jan")
    status = editor.fields["catalog_status"]
    combo = status.combo  # type: ignore[attr-defined]
    combo.setCurrentIndex(combo.findData("found"))
    combo.activated.emit(combo.currentIndex())
    assert editor.problem_labels["catalog_status"].text() == (
        "'wcda-jan' is found but does not give the catalogue's 'title'")
    assert not editor.apply_button.isEnabled()
    retype(qtbot, line_of(editor.fields["title"]), "Telegram from Stalin to Shtykov")
    assert editor.apply()
    record = window.state.corpus.catalog_by_id["wcda-jan"]
    assert (record.catalog_status, record.title) == ("found", "Telegram from Stalin to Shtykov")


def test_a_typed_date_is_echoed_in_words(window: MainWindow, qtbot) -> None:
    editor = open_editor(window, "events", "ev-march")
    date = editor.fields["date"]
    assert isinstance(date, DateField) and date.echo.text() == "March 1949"
    retype(qtbot, date.editor, "1950-03-30/1950-04-25")
    assert date.echo.text() == "between 30 March and 25 April 1950"
    assert editor.apply_button.isEnabled() and not editor.problem_labels["date"].isVisible()


def test_an_invalid_date_shows_the_checkers_message_and_apply_waits(window: MainWindow, qtbot, tmp_path: Path) -> None:
    editor = open_editor(window, "events", "ev-march")
    date = editor.fields["date"]
    assert isinstance(date, DateField)
    retype(qtbot, date.editor, "spring 1950")
    shown = editor.problem_labels["date"]
    assert shown.isVisible() and not date.echo.isVisible()
    assert not editor.apply_button.isEnabled()
    # explorer check, on a corpus whose file says the same, gives the very same message
    events = (window.state.corpus.path / "events.yaml").read_text(encoding="utf-8")
    bad = write_corpus(tmp_path / "bad", {"events.yaml": events.replace('"1949-03"', '"spring 1950"')})
    with pytest.raises(CorpusError) as raised:
        load_corpus(bad)
    assert [p.message for p in raised.value.problems] == [shown.text()]
    retype(qtbot, date.editor, "1949-03~")  # corrected: the message goes, Apply comes back
    assert not shown.isVisible() and editor.apply_button.isEnabled()
    assert date.echo.text() == "about March 1949"


@popup_noise
def test_a_person_is_picked_from_the_completer_into_the_senders(window: MainWindow, qtbot) -> None:
    editor = open_editor(window, "documents", "doc-jan")
    senders = editor.fields["senders"]
    assert isinstance(senders, ListField) and [r.value() for r in senders.rows] == ["stalin"]
    qtbot.mouseClick(senders.add_button, Qt.MouseButton.LeftButton)
    row = senders.rows[-1]
    assert isinstance(row, ReferenceField)
    qtbot.keyClicks(row.editor, "Shty")
    choose_completion(qtbot, row.completer, "Terentii Shtykov — shtykov")
    assert row.editor.text() == "shtykov" and row.name.text() == "Terentii Shtykov"
    assert editor.changes() == {"senders": ["stalin", "shtykov"]}
    qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    assert window.state.corpus.document_by_id["doc-jan"].senders == ("stalin", "shtykov")
    assert window.undo_stack.undoText() == "Edit Telegram from Stalin to Shtykov"
    assert "    senders: [stalin, shtykov]\n" in window.edit_session.editable.render("documents")


def test_the_completer_matches_every_name_form_and_the_id_with_case_and_diacritics_folded(
        window: MainWindow, qtbot) -> None:
    editor = open_editor(window, "events", "ev-march")
    participants = editor.fields["participants"]
    assert isinstance(participants, ListField)
    completer = participants.rows[0].completer  # type: ignore[attr-defined]
    for typed in ("Shty", "SHTYKÓV", "Teréntii", "shtyk", "htyko"):
        assert [c.id for c in completer.matches(typed)] == ["shtykov"], typed
    assert [c.id for c in completer.matches("vysh")] == ["vyshinsky"]
    assert {c.id for c in completer.matches("i")} >= {"kim", "stalin", "shtykov", "vyshinsky"}
    assert completer.matches("  ") == []


@popup_noise
def test_a_reference_to_no_record_is_named_in_place(window: MainWindow, qtbot) -> None:
    editor = open_editor(window, "events", "ev-march")
    participants = editor.fields["participants"]
    assert isinstance(participants, ListField)
    retype(qtbot, participants.rows[1].editor, "nobody")  # type: ignore[attr-defined]
    assert editor.problem_labels["participants"].text() == "'nobody' is not an id in people.yaml"
    assert not editor.apply_button.isEnabled()


def test_list_rows_are_added_moved_and_removed(window: MainWindow, qtbot) -> None:
    editor = open_editor(window, "events", "ev-march")
    footnotes = editor.fields["footnotes"]
    assert isinstance(footnotes, ListField)
    qtbot.mouseClick(footnotes.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(line_of(footnotes.rows[-1]), "2")
    assert footnotes.value() == [1, 2]
    footnotes.move_row(1, -1)
    assert footnotes.value() == [2, 1]
    qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    assert window.state.corpus.event_by_id["ev-march"].footnotes == (2, 1)
    participants = editor.fields["participants"]
    assert isinstance(participants, ListField) and participants.value() == ["kim", "stalin"]
    participants.remove_row(0)
    qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    assert window.state.corpus.event_by_id["ev-march"].participants == ("stalin",)
    window.undo_stack.undo()
    assert window.state.corpus.event_by_id["ev-march"].participants == ("kim", "stalin")
    assert [r.value() for r in editor.fields["participants"].rows] == ["kim", "stalin"]  # type: ignore[attr-defined]


def test_a_footnote_the_essay_lacks_is_flagged(window: MainWindow, qtbot) -> None:
    editor = open_editor(window, "events", "ev-march")
    footnotes = editor.fields["footnotes"]
    assert isinstance(footnotes, ListField)
    footnotes.add_row()
    qtbot.keyClicks(line_of(footnotes.rows[-1]), "7")
    assert editor.problem_labels["footnotes"].text() == "the essay has no footnote 7"
    assert not editor.apply_button.isEnabled()


def test_a_quote_is_added_in_its_subform_and_checked_against_its_passage(window: MainWindow, qtbot) -> None:
    editor = open_editor(window, "documents", "doc-sept")
    quotes = editor.fields["quotes"]
    assert isinstance(quotes, ListField) and quotes.rows == []
    quote = quotes.add_row()
    assert isinstance(quote, MappingForm)
    qtbot.keyClicks(line_of(quote.fields["passage"]), "p01")
    text = quote.fields["text"]
    assert isinstance(text, TextField)
    text.editor.setFocus()
    qtbot.keyClicks(text.editor, "Kim asked Stalin for permission")
    assert editor.problem_labels["quotes"].text().startswith("the quote is not a verbatim part of passage p01")
    assert not editor.apply_button.isEnabled()
    text.set_value("Kim asked Stalin for leave to attack")
    text.edited.emit()
    assert not editor.problems and editor.apply_button.isEnabled()
    assert editor.apply()
    assert window.state.corpus.document_by_id["doc-sept"].quotes[0].text == "Kim asked Stalin for leave to attack"


def test_an_event_quote_keeps_its_quote_key(window: MainWindow, qtbot) -> None:
    editor = open_editor(window, "events", "ev-january")
    quote = editor.fields["passages"].rows[0]  # type: ignore[attr-defined]
    assert isinstance(quote, MappingForm)
    text = quote.fields["text"]
    assert isinstance(text, TextField)
    text.set_value("Stalin said")
    text.edited.emit()
    assert editor.apply()
    assert '        quote: "Stalin said"\n' in window.edit_session.editable.render("events")


def test_apply_undo_and_redo_and_the_form_follows_them(window: MainWindow, qtbot) -> None:
    editor = open_editor(window, "events", "ev-march")
    title = editor.fields["title"]
    retype(qtbot, line_of(title), "Kim asks Stalin to attack")
    assert editor.revert_button.isEnabled()
    with qtbot.waitSignal(window.edit_session.records_changed):
        qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    assert window.state.corpus.event_by_id["ev-march"].title == "Kim asks Stalin to attack"
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == "Edit Kim asks Stalin to attack"
    assert not editor.is_dirty() and not editor.apply_button.isEnabled()
    window.undo_stack.undo()
    assert window.state.corpus.event_by_id["ev-march"].title == "Kim asks to attack"
    assert line_of(editor.fields["title"]).text() == "Kim asks to attack" and not editor.is_dirty()
    window.undo_stack.redo()
    assert line_of(editor.fields["title"]).text() == "Kim asks Stalin to attack"
    assert window.state.corpus.event_by_id["ev-march"].title == "Kim asks Stalin to attack"


def test_ctrl_return_in_a_field_applies(window: MainWindow, qtbot) -> None:
    editor = open_editor(window, "places", "moscow")
    line = line_of(editor.fields["name"])
    retype(qtbot, line, "Moskva")
    qtbot.keyClick(line, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert window.state.corpus.place_by_id["moscow"].name == "Moskva" and not editor.is_dirty()


def test_an_undo_keeps_the_changes_typed_and_not_applied(window: MainWindow, qtbot) -> None:
    editor = open_editor(window, "events", "ev-march")
    retype(qtbot, line_of(editor.fields["title"]), "Kim asks again")
    assert editor.apply()
    retype(qtbot, line_of(editor.fields["date_label"]), "spring 1949")
    window.undo_stack.undo()
    assert line_of(editor.fields["title"]).text() == "Kim asks to attack"
    assert line_of(editor.fields["date_label"]).text() == "spring 1949"
    assert editor.changes() == {"date_label": "spring 1949"} and editor.apply_button.isEnabled()


def test_revert_forgets_the_forms_changes(window: MainWindow, qtbot) -> None:
    editor = open_editor(window, "people", "kim")
    retype(qtbot, line_of(editor.fields["role"]), "chairman")
    assert editor.is_dirty()
    qtbot.mouseClick(editor.revert_button, Qt.MouseButton.LeftButton)
    assert line_of(editor.fields["role"]).text() == "DPRK leader" and not editor.is_dirty()
    assert window.undo_stack.count() == 0


def test_an_emptied_field_is_removed_and_a_required_one_is_flagged(window: MainWindow, qtbot) -> None:
    editor = open_editor(window, "people", "kim")
    retype(qtbot, line_of(editor.fields["name"]), "")
    assert editor.problem_labels["name"].text() == "the required key 'name' is missing in 'kim'"
    assert not editor.apply_button.isEnabled()
    editor.revert()
    retype(qtbot, line_of(editor.fields["role"]), "")
    assert editor.apply()
    assert window.state.corpus.person_by_id["kim"].role is None
    assert "role:" not in window.edit_session.editable.render("people").split("- id: stalin")[0]


def test_saved_files_change_only_on_the_edited_fields_lines(window: MainWindow, qtbot) -> None:
    root = window.state.corpus.path
    before = (root / "documents.yaml").read_text(encoding="utf-8")
    others = {name: (root / name).read_bytes() for name in ("events.yaml", "people.yaml", "sources.yaml")}
    editor = open_editor(window, "documents", "doc-sept")
    retype(qtbot, line_of(editor.fields["date"]), "1949-09-04")
    assert editor.apply()
    window.edit_session.editable.save()
    window.edit_session.mark_saved()
    after = (root / "documents.yaml").read_text(encoding="utf-8")
    changed = [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ['-    date: "1949-09-03"', '+    date: "1949-09-04"']
    reloaded = load_corpus(root)
    assert reloaded.document_by_id["doc-sept"] == window.state.corpus.document_by_id["doc-sept"]
    assert reloaded.document_by_id["doc-sept"].date.display() == "3 Sep 1949".replace("3", "4")
    assert {name: (root / name).read_bytes() for name in others} == others


def test_the_form_follows_the_selection_and_asks_about_changes_not_applied(window: MainWindow, qtbot) -> None:
    window.state.select_event("ev-march")
    editor = open_editor(window, "events", "ev-march")
    window.state.select_event("ev-january")
    assert editor.record_id == "ev-january"  # nothing changed: it just follows
    retype(qtbot, line_of(editor.fields["title"]), "Stalin agrees")
    asked: list[str] = []
    editor.ask_unapplied = lambda title: asked.append(title) or KEEP
    window.state.select_event("ev-march")
    assert asked == ["Stalin agrees to help"] and editor.record_id == "ev-january" and editor.is_dirty()
    editor.ask_unapplied = lambda title: DISCARD
    window.state.select_event("ev-january")
    window.state.select_event("ev-march")
    assert editor.record_id == "ev-march" and not editor.is_dirty()
    assert window.undo_stack.count() == 0


def test_the_chooser_offers_the_selected_records(window: MainWindow) -> None:
    window.state.select_event("ev-march")
    editor = open_editor(window, "events", "ev-march")
    texts = [editor.chooser.itemText(i) for i in range(editor.chooser.count())]
    assert texts == ["Event: Kim asks to attack", "Document: Telegram from Shtykov to Vyshinsky", "Place: Moscow"]
    editor.chooser.activated.emit(1)
    assert (editor.kind, editor.record_id) == ("documents", "doc-sept")
    editor.chooser.activated.emit(2)
    assert (editor.kind, editor.record_id) == ("places", "moscow")
    assert editor.chooser.currentText() == "Place: Moscow"
    window.state.select_event("ev-january")  # no place: the event, as the document pane would show it
    assert (editor.kind, editor.record_id) == ("documents", "doc-jan")


def test_a_person_linked_from_the_document_card_is_edited_from_its_menu(window: MainWindow) -> None:
    window.state.select_event("ev-march")
    pane = window.document_pane
    pane.render_now()
    found = pane.browser.document().find("Terentii Shtykov")
    assert not found.isNull()
    pos = pane.browser.cursorRect(found).center()
    pos.setX(pos.x() - 20)  # inside the link's words, not at its end
    actions = {a.text(): a for a in pane.context_menu(pos).actions()}
    assert "Edit…" in actions and "Edit the Linked Person…" in actions
    actions["Edit the Linked Person…"].trigger()
    editor = window.record_editor.editor
    assert (editor.kind, editor.record_id) == ("people", "shtykov")


def test_apply_keeps_the_form_and_where_it_was_scrolled(window: MainWindow, qtbot) -> None:
    window.record_editor.dock.resize(360, 300)
    editor = open_editor(window, "documents", "doc-sept")
    footnotes = editor.fields["footnotes"]
    assert isinstance(footnotes, ListField)
    footnotes.add_row()
    qtbot.keyClicks(line_of(footnotes.rows[-1]), "2")
    bar = editor.scroll_area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    where = bar.value()
    assert editor.apply()
    assert editor.fields["footnotes"] is footnotes and footnotes.value() == [1, 2]
    assert bar.value() == where > 0


def test_ctrl_e_edits_the_event_from_the_list_and_the_document_from_its_pane(window: MainWindow, qtbot) -> None:
    window.state.select_event("ev-january")
    window.event_list.view.setFocus()
    qtbot.waitUntil(window.event_list.view.hasFocus)
    qtbot.keyClick(window.event_list.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    editor = window.record_editor.editor
    assert window.record_editor.dock.isVisible() and (editor.kind, editor.record_id) == ("events", "ev-january")
    window.document_pane.render_now()
    window.document_pane.browser.setFocus()
    window.record_editor.edit_action.trigger()
    assert (editor.kind, editor.record_id) == ("documents", "doc-jan")


def test_edit_from_the_event_rows_and_the_document_card(window: MainWindow, qtbot) -> None:
    events = window.event_list
    index = events.index_of("ev-january")
    rect = events.view.visualRect(index)
    qtbot.mouseClick(events.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(events.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = window.record_editor.editor
    assert (editor.kind, editor.record_id) == ("events", "ev-january")
    menu = events.context_menu(events.index_of("ev-march"))
    assert menu is not None and [a.text() for a in menu.actions()] == ["Edit…"]
    menu.actions()[0].trigger()
    assert editor.record_id == "ev-march"
    window.state.select_person("vyshinsky")
    window.document_pane.render_now()
    card_menu = window.document_pane.context_menu(window.document_pane.browser.rect().center())
    card_menu.actions()[-1].trigger()
    assert card_menu.actions()[-1].text() == "Edit…" and (editor.kind, editor.record_id) == ("people", "vyshinsky")


def test_the_editor_shows_corpus_text_as_plain_text(make_window, tmp_path: Path) -> None:
    from tests.support.corpora import TINY_FILES

    people = TINY_FILES["people.yaml"].replace("name: Terentii Shtykov", 'name: "<b>Shtykov</b> & <i>co</i>"')
    window = make_window(load_corpus(write_corpus(tmp_path / "marked", {"people.yaml": people})))
    window.state.select_person("shtykov")
    editor = open_editor(window, "people", "shtykov")
    assert line_of(editor.fields["name"]).text() == "<b>Shtykov</b> & <i>co</i>"
    assert editor.chooser.currentText() == "Person: <b>Shtykov</b> & <i>co</i>"
    labels = editor.findChildren(QLabel)
    assert labels and all(label.textFormat() == Qt.TextFormat.PlainText for label in labels)
    chooser = editor.chooser  # its tool tips too: Qt takes a tip that looks like HTML for HTML
    for tip in (chooser.toolTip(), chooser.itemData(chooser.currentIndex(), Qt.ItemDataRole.ToolTipRole)):
        assert "Person: <b>Shtykov</b> & <i>co</i>" in _tip_as_shown(tip)


def _tip_as_shown(tip: str) -> str:
    """The text a tool tip shows: Qt renders it as HTML when it looks like HTML (Qt::mightBeRichText)."""
    from PySide6.QtGui import Qt as GuiQt
    from PySide6.QtGui import QTextDocument

    if not GuiQt.mightBeRichText(tip):
        return tip
    document = QTextDocument()
    document.setHtml(tip)
    return document.toPlainText()


def test_a_record_undone_away_clears_the_form(window: MainWindow, qtbot) -> None:
    from explorer.core.corpus_edit import InsertRecord

    window.edit_session.push(InsertRecord("places", {"id": "seoul", "name": "Seoul"}))
    editor = open_editor(window, "places", "seoul")
    window.undo_stack.undo()
    assert editor.kind == "" and not editor.fields and "no longer in the corpus" in editor.general.text()
    assert not editor.apply_button.isEnabled()


def test_closing_the_window_asks_about_changes_not_applied(window: MainWindow, qtbot) -> None:
    editor = open_editor(window, "people", "kim")
    retype(qtbot, line_of(editor.fields["role"]), "chairman")
    editor.ask_unapplied = lambda title: KEEP
    assert not window.close() and window.isVisible() and editor.is_dirty()
    editor.ask_unapplied = lambda title: APPLY
    assert not window.close()  # applied: the edit is now unsaved, and the window asks whether to save it
    assert window.state.corpus.person_by_id["kim"].role == "chairman" and window.close_prompt is not None
    with qtbot.waitSignal(window.closed):
        window.close_prompt.button(QMessageBox.StandardButton.Save).click()
    assert "chairman" in (window.corpus.path / "people.yaml").read_text(encoding="utf-8")


def test_the_question_is_asked_only_with_changes_not_applied(window: MainWindow, qtbot,
                                                               no_modal_question: list[str]) -> None:
    editor = open_editor(window, "events", "ev-march")
    window.state.select_event("ev-january")
    assert no_modal_question == [] and editor.record_id == "ev-january"
    retype(qtbot, line_of(editor.fields["date_label"]), "late January")
    window.state.select_event("ev-march")
    assert no_modal_question == ["Stalin agrees to help"] and editor.record_id == "ev-march"


def test_the_dock_first_opens_at_a_third_of_the_window(window: MainWindow, qtbot) -> None:
    window.resize(1024, 700)
    open_editor(window, "events", "ev-march")
    dock = window.record_editor.dock
    qtbot.waitUntil(lambda: dock.width() >= 380)
    body = window.record_editor.editor.body
    assert body is not None and body.width() <= window.record_editor.editor.scroll_area.viewport().width()


@pytest.mark.parametrize(("kind", "record_id"), [
    ("events", "yalta-agreement-1945"), ("documents", "nsc-48"), ("people", "kim-il-sung"),
    ("sources", "captured-north-korean-documents")])
def test_on_a_laptop_no_field_is_cut_or_touches_the_scroll_bar(
        make_window, default_corpus, qtbot, kind: str, record_id: str) -> None:
    window = make_window(default_corpus)
    window.resize(1024, 700)
    editor = open_editor(window, kind, record_id)
    qtbot.waitUntil(lambda: window.record_editor.dock.width() >= 380)
    area = editor.scroll_area
    body = area.widget()
    assert body is not None and area.horizontalScrollBar().maximum() == 0
    room = area.viewport().width() - 4  # a field's frame and focus ring clear of the scroll bar
    shown = [w for w in body.findChildren(QWidget) if w.isVisibleTo(body) and w.parentWidget() is not None]
    assert shown
    cut = [(type(w).__name__, w.mapTo(area.viewport(), w.rect().topRight()).x())
           for w in shown if w.mapTo(area.viewport(), w.rect().topRight()).x() >= room]
    assert not cut, (cut, room)
