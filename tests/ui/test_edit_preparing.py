"""The corpus's files are read for editing off the GUI thread: with a deliberately slow reader the window
stays responsive ("Preparing to edit…"), and the edit asked for meanwhile lands once they are read."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from explorer.core import corpus_edit
from explorer.core.corpus_save import YamlFile
from explorer.core.loader import load_corpus
from explorer.ui import record_editor
from explorer.ui.audit_job import in_daemon_thread
from explorer.ui.main_window import MainWindow
from explorer.ui.record_editor import PREPARING
from tests.support.corpora import TINY_FILES, write_corpus

DRAFT_PLACE = "\n  - id: haeju\n    name: Haeju\n    draft: true\n"


class SlowReader:
    """YamlFile.read that, off the GUI thread, waits until released; records which threads read."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.release = threading.Event()
        self.threads: set[str] = set()
        read = YamlFile.read.__func__  # type: ignore[attr-defined]

        def slow(cls: type[YamlFile], path: Path, section: str | None) -> YamlFile:
            self.threads.add(threading.current_thread().name)
            if threading.current_thread() is not threading.main_thread():
                assert self.release.wait(20), "the test never released the reader"
            return read(cls, path, section)

        monkeypatch.setattr(YamlFile, "read", classmethod(slow))


@pytest.fixture
def corpus_with_draft(tmp_path: Path) -> Path:
    places = TINY_FILES["places.yaml"].rstrip() + "\n" + "\n".join(
        "        " + line if line else line for line in DRAFT_PLACE.splitlines()) + "\n"
    return write_corpus(tmp_path / "drafted", {"places.yaml": places})


def responsive(qtbot) -> None:
    """The event loop runs: a timer posted now fires."""
    fired: list[bool] = []
    QTimer.singleShot(0, lambda: fired.append(True))
    qtbot.waitUntil(lambda: bool(fired), timeout=2000)


def test_a_slow_read_keeps_the_window_usable_and_the_edit_lands(make_window, corpus_with_draft: Path, qtbot,
                                                                 monkeypatch) -> None:
    reader = SlowReader(monkeypatch)
    window: MainWindow = make_window(load_corpus(corpus_with_draft))
    session = window.edit_session
    session.submit = in_daemon_thread
    assert not session.ready()
    # The reader opens the editor on a place and, before it can show, confirms the draft place.
    window.record_editor.edit("places", "moscow")
    editor = window.record_editor.editor
    assert session.preparing and window.statusBar().currentMessage() == PREPARING
    assert editor.preparing.isVisibleTo(editor) and editor.kind == ""
    window.curation.when_ready(lambda: window.curation.confirm("places", "haeju"))
    responsive(qtbot)  # the GUI thread is not waiting for the reader
    window.state.select_event("ev-january")  # and it still follows the reader's clicks
    qtbot.waitUntil(lambda: window.event_list.current_event() == "ev-january")
    assert window.undo_stack.count() == 0 and "haeju" in window.state.corpus.place_by_id
    assert window.state.corpus.place_by_id["haeju"].draft
    reader.release.set()
    qtbot.waitUntil(lambda: not session.preparing, timeout=10000)
    assert session.ready() and "explorer-worker" in reader.threads  # read on the worker thread
    assert threading.main_thread().name not in reader.threads
    # The edit asked for while reading has landed, and the form shows the record asked for last (the editor
    # follows the selection: the event chosen meanwhile, shown by its document as the document pane shows it).
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText() == "Confirm Haeju"
    assert not window.state.corpus.place_by_id["haeju"].draft
    assert (editor.kind, editor.record_id) == ("documents", "doc-jan") and not editor.preparing.isVisibleTo(editor)
    assert editor.fields and not editor.is_dirty()
    assert window.statusBar().currentMessage() != PREPARING
    window.undo_stack.undo()
    assert window.state.corpus.place_by_id["haeju"].draft


def test_a_corpus_with_drafts_is_read_for_editing_soon_after_it_opens(make_window, corpus_with_draft: Path,
                                                                     qtbot, monkeypatch) -> None:
    monkeypatch.setattr(record_editor, "PREPARE_AFTER_MS", 50)  # not the second a reader is given
    window: MainWindow = make_window(load_corpus(corpus_with_draft))
    qtbot.waitUntil(window.edit_session.ready, timeout=5000)  # nothing asked: read at idle


def test_showing_the_editor_reads_the_files_ahead_of_the_first_edit(make_window, tiny_corpus, qtbot,
                                                                    monkeypatch) -> None:
    monkeypatch.setattr(record_editor, "PREPARE_AFTER_MS", 0)
    window: MainWindow = make_window(tiny_corpus)
    responsive(qtbot)  # the moment after opening has passed
    assert not window.edit_session.ready()  # the tiny corpus has no drafts: nothing read at idle
    window.record_editor.view_action.trigger()
    qtbot.waitUntil(window.edit_session.ready)


def test_a_file_that_cannot_be_read_for_editing_is_said_and_nothing_changes(window: MainWindow, qtbot,
                                                                           monkeypatch) -> None:
    def broken(root: Path, kinds: object) -> dict[str, YamlFile]:
        raise corpus_edit.CorpusError.single(str(root / "events.yaml"), 3, "cannot read the file for editing: bad")

    monkeypatch.setattr("explorer.core.corpus_edit.read_for_editing", broken)
    window.curation.when_ready(lambda: window.curation.confirm("places", "moscow"))
    assert not window.edit_session.preparing and window.undo_stack.count() == 0
    shown = window.message_bar.text.text()
    assert "events.yaml" in shown and "cannot read the file for editing" in shown
