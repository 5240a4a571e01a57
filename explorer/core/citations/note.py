"""Reading one note: relation phrases, Ibid., Idem, documents and works, piece by piece."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from explorer.core.citations.documents import _read_document
from explorer.core.citations.layout import _as_text, _clean, _layout, _strip_punct
from explorer.core.citations.locations import _find_locations
from explorer.core.citations.names import surname
from explorer.core.citations.result import (
    CITED,
    COMMENTARY,
    DOCUMENT,
    IBID,
    IN,
    MAX_NOTE_CHARS,
    PUBLISHED_IN,
    RELATION_ROLES,
    SEE,
    VIA,
    ArchivalRef,
    Citation,
    DocumentInfo,
    ParsedNote,
    Relation,
    WorkInfo,
)
from explorer.core.citations.splitting import _Piece, _split
from explorer.core.citations.works import _PAGES, _norm_pages, _read_work

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
