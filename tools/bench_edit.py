"""How long a record edit takes to reach the three panes, on a synthetic corpus and on the shipped one.

Generates a corpus (``tools/synthetic.py``, default 10,000 events), opens
the main window on it offscreen at 1600x1000 with an event and its document
shown, and times, from ``edit_session.push`` until the event loop is idle again
(the event list re-sorted, the document card and the essay's marks redrawn,
the status line written): renaming a person in the event, retitling the event,
and redating it (it moves in the list). Baselines from the same run: the same
edits on the shipped 26-note corpus, and one selection change on the large
corpus (select an event and render its card). The audit is not run (it runs
off the GUI thread after an edit). Goal: every edit's median under 50 ms at
10,000 events. The figures are printed, not tested.

    .venv/bin/python tools/bench_edit.py [--events 10000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication

from explorer.core.corpus_edit import SetField
from explorer.core.loader import load_corpus
from explorer.core.locations import default_corpus_dir
from explorer.core.model import Corpus
from explorer.ui.main_window import MainWindow
from explorer.ui.settings import Settings, open_settings
from tools.synthetic import generate_corpus

GOAL_MS = 50.0


def _figures(name: str, ms: list[float]) -> str:
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return (f"{name:<52} median {statistics.median(ms):7.2f} ms  p95 {p95:7.2f} ms  worst {ordered[-1]:7.2f} ms")


def _timed(app: QApplication, step: Callable[[int], None], repeat: int) -> list[float]:
    times = []
    for n in range(repeat):
        started = time.perf_counter()
        step(n)
        app.processEvents()  # the paints and anything else the edit posted
        times.append((time.perf_counter() - started) * 1000)
    return times


def _measure(app: QApplication, corpus: Corpus, settings: Path, repeat: int, label: str) -> dict[str, list[float]]:
    window = MainWindow(corpus, Settings(open_settings(settings)), submit=lambda _work: None)
    window.resize(1600, 1000)
    window.show()
    event = next(e for e in corpus.events[len(corpus.events) // 2:] if e.participants and e.documents)
    person = event.participants[0]
    window.state.select_event(event.id)
    window.document_pane.render_now()
    app.processEvents()
    session = window.edit_session
    started = time.perf_counter()
    for kind in ("events", "people"):
        session.editable.records(kind)
    print(f"{label}: events.yaml and people.yaml read for editing (once, on the first edit) in "
          f"{time.perf_counter() - started:.1f} s")
    dates = ("1950-06-25", "1949-03")
    figures = {
        "rename a person": _timed(app, lambda n: session.push(
            SetField("people", person, "name", f"Person renamed {n}")), repeat),
        "retitle the event": _timed(app, lambda n: session.push(
            SetField("events", event.id, "title", f"Event retitled {n}")), repeat),
        "redate the event (it moves in the list)": _timed(app, lambda n: session.push(
            SetField("events", event.id, "date", dates[n % 2])), repeat),
    }
    assert window.event_list.current_event() == event.id, "the edited event stays selected"
    assert window.state.corpus.person_by_id[person].name == f"Person renamed {repeat - 1}"
    others = [e.id for e in corpus.events[:: max(len(corpus.events) // repeat, 1)]][:repeat]

    def select(n: int) -> None:
        window.state.select_event(others[n % len(others)])
        window.document_pane.render_now()

    figures["baseline: select an event (no edit)"] = _timed(app, select, repeat)
    window.edit_session.mark_saved()  # no question on close
    window.close()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["EXPLORER_DATA_DIR"] = str(Path(tmp) / "data")  # recovery files, never the user's
        os.environ["EXPLORER_CACHE_DIR"] = str(Path(tmp) / "cache")
        import shutil

        small = load_corpus(shutil.copytree(default_corpus_dir(), Path(tmp) / "default"))
        started = time.perf_counter()
        large = load_corpus(generate_corpus(Path(tmp) / "corpus", args.events).path)
        print(f"corpus of {len(large.events):,} events, {len(large.documents):,} documents "
              f"generated and loaded in {time.perf_counter() - started:.1f} s")
        baseline = _measure(app, small, Path(tmp) / "small.ini", args.repeat, "shipped corpus")
        figures = _measure(app, large, Path(tmp) / "large.ini", args.repeat, f"{len(large.events):,} events")
    for name, times in baseline.items():
        print(_figures(f"shipped corpus: {name}", times))
    for name, times in figures.items():
        print(_figures(f"{len(large.events):,} events: {name}", times))
    worst = max(statistics.median(t) for name, t in figures.items() if not name.startswith("baseline"))
    print(f"goal: an edit reaches the panes in < {GOAL_MS:.0f} ms at {len(large.events):,} events — "
          f"{'met' if worst < GOAL_MS else 'NOT met'} (slowest median {worst:.1f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
