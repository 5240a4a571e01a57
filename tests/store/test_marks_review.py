"""Team review in the store: reviewers on marks (schema 3 and its upgrade), the exchange file, merging."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from explorer.core.audit.review import disagreements
from explorer.core.errors import CorpusError
from explorer.store.marks import SCHEMA_VERSION, Mark, MarkStore, MarkStoreError, entry_identity
from explorer.store.marks_file import (
    FORMAT,
    FORMAT_VERSION,
    export_marks,
    import_marks,
    marks_text,
    read_marks_file,
    review_entries,
)

#: The schema 2 tables exactly as the previous version created them.
SCHEMA_2 = (
    """CREATE TABLE marks (corpus_id TEXT NOT NULL, citation_key TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('unchecked', 'verified', 'disputed')), note TEXT NOT NULL,
        footnote INTEGER, label TEXT, updated_at TEXT NOT NULL, version INTEGER NOT NULL DEFAULT 1, review TEXT,
        PRIMARY KEY (corpus_id, citation_key)) WITHOUT ROWID""",
    """CREATE TABLE mark_history (id INTEGER PRIMARY KEY, corpus_id TEXT NOT NULL, citation_key TEXT NOT NULL,
        status TEXT NOT NULL, note TEXT NOT NULL, footnote INTEGER, label TEXT, updated_at TEXT NOT NULL,
        version INTEGER, review TEXT)""",
    "CREATE INDEX mark_history_by_key ON mark_history (corpus_id, citation_key, id)",
    "CREATE TABLE store_info (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE moved_marks (corpus_id TEXT NOT NULL, old_key TEXT NOT NULL, new_key TEXT NOT NULL,
        moved_at TEXT NOT NULL, PRIMARY KEY (corpus_id, old_key, new_key)) WITHOUT ROWID""",
)
T1, T2 = "2026-01-05T10:00:00.000+00:00", "2026-01-05T11:00:00.000+00:00"


