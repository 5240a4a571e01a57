"""Every hostile corpus in :mod:`tests.hostile.inputs` is refused, naming the file and the place,
quickly, through the command line and through the window, which stays usable.

Each case is built in a folder whose path has spaces and non-ASCII letters,
so every test here also covers such a path.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from explorer.cli import main
from explorer.core.errors import CorpusError, Problem
from explorer.core.loader import load_corpus
from explorer.ui.app import Launcher
from explorer.ui.error_dialog import ErrorReporter
from explorer.ui.settings import Settings, open_settings
from tests.hostile.inputs import AWKWARD_NAME, CASES, ESSAY_CASES, Hostile
from tests.support.corpora import REPO, write_corpus

#: How long refusing any of these may take, in CPU seconds (a loaded machine slows the wall
#: clock, not the work). Measured: under 0.2 s each; the margin is for slow CI machines, not for slow code.
REFUSAL_SECONDS = 5.0


@pytest.fixture(params=CASES, ids=lambda case: case.name)
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Hostile, Path]:
    case: Hostile = request.param
    return case, case.build(tmp_path / AWKWARD_NAME)


def test_refused_quickly_naming_the_file_and_place(hostile: tuple[Hostile, Path]) -> None:
    case, root = hostile
    started = time.process_time()
    with pytest.raises(CorpusError) as raised:
        load_corpus(root)
    assert time.process_time() - started < REFUSAL_SECONDS
    problems = raised.value.problems
    assert any(case.matches(root, p) for p in problems), (
        f"expected {case.where(root)}: ...{case.says}..., got:\n{raised.value.details()}"
    )


def test_command_line_prints_the_file_and_place_and_exits_1(
    hostile: tuple[Hostile, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    case, root = hostile
    assert main(["check", str(root)]) == 1
    out, err = capsys.readouterr()
    assert f"{case.where(root)}:" in err and case.says in err
    assert out == ""

    assert main(["check", str(root), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)  # nothing but JSON on stdout
    assert report["valid"] is False
    assert any(case.matches(root, Problem(**error)) for error in report["errors"])

    assert main(["audit", str(root)]) == 1
    assert f"{case.where(root)}:" in capsys.readouterr().err


@pytest.mark.parametrize("case", ESSAY_CASES, ids=lambda case: case.name)
def test_importing_a_broken_essay_names_the_place_and_creates_nothing(
    case: Hostile, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = case.build(tmp_path / AWKWARD_NAME)
    target = tmp_path / "new corpus"
    assert main(["import", str(root / "essay.txt"), str(target)]) == 1
    err = capsys.readouterr().err
    assert f"{case.where(root)}:" in err and case.says in err and "Traceback" not in err
    assert not target.exists() or not any(target.iterdir())


@pytest.fixture
def launcher(qtbot, tmp_path: Path) -> Iterator[Launcher]:
    """A launcher loading synchronously, with its own settings, and a good corpus open."""
    settings = Settings(open_settings(tmp_path / "settings" / "explorer.ini"))
    opened = Launcher(settings, ErrorReporter(), submit=lambda work: work())
    opened.open(write_corpus(tmp_path / "good"))
    assert opened.window is not None
    yield opened
    if opened.reporter.dialog is not None:
        opened.reporter.dialog.done(0)
    if opened.window is not None:
        opened.window.closed.disconnect()
        opened.window.close()
        opened.window.deleteLater()


def test_window_lists_the_problems_and_stays_usable(qtbot, launcher: Launcher,
                                                    hostile: tuple[Hostile, Path]) -> None:
    case, root = hostile
    window = launcher.window
    assert window is not None
    started = time.process_time()
    launcher.open(root)
    assert time.process_time() - started < REFUSAL_SECONDS

    dialog = launcher.reporter.dialog
    assert dialog is not None and dialog.isVisible()
    details = dialog.details.toPlainText()
    assert f"{case.where(root)}:" in details and case.says in details
    assert str(root) in dialog.message.text()

    # The open window is untouched, and works once the dialog is closed.
    assert launcher.window is window and window.isVisible()
    qtbot.mouseClick(dialog.choice_buttons["Close"], Qt.MouseButton.LeftButton)
    assert launcher.reporter.dialog is None
    window.state.select_event("ev-march")
    assert window.state.event_id == "ev-march"
    window.document_pane.render_now()
    assert "Kim asks to attack" in window.document_pane.event_label.text()


# A crash in C (libyaml) or a hang on a pipe would not show as an exception: run
# the command for real and check it exits on its own, with status 1.
PROCESS_CASES = ("yaml-billion-laughs", "yaml-too-deep", "yaml-200-mb", "yaml-fifo", "yaml-endless-device",
                 "yaml-too-many-values", "essay-over-the-size-limit", "essay-binary", "folder-symlink-loop")


@pytest.mark.parametrize("name", PROCESS_CASES)
def test_the_process_exits_by_itself_with_status_1(name: str, tmp_path: Path) -> None:
    cases = [case for case in CASES if case.name == name]
    if not cases:
        pytest.skip(f"{name} does not apply on this platform")
    case = cases[0]
    root = case.build(tmp_path / AWKWARD_NAME)
    done = subprocess.run([sys.executable, "-m", "explorer", "check", str(root)], cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=False)
    assert done.returncode == 1, done.stderr
    assert f"{case.where(root)}:" in done.stderr and "Traceback" not in done.stderr
