"""docs/screenshots/report-pdf-note.png: a page of the citation-check report's PDF (the default corpus).

    .venv/bin/python tools/screenshot_report.py [OUT.png]

Two reviewers' marks on note 10's telegrams, in marks files of their own (temporary folders), Bob's
imported into Alice's as `explorer marks import` does: they disagree on two. The PDF is written as
`explorer export --format report-pdf` writes it, and the page with note 10's marks is rendered by
pdftoppm (poppler-utils).
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from explorer.cli import main as explorer
from explorer.core.citations import parse_notes
from explorer.core.loader import load_corpus
from explorer.core.verification import note_targets
from explorer.store.marks import MARKS_FILENAME, MarkStore
from explorer.store.marks_file import export_marks

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "data" / "korea-1950"


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO / "docs" / "screenshots" / "report-pdf-note.png"
    work = Path(tempfile.mkdtemp())
    corpus = load_corpus(CORPUS)
    note10 = next(n for n in parse_notes((f.number, f.text) for f in corpus.essay.footnotes) if n.number == 10)
    alice, bob = work / "alice", work / "bob"
    with MarkStore.open(alice / MARKS_FILENAME) as a, MarkStore.open(bob / MARKS_FILENAME) as b:
        for t in note_targets(note10, corpus)[:2]:
            a.set_mark(corpus.manifest.id, t.key, "verified", "Folios agree with the Bulletin's translation",
                       t.footnote, t.label, reviewer="Alice Reader")
            b.set_mark(corpus.manifest.id, t.key, "disputed", "The catalogue gives Tunkin as sender",
                       t.footnote, t.label, reviewer="Bob Referee")
        export_marks(b, corpus.manifest.id, work / "bob.jsonl")
    os.environ["EXPLORER_DATA_DIR"] = str(alice)
    pdf = work / "report.pdf"
    if explorer(["marks", "import", str(CORPUS), str(work / "bob.jsonl")]) or \
            explorer(["export", str(CORPUS), "--format", "report-pdf", "-o", str(pdf)]):
        return 1
    pages = int(next(line.split()[-1] for line in subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("Pages:")))
    for page in range(1, pages + 1):  # the page with note 10's marks
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True, check=True).stdout
        if "Marks" in text.splitlines() and "Alice Reader" in text and "Catalogue" in text.splitlines():
            subprocess.run(["pdftoppm", "-r", "80", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                            str(pdf), str(out.with_suffix(""))], check=True)
            print(f"saved page {page} of {pages} to {out}")
            return 0
    print("no page with note 10's marks", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
