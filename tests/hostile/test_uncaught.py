"""An exception nobody caught, raised in a slot, becomes one dialog with the
traceback to copy, is logged, and the app stays open and usable.

In-process with the hook the app installs, and end to end through
``explorer.ui.app.run`` in a fresh process.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QGuiApplication

from explorer.core.loader import load_corpus
from explorer.ui.error_dialog import ErrorReporter
from explorer.ui.main_window import MainWindow
from explorer.ui.settings import Settings, open_settings
from tests.support.corpora import REPO


class SlotBug(RuntimeError):
    """What a bug in a slot raises."""


def _buggy_slot() -> None:
    raise SlotBug("the slot failed on purpose")


@pytest.mark.qt_no_exception_capture  # the app's own hook must see it, not pytest-qt's
def test_a_slot_that_raises_shows_one_dialog_and_the_window_stays(
    qtbot, tiny_corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    reporter = ErrorReporter()
    monkeypatch.setattr(sys, "excepthook", reporter.excepthook)  # as explorer.ui.app.run installs it
    window = MainWindow(load_corpus(tiny_corpus_dir), Settings(open_settings(tmp_path / "settings.ini")))
    qtbot.addWidget(window)
    window.show()
    action = QAction("Buggy", window)
    action.triggered.connect(_buggy_slot)
    window.addAction(action)

    with caplog.at_level(logging.ERROR, logger="explorer"):
        action.trigger()
        QTimer.singleShot(0, _buggy_slot)  # and from the event loop, not only a direct emit
        # Both arrive in the one dialog, the second added to its details.
        qtbot.waitUntil(lambda: reporter.dialog is not None
                        and reporter.dialog.details.toPlainText().count("Traceback (most recent call last)") == 2)

    dialog = reporter.dialog
    assert dialog is not None and dialog.isVisible()
    details = dialog.details.toPlainText()
    assert "SlotBug: the slot failed on purpose" in dialog.message.text()
    assert "Traceback (most recent call last)" in details and "_buggy_slot" in details
    assert len([r for r in caplog.records if r.levelno == logging.ERROR and "SlotBug" in r.getMessage()]) == 2

    (copy,) = [b for b in dialog.buttons.buttons() if b.text() == "Copy details"]
    copy.click()
    copied = QGuiApplication.clipboard().text()
    assert "SlotBug" in copied and "_buggy_slot" in copied

    dialog.choice_buttons["Close"].click()
    assert reporter.dialog is None
    assert window.isVisible()
    window.state.select_event("ev-january")
    assert window.state.event_id == "ev-january"


# Runs the app as `explorer CORPUS` would, breaks a slot once the window is up,
# then reports what is on screen as JSON and closes the window (status 0).
THROUGH_RUN = textwrap.dedent("""
    import json, sys, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication(["explorer"])
    from explorer.ui import app as explorer_app
    from explorer.ui.error_dialog import ErrorDialog
    from explorer.ui.main_window import MainWindow

    deadline = time.monotonic() + 60
    stage = {"raised": False}

    def boom():
        raise RuntimeError("a slot broke after start-up")

    def visible(kind):
        return [w for w in app.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]

    def poll():
        if time.monotonic() > deadline:
            print(json.dumps({"timeout": True}))
            app.exit(3)
            return
        windows = visible(MainWindow)
        if windows and not stage["raised"]:
            stage["raised"] = True
            QTimer.singleShot(0, boom)
        dialogs = visible(ErrorDialog)
        if windows and dialogs:
            window, dialog = windows[0], dialogs[0]
            report = {"message": dialog.message.text(), "details": dialog.details.toPlainText(),
                      "window_visible": window.isVisible()}
            dialog.choice_buttons["Close"].click()
            window.state.select_event(window.corpus.events[-1].id)
            report["usable"] = window.state.event_id == window.corpus.events[-1].id
            print(json.dumps(report))
            window.close()  # the launcher quits with status 0
            return
        QTimer.singleShot(100, poll)

    QTimer.singleShot(100, poll)
    sys.exit(explorer_app.run([sys.argv[1]]))
""")


def test_through_the_app_s_own_start_up(tiny_corpus_dir: Path, tmp_path: Path) -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", EXPLORER_CONFIG_DIR=str(tmp_path / "config"),
               EXPLORER_DATA_DIR=str(tmp_path / "data"), EXPLORER_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-c", THROUGH_RUN, str(tiny_corpus_dir)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert "RuntimeError: a slot broke after start-up" in report["message"]
    assert "Traceback (most recent call last)" in report["details"] and "in boom" in report["details"]
    assert report["window_visible"] and report["usable"]
    assert "uncaught exception" in done.stderr and "a slot broke after start-up" in done.stderr  # logged
