"""Reading the notes and running the audit once per window, off the GUI thread.

Both take time that grows with the essay (the name check most), so they run
with *submit* (a daemon thread; tests pass a plain call) and post their
results back: first the parsed notes, which the verification marks need,
then the findings. Until then the panes say what they are waiting for.
Where reviewers' marks disagree is found here too, on the GUI thread (it reads
only the marks' history, given by :meth:`AuditJob.set_review`), and merged
into the findings whenever the marks change.

Not Qt's global thread pool: Qt waits for that pool when the app quits, and
on a very large essay the audit can run for minutes; a daemon thread lets
the reader quit at once.
"""

from __future__ import annotations

import ctypes
import logging
import sys
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from explorer.core import pausing
from explorer.core.audit import Finding, order_findings
from explorer.core.audit.review import CODE as DISAGREE
from explorer.core.audit.review import ReviewEntry, check_disagreements
from explorer.core.citations import ParsedNote
from explorer.core.model import Corpus
from explorer.core.verification import findings_by_footnote, key_moves, notes_by_key, targets_by_note

log = logging.getLogger("explorer")

Submit = Callable[[Callable[[], None]], None]

#: After an edit the audit runs again once the edits pause this long (ms): typing a title runs it once.
RERUN_DELAY_MS = 1500


#: The work started by :func:`in_daemon_thread` that may still run (an audit, a search index, a timeline ...).
_workers: weakref.WeakSet[threading.Thread] = weakref.WeakSet()

#: The interpreter's thread switch interval (s) while a worker runs. The GUI thread gives the GIL up around
#: many Qt calls and, to take it back from a busy worker, waits up to this long each time: at Python's
#: default (5 ms) an event selection at 100,000 events took several times as long behind the audit.
#: Measured (tools/bench.py --selection-load): 1 ms beat 0.5 and 0.2 ms, which hand the GIL to the
#: worker as often as back.
WORKER_SWITCH_INTERVAL_S = 0.001

_switch_lock = threading.Lock()
_running = 0  # workers started by in_daemon_thread and not yet ended
_idle_interval: float | None = None  # the switch interval to restore when the last one ends


def _worker_starting() -> None:
    global _running, _idle_interval
    with _switch_lock:
        if _running == 0:
            _idle_interval = sys.getswitchinterval()
            sys.setswitchinterval(min(WORKER_SWITCH_INTERVAL_S, _idle_interval))
        _running += 1


def _worker_ended() -> None:
    global _running, _idle_interval
    with _switch_lock:
        _running -= 1
        if _running == 0 and _idle_interval is not None:
            sys.setswitchinterval(_idle_interval)
            _idle_interval = None


def in_daemon_thread(work: Callable[[], None]) -> None:
    """Run *work* on a new daemon thread; while it (or any other) runs, threads switch every
    :data:`WORKER_SWITCH_INTERVAL_S`, so the GUI thread never waits long for the GIL."""

    def run() -> None:
        try:
            work()
        finally:
            _worker_ended()

    thread = threading.Thread(target=run, name="explorer-worker", daemon=True)
    _workers.add(thread)
    _worker_starting()
    try:
        thread.start()
    except BaseException:
        _worker_ended()
        raise


def wait_for_workers(timeout: float) -> bool:
    """Wait up to *timeout* seconds for the work :func:`in_daemon_thread` started to end; whether it all did.
    The app calls it after its event loop ends and before Qt is torn down: a worker that delivers its result
    into a QApplication being destroyed crashes the process."""
    deadline = time.monotonic() + timeout
    for thread in list(_workers):
        thread.join(max(0.0, deadline - time.monotonic()))
    return not any(thread.is_alive() for thread in list(_workers))


#: After the reader's last action (a click, a key, the wheel, a selection) the workers stay parked this long (ms)
#: once the panes have updated: the document pane's 40 ms debounce and the repaints it queues run first.
READER_GRACE_MS = 50

#: The input that parks the workers (the selection it may cause parks them too, through the state).
_READER_INPUT = frozenset({QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.KeyPress,
                           QEvent.Type.Wheel})


