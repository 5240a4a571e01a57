"""Which citations the researcher can mark as verified or disputed, and what to call them.

A verification mark belongs to one citation and is stored under
:func:`mark_key`: :func:`~explorer.core.citations.citation_key`, a
fingerprint of what the citation says (so it survives edits to the essay
that leave the citation alone), plus, for a document, whatever tells it
apart from another document the corpus distinguishes: the corpus document
it is linked to, else the folios and the publication the note gives, else
the note's number. The functions here pick the citations a view shows: all
of a note's (the open footnote, an audit finding's notes) or those of the
notes that cite one document (the document pane). Commentary is not a
citation and cannot be marked.

Before marks schema 2 marks were stored under the bare citation key, so two
telegrams of the same day between the same people shared one mark;
:func:`key_moves` says where each such mark goes now.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from explorer.core import citations as parser  # keys and labels: the parser loads when first used
from explorer.core.audit import Finding
from explorer.core.citations import COMMENTARY, DOCUMENT, IBID, Citation, ParsedNote
from explorer.core.model import Corpus, Document
from explorer.core.months import MONTH_NAMES
from explorer.core.pausing import paced
from explorer.core.text import shorten

LABEL_LIMIT = 90

#: What joins a document citation's key to the corpus document it is linked to (see :func:`mark_key`).
DOCUMENT_KEY = "#doc="


@dataclass(frozen=True, slots=True)
class MarkTarget:
    """One citation of one note, as a mark is set on it."""

    footnote: int
    key: str  # the store's citation key (:func:`mark_key`)
    label: str  # short, for a list: "Ciphered telegram, Shtykov to Vyshinsky, 3 September 1949"
    text: str  # the note's own words for it
    old_key: str = ""  # the key marks had before documents were told apart (the bare citation key)
    #: Shorter forms of *label*, longest first, for a row too narrow for it: what tells documents apart
    #: (correspondents, date) stays, the kind goes first ("Shtykov → Vyshinsky, 3 Sep 1949").
    short_labels: tuple[str, ...] = ()


def _on_one_line(text: str, limit: int = LABEL_LIMIT) -> str:
    """*text* on one line, shortened at a word (a label is one line of a list)."""
    return shorten(" ".join(text.split()), limit)


def _pages(citation: Citation) -> str:
    pages = citation.pages
    if not pages:
        return ""
    several = any(ch in pages for ch in "-–,")
    if citation.folios:
        return f"{'ll' if several else 'l'}. {pages}"
    return f"{'pp' if several else 'p'}. {pages}"


def _dated(head: str, date: str | None) -> str:
    """*head*, then *date*, on one line: *head* is shortened first, so the date (what tells two telegrams
    of one exchange apart) is never what is cut."""
    date = _on_one_line(date or "", LABEL_LIMIT // 2)
    if not date:
        return _on_one_line(head)
    return f"{_on_one_line(head, LABEL_LIMIT - len(date) - 2)}, {date}"


def citation_label(citation: Citation) -> str:
    """A short name for a citation, for lists of marks: kind, correspondents and date for a
    document; author and title for a publication; what an Ibid. refers to."""
    pages = _pages(citation)
    if citation.kind == DOCUMENT:
        doc = citation.document
        if doc and (doc.sender or doc.recipient):
            kind = (doc.kind or "document").replace("-", " ").capitalize()
            who = " to ".join(_on_one_line(x, 40) for x in (doc.sender, doc.recipient) if x)
            return _dated(f"{kind}, {who}" if who else kind, doc.date_text)
        elif doc and (doc.title or doc.parties):
            return _dated(_on_one_line(doc.title or " and ".join(doc.parties), 60), doc.date_text)
        elif citation.locations:
            parts = [citation.locations[0].short()]
        else:
            parts = [citation.text]
        return _on_one_line(", ".join(p for p in parts if p))
    if citation.kind == IBID:
        work = citation.ibid.work if citation.ibid else None
        said = "Ibid." + (f", {pages}" if pages else "")
        return _on_one_line(f"{said} ({work.label})" if work else said)
    if citation.work is not None:
        label = citation.refers_to.label if citation.refers_to else parser.work_label(citation.work)
        return _on_one_line(f"{label}, {pages}" if pages else label)
    return _on_one_line(citation.text)


_MONTH = re.compile(rf"\b({'|'.join(MONTH_NAMES)})\b")


def _abbreviated(date: str | None) -> str | None:
    """*date* with its month names shortened: "3 September 1949" -> "3 Sep 1949"."""
    return _MONTH.sub(lambda m: m.group(1)[:3], date) if date else date


def short_labels(citation: Citation) -> tuple[str, ...]:
    """Shorter forms of :func:`citation_label`, longest first, each keeping what tells two documents of one
    exchange apart: a document's kind goes and its month is shortened ("Shtykov → Vyshinsky, 3 Sep 1949";
    with one correspondent or a title, only the month). Empty when there is nothing to leave out."""
    doc = citation.document if citation.kind == DOCUMENT else None
    if doc is None:
        return ()
    full = citation_label(citation)
    if doc.sender and doc.recipient:
        who = " \u2192 ".join(_on_one_line(x, 40) for x in (doc.sender, doc.recipient))
        forms = [_dated(who, _abbreviated(doc.date_text))]  # one form: the rows of a note read alike
    elif doc.sender or doc.recipient or doc.title or doc.parties:
        forms = [full.replace(doc.date_text, _abbreviated(doc.date_text) or "") if doc.date_text else full]
    else:
        return ()
    return tuple(dict.fromkeys(f for f in forms if f != full))


def is_under_document(key: str, document_id: str) -> bool:
    """Whether the mark key *key* is a citation's linked to the corpus document *document_id*."""
    return key.endswith(f"{DOCUMENT_KEY}{document_id}")


