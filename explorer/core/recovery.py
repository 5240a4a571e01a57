"""Unsaved edits kept safe: autosaved to a recovery file, and offered back after a crash.

While a window has unsaved record edits it writes, every few seconds, a
recovery file in the user's data folder (``<data>/recovery/``): for each kind
of record it changed, the SHA-256 of the file as it was when the edits began,
and the rendered YAML of each record the edits touched as it is now (with its
place in the file), or that it was deleted. Only the touched records, not
whole files: rendering a 10,000-event file takes about a second, too long to
do every few seconds on the GUI thread. Each running window writes its own
file (``<corpus tag>.<pid>-<start>.json``, written atomically), removed when
the edits are saved or discarded, so a file left behind is one a crash (or a
kill) left.

Recovering compares each kind's recorded SHA-256 with the file on disk now.
Where they agree, the recovered records are brought back as edits (a
:class:`~explorer.core.corpus_edit.Composite` of field sets, inserts and
deletes, so it is checked like any edit and undone as one step). Where the
file changed since (another program, another window saved), nothing is applied
blindly: the recovered records of that file are written beside the recovery
file for the reader to compare, and they are told where.

Verification marks are not records: a merge or rename of a document moves
its marks in the marks store at once, not on Save. So the file also keeps,
in order, every such move made since the last save (:class:`MarksMoved`):
discarding the recovered edits moves those marks back under the document the
saved files still have, and recovering them keeps the marks where they are.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from explorer.core.errors import CorpusError, Problem
from explorer.core.locations import DATA_DIR_ENV, user_dir
from explorer.core.months import month_name

if TYPE_CHECKING:
    from explorer.core.corpus_edit import Composite, Edit, EditableCorpus

RECOVERY_FOLDER = "recovery"
RECOVERY_FORMAT = 1


@dataclass(frozen=True)
class MarksMoved:
    """Marks an unsaved edit moved from the document *old_id* to *new_id*: their keys after the move."""

    old_id: str
    new_id: str
    keys: tuple[str, ...]


def recovery_folder() -> Path:
    """Where recovery files are kept: the user's data folder (``$EXPLORER_DATA_DIR`` in tests)."""
    return user_dir("data", DATA_DIR_ENV) / RECOVERY_FOLDER


def corpus_tag(root: Path) -> str:
    """The part of a recovery file's name that says which corpus folder it is for."""
    resolved = str(Path(root).resolve())
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(resolved).name)[:40] or "corpus"
    return f"{slug}-{hashlib.sha256(resolved.encode()).hexdigest()[:16]}"


def session_file(root: Path, folder: Path | None = None) -> Path:
    """The recovery file this process's window on *root* writes (one per window session)."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    return (folder or recovery_folder()) / f"{corpus_tag(root)}.{os.getpid()}-{stamp}.json"


def file_sha256(root: Path, kind: str) -> str:
    """The SHA-256 of *kind*'s file as it is on disk now (of what editing starts from when it is missing)."""
    path = Path(root) / f"{kind}.yaml"
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = f"{kind}: []\n".encode()
    return hashlib.sha256(data).hexdigest()


def write_recovery(path: Path, editable: EditableCorpus, records: Iterable[tuple[str, str]],
                   moves: Sequence[MarksMoved] = ()) -> bool:
    """Write the records (kind, id) the pending edits of *editable* touched, as they are now, and the marks
    they moved (*moves*, in the order made), to the recovery file *path* (atomically); False (and no file)
    when there are none."""
    from explorer.core.corpus_save import dump_text, write_atomic
    by_kind: dict[str, set[str]] = {}
    for kind, record_id in records:
        by_kind.setdefault(kind, set()).add(record_id)
    if not by_kind and not moves:
        remove_recovery(path)
        return False
    files: dict[str, Any] = {}
    for kind, ids in sorted(by_kind.items()):
        entries: list[dict[str, Any]] = []
        for record_id in sorted(ids):
            try:
                index = editable.index_of(kind, record_id)
            except KeyError:
                entries.append({"id": record_id, "deleted": True})
                continue
            entries.append({"id": record_id, "index": index,
                            "yaml": dump_text(editable.records(kind)[index], comments=True)})
        files[kind] = {"based_on": hashlib.sha256(editable.file(kind).read_bytes).hexdigest(), "records": entries}
    data = {"format": RECOVERY_FORMAT, "corpus": str(editable.root.resolve()), "pid": os.getpid(),
            "written": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), "files": files,
            "marks_moved": [{"from": m.old_id, "to": m.new_id, "keys": list(m.keys)} for m in moves]}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CorpusError.single(str(path.parent), None, f"cannot keep a recovery file: {exc.strerror or exc}") from exc
    write_atomic([(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))])
    return True


