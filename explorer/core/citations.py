"""Footnote citations: split a note into its citations, classify them, read their fields.

Qt-free and independent of the curated corpus: everything here is read from
the note's own words. :func:`parse_note` reads one note; :func:`parse_notes`
reads a run of notes in essay order and resolves what depends on earlier
notes: *Ibid.*, *Idem* and short forms ("Weathersby, 'To Attack,' 3.").

How a note is read
    1. Archival locations are found first ("AVPRF, Fond 059a, Opis 5a, Delo 3,
       Papka 11, Listy 87-91", "APRF, f. 45, op. 1, d. 329, ll. 9-17",
       "АВП РФ. Ф. 059а. Оп. 5а. ...") so that their periods never end a sentence.
    2. The note is cut into pieces at semicolons, at sentence ends (not after
       initials, "pp.", "No.", "D.C.", "eds." ..., and never inside quotation
       marks, brackets or parentheses), before ", cited in" and between two
       works joined by "and" after their publication facts.
    3. Each piece is read as, in this order: a relation phrase that attaches
       it to the citations before it ("Cited in", "For the full text of these
       documents, see", "For a fuller discussion ..., see"); "Ibid."; a
       primary document (it opens with a kind of document, is "Stalin to Mao,
       1 October 1950", or gives an archival location); a publication (book,
       chapter, article, bulletin article, working paper, manuscript);
       otherwise commentary. "Available online at ..." and "Prepared by ..."
       add to the citation before them.

Nothing here raises on bad input: a note is cut to :data:`MAX_NOTE_CHARS`,
every pattern is bounded, and a parser failure (a bug) is reported in
:attr:`ParsedNote.problems` rather than raised.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from itertools import accumulate

from explorer.core.model import ArchivalLocation
from explorer.core.text import shorten

MAX_NOTE_CHARS = 20_000  # a note longer than this is read up to here (ParsedNote.truncated)
SERIES_WINDOW = 20  # how many notes back an Ibid. looks for the same series of documents

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


# -- text layout: what is inside quotes and brackets -----------------------

_MAX_SPAN = 1000  # a quote or parenthesis longer than this is taken as unbalanced


@dataclass(slots=True)
class _Layout:
    mask: bytes  # 1 where a character is inside a quotation, parenthesis or bracket (or a location)
    quotes: list[tuple[int, int]]
    parens: list[tuple[int, int]]
    stray_closers: list[int]  # ")" without an opener

    def top(self, i: int) -> bool:
        return 0 <= i < len(self.mask) and not self.mask[i]


def _layout(text: str, extra: Iterable[tuple[int, int]] = ()) -> _Layout:
    """Find balanced “…”, "…", ‘…’, (…) and […] spans; unbalanced ones are ignored."""
    n = len(text)
    quotes: list[tuple[int, int]] = []
    parens: list[tuple[int, int]] = []
    brackets: list[tuple[int, int]] = []
    stray: list[int] = []
    paren_stack: list[int] = []
    bracket_stack: list[int] = []
    double: int | None = None
    straight: int | None = None
    single: int | None = None
    for i, ch in enumerate(text):
        if ch == "(":
            paren_stack.append(i)
        elif ch == ")":
            if paren_stack:
                s = paren_stack.pop()
                if i - s < _MAX_SPAN:
                    parens.append((s, i + 1))
            else:
                stray.append(i)
        elif ch == "[":
            bracket_stack.append(i)
        elif ch == "]":
            if bracket_stack:
                s = bracket_stack.pop()
                if i - s < _MAX_SPAN:
                    brackets.append((s, i + 1))
        elif ch == "“":
            if double is None or i - double > _MAX_SPAN:
                double = i
        elif ch == "”":
            if double is not None:
                if i - double < _MAX_SPAN:
                    quotes.append((double, i + 1))
                double = None
        elif ch == '"':
            if straight is None or i - straight > _MAX_SPAN:
                straight = i
            else:
                quotes.append((straight, i + 1))
                straight = None
        elif ch in "‘’'":
            # ’ and ' are also apostrophes: a quote opens after a space and closes before one.
            prev = text[i - 1] if i else " "
            nxt = text[i + 1] if i + 1 < n else " "
            if single is not None and ch in "’'" and not nxt.isalnum() and not prev.isspace():
                if i - single < _MAX_SPAN:
                    quotes.append((single, i + 1))
                single = None
            elif ch in "‘'" and (prev.isspace() or prev in "([") and not nxt.isspace() and nxt != ch:
                single = i
    diff = [0] * (n + 1)
    for s, e in (*quotes, *parens, *brackets, *extra):
        s, e = max(0, s), min(n, e)
        if s < e:
            diff[s] += 1
            diff[e] -= 1
    mask = bytes(1 if d > 0 else 0 for d in accumulate(diff[:n]))
    quotes.sort()
    parens.sort()
    return _Layout(mask, quotes, parens, stray)


def _find_top(text: str, lay: _Layout, needle: str, start: int = 0, end: int | None = None) -> int:
    """The first occurrence of *needle* outside quotes and brackets, or -1."""
    end = len(text) if end is None else end
    i = text.find(needle, start, end)
    while i != -1 and not lay.top(i):
        i = text.find(needle, i + 1, end)
    return i


# -- small text helpers ----------------------------------------------------

_WS = re.compile(r"\s+")
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "−": "-"})
_LOWER_CYRILLIC = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ("a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
     "f", "kh", "ts", "ch", "sh", "shch", "-", "y", "-", "e", "iu", "ia"),
    strict=True,
))
_CYRILLIC_TO_LATIN = str.maketrans({
    **{k: ("" if v == "-" else v) for k, v in _LOWER_CYRILLIC.items()},
    **{k.upper(): ("" if v == "-" else v.capitalize()) for k, v in _LOWER_CYRILLIC.items()},
})


def _clean(text: str) -> str:
    return _WS.sub(" ", text).strip()


_ABBREV_END = re.compile(
    r"(?<![\w])(?:(?:[A-Z]\.){1,3}|(?:St|Co|Inc|Ltd|Jr|Sr|Mass|Calif|Conn|Ill|Penn|Md|Va|Wash|Mich|Minn|Wis)\.)$"
)


def _strip_punct(text: str, chars: str = " ,.;:") -> str:
    """Trim punctuation, keeping the period of a closing abbreviation ("Princeton, N.J.")."""
    text = _clean(text).lstrip(chars)
    trimmed = text.rstrip(chars)
    if text[len(trimmed):len(trimmed) + 1] == "." and _ABBREV_END.search(trimmed + "."):
        trimmed += "."
    return trimmed.strip()


def _fold(text: str) -> str:
    """Lower-case ASCII words for keys: accents, apostrophes and punctuation dropped."""
    text = unicodedata.normalize("NFKD", text.translate(_CYRILLIC_TO_LATIN))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[’'`]", "", text.lower())
    return " ".join(re.findall(r"[a-z0-9]+(?:/[a-z0-9]+)?", text))


# -- archival locations ----------------------------------------------------

_ARCHIVES = {
    "AVPRF": ("AVPRF", "AVP RF", "АВП РФ", "АВПРФ"),
    "APRF": ("APRF", "AP RF", "АП РФ", "АПРФ"),
    "RGASPI": ("RGASPI", "РГАСПИ"),
    "RGANI": ("RGANI", "РГАНИ"),
    "GARF": ("GARF", "ГАРФ"),
    "TsAMO": ("TsAMO RF", "TsAMO", "TSAMO", "ЦАМО РФ", "ЦАМО"),
    "RGAE": ("RGAE", "РГАЭ"),
    "RGVA": ("RGVA", "РГВА"),
    "TsKhSD": ("TsKhSD", "ЦХСД"),
    "RTsKhIDNI": ("RTsKhIDNI", "РЦХИДНИ"),
}
_ALIAS = {_clean(alias).replace(" ", "").upper(): canonical for canonical, aliases in _ARCHIVES.items()
          for alias in aliases}
_ARCHIVE_ABBREV = re.compile(
    r"(?<![\w])(?:"
    + "|".join(re.escape(a).replace(r"\ ", r"\s?")
               for a in sorted({a for v in _ARCHIVES.values() for a in v}, key=len, reverse=True))
    + r")(?![\w])"
)
_LONG_NAMES = (
    (r"Archive\s+of\s+(?:the\s+)?Foreign\s+(?:Policy|Relations)\s+of\s+the\s+Russian\s+Federation", "AVPRF"),
    (r"Archive\s+of\s+the\s+President\s+of\s+the\s+Russian\s+Federation", "APRF"),
    (r"Presidential\s+Archive\s+of\s+the\s+Russian\s+Federation", "APRF"),
    (r"Russian\s+State\s+Archive\s+of\s+Soci(?:al|o)[-\s]Political\s+History", "RGASPI"),
    (r"Russian\s+State\s+Archive\s+of\s+Contemporary\s+History", "RGANI"),
    (r"State\s+Archive\s+of\s+the\s+Russian\s+Federation", "GARF"),
    (r"Central\s+Archive\s+of\s+the\s+(?:Russian\s+)?Ministry\s+of\s+Defen[cs]e"
     r"(?:\s+of\s+the\s+Russian\s+Federation)?", "TsAMO"),
)
_LONG_NAME = re.compile("|".join(f"(?P<a{i}>{p})" for i, (p, _) in enumerate(_LONG_NAMES)), re.IGNORECASE)
_HEREAFTER = re.compile(
    r"[\[(]\s{0,3}(?:hereafter|henceforth)(?:\s+(?:cited\s+as|referred\s+to\s+as|as))?\s{0,3}:?\s{0,3}"
    r"(?P<abbr>[^\s\])][^\])]{0,30}?)\s{0,3}[\])]",
    re.IGNORECASE,
)
_ARCHIVE_WORD = re.compile(r"[A-ZА-ЯЁ][\w’'-]{0,40}|of|the|for|and|on|de|in")

_LABELS = {"f": 0, "op": 1, "d": 2, "p": 3, "l": 4}
_VALUE = r"(?:[A-Za-zА-Яа-яЁё]{1,2}-)?\d{1,6}[A-Za-zА-Яа-яЁё]?(?![\w])"
_FOLIO_LETTER = r"(?:[a-zа-я](?![a-zа-я]))?"  # "12a", but not the "o" of "12ob."
_FOLIOS = (rf"\d{{1,5}}{_FOLIO_LETTER}(?:\s?(?:ob|об)\.?)?"
           rf"(?:\s{{0,2}}[-–—]\s{{0,2}}\d{{1,5}}{_FOLIO_LETTER}(?:\s?(?:ob|об)\.?)?)?"
           r"(?:,\s{0,2}\d{1,5}(?:\s{0,2}[-–—]\s{0,2}\d{1,5})?(?:\s?(?:ob|об)\.?)?){0,20}(?![\d])")
_COMPONENT = re.compile(
    r"(?<![\w.])(?:(?P<f>fond|f\.|фонд|ф\.)|(?P<op>opis['’]?|op\.|опись|оп\.)|(?P<d>delo|d\.|дело|д\.)"
    r"|(?P<p>papka|p\.|папка|п\.))\s{0,3}(?P<v>" + _VALUE + ")"
    r"|(?<![\w.])(?P<l>listy|list|ll\.|l\.|листы|лист|лл\.|л\.)\s{0,3}(?P<lv>" + _FOLIOS + ")",
    re.IGNORECASE,
)
_COMPONENT_GAP = re.compile(r"[\s,.:]{0,4}")


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    archive: str


def _canonical_archive(name: str, aliases: Mapping[str, str]) -> str:
    squeezed = _clean(name).replace(" ", "").upper()
    if squeezed in _ALIAS:
        return _ALIAS[squeezed]
    for abbr, archive in aliases.items():
        if abbr.replace(" ", "").upper() == squeezed:
            return archive
    return _clean(name)


def _archive_mentions(text: str, aliases: Mapping[str, str]) -> tuple[list[_Mention], dict[str, str]]:
    """Archive names in *text*, and the abbreviations it defines ("[hereafter AVPRF]")."""
    mentions = [_Mention(m.start(), m.end(), _canonical_archive(m.group(), {}))
                for m in _ARCHIVE_ABBREV.finditer(text)]
    for m in _LONG_NAME.finditer(text):
        archive = next(_LONG_NAMES[int(k[1:])][1] for k, v in m.groupdict().items() if v)
        mentions.append(_Mention(m.start(), m.end(), archive))
    for abbr in aliases:
        if abbr.replace(" ", "").upper() in _ALIAS:
            continue
        for m in re.finditer(r"(?<![\w])" + re.escape(abbr) + r"(?![\w])", text):
            mentions.append(_Mention(m.start(), m.end(), aliases[abbr]))
    defined: dict[str, str] = {}
    by_end = {x.end: x for x in mentions}
    for m in _HEREAFTER.finditer(text):
        abbr = _clean(m.group("abbr"))
        # The long name before the bracket: a known one, or capitalised words back to a lower-case one.
        start = m.start()
        while start > 0 and text[start - 1].isspace() and m.start() - start < 4:
            start -= 1
        known = by_end.get(start)
        start = m.start()
        if known:
            start, archive = known.start, known.archive
        else:
            words = list(_ARCHIVE_WORD.finditer(text, max(0, m.start() - 300), m.start()))
            run: list[re.Match[str]] = []
            for w in reversed(words):
                gap = text[w.end():(run[-1].start() if run else m.start())]
                if gap.strip() or len(run) >= 15:
                    break
                run.append(w)
            while run and not run[-1].group()[0].isupper():
                run.pop()
            if run:
                start = run[-1].start()
            archive = _canonical_archive(abbr, {})
        defined[abbr] = archive
        mentions.append(_Mention(start, m.end(), archive))
    mentions.sort(key=lambda x: (x.end, -x.start))
    return mentions, defined


def _normalise_value(value: str) -> str:
    return value.translate(_CYRILLIC_TO_LATIN).strip()


def _normalise_folios(value: str) -> str:
    value = _normalise_value(value.translate(_DASHES)).replace("об", "ob")
    value = re.sub(r"\s*-\s*", "-", value)
    value = re.sub(r"\s*,\s*", ", ", value)
    return re.sub(r"\s*ob\.?", "ob", value)


def _find_locations(text: str, aliases: Mapping[str, str]) -> tuple[list[ArchivalRef], dict[str, str]]:
    mentions, defined = _archive_mentions(text, {**aliases})
    groups: list[list[re.Match[str]]] = []
    for m in _COMPONENT.finditer(text):
        label = next(k for k in ("f", "op", "d", "p", "l") if m.group(k))
        if groups:
            last = groups[-1][-1]
            last_label = next(k for k in ("f", "op", "d", "p", "l") if last.group(k))
            if _LABELS[label] > _LABELS[last_label] and _COMPONENT_GAP.fullmatch(text, last.end(), m.start()):
                groups[-1].append(m)
                continue
        groups.append([m])
    refs: list[ArchivalRef] = []
    previous_archive: str | None = None
    ends = [x.end for x in mentions]
    for group in groups:
        start = group[0].start()
        # The archive named right before the parts (at most 4 characters of ", " between them).
        near = mentions[bisect_left(ends, start - 4):bisect_right(ends, start)]
        attached = [x for x in near if _COMPONENT_GAP.fullmatch(text, x.end, start)]
        mention = max(attached, key=lambda x: (x.end, -x.start), default=None)
        labels = {next(k for k in ("f", "op", "d", "p", "l") if m.group(k)) for m in group}
        if mention is None and not (len(group) >= 2 and labels & {"f", "op", "d"}):
            continue  # a lone "p. 11" or "d. 1953" is not an archive reference
        if mention is not None:
            archive, start = mention.archive, mention.start
        else:
            archive = previous_archive or "?"
        values: dict[str, str] = {}
        for m in group:
            label = next(k for k in ("f", "op", "d", "p", "l") if m.group(k))
            value = m.group("lv") if label == "l" else m.group("v")
            values[label] = _normalise_folios(value) if label == "l" else _normalise_value(value)
        end = group[-1].end()
        refs.append(ArchivalRef(archive, values.get("f"), values.get("op"), values.get("d"), values.get("p"),
                                values.get("l"), _clean(text[start:end]), start, end))
        previous_archive = archive
    return refs, defined


def parse_archival_location(text: str) -> list[ArchivalRef]:
    """Every archival location in *text*, in the forms historians write them.

    "AVPRF, Fond 059a, Opis 5a, Delo 3, Papka 11, Listy 87-91"; "APRF, f. 45,
    op. 1, d. 329, ll. 9-17"; "Archive of the President of the Russian
    Federation [Hereafter APRF], Fond 45, ..."; "fond 3, opis 65, delo 826,
    list 12" (archive "?" unless one was named earlier in *text*); the Russian
    "АВП РФ. Ф. 059а. Оп. 5а. Д. 3. П. 11. Л. 87–91." (read as AVPRF, 059a ...).
    A lone "p. 11" or "d. 3" is not a location: it needs an archive name or two
    parts including a fond, opis or delo.
    """
    try:
        return _find_locations(_as_text(text)[:MAX_NOTE_CHARS], {})[0]
    except Exception:  # never fail on a user's text
        return []


def location_key(ref: ArchivalRef | ArchivalLocation) -> str:
    """The archival file's normal form ("AVPRF:f059a:op5a:d3:p11"), folios left out."""
    return ref.key


