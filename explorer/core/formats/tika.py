"""Tika/POI plain text (today's format): the reader is :mod:`explorer.core.essay_import`."""

from __future__ import annotations

from explorer.core.essay import Essay
from explorer.core.essay_import import import_tika_text


def read_tika_text(text: str, source: str) -> Essay:
    """The essay in Tika/POI text (already decoded); *source* names it in errors."""
    return import_tika_text(text, source)
