"""Checks of the notes against each other and against the corpus's curated records.

Dates the text gives against the documents cited, names against their
standard forms, quotations against the documents' recorded quotes, Ibid.
readings, secondary citations, page ranges and archival locations.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterator

from explorer.core.audit.findings import ERROR, INFO, WARNING, Finding, notes_phrase, passages_of
from explorer.core.citations import (
    ARTICLE,
    BULLETIN_ARTICLE,
    CHAPTER,
    COMMENTARY,
    DOCUMENT,
    IBID,
    MANUSCRIPT,
    MAX_NOTE_CHARS,
    VIA,
    Citation,
    ParsedNote,
    page_range,
)
from explorer.core.date_mentions import find_date_mentions
from explorer.core.essay import Passage
from explorer.core.model import Corpus, Document
from explorer.core.pausing import paced, pause_point
from explorer.core.text import shorten

# -- helpers ---------------------------------------------------------------


def _marker_spans(passage: Passage) -> Iterator[tuple[int, int, int]]:
    """(footnote, start, end): the text each note supports, from the previous marker."""
    start = 0
    for marker in passage.markers:
        yield marker.number, start, marker.offset
        start = marker.offset


def _doc_label(doc: Document) -> str:
    date = f", {doc.date.display()}" if doc.date else ""
    return f"{doc.title}{date}"


# -- checks ----------------------------------------------------------------


def check_dates(corpus: Corpus) -> Iterator[Finding]:
    """A date in the text a note supports that fits no cited document.

    The text a note supports runs from the previous marker in the passage to
    this one. Dates inside quotation marks are the document's own words and
    are not checked. A document fits when its date or the date of what it
    reports overlaps a date the essay gives.
    """
    for passage in corpus.essay.passages:
        for number, start, end in _marker_spans(passage):
            pause_point()
            docs = [corpus.document_by_id[d] for d in corpus.documents_by_footnote.get(number, ())]
            dated = [d for d in docs if d.date]
            if not dated:
                continue
            year = dated[0].date.lower.year  # type: ignore[union-attr]
            mentions = [m for m in find_date_mentions(passage.text[start:end], year) if not m.quoted]
            if not mentions:
                continue
            spans = [(x.lower, x.upper) for d in dated for x in (d.date, d.reports_date) if x]
            if any(m.overlaps(lo, hi) for m in mentions for lo, hi in spans):
                continue
            said = ", ".join(f"“{m.text}”" for m in mentions)
            cited = "; ".join(_doc_label(d) for d in dated)
            # The text may date the event the documents report, not the documents: an event the note
            # supports, of the essay's date, that begins before the first document was written.
            first = min(d.date.lower for d in dated)  # type: ignore[union-attr]
            events = [e for e in (corpus.event_by_id[i] for i in corpus.events_by_footnote.get(number, ()))
                      if e.date.lower <= first and any(m.overlaps(e.date.lower, e.date.upper) for m in mentions)]
            if events:
                event = events[0]
                yield Finding(
                    "DATE_MISMATCH", INFO,
                    f"Note {number}: the text dates the event {said} (“{event.title}”, {event.display_date()}); "
                    f"the note dates its documents later ({cited}). Check that the documents report the event "
                    "of that date.",
                    (number,), (passage.id,), tuple(d.id for d in dated),
                    details={"essay_dates": [m.text for m in mentions], "reading": "event", "event": event.id},
                )
                continue
            yield Finding(
                "DATE_MISMATCH", WARNING,
                f"Note {number}: the essay dates this {said}, but no document the note cites is of that date "
                f"or reports an event of that date ({cited}). Check the date in the essay against the document.",
                (number,), (passage.id,), tuple(d.id for d in dated),
                details={"essay_dates": [m.text for m in mentions], "reading": "document"},
            )


_WORD = re.compile(r"[A-Z][A-Za-z’'\-]+")


def check_names(corpus: Corpus) -> Iterator[Finding]:
    """A name spelled in the essay unlike the person's standard form.

    Two sources of evidence: words of the essay and its notes that are close
    to, but not the same as, a word of a standard name (``Shykov`` for
    ``Shtykov``), and recorded spellings whose words are not in the standard
    name (``McLean`` for ``Maclean``, ``Zhi-hua`` for ``Zhihua``).
    """
    texts: list[tuple[str, int | None, str]] = [(p.id, None, p.text) for p in corpus.essay.passages]
    texts += [(f.passage_id, f.number, f.text) for f in corpus.essay.footnotes]
    # Standard forms: the people records, and the authors and editors of the
    # sources (Shen Zhihua is cited as "Shen Zhi-hua").
    standards: list[tuple[str, tuple[str, ...], str | None]] = [
        (p.name, p.spellings, p.id) for p in corpus.people if p.kind == "person"
    ]
    known = {p.name for p in corpus.people}
    for source in corpus.sources:
        for name in (*source.authors, *source.editors):
            if name not in known:
                known.add(name)
                standards.append((name, (), None))
    every_standard_word = {w for name, _, _ in standards for w in _WORD.findall(name)}
    # Where each distinct word occurs, read once: the comparisons below are
    # per distinct word, not per occurrence (a book-length corpus repeats its
    # vocabulary), and per standard word of similar length.
    occurrences: dict[str, list[tuple[str, int | None]]] = defaultdict(list)
    for pid, note, text in paced(texts, 16):
        for word in _WORD.findall(text):
            w = word[:-2] if word.endswith(("’s", "'s")) else word
            if len(w) >= 5 and w not in every_standard_word:  # Bajanov is no variant of Bajanova
                occurrences[w].append((pid, note))
    by_length: dict[int, set[str]] = defaultdict(set)
    for w in occurrences:
        by_length[len(w)].add(w)
    for name, spellings, person_id in paced(standards, 1):
        standard = {w for w in _WORD.findall(name) if len(w) >= 4}
        folded = {w.lower().replace("-", "") for w in standard}
        variants: dict[str, list[tuple[str, int | None]]] = defaultdict(list)
        for s_word in standard:
            matcher = difflib.SequenceMatcher(None, b=s_word.lower())
            for length in range(len(s_word) - 2, len(s_word) + 3):
                for w in by_length.get(length, ()):
                    matcher.set_seq1(w.lower())
                    if w.lower().replace("-", "") in folded or (
                        matcher.real_quick_ratio() >= 0.83 and matcher.quick_ratio() >= 0.83
                        and matcher.ratio() >= 0.83
                    ):
                        variants[w].extend(occurrences[w])
        for spelling in spellings:
            for w in _WORD.findall(spelling):
                if len(w) >= 4 and w not in standard and w.lower().replace("-", "") in folded:
                    for pid, note, text in texts:
                        if re.search(rf"\b{re.escape(w)}\b", text):
                            variants[w].append((pid, note))
        for word, places in sorted(variants.items()):
            places = sorted(set(places), key=lambda x: (x[0], x[1] or 0))
            notes = tuple(sorted({n for _, n in places if n is not None}))
            passages = tuple(sorted({p for p, n in places if n is None}))
            where = ", ".join([f"passage {p}" for p in passages] + [f"note {n}" for n in notes])
            only_form = word.lower().replace("-", "") in folded
            yield Finding(
                "NAME_VARIANT", INFO if only_form else WARNING,
                f"“{word}” ({where}) is not the standard form of {name}"
                + (" (a different romanization or hyphenation)." if only_form else "; it may be a misspelling."),
                notes, passages or tuple(sorted({p for p, _ in places})),
                details={"person": person_id, "standard": name, "spelling": word},
            )


_QUOTED = re.compile(r"“([^”]{3,2000})”")


def check_quotes(corpus: Corpus) -> Iterator[Finding]:
    """A quotation in the essay that no cited document's recorded quotes contain."""
    recorded: dict[str, list[str]] = defaultdict(list)
    for doc in corpus.documents:
        for q in doc.quotes:
            recorded[q.passage].append(q.text)
    for passage in corpus.essay.body_passages:
        for m in _QUOTED.finditer(passage.text):
            quote = m.group(1).strip()
            words = len(quote.split())
            if words < 4:
                continue  # a phrase in scare quotes, not a quotation
            if any(quote in r or r in quote for r in recorded.get(passage.id, ())):
                continue
            following = [mk.number for mk in passage.markers if mk.offset >= m.end() - 1]
            notes = tuple(following[:1])
            yield Finding(
                "UNTRACED_QUOTE", INFO,
                f"The quotation “{shorten(quote, 70)}” in passage {passage.id} is not traced to any cited document"
                + (f" (the next note is {notes[0]})." if notes else "."),
                notes, (passage.id,), details={"quote": quote},
            )


