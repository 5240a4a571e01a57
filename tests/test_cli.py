"""The `explorer` command line: check, exit codes, JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.cli import SUBCOMMANDS, main
from tests.support.corpora import REPO


def test_check_valid_corpus_prints_summary(tiny_corpus_dir, capsys):
    assert main(["check", str(tiny_corpus_dir)]) == 0
    out = capsys.readouterr().out
    assert "tiny: (untitled), Test Author, 2015" in out
    for line in ("passages", "footnotes", "events", "documents", "people", "sources", "places"):
        assert line in out
    assert "every footnote is accounted for" in out
    assert out.rstrip().endswith("valid")


def test_check_json(tiny_corpus_dir, capsys):
    assert main(["check", "--json", str(tiny_corpus_dir)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] is True and data["errors"] == []
    assert (data["events"], data["documents"], data["footnotes"], data["passages"]) == (2, 2, 2, 2)
    assert data["unaccounted_footnotes"] == []


def test_check_reports_every_error_and_exits_1(make_corpus, capsys):
    path = make_corpus({"places.yaml": "places:\n  - id: moscow\n    nme: Moscow\n"})
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert "places.yaml:3: [nme] unknown key 'nme'" in err
    assert "places.yaml:2: [name] the required key 'name' is missing" in err


def test_check_json_errors_are_objects(make_corpus, capsys):
    path = make_corpus({"places.yaml": "places:\n  - id: moscow\n    nme: Moscow\n"})
    assert main(["check", "--json", str(path)]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["valid"] is False
    first = data["errors"][0]
    assert set(first) >= {"file", "line", "key", "message"}
    assert first["file"].endswith("places.yaml")


def test_unaccounted_footnotes_are_listed(make_corpus, capsys):
    # Drop the only document citing note 2: the summary must say so.
    from tests.support.corpora import TINY_FILES

    docs = TINY_FILES["documents.yaml"].split("          - id: doc-jan")[0]
    events = TINY_FILES["events.yaml"].replace("documents: [doc-jan, doc-sept]", "documents: [doc-sept]")
    path = make_corpus({"documents.yaml": docs, "events.yaml": events})
    assert main(["check", "--json", str(path)]) == 0
    assert json.loads(capsys.readouterr().out)["unaccounted_footnotes"] == [2]


def test_python_dash_m_works_like_the_command(tiny_corpus_dir):
    result = subprocess.run([sys.executable, "-m", "explorer", "check", "--json", str(tiny_corpus_dir)],
                            capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["events"] == 2


def test_import_makes_a_corpus_that_checks_and_audits(tmp_path, capsys):
    from tests.support.corpora import TINY_ESSAY

    source = tmp_path / "my essay.txt"
    source.write_text(TINY_ESSAY, encoding="utf-8")
    folder = tmp_path / "Ma collection été"
    assert main(["import", str(source), str(folder), "--title", "A test"]) == 0
    assert "2 passages, 2 footnotes" in capsys.readouterr().out
    assert main(["check", "--json", str(folder)]) == 0
    data = json.loads(capsys.readouterr().out)
    # the import drafts a document per telegram, an event per dated sentence, the people and the work
    assert (data["id"], data["passages"], data["footnotes"], data["events"]) == ("ma-collection-ete", 2, 2, 2)
    assert (data["documents"], data["people"], data["sources"], data["drafts"]) == (2, 3, 1, 8)
    assert data["unaccounted_footnotes"] == []
    assert main(["audit", "--format", "json", str(folder)]) == 0
    assert isinstance(json.loads(capsys.readouterr().out), list)


def test_import_refuses_a_broken_essay_and_writes_nothing(tmp_path, capsys):
    source = tmp_path / "bad.txt"
    source.write_text("Claim.[footnoteRef:1]\n", encoding="utf-8")
    folder = tmp_path / "new"
    assert main(["import", str(source), str(folder)]) == 1
    assert "footnote 1 is referenced but has no body" in capsys.readouterr().err
    assert not folder.exists()


def test_import_never_overwrites(tiny_corpus_dir, tmp_path, capsys):
    before = (tiny_corpus_dir / "corpus.yaml").read_bytes()
    assert main(["import", str(tiny_corpus_dir / "essay.txt"), str(tiny_corpus_dir)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert (tiny_corpus_dir / "corpus.yaml").read_bytes() == before


# -- one parser for every command (10.10) and ids from the command line (11.6) ----------------


def test_help_lists_the_window_arguments_and_every_command_without_markup(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    for shown in ("CORPUS", "--select ID", "--screenshot FILE.png", "--self-test", "--version",
                  "open", "check", "audit", "import"):
        assert shown in out
    assert not any(mark in out for mark in ("`", "<", "**", "%(")), out


def test_version_comes_from_the_package(capsys):
    from explorer import __version__

    with pytest.raises(SystemExit):
        main(["--version"])
    assert capsys.readouterr().out.strip() == f"explorer {__version__}"


@pytest.mark.parametrize("argv", [
    ["some/folder", "--select", "fn12", "--screenshot", "out.png"],
    ["open", "some/folder", "--select", "fn12", "--screenshot", "out.png"],
    ["--select", "fn12", "some/folder", "--screenshot", "out.png"],
])
def test_the_window_is_the_default_command(monkeypatch, argv):
    seen = []
    monkeypatch.setitem(SUBCOMMANDS, "open", lambda args: seen.append(args) or 0)
    assert main(argv) == 0
    (args,) = seen
    assert (args.corpus, args.select, args.screenshot) == (Path("some/folder"), "fn12", Path("out.png"))


def test_no_arguments_open_the_default_corpus(monkeypatch):
    seen = []
    monkeypatch.setitem(SUBCOMMANDS, "open", lambda args: seen.append(args) or 0)
    assert main([]) == 0
    assert (seen[0].corpus, seen[0].select, seen[0].screenshot) == (None, None, None)


@pytest.mark.parametrize("bad", ["fn²", "fn" + "9" * 5000, "fn12\n", "<b>x</b>", "", "a" * 129, "IBID:" + "x" * 300])
def test_select_refuses_what_is_not_an_id(monkeypatch, capsys, bad):
    monkeypatch.setitem(SUBCOMMANDS, "open", lambda args: pytest.fail("the window must not open"))
    with pytest.raises(SystemExit) as done:
        main(["--select", bad, "--screenshot", "x.png"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "--select: not an id" in err
    assert len(err) < 1000  # a 5,000-character argument is not echoed whole


@pytest.mark.parametrize("good", ["fn12", "12", "n3", "ev-january", "doc.1_a", "IBID_INTENT:23", "IBID_INTENT"])
def test_select_accepts_ids_footnotes_and_findings(good):
    from explorer.cli import select_id

    assert select_id(good) == good


def test_check_and_audit_never_import_the_window(tiny_corpus_dir):
    code = ("import sys; from explorer.cli import main; "
            f"codes = [main(['check', {str(tiny_corpus_dir)!r}]), main(['audit', {str(tiny_corpus_dir)!r}])]; "
            "assert codes == [0, 0], codes; "
            "assert not [m for m in sys.modules if m.startswith(('PySide6', 'explorer.ui'))], 'GUI imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr


def test_self_test_takes_no_other_arguments(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--self-test", "check"])
    assert done.value.code == 2
    assert "--self-test takes no other arguments" in capsys.readouterr().err


def test_check_a_word_document_says_what_it_is(tmp_path, capsys):
    import zipfile

    docx = tmp_path / "essay.docx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert main(["check", str(docx)]) == 1
    err = capsys.readouterr().err
    assert "this is a Word document, not a corpus folder" in err and "explorer import" in err
    assert main(["check", "--json", str(docx)]) == 1
    (problem,) = json.loads(capsys.readouterr().out)["errors"]
    assert "Word document" in problem["message"]


def test_check_shows_where_a_long_quote_stops_matching(make_corpus, capsys):
    from tests.support.corpora import TINY_ESSAY, TINY_FILES

    long = "In March 1949 Kim asked Stalin, " + "again and again, " * 6 + "for leave to attack."
    essay = TINY_ESSAY.replace("In March 1949 Kim asked Stalin for leave to attack.", long)
    wrong = long.replace("for leave", "for permission")
    events = TINY_FILES["events.yaml"].replace(
        'quote: "In March 1949 Kim asked Stalin for leave to attack."', f'quote: "{wrong}"')
    path = make_corpus({"events.yaml": events}, essay=essay)
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert "the quote is not a verbatim part of passage p01" in err
    assert "then has “permission to attack.”" in err and "where the text has “leave to attack." in err
