"""A book-scale corpus: the default corpus with its essay repeated, notes renumbered.

The default essay has 26 notes in 26 paragraphs; repeated 60 times it is a
monograph of 1,560 notes and about 1,500 paragraphs, the size issue 17 asks
the essay pane, the import, the check and the audit to handle. The records
(events, documents, people ...) are the default corpus's own, so events keep
pointing at the first copy's passages and every repeat's notes cite the same
archives: a corpus that loads and audits like the real one, only longer.

    python tools/book_corpus.py FOLDER [--times 60]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO / "data" / "korea-1950"

_BOOKMARK = "[bookmark: _GoBack]"
_CLOSING = "\n\nNote: "  # the closing editorial note, kept once at the end
#: A note's reference in the text, or the start of its own text: "[footnoteRef:12]", "[12: ".
_NUMBERED = re.compile(r"\[footnoteRef:(\d+)\]|\[(\d+):")


def repeated_essay(text: str, times: int) -> str:
    """The Tika-text essay *text* with its body *times* over, the notes of each copy numbered on."""
    body, closing = text, ""
    if _CLOSING in text:
        cut = text.rindex(_CLOSING)
        body, closing = text[:cut], text[cut:]
    body = body.replace(_BOOKMARK, "")
    notes = len(set(re.findall(r"\[footnoteRef:(\d+)\]", body)))

    def renumber(copy: int) -> str:
        def shift(found: re.Match[str]) -> str:
            if found.group(1):
                return f"[footnoteRef:{int(found.group(1)) + copy * notes}]"
            return f"[{int(found.group(2)) + copy * notes}:"

        return _NUMBERED.sub(shift, body.strip("\n"))

    return _BOOKMARK + "\n\n".join(renumber(copy) for copy in range(times)) + closing


def book_corpus(folder: Path | str, times: int = 60, source: Path = DEFAULT_CORPUS) -> Path:
    """Write the corpus *source* with its essay repeated *times* to *folder* (replaced if it exists).

    Passage ids are numbered to the width of the count ("p02" becomes "p0002" past 999
    paragraphs): the records' references to them are renumbered to match."""
    sys.path.insert(0, str(REPO))
    from explorer.core.essay_import import parse_tika_text

    folder = Path(folder)
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(source, folder)
    essay = folder / "essay.txt"
    text = repeated_essay(essay.read_text(encoding="utf-8"), times)
    essay.write_text(text, encoding="utf-8")
    width = len(parse_tika_text(text)[0].passages[0].id) - 1
    for records in folder.glob("*.yaml"):
        old = records.read_text(encoding="utf-8")
        new = re.sub(r"(passage: )p(\d+)\b", lambda m: f"{m.group(1)}p{int(m.group(2)):0{width}d}", old)
        if new != old:
            records.write_text(new, encoding="utf-8")
    return folder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--times", type=int, default=60)
    args = parser.parse_args(argv)
    book_corpus(args.folder, args.times)
    print(f"{args.folder}: the default essay {args.times} times")
    return 0


if __name__ == "__main__":
    sys.exit(main())
