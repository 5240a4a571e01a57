"""The essay's documents against the catalogue records gathered for them (catalog.yaml).

A catalogue record gives the archive's (or its published catalogue's) own
sender, recipient, date, title and location for a document the corpus
records. Where they differ from the essay's citation, both values are shown
with the record's address: the audit never decides which is right, and never
changes the essay. Names are compared through every form of a person's name
(:meth:`Person.name_forms`), so a pseudonym ("Filippov" for Stalin) or another
romanisation is no difference.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from explorer.core.audit.findings import WARNING, Finding, notes_phrase, passages_of
from explorer.core.model import CatalogRecord, Corpus, Document

# An editor's gloss or a qualifier ("Filippov [Stalin]", "Vyshinsky (for the Politburo)") is not the name.
_GLOSS = re.compile(r"\[[^\]]*\]|\([^)]*\)")
_NAME_WORD = re.compile(r"[^\W\d_][\w’'.-]*")
# Honorifics and titles a catalogue puts before a name.
_NOT_NAMES = frozenset({"cde", "cde.", "comrade", "the", "for", "of", "to", "and", "ambassador", "general"})
# The genre of a record of a meeting, as its title names it: "Record of Talks", "Notes of the Conversation".
_GENRE = re.compile(r"\b(?:Record|Notes|Minutes|Memorandum) of (?:the |a )?(Conversations?|Talks?|Meetings?)\b",
                    re.IGNORECASE)


def _words(name: str) -> set[str]:
    return {w.lower().rstrip(".") for w in _NAME_WORD.findall(_GLOSS.sub(" ", name))} - _NOT_NAMES


def _party_names(corpus: Corpus, ids: tuple[str, ...]) -> list[tuple[str, set[str]]]:
    """(display name, every word of every form of the name) for each sender or recipient."""
    out = []
    for pid in ids:
        person = corpus.person_by_id.get(pid)
        if person is None:
            out.append((pid, _words(pid.replace("-", " "))))
            continue
        words: set[str] = set()
        for form in person.name_forms():
            words |= {w for w in _words(form) if len(w) >= 3}
        out.append((person.name, words))
    return out


def _names_agree(essay: list[tuple[str, set[str]]], catalogue: tuple[str, ...]) -> bool:
    """Each name the catalogue gives is a form of one of the essay's parties."""
    return all(any(_words(name) & words for _, words in essay) for name in catalogue)


def record_differences(corpus: Corpus, doc: Document, record: CatalogRecord) -> list[dict[str, str]]:
    """Each field where *record* describes *doc* differently: ``{"field", "essay", "catalogue"}``."""
    out: list[dict[str, str]] = []
    for field, ids, names in (("sender", doc.senders, record.from_names), ("recipient", doc.recipients,
                                                                          record.to_names)):
        if ids and names and not _names_agree(_party_names(corpus, ids), names):
            out.append({"field": field, "essay": "; ".join(n for n, _ in _party_names(corpus, ids)),
                        "catalogue": "; ".join(names)})
    if doc.date and record.date and not (
        doc.date.lower <= record.date.upper and record.date.lower <= doc.date.upper
    ):
        out.append({"field": "date", "essay": doc.date.display(), "catalogue": record.date.display()})
    if doc.locations and record.parsed_location:
        essay_locs = {(loc.key, loc.listy) for loc in doc.locations}
        if not essay_locs & {(loc.key, loc.listy) for loc in record.parsed_location}:
            out.append({"field": "location", "essay": "; ".join(sorted({loc.short() for loc in doc.locations})),
                        "catalogue": "; ".join(loc.short() for loc in record.parsed_location)})
    genre_essay, genre_cat = _GENRE.search(doc.title), _GENRE.search(record.title or "")
    if genre_essay and genre_cat and _genre(genre_essay) != _genre(genre_cat):
        out.append({"field": "title", "essay": genre_essay.group(0), "catalogue": genre_cat.group(0)})
    return out


def _genre(found: re.Match[str]) -> str:
    return found.group(1).lower().rstrip("s")