def check_secondary_only(corpus: Corpus, notes: list[ParsedNote]) -> Iterator[Finding]:
    """Documents a note cites only as seen in another work ("Cited in ...")."""
    for note in notes:
        for c in note.citations:
            if c.kind != DOCUMENT:
                continue
            via = [note.citations[r.target] for r in c.relations if r.kind == VIA]
            if not via:
                continue
            work = via[0]
            unpublished = work.kind == MANUSCRIPT
            label = _work_label(work)
            doc_ids = tuple(d for d in corpus.documents_by_footnote.get(note.number, ()))
            yield Finding(
                "SECONDARY_ONLY", WARNING if unpublished else INFO,
                f"Note {note.number} cites {_doc_text(c)} only as seen in "
                f"{'an unpublished work, ' if unpublished else ''}{label}: the claim rests on the author's "
                "reading of that work, not on the archival file itself.",
                (note.number,), passages_of(corpus, [note.number]), doc_ids,
                details={"via": label},
            )


def check_ibid(corpus: Corpus, notes: list[ParsedNote]) -> Iterator[Finding]:
    """An Ibid. whose strict reading and evident intent differ, or that follows a note citing several works."""
    for note in notes:
        for c in note.citations:
            if c.kind != IBID or c.ibid is None:
                continue
            ibid = c.ibid
            strict = ibid.strict.label if ibid.strict else "nothing (the note before cites no work)"
            passages = passages_of(corpus, [note.number])
            if ibid.intended and (ibid.strict is None or ibid.intended.key != ibid.strict.key):
                yield Finding(
                    "IBID_INTENT", ERROR,
                    f"Note {note.number}: “{c.text.strip()}” strictly refers to {strict}, but the notes around it "
                    f"show the author meant {ibid.intended.label}." + (f" {ibid.reason}" if ibid.reason else ""),
                    (note.number,), passages, tuple(corpus.documents_by_footnote.get(note.number, ())),
                    details={"strict": ibid.strict.key if ibid.strict else None, "intended": ibid.intended.key},
                )
            elif ibid.ambiguous:
                works = "; ".join(w.label for w in ibid.candidates)
                yield Finding(
                    "IBID_AMBIGUOUS", WARNING,
                    f"Note {note.number}: “{c.text.strip()}” follows note {note.number - 1}, which cites several "
                    f"works ({works}); read strictly it means {strict}. Say which work is meant.",
                    (note.number,), passages, tuple(corpus.documents_by_footnote.get(note.number, ())),
                    details={"candidates": [w.key for w in ibid.candidates]},
                )


