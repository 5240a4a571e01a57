"""Curating in the window: confirm, reject and review drafts; merge two records; each one undoable step."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu, QMessageBox

from explorer.core.errors import CorpusError
from explorer.core.loader import load_corpus
from explorer.ui.curation import MergeDialog, ReviewDraftsDialog
from explorer.ui.main_window import MainWindow
from tests.support.corpora import TINY_FILES, write_corpus

DRAFTED_EVENTS = TINY_FILES["events.yaml"].replace(
    "            footnotes: [1]\n", "            footnotes: [1]\n            draft: true\n").replace(
    "            footnotes: [2]\n", "            footnotes: [2]\n            draft: true\n")
DRAFTED_DOCUMENTS = TINY_FILES["documents.yaml"].replace(
    "            footnotes: [1]\n", "            footnotes: [1]\n            draft: true\n")
# The same man drafted twice, and the same telegram drafted twice (from two notes).
TWICE_PEOPLE = TINY_FILES["people.yaml"] + """
          - id: iosif-stalin
            name: I. V. Stalin
            spellings: [Filippov]
            draft: true
"""
TWICE_DOCUMENTS = TINY_FILES["documents.yaml"].replace("senders: [stalin]", "senders: [iosif-stalin]") + """
          - id: doc-jan-copy
            kind: ciphered-telegram
            title: Stalin to Shtykov (ciphered)
            date: "1950-01-30"
            senders: [iosif-stalin]
            recipients: [shtykov]
            footnotes: [1]
            draft: true
