"""Cutting a note into pieces: at semicolons, sentence ends, ", cited in" and "and" between works."""

from __future__ import annotations

import re
from dataclasses import dataclass

from explorer.core.citations.layout import _Layout
from explorer.core.citations.locations import _ARCHIVE_ABBREV

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
