"""The researcher's verification marks for the open corpus, as the window uses them.

The app opens the marks file once (:func:`open_marks`) and gives each window a
:class:`MarkBook` for its corpus. Whatever is wrong with the file (missing
folder, read-only, locked by another instance, damaged and moved aside,
written by a newer version, not a regular file) is turned into sentences for
the window's message bar, and the book says whether marks can be changed and,
if not, why. A mark is reported saved only once the store has committed it.

Every write names the version of the mark it was based on. When another
running copy changed the mark in between, nothing is written: the book keeps
both (a :class:`Conflict`) until the reader chooses theirs, theirs and mine
merged, or mine. The book polls the file (:data:`POLL_MS`) and re-reads the
marks when another copy changed them. Each change the reader makes is a
command on the window's undo stack; undoing writes the earlier mark again as a
new version, so the history keeps everything.

Each mark records :attr:`MarkBook.reviewer` (the name in Preferences). Other
reviewers' marks come in through :meth:`MarkBook.import_file` (the exchange
file, :mod:`explorer.store.marks_file`); :meth:`MarkBook.review_entries` hands
every reviewer's history to the audit, which says where they disagree.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack

from explorer.core.audit import ReviewEntry
from explorer.core.errors import CorpusError, Problem
from explorer.core.verification import (
    MarkTarget,
    is_under_document,
    key_under_document,
    merge_marks,
)
from explorer.store.marks import (
    BUSY_TIMEOUT,
    ImportResult,
    Mark,
    MarkConflict,
    MarkStatus,
    MarkStore,
    MarkStoreError,
    moves_preview,
)
from explorer.ui.undo import MarkCommand

if TYPE_CHECKING:
    from explorer.core.export import ExportMark
    from explorer.store.marks_file import MarksFile

log = logging.getLogger("explorer")

#: How often (ms) the book looks whether another running copy changed the marks (one cheap PRAGMA).
POLL_MS = 1000
THEIRS, MINE, MERGE = "theirs", "mine", "merge"


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


@dataclass(frozen=True, slots=True)
class Conflict:
    """A change that was not saved because the mark changed elsewhere since the reader saw it."""

    target: MarkTarget
    base: tuple[str, str]  # (status, note) the reader's change started from
    mine: tuple[str, str]
    theirs: Mark | None

    @property
    def theirs_pair(self) -> tuple[str, str]:
        return (str(self.theirs.status), self.theirs.note) if self.theirs else (MarkStatus.UNCHECKED.value, "")

    def merged(self) -> tuple[str, str]:
        return merge_marks(self.base, self.theirs_pair, self.mine)


def _pair(mark: Mark | None) -> tuple[str, str]:
    return (str(mark.status), mark.note) if mark else (MarkStatus.UNCHECKED.value, "")


class MarkBook(QObject):
    """One corpus's marks in one store; signals when a mark is saved, changed elsewhere, or could not be saved."""

    mark_saved = Signal(str)  # citation key
    #: Marks were re-read (changed by another running copy, or moved to new keys): every row refreshes.
    marks_changed = Signal()
    #: A change to this key met another's change (or such a conflict was resolved).
    conflict_changed = Signal(str)
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
        self._conflicts: dict[str, Conflict] = {}
        self._token: tuple[int, int] | None = None
        self.undo_stack: QUndoStack | None = None  # the window's, shared with later kinds of edit
        #: Recorded with each mark set here (Edit > Preferences; the window sets it from the settings).
        self.reviewer = ""
        self._entries: list[ReviewEntry] | None = None  # every reviewer's history, read when first asked
        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(POLL_MS)
        self.poll_timer.timeout.connect(self.poll)
        if self.store is not None:
            try:
                self._token = self.store.change_token()
                self._marks = self.store.marks(corpus_id)
            except MarkStoreError as exc:
                self._lose_store(exc)
            else:
                self.poll_timer.start()

    def _lose_store(self, exc: MarkStoreError) -> None:
        self.store = None
        self.poll_timer.stop()
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

    def rows(self) -> list[tuple[str, int | None, str, str]]:
        """Every mark as plain (citation key, footnote, status, note) tuples, for the search index."""
        return [(key, m.footnote, str(m.status), m.note) for key, m in self._marks.items()]

    def mark(self, key: str) -> Mark | None:
        return self._marks.get(key)

    def count_for_document(self, document_id: str) -> int:
        """How many marks are stored under the corpus document *document_id* (their keys end in
        ``#doc=<id>``): a curating edit that renames or removes the document would hide them."""
        return len(self.keys_for_document(document_id))

    def keys_for_document(self, document_id: str) -> list[str]:
        """The keys of the marks stored under the corpus document *document_id*."""
        return sorted(key for key in self._marks if is_under_document(key, document_id))

    def move_document(self, old_id: str, new_id: str, keys: Iterable[str] | None = None,
                      consequence: str = "nothing was changed") -> list[str]:
        """Store the marks of the document *old_id* (those of *keys* only, if given) under *new_id*, with
        their history, in one transaction: a curating edit merged or renamed the document (or undid that).
        Returns the new keys. :class:`MarkStoreError` (nothing moved, *consequence* said) when the file
        cannot be written or a citation has a mark under both ids (both are named)."""
        chosen = (self.keys_for_document(old_id) if keys is None
                  else [k for k in keys if is_under_document(k, old_id)])
        renames = {key: key_under_document(key, old_id, new_id) for key in chosen if key in self._marks}
        if not renames:
            return []
        if self.store is None:
            raise MarkStoreError([Problem("marks", None, f"are off; {consequence}")])
        clashes = [(self._marks[old], self._marks[new]) for old, new in renames.items() if new in self._marks]
        if clashes:
            named = "; ".join(f"note {m.footnote} ({m.label or m.citation_key}): {m.status} under {old_id}, "
                              f"{theirs.status} under {new_id}" for m, theirs in clashes)
            raise MarkStoreError([Problem(str(self.store.path), None, (
                f"has marks under both {old_id} and {new_id} for the same citation ({named}); both are kept "
                f"and {consequence}: clear or change one of them first"))])
        self.store.rename_keys(self.corpus_id, renames, consequence)
        self._marks = self.store.marks(self.corpus_id)
        self._token = self.store.change_token()
        self._entries = None
        self.marks_changed.emit()
        return list(renames.values())

    def conflict(self, key: str) -> Conflict | None:
        return self._conflicts.get(key)

    # -- the reader's changes ---------------------------------------------------------------
    def set_mark(self, target: MarkTarget, status: MarkStatus | str, note: str, base: int | None = None,
                 resolves: tuple[tuple[str, str], ...] = ()) -> Mark | None:
        """Save a mark based on version *base* of it (default: the one the book holds); the saved mark, or
        None when it was not saved: a :attr:`problem`, or a :class:`Conflict` to resolve. *resolves*: the
        (reviewer, time) of the disagreeing marks this one settles."""
        before = self._marks.get(target.key)
        if not resolves and before is not None and before.resolves and before.reviewer == self.reviewer \
                and str(before.status) == str(status):
            resolves = before.resolves  # the resolver edits the note only: it still resolves what it did
        if base is not None and (before.version if before else 0) != base:
            before = None if base == 0 else next(
                (m for m in self._history(target.key) if m.version == base), before)
        mark = self._write(target, status, note, base, resolves)
        if mark is not None and self.undo_stack is not None:
            self.undo_stack.push(MarkCommand(self, target, _pair(before), mark))
        return mark

    def resolve(self, key: str, choice: str) -> Mark | None:
        """Settle a conflict: keep *theirs* (the reader's change is dropped by their choice), *mine*, or
        *merge* the two (see :func:`~explorer.core.verification.merge_marks`)."""
        conflict = self._conflicts.get(key)
        if conflict is None:
            return None
        if choice == THEIRS:
            del self._conflicts[key]
            self.conflict_changed.emit(key)
            return conflict.theirs
        status, note = conflict.merged() if choice == MERGE else conflict.mine
        theirs = conflict.theirs
        del self._conflicts[key]
        mark = self.set_mark(conflict.target, status, note, base=theirs.version if theirs else 0)
        self.conflict_changed.emit(key)
        return mark

    def clear_review(self, target: MarkTarget) -> Mark | None:
        """The reader has looked at a mark flagged for review: the same mark, without the flag (not an
        undoable change: status and note stay as they are)."""
        mark = self._marks.get(target.key)
        if mark is None or mark.review is None or not mark.known:
            return mark
        return self._write(target, mark.status, mark.note, base=mark.version)

    def write_back(self, target: MarkTarget, pair: tuple[str, str], base: int,
                   resolves: tuple[tuple[str, str], ...] = ()) -> Mark | None:
        """Undo and redo: write *pair* as a new version based on *base*; no new undo command. Undoing a
        resolution writes the earlier mark without it (the disagreement is back); redoing it, with it."""
        return self._write(target, pair[0], pair[1], base, resolves)

    def _write(self, target: MarkTarget, status: MarkStatus | str, note: str, base: int | None,
               resolves: tuple[tuple[str, str], ...] = ()) -> Mark | None:
        from explorer.store.marks_file import review_entries
        if self.store is None:
            self.problem.emit(f"The mark was not saved. {self.why_read_only}")
            return None
        held = self._marks.get(target.key)
        version = (held.version if held else 0) if base is None else base
        try:
            mark = self.store.set_mark(self.corpus_id, target.key, status, note, target.footnote, target.label,
                                       version=version, reviewer=self.reviewer, resolves=resolves)
        except MarkConflict as exc:
            # version 0 is no version of this file's mark (an imported entry has it): the base was no mark
            based_on = next((m for m in self._history(target.key) if version and m.version == version), None)
            self._conflicts[target.key] = Conflict(target, _pair(based_on), (str(status), note), exc.theirs)
            self._take(target.key, exc.theirs)
            self.conflict_changed.emit(target.key)
            return None
        except MarkStoreError as exc:
            self.problem.emit(" ".join(_sentence(p) for p in exc.problems))
            return None
        self._conflicts.pop(target.key, None)
        self._marks[target.key] = mark
        if self._entries is not None:  # the one new entry, not the whole history read again
            self._entries = [*self._entries, *review_entries([mark])]
        self.mark_saved.emit(target.key)
        return mark

    def _take(self, key: str, mark: Mark | None) -> None:
        if mark is None:
            self._marks.pop(key, None)
        else:
            self._marks[key] = mark
        self.mark_saved.emit(key)

    def _history(self, key: str) -> list[Mark]:
        if self.store is None:
            return []
        try:
            return self.store.history(self.corpus_id, key)
        except MarkStoreError:
            return []

    def commit_pending(self) -> None:
        self.commit_requested.emit()

    # -- others' changes ---------------------------------------------------------------------
    def poll(self) -> bool:
        """Re-read the marks if the file changed since the last look; whether it did."""
        if self.store is None or self.store.closed:  # the app closed the file as the window went
            self.poll_timer.stop()
            return False
        try:
            token = self.store.change_token()
            if token == self._token:
                return False
            marks = self.store.marks(self.corpus_id)
        except MarkStoreError as exc:
            self.poll_timer.stop()  # said once, not every second
            self.problem.emit(" ".join(_sentence(p) for p in exc.problems))
            return False
        self._token = token
        # Another copy may have imported others' entries without changing a current mark.
        entries, self._entries = self._entries, None
        if marks != self._marks or (entries is not None and entries != self.review_entries()):
            self._marks = marks
            self.marks_changed.emit()
        return True

    # -- team review -------------------------------------------------------------------------
    def review_entries(self) -> list[ReviewEntry]:
        """Every mark history entry of every reviewer, for the audit's disagreements."""
        from explorer.store.marks_file import review_entries
        if self._entries is None:
            try:
                self._entries = review_entries(self.store.entries(self.corpus_id)) if self.store else []
            except MarkStoreError:
                self._entries = []
        return self._entries

    def export_view(self) -> tuple[list[ExportMark], list[ReviewEntry]]:
        """The marks File > Export and Print list (with who set each) and every reviewer's entries, for the
        report's disagreements (see :func:`~explorer.store.marks_file.export_view`)."""
        from explorer.store.marks_file import export_view
        if self.store is None:
            return [], []
        try:
            entries = self.store.entries(self.corpus_id)
        except MarkStoreError:
            entries = []
        return export_view(self._marks, entries)

    def export_file(self, path: Path) -> int:
        """Write the corpus's marks, every entry, to the exchange file *path*; how many entries. Raises
        :class:`CorpusError` naming the file and why."""
        from explorer.store.marks_file import export_marks
        if self.store is None:
            raise CorpusError([Problem(str(path), None, f"was not written: {self.why_read_only}")])
        return export_marks(self.store, self.corpus_id, path)

    def import_file(self, path: Path, *, partial: bool = False) -> tuple[ImportResult, MarksFile]:
        """Merge the exchange file *path* into the marks (see :func:`~explorer.store.marks_file.import_marks`),
        then re-read them. Raises :class:`CorpusError` (file:line: why) when nothing was imported."""
        from explorer.store.marks_file import import_marks
        reason = self.why_read_only
        if self.store is None or reason:
            raise CorpusError([Problem(str(path), None, f"was not imported: {reason}")])
        result, read = import_marks(self.store, self.corpus_id, path, partial=partial)
        self._entries = None
        self._marks = self.store.marks(self.corpus_id)
        self._token = self.store.change_token()
        self.marks_changed.emit()
        return result, read

    def adopt_keys(self, moves: dict[str, tuple[tuple[str, int, str], ...]]) -> int:
        """Give marks stored under the keys of an earlier version to the citations they stood for now
        (*moves*: :func:`~explorer.core.verification.key_moves`, worked out off the GUI thread); in memory
        only when the file cannot be written. Returns how many marks moved."""
        if self.store is None or not any(old in self._marks for old in moves):
            return 0
        if self.store.read_only:
            moved = moves_preview(self._marks, moves)
            if moved == self._marks:
                return 0
            count = len(set(moved) - set(self._marks))
            self._marks = moved
        else:
            try:
                count = self.store.move_marks(self.corpus_id, moves)
                self._marks = self.store.marks(self.corpus_id)
            except MarkStoreError as exc:
                self.problem.emit(" ".join(_sentence(p) for p in exc.problems))
                return 0
        self.marks_changed.emit()
        return count
