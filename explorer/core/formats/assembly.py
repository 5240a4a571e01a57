"""What every reader shares: paragraphs and notes in, one :class:`Essay` out.

A reader walks its format and feeds an :class:`EssayBuilder`: paragraphs of
text pieces (italic or not) and note references, and the notes' bodies, each
under the reader's own key (a Word note id, an ODF note's place, a Markdown
label). The builder makes the same model from all of them:

* whitespace collapsed to single spaces, as the Tika reader does; a space
  before a note mark is dropped (the mark stands after the word);
* passages ``p01``, ``p02``... in reading order; a closing paragraph that
  begins "Note:" is an editorial note, as in the Tika reader;
* **numbering**: footnotes are numbered 1..N in the order they are first
  referenced, then endnotes N+1..N+M in the same way. ``Footnote.label``
  keeps the mark the source shows when it differs from that number (a custom
  mark such as ``*``, an endnote's own ``i``/``1``, a Markdown label);
* a reference with no note, a note never referenced, or an essay with no
  notes at all is an error, never a guess: no note is dropped in silence.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import cast

from explorer.core.errors import CorpusError, Problem
from explorer.core.essay import BODY, EDITORIAL, ENDNOTE, FOOTNOTE, Essay, Footnote, FootnoteMarker, Passage

_SPACE = re.compile(r"\s+")
_EDITORIAL = re.compile(r"^(note|editor[’']?s note|editorial note)\s*:", re.IGNORECASE)

#: Most paragraphs and notes one essay may have (the Tika reader's bounds).
MAX_PARAGRAPHS = 500_000
MAX_NOTES = 500_000


@dataclass
class Paragraph:
    """One paragraph as a reader found it: text pieces and note references, in order."""

    kind: str = BODY
    line: int | None = None
    parts: list[tuple[str, bool] | Hashable] = field(default_factory=list)
    # (text, italic) or a note key wrapped in _Ref

    def text(self, text: str, italic: bool = False) -> None:
        if text:
            self.parts.append((text, italic))

    def reference(self, key: Hashable) -> None:
        self.parts.append(_Ref(key))

    def plain(self) -> str:
        """The paragraph's text alone, whitespace collapsed (for a note's body or a title)."""
        text = "".join([p[0] for p in self.parts if isinstance(p, tuple)])
        return (text if text.isprintable() and "  " not in text else _SPACE.sub(" ", text)).strip()


@dataclass(frozen=True, slots=True)
class _Ref:
    key: Hashable


@dataclass
class _Note:
    kind: str
    text: str
    label: str | None  # as the source shows it; None where the reader leaves it to the number
    line: int | None
    where: str  # how the source names it, for errors ("footnote id 3", "[^a]")


class EssayBuilder:
    """Collects a reader's paragraphs and notes and builds the :class:`Essay`."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.paragraphs: list[Paragraph] = []
        self.notes: dict[Hashable, _Note] = {}
        self.title: str | None = None
        self.problems: list[Problem] = []

    def paragraph(self, kind: str = BODY, line: int | None = None) -> Paragraph:
        """A new paragraph, placed now (so a text box's paragraphs follow the one holding them)."""
        if len(self.paragraphs) >= MAX_PARAGRAPHS:
            raise CorpusError.single(self.source, line, f"essays of over {MAX_PARAGRAPHS:,} paragraphs are refused")
        para = Paragraph(kind, line)
        self.paragraphs.append(para)
        return para

    def note(self, key: Hashable, kind: str, text: str, label: str | None = None, line: int | None = None,
             where: str = "") -> None:
        if len(self.notes) >= MAX_NOTES:
            raise CorpusError.single(self.source, line, f"essays of over {MAX_NOTES:,} notes are refused")
        text = text if text.isprintable() and "  " not in text else _SPACE.sub(" ", text)
        self.notes[key] = _Note(kind, text.strip(), label, line, where or str(key))

    def problem(self, line: int | None, message: str, key: str | None = None) -> None:
        self.problems.append(Problem(self.source, line, message, key))

    def build(self) -> Essay:
        """The essay; raises :class:`CorpusError` listing every problem found."""
        kept = [(para, *_clean(para)) for para in self.paragraphs]
        kept = [k for k in kept if k[1] or k[2]]
        first_ref: dict[Hashable, int | None] = {}
        for para, _text, markers, _italics in kept:
            for _offset, key in markers:
                if key not in first_ref:
                    first_ref[key] = para.line
        problems = list(self.problems)
        for key, line in first_ref.items():
            if key not in self.notes:
                problems.append(Problem(self.source, line, f"a note is referenced ({_name(key)}) but the "
                                        "document has no such note", _name(key)))
        for key, note in self.notes.items():
            if key not in first_ref:
                problems.append(Problem(self.source, note.line, f"the {note.kind} {note.where} is never "
                                        "referenced in the text (it would be lost)", note.where))
        if problems:
            raise CorpusError(problems)
        if not kept:
            raise CorpusError.single(self.source, None, "the essay has no text")
        if not self.notes:
            raise CorpusError.single(self.source, None, "the essay has no footnotes or endnotes; the explorer "
                                     "follows an essay through its notes, so there is nothing to import")

        order = [k for k in first_ref if self.notes[k].kind != ENDNOTE]
        order += [k for k in first_ref if self.notes[k].kind == ENDNOTE]
        numbers = {key: n for n, key in enumerate(order, start=1)}

        width = max(2, len(str(len(kept))))
        passages: list[Passage] = []
        placed: dict[Hashable, tuple[str, int]] = {}
        for index, (para, text, markers, italics) in enumerate(kept):
            kind = para.kind
            if kind == BODY and index == len(kept) - 1 and index > 0 and not markers and _EDITORIAL.match(text):
                kind = EDITORIAL
            pid = f"p{index + 1:0{width}d}"
            passages.append(Passage(pid, index, text, kind, para.line,
                                    tuple(FootnoteMarker(numbers[key], offset) for offset, key in markers),
                                    tuple(italics)))
            for offset, key in markers:
                placed.setdefault(key, (pid, offset))
        footnotes = []
        for key in order:
            note = self.notes[key]
            number = numbers[key]
            label = note.label if note.label not in (None, str(number)) else None
            pid, offset = placed[key]
            footnotes.append(Footnote(number, note.text, pid, offset, note.line, label,
                                      ENDNOTE if note.kind == ENDNOTE else FOOTNOTE))
        return Essay(self.source, tuple(passages), tuple(footnotes), self.title)