def key_under_document(key: str, old_id: str, new_id: str) -> str:
    """The key *key*, a mark's under the corpus document *old_id*, has under *new_id* (a merge, a rename)."""
    return key[: -len(f"{DOCUMENT_KEY}{old_id}")] + f"{DOCUMENT_KEY}{new_id}"


def mark_key(citation: Citation, note: ParsedNote, document_id: str | None = None) -> str:
    """The key of a citation's mark: one per thing a researcher checks.

    For a publication, an Ibid. or a commentary: its citation key. For a
    document: its citation key plus the corpus document it is linked to
    (*document_id*, see :func:`document_links`); unlinked, plus the folios or
    pages no archival location holds and the publication the note cites it
    in, and, when the note gives none of these nor an archival location, the
    note's number, so that two notes naming only "Telegram, Stalin to
    Shtykov, 21 June 1950" never share a mark by accident.
    """
    key = parser.citation_key(citation)
    if citation.kind != DOCUMENT:
        return key
    if document_id:
        return f"{key}{DOCUMENT_KEY}{document_id}"
    extra: list[str] = []
    if citation.pages and not any(loc.listy for loc in citation.locations):
        extra.append(f"{'l' if citation.folios else 'p'}={citation.pages}")
    for relation in citation.relations:
        if 0 <= relation.target < len(note.citations) and relation.target != citation.index:
            work = note.citations[relation.target]
            if work.kind != COMMENTARY and work.kind != DOCUMENT:
                extra.append(f"in={parser.citation_key(work)}")
    if not citation.locations and not extra:
        extra.append(f"fn={note.number}")
    return "#".join((key, *extra))


def document_links(corpus: Corpus, note: ParsedNote) -> dict[int, str]:
    """The corpus document each document citation of the note stands for, by citation index, where the
    corpus tells: of the documents it links to the note, the one that fits the citation best (date, then
    archival file), if only one does; or the only one, when the note cites only one document."""
    ids = [d for d in corpus.documents_by_footnote.get(note.number, ()) if d in corpus.document_by_id]
    cited = note.documents()
    links: dict[int, str] = {}
    for citation in cited:
        scores = [(_fit(citation, corpus.document_by_id[d], note.number), d) for d in ids]
        best = max((score for score, _ in scores), default=0)
        top = [d for score, d in scores if score == best]
        if len(top) == 1 and (best > 0 or len(cited) == 1):
            links[citation.index] = top[0]
    return links


