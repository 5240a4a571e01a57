"""Curating in the window: every change of a record is an undoable command on the window's one undo stack.

:class:`EditSession` owns the corpus's :class:`EditableCorpus` (its YAML, read
for editing in the background ahead of the first edit: :meth:`EditSession.prepare`,
:meth:`EditSession.when_ready`) and turns each core :class:`Edit` into a
:class:`RecordCommand`. Applying or undoing one checks the records it touched
(``explorer check``'s rules), rebuilds just those in the live :class:`Corpus`
(:func:`explorer.core.corpus_live.updated_corpus`) and hands it to the state
object, whose ``corpus_changed`` signal every pane follows. An edit that would
leave a record invalid is refused and changes nothing.

Marks share the undo stack but are saved as they are made; only record edits
make the corpus "unsaved" (:attr:`EditSession.unsaved`). A document's marks are
stored under its id: an edit that merges the document into another or renames
it moves them to the new id in the same undoable step (:class:`MarksMove`), and
an edit that would remove a document with marks and no successor is refused,
saying which and how many (:meth:`EditSession.run`). :meth:`EditSession.save`
writes them where the corpus is or, for a corpus that cannot be saved there
(the one shipped with the app, a read-only folder), into a copy in the user's
data folder, which the window edits from then on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from explorer.core.errors import CorpusError, Problem
from explorer.core.model import Corpus
from explorer.core.recovery import MarksMoved as MarksMove  # a plain record: a recovery file keeps them too
from explorer.core.verification import key_under_document
from explorer.store.marks import MarkStatus
from explorer.ui.audit_job import Submit, in_daemon_thread
from explorer.ui.state import ExplorerState

if TYPE_CHECKING:
    from explorer.core.corpus_edit import Edit, EditableCorpus
    from explorer.ui.marks_book import MarkBook

log = logging.getLogger("explorer")


def renamed_ids(before: Corpus, after: Corpus, changed: Iterable[tuple[str, str]]) -> dict[str, str]:
    """old id -> new id of the records an edit renamed: of a kind where it took one id away and added one."""
    from explorer.core.corpus_live import ID_INDEX_OF_KIND
    gone: dict[str, list[str]] = {}
    came: dict[str, list[str]] = {}
    for kind, rid in changed:
        index = ID_INDEX_OF_KIND.get(kind)
        if index is None:
            continue
        was, now = rid in getattr(before, index), rid in getattr(after, index)
        if was and not now:
            gone.setdefault(kind, []).append(rid)
        elif now and not was:
            came.setdefault(kind, []).append(rid)
    return {gone[k][0]: came[k][0] for k in gone if len(gone[k]) == 1 and len(came.get(k, ())) == 1}


def moved_text(moves: Sequence[MarksMove]) -> str:
    """"3 marks moved to doc-jan" for the undo history and the message bar ("" when none moved)."""
    return "; ".join(f"{len(m.keys)} mark{'s' * (len(m.keys) != 1)} moved to {m.new_id}" for m in moves if m.keys)


def _has_document(editable: EditableCorpus, document_id: str) -> bool:
    try:
        editable.index_of("documents", document_id)
    except KeyError:
        return False
    return True


def _marks_stay(count: int) -> str:
    return f"{count} mark{'s' * (count != 1)} stay{'s' * (count == 1)}"


def _hidden_problem(editable: EditableCorpus, document: str, count: int) -> Problem:
    """Why an edit that would take away *document*, with *count* marks under its id, is not made."""
    return Problem(str(editable.path("documents")), None, (
        f"the document {document} was not removed: {count} verification mark{'s' * (count != 1)} of the "
        "notes citing it are stored under its id and would no longer be shown; merge it into the "
        "document that stands for it (its marks move there), or clear its marks first"), document)


class _ReadRelay(QObject):
    """Carries the files read from the worker to the GUI thread. No parent, and held by the work, so the
    worker never emits on a deleted object when the window closes first."""

    read = Signal(object)
    failed = Signal(object)


class RecordCommand(QUndoCommand):
    """One core edit on the undo stack; pushed after it was applied, so the first redo() does nothing.

    An undo or redo the session refuses (a record it would leave invalid, a document whose marks would
    go out of sight) changes nothing and is said in the message bar; the stack, which has already moved,
    is put back at once (the next call on this command is then a no-op), so it never holds an edit as
    done that is not, or the reverse.
    """

    def __init__(self, session: EditSession, edit: Edit, moves: Sequence[MarksMove] = ()) -> None:
        # The action text (Edit > Undo …) after "\n", its "&" doubled: a title's "&" is not a mnemonic there.
        text = " ".join(edit.description.split())
        if moved_text(moves):
            text = f"{text} ({moved_text(moves)})"
        super().__init__(f"{text}\n{text.replace('&', '&&')}" if "&" in text else text)
        self.edit = edit
        #: The marks the edit moved when last done: undo moves these back.
        self.moves = tuple(moves)
        self._session = session
        self._skip = True  # the next redo() or undo() has nothing to do (see the class's docstring)

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            return
        try:
            self.moves = self._session.run(self.edit, undo=False, from_stack=True)
        except CorpusError as exc:
            self._refused(exc, "redone", self._session.undo_stack.undo)

    def undo(self) -> None:
        if self._skip:
            self._skip = False
            return
        try:
            self._session.run(self.edit, undo=True, moves=self.moves, from_stack=True)
        except CorpusError as exc:
            self._refused(exc, "undone", self._session.undo_stack.redo)

    def _refused(self, exc: CorpusError, done: str, put_back: Callable[[], None]) -> None:
        self._skip = True
        self._session.problem.emit(f"\u201c{self.text()}\u201d was not {done}: "
                                   + "; ".join(str(p) for p in exc.problems))
        QTimer.singleShot(0, put_back)  # not from inside the stack's own undo()/redo()


class EditSession(QObject):
    """The record edits of one window's corpus."""

    #: The records (kind, id) an edit, undo or redo changed; after the state has the new corpus.
    records_changed = Signal(object)
    #: Whether there are record edits not yet saved.
    unsaved_changed = Signal(bool)
    #: The edits were saved: the folder of the copy they were saved into, or None (saved in place).
    saved = Signal(object)

    #: Reading the record files for editing began (True) or ended (False): "Preparing to edit…".
    preparing_changed = Signal(bool)
    #: The record files could not be read for editing: the reason, for the message bar.
    problem = Signal(str)
    #: An edit, undo or redo moved a document's verification marks: what moved where, for the message bar.
    marks_moved = Signal(str)

    def __init__(self, state: ExplorerState, undo_stack: QUndoStack, parent: QObject | None = None,
                 submit: Submit | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.undo_stack = undo_stack
        #: Runs the reading of the record files off the GUI thread (tests pass a plain call).
        self.submit: Submit = submit or in_daemon_thread
        self._editable: EditableCorpus | None = None
        # The edits applied, in order (an undo takes its edit off), and as they were at the last save: the
        # files hold every edit exactly when the two are the same edits. (A count of edits done minus
        # undone would call "save, undo, a new edit" saved.) Kept as objects, so none is mistaken for another.
        self._applied: list[Edit] = []
        self._saved_as: tuple[Edit, ...] = ()
        self._waiting: list[Callable[[], object]] = []  # what to do once the files are read
        self._relay: _ReadRelay | None = None  # the reading under way
        #: The window's verification marks: a document's follow it when an edit renames or merges it.
        self.marks: MarkBook | None = None
        self._moved: list[MarksMove] = []  # every marks move since the last save, in order (see discard_moves)

    @property
    def editable(self) -> EditableCorpus:
        """The corpus's record files as round-trip YAML. A file not read yet (see :meth:`prepare`) is read
        here, on the calling thread: slow on a big corpus, so callers on the GUI thread go through
        :meth:`when_ready`."""
        if self._editable is None:
            from explorer.core.corpus_edit import EditableCorpus  # ruamel.yaml: not before the first edit

            self._editable = EditableCorpus(self.state.corpus.path)
        return self._editable

    # -- reading for editing, off the GUI thread ----------------------------------------------------
    def ready(self) -> bool:
        """Whether every record file is read for editing (an edit then costs milliseconds)."""
        return not self.editable.unread()

    @property
    def preparing(self) -> bool:
        return self._relay is not None

    def prepare(self) -> None:
        """Read the record files for editing in the background, ahead of need (once; nothing if read)."""
        kinds = self.editable.unread()
        if not kinds or self._relay is not None:
            return
        relay = self._relay = _ReadRelay()
        relay.read.connect(self._on_read)
        relay.failed.connect(self._on_read_failed)
        root = self.editable.root
        self.preparing_changed.emit(True)

        def work() -> None:
            from explorer.core.corpus_edit import read_for_editing
            try:
                files = read_for_editing(root, kinds)
            except CorpusError as exc:
                relay.failed.emit(exc)
            else:
                relay.read.emit((root, files))

        self.submit(work)

    def when_ready(self, action: Callable[[], object]) -> None:
        """Do *action* now if the record files are read for editing, else once they are (reading them in
        the background, "Preparing to edit…"): the window never waits for ruamel."""
        if self.ready():
            action()
            return
        self._waiting.append(action)
        self.prepare()

    def _on_read(self, result: tuple[Path, dict[str, Any]]) -> None:
        root, files = result
        self.editable.adopt(root, files)
        self._finish_reading()
        if not self.ready():  # the corpus moved to a copy meanwhile: read that copy's files
            self.prepare()
            return
        waiting, self._waiting = self._waiting, []
        for action in waiting:  # in the order asked
            action()

    def _on_read_failed(self, error: CorpusError) -> None:
        self._finish_reading()
        dropped, self._waiting = len(self._waiting), []
        self.problem.emit("The records cannot be edited: " + "; ".join(
            f"{p.file}: {p.message}" for p in error.problems) + (" (nothing was changed)" if dropped else ""))

    def _finish_reading(self) -> None:
        self._relay = None
        self.preparing_changed.emit(False)

    @property
    def unsaved(self) -> bool:
        applied, saved = self._applied, self._saved_as
        return len(applied) != len(saved) or any(a is not b for a, b in zip(applied, saved, strict=True))

    @property
    def moves_since_save(self) -> tuple[MarksMove, ...]:
        """Every marks move the edits made since the last save, in order (what a recovery file keeps)."""
        return tuple(self._moved)

    def push(self, edit: Edit, moved: Sequence[MarksMove] = ()) -> tuple[MarksMove, ...]:
        """Apply *edit* and put it on the undo stack; :class:`CorpusError` (and nothing changed) if the
        records it leaves are not valid, or it would remove a document whose marks have nowhere to go.
        Returns the marks it moved (a document merged or renamed: see :meth:`run`). *moved*: marks the
        edit moved before it was pushed (a crashed session's, recovered): undoing it moves them back too,
        as does closing without saving."""
        at = len(self._moved)
        self._moved.extend(moved)  # before the edit is said: a recovery file written for it keeps them
        try:
            moves = self.run(edit, undo=False)
        except CorpusError:
            del self._moved[at:at + len(moved)]
            raise
        self.undo_stack.push(RecordCommand(self, edit, (*moved, *moves)))
        return moves

    def run(self, edit: Edit, undo: bool, moves: Sequence[MarksMove] = (), *,
            from_stack: bool = False) -> tuple[MarksMove, ...]:
        """Apply (or revert) *edit* and show its result; undone again if a touched record is invalid.

        A document the edit removes takes its verification marks out of sight (they are stored under
        its id): when the edit names its successor (a merge, a rename: ``Composite.successors``) or
        plainly renames it, the marks are moved there, else the edit is refused with the document and
        the count. Undoing moves back *moves*, the marks doing it moved. Returns the marks moved.
        *from_stack*: called by the undo stack's own undo or redo, which nothing may push onto.
        """
        from explorer.core.corpus_edit import touched
        from explorer.core.corpus_live import updated_corpus
        editable = self.editable
        step, back = (edit.revert, edit.apply) if undo else (edit.apply, edit.revert)
        changed = touched(edit)
        documents = sorted(rid for kind, rid in changed if kind == "documents")
        if documents:
            # A note typed in a mark and not yet saved is saved under the key its mark has now: saved after
            # the marks moved, it would go under a key they left (a document the corpus may no longer have).
            self._commit_typed(undoable=not from_stack)
        before = {d for d in documents if _has_document(editable, d)}
        step(editable)
        try:
            if undo:
                plan: list[tuple[str, str, tuple[str, ...] | None]] = [
                    (m.new_id, m.old_id, m.keys) for m in reversed(moves)]
                plan += self._undo_leftovers(edit, editable, before, documents, plan)
            else:
                plan = self._marks_plan(edit, editable, before, documents)
            corpus = updated_corpus(self.state.corpus, editable, changed)
        except CorpusError:
            back(editable)
            raise
        try:
            done = self._move_marks(plan)
        except CorpusError:
            back(editable)
            raise
        was = self.unsaved
        if not undo:
            self._applied.append(edit)
        else:  # the last one applied, unless the stack was put back out of order
            at = next((i for i in range(len(self._applied) - 1, -1, -1) if self._applied[i] is edit), None)
            if at is not None:
                del self._applied[at]
        self.state.set_corpus(corpus, renamed=renamed_ids(self.state.corpus, corpus, changed))
        self.records_changed.emit(changed)
        if self.unsaved != was:
            self.unsaved_changed.emit(self.unsaved)
        if moved_text(done):
            self.marks_moved.emit(f"Verification marks: {moved_text(done)}{' (undone)' if undo else ''}.")
        return done

    def _commit_typed(self, undoable: bool = True) -> None:
        """Save the notes typed in marks and not yet saved; as steps of their own on the undo stack only when
        *undoable* (not from inside the stack's undo or redo: a command pushed then is filed as undone)."""
        marks = self.marks
        if marks is None:
            return
        stack = marks.undo_stack
        if not undoable:
            marks.undo_stack = None
        try:
            marks.commit_pending()
        finally:
            marks.undo_stack = stack

    def _marks_plan(self, edit: Edit, editable: EditableCorpus, before: set[str],
                    documents: list[str]) -> list[tuple[str, str, tuple[str, ...] | None]]:
        """(old id, new id, None: all its marks) for each document *edit* took away that has marks;
        :class:`CorpusError` naming the document and its marks when it has no successor."""
        if self.marks is None:
            return []
        after = {d for d in documents if _has_document(editable, d)}
        gone, came = [d for d in documents if d in before and d not in after], [d for d in after if d not in before]
        successors = {old: new for (kind, old), new in getattr(edit, "successors", {}).items() if kind == "documents"}
        if len(gone) == 1 and len(came) == 1:  # an id changed without saying so (a recovered edit): a rename
            successors.setdefault(gone[0], came[0])
        plan: list[tuple[str, str, tuple[str, ...] | None]] = []
        refused: list[Problem] = []
        for document in gone:
            count = self.marks.count_for_document(document)
            if not count:
                continue
            new = successors.get(document)
            if new is not None and _has_document(editable, new):
                plan.append((document, new, None))
                continue
            refused.append(_hidden_problem(editable, document, count))
        if refused:
            raise CorpusError(refused)
        return plan

    def _undo_leftovers(self, edit: Edit, editable: EditableCorpus, before: set[str], documents: list[str],
                        plan: Sequence[tuple[str, str, tuple[str, ...] | None]],
                        ) -> list[tuple[str, str, tuple[str, ...] | None]]:
        """The marks an undo taking documents away must move besides *plan* (those marked under a document's
        id since the edit: another window, an import): to the id an undone rename gives back; with no such
        id, :class:`CorpusError` if any of them says something (a status or a note), as they would go out of
        sight. (A blank one, a mark undone to unchecked, is left: refusing for it would refuse for ever.)"""
        if self.marks is None:
            return []
        gone = [d for d in documents if d in before and not _has_document(editable, d)]
        came = [d for d in documents if d not in before and _has_document(editable, d)]
        back = {new: old for (kind, old), new in getattr(edit, "successors", {}).items() if kind == "documents"}
        if len(gone) == 1 and len(came) == 1:  # an id changed without saying so (a recovered edit)
            back.setdefault(gone[0], came[0])
        more: list[tuple[str, str, tuple[str, ...] | None]] = []
        refused: list[Problem] = []
        for document in gone:
            leaving = {k for old, _new, keys in plan if old == document for k in (keys or ())}
            left = [k for k in self.marks.keys_for_document(document) if k not in leaving]
            if not left:
                continue
            successor = back.get(document)
            if successor is not None and _has_document(editable, successor):
                more.append((document, successor, tuple(left)))
                continue
            said = [k for k in left if (m := self.marks.mark(k)) is not None
                    and (str(m.status) != MarkStatus.UNCHECKED.value or m.note)]
            if said:
                refused.append(_hidden_problem(editable, document, len(said)))
        if refused:
            raise CorpusError(refused)
        return more

    def _move_marks(self, plan: Sequence[tuple[str, str, tuple[str, ...] | None]]) -> tuple[MarksMove, ...]:
        """Carry out *plan* (see :meth:`_marks_plan`), all or nothing: :class:`CorpusError` if refused."""
        from explorer.store.marks import MarkStoreError
        done: list[MarksMove] = []
        try:
            for old, new, keys in plan:
                assert self.marks is not None  # a plan is made only with marks
                done.append(MarksMove(old, new, tuple(self.marks.move_document(
                    old, new, keys, "the edit was not made and no mark was moved"))))
        except MarkStoreError as exc:
            for move in reversed(done):
                assert self.marks is not None
                self.marks.move_document(move.new_id, move.old_id, move.keys)
            raise CorpusError(list(exc.problems)) from exc
        self._moved.extend(done)
        return tuple(done)

    def discard_moves(self) -> int:
        """The reader closes without saving: move every mark moved since the last save back under the
        document it was under (the records go back to the saved files). How many marks moved back."""
        moved, self._moved = self._moved, []
        count, said = self.move_back(moved)
        if said:
            self.problem.emit(said)
        return count

    def move_back(self, moves: Sequence[MarksMove], documents: Collection[str] | None = None) -> tuple[int, str]:
        """Undo *moves* (marks moves made in this order by edits now thrown away), latest first: each mark
        still under the id it was moved to goes back under the one it came from. With *documents* (the ids
        the corpus has now), a move back to a document not among them is not made. A mark whose move back
        would meet a mark of the same citation stays where it is: both are kept, and said, as is each
        move not made. Never raises; how many marks ended under another key, and what was not moved back (a
        sentence, or "")."""
        if self.marks is None or not moves:
            return 0, ""
        self._commit_typed()  # a note typed and not yet saved goes under the key its mark has now
        origin: dict[str, str] = {}  # a moved mark's key now -> its key before the first move back
        said: list[str] = []
        for move in reversed(moves):
            keys = [k for k in move.keys if self.marks.mark(k) is not None]
            if not keys:
                continue
            if documents is not None and move.old_id not in documents:
                said.append(f"{_marks_stay(len(keys))} under {move.new_id}: {move.old_id} "
                            "is not in the corpus now")
                continue
            clashes = [k for k in keys if self.marks.mark(key_under_document(k, move.new_id, move.old_id)) is not None]
            if clashes:
                notes = ", ".join(sorted({str(m.footnote) for k in clashes if (m := self.marks.mark(k)) is not None
                                          and m.footnote is not None}))
                said.append(f"{_marks_stay(len(clashes))} under {move.new_id}, as "
                            f"{move.old_id} has a mark for the same citation{f' (note {notes})' if notes else ''}: "
                            "both are kept; compare them and clear one")
            rest = [k for k in keys if k not in clashes]
            if not rest:
                continue
            try:
                self.marks.move_document(move.new_id, move.old_id, rest, "those marks stay where they are")
            except CorpusError as exc:  # said, and the rest still moved back
                said.append("; ".join(str(p) for p in exc.problems))
                continue
            for key in rest:  # a mark moved there and back again is not counted
                origin[key_under_document(key, move.new_id, move.old_id)] = origin.pop(key, key)
        count = sum(1 for now, was in origin.items() if now != was)
        return count, ("Verification marks not moved back: " + "; ".join(said) + ".") if said else ""

    def renamed(self, kind: str, record_id: str, changed: Iterable[tuple[str, str]]) -> str:
        """The id the record *record_id* of *kind* has after an edit that *changed* these records: its own,
        or, if it is gone and the edit left one other record of its kind, that one's (a rename, or the
        record kept by a merge)."""
        editable = self.editable
        try:
            editable.index_of(kind, record_id)
            return record_id
        except KeyError:
            pass
        others = []
        for k, rid in changed:
            if k == kind and rid != record_id:
                try:
                    editable.index_of(kind, rid)
                except KeyError:
                    continue
                others.append(rid)
        return others[0] if len(others) == 1 else record_id

    def read_only_reason(self) -> str | None:
        """Why Save must make a copy (the shipped corpus, a read-only folder), or None."""
        return self.editable.read_only_reason()

    def save(self) -> Path | None:
        """Write every edit to the corpus's files; a corpus that cannot be saved where it is is copied to
        the user's data folder first and edited there from now on. Returns the copy's folder, or None.

        :class:`CorpusError` (nothing written) when a file changed on disk since it was read, or cannot
        be written.
        """
        editable = self.editable
        copy: Path | None = None
        if editable.read_only_reason() is None:
            editable.save()
        else:
            copy = editable.save_copy(self.state.corpus.manifest.id)
            self.state.set_corpus(self.state.corpus.updated({}, {"path": copy}))
        self.mark_saved()
        self.saved.emit(copy)
        return copy

    def mark_saved(self) -> None:
        """The files now hold every edit (after :meth:`EditableCorpus.save`)."""
        self._moved.clear()  # the records saved now name the ids the marks were moved to
        was = self.unsaved
        self._saved_as = tuple(self._applied)
        if was:
            self.unsaved_changed.emit(False)
