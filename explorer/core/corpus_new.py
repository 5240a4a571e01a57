"""Start a corpus folder from an essay file, so any footnoted essay can be opened."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import yaml

from explorer.core.errors import CorpusError
from explorer.core.essay import Essay
from explorer.core.formats import EXTENSIONS, detect_format, read_essay
from explorer.core.loader import MANIFEST


def _corpus_id(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return cleaned[:60] or "essay"


def create_corpus(essay_path: Path, folder: Path, corpus_id: str | None = None, title: str | None = None,
                  author: str | None = None, year: int | None = None, language: str = "en",
                  format: str | None = None) -> Essay:
    """Import *essay_path* (.docx, .odt, Markdown or Tika/POI text) into a new corpus *folder*.

    The format is found from the content unless *format* forces one; the
    original file is kept in the folder as ``essay.EXT`` and named in corpus.yaml.

    The essay is read first, so a broken file is refused before anything is
    written; an existing corpus is never overwritten.
    """
    format = format or detect_format(essay_path)
    essay = read_essay(essay_path, format)
    source = "essay" + EXTENSIONS[format]
    if (folder / MANIFEST).exists():
        raise CorpusError.single(str(folder / MANIFEST), None, "a corpus already exists here; nothing was changed")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(essay_path, folder / source)
    manifest = {
        "id": corpus_id or _corpus_id(folder.name),
        "title": title or essay.title,
        "title_note": None if title or essay.title else "No title was given when the essay was imported.",
        "author": author,
        "year": year,
        "language": language,
        "source": source,
        "format": format,
    }
    (folder / MANIFEST).write_text(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return essay
