"""Fixtures for the window tests: a corpus, throwaway settings, a shown window."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox

from explorer.core.loader import load_corpus
from explorer.core.model import Corpus
from explorer.ui.main_window import MainWindow
from explorer.ui.settings import Settings, open_settings
from tests.support.corpora import DEFAULT_CORPUS


@pytest.fixture
def tiny_corpus(tiny_corpus_dir: Path) -> Corpus:
    return load_corpus(tiny_corpus_dir)


@pytest.fixture(scope="session")
def default_corpus() -> Corpus:
    return load_corpus(DEFAULT_CORPUS)


@pytest.fixture
def settings_path(tmp_path: Path) -> Path:
    return tmp_path / "config" / "explorer.ini"


@pytest.fixture
def settings(settings_path: Path) -> Settings:
    return Settings(open_settings(settings_path))


def close_discarding_edits(window: MainWindow) -> None:
    """Teardown closes the window as a reader who discards unsaved edits does, through its own prompt:
    otherwise the close is refused and the window and its question stay open over the next tests."""
    if window.isVisible() and window.edit_session.unsaved:
        store = window.marks.store
        if store is not None and store.closed:  # the test closed its marks file: a crash, left as it crashed
            window._closing_unsaved = True
        window.close()
        if window.close_prompt is not None:
            window.close_prompt.button(QMessageBox.StandardButton.Discard).click()


def run_now(work: Callable[[], None]) -> None:
    """Run "background" work at once: the audit is done when the window is built."""
    work()


@pytest.fixture
def make_window(qtbot, settings: Settings):
    """Build and show a window on a corpus; settings are this test's own; the audit runs
    synchronously (*options* go to the window: ``marks=``, ``submit=``)."""

    def make(corpus: Corpus, with_settings: Settings | None = None, **options: Any) -> MainWindow:
        options.setdefault("submit", run_now)
        window = MainWindow(corpus, with_settings or settings, **options)
        qtbot.addWidget(window, before_close_func=close_discarding_edits)
        if not (with_settings or settings).geometry:
            window.resize(1440, 900)  # three columns (the offscreen screen is small); layout tests resize
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)  # shortcuts need an active window; offscreen activates late
        if options["submit"] is run_now:  # the audit starts after the first paint
            qtbot.waitUntil(lambda: window.audit.done)
        return window

    return make


@pytest.fixture
def window(make_window, tiny_corpus: Corpus) -> MainWindow:
    return make_window(tiny_corpus)
