"""EDTF dates: parsing (through the ``edtf`` library), sorting and display.

The ``edtf`` package implements the Library of Congress specification, but
one parse costs about 3 ms (pyparsing), which is 5 minutes for a corpus of
100,000 dates. Plain calendar dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``,
EDTF level 0 and most of any corpus) are therefore read with ``datetime``,
which gives the same bounds (a test checks this against the library), and so
are the level 1 forms built only from them: a qualified date (``1950-05~``,
``1950?``, ``1950-06-25%``) and an interval of two such dates
(``1950-03-30/1950-04-25``). Every other form goes to the library, and every
result is cached by its text.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import io
import re
from dataclasses import dataclass
from functools import lru_cache

from explorer.core.months import MONTH_ABBREVIATIONS, MONTH_NAMES

# re.ASCII: EDTF digits are 0-9; without it "١٩٥٠" (Arabic-Indic) would read as 1950.
_PLAIN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)
_DATE = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
# A plain date with an optional qualifier, or an interval of two of them.
_SIMPLE = re.compile(rf"^({_DATE})([~?%]?)(?:/({_DATE})([~?%]?))?$", re.ASCII)


class EdtfError(ValueError):
    """Text that is not a valid (or possible) EDTF date."""


@dataclass(frozen=True, slots=True)
class EdtfDate:
    """A parsed EDTF date: its text, its bounds and how to show it."""

    text: str
    lower: dt.date
    upper: dt.date
    precision: str  # "year", "month", "day" (of the lower bound) or "interval"
    approximate: bool = False
    uncertain: bool = False

    @property
    def sort_key(self) -> tuple[dt.date, dt.date, str]:
        return (self.lower, self.upper, self.text)

    def display(self) -> str:
        """The date as a reader writes it: "17 Jan 1950", "30 Mar – 25 Apr 1950"."""
        return format_edtf(self)

    def overlaps(self, other: EdtfDate) -> bool:
        return self.lower <= other.upper and other.lower <= self.upper

    def __str__(self) -> str:
        return self.text


def parse_edtf(text: str) -> EdtfDate:
    """Parse *text* as EDTF; raise :class:`EdtfError` with the reason if invalid."""
    if not isinstance(text, str):
        raise EdtfError(f"expected an EDTF date as text, got {type(text).__name__}")
    return _parse_cached(text.strip())


@lru_cache(maxsize=65536)
def _parse_cached(text: str) -> EdtfDate:
    m = _PLAIN.match(text)
    if m:
        return _parse_plain(text, m)
    m = _SIMPLE.match(text)
    if m:
        return _parse_simple(text, m)
    return _parse_with_library(text)


def _parse_plain(text: str, m: re.Match[str]) -> EdtfDate:
    year = int(m.group(1))
    if year == 0:  # datetime starts at year 1
        raise EdtfError(f"{text!r}: year 0 is not supported")
    if m.group(2) is None:
        return EdtfDate(text, dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    month = int(m.group(2))
    if not 1 <= month <= 12:
        raise EdtfError(f"{text!r}: there is no month {month}")
    last = calendar.monthrange(year, month)[1]
    if m.group(3) is None:
        return EdtfDate(text, dt.date(year, month, 1), dt.date(year, month, last), "month")
    day = int(m.group(3))
    if not 1 <= day <= last:
        raise EdtfError(f"{text!r}: {MONTH_ABBREVIATIONS[month - 1]} {year} has no day {day}")
    d = dt.date(year, month, day)
    return EdtfDate(text, d, d, "day")


def _parse_simple(text: str, m: re.Match[str]) -> EdtfDate:
    """A qualified plain date or an interval of two, with the library's bounds."""
    first = _parse_plain(m.group(1), _PLAIN.match(m.group(1)))  # type: ignore[arg-type]
    if m.group(3) is None:
        lower, upper, precision = first.lower, first.upper, first.precision
    else:
        last = _parse_plain(m.group(3), _PLAIN.match(m.group(3)))  # type: ignore[arg-type]
        lower, upper, precision = first.lower, last.upper, "interval"
        if upper < lower:
            raise EdtfError(f"{text!r}: the interval ends before it begins")
    qualifiers = (m.group(2) or "") + (m.group(4) or "")
    return EdtfDate(
        text, lower, upper, precision,
        approximate=("~" in qualifiers or "%" in qualifiers),
        uncertain=("?" in qualifiers or "%" in qualifiers),
    )


