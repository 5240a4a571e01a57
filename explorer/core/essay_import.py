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

Every note marker and every note body is accounted for. Problems (a
reference with no body, a body with no reference, a number used twice,
numbers that skip or go backwards, a body never closed or running into
another note's marker or body, text after a body that a stray ``]`` cut
short, a reference that cannot be read) are errors with line and column,
never a silent merge. With ``lenient=True`` the ones that can be read
without losing text (all but a missing or doubled note) become warnings
that say how they were read: a body that runs into another note ends at its
last ``]`` before it (or just before it), and the rest is read as usual.
The limits below bound what a hostile file can cost: reading is linear in the
text and stops, saying where, past :data:`MAX_PARAGRAPHS` paragraphs,
:data:`MAX_NOTES` notes or :data:`~explorer.core.errors.MAX_PROBLEMS` problems.
"""

from __future__ import annotations

import re
from collections.abc import Callable
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
# The end of a run of plain text: the next line end, or the next '[' that
# starts a token or a reference to read (one that cannot be read is then
# reported, never swallowed as text). A search, not a loop turn per
# character: "[[[[..." or a book of brackets costs one call. No possessive
# repeats or atomic groups (CPython 3.11.0-3.11.4 mishandle a possessive
# repeat around a lookahead, issue 100061: an earlier pattern then ran over
# every token, and Debian 12's Python 3.11.2 imported the essay with no notes).
_PLAIN_END = re.compile(rf"\n|\[(?={_BOOKMARK_PATTERN[2:]}|footnoteRef|endnoteRef|{_BODY_START_PATTERN[2:]})")
# Inside a note body: brackets, and the tokens that can only start another note.
_BODY_TOKEN = re.compile(r"\[(?:footnoteRef|endnoteRef|\d+:)|[\[\]]")
_NUMBER_AFTER = re.compile(r"\[(?:footnoteRef:|endnoteRef:)?\s*(\d*)")
_BAD_REF = re.compile(r"\[(?:footnoteRef|endnoteRef)[^\]\n]{0,40}\]?")
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
    return read_essay_file_lenient(path, lenient=False)[0]


def read_essay_file_lenient(path: Path, lenient: bool = True) -> tuple[Essay, list[Problem]]:
    """Read an essay source file; with *lenient*, also the problems read past (see :func:`parse_tika_text`)."""
    data = read_bytes_limited(path, MAX_ESSAY_BYTES, "essays")
    return parse_tika_text(decode_text(data, str(path), "an essay"), str(path), lenient=lenient)


def import_tika_text(text: str, source: str = "<essay>") -> Essay:
    """Parse Tika/POI plain text into passages and footnotes.

    Raises :class:`CorpusError` listing every structural problem found.
    """
    return parse_tika_text(text, source, lenient=False)[0]


def parse_tika_text(text: str, source: str = "<essay>", lenient: bool = False) -> tuple[Essay, list[Problem]]:
    """Parse Tika/POI plain text into an essay, and the problems read past.

    Strict (the default), every problem is an error: :class:`CorpusError`
    lists them all and the list returned is empty. With *lenient*, problems
    that can be read without losing any text (numbers that skip or go back,
    a body not closed where it should be, text after a body) are returned,
    each saying how it was read; the rest are still errors.
    """
    if "\x00" in text:
        raise CorpusError.single(source, None, "the text contains NUL characters; it is not an essay")
    problems: list[Problem] = []
    warnings: list[Problem] = []
    omitted = 0  # problems past MAX_PROBLEMS, counted only: a hostile file has millions
    paragraphs: list[_Paragraph] = []
    bodies: dict[int, tuple[str, _Pos]] = {}
    refs: dict[int, _Pos] = {}
    pos = _LineCounter(text)

    def report(problem: Problem, readable: bool = False) -> None:
        """An error; with *lenient*, a *readable* one (read past without losing text) is a warning."""
        nonlocal omitted
        if readable and lenient:
            if len(warnings) < MAX_PROBLEMS:
                warnings.append(problem)
            return
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
    # The note whose body closed last on this line: POI writes bodies at the
    # end of their paragraph, so text after one means a ']' closed it early.
    after_body: tuple[int, int] | None = None  # (number, offset of its closing ']')

    def flush_text() -> None:
        if buf and current is not None:
            current.parts.append("".join(buf))
        buf.clear()

    stopped = False
    while i < n:
        limit = _limit_reached(len(paragraphs), len(refs), len(bodies), max(len(problems), len(warnings)))
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
            stray = _unmatched_close(text, i) if after_body is not None else None
            if after_body is not None and stray is not None:
                # A body ending its paragraph, then a ']' the next one never opened: the note had more paragraphs.
                _report_after_body(report, source, after_body, stray, "an unmatched ']' in the next paragraph", pos)
            after_body = None
            continue
        if ch == "[":
            m = _BOOKMARK.match(text, i)
            if m:
                i = m.end()
                continue
            m = _REF.match(text, i)
            if m:
                if after_body is not None:
                    _report_after_body(report, source, after_body, i, "a footnote reference", pos)
                    after_body = None
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
                end, stop, last_close = _scan_body(text, i)
                resume = end + 1 if end is not None else None
                if end is None:
                    # Read as ending at its last ']' before the next note (or the end), else just before it.
                    end = last_close if last_close > m.end() else stop
                    resume = end + 1 if end == last_close else stop
                    report(_unclosed_body(text, source, name, start, m.end(), end, stop, last_close, pos), True)
                if number is not None and number in bodies:
                    report(
                        Problem(source, start.line, f"footnote {number} has two bodies "
                                f"(first at line {bodies[number][1].line})", f"footnote {number}", start.column)
                    )
                elif number is not None:
                    bodies[number] = (_clean(text[m.end():end]), start)
                    if not bodies[number][0]:
                        report(Problem(source, start.line, f"the body of {name} is empty (read as an empty note)",
                                       name, start.column), True)
                flush_text()
                after_body = None if number is None else (number, end)
                assert resume is not None
                i = resume
                continue
            m = _BAD_REF.match(text, i)
            if m:
                at = pos(i)
                report(Problem(source, at.line, f"a footnote reference that cannot be read: {m.group()!r} "
                               "(read as text)", None, at.column), True)
        if current is None:
            if ch.isspace():
                i = _SPACE.match(text, i).end()  # type: ignore[union-attr]
                continue
            current = _Paragraph(pos(i).line)
            paragraphs.append(current)
        # Plain text up to the next token or line end, in one step: a
        # character at a time takes seconds on a book-length essay.
        found = _PLAIN_END.search(text, i + 1)
        end = found.start() if found else n
        if after_body is not None:
            run = text[i:end]
            stripped = run.lstrip()
            if stripped:
                _report_after_body(report, source, after_body, i + len(run) - len(stripped), "text", pos)
                after_body = None
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
    if not stopped:
        _check_numbering(report, source, refs)
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
    warnings.sort(key=lambda p: (p.line or 0, p.column or 0))
    return Essay(source, tuple(passages), footnotes), warnings


def _unclosed_body(text: str, source: str, name: str, start: _Pos, inner: int, end: int, stop: int,
                   last_close: int, pos: _LineCounter) -> Problem:
    """The problem of a body not closed before *stop* (the next note's token, or the end of the text)."""
    # The '[' left open: scanning back from where the body is read to end, the first '[' no ']' matches.
    depth = 0
    culprit = -1
    for k in range(end - 1, inner - 1, -1):
        c = text[k]
        if c == "]":
            depth += 1
        elif c == "[":
            if depth == 0:
                culprit = k
                break
            depth -= 1
    # Positions asked in increasing order, so the line counter moves forward.
    open_at = pos(culprit) if culprit >= 0 else None
    close_at = pos(end) if end == last_close else None
    if stop >= len(text):
        message = f"the body of {name} is never closed with ']'"
    else:
        what = "the body of" if text[stop + 1].isdigit() else "the reference to"
        number = _NUMBER_AFTER.match(text, stop, stop + 30 + MAX_NOTE_DIGITS)
        other = f"footnote {number.group(1)}" if number and number.group(1) else "another footnote"
        at = pos(stop)
        message = f"the body of {name} is not closed before {what} {other} at line {at.line}, column {at.column}"
    if open_at is not None:
        message += f"; the '[' at line {open_at.line}, column {open_at.column} is never closed"
    if close_at is not None:
        message += f" (read as ending at the ']' at line {close_at.line}, column {close_at.column})"
    else:
        message += " (read as ending there)"
    return Problem(source, start.line, message, name, start.column)


def _unmatched_close(text: str, start: int) -> int | None:
    """The offset of the first ']' on the line from *start* that no '[' on it opened, or None."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    close = text.find("]", start, end)
    if close < 0:
        return None
    depth = 0
    for k in range(start, end):  # only lines holding a ']' get here
        c = text[k]
        if c == "[":
            depth += 1
        elif c == "]":
            if depth == 0:
                return k
            depth -= 1
    return None


def _report_after_body(report: Callable[[Problem, bool], None], source: str, body: tuple[int, int], offset: int,
                       what: str, pos: _LineCounter) -> None:
    number, close = body
    closed = pos(close)  # before *offset*: the line counter moves forward
    at = pos(offset)
    report(Problem(source, at.line, f"{what} after the body of footnote {number}, which the ']' at line "
                   f"{closed.line}, column {closed.column} closes: POI writes note bodies at the end of their "
                   "paragraph, so that ']' may be a stray one inside the note (read as essay text)",
                   f"footnote {number}", at.column), True)


def _check_numbering(report: Callable[[Problem, bool], None], source: str, refs: dict[int, _Pos]) -> None:
    """Footnotes are numbered 1, 2, 3 ... in the order they are cited: a gap or a step back is a problem."""
    previous = 0
    for number, at in refs.items():  # in the order first cited
        if number == previous + 1:
            pass
        elif previous == 0:
            report(Problem(source, at.line, f"the first footnote is numbered {number}, not 1",
                           f"footnote {number}", at.column), True)
        elif number > previous:
            missing = f"{previous + 1}" if number == previous + 2 else f"{previous + 1}-{number - 1}"
            report(Problem(source, at.line, f"footnote numbers jump from {previous} to {number} "
                           f"(no footnote {missing})", f"footnote {number}", at.column), True)
        else:
            report(Problem(source, at.line, f"footnote {number} is cited after footnote {previous} "
                           "(numbers go back)", f"footnote {number}", at.column), True)
        previous = number


class _LineCounter:
    """Line and column of an offset in *text*, for offsets met in increasing order.

    Counts the newlines since the last offset asked for, so a file of 50
    million short lines needs no table of where each line starts. Going back
    counts the newlines passed over again.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.offset = 0
        self.line = 1
        self.line_start = 0

    def __call__(self, index: int) -> _Pos:
        if index < self.offset:  # back a little (a problem's positions inside a note body)
            newlines = self.text.count("\n", index, self.offset)
            if newlines:
                self.line -= newlines
                self.line_start = self.text.rfind("\n", 0, index) + 1
            self.offset = index
            return _Pos(self.line, index - self.line_start + 1)
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


def _scan_body(text: str, start: int) -> tuple[int | None, int, int]:
    """Where the body whose ``[N:`` is at *start* ends: ``(close, stop, last_close)``.

    *close* is the ``]`` closing it, counting nested pairs, or None when the
    body is not closed before *stop*: the next token that can only start
    another note (a reference, a body), or the end of the text. *last_close*
    is the last ``]`` before that (-1 if none).
    """
    close = text.find("]", start)
    if close >= 0 and text.find("[", start + 1, close) < 0:  # most bodies hold no brackets
        return close, close, close
    depth = 0
    last_close = -1
    for m in _BODY_TOKEN.finditer(text, start):
        token = m.group()
        if token == "]":
            depth -= 1
            last_close = m.start()
            if depth == 0:
                return last_close, last_close, last_close
        elif token == "[" or m.start() == start:
            depth += 1
        else:
            return None, m.start(), last_close
    return None, len(text), last_close


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