def make_schema_2(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        for statement in SCHEMA_2:
            conn.execute(statement)
        for version, (status, note, when) in enumerate((("disputed", "date?", T1), ("verified", "seen", T2)), 1):
            conn.execute("INSERT INTO mark_history (corpus_id, citation_key, status, note, footnote, label, "
                         "updated_at, version) VALUES ('tiny', 'c1', ?, ?, 1, 'L', ?, ?)",
                         (status, note, when, version))
        conn.execute("INSERT INTO marks VALUES ('tiny', 'c1', 'verified', 'seen', 1, 'L', ?, 2, NULL)", (T2,))
        conn.execute("INSERT INTO store_info VALUES ('written_by', 'explorer 0.9')")
        conn.execute("PRAGMA user_version = 2")
    finally:
        conn.close()


def user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "marks.sqlite3"


# -- reviewers and the schema 3 upgrade ---------------------------------------------------------


def test_a_schema_2_file_is_upgraded_in_place_its_marks_kept_with_an_unknown_reviewer(db: Path) -> None:
    make_schema_2(db)
    with MarkStore.open(db) as store:
        assert not store.read_only and not store.warnings
        mark = store.get("tiny", "c1")
        assert mark is not None and (mark.status, mark.note, mark.version) == ("verified", "seen", 2)
        assert mark.reviewer == "" and mark.reviewer_shown == "unknown" and mark.resolves == ()
        assert [(m.status, m.note, m.version, m.reviewer) for m in store.history("tiny", "c1")] == [
            ("disputed", "date?", 1, ""), ("verified", "seen", 2, "")]
        store.set_mark("tiny", "c1", "disputed", "f. 3 differs", version=2, reviewer="Alice")
    assert user_version(db) == SCHEMA_VERSION == 3
    with MarkStore.open(db) as store:
        assert [m.reviewer for m in store.history("tiny", "c1")] == ["", "", "Alice"]


def test_a_read_only_schema_2_file_is_read_as_it_is_and_left_unchanged(db: Path) -> None:
    make_schema_2(db)
    before = db.read_bytes()
    with MarkStore.open(db, read_only=True) as store:
        assert store.get("tiny", "c1").reviewer_shown == "unknown"  # type: ignore[union-attr]
        assert len(store.entries("tiny")) == 2
    assert db.read_bytes() == before and user_version(db) == 2


def test_an_upgrade_that_fails_leaves_the_schema_2_file_as_it_was(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import explorer.store.marks as marks

    make_schema_2(db)
    monkeypatch.setattr(marks, "_MIGRATE_2_TO_3", (*marks._MIGRATE_2_TO_3, "ALTER TABLE nowhere ADD COLUMN x"))
    with pytest.raises(MarkStoreError):
        MarkStore.open(db)
    assert user_version(db) == 2
    conn = sqlite3.connect(db)
    try:
        assert "reviewer" not in {row[1] for row in conn.execute("PRAGMA table_info(marks)")}
    finally:
        conn.close()


def test_each_mark_and_history_entry_records_its_reviewer(db: Path) -> None:
    with MarkStore.open(db) as store:
        first = store.set_mark("tiny", "c1", "verified", "seen", 1, "L", reviewer="Alice")
        store.set_mark("tiny", "c1", "disputed", "no", 1, "L", version=first.version, reviewer="Bob",
                       resolves=[("Alice", first.updated_at)])
    with MarkStore.open(db) as store:
        now = store.get("tiny", "c1")
        assert now is not None and now.reviewer == "Bob" and now.resolves == (("Alice", first.updated_at),)
        assert [(m.reviewer, m.resolves) for m in store.history("tiny", "c1")] == [
            ("Alice", ()), ("Bob", (("Alice", first.updated_at),))]


# -- the exchange file --------------------------------------------------------------------------


def alice_and_bob(tmp_path: Path) -> tuple[Path, Path]:
    """Two reviewers' marks files: they agree on c1, disagree on c2; Bob alone marked c3."""
    alice, bob = tmp_path / "alice.sqlite3", tmp_path / "bob.sqlite3"
    with MarkStore.open(alice) as store:
        store.set_mark("tiny", "c1", "verified", "AVPRF copy", 1, "One", reviewer="Alice")
        store.set_mark("tiny", "c2", "verified", "", 2, "Two", reviewer="Alice")
    with MarkStore.open(bob) as store:
        store.set_mark("tiny", "c1", "verified", "", 1, "One", reviewer="Bob")
        store.set_mark("tiny", "c2", "disputed", "list 92 is another telegram", 2, "Two", reviewer="Bob")
        store.set_mark("tiny", "c3", "verified", "", 2, "Three", reviewer="Bob")
        store.set_mark("other", "c1", "disputed", "not this corpus", reviewer="Bob")
    return alice, bob


def test_the_file_is_a_header_and_one_sorted_line_per_entry(tmp_path: Path) -> None:
    _, bob = alice_and_bob(tmp_path)
    out = tmp_path / "bob.jsonl"
    with MarkStore.open(bob) as store:
        store.set_mark("tiny", "c1", "disputed", "on second thought", 1, "One",
                       version=store.get("tiny", "c1").version, reviewer="Bob")  # type: ignore[union-attr]
        assert export_marks(store, "tiny", out) == 4
    lines = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[0]) == {"format": FORMAT, "version": FORMAT_VERSION, "corpus": "tiny"}
    entries = [json.loads(line) for line in lines[1:]]
    assert [(e["key"], e["reviewer"], e["status"]) for e in entries] == [
        ("c1", "Bob", "verified"), ("c1", "Bob", "disputed"), ("c2", "Bob", "disputed"), ("c3", "Bob", "verified")]
    assert entries[2] == {"key": "c2", "reviewer": "Bob", "time": entries[2]["time"], "status": "disputed",
                          "note": "list 92 is another telegram", "footnote": 2, "label": "Two"}
    assert all(line == json.dumps(json.loads(line), ensure_ascii=False, sort_keys=True) for line in lines)
    assert "not this corpus" not in out.read_text(encoding="utf-8")


def test_export_then_import_into_an_empty_store_gives_back_every_entry(tmp_path: Path) -> None:
    _, bob = alice_and_bob(tmp_path)
    out, copy = tmp_path / "bob.jsonl", tmp_path / "copy.sqlite3"
    with MarkStore.open(bob) as store:
        export_marks(store, "tiny", out)
        original = {entry_identity(m): m for m in store.entries("tiny")}
    with MarkStore.open(copy) as store:
        result, read = import_marks(store, "tiny", out)
        assert (result.added, result.current, read.rejected) == (3, 3, ())
        copied = {entry_identity(m): m for m in store.entries("tiny")}
        assert copied.keys() == original.keys()
        for identity, mark in copied.items():
            assert (mark.footnote, mark.label) == (original[identity].footnote, original[identity].label)
        assert store.get("tiny", "c2").status == "disputed"  # type: ignore[union-attr]
        # a second export of the copy is the same file, byte for byte
        again = tmp_path / "again.jsonl"
        export_marks(store, "tiny", again)
    assert again.read_bytes() == out.read_bytes()


def test_importing_merges_never_overwrites_and_twice_changes_nothing(tmp_path: Path) -> None:
    alice, bob = alice_and_bob(tmp_path)
    from_bob = tmp_path / "bob.jsonl"
    with MarkStore.open(bob) as store:
        export_marks(store, "tiny", from_bob)
    with MarkStore.open(alice) as store:
        mine = store.marks("tiny")
        result, _ = import_marks(store, "tiny", from_bob)
        assert (result.added, result.current) == (3, 1)  # c3 had no mark here: Bob's is the current one
        after = store.marks("tiny")
        assert {k: after[k] for k in mine} == mine  # Alice's own current marks are untouched
        assert after["c3"].reviewer == "Bob"
        entries = store.entries("tiny")
        assert len(entries) == 5
        again, _ = import_marks(store, "tiny", from_bob)
        assert (again.added, again.current) == (0, 0)
        assert store.entries("tiny") == entries and store.marks("tiny") == after


def test_a_later_mark_of_the_same_reviewer_from_elsewhere_becomes_the_current_one(tmp_path: Path) -> None:
    laptop, desktop = tmp_path / "laptop.sqlite3", tmp_path / "desktop.sqlite3"
    out = tmp_path / "laptop.jsonl"
    with MarkStore.open(desktop) as store:
        store.set_mark("tiny", "c1", "verified", "", 1, "One", reviewer="Alice")
    with MarkStore.open(laptop) as store:
        store.set_mark("tiny", "c1", "disputed", "the date differs", 1, "One", reviewer="Alice")
        export_marks(store, "tiny", out)
    with MarkStore.open(desktop) as store:
        result, _ = import_marks(store, "tiny", out)
        now = store.get("tiny", "c1")
        assert result.current == 1 and now is not None
        assert (now.status, now.note, now.version) == ("disputed", "the date differs", 2)
        assert [m.status for m in store.history("tiny", "c1")] == ["verified", "disputed"]


# -- merging: two reviewers, crosswise --------------------------------------------------------------


def test_two_reviewers_exchange_see_the_disagreement_resolve_it_and_reimport_without_duplicates(
        tmp_path: Path) -> None:
    alice, bob = alice_and_bob(tmp_path)
    a_file, b_file = tmp_path / "alice.jsonl", tmp_path / "bob.jsonl"
    for db, out in ((alice, a_file), (bob, b_file)):
        with MarkStore.open(db) as store:
            export_marks(store, "tiny", out)
    for db, theirs in ((alice, b_file), (bob, a_file)):
        with MarkStore.open(db) as store:
            import_marks(store, "tiny", theirs)
            found = disagreements(review_entries(store.entries("tiny")))
            assert [(d.key, [(p.who, p.status) for p in d.positions]) for d in found] == [
                ("c2", [("Alice", "verified"), ("Bob", "disputed")])]
            assert "list 92 is another telegram" in found[0].who_said_what()
    # Alice looks again and resolves it: a mark too, naming the entries it settles
    with MarkStore.open(alice) as store:
        found = disagreements(review_entries(store.entries("tiny")))
        now = store.get("tiny", "c2")
        assert now is not None
        store.set_mark("tiny", "c2", "disputed", "Bob is right: list 92 is the 31 January telegram", 2, "Two",
                       version=now.version, reviewer="Alice", resolves=found[0].resolves())
        assert disagreements(review_entries(store.entries("tiny"))) == []
        export_marks(store, "tiny", a_file)
        counts = {"alice": len(store.entries("tiny"))}
    with MarkStore.open(bob) as store:
        import_marks(store, "tiny", a_file)
        assert disagreements(review_entries(store.entries("tiny"))) == []
        resolved = store.get("tiny", "c2")
        assert resolved is not None and resolved.reviewer == "Alice"  # it resolved Bob's mark: it is current
        assert [m.reviewer for m in store.history("tiny", "c2")] == ["Alice", "Bob", "Alice"]
        export_marks(store, "tiny", b_file)
        counts["bob"] = len(store.entries("tiny"))
    # every file imported again, both ways: nothing is added
    for db, name in ((alice, "alice"), (bob, "bob")):
        with MarkStore.open(db) as store:
            for out in (a_file, b_file):
                result, _ = import_marks(store, "tiny", out)
                assert result.added == 0
            entries = store.entries("tiny")
            assert len(entries) == counts[name] == 6
            assert len({entry_identity(m) for m in entries}) == len(entries)
    assert a_file.read_text(encoding="utf-8").splitlines()[1:] == b_file.read_text(encoding="utf-8").splitlines()[1:]


# -- bad input ----------------------------------------------------------------------------------------


def good_file(tmp_path: Path, lines: list[str], corpus: str = "tiny", version: int = FORMAT_VERSION) -> Path:
    path = tmp_path / "in.jsonl"
    header = json.dumps({"format": FORMAT, "version": version, "corpus": corpus})
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def entry(key: str = "c9", **fields: object) -> str:
    data: dict[str, object] = {"key": key, "reviewer": "Carol", "time": T1, "status": "verified", "note": ""}
    data.update(fields)
    return json.dumps({k: v for k, v in data.items() if v is not None})


@pytest.fixture
def marked(db: Path) -> Path:
    with MarkStore.open(db) as store:
        store.set_mark("tiny", "c1", "verified", "kept", 1, "One", reviewer="Alice")
    return db


def snapshot(db: Path) -> tuple[list[Mark], dict[str, Mark]]:
    with MarkStore.open(db, read_only=True) as store:
        return store.entries("tiny"), store.marks("tiny")


@pytest.mark.parametrize(("header", "why"), [
    ({"format": FORMAT, "version": FORMAT_VERSION, "corpus": "korea-1950"}, "corpus \"korea-1950\", not of 'tiny'"),
    ({"format": FORMAT, "version": FORMAT_VERSION + 1, "corpus": "tiny"}, "written by a newer version"),
    ({"format": "zotero", "version": 1, "corpus": "tiny"}, "is not a marks file"),
    ({"format": FORMAT, "version": "one", "corpus": "tiny"}, "no valid format version"),
])
def test_a_file_of_another_corpus_or_a_newer_version_is_refused_whole(
        tmp_path: Path, marked: Path, header: dict, why: str) -> None:
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps(header) + "\n" + entry() + "\n", encoding="utf-8")
    before = snapshot(marked)
    with MarkStore.open(marked) as store:
        for partial in (False, True):
            with pytest.raises(CorpusError) as caught:
                import_marks(store, "tiny", path, partial=partial)
            assert caught.value.problems[0].location() == f"{path}:1" and why in caught.value.problems[0].message
    assert snapshot(marked) == before


