"""The researcher's verification marks, kept in one SQLite file.

For each citation the researcher sets a mark (unchecked, verified or
disputed) with a note. Marks are keyed by ``(corpus_id, citation_key)`` (the
key :func:`explorer.core.verification.mark_key` gives); the footnote number and
label are stored for display and orphan detection only, because both change
when the essay is edited.

What the file guarantees:

* ``set_mark`` returns only after its transaction has committed with
  ``synchronous=FULL`` in WAL mode, so a mark shown as saved survives a crash,
  a kill or a power cut. One transaction per change, the history row included.
* Every change is appended to ``mark_history``; an overwritten note is never lost.
* The file is never overwritten or deleted. A damaged file is moved aside to
  ``<name>.corrupt-YYYYmmdd-HHMMSS`` (with its ``-wal``/``-shm``) and a new one
  started; a file from a newer schema is opened read-only and left as it is.
* Two running instances may share one file: WAL lets them read at the same
  time, and their writes (each one short transaction) wait up to
  ``busy_timeout`` seconds (:data:`BUSY_TIMEOUT`) for each other before
  failing with a clear error.
* Every write is a compare-and-set: each mark has a ``version``, and a write
  names the version it was based on. If another instance changed the mark
  since, nothing is written and :class:`MarkConflict` carries their mark, so
  the caller can show both. :meth:`MarkStore.change_token` tells a caller
  that polls whether anything changed.
* Schema 1 files (before versions and review flags) and schema 2 files (before
  reviewers) are migrated in place, in one transaction, adding columns only; a
  mark from before reviewers has reviewer "" (shown as "unknown"). A mark may
  carry a ``review`` note: set when it was copied to several citations that one
  old key stood for.
* Every mark and history entry names its ``reviewer``. Marks of other reviewers
  come in by :meth:`MarkStore.import_entries` (one transaction, history only:
  nothing already stored changes, an entry already there is not added twice); a
  ``resolves`` list names the disagreeing entries a mark settles.
* Only a regular file is opened: a pipe, a device, a socket, a dangling or
  looping symbolic link in its place is refused with the reason.

A store is used from the thread that opened it (sqlite3 enforces this).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from types import TracebackType

from explorer import __version__
from explorer.core.errors import CorpusError, Problem
from explorer.core.locations import user_dir

DATA_DIR_ENV = "EXPLORER_DATA_DIR"
MARKS_FILENAME = "marks.sqlite3"
SCHEMA_VERSION = 3
#: How long (s) a write or an open waits for another instance's write before failing. The window
#: writes on the GUI thread, so this is short; writes take milliseconds. The README says this number.
BUSY_TIMEOUT = 1.0
WRITTEN_BY = f"explorer {__version__}"

_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_CANTOPEN = 14

_MOVED = """CREATE TABLE IF NOT EXISTS moved_marks (
        corpus_id TEXT NOT NULL, old_key TEXT NOT NULL, new_key TEXT NOT NULL, moved_at TEXT NOT NULL,
        PRIMARY KEY (corpus_id, old_key, new_key)
    ) WITHOUT ROWID"""
_SCHEMA = (
    """CREATE TABLE marks (
        corpus_id    TEXT NOT NULL,
        citation_key TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('unchecked', 'verified', 'disputed')),
        note         TEXT NOT NULL,
        footnote     INTEGER,
        label        TEXT,
        updated_at   TEXT NOT NULL,
        version      INTEGER NOT NULL DEFAULT 1,
        review       TEXT,
        reviewer     TEXT NOT NULL DEFAULT '',
        resolves     TEXT,
        PRIMARY KEY (corpus_id, citation_key)
    ) WITHOUT ROWID""",
    """CREATE TABLE mark_history (
        id           INTEGER PRIMARY KEY,
        corpus_id    TEXT NOT NULL,
        citation_key TEXT NOT NULL,
        status       TEXT NOT NULL,
        note         TEXT NOT NULL,
        footnote     INTEGER,
        label        TEXT,
        updated_at   TEXT NOT NULL,
        version      INTEGER,
        review       TEXT,
        reviewer     TEXT NOT NULL DEFAULT '',
        resolves     TEXT
    )""",
    "CREATE INDEX mark_history_by_key ON mark_history (corpus_id, citation_key, id)",
    "CREATE TABLE store_info (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    _MOVED,
)
#: Schema 1 to 2: columns added, nothing rewritten but the new columns' values.
_MIGRATE_1_TO_2 = (
    "ALTER TABLE marks ADD COLUMN version INTEGER NOT NULL DEFAULT 1",
    "ALTER TABLE marks ADD COLUMN review TEXT",
    "ALTER TABLE mark_history ADD COLUMN version INTEGER",
    "ALTER TABLE mark_history ADD COLUMN review TEXT",
    "CREATE TABLE IF NOT EXISTS store_info (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    _MOVED,
    # Each change of a mark was one history row: number them, and give the mark the last number.
    """UPDATE mark_history SET version = (
        SELECT COUNT(*) FROM mark_history AS h WHERE h.corpus_id = mark_history.corpus_id
        AND h.citation_key = mark_history.citation_key AND h.id <= mark_history.id)""",
    """UPDATE marks SET version = MAX(1, (
        SELECT COUNT(*) FROM mark_history AS h WHERE h.corpus_id = marks.corpus_id
        AND h.citation_key = marks.citation_key))""",
)
#: Schema 2 to 3: who set each mark ("" for marks from before), and which disagreeing entries it resolves.
_MIGRATE_2_TO_3 = (
    "ALTER TABLE marks ADD COLUMN reviewer TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE marks ADD COLUMN resolves TEXT",
    "ALTER TABLE mark_history ADD COLUMN reviewer TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE mark_history ADD COLUMN resolves TEXT",
)
_BASE_COLUMNS = "corpus_id, citation_key, status, note, footnote, label, updated_at"
#: Columns later schemas added, and what a file without them (an older one read-only) gives for each.
_LATER_COLUMNS = (("version", "1"), ("review", "NULL"), ("reviewer", "''"), ("resolves", "NULL"))
_COLUMNS = _BASE_COLUMNS + "".join(f", {name}" for name, _ in _LATER_COLUMNS)


class MarkStatus(StrEnum):
    UNCHECKED = "unchecked"
    VERIFIED = "verified"
    DISPUTED = "disputed"


def read_status(value: str) -> MarkStatus | str:
    """A stored status: a :class:`MarkStatus`, or the text of one a newer version wrote, kept as it is."""
    try:
        return MarkStatus(value)
    except ValueError:
        return str(value)


@dataclass(frozen=True, slots=True)
class Mark:
    corpus_id: str
    citation_key: str
    status: MarkStatus | str  # a str only for a status this version does not know (from a newer one)
    note: str
    footnote: int | None
    label: str | None
    updated_at: str  # ISO 8601, UTC
    #: 1 for the first mark on a citation, one more for each change; 0 for a history entry imported from
    #: another marks file (not a version of this file's mark)
    version: int = 1
    review: str | None = None  # why the reader should look at it again (a migration copied it), or None
    reviewer: str = ""  # who set it (Preferences); "" for a mark from before reviewers were recorded
    #: (reviewer, time) of each disagreeing entry this mark settles; () for an ordinary mark
    resolves: tuple[tuple[str, str], ...] = ()

    @property
    def known(self) -> bool:
        """Whether this version knows the mark's status."""
        return isinstance(self.status, MarkStatus)

    @classmethod
    def _from_row(cls, row: tuple) -> Mark:
        corpus_id, key, status, note, footnote, label, updated_at, version, review, reviewer, resolves = row
        return cls(corpus_id, key, read_status(status), note, footnote, label, updated_at,
                   1 if version is None else version, review,
                   reviewer or "", _read_resolves(resolves))

    @property
    def reviewer_shown(self) -> str:
        """The reviewer's name, or "unknown" for a mark from before names were recorded."""
        return self.reviewer or "unknown"