# A note that describes a body of sources, where they are held or how they were published, points the
# reader to them even though it cites no one work: "A collection of captured North Korean documents has long
# been available in the National Archives of the United States".
_DESCRIBES_SOURCES = re.compile(
    r"\b(?:archives?|collections?|records|documents|papers|files)\b[^.]{0,200}?"
    r"\b(?:available|held|kept|preserved|published|declassified|deposited)\b"
    r"|\b(?:available|held|kept|preserved|published|declassified|deposited)\b[^.]{0,200}?"
    r"\b(?:archives?|collections?)\b",
    re.IGNORECASE,
)


def check_no_source(corpus: Corpus, notes: list[ParsedNote]) -> Iterator[Finding]:
    """A note that cites nothing: the author's own comment stands unsupported.

    A note that describes a body of documents and where it is held or
    published (an archive's collection) is a pointer to sources, not an
    unsupported comment, unless the corpus records it as commentary.
    """
    for note in notes:
        if note.citations and all(c.kind == COMMENTARY for c in note.citations):
            reason = corpus.manifest.commentary.get(note.number)
            if reason is None and _DESCRIBES_SOURCES.search(note.text):
                continue
            yield Finding(
                "NO_SOURCE", INFO,
                f"Note {note.number} cites no source"
                + (f" (recorded as commentary: {reason})" if reason else "; the claim it carries rests on the "
                   "author's word alone.") ,
                (note.number,), passages_of(corpus, [note.number]),
            )


