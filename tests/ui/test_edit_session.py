"""The edit session: a record edit goes on the window's undo stack, reaches the state's corpus, and undoes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from explorer.core.corpus_edit import SetField
from explorer.core.errors import CorpusError
from explorer.core.loader import load_corpus
from explorer.ui.main_window import MainWindow
from tests.support.corpora import DEFAULT_CORPUS


@pytest.fixture
def window(make_window, tmp_path: Path) -> MainWindow:
    root = Path(shutil.copytree(DEFAULT_CORPUS, tmp_path / "korea-1950"))
    return make_window(load_corpus(root))


def test_an_edit_reaches_the_state_and_undoes(window: MainWindow, qtbot) -> None:
    session, state = window.edit_session, window.state
    old = state.corpus.event_by_id["yalta-agreement-1945"].title
    with qtbot.waitSignals([session.records_changed, session.unsaved_changed, state.corpus_changed]):
        session.push(SetField("events", "yalta-agreement-1945", "title", "The Yalta agreement"))
    assert state.corpus.event_by_id["yalta-agreement-1945"].title == "The Yalta agreement"
    assert session.unsaved and window.undo_stack.undoText() == "Set title of yalta-agreement-1945"
    window.undo_stack.undo()
    assert state.corpus.event_by_id["yalta-agreement-1945"].title == old and not session.unsaved
    window.undo_stack.redo()
    assert state.corpus.event_by_id["yalta-agreement-1945"].title == "The Yalta agreement"


def test_an_invalid_edit_is_refused_and_changes_nothing(window: MainWindow) -> None:
    session = window.edit_session
    before = window.state.corpus
    text = session.editable.render("events")
    with pytest.raises(CorpusError, match="date"):
        session.push(SetField("events", "yalta-agreement-1945", "date", "in the spring"))
    assert window.state.corpus is before and session.editable.render("events") == text
    assert window.undo_stack.count() == 0 and not session.unsaved


def test_a_removed_record_leaves_the_selection(window: MainWindow) -> None:
    from explorer.core.corpus_edit import DeleteRecord

    state = window.state
    state.select_event("yalta-agreement-1945")
    assert state.event_id == "yalta-agreement-1945"
    window.edit_session.push(DeleteRecord("events", "yalta-agreement-1945"))
    assert state.event_id is None and "yalta-agreement-1945" not in state.corpus.event_by_id
    window.undo_stack.undo()
    assert "yalta-agreement-1945" in state.corpus.event_by_id
