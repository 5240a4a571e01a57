"""Test doubles for the launcher: a thread pool that runs when told, and a quit that only records."""

from __future__ import annotations

from collections.abc import Callable

from explorer.ui.app import Launcher


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