"""
TWICE_EVENTS = TINY_FILES["events.yaml"].replace("documents: [doc-jan, doc-sept]",
                                                 "documents: [doc-jan-copy, doc-sept]")


def _action(menu: QMenu, text: str):
    found = [a for a in menu.actions() if a.text() == text]
    assert found, f"no {text!r} in {[a.text() for a in menu.actions()]}"
    return found[0]


@pytest.fixture
def drafted(make_window, tmp_path: Path) -> MainWindow:
    root = write_corpus(tmp_path / "drafted", {"events.yaml": DRAFTED_EVENTS, "documents.yaml": DRAFTED_DOCUMENTS})
    return make_window(load_corpus(root))


@pytest.fixture
def twice(make_window, tmp_path: Path) -> MainWindow:
    root = write_corpus(tmp_path / "twice", {"people.yaml": TWICE_PEOPLE, "documents.yaml": TWICE_DOCUMENTS,
                                             "events.yaml": TWICE_EVENTS})
    return make_window(load_corpus(root))


def test_one_key_confirms_the_selected_draft_and_undo_brings_it_back(drafted: MainWindow, qtbot) -> None:
    state, session = drafted.state, drafted.edit_session
    state.select_event("ev-march")
    drafted.event_list.view.setFocus()
    assert drafted.curation.confirm_action.shortcut().toString() == "Ctrl+Shift+Return"
    with qtbot.waitSignal(session.records_changed):
        qtbot.keyClick(drafted.event_list.view, Qt.Key.Key_Return,
                       Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert not state.corpus.event_by_id["ev-march"].draft
    assert state.corpus.event_by_id["ev-january"].draft  # only the selected one
    assert session.editable.render("events").count("draft: true") == 1
    assert drafted.undo_stack.undoText() == "Confirm Kim asks to attack"
    drafted.undo_stack.undo()
    assert state.corpus.event_by_id["ev-march"].draft


def test_the_document_pane_has_the_focus_so_its_document_is_confirmed(drafted: MainWindow) -> None:
    state = drafted.state
    state.select_event("ev-march")
    assert state.document == "doc-sept"
    assert drafted.curation.selected_record(drafts_only=True) == ("events", "ev-march")
    drafted.document_pane.browser.setFocus()
    assert drafted.curation.selected_record(drafts_only=True) == ("documents", "doc-sept")
    drafted.curation.confirm_action.trigger()
    assert not state.corpus.document_by_id["doc-sept"].draft and state.corpus.event_by_id["ev-march"].draft


def test_the_edit_menu_has_the_curating_actions(drafted: MainWindow) -> None:
    edit_menu = next(a.menu() for a in drafted.menuBar().actions() if a.text() == "&Edit")
    texts = [a.text() for a in edit_menu.actions()]
    for action in (drafted.curation.confirm_action, drafted.curation.review_action, drafted.curation.merge_action,
                   drafted.curation.new_event_action, drafted.curation.link_note_action):
        assert action.text() in texts


def test_an_event_rows_context_menu_confirms_that_event(drafted: MainWindow) -> None:
    view = drafted.event_list.view
    row = drafted.event_list.index_of("ev-january")
    menu = drafted.curation.event_menu(view.visualRect(row).center())
    confirm = _action(menu, "Confirm Draft")
    assert confirm.isEnabled()
    confirm.trigger()
    assert not drafted.state.corpus.event_by_id["ev-january"].draft


def test_review_drafts_confirms_the_checked_ones_as_one_step(drafted: MainWindow) -> None:
    curation, state = drafted.curation, drafted.state
    curation.review_action.trigger()
    dialog = curation.dialog
    assert isinstance(dialog, ReviewDraftsDialog) and dialog.isVisible()
    assert dialog.kind == "events" and dialog.checked() == ["ev-march", "ev-january"]  # every one checked
    assert dialog.lists["events"].item(0).text().endswith("Kim asks Stalin for permission and is refused.")
    assert dialog.lists["documents"].count() == 1 and dialog.lists["people"].count() == 0
    dialog.lists["events"].item(1).setCheckState(Qt.CheckState.Unchecked)
    before = drafted.undo_stack.count()
    dialog.confirm_button.click()
    assert drafted.undo_stack.count() == before + 1
    assert not state.corpus.event_by_id["ev-march"].draft and state.corpus.event_by_id["ev-january"].draft
    assert dialog.lists["events"].count() == 1  # what is left to review
    dialog.lists["events"].item(0).setCheckState(Qt.CheckState.Checked)
    dialog.confirm_button.click()
    assert not any(e.draft for e in state.corpus.events) and dialog.lists["events"].count() == 0
    drafted.undo_stack.undo()
    drafted.undo_stack.undo()
    assert all(e.draft for e in state.corpus.events)


def test_rejecting_a_draft_lists_the_references_it_removes(drafted: MainWindow) -> None:
    curation, state = drafted.curation, drafted.state
    state.select_document("doc-sept")
    drafted.document_pane.browser.setFocus()
    menu = curation.document_menu(drafted.document_pane.browser.rect().center())
    _action(menu, "Reject Draft…").trigger()
    box = curation.dialog
    assert isinstance(box, QMessageBox) and "doc-sept" in box.text()
    assert "ev-march (events, documents)" in box.informativeText()
    assert "ev-january (events, documents)" in box.informativeText()
    box.button(QMessageBox.StandardButton.Yes).click()
    assert "doc-sept" not in state.corpus.document_by_id
    assert state.corpus.event_by_id["ev-january"].documents == ("doc-jan",)
    assert "doc-sept" not in drafted.edit_session.editable.render("events")
    assert state.document is None
    drafted.undo_stack.undo()
    assert state.corpus.event_by_id["ev-january"].documents == ("doc-jan", "doc-sept")


def test_a_rejection_cancelled_changes_nothing(drafted: MainWindow) -> None:
    drafted.curation.ask_reject("events", "ev-march")
    box = drafted.curation.dialog
    assert isinstance(box, QMessageBox) and "Nothing refers to it." in box.informativeText()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert "ev-march" in drafted.state.corpus.event_by_id and drafted.undo_stack.count() == 0


def test_merge_two_people_rewires_every_reference_and_keeps_the_name_forms(twice: MainWindow) -> None:
    curation, state, editable = twice.curation, twice.state, twice.edit_session.editable
    state.select_person("iosif-stalin")
    curation.merge_action.trigger()
    dialog = curation.dialog
    assert isinstance(dialog, MergeDialog) and dialog.kind == "people"
    assert dialog.remove_chooser.chosen() == ("people", "iosif-stalin")
    assert not dialog.merge_button.isEnabled()
    dialog.keep_chooser.setEditText("Joseph Stalin — stalin")  # typed as the completer offers it
    assert dialog.keep_chooser.chosen() == ("people", "stalin") and dialog.merge_button.isEnabled()
    assert "2 references rewired" in dialog.preview.text()
    assert "Name forms kept: I. V. Stalin, Filippov." in dialog.preview.text()
    dialog.merge_button.click()
    assert not dialog.isVisible()
    assert "iosif-stalin" not in state.corpus.person_by_id
    for kind in ("documents", "events"):
        assert "iosif-stalin" not in editable.render(kind)
    assert state.corpus.document_by_id["doc-jan"].senders == ("stalin",)
    assert state.corpus.document_by_id["doc-jan-copy"].senders == ("stalin",)
    assert state.corpus.person_by_id["stalin"].spellings == ("Stalin", "I. V. Stalin", "Filippov")
    assert state.selection.person == "stalin"  # the kept one is selected, the removed one let go
    twice.undo_stack.undo()
    assert state.corpus.document_by_id["doc-jan"].senders == ("iosif-stalin",)
    assert state.corpus.person_by_id["stalin"].spellings == ("Stalin",)


def test_merge_two_documents_that_are_one_telegram(twice: MainWindow) -> None:
    curation, state = twice.curation, twice.state
    state.select_event("ev-january")
    state.select_document("doc-jan-copy")
    menu = curation.document_menu(twice.document_pane.browser.rect().center())
    _action(menu, "Merge Into…").trigger()
    dialog = curation.dialog
    assert isinstance(dialog, MergeDialog)
    assert dialog.remove_chooser.chosen() == ("documents", "doc-jan-copy")
    assert dialog.keep_chooser.choose("doc-jan")
    assert "1 reference rewired: ev-january (documents)." in dialog.preview.text()
    dialog.merge_button.click()
    merged = state.corpus.document_by_id["doc-jan"]
    assert "doc-jan-copy" not in state.corpus.document_by_id
    assert merged.footnotes == (1, 2)  # the notes citing either
    assert state.corpus.event_by_id["ev-january"].documents == ("doc-jan", "doc-sept")
    assert "Merged with doc-jan-copy" in (merged.note or "")
    assert state.document == "doc-jan"
    twice.undo_stack.undo()
    assert "doc-jan-copy" in state.corpus.document_by_id
    assert state.corpus.event_by_id["ev-january"].documents == ("doc-jan-copy", "doc-sept")


COPY_KEY = "doc:ciphered-telegram:stalin>shtykov:1950-01-30#doc=doc-jan-copy"
KEPT_KEY = "doc:ciphered-telegram:stalin>shtykov:1950-01-30#doc=doc-jan"


def _marked_twice(make_window, tmp_path: Path, marks: dict[str, str]):
    """The "twice" corpus with *marks* (key -> note) stored, and the window's opened marks file."""
    from explorer.store.marks import MARKS_FILENAME, MarkStore
    from explorer.ui.marks_book import MarkBook, open_marks

    root = write_corpus(tmp_path / "twice", {"people.yaml": TWICE_PEOPLE, "documents.yaml": TWICE_DOCUMENTS,
                                             "events.yaml": TWICE_EVENTS})
    path = tmp_path / "data" / MARKS_FILENAME
    path.parent.mkdir(parents=True)
    with MarkStore.open(path) as store:
        for key, note in marks.items():
            store.set_mark("tiny", key, "verified", note, footnote=1, label="Stalin to Shtykov")
    opened = open_marks(path)
    return make_window(load_corpus(root), marks=MarkBook(opened, "tiny")), opened


