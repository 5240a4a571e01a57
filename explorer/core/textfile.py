"""Reading user files as text, with a size limit and errors that say where."""

from __future__ import annotations

import stat
from pathlib import Path

from explorer.core.errors import CorpusError


def read_bytes_limited(path: Path, limit: int, what: str) -> bytes:
    """The bytes of *path*, refusing files over *limit* bytes before reading them.

    Only regular files are read: a pipe or a device (``/dev/zero`` behind a
    symbolic link) reports no size and would block or never end. At most
    *limit* bytes are read even if the file grows after it was measured.
    """
    name = str(path)
    too_big = f"{what} over {limit:,} bytes are refused"
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise CorpusError.single(name, None, "not a regular file (a folder, device or pipe); cannot read it")
        if info.st_size > limit:
            raise CorpusError.single(name, None, f"the file is {info.st_size:,} bytes; {too_big}")
        with path.open("rb") as file:
            data = file.read(limit + 1)
    except OSError as exc:
        raise CorpusError.single(name, None, f"cannot read the file: {exc.strerror or exc}") from exc
    if len(data) > limit:
        raise CorpusError.single(name, None, f"the file grew to over {limit:,} bytes while being read; {too_big}")
    return data


def decode_text(data: bytes, name: str, what: str = "text") -> str:
    """Decode UTF-8 (a BOM is allowed), with line ends made ``\\n``.

    Binary data and bad bytes are errors naming the line and column.
    """
    if b"\x00" in data[:65536]:
        raise CorpusError.single(name, None, f"the file is binary (it contains NUL bytes), not {what}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        # Lines end in "\n", "\r\n" or a lone "\r" (old Mac files), as the text below reads them.
        start = exc.start
        line = data.count(b"\n", 0, start) + data.count(b"\r", 0, start) - data.count(b"\r\n", 0, start) + 1
        column = start - max(data.rfind(b"\n", 0, start), data.rfind(b"\r", 0, start))
        raise CorpusError.single(
            name, line, f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8", column=column
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")
