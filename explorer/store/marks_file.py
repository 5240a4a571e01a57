"""The marks exchange file: one corpus's verification marks, every history entry, as JSON Lines.

Reviewers share their marks through this file (``explorer marks export`` / ``import``, File > Marks).
It is written to diff well in git: one header line, then one line per entry, keys sorted within a
line, lines sorted by citation key, then reviewer, then time::

    {"corpus": "korean-war", "format": "explorer-marks", "version": 1}
    {"footnote": 12, "key": "doc:...", "label": "...", "note": "f. 3 differs", "reviewer": "Alice", ...}

An entry is identified by (key, reviewer, time, status, note) (:func:`~explorer.store.marks.entry_identity`):
importing a file twice adds nothing the second time. Reading never trusts the file: a file of another
corpus or of a newer format is refused whole; a line that is not JSON, lacks a field or names an
unknown status is rejected with its line number and reason (:class:`MarksFile.rejected`), and the
caller decides whether to import the rest (``--partial``) or nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.core.audit.review import ReviewEntry
from explorer.core.errors import CorpusError, Problem
from explorer.core.textfile import decode_text, read_bytes_limited
from explorer.store.marks import ImportResult, Mark, MarkStatus, MarkStore, entry_identity, normal_time

if TYPE_CHECKING:
    from explorer.core.export import ExportMark  # the citation parser with it: not needed at start-up

FORMAT = "explorer-marks"
FORMAT_VERSION = 1
#: Every entry has these; ``footnote``, ``label``, ``review`` and ``resolves`` are optional.
REQUIRED = ("key", "reviewer", "time", "status", "note")
#: The largest file read (a marks file of a whole book is a few megabytes).
MAX_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class MarksFile:
    """A marks file as read: its entries, and one problem per line that was rejected."""

    path: Path
    corpus_id: str
    entries: tuple[Mark, ...]
    rejected: tuple[Problem, ...]


def _line(mark: Mark) -> str:
    time = normal_time(mark.updated_at) or mark.updated_at  # one instant, one way of writing it
    entry: dict[str, object] = {"key": mark.citation_key, "reviewer": mark.reviewer, "time": time,
                                "status": str(mark.status), "note": mark.note}
    if mark.footnote is not None:
        entry["footnote"] = mark.footnote
    if mark.label:
        entry["label"] = mark.label
    if mark.review:
        entry["review"] = mark.review
    if mark.resolves:
        entry["resolves"] = [list(r) for r in sorted(mark.resolves)]
    return json.dumps(entry, ensure_ascii=False, sort_keys=True)


def marks_text(corpus_id: str, entries: Iterable[Mark]) -> str:
    """The file's text: the header, then each distinct entry once, sorted by key, reviewer, time."""
    unique = {entry_identity(m): m for m in entries}
    header = json.dumps({"format": FORMAT, "version": FORMAT_VERSION, "corpus": corpus_id}, ensure_ascii=False,
                        sort_keys=True)
    return "\n".join([header, *(_line(unique[i]) for i in sorted(unique))]) + "\n"


def export_marks(store: MarkStore | None, corpus_id: str, path: Path) -> int:
    """Write every history entry of the corpus to *path* (whole or not at all; no store: no entries);
    returns how many entries."""
    from explorer.core.export.writing import write_file  # the one atomic writer

    entries = store.entries(corpus_id) if store is not None else []
    text = marks_text(corpus_id, entries)
    write_file(Path(path), text.encode("utf-8"))
    return text.count("\n") - 1


def read_marks_file(path: Path, corpus_id: str) -> MarksFile:
    """Read a marks file for the corpus *corpus_id*.

    Raises :class:`CorpusError` (naming the file and line) when the file cannot be used at all: unreadable,
    not UTF-8, no header, another format, a newer version, another corpus. A bad entry line does not raise:
    it is listed in :attr:`MarksFile.rejected`.
    """
    path = Path(path)
    name = str(path)
    lines = decode_text(read_bytes_limited(path, MAX_BYTES, "marks files"), name, "a marks file").split("\n")
    _check_header(name, lines[0], corpus_id)
    entries: list[Mark] = []
    rejected: list[Problem] = []
    for number, line in enumerate(lines[1:], 2):
        if not line.strip():
            continue
        try:
            entries.append(_entry(line, corpus_id))
        except ValueError as exc:
            rejected.append(Problem(name, number, str(exc)))
    return MarksFile(path, corpus_id, tuple(entries), tuple(rejected))


def _check_header(name: str, line: str, corpus_id: str) -> None:
    def refuse(why: str) -> CorpusError:
        return CorpusError.single(name, 1, why)

    try:
        header = json.loads(line)
    except (ValueError, RecursionError):
        raise refuse(f"has no marks header (a JSON line naming format {FORMAT!r}, version and corpus): "
                     "not a marks file") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise refuse(f"is not a marks file: its first line does not name the format {FORMAT!r}")
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise refuse(f"has no valid format version ({json.dumps(version)[:40]}); nothing was imported")
    if version > FORMAT_VERSION:
        raise refuse(f"is marks format version {version}, written by a newer version of the explorer; this one "
                     f"reads version {FORMAT_VERSION}: nothing was imported")
    corpus = header.get("corpus")
    if corpus != corpus_id:
        raise refuse(f"holds the marks of corpus {json.dumps(corpus, ensure_ascii=False)[:80]}, not of "
                     f"{corpus_id!r}: nothing was imported")


