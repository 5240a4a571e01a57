"""Unsaved edits survive a crash: a killed app's recovery file is offered back, and recovering restores them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from explorer.core.corpus_edit import SetField
from explorer.core.loader import load_corpus
from explorer.core.recovery import corpus_tag, recovery_folder
from explorer.ui.main_window import MainWindow
from tests.support.corpora import REPO
from tests.support.recovery import dead_pid, kill_once_recovery_is_written, recovery_files

# The app, offscreen, on a corpus: one edit through the edit session, then it waits (to be killed).
_EDITING_APP = textwrap.dedent("""
    import sys
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from explorer.core.corpus_edit import SetField
    from explorer.core.loader import load_corpus
    from explorer.ui.main_window import MainWindow
    from explorer.ui.settings import Settings, open_settings

    app = QApplication([])
    window = MainWindow(load_corpus(sys.argv[1]), Settings(open_settings(Path(sys.argv[2]))), submit=lambda w: w())
    window.autosave.timer.setInterval(50)
    window.show()
    window.edit_session.push(SetField("events", "ev-march", "title", "Kim asks again"))
    app.exec()
""")



# Starts the app in another process (about two seconds): not in the slow tier (make test-slow), the
# only check that a killed app's edits come back.
@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX's")
def test_a_killed_apps_edits_are_offered_back_and_recovered(make_window, tiny_corpus_dir: Path, tmp_path: Path,
                                                            qtbot) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(REPO)}
    app = subprocess.Popen([sys.executable, "-c", _EDITING_APP, str(tiny_corpus_dir), str(tmp_path / "other.ini")],
                           env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    kill_once_recovery_is_written(qtbot, app, tiny_corpus_dir)
    assert "Kim asks to attack" in (tiny_corpus_dir / "events.yaml").read_text(encoding="utf-8")  # never saved

    window: MainWindow = make_window(load_corpus(tiny_corpus_dir))
    offer = window.recovery
    assert offer.box is not None and offer.box.text().startswith("Recover unsaved edits from ")
    offer.answer("recover")
    assert window.state.corpus.event_by_id["ev-march"].title == "Kim asks again"
    assert window.edit_session.unsaved and window.isWindowModified()
    assert window.undo_stack.count() == 1 and window.undo_stack.undoText().startswith("Recover unsaved edits")
    assert window.event_list.index_of("ev-march").data() == "Kim asks again"  # the panes show it
    # the killed session's file is gone: its edits are this window's now (kept in its own file)
    assert [p for p in recovery_files(tiny_corpus_dir) if p != window.autosave.path] == []
    window.undo_stack.undo()
    assert window.state.corpus.event_by_id["ev-march"].title == "Kim asks to attack"



def _left_recovery(make_window, root: Path, title: str) -> Path:
    """A recovery file as a crashed session would leave it (written by a window, then made another pid's)."""
    window: MainWindow = make_window(load_corpus(root))
    window.edit_session.push(SetField("events", "ev-march", "title", title))
    window.autosave.write_now()
    written = window.autosave.path
    data = json.loads(written.read_text(encoding="utf-8"))
    data["pid"] = dead_pid()
    path = written.with_name(written.name.replace(f".{os.getpid()}-", f".{data['pid']}-"))
    path.write_text(json.dumps(data), encoding="utf-8")
    written.unlink()
    return path


def test_discard_and_later(make_window, tiny_corpus_dir: Path) -> None:
    path = _left_recovery(make_window, tiny_corpus_dir, "Kim asks again")
    later = make_window(load_corpus(tiny_corpus_dir))
    later.recovery.answer("later")
    assert path.exists() and not later.edit_session.unsaved
    discard = make_window(load_corpus(tiny_corpus_dir))
    discard.recovery.answer("discard")
    assert not path.exists() and not discard.edit_session.unsaved
    assert make_window(load_corpus(tiny_corpus_dir)).recovery.box is None  # nothing left to offer


def test_a_file_changed_since_is_not_applied_blindly(make_window, tiny_corpus_dir: Path) -> None:
    _left_recovery(make_window, tiny_corpus_dir, "Kim asks again")
    events = tiny_corpus_dir / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("Stalin agrees to help", "Stalin agrees"),
                      encoding="utf-8")
    window: MainWindow = make_window(load_corpus(tiny_corpus_dir))
    assert "events.yaml changed since" in window.recovery.box.informativeText()
    window.recovery.answer("recover")
    assert window.state.corpus.event_by_id["ev-march"].title == "Kim asks to attack"  # not applied
    assert not window.edit_session.unsaved
    message = window.message_bar.text.text()
    assert "events.yaml changed since" in message
    folder = next(recovery_folder().glob(f"{corpus_tag(tiny_corpus_dir)}.*-recovered"))
    assert str(folder) in message  # told where the recovered text is kept
    assert "Kim asks again" in (folder / "events.yaml").read_text(encoding="utf-8")
