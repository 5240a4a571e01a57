"""The essay as the app reads it: passages and the footnotes they cite."""

from __future__ import annotations

from dataclasses import dataclass, field

BODY = "body"
EDITORIAL = "editorial"
HEADING = "heading"  # a heading kept as a passage of its own (not counted in body_passages)
FOOTNOTE = "footnote"
ENDNOTE = "endnote"


@dataclass(frozen=True, slots=True)
class FootnoteMarker:
    """A footnote reference inside a passage.

    ``offset`` indexes the passage's clean text (Python str positions): the
    marker stands right after ``text[:offset]``.
    """

    number: int
    offset: int


@dataclass(frozen=True, slots=True)
class Passage:
    id: str
    index: int
    text: str
    kind: str = BODY
    line: int | None = None  # line in the source file, 1-based
    markers: tuple[FootnoteMarker, ...] = ()
    italics: tuple[tuple[int, int], ...] = ()  # (start, end) spans of ``text`` set in italics


@dataclass(frozen=True, slots=True)
class Footnote:
    number: int
    text: str
    passage_id: str
    offset: int
    line: int | None = None  # line of the body in the source file
    label: str | None = None  # the mark as written ("*", "a", "iv") when it is not ``number``
    kind: str = FOOTNOTE  # or ENDNOTE


@dataclass(frozen=True, slots=True)
class Essay:
    source: str
    passages: tuple[Passage, ...]
    footnotes: tuple[Footnote, ...]
    title: str | None = None  # the title the source itself gives, if any
    _passage_index: dict[str, Passage] = field(init=False, repr=False, compare=False)
    _footnote_index: dict[int, Footnote] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_passage_index", {p.id: p for p in self.passages})
        object.__setattr__(self, "_footnote_index", {f.number: f for f in self.footnotes})

    def passage(self, passage_id: str) -> Passage | None:
        return self._passage_index.get(passage_id)

    def footnote(self, number: int) -> Footnote | None:
        return self._footnote_index.get(number)

    @property
    def body_passages(self) -> tuple[Passage, ...]:
        return tuple(p for p in self.passages if p.kind == BODY)
