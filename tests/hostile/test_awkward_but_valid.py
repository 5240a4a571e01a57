"""Inputs that look wrong but are fine, and folders the user cannot read.

Files saved by Windows editors (a UTF-8 BOM, CRLF line ends) and corpora in
folders named with spaces and non-ASCII letters load exactly as the plain
tiny corpus does; unreadable folders and files are refused with the reason.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.core.errors import CorpusError, Problem
from explorer.core.loader import load_corpus
from explorer.ui.app import Launcher
from explorer.ui.error_dialog import ErrorReporter
from explorer.ui.settings import Settings, open_settings
from tests.hostile.inputs import AWKWARD_NAME
from tests.store.test_marks_bad_files import as_unprivileged
from tests.support.corpora import write_corpus


def _same_records(a: Path, b: Path) -> None:
    left, right = load_corpus(a), load_corpus(b)
    assert left.essay.passages == right.essay.passages
    assert left.essay.footnotes == right.essay.footnotes
    for kind in ("events", "documents", "people", "sources", "places"):
        assert getattr(left, kind) == getattr(right, kind), kind


def test_bom_and_crlf_in_every_file_load_as_plain_utf8(tmp_path: Path) -> None:
    plain = write_corpus(tmp_path / "plain")
    windows = write_corpus(tmp_path / "windows")
    for path in windows.iterdir():
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    _same_records(plain, windows)


def test_old_mac_line_ends_load_too(tmp_path: Path) -> None:
    plain = write_corpus(tmp_path / "plain")
    mac = write_corpus(tmp_path / "mac")
    for path in mac.iterdir():
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r"))
    _same_records(plain, mac)


def test_a_folder_with_spaces_and_non_ascii_letters_opens_everywhere(
    qtbot, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = write_corpus(tmp_path / AWKWARD_NAME / "sous-dossier é")
    assert main(["check", str(root)]) == 0
    assert str(root) in capsys.readouterr().out
    assert main(["audit", str(root)]) == 0

    launcher = Launcher(Settings(open_settings(tmp_path / "settings.ini")), ErrorReporter(),
                        submit=lambda work: work())
    launcher.open(root)
    assert launcher.reporter.dialog is None
    window = launcher.window
    assert window is not None and window.corpus.path == root
    window.closed.disconnect()
    window.close()
    window.deleteLater()


# -- folders and files this user may not read -------------------------------------


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder the unprivileged user can reach (pytest's tmp_path is root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="explorer-hostile-"))
    folder.chmod(0o755)
    yield folder
    for sub in [folder, *folder.rglob("*")]:
        if sub.is_dir() and not sub.is_symlink():
            sub.chmod(0o755)
    shutil.rmtree(folder)


def _check_as_unprivileged(root: Path) -> tuple[int, list[Problem]]:
    """``explorer check`` and the loader, run where file permissions apply."""

    def run() -> tuple[int, list[Problem]]:
        try:
            load_corpus(root)
            problems: list[Problem] = []
        except CorpusError as exc:
            problems = list(exc.problems)
        with open(os.devnull, "w") as quiet:
            saved, sys.stderr = sys.stderr, quiet
            try:
                status = main(["check", str(root)])
            finally:
                sys.stderr = saved
        return status, problems

    return as_unprivileged(run)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_an_unreadable_folder_is_refused_with_the_reason(shared_dir: Path) -> None:
    root = write_corpus(shared_dir / AWKWARD_NAME)
    root.chmod(0o000)
    status, problems = _check_as_unprivileged(root)
    assert status == 1
    assert [(p.file, p.line) for p in problems] == [(str(root / "corpus.yaml"), None)]
    assert "Permission denied" in problems[0].message


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_an_unreadable_record_file_is_refused_with_the_reason(shared_dir: Path) -> None:
    root = write_corpus(shared_dir / AWKWARD_NAME)
    (root / "events.yaml").chmod(0o000)
    status, problems = _check_as_unprivileged(root)
    assert status == 1
    assert any(p.file == str(root / "events.yaml") and "Permission denied" in p.message for p in problems)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_window_shows_an_unreadable_folder_as_a_problem(
    qtbot, tmp_path: Path, shared_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = write_corpus(shared_dir / AWKWARD_NAME)
    root.chmod(0o000)

    def load_as_unprivileged(path: Path, *_cache_and_progress: object) -> object:
        # The window's loader, run where permissions apply (as root they do not);
        # its error comes back whole.
        _status, problems = _check_as_unprivileged(path)
        raise CorpusError(problems)

    monkeypatch.setattr("explorer.ui.app.open_corpus", load_as_unprivileged)
    launcher = Launcher(Settings(open_settings(tmp_path / "settings.ini")), ErrorReporter(),
                        submit=lambda work: work())
    launcher.open(root)
    dialog = launcher.reporter.dialog
    assert dialog is not None
    assert f"{root / 'corpus.yaml'}: cannot read the file: Permission denied" in dialog.details.toPlainText()
    # Closing the last dialog with no window open quits the app: QApplication.exit()
    # outside exec() would end every later test's event loop at once.
    dialog.finished.disconnect(launcher._after_dialog)
    dialog.done(0)
