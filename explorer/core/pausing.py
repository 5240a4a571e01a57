"""The reader goes first: background work parks while the reader acts.

A worker thread (the audit, the timeline's build, the search index ...) shares
the GIL with the GUI thread. PySide gives the GIL up around many Qt calls, and
each time the GUI thread takes it back it may wait for a busy worker's switch
interval: an event selection at 100,000 events took several times as long with
the audit running beside it. So the hot loops of that work call
:func:`pause_point` every few hundred microseconds of work, and while the
window has closed the :class:`Gate` (the reader clicked, typed, scrolled or
selected, and the panes have not finished updating) a worker waits there,
without the GIL, until the gate opens again.

- With no gate installed (the CLI, the core's tests) :func:`pause_point` is a
  global read and a None check.
- A wait is bounded (:attr:`Gate.max_wait`), so work always progresses, even
  if the gate were never opened.
- The thread that made the gate (the GUI thread) never waits on it: a check
  run there (tests pass a plain call as the window's *submit*) is not parked
  by the very reader it serves.

The UI owns the gate (:class:`explorer.ui.audit_job.ReaderFirst`); this module
stays Qt-free. Everything here is thread-safe: the gate is a
:class:`threading.Event` and installing it is one assignment.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")

#: The longest one :func:`pause_point` waits (s), however long the gate stays closed.
MAX_WAIT_S = 0.2
#: :func:`paced` calls :func:`pause_point` once per this many items.
PACE_EVERY = 64


class Gate:
    """Open (work runs) or closed (work parks at its next :func:`pause_point`), for threads other
    than the one that made it."""

    def __init__(self, max_wait: float = MAX_WAIT_S) -> None:
        self.max_wait = max_wait
        self._open = threading.Event()
        self._open.set()
        self._owner = threading.get_ident()
        #: How many waits ended because the gate opened, and how many because :attr:`max_wait` passed (for the
        #: benchmark: not locked, so a count may be lost when two threads end a wait at the same instant).
        self.waits = 0
        self.timeouts = 0

    @property
    def is_open(self) -> bool:
        return self._open.is_set()

    def close(self) -> None:
        """Park the work at its next pause point (the reader acts)."""
        self._open.clear()

    def open(self) -> None:
        """Let the work go on (the reader's action is done)."""
        self._open.set()

    def wait(self) -> None:
        """Wait (without the GIL) until the gate opens, at most :attr:`max_wait`; at once on the owner's thread."""
        if self._open.is_set() or threading.get_ident() == self._owner:
            return
        if self._open.wait(self.max_wait):
            self.waits += 1
        else:
            self.timeouts += 1


_gate: Gate | None = None


def install(gate: Gate | None) -> Gate | None:
    """Make *gate* the one :func:`pause_point` obeys (None: none); the one it replaces."""
    global _gate
    previous, _gate = _gate, gate
    return previous


def uninstall(gate: Gate) -> None:
    """Remove *gate* if it is still the installed one, and open it so nothing stays parked behind it."""
    global _gate
    if _gate is gate:
        _gate = None
    gate.open()


def installed() -> Gate | None:
    """The gate :func:`pause_point` obeys, if any."""
    return _gate


def pause_point() -> None:
    """Where background work may park while the reader acts: call it every few hundred microseconds
    of work. Near free when no gate is installed or the gate is open."""
    gate = _gate
    if gate is not None and not gate._open.is_set():
        gate.wait()


def paced(items: Iterable[T], every: int = PACE_EVERY) -> Iterator[T]:
    """*items*, with a :func:`pause_point` before each run of *every* of them: choose *every* so that a run
    is a few hundred microseconds of the loop's work. Also for generators fed to ``executemany``."""
    it = iter(items)
    while chunk := list(islice(it, every)):  # cheaper per item than counting in Python
        pause_point()
        yield from chunk
