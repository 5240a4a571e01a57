"""Bad marks files: the app opens, tells the user, and never overwrites the old file.

Each case checks what the caller sees and that the original bytes are unchanged
(or kept aside byte for byte).
"""

import os
import pickle
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from explorer.store.marks import SCHEMA_VERSION, MarkStore, MarkStoreError

T = TypeVar("T")
ASIDE = re.compile(r"^marks\.sqlite3\.corrupt-\d{8}-\d{6}(-\d+)?$")


def make_db(path: Path, count: int = 3) -> Path:
    with MarkStore.open(path) as store:
        for i in range(count):
            store.set_mark("essay", f"c{i}", "verified", f"note {i} " * 10, footnote=i)
    return path


def aside_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if ".corrupt-" in p.name)


def test_missing_file_and_folders_are_created(tmp_path: Path) -> None:
    db = tmp_path / "a" / "b" / "marks.sqlite3"
    with MarkStore.open(db) as store:
        assert (store.read_only, store.recovered_from, store.warnings) == (False, None, ())
        store.set_mark("essay", "c1", "verified")
    raw = sqlite3.connect(db)
    try:
        assert raw.execute("PRAGMA user_version").fetchone() == (SCHEMA_VERSION,)
        assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    finally:
        raw.close()


def test_missing_file_opened_read_only_is_an_error_and_not_created(tmp_path: Path) -> None:
    db = tmp_path / "marks.sqlite3"
    with pytest.raises(MarkStoreError, match="does not exist") as raised:
        MarkStore.open(db, read_only=True)
    assert raised.value.problems[0].file == str(db)
    assert not db.exists()


# -- read-only ------------------------------------------------------------------


