"""Ids typed by a person or read back from settings: footnote numbers never crash (11.6)."""

from __future__ import annotations

import pytest

from explorer.core.model import footnote_number


@pytest.mark.parametrize(("text", "number"), [("fn12", 12), ("n3", 3), ("12", 12), ("FN7", 7), ("fn999999", 999999)])
def test_footnote_numbers(text, number):
    assert footnote_number(text) == number


@pytest.mark.parametrize("text", ["fn²", "²", "fn١٢", "fn" + "9" * 5000, "fn1234567", "fn", "fn-1", "fn 1", "fn12\n",
                                  "ev-january", ""])
def test_anything_else_is_not_a_footnote(text):
    assert footnote_number(text) is None


def test_the_corpus_answers_odd_ids_without_raising(tiny_corpus_dir):
    from explorer.core.loader import load_corpus

    corpus = load_corpus(tiny_corpus_dir)
    for odd in ("fn²", "fn" + "9" * 5000, "²"):
        assert corpus.kind_of(odd) is None
