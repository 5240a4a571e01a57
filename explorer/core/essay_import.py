"""Import an essay from the plain text Apache Tika / POI extracts from a .docx.

The format, as POI writes it:

* ``[bookmark: NAME]`` for Word bookmarks (dropped);
* ``[footnoteRef:N]`` (``[endnoteRef:N]`` for endnotes) where a note is cited;
* ``[N: text]`` for each note's body, after the paragraph that cites it;
* one paragraph per line, some starting with a tab.

Note bodies contain brackets of their own (``[hereafter AVPRF]``), so bodies
are read with a bracket-balancing scanner, never a regular expression that
stops at the first ``]``. A final paragraph that begins "Note:" (or
"Editor's note:") is an editorial note, not essay text.

Problems (a reference with no body, a body with no reference, a number used
twice, a body never closed) are errors with line and column, never guesses.
The limits below bound what a hostile file can cost: reading is linear in the
text and stops, saying where, past :data:`MAX_PARAGRAPHS` paragraphs,
:data:`MAX_NOTES` notes or :data:`~explorer.core.errors.MAX_PROBLEMS` problems.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from explorer.core.errors import MAX_PROBLEMS, CorpusError, Problem
from explorer.core.essay import BODY, EDITORIAL, Essay, Footnote, FootnoteMarker, Passage
from explorer.core.textfile import decode_text, read_bytes_limited

#: Largest essay source accepted, in bytes (an essay is ~50 KB; 50 MB is a book).
MAX_ESSAY_BYTES = 64 * 1024 * 1024

#: Most paragraphs and most footnotes an essay may have (a book has a few
#: thousand of each; a corpus of 100,000 events ~50,000). Each costs ~3 us and
#: ~1 KB to read, so these bound a hostile file to seconds and megabytes.
MAX_PARAGRAPHS = 500_000
MAX_NOTES = 500_000
#: Longest footnote number read as one (int() refuses over 4,300 digits).
MAX_NOTE_DIGITS = 9

_REF_PATTERN = r"\[(footnoteRef|endnoteRef):\s*(\d+)\]"
# Word bookmark names hold no brackets; stopping at '[' keeps a line of
# "[bookmark:[bookmark:..." linear instead of rescanning to its end each time.
_BOOKMARK_PATTERN = r"\[bookmark:[^\[\]\n]*\]"
_BODY_START_PATTERN = r"\[(\d+):"
_REF = re.compile(_REF_PATTERN)
_BOOKMARK = re.compile(_BOOKMARK_PATTERN)
_BODY_START = re.compile(_BODY_START_PATTERN)
_SPACE = re.compile(r"\s+")
# Plain text up to the next line end or the next '[' that starts a token (built
# from the token patterns, so the two cannot disagree): "[[[[..." or a book of
# brackets is one match, not a loop turn per character. Plain greedy
# repeats, never possessive ones or atomic groups: CPython 3.11.0-3.11.4
# mishandle a possessive repeat around a lookahead (CPython issue 100061;
# this pattern then ran over every token, and Debian 12's Python 3.11.2
# imported the essay with no notes). Nothing follows the repeats and each
# turn starts at a '[' the one before cannot match, so there is nothing to
# backtrack into and the match stays linear.
_PLAIN_RUN = re.compile(
    rf"[^\[\n]*(?:(?!{_BOOKMARK_PATTERN}|{_REF_PATTERN}|{_BODY_START_PATTERN})\[[^\[\n]*)*"
)
_BRACKET = re.compile(r"[\[\]]")
_EDITORIAL = re.compile(r"^(note|editor[’']?s note|editorial note)\s*:", re.IGNORECASE)


@dataclass
class _Paragraph:
    line: int
    parts: list[str | int] = field(default_factory=list)  # text, or a note number


@dataclass
class _Pos:
    line: int
    column: int


def read_essay_file(path: Path) -> Essay:
    """Read and import an essay source file (UTF-8, BOM allowed)."""
    data = read_bytes_limited(path, MAX_ESSAY_BYTES, "essays")
    return import_tika_text(decode_text(data, str(path), "an essay"), str(path))


def import_tika_text(text: str, source: str = "<essay>") -> Essay:
    """Parse Tika/POI plain text into passages and footnotes.

    Raises :class:`CorpusError` listing every structural problem found.
    """
    if "\x00" in text:
        raise CorpusError.single(source, None, "the text contains NUL characters; it is not an essay")
    problems: list[Problem] = []
    omitted = 0  # problems past MAX_PROBLEMS, counted only: a hostile file has millions
    paragraphs: list[_Paragraph] = []
    bodies: dict[int, tuple[str, _Pos]] = {}
    body_owner: dict[int, int] = {}  # note number -> index of the paragraph it follows
    refs: dict[int, _Pos] = {}
    pos = _LineCounter(text)

    def report(problem: Problem) -> None:
        nonlocal omitted
        if len(problems) < MAX_PROBLEMS:
            problems.append(problem)
        else:
            omitted += 1

    def number_of(digits: str, at: _Pos) -> int | None:
        if len(digits) <= MAX_NOTE_DIGITS:
            return int(digits)
        report(Problem(source, at.line, f"a footnote number of {len(digits):,} digits "
                       f"(at most {MAX_NOTE_DIGITS} are read)", None, at.column))
        return None

    i = 0
    n = len(text)
    current: _Paragraph | None = None
    buf: list[str] = []

    def flush_text() -> None:
        if buf and current is not None:
            current.parts.append("".join(buf))
        buf.clear()

    stopped = False
    while i < n:
        limit = _limit_reached(len(paragraphs), len(refs), len(bodies), len(problems))
        if limit:
            at = pos(i)
            problems.append(Problem(source, at.line, f"reading stopped here: {limit}", None, at.column))
            stopped = True
            break
        ch = text[i]
        if ch == "\n":
            flush_text()
            current = None
            i = _SPACE.match(text, i).end()  # type: ignore[union-attr]  # blank lines and indents too
            continue
        if ch == "[":
            m = _BOOKMARK.match(text, i)
            if m:
                i = m.end()
                continue
            m = _REF.match(text, i)
            if m:
                number = number_of(m.group(2), pos(i))
                if number is None:
                    i = m.end()
                    continue
                if current is None:
                    current = _Paragraph(pos(i).line)
                    paragraphs.append(current)
                flush_text()
                if number in refs:
                    p = pos(i)
                    report(
                        Problem(source, p.line, f"footnote {number} is referenced twice "
                                f"(first at line {refs[number].line})", f"footnote {number}", p.column)
                    )
                else:
                    refs[number] = pos(i)
                current.parts.append(number)
                i = m.end()
                continue
            m = _BODY_START.match(text, i)
            if m:
                start = pos(i)
                number = number_of(m.group(1), start)
                name = f"footnote {number}" if number is not None else "a footnote"
                end = _matching_bracket(text, i)
                if end is None:
                    report(
                        Problem(source, start.line, f"the body of {name} is never closed with ']'",
                                name, start.column)
                    )
                    break
                if number is not None and number in bodies:
                    report(
                        Problem(source, start.line, f"footnote {number} has two bodies "
                                f"(first at line {bodies[number][1].line})", f"footnote {number}", start.column)
                    )
                elif number is not None:
                    bodies[number] = (_clean(text[m.end():end]), start)
                    body_owner[number] = len(paragraphs) - 1
                flush_text()
                i = end + 1
                continue
        if current is None:
            if ch.isspace():
                i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
                continue
            current = _Paragraph(pos(i).line)
            paragraphs.append(current)
        # Plain text up to the next token or line end, in one step: a
        # character at a time takes seconds on a book-length essay.
        end = _PLAIN_RUN.match(text, i + 1).end()  # type: ignore[union-attr]
        buf.append(text[i:end])
        i = end
    flush_text()

    for number, where in () if stopped else refs.items():
        if number not in bodies:
            report(Problem(source, where.line, f"footnote {number} is referenced but has no body",
                           f"footnote {number}", where.column))
    for number, (_body, where) in () if stopped else bodies.items():
        if number not in refs:
            report(Problem(source, where.line, f"footnote {number} has a body but is never referenced",
                           f"footnote {number}", where.column))
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise CorpusError(problems, omitted)

    passages, placed = _build_passages(paragraphs)
    if not passages:
        raise CorpusError.single(source, None, "the essay has no text")
    footnotes = tuple(
        Footnote(number, bodies[number][0], placed[number][0], placed[number][1], bodies[number][1].line)
        for number in sorted(bodies)
    )
    return Essay(source, tuple(passages), footnotes)


class _LineCounter:
    """Line and column of an offset in *text*, for offsets met in increasing order.

    Counts the newlines since the last offset asked for, so a file of 50
    million short lines needs no table of where each line starts.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1
        self.line_start = 0

    def __call__(self, index: int) -> _Pos:
        if index < self.offset:  # not met in order: count again from the top
            self.offset, self.line, self.line_start = 0, 1, 0
        newlines = self.text.count("\n", self.offset, index)
        if newlines:
            self.line += newlines
            self.line_start = self.text.rfind("\n", self.offset, index) + 1
        self.offset = index
        return _Pos(self.line, index - self.line_start + 1)


