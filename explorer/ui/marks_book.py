"""The researcher's verification marks for the open corpus, as the window uses them.

The app opens the marks file once (:func:`open_marks`) and gives each window a
:class:`MarkBook` for its corpus. Whatever is wrong with the file (missing
folder, read-only, locked by another instance, damaged and moved aside,
written by a newer version) is turned into sentences for the window's message
bar, and the book says whether marks can be changed and, if not, why. A mark
is reported saved only once the store has committed it.
"""

from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from explorer.core.errors import Problem
from explorer.core.verification import MarkTarget
from explorer.store.marks import Mark, MarkStatus, MarkStore, MarkStoreError

log = logging.getLogger("explorer")

#: How long (s) a write waits for another instance's write before failing; short, as it waits on the GUI thread.
BUSY_TIMEOUT = 1.0


def _sentence(problem: Problem) -> str:
    return f"The marks file {problem.file} {problem.message}."


@dataclass(frozen=True, slots=True)
class OpenedMarks:
    """The result of opening the marks file: the store (None if it could not be opened) and what to tell the user."""

    store: MarkStore | None
    problems: tuple[str, ...] = ()
    reason: str | None = None  # why there is no store

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


def open_marks(path: Path, busy_timeout: float = BUSY_TIMEOUT, read_only: bool = False) -> OpenedMarks:
    """Open the marks file at *path*; never raises for a problem with the file."""
    try:
        store = MarkStore.open(path, busy_timeout=busy_timeout, read_only=read_only)
    except MarkStoreError as exc:
        return OpenedMarks(None, tuple(_sentence(p) for p in exc.problems), exc.problems[0].message)
    except (OSError, sqlite3.Error) as exc:  # the store names what it foresees; this is what it does not
        log.warning("cannot open the marks file %s", path, exc_info=exc)
        reason = f"cannot be opened ({exc})"
        return OpenedMarks(None, (_sentence(Problem(str(path), None, reason)),), reason)
    return OpenedMarks(store, tuple(_sentence(p) for p in store.warnings))


class MarkBook(QObject):
    """One corpus's marks in one store; signals when a mark is saved or could not be."""

    mark_saved = Signal(str)  # citation key
    problem = Signal(str)  # a sentence for the message bar
    #: Editors with an unsaved note save it now (the window is closing).
    commit_requested = Signal()

    def __init__(self, opened: OpenedMarks | None, corpus_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        opened = opened or OpenedMarks(None, (), "no marks file is open")
        self.corpus_id = corpus_id
        self.store = opened.store
        self.problems: tuple[str, ...] = opened.problems
        self._reason = opened.reason
        self._marks: dict[str, Mark] = {}
        if self.store is not None:
            try:
                self._marks = self.store.marks(corpus_id)
            except MarkStoreError as exc:
                self.store = None
                self._reason = exc.problems[0].message
                self.problems += tuple(_sentence(p) for p in exc.problems)

    @property
    def available(self) -> bool:
        """Marks can be shown."""
        return self.store is not None

    @property
    def why_read_only(self) -> str | None:
        """Why marks cannot be changed (a sentence), or None when they can."""
        if self.store is None:
            return f"Marks are off: {self._reason}."
        if self.store.read_only:
            return "Read-only: see the message at the top."
        return None

    def mark(self, key: str) -> Mark | None:
        return self._marks.get(key)

    def set_mark(self, target: MarkTarget, status: MarkStatus | str, note: str) -> Mark | None:
        """Save a mark; the saved mark, or None (and a :attr:`problem`) when it was not saved."""
        if self.store is None:
            self.problem.emit(f"The mark was not saved. {self.why_read_only}")
            return None
        try:
            mark = self.store.set_mark(self.corpus_id, target.key, status, note, target.footnote, target.label)
        except MarkStoreError as exc:
            self.problem.emit(" ".join(_sentence(p) for p in exc.problems))
            return None
        self._marks[target.key] = mark
        self.mark_saved.emit(target.key)
        return mark

    def commit_pending(self) -> None:
        self.commit_requested.emit()
