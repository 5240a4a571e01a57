"""The user's marks file, missing, read-only, locked, damaged or newer, at the app level.

The store itself (``tests/store``) opens each of these safely, keeps a
damaged file aside and never overwrites one; its kill test
(``test_marks_crash.py``: 100 writers killed at random moments, no
committed mark lost, ``PRAGMA integrity_check`` clean) covers crashes; and
``tests/ui/test_marks.py`` checks a window given each kind of file. Here:
the command, the app's own start-up (the launcher opening the file beside
the first window), and a real run, each starting with such a file.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.store.marks import MARKS_FILENAME
from explorer.ui.app import Launcher
from explorer.ui.error_dialog import ErrorReporter
from explorer.ui.settings import Settings, open_settings
from tests.store.test_marks_bad_files import make_db, set_user_version
from tests.support.corpora import REPO


def _read_only(db: Path) -> None:
    make_db(db)
    db.chmod(0o444)


def _damaged(db: Path) -> None:
    db.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 16)


def _newer(db: Path) -> None:
    make_db(db)
    set_user_version(db, 99)


STATES: dict[str, Callable[[Path], object]] = {
    "missing": lambda db: None,
    "read-only": _read_only,
    "damaged": _damaged,
    "newer-schema": _newer,
}


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(folder))
    return folder


def _snapshot(folder: Path) -> dict[str, bytes]:
    """The folder's files and their bytes, but for the shared-memory index
    (``-shm``) and the empty ``-wal`` SQLite makes beside a WAL file any reader opens."""
    return {
        p.name: p.read_bytes() for p in sorted(folder.iterdir())
        if not (p.name.endswith("-shm") or (p.name.endswith("-wal") and not p.stat().st_size))
    }


@pytest.mark.parametrize("state", sorted(STATES))
def test_audit_with_marks_reads_or_refuses_and_leaves_the_file_as_it_was(
    state: str, data_dir: Path, tiny_corpus_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = data_dir / MARKS_FILENAME
    STATES[state](db)
    before = _snapshot(data_dir)
    status = main(["audit", str(tiny_corpus_dir), "--with-marks", "--format", "json"])
    out, err = capsys.readouterr()
    if state == "damaged":  # read-only use: reported, not moved aside
        assert status == 1
        assert err.startswith(f"explorer: {db}: is damaged") and "left unchanged" in err
        assert "Traceback" not in err
    else:
        assert status == 0, err
        assert out.lstrip().startswith("[")
    assert _snapshot(data_dir) == before  # nothing written, created, renamed or deleted


@pytest.fixture
def locked(data_dir: Path) -> Iterator[Path]:
    """The marks file held by another running instance in the middle of a write."""
    db = make_db(data_dir / MARKS_FILENAME)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("UPDATE marks SET note = 'held'")
    yield db
    holder.execute("ROLLBACK")
    holder.close()


def test_audit_with_marks_locked_by_another_instance_says_so(
    locked: Path, tiny_corpus_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    started = time.monotonic()
    assert main(["audit", str(tiny_corpus_dir), "--with-marks"]) == 1
    assert time.monotonic() - started < 15  # waits out the busy timeout (BUSY_TIMEOUT, 1 s), then gives up
    err = capsys.readouterr().err
    assert f"{locked}: is locked by another program" in err and "Traceback" not in err


# What the reader is told in the window, and what must become of the file.
WINDOW: dict[str, tuple[str | None, str]] = {
    "missing": (None, "created"),
    "read-only": ("cannot be changed", "unchanged"),
    "damaged": ("was damaged", "kept aside"),
    "newer-schema": ("newer version", "unchanged"),
    "locked": ("locked by another program", "unchanged"),
}


@pytest.fixture
def start_app(qtbot, tmp_path: Path) -> Iterator[Callable[[Path, Path], Launcher]]:
    """Start the app as ``explorer CORPUS`` does, with the marks file at a given path."""
    made: list[Launcher] = []

    def start(corpus: Path, marks: Path) -> Launcher:
        launcher = Launcher(Settings(open_settings(tmp_path / "settings.ini")), ErrorReporter(),
                            submit=lambda work: work(), marks_path=marks)
        made.append(launcher)
        launcher.open(corpus)
        return launcher

    yield start
    for launcher in made:
        if launcher.window is not None:
            launcher.window.closed.disconnect()
            launcher.window.close()
            launcher.window.deleteLater()
        launcher.close_marks()


@pytest.mark.parametrize("state", sorted(WINDOW))
def test_the_app_starts_tells_the_reader_and_never_overwrites_the_file(
    qtbot, state: str, data_dir: Path, tiny_corpus_dir: Path, start_app: Callable[[Path, Path], Launcher],
) -> None:
    if state == "read-only" and hasattr(os, "geteuid") and os.geteuid() == 0:
        pytest.skip("root may write a read-only file; tests/store checks it as an unprivileged user")
    db = data_dir / MARKS_FILENAME
    holder = None
    if state == "locked":
        make_db(db)
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
    else:
        STATES[state](db)
    original = db.read_bytes() if db.exists() else None
    try:
        started = time.monotonic()
        launcher = start_app(tiny_corpus_dir, db)
        assert time.monotonic() - started < 10
        window = launcher.window
        assert window is not None and launcher.reporter.dialog is None  # a warning, not a stop
        told, fate = WINDOW[state]
        if told is None:
            assert not window.message_bar.isVisibleTo(window)
        else:
            assert window.message_bar.isVisibleTo(window)
            message = window.message_bar.text.text()
            assert told in message and str(db) in message
        # Still a reader: the panes follow the selection.
        window.state.select_event("ev-january")
        window.state.select_footnote(1)
        window.document_pane.render_now()
        assert "Telegram from Shtykov to Vyshinsky" in window.document_pane.browser.toPlainText()
    finally:
        if holder is not None:
            holder.execute("ROLLBACK")
            holder.close()
    aside = sorted(data_dir.glob(f"{MARKS_FILENAME}.corrupt-*"))
    if fate == "created":
        assert db.exists() and aside == []
    elif fate == "unchanged":
        assert db.read_bytes() == original and aside == []
    else:  # kept aside byte for byte, named in the message, and a new file started
        [kept] = [p for p in aside if not p.name.endswith(("-wal", "-shm"))]
        assert kept.read_bytes() == original and kept.name in message
        assert db.read_bytes() != original


# The real start-up, `explorer CORPUS`, with a damaged marks file in the user's
# data folder: prints the message bar and closes once the window is up.
REAL_RUN = textwrap.dedent("""
    import sys, time
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication(["explorer"])
    from explorer.ui import app as explorer_app
    from explorer.ui.main_window import MainWindow

    deadline = time.monotonic() + 60

    def poll():
        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if windows:
            print(windows[0].message_bar.text.text())
            windows[0].close()
        elif time.monotonic() > deadline:
            app.exit(3)
        else:
            QTimer.singleShot(100, poll)

    QTimer.singleShot(100, poll)
    sys.exit(explorer_app.run([sys.argv[1]]))
""")


def test_a_real_start_with_a_damaged_marks_file_keeps_it_aside_and_says_so(
    data_dir: Path, tiny_corpus_dir: Path, tmp_path: Path
) -> None:
    db = data_dir / MARKS_FILENAME
    _damaged(db)
    original = db.read_bytes()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", EXPLORER_DATA_DIR=str(data_dir),
               EXPLORER_CONFIG_DIR=str(tmp_path / "config"), EXPLORER_CACHE_DIR=str(tmp_path / "cache"))
    done = subprocess.run([sys.executable, "-c", REAL_RUN, str(tiny_corpus_dir)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    [kept] = [p for p in data_dir.glob(f"{MARKS_FILENAME}.corrupt-*") if not p.name.endswith(("-wal", "-shm"))]
    assert kept.read_bytes() == original
    assert f"{db} was damaged" in done.stdout and kept.name in done.stdout
