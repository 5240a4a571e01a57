"""A compiled copy of a corpus, so a large one opens in a second, not a minute.

YAML is the authoring format: reading and validating 100,000 events from it
takes about 20 s and 2 GB. :func:`load_corpus_cached` validates a corpus once
with :func:`load_corpus`, stores the validated records in one SQLite file, and
on the next open rebuilds the records from that file without validating again.

The rules:

* **Never stale.** The cache is keyed by a SHA-256 over every file in the
  corpus folder (relative names and bytes), the cache format, the app
  version, the Python version and the record classes' field names. Any edit,
  added or removed file, upgrade or model change misses and recompiles.
* **Never trusted when damaged.** Each stored part of a table carries its own
  SHA-256, and the file says how many parts each table has; a file that
  SQLite cannot read, of another format, with a part missing or out of place,
  or whose parts do not match their checksums is deleted (it is derived data)
  and rebuilt; so is
  anything that is not a regular file (a FIFO would block the open for ever)
  and a file whose records fail to decode in any way (deep nesting included).
* **Never in the way.** A cache folder that cannot be written means the
  corpus is loaded from YAML and nothing is cached; a failure to write is
  never an error the reader sees.
* **Atomic.** A compiled corpus is written to a temporary file in the cache
  folder and renamed over the old one, so a reader (another instance, a crash
  half-way) sees the old file or the new one, never half of one.

One file per corpus folder (named after its resolved path), replaced when
the corpus changes, so the cache does not grow with every edit. The records
are stored per kind as JSON lists of positional rows, uncompressed (measured
at 100,000 events: zlib makes the file 17 MB instead of 65 MB but adds 0.3 s
to every open; marshal reads no faster than JSON; and JSON, unlike pickle,
cannot run code however the file is damaged).

What an open keeps resident is the corpus and little else: a kind's rows are
stored in parts of :data:`PART_ROWS` rows, each parsed and turned into records
before the next is read, so no whole-table copy of parsed JSON lives beside the
records (at 100,000 events that copy left some 200 MB of freed but scattered
memory the process never gave back); and the ids, kinds and other values that
records repeat (:data:`_SHARED`) are stored once in a table of values, so every
record naming a person holds the one string of its id, not a copy of its own.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import hashlib
import itertools
import json
import os
import sqlite3
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer import __version__
from explorer.core import model
from explorer.core.dates import EdtfDate
from explorer.core.essay import Essay, Footnote, FootnoteMarker, Passage
from explorer.core.gc_pause import gc_paused
from explorer.core.locations import user_dir

#: Bump when the stored layout changes (the model's fields are keyed separately).
CACHE_FORMAT = 3
#: Rows of one kind per stored part (see the module's docstring).
PART_ROWS = 4096
CACHE_DIR_ENV = "EXPLORER_CACHE_DIR"
#: Folders inside a corpus folder that hold no corpus data (version control).
IGNORED_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__"})

HIT, COMPILED, REBUILT, UNCACHED = "hit", "compiled", "rebuilt", "uncached"


@dataclass(frozen=True)
class CachedLoad:
    """A corpus and how the cache served it.

    ``outcome`` is ``hit`` (read from the cache), ``compiled`` (no usable
    cache entry: loaded from YAML and stored), ``rebuilt`` (the cache file was
    damaged: discarded, loaded from YAML and stored) or ``uncached`` (loaded
    from YAML; the cache could not be written, see ``detail``).
    """

    corpus: model.Corpus
    outcome: str
    cache_file: Path | None
    detail: str = ""


class _Damaged(Exception):
    """The cache file exists but cannot be trusted."""


def default_cache_dir() -> Path:
    """``$EXPLORER_CACHE_DIR``, else the platform's per-user cache folder."""
    return user_dir("cache", CACHE_DIR_ENV)


def load_corpus_cached(path: Path | str, cache_dir: Path | str | None = None) -> model.Corpus:
    """Load the corpus at *path* through the cache in *cache_dir* (default: :func:`default_cache_dir`).

    Returns a corpus equal to ``load_corpus(path)``; raises the same
    :class:`~explorer.core.errors.CorpusError` when the corpus is invalid.
    """
    return open_corpus(path, cache_dir).corpus


#: Told what an open is doing: a phase for the reader ("Reading the corpus files") and how far
#: through the whole open it is (0 to 1), or None when that is not known.
Progress = Callable[[str, float | None], None]


