"""Publications: books, chapters, articles, bulletins, working papers and manuscripts in a note's piece."""

from __future__ import annotations

import re
from dataclasses import dataclass

from explorer.core.citations.dates import _M
from explorer.core.citations.layout import _DASHES, _clean, _find_top, _Layout, _layout, _strip_punct
from explorer.core.citations.names import _SMALL_WORDS, _author_block, _subject, _title_before
from explorer.core.citations.result import (
    ARTICLE,
    BOOK,
    BULLETIN_ARTICLE,
    CHAPTER,
    MANUSCRIPT,
    PERIODICAL,
    WORK,
    WORKING_PAPER,
    WorkInfo,
)

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