def check_pages(corpus: Corpus, notes: list[ParsedNote]) -> Iterator[Finding]:
    """Pages cited from a work that fall outside the work's own page range.

    A work's range is known where a note cites it in full with a range (an
    article "1-9", a chapter "61-92"). An Ibid. is checked under both its
    strict and its intended reading.
    """
    by_number = {n.number: n for n in notes}
    for note in notes:
        for c in note.citations:
            cited = page_range(c.pages)
            if cited is None:
                continue
            refs = []
            if c.kind == IBID and c.ibid:
                refs = [(r, how) for r, how in ((c.ibid.strict, "strictly"), (c.ibid.intended, "as intended")) if r]
            elif c.refers_to:
                refs = [(c.refers_to, "")]
            for ref, how in refs:
                full_note = by_number.get(ref.note)
                if full_note is None or ref.index >= len(full_note.citations):
                    continue
                full = full_note.citations[ref.index]
                if full.kind not in (ARTICLE, BULLETIN_ARTICLE, CHAPTER) or full is c:
                    continue
                span = page_range(full.pages)
                if span is None or span[0] == span[1]:
                    continue
                if not (span[0] <= cited[0] and cited[1] <= span[1]):
                    yield Finding(
                        "PAGES_OUT_OF_RANGE", WARNING,
                        f"Note {note.number} cites p{'p' * (cited[0] != cited[1])}. {c.pages} of {ref.label}"
                        f"{' (reading the Ibid. ' + how + ')' if how else ''}, but note {ref.note} gives that "
                        f"work's pages as {full.pages}.",
                        (note.number, ref.note), passages_of(corpus, [note.number]),
                        details={"work": ref.key, "pages": c.pages, "range": full.pages},
                    )


def _doc_text(c: Citation) -> str:
    d = c.document
    if d is None:
        return "a document"
    parts = [d.title or d.kind or "a document"]
    if d.date and d.title and d.date_text and d.date_text not in d.title:
        parts.append(d.date_text)
    return "“" + ", ".join(parts) + "”"


def _work_label(c: Citation) -> str:
    w = c.work
    if w is None:
        return "another work"
    who = ", ".join(w.authors) if w.authors else ""
    title = f"“{w.title}”" if w.title else (w.container or "an untitled work")
    return f"{who}, {title}" if who else title


