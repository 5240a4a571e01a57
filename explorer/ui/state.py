"""The one object that owns what the reader is looking at.

:class:`ExplorerState` holds a :class:`Selection` (ids only) and a back/forward
history of them. Every pane asks it for changes (``select_event`` ...) and
listens to its past-tense signals; no pane calls another. A signal fires only
when its field really changes, so a pane that mirrors a change back (setting
its own current row, say) asks for what is already current and nothing is
emitted: selections cannot echo or loop.

The rules for what a selection implies (a document picks an event that it
evidences, a footnote the document it cites ...) are the pure functions
``follow_*`` below, so they read and test without a window.

An audit finding can be part of the selection too: choosing one opens its
first note (or passage) and document; it stays selected while the reader
stays on one of its notes, and is let go as soon as they move elsewhere.

Signals carry ids; "" (or 0 for a footnote) means "nothing selected".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, fields, replace

from PySide6.QtCore import QObject, Signal

from explorer.core.anchors import nearest_event
from explorer.core.audit import Finding
from explorer.core.model import Corpus, footnote_number

log = logging.getLogger("explorer")

#: How many steps back the history keeps.
HISTORY_LIMIT = 500
#: The app's own link schemes, as rich text writes them: ``event:ID``, ``fn:12`` ...
LINK_SCHEMES = ("event", "doc", "person", "source", "fn", "passage")


@dataclass(frozen=True, slots=True)
class Selection:
    """A snapshot of what is selected, by id. A history entry is one of these."""

    event: str | None = None
    document: str | None = None
    source: str | None = None  # a secondary work, when a footnote cites no document
    person: str | None = None  # shown in the detail pane until a document is chosen
    passage: str | None = None
    footnote: int | None = None
    finding: str | None = None  # an audit finding's key

    def to_ids(self) -> list[str]:
        """``["event:ev-1", "footnote:12", ...]``, for settings (not the finding: the audit
        runs again on the next start, after the selection is restored)."""
        return [f"{f.name}:{getattr(self, f.name)}" for f in fields(self)
                if getattr(self, f.name) is not None and f.name != "finding"]

    @classmethod
    def from_ids(cls, corpus: Corpus, ids: list[str]) -> Selection:
        """The inverse of :meth:`to_ids`, dropping (and logging) ids the corpus no longer has
        and ids that are not ids at all (a hand-edited or damaged settings file)."""
        found: dict[str, object] = {}
        for item in ids:
            name, _, value = str(item).partition(":")
            if name == "footnote":
                number = footnote_number(value)
                if number is not None and corpus.footnote(number):
                    found[name] = number
                    continue
            elif name in {f.name for f in fields(cls)} and corpus.kind_of(value) == name:
                found[name] = value
                continue
            log.warning("the saved selection %.80r is not in corpus %s; starting without it", item, corpus.manifest.id)
        return cls(**found)  # type: ignore[arg-type]


# -- what a selection implies ------------------------------------------------------


def follow_event(corpus: Corpus, current: Selection, event_id: str | None, passage: str | None = None) -> Selection:
    """Select an event, its first document (else source), and *passage* if it narrates it
    there (else its first); an open footnote stays open if the event cites it. Selecting
    the current event again keeps the document chosen among its evidence."""
    event = corpus.event_by_id.get(event_id or "")
    if event is None:
        return replace(current, event=None)
    narrated = [q.passage for q in event.passages]
    if event.id == current.event and (current.document in event.documents or current.source in event.sources):
        document, source = current.document, current.source  # the reader's choice among its evidence
    else:
        document = event.documents[0] if event.documents else None
        source = event.sources[0] if document is None and event.sources else None
    return Selection(
        event=event.id,
        document=document,
        source=source,
        person=None,
        passage=passage if passage in narrated else (narrated[0] if narrated else current.passage),
        footnote=current.footnote if current.footnote in event.footnotes else None,
    )


def _event_for(
    corpus: Corpus, current: Selection, candidates: tuple[str, ...], passage: str | None, offset: int | None = None
) -> str | None:
    """The current event if it is a candidate, else the one narrated nearest before *offset*
    of *passage* (or any narrated in it), else the first candidate."""
    if current.event in candidates:
        return current.event
    if passage is not None and offset is not None:
        nearest = nearest_event(corpus, candidates, passage, offset)
        if nearest is not None:
            return nearest
    for event_id in candidates:
        if any(q.passage == passage for q in corpus.event_by_id[event_id].passages):
            return event_id
    return candidates[0] if candidates else current.event


def follow_document(corpus: Corpus, current: Selection, document_id: str) -> Selection:
    """Select a document: the event follows unless the current one is evidenced by it."""
    document = corpus.document_by_id[document_id]
    event_id = _event_for(corpus, current, corpus.events_by_document.get(document_id, ()), current.passage)
    picked = follow_event(corpus, current, event_id) if event_id != current.event else current
    return replace(
        picked,
        document=document_id,
        source=None,
        person=None,
        footnote=current.footnote if current.footnote in document.footnotes else None,
    )


def follow_source(corpus: Corpus, current: Selection, source_id: str) -> Selection:
    source = corpus.source_by_id[source_id]
    return replace(
        current,
        document=None,
        source=source_id,
        person=None,
        footnote=current.footnote if current.footnote in source.footnotes else None,
    )


def follow_person(corpus: Corpus, current: Selection, person_id: str) -> Selection:
    return replace(current, person=person_id)


def follow_passage(corpus: Corpus, current: Selection, passage_id: str) -> Selection:
    """Select a passage: the event stays; a footnote from elsewhere closes."""
    footnote = corpus.footnote(current.footnote or 0)
    keep = footnote is not None and footnote.passage_id == passage_id
    return replace(current, passage=passage_id, footnote=current.footnote if keep else None)


def follow_footnote(corpus: Corpus, current: Selection, number: int | None) -> Selection:
    """Open a footnote: select what it cites, and an event that cites it."""
    footnote = corpus.footnote(number or 0)
    if footnote is None:
        return replace(current, footnote=None)
    documents = corpus.documents_by_footnote.get(footnote.number, ())
    sources = corpus.sources_by_footnote.get(footnote.number, ())
    candidates = corpus.events_by_footnote.get(footnote.number, ()) + tuple(
        e for d in documents for e in corpus.events_by_document.get(d, ())
    )
    event_id = _event_for(corpus, current, candidates, footnote.passage_id, footnote.offset)
    picked = follow_event(corpus, current, event_id, footnote.passage_id) if event_id != current.event else current
    if picked.document in documents:
        document, source = picked.document, None
    elif documents:
        document, source = documents[0], None
    else:
        document, source = None, (sources[0] if sources else picked.source)
    return replace(
        picked, document=document, source=source, person=None, passage=footnote.passage_id, footnote=footnote.number
    )


def follow_finding(corpus: Corpus, current: Selection, finding: Finding) -> Selection:
    """Select a finding: its first note (else its first passage) and its first document
    that note cites (else its first document, when it names no note)."""
    picked = current
    note = next((n for n in finding.footnotes if corpus.footnote(n)), None)
    passage = next((p for p in finding.passages if corpus.passage(p)), None)
    documents = [d for d in finding.documents if d in corpus.document_by_id]
    if note is not None:
        picked = follow_footnote(corpus, picked, note)
        documents = [d for d in documents if d in corpus.documents_by_footnote.get(note, ())]
    elif passage is not None:
        picked = follow_passage(corpus, picked, passage)
    document = documents[0] if documents else None
    if document is not None and document != picked.document:
        picked = follow_document(corpus, picked, document)
    return replace(picked, finding=finding.key)


def follow(corpus: Corpus, current: Selection, item_id: str) -> Selection | None:
    """Select whatever *item_id* names (event, document, footnote "fn12" ...); None if nothing."""
    kind = corpus.kind_of(item_id)
    if kind == "event":
        return follow_event(corpus, current, item_id)
    if kind == "document":
        return follow_document(corpus, current, item_id)
    if kind == "source":
        return follow_source(corpus, current, item_id)
    if kind == "person":
        return follow_person(corpus, current, item_id)
    if kind == "passage":
        return follow_passage(corpus, current, item_id)
    if kind == "footnote":
        return follow_footnote(corpus, current, footnote_number(item_id))
    return None


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
    # Shadows QObject.event(QEvent) -> bool: PySide6 calls a Python override only when it is a function, so Qt's
    # events still reach QObject's own; renaming the property touches every pane (a debt left for one change).
    def event(self) -> str | None:  # type: ignore[override]
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
        self._select(follow_event(self.corpus, self._current, event_id, passage))

    def select_document(self, document_id: str) -> None:
        if document_id in self.corpus.document_by_id:
            self._select(follow_document(self.corpus, self._current, document_id))

    def select_source(self, source_id: str) -> None:
        if source_id in self.corpus.source_by_id:
            self._select(follow_source(self.corpus, self._current, source_id))

    def select_person(self, person_id: str) -> None:
        if person_id in self.corpus.person_by_id:
            self._select(follow_person(self.corpus, self._current, person_id))

    def select_passage(self, passage_id: str) -> None:
        if self.corpus.passage(passage_id):
            self._select(follow_passage(self.corpus, self._current, passage_id))

    def select_footnote(self, number: int | None) -> None:
        """Open footnote *number*; None or 0 closes it."""
        self._select(follow_footnote(self.corpus, self._current, number))

    def select(self, item_id: str) -> bool:
        """Select any record by id; False if the corpus has no such id."""
        picked = follow(self.corpus, self._current, item_id)
        if picked is None:
            return False
        self._select(picked)
        return True

    def select_finding(self, finding: Finding) -> None:
        """Select an audit finding and what it names (see :func:`follow_finding`)."""
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

    def restore(self, selection: Selection) -> None:
        """Start from *selection* (a saved one) without a history step."""
        self._apply(selection, record=False)

    def back(self) -> None:
        if self._back:
            before = self._history_flags()
            self._forward.append(self._current)
            self._apply(self._back.pop(), record=False, before=before)

    def forward(self) -> None:
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
