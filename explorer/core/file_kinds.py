"""What a file given where a corpus folder belongs is, and how to open it instead.

People drag the essay itself onto ``explorer`` (a Word document, its text, a
zip they were sent): "the corpus folder is not a folder" leaves them stuck.
:func:`not_a_folder_reason` names the file's kind, read from its first bytes
and, for a zip, its member names (never the extension alone), and says the
next step. Only regular files are read: a pipe or a device is named, not
opened, so this never blocks.
"""

from __future__ import annotations

import os
import shlex
import stat
import zipfile
from pathlib import Path

#: How much of a file is read to tell its kind.
SNIFF_BYTES = 4096
#: The text-extraction step the import needs today.
_TIKA = "java -jar tika-app.jar --text ESSAY.docx > essay.txt"


def _import_steps(text_file: str) -> str:
    return f"start a corpus from it with explorer import {shlex.quote(text_file)} NEW-FOLDER and open NEW-FOLDER"


def _open_steps(path: Path) -> str:
    name = shlex.quote(path.name)
    return (f"open it in the window with explorer {name} (File > Open… does the same), which imports it into "
            f"a corpus of its own; or {_import_steps(path.name)}")


def _zip_kind(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            mimetype = archive.read("mimetype")[:100] if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        return "damaged zip"
    if "word/document.xml" in names:
        return "word"
    if b"opendocument.text" in mimetype:
        return "odt"
    if any(name.rsplit("/", 1)[-1] == "corpus.yaml" for name in names):
        return "zipped corpus"
    return "zip"


def file_kind(path: Path) -> str:
    """A short name for what *path* holds: ``"word"``, ``"odt"``, ``"zip"``, ``"zipped corpus"``,
    ``"damaged zip"``, ``"pdf"``, ``"doc"``, ``"rtf"``, ``"essay text"``, ``"manifest"``, ``"yaml"``, ``"markdown"``,
    ``"text"``, ``"empty"``, ``"special"`` (a pipe, a device, a socket) or ``"binary"``."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return "special"
    if not stat.S_ISREG(mode):
        return "special"
    try:
        with open(path, "rb") as stream:
            head = stream.read(SNIFF_BYTES)
    except OSError:
        return "special"
    if not head:
        return "empty"
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path)
    if head.startswith(b"%PDF"):
        return "pdf"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not merely a character cut at the end of the sniffed bytes
            return "binary"
        text = head[: exc.start].decode("utf-8-sig")
    if "\x00" in text:
        return "binary"
    if "[footnoteRef:" in text:
        return "essay text"
    suffix = path.suffix.lower()
    if path.name == "corpus.yaml":
        return "manifest"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix in (".md", ".markdown"):
        return "markdown"
    return "text"


def not_a_folder_reason(path: Path) -> str:
    """Why *path*, an existing file, cannot be opened as a corpus, and what to do instead."""
    kind = file_kind(path)
    name = path.name
    extract = f"extract its text with Apache Tika ({_TIKA.replace('ESSAY.docx', shlex.quote(name))}); "
    reasons = {
        "word": f"this is a Word document, not a corpus folder: {_open_steps(path)}",
        "odt": f"this is an OpenDocument text, not a corpus folder: {_open_steps(path)}",
        "doc": f"this is an old-style Word document (.doc), not a corpus folder: {extract}"
               f"{_import_steps('essay.txt')}",
        "rtf": f"this is an RTF document, not a corpus folder: {extract}{_import_steps('essay.txt')}",
        "pdf": "this is a PDF, not a corpus folder: the explorer reads an essay from its Word document "
               f"(extracted to text with Apache Tika), not from a PDF; {_import_steps('essay.txt')}",
        "essay text": f"this is an essay's text (Tika/POI format), not a corpus folder: {_open_steps(path)}",
        "markdown": f"this is a Markdown file, not a corpus folder: if it is the essay (notes as [^1]), "
                    f"{_open_steps(path)}",
        "zipped corpus": "this is a zip holding a corpus, not a corpus folder: unzip it and open the folder that "
                         "holds corpus.yaml",
        "zip": "this is a zip file, not a corpus folder: unzip it and open the folder inside that holds corpus.yaml",
        "damaged zip": "this is a damaged zip file, not a corpus folder",
        "manifest": f"this is a corpus's manifest, not its folder: open the folder that holds it "
                    f"(explorer {shlex.quote(os.fspath(path.parent))})",
        "yaml": "this is a YAML file, not a corpus folder: open the folder that holds corpus.yaml",
        "text": f"this is a text file, not a corpus folder: if it is an essay's text, {_open_steps(path)}",
        "empty": "this is an empty file, not a corpus folder",
        "special": "this is not a file or a folder (a pipe, a device or a socket), not a corpus folder",
        "binary": "this is a file the explorer cannot read, not a corpus folder: open the folder that holds "
                  "corpus.yaml",
    }
    return reasons[kind]
