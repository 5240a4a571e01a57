"""Plain-text helpers every message shares: shortening at a word, showing where two texts part."""

from __future__ import annotations

import re
from dataclasses import dataclass

ELLIPSIS = "…"
_SPACE = re.compile(r"\s")
# Trailing punctuation that reads badly before an ellipsis ("Ko, …").
_TRAILING = " \t\n,;:–—-"


def shorten(text: str, limit: int) -> str:
    """*text* if it has at most *limit* characters; else its start, cut at the last word boundary
    that keeps at least half of *limit*, plus "…" (*limit* characters at most, ellipsis included).

    A single word longer than that is cut inside the word: there is no boundary to cut at.
    """
    if len(text) <= limit:
        return text
    kept = text[: max(limit - 1, 0)]
    if not text[len(kept)].isspace():  # the cut falls inside a word: go back to its start
        spaces = [m.start() for m in _SPACE.finditer(kept)]
        if spaces and spaces[-1] >= limit // 2:
            kept = kept[: spaces[-1]]
    return kept.rstrip(_TRAILING) + ELLIPSIS


@dataclass(frozen=True, slots=True)
class Divergence:
    """Where a text meant to be verbatim part of another stops being so (see :func:`divergence`)."""

    offset: int  # how many characters of the wanted text are found verbatim
    matched: str  # the last of those characters, "…" before them when cut
    wanted: str  # what the wanted text has from there on, shortened
    found: str | None  # what the other text has there instead ("" at its end); None when nothing matched

    def __str__(self) -> str:
        if self.found is None:
            return f"not even its start is there: it begins “{self.wanted}”"
        instead = f"“{self.found}”" if self.found else "nothing (it ends there)"
        return (f"it matches up to “{self.matched}” (character {self.offset:,}), then has “{self.wanted}” "
                f"where the text has {instead}")


def divergence(wanted: str, found: str, context: int = 40) -> Divergence:
    """Where *wanted* stops matching *found* verbatim: the longest start of *wanted* that occurs in
    *found*, with up to *context* characters of it and of what each text has after it, so a message
    can show the difference however far into a long quote it is."""
    low, high = 0, len(wanted)  # wanted[:low] occurs in found; wanted[:high + 1] does not
    while low < high:
        middle = (low + high + 1) // 2
        if wanted[:middle] in found:
            low = middle
        else:
            high = middle - 1
    start = max(0, low - context)
    matched = (ELLIPSIS if start else "") + wanted[start:low]
    if low == 0:
        return Divergence(0, "", shorten(wanted, context), None)
    at = found.find(wanted[:low]) + low
    return Divergence(low, matched, shorten(wanted[low:], context), shorten(found[at:], context))
