"""The parsed notes share their recurring strings (issue 17: 50,000 notes held each its own copies)."""

from __future__ import annotations

import pickle

from explorer.core.citations import parse_notes
from explorer.core.citations.result import ArchivalRef, DocumentInfo, WorkRef

NOTES = [
    (1, "Telegram from Shtykov to Vyshinsky, 15 August 1949, AVPRF, Fond 059a, Opis 5a, Delo 3, Papka 11, "
        "Listy 87-91."),
    (2, "Telegram from Shtykov to Vyshinsky, 15 August 1949, AVPRF, Fond 059a, Opis 5a, Delo 3, Papka 11, "
        "Listy 87-91."),
]


def test_two_notes_citing_one_file_share_its_strings() -> None:
    first, second = parse_notes(NOTES)
    a, b = first.citations[0], second.citations[0]
    assert a.locations[0] == b.locations[0] and a.document == b.document
    assert a.locations[0].fond is b.locations[0].fond and a.locations[0].listy is b.locations[0].listy
    assert a.document is not None and b.document is not None
    assert a.document.sender is b.document.sender and a.document.date is b.document.date


def test_interned_records_equal_and_pickle_as_before() -> None:
    built = "".join(["05", "9a"])  # a string made at run time, not a constant the compiler shares
    ref = ArchivalRef("AVPRF", built, "5a", None, None, "87-91", "AVPRF ...", 3, 9)
    assert ref == ArchivalRef("AVPRF", "059a", "5a", None, None, "87-91", "AVPRF ...", 3, 9)
    assert ref.fond is ArchivalRef("AVPRF", "".join(["0", "59a"])).fond
    assert ref.papka is None and ref.as_cited == "AVPRF ..."
    info = DocumentInfo("telegram", "Telegram", "Shtykov", None, "Vyshinsky", date="1949-08-15")
    work = WorkRef("book:weathersby", "Weathersby", 3, 0)
    for record in (ref, info, work):
        assert pickle.loads(pickle.dumps(record)) == record
