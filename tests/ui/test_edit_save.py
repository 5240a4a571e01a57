"""Saving record edits from the window: File > Save, the unsaved mark in the title, the question on close,
read-only corpora saved as a copy, the compiled cache refreshed, and the edit history dock."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from explorer.core import corpus_edit
from explorer.core.corpus_cache import HIT, open_corpus
from explorer.core.corpus_edit import SetField
from explorer.core.loader import load_corpus
from explorer.ui.main_window import MainWindow


@pytest.fixture
def window(make_window, tiny_corpus_dir: Path) -> MainWindow:
    return make_window(load_corpus(tiny_corpus_dir))


def _retitle(window: MainWindow, title: str = "Kim asks again") -> None:
    window.edit_session.push(SetField("events", "ev-march", "title", title))


def test_save_writes_the_files_clears_the_mark_and_refreshes_the_cache(window: MainWindow) -> None:
    root = window.state.corpus.path
    assert not window.save_action.isEnabled() and not window.isWindowModified()
    assert "[*]" in window.windowTitle()
    _retitle(window)
    assert window.save_action.isEnabled() and window.isWindowModified()
    assert window.save_action.text() == "&Save"
    window.save_action.trigger()
    assert "title: Kim asks again" in (root / "events.yaml").read_text(encoding="utf-8")
    assert not window.save_action.isEnabled() and not window.isWindowModified()
    reopened = open_corpus(root)  # the next start: read from the compiled copy, with the edit
    assert reopened.outcome == HIT and reopened.corpus.event_by_id["ev-march"].title == "Kim asks again"
    window.undo_stack.undo()  # undo after a save: unsaved again
    assert window.isWindowModified() and window.save_action.isEnabled()


def test_save_undo_and_a_new_edit_is_unsaved(window: MainWindow) -> None:
    """After a save, undoing one edit and making another leaves as many edits applied as were saved, but not
    the same ones: the files do not hold them, so the window must still say so and ask on close."""
    _retitle(window)
    window.save_action.trigger()
    assert not window.edit_session.unsaved
    window.undo_stack.undo()
    _retitle(window, "Kim asks a third time")
    assert window.edit_session.unsaved and window.isWindowModified() and window.save_action.isEnabled()
    window.undo_stack.undo()
    window.undo_stack.redo()  # the edit the new one replaced is gone from the stack: still not what was saved
    assert window.edit_session.unsaved
    window.undo_stack.undo()  # back to the state after the save's undo: one edit fewer than saved
    assert window.edit_session.unsaved


def test_undoing_and_redoing_back_to_the_saved_edits_is_saved(window: MainWindow) -> None:
    _retitle(window)
    window.save_action.trigger()
    window.undo_stack.undo()
    assert window.edit_session.unsaved
    window.undo_stack.redo()
    assert not window.edit_session.unsaved and not window.isWindowModified()


def test_a_file_changed_by_another_program_is_not_overwritten(window: MainWindow) -> None:
    events = window.state.corpus.path / "events.yaml"
    _retitle(window)
    theirs = events.read_text(encoding="utf-8").replace("Stalin agrees to help", "Stalin agrees")
    events.write_text(theirs, encoding="utf-8")
    window.save_action.trigger()
    assert events.read_text(encoding="utf-8") == theirs
    assert "changed by another program" in window.message_bar.text.text()
    assert "events.yaml" in window.message_bar.text.text()
    assert window.isWindowModified() and window.edit_session.unsaved


def test_a_read_only_corpus_is_saved_as_a_copy_that_is_edited_from_then_on(
        window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    root = window.state.corpus.path
    before = (root / "events.yaml").read_bytes()
    real = corpus_edit.read_only_reason
    monkeypatch.setattr(corpus_edit, "read_only_reason",  # root can write anywhere: as if it could not here
                        lambda folder, files=(): "its folder is not writable" if folder == root
                        else real(folder, files))
    _retitle(window)
    assert window.save_action.text() == "&Save a Copy…"
    window.save_action.trigger()
    copy = window.state.corpus.path
    assert copy != root and (root / "events.yaml").read_bytes() == before
    assert "title: Kim asks again" in (copy / "events.yaml").read_text(encoding="utf-8")
    assert str(copy) in window.message_bar.text.text()
    assert window.settings.recent[0] == copy.absolute()
    _retitle(window, "Kim asks a third time")
    assert window.save_action.text() == "&Save"  # the copy is writable
    window.save_action.trigger()
    assert "title: Kim asks a third time" in (copy / "events.yaml").read_text(encoding="utf-8")
    assert (root / "events.yaml").read_bytes() == before


def test_closing_with_unsaved_edits_asks_first(window: MainWindow, qtbot) -> None:
    root = window.state.corpus.path
    before = (root / "events.yaml").read_bytes()
    _retitle(window)
    window.close()
    box = window.close_prompt
    assert box is not None and window.isVisible()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert window.isVisible() and window.close_prompt is None
    window.close()
    with qtbot.waitSignal(window.closed):
        window.close_prompt.button(QMessageBox.StandardButton.Discard).click()
    assert not window.isVisible() and (root / "events.yaml").read_bytes() == before
    assert not window.autosave.path.exists()


def test_closing_and_saving(window: MainWindow, qtbot) -> None:
    root = window.state.corpus.path
    _retitle(window)
    window.close()
    with qtbot.waitSignal(window.closed):
        window.close_prompt.button(QMessageBox.StandardButton.Save).click()
    assert "title: Kim asks again" in (root / "events.yaml").read_text(encoding="utf-8")


def test_the_edit_history_lists_the_edits(window: MainWindow) -> None:
    assert window.history_action in window.menuBar().actions()[2].menu().actions()  # View
    window.history_action.trigger()
    assert window.history_dock.isVisible()
    _retitle(window)
    window.edit_session.push(SetField("people", "kim", "role", "Chairman"))
    model = window.history_view.model()
    rows = [model.index(row, 0).data() for row in range(model.rowCount())]
    assert rows == ["Opened", "Set title of ev-march", "Set role of kim"]
    window.history_view.setCurrentIndex(model.index(0, 0))  # back to the start, as a click would
    assert window.undo_stack.index() == 0 and not window.edit_session.unsaved
