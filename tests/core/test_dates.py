"""EDTF parsing, display and sorting."""

from __future__ import annotations

import datetime as dt

import edtf
import pytest

from explorer.core.dates import EdtfError, describe_edtf, parse_edtf


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("1950-01-17", "17 Jan 1950"),
        ("1949-08", "Aug 1949"),
        ("1945", "1945"),
        ("1950-05~", "c. May 1950"),
        ("1950-03-30/1950-04-25", "30 Mar – 25 Apr 1950"),
        ("1950-06-13/1950-06-15", "13–15 Jun 1950"),
        ("1949-12-16/1950-02-14", "16 Dec 1949 – 14 Feb 1950"),
        ("1950?", "1950?"),
    ],
)
def test_display(text, shown):
    assert parse_edtf(text).display() == shown


@pytest.mark.parametrize("text", ["1950-02-30", "1950-13", "1950-00", "soon", "", "1950-06-20/1950-06-01"])
def test_invalid_and_impossible(text):
    with pytest.raises(EdtfError):
        parse_edtf(text)


@pytest.mark.parametrize("text", ["1950", "1950-02", "1948-02-29", "1950-12-31", "1900-02"])
def test_fast_path_agrees_with_the_library(text):
    ours = parse_edtf(text)
    theirs = edtf.parse_edtf(text)
    assert ours.lower == dt.date(*theirs.lower_strict()[:3])
    assert ours.upper == dt.date(*theirs.upper_strict()[:3])


def test_impossible_days_are_refused_even_where_the_library_accepts_them():
    assert edtf.parse_edtf("1949-02-29").lower_strict()[:3] == (1949, 2, 29)  # the library's gap
    for text in ("1949-02-29", "1950-04-31", "1949-02-29/1949-03-10", "1949-02-29~"):
        with pytest.raises(EdtfError):
            parse_edtf(text)


def test_sorting_by_bounds():
    texts = ["1950-06-25", "1950-05~", "1949-03", "1950-03-30/1950-04-25", "1945"]
    ordered = sorted(texts, key=lambda t: parse_edtf(t).sort_key)
    assert ordered == ["1945", "1949-03", "1950-03-30/1950-04-25", "1950-05~", "1950-06-25"]


def test_qualifiers():
    d = parse_edtf("1950-05~")
    assert d.approximate and not d.uncertain
    assert (d.lower, d.upper) == (dt.date(1950, 5, 1), dt.date(1950, 5, 31))


def test_qualified_dates_and_intervals_agree_with_the_library():
    # These forms skip the library (3 ms a parse); check the result is the one it gives.
    from explorer.core.dates import _parse_with_library

    days = ["1950-01-17", "1949-12-31", "1950-02", "1948", "1952-02-29"]
    texts = [d + q for d in days for q in ("~", "?", "%")]
    texts += [f"{a}{qa}/{b}{qb}" for a in days for b in days for qa in ("", "~") for qb in ("", "?")
              if parse_edtf(a).lower <= parse_edtf(b).upper]
    for text in texts:
        assert parse_edtf(text) == _parse_with_library(text), text
    for text in ("0000", "1950-06-20/1950-06-01", "1950-02-30~", "1950-13/1951"):
        with pytest.raises(EdtfError):
            parse_edtf(text)


@pytest.mark.parametrize(("text", "words"), [
    ("1950-03-30/1950-04-25", "between 30 March and 25 April 1950"),
    ("1949-08?", "August 1949, uncertain"),
    ("1950-05~", "about May 1950"),
    ("1950-06%", "about June 1950, uncertain"),
    ("1950-06-25", "25 June 1950"),
    ("1950", "1950"),
    ("1950-06-25/1950-06-28", "between 25 and 28 June 1950"),
    ("1949-12-30/1950-01-02", "between 30 December 1949 and 2 January 1950"),
    ("1949-11/1950-02", "between November 1949 and February 1950"),
    ("1950-03/1950-05", "between March and May 1950"),
    ("1949/1950", "between 1949 and 1950"),
    ("1950-06-25?/1950-06-28", "between 25 and 28 June 1950, uncertain"),
])
def test_describe_edtf_echoes_a_date_in_plain_words(text: str, words: str) -> None:
    assert describe_edtf(text) == words
    assert describe_edtf(parse_edtf(text)) == words


def test_describe_edtf_refuses_what_is_not_a_date() -> None:
    with pytest.raises(EdtfError, match="no month 13"):
        describe_edtf("1950-13")