def open_corpus(path: Path | str, cache_dir: Path | str | None = None, progress: Progress | None = None) -> CachedLoad:
    """:func:`load_corpus_cached`, also saying whether the cache was used.

    *progress* is called as each phase starts; whatever it raises stops the
    open and propagates (how a window cancels a load). Nothing is written
    after that: a cache file is replaced only whole.

    The corpus lives as long as the window showing it and holds no reference
    cycles, so its objects are frozen out of the garbage collector's scans
    (see :func:`~explorer.core.gc_pause.gc_paused`).
    """
    with gc_paused(freeze=True):
        return _open(Path(path), cache_dir, progress or _no_progress)


def saved_key(corpus: model.Corpus, cache_dir: Path | str | None = None) -> str | None:
    """The cache key of *corpus*'s files as they are now (just saved); None if they cannot be read."""
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    try:
        return corpus_key(Path(corpus.path), skip=folder)
    except OSError:
        return None


def store_saved(corpus: model.Corpus, key: str, cache_dir: Path | str | None = None) -> Path | None:
    """Store *corpus*, just saved by the editor, as its folder's compiled copy under *key* (its files' key,
    :func:`saved_key`, taken right after the save: a later save must not have its records stored under its
    own key), so the next open reads it instead of the YAML. None (nothing stored) if the cache folder
    cannot be written. Slow on a large corpus: call it off the GUI thread."""
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    try:
        cache_file = cache_file_for(Path(corpus.path), folder)
        _write(cache_file, key, corpus)
    except (OSError, sqlite3.Error):
        return None
    return cache_file


def _no_progress(_phase: str, _fraction: float | None) -> None:
    pass


def cache_file_for(path: Path | str, cache_dir: Path | str | None = None) -> Path:
    """The one cache file of the corpus folder at *path* (named after its resolved path)."""
    root = Path(path)
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    return folder / f"{_slug(root.name)}-{hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]}.sqlite3"


def _load_yaml(root: Path) -> model.Corpus:
    """The YAML loader, imported only on a miss: a hit needs neither it nor PyYAML (faster start-up)."""
    from explorer.core.loader import load_corpus as load_yaml

    return load_yaml(root)


def _open(root: Path, cache_dir: Path | str | None, progress: Progress) -> CachedLoad:
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    if not root.is_dir():
        _load_yaml(root)  # raises the loader's own error for a missing folder
    cache_file = cache_file_for(root, folder)
    progress("Checking the corpus files", 0.0)
    try:
        key = corpus_key(root, skip=folder)
    except OSError as exc:  # an unreadable file: the loader says which, and why
        return CachedLoad(_load_yaml(root), UNCACHED, None, f"cannot read the corpus to key the cache: {exc}")
    damaged = ""
    try:
        mode: int | None = os.stat(cache_file).st_mode
    except OSError:
        mode = None  # nothing there (or nothing reachable): compile
    if mode is not None:
        try:
            if not stat.S_ISREG(mode):  # opening a FIFO or a device would wait for ever
                raise _Damaged("not a regular file")
            progress("Reading the compiled copy", 0.1)
            corpus = _read(cache_file, key, root)
            if corpus is not None:
                return CachedLoad(corpus, HIT, cache_file)
        except _Damaged as exc:
            damaged = str(exc)
            with contextlib.suppress(OSError):
                cache_file.unlink()
    progress("Reading and checking the corpus files", None)  # the long part of a first open
    corpus = _load_yaml(root)
    progress("Saving a compiled copy for next time", 0.9)
    try:
        if corpus_key(root, skip=folder) != key:  # edited while it loaded: what was read has no key
            return CachedLoad(corpus, UNCACHED, None, "the corpus changed while it was loading")
        _write(cache_file, key, corpus)
    except (OSError, sqlite3.Error) as exc:
        return CachedLoad(corpus, UNCACHED, None, f"cannot write the cache in {folder}: {exc}")
    if damaged:
        return CachedLoad(corpus, REBUILT, cache_file, f"the cache was damaged ({damaged}) and was rebuilt")
    return CachedLoad(corpus, COMPILED, cache_file)