def note_targets(note: ParsedNote, corpus: Corpus) -> tuple[MarkTarget, ...]:
    """Every citation of a note that can be marked, once per key, in the note's order."""
    return _targets(note, note.citations, document_links(corpus, note))


def _targets(note: ParsedNote, citations: Iterable[Citation], links: Mapping[int, str]) -> tuple[MarkTarget, ...]:
    found: dict[str, MarkTarget] = {}
    for c in citations:
        if c.kind == COMMENTARY:
            continue
        key = mark_key(c, note, links.get(c.index))
        found.setdefault(
            key, MarkTarget(note.number, key, citation_label(c), " ".join(c.text.split()), parser.citation_key(c),
                            short_labels(c)))
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
        out.extend(_targets(note, chosen, document_links(corpus, note)))
    return tuple(out)


def finding_targets(finding: Finding, notes: Mapping[int, ParsedNote], corpus: Corpus) -> tuple[MarkTarget, ...]:
    """The citations of every note a finding concerns."""
    return tuple(t for n in finding.footnotes if n in notes for t in note_targets(notes[n], corpus))


def targets_by_note(notes: Iterable[ParsedNote], corpus: Corpus) -> dict[int, tuple[MarkTarget, ...]]:
    """Each note's :func:`note_targets`, by note number (what :func:`notes_by_key` and :func:`key_moves`
    both read: worked out once for the two)."""
    return {note.number: note_targets(note, corpus) for note in paced(notes, 1)}


def notes_by_key(notes: Iterable[ParsedNote], corpus: Corpus,
                 targets: Mapping[int, tuple[MarkTarget, ...]] | None = None) -> dict[str, tuple[int, ...]]:
    """For each mark key, the notes that cite exactly that (they share one mark). *targets*: the notes'
    :func:`targets_by_note`, when already worked out."""
    found: dict[str, list[int]] = defaultdict(list)
    for note in paced(notes, 64):
        for target in targets[note.number] if targets is not None else note_targets(note, corpus):
            found[target.key].append(note.number)
    return {key: tuple(numbers) for key, numbers in found.items()}


def key_moves(notes: Iterable[ParsedNote], corpus: Corpus, targets: Mapping[int, tuple[MarkTarget, ...]] | None = None,
              ) -> dict[str, tuple[tuple[str, int, str], ...]]:
    """Where marks stored under an old key (the bare citation key) go now: for each old key that some
    citation's key differs from, ``(key, note, label)`` of every citation it stood for, in note order (the
    old key itself among them where a citation keeps it). An old key with several keys stood for
    citations this version tells apart. *targets*: the notes' :func:`targets_by_note`, when already worked out."""
    found: dict[str, dict[str, tuple[str, int, str]]] = defaultdict(dict)
    for note in paced(notes, 16):
        for target in targets[note.number] if targets is not None else note_targets(note, corpus):
            if target.old_key:
                found[target.old_key].setdefault(target.key, (target.key, target.footnote, target.label))
    return {old: tuple(new.values()) for old, new in found.items() if set(new) != {old}}


def findings_by_footnote(findings: Iterable[Finding]) -> dict[int, tuple[Finding, ...]]:
    """The findings that concern each note, in the order given."""
    found: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        for number in dict.fromkeys(finding.footnotes):
            found[number].append(finding)
    return {number: tuple(items) for number, items in found.items()}


def merge_marks(base: tuple[str, str], theirs: tuple[str, str], mine: tuple[str, str]) -> tuple[str, str]:
    """One mark from two changes made to the same *base* ``(status, note)`` in two places, losing
    neither text: each part keeps the side that changed it; where both changed the status,
    "disputed" wins (a doubt is not dropped silently), else theirs; where both changed the note and
    neither holds the other, both are kept, theirs first, joined by " / "."""
    status = theirs[0] if mine[0] in (base[0], theirs[0]) else mine[0] if theirs[0] == base[0] else (
        "disputed" if "disputed" in (theirs[0], mine[0]) else theirs[0])
    a, b = theirs[1].strip(), mine[1].strip()
    if b in (base[1].strip(), a) or b in a:
        note = theirs[1]
    elif a == base[1].strip() or a in b:
        note = mine[1]
    else:
        note = f"{a} / {b}"
    return status, note