def _read_resolves(text: str | None) -> tuple[tuple[str, str], ...]:
    """The stored ``resolves`` column: a JSON list of [reviewer, time]; anything else reads as none."""
    if not text:
        return ()
    try:
        items = json.loads(text)
    except ValueError:
        return ()
    if not isinstance(items, list):
        return ()
    return tuple((str(i[0]), str(i[1])) for i in items if isinstance(i, list) and len(i) == 2)


def _write_resolves(resolves: Sequence[tuple[str, str]]) -> str | None:
    return json.dumps([list(r) for r in resolves], ensure_ascii=False) if resolves else None


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What :meth:`MarkStore.import_entries` did: history entries added, current marks that changed."""

    added: int
    current: int


def entry_identity(mark: Mark) -> tuple[str, str, str, str, str]:
    """What makes a history entry the same entry in any file: (key, reviewer, time, status, note); the
    time as :func:`normal_time` writes it, so one instant written two ways is one entry."""
    return (mark.citation_key, mark.reviewer, normal_time(mark.updated_at) or mark.updated_at, str(mark.status),
            mark.note)


def normal_time(text: str) -> str | None:
    """An ISO 8601 time with its offset as this store writes it (UTC, milliseconds unless finer); None if
    *text* is no such time."""
    try:
        when = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    when = when.astimezone(UTC)
    return when.isoformat(timespec="milliseconds" if when.microsecond % 1000 == 0 else "microseconds")


def _instant(text: str) -> datetime:
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _later(a: str, b: str) -> bool:
    return _instant(a) > _instant(b)


class MarkStoreError(CorpusError):
    """A marks file that cannot be opened, read or written, naming the file and why."""


class MarkConflict(MarkStoreError):
    """A write based on a version of the mark that another instance has changed since; nothing was written.

    :attr:`theirs` is the mark as it is now (None if it is gone), :attr:`based_on` the version the
    write was based on.
    """

    def __init__(self, path: Path, key: str, based_on: int, theirs: Mark | None) -> None:
        now = f"version {theirs.version}" if theirs else "no mark"
        super().__init__([Problem(str(path), None, (
            f"has a newer mark for {key} than the one this change was based on (version {based_on}; "
            f"now {now}): another window or program changed it; the mark was not saved"))])
        self.key = key
        self.based_on = based_on
        self.theirs = theirs


def _error(path: Path, message: str) -> MarkStoreError:
    return MarkStoreError([Problem(str(path), None, message)])


class _Damaged(Exception):
    """The file is not a readable database; it may be moved aside."""


class _NotWritable(Exception):
    """SQLite refused to write although the file looked writable."""


def default_data_dir() -> Path:
    """Where the user's own data lives, computed without Qt.

    ``$EXPLORER_DATA_DIR`` wins (tests and portable installs use it); otherwise
    the platform's per-user data folder. The GUI may pass a QStandardPaths
    location instead.
    """
    return user_dir("data", DATA_DIR_ENV)


class MarkStore:
    """Verification marks in one SQLite file; see the module docstring.

    Open with :meth:`MarkStore.open`. After opening, check :attr:`read_only`
    and show :attr:`warnings` (file moved aside, read-only file, newer schema).
    """

    def __init__(
        self, path: Path, conn: sqlite3.Connection, read_only_reason: str | None, has_schema: bool,
        columns: str = _COLUMNS,
    ) -> None:
        self.path = path
        self._conn = conn
        self._why_read_only = read_only_reason
        self._has_schema = has_schema
        self._columns = columns  # what to select: a schema 1 file read-only lacks version and review
        self._writes = 0  # this connection's own commits, which PRAGMA data_version does not count
        self.recovered_from: Path | None = None  # where a damaged file was moved to
        self.warnings: tuple[Problem, ...] = ()
        if read_only_reason:
            message = f"cannot be changed because {read_only_reason}; marks are shown but cannot be saved"
            self.warnings = (Problem(str(path), None, message),)

    @property
    def read_only(self) -> bool:
        return self._why_read_only is not None

    # -- opening -----------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False, busy_timeout: float = BUSY_TIMEOUT) -> MarkStore:
        """Open (creating if needed) the marks file at ``path``.

        Raises :class:`MarkStoreError` when the file cannot be used at all
        (locked, missing when read-only, damaged but read-only, unreadable
        newer schema, folder not writable); a store that opened with a
        problem says so in :attr:`warnings`.
        """
        path = Path(path).absolute()
        for each in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
            _check_kind(path, each)
        reason = "it was opened read-only" if read_only else cls._read_only_reason(path)
        try:
            try:
                return cls._open(path, reason, busy_timeout)
            except _NotWritable:
                reason = "SQLite could not write to it"
                return cls._open(path, reason, busy_timeout)
        except _Damaged as damaged:
            if reason:
                raise _error(
                    path, f"is damaged ({damaged}) and was left unchanged because {reason}"
                ) from None
            aside = cls._move_aside(path)
            store = cls._open(path, None, busy_timeout)
            store.recovered_from = aside
            store.warnings += (
                Problem(
                    str(path),
                    None,
                    f"was damaged ({damaged}); it was kept as {aside.name} "
                    "and a new, empty marks file was started",
                ),
            )
            return store

    @staticmethod
    def _read_only_reason(path: Path) -> str | None:
        """Why the file must be opened read-only, or None; creates a missing folder."""
        if path.exists():
            if not os.access(path, os.W_OK):
                return "the file is read-only"
        else:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise _error(path, f"cannot be created: its folder cannot be made ({e.strerror})") from e
        # SQLite creates the -wal and -shm files next to the database.
        if not os.access(path.parent, os.W_OK):
            if not path.exists():
                raise _error(path, f"cannot be created: the folder {path.parent} is read-only")
            return f"the folder {path.parent} is read-only"
        return None

    @classmethod
    def _open(cls, path: Path, read_only_reason: str | None, busy_timeout: float) -> MarkStore:
        if not path.exists():
            if read_only_reason:
                raise _error(path, "does not exist")
            return cls._open_for_writing(path, busy_timeout, has_schema=False, version=0)
        # Look before touching: a read-only connection never checkpoints or
        # deletes a WAL, so a damaged, foreign or newer file stays as it was.
        try:
            conn = _connect(path, False, busy_timeout)
        except sqlite3.Error as e:
            if read_only_reason or _code(e) not in (_SQLITE_READONLY, _SQLITE_CANTOPEN):
                raise _open_failure(path, e) from e
            # Rare (a WAL only a writer may recover): look with the writer.
            return cls._open_for_writing(path, busy_timeout, has_schema=None, version=None)
        try:
            version = _user_version(path, conn)
            if version > SCHEMA_VERSION:
                return cls._open_newer(path, conn, version)
            has_schema = _inspect(path, conn, version)
            if read_only_reason:  # a schema 1 file stays as it is: read as schema 1
                return cls(path, conn, read_only_reason, has_schema, _columns_of(conn))
        except BaseException:
            conn.close()
            raise
        conn.close()
        return cls._open_for_writing(path, busy_timeout, has_schema, version)

    @classmethod
    def _open_for_writing(
        cls, path: Path, busy_timeout: float, has_schema: bool | None, version: int | None
    ) -> MarkStore:
        """Open a file already inspected (``has_schema`` and ``version`` known) or new, or
        inspect it here (``has_schema`` None); an older schema is migrated."""
        try:
            conn = _connect(path, True, busy_timeout)
        except sqlite3.Error as e:
            raise _open_failure(path, e) from e
        try:
            if has_schema is None or version is None:
                version = _user_version(path, conn)
                if version > SCHEMA_VERSION:
                    conn.close()
                    return cls._open_newer(path, _connect(path, False, busy_timeout), version)
                has_schema = _inspect(path, conn, version)
            # Both are per connection. FULL fsyncs the WAL on every commit, so
            # a committed mark survives a power cut, not just a kill.
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            if not has_schema:
                _create_schema(conn)
            elif version < SCHEMA_VERSION:
                _migrate(conn, version)
            _sign(conn)
            return cls(path, conn, None, has_schema=True)
        except sqlite3.Error as e:
            conn.close()
            raise _open_failure(path, e) from e
        except BaseException:
            conn.close()
            raise

    @classmethod
    def _open_newer(cls, path: Path, conn: sqlite3.Connection, version: int) -> MarkStore:
        """Keep a file from a newer schema read-only on ``conn``, if this version can read it."""
        try:
            row = conn.execute("SELECT value FROM store_info WHERE name = 'written_by'").fetchone()
            writer = f"{row[0]}, " if row else ""
        except sqlite3.Error:
            writer = ""  # a schema without the table: the schema number still says enough
        newer = (
            f"it was written by a newer version of the explorer ({writer}marks schema {version}; "
            f"this is {WRITTEN_BY}, which knows schema {SCHEMA_VERSION})"
        )
        try:
            columns = _columns_of(conn)
            conn.execute(f"SELECT {columns} FROM marks LIMIT 0")
            conn.execute(f"SELECT {columns} FROM mark_history LIMIT 0")
        except sqlite3.Error as e:
            conn.close()
            raise _error(path, f"cannot be opened because {newer}; it was left unchanged") from e
        return cls(path, conn, newer, has_schema=True, columns=columns)

    @staticmethod
    def _move_aside(path: Path) -> Path:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = _free_name(path.with_name(f"{path.name}.corrupt-{stamp}"))
        # The -wal belongs to the damaged file: left in place it would be
        # replayed into the new one. Keeping the names paired lets SQLite open
        # the aside copy together with its WAL.
        try:
            os.rename(path, aside)
            for suffix in ("-wal", "-shm"):
                side = path.with_name(path.name + suffix)
                if side.exists():
                    os.rename(side, aside.with_name(aside.name + suffix))
        except OSError as e:
            raise _error(
                path, f"is damaged and could not be moved aside to {aside.name} ({e.strerror})"
            ) from e
        return aside

    # -- marks -------------------------------------------------------------------

    def set_mark(
        self,
        corpus_id: str,
        citation_key: str,
        status: MarkStatus | str,
        note: str = "",
        footnote: int | None = None,
        label: str | None = None,
        *,
        version: int = 0,
        review: str | None = None,
        reviewer: str = "",
        resolves: Sequence[tuple[str, str]] = (),
    ) -> Mark:
        """Save a mark if the stored one is still at ``version`` (0: there is none yet);
        returns the saved mark, at ``version + 1``, only once it is committed to disk.

        Raises :class:`MarkConflict` (nothing written) when another instance has
        changed the mark since that version, ``ValueError`` for an unknown
        status or empty key, and :class:`MarkStoreError` when the file cannot be
        written. ``review`` is kept with the mark (None clears it). ``reviewer``
        names who set it; ``resolves`` the disagreeing entries (reviewer, time) it settles.
        """
        status = MarkStatus(status)
        if not corpus_id or not citation_key:
            raise ValueError("corpus_id and citation_key must not be empty")
        self._writable("the mark was not saved")
        now = _now()
        mark = Mark(corpus_id, citation_key, status, note, footnote, label, now, version + 1, review,
                    reviewer, tuple(resolves))
        with self._transaction("the mark was not saved"):
            theirs = self._current(corpus_id, citation_key)
            if (theirs.version if theirs else 0) != version:
                raise MarkConflict(self.path, citation_key, version, theirs)
            self._put(mark)
        return mark

    def move_marks(self, corpus_id: str, moves: Mapping[str, Sequence[tuple[str, int | None, str | None]]]) -> int:
        """Give the marks stored under old citation keys to the keys that now stand for what they marked,
        in one transaction; each old-to-new move is made once (``moved_marks`` records it).

        *moves* maps an old key to ``(key, footnote, label)`` for each citation
        it stood for (the old key itself among them where a citation keeps
        it). A mark is copied, with its whole history, to each key that has no
        mark yet; when it stood for several citations, every copy (and the old
        mark, if it stays) is flagged for review. Where a key already has a
        different mark, that one is kept and flagged, its review naming the old
        mark's status and note. Nothing is lost: the old key's history stays.
        Returns how many marks were written.
        """
        if not self._has_schema or not moves:
            return 0
        self._writable("the marks were not moved to their new keys")
        written = 0
        with self._transaction("the marks were not moved to their new keys"):
            for old_key, given in moves.items():
                old = self._current(corpus_id, old_key)
                targets = list(dict.fromkeys(given))
                keys = {k for k, _, _ in targets}
                if old is None or keys == {old_key}:
                    continue
                done = {row[0] for row in self._conn.execute(
                    "SELECT new_key FROM moved_marks WHERE corpus_id = ? AND old_key = ?", (corpus_id, old_key))}
                notes = ", ".join(map(str, sorted({f for _, f, _ in targets if f is not None})))
                shared = (f"copied from the one mark notes {notes} shared before their documents were told "
                          "apart: check it holds here.")
                for key, footnote, label in targets:
                    if key in done:
                        continue
                    self._conn.execute("INSERT INTO moved_marks VALUES (?, ?, ?, ?)", (corpus_id, old_key, key, _now()))
                    now = self._current(corpus_id, key)
                    review = shared if len(keys) > 1 else old.review
                    if key == old_key:
                        if review != old.review:
                            self._put(replace(old, updated_at=_now(), version=old.version + 1, review=review))
                            written += 1
                    elif now is None:
                        self._conn.execute(
                            f"INSERT INTO mark_history ({_COLUMNS}) SELECT corpus_id, ?, status, note, footnote, "
                            "label, updated_at, version, review, reviewer, resolves FROM mark_history "
                            "WHERE corpus_id = ? AND citation_key = ? ORDER BY id",
                            (key, corpus_id, old_key),
                        )
                        self._put(Mark(corpus_id, key, old.status, old.note, footnote, label or old.label,
                                       _now(), old.version + 1, review, old.reviewer, old.resolves))
                        written += 1
                    elif (now.status, now.note) != (old.status, old.note):
                        review = (f"Before this version told documents apart, note {old.footnote} had another "
                                  f"mark for it: {old.status}, \u201c{old.note}\u201d. Check which holds.")
                        self._put(replace(now, updated_at=_now(), version=now.version + 1, review=review))
                        written += 1
                if old_key not in keys:
                    self._conn.execute("DELETE FROM marks WHERE corpus_id = ? AND citation_key = ?",
                                       (corpus_id, old_key))
        return written

    def rename_keys(self, corpus_id: str, renames: Mapping[str, str], consequence: str) -> int:
        """Give the marks stored under each old key of *renames* the new key, their whole history with them,
        in one transaction (a curating edit renamed or merged away the document the keys name; undoing it
        renames them back). Nothing is copied, changed or dropped: the rows only change key.

        :class:`MarkStoreError` (nothing written, *consequence* said) when a new key already has a mark:
        both are named; the caller refuses the edit rather than lose either. Returns how many marks moved.
        """
        renames = {old: new for old, new in renames.items() if old != new}
        if not self._has_schema or not renames:
            return 0
        self._writable(consequence)
        moved = 0
        with self._transaction(consequence):
            clashes = [(old, new) for old, new in renames.items()
                       if self._current(corpus_id, old) is not None and self._current(corpus_id, new) is not None]
            if clashes:
                named = "; ".join(f"{old} and {new}" for old, new in clashes)
                raise _error(self.path, f"has a mark under both keys of {len(clashes)} citation"
                                        f"{'s' * (len(clashes) != 1)} ({named}); {consequence}")
            for old, new in renames.items():
                found = self._conn.execute("UPDATE marks SET citation_key = ? WHERE corpus_id = ? AND citation_key = ?",
                                           (new, corpus_id, old)).rowcount
                self._conn.execute("UPDATE mark_history SET citation_key = ? WHERE corpus_id = ? AND citation_key = ?",
                                   (new, corpus_id, old))
                moved += found
        return moved

    def _writable(self, consequence: str) -> None:
        if self._why_read_only is not None:
            raise _error(self.path, f"cannot be changed because {self._why_read_only}; {consequence}")

    @contextlib.contextmanager
    def _transaction(self, consequence: str) -> Iterator[None]:
        """One write transaction, committed (synchronous=FULL) before it returns, or rolled back."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self._conn.execute("ROLLBACK")
                raise
        except sqlite3.ProgrammingError:
            raise  # a bug, e.g. use from another thread: not the user's doing
        except sqlite3.Error as e:
            raise _failure(self.path, e, consequence) from e
        self._writes += 1

    def _current(self, corpus_id: str, key: str) -> Mark | None:
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM marks WHERE corpus_id = ? AND citation_key = ?",
                                 (corpus_id, key)).fetchone()
        return Mark._from_row(row) if row else None

    def _put(self, mark: Mark) -> None:
        self._put_current(mark)
        self._put_history(mark)

    def _put_current(self, mark: Mark) -> None:
        self._conn.execute(
            f"INSERT INTO marks ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (corpus_id, citation_key) DO UPDATE SET status = excluded.status, "
            "note = excluded.note, footnote = excluded.footnote, label = excluded.label, "
            "updated_at = excluded.updated_at, version = excluded.version, review = excluded.review, "
            "reviewer = excluded.reviewer, resolves = excluded.resolves",
            _row(mark),
        )

    def _put_history(self, mark: Mark) -> None:
        self._conn.execute(f"INSERT INTO mark_history ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           _row(mark))

    def get(self, corpus_id: str, citation_key: str) -> Mark | None:
        rows = self._select("marks WHERE corpus_id = ? AND citation_key = ?", (corpus_id, citation_key))
        return rows[0] if rows else None

    def marks(self, corpus_id: str) -> dict[str, Mark]:
        """The current mark of every citation ever marked in the corpus, by citation key."""
        return {m.citation_key: m for m in self._select("marks WHERE corpus_id = ?", (corpus_id,))}

    def history(self, corpus_id: str, citation_key: str) -> list[Mark]:
        """Every mark ever set on one citation, here or by a reviewer whose marks were imported, oldest first."""
        return self._select(
            "mark_history WHERE corpus_id = ? AND citation_key = ? ORDER BY updated_at, id", (corpus_id, citation_key)
        )

    def entries(self, corpus_id: str) -> list[Mark]:
        """Every history entry of the corpus (each reviewer's, imported ones included), by key, then time."""
        return self._select("mark_history WHERE corpus_id = ? ORDER BY citation_key, updated_at, id", (corpus_id,))

    def import_entries(self, corpus_id: str, entries: Iterable[Mark]) -> ImportResult:
        """Merge history entries from another marks file (another reviewer's, or one's own elsewhere) in one
        transaction: all or nothing.

        An entry already here (same key, reviewer, time, status and note: :func:`entry_identity`) is not
        added again, so importing twice changes nothing. Nothing stored is changed or removed: an entry is
        added to the history; it becomes the citation's current mark only where there is none, or where it
        is later than the current one and by the same reviewer or resolves it (names it in ``resolves``).
        """
        self._writable("nothing was imported")
        if not corpus_id:
            raise ValueError("corpus_id must not be empty")
        added = current = 0
        with self._transaction("nothing was imported"):
            seen = {entry_identity(m) for m in self._select("mark_history WHERE corpus_id = ?", (corpus_id,))}
            fresh: dict[str, list[Mark]] = {}
            for entry in entries:
                identity = entry_identity(entry)
                if identity in seen:
                    continue
                seen.add(identity)
                fresh.setdefault(entry.citation_key, []).append(replace(entry, corpus_id=corpus_id, version=0))
            for key, new in fresh.items():
                new.sort(key=lambda m: m.updated_at)
                now = self._current(corpus_id, key)
                takes = [m for m in new if now is None or (
                    _later(m.updated_at, now.updated_at)
                    and (m.reviewer == now.reviewer or (now.reviewer, now.updated_at) in m.resolves))]
                chosen = max(takes, key=lambda m: _instant(m.updated_at)) if takes else None
                for entry in new:
                    if entry is chosen:
                        entry = replace(entry, version=(now.version if now else 0) + 1)
                        self._put_current(entry)
                        current += 1
                    self._put_history(entry)
                    added += 1
        return ImportResult(added, current)

    def change_token(self) -> tuple[int, int]:
        """Changes whenever a mark may have changed, by this store or another connection to the file:
        poll it and re-read the marks when it differs from the last one seen."""
        try:
            version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.ProgrammingError:
            raise
        except sqlite3.Error as e:
            raise _failure(self.path, e, "marks could not be read") from e
        return (version, self._writes)

    def _select(self, where: str, args: tuple) -> list[Mark]:
        if not self._has_schema:
            return []
        try:
            rows = self._conn.execute(f"SELECT {self._columns} FROM {where}", args).fetchall()
        except sqlite3.ProgrammingError:
            raise  # a bug, e.g. use from another thread: not the user's doing
        except sqlite3.Error as e:
            raise _failure(self.path, e, "marks could not be read") from e
        return [Mark._from_row(row) for row in rows]

    # -- files -------------------------------------------------------------------

    def backup(self, dest: Path) -> None:
        """Copy the marks to ``dest`` as one self-contained file, consistently
        even while another instance writes. ``dest`` is replaced only once the
        copy is complete."""
        dest = Path(dest)
        if dest.exists() and self.path.exists() and dest.samefile(self.path):
            raise _error(dest, "is the marks file itself; choose another file for the backup")
        try:
            fd, name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".partial")
        except OSError as e:
            raise _error(dest, f"cannot be written ({e.strerror})") from e
        os.close(fd)
        partial = Path(name)
        try:
            target = sqlite3.connect(partial, isolation_level=None)
            try:
                self._conn.backup(target)
                # A backup should be one file, not a database plus a WAL.
                target.execute("PRAGMA journal_mode = DELETE")
            finally:
                target.close()
            os.replace(partial, dest)
        except (sqlite3.Error, OSError) as e:
            partial.unlink(missing_ok=True)
            raise _error(dest, f"the backup could not be written ({e})") from e

    def close(self) -> None:
        self._conn.close()
        self._closed = True

    @property
    def closed(self) -> bool:
        return getattr(self, "_closed", False)

    def __enter__(self) -> MarkStore:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _connect(path: Path, writable: bool, busy_timeout: float) -> sqlite3.Connection:
    uri = path.absolute().as_uri()
    if writable:
        return sqlite3.connect(f"{uri}?mode=rwc", uri=True, timeout=busy_timeout, isolation_level=None)
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=busy_timeout, isolation_level=None)
    try:
        conn.execute("PRAGMA user_version").fetchone()
        return conn
    except sqlite3.OperationalError as e:
        conn.close()
        # A WAL database in a read-only folder cannot get its -shm file. With
        # no -wal file there is nothing beyond the main file to read, so it can
        # be opened as immutable.
        wal = path.with_name(path.name + "-wal")
        if _code(e) not in (_SQLITE_CANTOPEN, _SQLITE_READONLY) or wal.exists():
            raise
    return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, timeout=busy_timeout, isolation_level=None)


