"""How long the timeline takes to paint a frame, panning and zooming, on a synthetic corpus.

Generates a corpus (``tools/synthetic.py``, default 100,000 events) in a
temporary folder, shows the timeline at 1600x400 offscreen, and times the
paint of each frame of a zoom sweep (the whole war down to three days) and of a
pan across the densest year, as the key presses and the wheel would ask for
them; and the correspondence's edge count per visible range. Prints the
median, 95th percentile and worst frame of each. Goal: every frame < 16 ms.
The figures are printed, not tested.

    .venv/bin/python tools/bench_views.py [--events 100000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from explorer.core.correspondence import Correspondence
from explorer.core.loader import load_corpus
from explorer.ui.state import ExplorerState
from explorer.ui.views.timeline import PAN_STEP, ZOOM_STEP, TimelineCanvas
from tools.synthetic import generate_corpus


def _figures(name: str, ms: list[float]) -> str:
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{name:<44} {len(ms):>5} frames  median {statistics.median(ms):6.2f} ms  p95 {p95:6.2f} ms  " \
           f"worst {ordered[-1]:6.2f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    args = parser.parse_args()
    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        corpus = load_corpus(generate_corpus(Path(tmp) / "corpus", args.events).path)
        print(f"corpus of {len(corpus.events):,} events, {len(corpus.documents):,} documents "
              f"generated and loaded in {time.perf_counter() - started:.1f} s")
    state = ExplorerState(corpus)
    started = time.perf_counter()
    canvas = TimelineCanvas(corpus, state)
    print(f"timeline built (sorted, indexed) in {(time.perf_counter() - started) * 1000:.0f} ms")
    canvas.resize(1600, 400)
    canvas.show()
    app.processEvents()
    image = QImage(canvas.size(), QImage.Format.Format_ARGB32_Premultiplied)

    def frame() -> float:
        t = time.perf_counter()
        canvas.render(image)  # the paintEvent, into an image of the widget's size
        return (time.perf_counter() - t) * 1000

    canvas.show_all()
    frame()  # warm the label cache's first entries and the font
    zoom_in, zoom_out = [], []
    while canvas.view.span > 3.5:
        canvas.zoom(ZOOM_STEP, canvas.width() * 0.4)
        zoom_in.append(frame())
    while canvas.view.span < (canvas.timeline.extent()[1] - canvas.timeline.extent()[0]):
        canvas.zoom(1 / ZOOM_STEP, canvas.width() * 0.6)
        zoom_out.append(frame())
    panning: dict[str, list[float]] = {}
    for name, span in (("a year", 366), ("a month", 31), ("a week", 7)):
        canvas.set_view(canvas.view.centred_on(*canvas.timeline.extent()).zoomed(span / canvas.view.span))
        times = []
        for _ in range(40):
            canvas.pan(PAN_STEP / 4)
            times.append(frame())
        panning[name] = times
    print(_figures("timeline: zoom in, whole war to 3 days", zoom_in))
    print(_figures("timeline: zoom out, 3 days to the whole war", zoom_out))
    for name, times in panning.items():
        print(_figures(f"timeline: pan across {name}", times))
    data = Correspondence(corpus)
    first, last = canvas.timeline.extent()
    times = []
    for k in range(40):
        start = first + (last - first) * k // 40
        t = time.perf_counter()
        data.edges(start, start + 366)
        times.append((time.perf_counter() - t) * 1000)
    print(_figures("correspondence: edges of a year's range", times).replace("frames", "ranges"))
    worst = max(zoom_in + zoom_out + [t for ts in panning.values() for t in ts])
    print(f"goal: every timeline frame < 16 ms — {'met' if worst < 16 else 'NOT met'} (worst {worst:.2f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
