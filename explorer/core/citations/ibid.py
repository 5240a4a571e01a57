"""Resolving across notes: Ibid., Idem and short forms, by the rules of :func:`parse_notes`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from explorer.core.citations.keys import _label, _main_title, _names_key, _party_key, _work_key_of
from explorer.core.citations.locations import _file_label
from explorer.core.citations.note import parse_note
from explorer.core.citations.pages import page_range
from explorer.core.citations.result import (
    BOOK,
    DOCUMENT,
    IBID,
    IN,
    PUBLISHED_IN,
    SEE,
    VIA,
    WORK,
    WORK_KINDS,
    Citation,
    IbidResolution,
    ParsedNote,
    WorkRef,
)
from explorer.core.pausing import pause_point

SERIES_WINDOW = 20  # how many notes back an Ibid. looks for the same series of documents


# -- resolving across notes ------------------------------------------------


def _pp(pages: str | None) -> str:
    return f"pp. {pages}" if pages and re.search(r"[-,]", pages) else f"p. {pages}"


def _pages_fit(previous: str | None, pages: str | None) -> bool:
    """*pages* fall within, or run on from, the *previous* pages cited (up to 3 pages after)."""
    a, b = page_range(previous), page_range(pages)
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
        pause_point()
        note = parse_note(number, text, abbreviations=aliases)
        aliases.update(note.abbreviations)
        try:
            note = resolver.resolve(note)
        except Exception as exc:  # keep the note as read; report the failure
            note = replace(note, problems=(*note.problems, f"cross-note resolution failed: {exc!r}"))
        out.append(note)
    return out