def _user_version(path: Path, conn: sqlite3.Connection) -> int:
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error as e:
        raise _open_failure(path, e) from e


def _inspect(path: Path, conn: sqlite3.Connection, version: int) -> bool:
    """Whether the file holds the marks tables; raises if damaged or not a marks file."""
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        tables = {
            row[0]
            for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            if not row[0].startswith("sqlite_")
        }
    except sqlite3.Error as e:
        raise _open_failure(path, e) from e
    if problems != ["ok"]:
        raise _Damaged("; ".join(problems[:3]))
    if version == 0 and not tables:
        return False
    if version == 0 or not {"marks", "mark_history"} <= tables:
        raise _error(path, "is an SQLite database but not a marks file; it was left unchanged")
    return True


def _row(mark: Mark) -> tuple:
    return (mark.corpus_id, mark.citation_key, str(mark.status), mark.note, mark.footnote, mark.label,
            mark.updated_at, mark.version, mark.review, mark.reviewer, _write_resolves(mark.resolves))


def _create_schema(conn: sqlite3.Connection) -> None:
    _upgrade(conn, 0, _SCHEMA)


def _migrate(conn: sqlite3.Connection, version: int) -> None:
    """Schema 1 or 2 to the current one, in one transaction: columns added, every mark and history row kept."""
    steps = {1: (*_MIGRATE_1_TO_2, *_MIGRATE_2_TO_3), 2: _MIGRATE_2_TO_3}
    _upgrade(conn, version, steps[version])


