"""The corpus: frozen records and the indexes that join them both ways.

Records hold ids, never other records; :class:`Corpus` resolves ids and keeps
the reverse indexes (footnote -> documents, document -> events, passage ->
events ...) that the panes, the audit and the exports read.
"""

from __future__ import annotations

import bisect
import re
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, fields
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.core.dates import EdtfDate
from explorer.core.essay import ENDNOTE, Essay, Footnote, Passage

DOCUMENT_KINDS = (
    "ciphered-telegram",
    "telegram",
    "record-of-conversation",
    "report",
    "policy-paper",
    "speech",
    "letter",
    "document-collection",
    "other",
)
SOURCE_TYPES = (
    "book",
    "chapter",
    "article",
    "bulletin-article",
    "working-paper",
    "manuscript",
    "archive-collection",
    "website",
    "other",
)
PARTY_KINDS = ("person", "organisation")
#: Whether a catalogue was found to describe a document (catalog.yaml).
CATALOG_STATUSES = ("found", "not-found", "not-applicable")


@dataclass(frozen=True, slots=True)
class Manifest:
    id: str
    title: str | None
    title_note: str | None
    author: str | None
    author_note: str | None
    year: int | None
    language: str
    source: str
    format: str
    description: str | None = None
    commentary: Mapping[int, str] = field(default_factory=dict)  # footnote -> why it cites nothing

    def display_title(self) -> str:
        """The essay as the window, Help > About and the report name it: its title, or "Untitled
        essay" (a title is never invented), with the author and year where the manifest gives them."""
        byline = ", ".join(str(x) for x in (self.author, self.year) if x)
        return f"{self.title or 'Untitled essay'}{f' ({byline})' if byline else ''}"


@dataclass(frozen=True, slots=True)
class Quote:
    """A verbatim span of a passage."""

    passage: str
    text: str


@dataclass(frozen=True, slots=True)
class ArchivalLocation:
    archive: str
    fond: str | None = None
    opis: str | None = None
    delo: str | None = None
    papka: str | None = None
    listy: str | None = None  # one folio ("45") or a range ("87-91")
    as_cited: str | None = None  # the note's own words
    footnote: int | None = None

    @property
    def key(self) -> str:
        """One normal form for the file, so the same file cited twice matches."""
        parts = [self.archive.replace(" ", "").upper()]
        for label, value in (("f", self.fond), ("op", self.opis), ("d", self.delo), ("p", self.papka)):
            if value:
                parts.append(f"{label}{value.lower()}")
        return ":".join(parts)

    def short(self) -> str:
        """The short form historians cite: AVPRF, f. 059a, op. 5a, d. 3, p. 11, ll. 87-91."""
        parts = [self.archive]
        for label, value in (("f.", self.fond), ("op.", self.opis), ("d.", self.delo), ("p.", self.papka)):
            if value:
                parts.append(f"{label} {value}")
        if self.listy:
            label = "ll." if any(c in self.listy for c in "-–,") else "l."
            parts.append(f"{label} {self.listy}")
        return ", ".join(parts)

    def full(self) -> str:
        """Written out: AVPRF, Fond 059a, Opis 5a, Delo 3, Papka 11, Listy 87-91."""
        parts = [self.archive]
        for label, value in (("Fond", self.fond), ("Opis", self.opis), ("Delo", self.delo), ("Papka", self.papka)):
            if value:
                parts.append(f"{label} {value}")
        if self.listy:
            label = "Listy" if any(c in self.listy for c in "-–,") else "List"
            parts.append(f"{label} {self.listy}")
        return ", ".join(parts)


@dataclass(frozen=True, slots=True)
class Publication:
    """Where a document's text (usually a translation) can be read."""

    source: str
    pages: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    date: EdtfDate
    title: str
    summary: str
    date_label: str | None = None  # the essay's own phrase, e.g. "mid-May 1950"
    participants: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    passages: tuple[Quote, ...] = ()
    documents: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    footnotes: tuple[int, ...] = ()
    draft: bool = False  # drafted by an import, not yet curated

    def display_date(self) -> str:
        return self.date_label or self.date.display()


@dataclass(frozen=True, slots=True)
class Document:
    id: str
    kind: str
    title: str
    date: EdtfDate | None = None
    reports_date: EdtfDate | None = None  # when what it reports happened, where that differs
    senders: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    locations: tuple[ArchivalLocation, ...] = ()
    translations: tuple[Publication, ...] = ()
    cited_via: str | None = None  # source id when the essay cites it only through a secondary work
    footnotes: tuple[int, ...] = ()
    quotes: tuple[Quote, ...] = ()
    summary: str | None = None
    note: str | None = None
    draft: bool = False  # drafted by an import, not yet curated

    @property
    def cited_directly(self) -> bool:
        return self.cited_via is None