def _parse_with_library(text: str) -> EdtfDate:
    import edtf  # deferred: importing pyparsing grammars costs ~100 ms at start-up

    # The library accepts some impossible days (1949-02-29): check every plain
    # calendar date inside the expression ourselves first.
    for part in re.findall(r"\d{4}-\d{2}-\d{2}", text, re.ASCII):
        _parse_plain(part, _PLAIN.match(part))  # type: ignore[arg-type]

    try:
        # The library prints its attempts to stdout; that would corrupt `check --json`.
        with contextlib.redirect_stdout(io.StringIO()):
            parsed = edtf.parse_edtf(text)
        lower = _to_date(parsed.lower_strict())
        upper = _to_date(parsed.upper_strict())
    except Exception as exc:  # the library raises several types, some not its own
        raise EdtfError(f"{text!r} is not a valid EDTF date") from exc
    # "1950-06-25/" (an unknown end): the library invents an end ten years on.
    unknown = edtf.parser.parser_classes.UnspecifiedIntervalSection
    if lower is None or upper is None or any(
        isinstance(getattr(parsed, end, None), unknown) for end in ("lower", "upper")
    ):
        raise EdtfError(f"{text!r}: open or unknown ends are not supported for events")
    if upper < lower:
        raise EdtfError(f"{text!r}: the interval ends before it begins")
    is_interval = "/" in text
    base = text.split("/")[0].rstrip("~?%")
    precision = "interval" if is_interval else {4: "year", 7: "month"}.get(len(base), "day")
    return EdtfDate(
        text, lower, upper, precision,
        approximate=("~" in text or "%" in text),
        uncertain=("?" in text or "%" in text),
    )


def _to_date(value: object) -> dt.date | None:
    try:
        y, mo, d = value[:3]  # type: ignore[index]
        return dt.date(int(y), int(mo), int(d))
    except (TypeError, ValueError):
        return None


def _day(d: dt.date) -> str:
    return f"{d.day} {MONTH_ABBREVIATIONS[d.month - 1]} {d.year}"


def format_edtf(date: EdtfDate) -> str:
    """Human form of an EDTF date for lists and headings."""
    lo, hi = date.lower, date.upper
    if date.precision == "interval":
        if lo.year != hi.year:
            text = f"{_day(lo)} – {_day(hi)}"
        elif lo.month != hi.month:
            text = f"{lo.day} {MONTH_ABBREVIATIONS[lo.month - 1]} – {_day(hi)}"
        elif lo.day != hi.day:
            text = f"{lo.day}–{_day(hi)}"
        else:
            text = _day(lo)
    elif date.precision == "day":
        text = _day(lo)
    elif date.precision == "month":
        text = f"{MONTH_ABBREVIATIONS[lo.month - 1]} {lo.year}"
    elif lo.month == 1 and hi.month == 12 and lo.year == hi.year:
        text = str(lo.year)
    else:  # seasons and other library forms: show the span
        text = f"{MONTH_ABBREVIATIONS[lo.month - 1]} – {MONTH_ABBREVIATIONS[hi.month - 1]} {hi.year}"
    if date.approximate:
        text = "c. " + text
    if date.uncertain:
        text += "?"
    return text


def _spoken_day(d: dt.date, with_year: bool = True) -> str:
    return f"{d.day} {MONTH_NAMES[d.month - 1]}" + (f" {d.year}" if with_year else "")


def _spoken_span(lo: dt.date, hi: dt.date) -> str:
    """A span of days in words, naming each month and year once: "between 30 March and 25 April 1950"."""
    whole_months = lo.day == 1 and hi.day == calendar.monthrange(hi.year, hi.month)[1]
    if whole_months:
        if (lo.month, hi.month) == (1, 12):
            return str(lo.year) if lo.year == hi.year else f"between {lo.year} and {hi.year}"
        if (lo.year, lo.month) == (hi.year, hi.month):
            return f"{MONTH_NAMES[lo.month - 1]} {lo.year}"
        first = MONTH_NAMES[lo.month - 1] + ("" if lo.year == hi.year else f" {lo.year}")
        return f"between {first} and {MONTH_NAMES[hi.month - 1]} {hi.year}"
    if lo == hi:
        return _spoken_day(lo)
    if lo.year != hi.year:
        return f"between {_spoken_day(lo)} and {_spoken_day(hi)}"
    if lo.month != hi.month:
        return f"between {_spoken_day(lo, False)} and {_spoken_day(hi)}"
    return f"between {lo.day} and {_spoken_day(hi)}"


def describe_edtf(date: EdtfDate | str) -> str:
    """An EDTF date in plain words, to echo what a curator typed: "between 30 March and 25 April 1950",
    "August 1949, uncertain", "about May 1950".

    Raises :class:`EdtfError` for text that is not a valid EDTF date.
    """
    if isinstance(date, str):
        date = parse_edtf(date)
    text = _spoken_span(date.lower, date.upper)
    if date.approximate and date.uncertain:
        return f"about {text}, uncertain"
    if date.approximate:
        return f"about {text}"
    if date.uncertain:
        return f"{text}, uncertain"
    return text
