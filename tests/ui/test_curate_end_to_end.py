"""Curating the shipped corpus end to end, through the widgets as a reader does (issue 13's "How it is
checked"): on a writable copy of the default corpus with two drafted people, type a date in the record
editor, pick a person from the completer, merge two people in the Merge Records dialog, confirm a draft
in Review Drafts, undo each, redo them, File > Save, reload the corpus from disk and compare the files:
only the edited lines changed, every comment is kept."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from explorer.core.loader import RECORD_SCHEMAS, load_corpus
from explorer.ui.curation import MergeDialog, ReviewDraftsDialog
from explorer.ui.main_window import MainWindow
from explorer.ui.record_editor import DISCARD, RecordEditor
from explorer.ui.record_fields import DateField, ListField, ReferenceField
from tests.support.corpora import DEFAULT_CORPUS
from tests.support.record_form import choose_completion, retype

#: A completer's popup, on the offscreen platform, says these: about the platform, not the app.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support (grabbing the keyboard|raise)")

EVENT, DOCUMENT = "yalta-agreement-1945", "gromyko-tunkin-1949-09-11"
# Two people an import drafted: Stalin again under another name (named by an event), and a new man.
DRAFTED_PEOPLE = """
  # drafted from the notes: check before use
  - id: iosif-stalin
    name: "Iosif Stalin"
    kind: person
    spellings: ["I. Stalin"]
    draft: true

  - id: kim-tu-bong
    name: "Kim Tu Bong"
    kind: person
    note: "Drafted from note 12."
    draft: true
"""
EVENT_COMMENT = "    # the conference met 4-11 February 1945\n"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    root = Path(shutil.copytree(DEFAULT_CORPUS, tmp_path / "korea-1950"))
    with (root / "people.yaml").open("a", encoding="utf-8") as f:
        f.write(DRAFTED_PEOPLE)
    events = root / "events.yaml"
    text = events.read_text(encoding="utf-8")
    text = text.replace('    date: "1945-02"\n', '    date: "1945-02"\n' + EVENT_COMMENT, 1)
    text = text.replace("participants: [gromyko, tunkin, korean-peoples-army]",
                        "participants: [gromyko, tunkin, korean-peoples-army, iosif-stalin]", 1)
    events.write_text(text, encoding="utf-8")
    load_corpus(root)  # a valid corpus to start from
    return root


@pytest.fixture(autouse=True)
def no_modal_question(monkeypatch) -> None:
    monkeypatch.setattr(RecordEditor, "_ask_unapplied", lambda self, title: DISCARD)


def texts(root: Path) -> dict[str, str]:
    return {kind: (root / f"{kind}.yaml").read_text(encoding="utf-8") for kind in RECORD_SCHEMAS}


def changed_lines(before: str, after: str) -> list[str]:
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


def type_a_date(window: MainWindow, qtbot) -> None:
    """Select the event in the list, Ctrl+E, type the date, Apply."""
    window.state.select_event(EVENT)
    window.event_list.view.setFocus()
    qtbot.keyClick(window.event_list.view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    editor = window.record_editor.editor
    assert (editor.kind, editor.record_id) == ("events", EVENT)
    date = editor.fields["date"]
    assert isinstance(date, DateField)
    retype(qtbot, date.editor, "1945-02-04/1945-02-11")
    assert date.echo.text() == "between 4 and 11 February 1945"
    qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    assert window.state.corpus.event_by_id[EVENT].date.text == "1945-02-04/1945-02-11"


def pick_a_person(window: MainWindow, qtbot) -> None:
    """In the document's recipients, Add, type "Shty", choose Shtykov, Apply."""
    window.state.select_document(DOCUMENT)
    window.document_pane.browser.setFocus()
    window.record_editor.edit_action.trigger()
    editor = window.record_editor.editor
    assert (editor.kind, editor.record_id) == ("documents", DOCUMENT)
    recipients = editor.fields["recipients"]
    assert isinstance(recipients, ListField)
    qtbot.mouseClick(recipients.add_button, Qt.MouseButton.LeftButton)
    row = recipients.rows[-1]
    assert isinstance(row, ReferenceField)
    qtbot.keyClicks(row.editor, "Shty")
    choose_completion(qtbot, row.completer, "Terentii Fomich Shtykov — shtykov")
    assert row.name.text() == "Terentii Fomich Shtykov"
    qtbot.mouseClick(editor.apply_button, Qt.MouseButton.LeftButton)
    assert window.state.corpus.document_by_id[DOCUMENT].recipients == ("tunkin", "shtykov")


def merge_two_people(window: MainWindow, qtbot) -> None:
    """Select the drafted Stalin, Edit > Merge Into…, type the one to keep, Merge."""
    window.state.select_person("iosif-stalin")
    window.curation.merge_action.trigger()
    dialog = window.curation.dialog
    assert isinstance(dialog, MergeDialog) and dialog.isVisible()
    assert dialog.remove_chooser.chosen() == ("people", "iosif-stalin")
    line = dialog.keep_chooser.lineEdit()
    assert line is not None
    line.setFocus()
    qtbot.keyClicks(line, "Joseph Stalin")
    completer = dialog.keep_chooser.completer()
    assert completer is not None
    qtbot.waitUntil(completer.popup().isVisible)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Down)
    qtbot.keyClick(completer.popup(), Qt.Key.Key_Return)
    assert dialog.keep_chooser.chosen() == ("people", "stalin")
    assert "1 reference rewired: moscow-rejects-limited-offensive-1949-09 (participants)." in dialog.preview.text()
    assert "Name forms kept: Iosif Stalin, I. Stalin." in dialog.preview.text()
    qtbot.mouseClick(dialog.merge_button, Qt.MouseButton.LeftButton)
    corpus = window.state.corpus
    assert "iosif-stalin" not in corpus.person_by_id and window.state.selection.person == "stalin"
    assert corpus.event_by_id["moscow-rejects-limited-offensive-1949-09"].participants[-1] == "stalin"


