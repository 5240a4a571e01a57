"""Draft records from an imported essay, so a new corpus fills all three panes.

From the citation parser (:mod:`explorer.core.citations`) and the essay's
date mentions (:mod:`explorer.core.date_mentions`), :func:`draft_records`
drafts:

* documents: each primary source the notes cite, with its kind, date,
  sender, recipient, archival locations (as cited and as parsed), the notes
  citing it, the work it is cited through and where it is published;
* sources: each publication the notes cite;
* people: the senders and recipients, with every name form the notes use;
* events: each sentence of the essay that dates something, anchored to its
  passage by the sentence itself, with the notes marked in that sentence and
  the documents of those notes whose dates fit.

Every record is marked ``draft: true``; :func:`write_drafts` writes them as
the YAML the loader reads. Nothing is invented: titles are the note's or the
sentence's own words, summaries are mechanical ("Drafted from note 12").
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from explorer.core import citations as cit
from explorer.core.anchors import sentence_span, sentence_starts
from explorer.core.date_mentions import DateMention, find_date_mentions
from explorer.core.dates import EdtfDate, parse_edtf
from explorer.core.errors import CorpusError
from explorer.core.essay import Essay, Passage
from explorer.core.gc_pause import gc_paused
from explorer.core.model import (
    DOCUMENT_KINDS,
    ArchivalLocation,
    Document,
    Event,
    NameForm,
    Person,
    Place,
    Publication,
    Quote,
    Source,
)
from explorer.core.text import shorten

DRAFT_FILES = ("events", "documents", "people", "sources")
#: The most characters of its sentence a drafted event's title takes ("…" included).
TITLE_LIMIT = 121
# Kinds of document sent one after another: two of them with the same sender, recipient and day may
# well be two documents, so without folios to tell them apart they are never merged.
_SERIAL_KINDS = frozenset({"telegram", "ciphered-telegram", "letter", "message", "cable", "note"})
_WORK_TYPES = {
    cit.BOOK: "book", cit.CHAPTER: "chapter", cit.ARTICLE: "article", cit.BULLETIN_ARTICLE: "bulletin-article",
    cit.WORKING_PAPER: "working-paper", cit.MANUSCRIPT: "manuscript",
}
_ORGANISATION = re.compile(
    r"\b(?:Ministry|Committee|Department|Government|Embassy|Party|Delegation|Council|Bureau|Politburo|Office"
    r"|Staff|Command|Headquarters|Army|Commission|Secretariat|Foreign Office|State Department)\b",
    re.IGNORECASE,
)
_STOPWORDS = frozenset(("a", "an", "the", "of", "and", "in", "on", "for", "with", "at", "by", "to", "or", "from"))
# A report is written on or shortly after what it reports.
_REPORT_LAG = dt.timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Drafts:
    """Drafted records, each with ``draft=True``; ids are unique within each kind."""

    events: tuple[Event, ...] = ()
    documents: tuple[Document, ...] = ()
    people: tuple[Person, ...] = ()
    sources: tuple[Source, ...] = ()

    def count(self) -> int:
        return len(self.events) + len(self.documents) + len(self.people) + len(self.sources)


def draft_records(essay: Essay, notes: Sequence[cit.ParsedNote] | None = None) -> Drafts:
    """Draft documents, sources, people and events from *essay*.

    *notes* are the essay's parsed footnotes (read here when not given).
    Never raises on odd input: what cannot be read is simply not drafted.
    """
    # Many objects and no cycles: collections triggered meanwhile would rescan all of them, a cost that
    # grows faster than the book (5% of the drafting at 200 times the essay).
    with gc_paused():
        if notes is None:
            notes = cit.parse_notes((f.number, f.text) for f in essay.footnotes)
        sources, source_of_key = _draft_sources(notes)
        people = _People()
        documents = _draft_documents(notes, source_of_key, people)
        people.add_parties(notes)
        events = _draft_events(essay, documents, notes, source_of_key)
        return Drafts(tuple(events), tuple(documents), people.records(), tuple(sources))


# -- ids -----------------------------------------------------------------------


def _slug(text: str, max_words: int = 6, drop_stopwords: bool = False) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    if drop_stopwords:
        words = [w for w in words if w not in _STOPWORDS] or words
    return "-".join(words[:max_words])


def slug(text: str, max_words: int = 6, drop_stopwords: bool = False) -> str:
    """*text* as an id's words: ASCII, lower case, joined by hyphens, at most *max_words* of them."""
    return _slug(text, max_words, drop_stopwords)