@dataclass(frozen=True, slots=True)
class NameForm:
    """A name a person goes by outside the essay (a pseudonym, another romanisation), and who uses it."""

    name: str
    source: str  # where the form is used, e.g. "Wilson Center Digital Archive"
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    kind: str = "person"
    spellings: tuple[str, ...] = ()  # every form the essay uses
    role: str | None = None
    note: str | None = None
    draft: bool = False
    other_names: tuple[NameForm, ...] = ()  # forms catalogues and editions use that the essay does not

    def name_forms(self) -> tuple[str, ...]:
        """Every form of the name: the standard one, the essay's, and the catalogues'."""
        return (self.name, *self.spellings, *(f.name for f in self.other_names))


@dataclass(frozen=True, slots=True)
class CatalogRecord:
    """How an archive or its published catalogue describes one of the corpus's documents.

    Names (``from_names``, ``to_names``), the title, the date and the location
    are the catalogue's, as it gives them, so they can be compared with the
    essay's citation. A ``not-found`` record says what was searched.
    """

    id: str
    document: str
    catalogue: str
    catalog_status: str
    record_id: str | None = None
    url: str | None = None
    title: str | None = None
    date: EdtfDate | None = None
    from_names: tuple[str, ...] = ()
    to_names: tuple[str, ...] = ()
    location: str | None = None  # as catalogued
    parsed_location: tuple[ArchivalLocation, ...] = ()
    published_in: str | None = None
    read_on: EdtfDate | None = None
    searched: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Source:
    id: str
    type: str
    title: str
    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    number: str | None = None
    series: str | None = None
    place: str | None = None
    publisher: str | None = None
    year: int | None = None
    date: str | None = None
    pages: str | None = None
    url: str | None = None
    footnotes: tuple[int, ...] = ()
    note: str | None = None
    draft: bool = False


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    name: str
    kind: str | None = None
    spellings: tuple[str, ...] = ()
    note: str | None = None
    draft: bool = False


def _add_pairs(out: dict, pairs: Iterable[tuple[object, str]]) -> None:
    """Into *out*: key -> the distinct values paired with it, in first-seen order (as a dict's keys)."""
    for key, value in pairs:
        values = out.get(key)
        if values is None:
            out[key] = {value: None}  # a dict as an ordered set: membership without a scan
        else:
            values[value] = None


def _event_order(event: Event) -> tuple[object, str]:
    return (event.date.sort_key, event.id)


def _event_order_of(events: Mapping[str, Event], event_id: str) -> tuple[object, str]:
    return _event_order(events[event_id])


def _document_sources(d: Document) -> list[str]:
    return ([d.cited_via] if d.cited_via else []) + [t.source for t in d.translations]


#: The id indexes of :class:`Corpus`: index -> the field of records it holds.
_BY_ID = {"event_by_id": "events", "document_by_id": "documents", "person_by_id": "people",
          "source_by_id": "sources", "place_by_id": "places", "catalog_by_id": "catalog"}
_ID_INDEX = {kind: name for name, kind in _BY_ID.items()}
#: The reverse indexes: index -> (the field of records, the keys of one record). Each is built on first use
#: (:meth:`Corpus.__getattr__`; a window at 100,000 events opens before the audit needs most of them) and
#: kept up to date by :meth:`Corpus.updated` once built. In the order :meth:`Corpus.index_steps` builds
#: them: first those an event, note or passage selection reads, then those a person's or source's card reads.
_MULTIMAPS: dict[str, tuple[str, Callable[[Any], Iterable[object]]]] = {
    "catalog_by_document": ("catalog", lambda c: (c.document,)),
    "events_by_document": ("events", lambda e: e.documents),
    "documents_by_footnote": ("documents", lambda d: d.footnotes),
    "sources_by_footnote": ("sources", lambda x: x.footnotes),
    "events_by_footnote": ("events", lambda e: e.footnotes),
    "events_by_passage": ("events", lambda e: [q.passage for q in e.passages]),
    "events_by_person": ("events", lambda e: e.participants),
    "events_by_source": ("events", lambda e: e.sources),
    "documents_by_person": ("documents", lambda d: (*d.senders, *d.recipients)),
    "documents_by_source": ("documents", _document_sources),
}