def short_location(ref: ArchivalRef | ArchivalLocation) -> str:
    """The short form: "AVPRF, f. 059a, op. 5a, d. 3, p. 11, ll. 87-91"."""
    return ref.short()


def _file_label(ref: ArchivalRef) -> str:
    return replace(ref, listy=None).short()


# -- cutting a note into pieces --------------------------------------------

_ABBREVIATIONS = frozenset((
    "p", "pp", "no", "nos", "vol", "vols", "ed", "eds", "trans", "comp", "cf", "f", "ff", "op", "d", "l",
    "ll", "ch", "chap", "fig", "esp", "repr", "rev", "n", "nn", "st", "dr", "mr", "mrs", "ms", "jr", "sr",
    "gen", "col", "lt", "capt", "gov", "sen", "rep", "prof", "ca", "c", "vs", "v", "al", "ob", "orig",
    "tel", "dept", "univ", "inc", "co", "ltd"
))
_DOC_WORDS = (r"(?:Ciphered|Cipher|Coded|Encrypted|Secret|Top\s+secret|Telegram|Cablegram|Cable|Letter"
              r"|Memorandum|Report|Record\s+of|Conversation|Minutes|Directive|Resolution|Decree|Speech|Protocol"
              r"|Шифртелеграмма|Телеграмма|Запись\s+беседы|Письмо|Докладная|Справка|Донесение)\b")
_STRONG_START = re.compile(
    r"(?:For\s+(?:the|a|an|further|more)\b|See\b|Cf\.|Cited\s+in|Quoted\s+in|As\s+cited|Ibid|Idem|Id\.|Available\b"
    r"|Reprinted\b|Reproduced\b|Published\s+in|Translated\s+in|Prepared\s+by|Archive\s+of|"
    + _ARCHIVE_ABBREV.pattern + "|" + _DOC_WORDS + ")"
)
_SENTENCE_END = re.compile(r"[.?!][”’\"')\]]{0,3}(\s+)")
_RELATION_BREAK = re.compile(
    r",\s{0,3}(?=(?:as\s+)?(?:[Cc]ited|[Qq]uoted|[Rr]eprinted|[Rr]eproduced)\s+in\s)"
)
_AND_AFTER_FACTS = re.compile(
    r"\d{4}[a-z]?\)(?:\s{0,2}:\s{0,2}\d{1,5}(?:\s{0,2}[-–]\s{0,2}\d{1,5})?)?(?P<sep>\s{0,2},?\s{1,3}and\s{1,3})"
    r"(?=[A-Z“\"‘])"
)
_INITIALS = re.compile(r"(?:[^\W\d_]\.){0,5}[^\W\d_]")


@dataclass(slots=True)
class _Piece:
    start: int
    end: int
    sep: str  # what came before it: "" (start), ";", ".", "," (before "Cited in"), "and"


def _is_abbreviation(token: str) -> bool:
    token = token.lstrip("([“\"‘'")
    return token.lower() in _ABBREVIATIONS or bool(_INITIALS.fullmatch(token))


def _split(text: str, lay: _Layout) -> list[_Piece]:
    cuts: list[tuple[int, int, str]] = []
    for i, ch in enumerate(text):
        if ch == ";" and lay.top(i):
            cuts.append((i, i + 1, ";"))
    for m in _SENTENCE_END.finditer(text):
        i, j = m.start(), m.end()
        if not lay.top(i) or j >= len(text):
            continue
        strong = _STRONG_START.match(text, j) is not None
        if text[i] in "?!":
            if strong:
                cuts.append((m.start(1), j, "."))
            continue
        nxt = text[j]
        if not (nxt.isupper() or nxt in "“\"‘["):
            continue
        token = re.search(r"\S{0,40}$", text[max(0, i - 40):i])
        if token and _is_abbreviation(token.group()) and not strong:
            continue
        cuts.append((m.start(1), j, "."))
    for m in _RELATION_BREAK.finditer(text):
        if lay.top(m.start()):
            cuts.append((m.start(), m.end(), ","))
    for m in _AND_AFTER_FACTS.finditer(text):
        if lay.top(m.start("sep")):
            cuts.append((m.start("sep"), m.end("sep"), "and"))
    cuts.sort()
    pieces: list[_Piece] = []
    pos, sep = 0, ""
    for s, e, kind in cuts:
        if s < pos:
            continue
        pieces.append(_Piece(pos, s, sep))
        pos, sep = e, kind
    pieces.append(_Piece(pos, len(text), sep))
    out = []
    for p in pieces:
        seg = text[p.start:p.end]
        lead = len(seg) - len(seg.lstrip())
        trail = len(seg) - len(seg.rstrip())
        p = _Piece(p.start + lead, p.end - trail, p.sep)
        if re.search(r"\w", text[p.start:p.end]):
            out.append(p)
    return out


