"""Starting a corpus from an essay: every bad output place is one clear error, and nothing is overwritten."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from explorer.core import corpus_new
from explorer.core.corpus_new import NO_NOTES, create_corpus
from explorer.core.errors import CorpusError
from explorer.core.loader import IMPORT_WARNINGS, load_corpus
from tests.support.corpora import TINY_ESSAY

# Note 1 has a '[' never closed: read leniently, its body ends at its last ']'.
SPOILED = TINY_ESSAY.replace("Vyshinsky, 3 September", "Vyshinsky [sic, 3 September")


@pytest.fixture
def essay(tmp_path: Path) -> Path:
    path = tmp_path / "my essay.txt"
    path.write_text(TINY_ESSAY, encoding="utf-8")
    return path


def _refused(essay: Path, folder: Path, **options: object) -> str:
    with pytest.raises(CorpusError) as info:
        create_corpus(essay, folder, **options)  # type: ignore[arg-type]
    (problem,) = info.value.problems
    assert "nothing was written" in problem.message or "cannot write" in problem.message
    return str(problem)


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_new_folder_gets_the_essay_a_manifest_and_drafts(essay: Path, tmp_path: Path) -> None:
    done = create_corpus(essay, tmp_path / "a" / "b")
    assert (tmp_path / "a" / "b" / "essay.txt").read_bytes() == essay.read_bytes()
    assert len(done.essay.footnotes) == 2 and done.warnings == () and done.notices == () and done.replaced == ()
    assert load_corpus(tmp_path / "a" / "b").manifest.id == "b"
    assert sorted(p.name for p in (tmp_path / "a" / "b").iterdir()) == [  # no temp files
        "corpus.yaml", "documents.yaml", "essay.txt", "events.yaml", "people.yaml", "sources.yaml"]


def test_records_already_in_the_folder_are_kept_not_drafted_over(essay: Path, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    folder.mkdir()
    (folder / "events.yaml").write_text("events: []  # mine\n", encoding="utf-8")
    done = create_corpus(essay, folder)
    assert (folder / "events.yaml").read_text(encoding="utf-8") == "events: []  # mine\n"
    assert not (folder / "documents.yaml").exists()
    assert any("were kept" in notice for notice in done.notices)


def test_output_that_is_a_file(essay: Path, tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("mine", encoding="utf-8")
    assert "is a file, not a folder" in _refused(essay, target)
    assert target.read_text(encoding="utf-8") == "mine"


def test_output_under_a_file(essay: Path, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("mine", encoding="utf-8")
    message = _refused(essay, tmp_path / "file" / "corpus")
    assert "a part of this path is a file, not a folder" in message
    assert (tmp_path / "file").read_text(encoding="utf-8") == "mine"


def test_output_with_a_name_too_long(essay: Path, tmp_path: Path) -> None:
    assert "File name too long" in _refused(essay, tmp_path / ("x" * 300))


def test_output_that_cannot_be_written(essay: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # As root a read-only folder is still writable, so the refusal is made where it would come from.
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(tmp_path / "ro"))

    monkeypatch.setattr(corpus_new.tempfile, "mkstemp", refuse)
    message = _refused(essay, tmp_path / "ro" / "new")
    assert "cannot write the corpus: Permission denied" in message
    assert not (tmp_path / "ro").exists()  # the folders it made are removed again


def test_a_failure_halfway_leaves_the_old_files(essay: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "c"
    create_corpus(essay, folder)
    before = _tree(folder)
    calls = []

    def replace(src: str, dst: str) -> None:
        calls.append(dst)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(corpus_new.os, "replace", replace)
    assert "No space left on device" in _refused(essay, folder, force=True)
    assert calls
    assert {k: v for k, v in _tree(folder).items() if ".bak" not in k} == before
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_the_essays_own_folder(tmp_path: Path) -> None:
    folder = tmp_path / "draft"
    folder.mkdir()
    (folder / "essay.txt").write_text(TINY_ESSAY, encoding="utf-8")
    assert "essay.txt is already here" in _refused(folder / "essay.txt", folder)
    assert "the essay is this folder's own essay.txt" in _refused(folder / "essay.txt", folder, force=True)
    assert _tree(folder) == {"essay.txt": TINY_ESSAY.encode()}


def test_an_essay_txt_without_a_manifest_is_not_overwritten(essay: Path, tmp_path: Path) -> None:
    folder = tmp_path / "half"
    folder.mkdir()
    (folder / "essay.txt").write_text("my only copy", encoding="utf-8")
    assert "essay.txt is already here (pass --force" in _refused(essay, folder)
    assert _tree(folder) == {"essay.txt": b"my only copy"}


def test_force_replaces_and_keeps_the_old_files(essay: Path, tmp_path: Path) -> None:
    folder = tmp_path / "c"
    create_corpus(essay, folder, title="First")
    (folder / "events.yaml").write_text("events: []\n", encoding="utf-8")
    old_manifest = (folder / "corpus.yaml").read_bytes()
    assert "a corpus already exists here" in _refused(essay, folder)
    done = create_corpus(essay, folder, title="Second", force=True)
    assert sorted(p.name for p in done.replaced) == ["corpus.yaml.bak", "essay.txt.bak"]
    assert (folder / "corpus.yaml.bak").read_bytes() == old_manifest
    assert (folder / "events.yaml").read_text(encoding="utf-8") == "events: []\n"  # never touched
    assert load_corpus(folder).manifest.title == "Second"
    again = create_corpus(essay, folder, force=True)
    assert sorted(p.name for p in again.replaced) == ["corpus.yaml.bak2", "essay.txt.bak2"]


@pytest.mark.parametrize("bad_id", ["bad id/../x", "../x", "", "-x", "x\n", "é", "x" * 129])
def test_a_bad_id_is_refused_before_anything_is_written(essay: Path, tmp_path: Path, bad_id: str) -> None:
    assert "is not a valid corpus id" in _refused(essay, tmp_path / "c", corpus_id=bad_id)
    assert not (tmp_path / "c").exists()


def test_plain_text_without_notes_says_so(tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("A first paragraph.\n\nA second one.\n", encoding="utf-8")
    done = create_corpus(plain, tmp_path / "P")
    assert done.notices == (NO_NOTES,) and len(done.essay.passages) == 2
    assert "[footnoteRef:1]" in NO_NOTES and "plain text carries none" in NO_NOTES


def test_a_lenient_import_records_what_it_read_past_and_check_accepts_only_that(tmp_path: Path) -> None:
    source = tmp_path / "spoiled.txt"
    source.write_text(SPOILED, encoding="utf-8")
    with pytest.raises(CorpusError, match="not closed before the reference to footnote 2"):
        create_corpus(source, tmp_path / "strict")
    assert not (tmp_path / "strict").exists()

    done = create_corpus(source, tmp_path / "c", lenient=True)
    (warning,) = done.warnings
    assert [f.number for f in done.essay.footnotes] == [1, 2] and "[sic" in done.essay.footnote(1).text
    manifest = yaml.safe_load((tmp_path / "c" / "corpus.yaml").read_text(encoding="utf-8"))
    assert manifest[IMPORT_WARNINGS] == [f"line 1, column {warning.column}: {warning.message}"]
    assert len(load_corpus(tmp_path / "c").essay.footnotes) == 2

    # A new problem in the essay since the import is an error again.
    essay_file = tmp_path / "c" / "essay.txt"
    essay_file.write_text(SPOILED.replace("[footnoteRef:2]", "[footnoteRef:3]").replace("[2:", "[3:"), "utf-8")
    with pytest.raises(CorpusError) as info:
        load_corpus(tmp_path / "c")
    assert any("jump from 1 to 3" in p.message for p in info.value.problems)


def test_the_read_only_case_is_real_when_not_root(essay: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes to read-only folders; test_output_that_cannot_be_written covers the message")
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert "Permission denied" in _refused(essay, folder)
    finally:
        folder.chmod(0o700)


# -- opening an essay directly: imported once under the data folder, reused while unchanged ----------


def test_an_essay_opened_directly_is_imported_once_and_reused(essay: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    folder = corpus_new.essay_corpus_for(essay, data_dir=data)
    assert folder.parent == data / corpus_new.ESSAYS_DIR
    assert folder.name.startswith("my-essay-") and len(folder.name) == len("my-essay-") + corpus_new.HASH_DIGITS
    corpus = load_corpus(folder)
    assert corpus.manifest.id == "my-essay"
    assert len(corpus.essay.footnotes) == 2
    (folder / "events.yaml").write_text("[]\n", encoding="utf-8")  # the reader's edits to the drafts
    assert corpus_new.essay_corpus_for(essay, data_dir=data) == folder
    assert (folder / "events.yaml").read_text(encoding="utf-8") == "[]\n"  # reused, not imported again
    assert [p.name for p in (data / corpus_new.ESSAYS_DIR).iterdir()] == [folder.name]  # no staging left


def test_a_changed_essay_gets_a_new_folder(essay: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = corpus_new.essay_corpus_for(essay, data_dir=data)
    essay.write_text(TINY_ESSAY + "\nA new paragraph.\n", encoding="utf-8")
    second = corpus_new.essay_corpus_for(essay, data_dir=data)
    assert second != first and first.is_dir()
    assert "A new paragraph." in (second / "essay.txt").read_text(encoding="utf-8")


def test_a_chosen_folder_is_reused_for_the_same_essay_and_refused_for_another(essay: Path, tmp_path: Path) -> None:
    folder = tmp_path / "chosen"
    assert corpus_new.essay_corpus_for(essay, folder) == folder
    assert corpus_new.essay_corpus_for(essay, folder) == folder
    other = tmp_path / "other.txt"
    other.write_text(TINY_ESSAY.replace("Stalin refused.", "Stalin said no."), encoding="utf-8")
    with pytest.raises(CorpusError, match="a corpus already exists here"):
        corpus_new.essay_corpus_for(other, folder)
    assert "Stalin refused." in (folder / "essay.txt").read_text(encoding="utf-8")


def test_a_broken_essay_opened_directly_leaves_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "broken.md"
    broken.write_text("Text.[^1]\n\nMore.[^2]\n\n[^1]: A note.\n", encoding="utf-8")  # note 2 has no body
    data = tmp_path / "data"
    with pytest.raises(CorpusError) as info:
        corpus_new.essay_corpus_for(broken, data_dir=data)
    assert str(broken) in str(info.value.problems[0])
    assert not any((data / corpus_new.ESSAYS_DIR).iterdir())


def test_which_files_open_as_essays(essay: Path, tmp_path: Path, tiny_corpus_dir: Path) -> None:
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    assert corpus_new.is_essay_file(essay)
    assert not corpus_new.is_essay_file(pdf)
    assert not corpus_new.is_essay_file(tiny_corpus_dir)
    assert not corpus_new.is_essay_file(tiny_corpus_dir / "corpus.yaml")


def test_a_text_without_notes_is_not_opened_as_an_essay(tmp_path: Path) -> None:
    plain = tmp_path / "letter.txt"
    plain.write_text("Dear Sir, nothing cited here.\n", encoding="utf-8")
    data = tmp_path / "data"
    with pytest.raises(CorpusError) as info:
        corpus_new.essay_corpus_for(plain, data_dir=data)
    (problem,) = info.value.problems
    assert problem.file == str(plain)
    assert problem.message.startswith("this is a text file, not a corpus folder; read as an essay, no footnotes")
    assert not any((data / corpus_new.ESSAYS_DIR).iterdir())