class ReaderFirst(QObject):
    """The reader goes first: while they act, background work parks at its pause points.

    It owns the :class:`~explorer.core.pausing.Gate` the workers' loops obey (installed while it lives): a
    reader's input (as an application event filter: :meth:`filter_input`) or a selection starting in a
    watched state (:meth:`watch`) closes it, and it opens again once the reader has paused
    :data:`READER_GRACE_MS` after the panes updated. The thread switch interval alone
    (:data:`WORKER_SWITCH_INTERVAL_S`) still let a busy audit take the GIL from the GUI thread each time
    PySide gave it up around a Qt call: an event selection at 100,000 events took 45 ms at p95 beside it.
    """

    def __init__(self, parent: QObject | None = None, grace_ms: int = READER_GRACE_MS) -> None:
        super().__init__(parent)
        self.gate = pausing.Gate()  # made here, on the GUI thread, which never waits on it
        self._previous = pausing.install(self.gate)
        self.reopen_timer = QTimer(self)
        self.reopen_timer.setSingleShot(True)
        self.reopen_timer.setInterval(grace_ms)
        self.reopen_timer.timeout.connect(self._on_reader_paused)

    def watch(self, state: QObject) -> None:
        """Park the work while *state* (an :class:`~explorer.ui.state.ExplorerState`) changes its selection."""
        state.selecting.connect(self.reader_acts)  # type: ignore[attr-defined]
        state.selection_changed.connect(self.reopen_timer.start)  # type: ignore[attr-defined]  # the grace from here

    def filter_input(self, app: QObject) -> None:
        """Park the work on the reader's every click, key press and wheel turn in *app*."""
        app.installEventFilter(self)

    def reader_acts(self) -> None:
        self.gate.close()
        self.reopen_timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _READER_INPUT:
            self.reader_acts()
        return False

    def _on_reader_paused(self) -> None:
        self.gate.open()

    def close(self) -> None:
        """Let the work run freely again and put back the gate installed before (if it is still ours)."""
        self.reopen_timer.stop()
        if pausing.installed() is self.gate:
            pausing.install(self._previous)
        self.gate.open()