def test_merging_a_marked_document_away_moves_its_marks_in_the_same_undo_step(make_window, tmp_path: Path) -> None:
    """Marks are stored under the document's id: merged away, they move to the kept one; undo moves them back."""
    window, opened = _marked_twice(make_window, tmp_path, {COPY_KEY: "read in the archive"})
    try:
        curation, marks = window.curation, window.marks
        assert curation.merge("documents", "doc-jan", "doc-jan-copy")
        assert "doc-jan-copy" not in window.state.corpus.document_by_id
        assert marks.mark(KEPT_KEY).note == "read in the archive" and marks.mark(COPY_KEY) is None
        assert opened.store.get("tiny", KEPT_KEY).note == "read in the archive"  # saved, not only shown
        assert "1 mark moved to doc-jan" in window.undo_stack.undoText()
        assert "1 mark moved to doc-jan" in window.message_bar.text.text()
        window.undo_stack.undo()
        assert "doc-jan-copy" in window.state.corpus.document_by_id
        assert marks.mark(COPY_KEY).note == "read in the archive" and marks.mark(KEPT_KEY) is None
        assert [m.note for m in opened.store.history("tiny", COPY_KEY)] == ["read in the archive"]
        window.undo_stack.redo()
        assert marks.mark(KEPT_KEY) is not None and marks.mark(COPY_KEY) is None
    finally:
        opened.close()


