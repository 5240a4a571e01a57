"""A crash after a merge or rename: the marks it moved at once follow what the reader does with the recovery.

Discarding the recovered edits brings the old document back from the YAML, so its marks move back under it;
recovering them keeps the marks where they are, and undoing the recovered edit (or closing without saving)
moves them back then. A move back that would meet a mark of the same citation keeps both and says so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from explorer.core.loader import load_corpus
from explorer.core.recovery import read_recovery
from explorer.store.marks import MARKS_FILENAME, MarkStore
from explorer.ui.main_window import MainWindow
from explorer.ui.marks_book import MarkBook, open_marks
from tests.support.corpora import REPO, TINY_FILES, write_corpus
from tests.support.recovery import dead_pid, kill_once_recovery_is_written

# doc-jan-copy: the same telegram as doc-jan, drafted again from note 1 (a merge makes them one).
DOCUMENTS = TINY_FILES["documents.yaml"] + """
          - id: doc-jan-copy
            kind: ciphered-telegram
            title: Stalin to Shtykov (ciphered)
            date: "1950-01-30"
            senders: [stalin]
            recipients: [shtykov]
            footnotes: [1]
            draft: true
"""
EVENTS = TINY_FILES["events.yaml"].replace("documents: [doc-jan, doc-sept]", "documents: [doc-jan-copy, doc-sept]")
COPY_KEY = "doc:ciphered-telegram:stalin>shtykov:1950-01-30#doc=doc-jan-copy"
KEPT_KEY = "doc:ciphered-telegram:stalin>shtykov:1950-01-30#doc=doc-jan"


def _corpus(tmp_path: Path, marks: dict[str, str]) -> tuple[Path, Path]:
    """The corpus folder and its marks file, with *marks* (key -> note) stored."""
    root = write_corpus(tmp_path / "twice", {"documents.yaml": DOCUMENTS, "events.yaml": EVENTS})
    path = tmp_path / "data" / MARKS_FILENAME
    path.parent.mkdir(parents=True)
    with MarkStore.open(path) as store:
        for key, note in marks.items():
            store.set_mark("tiny", key, "verified", note, footnote=1, label="Stalin to Shtykov")
    return root, path




def _crash_after_merge(make_window, root: Path, marks_path: Path) -> Path:
    """A window merges doc-jan-copy (marked) into doc-jan, then "crashes": its recovery file, written at once
    (not on the autosave timer), is left as a dead process's. Returns that file."""
    opened = open_marks(marks_path)
    window: MainWindow = make_window(load_corpus(root), marks=MarkBook(opened, "tiny"))
    assert window.curation.merge("documents", "doc-jan", "doc-jan-copy")
    assert opened.store.get("tiny", KEPT_KEY) is not None  # moved in the store at once
    assert window.autosave.path.exists() and not window.autosave.timer.isActive()  # written with the move
    written = window.autosave.path
    data = json.loads(written.read_text(encoding="utf-8"))
    assert data["marks_moved"] == [{"from": "doc-jan-copy", "to": "doc-jan", "keys": [KEPT_KEY]}]
    data["pid"] = dead_pid()
    left = written.with_name(written.name.replace(f".{os.getpid()}-", f".{data['pid']}-"))
    left.write_text(json.dumps(data), encoding="utf-8")
    written.unlink()
    window.autosave.timer.stop()
    opened.close()
    return left


def _reopen(make_window, root: Path, marks_path: Path):
    opened = open_marks(marks_path)
    return make_window(load_corpus(root), marks=MarkBook(opened, "tiny")), opened


def test_discarding_the_recovery_moves_the_marks_back_to_the_document_the_yaml_still_has(
        make_window, tmp_path: Path) -> None:
    root, marks_path = _corpus(tmp_path, {COPY_KEY: "read in the archive"})
    left = _crash_after_merge(make_window, root, marks_path)
    window, opened = _reopen(make_window, root, marks_path)
    try:
        assert "doc-jan-copy" in window.state.corpus.document_by_id  # back from the YAML
        window.recovery.answer("discard")
        assert not left.exists()
        assert opened.store.get("tiny", COPY_KEY).note == "read in the archive"
        assert opened.store.get("tiny", KEPT_KEY) is None
        assert window.marks.mark(COPY_KEY) is not None  # shown again
        assert [m.note for m in opened.store.history("tiny", COPY_KEY)] == ["read in the archive"]  # with history
        assert "1 moved back" in window.message_bar.text.text()
    finally:
        opened.close()


