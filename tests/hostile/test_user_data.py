"""The user's marks file, missing, read-only, locked, damaged or newer, at the app level.

The store itself (``tests/store``) opens each of these safely, keeps a
damaged file aside and never overwrites one; its kill test
(``test_marks_crash.py``: 100 writers killed at random moments, no
committed mark lost, ``PRAGMA integrity_check`` clean) covers crashes. Here:
what the command and the window do when they start with such a file.

The window has no verification-mark integration yet, so the window test can
only check that starting it leaves the file as it was; when marks reach the
window it should also check the warning it shows (see the report).
"""

from __future__ import annotations

import sqlite3
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
    assert time.monotonic() - started < 15  # waits out the busy timeout (5 s), then gives up
    err = capsys.readouterr().err
    assert f"{locked}: is locked by another program" in err and "Traceback" not in err


@pytest.mark.parametrize("state", sorted(STATES))
def test_the_window_starts_and_leaves_the_marks_file_as_it_was(
    qtbot, state: str, data_dir: Path, tiny_corpus_dir: Path, tmp_path: Path
) -> None:
    STATES[state](data_dir / MARKS_FILENAME)
    before = _snapshot(data_dir)
    launcher = Launcher(Settings(open_settings(tmp_path / "settings.ini")), ErrorReporter(),
                        submit=lambda work: work())
    launcher.open(tiny_corpus_dir)
    window = launcher.window
    assert window is not None and launcher.reporter.dialog is None
    window.state.select_footnote(2)
    window.closed.disconnect()
    window.close()
    window.deleteLater()
    assert _snapshot(data_dir) == before
