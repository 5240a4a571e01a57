"""Load a corpus folder and validate it, reporting every problem at once.

A corpus is a folder holding ``corpus.yaml`` (the manifest), the essay source
it names, and ``events.yaml``, ``documents.yaml``, ``people.yaml``,
``sources.yaml`` and ``places.yaml``. Each record file is a mapping with one
key (``events:`` ...) holding a list of records.

Validation collects problems instead of stopping at the first: unknown keys,
wrong types, missing required fields, duplicate ids, references to missing
ids, invalid EDTF, quotes that are not verbatim substrings of their passage.
Each problem names the file, the line and the key.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer.core import model
from explorer.core.dates import EdtfError, parse_edtf
from explorer.core.errors import CorpusError, Problem
from explorer.core.essay import Essay
from explorer.core.essay_import import read_essay_file_lenient
from explorer.core.file_kinds import not_a_folder_reason
from explorer.core.formats import FORMATS, TIKA_TEXT, read_essay
from explorer.core.gc_pause import gc_paused
from explorer.core.text import divergence
from explorer.core.yaml_source import LocDict, LocList, line_of, read_yaml_file

MANIFEST = "corpus.yaml"
RECORD_FILES = ("events", "documents", "people", "sources", "places")
ESSAY_FORMATS = FORMATS  # tika-text, docx, odt, markdown (explorer/core/formats)
_ID = VALID_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\Z")
#: The manifest key listing the essay's problems a lenient import read past
#: (see :func:`accepted_warning`): the essay is read leniently, and any other
#: problem is still an error.
IMPORT_WARNINGS = "import_warnings"


@dataclass(frozen=True)
class _Field:
    kind: str  # str, int, bool, edtf, ids, id, footnotes, quotes, locations, publications, strs, name_forms
    required: bool = False
    ref: str | None = None  # what ids refer to: people, places, documents, sources
    choices: tuple[str, ...] = ()


def _f(kind: str, required: bool = False, ref: str | None = None, choices: tuple[str, ...] = ()) -> _Field:
    return _Field(kind, required, ref, choices)


SCHEMA: dict[str, dict[str, _Field]] = {
    "events": {
        "id": _f("id", True),
        "date": _f("edtf", True),
        "date_label": _f("str"),
        "title": _f("str", True),
        "summary": _f("str", True),
        "participants": _f("ids", ref="people"),
        "places": _f("ids", ref="places"),
        "passages": _f("quotes"),
        "documents": _f("ids", ref="documents"),
        "sources": _f("ids", ref="sources"),
        "footnotes": _f("footnotes"),
        "draft": _f("bool"),
    },
    "documents": {
        "id": _f("id", True),
        "kind": _f("str", True, choices=model.DOCUMENT_KINDS),
        "title": _f("str", True),
        "date": _f("edtf"),
        "reports_date": _f("edtf"),
        "senders": _f("ids", ref="people"),
        "recipients": _f("ids", ref="people"),
        "locations": _f("locations"),
        "translations": _f("publications"),
        "cited_via": _f("ref", ref="sources"),
        "footnotes": _f("footnotes"),
        "quotes": _f("quotes"),
        "summary": _f("str"),
        "note": _f("str"),
        "draft": _f("bool"),
    },
    "people": {
        "id": _f("id", True),
        "name": _f("str", True),
        "kind": _f("str", choices=model.PARTY_KINDS),
        "spellings": _f("strs"),
        "other_names": _f("name_forms"),
        "role": _f("str"),
        "note": _f("str"),
        "draft": _f("bool"),
    },
    "sources": {
        "id": _f("id", True),
        "type": _f("str", True, choices=model.SOURCE_TYPES),
        "title": _f("str", True),
        "authors": _f("strs"),
        "editors": _f("strs"),
        "container": _f("str"),
        "volume": _f("str"),
        "issue": _f("str"),
        "number": _f("str"),
        "series": _f("str"),
        "place": _f("str"),
        "publisher": _f("str"),
        "year": _f("int"),
        "date": _f("str"),
        "pages": _f("str"),
        "url": _f("str"),
        "footnotes": _f("footnotes"),
        "note": _f("str"),
        "draft": _f("bool"),
    },
    "places": {
        "id": _f("id", True),
        "name": _f("str", True),
        "kind": _f("str"),
        "spellings": _f("strs"),
        "note": _f("str"),
        "draft": _f("bool"),
    },
}
MANIFEST_SCHEMA: dict[str, _Field] = {
    "id": _f("id", True),
    "title": _f("str"),
    "title_note": _f("str"),
    "author": _f("str"),
    "author_note": _f("str"),
    "year": _f("int"),
    "language": _f("str"),
    "source": _f("str", True),
    "format": _f("str", True, choices=ESSAY_FORMATS),
    "description": _f("str"),
    "commentary": _f("commentary"),
    IMPORT_WARNINGS: _f("strs"),
}
#: catalog.yaml: catalogue records, kept apart from RECORD_FILES (optional, and not drafted by an import).
CATALOG_FILE = "catalog"
CATALOG_SCHEMA: dict[str, _Field] = {
    "id": _f("id", True),
    "document": _f("ref", True, ref="documents"),
    "catalogue": _f("str", True),
    "catalog_status": _f("str", True, choices=model.CATALOG_STATUSES),
    "record_id": _f("str"),
    "url": _f("str"),
    "title": _f("str"),
    "date": _f("edtf"),
    "from": _f("strs"),
    "to": _f("strs"),
    "location": _f("str"),
    "parsed_location": _f("locations"),
    "published_in": _f("str"),
    "read_on": _f("edtf"),
    "searched": _f("str"),
    "note": _f("str"),
}
LOCATION_KEYS = ("archive", "fond", "opis", "delo", "papka", "listy", "as_cited", "footnote")
PUBLICATION_KEYS = ("source", "pages", "note")
RECORD_CLASSES: dict[str, Callable[..., Any]] = {
    "events": model.Event,
    "documents": model.Document,
    "people": model.Person,
    "sources": model.Source,
    "places": model.Place,
}


class _Validator:
    """Turns located YAML values into records, collecting problems."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        # (file, line, key, ref-kind, id) checked once every file is read
        self.pending_refs: list[tuple[str, int | None, str, str, str]] = []
        self.pending_quotes: list[tuple[str, int, int, str, model.Quote]] = []
        self.pending_footnotes: list[tuple[str, int | None, str, int]] = []
        self.pending_citations: list[tuple[str, int | None, str, int, str]] = []

    def name(self, path: Path) -> str:
        return str(path)

    def problem(self, file: str, line: int | None, message: str, key: str | None = None) -> None:
        self.problems.append(Problem(file, line, message, key))

    # -- reading values -------------------------------------------------
    def record(self, file: str, section: str, raw: Any, schema: dict[str, _Field],
               line: int | None = None) -> dict[str, Any] | None:
        """*raw* as a record of *schema*; *line* is where it is, for a value (a scalar) that knows no line."""
        if not isinstance(raw, LocDict):
            self.problem(file, line_of(raw, line), f"each entry of '{section}' must be a mapping (key: value)")
            return None
        out: dict[str, Any] = {}
        for key in raw:
            if key not in schema:
                known = ", ".join(sorted(schema))
                self.problem(file, raw.key_lines[key], f"unknown key '{key}' (known keys: {known})", key)
        for key, fld in schema.items():
            if key not in raw or raw[key] is None:
                if fld.required:
                    rid = raw.get("id")
                    who = f" in {rid!r}" if isinstance(rid, str) else ""
                    self.problem(file, raw.line, f"the required key '{key}' is missing{who}", key)
                continue
            value = self.value(file, raw.key_lines[key], key, raw[key], fld)
            if value is not None:
                out[key] = value
        return out

    def value(self, file: str, line: int | None, key: str, raw: Any, fld: _Field) -> Any:
        kind = fld.kind
        if kind in ("str", "id", "ref"):
            if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
                self.problem(file, line, f"'{key}' must be text, not {_type_name(raw)}", key)
                return None
            text = str(raw)
            if kind == "id" and not _ID.match(text):
                self.problem(file, line, f"'{text}' is not a valid id (letters, digits, '.', '_' or '-')", key)
                return None
            if fld.choices and text not in fld.choices:
                self.problem(file, line, f"'{text}' is not one of: {', '.join(fld.choices)}", key)
                return None
            if kind == "ref" and fld.ref:
                self.pending_refs.append((file, line, key, fld.ref, text))
            # Ids, references and kinds repeat across records: one string each, not one per record.
            return sys.intern(text) if kind != "str" or fld.choices else text
        if kind == "bool":
            if not isinstance(raw, bool):
                self.problem(file, line, f"'{key}' must be true or false, not {_type_name(raw)}", key)
                return None
            return raw
        if kind == "int":
            if isinstance(raw, bool) or not isinstance(raw, int):
                self.problem(file, line, f"'{key}' must be a whole number, not {_type_name(raw)}", key)
                return None
            return raw
        if kind == "edtf":
            if not isinstance(raw, str):
                self.problem(file, line, f"'{key}' must be an EDTF date such as \"1950-01-17\"", key)
                return None
            try:
                return parse_edtf(raw)
            except EdtfError as exc:
                self.problem(file, line, f"invalid EDTF date: {exc}", key)
                return None
        if kind in ("ids", "strs", "footnotes", "quotes", "locations", "publications", "commentary", "name_forms"):
            if not isinstance(raw, LocList):
                self.problem(file, line, f"'{key}' must be a list, not {_type_name(raw)}", key)
                return None
            items = []
            for item, item_line in zip(raw, raw.item_lines, strict=True):
                got = self.item(file, item_line, key, item, fld)
                if got is not None:
                    items.append(got)
            if kind == "commentary":
                return dict(items)
            return tuple(items)
        raise AssertionError(f"unknown field kind {kind}")

    def item(self, file: str, line: int, key: str, raw: Any, fld: _Field) -> Any:
        kind = fld.kind
        if kind in ("ids", "strs"):
            if isinstance(raw, bool) or not isinstance(raw, (str, int)):
                self.problem(file, line, f"each item of '{key}' must be text, not {_type_name(raw)}", key)
                return None
            if kind == "ids" and fld.ref:
                self.pending_refs.append((file, line, key, fld.ref, str(raw)))
            return sys.intern(str(raw)) if kind == "ids" else str(raw)
        if kind == "footnotes":
            if isinstance(raw, bool) or not isinstance(raw, int):
                self.problem(file, line, f"each item of '{key}' must be a footnote number, not {_type_name(raw)}", key)
                return None
            self.pending_footnotes.append((file, line, key, raw))
            return raw
        if kind == "quotes":
            rec = self.sub(file, line, key, raw, {"passage": _f("str", True), "text": _f("str", True),
                                                  "quote": _f("str")}, aliases={"quote": "text"})
            if rec is None:
                return None
            quote = model.Quote(rec["passage"], rec["text"])
            lines = raw.key_lines
            text_key = "quote" if "quote" in raw else "text"
            self.pending_quotes.append((file, lines.get("passage", line), lines.get(text_key, line), text_key, quote))
            return quote
        if kind == "locations":
            spec = {k: _f("int" if k == "footnote" else "str", k == "archive") for k in LOCATION_KEYS}
            rec = self.sub(file, line, key, raw, spec)
            if rec is None:
                return None
            if "footnote" in rec:
                self.pending_footnotes.append((file, line, key, rec["footnote"]))
                if "as_cited" in rec:
                    self.pending_citations.append((file, line, key, rec["footnote"], rec["as_cited"]))
            return model.ArchivalLocation(**rec)
        if kind == "publications":
            spec = {"source": _f("ref", True, ref="sources"), "pages": _f("str"), "note": _f("str")}
            rec = self.sub(file, line, key, raw, spec)
            return None if rec is None else model.Publication(**rec)
        if kind == "name_forms":
            rec = self.sub(file, line, key, raw, {"name": _f("str", True), "source": _f("str", True),
                                                  "note": _f("str")})
            return None if rec is None else model.NameForm(**rec)
        if kind == "commentary":
            rec = self.sub(file, line, key, raw, {"footnote": _f("int", True), "reason": _f("str", True)})
            if rec is None:
                return None
            self.pending_footnotes.append((file, line, key, rec["footnote"]))
            return (rec["footnote"], rec["reason"])
        raise AssertionError(kind)

    def sub(
        self, file: str, line: int, key: str, raw: Any, spec: dict[str, _Field], aliases: dict[str, str] | None = None
    ) -> dict[str, Any] | None:
        """A small mapping inside a record (a quote, a location ...)."""
        aliases = aliases or {}
        if isinstance(raw, LocDict):
            raw = _apply_aliases(raw, aliases)
        rec = self.record(file, key, raw, spec, line)
        if rec is None:
            return None
        missing = [k for k, f in spec.items() if f.required and k not in rec]
        return None if missing else {k: v for k, v in rec.items() if k not in aliases}


