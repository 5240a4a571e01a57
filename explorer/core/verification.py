"""Which citations the researcher can mark as verified or disputed, and what to call them.

A verification mark belongs to one citation and is stored under
:func:`~explorer.core.citations.citation_key`, a fingerprint of what the
citation says, so it survives edits to the essay that leave the citation
alone. The functions here pick the citations a view shows: all of a note's
(the open footnote, an audit finding's notes) or those of the notes that
cite one document (the document pane). Commentary is not a citation and
cannot be marked.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from explorer.core.audit import Finding
from explorer.core.citations import COMMENTARY, DOCUMENT, IBID, Citation, ParsedNote, citation_key, work_label
from explorer.core.model import Corpus, Document

LABEL_LIMIT = 90


@dataclass(frozen=True, slots=True)
class MarkTarget:
    """One citation of one note, as a mark is set on it."""

    footnote: int
    key: str  # the store's citation key
    label: str  # short, for a list: "Ciphered telegram, Shtykov to Vyshinsky, 3 September 1949"
    text: str  # the note's own words for it


def _shorten(text: str, limit: int = LABEL_LIMIT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip(" ,;") + "…"


def _pages(citation: Citation) -> str:
    pages = citation.pages
    if not pages:
        return ""
    several = any(ch in pages for ch in "-–,")
    if citation.folios:
        return f"{'ll' if several else 'l'}. {pages}"
    return f"{'pp' if several else 'p'}. {pages}"


def citation_label(citation: Citation) -> str:
    """A short name for a citation, for lists of marks: kind, correspondents and date for a
    document; author and title for a publication; what an Ibid. refers to."""
    pages = _pages(citation)
    if citation.kind == DOCUMENT:
        doc = citation.document
        if doc and (doc.sender or doc.recipient):
            kind = (doc.kind or "document").replace("-", " ").capitalize()
            who = " to ".join(_shorten(x, 40) for x in (doc.sender, doc.recipient) if x)
            parts = [kind, who, doc.date_text or ""]
        elif doc and (doc.title or doc.parties):
            parts = [_shorten(doc.title or " and ".join(doc.parties), 60), doc.date_text or ""]
        elif citation.locations:
            parts = [citation.locations[0].short()]
        else:
            parts = [citation.text]
        return _shorten(", ".join(p for p in parts if p))
    if citation.kind == IBID:
        work = citation.ibid.work if citation.ibid else None
        said = "Ibid." + (f", {pages}" if pages else "")
        return _shorten(f"{said} ({work.label})" if work else said)
    if citation.work is not None:
        label = citation.refers_to.label if citation.refers_to else work_label(citation.work)
        return _shorten(f"{label}, {pages}" if pages else label)
    return _shorten(citation.text)


def note_targets(note: ParsedNote) -> tuple[MarkTarget, ...]:
    """Every citation of a note that can be marked, once per key, in the note's order."""
    return _targets(note.number, note.citations)


def _targets(number: int, citations: Iterable[Citation]) -> tuple[MarkTarget, ...]:
    found: dict[str, MarkTarget] = {}
    for c in citations:
        if c.kind == COMMENTARY:
            continue
        key = citation_key(c)
        found.setdefault(key, MarkTarget(number, key, citation_label(c), " ".join(c.text.split())))
    return tuple(found.values())


def _fit(citation: Citation, document: Document, number: int) -> int:
    """How well a note's document citation matches a curated document: date, then folios, then file."""
    info = citation.document
    dates = {str(d) for d in (document.date, document.reports_date) if d}
    score = 2 if info is not None and info.date in dates else 0
    files = {(loc.key, loc.listy) for loc in document.locations if loc.footnote in (None, number)}
    cited = {(loc.key, loc.listy) for loc in citation.locations}
    if cited & files:
        score += 2
    elif {k for k, _ in cited} & {k for k, _ in files}:
        score += 1
    return score


def document_targets(corpus: Corpus, notes: Mapping[int, ParsedNote], document_id: str) -> tuple[MarkTarget, ...]:
    """The citations of one document: for each note the corpus links to it, the note's
    citations of a document that match it (by date, then archival location); where
    none matches (an Ibid. standing for it, say), all the note's citations."""
    document = corpus.document_by_id.get(document_id)
    if document is None:
        return ()
    out: list[MarkTarget] = []
    for number in sorted(document.footnotes):
        note = notes.get(number)
        if note is None:
            continue
        scored = [(_fit(c, document, number), c) for c in note.documents()]
        best = max((score for score, _ in scored), default=0)
        chosen = [c for score, c in scored if score == best] if best else list(note.citations)
        out.extend(_targets(number, chosen))
    return tuple(out)


def finding_targets(finding: Finding, notes: Mapping[int, ParsedNote]) -> tuple[MarkTarget, ...]:
    """The citations of every note a finding concerns."""
    return tuple(t for n in finding.footnotes if n in notes for t in note_targets(notes[n]))


def notes_by_key(notes: Iterable[ParsedNote]) -> dict[str, tuple[int, ...]]:
    """For each citation key, the notes that cite exactly that (they share one mark)."""
    found: dict[str, list[int]] = defaultdict(list)
    for note in notes:
        for target in note_targets(note):
            found[target.key].append(note.number)
    return {key: tuple(numbers) for key, numbers in found.items()}


def findings_by_footnote(findings: Iterable[Finding]) -> dict[int, tuple[Finding, ...]]:
    """The findings that concern each note, in the order given."""
    found: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        for number in dict.fromkeys(finding.footnotes):
            found[number].append(finding)
    return {number: tuple(items) for number, items in found.items()}
