"""`explorer audit --with-marks` and the window say the same about a marks file they cannot use (issue 11.11)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.store.marks import MARKS_FILENAME, SCHEMA_VERSION, MarkStore
from explorer.ui.marks_book import open_marks
from tests.store.test_marks_versions import make_newer


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(folder))
    return folder


BAD = {
    "dangling": lambda db: db.symlink_to(db.parent / "moved-away.sqlite3"),
    "loop": lambda db: db.symlink_to(db),
    "dev-zero": lambda db: db.symlink_to("/dev/zero"),
    "fifo": lambda db: os.mkfifo(db),
}


@pytest.mark.skipif(not Path("/dev/zero").exists() or not hasattr(os, "mkfifo"), reason="POSIX files")
@pytest.mark.parametrize("case", sorted(BAD))
def test_the_command_refuses_what_the_window_refuses_with_the_same_reason(
    case: str, data_dir: Path, tiny_corpus_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = data_dir / MARKS_FILENAME
    BAD[case](db)
    status = main(["audit", str(tiny_corpus_dir), "--with-marks", "--format", "json"])
    out, err = capsys.readouterr()
    assert status == 1 and out == ""
    window = open_marks(db)
    assert window.store is None and window.reason
    assert err == f"explorer: {db}: {window.reason}\n"
    assert "Traceback" not in err


def test_a_newer_file_with_an_unknown_status_is_listed_not_a_traceback(
    data_dir: Path, tiny_corpus_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    make_newer(data_dir / MARKS_FILENAME)
    with MarkStore.open(data_dir / MARKS_FILENAME, read_only=True) as store:  # on the notes the findings name
        assert store.marks("tiny")["c2"].status == "partly-verified"
    status = main(["audit", str(tiny_corpus_dir), "--with-marks", "--format", "json"])
    out, err = capsys.readouterr()
    assert status == 0 and "Traceback" not in err
    json.loads(out)
    raw = (data_dir / MARKS_FILENAME)
    with MarkStore.open(raw) as store:
        assert store.read_only and f"schema {SCHEMA_VERSION + 1}" in str(store.warnings[0])


def test_audit_with_marks_shows_a_shared_old_mark_on_both_notes_as_the_window_does(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file from the landed version kept notes 24 and 26 under one key: the command, which only reads,
    shows that mark on both notes' findings (as the window does), and changes nothing in the file."""
    import json
    import shutil

    from tests.support.corpora import DEFAULT_CORPUS

    schema_1 = Path(__file__).parent / "data" / "marks-schema1.sqlite3"
    db = data_dir / MARKS_FILENAME
    shutil.copyfile(schema_1, db)
    before = db.read_bytes()
    assert main(["audit", str(DEFAULT_CORPUS), "--with-marks", "--format", "json"]) == 0
    findings = json.loads(capsys.readouterr().out)
    by_note = {}
    for finding in findings:
        for mark in finding.get("marks", []):
            if mark["note"] == "The date in the APRF copy is 20 June":
                by_note.setdefault(mark["footnote"], mark)
    assert sorted(by_note) == [24, 26]
    assert all(mark["status"] == "disputed" for mark in by_note.values())
    assert db.read_bytes() == before
