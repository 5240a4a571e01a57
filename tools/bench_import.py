"""Essay reader speed: a generated .docx of ~1,500 notes and ~1,700 paragraphs.

Prints the time to read it (best of several runs), the time merely to unzip
and parse its XML parts with the same XML library (defusedxml over expat),
their ratio, and the whole import as `explorer import` does it (read, parse
the notes, draft the records, write the corpus folder). Targets (issue 12):
the whole import under 1.5 s; the reading part (what is done past parsing:
walking the trees and building the essay) at most 2x the parsing alone. Exits 1 when a target is missed. A figure to
look at, not a timed test.

    python tools/bench_import.py [--notes 1500] [--paragraphs 1700] [--runs 5]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from explorer.core.corpus_new import create_corpus
from explorer.core.formats import read_essay_bytes
from explorer.core.formats.zipsafe import Package
from tests.support.ooxml import docx_bytes, note_xml, para, ref, run

SENTENCE = ("Kim Il Sung asked Stalin again in January 1950 for permission to attack the South, "
            "and this time the answer was different. ")


def generate(notes: int, paragraphs: int) -> bytes:
    body = []
    per = max(1, notes // paragraphs + 1)
    made = 0
    for _i in range(paragraphs):
        runs = [run(SENTENCE), run("Pravda", italic=True), run(" reported it. ")]
        for _ in range(per):
            if made < notes:
                made += 1
                runs += [run(SENTENCE), ref(made)]
        body.append(para(*runs))
    footnotes = "".join(note_xml("footnote", n, f"AVPRF, fond 059a, opis 5a, delo {n}, papka 11, listy 1-{n}.")
                        for n in range(1, notes + 1))
    return docx_bytes("".join(body), footnotes)


def best(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=1500)
    parser.add_argument("--paragraphs", type=int, default=1700)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data = generate(args.notes, args.paragraphs)
    essay = read_essay_bytes(data, "bench.docx")
    assert len(essay.footnotes) == args.notes, len(essay.footnotes)

    def parse_only() -> None:
        package = Package(data, "bench.docx")
        for name in package.names():
            if name.endswith((".xml", ".rels")):
                package.xml(name)

    read_s = best(lambda: read_essay_bytes(data, "bench.docx"), args.runs)
    parse_s = best(parse_only, args.runs)
    print(f"docx: {len(data):,} bytes zipped, {len(essay.passages):,} paragraphs, {len(essay.footnotes):,} notes")
    print(f"read (detect, unzip, parse, walk, build): {read_s * 1000:8.1f} ms   target < 1000 ms")
    print(f"unzip and parse the XML parts alone:      {parse_s * 1000:8.1f} ms")
    walk_s = max(0.0, read_s - parse_s)
    print(f"reading part (walk and build, read - parse): {walk_s * 1000:5.1f} ms")
    print(f"ratio reading part / parse:               {walk_s / parse_s:8.2f}      target <= 2.0")
    print(f"ratio whole read / parse:                 {read_s / parse_s:8.2f}")
    with tempfile.TemporaryDirectory(prefix="bench-import-") as scratch:
        source = Path(scratch) / "bench.docx"
        source.write_bytes(data)
        made = iter(range(args.runs + 1))

        def import_whole() -> None:
            folder = Path(scratch) / f"corpus-{next(made)}"
            done = create_corpus(source, folder)
            assert len(done.essay.footnotes) == args.notes
            shutil.rmtree(folder)

        import_s = best(import_whole, args.runs)
    print(f"whole import (read, notes, drafts, write): {import_s * 1000:6.1f} ms   target < 1500 ms")
    return 0 if import_s < 1.5 and walk_s <= 2 * parse_s else 1


if __name__ == "__main__":
    raise SystemExit(main())