def _name(key: Hashable) -> str:
    if isinstance(key, tuple):
        return " ".join(str(k) for k in key)
    return str(key)


def _clean(para: Paragraph) -> tuple[str, list[tuple[int, Hashable]], list[tuple[int, int]]]:
    """Clean text, marker (offset, key) pairs and italic spans of one paragraph.

    Text is built as a list of pieces: ``text += piece`` copies the whole
    paragraph each time, which is quadratic in a book-sized paragraph.
    """
    pieces: list[str] = []
    length = 0
    markers: list[tuple[int, Hashable]] = []
    italics: list[list[int]] = []
    for part in para.parts:
        if isinstance(part, _Ref):
            if pieces and pieces[-1].endswith(" "):
                pieces[-1] = pieces[-1][:-1]
                length -= 1
                if italics and italics[-1][1] > length:
                    italics[-1][1] = length
                if not pieces[-1]:
                    pieces.pop()
            markers.append((length, part.key))
            continue
        raw, italic = cast(tuple[str, bool], part)
        # isprintable() is false for tabs, newlines and other spaces: the regex only where needed
        piece = raw if raw.isprintable() and "  " not in raw else _SPACE.sub(" ", raw)
        if not pieces:
            piece = piece.lstrip()
        elif pieces[-1].endswith(" ") and piece.startswith(" "):
            piece = piece[1:]
        if not piece:
            continue
        before = length
        start = before + (piece[0] == " ")  # a span starts at its first letter
        pieces.append(piece)
        length += len(piece)
        if italic:
            if italics and italics[-1][1] >= before:  # runs in italics one after another: one span
                italics[-1][1] = length
            elif start < length:
                italics.append([start, length])
    text = "".join(pieces).rstrip()
    size = len(text)
    spans = []
    for start, end in italics:
        end = min(end, size)
        while end > start and text[end - 1] == " ":
            end -= 1
        if start < end:
            spans.append((start, end))
    return text, [(min(o, size), k) for o, k in markers], spans
