"""Full-text search over everything a corpus holds, with SQLite FTS5.

One row per searchable thing: essay passages, notes, events, documents,
catalogue records, people, sources, places and the reader's marks. Each row has three text
columns: ``title``, ``body`` (summaries, archival locations as cited,
quotes, notes ...) and ``names`` (every name form of the people a record
involves, so a telegram is found by ``Shtykov``, ``Shykov`` or
``person:shtykov`` alike). The tokenizer is ``unicode61 remove_diacritics 2``:
case and diacritics fold, so "Pak Hŏn-yŏng" finds "Pak Hon-yong".

The query language (:func:`parse_query`): words, ``"quoted phrases"``,
``prefix*``, ``-word`` to exclude, and filters ``kind:document``,
``person:shtykov``, ``note:20``, ``from:1950-05``, ``to:1950-06`` (EDTF; a
record matches when its date range overlaps). The query is never handed to
SQLite as written: it is rebuilt from quoted terms, so no input can raise a
syntax error; whatever cannot be read as syntax is read as plain words.

The index lives beside the corpus cache (:func:`index_file_for`), keyed like
it by :func:`~explorer.core.corpus_cache.corpus_key`: another key, another
format or a damaged file means a rebuild, never an error. Edits update it in
place with :meth:`SearchIndex.update_records`; marks with
:meth:`SearchIndex.update_marks`.

A :class:`SearchIndex` may be built on a worker thread and then used on
another (the connection does not check threads), but by one thread at a time.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import random
import re
import sqlite3
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from explorer.core import model
from explorer.core.corpus_cache import cache_file_for, corpus_key, default_cache_dir
from explorer.core.dates import EdtfDate, EdtfError, parse_edtf
from explorer.core.model import footnote_number
from explorer.core.pausing import paced
from explorer.core.text import shorten

#: Bump when the rows or the schema change.
SEARCH_FORMAT = 3
#: A mark as the store holds it: (citation key, footnote, status, comment).
MarkRow = tuple[str, int | None, str, str]

KINDS = ("passage", "note", "event", "document", "catalog", "person", "source", "place", "mark")
_KIND_ALIASES = {
    **{k: k for k in KINDS},
    "passages": "passage", "notes": "note", "footnote": "note", "footnotes": "note", "fn": "note",
    "events": "event", "documents": "document", "doc": "document", "docs": "document",
    "catalogue": "catalog", "catalogs": "catalog", "catalogues": "catalog", "record": "catalog", "records": "catalog",
    "people": "person", "persons": "person", "sources": "source", "places": "place", "marks": "mark",
}
#: bm25 weights of the title, body, names and tags columns (tags hold the filters' tokens, never ranked).
_WEIGHTS = (8.0, 1.0, 3.0, 0.0)
#: The words a user types are looked for in these columns only.
_TEXT_COLUMNS = "{title body names}"
#: Past this many matches, the best hits are ranked among the first RANK_CAP matches only. Rows are
#: stored in a shuffled order, so those are a fair sample of all matches (every kind, every date).
RANK_CAP = 10_000
#: A record spanning more months than this is tagged with its years only (and "mlong").
_MONTH_TAGS = 36
#: A prefix (``t*``) stands for at most this many of the words starting so.
MAX_EXPANSION = 64
_TOKEN = re.compile(r"[^\W_]+")
#: What a query may hold: longer text is cut, further terms dropped (each is a join in FTS5).
MAX_QUERY_CHARS = 1000
MAX_TERMS = 16
#: Snippets mark the matched tokens with these; they are removed from indexed text first.
_OPEN, _CLOSE = "\x02", "\x03"
_SNIPPET_TOKENS = 16
# A hit whose matched words are not in its body (a title match) shows the body's start, this long.
_START_CHARS = 160
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)
_FILTER = re.compile(r"(kind|type|person|who|note|fn|from|to|date):(.+)", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result: what it is, where to go, and a snippet.

    ``snippet`` is plain text (never markup); ``highlights`` are the
    ``(start, end)`` spans of it that matched. ``passage`` and ``note`` say
    where in the essay the hit belongs, when it belongs somewhere; ``document``
    is the document a catalogue record describes (what choosing it selects).
    """

    kind: str
    id: str
    title: str
    snippet: str
    highlights: tuple[tuple[int, int], ...] = ()
    passage: str | None = None
    note: int | None = None
    document: str | None = None

    def marked_snippet(self, open_mark: str = "[", close_mark: str = "]") -> str:
        """The snippet with each highlight wrapped in *open_mark* ... *close_mark* (for plain-text output)."""
        out, last = [], 0
        for start, end in self.highlights:
            out += [self.snippet[last:start], open_mark, self.snippet[start:end], close_mark]
            last = end
        out.append(self.snippet[last:])
        return "".join(out)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "title": self.title, "snippet": self.snippet,
                "highlights": [list(h) for h in self.highlights], "passage": self.passage, "note": self.note,
                "document": self.document}


