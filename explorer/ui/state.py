"""The one object that owns what the reader is looking at.

:class:`ExplorerState` holds a :class:`Selection` (ids only) and a back/forward
history of them. Every pane asks it for changes (``select_event`` ...) and
listens to its past-tense signals; no pane calls another. A signal fires only
when its field really changes, so a pane that mirrors a change back (setting
its own current row, say) asks for what is already current and nothing is
emitted: selections cannot echo or loop.

The rules for what a selection implies (a document picks an event that it
evidences, a footnote the document it cites ...) are the pure functions
``follow_*`` of :mod:`explorer.core.selection`, which read and test without a window.

An audit finding can be part of the selection too: choosing one opens its
first note (or passage) and document; it stays selected while the reader
stays on one of its notes, and is let go as soon as they move elsewhere.

Signals carry ids; "" (or 0 for a footnote) means "nothing selected".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from explorer.core.audit import Finding
from explorer.core.model import Corpus
from explorer.core.selection import (
    Selection,
    follow,
    follow_document,
    follow_event,
    follow_finding,
    follow_footnote,
    follow_passage,
    follow_person,
    follow_source,
)

#: How many steps back the history keeps.
HISTORY_LIMIT = 500
#: The fields of a selection that hold a record's id (followed when the record is renamed).
_RECORD_FIELDS = ("event", "document", "source", "person")
#: The app's own link schemes, as rich text writes them: ``event:ID``, ``fn:12`` ...
LINK_SCHEMES = ("event", "doc", "person", "source", "fn", "passage")


class ExplorerState(QObject):
    """The current selection and its history; emits only on real change."""

    event_selected = Signal(str)
    document_selected = Signal(str)
    source_selected = Signal(str)
    person_selected = Signal(str)
    passage_selected = Signal(str)
    footnote_selected = Signal(int)
    finding_selected = Signal(str)
    #: Once per change, after the per-field signals (for the status line).
    selection_changed = Signal()
    #: A selection is asked for, before anything changes (background work parks: ``audit_job.ReaderFirst``).
    selecting = Signal()
    #: The corpus was edited (the new :class:`Corpus`); sent before any selection signal the edit causes.
    corpus_changed = Signal(object)
    history_changed = Signal(bool, bool)  # can go back, can go forward

    def __init__(self, corpus: Corpus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.corpus = corpus
        self._current = Selection()
        self._back: list[Selection] = []
        self._forward: list[Selection] = []
        # finding key -> (its notes, its passages): how long it stays selected
        self._finding_scope: dict[str, tuple[tuple[int, ...], tuple[str, ...]]] = {}
        # field name -> (signal, value for "nothing"); a new field (a finding, a
        # citation) is one line here and one in Selection.
        self._signals = {
            "event": (self.event_selected, ""),
            "document": (self.document_selected, ""),
            "source": (self.source_selected, ""),
            "person": (self.person_selected, ""),
            "passage": (self.passage_selected, ""),
            "footnote": (self.footnote_selected, 0),
            "finding": (self.finding_selected, ""),
        }

    # -- reading -----------------------------------------------------------------
    @property
    def selection(self) -> Selection:
        return self._current

    @property
    def event_id(self) -> str | None:
        return self._current.event

    @property
    def document(self) -> str | None:
        return self._current.document

    @property
    def passage(self) -> str | None:
        return self._current.passage

    @property
    def footnote(self) -> int | None:
        return self._current.footnote

    @property
    def finding(self) -> str | None:
        return self._current.finding

    def can_go_back(self) -> bool:
        return bool(self._back)

    def can_go_forward(self) -> bool:
        return bool(self._forward)

    # -- changing ----------------------------------------------------------------
    def select_event(self, event_id: str | None, passage: str | None = None) -> None:
        self.selecting.emit()
        self._select(follow_event(self.corpus, self._current, event_id, passage))

    def select_document(self, document_id: str) -> None:
        self.selecting.emit()
        if document_id in self.corpus.document_by_id:
            self._select(follow_document(self.corpus, self._current, document_id))

    def select_source(self, source_id: str) -> None:
        self.selecting.emit()
        if source_id in self.corpus.source_by_id:
            self._select(follow_source(self.corpus, self._current, source_id))

    def select_person(self, person_id: str) -> None:
        self.selecting.emit()
        if person_id in self.corpus.person_by_id:
            self._select(follow_person(self.corpus, self._current, person_id))

    def select_passage(self, passage_id: str) -> None:
        self.selecting.emit()
        if self.corpus.passage(passage_id):
            self._select(follow_passage(self.corpus, self._current, passage_id))

    def select_footnote(self, number: int | None) -> None:
        """Open footnote *number*; None or 0 closes it."""
        self.selecting.emit()
        self._select(follow_footnote(self.corpus, self._current, number))

    def select(self, item_id: str) -> bool:
        """Select any record by id; False if the corpus has no such id."""
        self.selecting.emit()
        picked = follow(self.corpus, self._current, item_id)
        if picked is None:
            return False
        self._select(picked)
        return True

    def select_finding(self, finding: Finding) -> None:
        """Select an audit finding and what it names (see :func:`follow_finding`)."""
        self.selecting.emit()
        self._finding_scope[finding.key] = (finding.footnotes, finding.passages)
        self._apply(follow_finding(self.corpus, self._current, finding))

    def select_link(self, href: str) -> bool:
        """Follow one of the app's links (``"doc:ID"``, ``"fn:12"`` ...); False if it is not one."""
        scheme, _, target = href.partition(":")
        selectors: dict[str, Callable[[str], None]] = {
            "event": self.select_event,
            "doc": self.select_document,
            "person": self.select_person,
            "source": self.select_source,
            "passage": self.select_passage,
        }
        select = selectors.get(scheme)
        if select is not None and target:
            select(target)
            return True
        if scheme == "fn" and target.isdigit():
            self.select_footnote(int(target))
            return True
        return False

    def set_corpus(self, corpus: Corpus, renamed: Mapping[str, str] | None = None) -> None:
        """Show *corpus*, an edited version of the current one: the selection keeps every id it still has
        (a removed record's is let go; a renamed one's, old id -> new id in *renamed*, is followed), and
        the history forgets the ids that are gone."""
        self.corpus = corpus
        self.corpus_changed.emit(corpus)
        moved = renamed or {}

        def ids(selection: Selection) -> list[str]:
            out = []
            for entry in selection.to_ids():
                name, _, value = entry.partition(":")
                out.append(f"{name}:{moved[value]}" if name in _RECORD_FIELDS and value in moved else entry)
            return out

        # A record the edit removed (a merge, a reject) is let go without a warning: it was asked for.
        kept = Selection.from_ids(corpus, ids(self._current), quiet=True)
        kept = replace(kept, finding=self._current.finding)
        self._back = [Selection.from_ids(corpus, ids(s), quiet=True) for s in self._back]
        self._forward = [Selection.from_ids(corpus, ids(s), quiet=True) for s in self._forward]
        self._apply(kept, record=False)

    def restore(self, selection: Selection) -> None:
        """Start from *selection* (a saved one) without a history step."""
        self._apply(selection, record=False)

    def back(self) -> None:
        self.selecting.emit()
        if self._back:
            before = self._history_flags()
            self._forward.append(self._current)
            self._apply(self._back.pop(), record=False, before=before)

    def forward(self) -> None:
        self.selecting.emit()
        if self._forward:
            before = self._history_flags()
            self._back.append(self._current)
            self._apply(self._forward.pop(), record=False, before=before)

    def _select(self, new: Selection) -> None:
        """Apply a selection made elsewhere: the finding stays only while the reader stays on it."""
        finding = self._current.finding
        notes, passages = self._finding_scope.get(finding or "", ((), ()))
        within = new.footnote in notes if notes else new.passage in passages
        self._apply(replace(new, finding=finding if within else None))

    def _history_flags(self) -> tuple[bool, bool]:
        return self.can_go_back(), self.can_go_forward()

    def _apply(self, new: Selection, record: bool = True, before: tuple[bool, bool] | None = None) -> None:
        old = self._current
        before = before or self._history_flags()
        if new == old:
            return
        if record:
            self._back.append(old)
            del self._back[:-HISTORY_LIMIT]
            self._forward.clear()
        # Set everything first, then emit: a pane reacting to the first signal
        # already sees the whole new selection.
        self._current = new
        for name, (signal, nothing) in self._signals.items():
            value = getattr(new, name)
            if value != getattr(old, name):
                signal.emit(nothing if value is None else value)
        self.selection_changed.emit()
        after = self._history_flags()
        if after != before:
            self.history_changed.emit(*after)
