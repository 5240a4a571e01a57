"""Book scale grows linearly: import, check, audit and first paint at 10 and 60 times the essay.

The default essay (26 notes) repeated 10 and 60 times (``tools/book_corpus.py``:
260 and 1,560 notes). For each size, the median of several runs of:

    import        the essay file read into a new corpus folder, records drafted (``explorer import``)
    check         the book corpus loaded and validated from its YAML (``explorer check``)
    audit         every check of the audit over it (``explorer audit``)
    first paint   process start to the window's first painted frame, ``explorer FOLDER`` (warm cache)
    audit after   how long after the first paint the audit's findings are in the window

and the ratio time(60x) / time(10x): linear is 6, the goal at most 7. The
audit runs after the first paint, so it cannot delay it; "audit after" says
how long the reader waits for the findings. A bench: it prints, it asserts nothing.

    QT_QPA_PLATFORM=offscreen python tools/bench_book.py [--runs 5] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tools"))

TIMES = (10, 60)
GOAL_RATIO = 7.0

# A child process times one figure for one corpus and prints JSON: a fresh interpreter for each, so
# that neither size profits from what the other compiled or cached.
CHILD = r"""
import json, sys, time
from pathlib import Path
what, path, scratch = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
if what == "import":
    from explorer.core.corpus_new import create_corpus
    started = time.perf_counter()
    create_corpus(path, scratch / "imported")
elif what == "check":
    from explorer.core.loader import load_corpus
    started = time.perf_counter()
    load_corpus(path)
elif what == "audit":
    from explorer.core.loader import load_corpus
    from explorer.core.audit import run_audit
    corpus = load_corpus(path)
    started = time.perf_counter()
    run_audit(corpus)
print(json.dumps({"seconds": time.perf_counter() - started}))
"""

# The window through the real start path, timed from the parent's clock (CLOCK_MONOTONIC): the first
# painted frame, and the audit's findings arriving. The app's own code, only watched.
WINDOW = r"""
import json, os, sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
app = QApplication(["explorer"])
seen = {}

class Watch(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and type(watched).__name__ == "MainWindow" and "paint" not in seen:
            seen["paint"] = time.monotonic()
            audit = watched.audit
            seen["audit_started_at_paint"] = audit.started

            def done():
                seen["audit"] = time.monotonic()
                print(json.dumps(seen), flush=True)
                os._exit(0)
            audit.finished.connect(done)
        return False

watch = Watch()
app.installEventFilter(watch)
from explorer.cli import main
main(sys.argv[1:])
"""


def _env(scratch: Path) -> dict[str, str]:
    return dict(os.environ, QT_QPA_PLATFORM="offscreen", EXPLORER_DATA_DIR=str(scratch / "data"),
                EXPLORER_CONFIG_DIR=str(scratch / "config"), EXPLORER_CACHE_DIR=str(scratch / "cache"))


def _run(code: str, args: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True,
                          timeout=900, check=False, cwd=REPO)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{args}: exit {done.returncode}\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    return json.loads(lines[-1])


def measure(times: int, runs: int, scratch: Path, env: dict[str, str], window_only: bool = False,
            ) -> dict[str, list[float]]:
    from book_corpus import book_corpus

    from explorer.core.corpus_cache import open_corpus

    folder = book_corpus(scratch / f"book-{times}", times)
    essay = folder / "essay.txt"
    out: dict[str, list[float]] = {"import": [], "check": [], "audit": [], "first paint": [], "audit after": []}
    if window_only:
        out = {"first paint": [], "audit after": []}
    for run in range(0 if window_only else runs):
        target = scratch / f"import-{times}-{run}"
        target.mkdir()
        out["import"].append(_run(CHILD, ["import", str(essay), str(target)], env)["seconds"])
        out["check"].append(_run(CHILD, ["check", str(folder), str(target)], env)["seconds"])
        out["audit"].append(_run(CHILD, ["audit", str(folder), str(target)], env)["seconds"])
    os.environ.update({k: v for k, v in env.items() if k.startswith("EXPLORER_")})
    open_corpus(folder)  # the cache, compiled once: the window opens from it, as on any later start
    command = [str(Path(sys.executable).parent / "explorer"), str(folder)]
    for _ in range(runs):
        started = time.monotonic()
        seen = _run(WINDOW, command[1:], env)
        if seen.get("audit_started_at_paint"):
            raise RuntimeError("the audit had started before the first paint")
        out["first paint"].append(seen["paint"] - started)
        out["audit after"].append(seen["audit"] - seen["paint"])
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--window-only", action="store_true",
                        help="only the window's figures: first paint, audit after")
    args = parser.parse_args(argv)
    import compileall

    compileall.compile_dir(REPO / "explorer", quiet=1)  # start-up times running the code, not compiling it
    results = {}
    with tempfile.TemporaryDirectory(prefix="bench-book-") as scratch:
        env = _env(Path(scratch))
        for times in TIMES:
            print(f"the essay {times} times ({26 * times:,} notes), {args.runs} runs ...", file=sys.stderr, flush=True)
            results[times] = measure(times, args.runs, Path(scratch), env, args.window_only)
    small, large = TIMES
    print(f"\nbook scale: the default essay {small} and {large} times; median of {args.runs} runs\n")
    print(f"{'':14}{f'{small}x':>10}{f'{large}x':>10}{'ratio':>8}  goal")
    rows = []
    for what in results[small]:
        a, b = statistics.median(results[small][what]), statistics.median(results[large][what])
        ratio = b / a if a else float("inf")
        met = ratio <= GOAL_RATIO
        rows.append({"figure": what, "small": a, "large": b, "ratio": ratio, "met": met})
        print(f"{what:14}{a:9.2f}s{b:9.2f}s{ratio:8.1f}  ≤ {GOAL_RATIO:g} {'met' if met else 'MISSED'}")
    print("\nthe audit starts after the first paint (checked in every window run): it never delays it")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"times": TIMES, "runs": args.runs, "rows": rows}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
