"""`explorer export`: each format written from a corpus and the user's marks, errors named."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.core.export import parsed_notes
from explorer.core.loader import load_corpus
from explorer.core.verification import note_targets
from explorer.store.marks import MARKS_FILENAME, MarkStore
from tests.support.corpora import REPO


@pytest.fixture
def marked_corpus(tiny_corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The tiny corpus with one verified mark on note 1's telegram, in a marks file of its own."""
    data = tmp_path / "data"
    data.mkdir()
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(data))
    corpus = load_corpus(tiny_corpus_dir)
    target = note_targets(parsed_notes(corpus)[0], corpus)[0]
    with MarkStore.open(data / MARKS_FILENAME) as store:
        store.set_mark("tiny", target.key, "verified", "Seen in the archive.", 1, target.label)
    return tiny_corpus_dir


@pytest.mark.parametrize("fmt", ["csl-json", "ris", "bibtex", "biblatex", "report-html", "report-md"])
def test_export_writes_the_format_with_the_marks(marked_corpus: Path, tmp_path: Path, fmt: str, capsys) -> None:
    out = tmp_path / f"out.{fmt}"
    assert main(["export", str(marked_corpus), "--format", fmt, "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "Seen in the archive." in text
    assert "Shtykov" in text and "AVPRF" in text
    assert f"{out}: written ({fmt})" in capsys.readouterr().out
    if fmt == "csl-json":
        assert [i["id"] for i in json.loads(text)] == ["doc-sept", "doc-jan", "weathersby-1995"]


def test_no_marks_leaves_them_out(marked_corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    assert main(["export", str(marked_corpus), "--format", "csl-json", "--no-marks", "-o", str(out)]) == 0
    assert "Seen in the archive." not in out.read_text(encoding="utf-8")


def test_an_unwritable_output_is_named_and_exits_1(tiny_corpus_dir: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "no-such-folder" / "out.ris"
    assert main(["export", str(tiny_corpus_dir), "--format", "ris", "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert str(out) in err and "cannot write the export" in err
    assert not out.parent.exists()


def test_a_failed_write_keeps_the_old_file(tiny_corpus_dir: Path, tmp_path: Path, monkeypatch, capsys) -> None:
    out = tmp_path / "out.ris"
    out.write_text("the old export", encoding="utf-8")

    def refuse(*args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    assert main(["export", str(tiny_corpus_dir), "--format", "ris", "-o", str(out)]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "the old export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.ris", "tiny"]  # no temporary file left behind


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_an_export_is_readable_as_any_new_file_and_a_replaced_one_keeps_its_mode(
        tiny_corpus_dir: Path, tmp_path: Path) -> None:
    """Written through a temporary file, an export once kept its 0600: unreadable to the colleague it was for."""
    mask = os.umask(0o022)
    try:
        new = tmp_path / "new.ris"
        assert main(["export", str(tiny_corpus_dir), "--format", "ris", "-o", str(new)]) == 0
        assert new.stat().st_mode & 0o777 == 0o644
        kept = tmp_path / "kept.jsonl"
        kept.write_text("", encoding="utf-8")
        kept.chmod(0o640)
        assert main(["marks", "export", str(tiny_corpus_dir), "-o", str(kept)]) == 0  # the same writer
        assert kept.stat().st_mode & 0o777 == 0o640 and kept.read_text(encoding="utf-8").startswith("{")
    finally:
        os.umask(mask)


def test_a_bad_corpus_is_reported(make_corpus, tmp_path: Path, capsys) -> None:
    path = make_corpus({"places.yaml": "places:\n  - id: moscow\n    nme: Moscow\n"})
    assert main(["export", str(path), "--format", "ris", "-o", str(tmp_path / "x.ris")]) == 1
    assert "places.yaml:3: [nme] unknown key 'nme'" in capsys.readouterr().err
    assert not (tmp_path / "x.ris").exists()


def test_report_pdf_from_the_command_line_without_a_display(tiny_corpus_dir: Path, tmp_path: Path) -> None:
    """The real command, in its own process: no QApplication exists, the PDF writer makes its own."""
    out = tmp_path / "report.pdf"
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY")}
    done = subprocess.run([sys.executable, "-m", "explorer", "export", str(tiny_corpus_dir), "--format",
                           "report-pdf", "-o", str(out)], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert out.read_bytes().startswith(b"%PDF-")
    assert shutil.which("pdftotext"), "pdftotext is missing: install poppler-utils (.ci/system-deps.sh does)"
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "Citation check: Untitled essay (Test Author, 2015)" in " ".join(text.split()) and "Note 2" in text


def test_a_damaged_marks_file_is_named_and_left_alone(tiny_corpus_dir: Path, tmp_path: Path, monkeypatch,
                                                      capsys) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / MARKS_FILENAME).write_bytes(b"not a database at all" * 10)
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(data))
    out = tmp_path / "out.ris"
    assert main(["export", str(tiny_corpus_dir), "--format", "ris", "-o", str(out)]) == 1
    assert MARKS_FILENAME in capsys.readouterr().err
    assert not out.exists()
    assert (data / MARKS_FILENAME).read_bytes() == b"not a database at all" * 10
