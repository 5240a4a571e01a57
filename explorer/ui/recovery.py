"""Autosave and recovery in the window: unsaved edits survive a crash.

:class:`Autosave` writes the session's pending edits to its recovery file
(:mod:`explorer.core.recovery`) a few seconds after an edit, and removes it
when the edits are saved or discarded. :class:`RecoveryOffer` asks, when a
window first shows a corpus that a crashed session left edits for, "Recover
unsaved edits from …?" (Recover / Discard / Later). The question is a
window-modal box opened with ``open()``, not ``exec()``: nothing waits in a
nested event loop, and a test answers it by clicking its buttons.

A merge or rename moves the document's verification marks in the marks store
at once: the recovery file is then written at once too (not a few seconds
later), with the moves, so that Discard can move those marks back under the
document the saved files still have, and Recover keeps them (undoing the
recovered edits, or closing without saving, moves them back).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QWidget

from explorer.core.errors import CorpusError
from explorer.core.recovery import (
    MarksMoved,
    Recovery,
    find_recoveries,
    recovery_edit,
    remove_recovery,
    session_file,
    set_aside,
    write_recovery,
)
from explorer.ui.editing import EditSession

log = logging.getLogger("explorer")

#: How long after an edit its recovery file is written (ms): often enough to lose little, rarely enough
#: that typing is never slowed by it.
AUTOSAVE_MS = 4000


def _problem_text(exc: CorpusError) -> str:
    return "; ".join(f"{p.file}: {p.message}" for p in exc.problems) or str(exc)


class Autosave(QObject):
    """Keeps the session's unsaved edits in a recovery file, written a few seconds after each edit."""

    #: The recovery file could not be written (a sentence for the message bar).
    problem = Signal(str)

    def __init__(self, session: EditSession, folder: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._folder = folder
        self.path = session_file(session.state.corpus.path, folder)
        #: The records (kind, id) edited since the last save: what the recovery file keeps.
        self.pending: set[tuple[str, str]] = set()
        self._written_moves: tuple[MarksMoved, ...] = ()  # the marks moves the recovery file last written holds
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.write_now)
        session.records_changed.connect(self._on_edited)
        session.marks_moved.connect(self._on_marks_moved)
        session.saved.connect(self._on_saved)

    def _on_edited(self, changed: set[tuple[str, str]]) -> None:
        self.pending |= changed
        if self._session.moves_since_save != self._written_moves:
            self.write_now()  # marks moved (a recovered edit's): the marks store has them so already
        elif not self.timer.isActive():  # at most one write every few seconds, however fast the edits come
            self.timer.start()

    def _on_marks_moved(self, _said: str) -> None:
        self.write_now()  # the marks store has them moved already: a crash from now on must know it

    def write_now(self) -> None:
        """Write the pending edits now (or remove the file when nothing is unsaved any more)."""
        self.timer.stop()
        moves = self._session.moves_since_save
        try:
            if self._session.unsaved:
                write_recovery(self.path, self._session.editable, self.pending, moves)
            else:
                remove_recovery(self.path)
            self._written_moves = moves
        except CorpusError as exc:
            self.problem.emit(f"Unsaved edits cannot be kept safe against a crash: {_problem_text(exc)}")

    def discard(self) -> None:
        """The edits are saved or thrown away: no recovery file is left."""
        self.timer.stop()
        try:
            remove_recovery(self.path)
        except OSError as exc:  # left behind, it is offered next time: nothing is lost
            log.warning("cannot remove the recovery file %s: %s", self.path, exc)

    def _on_saved(self, copy: Path | None) -> None:
        self.pending.clear()
        self._written_moves = ()
        self.discard()
        if copy is not None:  # a new corpus folder: its own recovery file
            self.path = session_file(copy, self._folder)


