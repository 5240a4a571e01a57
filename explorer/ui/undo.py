"""Undoable edits: one QUndoStack per window (Edit > Undo / Redo), one command per change.

A verification mark's change is undone by writing the earlier status and note
again, as a new compare-and-set write: the store's history keeps every
version, and if another running copy changed the mark in between, the undo
becomes a conflict for the reader to settle instead of overwriting theirs.
Later kinds of edit (records, say) push their own commands on the same stack.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from explorer.store.marks import Mark

if TYPE_CHECKING:
    from explorer.core.verification import MarkTarget
    from explorer.ui.marks_book import MarkBook

STATUS_WORDS = {"unchecked": "Unchecked", "verified": "Verified", "disputed": "Disputed"}


class MarkCommand(QUndoCommand):
    """A mark changed from *before* ``(status, note)`` to *after*, already written (version known)."""

    def __init__(self, book: MarkBook, target: MarkTarget, before: tuple[str, str], after: Mark) -> None:
        what = STATUS_WORDS.get(str(after.status), str(after.status))
        changed = "note" if before[0] == str(after.status) else f"status to {what}"
        super().__init__(f"Mark of note {target.footnote}: {changed}")
        self._book = book
        self._target = target
        self._before = before
        self._after = (str(after.status), after.note)
        self._resolves = after.resolves  # a resolution of reviewers' disagreement is one again when redone
        self._version = after.version  # the version this command's last write made
        self._done = True  # pushed after the write: the first redo() has nothing to do

    def undo(self) -> None:
        self._apply(self._before, expected=self._after)

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._apply(self._after, expected=self._before)

    def _apply(self, pair: tuple[str, str], expected: tuple[str, str]) -> None:
        # Based on the mark as the book holds it when that is what this step left (later steps on the
        # stack have been undone since); otherwise someone else changed it, and the write conflicts.
        held = self._book.mark(self._target.key)
        shown = (str(held.status), held.note) if held else ("unchecked", "")
        base = (held.version if held else 0) if shown == expected else self._version
        mark = self._book.write_back(self._target, pair, base, self._resolves if pair is self._after else ())
        if mark is not None:
            self._version = mark.version
        # else: not saved (a conflict now shown in the row, or the file cannot be written): the reader is told