def check_locations(corpus: Corpus, notes: list[ParsedNote]) -> Iterator[Finding]:
    """The same archival file cited in several notes; one document cited at different locations."""
    by_file: dict[str, set[int]] = defaultdict(set)
    folios: dict[tuple[str, int], set[str]] = defaultdict(set)  # (file, note) -> folios cited
    for note in paced(notes, 16):
        for key in note.location_keys():
            by_file[key].add(note.number)
        for c in note.citations:
            for loc in c.locations:
                if loc.listy:
                    folios[(loc.key, note.number)].add(loc.listy)
    for key, numbers in paced(sorted(by_file.items()), 16):
        if len(numbers) > 1:
            ordered = tuple(sorted(numbers))
            docs = tuple(sorted({d for n in ordered for d in corpus.documents_by_footnote.get(n, ())
                                 if any(loc.key == key for loc in corpus.document_by_id[d].locations)}))
            # Notes citing the very same folios of the file (the same document twice, or two in one place).
            by_folio: dict[str, list[int]] = defaultdict(list)
            for n in ordered:
                for folio in sorted(folios.get((key, n), ())):
                    by_folio[folio].append(n)
            same = {f: ns for f, ns in by_folio.items() if len(ns) > 1}
            same_text = "".join(
                f" {notes_phrase(ns).capitalize()} cite the identical folio{'s' * ('-' in f)} {f} of that file."
                for f, ns in sorted(same.items(), key=lambda x: (x[1], x[0])))
            yield Finding(
                "SAME_FILE", INFO,
                f"The archival file {key} is cited in {notes_phrase(ordered)}"
                + (f" ({len(docs)} recorded document{'s' * (len(docs) != 1)})." if docs else ".") + same_text,
                ordered, passages_of(corpus, ordered), docs,
                details={"file": key, "folios": {str(n): sorted(folios.get((key, n), ())) for n in ordered},
                         "identical_folios": {f: ns for f, ns in same.items()}},
            )
    # One document at several locations: in the records, and among the notes'
    # own citations of the same document (same kind, correspondents and date).
    seen: dict[str, set[tuple[str, str | None]]] = defaultdict(set)
    where: dict[str, set[int]] = defaultdict(set)
    for note in paced(notes, 16):
        for c in note.documents():
            d = c.document
            if d is None or not d.date or not c.locations:
                continue
            ident = f"{d.kind}|{d.sender}|{d.recipient}|{','.join(d.parties)}|{d.date}"
            for loc in c.locations:
                seen[ident].add((loc.key, loc.listy))
            where[ident].add(note.number)
    reported: set[tuple[int, ...]] = set()
    for ident, places in paced(seen.items(), 16):
        if len(places) > 1:
            cited_in = tuple(sorted(where[ident]))
            reported.add(cited_in)
            shown = "; ".join(sorted(f"{k} {lst or ''}".strip() for k, lst in places))
            yield Finding(
                "LOCATION_DIFFERS", WARNING,
                f"The same document is cited at different archival locations in {notes_phrase(cited_in)}: {shown}.",
                cited_in, passages_of(corpus, cited_in), details={"document": ident},
            )
    for doc in corpus.documents:
        if len({(loc.key, loc.listy) for loc in doc.locations}) > 1 and doc.footnotes not in reported:
            shown = "; ".join(sorted({loc.short() for loc in doc.locations}))
            yield Finding(
                "LOCATION_DIFFERS", WARNING,
                f"{doc.title} is cited at different archival locations: {shown}.",
                doc.footnotes, passages_of(corpus, doc.footnotes), (doc.id,),
            )




def check_unparsed(corpus: Corpus, notes: list[ParsedNote]) -> Iterator[Finding]:
    """What the citation parser could not read in a note: a failure it recorded (``ParsedNote.problems``:
    the note kept whole as commentary, or its Ibid. and short forms left unresolved) or text past
    :data:`MAX_NOTE_CHARS` it did not read. Its citations are not (all) checked, so the reader is told.
    """
    for note in notes:
        said = list(note.problems)
        if note.truncated:
            said.append(f"it is longer than {MAX_NOTE_CHARS:,} characters and only the first {MAX_NOTE_CHARS:,} "
                        "were read")
        if not said:
            continue
        yield Finding(
            "NOTE_UNPARSED", WARNING if note.problems else INFO,
            f"Note {note.number} was not read in full: {'; '.join(said)}. The audit did not check what it could "
            "not read: check the note's citations by hand.",
            (note.number,), passages_of(corpus, [note.number]), details={"problems": said},
        )