def _apply_aliases(raw: LocDict, aliases: dict[str, str]) -> LocDict:
    """Accept ``quote:`` for ``text:`` in quote mappings (events read better that way)."""
    out = LocDict()
    out.line = raw.line
    out.key_lines = dict(raw.key_lines)
    for k, v in raw.items():
        target = aliases.get(k, k)
        if target != k and target in raw:
            out[k] = v  # both given: let 'unknown/duplicate' logic report it
            continue
        out[target] = v
        out.key_lines[target] = raw.key_lines[k]
    return out


def _type_name(value: Any) -> str:
    if value is None:
        return "nothing"
    return {dict: "a mapping", LocDict: "a mapping", list: "a list", LocList: "a list", bool: "true/false",
            int: "a number", float: "a number", str: "text"}.get(type(value), type(value).__name__)


def load_corpus(path: Path | str) -> model.Corpus:
    """Load and validate the corpus folder at *path*.

    Raises :class:`CorpusError` listing every problem (file, line, key, reason).
    """
    with gc_paused():
        return _load_corpus(Path(path))


def _load_corpus(root: Path) -> model.Corpus:
    if not root.is_dir():
        try:
            root.stat()
            reason = not_a_folder_reason(root)  # a file: what it is, and how to open it
        except FileNotFoundError:
            reason = "the corpus folder does not exist"
        except OSError as exc:  # a symbolic-link loop, a folder above it that cannot be entered
            reason = f"the corpus folder cannot be opened: {exc.strerror or exc}"
        raise CorpusError.single(str(root), None, reason)
    v = _Validator(root)
    manifest_path = root / MANIFEST
    raw_manifest = _read(v, manifest_path)
    if raw_manifest is None:
        raise CorpusError(v.problems)
    manifest_name = str(manifest_path)
    if not isinstance(raw_manifest, LocDict):
        raise CorpusError.single(manifest_name, line_of(raw_manifest, 1),
                                 f"{MANIFEST} must be a mapping (key: value), not {_type_name(raw_manifest)}")
    man = v.record(manifest_name, "manifest", raw_manifest, MANIFEST_SCHEMA)
    essay: Essay | None = None
    if man is not None and "source" in man:
        essay_path = _inside(root, man["source"])
        if essay_path is None:
            v.problem(manifest_name, raw_manifest.key_lines.get("source"),
                      "the essay source must be a file inside the corpus folder", "source")
        else:
            accepted = set(man.get(IMPORT_WARNINGS, ()))
            try:
                essay_format = man.get("format") if man.get("format") in FORMATS else None
                if essay_format == TIKA_TEXT:  # the one format a lenient import may have read past problems in
                    essay, warnings = read_essay_file_lenient(essay_path, lenient=bool(accepted))
                else:
                    essay, warnings = read_essay(essay_path, essay_format), []
            except CorpusError as exc:
                v.problems.extend(exc.problems)
            else:
                for warning in warnings:
                    if accepted_warning(warning) not in accepted:  # new since the import: an error again
                        v.problems.append(warning)

    records: dict[str, list[dict[str, Any]]] = {}
    id_lines: dict[str, dict[str, tuple[str, int | None]]] = {}
    for section in RECORD_FILES:
        path_ = root / f"{section}.yaml"
        name = str(path_)
        records[section] = []
        id_lines[section] = {}
        if not os.path.lexists(path_):  # a broken link or a link loop is there, and is an error
            continue  # an import may have no curated records yet
        raw = _read(v, path_)
        if raw is None:
            continue
        if not isinstance(raw, LocDict):
            v.problem(name, line_of(raw, 1),
                      f"the file must be a mapping with the key '{section}:', not {_type_name(raw)}")
            continue
        for key in raw:
            if key != section:
                v.problem(name, raw.key_lines[key], f"unknown top-level key '{key}' (expected '{section}')", key)
        items = raw.get(section)
        if items is None:
            continue
        if not isinstance(items, LocList):
            v.problem(name, raw.key_lines.get(section), f"'{section}' must be a list of records", section)
            continue
        for item, line in zip(items, items.item_lines, strict=True):
            rec = v.record(name, section, item, SCHEMA[section], line)
            if rec is None or "id" not in rec:
                continue
            rid = rec["id"]
            if rid in id_lines[section]:
                first = id_lines[section][rid][1]
                v.problem(name, line, f"duplicate id '{rid}' (first at line {first})", "id")
                continue
            id_lines[section][rid] = (name, line)
            missing = [k for k, f in SCHEMA[section].items() if f.required and k not in rec]
            if not missing:
                records[section].append(rec)

    catalog = _read_catalog(v, root)
    _check_references(v, id_lines, essay)
    if man is not None and "commentary" not in man:
        man["commentary"] = {}
    if v.problems:
        raise CorpusError(v.problems)
    assert man is not None and essay is not None
    manifest = model.Manifest(
        id=man["id"], title=man.get("title"), title_note=man.get("title_note"), author=man.get("author"),
        author_note=man.get("author_note"), year=man.get("year"), language=man.get("language", "en"),
        source=man["source"], format=man["format"], description=man.get("description"),
        commentary=man["commentary"],
    )
    built = {section: tuple(RECORD_CLASSES[section](**rec) for rec in records[section]) for section in RECORD_FILES}
    return model.Corpus(root, manifest, essay, built["events"], built["documents"], built["people"],
                        built["sources"], built["places"], catalog)