def test_a_file_that_is_not_a_marks_file_at_all_is_refused(tmp_path: Path, marked: Path) -> None:
    cases = {"empty.jsonl": b"", "latin1.jsonl": "caf\u00e9".encode("latin-1"), "prose.txt": b"Dear Alice,\n"}
    with MarkStore.open(marked) as store:
        for name, data in cases.items():
            (tmp_path / name).write_bytes(data)
            with pytest.raises(CorpusError) as caught:
                import_marks(store, "tiny", tmp_path / name)
            assert caught.value.problems[0].file == str(tmp_path / name)
        with pytest.raises(CorpusError, match="cannot read the file"):
            import_marks(store, "tiny", tmp_path / "missing.jsonl")


BAD_LINES = [
    ("{\"key\": \"c5\", ", "is not valid JSON"),
    ("[1, 2]", "is not a JSON object"),
    (entry("c5", status=None, note=None), "lacks the fields 'status', 'note'"),
    (entry("c5", status="probably"), "unknown status 'probably'"),
    (entry("c5", time="yesterday"), "field 'time' is not a date and time"),
    (entry("c5", time="2026-01-05T10:00:00"), "field 'time' is not a date and time"),
    (entry(""), "field 'key' must be non-empty text"),
    (entry("c5", footnote="12"), "field 'footnote' must be a note number"),
    (entry("c5", resolves=[["Alice"]]), "'resolves' must be a list of [reviewer, time] pairs"),
    ("[" * 100_000, "is not JSON this reader accepts"),
]