def return_free_memory() -> None:
    """Give the C heap's free pages back to the system (glibc's ``malloc_trim``; elsewhere nothing): the
    temporaries of the audit, freed, otherwise stay resident (~25 MB at 100,000 events, measured with
    tools/bench_memory.py)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError, TypeError):  # not glibc (macOS, Windows, musl)
        return
    trim(0)


@dataclass(frozen=True)
class ReadNotes:
    """The parsed notes, and what the window reads from them, as the worker sends them."""

    notes: list[ParsedNote]
    notes_of_key: dict[str, tuple[int, ...]]
    key_moves: dict[str, tuple[tuple[str, int, str], ...]]


class _Relay(QObject):
    """Carries results from the worker. It has no parent, and the work holds it, so the
    worker never emits on a deleted object when the window closes before the audit ends."""

    notes = Signal(object)
    findings = Signal(object)
    failed = Signal(object)


class AuditJob(QObject):
    """The parsed notes and the audit's findings for one corpus, once they are ready."""

    notes_ready = Signal()
    finished = Signal()
    #: The reviewers' disagreements changed (a mark was set or imported): the findings are not the same.
    review_changed = Signal()
    failed = Signal(str)

    def __init__(self, corpus: Corpus, submit: Submit | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.corpus = corpus
        self._submit = submit or in_daemon_thread
        self.notes: dict[int, ParsedNote] | None = None
        self.findings: list[Finding] | None = None
        #: citation key -> the notes citing exactly that (they share one mark)
        self.notes_of_key: dict[str, tuple[int, ...]] = {}
        #: where marks stored under an earlier version's keys go now (:func:`~explorer.core.verification.key_moves`):
        #: read by the slots of :attr:`notes_ready`, then let go (a mapping of every key, ~20 MB on a book)
        self.key_moves: dict[str, tuple[tuple[str, int, str], ...]] = {}
        self.by_footnote: dict[int, tuple[Finding, ...]] = {}
        self.error: str | None = None
        self._by_key: dict[str, Finding] = {}
        self._relay: _Relay | None = None
        self._review_entries: list[ReviewEntry] = []
        self._review: list[Finding] = []  # the MARKS_DISAGREE findings, merged into :attr:`findings`
        self.rerun_timer = QTimer(self)
        self.rerun_timer.setSingleShot(True)
        self.rerun_timer.setInterval(RERUN_DELAY_MS)
        self.rerun_timer.timeout.connect(self.rerun)

    @property
    def done(self) -> bool:
        return self.findings is not None or self.error is not None

    @property
    def started(self) -> bool:
        return self._relay is not None

    def start(self) -> None:
        if self._relay is not None:
            return
        relay = self._relay = _Relay()
        relay.notes.connect(self._on_notes)
        relay.findings.connect(self._on_findings)
        relay.failed.connect(self._on_failed)
        corpus = self.corpus

        def work() -> None:
            # here, not at the top: the parser and the checks (~60 ms of imports) load off the GUI thread
            from explorer.core.audit import run_audit
            from explorer.core.citations import parse_notes

            try:
                notes = parse_notes((f.number, f.text) for f in corpus.essay.footnotes)
                # What the window needs of the notes besides, worked out here: seconds of the GUI thread on a book
                targets = targets_by_note(notes, corpus)
                relay.notes.emit(ReadNotes(notes, notes_by_key(notes, corpus, targets),
                                           key_moves(notes, corpus, targets)))
                del targets  # freed before the audit, which reuses the memory
                relay.findings.emit(run_audit(corpus, notes))
                return_free_memory()
            except Exception as exc:  # a bug in a check: shown in the panel and logged, not lost in a thread
                relay.failed.emit(exc)

        self._submit(work)

    def set_corpus(self, corpus: Corpus) -> None:
        """The corpus was edited: audit it again, off the GUI thread, once the edits pause
        (:data:`RERUN_DELAY_MS`); the findings shown stay until then."""
        self.corpus = corpus
        self.rerun_timer.start()

    def rerun(self) -> None:
        """Run the audit again (the corpus's spelling list changed, say); panes follow ``finished`` again.
        A run still going on is let go: what it finds is never shown."""
        self.rerun_timer.stop()
        self._relay = None
        self.findings = None
        self.error = None
        self.start()

    def ignore_word(self, word: str) -> str | None:
        """Add *word* to the corpus's spelling list (``spelling-ignore.txt``) and audit again; the reason
        it could not be added, or None."""
        from explorer.core.audit.spelling import IGNORE_FILE, add_ignored_word

        try:
            add_ignored_word(self.corpus.path, word)
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            return f"“{word}” could not be added to {IGNORE_FILE} in {self.corpus.path}: {reason}"
        self.rerun()
        return None

    def finding(self, key: str) -> Finding | None:
        return self._by_key.get(key)

    def find(self, ref: str) -> Finding | None:
        """The finding whose key is *ref* or starts with it (``IBID_INTENT:23``), first in order."""
        if ref in self._by_key:
            return self._by_key[ref]
        return next((f for f in self.findings or () if f.key.startswith(ref.rstrip(":") + ":")), None)

    def set_review(self, entries: list[ReviewEntry]) -> None:
        """Every reviewer's mark history: where it disagrees becomes MARKS_DISAGREE findings (once the notes
        are read, which place them); :attr:`review_changed` only when those findings change."""
        self._review_entries = entries
        self._update_review()

    def _update_review(self) -> None:
        if self.notes is None:
            return
        review = check_disagreements(self._review_entries, self.notes_of_key)
        if [(f.key, f.message) for f in review] == [(f.key, f.message) for f in self._review]:
            return
        self._review = review
        if self.findings is not None:
            self._set_findings([f for f in self.findings if f.code != DISAGREE])
            self.review_changed.emit()

    def _set_findings(self, findings: list[Finding]) -> None:
        self.findings = order_findings([*findings, *self._review]) if self._review else findings
        self._by_key = {f.key: f for f in self.findings}
        self.by_footnote = findings_by_footnote(self.findings)

    # -- from the worker ------------------------------------------------------------------
    def _is_stale(self) -> bool:
        """Whether the result being delivered is from a run let go since (an edit started another)."""
        return self.sender() is not self._relay

    def _on_notes(self, read: ReadNotes) -> None:
        if self._is_stale():
            return
        self.notes = {n.number: n for n in read.notes}
        self.notes_of_key = read.notes_of_key
        self.key_moves = read.key_moves
        self._update_review()
        self.notes_ready.emit()
        self.key_moves = {}  # the marks have moved (MainWindow._on_notes_ready): nothing reads them again

    def _on_findings(self, findings: list[Finding]) -> None:
        if self._is_stale():
            return
        self._set_findings(findings)
        self.finished.emit()

    def _on_failed(self, exc: Exception) -> None:
        if self._is_stale():
            return
        log.error("the audit failed", exc_info=exc)
        self.error = f"{type(exc).__name__}: {exc}"
        self.failed.emit(self.error)
