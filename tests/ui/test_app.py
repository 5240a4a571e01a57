"""Starting the app: opening corpora, bad corpora, uncaught exceptions, screenshots."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from explorer.ui.app import Launcher, parse_args
from explorer.ui.error_dialog import ErrorReporter
from explorer.ui.loading import LoadProgress
from explorer.ui.settings import Settings
from tests.support.corpora import REPO
from tests.support.launching import close_launchers, launchers, record_quits


@pytest.fixture
def launcher(qtbot, settings: Settings):
    made = []

    def make(**options: object) -> Launcher:
        launcher = Launcher(settings, ErrorReporter(), submit=lambda work: work(), **options)  # type: ignore[arg-type]
        record_quits(launcher)
        made.append(launcher)
        return launcher

    yield make
    close_launchers(made)


def test_arguments() -> None:
    args = parse_args(["some/folder", "--select", "fn12", "--screenshot", "out.png"])
    assert (args.corpus, args.select, args.screenshot) == (Path("some/folder"), "fn12", Path("out.png"))
    assert parse_args([]).corpus is None


def test_opens_a_corpus_at_the_selected_id(launcher, tiny_corpus_dir: Path) -> None:
    opened = launcher(select="fn2")
    opened.open(tiny_corpus_dir)
    assert opened.window is not None
    assert opened.window.state.footnote == 2
    assert opened.window.state.document == "doc-jan"


def test_an_unknown_id_is_said_in_the_status_bar(launcher, tiny_corpus_dir: Path) -> None:
    opened = launcher(select="nothing-like-this")
    opened.open(tiny_corpus_dir)
    assert opened.window is not None
    assert "nothing-like-this" in opened.window.statusBar().currentMessage()


def test_a_bad_corpus_lists_every_problem_and_offers_the_default(
    qtbot, launcher, make_corpus: Callable[..., Path]
) -> None:
    bad = make_corpus({"events.yaml": "events:\n  - id: x\n    date: 1950-13-45\n    colour: red\n",
                       "places.yaml": "places: [oops"})
    opened = launcher()
    opened.open(bad)
    dialog = opened.reporter.dialog
    assert dialog is not None and opened.window is None
    details = dialog.details.toPlainText()
    assert "events.yaml:3" in details and "colour" in details and "places.yaml" in details
    assert "problems" in dialog.message.text()
    qtbot.mouseClick(dialog.choice_buttons["Open the Default Corpus"], Qt.MouseButton.LeftButton)
    assert opened.window is not None
    assert opened.window.corpus.manifest.id == "korea-1950"


def _folder_dialog(monkeypatch, answer: Path | None) -> list[str]:
    """A folder dialog that, like the real one, runs an event loop before it answers."""
    asked = []

    def get_existing_directory(*args: object, **kwargs: object) -> str:
        asked.append("asked")
        loop = QEventLoop()
        QTimer.singleShot(0, loop.quit)  # after the timers already due (the error dialog's close)
        loop.exec()
        return "" if answer is None else str(answer)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", get_existing_directory)
    return asked


def test_choose_another_folder_opens_it(qtbot, monkeypatch, launcher, tiny_corpus_dir: Path) -> None:
    asked = _folder_dialog(monkeypatch, tiny_corpus_dir)
    opened = launcher()
    opened.open(tiny_corpus_dir.parent / "no-such-folder")
    dialog = opened.reporter.dialog
    assert dialog is not None and opened.window is None
    qtbot.mouseClick(dialog.choice_buttons["Choose Another Folder…"], Qt.MouseButton.LeftButton)
    assert asked == ["asked"]
    assert opened.window is not None and opened.window.corpus.manifest.id == "tiny"
    assert opened.quits == []


def test_cancelling_the_folder_dialog_goes_back_to_the_choices(
    qtbot, monkeypatch, launcher, tiny_corpus_dir: Path
) -> None:
    asked = _folder_dialog(monkeypatch, None)
    opened = launcher()
    opened.open(tiny_corpus_dir.parent / "no-such-folder")
    first = opened.reporter.dialog
    assert first is not None
    qtbot.mouseClick(first.choice_buttons["Choose Another Folder…"], Qt.MouseButton.LeftButton)
    assert asked == ["asked"]
    again = opened.reporter.dialog
    assert again is not None and again is not first
    assert "no-such-folder" in again.message.text()
    assert opened.quits == [] and opened.window is None
    qtbot.mouseClick(again.choice_buttons["Quit"], Qt.MouseButton.LeftButton)
    assert opened.quits == [1]


def test_uncaught_exceptions_become_one_dialog(qtbot) -> None:
    reporter = ErrorReporter()
    for message in ("first", "second"):
        try:
            raise ValueError(message)
        except ValueError as exc:
            reporter.excepthook(type(exc), exc, exc.__traceback__)
    dialog = reporter.dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert "ValueError: first" in dialog.message.text()
    assert "ValueError: second" in dialog.details.toPlainText()
    dialog.choice_buttons["Close"].click()
    assert reporter.dialog is None


def run_explorer(*args: str, config: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", EXPLORER_CONFIG_DIR=str(config))
    return subprocess.run([sys.executable, "-m", "explorer", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=120, check=False)


def test_screenshot_renders_a_png_and_exits(tmp_path: Path, tiny_corpus_dir: Path) -> None:
    out = tmp_path / "shots" / "tiny.png"
    done = run_explorer(str(tiny_corpus_dir), "--select", "ev-january", "--screenshot", str(out), config=tmp_path)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not (tmp_path / "explorer.ini").exists()  # a screenshot leaves the user's settings alone


def test_screenshot_of_a_bad_corpus_or_id_fails_with_the_reason(tmp_path: Path, make_corpus) -> None:
    bad = make_corpus({"people.yaml": "people: 3\n"})
    done = run_explorer(str(bad), "--screenshot", str(tmp_path / "x.png"), config=tmp_path)
    assert done.returncode == 1
    assert "people.yaml" in done.stderr
    good = make_corpus(name="good")
    done = run_explorer(str(good), "--select", "zzz", "--screenshot", str(tmp_path / "y.png"), config=tmp_path)
    assert done.returncode == 2
    assert "zzz" in done.stderr


def _env_without_display() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}


def test_screenshot_needs_no_display_and_no_platform_variable(tmp_path) -> None:
    import subprocess
    import sys

    out = tmp_path / "shot.png"
    done = subprocess.run([sys.executable, "-m", "explorer", "--screenshot", str(out), "--select", "fn12"],
                          env=_env_without_display(), capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_no_display_is_a_clear_error_not_an_abort() -> None:
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "explorer"], env=_env_without_display(), capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 1
    assert "no display" in done.stderr


@pytest.fixture
def deferred_launcher(qtbot, settings: Settings, tmp_path: Path):
    with launchers(settings, tmp_path / "cache") as make:
        yield make


def test_start_up_shows_a_window_frame_at_once_then_the_corpus(qtbot, deferred_launcher, tiny_corpus_dir) -> None:
    opened, pool = deferred_launcher()
    phases: list[str] = []
    opened.loader.progressed.connect(lambda phase, _fraction: phases.append(phase))
    opened.open(tiny_corpus_dir)
    start = opened.start_window
    assert start is not None and start.isVisible() and opened.window is None
    assert start.progress.title.text() == f"Opening {tiny_corpus_dir.name}…"
    assert start.progress.cancel_button.isVisible()
    pool.run()
    assert phases[0] == "Checking the corpus files" and len(phases) >= 2
    assert opened.window is not None and opened.window.isVisible()
    assert opened.start_window is None and not start.isVisible()
    assert opened.loading is None and opened.quits == []


def test_cancel_at_start_up_discards_the_load_and_quits(qtbot, deferred_launcher, tiny_corpus_dir) -> None:
    opened, pool = deferred_launcher()
    opened.open(tiny_corpus_dir)
    assert opened.start_window is not None
    qtbot.mouseClick(opened.start_window.progress.cancel_button, Qt.MouseButton.LeftButton)
    assert opened.start_window is None and opened.loading is None
    pool.run()  # the load runs on and finishes: discarded
    assert opened.window is None
    assert opened.quits == [0]


def test_file_open_keeps_the_old_window_usable_and_cancel_keeps_it(
    qtbot, deferred_launcher, tiny_corpus_dir, make_corpus
) -> None:
    opened, pool = deferred_launcher()
    opened.open(tiny_corpus_dir)
    pool.run()
    old = opened.window
    assert old is not None
    other = make_corpus(name="other")
    old.open_corpus_requested.emit(other)
    progress = opened.progress
    assert progress is not None and progress.window() is old and progress.isVisible()
    assert f"Opening {other.name}…" == progress.title.text()
    assert QApplication.activeModalWidget() is None and old.isEnabled()
    assert old.state.select("ev-march")  # the reader goes on reading
    assert old.state.selection.event == "ev-march"
    qtbot.mouseClick(progress.cancel_button, Qt.MouseButton.LeftButton)
    assert opened.progress is None and not progress.isVisible()
    pool.run()
    assert opened.window is old and old.isVisible()
    assert opened.quits == []


def test_file_open_replaces_the_window_when_loaded_and_the_newest_request_wins(
    qtbot, deferred_launcher, tiny_corpus_dir, make_corpus
) -> None:
    opened, pool = deferred_launcher()
    opened.open(tiny_corpus_dir)
    pool.run()
    old = opened.window
    assert old is not None
    first = make_corpus(name="first")
    second = make_corpus({"corpus.yaml": "id: second\ntitle: Second\nsource: essay.txt\nformat: tika-text\n"},
                         name="second")
    opened.open(first)
    opened.open(second)  # before the first has loaded: it is superseded
    pool.run()
    new = opened.window
    assert new is not None and new is not old and new.corpus.path == second
    assert not old.isVisible() and new.isVisible()
    assert opened.progress is None and opened.loading is None


def test_closing_the_window_while_a_corpus_loads_cancels_it_and_quits(
    qtbot, deferred_launcher, tiny_corpus_dir, make_corpus
) -> None:
    opened, pool = deferred_launcher()
    opened.open(tiny_corpus_dir)
    pool.run()
    assert opened.window is not None
    opened.open(make_corpus(name="other"))
    opened.window.close()
    assert opened.window is None and opened.loading is None
    pool.run()
    assert opened.window is None and opened.quits == [0]


def test_a_load_in_the_thread_pool_reaches_the_window(qtbot, settings, tiny_corpus_dir, tmp_path) -> None:
    opened = Launcher(settings, ErrorReporter(), cache_dir=tmp_path / "cache")
    with qtbot.waitSignal(opened.loader.loaded, timeout=20000):
        opened.open(tiny_corpus_dir)
    assert opened.window is not None and opened.window.corpus.manifest.id == "tiny"
    assert opened.start_window is None
    opened.window.closed.disconnect()
    opened.window.close()
    opened.window.deleteLater()


def test_load_progress_shows_busy_then_how_far(qtbot) -> None:
    progress = LoadProgress("big <b>corpus</b>")
    qtbot.addWidget(progress)
    assert progress.title.textFormat() == Qt.TextFormat.PlainText
    assert (progress.bar.minimum(), progress.bar.maximum()) == (0, 0)  # busy
    progress.set_phase("Reading the compiled copy", 0.5)
    assert progress.phase.text() == "Reading the compiled copy"
    assert progress.bar.value() == progress.bar.maximum() // 2 > 0
    progress.set_phase("Reading and checking the corpus files", None)
    assert progress.bar.maximum() == 0