def _unique_ids(bases: list[str], suffixes: list[str]) -> list[str]:
    """*bases* made unique: every member of a clash gets its suffix, then a counter if still needed."""
    counts: dict[str, int] = {}
    for b in bases:
        counts[b] = counts.get(b, 0) + 1
    out: list[str] = []
    seen: set[str] = set()
    for base, suffix in zip(bases, suffixes, strict=True):
        candidate = f"{base}-{suffix}" if counts[base] > 1 and suffix else base
        n = 2
        unique = candidate
        while unique in seen:
            unique = f"{candidate}-{n}"
            n += 1
        seen.add(unique)
        out.append(unique)
    return out


def _notes_text(numbers: Iterable[int]) -> str:
    numbers = sorted(set(numbers))
    if len(numbers) == 1:
        return f"note {numbers[0]}"
    return "notes " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


# -- sources -------------------------------------------------------------------


def _work_key(c: cit.Citation) -> str | None:
    key = cit.work_key(c)
    return None if key is None or key.startswith("archive:") else key


def _draft_sources(notes: Sequence[cit.ParsedNote]) -> tuple[list[Source], dict[str, str]]:
    """One source per work cited; returns the sources and work key -> source id."""
    infos: dict[str, tuple[str, cit.WorkInfo]] = {}  # key -> (citation kind, the fullest reading)
    footnotes: dict[str, list[int]] = {}
    for note in notes:
        for c in note.citations:
            key = _work_key(c)
            if key is None:
                continue
            footnotes.setdefault(key, [])
            if note.number not in footnotes[key]:
                footnotes[key].append(note.number)
            if c.work is None:
                continue
            known = infos.get(key)
            if known is None or (known[1].short_form and not c.work.short_form):
                infos[key] = (c.kind, c.work)
    keys = [k for k in footnotes if k in infos]  # an Ibid. of a work never cited in full has no facts
    records = []
    for key in keys:
        kind, info = infos[key]
        names = info.authors or info.editors
        base = "-".join(x for x in (
            cit.surname(names[0]) if names else "",
            str(info.year) if info.year else "",
            _slug(info.title, 3, True) if info.title
            else _slug(f"{info.container or ''} {info.volume or info.issue or ''}", 10, True),
        ) if x)
        title = info.title or " ".join(x for x in (info.container, info.volume or info.issue) if x) or key
        records.append(Source(
            id=_slug(base, 12) or "work", type=_WORK_TYPES.get(kind, "other"), title=title, authors=info.authors,
            editors=info.editors, container=info.container, volume=info.volume, issue=info.issue,
            number=info.number, series=info.series, place=info.place, publisher=info.publisher, year=info.year,
            date=info.date, url=info.url, footnotes=tuple(footnotes[key]),
            note=f"Drafted from {_notes_text(footnotes[key])}." + (f" The note says: {info.note}." if info.note
                                                                    else ""),
            draft=True,
        ))
    ids = _unique_ids([s.id for s in records], [str(s.footnotes[0]) for s in records])
    records = [replace(s, id=i) for s, i in zip(records, ids, strict=True)]
    return records, {key: s.id for key, s in zip(keys, records, strict=True)}


# -- people --------------------------------------------------------------------


def _is_organisation(name: str) -> bool:
    return bool(_ORGANISATION.search(name)) or len(name.split()) > 4


def _person_key(name: str) -> str:
    if _is_organisation(name):
        return "org:" + _slug(re.sub(r"^the\s+", "", name, flags=re.I), 12)
    return "person:" + cit.surname(name)


@dataclass(slots=True)
class _PersonDraft:
    key: str
    forms: list[str] = field(default_factory=list)
    glosses: list[str] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)
    id: str = ""
    seen: set[object] = field(default_factory=set)  # the forms, glosses and notes added: found without a scan