#: Every file of records the corpus editor can change, with its schema: the record files and the catalogue.
RECORD_SCHEMAS: dict[str, dict[str, _Field]] = {**SCHEMA, CATALOG_FILE: CATALOG_SCHEMA}


def _read_catalog(v: _Validator, root: Path) -> tuple[model.CatalogRecord, ...]:
    """The catalogue records of ``catalog.yaml`` (none if there is no such file)."""
    path = root / f"{CATALOG_FILE}.yaml"
    name = str(path)
    if not os.path.lexists(path):
        return ()
    raw = _read(v, path)
    if raw is None:
        return ()
    key = CATALOG_FILE  # the top-level key is the file's name, as in every record file
    if not isinstance(raw, LocDict):
        v.problem(name, line_of(raw, 1), f"the file must be a mapping with the key '{key}:', not {_type_name(raw)}")
        return ()
    for k in raw:
        if k != key:
            v.problem(name, raw.key_lines[k], f"unknown top-level key '{k}' (expected '{key}')", k)
    items = raw.get(key)
    if items is None:
        return ()
    if not isinstance(items, LocList):
        v.problem(name, raw.key_lines.get(key), f"'{key}' must be a list of records", key)
        return ()
    out: list[model.CatalogRecord] = []
    seen: dict[str, int] = {}
    for item, line in zip(items, items.item_lines, strict=True):
        rec = v.record(name, key, item, CATALOG_SCHEMA, line)
        if rec is None or any(f.required and k not in rec for k, f in CATALOG_SCHEMA.items()):
            continue
        rid = rec["id"]
        if rid in seen:
            v.problem(name, line, f"duplicate id '{rid}' (first at line {seen[rid]})", "id")
            continue
        seen[rid] = line
        out.append(_catalog_record(v, name, rec, line))
    return tuple(out)