def test_recovering_keeps_the_marks_moved_and_undo_or_a_discarding_close_moves_them_back(
        make_window, tmp_path: Path) -> None:
    root, marks_path = _corpus(tmp_path, {COPY_KEY: "read in the archive"})
    _crash_after_merge(make_window, root, marks_path)
    window, opened = _reopen(make_window, root, marks_path)
    try:
        window.recovery.answer("recover")
        assert "doc-jan-copy" not in window.state.corpus.document_by_id
        assert opened.store.get("tiny", KEPT_KEY) is not None and opened.store.get("tiny", COPY_KEY) is None
        # this window's own recovery file keeps the moves too: a second crash loses nothing
        window.autosave.write_now()
        assert [m.new_id for m in read_recovery(window.autosave.path).moves] == ["doc-jan"]
        window.undo_stack.undo()  # the recovered edit: the document and its marks come back
        assert "doc-jan-copy" in window.state.corpus.document_by_id
        assert opened.store.get("tiny", COPY_KEY) is not None and opened.store.get("tiny", KEPT_KEY) is None
        window.undo_stack.redo()
        assert opened.store.get("tiny", KEPT_KEY) is not None and opened.store.get("tiny", COPY_KEY) is None
        assert window.edit_session.discard_moves() == 1  # closing without saving
        assert opened.store.get("tiny", COPY_KEY) is not None and opened.store.get("tiny", KEPT_KEY) is None
    finally:
        opened.close()


def test_a_move_back_that_would_meet_a_mark_keeps_both_and_says_so(make_window, tmp_path: Path) -> None:
    root, marks_path = _corpus(tmp_path, {COPY_KEY: "read in the archive"})
    _crash_after_merge(make_window, root, marks_path)
    with MarkStore.open(marks_path) as store:  # after the crash, the copy was marked again (another window)
        store.set_mark("tiny", COPY_KEY, "disputed", "marked since", footnote=1)
    window, opened = _reopen(make_window, root, marks_path)
    try:
        window.recovery.answer("discard")
        assert opened.store.get("tiny", KEPT_KEY).note == "read in the archive"  # kept, not dropped
        assert opened.store.get("tiny", COPY_KEY).note == "marked since"
        said = window.message_bar.text.text()
        assert "1 mark stays under doc-jan, as doc-jan-copy has a mark for the same citation (note 1)" in said
        assert "both are kept" in said
    finally:
        opened.close()


def test_a_recovery_whose_marks_cannot_be_moved_back_is_kept(make_window, tmp_path: Path) -> None:
    root, marks_path = _corpus(tmp_path, {COPY_KEY: "read in the archive"})
    left = _crash_after_merge(make_window, root, marks_path)
    read_only = open_marks(marks_path, read_only=True)
    try:
        window = make_window(load_corpus(root), marks=MarkBook(read_only, "tiny"))
        window.recovery.answer("discard")
        assert left.exists()  # offered again next time
        assert "cannot be moved back now" in window.message_bar.text.text()
        assert read_only.store.get("tiny", KEPT_KEY) is not None
    finally:
        read_only.close()


# The app, offscreen, on a corpus and its marks file: merges the marked copy away, then waits (to be killed).
_MERGING_APP = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from explorer.core.loader import load_corpus
    from explorer.ui.main_window import MainWindow
    from explorer.ui.marks_book import MarkBook, open_marks
    from explorer.ui.settings import Settings, open_settings

    app = QApplication([])
    marks = MarkBook(open_marks(Path(sys.argv[3])), "tiny")
    window = MainWindow(load_corpus(sys.argv[1]), Settings(open_settings(Path(sys.argv[2]))), marks=marks,
                        submit=lambda w: w())
    window.show()
    window.curation.merge("documents", "doc-jan", "doc-jan-copy")
    app.exec()
""")


@pytest.mark.slow  # starts the app in another process (about two seconds)
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX's")
def test_a_killed_merge_discarded_puts_the_marks_back(make_window, tmp_path: Path, qtbot) -> None:
    root, marks_path = _corpus(tmp_path, {COPY_KEY: "read in the archive"})
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    app = subprocess.Popen([sys.executable, "-c", _MERGING_APP, str(root), str(tmp_path / "other.ini"),
                            str(marks_path)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    kill_once_recovery_is_written(qtbot, app, root)
    window, opened = _reopen(make_window, root, marks_path)
    try:
        assert opened.store.get("tiny", KEPT_KEY) is not None  # the killed app had moved it
        window.recovery.answer("discard")
        assert opened.store.get("tiny", COPY_KEY).note == "read in the archive"
        assert opened.store.get("tiny", KEPT_KEY) is None
        assert window.marks.mark(COPY_KEY) is not None
    finally:
        opened.close()


def test_recovered_edits_with_moved_marks_are_kept_safe_at_once(make_window, tmp_path: Path) -> None:
    """Recover removes the crashed session's file: this window's own must hold the moves from then on, not
    from the autosave timer's next write a few seconds later (a crash between lost where the marks came from)."""
    root, marks_path = _corpus(tmp_path, {COPY_KEY: "read in the archive"})
    _crash_after_merge(make_window, root, marks_path)
    window, opened = _reopen(make_window, root, marks_path)
    try:
        window.recovery.answer("recover")
        assert window.edit_session.unsaved
        assert window.autosave.path.exists()  # written with the recovery, not on the timer
        assert [(m.old_id, m.new_id) for m in read_recovery(window.autosave.path).moves] == [
            ("doc-jan-copy", "doc-jan")]
    finally:
        opened.close()
