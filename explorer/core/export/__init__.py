"""Exports of a corpus: citation data (CSL-JSON, RIS, BibTeX/BibLaTeX) and the citation-check report.

The researcher's verification marks come in as plain :class:`ExportMark` data (the core never
opens the marks store); :func:`attach_marks` says which record each belongs to. CSL-JSON is the
one mapping from the corpus (:func:`~explorer.core.export.csl_json.csl_items`); RIS and BibTeX
are written from its items, so the three formats cannot disagree about a field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from explorer.core.citations import IBID, WORK_KINDS, ParsedNote, parse_notes
from explorer.core.model import Corpus
from explorer.core.verification import document_targets, mark_key

CITATION_FORMATS = ("csl-json", "ris", "bibtex", "biblatex")
REPORT_FORMATS = ("report-html", "report-md", "report-pdf")


@dataclass(frozen=True, slots=True)
class ExportMark:
    """One verification mark as the exports show it (the store's ``Mark``, or an imported one)."""

    key: str  # the citation's mark key (explorer.core.verification.mark_key)
    status: str  # "verified", "disputed", "unchecked", or a newer version's word, kept as it is
    note: str = ""
    footnote: int | None = None
    label: str | None = None
    updated_at: str = ""  # ISO 8601, UTC
    who: str | None = None  # the reviewer, where the marks say (team review fills it)

    def to_dict(self) -> dict[str, object]:
        return {"key": self.key, "status": self.status, "note": self.note, "footnote": self.footnote,
                "label": self.label, "updated_at": self.updated_at, "who": self.who}

    @classmethod
    def of(cls, mark: Any) -> ExportMark:
        """A mark of the store (``explorer.store.marks.Mark``, which the core does not import) as the
        exports show it: what `explorer export` and the window's File > Export both pass."""
        return cls(mark.citation_key, str(mark.status), mark.note, mark.footnote, mark.label, mark.updated_at)


@dataclass(frozen=True, slots=True)
class AttachedMarks:
    """Marks by the record (document or source id) whose citations they are on, and the marks on
    no exported record's citation (a work the corpus has no source for, an edited note), kept so
    that a caller can say so rather than lose them."""

    by_record: Mapping[str, tuple[ExportMark, ...]]
    unattached: tuple[ExportMark, ...]


def parsed_notes(corpus: Corpus) -> list[ParsedNote]:
    """The essay's notes, parsed (the exports and the report read citations through these)."""
    return parse_notes((f.number, f.text) for f in corpus.essay.footnotes)


def _fold(text: str) -> str:
    return " ".join("".join(ch for ch in text.casefold() if ch.isalnum() or ch.isspace()).split())


def source_mark_keys(corpus: Corpus, notes: Mapping[int, ParsedNote], source_id: str) -> tuple[str, ...]:
    """The mark keys of the citations of one source: in each note the corpus links to it, the
    note's citations of a publication (Ibid. included); where the corpus links the note to several
    sources, only those whose words contain the source's title."""
    source = corpus.source_by_id.get(source_id)
    if source is None:
        return ()
    keys: dict[str, None] = {}
    title = _fold(source.title)
    for number in sorted(source.footnotes):
        note = notes.get(number)
        if note is None:
            continue
        alone = len(corpus.sources_by_footnote.get(number, ())) == 1
        for c in note.citations:
            if c.kind not in WORK_KINDS and c.kind != IBID:
                continue
            words = c.text + " " + (c.ibid.work.label if c.ibid and c.ibid.work else "")
            words += " " + (c.refers_to.label if c.refers_to else "")
            if alone or (title and title in _fold(words)):
                keys.setdefault(mark_key(c, note), None)
    return tuple(keys)


def item_ids(corpus: Corpus) -> tuple[dict[str, str], dict[str, str]]:
    """The export id (CSL ``id``, RIS ``ID``, BibTeX key) of each document and each source: its
    record id, so keys stay the same from one export to the next; a source whose id a document
    also has gets ``source-`` before it (ids are unique only within their own file)."""
    documents = {d.id: d.id for d in corpus.documents}
    sources: dict[str, str] = {}
    for s in corpus.sources:
        key = s.id
        while key in documents:
            key = "source-" + key
        sources[s.id] = key
    return documents, sources


def attach_marks(corpus: Corpus, notes: Iterable[ParsedNote], marks: Iterable[ExportMark]) -> AttachedMarks:
    """Which record each mark belongs to, by export id (:func:`item_ids`; a mark may belong to
    several: a note citing a document in a publication); marks on no record's citation are
    returned apart."""
    by_number = {n.number: n for n in notes}
    by_key: dict[str, list[ExportMark]] = {}
    for mark in marks:
        by_key.setdefault(mark.key, []).append(mark)
    out: dict[str, tuple[ExportMark, ...]] = {}
    used: set[str] = set()
    doc_ids, source_ids = item_ids(corpus)
    records = [(doc_ids[d.id], [t.key for t in document_targets(corpus, by_number, d.id)])
               for d in corpus.documents]
    records += [(source_ids[s.id], list(source_mark_keys(corpus, by_number, s.id))) for s in corpus.sources]
    for record_id, keys in records:
        found = [m for key in dict.fromkeys(keys) for m in by_key.get(key, ())]
        if found:
            out[record_id] = out.get(record_id, ()) + tuple(found)
            used.update(m.key for m in found)
    unattached = tuple(m for ms in by_key.values() for m in ms if m.key not in used)
    return AttachedMarks(out, unattached)