def _catalog_record(v: _Validator, name: str, rec: dict[str, Any], line: int | None) -> model.CatalogRecord:
    """A catalogue record from its checked fields, with the checks across fields."""
    rid, status = rec["id"], rec["catalog_status"]
    if status == "found" and not rec.get("title"):
        v.problem(name, line, f"'{rid}' is found but does not give the catalogue's 'title'", "catalog_status")
    if status == "not-found" and not rec.get("searched"):
        v.problem(name, line, f"'{rid}' is not-found but does not say what was 'searched'", "catalog_status")
    rec["from_names"] = rec.pop("from", ())
    rec["to_names"] = rec.pop("to", ())
    return model.CatalogRecord(**rec)


def validate_record(
    kind: str,
    mapping: Mapping[str, Any],
    *,
    ids: Mapping[str, Iterable[str]] | None = None,
    essay: Essay | None = None,
    file: str | None = None,
    line: int | None = None,
) -> list[Problem]:
    """The problems ``explorer check`` reports for one record of *kind* (an edited one), with its messages.

    *ids* (kind -> the ids of that kind) checks the record's references, and
    *essay* its footnotes and quotes; without them those are not checked.
    *file* and *line* say where the record is (default: ``<kind>.yaml``).
    """
    return _validated(kind, mapping, ids, essay, file, line)[1]


