"""Saving edited corpus files: byte-identical where nothing changed, only the edited lines otherwise, atomic."""

from __future__ import annotations

import difflib
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.core import corpus_save
from explorer.core.corpus_edit import DeleteRecord, EditableCorpus, InsertRecord, SetField
from explorer.core.corpus_save import (
    PAUSE_ENV,
    YamlFile,
    _merge_gaps,
    _rewrite_record,
    copy_for_saving,
    dump_text,
    read_only_reason,
)
from explorer.core.errors import CorpusError
from explorer.core.loader import RECORD_FILES, load_corpus
from explorer.core.locations import default_corpus_dir
from tests.support.corpora import DEFAULT_CORPUS, REPO


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A writable copy of the shipped corpus."""
    return Path(shutil.copytree(DEFAULT_CORPUS, tmp_path / "korea-1950"))


def _changes(before: str, after: str) -> list[str]:
    """The removed and added lines of a diff, as git diff shows them."""
    return [line for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.mark.parametrize("name", sorted(p.name for p in DEFAULT_CORPUS.glob("*.yaml")))
def test_every_shipped_file_round_trips_byte_identical(name: str) -> None:
    path = DEFAULT_CORPUS / name
    original = path.read_bytes()
    section = None if path.stem == "corpus" else path.stem
    f = YamlFile.read(path, section)
    assert f.render().encode() == original
    # Written anew whole (the path for a file of another layout), it is the same text too.
    assert dump_text(f.data, comments=True).encode() == original
    if section is None:
        return
    layout = f._baseline.layout
    assert layout is not None and len(layout.records) == len(f.data[section])
    # Every record rewritten field by field (as an edit rewrites changed fields) is its own text again.
    for old, record in zip(layout.records, f.data[section], strict=True):
        assert old.fields is not None
        rewritten = _rewrite_record(old, record, layout.dash_column)
        assert rewritten == old.body
        for fld in old.fields:  # each field written from its value alone gives its text
            assert corpus_save._field_text(fld.key, record[fld.key], "", fld.column) == fld.content


def test_save_with_no_edit_writes_nothing(corpus: Path) -> None:
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in corpus.glob("*.yaml")}
    editable = EditableCorpus(corpus)
    for kind in RECORD_FILES:
        editable.records(kind)
    assert editable.save() == []
    assert {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in corpus.glob("*.yaml")} == before


def test_one_field_edit_changes_only_that_field_line(corpus: Path) -> None:
    path = corpus / "people.yaml"
    before = path.read_text(encoding="utf-8")
    editable = EditableCorpus(corpus)
    SetField("people", "stalin", "role", "Soviet leader").apply(editable)
    assert editable.save() == [path]
    after = path.read_text(encoding="utf-8")
    assert _changes(before, after) == [
        '-    role: "Soviet leader: Chairman of the USSR Council of Ministers and Secretary of the Central '
        'Committee of the VKP(b)"',
        '+    role: "Soviet leader"',
    ]
    assert next(p for p in load_corpus(corpus).people if p.id == "stalin").role == "Soviet leader"


def test_list_field_edit_keeps_flow_style_and_changes_one_line(corpus: Path) -> None:
    path = corpus / "events.yaml"
    before = path.read_text(encoding="utf-8")
    editable = EditableCorpus(corpus)
    SetField("events", "yalta-agreement-1945", "participants", ["stalin", "mao-zedong"]).apply(editable)
    editable.save()
    assert _changes(before, path.read_text(encoding="utf-8")) == [
        "-    participants: [stalin]", "+    participants: [stalin, mao-zedong]"]
    event = next(e for e in load_corpus(corpus).events if e.id == "yalta-agreement-1945")
    assert event.participants == ("stalin", "mao-zedong")


def test_comments_next_to_an_edited_record_survive(corpus: Path) -> None:
    path = corpus / "people.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  - id: stalin\n", "  # Stalin: checked against the Politburo lists\n  - id: stalin\n", 1)
    text = text.replace('    kind: person\n    spellings: ["Joseph Stalin"',
                        '    kind: person  # not an organisation\n    # the forms the notes use:\n'
                        '    spellings: ["Joseph Stalin"', 1)
    path.write_text(text, encoding="utf-8")
    editable = EditableCorpus(corpus)
    SetField("people", "stalin", "kind", "organisation").apply(editable)  # the field with the inline comment
    SetField("people", "stalin", "spellings", ["Joseph Stalin", "Stalin"]).apply(editable)
    editable.save()
    after = path.read_text(encoding="utf-8")
    assert "  # Stalin: checked against the Politburo lists\n  - id: stalin\n" in after
    assert "    kind: organisation  # not an organisation\n    # the forms the notes use:\n" in after
    assert '    spellings: ["Joseph Stalin", "Stalin"]\n' in after
    assert len(_changes(text, after)) == 4
    load_corpus(corpus)


def test_yaml_1_1_words_stay_text(corpus: Path) -> None:
    # ruamel.yaml writes YAML 1.2, where "yes" is text; the loader reads YAML 1.1, where it is true.
    editable = EditableCorpus(corpus)
    SetField("people", "stalin", "role", "yes").apply(editable)
    SetField("people", "stalin", "note", "1950-06-25").apply(editable)
    SetField("people", "mao-zedong", "spellings", ["no", "Mao"]).apply(editable)
    editable.save()
    loaded = {p.id: p for p in load_corpus(corpus).people}
    assert (loaded["stalin"].role, loaded["stalin"].note) == ("yes", "1950-06-25")
    assert loaded["mao-zedong"].spellings == ("no", "Mao")


def test_deleting_records_keeps_the_comments_between_them(corpus: Path) -> None:
    path = corpus / "documents.yaml"
    before = path.read_text(encoding="utf-8")
    editable = EditableCorpus(corpus)
    first = editable.records("documents")[0]["id"]
    DeleteRecord("documents", first).apply(editable)
    after = editable.render("documents")
    assert after.startswith("documents:\n  # --- 1949 ---")
    assert "\n\n\n" not in after
    assert all(line.startswith("-") for line in _changes(before, after))
    # Every record of a file gone but one: the comments of the file (between records) stay; a comment
    # inside a record (indented under its fields) goes with its record.
    for record in list(editable.records("documents"))[1:]:
        DeleteRecord("documents", record["id"]).apply(editable)

    def between(line: str) -> bool:
        return line.strip().startswith("#") and len(line) - len(line.lstrip()) < 4

    assert any(line.strip().startswith("#") and not between(line) for line in before.splitlines())
    kept = editable.render("documents")
    assert [line for line in kept.splitlines() if line.strip().startswith("#")] == [
        line for line in before.splitlines() if between(line)]


@pytest.mark.parametrize(("before", "after", "first", "merged"), [
    ("\n", "\n", False, "\n"),  # between two records
    ("\n  # 1950\n", "\n", False, "\n  # 1950\n"),  # the heading above the deleted one stays
    ("\n", "\n  # 1950\n", False, "\n  # 1950\n"),
    ("", "\n", True, ""),  # the first record, right under "documents:"
    ("\n", "", False, ""),  # the last record
])
def test_gaps_merge_without_losing_comments(before: str, after: str, first: bool, merged: str) -> None:
    assert _merge_gaps(before, after, first) == merged


def test_inserted_records_add_only_their_lines(corpus: Path) -> None:
    path = corpus / "places.yaml"
    before = path.read_text(encoding="utf-8")
    editable = EditableCorpus(corpus)
    InsertRecord("places", {"id": "kaesong", "name": "Kaesong", "kind": "city"}, index=1).apply(editable)
    InsertRecord("places", {"id": "inchon", "name": "Inchon", "spellings": ["Inchon", "Incheon"]}).apply(editable)
    editable.save()
    after = path.read_text(encoding="utf-8")
    assert all(line.startswith("+") for line in _changes(before, after))
    # Written as the file's other places are: quoted names, flow lists, a blank line between records.
    assert after.endswith('\n\n  - id: inchon\n    name: "Inchon"\n    spellings: ["Inchon", "Incheon"]\n')
    places = [p.id for p in load_corpus(corpus).places]
    assert places[1] == "kaesong" and places[-1] == "inchon"


def test_a_file_of_another_layout_is_written_whole_and_reads_back(tmp_path: Path) -> None:
    root = Path(shutil.copytree(DEFAULT_CORPUS, tmp_path / "c"))
    (root / "places.yaml").write_text("# places, one a line\nplaces: [{id: seoul, name: Seoul}, "
                                      "{id: pyongyang, name: Pyongyang}]\n", encoding="utf-8")
    for kind in ("events", "documents", "catalog"):  # they name places (or documents) this corpus no longer has
        (root / f"{kind}.yaml").write_text(f"{kind}: []\n", encoding="utf-8")
    editable = EditableCorpus(root)
    SetField("places", "seoul", "name", "Seoul (Keijo)").apply(editable)
    editable.save()
    text = (root / "places.yaml").read_text(encoding="utf-8")
    assert text.startswith("# places, one a line\n")
    assert [(p.id, p.name) for p in load_corpus(root).places] == [("seoul", "Seoul (Keijo)"),
                                                                   ("pyongyang", "Pyongyang")]


def test_a_file_changed_on_disk_is_not_overwritten(corpus: Path) -> None:
    editable = EditableCorpus(corpus)
    SetField("people", "stalin", "role", "Soviet leader").apply(editable)
    SetField("places", "seoul", "note", "edited").apply(editable)
    theirs = (corpus / "people.yaml").read_text(encoding="utf-8") + "# another program's line\n"
    (corpus / "people.yaml").write_text(theirs, encoding="utf-8")
    places = (corpus / "places.yaml").read_bytes()
    with pytest.raises(CorpusError, match="changed by another program") as err:
        editable.save()
    assert err.value.problems[0].file == str(corpus / "people.yaml")
    assert (corpus / "people.yaml").read_text(encoding="utf-8") == theirs
    assert (corpus / "places.yaml").read_bytes() == places  # nothing at all was written


def test_a_saved_file_keeps_its_permissions(corpus: Path) -> None:
    path = corpus / "people.yaml"
    os.chmod(path, 0o640)
    editable = EditableCorpus(corpus)
    SetField("people", "stalin", "role", "Soviet leader").apply(editable)
    editable.save()
    assert path.stat().st_mode & 0o777 == 0o640
    assert not list(corpus.glob(".*.saving"))


def test_edits_after_a_save_change_only_what_differs_from_the_saved_file(corpus: Path) -> None:
    path = corpus / "people.yaml"
    original = path.read_bytes()
    editable = EditableCorpus(corpus)
    edit = SetField("people", "stalin", "role", "Soviet leader")
    edit.apply(editable)
    editable.save()
    saved = path.read_bytes()
    assert editable.save() == []  # nothing new to write
    assert path.read_bytes() == saved
    edit.revert(editable)  # undo after the save, and save again: the original file
    assert editable.save() == [path]
    assert path.read_bytes() == original


def test_a_killed_save_leaves_the_old_file_whole(corpus: Path) -> None:
    path = corpus / "people.yaml"
    original = path.read_bytes()
    script = ("import sys; from explorer.core.corpus_edit import EditableCorpus, SetField\n"
              "c = EditableCorpus(sys.argv[1])\n"
              "SetField('people', 'stalin', 'role', 'x' * 100000).apply(c)\n"
              "c.save()\n")
    env = {**os.environ, PAUSE_ENV: "1", "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-c", script, str(corpus)], env=env, stdin=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        line = proc.stderr.readline()  # blocks until the writer is between write and rename
        assert line.startswith("paused before rename"), line + proc.stderr.read()
        temp = Path(line.split(": ", 1)[1].strip())
        assert temp.parent == corpus and temp.stat().st_size > 100000  # the new text is written, not renamed
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        for pipe in (proc.stdin, proc.stderr):
            if pipe is not None:
                pipe.close()
    assert proc.returncode == -signal.SIGKILL
    assert path.read_bytes() == original
    load_corpus(corpus)


def test_the_shipped_corpus_is_read_only_and_copied_on_save(corpus: Path, tmp_path: Path) -> None:
    assert "shipped" in (read_only_reason(default_corpus_dir()) or "")
    assert read_only_reason(corpus) is None
    editable = EditableCorpus(default_corpus_dir())
    SetField("people", "stalin", "role", "Soviet leader").apply(editable)
    assert editable.read_only_reason() is not None
    copies = tmp_path / "copies"
    copy = copy_for_saving(default_corpus_dir(), "korea-1950", copies)
    assert copy == copies / "korea-1950"
    assert copy_for_saving(default_corpus_dir(), "korea-1950", copies) == copies / "korea-1950-2"
    shipped = (default_corpus_dir() / "people.yaml").read_bytes()
    assert editable.save(copy) == [copy / "people.yaml"]
    assert (default_corpus_dir() / "people.yaml").read_bytes() == shipped
    assert editable.root == copy and editable.read_only_reason() is None
    assert next(p for p in load_corpus(copy).people if p.id == "stalin").role == "Soviet leader"


def test_save_a_copy_goes_to_the_user_data_folder(corpus: Path) -> None:
    original = {p.name: p.read_bytes() for p in corpus.iterdir()}
    editable = EditableCorpus(corpus)
    SetField("places", "seoul", "note", "edited").apply(editable)
    copy = editable.save_copy("save-a-copy-test")
    try:
        assert copy == Path(os.environ["EXPLORER_DATA_DIR"]) / "corpora" / "save-a-copy-test"
        assert {p.name: p.read_bytes() for p in corpus.iterdir()} == original
        assert sorted(p.name for p in copy.iterdir()) == sorted(original)
        assert next(p for p in load_corpus(copy).places if p.id == "seoul").note == "edited"
        assert editable.root == copy and editable.save() == []
    finally:
        shutil.rmtree(copy)


def test_a_folder_without_write_permission_is_read_only(corpus: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The tests may run as root, for whom every folder is writable: the permission answer is what is faked.
    real_access = os.access
    monkeypatch.setattr(corpus_save.os, "access",
                        lambda path, mode: False if Path(path) == corpus else real_access(path, mode))
    assert read_only_reason(corpus) == "its folder is not writable"
    monkeypatch.setattr(corpus_save.os, "access",
                        lambda path, mode: False if Path(path).name == "people.yaml" else real_access(path, mode))
    assert read_only_reason(corpus, [corpus / "people.yaml"]) == "people.yaml is not writable"


def test_a_kind_without_a_file_is_created_when_edited(corpus: Path) -> None:
    (corpus / "places.yaml").unlink()
    (corpus / "events.yaml").write_text("events: []\n", encoding="utf-8")  # the events name places
    editable = EditableCorpus(corpus)
    InsertRecord("places", {"id": "seoul", "name": "Seoul"}).apply(editable)
    assert editable.save() == [corpus / "places.yaml"]
    assert (corpus / "places.yaml").stat().st_mode & 0o777 == 0o666 & ~_current_umask()
    assert [p.id for p in load_corpus(corpus).places] == ["seoul"]


def _current_umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_a_file_with_its_dashes_at_the_margin_keeps_that_layout(corpus: Path) -> None:
    path = corpus / "places.yaml"
    path.write_text("places:\n- id: seoul\n  name: Seoul\n  note: |\n    Two lines,\n\n    with a gap.\n"
                    "- id: pyongyang\n  name: Pyongyang\n", encoding="utf-8")
    (corpus / "events.yaml").write_text("events: []\n", encoding="utf-8")  # the events name other places
    editable = EditableCorpus(corpus)
    SetField("places", "pyongyang", "name", "P'yŏngyang").apply(editable)
    InsertRecord("places", {"id": "kaesong", "name": "Kaesong", "note": "One line,\n\nand another.\n"}).apply(editable)
    editable.save()
    text = path.read_text(encoding="utf-8")
    assert text.startswith("places:\n- id: seoul\n  name: Seoul\n  note: |\n    Two lines,\n\n    with a gap.\n"
                           "- id: pyongyang\n  name: P'yŏngyang\n")
    assert "\n- id: kaesong\n  name: Kaesong\n" in text
    places = {p.id: p for p in load_corpus(corpus).places}
    assert places["kaesong"].note == "One line,\n\nand another.\n"
    assert places["seoul"].note == "Two lines,\n\nwith a gap.\n"
