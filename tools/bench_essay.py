"""The essay pane at book scale: scroll, resize and jump to a note, each against the 26-note essay.

Builds the window (offscreen) on the default corpus and on the book-scale
corpus (``tools/book_corpus.py``: the default essay 60 times, 1,560 notes and
1,681 paragraphs), audit done, and times in each, up to painted pixels:

    scroll            the essay scrolled to a random place (scroll bar moved, pane repainted)
    resize (a drag)   the handle beside the essay dragged 8 px a step, to and fro, far into the essay
    jump to note      a random note selected: the essay scrolls to it and marks it, repainted

Each after the document is laid out (Qt lays a long one out in steps between
events, in the first seconds after it is shown).
Prints p50 and p95 of each, the 26-note essay's as the baseline, and the goal
(book scale under 16 ms). A figure to look at, not a timed test.

    QT_QPA_PLATFORM=offscreen python tools/bench_essay.py [--times 60] [--runs 60] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tools"))

GOAL_S = 0.016


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(corpus_dir: Path, runs: int, seed: int = 1950) -> dict[str, list[float]]:
    """Seconds per scroll, resize and jump to a note in a window on *corpus_dir*."""
    from PySide6.QtWidgets import QApplication

    import explorer.ui  # noqa: F401 - the app's PySide6 settings
    from explorer.core.loader import load_corpus
    from explorer.ui.main_window import MainWindow
    from explorer.ui.settings import Settings, open_settings

    app = QApplication.instance() or QApplication(["bench-essay"])
    corpus = load_corpus(corpus_dir)
    settings = Settings(open_settings(Path(tempfile.mkdtemp()) / "explorer.ini"))
    window = MainWindow(corpus, settings, submit=lambda work: work())
    window.resize(1440, 900)
    window.show()
    deadline = time.perf_counter() + 120
    while not window.audit.done and time.perf_counter() < deadline:
        app.processEvents()
    pane, rng = window.passage_pane, random.Random(seed)
    view, bar = pane.view, pane.view.verticalScrollBar()

    def settle() -> None:  # what the event loop does before the next input: layout, then paint
        app.processEvents()
        view.viewport().repaint()

    def laid_out() -> None:  # Qt lays a long document out in steps, between events: let it finish
        doc = view.document()
        while doc.lastBlock().layout().lineCount() == 0 or not view.settled:
            app.processEvents()
        for _ in range(20):
            app.processEvents()

    laid_out()
    times: dict[str, list[float]] = {"scroll": [], "resize (a drag)": [], "jump to note": []}
    for _ in range(runs):
        bar.setSliderPosition(rng.randint(0, bar.maximum()))
        started = time.perf_counter()
        bar.triggerAction(bar.SliderAction.SliderMove)  # as a reader drags the scroll bar
        settle()
        times["scroll"].append(time.perf_counter() - started)
    bar.setSliderPosition(bar.maximum() * 3 // 4)
    bar.triggerAction(bar.SliderAction.SliderMove)
    sizes = [window.splitter.sizes()]
    for i in range(runs):  # the handle between the document and the essay dragged 8 px a step, to and fro
        step = 8 * (i % 10 if (i // 10) % 2 == 0 else 10 - i % 10)
        events, document, essay = sizes[0]
        started = time.perf_counter()
        window.splitter.setSizes([events, document + step, essay - step])
        settle()
        times["resize (a drag)"].append(time.perf_counter() - started)
    laid_out()  # the measure back, and laid out
    numbers = [n.number for n in corpus.essay.footnotes]
    for _ in range(runs):
        number = rng.choice(numbers)
        started = time.perf_counter()
        window.state.select_footnote(number)
        settle()
        times["jump to note"].append(time.perf_counter() - started)
        if not pane.is_in_view(pane.marker_position(number) or 0):
            raise RuntimeError(f"note {number} was not brought into view")
    window.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--times", type=int, default=60, help="how many times the essay is repeated")
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)  # CORPUS RUNS: one window, JSON out
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(Path(args.child[0]), int(args.child[1]))), flush=True)
        os._exit(0)

    import subprocess

    from book_corpus import DEFAULT_CORPUS, book_corpus

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryDirectory(prefix="bench-essay-") as scratch:
        book = book_corpus(Path(scratch) / "book", args.times)
        results = {}
        for label, corpus in (("essay", DEFAULT_CORPUS), ("book", book)):  # each window in its own process
            done = subprocess.run([sys.executable, __file__, "--child", str(corpus), str(args.runs)], env=env,
                                  capture_output=True, text=True, timeout=900, check=False)
            if done.returncode != 0:
                print(done.stdout[-2000:], done.stderr[-3000:], file=sys.stderr)
                return 1
            results[label] = json.loads(done.stdout.strip().splitlines()[-1])
    rows = []
    print(f"the essay pane, {args.runs} of each; baseline: the 26-note essay; book: it {args.times} times\n")
    print(f"{'':14}{'essay p50':>11}{'p95':>9}{'book p50':>11}{'p95':>9}{'× p95':>7}  goal")
    for what in results["book"]:
        base, book_times = results["essay"][what], results["book"][what]
        row = {"figure": what, "essay_p50": statistics.median(base), "essay_p95": _p95(base),
               "book_p50": statistics.median(book_times), "book_p95": _p95(book_times)}
        row["met"] = row["book_p95"] < GOAL_S
        rows.append(row)
        print(f"{what:14}{row['essay_p50'] * 1000:9.1f}ms{row['essay_p95'] * 1000:7.1f}ms"
              f"{row['book_p50'] * 1000:9.1f}ms{row['book_p95'] * 1000:7.1f}ms"
              f"{row['book_p95'] / max(row['essay_p95'], 1e-9):7.1f}  p95 < {GOAL_S * 1000:g} ms "
              f"{'met' if row['met'] else 'MISSED'}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"times": args.times, "runs": args.runs, "rows": rows}, indent=1),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
