"""Verification marks in the window: set from each pane, saved for good, and a marks file in any state."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from explorer.core.model import Corpus
from explorer.store.marks import MARKS_FILENAME, MarkStatus, MarkStore
from explorer.ui.app import Launcher
from explorer.ui.error_dialog import ErrorReporter
from explorer.ui.main_window import MainWindow
from explorer.ui.marks_book import MarkBook, OpenedMarks, open_marks
from explorer.ui.marks_editor import ElidedLabel, MarkEditor
from explorer.ui.settings import Settings, open_settings
from tests.support.corpora import JAN_KEY

IBID_23 = "IBID_INTENT:23"


@pytest.fixture
def marks_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / MARKS_FILENAME


@pytest.fixture
def opened(marks_path: Path):
    """The marks file as the app opens it, closed after the test."""
    made: list[OpenedMarks] = []

    def open_(path: Path = marks_path, **options: Any) -> OpenedMarks:
        made.append(open_marks(path, **options))
        return made[-1]

    yield open_
    for each in made:
        each.close()


@pytest.fixture
def marked_window(make_window, opened, tiny_corpus: Corpus) -> Callable[..., MainWindow]:
    def make(corpus: Corpus = tiny_corpus, marks: OpenedMarks | None = None, **options) -> MainWindow:
        book = MarkBook(marks or opened(), corpus.manifest.id)
        return make_window(corpus, marks=book, **options)

    return make


def stored(path: Path, corpus_id: str = "tiny"):
    with MarkStore.open(path, read_only=True) as store:
        return store.marks(corpus_id)


def document_editor(window: MainWindow, document_id: str, index: int = 0) -> MarkEditor:
    window.state.select_document(document_id)
    window.focus_actions[1].trigger()  # Go to Document: its tab, on a narrow window
    window.document_pane.render_now()
    section = window.document_pane.verification
    assert section is not None and section.isVisibleTo(window)
    return section.editors[index]


def set_status(editor: MarkEditor, status: MarkStatus) -> None:
    editor.status.setCurrentIndex(editor.status.findData(status.value))


def test_a_mark_set_in_the_document_pane_is_saved_before_it_says_so(qtbot, marked_window, marks_path) -> None:
    window = marked_window()
    editor = document_editor(window, "doc-jan")
    assert editor.target.key == JAN_KEY and editor.target.footnote == 2
    assert editor.label.text() == "Ciphered telegram, Stalin to Shtykov, 30 January 1950"
    assert editor.saved.text() == ""  # never marked
    set_status(editor, MarkStatus.VERIFIED)
    assert editor.saved.text().startswith("Saved ")
    mark = stored(marks_path)[JAN_KEY]
    assert (mark.status, mark.footnote, mark.label) == (MarkStatus.VERIFIED, 2, editor.target.label)

    qtbot.keyClicks(editor.note, "Checked against the AVPRF microfilm, l. 92.")
    assert editor.saved.text() == "Not saved yet" and editor.save_button.isVisibleTo(window)
    assert stored(marks_path)[JAN_KEY].note == ""  # nothing is written until the reader commits
    qtbot.keyClick(editor.note, Qt.Key.Key_Return)
    assert editor.saved.text().startswith("Saved ") and not editor.save_button.isVisibleTo(window)
    assert stored(marks_path)[JAN_KEY].note == "Checked against the AVPRF microfilm, l. 92."
    with MarkStore.open(marks_path, read_only=True) as store:
        assert [m.status for m in store.history("tiny", JAN_KEY)] == [MarkStatus.VERIFIED, MarkStatus.VERIFIED]


def test_the_same_citation_shows_the_same_mark_everywhere(qtbot, marked_window, marks_path) -> None:
    window = marked_window()
    editor = document_editor(window, "doc-jan")
    window.state.select_footnote(2)
    note_section = window.passage_pane.note.verification
    assert note_section is not None
    [in_note] = [e for e in note_section.editors if e.target.key == JAN_KEY]
    set_status(in_note, MarkStatus.DISPUTED)
    assert editor.current_status() == MarkStatus.DISPUTED  # the document pane follows
    assert editor.saved.text().startswith("Saved ")
    assert "1 disputed" in note_section.summary.text()
    with MarkStore.open(marks_path, read_only=True) as store:
        assert len(store.history("tiny", JAN_KEY)) == 1  # shown twice, saved once


def test_a_mark_set_in_the_audit_panel_is_saved_and_survives_a_restart(
    qtbot, marked_window, opened, marks_path, default_corpus: Corpus, settings_path: Path
) -> None:
    window = marked_window(default_corpus)
    assert window.show_finding(IBID_23)
    editors = window.audit_panel.verification.editors
    assert [e.target.label for e in editors] == ["Telegram, Shtykov to Stalin, 16 June 1950",
                                                  "Ibid. (Weathersby, “Should We Fear This?”)"]
    ibid = editors[1]
    set_status(ibid, MarkStatus.DISPUTED)
    ibid.note.setFocus()
    qtbot.keyClicks(ibid.note, "Shen p. 9 has no such telegram; Weathersby p. 14 does.")
    qtbot.mouseClick(ibid.save_button, Qt.MouseButton.LeftButton)
    assert ibid.saved.text().startswith("Saved ")
    saved = stored(marks_path, "korea-1950")[ibid.target.key]
    assert (saved.status, saved.footnote) == (MarkStatus.DISPUTED, 23)
    assert saved.note == "Shen p. 9 has no such telegram; Weathersby p. 14 does."
    # the essay's open note shows it too
    note_editors = window.passage_pane.note.verification.editors  # type: ignore[union-attr]
    assert [e.current_status() for e in note_editors] == [MarkStatus.UNCHECKED, MarkStatus.DISPUTED]
    window.close()

    again = marked_window(default_corpus, opened(), with_settings=Settings(open_settings(settings_path)))
    assert again.show_finding(IBID_23)
    restored = again.audit_panel.verification.editors[1]
    assert restored.current_status() == MarkStatus.DISPUTED
    assert restored.note.text() == "Shen p. 9 has no such telegram; Weathersby p. 14 does."
    assert restored.saved.text().startswith("Saved ")


def test_a_note_typed_but_not_committed_is_saved_when_the_window_closes(qtbot, marked_window, marks_path) -> None:
    window = marked_window()
    editor = document_editor(window, "doc-jan")
    editor.note.setFocus()
    qtbot.keyClicks(editor.note, "Folio number differs in the microfilm")
    window.close()
    assert stored(marks_path)[JAN_KEY].note == "Folio number differs in the microfilm"


def test_marks_survive_an_edit_of_the_corpus_that_leaves_the_citation_alone(
    qtbot, marked_window, opened, make_corpus
) -> None:
    from explorer.core.loader import load_corpus
    from tests.support.corpora import TINY_ESSAY

    window = marked_window(load_corpus(make_corpus(name="before")))
    set_status(document_editor(window, "doc-jan"), MarkStatus.VERIFIED)
    window.close()
    # a sentence rewritten and note 1 reworded; note 2 untouched
    edited = TINY_ESSAY.replace("Stalin refused.", "Stalin turned him down.").replace(
        "For the full text see", "The full text is in")
    window = marked_window(load_corpus(make_corpus(essay=edited, name="after")), opened())
    editor = document_editor(window, "doc-jan")
    assert editor.current_status() == MarkStatus.VERIFIED


# -- the marks file in every state ----------------------------------------------------


def test_a_missing_file_and_folder_are_created_quietly(marked_window, marks_path) -> None:
    assert not marks_path.parent.exists()
    window = marked_window()
    assert not window.message_bar.isVisibleTo(window)
    assert document_editor(window, "doc-jan").status.isEnabled()
    assert marks_path.exists()


def make_marks_file(path: Path, status: str = "verified") -> None:
    with MarkStore.open(path) as store:
        store.set_mark("tiny", JAN_KEY, status, "checked before", footnote=2, label="Stalin to Shtykov")


def assert_usable(qtbot, window: MainWindow) -> None:
    """The window still reads: the events, the essay and the documents work."""
    window.state.select_event("ev-january")
    window.state.select_footnote(1)
    qtbot.waitUntil(lambda: window.document_pane.shown == window.state.selection)
    assert "Telegram from Shtykov to Vyshinsky" in window.document_pane.browser.toPlainText()
    assert window.passage_pane.note.isVisible()


def test_a_read_only_file_shows_its_marks_and_says_why_they_cannot_change(
    qtbot, marked_window, opened, marks_path
) -> None:
    make_marks_file(marks_path)
    before = marks_path.read_bytes()
    window = marked_window(marks=opened(read_only=True))  # as root, the way to a file that cannot be written
    assert window.message_bar.isVisibleTo(window)
    assert "cannot be changed" in window.message_bar.text.text()
    editor = document_editor(window, "doc-jan")
    assert editor.current_status() == MarkStatus.VERIFIED and editor.note.text() == "checked before"
    assert not editor.status.isEnabled() and not editor.note.isEnabled()
    assert "Read-only" in window.document_pane.verification.summary.text()  # type: ignore[union-attr]
    assert_usable(qtbot, window)
    assert marks_path.read_bytes() == before


def test_a_damaged_file_is_kept_aside_and_the_reader_is_told(qtbot, marked_window, opened, marks_path) -> None:
    marks_path.parent.mkdir(parents=True)
    marks_path.write_bytes(b"this is not a database" * 100)
    window = marked_window(marks=opened())
    text = window.message_bar.text.text()
    assert "was damaged" in text and ".corrupt-" in text
    [aside] = marks_path.parent.glob(f"{MARKS_FILENAME}.corrupt-*")
    assert aside.read_bytes() == b"this is not a database" * 100
    editor = document_editor(window, "doc-jan")
    set_status(editor, MarkStatus.VERIFIED)  # the new file takes marks
    assert stored(marks_path)[JAN_KEY].status == MarkStatus.VERIFIED
    assert_usable(qtbot, window)


def test_a_file_from_a_newer_version_is_read_only_and_left_as_it_is(
    qtbot, marked_window, opened, marks_path
) -> None:
    make_marks_file(marks_path)
    with sqlite3.connect(marks_path) as raw:
        raw.execute("PRAGMA user_version = 99")
    raw.close()
    window = marked_window(marks=opened())
    assert "newer version" in window.message_bar.text.text()
    editor = document_editor(window, "doc-jan")
    assert editor.current_status() == MarkStatus.VERIFIED and not editor.status.isEnabled()
    assert_usable(qtbot, window)
    with sqlite3.connect(marks_path) as raw:
        assert raw.execute("PRAGMA user_version").fetchone() == (99,)
    raw.close()


def test_a_file_locked_by_another_instance_turns_marking_off_and_says_so(
    qtbot, marked_window, opened, marks_path
) -> None:
    make_marks_file(marks_path)
    holder = sqlite3.connect(marks_path, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        window = marked_window(marks=opened(busy_timeout=0.2))
        assert "locked by another program" in window.message_bar.text.text()
        editor = document_editor(window, "doc-jan")
        assert not editor.status.isEnabled()
        assert "Marks are off" in window.document_pane.verification.summary.text()  # type: ignore[union-attr]
        assert_usable(qtbot, window)
        holder.execute("ROLLBACK")
    finally:
        holder.close()


def test_a_mark_that_cannot_be_written_says_not_saved_and_keeps_what_was_typed(
    qtbot, marked_window, opened, marks_path
) -> None:
    window = marked_window(marks=opened(busy_timeout=0.2))
    editor = document_editor(window, "doc-jan")
    holder = sqlite3.connect(marks_path, isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")  # another instance in the middle of a write
        editor.note.setFocus()
        qtbot.keyClicks(editor.note, "to check again")
        qtbot.keyClick(editor.note, Qt.Key.Key_Return)
        assert editor.saved.text() == "Not saved"
        assert editor.note.text() == "to check again"
        assert "locked by another program" in window.message_bar.text.text()
        holder.execute("ROLLBACK")
    finally:
        holder.close()
    assert JAN_KEY not in stored(marks_path)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)  # once the other write is done
    assert editor.saved.text().startswith("Saved ")
    assert stored(marks_path)[JAN_KEY].note == "to check again"


def test_a_window_without_a_marks_file_still_reads(qtbot, make_window, tiny_corpus: Corpus) -> None:
    window = make_window(tiny_corpus)
    editor = document_editor(window, "doc-jan")
    assert not editor.status.isEnabled()
    assert not window.message_bar.isVisibleTo(window)
    assert_usable(qtbot, window)


def test_the_app_opens_the_marks_file_once_and_survives_a_bad_one(
    qtbot, settings: Settings, tiny_corpus_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "not-a-file"
    folder.mkdir()
    launcher = Launcher(settings, ErrorReporter(), submit=lambda work: work(), marks_path=folder)
    try:
        launcher.open(tiny_corpus_dir)
        window = launcher.window
        assert window is not None
        qtbot.addWidget(window)
        assert "is a folder" in window.message_bar.text.text()
        assert launcher.marks is not None and launcher.marks.store is None
        assert_usable(qtbot, window)
    finally:
        if launcher.window is not None:
            launcher.window.closed.disconnect()
        launcher.close_marks()


def test_the_app_gives_every_window_the_same_marks_file(
    qtbot, settings: Settings, tiny_corpus_dir: Path, marks_path: Path
) -> None:
    launcher = Launcher(settings, ErrorReporter(), submit=lambda work: work(), marks_path=marks_path)
    try:
        launcher.open(tiny_corpus_dir)
        first = launcher.window
        assert first is not None
        qtbot.waitUntil(lambda: first.audit.done)  # it starts once the window is painted
        set_status(document_editor(first, "doc-jan"), MarkStatus.VERIFIED)
        store = launcher.marks.store if launcher.marks else None
        first.closed.disconnect()
        launcher.open(tiny_corpus_dir)  # File > Open: the new window replaces the first
        second = launcher.window
        assert second is not None and second is not first
        qtbot.addWidget(second)
        assert launcher.marks is not None and launcher.marks.store is store
        qtbot.waitUntil(lambda: second.audit.done)
        assert document_editor(second, "doc-jan").current_status() == MarkStatus.VERIFIED
    finally:
        if launcher.window is not None:
            launcher.window.closed.disconnect()
            launcher.window.close()
        launcher.close_marks()


# -- documents told apart, and marks from the schema 1 version (issue 10.1) -------------

SCHEMA_1 = Path(__file__).parents[1] / "store" / "data" / "marks-schema1.sqlite3"
OLD_24_26 = "doc:telegram:stalin>shtykov:1950-06-21"  # the key notes 24 and 26 shared


def note_editor(window: MainWindow, number: int, index: int = 0) -> MarkEditor:
    window.state.select_footnote(number)
    section = window.passage_pane.note.verification
    assert section is not None
    return section.editors[index]


def test_a_comment_on_note_24s_telegram_does_not_show_on_note_26s(qtbot, marked_window, marks_path,
                                                                   default_corpus: Corpus) -> None:
    window = marked_window(default_corpus)
    on_24 = note_editor(window, 24)
    assert on_24.label.text() == "Telegram, Stalin to Shtykov, 21 June 1950"
    on_24.note.setFocus()
    qtbot.keyClicks(on_24.note, "Ships: checked in the APRF copy")
    qtbot.keyClick(on_24.note, Qt.Key.Key_Return)
    assert on_24.saved.text().startswith("Saved ")
    on_26 = note_editor(window, 26)
    assert on_26.label.text() == on_24.label.text()  # the same words in both notes
    assert on_26.target.key != on_24.target.key
    assert on_26.note.text() == "" and on_26.saved.text() == ""
    # and in the document pane, each document shows its own
    assert document_editor(window, "stalin-shtykov-1950-06-21-plan").note.text() == ""
    assert document_editor(window, "stalin-shtykov-1950-06-21-ships").note.text() == "Ships: checked in the APRF copy"
    marks = stored(marks_path, "korea-1950")
    assert [m.footnote for m in marks.values()] == [24]


def test_a_mark_the_landed_version_kept_under_the_shared_key_goes_to_both_notes_flagged(
    qtbot, marked_window, opened, marks_path, default_corpus: Corpus
) -> None:
    import shutil

    marks_path.parent.mkdir(parents=True)
    shutil.copyfile(SCHEMA_1, marks_path)
    window = marked_window(default_corpus, opened())
    for number in (24, 26):
        editor = note_editor(window, number)
        assert editor.current_status() == MarkStatus.DISPUTED, number
        assert editor.note.text() == "The date in the APRF copy is 20 June"
        assert editor.notice_box.isVisibleTo(window) and editor.notice.text().startswith("Review: ")
        assert "notes 24, 26" in editor.notice.text() and editor.review_button.isVisibleTo(window)
        assert "1 to review" in window.passage_pane.note.verification.summary.text()  # type: ignore[union-attr]
    with MarkStore.open(marks_path, read_only=True) as store:
        marks = store.marks("korea-1950")
        assert OLD_24_26 not in marks
        moved = [m for m in marks.values() if m.citation_key.startswith(OLD_24_26)]
        assert sorted(m.footnote for m in moved) == [24, 26] and all(m.review for m in moved)
        for mark in moved:  # the history came along
            assert [m.note for m in store.history("korea-1950", mark.citation_key)][:2] == [
                "Seen in the APRF copy", "The date in the APRF copy is 20 June"]
        assert len(store.history("korea-1950", OLD_24_26)) == 2
        assert marks["work:weathersby:should we fear this@9-12"].note == "p. 10"  # untouched
    # The reader has looked at note 26's: Done clears its flag only.
    editor = note_editor(window, 26)
    qtbot.mouseClick(editor.review_button, Qt.MouseButton.LeftButton)
    assert not editor.notice_box.isVisibleTo(window)
    assert note_editor(window, 24).notice_box.isVisibleTo(window)


def test_a_read_only_schema_1_file_shows_the_moved_marks_without_saving(
    qtbot, marked_window, opened, marks_path, default_corpus: Corpus
) -> None:
    import shutil

    marks_path.parent.mkdir(parents=True)
    shutil.copyfile(SCHEMA_1, marks_path)
    before = marks_path.read_bytes()
    window = marked_window(default_corpus, opened(read_only=True))
    for number in (24, 26):
        editor = note_editor(window, number)
        assert editor.current_status() == MarkStatus.DISPUTED and "nothing was saved" in editor.notice.text()
        assert not editor.review_button.isVisibleTo(window)
    assert marks_path.read_bytes() == before


# -- two running copies (issue 10.2) ------------------------------------------------------


def other_copy_sets(marks_path: Path, key: str, status: str, note: str, corpus_id: str = "tiny") -> None:
    with MarkStore.open(marks_path) as other:
        mark = other.get(corpus_id, key)
        other.set_mark(corpus_id, key, status, note, footnote=2, version=mark.version if mark else 0)


def type_and_enter(qtbot, editor: MarkEditor, text: str) -> None:
    editor.note.setFocus()
    qtbot.keyClicks(editor.note, text)
    qtbot.keyClick(editor.note, Qt.Key.Key_Return)


@pytest.mark.parametrize(("choice", "status", "note"), [
    ("theirs", MarkStatus.DISPUTED, "wrong date"),
    ("mine", MarkStatus.UNCHECKED, "my comment"),
    ("merge", MarkStatus.DISPUTED, "wrong date / my comment"),
])
def test_a_change_made_on_a_stale_mark_is_a_conflict_the_reader_settles(
    qtbot, marked_window, marks_path, choice: str, status: MarkStatus, note: str
) -> None:
    window = marked_window()
    editor = document_editor(window, "doc-jan")
    assert editor.current_status() == MarkStatus.UNCHECKED
    other_copy_sets(marks_path, JAN_KEY, "disputed", "wrong date")  # the window has not looked yet
    type_and_enter(qtbot, editor, "my comment")
    assert stored(marks_path)[JAN_KEY].status == MarkStatus.DISPUTED  # not overwritten
    assert editor.saved.text() == "Not saved" and editor.notice_box.isVisibleTo(window)
    assert "Disputed" in editor.notice.text() and "wrong date" in editor.notice.text()
    assert editor.note.text() == "my comment"  # what was typed stays in view
    buttons = {"theirs": editor.theirs_button, "mine": editor.mine_button, "merge": editor.merge_button}
    assert all(b.isVisibleTo(window) for b in buttons.values())
    qtbot.mouseClick(buttons[choice], Qt.MouseButton.LeftButton)
    mark = stored(marks_path)[JAN_KEY]
    assert (mark.status, mark.note) == (status, note)
    assert (editor.current_status(), editor.note.text()) == (status, note)
    assert not editor.notice_box.isVisibleTo(window)
    with MarkStore.open(marks_path, read_only=True) as store:
        assert "wrong date" in [m.note for m in store.history("tiny", JAN_KEY)]  # theirs is never lost


def test_the_window_picks_up_a_mark_another_copy_changed(qtbot, marked_window, marks_path) -> None:
    window = marked_window()
    editor = document_editor(window, "doc-jan")
    assert window.marks.poll_timer.isActive()
    other_copy_sets(marks_path, JAN_KEY, "verified", "seen in Moscow")
    assert window.marks.poll()  # what the timer does every POLL_MS
    assert (editor.current_status(), editor.note.text()) == (MarkStatus.VERIFIED, "seen in Moscow")
    assert "1 verified" in window.document_pane.verification.summary.text()  # type: ignore[union-attr]
    assert not window.marks.poll()  # nothing new
    # and the timer does it by itself (sooner here than POLL_MS)
    window.marks.poll_timer.setInterval(20)
    other_copy_sets(marks_path, JAN_KEY, "disputed", "seen again")
    qtbot.waitUntil(lambda: editor.current_status() == MarkStatus.DISPUTED, timeout=5000)
    # A change based on what the window now shows goes through.
    set_status(editor, MarkStatus.VERIFIED)
    assert stored(marks_path)[JAN_KEY].status == MarkStatus.VERIFIED and editor.saved.text().startswith("Saved ")


def test_a_note_typed_while_another_copy_changed_the_mark_is_a_conflict_too(
    qtbot, marked_window, marks_path
) -> None:
    window = marked_window()
    editor = document_editor(window, "doc-jan")
    editor.note.setFocus()
    qtbot.keyClicks(editor.note, "half typed")
    other_copy_sets(marks_path, JAN_KEY, "disputed", "theirs")
    assert window.marks.poll()
    assert editor.note.text() == "half typed"  # the poll does not take the reader's text away
    qtbot.keyClick(editor.note, Qt.Key.Key_Return)
    assert editor.notice_box.isVisibleTo(window) and stored(marks_path)[JAN_KEY].note == "theirs"


# -- undo (issue 10.3) --------------------------------------------------------------------


def test_edit_undo_and_redo_restore_marks_as_new_versions(qtbot, marked_window, marks_path) -> None:
    window = marked_window()
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Edit")
    assert menu.actions()[:2] == [window.undo_action, window.redo_action]  # then curating's actions, Preferences
    assert not window.undo_action.isEnabled()
    editor = document_editor(window, "doc-jan")
    set_status(editor, MarkStatus.VERIFIED)
    type_and_enter(qtbot, editor, "checked")
    assert window.undo_action.isEnabled() and window.undo_stack.count() == 2
    window.undo_action.trigger()
    assert (stored(marks_path)[JAN_KEY].status, stored(marks_path)[JAN_KEY].note) == (MarkStatus.VERIFIED, "")
    assert editor.note.text() == ""
    window.undo_action.trigger()
    assert stored(marks_path)[JAN_KEY].status == MarkStatus.UNCHECKED
    assert editor.current_status() == MarkStatus.UNCHECKED
    window.redo_action.trigger()
    window.redo_action.trigger()
    mark = stored(marks_path)[JAN_KEY]
    assert (mark.status, mark.note) == (MarkStatus.VERIFIED, "checked")
    assert (editor.current_status(), editor.note.text()) == (MarkStatus.VERIFIED, "checked")
    with MarkStore.open(marks_path, read_only=True) as store:  # every step is in the history
        assert [(str(m.status), m.note) for m in store.history("tiny", JAN_KEY)] == [
            ("verified", ""), ("verified", "checked"), ("verified", ""), ("unchecked", ""),
            ("verified", ""), ("verified", "checked")]


def test_undo_by_its_shortcut(qtbot, marked_window, marks_path) -> None:
    window = marked_window()
    editor = document_editor(window, "doc-jan")
    set_status(editor, MarkStatus.DISPUTED)
    window.event_list.setFocus()  # not a text field, which has its own undo
    qtbot.keyClick(window.event_list, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored(marks_path)[JAN_KEY].status == MarkStatus.UNCHECKED
    assert editor.current_status() == MarkStatus.UNCHECKED


def test_undo_after_another_copy_changed_the_mark_asks_instead_of_overwriting(
    qtbot, marked_window, marks_path
) -> None:
    window = marked_window()
    editor = document_editor(window, "doc-jan")
    set_status(editor, MarkStatus.VERIFIED)
    other_copy_sets(marks_path, JAN_KEY, "disputed", "theirs")
    window.undo_action.trigger()
    assert stored(marks_path)[JAN_KEY].note == "theirs"
    assert editor.notice_box.isVisibleTo(window) and editor.theirs_button.isVisibleTo(window)


# -- a newer version's statuses (issue 11.8) and odd paths (11.9) -------------------------


def test_a_status_from_a_newer_version_is_shown_as_it_is(qtbot, marked_window, opened, marks_path) -> None:
    make_marks_file(marks_path)
    raw = sqlite3.connect(marks_path, isolation_level=None)
    try:  # as a later version might write it: no CHECK on the status, one this version does not know
        raw.execute("ALTER TABLE marks RENAME TO marks_old")
        raw.execute("CREATE TABLE marks AS SELECT * FROM marks_old")
        raw.execute("DROP TABLE marks_old")
        raw.execute("UPDATE marks SET status = 'partly-verified'")
        raw.execute("PRAGMA user_version = 99")
    finally:
        raw.close()
    window = marked_window(marks=opened())
    assert "newer version" in window.message_bar.text.text()
    editor = document_editor(window, "doc-jan")
    assert editor.status.currentText() == "partly-verified (unknown to this version)"
    assert not editor.status.isEnabled()
    assert "1 partly-verified" in window.document_pane.verification.summary.text()  # type: ignore[union-attr]


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="POSIX named pipes")
def test_a_pipe_in_place_of_the_marks_file_turns_marking_off_and_says_so(
    qtbot, marked_window, opened, marks_path
) -> None:
    import os

    marks_path.parent.mkdir(parents=True)
    os.mkfifo(marks_path)
    window = marked_window(marks=opened())
    assert "is a named pipe, not a regular file" in window.message_bar.text.text()
    assert not document_editor(window, "doc-jan").status.isEnabled()
    assert_usable(qtbot, window)


def test_a_notes_marks_show_once_when_the_audit_shows_them(qtbot, marked_window, default_corpus: Corpus) -> None:
    """On a laptop the essay has no room for the same marks twice: while the audit panel shows the finding
    about the open note, the note's own marks step aside, and come back when it does not."""
    window = marked_window(default_corpus)
    window.resize(1024, 700)
    note = window.passage_pane.note
    window.state.select_footnote(23)
    assert note.verification is not None and note.verification.isVisibleTo(window)
    height_with_marks = note.height()
    assert window.show_finding("IBID_INTENT:23")
    assert window.state.footnote == 23
    assert not note.verification.isVisibleTo(window)
    qtbot.waitUntil(lambda: note.height() < height_with_marks)  # the room goes back to the essay
    window.state.select_footnote(22)  # a note the chosen finding is not about: the audit's marks are not its
    assert note.verification.isVisibleTo(window)
    window.show_finding("IBID_INTENT:23")
    window.audit_dock.hide()
    assert note.verification.isVisibleTo(window)


