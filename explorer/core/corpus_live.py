"""The corpus a window shows, kept up to date with the edits made in it.

An edit changes the round-trip YAML of an :class:`EditableCorpus`; the panes
read a :class:`Corpus`. :func:`updated_corpus` rebuilds only the records an
edit touched (checked as ``explorer check`` checks them) and keeps every other
record object as it was, and updates the corpus's indexes for those records
alone (:meth:`Corpus.updated`), so one edit costs one record's reading, not a
reload: milliseconds at 10,000 events.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping
from typing import Any

from explorer.core.corpus_edit import EditableCorpus
from explorer.core.errors import CorpusError, Problem
from explorer.core.loader import CATALOG_FILE, RECORD_SCHEMAS, build_record
from explorer.core.model import Corpus

#: The Corpus field each kind of record file fills.
FIELD_OF_KIND = {"events": "events", "documents": "documents", "people": "people", "sources": "sources",
                 "places": "places", CATALOG_FILE: "catalog"}


#: The Corpus index of each kind's records by id.
ID_INDEX_OF_KIND = {"events": "event_by_id", "documents": "document_by_id", "people": "person_by_id",
                    "sources": "source_by_id", "places": "place_by_id", CATALOG_FILE: "catalog_by_id"}


def _edited_in_place(editable: EditableCorpus, kind: str, wanted: set[str], old: Mapping[str, Any]) -> list[Any] | None:
    """The mappings of *wanted* when each is still where it was and was there before (no record added,
    removed or given a new id): then the kind's order is the one it had. None otherwise."""
    if not wanted <= old.keys():
        return None
    try:
        return [editable.record(kind, rid) for rid in wanted]
    except KeyError:
        return None


def _words(value: Any, into: set[str]) -> set[str]:
    """Every string in a record (its keys too): whatever id it may refer to is among them."""
    if isinstance(value, (str, int, float)):  # a number written where an id goes is checked as its text
        into.add(str(value))
    elif isinstance(value, Mapping):
        for key, item in value.items():
            into.add(str(key))
            _words(item, into)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _words(item, into)
    return into


def updated_corpus(corpus: Corpus, editable: EditableCorpus, records: Iterable[tuple[str, str]]) -> Corpus:
    """*corpus* with the records (kind, id) read again from *editable*: changed, added, or gone.

    Raises :class:`CorpusError` (with ``explorer check``'s messages) if a
    touched record is no longer valid; *corpus* is not changed.
    """
    by_kind: dict[str, set[str]] = {}
    for kind, record_id in records:
        if kind not in RECORD_SCHEMAS:
            raise ValueError(f"unknown kind of record {kind!r}")
        by_kind.setdefault(kind, set()).add(record_id)
    if not by_kind:
        return corpus
    # The ids references are checked against: the live corpus's, except for a kind whose records were
    # added, removed or renamed: those as the files now have them.
    known: dict[str, Container[str]] = {kind: getattr(corpus, name) for kind, name in ID_INDEX_OF_KIND.items()}
    mappings: dict[str, list[Any]] = {}
    in_place: dict[str, bool] = {}
    file_ids: dict[str, list[str]] = {}
    for kind, wanted in by_kind.items():
        found = _edited_in_place(editable, kind, wanted, getattr(corpus, ID_INDEX_OF_KIND[kind]))
        in_place[kind] = found is not None
        if found is None:
            file_ids[kind] = [str(r.get("id")) for r in editable.records(kind) if isinstance(r, dict)]
            known[kind] = set(file_ids[kind])
            found = [m for m in editable.records(kind) if isinstance(m, dict) and str(m.get("id")) in wanted]
        mappings[kind] = found
    # Only the ids the records name are handed to the checker: it indexes what it is given, and the
    # whole corpus's ids would cost more than the rest of an edit.
    words: set[str] = set()
    for found in mappings.values():
        _words(found, words)
    ids = {kind: [w for w in words if w in have] for kind, have in known.items()}
    orders: dict[str, Any] = {}
    changed: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    for kind, wanted in by_kind.items():
        name = FIELD_OF_KIND[kind]
        old = getattr(corpus, ID_INDEX_OF_KIND[kind])
        built: dict[str, Any] = {}
        for mapping in mappings[kind]:
            try:
                built[str(mapping.get("id"))] = build_record(kind, mapping, ids=ids, essay=corpus.essay,
                                                              file=str(editable.path(kind)))
            except CorpusError as exc:
                problems.extend(exc.problems)
        if problems:
            continue
        changed[name] = {rid: built.get(rid) for rid in wanted}
        if name == "events":
            continue  # kept in date order, not the file's
        if in_place[kind]:
            orders[name] = tuple(built.get(r.id, r) for r in getattr(corpus, name))
        else:
            orders[name] = tuple(built[i] if i in built else old[i] for i in file_ids[kind] if i in built or i in old)
    if problems:
        raise CorpusError(problems)
    return corpus.updated(changed, orders)