class _People:
    """Senders and recipients, one per person (by surname) or organisation (by its name)."""

    def __init__(self) -> None:
        self.by_key: dict[str, _PersonDraft] = {}

    def add(self, name: str | None, gloss: str | None, note: int) -> str | None:
        """The draft's key for *name* (added if new), or None for no name."""
        if not name or not name.strip():
            return None
        name = re.sub(r"^the\s+", "", name.strip(), flags=re.I) if _is_organisation(name) else name.strip()
        key = _person_key(name)
        if key in ("person:", "org:"):
            return None
        p = self.by_key.setdefault(key, _PersonDraft(key))
        if ("form", name) not in p.seen:
            p.seen.add(("form", name))
            p.forms.append(name)
        if gloss and ("gloss", gloss) not in p.seen:
            p.seen.add(("gloss", gloss))
            p.glosses.append(gloss)
        if note not in p.seen:
            p.seen.add(note)
            p.notes.append(note)
        return key

    def add_parties(self, notes: Sequence[cit.ParsedNote]) -> None:
        """Name forms of people already drafted, as conversation records write them ("I.V. Stalin")."""
        for note in notes:
            for c in note.documents():
                for party in c.document.parties if c.document else ():
                    if _is_organisation(party):
                        continue
                    p = self.by_key.get(_person_key(party))
                    if p is not None and ("form", party) not in p.seen:
                        p.seen.add(("form", party))
                        p.forms.append(party)

    def assign_ids(self) -> dict[str, str]:
        drafts = list(self.by_key.values())
        bases = [_slug(p.key.split(":", 1)[1], 5, drop_stopwords=True) or "person" for p in drafts]
        ids = _unique_ids(bases, [str(p.notes[0]) for p in drafts])
        for p, i in zip(drafts, ids, strict=True):
            p.id = i
        return {p.key: p.id for p in drafts}

    def records(self) -> tuple[Person, ...]:
        if any(not p.id for p in self.by_key.values()):
            self.assign_ids()
        out = []
        for p in self.by_key.values():
            name = max(p.forms, key=len)
            out.append(Person(
                id=p.id, name=name, kind="organisation" if p.key.startswith("org:") else "person",
                spellings=tuple(p.forms), role=p.glosses[0] if p.glosses else None,
                note=f"Drafted from {_notes_text(p.notes)}.", draft=True,
            ))
        return tuple(out)


# -- documents -----------------------------------------------------------------


@dataclass(slots=True)
class _DocDraft:
    kind: str | None = None  # the parser's kind
    title: str | None = None
    date: str | None = None
    senders: list[str] = field(default_factory=list)  # person keys
    recipients: list[str] = field(default_factory=list)
    sender_names: list[str] = field(default_factory=list)  # as the note writes them
    recipient_names: list[str] = field(default_factory=list)
    parties: tuple[str, ...] = ()
    locations: list[ArchivalLocation] = field(default_factory=list)
    translations: list[Publication] = field(default_factory=list)
    cited_via: str | None = None
    footnotes: list[int] = field(default_factory=list)
    first: cit.Citation | None = None
    # The locations and notes absorbed, for membership without a scan: a document a book cites in
    # hundreds of notes absorbs hundreds of citations.
    seen: set[object] = field(default_factory=set)

    def absorb(self, c: cit.Citation, people: _People) -> None:
        doc = c.document or cit.DocumentInfo()
        if self.first is None:
            self.first = c
        if ("note", c.note) not in self.seen:
            self.seen.add(("note", c.note))
            self.footnotes.append(c.note)
        self.kind = self.kind or doc.kind
        self.title = self.title or doc.title
        self.date = self.date or doc.date
        self.parties = self.parties or doc.parties
        sender = doc.sender or doc.author
        if not self.senders:
            key = people.add(sender, doc.sender_gloss, c.note)
            self.senders = [key] if key else []
            self.sender_names = [sender] if key and sender else []
        elif sender:
            people.add(sender, doc.sender_gloss, c.note)
        if not self.recipients:
            key = people.add(doc.recipient, doc.recipient_gloss, c.note)
            self.recipients = [key] if key else []
            self.recipient_names = [doc.recipient] if key and doc.recipient else []
        elif doc.recipient:
            people.add(doc.recipient, doc.recipient_gloss, c.note)
        for ref in c.locations:
            loc = ref.to_location(c.note)
            if loc not in self.seen:
                self.seen.add(loc)
                self.locations.append(loc)


