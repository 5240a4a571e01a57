"""The window opens a corpus through the compiled cache; a cache it cannot use (stale, corrupt, of a
newer format, not a regular file) falls back to the YAML, opens the right corpus, and tells the reader
nothing: one log line says what the cache did.

The loads run in the real thread pool (as the window's do), so a cache path that would block an open
(a FIFO) fails the wait instead of passing."""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.core import corpus_cache
from explorer.core.corpus_cache import cache_file_for, open_corpus
from explorer.core.loader import load_corpus
from explorer.core.model import Corpus
from explorer.ui.app import CorpusLoader, Launcher
from explorer.ui.error_dialog import ErrorReporter
from explorer.ui.settings import Settings
from tests.support.launching import record_quits


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def _open_in_the_window_path(qtbot, folder: Path, cache: Path) -> Corpus:
    """The corpus as the window's loader opens it (thread pool, cache), failing on any error signal."""
    loader = CorpusLoader(cache_dir=cache)
    failures: list[object] = []
    loader.failed.connect(lambda _path, exc: failures.append(exc))
    with qtbot.waitSignal(loader.loaded, timeout=20_000) as loaded:
        loader.load(folder)
    assert failures == []
    path, corpus = loaded.args
    assert path == folder
    return corpus


def _cache_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "explorer" and "corpus cache" in r.getMessage()]


def _edit_title(folder: Path) -> None:
    events = folder / "events.yaml"
    text = events.read_text(encoding="utf-8")
    assert "Kim asks to attack" in text
    events.write_text(text.replace("Kim asks to attack", "Kim asks again"), encoding="utf-8")


def _touch_newer(folder: Path) -> None:
    """The YAML newer than the cache, unchanged: the key is the content, so the cache still serves."""
    cache_time = max(p.stat().st_mtime for p in folder.parent.rglob("*.sqlite3"))
    for path in folder.iterdir():
        os.utime(path, (cache_time + 60, cache_time + 60))


def _corrupt(cache_file: Path) -> None:
    cache_file.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)


def _newer_format(cache_file: Path) -> None:
    """A cache written by a later version of the app, with a layout this one does not know."""
    conn = sqlite3.connect(cache_file)
    with conn:
        conn.execute("UPDATE meta SET value = ? WHERE name = 'format'", (str(corpus_cache.CACHE_FORMAT + 1),))
        conn.execute("UPDATE records SET data = x'00', sha256 = 'unknown' WHERE kind = 'events'")
    conn.close()


def _a_folder(cache_file: Path) -> None:
    cache_file.unlink()
    cache_file.mkdir()
    (cache_file / "something.txt").write_text("not a cache", encoding="utf-8")


def _a_fifo(cache_file: Path) -> None:
    cache_file.unlink()
    os.mkfifo(cache_file)


def _a_link_to_a_fifo(cache_file: Path) -> None:
    cache_file.unlink()
    fifo = cache_file.with_name("elsewhere.fifo")
    os.mkfifo(fifo)
    cache_file.symlink_to(fifo)


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    # what is done to the cache, and what the cache did on the next open
    "stale": (lambda _cache_file: None, "compiled"),  # the YAML edited (below), the cache left as it was
    "yaml newer, same content": (lambda _cache_file: None, "hit"),
    "corrupt": (_corrupt, "rebuilt"),
    "newer format": (_newer_format, "compiled"),
    "a folder": (_a_folder, "uncached"),
    "a fifo": (_a_fifo, "rebuilt"),
    "a link to a fifo": (_a_link_to_a_fifo, "rebuilt"),
}


@pytest.mark.parametrize("case", CASES)
def test_a_cache_the_window_cannot_use_falls_back_to_the_yaml_quietly(qtbot, caplog, tiny_corpus_dir: Path,
                                                                    cache: Path, case: str) -> None:
    damage, outcome = CASES[case]
    first = open_corpus(tiny_corpus_dir, cache)
    assert first.outcome == "compiled" and first.cache_file is not None
    damage(first.cache_file)
    if case == "stale":
        _edit_title(tiny_corpus_dir)
    elif case == "yaml newer, same content":
        _touch_newer(tiny_corpus_dir)
    caplog.set_level(logging.INFO, logger="explorer")

    corpus = _open_in_the_window_path(qtbot, tiny_corpus_dir, cache)

    assert corpus == load_corpus(tiny_corpus_dir)  # the right corpus: what the YAML says now
    if case == "stale":
        assert corpus.event_by_id["ev-march"].title == "Kim asks again"
    (line,) = _cache_lines(caplog)
    assert line.levelno == logging.INFO  # a log line, nothing the reader is shown or warned about
    assert f", {outcome}" in line.getMessage() and str(tiny_corpus_dir) in line.getMessage()
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    if outcome in ("rebuilt", "compiled"):  # and the next open is fast again
        assert open_corpus(tiny_corpus_dir, cache).outcome == "hit"


def test_the_window_opens_through_the_cache_and_shows_no_message(qtbot, caplog, settings: Settings,
                                                               tiny_corpus_dir: Path, cache: Path) -> None:
    """End to end: a corrupt cache under a launched window; the window opens on the corpus, with no
    error dialog and nothing in its message bar."""
    first = open_corpus(tiny_corpus_dir, cache)
    assert first.cache_file is not None
    _corrupt(first.cache_file)
    caplog.set_level(logging.INFO, logger="explorer")
    launcher = Launcher(settings, ErrorReporter(), submit=lambda work: work(), cache_dir=cache)
    record_quits(launcher)
    try:
        launcher.open(tiny_corpus_dir)
        window = launcher.window
        assert window is not None
        assert window.corpus == load_corpus(tiny_corpus_dir)
        assert launcher.reporter.dialog is None
        assert window.message_bar.messages == [] and window.message_bar.isHidden()
        assert [r.getMessage().rsplit(", ", 1)[-1].split(" ")[0] for r in _cache_lines(caplog)] == ["rebuilt"]
        assert cache_file_for(tiny_corpus_dir, cache).is_file()  # rebuilt for next time
    finally:
        launcher._close_start_window()
        if launcher.window is not None:
            launcher.window.closed.disconnect()
            launcher.window.close()
            launcher.window.deleteLater()