def _found_records(corpus: Corpus, doc: Document) -> Iterator[CatalogRecord]:
    for rid in corpus.catalog_by_document.get(doc.id, ()):
        record = corpus.catalog_by_id[rid]
        if record.catalog_status == "found":
            yield record


def _narrating_passages(corpus: Corpus, doc: Document) -> tuple[str, ...]:
    """The passages of the events the document is a record of, in essay order."""
    ids = {q.passage for e in corpus.events_by_document.get(doc.id, ()) for q in corpus.event_by_id[e].passages}
    return tuple(p.id for p in corpus.essay.passages if p.id in ids)


def _link(record: CatalogRecord) -> str:
    return record.url or ("no address recorded" + (f", record id {record.record_id}" if record.record_id else ""))


def check_catalog(corpus: Corpus) -> Iterator[Finding]:
    """A document whose catalogue record gives another sender, recipient, date, location or kind of record."""
    for doc in corpus.documents:
        for record in _found_records(corpus, doc):
            diffs = record_differences(corpus, doc, record)
            if not diffs:
                continue
            passages = passages_of(corpus, doc.footnotes) or _narrating_passages(corpus, doc)
            where = notes_phrase(doc.footnotes) if doc.footnotes else f"the text ({', '.join(passages)})"
            said = "; ".join(f"{d['field']}: essay “{d['essay']}”, catalogue “{d['catalogue']}”" for d in diffs)
            yield Finding(
                "CATALOG_MISMATCH", WARNING,
                f"{where[0].upper()}{where[1:]}: {record.catalogue} describes “{doc.title}” differently "
                f"({said}). Catalogue record “{record.title}”: {_link(record)}. Check the archive; the essay "
                "is left as it stands.",
                doc.footnotes, passages, (doc.id,),
                details={"differences": diffs, "record": record.id, "catalogue": record.catalogue},
                url=record.url,
            )


def check_catalogued_uncited(corpus: Corpus) -> Iterator[Finding]:
    """A document the text narrates (an event records it) that the catalogue holds but no note cites."""
    for doc in corpus.documents:
        if doc.footnotes:
            continue
        passages = _narrating_passages(corpus, doc)
        if not passages:
            continue
        for record in _found_records(corpus, doc):
            date = f", {record.date.display()}" if record.date else ""
            yield Finding(
                "CATALOGUED_UNCITED", WARNING,
                f"The text ({', '.join(passages)}) narrates “{doc.title}”, which {record.catalogue} holds as "
                f"“{record.title}”{date} ({_link(record)}), but no note cites it.",
                (), passages, (doc.id,), details={"record": record.id, "catalogue": record.catalogue},
                url=record.url,
            )


def catalogue_lines(corpus: Corpus) -> dict[int, tuple[str, ...]] | None:
    """For each note, a line per document it cites saying how the catalogue describes it: the same, each
    difference with both values, or that no record was found (what was searched). None when the corpus has
    no catalogue records at all (nothing was compared)."""
    if not corpus.catalog:
        return None
    out: dict[int, tuple[str, ...]] = {}
    for footnote in corpus.essay.footnotes:
        lines = []
        for doc_id in corpus.documents_by_footnote.get(footnote.number, ()):
            doc = corpus.document_by_id[doc_id]
            records = [corpus.catalog_by_id[r] for r in corpus.catalog_by_document.get(doc_id, ())]
            found = [r for r in records if r.catalog_status == "found"]
            for record in found:
                where = f"{record.catalogue}, {_link(record)}"
                differences = record_differences(corpus, doc, record)
                if differences:
                    said = "; ".join(f"{d['field']}: the essay {d['essay']}, the catalogue {d['catalogue']}"
                                     for d in differences)
                    lines.append(f"{doc.title}: catalogued differently ({where}): {said}")
                else:
                    lines.append(f"{doc.title}: catalogued the same ({where})")
            if records and not found:
                searched = next((r.searched for r in records if r.searched), None)
                lines.append(f"{doc.title}: no catalogue record found" + (f" (searched: {searched})" if searched
                                                                           else ""))
        out[footnote.number] = tuple(lines)
    return out