def _upgrade(conn: sqlite3.Connection, found: int, statements: Sequence[str]) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Another instance may have done it since we looked.
        if conn.execute("PRAGMA user_version").fetchone()[0] == found:
            for statement in statements:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise


def _sign(conn: sqlite3.Connection) -> None:
    """Record which version last wrote the file, so an older one can say so."""
    row = conn.execute("SELECT value FROM store_info WHERE name = 'written_by'").fetchone()
    if row is None or row[0] != WRITTEN_BY:
        conn.execute("INSERT OR REPLACE INTO store_info VALUES ('written_by', ?)", (WRITTEN_BY,))


def _columns_of(conn: sqlite3.Connection) -> str:
    """The columns to read: an older file read as it is gets version 1, no review and no reviewer
    for the columns it lacks (the history table has the same columns as the marks table)."""
    names = {row[1] for row in conn.execute("PRAGMA table_info(marks)")}
    return _BASE_COLUMNS + "".join(f", {name if name in names else default}" for name, default in _LATER_COLUMNS)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
          (stat.S_ISSOCK, "a socket"))


def _check_kind(path: Path, each: Path) -> None:
    """Refuse anything but a regular file (or nothing) at *each*, the marks file or its -wal/-shm:
    SQLite would block forever on a pipe, or read a device without end."""
    try:
        st = os.stat(each)
    except FileNotFoundError:
        if os.path.islink(each):
            raise _error(path, f"{_which(path, each)}is a symbolic link to {os.readlink(each)}, "
                               "which does not exist; marks need a regular file") from None
        return
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise _error(path, f"{_which(path, each)}is a symbolic link that loops back on itself; "
                               "marks need a regular file") from None
        raise _error(path, f"{_which(path, each)}cannot be read ({e.strerror})") from e
    if stat.S_ISDIR(st.st_mode):
        raise _error(path, f"{_which(path, each)}is a folder, not a marks file")
    if not stat.S_ISREG(st.st_mode):
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "not a regular file")
        raise _error(path, f"{_which(path, each)}is {kind}, not a regular file; only a regular file "
                           "can hold marks, and it was not opened")