def test_a_hand_edited_file_is_refused_naming_each_bad_line_and_nothing_changes(tmp_path: Path, marked: Path) -> None:
    lines = [entry("c2")] + [line for line, _ in BAD_LINES] + [entry("c3")]
    path = good_file(tmp_path, lines)
    before = snapshot(marked)
    with MarkStore.open(marked) as store, pytest.raises(CorpusError) as caught:
        import_marks(store, "tiny", path)
    problems = caught.value.problems
    assert [(p.file, p.line) for p in problems[:-1]] == [(str(path), n) for n in range(3, 3 + len(BAD_LINES))]
    for problem, (_, why) in zip(problems, BAD_LINES, strict=False):
        assert why in problem.message, (problem, why)
    assert "nothing was imported" in problems[-1].message and "--partial" in problems[-1].message
    assert snapshot(marked) == before


def test_partial_imports_the_good_entries_and_lists_each_rejected_line(tmp_path: Path, marked: Path) -> None:
    path = good_file(tmp_path, [entry("c2"), "not json", entry("c3", status="maybe"), "", entry("c4")])
    with MarkStore.open(marked) as store:
        result, read = import_marks(store, "tiny", path, partial=True)
        assert result.added == 2
        assert [str(p) for p in read.rejected] == [
            f"{path}:3: is not valid JSON (Expecting value at column 1)",
            f"{path}:4: has an unknown status 'maybe' (known: unchecked, verified, disputed)"]
        assert sorted(store.marks("tiny")) == ["c1", "c2", "c4"]