def test_a_merge_where_both_documents_mark_one_citation_is_refused_naming_both(make_window, tmp_path: Path) -> None:
    window, opened = _marked_twice(make_window, tmp_path, {COPY_KEY: "copy's", KEPT_KEY: "kept's"})
    try:
        corpus = window.state.corpus
        assert not window.curation.merge("documents", "doc-jan", "doc-jan-copy")
        said = window.message_bar.text.text()
        assert "under both doc-jan-copy and doc-jan" in said and "note 1 (Stalin to Shtykov)" in said
        assert window.state.corpus is corpus and window.undo_stack.count() == 0
        assert window.marks.mark(COPY_KEY).note == "copy's" and window.marks.mark(KEPT_KEY).note == "kept's"
    finally:
        opened.close()


def test_a_marked_draft_is_not_rejected_nor_removed_by_any_edit(make_window, tmp_path: Path) -> None:
    """Rejecting (or any edit deleting the document, a recovered autosave's among them) would hide its marks:
    refused, saying which document and how many marks."""
    from explorer.core.corpus_edit import DeleteRecord

    window, opened = _marked_twice(make_window, tmp_path, {COPY_KEY: "read in the archive"})
    try:
        corpus = window.state.corpus
        assert not window.curation.reject("documents", "doc-jan-copy")
        assert "1 verification mark" in window.message_bar.text.text()
        with pytest.raises(CorpusError, match="doc-jan-copy was not removed: 1 verification mark"):
            window.edit_session.push(DeleteRecord("documents", "doc-jan-copy"))
        assert window.state.corpus is corpus and window.undo_stack.count() == 0
        assert window.edit_session.editable.index_of("documents", "doc-jan-copy") >= 0  # put back
        assert window.marks.mark(COPY_KEY) is not None
    finally:
        opened.close()


def test_closing_without_saving_moves_the_marks_back_with_the_discarded_merge(make_window, tmp_path: Path) -> None:
    window, opened = _marked_twice(make_window, tmp_path, {COPY_KEY: "read in the archive"})
    try:
        assert window.curation.merge("documents", "doc-jan", "doc-jan-copy")
        assert window.edit_session.discard_moves() == 1
        assert opened.store.get("tiny", COPY_KEY) is not None and opened.store.get("tiny", KEPT_KEY) is None
    finally:
        opened.close()