# -- dates -----------------------------------------------------------------

_MONTH_NAMES = (
    ("january", "jan", "января"), ("february", "feb", "февраля"), ("march", "mar", "марта"),
    ("april", "apr", "апреля"), ("may", "мая"), ("june", "jun", "июня"), ("july", "jul", "июля"),
    ("august", "aug", "августа"), ("september", "sep", "sept", "сентября"), ("october", "oct", "октября"),
    ("november", "nov", "ноября"), ("december", "dec", "декабря"),
)
_MONTH_NUMBERS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names}
_M = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
      r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?")
_RU = r"(?:января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"
_DATE_PATTERNS = tuple(
    re.compile(r"(?<![\w])" + p + r"(?!\d)")
    for p in (
        rf"(?P<m1>{_M})\s{{1,2}}(?P<d1>\d{{1,2}})\s?[-–]\s?(?P<m2>{_M})\s{{1,2}}(?P<d2>\d{{1,2}}),?\s{{1,2}}(?P<y>\d{{4}})",
        rf"(?P<d1>\d{{1,2}})\s{{1,2}}(?P<m1>{_M})\s?[-–]\s?(?P<d2>\d{{1,2}})\s{{1,2}}(?P<m2>{_M}),?\s{{1,2}}(?P<y>\d{{4}})",
        rf"(?P<d1>\d{{1,2}})\s?[-–]\s?(?P<d2>\d{{1,2}})\s{{1,2}}(?P<m1>{_M}),?\s{{1,2}}(?P<y>\d{{4}})",
        rf"(?P<m1>{_M})\s{{1,2}}(?P<d1>\d{{1,2}})\s?[-–]\s?(?P<d2>\d{{1,2}}),?\s{{1,2}}(?P<y>\d{{4}})",
        rf"(?P<d1>\d{{1,2}})\s{{1,2}}(?P<m1>{_M}),?\s{{1,2}}(?P<y>\d{{4}})",
        rf"(?P<m1>{_M})\s{{1,2}}(?P<d1>\d{{1,2}}),?\s{{1,2}}(?P<y>\d{{4}})",
        rf"(?P<d1>\d{{1,2}})\s{{1,2}}(?P<m1>{_RU})\s{{1,2}}(?P<y>\d{{4}})",
        r"(?P<y>\d{4})-(?P<m1>\d{2})-(?P<d1>\d{2})",
        rf"(?P<m1>{_M}),?\s{{1,2}}(?P<y>\d{{4}})",
    )
)


def _month(token: str | None) -> int | None:
    if token is None:
        return None
    token = token.rstrip(".").lower()
    return int(token) if token.isdigit() else _MONTH_NUMBERS.get(token)


def _iso(year: int, month: int | None, day: int | None) -> str | None:
    try:
        if month is None:
            return f"{dt.date(year, 1, 1):%Y}"
        if day is None:
            return f"{dt.date(year, month, 1):%Y-%m}"
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _find_date(text: str, lay: _Layout, start: int = 0,
               end: int | None = None) -> tuple[int, int, str | None] | None:
    """The first full date outside brackets in text[start:end]: (start, end, ISO or EDTF interval)."""
    end = len(text) if end is None else end
    best: re.Match[str] | None = None
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text, start, end):
            if lay.top(m.start()):
                if best is None or (m.start(), -m.end()) < (best.start(), -best.end()):
                    best = m
                break
    if best is None:
        return None
    g = best.groupdict()
    year = int(g["y"])
    m1 = _month(g.get("m1"))
    d1 = int(g["d1"]) if g.get("d1") else None
    first = _iso(year, m1, d1)
    if g.get("d2"):
        m2 = _month(g.get("m2")) or m1
        last = _iso(year, m2, int(g["d2"]))
        value = f"{first}/{last}" if first and last else None
    else:
        value = first
    return best.start(), best.end(), value


# -- names -----------------------------------------------------------------

_NAME_WORD = re.compile(r"(?:[A-Z]\.\s?){1,4}|[A-ZÀ-ÖØ-ÞА-ЯЁ][^\W\d_]*(?:[’'\-][^\W\d_]+)*\.?")
_INITIAL_WORD = re.compile(r"(?:[A-Z]\.\s?){1,4}")
_PARTICLES = frozenset((
    "de", "van", "von", "der", "den", "du", "la", "le", "al", "bin", "da", "di", "dos", "del", "ibn"
))
_STOPWORDS = frozenset((
    "The", "A", "An", "In", "On", "At", "For", "From", "See", "This", "That", "These", "Those", "It", "He",
    "She", "They", "We", "Its", "His", "Her", "But", "And", "Or", "As", "By", "To", "Of", "With", "Ibid",
    "Ibidem", "Idem", "Cited", "Quoted", "When", "While", "After", "Before", "During", "Although",
    "However", "Moreover", "Similar", "Similarly", "Both", "Some", "Most", "Many", "Several", "Other",
    "Another", "Such", "Only", "Also", "Thus", "Here", "There", "Telegram", "Report", "Letter", "Record",
    "Conversation", "Ciphered", "Archive", "Available", "Prepared", "Vol", "Volume", "No", "Nos", "Working",
    "Paper"
)) | {m.capitalize() for m in _MONTH_NUMBERS if m.isascii()}
_SMALL_WORDS = frozenset((
    "of", "the", "in", "a", "an", "and", "for", "to", "on", "at", "by", "with", "from", "or", "nor", "but",
    "de", "la", "le", "du", "des", "und", "der", "die", "das", "et", "vs.", "v."
))
_ARTICLES = frozenset((
    "the", "a", "an", "of", "this", "that", "these", "those", "his", "her", "its", "their", "our"
))
_EDITORS = re.compile(r"(?:\(?eds?\.?\)?|editors?|\(?comps?\.?\)?|compilers?)", re.IGNORECASE)
_EDITORS_LEAD = re.compile(r"(?:eds?\.|editors|comps?\.)\s+", re.IGNORECASE)
# Surname-first names (Chinese, Korean): "Li Haiwen", "Shen Zhi-hua", "Xue Litai", "Kim Il Sung".
_SURNAME_FIRST = frozenset((
    "li", "shen", "xue", "zhang", "wang", "liu", "chen", "yang", "zhao", "huang", "zhou", "wu", "xu", "sun",
    "hu", "zhu", "gao", "lin", "guo", "ma", "luo", "liang", "song", "zheng", "xie", "tang", "feng", "yu",
    "dong", "xiao", "cheng", "cao", "yuan", "deng", "fu", "peng", "zeng", "lu", "su", "jiang", "cai", "jia",
    "ding", "wei", "ye", "yan", "pan", "du", "dai", "mao", "niu", "qian", "qin", "zhai", "kim", "park",
    "pak", "choi", "ri", "rhee", "jung", "kang", "cho", "yoon", "jang", "lim", "shin", "ryu"
))
_HONORIFICS = re.compile(r"^(?:Comrades?|Tov\.|tov\.|Mr\.|Mrs\.|Marshal|General|Generalissimo)\s+")


def _is_name_word(word: str) -> bool:
    if _INITIAL_WORD.fullmatch(word):
        return True  # "A." in "Callum A. MacDonald" is an initial, not the article
    return bool(_NAME_WORD.fullmatch(word)) and word.rstrip(".") not in _STOPWORDS


def _is_name(chunk: str) -> bool:
    words = chunk.split()
    if not 1 <= len(words) <= 5 or words[0] in _STOPWORDS:
        return False
    return all(_is_name_word(w) or (i and w in _PARTICLES) for i, w in enumerate(words))


def _split_names(chunk: str) -> list[str]:
    parts = re.split(r"\s+(?:and|&)\s+|^\s*(?:and|&)\s+", chunk)
    return [_clean(p) for p in parts if p and p.strip()]


def surname(name: str) -> str:
    """The family name, folded for keys: "K. Weathersby" -> "weathersby", "Li Haiwen" -> "li"."""
    name = _HONORIFICS.sub("", re.sub(r"\[[^\]]{0,200}\]", " ", name))
    words = [w for w in name.replace("’", "'").split()
             if w.rstrip(".,").lower() not in ("jr", "sr", "ii", "iii")]
    if not words:
        return ""
    return _fold(words[_surname_index(words)])


def _surname_index(words: list[str]) -> int:
    """Where the family name is: the last word, or the first of a surname-first name ("Mao Zedong")."""
    for size in (3, 2):
        if len(words) >= size:
            first = len(words) - size
            if _fold(words[first]) in _SURNAME_FIRST and not _INITIAL_WORD.fullmatch(words[first + 1]):
                return first
    return len(words) - 1


@dataclass(slots=True)
class _AuthorBlock:
    start: int
    after: int  # where the title begins
    names: list[str]
    editors: bool