def test_read_only_open_refuses_writes_and_leaves_the_bytes(tmp_path: Path) -> None:
    db = make_db(tmp_path / "marks.sqlite3")
    before = db.read_bytes()
    with MarkStore.open(db, read_only=True) as store:
        assert store.read_only
        assert str(db) in str(store.warnings[0]) and "cannot be saved" in str(store.warnings[0])
        assert store.get("essay", "c1").footnote == 1
        with pytest.raises(MarkStoreError, match="the mark was not saved") as raised:
            store.set_mark("essay", "c1", "disputed")
        assert raised.value.problems[0].file == str(db)
        # SQLite itself holds the line (mode=ro), not only our flag; root included.
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store._conn.execute("DELETE FROM marks")
    assert db.read_bytes() == before


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder the unprivileged user can reach (pytest's tmp_path is root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="explorer-marks-test-"))
    folder.chmod(0o755)
    yield folder
    for sub in [folder, *folder.rglob("*")]:
        if sub.is_dir():
            sub.chmod(0o755)
    shutil.rmtree(folder)


def as_unprivileged(fn: Callable[[], T]) -> T:
    """Run ``fn`` where file permissions apply.

    Root ignores chmod, so as root ``fn`` runs in a forked child that has
    switched to the ``nobody`` user (a fresh interpreter could not be started:
    the venv may sit in root's home). Returns what ``fn`` returns (picklable).
    """
    if not hasattr(os, "getuid") or os.getuid() != 0:
        return fn()
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            os.close(reader)
            try:
                os.setgid(65534)
                os.setuid(65534)
                outcome: tuple[str, object] = ("ok", fn())
            except PermissionError as e:
                outcome = ("skip", f"cannot drop root privileges to test file permissions: {e}")
        except BaseException:
            outcome = ("error", traceback.format_exc())
        with os.fdopen(writer, "wb") as out:
            pickle.dump(outcome, out)
        os._exit(0)
    os.close(writer)
    with os.fdopen(reader, "rb") as inp:
        kind, value = pickle.load(inp)
    os.waitpid(pid, 0)
    if kind == "skip":
        pytest.skip(str(value))
    if kind == "error":
        pytest.fail(f"unprivileged run failed:\n{value}")
    return value  # type: ignore[return-value]


def open_and_try_to_write(db: Path) -> dict[str, object]:
    with MarkStore.open(db) as store:
        try:
            store.set_mark("essay", "new", "verified")
            error = None
        except MarkStoreError as e:
            error = (e.problems[0].file, str(e))
        mark = store.get("essay", "c1")
        return {
            "read_only": store.read_only,
            "warnings": [str(w) for w in store.warnings],
            "note": mark.note if mark else None,
            "error": error,
        }


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
@pytest.mark.parametrize(
    ("file_mode", "dir_mode", "reason"),
    [
        (0o444, 0o777, "the file is read-only"),
        (0o666, 0o555, "is read-only"),  # SQLite cannot create the -wal/-shm files
        (0o444, 0o555, "the file is read-only"),
    ],
)
def test_unwritable_file_or_folder_opens_read_only(
    shared_dir: Path, file_mode: int, dir_mode: int, reason: str
) -> None:
    folder = shared_dir / "data"
    db = make_db(folder / "marks.sqlite3")
    before = db.read_bytes()
    db.chmod(file_mode)
    folder.chmod(dir_mode)

    seen = as_unprivileged(lambda: open_and_try_to_write(db))

    assert seen["read_only"] is True
    assert reason in seen["warnings"][0] and str(db) in seen["warnings"][0]
    assert seen["note"] == "note 1 " * 10
    assert seen["error"][0] == str(db)
    assert "the mark was not saved" in seen["error"][1]
    assert db.read_bytes() == before


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_missing_file_in_unwritable_folder_is_a_clear_error(shared_dir: Path) -> None:
    folder = shared_dir / "data"
    folder.mkdir()
    folder.chmod(0o555)
    db = folder / "marks.sqlite3"

    def try_open() -> str:
        with pytest.raises(MarkStoreError) as raised:
            MarkStore.open(db)
        return str(raised.value)

    message = as_unprivileged(try_open)
    assert message.startswith(str(db)) and "cannot be created" in message
    assert not db.exists()


# -- locked ---------------------------------------------------------------------

HOLD_LOCK = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN EXCLUSIVE")
conn.execute("UPDATE marks SET note = 'uncommitted'")
print("locked", flush=True)
sys.stdin.readline()
conn.execute("ROLLBACK")
conn.close()
"""


def test_writer_in_another_process_delays_then_fails_a_write_clearly(tmp_path: Path) -> None:
    db = make_db(tmp_path / "marks.sqlite3")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline() == "locked\n"
        # WAL: reading goes on while another instance writes.
        with MarkStore.open(db, busy_timeout=0.3) as store:
            assert store.get("essay", "c1").note == "note 1 " * 10
            started = time.monotonic()
            with pytest.raises(MarkStoreError, match="locked by another program") as raised:
                store.set_mark("essay", "c1", "disputed", "mine", version=1)
            assert time.monotonic() - started >= 0.25
            assert raised.value.problems[0].file == str(db)
            assert "the mark was not saved" in str(raised.value)

            holder.stdin.write("done\n")
            holder.stdin.flush()
            assert holder.wait(timeout=10) == 0
            store.set_mark("essay", "c1", "disputed", "mine", version=1)
            assert store.get("essay", "c1").note == "mine"
    finally:
        holder.kill()
        holder.wait()
        holder.stdin.close()
        holder.stdout.close()


def test_exclusively_locked_file_cannot_be_opened_and_says_why(tmp_path: Path) -> None:
    db = make_db(tmp_path / "marks.sqlite3")
    holder = sqlite3.connect(db, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE marks SET note = 'held'")
        with pytest.raises(MarkStoreError, match="locked by another program") as raised:
            MarkStore.open(db, busy_timeout=0.2)
        assert raised.value.problems[0].file == str(db)
        holder.execute("ROLLBACK")
    finally:
        holder.close()
    assert aside_files(tmp_path) == []
    with MarkStore.open(db) as store:
        assert store.get("essay", "c1").note == "note 1 " * 10


# -- damaged --------------------------------------------------------------------


def assert_recovered(db: Path, original: bytes) -> None:
    with MarkStore.open(db) as store:
        assert store.recovered_from is not None
        assert ASIDE.match(store.recovered_from.name), store.recovered_from
        assert store.recovered_from.read_bytes() == original
        assert not store.read_only
        assert str(db) in str(store.warnings[0]) and store.recovered_from.name in str(store.warnings[0])
        assert store.marks("essay") == {}
        store.set_mark("essay", "c1", "verified", "a fresh start")
    with MarkStore.open(db) as store:
        assert store.recovered_from is None
        assert store.get("essay", "c1").note == "a fresh start"


def test_garbage_is_kept_aside_and_a_new_file_started(tmp_path: Path) -> None:
    db = tmp_path / "marks.sqlite3"
    garbage = bytes(range(256)) * 40
    db.write_bytes(garbage)
    assert_recovered(db, garbage)
    assert [p.read_bytes() for p in aside_files(tmp_path)] == [garbage]


def test_truncated_database_is_kept_aside(tmp_path: Path) -> None:
    db = make_db(tmp_path / "marks.sqlite3", count=300)
    truncated = db.read_bytes()[: db.stat().st_size // 2]
    db.write_bytes(truncated)
    assert_recovered(db, truncated)


def test_damaged_file_with_a_live_wal_keeps_both_aside_unchanged(tmp_path: Path) -> None:
    # A WAL holding committed marks, as a crash leaves it: copied while the
    # writer is still open, so it was never checkpointed.
    make_db(tmp_path / "src" / "marks.sqlite3")
    writer = sqlite3.connect(tmp_path / "src" / "marks.sqlite3", isolation_level=None)
    try:
        writer.execute("PRAGMA wal_autocheckpoint = 0")
        writer.execute("UPDATE marks SET note = 'only in the WAL'")
        (tmp_path / "crashed").mkdir()
        for name in ("marks.sqlite3", "marks.sqlite3-wal"):
            shutil.copyfile(tmp_path / "src" / name, tmp_path / "crashed" / name)
    finally:
        writer.close()
    db = tmp_path / "crashed" / "marks.sqlite3"
    with db.open("r+b") as f:
        f.write(b"garbage header" * 8)
    damaged, wal = db.read_bytes(), (tmp_path / "crashed" / "marks.sqlite3-wal").read_bytes()
    assert b"only in the WAL" in wal

    with MarkStore.open(db) as store:
        aside = store.recovered_from
        assert aside is not None
        assert store.marks("essay") == {}
    # Nothing was checkpointed into the damaged file or deleted: both kept as they were.
    assert aside.read_bytes() == damaged
    assert aside.with_name(aside.name + "-wal").read_bytes() == wal


def test_repeated_damage_never_overwrites_an_earlier_aside_copy(tmp_path: Path) -> None:
    db = tmp_path / "marks.sqlite3"
    for n in range(3):
        db.write_bytes(f"garbage number {n}".encode() * 100)
        MarkStore.open(db).close()
    assert sorted(p.read_bytes() for p in aside_files(tmp_path)) == [
        f"garbage number {n}".encode() * 100 for n in range(3)
    ]


def test_damaged_file_opened_read_only_is_left_alone(tmp_path: Path) -> None:
    db = tmp_path / "marks.sqlite3"
    db.write_bytes(b"garbage" * 500)
    with pytest.raises(MarkStoreError, match="is damaged") as raised:
        MarkStore.open(db, read_only=True)
    assert raised.value.problems[0].file == str(db)
    assert db.read_bytes() == b"garbage" * 500
    assert aside_files(tmp_path) == []


# -- not ours -------------------------------------------------------------------


def set_user_version(db: Path, version: int, *extra: str) -> None:
    raw = sqlite3.connect(db, isolation_level=None)
    try:
        for statement in extra:
            raw.execute(statement)
        raw.execute(f"PRAGMA user_version = {version}")
    finally:
        raw.close()


def test_newer_schema_opens_read_only_and_is_not_touched(tmp_path: Path) -> None:
    db = make_db(tmp_path / "marks.sqlite3")
    set_user_version(db, 99)
    before = db.read_bytes()
    with MarkStore.open(db) as store:
        assert store.read_only
        warning = str(store.warnings[0])
        assert str(db) in warning and "newer version" in warning
        assert "schema 99" in warning and f"schema {SCHEMA_VERSION}" in warning
        assert store.get("essay", "c2").footnote == 2
        with pytest.raises(MarkStoreError, match="newer version"):
            store.set_mark("essay", "c2", "disputed")
    assert db.read_bytes() == before
    assert aside_files(tmp_path) == []
    set_user_version(db, 99)  # still 99: never migrated
    raw = sqlite3.connect(db)
    try:
        assert raw.execute("PRAGMA user_version").fetchone() == (99,)
    finally:
        raw.close()


def test_newer_schema_this_version_cannot_read_is_refused_untouched(tmp_path: Path) -> None:
    db = make_db(tmp_path / "marks.sqlite3")
    set_user_version(db, 7, "ALTER TABLE marks RENAME TO marks_v7")
    before = db.read_bytes()
    with pytest.raises(MarkStoreError) as raised:
        MarkStore.open(db)
    message = str(raised.value)
    assert message.startswith(str(db)) and "schema 7" in message and f"schema {SCHEMA_VERSION}" in message
    assert db.read_bytes() == before
    assert aside_files(tmp_path) == []


def test_some_other_programs_database_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "marks.sqlite3"
    set_user_version(db, 0, "CREATE TABLE recipes (name TEXT)", "INSERT INTO recipes VALUES ('kimchi')")
    before = db.read_bytes()
    with pytest.raises(MarkStoreError, match="not a marks file"):
        MarkStore.open(db)
    assert db.read_bytes() == before
