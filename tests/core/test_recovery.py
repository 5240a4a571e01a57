"""Recovery files: what an autosave writes, and what recovering brings back (or refuses to apply blindly)."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.core.corpus_edit import EditableCorpus, InsertRecord, SetField, merge_records, touched
from explorer.core.errors import CorpusError
from explorer.core.recovery import (
    find_recoveries,
    read_recovery,
    recovery_edit,
    session_file,
    set_aside,
    write_recovery,
)


@functools.cache
def _dead_pid() -> int:
    """The id of a process that has ended (a recovery file left by a crash names one)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    return int(done.stdout)


def _left_by_a_crash(path: Path) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["pid"] = _dead_pid()
    path.write_text(json.dumps(data), encoding="utf-8")


def test_recovered_edits_come_back_exactly(tiny_corpus_dir: Path, tmp_path: Path) -> None:
    editable = EditableCorpus(tiny_corpus_dir)
    edited: set[tuple[str, str]] = set()
    for edit in (SetField("events", "ev-march", "title", "Kim asks again"),
                 InsertRecord("places", {"id": "pyongyang", "name": "Pyongyang"}, index=0),
                 merge_records(editable, "people", "shtykov", "vyshinsky")):
        edit.apply(editable)
        edited |= touched(edit)
    path = session_file(tiny_corpus_dir, tmp_path)
    assert write_recovery(path, editable, edited)
    kept = json.loads(path.read_text(encoding="utf-8"))["files"]
    assert set(kept) == set(editable.changed_kinds())
    assert {"id": "vyshinsky", "deleted": True} in kept["people"]["records"]  # only what the edits touched
    assert [r["id"] for r in kept["events"]["records"]] == ["ev-march"]
    assert [r["id"] for r in kept["documents"]["records"]] == ["doc-sept"]  # vyshinsky rewired to shtykov
    assert find_recoveries(tiny_corpus_dir, tmp_path)[0] == []  # this process is running: not a crash's
    _left_by_a_crash(path)
    (found,), problems = find_recoveries(tiny_corpus_dir, tmp_path)
    assert problems == [] and found.changed_since() == []
    fresh = EditableCorpus(tiny_corpus_dir)
    edit = recovery_edit(fresh, found)
    assert edit.description.startswith("Recover unsaved edits from ")
    edit.apply(fresh)
    assert {k: fresh.render(k) for k in found.files} == {k: editable.render(k) for k in found.files}
    edit.revert(fresh)
    assert fresh.changed_kinds() == []


def test_a_file_changed_since_is_set_aside_not_applied(tiny_corpus_dir: Path, tmp_path: Path) -> None:
    editable = EditableCorpus(tiny_corpus_dir)
    SetField("events", "ev-march", "title", "Kim asks again").apply(editable)
    SetField("places", "moscow", "kind", "capital").apply(editable)
    path = session_file(tiny_corpus_dir, tmp_path)
    write_recovery(path, editable, {("events", "ev-march"), ("places", "moscow")})
    _left_by_a_crash(path)
    events = tiny_corpus_dir / "events.yaml"
    events.write_text(events.read_text(encoding="utf-8").replace("Kim asks to attack", "Kim asks"), encoding="utf-8")
    (found,), _ = find_recoveries(tiny_corpus_dir, tmp_path)
    assert found.changed_since() == ["events"]
    fresh = EditableCorpus(tiny_corpus_dir)
    recovery_edit(fresh, found).apply(fresh)
    assert fresh.changed_kinds() == ["places"]  # events.yaml is not touched
    aside = set_aside(found, ["events"])
    assert "Kim asks again" in (aside / "events.yaml").read_text(encoding="utf-8")


def test_nothing_unsaved_leaves_no_file_and_a_damaged_file_is_named(tiny_corpus_dir: Path, tmp_path: Path) -> None:
    path = session_file(tiny_corpus_dir, tmp_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}", encoding="utf-8")
    assert not write_recovery(path, EditableCorpus(tiny_corpus_dir), ()) and not path.exists()
    path.write_text('{"format": 1, "files": ', encoding="utf-8")
    found, problems = find_recoveries(tiny_corpus_dir, tmp_path)
    assert found == [] and problems[0].file == str(path) and "cannot be read" in problems[0].message
    assert path.exists()  # kept: it may hold the only copy of someone's work
    with pytest.raises(CorpusError, match="recovery file"):
        read_recovery(path)


def test_the_marks_moves_are_kept_in_order_and_an_older_file_without_them_still_reads(
        tiny_corpus_dir: Path, tmp_path: Path) -> None:
    from explorer.core.recovery import MarksMoved, _successors

    editable = EditableCorpus(tiny_corpus_dir)
    edit = SetField("events", "ev-march", "title", "Kim asks again")
    edit.apply(editable)
    moves = [MarksMoved("doc-a", "doc-b", ("k#doc=doc-b",)), MarksMoved("doc-b", "doc-c", ("k#doc=doc-c",))]
    path = session_file(tiny_corpus_dir, tmp_path)
    assert write_recovery(path, editable, touched(edit), moves)
    assert read_recovery(path).moves == tuple(moves)
    assert _successors(moves) == {"doc-a": "doc-c", "doc-b": "doc-c"}  # a merge of a merge: where they ended
    assert _successors([moves[0], MarksMoved("doc-b", "doc-a", ("k#doc=doc-a",))]) == {"doc-b": "doc-a"}
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["marks_moved"]  # written before marks moved with a merge
    path.write_text(json.dumps(data), encoding="utf-8")
    assert read_recovery(path).moves == ()
