"""Test doubles for the launcher: a thread pool that runs when told, and a quit that only records."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from explorer.ui.app import Launcher
from explorer.ui.error_dialog import ErrorReporter
from explorer.ui.settings import Settings


class Deferred:
    """A thread pool that runs its work only when the test says (``run()``)."""

    def __init__(self) -> None:
        self.jobs: list[Callable[[], None]] = []

    def __call__(self, work: Callable[[], None]) -> None:
        self.jobs.append(work)

    def run(self) -> None:
        jobs, self.jobs = self.jobs, []
        for work in jobs:
            work()


def record_quits(launcher: Launcher) -> None:
    """The launcher's quit only records its status in ``launcher.quits``: a real QApplication.exit() outside
    exec() would make every later event loop of the test session return at once."""

    def quit_(code: int) -> None:
        launcher.exit_code = code
        launcher.quits.append(code)  # type: ignore[attr-defined]

    launcher.quits = []  # type: ignore[attr-defined]
    launcher._quit = quit_  # type: ignore[method-assign]


@contextmanager
def launchers(settings: Settings, cache_dir: Path) -> Iterator[Callable[..., tuple[Launcher, Deferred]]]:
    """Makes launchers on a :class:`Deferred` pool whose quits are recorded (options go to the launcher);
    at the end, whatever they loaded is cancelled and every window they opened is closed and deleted."""
    made: list[Launcher] = []

    def make(**options: Any) -> tuple[Launcher, Deferred]:
        pool = Deferred()
        launcher = Launcher(settings, ErrorReporter(), submit=pool, cache_dir=cache_dir, **options)
        record_quits(launcher)
        made.append(launcher)
        return launcher, pool

    try:
        yield make
    finally:
        close_launchers(made)


def close_launchers(made: list[Launcher]) -> None:
    """What a test's launchers opened, gone: loads cancelled, start windows, main windows and dialogs closed."""
    for launcher in made:
        launcher.loader.cancel()
        launcher._close_start_window()
        if launcher.window is not None:
            launcher.window.closed.disconnect()
            launcher.window.close()
            launcher.window.deleteLater()
        if launcher.reporter.dialog is not None:
            launcher.reporter.dialog.done(0)