def _author_block(body: str, lay: _Layout, at_start: bool = False) -> _AuthorBlock | None:
    """Names before the first comma ("K. Weathersby, ...", "... made by Callum A. MacDonald, in ...").

    Walks back from the first comma over name words (initials, capitalised
    words, "and"); the block is taken when it opens the text or follows a
    lower-case word that is not an article ("was", "by", "in"), so "in the
    Sun, p. 236" is not an author. Then walks forward over further names
    ("John W. Lewis, and Xue Litai,") and an "ed."/"eds." marker.
    """
    comma = _find_top(body, lay, ",")
    quote = next((s for s, _ in lay.quotes), -1)
    if comma == -1 or (quote != -1 and quote < comma):
        return None
    words = list(re.finditer(r"\S+", body[:comma]))
    if not words:
        return None
    taken: list[re.Match[str]] = []
    for w in reversed(words):
        token = w.group()
        if _is_name_word(token) or (taken and token in ("and", "&")) or (taken and token in _PARTICLES):
            if len(taken) >= 12:
                break
            taken.append(w)
        else:
            break
    while taken and (taken[-1].group() in ("and", "&") or taken[-1].group() in _PARTICLES):
        taken.pop()
    if not taken:
        return None
    taken.reverse()
    first = words.index(taken[0])
    if at_start and first:
        return None
    if first:
        before = words[first - 1].group()
        if before.lower() in _ARTICLES or not before[:1].islower():
            return None
    start = taken[0].start()
    names = _split_names(body[start:comma])
    if not names or not all(_is_name(n) for n in names):
        return None
    editors = False
    pos = comma + 1
    while pos < len(body):
        nxt = _find_top(body, lay, ",", pos)
        end = len(body) if nxt == -1 else nxt
        chunk = body[pos:end]
        stripped = chunk.strip()
        if _EDITORS.fullmatch(stripped):
            editors = True
            pos = end + 1
            break
        lead = _EDITORS_LEAD.match(stripped)
        if lead:
            editors = True
            pos = pos + (len(chunk) - len(chunk.lstrip())) + lead.end()
            break
        candidate = re.sub(r"^(?:and|&)\s+", "", stripped)
        more = _split_names(candidate)
        if nxt != -1 and more and all(_is_name(n) for n in more):
            names.extend(more)
            pos = end + 1
            continue
        break
    pos = min(pos, len(body))
    while pos < len(body) and body[pos].isspace():
        pos += 1
    return _AuthorBlock(start, pos, names, editors)


def _title_before(text: str, end: int) -> tuple[int, str] | None:
    """The title-case run of words ending at *end* ("... argument in Korea’s Place in the Sun")."""
    words = list(re.finditer(r"\S+", text[:end]))
    taken: list[re.Match[str]] = []
    for w in reversed(words[-40:]):
        core = w.group().strip(",;:.?!“”\"’'()[]")
        if not core:
            break
        if core[0].isupper() or core[0].isdigit() or core.lower() in _SMALL_WORDS:
            taken.append(w)
        else:
            break
    taken.reverse()
    while taken and not taken[0].group().strip("“\"‘'([")[:1].isupper():
        taken.pop(0)
    if not taken:
        return None
    start = taken[0].start()
    title = _strip_punct(text[start:end], " ,;:")
    return (start, title) if title else None


def _subject(text: str) -> str | None:
    """A sentence's name subject: "Cumings" in "Cumings repeats this argument in ..."."""
    words = text.split()
    taken = []
    for w in words[:5]:
        if _is_name_word(w) and not w.endswith((",", ":")):
            taken.append(w)
        else:
            break
    if not taken or len(taken) >= len(words) or len(taken) > 4:
        return None
    following = words[len(taken)]
    if not following[:1].islower() or following in _SMALL_WORDS:
        return None
    return " ".join(taken)


# -- publications ----------------------------------------------------------

_URL = re.compile(r"(?:https?://|www\.)[^\s,;()<>\"“”]{1,300}", re.IGNORECASE)
_URL_PHRASE = re.compile(
    r"[,.]?\s{0,3}(?:(?:it\s+is\s+)?(?:also\s+)?available\s+(?:online\s+)?(?:at|from|on)\s+)?$", re.IGNORECASE
)
_PAGES = re.compile(r"(?<![\w])(?P<lab>pp?|ll?)\.\s{0,2}"
                    r"(?P<p>\d{1,5}[a-z]?(?:\s{0,2}[-–]\s{0,2}\d{1,5}[a-z]?)?"
                    r"(?:,\s{0,2}\d{1,5}(?:\s{0,2}[-–]\s{0,2}\d{1,5})?){0,10})(?![\d])")
_BARE_PAGES = re.compile(r"[\s,:]{0,3}(?P<p>\d{1,5}(?:\s{0,2}[-–]\s{0,2}\d{1,5})?)[\s.]{0,3}$")
_AFTER_FACTS_PAGES = re.compile(r"\s{0,2}[:,]\s{0,2}(?:pp?\.\s{0,2})?"
                                r"(?P<p>\d{1,5}(?:\s{0,2}[-–]\s{0,2}\d{1,5})?"
                                r"(?:,\s{0,2}\d{1,5}(?:\s{0,2}[-–]\s{0,2}\d{1,5})?){0,5})(?![\d])")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_SEASON = r"(?:Spring|Summer|Fall|Autumn|Winter)"
_FACTS_FULL = re.compile(r"\s*(?P<place>[^:]{1,150}):\s*(?P<pub>[^:]{1,200}?),\s*(?P<year>\d{4})[a-z]?\s*")
_FACTS_DATE = re.compile(
    rf"\s*(?P<date>(?:(?:{_SEASON}|{_M})\s{{1,2}})?(?:\d{{1,2}}\s{{1,2}})?(?P<year>\d{{4}})(?:[/-]\d{{2,4}})?)\s*"
)
_FACTS_PUB = re.compile(r"\s*(?P<pub>[^:]{1,200}?),\s*(?P<year>\d{4})[a-z]?\s*")
_PLACE_END = re.compile(
    r"(?P<place>(?:New\s+York|New\s+Haven|San\s+Francisco|Los\s+Angeles|Ann\s+Arbor|Chapel\s+Hill|Hong\s+Kong"
    r"|Palo\s+Alto|Santa\s+Barbara|Santa\s+Monica|New\s+Delhi|Tel\s+Aviv|St\.\s+Petersburg|[A-Z][\w’'-]+)"
    r"(?:,\s?(?:[A-Z]\.){1,3}|,\s?[A-Z][a-z]{1,5}\.)?)\s*$"
)
_PLACE_CHUNK = re.compile(r"(?:[A-Z][a-z]+\s?){1,3}(?:,\s?(?:[A-Z]\.){1,3}|,\s?[A-Z][a-z]{1,5}\.)?")
_STATE_SUFFIX = re.compile(r"(?:[A-Z]\.){1,3}|(?:Mass|Calif|Conn|Ill|Penn|Md|Va|Wash|Mich|Minn|Wis)\.")
_INSTITUTION = re.compile(r"\b(?:Center|Centre|Institute|University|Press|Foundation|School|Council|Society"
                          r"|Commission|Office|Publishers|Publishing|Library|Academy)\b")
_PERIODICAL = re.compile(r"(?P<c>[A-Z][^\d(,;:]{0,150}?\b(?:Bulletin|Journal|Review|Quarterly|Studies|Affairs"
                         r"|Yearbook|Wenxian|Magazine|Survey|Zhurnal|Istoriia|Istoriya))\s*,?\s*(?:(?:vol\.|volume|no\.|nos\.)\s*)?\d",
                         re.IGNORECASE)
_MANUSCRIPT = re.compile(r"(?:an?\s+)?(?:unpublished\s+)?(?:manuscript|ms\.|typescript|dissertation|thesis"
                         r"|unpublished\s+paper)\b[\s,.]*", re.IGNORECASE)
_WORKING_PAPER = re.compile(r"Working\s+Paper(?:\s*(?:No\.?|#|Number))?\s*(?P<no>\d{1,5})?", re.IGNORECASE)
_VOLUME = re.compile(
    r"(?:(?:vol\.|volume)\s*)?(?P<vol>\d{1,4}(?:\s?/\s?\d{1,4})?)?\s*(?:\((?P<iss1>\d{1,3}(?:/\d{1,3})?)\))?"
    r"\s*,?\s*(?:(?:no\.|nos\.|issue|№)\s*(?P<iss>\d{1,4}(?:\s?/\s?\d{1,4})?))?",
    re.IGNORECASE,
)
_JOURNAL_STOP = re.compile(r"\d|\(|\b(?:vol\.|volume|no\.|nos\.|issue)", re.IGNORECASE)


@dataclass(slots=True)
class _Facts:
    start: int
    end: int
    place: str | None = None
    publisher: str | None = None
    year: int | None = None
    date: str | None = None


def _read_facts(content: str) -> _Facts | None:
    for pattern in (_FACTS_FULL, _FACTS_DATE, _FACTS_PUB):
        m = pattern.fullmatch(content)
        if m:
            g = m.groupdict()
            year = int(g["year"])
            return _Facts(0, 0, _strip_punct(g["place"]) if g.get("place") else None,
                          _strip_punct(g["pub"]) if g.get("pub") else None, year,
                          _clean(g["date"]) if g.get("date") else None)
    return None


def _find_facts(text: str, lay: _Layout, start: int, end: int) -> _Facts | None:
    """Publication facts in text[start:end]: "(Place: Publisher, Year)", "(Spring 1995)", "(1993)".

    Also the form with its "(" missing: "... in History Manchester, U.K.: University ... Press, 1989)".
    """
    for s, e in lay.parens:
        if s >= start and e <= end and e - s < 260:
            facts = _read_facts(text[s + 1:e - 1])
            if facts:
                facts.start, facts.end = s, e
                return facts
    for k in lay.stray_closers:
        if not start <= k < end or not _YEAR.search(text, max(start, k - 6), k):
            continue
        colon = text.rfind(":", max(start, k - 250), k)
        if colon == -1:
            continue
        m = _PLACE_END.search(text, max(start, colon - 80), colon)
        if not m:
            continue
        facts = _read_facts(text[m.start():k])
        if facts:
            facts.start, facts.end = m.start(), k + 1
            return facts
    return None


@dataclass(slots=True)
class _WorkRead:
    kind: str
    info: WorkInfo
    pages: str | None
    folios: bool
    start: int  # in the piece
    end: int


def _pages_at_end(text: str, lay: _Layout, end: int) -> tuple[re.Match[str] | None, int]:
    """The last "p. 9" / "pp. 9-12" outside brackets, and where the text before it ends."""
    last = None
    for m in _PAGES.finditer(text, 0, end):
        if lay.top(m.start()):
            last = m
    if last is None:
        return None, end
    return last, last.start()


def _norm_pages(p: str) -> str:
    return re.sub(r"\s*-\s*", "-", p.translate(_DASHES)).strip()


def _read_journal(rest: str, base: int, text: str, lay: _Layout) -> tuple[dict, int]:
    """Container, volume, issue, date and year from 'Bulletin, 5 (Spring 1995)' / 'Wenxian No. 5 (1993)'."""
    out: dict = {}
    stop = _JOURNAL_STOP.search(rest)
    container_end = stop.start() if stop else len(rest)
    container = _strip_punct(rest[:container_end])
    if container:
        out["container"] = container
    tail_start = container_end
    m = _VOLUME.match(rest, tail_start)
    end = tail_start
    if m and m.end() > tail_start:
        if m.group("vol"):
            out["volume"] = m.group("vol").replace(" ", "")
        issue = m.group("iss") or m.group("iss1")
        if issue:
            out["issue"] = issue.replace(" ", "")
        end = m.end()
    facts = _find_facts(text, lay, base + end, base + len(rest))
    if facts:
        out["year"], out["date"] = facts.year, facts.date
        end = facts.end - base
    return out, end