def corpus_key(root: Path, skip: Path | None = None) -> str:
    """The SHA-256 naming one version of the corpus at *root* for this app.

    Covers every file under *root* (except version-control folders and the
    folder *skip*), by relative name and content, and what decides how it is
    read: the cache format, the app and Python versions and the record fields.
    """
    digest = hashlib.sha256()
    digest.update(f"{CACHE_FORMAT}\0{__version__}\0{sys.version}\0{_model_fingerprint()}\0".encode())
    skip_resolved = skip.resolve() if skip is not None else None
    for relative, full in sorted(_files(root, skip_resolved)):
        with full.open("rb") as file:
            content = hashlib.file_digest(file, "sha256").hexdigest()
        digest.update(f"{relative}\0{content}\0".encode())
    return digest.hexdigest()


def _files(root: Path, skip: Path | None) -> Iterator[tuple[str, Path]]:
    for folder, dirs, names in os.walk(root):
        here = Path(folder)
        dirs[:] = [d for d in dirs if d not in IGNORED_DIRS and (skip is None or (here / d).resolve() != skip)]
        for name in names:
            full = here / name
            if full.is_file():
                yield full.relative_to(root).as_posix(), full


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name)[:40] or "corpus"


# -- the stored layout -----------------------------------------------------------
#
# Each record is a list of its fields in declaration order. Dates are indexes
# into one table of distinct dates; nested records are lists of their fields;
# tuples are lists; the manifest's commentary is a list of pairs. How each
# field is stored follows from its declared type, so a field added to the
# model is stored without touching this file (and the model fingerprint in the
# key invalidates caches written before it); a type not listed here fails at
# import, not at run time.

_RECORDS: dict[str, type] = {
    "events": model.Event,
    "documents": model.Document,
    "people": model.Person,
    "sources": model.Source,
    "places": model.Place,
    "catalog": model.CatalogRecord,
}
_NESTED: dict[str, type] = {
    "Quote": model.Quote,
    "ArchivalLocation": model.ArchivalLocation,
    "Publication": model.Publication,
    "NameForm": model.NameForm,
    "FootnoteMarker": FootnoteMarker,
}
_PLAIN_TYPES = {"str", "int", "bool", "str | None", "int | None"}
#: Fields of one value that records repeat (ids, references to ids, kinds, archive coordinates): stored
#: once in the values table and shared on reading. Every ``tuple[str, ...]`` and ``tuple[int, ...]``
#: (lists of ids and footnote numbers) is stored so too.
_SHARED = frozenset({
    "id", "kind", "type", "language", "format", "source", "document", "catalogue", "catalog_status", "cited_via",
    "passage", "passage_id", "number", "footnote", "archive", "fond", "opis", "delo", "papka", "role", "label",
})


def _model_fingerprint() -> str:
    classes = [model.Manifest, *_RECORDS.values(), *_NESTED.values(), Passage, Footnote, EdtfDate]
    return ";".join(f"{c.__name__}:{','.join(f'{f.name}={f.type}' for f in dataclasses.fields(c))}" for c in classes)


class _Table:
    """Distinct values (dates; shared strings and numbers), each stored once, referred to by index."""

    def __init__(self) -> None:
        self.index: dict[Any, int] = {}

    def ref(self, value: Any) -> int | None:
        if value is None:
            return None
        # Keyed with its type: True == 1 and hash alike, and must not share an entry.
        found = self.index.get((type(value), value))
        if found is None:
            found = self.index[(type(value), value)] = len(self.index)
        return found

    def values(self) -> list[Any]:
        return [value for _type, value in self.index]


class _Tables:
    """The two tables a corpus's records refer to while they are encoded."""

    def __init__(self) -> None:
        self.dates = _Table()
        self.values = _Table()

    def date_rows(self) -> list[list[Any]]:
        return [[d.text, d.lower.toordinal(), d.upper.toordinal(), d.precision, d.approximate, d.uncertain]
                for d in self.dates.values()]


def _decode_dates(rows: list[list[Any]]) -> list[EdtfDate]:
    fromordinal = dt.date.fromordinal
    return [EdtfDate(t, fromordinal(lo), fromordinal(hi), p, a, u) for t, lo, hi, p, a, u in rows]