def confirm_a_draft(window: MainWindow, qtbot) -> None:
    """Edit > Review Drafts…, the People tab, Confirm Checked."""
    window.curation.review_action.trigger()
    dialog = window.curation.dialog
    assert isinstance(dialog, ReviewDraftsDialog) and dialog.isVisible()
    assert dialog.kind == "people"
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "People (1)"  # the merged one is gone
    assert dialog.checked() == ["kim-tu-bong"]
    # It opens on the first kind with drafts, its button named for it (it said "Events", disabled, once).
    assert dialog.confirm_button.text() == "Confirm Checked People" and dialog.confirm_button.isEnabled()
    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert not window.state.corpus.person_by_id["kim-tu-bong"].draft
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "People (0)"
    dialog.close()


def test_curate_the_shipped_corpus_undo_redo_save_and_reload(make_window, copy: Path, qtbot) -> None:
    original = texts(copy)
    window: MainWindow = make_window(load_corpus(copy))
    session, stack = window.edit_session, window.undo_stack
    assert not window.isWindowModified() and not window.save_action.isEnabled()

    steps = [type_a_date, pick_a_person, merge_two_people, confirm_a_draft]
    files_after: list[dict[str, str]] = []
    for step in steps:
        step(window, qtbot)
        files_after.append({kind: session.editable.render(kind) for kind in RECORD_SCHEMAS})
    assert stack.count() == 4 and window.isWindowModified() and window.save_action.isEnabled()
    assert [stack.text(i) for i in range(4)] == [
        "Edit The Yalta agreement gives the USSR gains in East Asia",
        "Edit Ciphered telegram from Gromyko to Tunkin",
        "Merge Iosif Stalin into Joseph Stalin",
        "Confirm 1 draft people"]

    # Undo each, newest first: the files (as they would be saved) and the panes go back step by step.
    for i in reversed(range(4)):
        stack.undo()
        expected = files_after[i - 1] if i else original
        assert {kind: session.editable.render(kind) for kind in RECORD_SCHEMAS} == expected, steps[i].__name__
    corpus = window.state.corpus
    assert corpus.event_by_id[EVENT].date.text == "1945-02"
    assert corpus.document_by_id[DOCUMENT].recipients == ("tunkin",)
    assert corpus.person_by_id["iosif-stalin"].draft and corpus.person_by_id["kim-tu-bong"].draft
    assert not window.isWindowModified() and session.editable.changed_kinds() == []
    for _ in steps:  # and redo them all
        stack.redo()
    assert {kind: session.editable.render(kind) for kind in RECORD_SCHEMAS} == files_after[-1]
    assert window.isWindowModified()

    # File > Save: written, the window no longer marked.
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    assert window.save_action in file_menu.actions() and window.save_action.text() == "&Save"
    window.save_action.trigger()
    assert not window.isWindowModified() and not window.save_action.isEnabled()

    # Reload from disk: the same records as the window shows.
    reloaded = load_corpus(copy)
    shown = window.state.corpus
    assert reloaded.event_by_id[EVENT] == shown.event_by_id[EVENT]
    assert reloaded.document_by_id[DOCUMENT] == shown.document_by_id[DOCUMENT]
    assert reloaded.person_by_id["stalin"] == shown.person_by_id["stalin"]
    assert "iosif-stalin" not in reloaded.person_by_id and not reloaded.person_by_id["kim-tu-bong"].draft

    # Compare the files: only the edited lines changed; every comment is where it was.
    saved = texts(copy)
    diff = {kind: changed_lines(original[kind], saved[kind]) for kind in RECORD_SCHEMAS}
    assert diff["events"] == [
        '-    date: "1945-02"', '+    date: "1945-02-04/1945-02-11"',
        "-    participants: [gromyko, tunkin, korean-peoples-army, iosif-stalin]",
        "+    participants: [gromyko, tunkin, korean-peoples-army, stalin]"]
    assert diff["documents"] == ["-    recipients: [tunkin]", "+    recipients: [tunkin, shtykov]"]
    people = diff["people"]
    assert people[:2] == [
        '-    spellings: ["Joseph Stalin", "Stalin", "Comrade Stalin", "I.V. Stalin", "I. V. Stalin"]',
        '+    spellings: ["Joseph Stalin", "Stalin", "Comrade Stalin", "I.V. Stalin", "I. V. Stalin", '
        '"Iosif Stalin", "I. Stalin"]']
    assert people[2].startswith("-    note: \"Iosif Vissarionovich Stalin.")
    assert people[3].startswith("+    note: \"Iosif Vissarionovich Stalin.") and people[3].endswith(
        ' Merged with iosif-stalin."')
    assert all(line.startswith("-") for line in people[4:])  # the merged record, and one draft line, gone
    assert "-    draft: true" in people[4:] and "-  - id: iosif-stalin" in people[4:]
    assert not any(diff[kind] for kind in RECORD_SCHEMAS if kind not in ("events", "documents", "people"))
    for kind in RECORD_SCHEMAS:
        comments = [line for line in original[kind].splitlines() if line.lstrip().startswith("#")]
        kept = [line for line in saved[kind].splitlines() if line.lstrip().startswith("#")]
        assert kept == comments, kind
    assert EVENT_COMMENT.rstrip("\n") in saved["events"].splitlines()
