"""Work done while the window is idle: a generator's steps, run in short slices from the event loop.

Some work is needed only later and costs too much at once on a large corpus
(the filter texts of 100,000 events, the corpus's reverse indexes). Done in
slices of a few milliseconds behind whatever the event loop has queued, it
never delays a paint or a click by more than one slice, and it is done before
the reader needs it. Whoever needs the result before that builds the rest
itself (the work must allow it), so nothing waits for this.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from PySide6.QtCore import QObject, QTimer

from explorer.core import pausing
from explorer.ui.audit_job import return_free_memory

#: How long one slice may run (seconds): well under a frame.
SLICE_S = 0.003
#: While the reader acts (the background work's gate is closed) a slice waits this long (ms) and looks again;
#: for at most :data:`explorer.core.pausing.MAX_WAIT_S` in a row, as the workers do, so the work progresses.
PARKED_RETRY_MS = 20


class IdleWork(QObject):
    """Runs the steps of one iterator at a time, a slice at each turn of the event loop."""

    def __init__(self, parent: QObject | None = None, slice_s: float = SLICE_S) -> None:
        super().__init__(parent)
        self._slice_s = slice_s
        self._steps: Iterator[object] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timeout)
        self._parked_since: float | None = None

    @property
    def running(self) -> bool:
        return self._steps is not None

    def run(self, steps: Iterator[object], delay_ms: int = 0) -> None:
        """Run *steps* (in place of any not finished), starting *delay_ms* from now."""
        self._steps = steps
        self._timer.start(delay_ms)

    def _on_timeout(self) -> None:
        steps = self._steps
        if steps is None:
            return
        gate, now = pausing.installed(), time.perf_counter()
        if gate is not None and not gate.is_open:  # the reader acts: the panes go first
            self._parked_since = self._parked_since or now
            if now - self._parked_since < gate.max_wait:
                self._timer.start(PARKED_RETRY_MS)
                return
        self._parked_since = None
        deadline = time.perf_counter() + self._slice_s
        for _ in steps:
            if self._steps is not steps:  # replaced by a step (run() has queued the new one)
                return
            if time.perf_counter() > deadline:
                self._timer.start(0)  # the next slice, behind the events queued meanwhile
                return
        if self._steps is steps:
            self._steps = None
            return_free_memory()  # the work's temporaries (~9 MB at 100,000 events), freed, given back