def test_undo_and_the_history_name_a_record_by_its_title_and_an_ampersand_is_no_mnemonic(
        make_window, tmp_path: Path, qtbot) -> None:
    events = DRAFTED_EVENTS.replace("title: Kim asks to attack", "title: Kim & Pak ask to attack")
    window = make_window(load_corpus(write_corpus(tmp_path / "amp", {"events.yaml": events})))
    with qtbot.waitSignal(window.edit_session.records_changed):
        window.curation.when_ready(lambda: window.curation.confirm("events", "ev-march"))
    with qtbot.waitSignal(window.edit_session.records_changed):
        window.curation.when_ready(lambda: window.curation.reject("events", "ev-january"))
    history = window.history_view.model()
    assert [history.index(row, 0).data() for row in range(1, history.rowCount())] == [
        "Confirm Kim & Pak ask to attack", "Reject Stalin agrees to help"]
    window.undo_stack.undo()  # the reject
    assert window.undo_action.text() == "&Undo Confirm Kim && Pak ask to attack"  # shown "Undo Confirm Kim & Pak…"
    assert window.undo_action.isEnabled()


def test_a_merge_or_reject_of_the_selected_record_lets_it_go_without_a_warning(
        drafted: MainWindow, twice: MainWindow, qtbot, caplog) -> None:
    caplog.set_level(logging.DEBUG, logger="explorer")
    drafted.state.select_event("ev-march")
    drafted.state.select_event("ev-january")  # and ev-march is in the history
    with qtbot.waitSignal(drafted.edit_session.records_changed):
        drafted.curation.when_ready(lambda: drafted.curation.reject("events", "ev-january"))
    assert drafted.state.event_id != "ev-january"
    twice.state.select("doc-jan-copy")
    with qtbot.waitSignal(twice.edit_session.records_changed):
        twice.curation.when_ready(lambda: twice.curation.merge("documents", "doc-jan", "doc-jan-copy"))
    assert twice.state.selection.document == "doc-jan"
    let_go = [r for r in caplog.records if "ev-january" in r.getMessage() or "doc-jan-copy" in r.getMessage()]
    assert let_go and all(r.levelno == logging.DEBUG for r in let_go), [r.getMessage() for r in let_go]


def test_a_recovered_rename_moves_the_marks_and_a_refused_redo_puts_the_stack_back(
        make_window, tmp_path: Path, qtbot) -> None:
    """A recovered autosave replays a renamed document as one record gone and one come: the marks follow it.
    Redoing a rejection after the draft gained a mark is refused, and the undo stack is put back."""
    import copy

    from explorer.core.corpus_edit import Composite, DeleteRecord, InsertRecord

    window, opened = _marked_twice(make_window, tmp_path, {})
    try:
        session, stack, marks = window.edit_session, window.undo_stack, window.marks
        assert window.curation.reject("documents", "doc-jan-copy")
        stack.undo()
        assert "doc-jan-copy" in window.state.corpus.document_by_id and stack.index() == 0
        opened.store.set_mark("tiny", COPY_KEY, "verified", "marked since", footnote=1)
        assert marks.poll() and marks.count_for_document("doc-jan-copy") == 1
        stack.redo()  # the rejection again: it would hide the new mark
        assert "doc-jan-copy" in window.state.corpus.document_by_id
        said = window.message_bar.text.text()
        assert "was not redone" in said and "1 verification mark" in said
        qtbot.waitUntil(lambda: stack.index() == 0)  # put back: the rejection stands undone
        assert stack.canRedo() and session.editable.index_of("documents", "doc-jan-copy") >= 0

        record = copy.deepcopy(dict(session.editable.record("documents", "doc-jan-copy")))
        record["id"] = "stalin-shtykov-copy"
        session.push(Composite("Recovered edits", [DeleteRecord("documents", "doc-jan-copy"),
                                                   InsertRecord("documents", record)]))
        moved = COPY_KEY.replace("doc-jan-copy", "stalin-shtykov-copy")
        assert marks.mark(moved).note == "marked since" and marks.mark(COPY_KEY) is None
    finally:
        opened.close()


