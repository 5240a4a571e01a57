"""Reading an untrusted zip package and its XML parts with bounded cost.

A .docx or .odt is a zip of XML parts, and either can be hostile: a zip bomb
(a few KB that inflate to gigabytes), millions of entries, an XML part with a
DTD whose entities expand to gigabytes (billion laughs) or fetch a URL. So:

* the whole file is read into memory once (at most :data:`MAX_PACKAGE_BYTES`)
  and the zip is read from there;
* the central directory is checked before anything is inflated: at most
  :data:`MAX_ENTRIES` entries, at most :data:`MAX_TOTAL_BYTES` uncompressed
  in all (as declared), and a part that is read may declare at most
  :data:`MAX_PART_BYTES` and a compression ratio of at most :data:`MAX_RATIO`;
* only the parts a reader asks for are ever inflated (images, embedded objects
  and macros never are), and inflating stops at the declared size;
* XML is parsed by the standard library's expat through defusedxml with any
  DTD refused: no entity is declared, so none is expanded, and nothing is
  ever fetched.

Real books pass: a document part of tens of MB compresses ~5-15x.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from explorer.core.errors import CorpusError

#: Largest package read, in bytes (a book with its pictures; the pictures are never inflated).
MAX_PACKAGE_BYTES = 256 * 1024 * 1024
#: Most entries in the zip (a document has tens; one with many pictures, hundreds).
MAX_ENTRIES = 10_000
#: Most bytes all entries may declare, uncompressed (never inflated all: a bound on a lying directory).
MAX_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
#: Largest XML part inflated (a book's document part is tens of MB).
MAX_PART_BYTES = 256 * 1024 * 1024
#: Highest compression ratio accepted for a part over :data:`RATIO_FLOOR` bytes. XML compresses
#: 5-20x, very repetitive XML up to ~100x; deflate cannot pass ~1,030x, and bombs sit near that.
MAX_RATIO = 300
RATIO_FLOOR = 1024 * 1024

_CHUNK = 1024 * 1024


class Package:
    """A zip package held in memory; parts are inflated only when asked for."""

    def __init__(self, data: bytes, source: str) -> None:
        self.source = source
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, ValueError, OSError, EOFError, IndexError) as exc:
            raise CorpusError.single(
                source, None, f"the file is a damaged or truncated zip, so cannot be read ({exc})"
            ) from exc
        if len(infos) > MAX_ENTRIES:
            raise CorpusError.single(source, None, f"the zip has {len(infos):,} entries; "
                                     f"more than {MAX_ENTRIES:,} are refused (a zip bomb?)")
        total = sum(i.file_size for i in infos)
        if total > MAX_TOTAL_BYTES:
            raise CorpusError.single(source, None, f"the zip's entries would inflate to {total:,} bytes; "
                                     f"more than {MAX_TOTAL_BYTES:,} are refused (a zip bomb?)")
        # The first entry of a name wins, as in most readers; a second copy is never read.
        self._infos: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            self._infos.setdefault(info.filename, info)
        self.encrypted = any(i.flag_bits & 0x1 for i in infos)

    def names(self) -> list[str]:
        return list(self._infos)

    def __contains__(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str) -> bytes:
        """The inflated bytes of part *name*, within the limits."""
        info = self._infos.get(name)
        if info is None:
            raise CorpusError.single(self.source, None, "the package has no such part", key=name)
        if info.flag_bits & 0x1:
            raise CorpusError.single(self.source, None, "the part is password-protected (encrypted); "
                                     "save the document without a password and import it again", key=name)
        if info.file_size > MAX_PART_BYTES:
            raise CorpusError.single(self.source, None, f"the part declares {info.file_size:,} bytes; "
                                     f"parts over {MAX_PART_BYTES:,} are refused", key=name)
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(1, info.compress_size):
            ratio = info.file_size // max(1, info.compress_size)
            raise CorpusError.single(self.source, None, f"the part is compressed {ratio:,} to 1; "
                                     f"over {MAX_RATIO} to 1 is refused (a zip bomb?)", key=name)
        chunks: list[bytes] = []
        size = 0
        try:
            with self._zip.open(info) as part:
                while chunk := part.read(_CHUNK):
                    size += len(chunk)
                    if size > info.file_size:  # the directory lied: never inflate past what it declared
                        raise CorpusError.single(self.source, None, "the part inflates past its declared "
                                                 "size; the zip is damaged or hostile", key=name)
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError,
                NotImplementedError, RuntimeError) as exc:  # a damaged stream, an unknown compression
            raise CorpusError.single(self.source, None, f"the part cannot be read: {exc}", key=name) from exc
        return b"".join(chunks)

    def xml(self, name: str) -> Element:
        """Part *name* parsed as XML, refusing any DTD (so no entity expansion, nothing fetched)."""
        return parse_xml(self.read(name), self.source, name)


def parse_xml(data: bytes, source: str, part: str) -> Element:
    """*data* parsed with no DTD, no entities and no network; errors name *part* and the line."""
    try:
        root: Element = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except ParseError as exc:
        line, column = getattr(exc, "position", (None, None))
        reason = str(exc).split(":", 1)[0]
        raise CorpusError.single(source, line, f"the XML is not well-formed: {reason}", key=part,
                                 column=None if column is None else column + 1) from exc
    except DefusedXmlException as exc:
        raise CorpusError.single(source, None, "the XML declares a DTD or entities, which documents "
                                 "never need; refused as possibly hostile", key=part) from exc
    return root
