"""Opening the reader's own essay from the window: File > Open, drops, Open Recent, Cancel, errors."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from explorer.core import corpus_new
from explorer.ui import essay_open
from explorer.ui.app import Launcher
from explorer.ui.error_dialog import ErrorReporter
from explorer.ui.settings import Settings
from tests.support.corpora import REPO, TINY_ESSAY
from tests.support.launching import Deferred, close_launchers, record_quits


@pytest.fixture
def essay(tmp_path: Path) -> Path:
    path = tmp_path / "My Essay.txt"
    path.write_text(TINY_ESSAY, encoding="utf-8")
    return path


@pytest.fixture
def launcher(qtbot, settings: Settings, tmp_path: Path):
    made: list[Launcher] = []

    def make(submit: Callable[[Callable[[], None]], None] = lambda work: work()) -> Launcher:
        opened = Launcher(settings, ErrorReporter(), submit=submit, cache_dir=tmp_path / "cache")
        record_quits(opened)
        made.append(opened)
        return opened

    yield make
    close_launchers(made)


def _dialogs(monkeypatch, *, file: Path | None = None, folder: Path | None = None) -> list[str]:
    """File dialogs that answer at once with *file* and *folder*; returns the titles they were asked with."""
    asked: list[str] = []

    def get_open_file_name(parent, title, start, filters):
        asked.append(title)
        assert "*.docx" in filters and "*.odt" in filters and "*.md" in filters and "*.txt" in filters
        return (str(file) if file else "", "")

    def get_existing_directory(parent, title, start):
        asked.append(f"{title} [{start}]")
        return str(folder) if folder else ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", get_open_file_name)
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", get_existing_directory)
    return asked


def test_the_essays_folder_is_the_cores(tmp_path: Path) -> None:
    assert essay_open.ESSAYS_DIR == corpus_new.ESSAYS_DIR


def test_file_open_imports_an_essay_where_the_reader_chooses(
    monkeypatch, launcher, tiny_corpus_dir: Path, essay: Path, tmp_path: Path
) -> None:
    opened = launcher()
    opened.open(tiny_corpus_dir)
    old = opened.window
    assert old is not None
    place = tmp_path / "my corpora"
    place.mkdir()
    asked = _dialogs(monkeypatch, file=essay, folder=place)
    old.open_action.trigger()
    assert asked[0] == "Open an essay or a corpus"
    # the place dialog starts in the user's data folder's essays/ (the tests' sandbox)
    assert asked[1].startswith("Choose where to keep the corpus made from My Essay.txt [")
    assert asked[1].endswith(f"{essay_open.essays_dir()}]")
    window = opened.window
    assert window is not None and window is not old
    assert window.corpus.path.parent == place and window.corpus.path.name.startswith("my-essay-")
    assert len(window.corpus.essay.footnotes) == 2
    assert window.corpus.events and all(e.draft for e in window.corpus.events)


def test_cancelling_the_place_dialog_opens_nothing(monkeypatch, launcher, tiny_corpus_dir, essay) -> None:
    opened = launcher()
    opened.open(tiny_corpus_dir)
    old = opened.window
    _dialogs(monkeypatch, file=essay, folder=None)
    old.open_action.trigger()
    assert opened.window is old and opened.loading is None


def test_file_open_of_a_manifest_opens_its_folder(monkeypatch, launcher, tiny_corpus_dir, make_corpus) -> None:
    opened = launcher()
    opened.open(tiny_corpus_dir)
    other = make_corpus(name="other")
    _dialogs(monkeypatch, file=other / "corpus.yaml")
    opened.window.open_action.trigger()
    assert opened.window.corpus.path == other


def test_a_window_replaced_by_another_corpus_is_deleted(qtbot, launcher, tiny_corpus_dir, make_corpus) -> None:
    opened = launcher()
    opened.open(tiny_corpus_dir)
    first = opened.window
    opened.open(make_corpus(name="other"))
    assert opened.window is not first and not first.isVisible()
    # Not only hidden: each File > Open kept a whole window (and its corpus) alive until the app quit.
    qtbot.waitUntil(lambda: not shiboken6.isValid(first))


def _drop(widget, path: Path) -> tuple[bool, bool]:
    """Drag *path* over *widget* and drop it; whether the drag was accepted and the drop taken."""
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    actions = Qt.DropAction.CopyAction
    enter = QDragEnterEvent(QPoint(5, 5), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, enter)
    drop = QDropEvent(QPointF(5, 5), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(widget, drop)
    return enter.isAccepted(), drop.isAccepted()


def test_dropping_an_essay_on_the_window_imports_and_opens_it(
    monkeypatch, launcher, tiny_corpus_dir, essay, tmp_path
) -> None:
    opened = launcher()
    opened.open(tiny_corpus_dir)
    _dialogs(monkeypatch, folder=tmp_path)
    assert _drop(opened.window, essay) == (True, True)
    assert opened.window.corpus.path.parent == tmp_path
    assert opened.window.corpus.manifest.id == "my-essay"


def test_dropping_a_corpus_folder_on_the_window_opens_it(launcher, tiny_corpus_dir, make_corpus) -> None:
    opened = launcher()
    opened.open(tiny_corpus_dir)
    other = make_corpus(name="other")
    assert _drop(opened.window, other) == (True, True)
    assert opened.window.corpus.path == other


def test_a_drag_of_nothing_local_is_refused(launcher, tiny_corpus_dir, tmp_path) -> None:
    opened = launcher()
    opened.open(tiny_corpus_dir)
    old = opened.window
    assert _drop(old, tmp_path / "gone.docx") == (False, False)
    assert opened.window is old and opened.loading is None


def test_dropping_on_the_start_window_opens_that_instead(
    monkeypatch, launcher, tiny_corpus_dir, essay, tmp_path
) -> None:
    pool = Deferred()
    opened = launcher(pool)
    opened.open(tiny_corpus_dir)
    start = opened.start_window
    assert start is not None
    _dialogs(monkeypatch, folder=tmp_path)
    assert _drop(start, essay) == (True, True)
    assert opened.loading == essay
    pool.run()
    assert opened.window is not None and opened.window.corpus.manifest.id == "my-essay"


def test_open_recent_lists_the_corpora_opened_and_reopens_one(launcher, tiny_corpus_dir, make_corpus, essay) -> None:
    opened = launcher()
    other = make_corpus(name="other & more")
    opened.open(other)
    opened.open(essay)  # imported under the data folder, as `explorer ESSAY` does
    imported = opened.window.corpus.path
    opened.open(tiny_corpus_dir)
    assert opened.settings.recent[:3] == [tiny_corpus_dir, imported, other]
    menu = opened.window.recent_menu
    menu.aboutToShow.emit()
    labels = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert labels == [f"&1 {imported}", f"&2 {str(other).replace('&', '&&')}", "&Clear Menu"]  # not the open one
    menu.actions()[1].trigger()
    assert opened.window.corpus.path == other
    opened.window.recent_menu.aboutToShow.emit()
    opened.window.recent_menu.actions()[-1].trigger()  # Clear Menu
    assert opened.settings.recent == []
    opened.window.recent_menu.aboutToShow.emit()
    (empty,) = opened.window.recent_menu.actions()
    assert empty.text() == "No recent corpora" and not empty.isEnabled()


def test_cancel_stops_an_import_and_keeps_the_window(qtbot, launcher, tiny_corpus_dir, essay) -> None:
    pool = Deferred()
    opened = launcher(pool)
    opened.open(tiny_corpus_dir)
    pool.run()
    old = opened.window
    phases: list[str] = []
    opened.loader.progressed.connect(lambda phase, _fraction: phases.append(phase))
    old.open_essay_requested.emit(essay, essay.parent / "imported")
    progress = opened.progress
    assert progress is not None and progress.title.text() == "Opening My Essay.txt…"
    qtbot.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)
    pool.run()  # the job stops at its first phase: nothing is imported or shown
    assert phases == [] and not (essay.parent / "imported").exists()
    assert opened.window is old and opened.loading is None and opened.quits == []


def test_an_import_reports_its_phase(launcher, essay) -> None:
    pool = Deferred()
    opened = launcher(pool)
    phases: list[str] = []
    opened.loader.progressed.connect(lambda phase, _fraction: phases.append(phase))
    opened.open(essay)
    pool.run()
    assert phases[0] == "Importing the essay" and len(phases) > 1
    assert opened.window is not None


def test_a_broken_essay_is_shown_with_its_file_and_line(launcher, tmp_path) -> None:
    broken = tmp_path / "broken.txt"
    broken.write_text(TINY_ESSAY.replace("[2:  Ciphered", "[3:  Ciphered"), encoding="utf-8")
    opened = launcher()
    opened.open(broken)
    dialog = opened.reporter.dialog
    assert dialog is not None and opened.window is None
    assert dialog.windowTitle() == "Cannot open the essay"
    assert dialog.message.text() == (f"The essay {broken} cannot be opened: it has 2 problems. "
                                     "Each is listed below with its file and line.")
    details = dialog.details.toPlainText()
    assert f"{broken}:3:75: [footnote 2]" in details and f"{broken}:3:91: [footnote 3]" in details
    assert not (essay_open.essays_dir() / "broken").exists()


def test_an_essay_given_on_the_command_line_is_imported_once_then_reused(launcher, essay) -> None:
    opened = launcher()
    opened.open(essay)  # `explorer ESSAY.txt`
    first = opened.window.corpus.path
    assert first.parent == essay_open.essays_dir() and first.name.startswith("my-essay-")
    made = {p.name: p.stat().st_ino for p in first.iterdir()}
    opened.open(essay)
    assert opened.window.corpus.path == first
    assert {p.name: p.stat().st_ino for p in first.iterdir()} == made  # not written again
    assert [p for p in essay_open.essays_dir().iterdir() if p.name.startswith("my-essay-")] == [first]


def test_explorer_essay_opens_the_window(tmp_path, essay) -> None:
    """The whole path, as a reader types it: `explorer ESSAY.txt` imports under the data folder and shows it."""
    out = tmp_path / "shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", EXPLORER_CONFIG_DIR=str(tmp_path / "config"),
               EXPLORER_DATA_DIR=str(tmp_path / "data"), EXPLORER_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-m", "explorer", str(essay), "--screenshot", str(out)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    (folder,) = (tmp_path / "data" / "essays").iterdir()
    assert (folder / "essay.txt").read_text(encoding="utf-8") == TINY_ESSAY


def test_a_replaced_window_that_keeps_its_unsaved_edits_keeps_the_app_open(qtbot, launcher, tiny_corpus_dir,
                                                                          make_corpus) -> None:
    """File > Open with unsaved edits: the old window asks; if the reader cancels, it stays, and closing the
    new window must not quit the app under it (its edits would be lost)."""
    from explorer.core.corpus_edit import SetField

    opened = launcher()
    opened.open(tiny_corpus_dir)
    first = opened.window
    first.edit_session.push(SetField("events", "ev-march", "title", "Kim asks again"))
    opened.open(make_corpus(name="other"))
    second = opened.window
    assert second is not first and first.isVisible() and first.close_prompt is not None
    first.close_prompt.button(QMessageBox.StandardButton.Cancel).click()
    assert first.isVisible() and first.edit_session.unsaved
    second.close()
    assert opened.quits == [] and opened.window is first and first.isVisible()
    first.close()
    first.close_prompt.button(QMessageBox.StandardButton.Discard).click()
    assert opened.quits == [0] and opened.window is None
