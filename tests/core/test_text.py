"""Shortening at a word boundary and showing where a quote stops being verbatim (10.13)."""

from __future__ import annotations

import pytest

from explorer.core.text import divergence, shorten

TITLE = "Sino-North Korean Conflict and Its Resolution during the Korean War"


def test_short_text_is_kept_whole():
    assert shorten("Should We Fear This?", 60) == "Should We Fear This?"
    assert shorten("x" * 60, 60) == "x" * 60


@pytest.mark.parametrize("limit", range(20, len(TITLE)))
def test_long_text_is_cut_at_a_word_boundary(limit):
    cut = shorten(TITLE, limit)
    assert len(cut) <= limit and cut.endswith("…")
    kept = cut[:-1]
    assert TITLE.startswith(kept)
    assert TITLE[len(kept)] == " ", cut  # never inside a word
    assert not kept.endswith((" ", "-", ","))


def test_the_title_that_was_cut_mid_word():
    assert shorten(TITLE, 60) == "Sino-North Korean Conflict and Its Resolution during the…"


def test_one_long_word_is_cut_where_it_must_be():
    assert shorten("a" * 100, 20) == "a" * 19 + "…"


def test_divergence_shows_the_place_far_into_a_long_quote():
    passage = "Stalin said that he was " + "quite " * 30 + "ready to help him in this matter."
    quote = "he was " + "quite " * 30 + "ready to help him on this matter."
    found = divergence(quote, passage)
    assert found.offset == quote.index(" on this") + 1
    said = str(found)
    assert "“on this matter.”" in said and "“in this matter.”" in said
    assert "to help him " in said and said.count("quite") < 10  # context, not the whole quote


def test_divergence_when_nothing_or_everything_after_matches():
    assert str(divergence("xyz", "abc")) == "not even its start is there: it begins “xyz”"
    assert str(divergence("abc de", "abc")).endswith("where the text has nothing (it ends there)")