def _which(path: Path, each: Path) -> str:
    return "" if each == path else f"(its companion {each.name}) "


def _code(e: sqlite3.Error) -> int:
    return (getattr(e, "sqlite_errorcode", None) or 0) & 0xFF


def _open_failure(path: Path, e: sqlite3.Error) -> Exception:
    """What an SQLite error while opening means: damaged, not writable, or a user error."""
    code = _code(e)
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return _Damaged(str(e))
    if code == _SQLITE_READONLY:
        return _NotWritable(str(e))
    return _failure(path, e, "it cannot be opened")


def _failure(path: Path, e: sqlite3.Error, consequence: str) -> MarkStoreError:
    code = _code(e)
    if code in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return _error(path, f"is locked by another program (is the explorer already running?); {consequence}")
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        return _error(path, f"is damaged ({e}); {consequence}")
    return _error(path, f"cannot be used ({e}); {consequence}")


def _free_name(path: Path) -> Path:
    candidate, n = path, 1
    while candidate.exists() or candidate.with_name(candidate.name + "-wal").exists():
        n += 1
        candidate = path.with_name(f"{path.name}-{n}")
    return candidate


def moves_preview(marks: dict[str, Mark], moves: dict[str, tuple[tuple[str, int, str], ...]]) -> dict[str, Mark]:
    """What :meth:`MarkStore.move_marks` would do to *marks*, for a file that cannot be written (or is only
    read, as ``explorer audit --with-marks`` reads it): shown, not saved."""
    out = dict(marks)
    for old_key, targets in moves.items():
        old = marks.get(old_key)
        if old is None:
            continue
        notes = ", ".join(str(f) for _, f, _ in targets)
        review = (f"copied from the one mark notes {notes} shared before their documents were told apart "
                  "(shown only: the file is read-only, nothing was saved): check it holds here.")
        for key, footnote, label in targets:
            if key not in marks:
                out[key] = replace(old, citation_key=key, footnote=footnote, label=label,
                                   review=review if len(targets) > 1 else old.review)
        if old_key not in {k for k, _, _ in targets}:
            out.pop(old_key, None)
    return out