def build_record(
    kind: str,
    mapping: Mapping[str, Any],
    *,
    ids: Mapping[str, Iterable[str]] | None = None,
    essay: Essay | None = None,
    file: str | None = None,
) -> Any:
    """The model record (:class:`model.Event` ...) one record's mapping (plain or round-trip YAML) stands for,
    checked as :func:`validate_record` checks it; :class:`CorpusError` with its problems if it is not valid."""
    record, problems = _validated(kind, mapping, ids, essay, file, None)
    if problems or record is None:
        raise CorpusError(problems or [Problem(file or f"{kind}.yaml", None, "the record could not be read")])
    return record


def _validated(
    kind: str, mapping: Mapping[str, Any], ids: Mapping[str, Iterable[str]] | None, essay: Essay | None,
    file: str | None, line: int | None,
) -> tuple[Any, list[Problem]]:
    if kind not in RECORD_SCHEMAS:
        raise ValueError(f"unknown kind of record {kind!r}")
    v = _Validator(Path("."))
    name = file or f"{kind}.yaml"
    schema = RECORD_SCHEMAS[kind]
    rec = v.record(name, kind, _located(mapping, line), schema, line)
    if ids is not None:
        known: dict[str, dict[str, tuple[str, int | None]]] = {
            k: {i: (name, None) for i in found} for k, found in ids.items()}
        _check_references(v, known, essay)
    built: Any = None
    if rec is not None:
        missing = [k for k, f in schema.items() if f.required and k not in rec]
        if missing:
            if not v.problems:
                v.problem(name, line, f"missing {', '.join(repr(k) for k in missing)}", missing[0])
        elif kind == CATALOG_FILE:
            built = _catalog_record(v, name, rec, line)
        else:
            built = RECORD_CLASSES[kind](**rec)
    return built, v.problems