def test_the_merge_preview_says_how_many_marks_move(make_window, tmp_path: Path) -> None:
    window, opened = _marked_twice(make_window, tmp_path, {COPY_KEY: "read in the archive"})
    try:
        from explorer.ui.curation import merge_preview
        text = merge_preview(window.curation, "documents", "doc-jan", "doc-jan-copy")
        assert "1 verification mark of its notes moves to doc-jan." in text
        assert "mark" not in merge_preview(window.curation, "documents", "doc-jan-copy", "doc-jan")
    finally:
        opened.close()


def test_a_merge_whose_marks_cannot_be_moved_is_refused_and_changes_nothing(make_window, tmp_path: Path) -> None:
    """A marks file opened read-only cannot take the marks to the kept document: the merge is not made."""
    from explorer.ui.marks_book import MarkBook, open_marks

    window, opened = _marked_twice(make_window, tmp_path, {COPY_KEY: "read in the archive"})
    opened.close()
    read_only = open_marks(opened.store.path, read_only=True)
    try:
        window = make_window(load_corpus(window.state.corpus.path), marks=MarkBook(read_only, "tiny"))
        corpus = window.state.corpus
        assert not window.curation.merge("documents", "doc-jan", "doc-jan-copy")
        said = window.message_bar.text.text()
        assert "read-only" in said and "no mark was moved" in said
        assert window.state.corpus is corpus and window.undo_stack.count() == 0
        assert window.edit_session.editable.index_of("documents", "doc-jan-copy") >= 0
    finally:
        read_only.close()


def test_undoing_a_rename_after_the_new_id_gained_a_mark_takes_that_mark_back_too(
        make_window, tmp_path: Path, qtbot) -> None:
    """Undo takes the renamed document's id away again: a mark made under that id since (another window, an
    import) went out of sight with it; it goes back under the old id with the marks the rename moved."""
    import copy

    from explorer.core.corpus_edit import Composite, DeleteRecord, InsertRecord

    window, opened = _marked_twice(make_window, tmp_path, {})
    try:
        session, stack, marks = window.edit_session, window.undo_stack, window.marks
        record = copy.deepcopy(dict(session.editable.record("documents", "doc-jan-copy")))
        record["id"] = "stalin-shtykov-copy"
        session.push(Composite("Rename", [DeleteRecord("documents", "doc-jan-copy"),
                                          InsertRecord("documents", record)]))
        renamed_key = COPY_KEY.replace("doc-jan-copy", "stalin-shtykov-copy")
        opened.store.set_mark("tiny", renamed_key, "verified", "marked since", footnote=1)
        assert marks.poll() and marks.count_for_document("stalin-shtykov-copy") == 1
        stack.undo()  # the rename
        assert "doc-jan-copy" in window.state.corpus.document_by_id and stack.index() == 0
        assert marks.mark(COPY_KEY).note == "marked since" and marks.mark(renamed_key) is None
        assert "1 mark moved to doc-jan-copy" in window.message_bar.text.text()
        stack.redo()
        assert marks.mark(renamed_key).note == "marked since" and marks.mark(COPY_KEY) is None
    finally:
        opened.close()


