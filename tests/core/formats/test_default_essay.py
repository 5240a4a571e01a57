"""The default essay, written out as .docx, .odt and Markdown, reads back the same as its Tika text."""

from __future__ import annotations

import json

import pytest

from explorer.cli import main
from explorer.core.essay_import import read_essay_file
from explorer.core.formats import detect_format, read_essay
from explorer.core.loader import load_corpus
from tests.support.corpora import DEFAULT_CORPUS
from tests.support.ooxml import essay_to_docx, essay_to_markdown, essay_to_odt

SEED = read_essay_file(DEFAULT_CORPUS / "essay.txt")
WRITERS = {
    "docx": lambda e: essay_to_docx(e),
    "odt": lambda e: essay_to_odt(e),
    "markdown": lambda e: essay_to_markdown(e).encode(),
}
SUFFIX = {"docx": ".docx", "odt": ".odt", "markdown": ".md"}


@pytest.fixture(params=sorted(WRITERS))
def written(request, tmp_path):
    fmt = request.param
    path = tmp_path / f"written{SUFFIX[fmt]}"
    path.write_bytes(WRITERS[fmt](SEED))
    return fmt, path


def test_same_passages_and_the_same_26_notes(written):
    fmt, path = written
    assert detect_format(path) == fmt
    essay = read_essay(path)
    assert [(p.id, p.kind, p.text, p.markers) for p in essay.passages] == \
        [(p.id, p.kind, p.text, p.markers) for p in SEED.passages]
    assert len(essay.footnotes) == 26
    assert [(f.number, f.text, f.passage_id, f.offset) for f in essay.footnotes] == \
        [(f.number, f.text, f.passage_id, f.offset) for f in SEED.footnotes]


def test_detection_does_not_trust_the_extension(written, tmp_path):
    fmt, path = written
    renamed = tmp_path / "misnamed.txt"
    renamed.write_bytes(path.read_bytes())
    assert detect_format(renamed) == fmt


def test_import_keeps_the_original_and_the_corpus_loads(written, tmp_path, capsys):
    fmt, path = written
    folder = tmp_path / "new"
    assert main(["import", str(path), str(folder)]) == 0
    kept = folder / f"essay{SUFFIX[fmt]}"
    assert kept.read_bytes() == path.read_bytes()
    assert f"format: {fmt}" in (folder / "corpus.yaml").read_text(encoding="utf-8")
    corpus = load_corpus(folder)
    assert len(corpus.essay.footnotes) == 26
    capsys.readouterr()
    assert main(["check", "--json", str(folder)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["footnotes"], data["endnotes"], data["passages"]) == (26, 0, 28)


def test_format_forces_a_reader(tmp_path, capsys):
    path = tmp_path / "essay.md"
    path.write_bytes(WRITERS["markdown"](SEED))
    assert main(["import", "--format", "docx", str(path), str(tmp_path / "c")]) == 1
    assert "the format 'docx' was asked for, but the file is Markdown" in capsys.readouterr().err
    assert not (tmp_path / "c").exists()


def test_endnotes_italics_and_title_survive_import_check_and_the_cache(tmp_path, capsys):
    from explorer.core.corpus_cache import HIT, open_corpus
    from tests.support.ooxml import docx_bytes, note_xml, para, ref, run

    styles = '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>'
    body = (para(run("On Sources"), style="Title")
            + para(run("See "), run("Pravda", italic=True), run("."), ref(1), run(" And."), ref(2, "endnote")))
    path = tmp_path / "e.docx"
    path.write_bytes(docx_bytes(body, note_xml("footnote", 1, "F."), note_xml("endnote", 2, "E."), styles=styles))
    folder = tmp_path / "c"
    assert main(["import", str(path), str(folder)]) == 0
    assert "title: On Sources" in (folder / "corpus.yaml").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["check", "--json", str(folder)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["footnotes"], data["endnotes"]) == (1, 1)
    open_corpus(folder, tmp_path / "cache")
    second = open_corpus(folder, tmp_path / "cache")
    assert second.outcome == HIT
    assert second.corpus.essay.title == "On Sources"
    assert second.corpus.essay.passages == load_corpus(folder).essay.passages
    assert second.corpus.essay.passages[1].italics == ((4, 10),)
    assert [(f.kind, f.label) for f in second.corpus.essay.footnotes] == [("footnote", None), ("endnote", "i")]
