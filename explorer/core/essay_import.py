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
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from explorer.core.errors import CorpusError, Problem
from explorer.core.essay import BODY, EDITORIAL, Essay, Footnote, FootnoteMarker, Passage
from explorer.core.textfile import decode_text, read_bytes_limited

#: Largest essay source accepted, in bytes (an essay is ~50 KB; 50 MB is a book).
MAX_ESSAY_BYTES = 64 * 1024 * 1024

_REF = re.compile(r"\[(footnoteRef|endnoteRef):\s*(\d+)\]")
_BOOKMARK = re.compile(r"\[bookmark:[^\]\n]*\]")
_BODY_START = re.compile(r"\[(\d+):")
_SPACE = re.compile(r"\s+")
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
    paragraphs: list[_Paragraph] = []
    bodies: dict[int, tuple[str, _Pos]] = {}
    body_owner: dict[int, int] = {}  # note number -> index of the paragraph it follows
    refs: dict[int, _Pos] = {}

    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def pos(index: int) -> _Pos:
        # bisect by hand to avoid importing for one call site
        lo, hi = 0, len(line_starts)
        while lo + 1 < hi:
            mid = (lo + hi) // 2
            if line_starts[mid] <= index:
                lo = mid
            else:
                hi = mid
        return _Pos(lo + 1, index - line_starts[lo] + 1)

    i = 0
    n = len(text)
    current: _Paragraph | None = None
    buf: list[str] = []

    def flush_text() -> None:
        if buf and current is not None:
            current.parts.append("".join(buf))
        buf.clear()

    while i < n:
        ch = text[i]
        if ch == "\n":
            flush_text()
            current = None
            i += 1
            continue
        if ch == "[":
            m = _BOOKMARK.match(text, i)
            if m:
                i = m.end()
                continue
            m = _REF.match(text, i)
            if m:
                number = int(m.group(2))
                if current is None:
                    current = _Paragraph(pos(i).line)
                    paragraphs.append(current)
                flush_text()
                if number in refs:
                    p = pos(i)
                    problems.append(
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
                number = int(m.group(1))
                end = _matching_bracket(text, i)
                start = pos(i)
                if end is None:
                    problems.append(
                        Problem(source, start.line, f"the body of footnote {number} is never closed with ']'",
                                f"footnote {number}", start.column)
                    )
                    break
                if number in bodies:
                    problems.append(
                        Problem(source, start.line, f"footnote {number} has two bodies "
                                f"(first at line {bodies[number][1].line})", f"footnote {number}", start.column)
                    )
                else:
                    bodies[number] = (_clean(text[m.end():end]), start)
                    body_owner[number] = len(paragraphs) - 1
                flush_text()
                i = end + 1
                continue
        if current is None:
            if ch.isspace():
                i += 1
                continue
            current = _Paragraph(pos(i).line)
            paragraphs.append(current)
        buf.append(ch)
        i += 1
    flush_text()

    for number, where in refs.items():
        if number not in bodies:
            problems.append(Problem(source, where.line, f"footnote {number} is referenced but has no body",
                                    f"footnote {number}", where.column))
    for number, (_body, where) in bodies.items():
        if number not in refs:
            problems.append(Problem(source, where.line, f"footnote {number} has a body but is never referenced",
                                    f"footnote {number}", where.column))
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise CorpusError(problems)

    passages, placed = _build_passages(paragraphs)
    if not passages:
        raise CorpusError.single(source, None, "the essay has no text")
    footnotes = tuple(
        Footnote(number, bodies[number][0], placed[number][0], placed[number][1], bodies[number][1].line)
        for number in sorted(bodies)
    )
    return Essay(source, tuple(passages), footnotes)


def _matching_bracket(text: str, start: int) -> int | None:
    """Index of the ``]`` closing the ``[`` at *start*, counting nested pairs."""
    depth = 0
    for i in range(start, len(text)):
        c = text[i]
        if c == "[":
            depth += 1
        elif c == "]":
            depth -= 1
            if depth == 0:
                return i
    return None


def _clean(raw: str) -> str:
    return _SPACE.sub(" ", raw).strip()


def _build_passages(paragraphs: list[_Paragraph]) -> tuple[list[Passage], dict[int, tuple[str, int]]]:
    """Turn raw paragraphs into passages with clean text and marker offsets."""
    kept: list[tuple[_Paragraph, str, list[FootnoteMarker]]] = []
    for para in paragraphs:
        clean = ""
        markers: list[FootnoteMarker] = []
        for part in para.parts:
            if isinstance(part, int):
                clean = clean.rstrip()
                markers.append(FootnoteMarker(part, len(clean)))
                continue
            piece = _SPACE.sub(" ", part)
            if not clean:
                piece = piece.lstrip()
            elif clean.endswith(" ") and piece.startswith(" "):
                piece = piece[1:]
            clean += piece
        clean = clean.rstrip()
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