def remove_recovery(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


@dataclass(frozen=True)
class Recovery:
    """One recovery file left behind: the edits of an earlier session on a corpus."""

    path: Path
    corpus: Path
    written: dt.datetime
    pid: int
    #: kind -> (SHA-256 of the file the edits began from, {record id: (its place, its YAML) or None if deleted})
    files: dict[str, tuple[str, dict[str, tuple[int, str] | None]]]
    #: The marks the edits moved, in the order made (see :class:`MarksMoved`).
    moves: tuple[MarksMoved, ...] = ()

    def changed_since(self) -> list[str]:
        """The kinds whose file on disk is no longer the one the edits began from."""
        return [kind for kind, (sha, _records) in self.files.items() if file_sha256(self.corpus, kind) != sha]

    def when(self) -> str:
        """When it was written, in local time, as a reader says it: "29 November 2026, 10:42"."""
        local = self.written.astimezone()
        return f"{local.day} {month_name(local.month)} {local.year}, {local:%H:%M}"


def read_recovery(path: Path) -> Recovery:
    """The recovery file at *path*; :class:`CorpusError` naming the file if it cannot be read."""
    from explorer.core.loader import RECORD_SCHEMAS
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != RECOVERY_FORMAT:
            raise ValueError(f"format {data.get('format')!r}, not {RECOVERY_FORMAT}")
        files = {str(kind): (str(entry["based_on"]), {
            str(r["id"]): None if r.get("deleted") else (int(r["index"]), str(r["yaml"])) for r in entry["records"]})
            for kind, entry in data["files"].items()}
        unknown = [kind for kind in files if kind not in RECORD_SCHEMAS]
        if unknown:
            raise ValueError(f"unknown kind of record {unknown[0]!r}")
        moves = tuple(MarksMoved(str(m["from"]), str(m["to"]), tuple(str(k) for k in m["keys"]))
                      for m in data.get("marks_moved", ()))  # absent from a file written before marks moved
        return Recovery(path, Path(data["corpus"]), dt.datetime.fromisoformat(data["written"]), int(data["pid"]),
                        files, moves)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CorpusError.single(str(path), None, f"the recovery file cannot be read: {exc}") from exc


def _running(pid: int) -> bool:
    """Whether process *pid* (another window's) is still running (POSIX; elsewhere: assume not)."""
    if pid == os.getpid():
        return True
    if os.name != "posix":  # pragma: no cover
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def find_recoveries(root: Path, folder: Path | None = None) -> tuple[list[Recovery], list[Problem]]:
    """The recovery files left for the corpus folder *root* by sessions no longer running, newest first,
    and the problems of those that cannot be read (left where they are)."""
    found: list[Recovery] = []
    problems: list[Problem] = []
    where = folder or recovery_folder()
    for path in sorted(where.glob(f"{corpus_tag(root)}.*.json")) if where.is_dir() else ():
        try:
            recovery = read_recovery(path)
        except CorpusError as exc:
            problems.extend(exc.problems)
            continue
        if not _running(recovery.pid):
            found.append(recovery)
    found.sort(key=lambda r: r.written, reverse=True)
    return found, problems


def _recovered(recovery: Recovery, kind: str, path: Path) -> dict[str, tuple[int, Any] | None]:
    """The recovered records of *kind*: id -> (its place, the record as round-trip YAML), or None if deleted."""
    from explorer.core.corpus_save import YamlFile
    out: dict[str, tuple[int, Any] | None] = {}
    for record_id, entry in recovery.files[kind][1].items():
        if entry is None:
            out[record_id] = None
            continue
        try:
            record = YamlFile(path, entry[1].encode("utf-8"), None).data
        except CorpusError as exc:
            record = exc
        if not isinstance(record, dict) or str(record.get("id")) != record_id:
            raise CorpusError.single(str(recovery.path), None,
                                     f"its record {record_id!r} of {kind}.yaml cannot be read")
        out[record_id] = (entry[0], record)
    return out


def _record_edits(editable: EditableCorpus, kind: str, recovered: dict[str, tuple[int, Any] | None]) -> list[Edit]:
    """The edits that make the touched records of *kind* what *recovered* says they became."""
    from explorer.core.corpus_edit import MISSING, DeleteRecord, InsertRecord, SetField
    from explorer.core.corpus_save import plain
    present = {rid for rid in recovered if _has(editable, kind, rid)}
    edits: list[Edit] = [DeleteRecord(kind, rid) for rid, entry in recovered.items()
                         if entry is None and rid in present]
    for rid, entry in recovered.items():
        if entry is None or rid not in present:
            continue
        old, record = editable.record(kind, rid), entry[1]
        edits += [SetField(kind, rid, key, value) for key, value in record.items()
                  if key not in old or plain(old[key]) != plain(value)]
        edits += [SetField(kind, rid, key, MISSING) for key in old if key not in record]
    added = sorted((entry[0], rid, entry[1]) for rid, entry in recovered.items()
                   if entry is not None and rid not in present)
    edits += [InsertRecord(kind, record, index) for index, _rid, record in added]  # in order: each place as it was
    return edits


def _has(editable: EditableCorpus, kind: str, record_id: str) -> bool:
    try:
        editable.index_of(kind, record_id)
    except KeyError:
        return False
    return True


def recovery_edit(editable: EditableCorpus, recovery: Recovery, kinds: list[str] | None = None) -> Composite:
    """One edit bringing back the recovered records of *kinds* (default: every kind whose file has not
    changed since). :class:`CorpusError` naming the recovery file if a record in it cannot be read."""
    from explorer.core.corpus_edit import Composite
    kinds = [k for k in recovery.files if k not in recovery.changed_since()] if kinds is None else kinds
    edits: list[Edit] = []
    for kind in kinds:
        edits += _record_edits(editable, kind, _recovered(recovery, kind, editable.path(kind)))
    successors = _successors(recovery.moves) if "documents" in kinds else {}
    return Composite(f"Recover unsaved edits from {recovery.when()}", edits,
                     {("documents", old): new for old, new in successors.items()})


def _successors(moves: Sequence[MarksMoved]) -> dict[str, str]:
    """old document id -> the id its marks ended under, after *moves* made in order (a redone recovered
    merge moves them there again)."""
    ends: dict[str, str] = {}
    for move in moves:
        for old, new in ends.items():
            if new == move.old_id:
                ends[old] = move.new_id
        ends.setdefault(move.old_id, move.new_id)
    return {old: new for old, new in ends.items() if old != new}


def set_aside(recovery: Recovery, kinds: list[str]) -> Path:
    """Write the recovered records of *kinds* as files of their own (``events.yaml`` ...), beside the recovery
    file, for the reader to compare with the corpus's (their files changed since); returns the folder."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from explorer.core.corpus_save import dump_text, write_atomic
    folder = recovery.path.with_suffix("")
    folder = folder.with_name(folder.name + "-recovered")
    texts = []
    for kind in kinds:
        recovered = _recovered(recovery, kind, folder / f"{kind}.yaml")
        gone = sorted(rid for rid, entry in recovered.items() if entry is None)
        kept = CommentedSeq(entry[1] for _rid, entry in sorted(recovered.items()) if entry is not None)
        header = (f"# The {kind} records unsaved edits changed, as they were when the app closed"
                  f" ({recovery.when()}).\n" + (f"# Deleted: {', '.join(gone)}\n" if gone else ""))
        texts.append((folder / f"{kind}.yaml", (header + dump_text(CommentedMap([(kind, kept)]))).encode("utf-8")))
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CorpusError.single(str(folder), None, f"cannot keep the recovered files: {exc.strerror or exc}") from exc
    write_atomic(texts)
    return folder
