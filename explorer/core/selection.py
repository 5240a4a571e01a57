"""What a selection is, and what it implies, without Qt.

A :class:`Selection` is a snapshot of what the reader is looking at, by id; a
history entry is one. The rules for what a selection implies (a document picks
an event that it evidences, a footnote the document it cites ...) are the pure
functions ``follow_*``: :class:`explorer.ui.state.ExplorerState` applies them and
emits the signals, and the rules read and test without a window.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, fields, replace

from explorer.core.anchors import nearest_event
from explorer.core.audit import Finding
from explorer.core.model import Corpus, footnote_number

log = logging.getLogger("explorer")


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
    def from_ids(cls, corpus: Corpus, ids: list[str], quiet: bool = False) -> Selection:
        """The inverse of :meth:`to_ids`, dropping ids the corpus no longer has and ids that are not ids
        at all (a hand-edited or damaged settings file), with a warning in the log; *quiet* (an edit
        removed the record, as asked) logs them at debug level only."""
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
            if quiet:
                log.debug("the selection's %.80r is no longer in corpus %s; let go", item, corpus.manifest.id)
            else:
                log.warning("the saved selection %.80r is not in corpus %s; starting without it", item,
                            corpus.manifest.id)
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
