"""Compare-and-set writes, the schema 1 migration, marks moved to new keys, newer files, odd paths."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from explorer.store.marks import (
    BUSY_TIMEOUT,
    SCHEMA_VERSION,
    WRITTEN_BY,
    MarkConflict,
    MarkStatus,
    MarkStore,
    MarkStoreError,
)
from tests.support.corpora import REPO

#: Written by the landed schema 1 version (git show 253bb89:explorer/store/marks.py), closed cleanly:
#: note 24's telegram marked twice under the key notes 24 and 26 shared, a work, and another corpus.
SCHEMA_1 = Path(__file__).parent / "data" / "marks-schema1.sqlite3"
OLD = "doc:telegram:stalin>shtykov:1950-06-21"
SHIPS = OLD + "#doc=stalin-shtykov-1950-06-21-ships"  # note 24
PLAN = OLD + "#doc=stalin-shtykov-1950-06-21-plan"  # note 26
LABEL = "Telegram, Stalin to Shtykov, 21 June 1950"
MOVES = {OLD: ((SHIPS, 24, LABEL), (PLAN, 26, LABEL))}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "marks.sqlite3"


@pytest.fixture
def schema1(tmp_path: Path) -> Path:
    path = tmp_path / "marks.sqlite3"
    shutil.copyfile(SCHEMA_1, path)
    return path


def raw_rows(path: Path, sql: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


# -- compare-and-set ----------------------------------------------------------------


def test_a_stale_write_is_a_conflict_and_overwrites_nothing(db: Path) -> None:
    with MarkStore.open(db) as mine, MarkStore.open(db) as theirs:
        seen = mine.set_mark("essay", "c1", "unchecked", "", footnote=24)
        assert seen.version == 1
        disputed = theirs.set_mark("essay", "c1", "disputed", "wrong date", footnote=24, version=seen.version)
        assert disputed.version == 2
        with pytest.raises(MarkConflict) as raised:  # still based on version 1
            mine.set_mark("essay", "c1", "unchecked", "my comment", footnote=24, version=seen.version)
        assert raised.value.theirs == disputed and raised.value.based_on == 1
        assert raised.value.problems[0].file == str(db) and "the mark was not saved" in str(raised.value)
        assert mine.get("essay", "c1") == disputed
        assert [m.note for m in mine.history("essay", "c1")] == ["", "wrong date"]
        # Based on what is there now, the write goes through.
        merged = mine.set_mark("essay", "c1", "disputed", "wrong date / my comment", version=disputed.version)
        assert theirs.get("essay", "c1") == merged and merged.version == 3


def test_creating_a_mark_another_instance_has_just_created_is_a_conflict(db: Path) -> None:
    with MarkStore.open(db) as mine, MarkStore.open(db) as theirs:
        first = theirs.set_mark("essay", "c1", "verified", "theirs")
        with pytest.raises(MarkConflict) as raised:
            mine.set_mark("essay", "c1", "disputed", "mine")  # version 0: there was none
        assert raised.value.theirs == first
        assert mine.get("essay", "c1").note == "theirs"


def test_the_change_token_moves_on_every_write_from_here_or_elsewhere(db: Path) -> None:
    with MarkStore.open(db) as mine, MarkStore.open(db) as theirs:
        start = mine.change_token()
        assert mine.change_token() == start  # nothing changed
        theirs.set_mark("essay", "c1", "verified")
        after_theirs = mine.change_token()
        assert after_theirs != start
        mine.set_mark("essay", "c2", "verified")
        assert mine.change_token() != after_theirs
        with pytest.raises(MarkConflict):
            mine.set_mark("essay", "c1", "disputed")
        after_conflict = mine.change_token()
        assert mine.change_token() == after_conflict


# -- schema 1 -----------------------------------------------------------------------


def test_a_schema_1_file_is_migrated_in_place_and_loses_nothing(schema1: Path) -> None:
    before = raw_rows(schema1, "SELECT * FROM mark_history ORDER BY id")
    with MarkStore.open(schema1) as store:
        assert not store.read_only and store.warnings == ()
        mark = store.get("korea-1950", OLD)
        assert (mark.status, mark.note, mark.version, mark.review) == (
            MarkStatus.DISPUTED, "The date in the APRF copy is 20 June", 2, None)
        assert [m.version for m in store.history("korea-1950", OLD)] == [1, 2]
        assert store.get("tiny", next(iter(store.marks("tiny")))).version == 1
        store.set_mark("korea-1950", OLD, "verified", "after the migration", version=2)
    assert raw_rows(schema1, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert raw_rows(schema1, "SELECT value FROM store_info WHERE name = 'written_by'") == [(WRITTEN_BY,)]
    after = raw_rows(schema1, "SELECT * FROM mark_history ORDER BY id")
    assert [row[:8] for row in after[: len(before)]] == before  # every old row, as it was


def test_a_read_only_schema_1_file_is_read_as_it_is(schema1: Path) -> None:
    before = schema1.read_bytes()
    with MarkStore.open(schema1, read_only=True) as store:
        assert store.get("korea-1950", OLD).version == 1  # no versions before schema 2
        assert len(store.marks("korea-1950")) == 2
    assert schema1.read_bytes() == before


def test_the_shared_old_key_is_copied_to_both_notes_flagged_with_its_history(schema1: Path) -> None:
    with MarkStore.open(schema1) as store:
        assert store.move_marks("korea-1950", MOVES) == 2
        marks = store.marks("korea-1950")
        assert OLD not in marks
        ships, plan = marks[SHIPS], marks[PLAN]
        for mark, note in ((ships, 24), (plan, 26)):
            assert (mark.status, mark.note, mark.footnote) == (
                MarkStatus.DISPUTED, "The date in the APRF copy is 20 June", note)
            assert mark.review and "notes 24, 26" in mark.review
            assert [m.note for m in store.history("korea-1950", mark.citation_key)] == [
                "Seen in the APRF copy", "The date in the APRF copy is 20 June",
                "The date in the APRF copy is 20 June"]
        assert len(store.history("korea-1950", OLD)) == 2  # the old key's history stays
        assert store.marks("tiny") != {}  # another corpus is not touched
        # Once: the reader's later change is not flagged again by the next start.
        cleared = store.set_mark("korea-1950", SHIPS, "verified", "checked", footnote=24, version=ships.version)
        assert cleared.review is None
        assert store.move_marks("korea-1950", MOVES) == 0
        assert store.get("korea-1950", SHIPS) == cleared


def test_a_key_that_already_has_a_different_mark_keeps_it_and_names_the_old_one(db: Path) -> None:
    with MarkStore.open(db) as store:
        store.set_mark("essay", OLD, "verified", "old note", footnote=24)
        mine = store.set_mark("essay", PLAN, "disputed", "newer note", footnote=26)
        store.move_marks("essay", MOVES)
        plan = store.get("essay", PLAN)
        assert (plan.status, plan.note, plan.version) == (mine.status, mine.note, 2)
        assert plan.review and "old note" in plan.review and "verified" in plan.review
        assert store.get("essay", SHIPS).note == "old note"


def test_an_old_key_one_citation_keeps_stays_and_is_flagged(db: Path) -> None:
    moves = {OLD: ((OLD, 24, LABEL), (PLAN, 26, LABEL))}
    with MarkStore.open(db) as store:
        store.set_mark("essay", OLD, "verified", "old note", footnote=24)
        store.move_marks("essay", moves)
        assert store.get("essay", OLD).review and store.get("essay", PLAN).review
        assert store.get("essay", OLD).note == store.get("essay", PLAN).note == "old note"


def test_moving_marks_in_a_read_only_store_is_refused(schema1: Path) -> None:
    with MarkStore.open(schema1, read_only=True) as store, pytest.raises(MarkStoreError, match="not moved"):
        store.move_marks("korea-1950", MOVES)


# -- a newer version's file (issue 11.8) --------------------------------------------


def make_newer(path: Path) -> None:
    """A file as a later version might write it: schema +1, a status this one does not know."""
    with MarkStore.open(path) as store:
        store.set_mark("tiny", "c1", "verified", "known status", footnote=1)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("ALTER TABLE marks RENAME TO marks_old")
        conn.execute("CREATE TABLE marks AS SELECT * FROM marks_old")
        conn.execute("DROP TABLE marks_old")
        conn.execute("INSERT INTO marks SELECT corpus_id, 'c2', 'partly-verified', 'll. 3-4 only', 2, 'L', "
                     "updated_at, 1, NULL, reviewer, NULL FROM marks")
        conn.execute("UPDATE store_info SET value = 'explorer 9.1.0' WHERE name = 'written_by'")
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    finally:
        conn.close()


def test_a_newer_file_with_an_unknown_status_is_read_only_and_says_who_wrote_it(db: Path) -> None:
    make_newer(db)
    before = db.read_bytes()
    with MarkStore.open(db) as store:
        assert store.read_only
        warning = str(store.warnings[0])
        assert "explorer 9.1.0" in warning and f"marks schema {SCHEMA_VERSION + 1}" in warning
        assert WRITTEN_BY in warning
        marks = store.marks("tiny")
        assert marks["c2"].status == "partly-verified" and not marks["c2"].known
        assert marks["c1"].status is MarkStatus.VERIFIED and marks["c1"].known
    assert db.read_bytes() == before


# -- only a regular file (issues 11.9, 11.11) ---------------------------------------


def open_in_time(path: Path, **options: object) -> BaseException | MarkStore:
    """Open in a thread and give up waiting after 10 s (a pipe would block forever)."""
    result: list[BaseException | MarkStore] = []

    def run() -> None:
        try:
            result.append(MarkStore.open(path, **options))  # type: ignore[arg-type]
        except BaseException as e:  # handed to the test
            result.append(e)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(10)
    assert result, f"opening {path} hung"
    return result[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX named pipes")
@pytest.mark.parametrize("read_only", [False, True])
def test_a_named_pipe_is_refused_at_once(tmp_path: Path, read_only: bool) -> None:
    fifo = tmp_path / "marks.sqlite3"
    os.mkfifo(fifo)
    error = open_in_time(fifo, read_only=read_only)
    assert isinstance(error, MarkStoreError), error
    assert str(error).startswith(f"{fifo}: is a named pipe, not a regular file")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX named pipes")
def test_a_pipe_in_place_of_the_wal_is_refused(db: Path) -> None:
    with MarkStore.open(db) as store:
        store.set_mark("essay", "c1", "verified")
    os.mkfifo(db.with_name(db.name + "-wal"))
    error = open_in_time(db)
    assert isinstance(error, MarkStoreError) and "marks.sqlite3-wal" in str(error) and "named pipe" in str(error)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="POSIX devices")
def test_a_link_to_a_device_a_dangling_link_and_a_loop_are_refused(tmp_path: Path) -> None:
    cases = {"zero": ("/dev/zero", "is a device"),
             "dangling": (str(tmp_path / "gone"), "which does not exist"),
             "loop": (str(tmp_path / "loop"), "loops back on itself")}
    for name, (target, reason) in cases.items():
        link = tmp_path / name
        link.symlink_to(target)
        for read_only in (False, True):
            error = open_in_time(link, read_only=read_only)
            assert isinstance(error, MarkStoreError) and reason in str(error), (name, error)
            assert error.problems[0].file == str(link)
    assert not (tmp_path / "gone").exists()  # the dangling link's target was not created


# -- how long a lock is waited for (issue 11.11) -------------------------------------


def test_a_locked_file_is_reported_after_the_configured_wait(db: Path) -> None:
    with MarkStore.open(db) as store:
        store.set_mark("essay", "c1", "verified")
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        started = time.monotonic()
        with pytest.raises(MarkStoreError, match="locked by another program"):
            MarkStore.open(db, busy_timeout=0.2)
        waited = time.monotonic() - started
        assert 0.15 <= waited < 0.2 + 2.0, waited
        holder.execute("ROLLBACK")
    finally:
        holder.close()


def test_the_readme_says_how_long_a_lock_is_waited_for() -> None:
    readme = " ".join((REPO / "README.md").read_text(encoding="utf-8").split())
    said = re.findall(r"locked by another running copy is reported after waiting ([\d.]+) seconds?", readme)
    assert said == [f"{BUSY_TIMEOUT:g}"]