def _limit_reached(paragraphs: int, refs: int, bodies: int, problems: int) -> str | None:
    if paragraphs > MAX_PARAGRAPHS:
        return f"essays of over {MAX_PARAGRAPHS:,} paragraphs are refused"
    if max(refs, bodies) > MAX_NOTES:
        return f"essays of over {MAX_NOTES:,} footnotes are refused"
    if problems >= MAX_PROBLEMS - 1:
        return f"{problems:,} problems found; fix these first"
    return None


def _matching_bracket(text: str, start: int) -> int | None:
    """Index of the ``]`` closing the ``[`` at *start*, counting nested pairs."""
    close = text.find("]", start)
    if close >= 0 and text.find("[", start + 1, close) < 0:  # most bodies hold no brackets
        return close
    depth = 0
    for m in _BRACKET.finditer(text, start):
        if m.group() == "[":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return m.start()
    return None


def _clean(raw: str) -> str:
    return _SPACE.sub(" ", raw).strip()


def _build_passages(paragraphs: list[_Paragraph]) -> tuple[list[Passage], dict[int, tuple[str, int]]]:
    """Turn raw paragraphs into passages with clean text and marker offsets."""
    kept: list[tuple[_Paragraph, str, list[FootnoteMarker]]] = []
    for para in paragraphs:
        # The text is kept as pieces: ``clean += piece`` and ``clean.rstrip()``
        # copy the whole paragraph per marker, hours for a book-sized one.
        # Whitespace is single spaces, never two in a row, so "rstrip" is
        # dropping one space from the last piece.
        pieces: list[str] = []
        length = 0
        markers: list[FootnoteMarker] = []
        for part in para.parts:
            if isinstance(part, int):
                if pieces and pieces[-1].endswith(" "):
                    pieces[-1] = pieces[-1][:-1]
                    length -= 1
                    if not pieces[-1]:
                        pieces.pop()
                markers.append(FootnoteMarker(part, length))
                continue
            piece = _SPACE.sub(" ", part)
            if not pieces:
                piece = piece.lstrip()
            elif pieces[-1].endswith(" ") and piece.startswith(" "):
                piece = piece[1:]
            if piece:
                pieces.append(piece)
                length += len(piece)
        clean = "".join(pieces).rstrip()
        markers = [FootnoteMarker(m.number, min(m.offset, len(clean))) for m in markers]
        if clean or markers:
            kept.append((para, clean, markers))

    width = max(2, len(str(len(kept))))
    passages: list[Passage] = []
    placed: dict[int, tuple[str, int]] = {}
    for index, (para, clean, markers) in enumerate(kept):
        kind = BODY
        if index == len(kept) - 1 and index > 0 and not markers and _EDITORIAL.match(clean):
            kind = EDITORIAL
        pid = f"p{index + 1:0{width}d}"
        passages.append(Passage(pid, index, clean, kind, para.line, tuple(markers)))
        for marker in markers:
            placed[marker.number] = (pid, marker.offset)
    return passages, placed
