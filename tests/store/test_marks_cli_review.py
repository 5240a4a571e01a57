"""`explorer marks export` / `import`, and disagreements in `explorer audit --with-marks` and the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.core.audit.review import disagreements
from explorer.core.citations import parse_notes
from explorer.core.loader import load_corpus
from explorer.core.verification import note_targets
from explorer.store.marks import MARKS_FILENAME, MarkStore
from explorer.store.marks_file import review_entries


@pytest.fixture
def team(tmp_path: Path, tiny_corpus_dir: Path) -> dict[str, Path]:
    """Alice's and Bob's data folders: they agree on note 1's telegram and disagree on note 2's."""
    corpus = load_corpus(tiny_corpus_dir)
    notes = parse_notes((f.number, f.text) for f in corpus.essay.footnotes)
    first, second = (note_targets(n, corpus)[0] for n in notes)
    folders = {}
    for who, status in (("Alice", "verified"), ("Bob", "disputed")):
        folder = tmp_path / who
        with MarkStore.open(folder / MARKS_FILENAME) as store:
            store.set_mark("tiny", first.key, "verified", "", first.footnote, first.label, reviewer=who)
            store.set_mark("tiny", second.key, status, f"{who} <i>checked</i> list 92", second.footnote,
                           second.label, reviewer=who)
        folders[who] = folder
    return folders


def run(monkeypatch: pytest.MonkeyPatch, folder: Path, *argv: str) -> int:
    monkeypatch.setenv("EXPLORER_DATA_DIR", str(folder))
    return main(list(argv))


def test_export_import_crosswise_shows_the_disagreement_then_its_resolution(
        team: dict[str, Path], tiny_corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    corpus = str(tiny_corpus_dir)
    files = {who: tmp_path / f"{who}.jsonl" for who in team}
    for who, folder in team.items():
        assert run(monkeypatch, folder, "marks", "export", corpus, "-o", str(files[who])) == 0
        assert capsys.readouterr().out == f"{files[who]}: 2 mark entries of corpus tiny written\n"
    assert run(monkeypatch, team["Alice"], "marks", "import", corpus, str(files["Bob"])) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"{files['Bob']}: 2 entries imported\n") and "1 citation where reviewers disagree" in out
    assert run(monkeypatch, team["Alice"], "marks", "import", corpus, str(files["Bob"])) == 0
    assert capsys.readouterr().out.startswith(f"{files['Bob']}: 0 entries imported, 2 already here\n")

    assert run(monkeypatch, team["Alice"], "audit", corpus, "--with-marks", "--format", "json") == 0
    [finding] = [f for f in json.loads(capsys.readouterr().out) if f["code"] == "MARKS_DISAGREE"]
    assert finding["footnotes"] == [2] and "Alice: verified" in finding["message"]
    assert "Bob: disputed (\u201cBob <i>checked</i> list 92\u201d)" in finding["message"]

    report = tmp_path / "report.html"
    assert run(monkeypatch, team["Alice"], "export", corpus, "--format", "report-html", "-o", str(report)) == 0
    html = report.read_text(encoding="utf-8")
    assert "Where reviewers disagree" in html and "MARKS_DISAGREE" in html
    assert "Bob &lt;i&gt;checked&lt;/i&gt; list 92" in html and "<i>checked" not in html
    assert "<td>citations reviewers disagree on</td><td>1</td>" in html
    md = tmp_path / "report.md"
    assert run(monkeypatch, team["Alice"], "export", corpus, "--format", "report-md", "-o", str(md)) == 0
    text = md.read_text(encoding="utf-8")
    assert "## Where reviewers disagree" in text and "| Bob | disputed |" in text
    assert "| verified | Alice |" in text and "| disputed | Bob |" in text  # both reviewers' marks, with who
    capsys.readouterr()

    # Alice resolves it (a mark naming the entries it settles), and Bob imports her file
    with MarkStore.open(team["Alice"] / MARKS_FILENAME) as store:
        [found] = disagreements(review_entries(store.entries("tiny")))
        now = store.get("tiny", found.key)
        assert now is not None
        store.set_mark("tiny", found.key, "disputed", "Bob is right", now.footnote, now.label, version=now.version,
                       reviewer="Alice", resolves=found.resolves())
    assert run(monkeypatch, team["Alice"], "marks", "export", corpus, "-o", str(files["Alice"])) == 0
    assert run(monkeypatch, team["Bob"], "marks", "import", corpus, str(files["Alice"])) == 0
    assert "disagree" not in capsys.readouterr().out
    assert run(monkeypatch, team["Bob"], "export", corpus, "--format", "report-md", "-o", str(md)) == 0
    assert "Where reviewers disagree" not in md.read_text(encoding="utf-8")
    assert run(monkeypatch, team["Bob"], "marks", "export", corpus, "-o", str(files["Bob"])) == 0
    assert files["Bob"].read_text(encoding="utf-8") == files["Alice"].read_text(encoding="utf-8")


def test_audit_with_marks_names_the_reviewer_of_each_mark(
        team: dict[str, Path], tiny_corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    corpus, bob = str(tiny_corpus_dir), tmp_path / "bob.jsonl"
    assert run(monkeypatch, team["Bob"], "marks", "export", corpus, "-o", str(bob)) == 0
    assert run(monkeypatch, team["Alice"], "marks", "import", corpus, str(bob)) == 0
    capsys.readouterr()
    for fmt in ("text", "csv", "markdown"):  # the disagreement on note 2 lists the mark shown there: Alice's
        assert run(monkeypatch, team["Alice"], "audit", corpus, "--with-marks", "--format", fmt) == 0
        out = capsys.readouterr().out.replace("&lt;", "<").replace("&gt;", ">")
        assert "verified by Alice (Alice <i>checked</i> list 92)" in out, fmt
    assert run(monkeypatch, team["Alice"], "audit", corpus, "--with-marks", "--format", "json") == 0
    [finding] = [f for f in json.loads(capsys.readouterr().out) if f["code"] == "MARKS_DISAGREE"]
    assert [(m["footnote"], m["status"], m["reviewer"]) for m in finding["marks"]] == [(2, "verified", "Alice")]


def test_a_bad_file_is_refused_with_a_line_per_problem_and_partial_imports_the_rest(
        team: dict[str, Path], tiny_corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    corpus = str(tiny_corpus_dir)
    path = tmp_path / "bob.jsonl"
    assert run(monkeypatch, team["Bob"], "marks", "export", corpus, "-o", str(path)) == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, '{"key": "x"', lines[1].replace('"disputed"', '"sure"')]) + "\n",
                    encoding="utf-8")
    capsys.readouterr()
    before = (team["Alice"] / MARKS_FILENAME).read_bytes()
    assert run(monkeypatch, team["Alice"], "marks", "import", corpus, str(path)) == 1
    out, err = capsys.readouterr()
    assert out == "" and f"{path}:4: is not valid JSON" in err and f"{path}:5: has an unknown status 'sure'" in err
    assert "nothing was imported" in err and "Traceback" not in err
    assert (team["Alice"] / MARKS_FILENAME).read_bytes() == before
    assert run(monkeypatch, team["Alice"], "marks", "import", corpus, str(path), "--partial") == 0
    out, err = capsys.readouterr()
    assert out.startswith(f"{path}: 2 entries imported, 2 rejected (--partial)\n")
    assert err.splitlines() == [f"{path}:4: is not valid JSON (Expecting ',' delimiter at column 12): rejected",
                                f"{path}:5: has an unknown status 'sure' (known: unchecked, verified, disputed): "
                                "rejected"]


def test_a_file_of_another_corpus_is_refused(team: dict[str, Path], tiny_corpus_dir: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "other.jsonl"
    path.write_text('{"corpus": "korea-1950", "format": "explorer-marks", "version": 1}\n', encoding="utf-8")
    assert run(monkeypatch, team["Alice"], "marks", "import", str(tiny_corpus_dir), str(path), "--partial") == 1
    err = capsys.readouterr().err
    assert f"{path}:1: holds the marks of corpus \"korea-1950\", not of 'tiny'" in err


def test_export_with_no_marks_file_writes_the_header_and_creates_nothing(
        tiny_corpus_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "nobody"
    out = tmp_path / "none.jsonl"
    assert run(monkeypatch, empty, "marks", "export", str(tiny_corpus_dir), "-o", str(out)) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == {"corpus": "tiny", "format": "explorer-marks", "version": 1}
    assert not (empty / MARKS_FILENAME).exists()
