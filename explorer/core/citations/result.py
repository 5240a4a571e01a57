"""The parser's result: citation kinds and roles, and the records a note is read into."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field

from explorer.core.model import ArchivalLocation

MAX_NOTE_CHARS = 20_000  # a note longer than this is read up to here (ParsedNote.truncated)

# Citation kinds.
DOCUMENT = "document"  # a primary document: telegram, record of conversation, report, or a bare archive file
BOOK = "book"
CHAPTER = "chapter"  # a chapter in an edited book
ARTICLE = "article"  # a journal article
BULLETIN_ARTICLE = "bulletin-article"
PERIODICAL = "periodical"  # an issue of a journal or bulletin cited without an article ("CWIHP Bulletin 6/7")
WORKING_PAPER = "working-paper"
MANUSCRIPT = "manuscript"
WORK = "work"  # a publication whose type the note does not show (an unresolved short form)
IBID = "ibid"
COMMENTARY = "commentary"  # the author's own words, citing nothing
WORK_KINDS = frozenset(
    {BOOK, CHAPTER, ARTICLE, BULLETIN_ARTICLE, PERIODICAL, WORKING_PAPER, MANUSCRIPT, WORK}
)

# Roles: why a citation is in the note.
CITED = "cited"  # the author's source
IN = "in"  # the work a preceding document is found in ("Telegram ..., 29 May 1950. Ibid, pp. 13-14.")
VIA = "via"  # where the author saw the preceding citation ("Cited in")
PUBLISHED_IN = "published_in"  # where a reader finds the text ("For the full text / a translation, see")
SEE = "see"  # further reading ("For a fuller discussion ..., see", "See also")
RELATION_ROLES = frozenset({IN, VIA, PUBLISHED_IN, SEE})


# -- the result ------------------------------------------------------------


def _intern(record: object, names: tuple[str, ...]) -> None:
    """Share the strings of *names* between records (``sys.intern``): archives, folios, dates, names and
    work keys recur across the notes of an essay, and 50,000 notes otherwise hold each its own copies."""
    for name in names:
        value = getattr(record, name)
        if value:
            object.__setattr__(record, name, sys.intern(value))


@dataclass(frozen=True, slots=True)
class ArchivalRef:
    """One archival location, read into its parts.

    ``archive`` is the normalised abbreviation ("AVPRF", "APRF", "RGASPI",
    "TsAMO" ...), or "?" when the note names no archive. ``start``/``end``
    index the note text, ``as_cited`` is the note's own words.
    """

    archive: str
    fond: str | None = None
    opis: str | None = None
    delo: str | None = None
    papka: str | None = None
    listy: str | None = None  # one folio ("45") or a range ("87-91")
    as_cited: str = ""
    start: int = 0
    end: int = 0


    def __post_init__(self) -> None:
        _intern(self, ('archive', 'fond', 'opis', 'delo', 'papka', 'listy'))

    def to_location(self, footnote: int | None = None) -> ArchivalLocation:
        """The corpus model's record for this location."""
        return ArchivalLocation(self.archive, self.fond, self.opis, self.delo, self.papka, self.listy,
                                self.as_cited or None, footnote)

    @property
    def key(self) -> str:
        """The file's normal form, as :attr:`ArchivalLocation.key`: "AVPRF:f059a:op5a:d3:p11"."""
        return self.to_location().key

    def short(self) -> str:
        """The short form: "AVPRF, f. 059a, op. 5a, d. 3, p. 11, ll. 87-91"."""
        return self.to_location().short()


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What a note says about a primary document."""

    kind: str | None = None  # "ciphered-telegram", "telegram", "record-of-conversation", "conversation",
    #                          "report", "letter", "memorandum", ...; None for a bare archive reference
    title: str | None = None  # the note's description, up to the date
    sender: str | None = None
    sender_gloss: str | None = None  # the editor's "[Soviet Ambassador to the DPRK]", apart from the name
    recipient: str | None = None
    recipient_gloss: str | None = None
    parties: tuple[str, ...] = ()  # for conversations: "between X and Y"
    author: str | None = None  # "Prepared by ..."
    date: str | None = None  # ISO "1949-09-03", "1950-06" or an interval "1950-03-30/1950-04-25"
    date_text: str | None = None
    note: str | None = None  # a parenthesis in the description: "in reply to telegram of 11 September"


    def __post_init__(self) -> None:
        _intern(self, ('kind', 'sender', 'sender_gloss', 'recipient', 'recipient_gloss', 'date', 'date_text'))


@dataclass(frozen=True, slots=True)
class WorkInfo:
    """What a note says about a publication."""

    authors: tuple[str, ...] = ()
    editors: tuple[str, ...] = ()
    title: str | None = None
    container: str | None = None  # the journal, bulletin or edited book
    series: str | None = None
    volume: str | None = None
    issue: str | None = None
    number: str | None = None  # a working paper's number
    place: str | None = None
    publisher: str | None = None
    year: int | None = None
    date: str | None = None  # as written: "Spring 1995", "July 2002"
    url: str | None = None
    note: str | None = None  # e.g. "based on records from the Presidential Archive of Russia"
    short_form: bool = False  # cited without its publication facts (a later mention)
    idem: bool = False  # written "Idem": the authors are those of the work before


@dataclass(frozen=True, slots=True)
class Relation:
    """From a citation to another of the same note: ``kind`` is a role (IN, VIA, PUBLISHED_IN, SEE)."""

    kind: str
    target: int  # index of the related citation in the note
    phrase: str  # the note's words: "Cited in", "For the full text of these documents, see"


@dataclass(frozen=True, slots=True)
class WorkRef:
    """A work as cited in a note: its normalised key, a label, and where it is cited in full."""

    key: str
    label: str
    note: int
    index: int


    def __post_init__(self) -> None:
        _intern(self, ('key', 'label'))


@dataclass(frozen=True, slots=True)
class IbidResolution:
    """What an "Ibid." refers to.

    ``strict`` is the reading Chicago style defines (the last work of the
    preceding note, or the preceding citation in the same note); ``intended``
    is set only where the surrounding notes show the author meant another
    work, with the ``reason``. ``ambiguous`` flags an Ibid. after a note that
    cites several works; ``candidates`` are those works.
    """

    strict: WorkRef | None
    intended: WorkRef | None = None
    reason: str | None = None
    ambiguous: bool = False
    candidates: tuple[WorkRef, ...] = ()

    @property
    def work(self) -> WorkRef | None:
        """The best reading: the intended work where there is one, else the strict one."""
        return self.intended or self.strict


@dataclass(frozen=True, slots=True)
class Citation:
    """One citation (or one run of commentary) in a note.

    ``text`` is ``note_text[start:end]``. ``pages`` are the pages cited
    (for an Ibid. its own pages; ``folios`` when written "l."/"ll.").
    ``relations`` point from this citation to the works it is cited in, via
    or published in; the target's ``role`` says the same from its side.
    """

    note: int
    index: int
    kind: str
    text: str
    start: int
    end: int
    role: str = CITED
    signal: str | None = None  # the words that introduce it: "See", "Cited in", "For the full text ..., see"
    document: DocumentInfo | None = None
    work: WorkInfo | None = None
    pages: str | None = None
    folios: bool = False
    locations: tuple[ArchivalRef, ...] = ()
    relations: tuple[Relation, ...] = ()
    ibid: IbidResolution | None = None  # set by parse_notes
    refers_to: WorkRef | None = None  # a short form's full citation, set by parse_notes


@dataclass(frozen=True, slots=True)
class ParsedNote:
    number: int
    text: str
    citations: tuple[Citation, ...]
    abbreviations: Mapping[str, str] = field(default_factory=dict)  # "[hereafter AVPRF]": abbr. -> archive
    problems: tuple[str, ...] = ()
    truncated: bool = False

    def location_keys(self) -> frozenset[str]:
        """The archival files the note cites."""
        return frozenset(loc.key for c in self.citations for loc in c.locations)

    def document_dates(self) -> tuple[str, ...]:
        """The dates of the primary documents, in order (those the note dates)."""
        return tuple(c.document.date for c in self.citations if c.document and c.document.date)

    def cited_works(self, *, intended: bool = True) -> tuple[WorkRef, ...]:
        """The publications cited, each once, in order, Ibid. and short forms resolved to the full citation
        (``note``/``index`` point to it; its fields give the title). An Ibid. that means an archival file
        gives an "archive:" key."""
        from explorer.core.citations.keys import _label, _work_key_of  # keys are built from these records

        refs: dict[str, WorkRef] = {}
        for c in self.citations:
            ref = None
            if c.kind == IBID and c.ibid:
                ref = c.ibid.work if intended else c.ibid.strict
            elif c.kind in WORK_KINDS and c.work:
                ref = c.refers_to or WorkRef(_work_key_of(c.work), _label(c.work), self.number, c.index)
            if ref:
                refs.setdefault(ref.key, ref)
        return tuple(refs.values())

    def work_keys(self, *, intended: bool = True) -> tuple[str, ...]:
        """The keys of :meth:`cited_works`."""
        return tuple(ref.key for ref in self.cited_works(intended=intended))

    def documents(self) -> tuple[Citation, ...]:
        return tuple(c for c in self.citations if c.kind == DOCUMENT)

    def works(self) -> tuple[Citation, ...]:
        """Citations of publications, including Ibid."""
        return tuple(c for c in self.citations if c.kind in WORK_KINDS or c.kind == IBID)