def _read_work(seg: str) -> _WorkRead | None:
    """A publication in one piece of a note, or None when the piece cites none.

    The authors come first ("K. Weathersby, ..."); then a quoted title is an
    article, chapter, working paper or manuscript, told apart by what follows
    it; an unquoted title before publication facts is a book; a title-case run
    before "(Place: Publisher, Year)" or "p. 236" in prose is a book too
    ("Cumings repeats this argument in Korea’s Place in the Sun: ... (New York
    ...)"). A quotation in prose with no author is not a title.
    """
    lay = _layout(seg)
    url = None
    limit = len(seg)
    for m in _URL.finditer(seg):
        if lay.top(m.start()):
            url = m.group().rstrip(".")
            phrase = _URL_PHRASE.search(seg, max(0, m.start() - 60), m.start())
            limit = phrase.start() if phrase else m.start()
            break
    pages_match, body_end = _pages_at_end(seg, lay, limit)
    read = _WorkParse(seg, lay, body_end, {"url": url})
    if pages_match:
        read.pages = _norm_pages(pages_match.group("p"))
        read.end = pages_match.end()
    body = seg[:body_end]
    block = _author_block(body, lay)
    if block:
        read.fields["editors" if block.editors else "authors"] = tuple(block.names)
        read.start = block.start
    after = block.after if block else 0
    title_quote = None
    for s, e in lay.quotes:
        if s < after or e > body_end:
            continue
        before = body[:s].rstrip()
        if (block and s == after) or not before or before.endswith((",", ":")) or re.search(
            r"(?:^|\s)(?:in|see|See)$", before
        ):
            title_quote = (s, e)
        break
    kind: str | None
    if title_quote:
        kind = _after_quoted_title(read, *title_quote)
    elif block:
        kind = _after_authors(read, after)
    else:
        kind = _without_authors(read, pages_match is not None)
    if kind is None or (kind == WORK and not (read.fields.get("authors") or read.fields.get("editors"))):
        return None  # nothing cited; or a quotation in prose, not a title
    info = WorkInfo(**{k: v for k, v in read.fields.items() if v is not None})
    if not (info.title or info.container):
        return None
    start = read.start or 0
    folios = bool(pages_match and pages_match.group("lab").startswith("l"))
    return _WorkRead(kind, info, read.pages, folios, start, min(max(read.end, start), len(seg)))


@dataclass(slots=True)
class _WorkParse:
    seg: str
    lay: _Layout
    body_end: int  # where the page reference (or the URL) begins
    fields: dict
    pages: str | None = None
    start: int | None = None
    end: int = 0

    def __post_init__(self) -> None:
        self.end = max(self.end, self.body_end)

    def facts(self, start: int) -> _Facts | None:
        facts = _find_facts(self.seg, self.lay, start, self.body_end)
        if facts:
            self.fields.update(place=facts.place, publisher=facts.publisher, year=facts.year)
            self.pages_after(self.seg, facts.end)
        return facts

    def pages_after(self, text: str, pos: int) -> None:
        """Pages right after the publication facts: "(..., 1993): 224-240"."""
        m = _AFTER_FACTS_PAGES.match(text, pos)
        if m and not self.pages:
            self.pages = _norm_pages(m.group("p"))


def _after_quoted_title(read: _WorkParse, s: int, e: int) -> str:
    """What follows a quoted title: "in <editors>, eds., <book>" (chapter), "unpublished manuscript",
    "Working Paper No. 39, ...", a journal "Bulletin, 5 (Spring 1995): 1-9", or nothing (a short form)."""
    seg, fields = read.seg, read.fields
    read.start = s if read.start is None else read.start
    fields["title"] = _strip_punct(seg[s + 1:e - 1], " ,.;:") or None
    rest_start = e
    while rest_start < read.body_end and seg[rest_start] in " ,.":
        rest_start += 1
    rest = seg[rest_start:read.body_end]
    ms = _MANUSCRIPT.match(rest)
    wp = _WORKING_PAPER.search(rest)
    if re.match(r"[Ii]n\s", rest):
        inner = rest[3:]
        inner_lay = _layout(inner)
        editors = _author_block(inner, inner_lay, at_start=True)
        if editors:
            fields["editors"] = tuple(editors.names)
        cstart = editors.after if editors else 0
        facts = _find_facts(inner, inner_lay, cstart, len(inner))
        fields["container"] = _strip_punct(inner[cstart:facts.start if facts else len(inner)]) or None
        if facts:
            fields.update(place=facts.place, publisher=facts.publisher, year=facts.year)
            read.pages_after(inner, facts.end)
        return CHAPTER
    if ms:
        fields["note"] = _strip_punct(rest[ms.end():]) or None
        years = _YEAR.findall(rest[ms.end():])
        fields["year"] = int(years[-1]) if years else None
        return MANUSCRIPT
    if wp:
        fields["number"] = wp.group("no")
        facts = read.facts(rest_start + wp.end())  # "(Washington, D.C.: Woodrow Wilson ..., 1993), 25"
        _read_working_paper(rest[wp.end():facts.start - rest_start if facts else None], fields)
        fields["series"] = _strip_punct(rest[:wp.start()]) or fields.get("series")
        return WORKING_PAPER
    if re.search(r"[^\W\d_]", rest):
        journal, jend = _read_journal(rest, rest_start, seg, read.lay)
        fields.update(journal)
        read.pages_after(rest, jend)
        return BULLETIN_ARTICLE if "Bulletin" in (journal.get("container") or "") else ARTICLE
    fields["short_form"] = True  # "Weathersby, 'To Attack,' 3."
    bare = _BARE_PAGES.fullmatch(rest)
    if bare and not read.pages and not _YEAR.fullmatch(bare.group("p")):
        read.pages = _norm_pages(bare.group("p"))
    return WORK


def _after_authors(read: _WorkParse, after: int) -> str | None:
    """An unquoted title after the authors: a book ("..., Uncertain Partners: ... (Stanford: ...): 134"),
    a working paper ("..., A Failed Empire, Working Paper No. 12 (...)"), or a short form without facts."""
    seg, fields = read.seg, read.fields
    facts = read.facts(after)
    lead_in = re.match(r"(?:in|In)\s+", seg[after:read.body_end])
    title_start = after + (lead_in.end() if lead_in else 0)
    title = _strip_punct(seg[title_start:facts.start if facts else read.body_end])
    kind = BOOK
    if not facts:
        fields["short_form"] = True
        bare = re.search(r",\s{0,2}(?P<p>\d{1,5}(?:\s{0,2}[-–]\s{0,2}\d{1,5})?)[\s.]{0,3}$", title)
        if bare and not _YEAR.search(bare.group("p")):
            read.pages = read.pages or _norm_pages(bare.group("p"))
            title = _strip_punct(title[:bare.start()])
    wp = _WORKING_PAPER.search(title)
    if wp and wp.group("no"):
        kind, fields["number"] = WORKING_PAPER, wp.group("no")
        title = _strip_punct(title[:wp.start()])
    fields["title"] = title or None
    return kind if title else None


def _without_authors(read: _WorkParse, has_pages: bool) -> str | None:
    """No author block: an issue of a periodical ("Cold War ... Bulletin 6/7, pp. 5-9"), or a title in prose
    before publication facts or a page reference, its author the sentence's subject ("Cumings repeats ...").
    """
    seg, fields = read.seg, read.fields
    region = seg[:read.body_end]
    periodical = _PERIODICAL.match(region.lstrip())
    if periodical and all(w[0].isupper() or w in _SMALL_WORDS for w in periodical.group("c").split()):
        journal, _ = _read_journal(region, 0, seg, read.lay)
        if not (journal.get("volume") or journal.get("issue") or journal.get("year")):
            return None
        fields.update(journal)
        read.start = len(region) - len(region.lstrip())
        return PERIODICAL
    facts = read.facts(0)
    anchor = facts.start if facts else (read.body_end if has_pages else None)
    found = _title_before(seg, anchor) if anchor is not None else None
    if not found:
        return None
    read.start, fields["title"] = found
    subject = _subject(seg[:read.start])
    if subject:
        fields["authors"] = (subject,)
        read.start = seg.find(subject)
    fields["short_form"] = facts is None
    return BOOK


def _read_working_paper(rest: str, fields: dict) -> None:
    """Series, publisher, place, date: "Cold War ... Project, Woodrow Wilson ..., Washington, D.C., 2002"."""
    lay = _layout(rest)
    chunks: list[str] = []
    pos = 0
    while pos <= len(rest):
        nxt = _find_top(rest, lay, ",", pos)
        end = len(rest) if nxt == -1 else nxt
        chunk = _strip_punct(rest[pos:end])
        if chunk:
            if chunks and _STATE_SUFFIX.fullmatch(chunk):
                chunks[-1] += ", " + chunk
            else:
                chunks.append(chunk)
        if nxt == -1:
            break
        pos = nxt + 1
    for chunk in chunks:
        date = _FACTS_DATE.fullmatch(chunk)
        if date:
            fields["date"], fields["year"] = _clean(date.group("date")), int(date.group("year"))
        elif _INSTITUTION.search(chunk) and "publisher" not in fields:
            fields["publisher"] = chunk
        elif _PLACE_CHUNK.fullmatch(chunk) and "place" not in fields:
            fields["place"] = chunk
        elif "series" not in fields:
            fields["series"] = chunk


# -- primary documents -----------------------------------------------------

_DOC_HEAD = re.compile(
    r"(?P<mod>(?:(?:ciphered|cipher|coded|code|encrypted|secret|top[\s-]secret|urgent|special)\s+){0,2})"
    r"(?P<kind>(?:record|memorandum|minutes)\s+of\s+(?:the\s+|a\s+)?conversations?|telegram|cablegram|cable"
    r"|letter|memorandum|memo|report|conversation|minutes|directive|instructions?|resolution|decree|speech"
    r"|protocol|message|шифртелеграмма|телеграмма|запись\s+беседы|письмо|докладная\s+записка|справка|донесение)"
    r"(?![\w])(?:\s{1,2}(?:No\.|no\.|№|#)\s{0,2}\d{1,6}[a-z]?(?![\w]))?",
    re.IGNORECASE,
)


def _document_kind(mod: str, kind: str) -> str:
    k, mod = _clean(kind).lower(), mod.lower()
    if "conversation" in k or k == "запись беседы":
        return "conversation" if k == "conversation" else "record-of-conversation"
    if k in ("telegram", "cable", "cablegram", "телеграмма", "шифртелеграмма"):
        ciphered = k == "шифртелеграмма" or any(w in mod for w in ("cipher", "code", "encrypt"))
        return "ciphered-telegram" if ciphered else "telegram"
    return _KIND_NAMES.get(k, k)