def test_an_import_that_fails_midway_changes_nothing(tmp_path: Path, marked: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    path = good_file(tmp_path, [entry("c2"), entry("c3"), entry("c4")])
    before = snapshot(marked)
    calls = []

    def failing(self: MarkStore, mark: Mark) -> None:
        calls.append(mark.citation_key)
        if len(calls) == 3:
            raise sqlite3.OperationalError("disk I/O error")
        original(self, mark)

    original = MarkStore._put_history
    monkeypatch.setattr(MarkStore, "_put_history", failing)
    with MarkStore.open(marked) as store, pytest.raises(MarkStoreError, match="nothing was imported"):
        import_marks(store, "tiny", path)
    assert len(calls) == 3
    assert snapshot(marked) == before


def test_times_are_read_in_any_offset_and_compared_as_the_same_entry(tmp_path: Path, db: Path) -> None:
    path = good_file(tmp_path, [entry("c2", time="2026-01-05T12:00:00+02:00")])
    read = read_marks_file(path, "tiny")
    assert read.entries[0].updated_at == T1
    with MarkStore.open(db) as store:
        import_marks(store, "tiny", path)
        assert import_marks(store, "tiny", good_file(tmp_path, [entry("c2")]))[0].added == 0


def test_an_empty_store_exports_a_header_only(tmp_path: Path) -> None:
    assert marks_text("tiny", []) == json.dumps({"corpus": "tiny", "format": FORMAT, "version": FORMAT_VERSION}) + "\n"


def test_an_entry_stored_with_its_time_written_otherwise_is_still_the_same_entry(tmp_path: Path, db: Path) -> None:
    """A file written by hand or by another version may write 10:00:00Z for 10:00:00.000+00:00."""
    with MarkStore.open(db) as store:
        import_marks(store, "tiny", good_file(tmp_path, [entry("c2")]))
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("UPDATE mark_history SET updated_at = '2026-01-05T10:00:00Z'")
    finally:
        conn.close()
    with MarkStore.open(db) as store:
        assert import_marks(store, "tiny", good_file(tmp_path, [entry("c2")]))[0].added == 0


def test_a_pipe_named_as_a_marks_file_is_refused_not_waited_on(tmp_path: Path, marked: Path) -> None:
    """A FIFO has no size and would block the window's import for ever."""
    import os

    from tests.support.blocking import outcome_within

    fifo = tmp_path / "marks.jsonl"
    os.mkfifo(fifo)
    with MarkStore.open(marked) as store:
        outcome = outcome_within(lambda: import_marks(store, "tiny", fifo))
    assert isinstance(outcome, CorpusError) and "not a regular file" in str(outcome)