@dataclass(frozen=True)
class Corpus:
    """A loaded, validated corpus with indexes both ways."""

    path: Path
    manifest: Manifest
    essay: Essay
    events: tuple[Event, ...]
    documents: tuple[Document, ...]
    people: tuple[Person, ...]
    sources: tuple[Source, ...]
    places: tuple[Place, ...]
    catalog: tuple[CatalogRecord, ...] = ()  # catalog.yaml; optional

    def __post_init__(self) -> None:
        s = object.__setattr__
        s(self, "events", tuple(sorted(self.events, key=lambda e: (e.date.sort_key, e.id))))
        s(self, "event_by_id", {e.id: e for e in self.events})
        s(self, "document_by_id", {d.id: d for d in self.documents})
        s(self, "person_by_id", {p.id: p for p in self.people})
        s(self, "source_by_id", {x.id: x for x in self.sources})
        s(self, "place_by_id", {p.id: p for p in self.places})
        s(self, "catalog_by_id", {c.id: c for c in self.catalog})

    if not TYPE_CHECKING:  # hidden from mypy, which would otherwise take any misspelt attribute as valid

        def __getattr__(self, name: str) -> Any:
            """A reverse index (:data:`_MULTIMAPS`), built from the records the first time it is read."""
            spec = _MULTIMAPS.get(name)
            if spec is None:
                raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
            for _ in self.index_steps((name,), step=None):
                pass
            return self.__dict__[name]

    # Typed accessors (the id indexes are set in __post_init__, the others on first use).
    event_by_id: dict[str, Event] = field(init=False, repr=False, compare=False)
    document_by_id: dict[str, Document] = field(init=False, repr=False, compare=False)
    person_by_id: dict[str, Person] = field(init=False, repr=False, compare=False)
    source_by_id: dict[str, Source] = field(init=False, repr=False, compare=False)
    place_by_id: dict[str, Place] = field(init=False, repr=False, compare=False)
    catalog_by_document: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    catalog_by_id: dict[str, CatalogRecord] = field(init=False, repr=False, compare=False)
    events_by_document: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    events_by_footnote: dict[int, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    events_by_passage: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    events_by_person: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    events_by_source: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    documents_by_footnote: dict[int, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    sources_by_footnote: dict[int, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    documents_by_person: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    documents_by_source: dict[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def index_steps(self, names: Iterable[str] | None = None, step: int | None = 1000) -> Iterator[str]:
        """Build the reverse indexes *names* (default: all of them) not built yet, *step* records at a
        time (None: all at once), yielding an index's name after each step: a caller can spread the
        work over idle moments (a window at 100,000 events builds them after its first paint, so
        that its first selections do not pay ~100 ms per index). An index is set only when complete,
        equal to the one read on demand (:meth:`__getattr__`), and skipped if built meanwhile."""
        for name in _MULTIMAPS if names is None else names:
            kind, keys = _MULTIMAPS[name]
            records = getattr(self, kind)
            size = step or max(len(records), 1)
            out: dict = {}
            for start in range(0, len(records), size):
                if name in self.__dict__:
                    break
                _add_pairs(out, ((key, record.id) for record in records[start:start + size] for key in keys(record)))
                if step is not None:
                    yield name
            if name in self.__dict__:  # built meanwhile (read on demand, or by another thread): equal
                continue
            items = list(out.items())
            index: dict[object, tuple[str, ...]] = {}
            for start in range(0, len(items), size):
                index.update((k, tuple(v)) for k, v in items[start:start + size])
                if step is not None:
                    yield name
            object.__setattr__(self, name, index)  # two threads may both build it: equal, either one kept

    def updated(self, changed: Mapping[str, Mapping[str, Any]], records: Mapping[str, Any] | None = None) -> Corpus:
        """This corpus with some records changed, added or removed: *changed* maps a field ("events" ...) to
        ``{id: the new record, or None when it is gone}``; *records* gives the new tuple of a field whose order
        is the file's (every field but "events", which stays in date order), and may replace any other
        field (``{"path": ...}``). Every index is updated for the changed ids alone, not rebuilt (an edit of
        a 100,000-event corpus costs milliseconds). The result equals ``Corpus(...)`` of the same records."""
        records = records or {}
        new = object.__new__(Corpus)
        s = object.__setattr__
        for f in fields(self):
            if f.init:
                s(new, f.name, records.get(f.name, getattr(self, f.name)))
        if "events" in changed:  # kept in date order: the changed ones go where their dates put them
            order = list(self.events)
            for rid in changed["events"]:
                was = self.event_by_id.get(rid)
                if was is not None:  # found by halving, as it is where its date put it
                    at = bisect.bisect_left(order, _event_order(was), key=_event_order)
                    if at < len(order) and order[at] is was:
                        del order[at]
                    else:  # two events with one id and date (the checker refuses them): the slow way
                        order = [e for e in order if e is not was]
            for event in changed["events"].values():
                if event is not None:
                    bisect.insort(order, event, key=_event_order)
            s(new, "events", tuple(order))
        # What changed since this corpus, for a pane to follow without comparing every record (held weakly:
        # a chain of edits must not keep every earlier corpus alive).
        s(new, "_edit", (weakref.ref(self), {kind: frozenset(ids) for kind, ids in changed.items()}))
        for name, kind in _BY_ID.items():
            index = getattr(self, name)
            if changed.get(kind):
                index = dict(index)
                for rid, record in changed[kind].items():
                    if record is None:
                        index.pop(rid, None)
                    else:
                        index[rid] = record
            s(new, name, index)
        positions: dict[str, dict[str, int]] = {}
        for name, (kind, keys) in _MULTIMAPS.items():
            if name not in self.__dict__:
                continue  # not built yet: the new corpus builds it from its own records when it is read
            index = self.__dict__[name]
            ids = changed.get(kind, {})
            by_id = getattr(self, _ID_INDEX[kind])
            touched = {k for rid, r in ids.items() for was in (by_id.get(rid), r) if was is not None for k in keys(was)}
            if touched:
                index = dict(index)
                new_by_id = getattr(new, _ID_INDEX[kind])
                if kind == "events":
                    order_of: Callable[[str], Any] = partial(_event_order_of, new_by_id)
                else:
                    if kind not in positions:
                        positions[kind] = {r.id: i for i, r in enumerate(getattr(new, kind))}
                    order_of = positions[kind].__getitem__
                for key in touched:
                    members = {m for m in index.get(key, ()) if m not in ids}
                    members.update(rid for rid, r in ids.items() if r is not None and key in keys(r))
                    if members:
                        index[key] = tuple(sorted(members, key=order_of))
                    else:
                        index.pop(key, None)
            s(new, name, index)
        return new

    def changed_since(self, old: Corpus) -> Mapping[str, frozenset[str]] | None:
        """The ids of the records (by field: "events" ...) that differ from *old*'s, when this corpus is
        *old* with an edit (:meth:`updated`); None when that is not known (compare the records then)."""
        step = self.__dict__.get("_edit")
        return step[1] if step is not None and step[0]() is old else None

    # Convenience lookups used by every pane.
    def passage(self, passage_id: str) -> Passage | None:
        return self.essay.passage(passage_id)

    def footnote(self, number: int) -> Footnote | None:
        return self.essay.footnote(number)

    def kind_of(self, item_id: str) -> str | None:
        """Which record an id names: "event", "document", "person", "source", "place",
        "passage" or "footnote" (ids like ``fn12`` or ``12``)."""
        for kind, index in (
            ("event", self.event_by_id),
            ("document", self.document_by_id),
            ("person", self.person_by_id),
            ("source", self.source_by_id),
            ("place", self.place_by_id),
        ):
            if item_id in index:
                return kind
        if self.essay.passage(item_id):
            return "passage"
        if footnote_number(item_id) is not None and self.footnote(footnote_number(item_id) or 0):
            return "footnote"
        return None

    def unaccounted_footnotes(self) -> tuple[int, ...]:
        """Footnotes no document or source cites and not marked as commentary."""
        return tuple(
            f.number
            for f in self.essay.footnotes
            if f.number not in self.documents_by_footnote
            and f.number not in self.sources_by_footnote
            and f.number not in self.manifest.commentary
        )

    def counts(self) -> dict[str, int]:
        return {
            "passages": len(self.essay.body_passages),
            "footnotes": sum(f.kind != ENDNOTE for f in self.essay.footnotes),
            "endnotes": sum(f.kind == ENDNOTE for f in self.essay.footnotes),
            "events": len(self.events),
            "documents": len(self.documents),
            "people": len(self.people),
            "sources": len(self.sources),
            "places": len(self.places),
            "drafts": sum(r.draft for rs in (self.events, self.documents, self.people, self.sources, self.places)
                          for r in rs),
        }


#: A record id as corpus files spell it (the loader's rule): ASCII letters, digits, ".", "_" and "-".
RECORD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
# ASCII digits only, and few of them: "²" is a digit to str.isdigit but not to int(), and
# thousands of digits exceed Python's integer-string limit.
_FOOTNOTE_ID = re.compile(r"(?:fn|n)?([0-9]{1,6})", re.ASCII | re.IGNORECASE)


def footnote_number(item_id: str) -> int | None:
    """``"fn12"``, ``"n12"`` or ``"12"`` -> 12; anything else (``"fn²"``, a million digits) -> None."""
    found = _FOOTNOTE_ID.fullmatch(item_id)
    return int(found.group(1)) if found else None
