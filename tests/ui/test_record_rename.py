"""Renaming a record's id from the record editor: every reference follows, the panes and the selection
follow, one undo takes it all back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog

from explorer.core.loader import load_corpus
from explorer.store.marks import MARKS_FILENAME, MarkStore
from explorer.ui.main_window import MainWindow
from explorer.ui.marks_book import MarkBook, open_marks
from explorer.ui.record_editor import RecordEditor
from tests.support.corpora import JAN_KEY
from tests.support.record_form import open_editor


def rename_through_dialog(qtbot, editor: RecordEditor, new_id: str) -> None:
    qtbot.mouseClick(editor.rename_button, Qt.MouseButton.LeftButton)
    dialog = editor.rename_dialog
    assert isinstance(dialog, QInputDialog) and dialog.isVisible()
    assert dialog.textValue() == editor.record_id
    dialog.setTextValue(new_id)
    dialog.accept()


def test_a_person_renamed_in_the_editor_is_renamed_everywhere_and_undone(window: MainWindow, qtbot) -> None:
    window.state.select_person("kim")
    editor = open_editor(window, "people", "kim")
    assert editor.rename_button.isVisibleTo(editor) and editor.rename_button.isEnabled()
    with qtbot.waitSignal(window.edit_session.records_changed):
        rename_through_dialog(qtbot, editor, "kim-il-sung")
    corpus = window.state.corpus
    assert "kim" not in corpus.person_by_id and corpus.person_by_id["kim-il-sung"].name == "Kim Il Sung"
    assert corpus.event_by_id["ev-march"].participants == ("kim-il-sung", "stalin")
    # The form, the selection and the undo history follow the new id.
    assert (editor.kind, editor.record_id) == ("people", "kim-il-sung")
    assert editor.general.isHidden() and not editor.is_dirty()
    assert window.state.selection.person == "kim-il-sung"
    assert window.undo_stack.undoText() == "Change the id of Kim Il Sung from kim to kim-il-sung and 1 reference to it"
    window.undo_stack.undo()
    corpus = window.state.corpus
    assert "kim-il-sung" not in corpus.person_by_id and corpus.event_by_id["ev-march"].participants == ("kim", "stalin")
    assert (editor.kind, editor.record_id) == ("people", "kim")
    assert window.state.selection.person == "kim"
    window.undo_stack.redo()
    assert window.state.corpus.event_by_id["ev-march"].participants == ("kim-il-sung", "stalin")
    assert window.save()
    saved = load_corpus(window.state.corpus.path)
    assert saved.event_by_id["ev-march"].participants == ("kim-il-sung", "stalin")
    assert "kim" not in saved.person_by_id


def test_a_document_renamed_keeps_the_event_that_cites_it_and_the_document_pane(window: MainWindow, qtbot) -> None:
    window.state.select_event("ev-march")
    window.state.select_document("doc-sept")
    editor = open_editor(window, "documents", "doc-sept")
    rename_through_dialog(qtbot, editor, "shtykov-1949-09-03")
    corpus = window.state.corpus
    assert corpus.event_by_id["ev-march"].documents == ("shtykov-1949-09-03",)
    assert window.state.selection.document == "shtykov-1949-09-03"
    qtbot.waitUntil(lambda: "Telegram from Shtykov to Vyshinsky" in window.document_pane.browser.toPlainText())


def test_a_taken_or_invalid_id_is_refused_in_place_and_nothing_changes(window: MainWindow, qtbot) -> None:
    editor = open_editor(window, "people", "kim")
    for new_id, reason in (("stalin", "already the id of a record in people.yaml"),
                           ("doc-sept", "already the id of a record in documents.yaml"),
                           ("Kim Il Sung", "not a valid id")):
        assert not editor.rename(new_id)
        shown = editor.problem_labels["id"]  # under the id field
        assert reason in shown.text() and shown.isVisibleTo(editor)
        assert window.undo_stack.count() == 0 and not window.edit_session.unsaved
    assert (editor.kind, editor.record_id) == ("people", "kim")
    assert "kim" in window.state.corpus.person_by_id


def test_a_document_renamed_takes_its_marks_to_the_new_id_and_undo_brings_them_back(
        make_window, tiny_corpus, tmp_path, qtbot) -> None:
    """A mark is stored under the document's id: it moves with the rename, in the same undo step."""
    path = tmp_path / "data" / MARKS_FILENAME
    path.parent.mkdir(parents=True)
    with MarkStore.open(path) as store:
        store.set_mark("tiny", JAN_KEY, "verified", "checked in the archive", footnote=2, label="Stalin to Shtykov")
    opened = open_marks(path)
    new_key = JAN_KEY.replace("#doc=doc-jan", "#doc=stalin-shtykov-1950-01-30")
    try:
        window = make_window(tiny_corpus, marks=MarkBook(opened, "tiny"))
        editor = open_editor(window, "documents", "doc-jan")
        assert editor.rename("stalin-shtykov-1950-01-30")
        assert window.marks.mark(new_key).note == "checked in the archive" and window.marks.mark(JAN_KEY) is None
        assert "1 mark moved to stalin-shtykov-1950-01-30" in window.undo_stack.undoText()
        window.undo_stack.undo()
        assert "doc-jan" in window.state.corpus.document_by_id
        assert window.marks.mark(JAN_KEY).note == "checked in the archive" and window.marks.mark(new_key) is None
    finally:
        opened.close()