_KIND_NAMES = {
    "memo": "memorandum", "instruction": "directive", "instructions": "directive", "decree": "resolution",
    "письмо": "letter", "докладная записка": "report", "справка": "report", "донесение": "report",
}


def _party(text: str) -> tuple[str | None, str | None, str | None]:
    """(name, gloss, note): "[Soviet Ambassador to the DPRK] Shtykov", "the Ministry (in reply to ...)"."""
    glosses = re.findall(r"\[([^\[\]]{0,300})\]", text)
    notes = re.findall(r"\(([^()]{0,300})\)", text)
    name = re.sub(r"\[[^\[\]]{0,300}\]|\([^()]{0,300}\)", " ", text)
    name = _HONORIFICS.sub("", _strip_punct(name, " ,.;:"))
    name = re.sub(r"^(?:the|The)\s+", "", name)
    gloss = "; ".join(_clean(g) for g in glosses if g.strip()) or None
    note = "; ".join(_clean(n) for n in notes if n.strip()) or None
    return name or None, gloss, note


_BARE_DOCUMENT = re.compile(  # "Stalin to Mao, 1 October 1950"
    rf"(?:[A-Z][\w’'.-]{{0,30}}\s{{1,2}}){{0,3}}[A-Z][\w’'.-]{{0,30}}\s{{1,2}}to\s{{1,2}}"
    rf"(?:[A-Z][\w’'.-]{{0,30}}\s{{1,2}}){{0,3}}[A-Z][\w’'.-]{{0,30}},\s{{0,2}}(?:\d{{1,2}}\s{{1,2}})?{_M}"
)


def _read_document(seg: str, lay: _Layout, head_end: int, located: bool) -> tuple[DocumentInfo, int] | None:
    """A primary document's description in seg[:head_end].

    It must open with a kind of document ("Ciphered telegram from ...") or
    be bare: correspondents and a date ("Stalin to Mao, 1 October 1950"), or
    anything before an archival location (*located*: "Shtykov to
    Vyshinsky, 19 January 1950, APRF, ...").
    """
    m = _DOC_HEAD.match(seg)
    if not m and not (located or _BARE_DOCUMENT.match(seg)):
        return None
    head = m.end() if m else 0
    date = _find_date(seg, lay, head, head_end)
    region_end = date[0] if date else head_end
    region = seg[head:region_end]
    rlay = _layout(region)
    fields: dict = {"kind": _document_kind(m.group("mod"), m.group("kind")) if m else None}
    sender_m = re.match(r"\s*,?\s*(?:sent\s+)?(?:from|by)\s+", region, re.IGNORECASE)
    between_m = re.match(r"\s*,?\s*(?:between|of)\s+", region, re.IGNORECASE)
    comma_m = re.match(r"\s*,\s*" if m else r"\s*", region)
    found_parties = False
    opener = sender_m or comma_m
    if opener:
        begin = opener.end()
        to = _find_top(region, rlay, " to ", begin)
        if to != -1 and (sender_m or _is_name(_strip_punct(region[begin:to]))):
            cut = _find_top(region, rlay, ",", to)
            recipient = region[to + 4:cut if cut != -1 else len(region)]
            recipient = re.sub(r"\s+(?:on|dated|of)\s*$", "", recipient)
            sender, fields["sender_gloss"], _ = _party(region[begin:to])
            fields["sender"] = sender
            fields["recipient"], fields["recipient_gloss"], fields["note"] = _party(recipient)
            found_parties = True
    elif between_m and "conversation" in (fields["kind"] or ""):
        begin = between_m.end()
        cut = _find_top(region, rlay, ",", begin)
        inner = region[begin:cut if cut != -1 else len(region)]
        inner = re.sub(r"\s+(?:on|dated)\s*$", "", inner.rstrip(" ,"))
        ilay = _layout(inner)
        conj = _find_top(inner, ilay, " and ")
        parts = [inner[:conj], inner[conj + 5:]] if conj != -1 else [inner]
        fields["parties"] = tuple(p for p in (_party(x)[0] for x in parts) if p)
        found_parties = bool(fields["parties"])
    title = _strip_punct(seg[:region_end], " ,;:")
    title = re.sub(r"\s+(?:on|dated)$", "", title)
    fields["title"] = title or None
    if date:
        fields["date"], fields["date_text"] = date[2], _clean(seg[date[0]:date[1]])
    if not (date or found_parties or head_end < len(seg)):
        return None
    end = date[1] if date else region_end
    return DocumentInfo(**{k: v for k, v in fields.items() if v is not None}), end


# -- reading a note --------------------------------------------------------

_SIGNAL = re.compile(
    r"(?P<for>[Ff]or\s+(?P<what>[^,;:]{1,160}?)\s*,?\s*see(?:\s+also)?)\s*:?\s+"
    r"|(?P<via>(?:[Aa]s\s+)?(?:[Cc]ited|[Qq]uoted)\s+in)\s*:?\s+"
    r"|(?P<pub>(?:[Rr]eprinted|[Rr]eproduced|[Pp]ublished|[Tt]ranslated|[Pp]rinted)\s+in"
    r"|(?:[Aa]n?\s+)?(?:[Ee]nglish\s+)?[Tt]ranslation\s+(?:is\s+)?in)\s*:?\s+"
    r"|(?P<also>[Ss]ee\s+also|[Cc]f\.|[Cc]ompare)\s*:?\s+"
    r"|(?P<see>[Ss]ee)\s*:?\s+"
)
_AVAILABLE = re.compile(
    r"(?:it\s+is\s+)?(?:also\s+)?available\s+(?:online\s+)?(?:at|from|on)\s+(?P<url>\S{1,300}?)[.,;]?",
    re.IGNORECASE,
)
_PREPARED = re.compile(r"(?:[Pp]repared|[Cc]ompiled|[Ww]ritten|[Ss]igned)\s+by\s+(?P<who>.{1,300}?)[\s.,;]*")
_IBID = re.compile(r"(?:ibid(?:em)?\.?|id\.)(?![\w])[\s,.:;]*", re.IGNORECASE)
_IDEM = re.compile(r"idem(?![\w])[\s,.]*", re.IGNORECASE)
_PLURAL = re.compile(r"\b(?:these|those|them|both|documents|all)\b", re.IGNORECASE)
_SINGULAR = re.compile(r"\b(?:this|it|document|the\s+(?:entire\s+)?(?:text|document))\b", re.IGNORECASE)


@dataclass(slots=True)
class _Draft:
    kind: str
    start: int
    end: int
    role: str = CITED
    signal: str | None = None
    document: DocumentInfo | None = None
    work: WorkInfo | None = None
    pages: str | None = None
    folios: bool = False
    locations: list[ArchivalRef] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)


def _signal(seg: str) -> tuple[str, str | None, bool | None, int]:
    """(role, phrase, plural, length) of the words that introduce a piece."""
    m = _SIGNAL.match(seg)
    if not m:
        return CITED, None, None, 0
    phrase = _clean(m.group().rstrip(" :"))
    if m.group("for"):
        what = m.group("what")
        role = PUBLISHED_IN if re.search(r"\b(?:text|translat\w*|version|reprint\w*)\b", what, re.I) else SEE
        plural = True if _PLURAL.search(what) else (False if _SINGULAR.search(what) else None)
        return role, phrase, plural, m.end()
    if m.group("via"):
        return VIA, phrase, None, m.end()
    if m.group("pub"):
        return PUBLISHED_IN, phrase, None, m.end()
    if m.group("also"):
        return SEE, phrase, None, m.end()
    return CITED, phrase, None, m.end()


def _attach(drafts: list[_Draft], target: int, role: str, phrase: str, plural: bool | None) -> None:
    """Relate the citation at *target* to those it qualifies (see :func:`parse_note`)."""
    primaries = [i for i in range(target) if drafts[i].role in (CITED, IN) and drafts[i].kind != COMMENTARY]
    run: list[int] = []
    for i in range(target - 1, -1, -1):
        if drafts[i].role in (CITED, IN) and drafts[i].kind != COMMENTARY:
            run.insert(0, i)
        else:
            break
    if plural is True:
        chosen = [i for i in primaries if drafts[i].kind == DOCUMENT] or run or primaries[-1:]
    elif plural is False:
        documents = [i for i in primaries if drafts[i].kind == DOCUMENT]
        chosen = documents[-1:] or primaries[-1:]
    else:
        chosen = run or primaries[-1:]
    for i in chosen:
        drafts[i].relations.append(Relation(role, target, phrase))


def _add(drafts: list[_Draft], draft: _Draft) -> None:
    if draft.kind == COMMENTARY and drafts and drafts[-1].kind == COMMENTARY:
        drafts[-1].end = draft.end
    else:
        drafts.append(draft)


_NUMBER = re.compile(r"(?P<lab>)(?P<p>\d{1,5}(?:\s{0,2}[-–]\s{0,2}\d{1,5})?)(?!\d)")


def _read_ibid(body: str, base: int, role: str, phrase: str | None) -> _Draft | None:
    """ "Ibid.", "Ibid, pp. 9-10", "Ibid., 12", "Id.", and a bare "Idem" (no title after it)."""
    m = _IBID.match(body)
    if m is None:
        m = _IDEM.match(body)
        if m is None or re.search(r"[^\W\d_]{3}", re.sub(r"\bpp?\.", "", body[m.end():])):
            return None
    pages_m = _PAGES.match(body, m.end()) or _NUMBER.match(body, m.end())
    if pages_m:
        end = pages_m.end()
        pages: str | None = _norm_pages(pages_m.group("p"))
    else:
        end = len(body[:m.end()].rstrip(" ,:;"))
        pages = None
    folios = bool(pages_m and pages_m.group("lab").lower().startswith("l"))
    return _Draft(IBID, base, base + end, role, phrase, pages=pages, folios=folios)


def _read_document_piece(text: str, piece: _Piece, skip: int, here: list[ArchivalRef], role: str,
                         phrase: str | None, drafts: list[_Draft]) -> _Draft | None:
    """A primary document (with its locations), or a bare location; None if the piece is neither.

    A bare location right after a document without one ("... 16 December 1949. Archive of the President
    ..., Fond 45, ...") is added to that document and an empty draft of kind COMMENTARY is not made: the
    function then returns the document's own draft unchanged and the caller must not add it again.
    """
    body_base = piece.start + skip
    body = text[body_base:piece.end]
    head_end = (here[0].start - body_base) if here else len(body)
    lay = _layout(body, [(loc.start - body_base, loc.end - body_base) for loc in here])
    bare = bool(here) and not body[:head_end].strip(" ,.;:")
    doc = None if bare else _read_document(body, lay, head_end, bool(here))
    if doc is None and not here:
        return None
    if bare and drafts and drafts[-1].kind == DOCUMENT and not drafts[-1].locations and piece.sep == ".":
        drafts[-1].locations.extend(here)
        drafts[-1].end = max(drafts[-1].end, here[-1].end)
        return drafts[-1]
    info, end = (doc[0], body_base + doc[1]) if doc else (DocumentInfo(), body_base)
    end = max([end, *(loc.end for loc in here)])
    return _Draft(DOCUMENT, body_base, end, role, phrase, document=info, locations=list(here))


