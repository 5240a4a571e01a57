"""The corpus a window shows, kept up to date with the edits made in it.

An edit changes the round-trip YAML of an :class:`EditableCorpus`; the panes
read a :class:`Corpus`. :func:`updated_corpus` rebuilds only the records an
edit touched (checked as ``explorer check`` checks them) and keeps every other
record object as it was, so one edit costs one record's reading plus the
corpus's indexes, not a reload.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from explorer.core.corpus_edit import EditableCorpus
from explorer.core.errors import CorpusError, Problem
from explorer.core.loader import CATALOG_FILE, RECORD_SCHEMAS, build_record
from explorer.core.model import Corpus

#: The Corpus field each kind of record file fills.
FIELD_OF_KIND = {"events": "events", "documents": "documents", "people": "people", "sources": "sources",
                 "places": "places", CATALOG_FILE: "catalog"}


def _ids_by_kind(corpus: Corpus) -> dict[str, list[str]]:
    """Every kind's ids, for checking references (the live corpus's, which the edits keep in step)."""
    return {kind: [r.id for r in getattr(corpus, name)] for kind, name in FIELD_OF_KIND.items()}


def updated_corpus(corpus: Corpus, editable: EditableCorpus, records: Iterable[tuple[str, str]]) -> Corpus:
    """*corpus* with the records (kind, id) read again from *editable*: changed, added, or gone.

    Raises :class:`CorpusError` (with ``explorer check``'s messages) if a
    touched record is no longer valid; *corpus* is not changed.
    """
    by_kind: dict[str, set[str]] = {}
    for kind, record_id in records:
        by_kind.setdefault(kind, set()).add(record_id)
    if not by_kind:
        return corpus
    ids = _ids_by_kind(corpus)
    for kind in by_kind:  # the ids as they are after the edit (an add, a delete, a new id)
        ids[kind] = [str(r.get("id")) for r in editable.records(kind) if isinstance(r, dict)]
    changes: dict[str, Any] = {}
    problems: list[Problem] = []
    for kind, wanted in by_kind.items():
        if kind not in RECORD_SCHEMAS:
            raise ValueError(f"unknown kind of record {kind!r}")
        name = FIELD_OF_KIND[kind]
        old = {r.id: r for r in getattr(corpus, name)}
        built: dict[str, Any] = {}
        for mapping in editable.records(kind):
            rid = str(mapping.get("id")) if isinstance(mapping, dict) else ""
            if rid in wanted:
                try:
                    built[rid] = build_record(kind, mapping, ids=ids, essay=corpus.essay,
                                              file=str(editable.path(kind)))
                except CorpusError as exc:
                    problems.extend(exc.problems)
        if problems:
            continue
        order = ids[kind]
        changes[name] = tuple(built[i] if i in built else old[i] for i in order if i in built or i in old)
    if problems:
        raise CorpusError(problems)
    return replace(corpus, **changes)