class _Layout:
    """How one record class is stored: ``encode`` to a JSON-able row, ``decode`` back.

    ``decode`` runs once per record when a large corpus opens, so it is
    compiled to one expression per class (as :mod:`dataclasses` compiles
    ``__init__``): a generic loop over the fields takes three times as long.
    """

    def __init__(self, cls: type) -> None:
        fields = dataclasses.fields(cls)
        # Records are rebuilt positionally: every field must be an __init__ argument.
        assert all(f.init for f in fields), cls
        self.cls = cls
        self.names = tuple(f.name for f in fields)
        self.kinds = tuple(self._kind(str(f.type), f.name in _SHARED) for f in fields)
        names: dict[str, Any] = {"cls": cls}
        args = []
        for i, (kind, nested) in enumerate(self.kinds):
            value = f"r[{i}]"
            if kind == "date":
                args.append(f"(None if {value} is None else d[{value}])")
            elif kind == "shared":
                args.append(f"(None if {value} is None else v[{value}])")
            elif kind == "shared-tuple":
                args.append(f"tuple([v[x] for x in {value}])")
            elif kind == "spans":
                args.append(f"tuple([tuple(x) for x in {value}])")
            elif kind == "records":
                assert nested is not None
                names[f"decode_{i}"] = nested.decode
                args.append(f"tuple([decode_{i}(x, d, v) for x in {value}])")
            elif kind == "mapping":
                args.append(f"{{k: v for k, v in {value}}}")
            else:
                args.append(value)
        source = f"lambda r, d, v: cls({', '.join(args)})"
        #: A record from its row, the dates and the shared values.
        self.decode: Callable[[list[Any], list[EdtfDate], list[Any]], Any] = eval(source, names)  # our own text

    @staticmethod
    def _kind(type_text: str, shared: bool) -> tuple[str, _Layout | None]:
        if type_text in _PLAIN_TYPES:
            return ("shared" if shared and type_text != "bool" else "plain"), None
        if type_text in ("EdtfDate", "EdtfDate | None"):
            return "date", None
        if type_text in ("tuple[str, ...]", "tuple[int, ...]"):
            return "shared-tuple", None
        if type_text == "tuple[tuple[int, int], ...]":  # a passage's italic spans
            return "spans", None
        inner = type_text.removeprefix("tuple[").removesuffix(", ...]")
        if inner in _NESTED:
            return "records", _layout(_NESTED[inner])
        if type_text == "Mapping[int, str]":
            return "mapping", None
        raise TypeError(f"the corpus cache cannot store a field of type {type_text!r}")

    def encode(self, record: Any, table: _Tables) -> list[Any]:
        row = []
        for name, (kind, nested) in zip(self.names, self.kinds, strict=True):
            value = getattr(record, name)
            if kind == "date":
                value = table.dates.ref(value)
            elif kind == "shared":
                value = table.values.ref(value)
            elif kind == "shared-tuple":
                value = [table.values.ref(x) for x in value]
            elif kind == "spans":
                value = list(value)
            elif kind == "records":
                value = [nested.encode(x, table) for x in value]  # type: ignore[union-attr]
            elif kind == "mapping":
                value = sorted(value.items())
            row.append(value)
        return row


_LAYOUTS: dict[type, _Layout] = {}


def _layout(cls: type) -> _Layout:
    if cls not in _LAYOUTS:
        _LAYOUTS[cls] = _Layout(cls)
    return _LAYOUTS[cls]


#: The stored tables that hold one row per record, kept in parts of :data:`PART_ROWS` rows.
_PARTED = ("passages", "footnotes", *_RECORDS)


def _encode_corpus(corpus: model.Corpus) -> dict[str, Any]:
    table = _Tables()
    tables: dict[str, Any] = {
        "manifest": _layout(model.Manifest).encode(corpus.manifest, table),
        "passages": [_layout(Passage).encode(p, table) for p in corpus.essay.passages],
        "footnotes": [_layout(Footnote).encode(f, table) for f in corpus.essay.footnotes],
        "essay_title": corpus.essay.title,
    }
    for kind, cls in _RECORDS.items():
        encode = _layout(cls).encode
        tables[kind] = [encode(r, table) for r in getattr(corpus, kind)]
    tables["dates"] = table.date_rows()
    tables["values"] = table.values.values()
    return tables


def _decode_corpus(root: Path, table: Callable[[str], Any], rows: Callable[[str], Iterator[list[Any]]]) -> model.Corpus:
    """The corpus from its stored tables: *table* gives a whole one, *rows* the rows of a parted one."""
    dates = _decode_dates(table("dates"))
    values = table("values")
    manifest = _layout(model.Manifest).decode(table("manifest"), dates, values)
    decode = _layout(Passage).decode
    passages = tuple([decode(row, dates, values) for row in rows("passages")])
    decode = _layout(Footnote).decode
    footnotes = tuple([decode(row, dates, values) for row in rows("footnotes")])
    # The loader names the essay by its resolved path; so does a cache hit.
    essay = Essay(str((root / manifest.source).resolve()), passages, footnotes, table("essay_title"))
    built = {}
    for kind, cls in _RECORDS.items():
        decode = _layout(cls).decode
        built[kind] = tuple([decode(row, dates, values) for row in rows(kind)])
    return model.Corpus(root, manifest, essay, built["events"], built["documents"], built["people"],
                        built["sources"], built["places"], built["catalog"])


