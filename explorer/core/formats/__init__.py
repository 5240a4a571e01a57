"""Essay readers: one module per format, one entry point, one essay model.

:func:`read_essay` reads a file as the format :func:`detect_format` finds in
its content (zip members, magic bytes; the extension only breaks a tie
between the two plain-text formats), or as the *format* a caller forces.
Formats: ``docx`` (Word, .docx/.docm), ``odt`` (OpenDocument text),
``markdown`` (with ``[^label]`` footnotes) and ``tika-text`` (Apache Tika /
POI's text of a .docx). Files that are none of these (an old binary .doc, a
PDF, an encrypted document, a truncated zip, an empty file) are refused with
one line saying what they are.
"""

from __future__ import annotations

import stat
from pathlib import Path

from explorer.core.errors import CorpusError
from explorer.core.essay import Essay
from explorer.core.formats.zipsafe import MAX_PACKAGE_BYTES, Package
from explorer.core.textfile import decode_text, read_bytes_limited

DOCX = "docx"
ODT = "odt"
MARKDOWN = "markdown"
TIKA_TEXT = "tika-text"
#: Every format, as ``--format`` and corpus.yaml's ``format:`` name them.
FORMATS = (TIKA_TEXT, DOCX, ODT, MARKDOWN)
#: The usual file extension of each, for the copy kept in a corpus folder.
EXTENSIONS = {TIKA_TEXT: ".txt", DOCX: ".docx", ODT: ".odt", MARKDOWN: ".md"}

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2 compound file: old .doc, or an encrypted .docx
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_SNIFF_BYTES = 1 << 20
_MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".text")


def read_essay(path: Path, format: str | None = None) -> Essay:
    """Read the essay in *path*, as *format* or as its content shows.

    Raises :class:`CorpusError` with one clear problem for a file that is not
    an essay in a known format, and every problem found in one that is.
    """
    if format is not None and format not in FORMATS:
        raise CorpusError.single(str(path), None, f"unknown essay format '{format}' "
                                 f"(known: {', '.join(FORMATS)})")
    if format == TIKA_TEXT:  # today's reader, with its own size limit and messages
        from explorer.core.essay_import import read_essay_file

        return read_essay_file(path)
    data = read_bytes_limited(path, MAX_PACKAGE_BYTES, "essays")
    return read_essay_bytes(data, str(path), format)


def read_essay_bytes(data: bytes, source: str, format: str | None = None) -> Essay:
    """:func:`read_essay` on bytes already read; *source* names them in errors."""
    found, package = _sniff_package(data, source)
    if format is None:
        format = found
    elif (found in (DOCX, ODT) and format != found) or (format in (DOCX, ODT) and found != format):
        raise CorpusError.single(source, None, f"the format '{format}' was asked for, but the file is {_what(found)}")
    if format in (DOCX, ODT):
        package = package or Package(data, source)
        if format == DOCX:
            from explorer.core.formats.docx import read_docx

            return read_docx(package)
        from explorer.core.formats.odt import read_odt

        return read_odt(package)
    from explorer.core.essay_import import MAX_ESSAY_BYTES

    if len(data) > MAX_ESSAY_BYTES:
        raise CorpusError.single(source, None, f"the file is {len(data):,} bytes; text essays over "
                                 f"{MAX_ESSAY_BYTES:,} bytes are refused")
    text = decode_text(data, source, "an essay")
    if format == MARKDOWN:
        from explorer.core.formats.markdown import read_markdown

        return read_markdown(text, source)
    from explorer.core.formats.tika import read_tika_text

    return read_tika_text(text, source)


def detect_format(path: Path) -> str:
    """The format of the essay in *path*, from its content; :class:`CorpusError` if it is none.

    Text is judged by its first MiB; a zip is opened (its directory only) to
    tell a Word document from an OpenDocument one.
    """
    name = str(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise CorpusError.single(name, None, "not a regular file (a folder, device or pipe); cannot read it")
        with path.open("rb") as file:
            head = file.read(_SNIFF_BYTES)
    except OSError as exc:
        raise CorpusError.single(name, None, f"cannot read the file: {exc.strerror or exc}") from exc
    if head.startswith(_ZIP):
        return _sniff(read_bytes_limited(path, MAX_PACKAGE_BYTES, "essays"), name)
    from explorer.core.essay_import import MAX_ESSAY_BYTES

    if info.st_size > MAX_ESSAY_BYTES and not head.startswith((_CFB, b"%PDF")):
        raise CorpusError.single(name, None, f"the file is {info.st_size:,} bytes; text essays over "
                                 f"{MAX_ESSAY_BYTES:,} bytes are refused")
    return _sniff(head, name)


def _what(format: str) -> str:
    return {DOCX: "a Word document", ODT: "an OpenDocument text", MARKDOWN: "Markdown",
            TIKA_TEXT: "Tika text"}[format]


def _sniff(data: bytes, source: str) -> str:
    return _sniff_package(data, source)[0]


def _sniff_package(data: bytes, source: str) -> tuple[str, Package | None]:
    """The format of *data*, and the zip package opened to find it (if it is one)."""
    refuse = lambda reason: CorpusError.single(source, None, reason)  # noqa: E731
    if not data.strip():
        raise refuse("the file is empty: the essay has no text" if not data
                     else "the file holds only white space: the essay has no text")
    head = data[:8]
    if head.startswith(_CFB):
        if "EncryptedPackage".encode("utf-16-le") in data[:1 << 20] or b"EncryptedPackage" in data[:1 << 20]:
            raise refuse("the document is password-protected (encrypted); save it without a password "
                         "in Word and import it again")
        raise refuse("this is an old binary Word .doc (or another Office 97-2003 file), which is not read; "
                     "save it as .docx in Word or LibreOffice and import that")
    if head.startswith(b"%PDF"):
        raise refuse("this is a PDF, which is not read (its notes are not marked as notes); "
                     "import the .docx or .odt it was made from")
    if head.startswith(b"{\\rtf"):
        raise refuse("this is an RTF document, which is not read; save it as .docx or .odt and import that")
    if head.startswith(_ZIP):
        package = Package(data, source)
        if package.encrypted:
            raise refuse("the zip is password-protected (encrypted); save the document without a password")
        if "mimetype" in package:
            mimetype = package.read("mimetype").decode("ascii", "replace").strip()
            from explorer.core.formats.odt import TEXT_MIMETYPES

            if mimetype in TEXT_MIMETYPES:
                return ODT, package
            raise refuse(f"this OpenDocument file is '{mimetype}', not a text document (.odt)")
        if "[Content_Types].xml" in package:
            return DOCX, package  # the reader finds the main part and says if it is not Word's
        raise refuse("this is a zip archive but not a Word (.docx) or OpenDocument (.odt) document")
    if head.startswith((b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        raise refuse("the file is binary (a picture or a compressed archive), not an essay")
    sample = data[:_SNIFF_BYTES]
    if b"\x00" in sample:
        raise refuse("the file is binary (it contains NUL bytes), not an essay in a known format")
    if b"[footnoteRef:" in sample or b"[endnoteRef:" in sample:
        return TIKA_TEXT, None
    if b"[^" in sample and (b"\n[^" in sample or sample.startswith(b"[^")):
        return MARKDOWN, None
    return (MARKDOWN if source.lower().endswith(_MARKDOWN_SUFFIXES) else TIKA_TEXT), None