def _read_piece(text: str, piece: _Piece, locations: list[ArchivalRef], drafts: list[_Draft]) -> None:
    seg = text[piece.start:piece.end]
    base = piece.start
    role, phrase, plural, skip = _signal(seg)
    body = seg[skip:]
    body_base = base + skip
    here = [loc for loc in locations if piece.start <= loc.start < piece.end]

    available = _AVAILABLE.fullmatch(body)
    if available and role == CITED:
        for d in reversed(drafts):
            if d.work is not None:
                d.work = replace(d.work, url=available.group("url").rstrip("."))
                d.end = max(d.end, piece.end)
                return
    prepared = _PREPARED.fullmatch(body)
    if prepared and role == CITED and drafts and drafts[-1].document is not None:
        drafts[-1].document = replace(drafts[-1].document, author=_strip_punct(prepared.group("who")))
        drafts[-1].end = piece.end
        return

    draft = _read_ibid(body, body_base, role, phrase)
    idem = _IDEM.match(body)
    if draft is None and idem:
        work = _read_work(body[idem.end():])
        if work:
            off = body_base + idem.end()
            draft = _Draft(work.kind, body_base, off + work.end, role, phrase,
                           work=replace(work.info, idem=True), pages=work.pages, folios=work.folios)
    if draft is None:
        draft = _read_document_piece(text, piece, skip, here, role, phrase, drafts)
        if drafts and draft is drafts[-1]:
            return  # a bare location added to the document before it
        if draft is not None:
            # "Telegram ..., 1 May 1950, in Weathersby, 'To Attack,' 5.": the work the document is in.
            tail = re.match(r"[\s,.;]*[Ii]n\s+(?=\S)", text[draft.end:piece.end])
            work = _read_work(text[draft.end + tail.end():piece.end]) if tail else None
            if tail and work:
                drafts.append(draft)
                off = draft.end + tail.end()
                drafts.append(_Draft(work.kind, off + work.start, off + work.end, IN, "in", work=work.info,
                                     pages=work.pages, folios=work.folios))
                _attach(drafts, len(drafts) - 1, IN, "in", None)
                return
    if draft is None:
        work = _read_work(body)
        if work:
            draft = _Draft(work.kind, body_base + work.start, body_base + work.end, role, phrase,
                           work=work.info, pages=work.pages, folios=work.folios)
    if draft is None:
        _add(drafts, _Draft(COMMENTARY, piece.start, piece.end))
        return
    if phrase:
        draft.start = base  # the citation's text includes the words that introduce it
    if (role == CITED and draft.kind != DOCUMENT and piece.sep == "." and drafts
            and drafts[-1].kind == DOCUMENT and not drafts[-1].relations):
        # "Telegram from Shtykov to Stalin, 29 May 1950. Ibid, pp. 13-14.": where the document is found.
        role = draft.role = IN
        phrase = phrase or _clean(text[draft.start:draft.end])[:40]
    drafts.append(draft)
    if role in RELATION_ROLES:
        _attach(drafts, len(drafts) - 1, role, phrase or "", plural)


def _as_text(text: object) -> str:
    if isinstance(text, str):
        return text
    if isinstance(text, bytes):
        return text.decode("utf-8", "replace")
    return "" if text is None else str(text)


def parse_note(number: int, text: str, *, abbreviations: Mapping[str, str] | None = None) -> ParsedNote:
    """Read one note into its citations (Ibid. and short forms left unresolved; see :func:`parse_notes`).

    Relation phrases attach a publication to the citations before it in the
    note: "these documents" to every document before it, "this document" to
    the last one, "Cited in" (and an unspecified phrase) to the run of
    citations right before it. A work or Ibid. that follows a document in the
    next sentence with no relation phrase ("..., 29 May 1950. Ibid, pp. 13-14.")
    is where that document is found: role IN.

    *abbreviations* are archive abbreviations defined in earlier notes.
    Never raises: a failure is reported in ``problems`` with the whole note
    kept as commentary.
    """
    text = _as_text(text)
    try:
        return _parse_note(number, text, abbreviations or {})
    except Exception as exc:  # a parser must not fail on a user's note; the failure is kept
        citation = Citation(number, 0, COMMENTARY, text[:MAX_NOTE_CHARS], 0, min(len(text), MAX_NOTE_CHARS))
        return ParsedNote(number, text, (citation,), problems=(f"citation parser failed: {exc!r}",))


def _parse_note(number: int, text: str, abbreviations: Mapping[str, str]) -> ParsedNote:
    truncated = len(text) > MAX_NOTE_CHARS
    t = text[:MAX_NOTE_CHARS]
    locations, defined = _find_locations(t, abbreviations)
    lay = _layout(t, [(loc.start, loc.end) for loc in locations])
    drafts: list[_Draft] = []
    for piece in _split(t, lay):
        _read_piece(t, piece, locations, drafts)
    citations = []
    for i, d in enumerate(drafts):
        start, end = min(d.start, d.end), max(d.start, d.end)
        citations.append(Citation(
            number, i, d.kind, t[start:end], start, end, d.role, d.signal, d.document, d.work, d.pages,
            d.folios, tuple(d.locations), tuple(d.relations),
        ))
    citations = _expand_names(citations)
    return ParsedNote(number, text, tuple(citations), defined, truncated=truncated)


def _expand_names(citations: list[Citation]) -> list[Citation]:
    """A surname alone ("Cumings repeats ...") takes the full name cited earlier in the note."""
    full: dict[str, str] = {}
    out = []
    for c in citations:
        work = c.work
        if work and work.authors:
            names = tuple(full.get(surname(a), a) if len(a.split()) == 1 else a for a in work.authors)
            if names != work.authors:
                work = replace(work, authors=names)
                c = replace(c, work=work)
            for a in names:
                full.setdefault(surname(a), a)
        out.append(c)
    return out


# -- keys ------------------------------------------------------------------


def _main_title(title: str) -> str:
    """The folded title before its subtitle: "To Attack or Not to Attack?: Stalin" -> "to attack or ..."."""
    cut = re.split(r"[:?!]\s", title + " ", maxsplit=1)[0]
    return re.sub(r"^(?:the|a|an)\s+", "", _fold(cut))


def _names_key(info: WorkInfo) -> str:
    return "+".join(surname(a) for a in (info.authors or info.editors))


def _work_key_of(info: WorkInfo) -> str:
    names = _names_key(info)
    if info.title:
        return f"work:{names}:{_main_title(info.title)}"
    return f"work:{names}:{_fold(info.container or '')}:{(info.volume or info.issue or '').replace(' ', '')}"


def work_key(citation: Citation, *, intended: bool = True) -> str | None:
    """The normalised key of the publication a citation is or points to; None for documents and commentary.

    Keys are "work:" + the authors' (or editors') surnames + ":" + the main
    title, folded ("work:weathersby:to attack or not to attack"), so a short
    form and the full citation of the same work agree. An Ibid. gives its
    resolution (the intended work unless *intended* is False).
    """
    if citation.kind == IBID:
        if citation.ibid is None:
            return None
        ref = citation.ibid.work if intended else citation.ibid.strict
        return ref.key if ref else None
    if citation.kind in WORK_KINDS and citation.work:
        return citation.refers_to.key if citation.refers_to else _work_key_of(citation.work)
    return None


_ORGANISATION = re.compile(r"\b(?:Ministry|Committee|Department|Government|Embassy|Party|Delegation|Council"
                           r"|Bureau|Politburo|Office|Staff|Command|Headquarters)\b", re.IGNORECASE)


def _party_key(name: str | None) -> str:
    if not name:
        return ""
    if _ORGANISATION.search(name) or len(name.split()) > 4:
        return _fold(re.sub(r"^(?:the)\s+", "", name, flags=re.I))
    return surname(name)


def citation_key(citation: Citation) -> str:
    """A fingerprint of the citation's content, stable across edits that do not touch it.

    Built from what the citation says, never from the note number: for a
    document its kind, sender and recipient (or parties), date and archival
    location with folios; for a publication its work key and pages; for
    Ibid. the strict work and pages; for commentary a hash of its words.
    Two notes that cite exactly the same thing get the same key.
    """
    if citation.kind == DOCUMENT:
        doc = citation.document or DocumentInfo()
        if doc.parties:
            parties = "+".join(sorted(_party_key(p) for p in doc.parties))
        else:
            parties = f"{_party_key(doc.sender)}>{_party_key(doc.recipient)}"
            parties = "" if parties == ">" else parties
        places = "+".join(f"{loc.key}/l{loc.listy or ''}" for loc in citation.locations)
        title = "" if parties else _fold(doc.title or "")[:80]
        return ":".join(("doc", doc.kind or "", parties, doc.date or "", places, title)).rstrip(":")
    pages = f"@{citation.pages}" if citation.pages else ""
    if citation.kind == IBID:
        strict = citation.ibid.strict.key if citation.ibid and citation.ibid.strict else "?"
        return f"ibid:{strict}{pages}"
    if citation.kind in WORK_KINDS and citation.work:
        return _work_key_of(citation.work) + pages
    digest = hashlib.sha1(_fold(citation.text).encode()).hexdigest()[:16]
    return f"text:{digest}"


def _family_name(name: str) -> str:
    words = name.split()
    return words[_surname_index(words)] if words else ""


def _label(info: WorkInfo) -> str:
    """A short label: "Weathersby, “Should We Fear This?”", "Cold War ... Project Bulletin 6/7"."""
    names = " and ".join(_family_name(n) for n in (info.authors or info.editors))
    if info.title:
        main = re.match(r"[^:?!]*[?!]?", info.title)
        what = f"“{shorten(main.group() if main else info.title, 60)}”"
    else:
        what = " ".join(x for x in (info.container, info.volume or info.issue) if x)
    return ", ".join(x for x in (names, what) if x) or "?"


def work_label(info: WorkInfo) -> str:
    """A publication's short label, as Ibid. and short forms name it: "Weathersby, “Should We Fear This?”"."""
    return _label(info)


# -- resolving across notes ------------------------------------------------


def _page_range(pages: str | None) -> tuple[int, int] | None:
    if not pages:
        return None
    numbers = [int(n) for n in re.findall(r"\d{1,5}", pages)]
    return (min(numbers), max(numbers)) if numbers else None


