"""`explorer import`: each bad output place is one clear line and exit 1, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.cli import main
from tests.conftest import TINY_ESSAY

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
