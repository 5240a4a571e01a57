"""How long the timeline takes to paint a frame, panning and zooming, on a synthetic corpus, beside its floor.

Generates a corpus (``tools/synthetic.py``, default 100,000 events) in a
temporary folder, shows the timeline at 1600x400 offscreen, and times the
paint of each frame of a zoom sweep (the whole war down to three days) and of a
pan across a year, a month and a week, as the key presses and the wheel would
ask for them. Each frame is measured beside its floor, in the same run and
interleaved: a bare QWidget that paints what a readable frame holds at the
least (the background, the axis's tick labels for the same view, and 200
labelled bars laid out once, drawn in one ``drawRects`` call), so a slow
machine or a busy one moves both. Also: how long building the timeline
takes (on a worker in the app) and how long the GUI thread waits when the
timeline is first shown; the correspondence's edge count per visible range.
Prints the median, 95th percentile and worst of each. Goal: every frame
< 16 ms. The figures are printed, not tested.

    .venv/bin/python tools/bench_views.py [--events 100000] [--cpu]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter, QPalette, QStaticText
from PySide6.QtWidgets import QApplication, QWidget

from explorer.core.correspondence import Correspondence
from explorer.core.loader import load_corpus
from explorer.core.timeline import Timeline, ticks
from explorer.ui.state import ExplorerState
from explorer.ui.views.timeline import PAN_STEP, ZOOM_STEP, TimelineCanvas
from tools.synthetic import generate_corpus


class Floor(QWidget):
    """What any widget pays to paint a readable frame: the background, the axis's labels for the same view,
    and 200 bars with labels (laid out once, as a QStaticText each), the bars in one drawRects call."""

    def __init__(self, canvas: TimelineCanvas) -> None:
        super().__init__()
        self.canvas = canvas
        self.rects = [QRectF((k * 83) % 1500, 20 + (k % 15) * 20, 60, 16) for k in range(200)]
        self.labels = [QStaticText(f"An event of the war, number {k}") for k in range(200)]

    def paintEvent(self, _event: object) -> None:
        canvas, painter = self.canvas, QPainter(self)
        painter.fillRect(self.rect(), self.palette().color(QPalette.ColorRole.Base))
        view, width = canvas.view, self.width()
        scale = width / view.span
        painter.setBrush(self.palette().color(QPalette.ColorRole.Highlight))
        painter.drawRects(self.rects)
        for rect, label in zip(self.rects, self.labels, strict=True):
            painter.drawStaticText(rect.topLeft(), label)
        for day, label in ticks(view, width)[1]:
            painter.drawText(int((day - view.start) * scale) + 3, 14, label)
        painter.end()


def _figures(name: str, ms: list[float]) -> str:
    ordered = sorted(ms)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"median {statistics.median(ms):6.2f}  p95 {p95:6.2f}  worst {ordered[-1]:6.2f} ms"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--cpu", action="store_true",
                        help="time frames by the GUI thread's CPU time, not the clock (a shared, busy machine)")
    args = parser.parse_args()
    app = QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        corpus = load_corpus(generate_corpus(Path(tmp) / "corpus", args.events).path)
        gc.freeze()  # as the app's compiled cache leaves a corpus it opens: out of the collector's scans
        print(f"corpus of {len(corpus.events):,} events, {len(corpus.documents):,} documents "
              f"generated and loaded in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    Timeline.of(corpus)
    print(f"timeline built (sorted, indexed): {time.perf_counter() - started:.2f} s, on a worker in the app")

    def in_thread(work) -> None:
        threading.Thread(target=work, daemon=True).start()

    canvas = TimelineCanvas(corpus, ExplorerState(corpus), submit=in_thread)
    canvas.resize(1600, 400)
    started = time.perf_counter()
    canvas.show()  # starts the building on the worker
    blocked = time.perf_counter() - started
    waited = time.perf_counter()
    while not canvas.built:
        app.processEvents()
        time.sleep(0.01)
    print(f"first shown: the GUI thread waits {blocked * 1000:.1f} ms; the timeline is drawn "
          f"{time.perf_counter() - waited:.2f} s later (\"Building timeline…\" meanwhile)")
    floor = Floor(canvas)
    floor.resize(canvas.size())
    app.processEvents()
    image = QImage(canvas.size(), QImage.Format.Format_ARGB32_Premultiplied)

    def frame(widget: QWidget) -> float:
        t = time.thread_time() if args.cpu else time.perf_counter()
        widget.render(image)  # the paintEvent, into an image of the widget's size
        return ((time.thread_time() if args.cpu else time.perf_counter()) - t) * 1000

    sweeps: dict[str, tuple[list[float], list[float]]] = {}

    def measure(name: str) -> None:
        own, base = sweeps.setdefault(name, ([], []))
        own.append(frame(canvas))
        base.append(frame(floor))

    canvas.show_all()
    frame(canvas)  # warm the label cache's first entries and the font
    while canvas.view.span > 3.5:
        canvas.zoom(ZOOM_STEP, canvas.width() * 0.4)
        measure("zoom in, whole war to 3 days")
    while canvas.view.span < (canvas.timeline.extent()[1] - canvas.timeline.extent()[0]):
        canvas.zoom(1 / ZOOM_STEP, canvas.width() * 0.6)
        measure("zoom out, 3 days to the whole war")
    for name, span in (("a year", 366), ("a month", 31), ("a week", 7)):
        canvas.set_view(canvas.view.centred_on(*canvas.timeline.extent()).zoomed(span / canvas.view.span))
        for _ in range(40):
            canvas.pan(PAN_STEP / 4)
            measure(f"pan across {name}")
    clock = "the timeline (GUI thread's CPU time)" if args.cpu else "the timeline (wall clock)"
    print(f"{'timeline frames (1600x400)':<36} {'frames':>6}  {clock:<44}  floor (bare QWidget)")
    for name, (own, base) in sweeps.items():
        print(f"{name:<36} {len(own):>6}  {_figures(name, own):<44}  {_figures(name, base)}")
    data = Correspondence(corpus)
    first, last = canvas.timeline.extent()
    times = []
    for k in range(40):
        start = first + (last - first) * k // 40
        t = time.perf_counter()
        data.edges(start, start + 366)
        times.append((time.perf_counter() - t) * 1000)
    print(f"{'correspondence: edges of a year':<36} {len(times):>6}  {_figures('', times)}")
    worst = max(t for own, _ in sweeps.values() for t in own)
    print(f"goal: every timeline frame < 16 ms — {'met' if worst < 16 else 'NOT met'} (worst {worst:.2f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
