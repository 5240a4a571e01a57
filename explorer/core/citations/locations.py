"""Archival locations: "AVPRF, Fond 059a, Opis 5a, Delo 3, ..." read into their parts."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, replace

from explorer.core.citations.layout import _CYRILLIC_TO_LATIN, _DASHES, _as_text, _clean
from explorer.core.citations.result import MAX_NOTE_CHARS, ArchivalRef
from explorer.core.model import ArchivalLocation

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

    Any text is read without raising (the patterns are bounded and the text
    cut to :data:`MAX_NOTE_CHARS`); an exception here is a parser bug, and
    it is raised, not turned into "no location".
    """
    return _find_locations(_as_text(text)[:MAX_NOTE_CHARS], {})[0]


def location_key(ref: ArchivalRef | ArchivalLocation) -> str:
    """The archival file's normal form ("AVPRF:f059a:op5a:d3:p11"), folios left out."""
    return ref.key


def short_location(ref: ArchivalRef | ArchivalLocation) -> str:
    """The short form: "AVPRF, f. 059a, op. 5a, d. 3, p. 11, ll. 87-91"."""
    return ref.short()


def _file_label(ref: ArchivalRef) -> str:
    return replace(ref, listy=None).short()
