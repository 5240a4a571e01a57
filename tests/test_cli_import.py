"""`explorer import`: each bad output place is one clear line and exit 1, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.cli import main
from tests.support.corpora import TINY_ESSAY

SPOILED = TINY_ESSAY.replace("Vyshinsky, 3 September", "Vyshinsky [sic, 3 September")


@pytest.fixture
def essay(tmp_path: Path) -> Path:
    path = tmp_path / "essay source.txt"
    path.write_text(TINY_ESSAY, encoding="utf-8")
    return path


def _import(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    code = main(["import", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def _target(kind: str, tmp: Path) -> Path:
    if kind in ("a file", "under a file"):
        (tmp / "f").write_text("x", encoding="utf-8")
        return tmp / "f" if kind == "a file" else tmp / "f" / "sub"
    if kind == "name too long":
        return tmp / ("n" * 300)
    (tmp / "h").mkdir()
    (tmp / "h" / "essay.txt").write_text("mine", encoding="utf-8")
    return tmp / "h"


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("a file", "is a file, not a folder"), ("under a file", "a part of this path is a file"),
     ("name too long", "File name too long"), ("essay.txt without corpus.yaml", "essay.txt is already here")],
)
def test_a_bad_output_place_is_one_line(essay, tmp_path, capsys, kind, expected):
    code, out, err = _import(capsys, essay, _target(kind, tmp_path))
    assert code == 1 and out == ""
    problem_lines = [line for line in err.splitlines() if line.startswith("  ")]
    assert len(problem_lines) == 1 and expected in problem_lines[0], err
    assert "Traceback" not in err


def test_a_bad_id_is_refused(essay, tmp_path, capsys):
    code, _out, err = _import(capsys, essay, tmp_path / "c", "--id", "bad id/../x")
    assert code == 1 and "'bad id/../x' is not a valid corpus id" in err
    assert not (tmp_path / "c").exists()


def test_force_replaces_keeping_backups(essay, tmp_path, capsys):
    assert _import(capsys, essay, tmp_path / "c")[0] == 0
    code, _out, err = _import(capsys, essay, tmp_path / "c")
    assert code == 1 and "a corpus already exists here (pass --force" in err
    code, out, err = _import(capsys, essay, tmp_path / "c", "--force")
    assert code == 0 and "2 footnotes imported" in out
    assert "corpus.yaml.bak" in err and (tmp_path / "c" / "essay.txt.bak").exists()


def test_plain_text_warns_that_no_notes_were_found(tmp_path, capsys):
    plain = tmp_path / "plain.txt"
    plain.write_text("One paragraph.\n\nAnother.\n", encoding="utf-8")
    code, out, err = _import(capsys, plain, tmp_path / "P")
    assert code == 0 and "2 passages, 0 footnotes imported" in out
    assert "warning: no footnotes were found" in err and "[footnoteRef:1]" in err


def test_note_problems_refuse_the_essay_and_lenient_reads_past_them(tmp_path, capsys):
    source = tmp_path / "spoiled.txt"
    source.write_text(SPOILED, encoding="utf-8")
    code, _out, err = _import(capsys, source, tmp_path / "strict")
    assert code == 1 and "not closed before the reference to footnote 2" in err and "--lenient" in err
    assert not (tmp_path / "strict").exists()
    code, out, err = _import(capsys, source, tmp_path / "c", "--lenient")
    assert code == 0 and "2 footnotes imported" in out
    assert "1 problem read past (--lenient), recorded in corpus.yaml" in err
    assert main(["check", str(tmp_path / "c")]) == 0


def test_update_brings_a_new_version_in_another_format_over_curated_records(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`import --update`: the curated corpus keeps its records; the essay, now a Word file, replaces the text
    (the manifest says so); the old files are kept; and the report says what changed."""
    import shutil

    import yaml

    from explorer.core.essay_import import read_essay_file
    from explorer.core.loader import load_corpus
    from tests.support.corpora import DEFAULT_CORPUS
    from tests.support.ooxml import essay_to_docx

    folder = tmp_path / "corpus"
    shutil.copytree(DEFAULT_CORPUS, folder)
    curated = load_corpus(folder)
    new_version = tmp_path / "essay v2.docx"
    new_version.write_bytes(essay_to_docx(read_essay_file(DEFAULT_CORPUS / "essay.txt")))
    code, out, err = _import(capsys, new_version, folder, "--update")
    assert code == 0, err
    records = sum(len(r) for r in (curated.events, curated.documents, curated.people, curated.sources, curated.places))
    assert f"kept {records} curated records" in out
    manifest = yaml.safe_load((folder / "corpus.yaml").read_text(encoding="utf-8"))
    assert (manifest["source"], manifest["format"]) == ("essay.docx", "docx")
    assert not (folder / "essay.txt").exists()
    [previous] = [p for p in folder.iterdir() if p.name.startswith("previous-")]
    assert (previous / "essay.txt").read_bytes() == (DEFAULT_CORPUS / "essay.txt").read_bytes()
    updated = load_corpus(folder)
    assert [e.id for e in updated.events if not e.draft] == [e.id for e in curated.events]
    assert [d.id for d in updated.documents if not d.draft] == [d.id for d in curated.documents]
    assert len(updated.essay.footnotes) == 26


def test_update_needs_a_corpus(essay: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = _import(capsys, essay, tmp_path / "nothing", "--update")
    assert code == 1 and "no corpus here to update" in err
    assert not (tmp_path / "nothing").exists()


def test_update_that_renumbers_notes_keeps_the_comments_of_corpus_yaml(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """corpus.yaml is changed through the round-trip saver, as the record files are: the curator's comments
    stay, and only the renumbered note's line differs."""
    from explorer.core.loader import load_corpus
    from tests.support.corpora import TINY_FILES, write_corpus

    manifest = TINY_FILES["corpus.yaml"] + (
        "        # Checked against the 2015 print edition.\n"
        "        commentary:\n"
        "          - footnote: 1  # the author's aside, not a citation\n"
        "            reason: the author's own remark\n")
    folder = write_corpus(tmp_path / "c", {"corpus.yaml": manifest})
    before = (folder / "corpus.yaml").read_text(encoding="utf-8")
    first, second, rest = TINY_ESSAY.split("\n\n", 2)  # the two paragraphs swapped: note 1 becomes note 2
    first = first.replace("[footnoteRef:1]", "[footnoteRef:2]").replace("[1:  ", "[2:  ")
    second = second.replace("[footnoteRef:2]", "[footnoteRef:1]").replace("[2:  ", "[1:  ")
    new = tmp_path / "v2.txt"
    new.write_text("\n\n".join((second.lstrip("\t"), first, rest)), encoding="utf-8")
    code, _out, err = _import(capsys, new, folder, "--update")
    assert code == 0, err
    after = (folder / "corpus.yaml").read_text(encoding="utf-8")
    assert "# Checked against the 2015 print edition.\n" in after
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert changed == [("  - footnote: 1  # the author's aside, not a citation",
                        "  - footnote: 2  # the author's aside, not a citation")]
    assert load_corpus(folder).manifest.commentary == {2: "the author's own remark"}