def _text(entry: dict, field: str, *, empty: bool = True) -> str:
    value = entry[field]
    if not isinstance(value, str) or (not empty and not value.strip()):
        raise ValueError(f"field {field!r} must be {'text' if empty else 'non-empty text'}, not "
                         f"{json.dumps(value, ensure_ascii=False)[:60]}")
    return value


def _time(value: object, field: str) -> str:
    time = normal_time(value) if isinstance(value, str) else None
    if time is None:
        raise ValueError(f"field {field!r} is not a date and time with its UTC offset "
                         f"(like 2026-03-01T14:02:00.000+00:00): {json.dumps(value, ensure_ascii=False)[:60]}")
    return time


def _entry(line: str, corpus_id: str) -> Mark:
    """One entry line as a mark; ValueError saying why it cannot be one."""
    try:
        entry = json.loads(line)
    except json.JSONDecodeError as exc:
        raise ValueError(f"is not valid JSON ({exc.msg} at column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:  # a number of thousands of digits; nesting without end
        raise ValueError(f"is not JSON this reader accepts ({type(exc).__name__})") from None
    if not isinstance(entry, dict):
        raise ValueError("is not a JSON object (one entry per line: {\"key\": ..., \"reviewer\": ..., ...})")
    missing = [f for f in REQUIRED if f not in entry]
    if missing:
        raise ValueError(f"lacks the field{'s' * (len(missing) > 1)} {', '.join(map(repr, missing))}")
    key = _text(entry, "key", empty=False)
    reviewer = " ".join(_text(entry, "reviewer").split())
    status = _text(entry, "status")
    if status not in {s.value for s in MarkStatus}:
        raise ValueError(f"has an unknown status {status[:40]!r} (known: "
                         f"{', '.join(s.value for s in MarkStatus)})")
    note = _text(entry, "note")
    footnote = entry.get("footnote")
    if footnote is not None and (not isinstance(footnote, int) or isinstance(footnote, bool) or footnote < 1):
        raise ValueError(f"field 'footnote' must be a note number, not {json.dumps(footnote)[:40]}")
    label = entry.get("label")
    review = entry.get("review")
    for field, value in (("label", label), ("review", review)):
        if value is not None and not isinstance(value, str):
            raise ValueError(f"field {field!r} must be text, not {json.dumps(value, ensure_ascii=False)[:60]}")
    raw = entry.get("resolves", [])
    if not isinstance(raw, list) or not all(
            isinstance(r, list) and len(r) == 2 and isinstance(r[0], str) and isinstance(r[1], str) for r in raw):
        raise ValueError("field 'resolves' must be a list of [reviewer, time] pairs")
    resolves = tuple((" ".join(who.split()), _time(when, "resolves")) for who, when in raw)
    return Mark(corpus_id, key, MarkStatus(status), note, footnote, label, _time(entry["time"], "time"), 0,
                review, reviewer, resolves)


def import_marks(store: MarkStore, corpus_id: str, path: Path, *, partial: bool = False) -> tuple[ImportResult,
                                                                                                   MarksFile]:
    """Read *path* and merge its entries into *store* in one transaction.

    A file with rejected lines is refused whole (:class:`CorpusError` listing each, file:line: why) unless
    *partial*, when the good entries are imported and the rejected lines returned in the :class:`MarksFile`.
    Nothing in the store changes unless the import succeeds.
    """
    read = read_marks_file(path, corpus_id)
    if read.rejected and not partial:
        count = len(read.rejected)
        raise CorpusError([*read.rejected, Problem(str(path), None, (
            f"{count} entr{'ies were' if count > 1 else 'y was'} rejected, so nothing was imported "
            "(import with --partial to import the other entries)"))])
    return store.import_entries(corpus_id, read.entries), read


def review_entries(entries: Iterable[Mark]) -> list[ReviewEntry]:
    """The store's history entries as the core's review sees them (plain data, no store)."""
    return [ReviewEntry(m.citation_key, m.reviewer, m.updated_at, str(m.status), m.note, m.footnote, m.label,
                        m.resolves) for m in entries]


def team_marks(current: Mapping[str, Mark], entries: Iterable[Mark]) -> list[Mark]:
    """The marks a report lists: the current mark of each citation and, where other reviewers marked it
    too, each one's latest entry (by key, then reviewer)."""
    latest: dict[tuple[str, str], Mark] = {}
    for entry in sorted(entries, key=lambda m: m.updated_at):
        latest[(entry.citation_key, entry.reviewer)] = entry
    out = dict(((key, mark.reviewer), mark) for key, mark in current.items())
    for (key, reviewer), entry in latest.items():
        if key in current:  # a key with no current mark is one an earlier version moved away from
            out.setdefault((key, reviewer), entry)
    return [out[k] for k in sorted(out)]


def export_view(current: Mapping[str, Mark], entries: Sequence[Mark]) -> tuple[list[ExportMark], list[ReviewEntry]]:
    """What the citation exports and the report take from the marks: the marks to list (each citation's
    current one and other reviewers' latest, with who set them: :func:`team_marks`) and every entry, for
    the report's disagreements (``review=`` of :func:`~explorer.core.export.writing.write_export`)."""
    from explorer.core.export import ExportMark

    marks = [ExportMark(m.citation_key, str(m.status), m.note, m.footnote, m.label, m.updated_at, m.reviewer_shown)
             for m in team_marks(current, entries)]
    return marks, review_entries(entries)