def _merge_key(c: cit.Citation) -> str | None:
    """Citations with the same key are one document; None: this citation is a document of its own."""
    folios = sorted(f"{ref.key}/l{ref.listy}" for ref in c.locations if ref.listy)
    if folios:
        return "at:" + "+".join(folios)
    doc = c.document
    if doc is None or doc.kind in _SERIAL_KINDS or not (doc.date or doc.title):
        return None
    return cit.citation_key(c)


def _draft_documents(notes: Sequence[cit.ParsedNote], source_of_key: dict[str, str],
                     people: _People) -> list[Document]:
    drafts: list[_DocDraft] = []
    by_key: dict[str, _DocDraft] = {}
    for note in notes:
        for c in note.documents():
            key = _merge_key(c)
            d = by_key.get(key) if key else None
            if d is None:
                d = _DocDraft()
                drafts.append(d)
                if key:
                    by_key[key] = d
            d.absorb(c, people)
            _relations(d, c, note, source_of_key)
    person_ids = people.assign_ids()
    records = [_document(d, person_ids) for d in drafts]
    suffixes = [_disambiguator(d) for d in drafts]
    ids = _unique_ids([r.id for r in records], suffixes)
    # Each id's drafts, in one pass (a book drafts thousands of documents: no scan of them all for each).
    drafted_as: dict[str, list[_DocDraft]] = {}
    for r, d in zip(records, drafts, strict=True):
        drafted_as.setdefault(r.id, []).append(d)
    shared: dict[str, str] = {}  # id -> the notes of its drafts, written once for all of them
    out = []
    for r, i, d in zip(records, ids, drafts, strict=True):
        remark = r.note
        if len(drafted_as[r.id]) > 1 and not any(loc.listy for loc in r.locations):
            if r.id not in shared:
                shared[r.id] = _notes_text(sorted(n for y in drafted_as[r.id] for n in y.footnotes)).capitalize()
            remark = (f"{shared[r.id]} cite documents with the same kind, date, sender and "
                      "recipient and no folios to tell them apart: drafted as separate documents. "
                      f"Drafted from {_notes_text(d.footnotes)}.")
        out.append(replace(r, id=i, note=remark))
    return out


def _disambiguator(d: _DocDraft) -> str:
    folios = [loc.listy for loc in d.locations if loc.listy]
    return f"ll{folios[0]}" if folios else f"n{d.footnotes[0]}"


def _relations(d: _DocDraft, c: cit.Citation, note: cit.ParsedNote, source_of_key: dict[str, str]) -> None:
    for rel in c.relations:
        if not 0 <= rel.target < len(note.citations):
            continue
        target = note.citations[rel.target]
        source = source_of_key.get(_work_key(target) or "")
        if source is None:
            continue
        if rel.kind == cit.VIA:
            d.cited_via = d.cited_via or source
        elif rel.kind in (cit.IN, cit.PUBLISHED_IN):
            pub = Publication(source, target.pages)
            if all(p.source != source for p in d.translations):
                d.translations.append(pub)


def _document(d: _DocDraft, person_ids: dict[str, str]) -> Document:
    parsed_kind = d.kind
    kind = {"conversation": "record-of-conversation", None: "other"}.get(parsed_kind, parsed_kind or "other")
    note_words = [] if kind in DOCUMENT_KINDS else [f"The note calls it a {parsed_kind}."]
    if kind not in DOCUMENT_KINDS:
        kind = "other"
    senders = tuple(person_ids[k] for k in d.senders)
    recipients = tuple(person_ids[k] for k in d.recipients)
    date = _edtf(d.date)
    date_slug = date.text.split("/")[0] if date else ""
    if d.senders and d.recipients:
        kind_words = (parsed_kind or kind).replace("-", " ")
        title = f"{kind_words[:1].upper()}{kind_words[1:]} from {d.sender_names[0]} to {d.recipient_names[0]}"
        base = f"{senders[0]}-{recipients[0]}-{date_slug}"
    elif d.parties:
        title = d.title or "Conversation"
        party_slugs = [_slug(p, 3, True) if _is_organisation(p) else cit.surname(p) for p in d.parties]
        base = "-".join(["conversation", *[_slug(p, 3) for p in party_slugs if p], date_slug])
    elif d.title:
        title = d.title
        base = f"{_slug(d.title, 6, True)}-{date_slug}"
    else:
        loc = d.locations[0] if d.locations else None
        title = f"Archival file {loc.short()}" if loc else "Document"
        base = _slug(loc.short(), 12) if loc else "document"
    return Document(
        id=_slug(base, 16) or "document", kind=kind, title=title, date=date, senders=senders,
        recipients=recipients, locations=tuple(d.locations), translations=tuple(d.translations),
        cited_via=d.cited_via, footnotes=tuple(d.footnotes),
        note=" ".join([*note_words, f"Drafted from {_notes_text(d.footnotes)}."]), draft=True,
    )