# -- the query -------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """A parsed query: FTS5 terms and filters, all from the user's text but never its syntax."""

    terms: tuple[str, ...] = ()  # FTS5 expressions, each a quoted string (maybe with *)
    excluded: tuple[str, ...] = ()
    kinds: frozenset[str] = frozenset()
    people: tuple[str, ...] = ()  # FTS5 expressions on the names column
    notes: frozenset[int] = frozenset()
    date_from: int | None = None  # proleptic ordinals
    date_to: int | None = None
    words: tuple[str, ...] = field(default=(), compare=False)  # the searched words, for display

    @property
    def empty(self) -> bool:
        return not (self.terms or self.kinds or self.people or self.notes
                    or self.date_from is not None or self.date_to is not None)

    def match(self, bounds: tuple[int, int] | None = None) -> str | None:
        """The FTS5 MATCH expression, or None when there is nothing to match (an empty date range).

        *bounds* are the earliest and latest dates the index holds (ordinals), for a range open at one end.
        """
        parts = [f"{_TEXT_COLUMNS} : {t}" for t in self.terms] + list(self.people)
        if self.kinds:
            parts.append("tags : (" + " OR ".join(f'"k{k}"' for k in sorted(self.kinds)) + ")")
        if self.notes:
            parts.append("tags : (" + " OR ".join(f'"n{n}"' for n in sorted(self.notes)) + ")")
        if self.date_from is not None or self.date_to is not None:
            if bounds is None:
                return None
            lo = self.date_from if self.date_from is not None else bounds[0]
            hi = self.date_to if self.date_to is not None else bounds[1]
            if lo > hi:
                return None
            dates = _date_tags(dt.date.fromordinal(lo), dt.date.fromordinal(hi))
            if dates:
                parts.append(f"tags : ({dates})")
        if not parts:
            return None
        text = " AND ".join(parts)
        for term in self.excluded:
            text += f" NOT {_TEXT_COLUMNS} : {term}"
        return text


def _date_tags(lo: dt.date, hi: dt.date) -> str | None:
    """The tags of records whose dates may touch *lo*..*hi* (the exact test is made on the rows);
    None when the range is too wide to be worth a tag filter."""
    if hi.year - lo.year > 200:
        return None
    out = []
    for year in range(lo.year, hi.year + 1):
        first = lo.month if year == lo.year else 1
        last = hi.month if year == hi.year else 12
        if (first, last) == (1, 12):
            out.append(f'"y{year}"')
        else:
            out += [f'"m{year}{m:02d}"' for m in range(first, last + 1)]
            out.append(f'("y{year}" AND "mlong")')
    return " OR ".join(out)


