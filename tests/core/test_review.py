"""Where reviewers' marks disagree, and what resolves it (explorer.core.audit.review, no store, no Qt)."""

from __future__ import annotations

from explorer.core.audit.review import CODE, ReviewEntry, check_disagreements, disagreements


def e(reviewer: str, hour: int, status: str, note: str = "", key: str = "c1",
      resolves: tuple[tuple[str, str], ...] = ()) -> ReviewEntry:
    return ReviewEntry(key, reviewer, f"2026-01-05T{hour:02}:00:00.000+00:00", status, note, 3, "Telegram",
                       resolves)


def at(hour: int) -> str:
    return f"2026-01-05T{hour:02}:00:00.000+00:00"


def test_reviewers_whose_latest_statuses_differ_disagree() -> None:
    entries = [e("Alice", 9, "disputed"), e("Alice", 10, "verified"), e("Bob", 11, "disputed", "f. 3 differs")]
    [found] = disagreements(entries)
    assert [(p.who, p.status) for p in found.positions] == [("Alice", "verified"), ("Bob", "disputed")]
    assert found.who_said_what() == "Alice: verified; Bob: disputed (\u201cf. 3 differs\u201d)"
    assert found.resolves() == (("Alice", at(10)), ("Bob", at(11)))


def test_agreement_unchecked_and_one_reviewer_are_no_disagreement() -> None:
    assert disagreements([e("Alice", 9, "verified"), e("Bob", 10, "verified")]) == []
    assert disagreements([e("Alice", 9, "verified"), e("Bob", 10, "unchecked")]) == []
    assert disagreements([e("Alice", 9, "verified"), e("Alice", 10, "disputed")]) == []
    # a reviewer who changed their mind to agree ends it
    assert disagreements([e("Alice", 9, "verified"), e("Bob", 10, "disputed"), e("Alice", 11, "disputed")]) == []


def test_marks_from_before_reviewers_count_as_one_unknown_reviewer() -> None:
    [found] = disagreements([e("", 9, "verified"), e("Bob", 10, "disputed")])
    assert [p.who for p in found.positions] == ["unknown", "Bob"]


def test_a_mark_naming_the_disagreeing_entries_resolves_it_until_someone_marks_again() -> None:
    base = [e("Alice", 9, "verified"), e("Bob", 10, "disputed")]
    resolution = e("Carol", 12, "disputed", "Bob is right", resolves=(("Alice", at(9)), ("Bob", at(10))))
    assert disagreements([*base, resolution]) == []
    # Alice marking again (after the resolution) is a new position: a disagreement again
    [again] = disagreements([*base, resolution, e("Alice", 14, "verified", "the copy in RGASPI agrees")])
    assert [(p.who, p.status) for p in again.positions] == [("Alice", "verified"), ("Carol", "disputed")]
    # so is Carol's own later mark that names nothing (her resolution undone, say): the marks it settled stand
    [undone] = disagreements([*base, resolution, e("Carol", 13, "verified", "")])
    assert [(p.who, p.status) for p in undone.positions] == [("Alice", "verified"), ("Bob", "disputed"),
                                                             ("Carol", "verified")]
    # a later entry that names them again keeps it resolved
    kept = e("Carol", 13, "disputed", "still, and the date", resolves=resolution.resolves)
    assert disagreements([*base, resolution, kept]) == []


def test_a_later_mark_that_names_nothing_resolves_nothing() -> None:
    """A third reviewer who marked without seeing the disagreement does not hide it."""
    [found] = disagreements([e("Alice", 9, "verified"), e("Bob", 10, "disputed"), e("Carol", 12, "verified", "ok")])
    assert [p.who for p in found.positions] == ["Alice", "Bob", "Carol"]


def test_a_resolution_of_only_some_entries_leaves_the_others_standing() -> None:
    entries = [e("Alice", 9, "verified"), e("Bob", 10, "disputed"), e("Dan", 11, "verified"),
               e("Carol", 12, "disputed", "no", resolves=(("Alice", at(9)),))]
    [found] = disagreements(entries)
    assert [p.who for p in found.positions] == ["Bob", "Carol", "Dan"]


def test_findings_group_the_disagreements_of_a_note_and_say_who_said_what() -> None:
    """A key no note cites now is placed at the note it was marked on; one with no note at all stands alone."""
    nowhere = ReviewEntry("lost", "Bob", at(10), "disputed")
    entries = [e("Alice", 9, "verified"), e("Bob", 10, "disputed", "<b>no</b>"),
               e("Alice", 9, "verified", key="c2"), e("Bob", 10, "disputed", key="c2"),
               e("Alice", 9, "verified", key="gone"), e("Bob", 10, "disputed", key="gone"),
               ReviewEntry("lost", "Alice", at(9), "verified"), nowhere]
    findings = check_disagreements(entries, {"c1": (3,), "c2": (3, 5)})
    assert [(f.code, f.severity, f.footnotes) for f in findings] == [
        (CODE, "warning", ()), (CODE, "warning", (3,)), (CODE, "warning", (3, 5))]
    assert len({f.key for f in findings}) == 3
    alone, note3, shared = findings
    assert alone.message.startswith("Reviewers disagree on 1 citation. lost: Alice: verified; Bob: disputed.")
    assert note3.message.startswith("In note 3, reviewers disagree on 2 citations. Telegram: Alice: verified; "
                                    "Bob: disputed (\u201c<b>no</b>\u201d)")  # plain text: escaped where shown
    assert [d["key"] for d in note3.details["disagreements"]] == ["c1", "gone"]
    assert shared.message.startswith("In notes 3, 5, reviewers disagree on 1 citation.")
    assert note3.details["disagreements"][0]["positions"][1] == {
        "reviewer": "Bob", "time": at(10), "status": "disputed", "note": "<b>no</b>"}
