"""Dates in a document's description: "1 October 1950", "May 12-13, 1950", "3 сентября 1949"."""

from __future__ import annotations

import datetime as dt
import re

from explorer.core.citations.layout import _Layout
from explorer.core.months import MONTH_ABBREVIATIONS, MONTH_NAMES, RUSSIAN_GENITIVE_NAMES

# -- dates -----------------------------------------------------------------

# Each month's spellings in lower case: English in full and abbreviated ("sept" too), and Russian.
_MONTH_NAMES = tuple(
    (name.lower(), *(() if short == name else (short.lower(),)), *(("sept",) if short == "Sep" else ()), russian)
    for name, short, russian in zip(MONTH_NAMES, MONTH_ABBREVIATIONS, RUSSIAN_GENITIVE_NAMES, strict=True)
)
_MONTH_NUMBERS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names}
# A month in English, in full or abbreviated ("Sept" before "Sep", so the longer one is taken whole).
_M = "(?:" + "|".join((*MONTH_NAMES, *("Sept|Sep" if a == "Sep" else a for a in MONTH_ABBREVIATIONS
                                         if a != "May"))) + r")\.?"
_RU = "(?:" + "|".join(RUSSIAN_GENITIVE_NAMES) + ")"
_DATE_PATTERNS = tuple(
    re.compile(r"(?<![\w])" + p + r"(?!\d)")
    for p in (
        rf"(?P<m1>{_M})\s{{1,2}}(?P<d1>\d{{1,2}})\s?[-–]\s?(?P<m2>{_M})\s{{1,2}}(?P<d2>\d{{1,2}}),?\s{{1,2}}(?P<y>\d{{4}})",
        rf"(?P<d1>\d{{1,2}})\s{{1,2}}(?P<m1>{_M})\s?[-–]\s?(?P<d2>\d{{1,2}})\s{{1,2}}(?P<m2>{_M}),?\s{{1,2}}(?P<y>\d{{4}})",
        rf"(?P<d1>\d{{1,2}})\s?[-–]\s?(?P<d2>\d{{1,2}})\s{{1,2}}(?P<m1>{_M}),?\s{{1,2}}(?P<y>\d{{4}})",
        rf"(?P<m1>{_M})\s{{1,2}}(?P<d1>\d{{1,2}})\s?[-–]\s?(?P<d2>\d{{1,2}}),?\s{{1,2}}(?P<y>\d{{4}})",
        rf"(?P<d1>\d{{1,2}})\s{{1,2}}(?P<m1>{_M}),?\s{{1,2}}(?P<y>\d{{4}})",
        rf"(?P<m1>{_M})\s{{1,2}}(?P<d1>\d{{1,2}}),?\s{{1,2}}(?P<y>\d{{4}})",
        rf"(?P<d1>\d{{1,2}})\s{{1,2}}(?P<m1>{_RU})\s{{1,2}}(?P<y>\d{{4}})",
        r"(?P<y>\d{4})-(?P<m1>\d{2})-(?P<d1>\d{2})",
        rf"(?P<m1>{_M}),?\s{{1,2}}(?P<y>\d{{4}})",
    )
)


def _month(token: str | None) -> int | None:
    if token is None:
        return None
    token = token.rstrip(".").lower()
    return int(token) if token.isdigit() else _MONTH_NUMBERS.get(token)


def _iso(year: int, month: int | None, day: int | None) -> str | None:
    try:
        if month is None:
            return f"{dt.date(year, 1, 1):%Y}"
        if day is None:
            return f"{dt.date(year, month, 1):%Y-%m}"
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _find_date(text: str, lay: _Layout, start: int = 0,
               end: int | None = None) -> tuple[int, int, str | None] | None:
    """The first full date outside brackets in text[start:end]: (start, end, ISO or EDTF interval)."""
    end = len(text) if end is None else end
    best: re.Match[str] | None = None
    for pattern in _DATE_PATTERNS:
        for m in pattern.finditer(text, start, end):
            if lay.top(m.start()):
                if best is None or (m.start(), -m.end()) < (best.start(), -best.end()):
                    best = m
                break
    if best is None:
        return None
    g = best.groupdict()
    year = int(g["y"])
    m1 = _month(g.get("m1"))
    d1 = int(g["d1"]) if g.get("d1") else None
    first = _iso(year, m1, d1)
    if g.get("d2"):
        m2 = _month(g.get("m2")) or m1
        last = _iso(year, m2, int(g["d2"]))
        value = f"{first}/{last}" if first and last else None
    else:
        value = first
    return best.start(), best.end(), value