def _edtf(text: str | None) -> EdtfDate | None:
    if not text:
        return None
    try:
        return parse_edtf(text)
    except ValueError:
        return None


# -- events --------------------------------------------------------------------

_YEAR = r"(1[5-9]\d\d|20\d\d)"
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}
# Coarse dates the date-mention finder leaves out (it serves checks against citations, where a bare
# year is too coarse); an event may be dated by a year.
_COARSE: list[tuple[str, re.Pattern[str]]] = [
    ("years", re.compile(rf"\b(?:from|between)\s+{_YEAR}\s*(?:-|–|to|and)\s*{_YEAR}\b")),
    ("season", re.compile(rf"\b(spring|summer|autumn|fall)\s+of\s+{_YEAR}\b", re.IGNORECASE)),
    ("weeks", re.compile(rf"\b(first|last)\s+(?:few\s+)?(?:weeks|days)\s+of\s+{_YEAR}\b", re.IGNORECASE)),
    ("part-year", re.compile(rf"\b(early|mid-|mid|late)\s*{_YEAR}\b", re.IGNORECASE)),
    ("year", re.compile(rf"\b(?:in|of|since|by|until|during)\s+{_YEAR}\b(?![-–/]\d|['’]s)")),
]
_HAS_YEAR = re.compile(rf"\b{_YEAR}\b")
_PLACEHOLDER_YEAR = 2000  # a leap year: "29 February" without a year still reads


@dataclass(frozen=True, slots=True)
class _Dated:
    """One date in the body: a span of days and the words that give it."""

    start: int
    end: int
    text: str
    lower: dt.date
    upper: dt.date
    precision: str  # day, day-range, month, year


def _coarse_dates(text: str, taken: list[tuple[int, int]]) -> list[_Dated]:
    out = []
    for kind, pattern in _COARSE:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            dated = _coarse(kind, m)
            if dated is not None:
                taken.append((m.start(), m.end()))
                out.append(dated)
    return out