LONG_LABEL = "Ciphered telegram, Shtykov to Vyshinsky, 3 September 1949"


def test_a_label_too_long_for_its_row_keeps_its_date(qtbot) -> None:
    label = ElidedLabel(LONG_LABEL)
    qtbot.addWidget(label)
    metrics = label.fontMetrics()
    label.resize(metrics.horizontalAdvance(LONG_LABEL) + 10, 20)
    assert label.shown_text() == LONG_LABEL  # room for all of it: nothing cut
    label.resize(metrics.horizontalAdvance("Ciphered telegram, Shtykov, 3 September 1949"), 20)
    shown = label.shown_text()
    assert shown.startswith("Ciphered telegram, ") and shown.endswith("\u2026, 3 September 1949"), shown
    assert metrics.horizontalAdvance(shown) <= label.contentsRect().width()
    # too narrow for the date and a head: cut in the middle, both ends still there
    label.resize(metrics.horizontalAdvance("Ciphered 1949"), 20)
    shown = label.shown_text()
    assert "\u2026" in shown and shown[0] == "C" and shown[-1] == "9", shown


def test_a_narrow_row_shows_its_short_label_whole_before_cutting_it(qtbot) -> None:
    short = "Shtykov \u2192 Vyshinsky, 3 Sep 1949"
    label = ElidedLabel(LONG_LABEL, shorter=(short,))
    qtbot.addWidget(label)
    metrics = label.fontMetrics()
    label.resize(metrics.horizontalAdvance(LONG_LABEL) + 10, 20)
    assert label.shown_text() == LONG_LABEL
    label.resize(metrics.horizontalAdvance(short) + 2, 20)
    assert label.shown_text() == short  # the correspondents stay, the kind goes
    label.resize(metrics.horizontalAdvance("Shtykov \u2192 Vy, 3 Sep 1949"), 20)
    shown = label.shown_text()
    assert shown.startswith("Shtykov") and shown.endswith("\u2026, 3 Sep 1949"), shown


