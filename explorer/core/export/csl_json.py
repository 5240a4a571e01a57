"""CSL-JSON: the corpus's documents and sources as Citation Style Language items.

Variables are those the CSL 1.0.2 specification names, so Zotero, pandoc and every citeproc read
them. A document becomes a ``letter`` (letters and telegrams, the kind in ``genre``), an
``interview`` (a record of conversation) or a ``manuscript``; its senders are the ``author``, its
recipients the ``recipient``; its archival files are ``archive`` and ``archive_location`` (fond,
opis, delo, papka, listy as the essay writes them); the publication it is translated in is the
``container-title`` and ``page``; the secondary work it is cited in is the ``note``. Names are
``literal``: the corpus does not say which part of "Kim Il Sung" is the family name. The
reader's verification marks go in ``custom`` (CSL 1.0.2's field for data with no variable) under
:data:`MARKS_FIELD`.

The other citation formats are written from these items (one mapping from the corpus).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from explorer.core.dates import EdtfDate
from explorer.core.export import ExportMark, item_ids
from explorer.core.model import Corpus, Document, Source

MARKS_FIELD = "explorer-verification-marks"
#: ``custom`` field saying which corpus file an item comes from: "document" or "source".
RECORD_FIELD = "explorer-record"

DOCUMENT_TYPES = {
    "letter": "letter",
    "telegram": "letter",
    "ciphered-telegram": "letter",
    "record-of-conversation": "interview",
}
SOURCE_TYPES = {
    "book": "book",
    "chapter": "chapter",
    "article": "article-journal",
    "bulletin-article": "article-journal",
    "working-paper": "report",
    "manuscript": "manuscript",
    "archive-collection": "collection",
    "website": "webpage",
    "other": "document",
}
#: Where the archives the essays cite are (CSL ``archive-place``); an archive not listed has none.
ARCHIVE_PLACES = {
    "AVPRF": "Moscow",
    "APRF": "Moscow",
    "RGASPI": "Moscow",
    "RGANI": "Moscow",
    "GARF": "Moscow",
    "TsAMO": "Podolsk",
    "RGAE": "Moscow",
    "RGVA": "Moscow",
    "TsKhSD": "Moscow",
    "RTsKhIDNI": "Moscow",
}
_PLAIN_SIDE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?[~?%]?", re.ASCII)


def date_variable(date: EdtfDate) -> dict[str, Any]:
    """A CSL date: ``date-parts`` as precise as the EDTF text (a range has two), ``circa`` when
    it is approximate. Forms other than plain dates and their intervals (seasons, sets) give
    their bounds as days."""
    sides = date.text.split("/")
    parts: list[list[int]] = []
    for side in sides:
        m = _PLAIN_SIDE.fullmatch(side)
        if m is None or len(sides) > 2:
            lo, hi = date.lower, date.upper
            parts = [[lo.year, lo.month, lo.day], [hi.year, hi.month, hi.day]]
            break
        parts.append([int(g) for g in m.groups() if g is not None])
    if len(parts) == 2 and parts[0] == parts[1]:
        parts = parts[:1]
    out: dict[str, Any] = {"date-parts": parts}
    if date.approximate or date.uncertain:
        out["circa"] = True
    return out


def _names(ids: Iterable[str], corpus: Corpus) -> list[dict[str, str]]:
    return [{"literal": corpus.person_by_id[i].name if i in corpus.person_by_id else i} for i in ids]


def _join(values: Iterable[str | None]) -> str | None:
    kept = list(dict.fromkeys(v for v in values if v))
    return "; ".join(kept) or None


def _source_label(source: Source, corpus: Corpus) -> str:
    authors = ", ".join(source.authors)
    container = f", {source.container}" if source.container and source.container != source.title else ""
    year = f" ({source.year})" if source.year else ""
    return (f"{authors}, " if authors else "") + f"“{source.title}”{container}{year}"


def document_item(doc: Document, corpus: Corpus, item_id: str) -> dict[str, Any]:
    """One document as a CSL item (marks not included)."""
    item: dict[str, Any] = {"id": item_id, "type": DOCUMENT_TYPES.get(doc.kind, "manuscript"), "title": doc.title}
    item["genre"] = doc.kind.replace("-", " ").capitalize()
    if doc.senders:
        item["author"] = _names(doc.senders, corpus)
    if doc.recipients:
        item["recipient"] = _names(doc.recipients, corpus)
    if doc.date:
        item["issued"] = date_variable(doc.date)
    locations = doc.locations
    archive = _join(loc.archive for loc in locations)
    if archive:
        item["archive"] = archive
        # one file per line of the essay's own form, without the archive (that is ``archive``)
        item["archive_location"] = _join(
            loc.full().removeprefix(loc.archive).lstrip(", ") or None for loc in locations)
        place = _join(ARCHIVE_PLACES.get(loc.archive) for loc in locations)
        if place:
            item["archive-place"] = place
    notes: list[str] = []
    if doc.translations:
        first = doc.translations[0]
        source = corpus.source_by_id.get(first.source)
        if source is not None:
            item["container-title"] = source.title
            if source.authors:
                item["container-author"] = [{"literal": a} for a in source.authors]
        if first.pages:
            item["page"] = first.pages
        for more in doc.translations[1:]:
            other = corpus.source_by_id.get(more.source)
            where = _source_label(other, corpus) if other else more.source
            notes.append(f"Also translated in {where}" + (f", {more.pages}" if more.pages else ""))
    if doc.cited_via:
        via = corpus.source_by_id.get(doc.cited_via)
        notes.insert(0, f"Cited in {_source_label(via, corpus) if via else doc.cited_via}")
    if doc.note:
        notes.append(doc.note)
    if notes:
        item["note"] = ". ".join(n.rstrip(".") for n in notes) + "."
    if doc.summary:
        item["abstract"] = doc.summary
    return item


def source_item(source: Source, item_id: str) -> dict[str, Any]:
    """One source (a publication the essay cites) as a CSL item (marks not included)."""
    item: dict[str, Any] = {"id": item_id, "type": SOURCE_TYPES.get(source.type, "document"), "title": source.title}
    if source.authors:
        item["author"] = [{"literal": a} for a in source.authors]
    if source.editors:
        item["editor"] = [{"literal": e} for e in source.editors]
    for variable, value in (("container-title", source.container), ("volume", source.volume),
                            ("issue", source.issue), ("number", source.number),
                            ("collection-title", source.series), ("publisher-place", source.place),
                            ("publisher", source.publisher), ("page", source.pages), ("URL", source.url),
                            ("note", source.note)):
        if value:
            item[variable] = value
    if source.year:
        item["issued"] = {"date-parts": [[source.year]]}
        if source.date and source.date != str(source.year):
            item["issued"]["season"] = source.date  # "Spring 1995": the words the publication uses
    elif source.date:
        item["issued"] = {"literal": source.date}
    return item


def csl_items(corpus: Corpus, marks: Mapping[str, Iterable[ExportMark]] | None = None,
              urls: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Every document, then every source, as CSL items, in the corpus's order.

    *marks* maps export ids (:func:`~explorer.core.export.item_ids`) to the marks on the record's
    citations; *urls* maps document ids to a catalogue record's address (the catalogue's hook).
    """
    doc_ids, source_ids = item_ids(corpus)
    items = [document_item(d, corpus, doc_ids[d.id]) for d in corpus.documents]
    for item, doc in zip(items, corpus.documents, strict=True):
        if urls and doc.id in urls:
            item["URL"] = urls[doc.id]
    items += [source_item(s, source_ids[s.id]) for s in corpus.sources]
    for n, item in enumerate(items):
        item["custom"] = {RECORD_FIELD: "document" if n < len(corpus.documents) else "source"}
        found = list((marks or {}).get(item["id"], ()))
        if found:
            item["custom"][MARKS_FIELD] = [m.to_dict() for m in found]
    return items


def is_document(item: dict[str, Any]) -> bool:
    """Whether a CSL item is a corpus document (else a source)."""
    return bool(item.get("custom", {}).get(RECORD_FIELD) == "document")


def to_csl_json(items: list[dict[str, Any]]) -> str:
    """The items as a CSL-JSON file (a JSON array, UTF-8 text)."""
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"