def _coarse(kind: str, m: re.Match[str]) -> _Dated | None:
    groups = m.groups()
    if kind == "years":
        lo, hi = int(groups[0]), int(groups[1])
        if hi < lo:
            return None
        return _Dated(m.start(), m.end(), m.group(0), dt.date(lo, 1, 1), dt.date(hi, 12, 31), "year")
    if kind == "season":
        year = int(groups[1])
        first, last = _SEASONS[groups[0].lower()]
        return _Dated(m.start(), m.end(), m.group(0), dt.date(year, first, 1), _month_end(year, last), "month")
    if kind == "weeks":
        year = int(groups[1])
        if groups[0].lower() == "first":
            return _Dated(m.start(), m.end(), m.group(0), dt.date(year, 1, 1), dt.date(year, 2, 28), "month")
        return _Dated(m.start(), m.end(), m.group(0), dt.date(year, 11, 1), dt.date(year, 12, 31), "month")
    if kind == "part-year":
        year = int(groups[1])
        part = groups[0].lower()
        first, last = {"early": (1, 4), "late": (9, 12)}.get(part, (5, 8))
        return _Dated(m.start(), m.end(), m.group(0), dt.date(year, first, 1), _month_end(year, last), "month")
    year = int(groups[0])
    return _Dated(m.start(), m.end(), m.group(0), dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def _month_end(year: int, month: int) -> dt.date:
    nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
    return nxt - dt.timedelta(days=1)


def _with_year(d: dt.date, year: int) -> dt.date | None:
    try:
        return d.replace(year=year)
    except ValueError:
        return None


class _YearGuess:
    """The year of a date written without one ("On 30 January").

    Narrative runs forward: the year is the one that puts the date nearest
    the latest date the essay has reached so far, unless a document cited
    in the same passage is dated in that month, whose year then wins.
    """

    def __init__(self) -> None:
        self.frontier: dt.date | None = None

    def seen(self, d: dt.date) -> None:
        if self.frontier is None or d > self.frontier:
            self.frontier = d

    def year(self, lower: dt.date, document_dates: Sequence[EdtfDate]) -> int | None:
        for date in document_dates:
            for bound in (date.lower, date.upper):
                if bound.month == lower.month and date.precision != "year":
                    return bound.year
        if self.frontier is None:
            return None
        best = None
        for year in range(self.frontier.year - 1, self.frontier.year + 2):
            candidate = _with_year(lower, year)
            if candidate is None:
                continue
            distance = abs((candidate - self.frontier).days)
            if best is None or distance < best[0]:
                best = (distance, year)
        return best[1] if best else None


def _passage_dates(passage: Passage, guess: _YearGuess, document_dates: Sequence[EdtfDate]) -> list[_Dated]:
    """The author's own dates in *passage* (not those inside quotation marks), in order."""
    mentions = find_date_mentions(passage.text, default_year=_PLACEHOLDER_YEAR)
    taken = [(m.start, m.end) for m in mentions]
    dated: list[_Dated] = []
    quoted = [(m.start, m.end) for m in mentions if m.quoted]
    last_day: _Dated | None = None
    found: list[DateMention | _Dated] = [*mentions, *_coarse_dates(passage.text, taken)]
    for m in sorted(found, key=lambda x: x.start):
        if isinstance(m, DateMention):
            if m.quoted:
                continue
            got = _resolve(m, guess, document_dates, last_day)
        else:
            if any(s <= m.start < e for s, e in quoted) or _inside_quotes(passage.text, m.start):
                continue
            got = m
        if got is None:
            continue
        dated.append(got)
        if isinstance(m, DateMention):  # a bare year ("published in 1990") says nothing of where the story is
            guess.seen(got.lower)
        if got.precision == "day":
            last_day = got
    return dated


def _inside_quotes(text: str, offset: int) -> bool:
    before = text[:offset]
    return before.count("“") > before.count("”")


def _resolve(m: DateMention, guess: _YearGuess, document_dates: Sequence[EdtfDate],
             last_day: _Dated | None) -> _Dated | None:
    if re.fullmatch(r"(?i)the following day|the next day|the same day|that same day", m.text):
        if last_day is None:
            return None
        when = last_day.lower + dt.timedelta(days=0 if "same" in m.text.lower() else 1)
        return _Dated(m.start, m.end, m.text, when, when, "day")
    lower, upper = m.lower, m.upper
    if not _HAS_YEAR.search(m.text):
        year = guess.year(lower, document_dates)
        if year is None:
            return None
        if m.precision == "day-range" and lower.month == upper.month:
            # "late February": the month's last day depends on the year
            span = (_month_end(year, lower.month) if upper == _month_end(lower.year, lower.month)
                    else _with_year(upper, year))
            lower_, upper_ = _with_year(lower, year), span
        else:
            lower_, upper_ = _with_year(lower, year), _with_year(upper, year + (upper.year - lower.year))
        if lower_ is None or upper_ is None:
            return None
        lower, upper = lower_, upper_
    return _Dated(m.start, m.end, m.text, lower, upper, m.precision)


def _edtf_of(lower: dt.date, upper: dt.date, precision: str) -> str:
    if precision == "day" and lower == upper:
        return lower.isoformat()
    if lower.day == 1 and upper == _month_end(upper.year, upper.month):
        if lower.month == 1 and upper.month == 12:
            return str(lower.year) if lower.year == upper.year else f"{lower.year}/{upper.year}"
        if (lower.year, lower.month) == (upper.year, upper.month):
            return f"{lower.year}-{lower.month:02d}"
        return f"{lower.year}-{lower.month:02d}/{upper.year}-{upper.month:02d}"
    return f"{lower.isoformat()}/{upper.isoformat()}"


def _sentences(text: str) -> list[tuple[int, int]]:
    starts = sentence_starts(text)
    spans = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        while end > start and text[end - 1].isspace():
            end -= 1
        spans.append((start, end))
    return spans


def _fits(document: Document, date: EdtfDate) -> bool:
    if document.date is None:
        return False
    return document.date.lower <= date.upper + _REPORT_LAG and date.lower <= document.date.upper


def _draft_events(essay: Essay, documents: Sequence[Document], notes: Sequence[cit.ParsedNote],
                  source_of_key: dict[str, str]) -> list[Event]:
    docs_by_note: dict[int, list[Document]] = {}
    for d in documents:
        for n in d.footnotes:
            docs_by_note.setdefault(n, []).append(d)
    works_by_note = {note.number: [source_of_key[k] for k in note.work_keys() if k in source_of_key]
                     for note in notes if not note.documents()}
    events: list[Event] = []
    suffixes: list[str] = []
    for passage, dated in _dated_passages(essay, docs_by_note):
        if not dated:
            continue
        for number, (start, end) in enumerate(_sentences(passage.text), 1):
            own = [d for d in dated if start <= d.start < end]
            if not own:
                continue
            date = _date_of(own)
            # A marker stands right after its sentence's final stop, so the end counts as inside. A
            # sentence without a note of its own takes the next note of its paragraph that cites a
            # document of its date (a note often closes the paragraph it supports).
            own_notes = [m.number for m in passage.markers if start < m.offset <= end]
            following = [m.number for m in passage.markers if m.offset > end
                         and any(_fits(d, date) for d in docs_by_note.get(m.number, ()))]
            note_numbers = tuple(own_notes or following[:1])
            docs = tuple(d.id for n in note_numbers for d in docs_by_note.get(n, ()) if _fits(d, date))
            sources = tuple(s for n in own_notes for s in works_by_note.get(n, ()))
            sentence = passage.text[start:end]
            summary = f"Drafted from passage {passage.id}, sentence {number}"
            summary += f", and {_notes_text(note_numbers)}." if note_numbers else "."
            events.append(Event(
                id=f"{date.text.split('/')[0]}-{_slug(_without(sentence, own, start), 4, True)}", date=date,
                title=shorten(sentence, TITLE_LIMIT), summary=summary, date_label="; ".join(d.text for d in own),
                passages=(Quote(passage.id, sentence),), documents=tuple(dict.fromkeys(docs)),
                sources=tuple(dict.fromkeys(sources)), footnotes=note_numbers, draft=True,
            ))
            suffixes.append(f"{passage.id}-s{number}")
    ids = _unique_ids([e.id for e in events], suffixes)
    return [replace(e, id=_slug(i, 16) if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", i) else i)
            for e, i in zip(events, ids, strict=True)]


def _dated_passages(essay: Essay, docs_by_note: dict[int, list[Document]]) -> Iterator[tuple[Passage, list[_Dated]]]:
    """Each body passage with the author's own dates in it, in reading order (a date without its year
    takes the year the narrative has reached, so the passages must be read in order)."""
    guess = _YearGuess()
    for passage in essay.body_passages:
        passage_doc_dates = [d.date for m in passage.markers for d in docs_by_note.get(m.number, ()) if d.date]
        yield passage, _passage_dates(passage, guess, passage_doc_dates)


def _date_of(own: Sequence[_Dated]) -> EdtfDate:
    """The date of a sentence giving the dates *own*: the one, or the span from the first to the last."""
    lower, upper = min(d.lower for d in own), max(d.upper for d in own)
    precision = own[0].precision if len(own) == 1 else "range"
    return parse_edtf(_edtf_of(lower, upper, precision))


@dataclass(frozen=True, slots=True)
class SentenceDate:
    """The date proposed for an event narrated in a sentence, and where it was found: the words of
    the ``sentence`` that give it (its *label*), else those of its ``paragraph``, else the year the
    ``narrative`` had reached (uncertain: ``1950?``)."""

    date: EdtfDate
    label: str | None
    found_in: str


def sentence_date(essay: Essay, documents: Sequence[Document], passage_id: str, start: int,
                  end: int | None = None) -> SentenceDate | None:
    """The date drafting gives the sentence(s) of *passage_id* holding characters *start* to *end*.

    The passages are read as an import reads them (a date without its year
    takes the narrative's year, or that of a document cited nearby, so the
    essay is read in order up to the passage). A sentence without a date
    takes its paragraph's dates, else the year the narrative had reached.
    None if the essay has no dated sentence up to there. *documents* are the
    corpus's (their dates and notes help guess years).
    """
    docs_by_note: dict[int, list[Document]] = {}
    for d in documents:
        for n in d.footnotes:
            docs_by_note.setdefault(n, []).append(d)
    passage = essay.passage(passage_id)
    if passage is None or passage not in essay.body_passages:  # a heading or an editor's aside
        return None
    span = sentence_span(passage.text, start, end)
    reached: dt.date | None = None
    for read, dated in _dated_passages(essay, docs_by_note):
        if read.id == passage_id:
            own = [d for d in dated if d.start in span]
            if own:
                return SentenceDate(_date_of(own), "; ".join(d.text for d in own), "sentence")
            if dated:
                return SentenceDate(_date_of(dated), None, "paragraph")
            break
        if dated:
            latest = max(d.lower for d in dated)
            reached = latest if reached is None else max(reached, latest)
    return SentenceDate(parse_edtf(f"{reached.year}?"), None, "narrative") if reached else None


def _without(sentence: str, dated: Sequence[_Dated], offset: int) -> str:
    """*sentence* without its dates, so an id says what happened rather than repeating its date."""
    for d in sorted(dated, key=lambda x: x.start, reverse=True):
        sentence = sentence[: d.start - offset] + " " + sentence[d.end - offset:]
    return sentence


# -- YAML ----------------------------------------------------------------------


def _yaml_value(value: Any) -> Any:
    if isinstance(value, EdtfDate):
        return value.text
    if isinstance(value, Quote):
        return {"passage": value.passage, "quote": value.text}
    if isinstance(value, (ArchivalLocation, Publication, NameForm)):
        return {f.name: getattr(value, f.name) for f in fields(value) if getattr(value, f.name) is not None}
    if isinstance(value, tuple):
        return [_yaml_value(v) for v in value]
    return value


def record_to_yaml(record: Event | Document | Person | Source | Place) -> dict[str, Any]:
    """One record as the mapping the loader reads; empty and unset fields are left out."""
    out: dict[str, Any] = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if value is None or value == () or (f.name == "draft" and not value):
            continue
        out[f.name] = _yaml_value(value)
    return out


def drafts_yaml(drafts: Drafts) -> dict[str, str]:
    """File name stem -> YAML text, for each kind of record drafted."""
    out = {}
    for section in DRAFT_FILES:
        records = getattr(drafts, section)
        body = {section: [record_to_yaml(r) for r in records]}
        out[section] = yaml.dump(body, Dumper=_SafeDumper, sort_keys=False, allow_unicode=True, width=120)
    return out


# libyaml's emitter writes the same YAML about 20 times faster than PyYAML's pure-Python one (a book's
# 1,500 notes: 8 s to 0.4 s); PyYAML builds without libyaml fall back to the Python one.
_SafeDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def write_drafts(folder: Path, drafts: Drafts) -> list[Path]:
    """Write *drafts* as ``events.yaml``, ``documents.yaml``, ``people.yaml`` and ``sources.yaml``.

    Never overwrites: if any of the files exists nothing is written and a
    :class:`CorpusError` names it. Returns the files written.
    """
    targets = {section: folder / f"{section}.yaml" for section in DRAFT_FILES}
    existing = [p for p in targets.values() if p.exists() or p.is_symlink()]
    if existing:
        raise CorpusError.single(str(existing[0]), None,
                                 "the file already exists; no drafted records were written")
    written = []
    for section, text in drafts_yaml(drafts).items():
        targets[section].write_text(text, encoding="utf-8")
        written.append(targets[section])
    return written
