"""Start a corpus folder from an essay file, so any footnoted essay can be opened."""

from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import yaml

from explorer.core.drafting import draft_records, write_drafts
from explorer.core.errors import CorpusError
from explorer.core.essay import Essay
from explorer.core.essay_import import read_essay_file
from explorer.core.loader import MANIFEST


def _corpus_id(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")
    return cleaned[:60] or "essay"


def create_corpus(essay_path: Path, folder: Path, corpus_id: str | None = None, title: str | None = None,
                  author: str | None = None, year: int | None = None, language: str = "en") -> Essay:
    """Import *essay_path* (Tika/POI text) into a new corpus *folder*, with drafted records.

    The essay is read first, so a broken file is refused before anything is
    written; an existing corpus is never overwritten.
    """
    essay = read_essay_file(essay_path)
    if (folder / MANIFEST).exists():
        raise CorpusError.single(str(folder / MANIFEST), None, "a corpus already exists here; nothing was changed")
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(essay_path, folder / "essay.txt")
    write_drafts(folder, draft_records(essay))  # documents, sources, people and events, marked as drafts
    manifest = {
        "id": corpus_id or _corpus_id(folder.name),
        "title": title,
        "title_note": None if title else "No title was given when the essay was imported.",
        "author": author,
        "year": year,
        "language": language,
        "source": "essay.txt",
        "format": "tika-text",
    }
    (folder / MANIFEST).write_text(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return essay
