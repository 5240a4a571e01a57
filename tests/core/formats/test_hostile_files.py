"""Hostile and wrong files are refused in one clear line: no traceback, no hang, nothing inflated needlessly."""

from __future__ import annotations

import io
import zipfile

import pytest

from explorer.cli import main
from explorer.core.formats import zipsafe
from tests.support.formats import read, refused
from tests.support.ooxml import docx_bytes, note_xml, para, ref, rezip, run

GOOD = docx_bytes(para(run("Text."), ref(1)), note_xml("footnote", 1, "A note."))
CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def one_line(error) -> str:
    assert len(error.problems) == 1
    return str(error.problems[0])


def test_a_zip_bomb_part_is_refused_by_its_ratio():
    bomb = docx_bytes(para(run(" " * (8 * 1024 * 1024)), ref(1)), note_xml("footnote", 1, "N."))
    assert len(bomb) < 100_000
    line = one_line(refused(bomb))
    assert "compressed" in line and "zip bomb" in line and "[word/document.xml]" in line


def test_too_many_entries_are_refused(monkeypatch):
    monkeypatch.setattr(zipsafe, "MAX_ENTRIES", 20)
    data = rezip(GOOD, {f"word/media/image{i}.png": b"" for i in range(30)})
    assert "more than 20 are refused" in one_line(refused(data))


def test_a_directory_declaring_too_many_bytes_is_refused(monkeypatch):
    monkeypatch.setattr(zipsafe, "MAX_TOTAL_BYTES", 10_000)
    data = rezip(GOOD, {"word/media/big.bin": b"\x00" * 20_000})
    assert "would inflate" in one_line(refused(data))


def test_pictures_and_macros_are_never_inflated(monkeypatch):
    inflated: list[str] = []
    real = zipsafe.Package.read
    monkeypatch.setattr(zipsafe.Package, "read", lambda self, name: inflated.append(name) or real(self, name))
    damaged = {"word/media/image1.png": b"not a png", "word/vbaProject.bin": CFB}
    essay = read(rezip(GOOD, damaged), "essay.docm")
    assert essay.footnotes[0].text == "A note."
    assert not {"word/media/image1.png", "word/vbaProject.bin"} & set(inflated)


def test_a_dtd_and_entity_expansion_are_refused():
    laughs = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;'
              '&a;&a;&a;&a;&a;">]><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
              'main"><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>')
    line = one_line(refused(rezip(GOOD, {"word/document.xml": laughs.encode()})))
    assert "DTD" in line and "[word/document.xml]" in line


def test_an_external_entity_is_never_fetched():
    xxe = ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p>'
           "<w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>")
    assert "DTD" in one_line(refused(rezip(GOOD, {"word/document.xml": xxe.encode()})))


def test_malformed_xml_names_the_part_and_line():
    broken = b'<?xml version="1.0"?>\n<w:document xmlns:w="x">\n<w:body><w:p>\n</w:document>'
    line = one_line(refused(rezip(GOOD, {"word/document.xml": broken})))
    assert line.startswith("essay.docx:4:") and "[word/document.xml]" in line and "not well-formed" in line


@pytest.mark.parametrize(("data", "says"), [
    (CFB + "EncryptedPackage".encode("utf-16-le"), "password-protected (encrypted)"),
    (CFB + "WordDocument".encode("utf-16-le"), "old binary Word .doc"),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "this is a PDF"),
    (GOOD[: len(GOOD) // 2], "damaged or truncated zip"),
    (b"", "the file is empty"),
    (b"{\\rtf1\\ansi Text}", "RTF"),
    (docx_bytes(para(run("No notes at all."))), "has no footnotes or endnotes"),
], ids=["encrypted", "doc", "pdf", "truncated", "empty", "rtf", "no-notes"])
def test_each_wrong_file_gets_its_own_message(data, says, tmp_path, capsys):
    assert says in one_line(refused(data))
    essay = tmp_path / "essay.docx"
    essay.write_bytes(data)
    assert main(["import", str(essay), str(tmp_path / "c")]) == 1
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err and len(err.strip().splitlines()) == 2
    assert not (tmp_path / "c").exists()


def test_a_zip_with_encrypted_entries_is_refused():
    data = bytearray(GOOD)
    # set the "encrypted" flag on every entry, local headers and central directory alike
    with zipfile.ZipFile(io.BytesIO(GOOD)) as z:
        offsets = [i.header_offset for i in z.infolist()]
    for offset in offsets:
        data[offset + 6] |= 1
    start = bytes(data).find(b"PK\x01\x02")
    while start >= 0:
        data[start + 8] |= 1
        start = bytes(data).find(b"PK\x01\x02", start + 4)
    assert "password-protected" in one_line(refused(bytes(data)))


def test_an_essay_with_no_notes_in_any_text_format_is_refused():
    assert "no footnotes or endnotes" in one_line(refused("Just a paragraph.\n", "essay.md"))
