"""Editorial checks of the notes, after the Chicago Manual of Style (17th ed.).

Each finding names its rule (``Finding.rule``): chapter 14 for the forms of
notes (short forms 14.29-14.33, *ibid.* 14.34, locators), chapter 6 for
punctuation in pairs and chapter 13 for quotations. The checks read the
notes' own words through the citation parser; they never change them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from explorer.core.audit.findings import INFO, WARNING, Finding, notes_phrase, passages_of
from explorer.core.citations import IBID, WORK_KINDS, Citation, ParsedNote, work_key
from explorer.core.model import Corpus
from explorer.core.pausing import paced
from explorer.core.text import shorten

RULE_SHORT_FORM = "CMOS 14.29 (short forms for later citations of a work)"
RULE_LOCATOR = "CMOS ch. 14, notes: page numbers and other locators"
RULE_IBID = "CMOS 14.34 (ibid.)"
RULE_PAIRS = "CMOS ch. 6, punctuation: parentheses, brackets and quotation marks in pairs"
RULE_QUOTATION = "CMOS ch. 13 (quotations: the source of each is given) and ch. 14 (source citations)"


def _work_citations(note: ParsedNote) -> Iterator[tuple[Citation, str]]:
    """(citation, work key) for each citation of a publication or Ibid. in the note."""
    for c in note.citations:
        if c.kind in WORK_KINDS or c.kind == IBID:
            key = work_key(c)
            if key:
                yield c, key


def check_full_repeated(corpus: Corpus, notes: list[ParsedNote]) -> Iterator[Finding]:
    """A work cited in full again after the note that first cited it in full (a short form is due)."""
    full: dict[str, list[int]] = defaultdict(list)
    labels: dict[str, str] = {}
    for note in notes:
        for c, key in _work_citations(note):
            if c.kind != IBID and c.work and not c.work.short_form and note.number not in full[key]:
                full[key].append(note.number)
                labels.setdefault(key, c.work.title or key)
    for key, numbers in full.items():
        if len(numbers) < 2:
            continue
        first, later = numbers[0], numbers[1:]
        yield Finding(
            "FULL_CITATION_REPEATED", INFO,
            f"“{shorten(labels[key], 70)}” is cited in full in note {first} and again in full in "
            f"{notes_phrase(later)}: after the first note a short form (author's surname, short title, page) "
            "is due.",
            tuple(numbers), passages_of(corpus, numbers),
            details={"work": key, "first": first, "repeated": later}, rule=RULE_SHORT_FORM,
        )


def check_missing_pages(corpus: Corpus, notes: list[ParsedNote]) -> Iterator[Finding]:
    """A citation with no page where other citations of the same work give one.

    An *ibid.* without a page means the page cited just before, so it is
    flagged only where the note before does not cite the same work.
    """
    with_pages: dict[str, list[tuple[int, str]]] = defaultdict(list)
    without: dict[str, list[tuple[ParsedNote, Citation]]] = defaultdict(list)
    keys_by_note: dict[int, set[str]] = {}
    for note in notes:
        keys_by_note[note.number] = {key for _, key in _work_citations(note)}
        for c, key in _work_citations(note):
            if c.pages:
                with_pages[key].append((note.number, c.pages))
            else:
                without[key].append((note, c))
    for key, missing in without.items():
        if not with_pages.get(key):
            continue
        for note, c in missing:
            if c.kind == IBID and key in keys_by_note.get(note.number - 1, set()):
                continue  # "Ibid." alone: the same page as the note before
            given = "; ".join(f"note {n}: {p}" for n, p in with_pages[key][:4])
            yield Finding(
                "PAGE_MISSING", INFO,
                f"Note {note.number} cites “{shorten(c.text.strip(), 60)}” with no page, where other notes give "
                f"pages of the same work ({given}).",
                (note.number,), passages_of(corpus, [note.number]),
                details={"work": key, "citation": c.text.strip(), "pages_elsewhere": given}, rule=RULE_LOCATOR,
            )


_IBID = re.compile(r"(?P<word>ibid)(?P<dot>\.?)(?P<comma>,?)(?P<space>\s*)(?P<rest>\S?)", re.IGNORECASE)


def ibid_problems(note_text: str, start: int, text: str) -> list[str]:
    """What is wrong with the form of one *ibid.* (its text *text* starts at *start* in the note)."""
    found = _IBID.match(text.strip())
    if found is None:
        return []
    problems = []
    before = note_text[:start].rstrip()
    sentence_start = not before or before[-1] in ".?!"
    word = found.group("word")
    if word not in ("Ibid", "ibid"):
        problems.append(f"“{word}” is in mixed or upper case (Ibid., or ibid. within a sentence)")
    elif sentence_start and word == "ibid":
        problems.append("“ibid.” opens a sentence, so it is capitalised (Ibid.)")
    elif not sentence_start and word == "Ibid":
        problems.append("“Ibid.” within a sentence is lower case (ibid.)")
    if not found.group("dot"):
        problems.append("the abbreviation has no full stop (Ibid.)")
    if found.group("rest") and found.group("rest") not in ",;)" and not found.group("comma"):
        problems.append("no comma between “Ibid.” and the page (Ibid., 14)")
    return problems


def check_ibid_form(corpus: Corpus, notes: list[ParsedNote]) -> Iterator[Finding]:
    """An *ibid.* with a missing full stop, a missing comma before the page, or the wrong capital."""
    for note in notes:
        for c in note.citations:
            if c.kind != IBID:
                continue
            problems = ibid_problems(note.text, c.start, c.text)
            if problems:
                yield Finding(
                    "IBID_FORM", INFO,
                    f"Note {note.number}: “{c.text.strip()}”: " + "; ".join(problems) + ".",
                    (note.number,), passages_of(corpus, [note.number]),
                    details={"citation": c.text.strip(), "problems": problems}, rule=RULE_IBID,
                )


_PAIRS = (("(", ")", "parentheses"), ("[", "]", "square brackets"), ("“", "”", "quotation marks"))


def unbalanced(text: str) -> list[str]:
    """Which pairs of marks in *text* do not close or open: "1 “(” with no “)”"."""
    out = []
    for opening, closing, name in _PAIRS:
        depth, unopened = 0, 0
        for ch in text:
            if ch == opening:
                depth += 1
            elif ch == closing:
                if depth:
                    depth -= 1
                else:
                    unopened += 1
        if depth:
            out.append(f"{depth} “{opening}” not closed ({name})")
        if unopened:
            out.append(f"{unopened} “{closing}” with no “{opening}” before it ({name})")
    if text.count('"') % 2:
        out.append("an odd number of straight quotation marks (\")")
    return out


def check_unbalanced(corpus: Corpus, notes: list[ParsedNote]) -> Iterator[Finding]:
    """A note whose parentheses, brackets or quotation marks do not pair up."""
    for note in paced(notes, 4):
        problems = unbalanced(note.text)
        if problems:
            yield Finding(
                "UNBALANCED_MARKS", WARNING,
                f"Note {note.number}: " + "; ".join(problems) + ".",
                (note.number,), passages_of(corpus, [note.number]),
                details={"problems": problems}, rule=RULE_PAIRS,
            )


_QUOTATION = re.compile(r"“([^”]{3,2000})”")


def check_quote_without_note(corpus: Corpus) -> Iterator[Finding]:
    """A quotation in the text (four words or more) in a paragraph with no note."""
    for passage in corpus.essay.body_passages:
        if passage.markers:
            continue
        quotes = [m.group(1).strip() for m in _QUOTATION.finditer(passage.text)]
        quotes = [q for q in quotes if len(q.split()) >= 4]  # shorter: a phrase in scare quotes
        if quotes:
            shown = "; ".join(f"“{shorten(q, 60)}”" for q in quotes)
            yield Finding(
                "QUOTE_WITHOUT_NOTE", INFO,
                f"Passage {passage.id} quotes {shown} but has no note: the reader cannot tell where the "
                "words come from.",
                (), (passage.id,), details={"quotes": quotes}, rule=RULE_QUOTATION,
            )
