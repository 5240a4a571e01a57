"""One reading of page references, shared by the citation parser (Ibid. page fit) and the audit (pages in range)."""

from __future__ import annotations

import pytest

from explorer.core.audit.notes import check_pages
from explorer.core.citations import page_range, parse_notes
from explorer.core.loader import load_corpus


@pytest.mark.parametrize(("pages", "expected"), [
    ("9", (9, 9)),
    ("224-240", (224, 240)),
    ("224-40", (224, 240)),  # Chicago's inclusive numbers: the first number's leading digits are left out
    ("224–40", (224, 240)),  # en dash
    ("224 — 40", (224, 240)),  # em dash, spaced
    ("1536-38", (1536, 1538)),
    ("101-8", (101, 108)),
    ("1496-504", (1496, 1504)),
    ("pp. 224-40", (224, 240)),
    ("ll. 87-91", (87, 91)),
    ("9-12, 15", (9, 15)),
    ("236, 241", (236, 241)),
    ("12a-14", (12, 14)),
    ("45f.", (45, 46)),
    ("45ff.", (45, 45)),  # "and following": the extent is unknown, so only its first page is sure
    ("45 ff.", (45, 45)),
    ("9-12.", (9, 12)),
])
def test_page_range_reads(pages, expected):
    assert page_range(pages) == expected


@pytest.mark.parametrize("pages", [None, "", "xii-xv", "xii", "xii, 3", "240-224", "98-3", "pp.", "9-", "ibid"])
def test_page_range_gives_none_rather_than_a_wrong_range(pages):
    assert page_range(pages) is None


NOTE_1 = ("Kathryn Weathersby, “To Attack or Not,” Journal of Cold War Studies 5 (1995): 224-40; "
          "Bruce Cumings, “Korea,” Pacific Review 2 (1990): 5-9.")


def test_an_ibid_page_inside_an_abbreviated_range_fits_that_work():
    # "224-40" used to be read 40..224 here (while the audit read 224..240), so p. 238 fitted no work.
    first, ibid = parse_notes([(1, NOTE_1), (2, "Ibid., 238.")])
    assert [c.pages for c in first.citations] == ["224-40", "5-9"]
    res = ibid.citations[0].ibid
    assert res.strict.key == "work:cumings:korea"
    assert res.intended is not None and res.intended.key == "work:weathersby:to attack or not"
    assert "p. 238 fit only the pages cited for Weathersby" in res.reason


def test_the_audit_reads_an_abbreviated_range_and_a_list_the_same_way(tiny_corpus_dir):
    corpus = load_corpus(tiny_corpus_dir)
    article = "Kathryn Weathersby, “To Attack or Not,” Journal of Cold War Studies 5 (1995): 224-40."
    inside = parse_notes([(1, article), (2, "Ibid., 238.")])
    assert list(check_pages(corpus, inside)) == []
    (finding,) = check_pages(corpus, parse_notes([(1, article), (2, "Ibid., 241.")]))
    assert finding.footnotes == (2, 1) and "224-40" in finding.message
    # A list of pages is checked too (it was skipped before): p. 250 is outside 224-240.
    (listed,) = check_pages(corpus, parse_notes([(1, article), (2, "Ibid., pp. 230, 250.")]))
    assert listed.details["pages"] == "230, 250"
