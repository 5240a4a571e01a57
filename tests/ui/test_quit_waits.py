"""Quitting waits for background work: a worker delivering into a QApplication being torn down crashes the app."""

from __future__ import annotations

import threading

from explorer.ui.audit_job import in_daemon_thread, wait_for_workers


def test_wait_for_workers_waits_for_the_work_and_says_when_it_did_not_end() -> None:
    release, finished = threading.Event(), threading.Event()

    def work() -> None:
        release.wait(30)
        finished.set()

    in_daemon_thread(work)
    assert not wait_for_workers(0.05)  # still running: the caller is told, not left waiting forever
    release.set()
    assert wait_for_workers(30) and finished.is_set()
