"""Helpers for the essay-reader tests: read a fixture's bytes as a file would be read."""

from __future__ import annotations

import pytest

from explorer.core.errors import CorpusError
from explorer.core.essay import Essay
from explorer.core.formats import read_essay_bytes


def read(data: bytes | str, name: str = "essay.docx", format: str | None = None) -> Essay:
    return read_essay_bytes(data.encode() if isinstance(data, str) else data, name, format)


def refused(data: bytes | str, name: str = "essay.docx", format: str | None = None) -> CorpusError:
    with pytest.raises(CorpusError) as info:
        read(data, name, format)
    return info.value