class RecoveryOffer(QObject):
    """Offers back, one at a time, the edits crashed sessions left for the window's corpus."""

    #: A sentence for the message bar (what was recovered, set aside, or could not be).
    message = Signal(str)

    def __init__(self, session: EditSession, parent: QWidget, folder: Path | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._window = parent
        self._folder = folder
        self._waiting: list[Recovery] = []
        #: The question on screen, if any (tests answer it by clicking its buttons).
        self.box: QMessageBox | None = None
        self.recovery: Recovery | None = None
        self._buttons: dict[QAbstractButton, str] = {}

    def offer(self) -> None:
        """Look for recovery files of the corpus and ask about the newest."""
        found, problems = find_recoveries(self._session.state.corpus.path, self._folder)
        for problem in problems:
            self.message.emit(f"{problem.file}: {problem.message}")
        self._waiting = found
        self._ask_next()

    def _ask_next(self) -> None:
        self.box = self.recovery = None
        if not self._waiting:
            return
        recovery = self.recovery = self._waiting.pop(0)
        changed = recovery.changed_since()
        box = self.box = QMessageBox(QMessageBox.Icon.Question, "Recover Unsaved Edits",
                                     f"Recover unsaved edits from {recovery.when()}?", parent=self._window)
        files = ", ".join(f"{kind}.yaml" for kind in recovery.files)
        count = sum(len(records) for _sha, records in recovery.files.values())
        detail = (f"The app closed without saving edits to {count} record{'s' * (count != 1)} in {files} of this "
                  "corpus. Recover brings them back "
                  "as unsaved edits (Undo takes them back again); Discard throws them away; Later asks again "
                  "next time.")
        if changed:
            detail += (f"\n\n{', '.join(f'{k}.yaml' for k in changed)} changed since the edits were made: "
                       "those edits are not applied over the new file, but kept as files of their own for you "
                       "to compare.")
        box.setInformativeText(detail)
        self._buttons = {
            box.addButton("Recover", QMessageBox.ButtonRole.AcceptRole): "recover",
            box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole): "discard",
            box.addButton("Later", QMessageBox.ButtonRole.RejectRole): "later",
        }
        box.buttonClicked.connect(self._on_answered)
        box.open()

    def answer(self, choice: str) -> None:
        """Answer the question on screen as the reader would ("recover", "discard" or "later")."""
        assert self.box is not None, "no recovery is being offered"
        button = next(b for b, c in self._buttons.items() if c == choice)
        button.click()

    def _on_answered(self, button: QAbstractButton) -> None:
        choice, recovery = self._buttons.get(button, "later"), self.recovery
        if recovery is not None and choice == "recover":
            self._session.when_ready(lambda: self._recover(recovery))  # files read off the GUI thread
        elif recovery is not None and choice == "discard":
            self._discard(recovery)
        QTimer.singleShot(0, self._ask_next)  # after this box has closed

    def _discard(self, recovery: Recovery) -> None:
        """Throw the recovered edits away, and move back the marks they had moved (the saved files name the
        documents the marks came from); if the marks cannot be moved at all, the file stays, offered again."""
        if self._cannot_move_back(recovery):
            return
        self._move_back(recovery, "discarded")
        remove_recovery(recovery.path)

    def _cannot_move_back(self, recovery: Recovery) -> bool:
        """Whether *recovery*'s edits moved marks and the marks file cannot be changed now (then said)."""
        marks = self._session.marks
        reason = "no marks file is open" if marks is None else marks.why_read_only
        if not recovery.moves or reason is None:
            return False
        self.message.emit(f"The unsaved edits from {recovery.when()} moved verification marks that cannot be "
                          f"moved back now ({reason}); nothing was changed, and they are offered again next time.")
        return True

    def _move_back(self, recovery: Recovery, done: str) -> None:
        """Move back the marks *recovery*'s edits moved (those edits are *done*: "discarded" or "not applied")."""
        count, kept = self._session.move_back(recovery.moves, self._session.state.corpus.document_by_id)
        if count or kept:
            moved = f"Verification marks: {count} moved back with the unsaved edits from {recovery.when()} ({done})."
            self.message.emit(" ".join(t for t in (moved if count else "", kept) if t))

    def _recover(self, recovery: Recovery) -> None:
        changed = recovery.changed_since()
        try:
            edit = recovery_edit(self._session.editable, recovery)
            # The marks stay moved with the documents' edits applied; set aside (or none), they go back.
            keep_moves = bool(edit.edits) and "documents" not in changed
            if not keep_moves and self._cannot_move_back(recovery):
                return
            aside = set_aside(recovery, changed) if changed else None
            if edit.edits:
                self._session.push(edit, recovery.moves if keep_moves else ())
        except CorpusError as exc:  # the file stays: offered again next time
            self.message.emit(f"The unsaved edits from {recovery.when()} could not be recovered: "
                              f"{_problem_text(exc)}")
            return
        if not keep_moves:
            self._move_back(recovery, "not applied")
        remove_recovery(recovery.path)
        if aside is not None:
            self.message.emit(f"{', '.join(f'{k}.yaml' for k in changed)} changed since the unsaved edits from "
                              f"{recovery.when()} were made; the recovered text is in {aside} to compare.")
