"""Search speed on a synthetic corpus (100,000 events by default).

Prints the time to build the FTS5 index, to open it again, the p50/p95/max
of one- to three-word queries, of the commonest words (capped by the limit
and by snippets made only for the hits shown), of filtered queries, and of an
in-place update of one record. Targets (issue 15): build under 15 s; one- to
three-word queries p95 under 50 ms. Exits 1 when a target is missed. A figure
to look at, not a timed test.

    python tools/bench_search.py [--events 100000] [--corpus FOLDER] [--queries 300]
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from explorer.core.corpus_cache import load_corpus_cached
from explorer.core.search import SearchIndex
from tools.synthetic import _FAMILY, _GIVEN, _WORDS, generate_corpus

BUILD_TARGET = 15.0
QUERY_P95_TARGET = 0.050


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def figures(label: str, times: list[float]) -> float:
    times = sorted(times)
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"  {label:<34} p50 {statistics.median(times) * 1000:6.1f} ms   p95 {p95 * 1000:6.1f} ms   "
          f"max {times[-1] * 1000:6.1f} ms   ({len(times)} queries)")
    return p95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--corpus", type=Path, help="an existing corpus folder (default: generate one)")
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-search-"))
    root = args.corpus or generate_corpus(work / "corpus", args.events).path
    corpus = load_corpus_cached(root, work / "cache")
    counts = corpus.counts()
    print(f"corpus: {counts['events']:,} events, {counts['documents']:,} documents, "
          f"{len(corpus.essay.passages):,} passages, {len(corpus.essay.footnotes):,} notes")

    build, index = timed(lambda: SearchIndex.open(corpus, work / "cache"))
    rows = index._conn.execute("SELECT count(*) FROM items").fetchone()[0]
    size = index.path.stat().st_size / 1e6 if index.path else 0
    print(f"  build                              {build:6.2f} s   ({rows:,} rows, {size:.0f} MB; "
          f"target < {BUILD_TARGET:.0f} s)")
    index.close()
    reopen, index = timed(lambda: SearchIndex.open(corpus, work / "cache"))
    print(f"  open again ({index.outcome})                  {reopen * 1000:6.1f} ms")

    rng = random.Random(7)
    vocabulary = [*_WORDS, *_GIVEN, *_FAMILY, "Stalin", "Moscow", "offens*", "tele*"]
    plain = []
    for _ in range(args.queries):
        words = rng.sample(vocabulary, rng.randint(1, 3))
        query = " ".join(words)
        plain.append(timed(lambda q=query: index.search(q))[0])
    p95 = figures("1-3 words, 50 hits", plain)
    commonest = ("telegram", "the", "of", "event", "the of and", "t*", "s*")
    common = [timed(lambda q=q: index.search(q))[0] for q in commonest for _ in range(5)]
    figures("commonest words, 50 hits", common)
    filtered = [timed(lambda q=q: index.search(q))[0] for q in (
        "kind:document telegram", "from:1950-05 to:1950-06 conference", "note:20", "person:pe00001",
        "person:pe00003 kind:event from:1950", "\"armistice delegation\"", "kind:event from:1951-01 to:1951-02")
        for _ in range(5)]
    figures("filters and phrases", filtered)

    event = corpus.events[len(corpus.events) // 2]
    edited = dataclasses.replace(corpus, events=tuple(
        dataclasses.replace(e, summary=e.summary + " platypus") if e is event else e for e in corpus.events))
    update, _ = timed(lambda: index.update_records(edited, [event.id], key="bench"))
    assert [h.id for h in index.search("platypus")] == [event.id]
    print(f"  update one record                  {update * 1000:6.1f} ms")
    index.close()
    missed = [name for name, ok in (("build", build < BUILD_TARGET), ("query p95", p95 < QUERY_P95_TARGET)) if not ok]
    print("targets met" if not missed else f"targets missed: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