def test_note_10s_rows_at_a_laptops_width_keep_who_and_when(qtbot, marked_window, default_corpus: Corpus) -> None:
    """1024x700: each of note 10's three September telegrams is told apart by its correspondents and day; the
    whole label is in the tool tip."""
    window = marked_window(default_corpus)
    window.resize(1024, 700)
    editor = note_editor(window, 10)
    view = window.passage_pane.view
    qtbot.waitUntil(lambda: window.narrow and view.settled and editor.label.isVisible())
    section = window.passage_pane.note.verification

    def told_apart() -> None:  # once the rows are laid out at the window's new width
        assert editor.label.width() < editor.label.fontMetrics().horizontalAdvance(LONG_LABEL)
        shown = [e.label.shown_text() for e in section.editors[:3]]
        heads = ("Shtykov \u2192 Vyshinsky,", "Gromyko \u2192 Tunkin,", "Tunkin \u2192 Soviet")
        assert all(s.startswith(head) for s, head in zip(shown, heads, strict=True)), shown
        assert [s.rsplit(", ", 1)[1] for s in shown] == ["3 Sep 1949", "11 Sep 1949", "14 Sep 1949"]

    qtbot.waitUntil(told_apart)
    assert editor.label.toolTip().startswith(f"<p>{LONG_LABEL}")  # the whole label


def test_a_label_without_a_short_last_part_is_cut_in_the_middle(qtbot) -> None:
    text = "A very long title of a publication without any comma to split it at all"
    label = ElidedLabel(text)
    qtbot.addWidget(label)
    label.resize(label.fontMetrics().horizontalAdvance(text) // 2, 20)
    shown = label.shown_text()
    assert "\u2026" in shown and shown.startswith("A very") and shown.endswith("at all"), shown


def test_a_rows_label_tooltip_holds_the_whole_label_and_the_notes_words(qtbot, marked_window) -> None:
    window = marked_window()
    editor = note_editor(window, 2)
    tip = editor.label.toolTip()
    assert editor.target.label in tip and tip.index(editor.target.label) < tip.index(editor.target.text[:20])