def _located(value: Any, line: int | None) -> Any:
    """Plain (or ruamel.yaml) data as the located values the validator reads, every place at *line*."""
    if isinstance(value, Mapping):
        out = LocDict()
        out.line = line  # type: ignore[assignment]
        out.key_lines = {str(k): line for k in value}  # type: ignore[misc]
        for k, v in value.items():
            out[str(k)] = _located(v, line)
        return out
    if isinstance(value, (list, tuple)):
        seq = LocList(_located(v, line) for v in value)
        seq.line = line  # type: ignore[assignment]
        seq.item_lines = [line] * len(seq)  # type: ignore[list-item]
        return seq
    if isinstance(value, str):
        return str(value)  # ruamel's quoted text is a str subclass
    if isinstance(value, dt.date):
        return value.isoformat()  # an unquoted date reads as text, as yaml_source reads timestamps
    return value


def accepted_warning(problem: Problem) -> str:
    """How ``corpus.yaml`` records a problem of the essay that was read past: where, and what."""
    return f"line {problem.line}, column {problem.column}: {problem.message}"


def _read(v: _Validator, path: Path) -> Any:
    try:
        value = read_yaml_file(path)
    except CorpusError as exc:
        v.problems.extend(exc.problems)
        return None
    if value is None:
        v.problem(str(path), 1, "the file is empty")
    return value


def _inside(root: Path, relative: str) -> Path | None:
    """*relative* resolved, if it names a place inside *root*; else None.

    ``os.path.realpath`` rather than ``Path.resolve``: on a symbolic-link loop
    it stops instead of raising, and reading the file then says why it cannot.
    """
    if "\x00" in relative:  # no file has such a name; the OS would refuse it with ValueError
        return None
    candidate = Path(os.path.realpath(root / relative))
    try:
        candidate.relative_to(os.path.realpath(root))
    except ValueError:
        return None
    return candidate


def _check_references(v: _Validator, ids: dict[str, dict[str, tuple[str, int | None]]], essay: Essay | None) -> None:
    for file, line, key, ref, target in v.pending_refs:
        if target not in ids.get(ref, {}):
            v.problem(file, line, f"'{target}' is not an id in {ref}.yaml", key)
    if essay is None:
        return
    for file, line, key, number in v.pending_footnotes:
        if essay.footnote(number) is None:
            v.problem(file, line, f"the essay has no footnote {number}", key)
    for file, passage_line, text_line, text_key, quote in v.pending_quotes:
        passage = essay.passage(quote.passage)
        if passage is None:
            v.problem(file, passage_line, f"the essay has no passage '{quote.passage}'", "passage")
        elif not quote.text.strip():
            v.problem(file, text_line, "the quote is empty", text_key)
        elif quote.text not in passage.text:  # where it differs, however far into a long quote
            v.problem(file, text_line, f"the quote is not a verbatim part of passage {quote.passage}: "
                      f"{divergence(quote.text, passage.text)}", text_key)
    for file, line, key, number, as_cited in v.pending_citations:
        note = essay.footnote(number)
        if note is not None and as_cited not in note.text:
            v.problem(file, line, f"'as_cited' is not a verbatim part of footnote {number}: "
                      f"{divergence(as_cited, note.text)}", key)
