"""The limits that bound a hostile file's cost, checked at their size.

A 50 MB essay is under :data:`MAX_ESSAY_BYTES` and must import in bounded
time and memory; so must 50 MB of the shapes that once made the importer
slow (a character, a bracket or a line at a time, or quadratic). Refusals
over the limits are in ``test_bad_inputs``; the README (Limits and safety)
gives the numbers measured here.

The bounds are on CPU seconds (``time.process_time``), not the wall clock: a
quadratic reader fails them on any machine, while a loaded one (a parallel
test run, a busy CI host) slows the wall clock and not the work.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from explorer.core.errors import MAX_PROBLEMS, CorpusError
from explorer.core.essay_import import MAX_NOTES, MAX_PARAGRAPHS, import_tika_text
from explorer.core.yaml_source import parse_yaml_bytes
from tests.support.corpora import REPO

MB = 1_000_000

def _book(size: int) -> tuple[str, int]:
    """A book-sized essay of ordinary paragraphs (about 1 KB, one note each,
    bookmarks and bracketed asides), and its number of paragraphs."""
    sentence = ("On 30 January 1950 Stalin told Shtykov that he was ready to help Kim in this matter, "
                "and that a matter so large needed preparation [sic]. ")
    parts, n, total = [], 0, 0
    while total < size:
        n += 1
        para = (f"\t[bookmark: _Ref{n}]Paragraph {n}. " + sentence * 7 + f"Thus it ended.[footnoteRef:{n}] "
                f"[{n}:  Ciphered telegram {n}, AVPRF, Fond 059a, Opis 5a, Delo 3, Papka 11, List {n % 300} "
                "[hereafter AVPRF].] \n\n")
        parts.append(para)
        total += len(para)
    return "".join(parts), n


# Reads the essay file as the app does, and prints seconds and peak memory (bytes).
IMPORT = textwrap.dedent("""
    import resource, sys, time
    from pathlib import Path
    from explorer.core.essay_import import read_essay_file

    started = time.process_time()
    essay = read_essay_file(Path(sys.argv[1]))
    seconds = time.process_time() - started
    print(seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, len(essay.passages),
          len(essay.footnotes))
""")


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="peak memory is read as Linux reports it")
def test_a_50_mb_essay_imports_in_bounded_time_and_memory(tmp_path: Path) -> None:
    text, paragraphs = _book(50 * MB)
    path = tmp_path / "book.txt"
    path.write_text(text, encoding="utf-8")
    del text
    done = subprocess.run([sys.executable, "-c", IMPORT, str(path)], cwd=REPO, capture_output=True, text=True,
                          timeout=300, check=True)
    seconds, peak, passages, notes = (float(x) for x in done.stdout.split())
    assert path.stat().st_size >= 50 * MB and passages == notes == paragraphs
    # Measured: ~3 s and ~0.5 GB peak for the whole process. Generous for slow
    # CI; the old character-at-a-time loop took minutes on such shapes.
    assert seconds < 30, f"{seconds:.1f} s"
    assert peak < 1.5e9, f"{peak / 1e9:.2f} GB"


def _one_paragraph_of_markers(size: int) -> str:
    count = size // 32
    return "".join(f"word word [footnoteRef:{i}]" for i in range(1, count)) + "\n" + "".join(
        f"[{i}: n]" for i in range(1, count))


# (name, text of about 50 MB, what must come of it)
SHAPES: list[tuple[str, Callable[[], str], str]] = [
    ("brackets", lambda: "a" + "[" * 50 * MB, "ok"),
    ("bracket pairs", lambda: "a" + "[]" * 25 * MB, "ok"),
    ("blank lines", lambda: "a" + "\n" * 50 * MB, "ok"),
    ("one long word", lambda: "x" * 50 * MB, "ok"),
    ("bookmarks never closed", lambda: "a" + "[bookmark:" * 5 * MB, "ok"),
    ("nested brackets in a note", lambda: "a[footnoteRef:1] [1: " + "[" * 10 * MB + "]" * 10 * MB + "]", "ok"),
    ("one paragraph of notes", lambda: _one_paragraph_of_markers(50 * MB), f"over {MAX_NOTES:,} footnotes"),
    ("one-letter paragraphs", lambda: "a\n" * 25 * MB, f"over {MAX_PARAGRAPHS:,} paragraphs"),
    ("one note body repeated", lambda: "a[footnoteRef:1]\n" + "[1: x]\n" * 7 * MB, "problems found; fix these"),
    ("one marker repeated", lambda: "a" + "[footnoteRef:1]" * 3 * MB + "\n[1: x]", "problems found; fix these"),
    ("markers with no bodies", lambda: "".join(f"a[footnoteRef:{i}]\n" for i in range(1, 400_000)),
     "more problems, not listed"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("shape", "make", "outcome"), SHAPES, ids=[s[0] for s in SHAPES])
def test_50_mb_of_a_pathological_shape_is_read_in_seconds(shape: str, make: Callable[[], str], outcome: str) -> None:
    text = make()
    started = time.process_time()
    try:
        import_tika_text(text)
        got = "ok"
    except CorpusError as exc:
        assert len(exc.problems) <= MAX_PROBLEMS + 1
        got = exc.details()
    seconds = time.process_time() - started
    assert outcome in got, got[:300]
    # Measured: each under 3 s; these shapes took minutes to hours before.
    assert seconds < 15, f"{shape}: {seconds:.1f} s"


@pytest.mark.slow
def test_dense_yaml_costs_a_bounded_amount_per_value() -> None:
    """A million values written as densely as YAML allows ("-" lines): the
    per-value cost times MAX_YAML_VALUES is the worst case the docs state."""
    data = b"-\n" * 1_000_000
    started = time.process_time()
    assert len(parse_yaml_bytes(data, "dense.yaml")) == 1_000_000
    seconds = time.process_time() - started
    assert seconds < 15, f"{seconds:.1f} s"  # measured ~5 s, so ~50 s at the 10 million limit
