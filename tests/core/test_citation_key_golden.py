"""Golden keys: every citation of the essay's 26 notes keeps the key it had.

Verification marks are stored under :func:`citation_key`, so a key that moves
silently orphans a reader's marks. ``golden/citation_keys.json`` was written
once by the code before ``explorer/core/citations.py`` became a package; a
change to a key must be deliberate: regenerate with
``python -m tests.core.test_citation_key_golden`` and say why in the commit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from explorer.core.citations import citation_key, parse_notes, work_key
from explorer.core.essay_import import read_essay_file
from tests.support.corpora import DEFAULT_CORPUS

GOLDEN = Path(__file__).parent / "golden" / "citation_keys.json"


def current_keys() -> list[dict[str, Any]]:
    """One row per citation, in essay order: where it is, what it is, and its keys."""
    essay = read_essay_file(DEFAULT_CORPUS / "essay.txt")
    rows = []
    for note in parse_notes((f.number, f.text) for f in essay.footnotes):
        for index, citation in enumerate(note.citations):
            rows.append({
                "note": note.number,
                "index": index,
                "kind": citation.kind,
                "text": citation.text,
                "key": citation_key(citation),
                "work_key": work_key(citation),
            })
    return rows


def test_the_golden_file_covers_all_26_notes() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert {row["note"] for row in golden} == set(range(1, 27))
    assert len({row["key"] for row in golden}) > 40  # keys, not one placeholder repeated


def test_every_citation_key_matches_the_golden_file() -> None:
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    now = current_keys()
    where = [(row["note"], row["index"]) for row in now]
    assert where == [(row["note"], row["index"]) for row in golden], "the notes split into other citations"
    for was, row in zip(golden, now, strict=True):
        assert row == was, f"note {row['note']}, citation {row['index']}"


if __name__ == "__main__":
    GOLDEN.write_text(json.dumps(current_keys(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {GOLDEN}\n")