def test_undoing_a_new_document_that_gained_a_mark_is_refused_but_not_for_a_blank_one(
        make_window, tmp_path: Path, qtbot) -> None:
    """Undoing the document's creation would hide a mark made under it since: refused, the stack put back. A
    mark undone to blank (unchecked, no note) says nothing: it does not hold the undo up for ever."""
    import copy

    from explorer.core.corpus_edit import InsertRecord

    window, opened = _marked_twice(make_window, tmp_path, {})
    try:
        session, stack, marks = window.edit_session, window.undo_stack, window.marks
        record = copy.deepcopy(dict(session.editable.record("documents", "doc-jan-copy")))
        record["id"] = "doc-new"
        session.push(InsertRecord("documents", record))
        new_key = COPY_KEY.replace("doc-jan-copy", "doc-new")
        opened.store.set_mark("tiny", new_key, "verified", "marked since", footnote=1)
        assert marks.poll()
        stack.undo()
        said = window.message_bar.text.text()
        assert "was not undone" in said and "doc-new was not removed: 1 verification mark" in said
        assert "doc-new" in window.state.corpus.document_by_id
        assert session.editable.index_of("documents", "doc-new") >= 0
        qtbot.waitUntil(lambda: stack.index() == 1)  # put back: the new document stands
        assert marks.mark(new_key).note == "marked since"
        opened.store.set_mark("tiny", new_key, "unchecked", "", footnote=1, version=1)  # cleared (elsewhere)
        assert marks.poll()
        stack.undo()
        assert "doc-new" not in window.state.corpus.document_by_id and stack.index() == 0
    finally:
        opened.close()


def _merged_with_a_note_typed(make_window, tmp_path: Path, qtbot):
    """doc-jan-copy (its citation marked) merged into doc-jan, then "checked again, l. 92" typed over the moved
    mark's note in its row, as a pane shows it under doc-jan now, and not yet saved."""
    from explorer.core.verification import MarkTarget
    from explorer.ui.marks_editor import VerificationSection

    window, opened = _marked_twice(make_window, tmp_path, {COPY_KEY: "read in the archive"})
    assert window.curation.merge("documents", "doc-jan", "doc-jan-copy")
    section = VerificationSection(window.marks, parent=window)
    section.show_targets([MarkTarget(1, KEPT_KEY, "Stalin to Shtykov", "Stalin to Shtykov")])
    [editor] = section.editors
    assert editor.note.text() == "read in the archive"
    editor.note.selectAll()
    qtbot.keyClicks(editor.note, "checked again, l. 92")
    return window, opened


def test_a_note_typed_in_a_mark_when_an_undo_moves_the_marks_goes_with_them(
        make_window, tmp_path: Path, qtbot) -> None:
    """Edit > Undo from the menu leaves the note field's text uncommitted: it is saved under the key the
    mark has before the marks move, not after under a document the corpus no longer has (where it is out
    of sight, and its mark shown moved back without it)."""
    window, opened = _merged_with_a_note_typed(make_window, tmp_path, qtbot)
    try:
        assert opened.store.get("tiny", KEPT_KEY).note == "read in the archive"  # typed, not yet saved
        stack = window.undo_stack
        stack.undo()  # the merge: the mark goes back under doc-jan-copy, with the note typed
        window.marks.commit_pending()  # as the pane's next rows or closing the window would
        assert opened.store.get("tiny", COPY_KEY).note == "checked again, l. 92"
        assert opened.store.get("tiny", KEPT_KEY) is None  # nothing left under the kept document's key
        # saved from inside the undo, the note is no step of its own pushed into the stack mid-undo
        assert (stack.count(), stack.index()) == (1, 0)
        stack.redo()
        assert opened.store.get("tiny", KEPT_KEY).note == "checked again, l. 92"
        assert (stack.count(), stack.index()) == (1, 1)
    finally:
        opened.close()


def test_a_note_typed_in_a_mark_when_closing_without_saving_moves_the_marks_back_goes_with_them(
        make_window, tmp_path: Path, qtbot) -> None:
    """Discard in the close prompt moves the marks back before the close saves what is typed: the typed note
    must be saved first, under the key its mark had."""
    window, opened = _merged_with_a_note_typed(make_window, tmp_path, qtbot)
    try:
        assert window.edit_session.discard_moves() == 1  # the close prompt's Discard
        window.marks.commit_pending()  # then the close itself
        assert opened.store.get("tiny", COPY_KEY).note == "checked again, l. 92"
        assert opened.store.get("tiny", KEPT_KEY) is None
    finally:
        opened.close()
