"""Page references: one reading of "224-40", "9-12, 15" or "45f.", for the parser and the audit alike."""

from __future__ import annotations

import re

_LABEL = re.compile(r"^\s*(?:pp?|ll?)\.\s*", re.IGNORECASE)
_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "−": "-"})
# "45f."/"45ff." are read before a folio letter ("12a") could take the "f".
_PART = re.compile(r"(?P<a>\d{1,5})(?:\s*(?P<f>ff?)\.?|[a-z]?(?:\s*-\s*(?P<b>\d{1,5})[a-z]?)?)", re.IGNORECASE)


def _part_range(part: str) -> tuple[int, int] | None:
    m = _PART.fullmatch(part.strip().rstrip("."))
    if m is None:
        return None
    first = int(m.group("a"))
    if m.group("f"):
        # "45f." is 45 and the page after; "45ff." runs on for an unknown number of pages: its first page.
        return (first, first + 1) if m.group("f").lower() == "f" else (first, first)
    if m.group("b") is None:
        return first, first
    a, b = m.group("a"), m.group("b")
    if len(b) < len(a):  # Chicago's inclusive numbers: "224-40" is 224-240, "1536-38" is 1536-1538
        b = a[: len(a) - len(b)] + b
    last = int(b)
    return (first, last) if last >= first else None


def page_range(pages: str | None) -> tuple[int, int] | None:
    """The first and last page a page reference covers, or None where it cannot be read as page numbers.

    "224-240" and "224-40" both give (224, 240): a shorter second number
    keeps the leading digits of the first, as Chicago's inclusive numbers
    are written ("1536-38", "101-8", "1496-504"). A list gives its lowest and
    highest page ("9-12, 15" -> (9, 15)). En and em dashes read as hyphens,
    a leading "p."/"pp."/"l."/"ll." and a folio letter ("12a") are skipped,
    "45f." is (45, 46) and "45ff." (45, 45), its extent unknown. Roman
    numerals ("xii-xv"), a range that runs backwards ("240-224") and any
    other part that is not a page number give None: no comparison is better
    than a wrong one.
    """
    if not pages:
        return None
    text = _LABEL.sub("", pages.translate(_DASHES))
    ranges = [_part_range(part) for part in text.split(",")]
    if not ranges or any(r is None for r in ranges):
        return None
    found = [r for r in ranges if r is not None]
    return min(r[0] for r in found), max(r[1] for r in found)