def _pp(pages: str | None) -> str:
    return f"pp. {pages}" if pages and re.search(r"[-,]", pages) else f"p. {pages}"


def _pages_fit(previous: str | None, pages: str | None) -> bool:
    """*pages* fall within, or run on from, the *previous* pages cited (up to 3 pages after)."""
    a, b = _page_range(previous), _page_range(pages)
    return bool(a and b and a[0] <= b[0] <= a[1] + 3)


def _series(citation: Citation) -> tuple[str, frozenset[str]] | None:
    """A document's series: its kind family and the correspondents, either way round."""
    doc = citation.document
    if not doc or not doc.kind:
        return None
    people = frozenset(_party_key(p) for p in (*doc.parties, doc.sender, doc.recipient) if p)
    if len(people) < 2:
        return None
    family = "telegram" if doc.kind in ("telegram", "ciphered-telegram") else doc.kind
    return family, people


def _series_label(series: tuple[str, frozenset[str]]) -> str:
    return f"{series[0]} {'–'.join(sorted(p.title() for p in series[1]))}"


@dataclass(slots=True)
class _NoteWorks:
    number: int
    strict: list[WorkRef] = field(default_factory=list)
    intended: list[WorkRef] = field(default_factory=list)
    document_sources: set[str] = field(default_factory=set)  # keys of works the note's documents are in
    series: list[tuple[tuple[str, frozenset[str]], WorkRef]] = field(default_factory=list)
    reread: IbidResolution | None = None  # the note's last Ibid. where intended differs from strict


class _Resolver:
    """Carries what later notes need from earlier ones; see :func:`parse_notes`."""

    def __init__(self) -> None:
        self.full: dict[str, tuple[WorkRef, Citation]] = {}
        self.order: list[str] = []
        self.history: list[_NoteWorks] = []
        self.last_pages: dict[str, str] = {}

    def resolve(self, note: ParsedNote) -> ParsedNote:
        works = _NoteWorks(note.number)
        refs: dict[int, tuple[WorkRef | None, WorkRef | None]] = {}  # index -> (strict, intended)
        out: list[Citation] = []
        for c in note.citations:
            if c.kind == IBID:
                res = self._ibid(c, out, works)
                c = replace(c, ibid=res)
                refs[c.index] = (res.strict, res.work)
                if res.strict:
                    works.strict.append(res.strict)
                if res.work:
                    works.intended.append(res.work)
                    if c.pages:
                        self.last_pages[res.work.key] = c.pages
                if res.intended:
                    works.reread = res
            elif c.kind in WORK_KINDS and c.work:
                c = self._work(c, works)
                ref = c.refers_to or self._ref(note.number, c)
                if c.work and not c.work.short_form and ref.key not in self.full:
                    self.full[ref.key] = (ref, c)
                    self.order.append(ref.key)
                refs[c.index] = (ref, ref)
                works.strict.append(ref)
                works.intended.append(ref)
                if c.pages:
                    self.last_pages[ref.key] = c.pages
            elif c.kind == DOCUMENT:
                for loc in c.locations:
                    ref = WorkRef(f"archive:{loc.key}", _file_label(loc), note.number, c.index)
                    works.strict.append(ref)
                    works.intended.append(ref)
            out.append(c)
        for c in out:
            if c.kind != DOCUMENT:
                continue
            sources = sorted(c.relations, key=lambda r: (PUBLISHED_IN, IN, VIA, SEE).index(r.kind))
            for r in sources:
                strict, intended = refs.get(r.target, (None, None))
                works.document_sources.update(x.key for x in (strict, intended) if x)
            series = _series(c)
            if series and sources:
                best = refs.get(sources[0].target, (None, None))[1]
                if best:
                    works.series.append((series, best))
        self.history.append(works)
        return replace(note, citations=tuple(out))

    def _ref(self, number: int, c: Citation) -> WorkRef:
        assert c.work is not None
        return WorkRef(_work_key_of(c.work), _label(c.work), number, c.index)

    def _work(self, c: Citation, works: _NoteWorks) -> Citation:
        """Give an Idem the authors of the work before it; point a short form at its full citation."""
        info = c.work
        assert info is not None
        if info.idem:
            previous = works.intended or (self.history[-1].intended if self.history else [])
            before = next((self.full[r.key][1].work for r in reversed(previous) if r.key in self.full), None)
            if before and (before.authors or before.editors):
                info = replace(info, authors=before.authors or before.editors)
                c = replace(c, work=info)
        if not info.short_form or not info.title:
            return c
        names, short = _names_key(info), _main_title(info.title)
        for key in reversed(self.order):
            ref, full = self.full[key]
            other = full.work
            if other and other.title and _names_key(other) == names and \
                    f"{_main_title(other.title)} ".startswith(f"{short} "):
                return replace(c, refers_to=ref, kind=full.kind if c.kind in (WORK, BOOK) else c.kind)
        return c

    def _ibid(self, c: Citation, done: list[Citation], works: _NoteWorks) -> IbidResolution:
        """Resolve one Ibid. by the rules listed in :func:`parse_notes`."""
        if works.strict:  # within a note: the citation just before it
            last = works.intended[-1]
            return IbidResolution(works.strict[-1], last if last.key != works.strict[-1].key else None)
        previous = self.history[-1] if self.history else None
        prev_no = previous.number if previous else None
        if previous is None or not previous.strict:
            fallback = next((h.intended[-1] for h in reversed(self.history) if h.intended), None)
            where = f"note {prev_no} cites no work" if previous else "no note comes before it"
            reason = f"{where}, so Ibid. has no antecedent under the strict rule"
            if fallback:
                reason += f"; the most recent work cited is {fallback.label} (note {self._note_of(fallback)})"
            return IbidResolution(None, fallback, reason)
        strict = previous.strict[-1]
        distinct = list({r.key: r for r in previous.strict}.values())
        ambiguous = len(distinct) > 1
        candidates = tuple(distinct) if ambiguous else ()
        intended: WorkRef | None = None
        reasons: list[str] = []
        if c.folios:
            files = [r for r in previous.strict if r.key.startswith("archive:")]
            if files and files[-1].key != strict.key:
                intended = files[-1]
                reasons.append(f"but its pages are folios (l./ll.), so it means the file {files[-1].label}")
        if intended is None and previous.reread and previous.reread.intended and \
                previous.reread.strict and previous.reread.strict.key == strict.key:
            intended = previous.reread.intended
            reasons.append(f"but it continues the reading of the Ibid. in note {prev_no}: {intended.label}")
        linked = [d for d in done if d.kind == DOCUMENT and any(r.target == c.index for r in d.relations)]
        series = next((s for s in map(_series, linked) if s), None)
        if intended is None and series and strict.key not in previous.document_sources:
            for h in reversed(self.history[-SERIES_WINDOW:-1]):
                match = next((ref for s, ref in h.series if s == series), None)
                if match:
                    if match.key != strict.key:
                        intended = match
                        reasons.append(
                            f"but note {prev_no} cites no primary document from it, while this note's "
                            f"{_series_label(series)} continues the series of note {h.number}, "
                            f"whose source is {match.label}"
                        )
                    break
        if intended is None and ambiguous and c.pages:
            fits = [r for r in distinct if _pages_fit(self.last_pages.get(r.key), c.pages)]
            if len(fits) == 1 and fits[0].key != strict.key:
                intended = fits[0]
                reasons.append(f"but {_pp(c.pages)} fit only the pages cited for {fits[0].label}")
        chosen = intended or strict
        if intended and intended.key == strict.key:
            intended = None
        previous_pages = self.last_pages.get(chosen.key)
        if c.pages and _pages_fit(previous_pages, c.pages):
            reasons.append(f"{_pp(c.pages)} fit or run on from {_pp(previous_pages)} cited before")
        if intended:
            of = f" (of the {len(distinct)} it cites)" if ambiguous else ""
            reasons.insert(0, f"Strictly, Ibid. is the last work of note {prev_no}{of}, {strict.label}")
        elif ambiguous:
            labels = "; ".join(r.label for r in distinct)
            reasons.insert(0, f"Note {prev_no} cites {len(distinct)} works ({labels}); "
                              "the strict rule takes the last")
        summary = "; ".join(reasons) + "." if (intended or ambiguous) else None
        return IbidResolution(strict, intended, summary, ambiguous, candidates)

    def _note_of(self, ref: WorkRef) -> int:
        for h in reversed(self.history):
            if any(r.key == ref.key for r in h.intended):
                return h.number
        return ref.note


def parse_notes(footnotes: Iterable[tuple[int, str]]) -> list[ParsedNote]:
    """Read notes in essay order and resolve Ibid., Idem and short forms across them.

    Short forms ("Weathersby, 'To Attack,' 3.", "Korea’s Place in the Sun,
    p. 236") are matched to the latest earlier full citation with the same
    surnames whose main title starts with the short title; ``refers_to``
    points to it and the kind is taken from it. "Idem, <title>" takes the
    authors of the work just before it. Never raises.

    The works of a note, in order, are its publications (a short form counts
    as its full citation, an Ibid. as what it refers to) and the archival
    files of its documents. An Ibid. is resolved as follows:

    * Within a note, after a work of that note: that work (strict), or what
      that work was read as (intended).
    * Strict: the last work of the preceding note, as Chicago style defines
      it. If that note cites several works the Ibid. is ``ambiguous`` and the
      works are its ``candidates``; if it cites none there is no strict
      reading and the intended one is the most recent work cited anywhere.
    * Folios: an Ibid. with "l."/"ll." means the last archival file there.
    * Run on: if the preceding note's Ibid. was re-read (intended differs
      from strict) and strictly means the same work, this one is re-read the
      same way.
    * Series: an Ibid. that gives where a document is found ("Telegram from
      Shtykov to Stalin, 16 June 1950. Ibid.") is re-read when its strict work
      was not the source of any document in the preceding note: it means the
      source of the latest document of the same series (same kind family,
      same two correspondents either way) within the last
      :data:`SERIES_WINDOW` notes.
    * Pages: after a note citing several works, the one work whose cited
      pages the Ibid.'s pages fall within or run on from (at most 3 pages
      further) is preferred. Page continuity is given in the reason.
    """
    resolver = _Resolver()
    aliases: dict[str, str] = {}
    out = []
    for number, text in footnotes:
        note = parse_note(number, text, abbreviations=aliases)
        aliases.update(note.abbreviations)
        try:
            note = resolver.resolve(note)
        except Exception as exc:  # keep the note as read; report the failure
            note = replace(note, problems=(*note.problems, f"cross-note resolution failed: {exc!r}"))
        out.append(note)
    return out

