"""The researcher's verification marks, kept in one SQLite file.

For each citation the researcher sets a mark (unchecked, verified or
disputed) with a note. Marks are keyed by ``(corpus_id, citation_key)``; the
footnote number and label are stored for display and orphan detection only,
because both change when the essay is edited.

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
  ``busy_timeout`` seconds for each other before failing with a clear error.

A store is used from the thread that opened it (sqlite3 enforces this).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from types import TracebackType

from explorer.core.errors import CorpusError, Problem
from explorer.core.locations import user_dir

DATA_DIR_ENV = "EXPLORER_DATA_DIR"
MARKS_FILENAME = "marks.sqlite3"
SCHEMA_VERSION = 1

_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_CANTOPEN = 14

_SCHEMA = (
    """CREATE TABLE marks (
        corpus_id    TEXT NOT NULL,
        citation_key TEXT NOT NULL,
        status       TEXT NOT NULL CHECK (status IN ('unchecked', 'verified', 'disputed')),
        note         TEXT NOT NULL,
        footnote     INTEGER,
        label        TEXT,
        updated_at   TEXT NOT NULL,
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
        updated_at   TEXT NOT NULL
    )""",
    "CREATE INDEX mark_history_by_key ON mark_history (corpus_id, citation_key, id)",
)
_COLUMNS = "corpus_id, citation_key, status, note, footnote, label, updated_at"


class MarkStatus(StrEnum):
    UNCHECKED = "unchecked"
    VERIFIED = "verified"
    DISPUTED = "disputed"


@dataclass(frozen=True, slots=True)
class Mark:
    corpus_id: str
    citation_key: str
    status: MarkStatus
    note: str
    footnote: int | None
    label: str | None
    updated_at: str  # ISO 8601, UTC

    @classmethod
    def _from_row(cls, row: tuple) -> Mark:
        corpus_id, key, status, note, footnote, label, updated_at = row
        return cls(corpus_id, key, MarkStatus(status), note, footnote, label, updated_at)


class MarkStoreError(CorpusError):
    """A marks file that cannot be opened, read or written, naming the file and why."""


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
        self, path: Path, conn: sqlite3.Connection, read_only_reason: str | None, has_schema: bool
    ) -> None:
        self.path = path
        self._conn = conn
        self._why_read_only = read_only_reason
        self._has_schema = has_schema
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
    def open(cls, path: Path, *, read_only: bool = False, busy_timeout: float = 5.0) -> MarkStore:
        """Open (creating if needed) the marks file at ``path``.

        Raises :class:`MarkStoreError` when the file cannot be used at all
        (locked, missing when read-only, damaged but read-only, unreadable
        newer schema, folder not writable); a store that opened with a
        problem says so in :attr:`warnings`.
        """
        path = Path(path).absolute()
        if path.is_dir():
            raise _error(path, "is a folder, not a marks file")
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
            return cls._open_for_writing(path, busy_timeout, has_schema=False)
        # Look before touching: a read-only connection never checkpoints or
        # deletes a WAL, so a damaged, foreign or newer file stays as it was.
        try:
            conn = _connect(path, False, busy_timeout)
        except sqlite3.Error as e:
            if read_only_reason or _code(e) not in (_SQLITE_READONLY, _SQLITE_CANTOPEN):
                raise _open_failure(path, e) from e
            # Rare (a WAL only a writer may recover): look with the writer.
            return cls._open_for_writing(path, busy_timeout, has_schema=None)
        try:
            version = _user_version(path, conn)
            if version > SCHEMA_VERSION:
                return cls._open_newer(path, conn, version)
            has_schema = _inspect(path, conn, version)
            if read_only_reason:
                return cls(path, conn, read_only_reason, has_schema)
        except BaseException:
            conn.close()
            raise
        conn.close()
        return cls._open_for_writing(path, busy_timeout, has_schema)

    @classmethod
    def _open_for_writing(cls, path: Path, busy_timeout: float, has_schema: bool | None) -> MarkStore:
        """Open a file already inspected (``has_schema`` known) or new, or
        inspect it here (``has_schema`` None)."""
        try:
            conn = _connect(path, True, busy_timeout)
        except sqlite3.Error as e:
            raise _open_failure(path, e) from e
        try:
            if has_schema is None:
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
        newer = (
            f"it was written by a newer version of the explorer (marks schema {version}; "
            f"this version knows schema {SCHEMA_VERSION})"
        )
        try:
            conn.execute(f"SELECT {_COLUMNS} FROM marks LIMIT 0")
            conn.execute(f"SELECT {_COLUMNS} FROM mark_history LIMIT 0")
        except sqlite3.Error as e:
            conn.close()
            raise _error(path, f"cannot be opened because {newer}; it was left unchanged") from e
        return cls(path, conn, newer, has_schema=True)

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
    ) -> Mark:
        """Save a mark; returns only once it is committed to disk.

        Raises ``ValueError`` for an unknown status or empty key, and
        :class:`MarkStoreError` when the file cannot be written.
        """
        status = MarkStatus(status)
        if not corpus_id or not citation_key:
            raise ValueError("corpus_id and citation_key must not be empty")
        if self._why_read_only is not None:
            message = f"cannot be changed because {self._why_read_only}; the mark was not saved"
            raise _error(self.path, message)
        now = datetime.now(UTC).isoformat(timespec="milliseconds")
        mark = Mark(corpus_id, citation_key, status, note, footnote, label, now)
        row = (corpus_id, citation_key, status.value, note, footnote, label, now)
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute(
                    f"INSERT INTO marks ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (corpus_id, citation_key) DO UPDATE SET status = excluded.status, "
                    "note = excluded.note, footnote = excluded.footnote, label = excluded.label, "
                    "updated_at = excluded.updated_at",
                    row,
                )
                self._conn.execute(f"INSERT INTO mark_history ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", row)
                self._conn.execute("COMMIT")
            except BaseException:
                if self._conn.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        self._conn.execute("ROLLBACK")
                raise
        except sqlite3.ProgrammingError:
            raise  # a bug, e.g. use from another thread: not the user's doing
        except sqlite3.Error as e:
            raise _failure(self.path, e, "the mark was not saved") from e
        return mark

    def get(self, corpus_id: str, citation_key: str) -> Mark | None:
        rows = self._select("marks WHERE corpus_id = ? AND citation_key = ?", (corpus_id, citation_key))
        return rows[0] if rows else None

    def marks(self, corpus_id: str) -> dict[str, Mark]:
        """The current mark of every citation ever marked in the corpus, by citation key."""
        return {m.citation_key: m for m in self._select("marks WHERE corpus_id = ?", (corpus_id,))}

    def history(self, corpus_id: str, citation_key: str) -> list[Mark]:
        """Every mark ever set on one citation, oldest first."""
        return self._select(
            "mark_history WHERE corpus_id = ? AND citation_key = ? ORDER BY id", (corpus_id, citation_key)
        )

    def _select(self, where: str, args: tuple) -> list[Mark]:
        if not self._has_schema:
            return []
        try:
            rows = self._conn.execute(f"SELECT {_COLUMNS} FROM {where}", args).fetchall()
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


def _create_schema(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        # Another instance may have created it since we looked.
        if conn.execute("PRAGMA user_version").fetchone()[0] == 0:
            for statement in _SCHEMA:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise


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
