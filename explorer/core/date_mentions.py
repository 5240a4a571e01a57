"""Dates as an essay writes them in running text.

"On 17 January 1950", "on January 12", "In August 1949", "late March",
"mid-May", "March 30-April 25, 1950", "the following day", "the same day".
Each mention becomes a span of days; a missing year is taken from the
nearest year written before it (in the same text) or from a default.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from explorer.core.months import MONTH_NAMES

_MONTHS = {name.lower(): i for i, name in enumerate(MONTH_NAMES, 1)}
_MONTH = "(" + "|".join(MONTH_NAMES) + ")"
_YEAR = r"(1[6-9]\d\d|20\d\d)"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    # 17 January 1950 / 17 January
    ("dmy", re.compile(rf"\b(\d{{1,2}})\s+{_MONTH}(?:,?\s+{_YEAR})?\b")),
    # January 12, 1950 / January 12
    ("mdy", re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?!\d)(?:,?\s+{_YEAR})?\b")),
    # late March 1950 / mid-May / early June
    ("part", re.compile(rf"\b(early|mid-|mid|late)\s*{_MONTH}(?:\s+{_YEAR})?\b", re.IGNORECASE)),
    # August 1949
    ("my", re.compile(rf"\b{_MONTH}\s+{_YEAR}\b")),
    ("relative", re.compile(r"\b(the following day|the next day|the same day|that same day)\b", re.IGNORECASE)),
]


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    text: str
    lower: dt.date
    upper: dt.date
    precision: str  # "day", "day-range" or "month"
    quoted: bool = False  # inside “quotation marks”: the document's words, not the author's dating

    def overlaps(self, lower: dt.date, upper: dt.date) -> bool:
        return self.lower <= upper and lower <= self.upper


def find_date_mentions(text: str, default_year: int | None = None) -> list[DateMention]:
    """Every day- or month-precise date in *text*, in order.

    A mention without a year ("On 30 January") takes *default_year* when one
    is given (the caller usually knows the year of the document cited), else
    the year of the mention before it. "The following day" counts from the
    last date outside quotation marks. Bare years ("in 1945") are not
    mentions: they are too coarse to check a citation against.
    """
    quoted_spans = _quoted_spans(text)
    found: list[tuple[int, int, str, re.Match[str]]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        for m in pattern.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            found.append((m.start(), m.end(), kind, m))
    found.sort()
    mentions: list[DateMention] = []
    context_year: int | None = None
    last: DateMention | None = None
    for start, _end, kind, m in found:
        mention = _mention(kind, m, default_year or context_year, last)
        if mention is None:
            continue
        quoted = any(s <= start < e for s, e in quoted_spans)
        if quoted:
            mention = DateMention(mention.start, mention.end, mention.text, mention.lower, mention.upper,
                                  mention.precision, quoted=True)
        else:
            last = mention
        context_year = mention.lower.year
        mentions.append(mention)
    return mentions


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"“[^”]{0,2000}”|\"[^\"]{0,2000}\"", text):
        spans.append((m.start(), m.end()))
    return spans


def _mention(kind: str, m: re.Match[str], year: int | None, last: DateMention | None) -> DateMention | None:
    text = m.group(0)
    if kind == "relative":
        if last is None or last.precision != "day":
            return None
        when = last.lower + dt.timedelta(days=0 if "same" in text.lower() else 1)
        return DateMention(m.start(), m.end(), text, when, when, "day")
    if kind == "dmy":
        day, month, y = int(m.group(1)), _MONTHS[m.group(2).lower()], m.group(3)
    elif kind == "mdy":
        month, day, y = _MONTHS[m.group(1).lower()], int(m.group(2)), m.group(3)
    elif kind == "part":
        part, month, y = m.group(1).lower(), _MONTHS[m.group(2).lower()], m.group(3)
        year_ = int(y) if y else year
        if year_ is None:
            return None
        last_day = calendar.monthrange(year_, month)[1]
        first, final = {"early": (1, 10), "late": (21, last_day)}.get(part, (11, 20))
        return DateMention(m.start(), m.end(), text, dt.date(year_, month, first), dt.date(year_, month, final),
                           "day-range")
    else:  # my
        month, y = _MONTHS[m.group(1).lower()], m.group(2)
        year_ = int(y)
        last_day = calendar.monthrange(year_, month)[1]
        return DateMention(m.start(), m.end(), text, dt.date(year_, month, 1), dt.date(year_, month, last_day), "month")
    year_ = int(y) if y else year
    if year_ is None:
        return None
    try:
        d = dt.date(year_, month, day)
    except ValueError:
        return None
    return DateMention(m.start(), m.end(), text, d, d, "day")
