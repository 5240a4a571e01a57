"""RIS: read back with rispy, every CSL field is where Zotero looks for it."""

from __future__ import annotations

from typing import Any

import rispy

from explorer.core.export import attach_marks, parsed_notes
from explorer.core.export.csl_json import MARKS_FIELD, csl_items, is_document
from explorer.core.export.ris import MARK_NOTE, mark_text, to_ris
from explorer.core.model import Corpus
from tests.support.export_marks import tiny_marks


def date_parts(record: dict[str, Any]) -> list[list[int]]:
    """The CSL date-parts a RIS ``DA`` holds (``YYYY/MM/DD/`` and a range's end after ``to``)."""
    y, m, d, other = record["date"].split("/", 3)
    first = [int(v) for v in (y, m, d) if v]
    if other.startswith("to "):
        return [first, [int(v) for v in other[3:].split("-")]]
    return [first]


def check_round_trip(items: list[dict[str, Any]]) -> None:
    records = rispy.loads(to_ris(items))
    assert [r["id"] for r in records] == [i["id"] for i in items]
    for item, r in zip(items, records, strict=True):
        assert r["title"] == item["title"]
        assert r.get("authors", []) == [n["literal"] for n in item.get("author", [])]
        if is_document(item):
            assert r["type_of_reference"] == ("MANSCPT" if "archive" in item else "UNPB")
            assert r.get("secondary_authors", []) == [n["literal"] for n in item.get("recipient", [])]
            assert r.get("place_published") == item.get("archive-place")
        else:
            assert r.get("secondary_authors", []) == [n["literal"] for n in item.get("editor", [])]
            assert r.get("place_published") == item.get("publisher-place")
        for key, variable in (("name_of_database", "archive"), ("accession_number", "archive_location"),
                              ("secondary_title", "container-title"), ("type_of_work", "genre"),
                              ("volume", "volume"), ("number", "issue"), ("publisher", "publisher"),
                              ("abstract", "abstract")):
            assert r.get(key) == item.get(variable), (item["id"], variable)
        assert r.get("urls", []) == ([item["URL"]] if "URL" in item else [])
        if "date-parts" in item.get("issued", {}):
            assert date_parts(r) == item["issued"]["date-parts"]
        page = item.get("page")
        if page:
            assert "-".join(filter(None, (r.get("start_page"), r.get("end_page")))) == page.replace("–", "-")
        notes = r.get("notes", [])
        marks = item.get("custom", {}).get(MARKS_FIELD, [])
        assert notes == ([item["note"]] if "note" in item else []) + [f"{MARK_NOTE} {mark_text(m)}" for m in marks]


def test_the_default_corpus_reads_back_with_rispy(default_corpus: Corpus) -> None:
    check_round_trip(csl_items(default_corpus))


def test_the_tiny_corpus_with_marks_reads_back_with_rispy(tiny: Corpus) -> None:
    marks = attach_marks(tiny, parsed_notes(tiny), tiny_marks(tiny)).by_record
    items = csl_items(tiny, marks)
    check_round_trip(items)
    sept = rispy.loads(to_ris(items))[0]
    assert sept["type_of_reference"] == "MANSCPT"
    assert (sept["name_of_database"], sept["accession_number"]) == (
        "AVPRF", "Fond 059a, Opis 5a, Delo 4, Papka 11, Listy 136-138")
    assert sept["secondary_authors"] == ["Andrei Vyshinsky"]
    assert sept["notes"] == ["Verification mark: verified (2026-01-05T10:00:00Z, by A. Reader, note 1) on Telegram, "
                             "Shtykov to Vyshinsky, 3 September 1949: Checked against the Bulletin's translation."]


def test_a_date_range_and_a_line_break_survive(tiny: Corpus) -> None:
    items = csl_items(tiny)
    items[0]["issued"] = {"date-parts": [[1950, 3, 30], [1950, 4, 25]]}
    items[0]["title"] = "Two\nlines\r\nER  - of a title"
    record = rispy.loads(to_ris(items))[0]
    assert date_parts(record) == [[1950, 3, 30], [1950, 4, 25]]
    assert record["title"] == "Two lines ER - of a title"  # one line: no tag can start inside a value
    assert len(rispy.loads(to_ris(items))) == len(items)
