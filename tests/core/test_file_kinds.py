"""A file given where a corpus folder belongs: say what it is and how to open it (10.11)."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from explorer.core.errors import CorpusError
from explorer.core.file_kinds import file_kind, not_a_folder_reason
from explorer.core.loader import load_corpus
from tests.support.corpora import TINY_ESSAY


def _zip(path: Path, members: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return path


def test_kinds_are_read_from_the_content_not_the_name(tmp_path):
    made = {
        "word": _zip(tmp_path / "essay.zip", {"[Content_Types].xml": "<x/>", "word/document.xml": "<w/>"}),
        "odt": _zip(tmp_path / "essay.bin", {"mimetype": "application/vnd.oasis.opendocument.text"}),
        "zipped corpus": _zip(tmp_path / "c.zip", {"korea/corpus.yaml": "id: k\n"}),
        "zip": _zip(tmp_path / "other.docx", {"a.txt": "a"}),
        "damaged zip": tmp_path / "broken.docx",
        "pdf": tmp_path / "essay.docx.pdf",
        "doc": tmp_path / "old.doc",
        "rtf": tmp_path / "essay.rtf",
        "essay text": tmp_path / "essay.docx",  # named .docx, but Tika text inside
        "manifest": tmp_path / "corpus.yaml",
        "text": tmp_path / "notes.txt",
        "empty": tmp_path / "empty",
        "binary": tmp_path / "blob",
    }
    made["damaged zip"].write_bytes(b"PK\x03\x04 not really")
    made["pdf"].write_bytes(b"%PDF-1.7\n")
    made["doc"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    made["rtf"].write_bytes(b"{\\rtf1\\ansi hello}")
    made["essay text"].write_text(TINY_ESSAY, encoding="utf-8")
    made["manifest"].write_text("id: x\n", encoding="utf-8")
    made["text"].write_text("Just some notes, été.\n", encoding="utf-8")
    made["empty"].write_bytes(b"")
    made["binary"].write_bytes(bytes(range(256)) * 4)
    assert {kind: file_kind(path) for kind, path in made.items()} == {kind: kind for kind in made}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_pipe_is_named_not_opened(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    assert file_kind(pipe) == "special"  # opening it would wait for a writer forever
    assert "not a file or a folder" in not_a_folder_reason(pipe)


def test_a_word_document_says_how_to_open_it(tmp_path):
    docx = _zip(tmp_path / "my essay.docx", {"word/document.xml": "<w/>"})
    with pytest.raises(CorpusError) as raised:
        load_corpus(docx)
    (problem,) = raised.value.problems
    assert problem.file == str(docx) and problem.line is None
    assert problem.message.startswith("this is a Word document, not a corpus folder")
    assert "open it in the window with explorer 'my essay.docx'" in problem.message  # quoted for the shell
    assert "explorer import 'my essay.docx' NEW-FOLDER" in problem.message
    assert "is not a folder" not in problem.message


def test_an_essay_text_file_goes_straight_to_import(tmp_path):
    essay = tmp_path / "essay.txt"
    essay.write_text(TINY_ESSAY, encoding="utf-8")
    reason = not_a_folder_reason(essay)
    assert "essay's text" in reason and "explorer import essay.txt NEW-FOLDER" in reason
    assert "explorer essay.txt" in reason
    assert "Tika (" not in reason  # it is already text: no extraction step


def test_the_manifest_points_at_its_folder(tiny_corpus_dir):
    reason = not_a_folder_reason(tiny_corpus_dir / "corpus.yaml")
    assert f"explorer {tiny_corpus_dir}" in reason
