"""Editorial checks (Chicago Manual of Style): each fires on a small note and not on its near-miss."""

from __future__ import annotations

import pytest

from explorer.core.audit.editorial import (
    check_full_repeated,
    check_ibid_form,
    check_missing_pages,
    check_quote_without_note,
    check_unbalanced,
    ibid_problems,
    unbalanced,
)
from explorer.core.citations import parse_notes
from explorer.core.loader import load_corpus

BOOK = ("Sergei N. Goncharov, Uncertain Partners: Stalin, Mao, and the Korean War (Stanford: Stanford University "
        "Press, 1993)")


@pytest.fixture
def corpus(tiny_corpus_dir):
    return load_corpus(tiny_corpus_dir)


def test_a_full_citation_repeated_after_the_first_note(corpus):
    notes = parse_notes([(1, BOOK + ": 134."), (2, BOOK + ": 140.")])
    (f,) = check_full_repeated(corpus, notes)
    assert (f.code, f.footnotes, f.rule) == ("FULL_CITATION_REPEATED", (1, 2), "CMOS 14.29 (short forms for later "
                                                                            "citations of a work)")
    assert f.details["first"] == 1 and f.details["repeated"] == [2]
    # The second citation in short form is what the rule asks for.
    assert list(check_full_repeated(corpus, parse_notes([(1, BOOK + ": 134."),
                                                         (2, "Goncharov, Uncertain Partners, 140.")]))) == []


def test_a_citation_without_the_page_other_citations_of_the_work_give(corpus):
    notes = parse_notes([(1, BOOK + ": 134."), (2, "Goncharov, Uncertain Partners.")])
    (f,) = check_missing_pages(corpus, notes)
    assert (f.code, f.footnotes) == ("PAGE_MISSING", (2,)) and "134" in f.message
    # "Ibid." alone right after the work means the same page (CMOS 14.34): not flagged.
    assert list(check_missing_pages(corpus, parse_notes([(1, BOOK + ": 134."), (2, "Ibid.")]))) == []
    # No citation of the work gives a page: nothing to compare with.
    assert list(check_missing_pages(corpus, parse_notes([(1, BOOK + "."), (2, "Goncharov, Uncertain Partners.")]))) \
        == []


@pytest.mark.parametrize(("note", "start", "text", "expected"), [
    ("Ibid, pp. 9-10.", 0, "Ibid, pp. 9-10", ["no full stop"]),
    ("Ibid. p. 14.", 0, "Ibid. p. 14", ["no comma"]),
    ("ibid., 14.", 0, "ibid., 14", ["capitalised"]),
    ("Telegram, 1 May 1950, Ibid., 14.", 22, "Ibid., 14", ["lower case"]),
    ("IBID., 14.", 0, "IBID., 14", ["mixed or upper case"]),
])
def test_ibid_form_problems(note, start, text, expected):
    assert note.index(text) == start
    problems = ibid_problems(note, start, text)
    assert len(problems) == len(expected)
    assert all(word in p for word, p in zip(expected, problems, strict=True))


@pytest.mark.parametrize(("note", "start", "text"), [
    ("Ibid.", 0, "Ibid."), ("Ibid., 14.", 0, "Ibid., 14"), ("Ibid., pp. 9-10.", 0, "Ibid., pp. 9-10"),
    ("Telegram from Shtykov to Stalin, 29 May 1950. Ibid., 13.", 46, "Ibid., 13"),
    ("See the telegram; ibid., 14.", 18, "ibid., 14"),
])
def test_ibid_in_good_form_is_not_flagged(note, start, text):
    assert note.index(text) == start
    assert ibid_problems(note, start, text) == []


def test_ibid_form_finding_names_the_rule(corpus):
    notes = parse_notes([(1, BOOK + ": 134."), (2, "Ibid. p. 135.")])
    (f,) = check_ibid_form(corpus, notes)
    assert (f.code, f.footnotes, f.rule) == ("IBID_FORM", (2,), "CMOS 14.34 (ibid.)")


def test_unbalanced_marks():
    assert unbalanced("The Korean War in History Manchester, U.K.: Press, 1989).") == [
        "1 “)” with no “(” before it (parentheses)"]
    assert unbalanced("“To Attack or Not to Attack?: Stalin [and] Kim (1995): 1-9.") == [
        "1 ““” not closed (quotation marks)"]
    assert unbalanced('He said "yes.') == ["an odd number of straight quotation marks (\")"]
    # Nested, closed pairs and apostrophes are fine.
    assert unbalanced("Weathersby, “The Soviet Role (and [its] limits),” in Stueck’s book (Lexington, 2004).") == []


def test_unbalanced_finding(corpus):
    (f,) = check_unbalanced(corpus, parse_notes([(1, "Kim, Press, 1989).")]))
    assert (f.code, f.severity, f.footnotes) == ("UNBALANCED_MARKS", "warning", (1,))


def test_quotation_in_a_paragraph_without_a_note(make_corpus, tiny_corpus_dir):
    essay = (tiny_corpus_dir / "essay.txt").read_text(encoding="utf-8")
    extra = ("\n\nStalin added that “the matter must be organized so that there would not be too great a risk.” "
             "It was a “big matter” indeed.\n")
    corpus = load_corpus(make_corpus(essay=essay.rstrip("\n") + extra))
    (f,) = check_quote_without_note(corpus)
    assert f.code == "QUOTE_WITHOUT_NOTE" and f.footnotes == ()
    assert f.details["quotes"] == ["the matter must be organized so that there would not be too great a risk."]
    # The tiny essay's own quotations all stand in paragraphs with a note.
    assert list(check_quote_without_note(load_corpus(tiny_corpus_dir))) == []
