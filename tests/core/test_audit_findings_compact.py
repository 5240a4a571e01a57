"""Findings share the words their details quote (issue 17: 47,000 findings held each its own dates)."""

from __future__ import annotations

import pickle

from explorer.core.audit import Finding


def _finding(note: int) -> Finding:
    dates = ["".join(["26 December ", "1949"]), "".join(["9 December ", "1949"])]  # built at run time
    return Finding("DATE_MISMATCH", "warning", f"Note {note}: ...", (note,), (f"p{note}",),
                   details={"essay_dates": dates, "reading": "".join(["docu", "ment"]), "count": 2})


def test_findings_share_the_words_of_their_details_and_are_unchanged() -> None:
    a, b = _finding(1), _finding(2)
    assert a.details == {"essay_dates": ["26 December 1949", "9 December 1949"], "reading": "document", "count": 2}
    assert a.details == b.details and a.details["essay_dates"] is not b.details["essay_dates"]
    assert all(x is y for x, y in zip(a.details["essay_dates"], b.details["essay_dates"], strict=True))
    assert a.details["reading"] is b.details["reading"]
    assert a.to_dict()["details"] == a.details and a.key == "DATE_MISMATCH:1:p1:"
    assert pickle.loads(pickle.dumps(a)) == a


def test_details_other_than_words_are_left_as_they_are() -> None:
    mixed = [1, "x"]
    nested = {"word": "Shtykov"}
    finding = Finding("X", "info", "m", details={"mixed": mixed, "nested": nested})
    assert finding.details["mixed"] is mixed and mixed == [1, "x"]
    assert finding.details["nested"] is nested
