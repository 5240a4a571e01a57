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
make the corpus "unsaved" (:attr:`EditSession.unsaved`). :meth:`EditSession.save`
writes them where the corpus is or, for a corpus that cannot be saved there
(the one shipped with the app, a read-only folder), into a copy in the user's
data folder, which the window edits from then on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from explorer.core.errors import CorpusError
from explorer.core.model import Corpus
from explorer.ui.audit_job import Submit, in_daemon_thread
from explorer.ui.state import ExplorerState

if TYPE_CHECKING:
    from explorer.core.corpus_edit import Edit, EditableCorpus

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


class _ReadRelay(QObject):
    """Carries the files read from the worker to the GUI thread. No parent, and held by the work, so the
    worker never emits on a deleted object when the window closes first."""

    read = Signal(object)
    failed = Signal(object)


class RecordCommand(QUndoCommand):
    """One core edit on the undo stack; pushed after it was applied, so the first redo() does nothing."""

    def __init__(self, session: EditSession, edit: Edit) -> None:
        # The action text (Edit > Undo …) after "\n", its "&" doubled: a title's "&" is not a mnemonic there.
        text = " ".join(edit.description.split())
        super().__init__(f"{text}\n{text.replace('&', '&&')}" if "&" in text else text)
        self.edit = edit
        self._session = session
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._session.run(self.edit, undo=False)

    def undo(self) -> None:
        self._session.run(self.edit, undo=True)


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

    def __init__(self, state: ExplorerState, undo_stack: QUndoStack, parent: QObject | None = None,
                 submit: Submit | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.undo_stack = undo_stack
        #: Runs the reading of the record files off the GUI thread (tests pass a plain call).
        self.submit: Submit = submit or in_daemon_thread
        self._editable: EditableCorpus | None = None
        self._unsaved = 0  # applied edits minus undone ones since the last save (may go below 0)
        self._waiting: list[Callable[[], object]] = []  # what to do once the files are read
        self._relay: _ReadRelay | None = None  # the reading under way

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
        return self._unsaved != 0

    def push(self, edit: Edit) -> None:
        """Apply *edit* and put it on the undo stack; :class:`CorpusError` (and nothing changed) if the
        records it leaves are not valid."""
        self.run(edit, undo=False)
        self.undo_stack.push(RecordCommand(self, edit))

    def run(self, edit: Edit, undo: bool) -> None:
        """Apply (or revert) *edit* and show its result; undone again if a touched record is invalid."""
        from explorer.core.corpus_edit import touched
        from explorer.core.corpus_live import updated_corpus
        editable = self.editable
        step, back = (edit.revert, edit.apply) if undo else (edit.apply, edit.revert)
        step(editable)
        changed = touched(edit)
        try:
            corpus = updated_corpus(self.state.corpus, editable, changed)
        except CorpusError:
            back(editable)
            raise
        was = self.unsaved
        self._unsaved += -1 if undo else 1
        self.state.set_corpus(corpus, renamed=renamed_ids(self.state.corpus, corpus, changed))
        self.records_changed.emit(changed)
        if self.unsaved != was:
            self.unsaved_changed.emit(self.unsaved)

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
        if self.unsaved:
            self._unsaved = 0
            self.unsaved_changed.emit(False)