def _fold(text: str) -> str:
    """Lower case without diacritics, as the tokenizer folds words (ŏ -> o)."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


def _searchable(text: str) -> bool:
    """Whether *text* holds a token for unicode61 (a letter or digit): an empty phrase matches nothing."""
    return any(c.isalnum() for c in text)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _clean(text: str) -> str:
    text = _CONTROL.sub(" ", text)
    return text.replace("“", '"').replace("”", '"').replace("„", '"')


def parse_query(text: str) -> Query:
    """Read a search box's text as :class:`Query`.

    Words, ``"phrases"``, ``prefix*``, ``-excluded``; ``kind:``, ``person:``,
    ``note:``, ``from:`` and ``to:`` filters. A filter whose value cannot be
    read (``from:soon``) and anything else that is not syntax (an unbalanced
    quote, ``NEAR(``, ``AND``, ``title:``) counts as plain words.
    """
    text = _clean(str(text)[:MAX_QUERY_CHARS])
    if text.count('"') % 2:  # an unbalanced quote: the last one is a plain character
        cut = text.rfind('"')
        text = text[:cut] + " " + text[cut + 1:]
    terms: list[str] = []
    excluded: list[str] = []
    words: list[str] = []
    kinds: set[str] = set()
    people: list[str] = []
    notes: set[int] = set()
    date_from: int | None = None
    date_to: int | None = None

    def add_words(chunk: str, negate: bool = False) -> None:
        for word in chunk.split():
            prefix = word.endswith("*")
            word = _POSSESSIVE.sub("", word.strip("*"))
            if not _searchable(word):
                continue
            term = _quoted(word) + ("*" if prefix else "")
            (excluded if negate else terms).append(term)
            words.append(word)

    for i, part in enumerate(text.split('"')):
        if i % 2:  # inside quotes: a phrase
            if _searchable(part):
                terms.append(_quoted(" ".join(part.split())))
                words.append(part)
            continue
        for token in part.split():
            found = _FILTER.fullmatch(token)
            if found:
                name, value = found.group(1).lower(), found.group(2)
                if name in ("kind", "type") and value.lower() in _KIND_ALIASES:
                    kinds.add(_KIND_ALIASES[value.lower()])
                    continue
                if name in ("person", "who") and _searchable(value):
                    people.append("names : " + _quoted(_POSSESSIVE.sub("", value)))
                    continue
                if name in ("note", "fn") and footnote_number(value) is not None:
                    notes.add(footnote_number(value) or 0)
                    continue
                if name in ("from", "to", "date"):
                    date = _date(value)
                    if date is not None:
                        if name in ("from", "date"):
                            date_from = date.lower.toordinal()
                        if name in ("to", "date"):
                            date_to = date.upper.toordinal()
                        continue
                add_words(token)  # a filter that does not read: plain words
            elif token.startswith("-") and len(token) > 1 and _searchable(token):
                add_words(token[1:], negate=True)
            else:
                add_words(token)
    # Exclusions alone cannot be searched (FTS5's NOT needs a left side): they are ignored then.
    return Query(tuple(terms[:MAX_TERMS]), tuple(excluded[:MAX_TERMS]), frozenset(kinds), tuple(people[:MAX_TERMS]),
                 frozenset(notes), date_from, date_to, tuple(words))


def _date(text: str) -> EdtfDate | None:
    try:
        return parse_edtf(text)
    except EdtfError:
        return None


# -- the rows --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Row:
    kind: str
    rid: str
    title: str
    body: str
    names: str
    passage: str | None = None
    note: int | None = None
    lower: int | None = None
    upper: int | None = None
    notes: tuple[int, ...] = ()
    document: str | None = None  # a catalogue record's document

    @property
    def tags(self) -> str:
        """Tokens the filters match in FTS5 (so they narrow the match itself, not the rows after it):
        ``kdocument``, ``n20`` for each linked note, ``y1950`` and ``m195006`` for each year and month
        the record's date range touches."""
        tags = [f"k{self.kind}", *(f"n{n}" for n in self.notes)]
        if self.lower is not None and self.upper is not None:
            lo, hi = dt.date.fromordinal(self.lower), dt.date.fromordinal(self.upper)
            tags += [f"y{y}" for y in range(lo.year, hi.year + 1)]
            months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
            if months > _MONTH_TAGS:
                tags.append("mlong")
            else:
                tags += [f"m{(lo.year * 12 + lo.month - 1 + i) // 12}{(lo.month - 1 + i) % 12 + 1:02d}"
                         for i in range(months)]
        return " ".join(tags)


def _text(*parts: object) -> str:
    """Parts joined one per line, each once (a place's name and its same spelling, a date label the
    same as the date: a snippet once read "Ongjin peninsula Ongjin peninsula"), without the snippet
    markers or other control characters."""
    return _CONTROL.sub(" ", "\n".join(dict.fromkeys(str(p) for p in parts if p)))


def _names_of(corpus: model.Corpus, ids: Iterable[str]) -> str:
    forms: list[str] = []
    for pid in ids:
        person = corpus.person_by_id.get(pid)
        forms.append(pid)
        if person is not None:
            forms += person.name_forms()
    return _text(*dict.fromkeys(forms))


def _place_names(corpus: model.Corpus, ids: Iterable[str]) -> list[str]:
    out: list[str] = []
    for pid in ids:
        place = corpus.place_by_id.get(pid)
        out += [place.name, *place.spellings] if place is not None else [pid]
    return out


def _span(dates: Iterable[EdtfDate | None]) -> tuple[int | None, int | None]:
    known = [d for d in dates if d is not None]
    if not known:
        return None, None
    return min(d.lower for d in known).toordinal(), max(d.upper for d in known).toordinal()


def _event_span(corpus: model.Corpus, event_ids: Iterable[str]) -> tuple[int | None, int | None]:
    return _span(corpus.event_by_id[e].date for e in event_ids if e in corpus.event_by_id)


def _passage_row(corpus: model.Corpus, p: Any) -> _Row:
    lower, upper = _event_span(corpus, corpus.events_by_passage.get(p.id, ()))
    first = " ".join(p.text.split()[:8])
    return _Row("passage", p.id, f"Passage {p.index}: {first}…" if len(p.text) > len(first) else first,
                _text(p.text), "", p.id, p.markers[0].number if p.markers else None, lower, upper,
                tuple(m.number for m in p.markers))


def _note_row(corpus: model.Corpus, f: Any) -> _Row:
    lower, upper = _event_span(corpus, corpus.events_by_footnote.get(f.number, ()))
    label = f.label or str(f.number)
    return _Row("note", f"fn{f.number}", f"{'Endnote' if f.kind == 'endnote' else 'Note'} {label}", _text(f.text),
                "", f.passage_id, f.number, lower, upper, (f.number,))


def _event_row(corpus: model.Corpus, e: model.Event) -> _Row:
    body = _text(e.summary, e.date_label, e.date.display(), *_place_names(corpus, e.places),
                 *(q.text for q in e.passages))
    return _Row("event", e.id, e.title, body, _names_of(corpus, e.participants),
                e.passages[0].passage if e.passages else None, e.footnotes[0] if e.footnotes else None,
                e.date.lower.toordinal(), e.date.upper.toordinal(), e.footnotes)


def _document_row(corpus: model.Corpus, d: model.Document) -> _Row:
    places = [x for loc in d.locations for x in (loc.as_cited, loc.short())]
    publications = [x for t in d.translations for x in (t.source, t.pages, t.note)]
    body = _text(d.kind.replace("-", " "), d.summary, d.note, *places, *publications,
                 *(q.text for q in d.quotes), d.date.display() if d.date else None)
    lower, upper = _span((d.date, d.reports_date))
    passage = next((q.passage for q in d.quotes), None)
    return _Row("document", d.id, d.title, body, _names_of(corpus, (*d.senders, *d.recipients)), passage,
                d.footnotes[0] if d.footnotes else None, lower, upper, d.footnotes)


def _catalog_row(corpus: model.Corpus, c: model.CatalogRecord) -> _Row:
    """A catalogue record, found by its own words (title, names, location as catalogued) and by the
    essay's: it sits in the passages and notes of the document it describes, and choosing it selects that."""
    doc = corpus.document_by_id.get(c.document)
    status = c.catalog_status.replace("-", " ")
    title = f"{c.catalogue}: {c.title}" if c.title else f"{c.catalogue}: {status} ({c.document})"
    body = _text(c.title, c.location, *(loc.short() for loc in c.parsed_location), c.record_id, c.url,
                 c.published_in, c.searched, c.note, c.date.display() if c.date else None, status, c.catalogue)
    names = _text(*c.from_names, *c.to_names)
    passage = next((q.passage for q in doc.quotes), None) if doc is not None else None
    footnotes = doc.footnotes if doc is not None else ()
    lower, upper = _span((c.date,))
    return _Row("catalog", c.id, title, body, names, passage, footnotes[0] if footnotes else None,
                lower, upper, footnotes, c.document)


def _person_row(p: model.Person) -> _Row:
    return _Row("person", p.id, p.name, _text(p.role, p.note), _text(p.id, *p.name_forms()))


def _source_row(s: model.Source) -> _Row:
    body = _text(s.container, s.series, s.publisher, s.place, s.year, s.date, s.pages, s.url, s.note)
    return _Row("source", s.id, s.title, body, _text(*s.authors, *s.editors), None,
                s.footnotes[0] if s.footnotes else None, notes=s.footnotes)


def _place_row(p: model.Place) -> _Row:
    return _Row("place", p.id, p.name, _text(*(x for x in p.spellings if x != p.name), p.kind, p.note), "")


def _mark_row(mark: MarkRow) -> _Row:
    key, footnote, status, comment = mark
    where = f"note {footnote}" if footnote is not None else "a citation"
    return _Row("mark", key, f"Mark on {where}: {status}", _text(comment, key), "", None, footnote,
                notes=(footnote,) if footnote is not None else ())


def _corpus_rows(corpus: model.Corpus) -> Iterator[_Row]:
    for p in corpus.essay.passages:
        yield _passage_row(corpus, p)
    for f in corpus.essay.footnotes:
        yield _note_row(corpus, f)
    for e in corpus.events:
        yield _event_row(corpus, e)
    for d in corpus.documents:
        yield _document_row(corpus, d)
    for c in corpus.catalog:
        yield _catalog_row(corpus, c)
    yield from map(_person_row, corpus.people)
    yield from map(_source_row, corpus.sources)
    yield from map(_place_row, corpus.places)


def _rows_for(corpus: model.Corpus, kind: str, rid: str) -> list[_Row]:
    """The rows of one record as the corpus now holds it (none when it is gone)."""
    if kind == "passage":
        p = corpus.passage(rid)
        return [_passage_row(corpus, p)] if p else []
    if kind == "note":
        f = corpus.footnote(footnote_number(rid) or -1)
        return [_note_row(corpus, f)] if f else []
    if kind == "event":
        return [_event_row(corpus, corpus.event_by_id[rid])] if rid in corpus.event_by_id else []
    if kind == "document":
        return [_document_row(corpus, corpus.document_by_id[rid])] if rid in corpus.document_by_id else []
    if kind == "catalog":
        return [_catalog_row(corpus, corpus.catalog_by_id[rid])] if rid in corpus.catalog_by_id else []
    if kind == "person":
        return [_person_row(corpus.person_by_id[rid])] if rid in corpus.person_by_id else []
    if kind == "source":
        return [_source_row(corpus.source_by_id[rid])] if rid in corpus.source_by_id else []
    if kind == "place":
        return [_place_row(corpus.place_by_id[rid])] if rid in corpus.place_by_id else []
    return []


def _marks_digest(marks: Sequence[MarkRow]) -> str:
    return hashlib.sha256(json.dumps(sorted(marks, key=lambda m: m[0]), ensure_ascii=False).encode()).hexdigest()


# -- the file --------------------------------------------------------------------

_SCHEMA = (
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE items (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, rid TEXT NOT NULL, title TEXT NOT NULL,
        passage TEXT, note INTEGER, lower INTEGER, upper INTEGER, body TEXT NOT NULL, names TEXT NOT NULL,
        tags TEXT NOT NULL, document TEXT)""",
    "CREATE INDEX items_by_rid ON items (rid, kind)",
    "CREATE TABLE item_notes (note INTEGER NOT NULL, item INTEGER NOT NULL, PRIMARY KEY (note, item)) WITHOUT ROWID",
    "CREATE INDEX item_notes_by_item ON item_notes (item)",
    # External content: the text is stored once, in items, and read from there for snippets.
    "CREATE VIRTUAL TABLE fts USING fts5(title, body, names, tags, content='items', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
)


def index_file_for(corpus_path: Path | str, cache_dir: Path | str | None = None) -> Path:
    """The search index of the corpus folder at *corpus_path*: beside its cache file, named like it."""
    cache = cache_file_for(corpus_path, cache_dir)
    return cache.with_name(cache.stem + ".search.sqlite3")


class SearchIndex:
    """An FTS5 index of one corpus (and optionally its marks); see the module's docstring."""

    def __init__(self, conn: sqlite3.Connection, corpus: model.Corpus, path: Path | None, outcome: str) -> None:
        self._conn = conn
        self.corpus = corpus
        self.path = path  # None: in memory (the cache folder could not be written)
        self.outcome = outcome  # "hit", "built" or "rebuilt" (with the reason), "memory"
        self._date_bounds: tuple[int, int] | None = None
        self._vocabulary: bool | None = None

    # -- opening and building

    @classmethod
    def open(cls, corpus: model.Corpus, cache_dir: Path | str | None = None, marks: Sequence[MarkRow] | None = None,
             key: str | None = None) -> SearchIndex:
        """The index of *corpus*, read from its file when that matches, else built (and stored when it can be).

        *key* is the corpus's :func:`~explorer.core.corpus_cache.corpus_key` when the caller has it (computed
        otherwise). *marks* (None: no marks indexed) are synced into a stored index if they changed.
        Slow on a large corpus when it builds (seconds): call it off the GUI thread.
        """
        folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        path = index_file_for(corpus.path, folder)
        if key is None:
            try:
                key = corpus_key(Path(corpus.path), skip=folder)
            except OSError:
                key = ""  # an unreadable corpus folder: never matches a stored index
        marks = list(marks or ())
        reason = ""
        if key and path.is_file():
            try:
                conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
                try:
                    meta = dict(conn.execute("SELECT name, value FROM meta").fetchall())
                    count = conn.execute("SELECT count(*) FROM items").fetchone()[0]
                    if (meta.get("format") == str(SEARCH_FORMAT) and meta.get("key") == key
                            and meta.get("items") == str(count)):
                        index = cls(conn, corpus, path, "hit")
                        if meta.get("marks") != _marks_digest(marks):
                            index.update_marks(marks)
                        return index
                    reason = "another version of the corpus"
                except BaseException:
                    conn.close()
                    raise
                conn.close()
            except sqlite3.Error as exc:
                reason = f"damaged: {exc}"
            with contextlib.suppress(OSError):
                path.unlink()
        try:
            conn = _build_file(path, corpus, marks, key)
            return cls(conn, corpus, path, f"rebuilt ({reason})" if reason else "built")
        except (OSError, sqlite3.Error):
            conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
            _fill(conn, corpus, marks, key)
            return cls(conn, corpus, None, "memory")

    @classmethod
    def build_in_memory(cls, corpus: model.Corpus, marks: Sequence[MarkRow] | None = None) -> SearchIndex:
        """An index held in memory only (tests, and a corpus with nowhere to cache)."""
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        _fill(conn, corpus, list(marks or ()), "")
        return cls(conn, corpus, None, "memory")

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- updating

    def update_records(self, corpus: model.Corpus, changed: Iterable[str], key: str | None = None) -> int:
        """Re-index the records with the ids *changed* as *corpus* now holds them; returns the rows written.

        An id can name an event, document, catalogue record, person, source, place, passage or note (``fn12``);
        one the corpus no longer holds is removed. A changed person re-indexes the events and documents naming
        them (their name forms are indexed there too); a changed document, the catalogue records describing it.
        *key*: the edited corpus's key when known (else read from its folder).
        """
        todo: dict[tuple[str, str], None] = {}
        for rid in changed:
            known = corpus.kind_of(rid)
            for kind, _ in self._conn.execute("SELECT kind, rid FROM items WHERE rid = ? AND kind != 'mark'", (rid,)):
                todo[(kind, rid)] = None
            # The passages and notes an event was linked to before the edit (their dates came from it).
            for kind, linked in self._conn.execute(
                    "SELECT DISTINCT i.kind, i.rid FROM items e JOIN item_notes a ON a.item = e.id "
                    "JOIN item_notes b ON b.note = a.note JOIN items i ON i.id = b.item "
                    "WHERE e.rid = ? AND e.kind = 'event' AND i.kind IN ('passage', 'note')", (rid,)):
                todo[(kind, linked)] = None
            if known is not None:
                todo[(known, f"fn{footnote_number(rid)}" if known == "footnote" else rid)] = None
            if rid in corpus.catalog_by_id:
                todo[("catalog", rid)] = None
            if known == "document" or known is None:  # a record takes its passage and notes from its document
                for cid in corpus.catalog_by_document.get(rid, ()):
                    todo[("catalog", cid)] = None
                for (cid,) in self._conn.execute("SELECT rid FROM items WHERE kind = 'catalog' AND document = ?",
                                                 (rid,)):
                    todo[("catalog", cid)] = None
            if known == "person" or known is None:
                for eid in corpus.events_by_person.get(rid, ()):
                    todo[("event", eid)] = None
                for did in corpus.documents_by_person.get(rid, ()):
                    todo[("document", did)] = None
            if known == "place" or known is None:  # events are indexed with their places' names
                for event in corpus.events:
                    if rid in event.places:
                        todo[("event", event.id)] = None
            if known == "event":  # passages and notes take their dates from the events they narrate
                event = corpus.event_by_id[rid]
                for quote in event.passages:
                    todo[("passage", quote.passage)] = None
                for number in event.footnotes:
                    todo[("note", f"fn{number}")] = None
        rows: list[_Row] = []
        with self._transaction():
            for kind, rid in todo:
                kind = "note" if kind == "footnote" else kind
                self._delete("kind = ? AND rid = ?", (kind, rid))
                rows += _rows_for(corpus, kind, rid)
            _insert(self._conn, rows)
            if key is None:
                with contextlib.suppress(OSError):
                    key = corpus_key(Path(corpus.path), skip=self.path.parent if self.path else None)
            self._set_meta(key=key or "")
        self.corpus = corpus
        self._date_bounds = None
        return len(rows)

    def update_marks(self, marks: Sequence[MarkRow]) -> None:
        """Replace the indexed marks with *marks* (there are few: they are rewritten whole)."""
        marks = list(marks)
        with self._transaction():
            self._delete("kind = 'mark'", ())
            _insert(self._conn, [_mark_row(m) for m in marks])
            self._set_meta(marks=_marks_digest(marks))

    def _delete(self, where: str, args: tuple) -> None:
        ids = [i for (i,) in self._conn.execute(f"SELECT id FROM items WHERE {where}", args)]
        for chunk in range(0, len(ids), 500):
            part = ids[chunk:chunk + 500]
            marks = ",".join("?" * len(part))
            # An external-content index forgets a row when told its old text.
            self._conn.execute("INSERT INTO fts (fts, rowid, title, body, names, tags) "
                               f"SELECT 'delete', id, title, body, names, tags FROM items WHERE id IN ({marks})", part)
            self._conn.execute(f"DELETE FROM item_notes WHERE item IN ({marks})", part)
            self._conn.execute(f"DELETE FROM items WHERE id IN ({marks})", part)

    def _set_meta(self, **values: str) -> None:
        values["items"] = str(self._conn.execute("SELECT count(*) FROM items").fetchone()[0])
        self._conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", values.items())

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._conn.execute("BEGIN")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # -- searching

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """The best *limit* hits for the query *text* (see :func:`parse_query`); never raises for any text."""
        query = parse_query(text)
        if query.empty or limit <= 0:
            return []
        try:
            return self._run(query, limit)
        except sqlite3.OperationalError:
            # Cannot happen with the quoted terms parse_query builds; if some input still slips through,
            # the same text as plain words answers, never SQLite's message.
            plain = parse_query(" ".join(re.findall(r"\w+", text)))
            try:
                return self._run(plain, limit) if not plain.empty else []
            except sqlite3.OperationalError:
                return []

    def _expand(self, term: str) -> str:
        """A prefix term as the words the index holds that start so (at most MAX_EXPANSION of them, the
        first in alphabetical order). FTS5 would merge every such word's whole list of rows in memory
        (seconds for ``t*`` at 100,000 events); named words are read lazily and stop at the rank cap."""
        if not term.endswith("*"):
            return term
        tokens = _TOKEN.findall(_fold(term[1:-2].replace('""', '"')))
        if not tokens:
            return term
        *head, last = tokens
        if self._vocabulary is None:
            self._conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_terms USING fts5vocab(main, fts, row)")
            self._vocabulary = True
        words = [w for (w,) in self._conn.execute(
            "SELECT term FROM temp.fts_terms WHERE term >= ? AND term < ? LIMIT ?",
            (last, last + "\U0010ffff", MAX_EXPANSION))]
        if not words:
            return '""'  # matches nothing, as the prefix would
        return "(" + " OR ".join(_quoted(" ".join([*head, w])) for w in words) + ")"

    def _bounds(self) -> tuple[int, int] | None:
        if self._date_bounds is None:
            lo, hi = self._conn.execute("SELECT min(lower), max(upper) FROM items").fetchone()
            self._date_bounds = (lo, hi) if lo is not None and hi is not None else (0, -1)
        return self._date_bounds

    def _run(self, query: Query, limit: int) -> list[SearchHit]:
        dated = query.date_from is not None or query.date_to is not None
        query = dataclasses.replace(query, terms=tuple(map(self._expand, query.terms)),
                                    excluded=tuple(map(self._expand, query.excluded)))
        match = query.match(self._bounds() if dated else None)
        if match is None:
            return []
        where: list[str] = []
        args: list[object] = []
        if query.date_from is not None:  # the tags found the months; this is the exact overlap
            where.append("i.upper >= ?")
            args.append(query.date_from)
        if query.date_to is not None:
            where.append("i.lower <= ?")
            args.append(query.date_to)
        if not (query.terms or query.people):
            # Filters alone: nothing to rank by, so in date order.
            rows = self._conn.execute(
                "SELECT i.id FROM fts JOIN items i ON i.id = fts.rowid WHERE fts MATCH ?"
                + "".join(f" AND {w}" for w in where) + " ORDER BY i.lower IS NULL, i.lower, i.rid LIMIT ?",
                (match, *args, limit)).fetchall()
            return [self._hit(item, None) for (item,) in rows]
        # Very common words: rank a fair sample (see RANK_CAP) rather than every match.
        beyond = self._conn.execute("SELECT rowid FROM fts WHERE fts MATCH ? LIMIT 1 OFFSET ?",
                                    (match, RANK_CAP)).fetchone()
        if beyond is not None:
            where.append("fts.rowid < ?")
            args.append(beyond[0])
        join = " JOIN items i ON i.id = fts.rowid" if query.date_from is not None or query.date_to is not None else ""
        rank = f"bm25(fts, {', '.join(map(str, _WEIGHTS))})"
        rows = self._conn.execute(
            f"SELECT fts.rowid FROM fts{join} WHERE fts MATCH ?" + "".join(f" AND {w}" for w in where)
            + f" ORDER BY {rank} LIMIT ?", (match, *args, limit)).fetchall()
        return [self._hit(item, match) for (item,) in rows]

    def _hit(self, item: int, match: str | None) -> SearchHit:
        kind, rid, title, passage, note, body, document = self._conn.execute(
            "SELECT kind, rid, title, passage, note, body, document FROM items WHERE id = ?", (item,)).fetchone()
        snippet = _snippet(self._conn, item, body, match)
        text, spans = _unmark(snippet)
        return SearchHit(kind, rid, title, text, spans, passage, note, document)


def _snippet(conn: sqlite3.Connection, item: int, body: str, match: str | None) -> str:
    """The part of the hit around its matched words, marked with _OPEN/_CLOSE.

    Asked for one row by rowid after ranking, so snippet work is one short text per shown hit,
    however many records hold the words.
    """
    if match is not None:
        found = conn.execute(
            f"SELECT snippet(fts, 1, '{_OPEN}', '{_CLOSE}', '…', {_SNIPPET_TOKENS}) FROM fts "
            "WHERE fts MATCH ? AND rowid = ?", (match, item)).fetchone()
        if found and _OPEN in found[0]:
            return str(found[0])
    return shorten(" ".join(body.split()), _START_CHARS)


def _unmark(snippet: str) -> tuple[str, tuple[tuple[int, int], ...]]:
    snippet = " ".join(snippet.split())
    out: list[str] = []
    spans: list[tuple[int, int]] = []
    length = 0
    start = None
    for ch in snippet:
        if ch == _OPEN:
            start = length
        elif ch == _CLOSE:
            if start is not None:
                spans.append((start, length))
            start = None
        else:
            out.append(ch)
            length += 1
    return "".join(out), tuple(spans)


def _build_file(path: Path, corpus: model.Corpus, marks: list[MarkRow], key: str) -> sqlite3.Connection:
    """Build the index in a temporary file beside *path* and rename it into place (never half a file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp_name = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(fd)
    temp = Path(temp_name)
    try:
        conn = sqlite3.connect(temp, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA journal_mode=OFF")
            _fill(conn, corpus, marks, key)
        finally:
            conn.close()
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return sqlite3.connect(path, isolation_level=None, check_same_thread=False)


def _fill(conn: sqlite3.Connection, corpus: model.Corpus, marks: list[MarkRow], key: str) -> None:
    conn.execute("BEGIN")
    for statement in _SCHEMA:
        conn.execute(statement)
    rows = [*paced(_corpus_rows(corpus), 16), *map(_mark_row, marks)]
    random.Random(len(rows)).shuffle(rows)  # see RANK_CAP
    _insert(conn, rows)
    count = conn.execute("SELECT count(*) FROM items").fetchone()[0]
    conn.executemany("INSERT INTO meta VALUES (?, ?)", {
        "format": str(SEARCH_FORMAT), "key": key, "items": str(count), "marks": _marks_digest(marks),
        "corpus": str(corpus.path)}.items())
    conn.execute("COMMIT")


def _insert(conn: sqlite3.Connection, rows: list[_Row]) -> None:
    start = (conn.execute("SELECT max(id) FROM items").fetchone()[0] or 0) + 1
    tags = [r.tags for r in rows]
    conn.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", paced((
        (start + n, r.kind, r.rid, r.title, r.passage, r.note, r.lower, r.upper, r.body, r.names, tags[n], r.document)
        for n, r in enumerate(rows)), 64))
    conn.executemany("INSERT OR IGNORE INTO item_notes VALUES (?, ?)",
                     ((note, start + n) for n, r in enumerate(rows) for note in r.notes))
    conn.executemany("INSERT INTO fts (rowid, title, body, names, tags) VALUES (?, ?, ?, ?, ?)",
                     paced(((start + n, r.title, r.body, r.names, tags[n]) for n, r in enumerate(rows)), 16))
