"""Import catalogue records from CSL-JSON and RIS, as Zotero exports them, and match them to documents.

A historian's reference manager holds an archive's catalogue records as
items with ``archive`` (the catalogue or archive), ``archive_location`` (fond,
opis, delo ...), ``author`` (the sender), ``recipient``, ``issued`` (the date)
and ``URL``. Zotero writes them to CSL-JSON under those names, and to RIS as
``DB`` (archive), ``AN`` (archive location), ``AU`` (author), ``A2``
(recipient of a letter), ``DA``/``PY`` (date), ``UR`` (URL), ``TI`` (title) and
``ID``.

Each entry is matched to a corpus document by its archival location first
(the same file and overlapping folios), then by its date and the names of
its sender and recipient, read through every name form a person carries
(:meth:`Person.name_forms`: the essay's spellings and the catalogues'
pseudonyms and romanisations). Nothing is dropped: an entry that matches no
document, or more than one, comes back unmatched with the reason and the
candidates, and a file that cannot be read is a :class:`CorpusError` naming
the file, the place in it and why.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import rispy

from explorer.core import model
from explorer.core.citations import parse_archival_location
from explorer.core.dates import EdtfDate, EdtfError, parse_edtf
from explorer.core.errors import CorpusError, Problem
from explorer.core.textfile import decode_text, read_bytes_limited

CSL_JSON = "csl-json"
RIS = "ris"
#: Larger files are refused before they are read (a Zotero export of a whole archive is far smaller).
MAX_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    """One catalogue record as an export gives it, before it is matched."""

    file: str
    line: int | None  # where the entry starts in the file
    key: str | None  # the export's own id for it (CSL ``id``, RIS ``ID``)
    title: str | None = None
    date: EdtfDate | None = None
    from_names: tuple[str, ...] = ()
    to_names: tuple[str, ...] = ()
    archive: str | None = None
    location: str | None = None  # as the export gives it
    parsed_location: tuple[model.ArchivalLocation, ...] = ()
    url: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Match:
    """Which document an entry describes, how that was decided, and how the two differ."""

    entry: CatalogEntry
    document: str | None  # None: unmatched (see reason and candidates)
    method: str | None  # "location" or "date-and-names"
    reason: str
    candidates: tuple[str, ...] = ()
    differences: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportResult:
    matches: tuple[Match, ...]
    records: tuple[model.CatalogRecord, ...] = field(default=())  # one per matched entry

    @property
    def unmatched(self) -> tuple[Match, ...]:
        return tuple(m for m in self.matches if m.document is None)


# -- reading ------------------------------------------------------------------------------------------


def read_catalog_file(path: Path | str, fmt: str | None = None) -> list[CatalogEntry]:
    """The entries of a CSL-JSON or RIS file (*fmt*, or guessed from the suffix and the content)."""
    path = Path(path)
    name = str(path)
    text = decode_text(read_bytes_limited(path, MAX_BYTES, "catalogue exports"), name, "a catalogue export")
    fmt = fmt or _guess_format(path, text)
    if fmt == CSL_JSON:
        return read_csl_json(text, name)
    if fmt == RIS:
        return read_ris(text, name)
    raise CorpusError.single(name, None, f"unknown catalogue format {fmt!r} (expected {CSL_JSON} or {RIS})")


def _guess_format(path: Path, text: str) -> str:
    suffix = path.suffix.lower()
    if suffix in (".json", ".csljson"):
        return CSL_JSON
    if suffix in (".ris", ".txt"):
        return RIS
    return CSL_JSON if text.lstrip().startswith(("[", "{")) else RIS


def read_csl_json(text: str, file: str) -> list[CatalogEntry]:
    """The items of a CSL-JSON array (Zotero's "CSL JSON" export)."""
    decoder = json.JSONDecoder()
    start = len(text) - len(text.lstrip())
    if not text[start:start + 1] == "[":
        raise CorpusError.single(file, _line(text, start), "a CSL-JSON export must be a list of items ([ ... ])")
    entries: list[CatalogEntry] = []
    problems: list[Problem] = []
    pos = start + 1
    while True:
        pos = _skip_space(text, pos)
        if text[pos:pos + 1] == "]":
            break
        try:
            item, end = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise CorpusError.single(file, exc.lineno, f"invalid JSON: {exc.msg}", column=exc.colno) from None
        line = _line(text, pos)
        if isinstance(item, dict):
            entry = _csl_entry(item, file, line, problems)
            if entry is not None:
                entries.append(entry)
        else:
            problems.append(Problem(file, line, f"each CSL-JSON item must be an object, not {type(item).__name__}"))
        pos = _skip_space(text, end)
        if text[pos:pos + 1] == ",":
            pos += 1
        elif text[pos:pos + 1] != "]":
            raise CorpusError.single(file, _line(text, pos), "invalid JSON: expected ',' or ']' after an item")
    if problems:
        raise CorpusError(problems)
    return entries


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _csl_entry(item: dict[str, Any], file: str, line: int, problems: list[Problem]) -> CatalogEntry | None:
    key = _text(item.get("id"))
    where = f"item {key!r}" if key else "the item"
    bad = len(problems)
    strings = {}
    for name in ("title", "archive", "archive_location", "URL", "note"):
        value = item.get(name)
        if value is not None and not isinstance(value, (str, int, float)):
            problems.append(Problem(file, line, f"'{name}' of {where} must be text", name))
        strings[name] = _text(value)
    names = {}
    for role in ("author", "recipient"):
        names[role] = _csl_names(item.get(role), file, line, role, where, problems)
    date = _csl_date(item.get("issued"), file, line, where, problems)
    if len(problems) > bad:
        return None
    return _entry(file, line, key, strings["title"], date, names["author"], names["recipient"],
                  strings["archive"], strings["archive_location"], strings["URL"], strings["note"])


def _csl_names(value: Any, file: str, line: int, role: str, where: str, problems: list[Problem]) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(Problem(file, line, f"'{role}' of {where} must be a list of names", role))
        return ()
    out = []
    for person in value:
        if not isinstance(person, dict):
            problems.append(Problem(file, line, f"each '{role}' of {where} must be a name object", role))
            continue
        literal = _text(person.get("literal"))
        parts = [_text(person.get(k)) for k in ("given", "non-dropping-particle", "family")]
        name = literal or " ".join(p for p in parts if p)
        if not name:
            problems.append(Problem(file, line, f"a '{role}' of {where} has no name", role))
            continue
        out.append(name)
    return tuple(out)


def _csl_date(value: Any, file: str, line: int, where: str, problems: list[Problem]) -> EdtfDate | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.append(Problem(file, line, f"'issued' of {where} must be a date object", "issued"))
        return None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        ends = [p for p in parts[:2] if isinstance(p, list)]
        texts = [t for t in (_iso(p) for p in ends) if t]
        if texts and len(texts) == len(ends):  # one date, or a range of two
            return _edtf("/".join(dict.fromkeys(texts)), file, line, where, "issued", problems)
        problems.append(Problem(file, line, f"'issued' of {where} has date-parts that are not a date", "issued"))
        return None
    raw = _text(value.get("raw") or value.get("literal"))
    if raw:
        return _edtf(raw, file, line, where, "issued", problems)
    problems.append(Problem(file, line, f"'issued' of {where} has neither date-parts nor raw", "issued"))
    return None


def _iso(parts: list[Any]) -> str | None:
    try:
        numbers = [int(p) for p in parts[:3]]
    except (TypeError, ValueError):
        return None
    if not numbers or not 1 <= numbers[0] <= 9999:
        return None
    return "-".join([f"{numbers[0]:04d}", *(f"{n:02d}" for n in numbers[1:])])


def _edtf(text: str, file: str, line: int | None, where: str, key: str, problems: list[Problem]) -> EdtfDate | None:
    try:
        return parse_edtf(text)
    except EdtfError as exc:
        problems.append(Problem(file, line, f"the date {text!r} of {where} is not a date: {exc}", key))
        return None


_RIS_START = re.compile(r"^TY  - ", re.MULTILINE)


def read_ris(text: str, file: str) -> list[CatalogEntry]:
    """The records of a RIS file (Zotero's "RIS" export), read with :mod:`rispy`."""
    starts = [m.start() for m in _RIS_START.finditer(text)]
    if not starts:
        raise CorpusError.single(file, 1, "no RIS records: each record starts with a line 'TY  - '")
    try:
        items = rispy.loads(text)
    except Exception as exc:  # rispy raises plain IOError/ValueError/KeyError on malformed files
        raise CorpusError.single(file, None, f"the RIS file cannot be read: {exc}") from None
    if len(items) != len(starts):  # a record rispy skipped would be lost: refuse instead
        raise CorpusError.single(file, None, f"the file has {len(starts)} records (lines 'TY  - ') but only "
                                 f"{len(items)} could be read; is a record missing its 'ER  - ' line?")
    entries: list[CatalogEntry] = []
    problems: list[Problem] = []
    for item, start in zip(items, starts, strict=True):
        line = _line(text, start)
        key = _text(item.get("id"))
        where = f"record {key!r}" if key else "the record"
        raw_date = _text(item.get("date")) or _text(item.get("year")) or ""
        date = _edtf(_ris_date(raw_date), file, line, where, "DA", problems) if raw_date else None
        urls = item.get("urls") or []
        authors = tuple(_ris_name(a) for a in (item.get("authors") or item.get("first_authors") or []))
        entries.append(_entry(
            file, line, key, _text(item.get("title") or item.get("primary_title")), date, authors,
            tuple(_ris_name(a) for a in item.get("secondary_authors") or []), _text(item.get("name_of_database")),
            _text(item.get("accession_number")), _text(urls[0]) if urls else None,
            "; ".join(_text(n) or "" for n in item.get("notes") or []) or None,
        ))
    if problems:
        raise CorpusError(problems)
    return entries


def _ris_date(raw: str) -> str:
    """RIS "1950/01/19/" (or "1950///", "1950") as EDTF "1950-01-19"."""
    parts = [p for p in raw.strip().split("/") if p.strip()]
    if parts and all(p.strip().isdigit() for p in parts[:3]):
        return "-".join([parts[0].strip().zfill(4), *(p.strip().zfill(2) for p in parts[1:3])])
    return raw.strip()


def _ris_name(name: str) -> str:
    """"Shtykov, T." -> "T. Shtykov"; a name without a comma as it is."""
    family, sep, given = str(name).partition(",")
    return f"{given.strip()} {family.strip()}".strip() if sep else str(name).strip()


def _text(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    text = str(value).strip()
    return text or None


def _entry(file: str, line: int | None, key: str | None, title: str | None, date: EdtfDate | None,
           from_names: Sequence[str], to_names: Sequence[str], archive: str | None, location: str | None,
           url: str | None, note: str | None) -> CatalogEntry:
    parsed = tuple(ref.to_location() for ref in parse_archival_location(location)) if location else ()
    return CatalogEntry(file, line, key, title, date, tuple(from_names), tuple(to_names), archive, location,
                        parsed, url, note)


# -- matching -----------------------------------------------------------------------------------------

_HONORIFICS = {"cde", "comrade", "comr", "ambassador", "general", "chairman", "marshal", "mr", "tov"}
_BRACKETS = re.compile(r"[\[(]([^\])]*)[\])]")


def _fold(name: str) -> str:
    words = re.sub(r"[^\w\s]", " ", name.replace("-", " ").replace("’", "'")).casefold().split()
    return " ".join(w for w in words if w not in _HONORIFICS)


def _name_variants(name: str) -> list[str]:
    """"Filippov [Stalin]" -> ["filippov", "stalin"]: the name and what a catalogue glosses it as."""
    inner = [m.group(1) for m in _BRACKETS.finditer(name)]
    outer = _BRACKETS.sub(" ", name)
    return [v for v in (_fold(outer), *(_fold(i) for i in inner)) if v]


class NameIndex:
    """Person ids by every form of their names (the essay's and the catalogues')."""

    def __init__(self, people: Iterable[model.Person]) -> None:
        self.forms: dict[str, set[str]] = {}
        for person in people:
            for form in person.name_forms():
                folded = _fold(form)
                if folded:
                    self.forms.setdefault(folded, set()).add(person.id)

    def resolve(self, name: str) -> set[str]:
        """The people *name* can mean: a whole form, or (for "T. Shtykov") its last word as a form."""
        found: set[str] = set()
        for variant in _name_variants(name):
            hit = self.forms.get(variant)
            if hit is None and " " in variant:
                hit = self.forms.get(variant.rsplit(" ", 1)[1])
            found |= hit or set()
        return found


def _folios(listy: str | None) -> set[int] | None:
    if not listy:
        return None
    out: set[int] = set()
    for part in re.split(r"[,;]| and ", listy):
        bounds = [b.strip() for b in re.split(r"[-–]", part) if b.strip()]
        if not bounds or not all(b.isdigit() for b in bounds) or len(bounds) > 2:
            return None
        lo, hi = int(bounds[0]), int(bounds[-1])
        if hi < lo or hi - lo > 10_000:
            return None
        out.update(range(lo, hi + 1))
    return out


def _same_place(a: model.ArchivalLocation, b: model.ArchivalLocation) -> bool:
    """The same file, and folios that overlap (folios unreadable on either side: the same text)."""
    if a.key != b.key or a.archive in ("?", "") or not (a.fond or a.delo):
        return False
    fa, fb = _folios(a.listy), _folios(b.listy)
    if fa is None or fb is None:
        return bool(a.listy) and (a.listy or "").lstrip("0") == (b.listy or "").lstrip("0")
    return bool(fa & fb)


def _within(inner: EdtfDate, outer: EdtfDate) -> bool:
    return outer.lower <= inner.lower and inner.upper <= outer.upper


def match_entries(entries: Iterable[CatalogEntry], corpus: model.Corpus) -> list[Match]:
    """Match each entry to one document: by archival location first, then by date and names."""
    names = NameIndex(corpus.people)
    return [_match(entry, corpus, names) for entry in entries]


def _people(entry_names: Sequence[str], names: NameIndex) -> set[str]:
    return {pid for n in entry_names for pid in names.resolve(n)}


def _agrees_on_names(entry: CatalogEntry, doc: model.Document, names: NameIndex) -> bool:
    """Some sender or recipient agrees, and none given on both sides disagrees."""
    senders, recipients = _people(entry.from_names, names), _people(entry.to_names, names)
    checks = [(senders, set(doc.senders)), (recipients, set(doc.recipients))]
    given = [(a, b) for a, b in checks if a and b]
    return bool(given) and all(a & b for a, b in given)


def _match(entry: CatalogEntry, corpus: model.Corpus, names: NameIndex) -> Match:
    by_location = [d for d in corpus.documents
                   if any(_same_place(e, loc) for e in entry.parsed_location for loc in d.locations)]
    if len(by_location) == 1:
        doc = by_location[0]
        return Match(entry, doc.id, "location", f"the archival location matches {doc.id}",
                     differences=_differences(entry, doc, names))
    if len(by_location) > 1:
        narrowed = [d for d in by_location if _date_fits(entry, d) and _agrees_on_names(entry, d, names)]
        if len(narrowed) == 1:
            doc = narrowed[0]
            return Match(entry, doc.id, "location", f"the archival location and the date and names match {doc.id}",
                         differences=_differences(entry, doc, names))
        return Match(entry, None, None, "the archival location fits several documents and the date and names "
                     "do not single one out", tuple(d.id for d in by_location))
    if entry.date is None:
        return Match(entry, None, None, "no document has this archival location, and the entry gives no date")
    dated = [d for d in corpus.documents if _date_fits(entry, d)]
    both = [d for d in dated if _agrees_on_names(entry, d, names)]
    if len(both) == 1:
        doc = both[0]
        return Match(entry, doc.id, "date-and-names", f"the date and the sender or recipient match {doc.id}",
                     differences=_differences(entry, doc, names))
    if len(both) > 1:
        return Match(entry, None, None, "several documents have this date and these names",
                     tuple(d.id for d in both))
    if dated:
        return Match(entry, None, None, "documents of this date name other senders or recipients",
                     tuple(d.id for d in dated))
    return Match(entry, None, None, "no document has this archival location or this date")


def _date_fits(entry: CatalogEntry, doc: model.Document) -> bool:
    return entry.date is not None and doc.date is not None and _within(entry.date, doc.date)


def _differences(entry: CatalogEntry, doc: model.Document, names: NameIndex) -> tuple[str, ...]:
    out = []
    if entry.date is not None and doc.date is not None and not _within(entry.date, doc.date):
        out.append(f"date: the catalogue has {entry.date.text}, the corpus {doc.date.text}")
    for label, given, recorded in (("sender", entry.from_names, doc.senders),
                                   ("recipient", entry.to_names, doc.recipients)):
        people = _people(given, names)
        if given and recorded and not people & set(recorded):
            out.append(f"{label}: the catalogue has {', '.join(given)}, the corpus {', '.join(recorded)}")
    for e in entry.parsed_location:
        same_file = [loc for loc in doc.locations if loc.key == e.key]
        if same_file and not any(_same_place(e, loc) for loc in same_file):
            out.append(f"folios: the catalogue has {e.short()}, the corpus {same_file[0].short()}")
    keys = {loc.key for loc in doc.locations}
    if entry.parsed_location and keys and not any(e.key in keys for e in entry.parsed_location):
        out.append(f"location: the catalogue has {entry.location}, the corpus "
                   f"{'; '.join(loc.short() for loc in doc.locations)}")
    return tuple(out)


# -- records ------------------------------------------------------------------------------------------


def import_catalog(path: Path | str, corpus: model.Corpus, read_on: str, fmt: str | None = None) -> ImportResult:
    """Read *path*, match its entries to *corpus*, and make a catalogue record of each matched one.

    *read_on* is the EDTF date the records were read (the export's date, or today).
    """
    entries = read_catalog_file(path, fmt)
    matches = match_entries(entries, corpus)
    read = parse_edtf(read_on)
    used = set(corpus.catalog_by_id)
    records = []
    for i, m in enumerate(matches, 1):
        if m.document is None:
            continue
        rid = _record_id(m.entry, i, used)
        e = m.entry
        records.append(model.CatalogRecord(
            id=rid, document=m.document, catalogue=e.archive or "unnamed catalogue", catalog_status="found",
            record_id=e.key, url=e.url, title=e.title, date=e.date, from_names=e.from_names, to_names=e.to_names,
            location=e.location, parsed_location=e.parsed_location, read_on=read,
            note="; ".join((f"matched by {m.method}: {m.reason}", *m.differences)),
        ))
    return ImportResult(tuple(matches), tuple(records))


def _record_id(entry: CatalogEntry, number: int, used: set[str]) -> str:
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", f"catalog-{entry.key or number}").strip("-")[:120]
    rid, n = base, 2
    while rid in used:
        rid, n = f"{base}-{n}", n + 1
    used.add(rid)
    return rid


# -- writing ------------------------------------------------------------------------------------------


def record_mapping(record: model.CatalogRecord) -> dict[str, Any]:
    """A catalogue record as ``catalog.yaml`` holds it (the loader's keys; unset fields left out)."""
    out: dict[str, Any] = {"id": record.id, "document": record.document, "catalogue": record.catalogue,
                           "catalog_status": record.catalog_status}
    for key, value in (("record_id", record.record_id), ("url", record.url), ("title", record.title),
                       ("date", record.date.text if record.date else None)):
        if value:
            out[key] = value
    if record.from_names:
        out["from"] = list(record.from_names)
    if record.to_names:
        out["to"] = list(record.to_names)
    if record.location:
        out["location"] = record.location
    if record.parsed_location:
        out["parsed_location"] = [
            {k: v for k, v in (("archive", loc.archive), ("fond", loc.fond), ("opis", loc.opis), ("delo", loc.delo),
                               ("papka", loc.papka), ("listy", loc.listy)) if v}
            for loc in record.parsed_location]
    for key, value in (("published_in", record.published_in), ("read_on", record.read_on.text if record.read_on
                                                                        else None), ("note", record.note)):
        if value:
            out[key] = value
    return out


def new_records(result: ImportResult, corpus: model.Corpus) -> tuple[model.CatalogRecord, ...]:
    """The matched records the corpus does not hold yet: one with the same document and the same catalogue
    record id or address is already there (importing the same file twice adds nothing)."""
    held = {(r.document, r.record_id or r.url) for r in corpus.catalog if r.record_id or r.url}
    return tuple(r for r in result.records if (r.document, r.record_id or r.url) not in held)
