"""The audit's work off the GUI thread: what it costs the reader while it runs, and what it hands back."""

from __future__ import annotations

import shutil
import sys
import threading
from pathlib import Path

import pytest

from explorer.core import verification
from explorer.core.model import Corpus
from explorer.ui import audit_job
from explorer.ui.audit_job import AuditJob, in_daemon_thread, wait_for_workers
from explorer.ui.marks_book import MarkBook, open_marks

#: Written by the schema 1 version: note 24's telegram marked under the key notes 24 and 26 shared.
SCHEMA_1 = Path(__file__).parents[1] / "store" / "data" / "marks-schema1.sqlite3"
OLD = "doc:telegram:stalin>shtykov:1950-06-21"
NEW = (OLD + "#doc=stalin-shtykov-1950-06-21-ships", OLD + "#doc=stalin-shtykov-1950-06-21-plan")  # notes 24, 26


def test_threads_switch_often_while_a_worker_runs_and_as_before_once_none_does(qtbot) -> None:
    assert wait_for_workers(30)  # no audit of an earlier test still running
    before = sys.getswitchinterval()
    assert before > audit_job.WORKER_SWITCH_INTERVAL_S  # Python's 5 ms: the GUI thread waits that long for the GIL
    first_in, second_in, release_first, release_second = (threading.Event() for _ in range(4))
    seen: list[float] = []

    def work(started: threading.Event, release: threading.Event) -> None:
        seen.append(sys.getswitchinterval())
        started.set()
        release.wait(30)

    in_daemon_thread(lambda: work(first_in, release_first))
    in_daemon_thread(lambda: work(second_in, release_second))
    assert first_in.wait(30) and second_in.wait(30)
    assert seen == [audit_job.WORKER_SWITCH_INTERVAL_S] * 2
    release_first.set()
    qtbot.waitUntil(lambda: audit_job._running == 1)
    assert sys.getswitchinterval() == audit_job.WORKER_SWITCH_INTERVAL_S  # one still runs: still short
    release_second.set()
    assert wait_for_workers(30)
    assert sys.getswitchinterval() == before


def test_a_worker_that_fails_to_start_leaves_the_switch_interval_as_it_was(monkeypatch) -> None:
    assert wait_for_workers(30)
    before = sys.getswitchinterval()

    def refuse(self) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", refuse)
    with pytest.raises(RuntimeError):
        in_daemon_thread(lambda: None)
    assert sys.getswitchinterval() == before


def test_the_notes_keys_are_worked_out_by_the_worker_not_the_gui_thread(
        qtbot, monkeypatch, default_corpus: Corpus) -> None:
    threads: set[str] = set()
    note_targets = verification.note_targets

    def counted(note, corpus):
        threads.add(threading.current_thread().name)
        return note_targets(note, corpus)

    monkeypatch.setattr(verification, "note_targets", counted)
    job = AuditJob(default_corpus)  # the app's own worker thread
    delivered: list[dict] = []
    job.notes_ready.connect(lambda: delivered.append(job.key_moves))
    with qtbot.waitSignal(job.finished, timeout=60_000):
        job.start()
    assert threads == {"explorer-worker"}  # each note's targets once, on the worker
    notes = list((job.notes or {}).values())
    assert job.notes_of_key == verification.notes_by_key(notes, default_corpus)
    assert delivered == [verification.key_moves(notes, default_corpus)]  # to the slots of notes_ready
    assert {key for key, _, _ in delivered[0][OLD]} == set(NEW)  # notes 24 and 26 now have a key each
    assert job.key_moves == {}  # then let go: nothing reads them again


def test_the_key_moves_reach_the_slots_of_every_run(qtbot, default_corpus: Corpus) -> None:
    job = AuditJob(default_corpus, submit=lambda work: work())
    delivered: list[int] = []
    job.notes_ready.connect(lambda: delivered.append(len(job.key_moves[OLD])))
    job.start()
    job.rerun()  # an edit: the marks move again if an import brought old keys meanwhile
    assert delivered == [len(NEW), len(NEW)] and job.key_moves == {}


def test_marks_under_an_earlier_version_s_keys_move_when_the_notes_arrive(
        make_window, tmp_path: Path, default_corpus: Corpus) -> None:
    path = tmp_path / "marks.sqlite3"
    shutil.copyfile(SCHEMA_1, path)
    opened = open_marks(path)
    try:
        book = MarkBook(opened, default_corpus.manifest.id)
        assert book.mark(OLD) is not None and not any(book.mark(key) for key in NEW)
        window = make_window(default_corpus, marks=book)
        assert all(book.mark(key) is not None for key in NEW)  # moved as the notes arrived
        assert window.audit.key_moves == {}  # and the moves let go
    finally:
        opened.close()


def test_the_worker_returns_the_audit_s_freed_memory_once_the_findings_are_sent(
        monkeypatch, default_corpus: Corpus) -> None:
    from explorer.ui import audit_job

    job = AuditJob(default_corpus, submit=lambda work: work())
    order: list[str] = []
    job.finished.connect(lambda: order.append("findings"))
    monkeypatch.setattr(audit_job, "return_free_memory", lambda: order.append("trimmed"))
    job.start()
    assert order == ["findings", "trimmed"]


def test_returning_the_freed_memory_works_here_or_does_nothing() -> None:
    from explorer.ui.audit_job import return_free_memory

    assert return_free_memory() is None  # glibc trims; elsewhere there is nothing to call, and nothing fails