for _cls in (model.Manifest, *_RECORDS.values(), Passage, Footnote):
    _layout(_cls)  # a field type the cache cannot store fails here, at import


# -- the file --------------------------------------------------------------------

_TABLES = ("manifest", "dates", "values", "essay_title", *_PARTED)
_SCHEMA = (
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE records (kind TEXT NOT NULL, part INTEGER NOT NULL, sha256 TEXT NOT NULL, data BLOB NOT NULL,"
    " PRIMARY KEY (kind, part))",
)


def _write(cache_file: Path, key: str, corpus: model.Corpus) -> None:
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    tables = _encode_corpus(corpus)
    fd, temp_name = tempfile.mkstemp(prefix=cache_file.name + ".", suffix=".tmp", dir=cache_file.parent)
    os.close(fd)
    temp = Path(temp_name)
    try:
        conn = sqlite3.connect(temp, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=OFF")  # a fresh file, renamed only when complete
            conn.execute("BEGIN")
            for statement in _SCHEMA:
                conn.execute(statement)
            parts = {kind: [tables[kind][i:i + PART_ROWS] for i in range(0, len(tables[kind]), PART_ROWS)]
                     if kind in _PARTED else [tables[kind]] for kind in _TABLES}
            meta = {"format": str(CACHE_FORMAT), "key": key, "app_version": __version__,
                    "corpus": str(corpus.path), "counts": json.dumps(corpus.counts()),
                    "parts": json.dumps({kind: len(kind_parts) for kind, kind_parts in parts.items()})}
            conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            for kind, kind_parts in parts.items():
                for number, part in enumerate(kind_parts):
                    data = json.dumps(part, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
                    conn.execute("INSERT INTO records VALUES (?, ?, ?, ?)",
                                 (kind, number, hashlib.sha256(data).hexdigest(), data))
            conn.execute("COMMIT")
        finally:
            conn.close()
        os.replace(temp, cache_file)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise


def _read(cache_file: Path, key: str, root: Path) -> model.Corpus | None:
    """The cached corpus; None if the file holds another version; :class:`_Damaged` if unreadable.

    Each part is read, checked and decoded in turn (see the module's docstring)."""
    try:
        conn = sqlite3.connect(f"{cache_file.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise _Damaged(f"cannot open: {exc}") from exc
    try:
        meta = dict(conn.execute("SELECT name, value FROM meta").fetchall())
        if meta.get("format") != str(CACHE_FORMAT) or meta.get("key") != key:
            return None  # another version of the corpus, of the app or of this layout
        counts = json.loads(meta["parts"])

        def parts(kind: str) -> Iterator[Any]:
            expected = counts[kind]
            found = 0
            for number, digest, data in conn.execute(
                    "SELECT part, sha256, data FROM records WHERE kind = ? ORDER BY part", (kind,)):
                if number != found or found >= expected:
                    raise _Damaged(f"the {kind} table has a part {number} out of place")
                if hashlib.sha256(data).hexdigest() != digest:
                    raise _Damaged(f"the {kind} table does not match its checksum")
                found += 1
                yield json.loads(data)
            if found != expected:
                raise _Damaged(f"the {kind} table has {found} of its {expected} parts")

        def table(kind: str) -> Any:
            (whole,) = parts(kind)
            return whole

        def rows(kind: str) -> Iterator[list[Any]]:
            return itertools.chain.from_iterable(parts(kind))  # no Python frame per row

        return _decode_corpus(root, table, rows)
    except _Damaged:
        raise
    except sqlite3.Error as exc:
        raise _Damaged(str(exc)) from exc
    except Exception as exc:
        # Whatever a crafted file makes decoding raise (RecursionError from deep nesting, AttributeError ...):
        # it is derived data that cannot be trusted, so it is rebuilt, never an error the reader sees.
        raise _Damaged(f"unreadable records: {type(exc).__name__}: {str(exc)[:200]}") from exc
    finally:
        conn.close()
