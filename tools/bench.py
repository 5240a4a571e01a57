"""``make bench``: how fast the app is, each figure beside the floor Qt or the format sets.

Prints one table and writes it as JSON (default ``bench-results/bench.json``).
Every figure is the median of repeated runs; every run of a whole-process
figure is its own process, and each is measured in the same run as its
floor, runs of the two interleaved so that both see the same machine.

Start-up (process start to the first painted window, default corpus):
    the app from source (the ``explorer data/korea-1950`` command, its modules
    compiled to bytecode first) against ``tools/bench_floor.py``,
    a bare PySide6 three-pane window; then the bundle (``dist/explorer``,
    built with ``make bundle`` when missing) against that script bundled with
    the same spec. "First painted" is the first time Qt flushes the main
    window's pixels to the screen: Qt logs it (``qt.widgets.painting``) with a
    CLOCK_MONOTONIC stamp, which is the clock the parent started the process by.
    Goal: at most 1.5 times the floor.

Scale, for generated corpora (``tools/synthetic.py``) of 1,000, 10,000
and 100,000 events, generated once per run in a temporary folder:
    load and validate from YAML (cold)   floor: PyYAML's C loader alone on the same files
    open from the compiled cache (warm)  floor: reading and JSON-decoding the cached tables
    peak memory of each                  (the process's own maximum RSS)
    first paint: window built to painted floor: tools/bench_floor.py's window holding the same data
    process start to first paint, warm cache
    selection to all three panes updated (median, p95)  floor: the same in the floor window
    the first selection of each kind, 1 s after the window is painted (each its own process)
    filter-as-you-type, per keystroke (median, p95)     floor: QSortFilterProxyModel, fixed string
    Goals at 100,000 events: first paint < 2 s, selection p95 < 16 ms, keystroke < 50 ms.

    .venv/bin/python tools/bench.py [--sizes 1000,10000,100000] [--out FILE] [--quick]
    .venv/bin/python tools/bench.py --only filter,first-selection --corpus DIR [--cache DIR] [--runs N]

Selection while background work runs (the audit; the timeline's and the
correspondence's builds too), with the app's thread switch interval and with
Python's 5 ms default, interleaved; the floor is the same window with nothing
running. Goal: p95 < 16 ms.

    .venv/bin/python tools/bench.py --selection-load CORPUS [--cache DIR] [--runs 3]

The child processes are this file, run with ``--child ROLE``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

REPO = Path(__file__).resolve().parents[1]
T = TypeVar("T")
FLOOR_SCRIPT = REPO / "tools" / "bench_floor.py"
BUNDLE = REPO / "dist" / "explorer" / "explorer"
FLOOR_BUNDLE_DIR = REPO / "build" / "bench-floor"
FLOOR_BUNDLE = FLOOR_BUNDLE_DIR / "bench-floor" / "bench-floor"
BUNDLE_PYINSTALLER = REPO / "build" / "bundle-venv" / "bin" / "pyinstaller"

SIZES = (1_000, 10_000, 100_000)
STARTUP_GOAL_RATIO = 1.5
GOALS_AT = 100_000
FIRST_PAINT_GOAL_S = 2.0
CLI_FIRST_PAINT_GOAL_S = 3.0  # process start to first paint through `explorer CORPUS`
MEMORY_GOAL_MB = 600  # resident, the window open
SELECTION_P95_GOAL_S = 0.016
KEYSTROKE_GOAL_S = 0.050
#: How many events to select, and the words to type, in each window run.
SELECTIONS = 200
#: A reader's first click comes no sooner than this after the window is painted (seconds).
FIRST_CLICK_S = 1.0
SELECTION_KINDS = ("event", "footnote", "passage")
TYPED_WORDS = ("armistice", "zhou ming")

_FLUSH = re.compile(r"^\s*(\d+\.\d+) qt\.widgets\.painting Flushing .* of (\w+)\(0x")
_QT_PAINT_LOG = {
    "QT_LOGGING_RULES": "qt.widgets.painting.debug=true",
    "QT_MESSAGE_PATTERN": "%{time boot} %{category} %{message}",
}


# -- results -------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table: a figure, its floor, its goal."""

    figure: str
    size: str
    unit: str  # "s" or "MB"
    median: float
    p95: float | None = None
    floor: float | None = None
    floor_p95: float | None = None
    goal: str = ""
    met: bool | None = None
    runs: int = 0
    samples: list[float] = field(default_factory=list)
    floor_samples: list[float] = field(default_factory=list)
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.median / self.floor if self.floor else None


def _median(values: Sequence[float]) -> float:
    return statistics.median(values)


def _p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "MB":
        return f"{value:,.0f} MB"
    if value < 0.1:
        return f"{value * 1000:.1f} ms"
    return f"{value:.2f} s"


def print_table(rows: list[Row], out: Any = sys.stdout) -> None:
    headers = ("figure", "events", "median", "p95", "floor", "floor p95", "× floor", "goal", "")
    table = [headers]
    for r in rows:
        ok = "" if r.met is None else ("met" if r.met else "MISSED")
        table.append((r.figure, r.size, _fmt(r.median, r.unit), _fmt(r.p95, r.unit), _fmt(r.floor, r.unit),
                      _fmt(r.floor_p95, r.unit), f"{r.ratio:.2f}" if r.ratio else "", r.goal, ok))
    widths = [max(len(str(line[i])) for line in table) for i in range(len(headers))]
    for n, line in enumerate(table):
        print("  ".join(str(c).ljust(w) if i in (0, 7, 8) else str(c).rjust(w)
                        for i, (c, w) in enumerate(zip(line, widths, strict=True))).rstrip(), file=out)
        if n == 0:
            print("  ".join("-" * w for w in widths), file=out)
    notes = [f"  {r.figure.strip()} ({r.size}): {r.note}" for r in rows if r.note]
    if notes:
        print("\nnotes:", *notes, sep="\n", file=out)


def machine() -> dict[str, Any]:
    cpu = ""
    with open("/proc/cpuinfo", encoding="utf-8") as info:  # Linux: the bench's machine
        cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "")
    with open("/proc/meminfo", encoding="utf-8") as info:
        kb = int(next(line.split()[1] for line in info if line.startswith("MemTotal")))
    import PySide6
    from PySide6.QtCore import qVersion

    return {
        "cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(kb / 1024 / 1024, 1),
        "os": platform.platform(), "python": platform.python_version(),
        "pyside6": PySide6.__version__, "qt": qVersion(),
    }


# -- children: each measures itself and prints one JSON object ---------------------------


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def child_load_yaml(corpus: str) -> dict[str, Any]:
    from explorer.core.loader import load_corpus

    started = time.perf_counter()
    loaded = load_corpus(corpus)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "maxrss_mb": _maxrss_mb(), "events": len(loaded.events)}


def child_yaml_floor(corpus: str) -> dict[str, Any]:
    """PyYAML's C loader on the same files, with the collector paused: the fastest plain parse."""
    import yaml

    started = time.perf_counter()
    gc.disable()
    data = {p.name: yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader) for p in sorted(Path(corpus).glob("*.yaml"))}
    essay = (Path(corpus) / "essay.txt").read_text(encoding="utf-8")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "maxrss_mb": _maxrss_mb(), "files": len(data), "essay": len(essay)}


def child_load_cache(corpus: str, cache: str) -> dict[str, Any]:
    from explorer.core.corpus_cache import open_corpus

    started = time.perf_counter()
    result = open_corpus(corpus, cache)
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "maxrss_mb": _maxrss_mb(), "outcome": result.outcome}


def child_cache_floor(corpus: str, cache: str) -> dict[str, Any]:
    """Reading the cache file's tables and decoding their JSON, without building records."""
    import sqlite3

    from explorer.core.corpus_cache import cache_file_for

    cache_file = cache_file_for(corpus, cache)
    started = time.perf_counter()
    gc.disable()
    conn = sqlite3.connect(f"{cache_file.as_uri()}?mode=ro", uri=True)
    tables = {kind: json.loads(data) for kind, data in conn.execute("SELECT kind, data FROM records")}
    conn.close()
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "maxrss_mb": _maxrss_mb(), "tables": len(tables)}


class _FlushWatch:
    """Notes when Qt flushes a window of a given class to the screen (its first painted frame)."""

    def __init__(self, class_name: str) -> None:
        from PySide6.QtCore import QLoggingCategory, qInstallMessageHandler

        self.class_name = class_name
        self.first: float | None = None
        self.flushes = 0
        QLoggingCategory.setFilterRules("qt.widgets.painting.debug=true")
        self._previous = qInstallMessageHandler(self._on_message)

    def _on_message(self, kind: Any, context: Any, message: str) -> None:
        if message.startswith("Flushing ") and f" of {self.class_name}(" in message:
            self.flushes += 1
            if self.first is None:
                self.first = time.perf_counter()
                self.first_monotonic = time.monotonic()

    def close(self) -> None:
        from PySide6.QtCore import QLoggingCategory, qInstallMessageHandler

        QLoggingCategory.setFilterRules("qt.widgets.painting.debug=false")
        qInstallMessageHandler(self._previous)


def _wait_for_first_paint(app: Any, watch: _FlushWatch, timeout: float = 120) -> None:
    deadline = time.perf_counter() + timeout
    while watch.first is None:
        if time.perf_counter() > deadline:
            raise RuntimeError("the window was never painted")
        app.processEvents()


def _settle(app: Any, seconds: float = 0.5) -> None:
    """Let timers queued by the first show (deferred layouts, debounced renders) run."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        app.processEvents()
        time.sleep(0.002)


def _sample_ids(ids: Sequence[T], count: int) -> list[T]:
    return random.Random(1950).sample(ids, min(count, len(ids)))


def _keystrokes() -> list[str]:
    """Each word typed letter by letter, then deleted letter by letter."""
    texts = []
    for word in TYPED_WORDS:
        texts += [word[:i] for i in range(1, len(word) + 1)]
        texts += [word[:i] for i in range(len(word) - 1, -1, -1)]
    return texts


def child_window(corpus: str, cache: str, started_at: str, interact: str, audit: str = "on") -> dict[str, Any]:
    """The app's window over a corpus opened from the cache: first paint, selections, filtering.

    With *audit* "off" the window's background audit is never started, to tell
    the panes' own cost from the audit thread's competition for the GIL.
    """
    from explorer.core.corpus_cache import open_corpus

    opened_at = time.perf_counter()
    opened = open_corpus(corpus, cache)
    loaded_at = time.perf_counter()
    from PySide6.QtWidgets import QApplication

    import explorer.ui  # noqa: F401 - applies the PySide6 workaround before any Qt call
    from explorer.ui.main_window import MainWindow
    from explorer.ui.settings import Settings, open_settings

    app = QApplication.instance() or QApplication(["explorer"])
    watch = _FlushWatch("MainWindow")
    built_at = time.perf_counter()
    settings = Settings(open_settings(Path(tempfile.mkdtemp()) / "explorer.ini"))
    if audit == "on":
        window = MainWindow(opened.corpus, settings)
    else:
        window = MainWindow(opened.corpus, settings, submit=lambda work: None)
    from explorer.ui.audit_job import ReaderFirst

    reader_first = ReaderFirst(app)  # as explorer.ui.app.run does: the reader's actions park background work
    reader_first.filter_input(app)
    reader_first.watch(window.state)
    window.show()
    _wait_for_first_paint(app, watch)
    result: dict[str, Any] = {
        "cache": opened.outcome,
        "open_s": loaded_at - opened_at,
        "build_s": time.perf_counter() - built_at,
        "first_paint_s": watch.first - built_at,
        "process_to_first_paint_s": watch.first_monotonic - float(started_at),
    }
    watch.close()
    if interact == "yes":
        _settle(app)
        result["audit_done_before"] = window.audit.done
        result.update(_window_interactions(app, window, opened.corpus))
        result["audit_done_after"] = window.audit.done
    result["maxrss_mb"] = _maxrss_mb()
    return result


def child_first_selection(corpus: str, cache: str, kind: str, wait: str = "click") -> dict[str, Any]:
    """The window over *corpus* (audit not started): painted, then idle for a reader's first
    FIRST_CLICK_S (*wait* "click"), or until the window's idle work is done (*wait* "idle"), then
    one selection of *kind* (event, footnote, passage) timed to all three panes: what the first
    selection after opening pays for what is built on demand (indexes, layouts)."""
    from explorer.core.corpus_cache import open_corpus

    opened = open_corpus(corpus, cache)
    from PySide6.QtWidgets import QApplication

    import explorer.ui  # noqa: F401 - applies the PySide6 workaround before any Qt call
    from explorer.ui.main_window import MainWindow
    from explorer.ui.settings import Settings, open_settings

    app = QApplication.instance() or QApplication(["explorer"])
    watch = _FlushWatch("MainWindow")
    settings = Settings(open_settings(Path(tempfile.mkdtemp()) / "explorer.ini"))
    window = MainWindow(opened.corpus, settings, submit=lambda work: None)
    window.show()
    _wait_for_first_paint(app, watch)
    watch.close()
    painted = time.perf_counter()
    _settle(app, FIRST_CLICK_S)
    idle = getattr(window, "indexes", None)
    while wait == "idle" and idle is not None and idle.running and time.perf_counter() < painted + 120:
        _settle(app, 0.05)
    waited = time.perf_counter() - painted
    data, state = opened.corpus, window.state
    from explorer.core.model import _MULTIMAPS

    unbuilt = [name for name in _MULTIMAPS if name not in vars(data)]
    middle = {"event": (state.select_event, data.events[len(data.events) // 2].id),
              "footnote": (state.select_footnote, data.essay.footnotes[len(data.essay.footnotes) // 2].number),
              "passage": (state.select_passage, data.essay.passages[len(data.essay.passages) // 2].id)}
    choose, item = middle[kind]
    idle_done = hasattr(window, "indexes") and not window.indexes.running
    started = time.perf_counter()
    choose(item)
    window.document_pane.render_now()
    app.processEvents()
    app.processEvents()
    seconds = time.perf_counter() - started
    if window.document_pane.shown != state.selection:
        raise RuntimeError(f"first {kind} selection: the panes did not follow {state.selection}")
    return {"seconds": seconds, "indexes_built_before": idle_done, "waited_s": waited,
            "built_by_it": [name for name in unbuilt if name in vars(data)]}


def _window_interactions(app: Any, window: Any, corpus: Any) -> dict[str, Any]:
    state, pane = window.state, window.event_list
    selections, scheduled = [], []
    result_extra: dict[str, list[float]] = {}
    for event_id in _sample_ids([e.id for e in corpus.events], SELECTIONS):
        started = time.perf_counter()
        state.select_event(event_id)
        window.document_pane.render_now()  # what its 40 ms debounce timer would do
        app.processEvents()  # queued work (the essay's scroll, the note) and the repaint
        app.processEvents()
        selections.append(time.perf_counter() - started)
        if pane.current_event() != event_id or window.document_pane.shown != state.selection:
            raise RuntimeError(f"{event_id}: the panes did not follow")
    # As a reader sees it, with the pane's debounce timer left to fire by itself.
    for event_id in _sample_ids([e.id for e in corpus.events], 20):
        started = time.perf_counter()
        state.select_event(event_id)
        while window.document_pane.shown != state.selection:
            app.processEvents()
        app.processEvents()
        scheduled.append(time.perf_counter() - started)
    followed: dict[str, tuple[Callable[[Any], None], list[Any]]] = {
        "footnote_selection_s": (state.select_footnote,
                                 _sample_ids([f.number for f in corpus.essay.footnotes], SELECTIONS)),
        "passage_selection_s": (state.select_passage, _sample_ids([p.id for p in corpus.essay.passages], SELECTIONS)),
    }
    for key, (choose, chosen) in followed.items():  # a note or a passage: the event list and the document follow
        timed = []
        for item in chosen:
            started = time.perf_counter()
            choose(item)
            window.document_pane.render_now()
            app.processEvents()
            app.processEvents()
            timed.append(time.perf_counter() - started)
            if window.document_pane.shown != state.selection or pane.current_event() != state.event_id:
                raise RuntimeError(f"{key}: the panes did not follow {state.selection}")
        result_extra[key] = timed
    keystrokes = []
    handler = pane._on_filter_changed  # what the filter box's debounce timer calls
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent

    for text in _keystrokes():
        # The key press itself, as the reader's reaches the app (its event filters: background work parks);
        # a modifier key, so the text is only what setText gives.
        app.sendEvent(pane.filter_edit, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift,
                                                  Qt.KeyboardModifier.NoModifier))
        pane.filter_edit.setText(text)
        started = time.perf_counter()
        handler()
        app.processEvents()
        keystrokes.append(time.perf_counter() - started)
    return {"selection_s": selections, "scheduled_selection_s": scheduled, "keystroke_s": keystrokes,
            "shown_after_filter": pane.proxy.rowCount(), **result_extra}


def child_selection_load(corpus: str, cache: str, load: str, interval: str = "", gate: str = "on",
                         spacing_ms: str = "0") -> dict[str, Any]:
    """Event selection to all three panes while the app's worker threads run, or not (*load* "none").

    The load is the work the window puts on its workers, each run again as soon as it ends, so that every
    selection competes with it for the GIL: the window's own audit (*load* "audit"), and with *load*
    "workers" the timeline's and the correspondence's builds too (what their panes submit when first shown).
    With *gate* "on" the app's :class:`~explorer.ui.audit_job.ReaderFirst` parks that work while the reader
    acts ("off": as before it). The selections follow each other at once (*spacing_ms* "0": the gate stays
    closed throughout, the work advancing only by the gate's bounded waits), or after that long idle (the
    gate has opened and the work runs at full speed when the next selection comes).
    """
    from explorer.core.corpus_cache import open_corpus

    opened = open_corpus(corpus, cache)
    from PySide6.QtWidgets import QApplication

    import explorer.ui  # noqa: F401 - applies the PySide6 workaround before any Qt call
    from explorer.core.correspondence import Correspondence
    from explorer.core.timeline import Timeline
    from explorer.ui import audit_job
    from explorer.ui.audit_job import ReaderFirst, in_daemon_thread
    from explorer.ui.main_window import MainWindow
    from explorer.ui.settings import Settings, open_settings

    if interval:  # another switch interval while workers run than the app's, to compare
        audit_job.WORKER_SWITCH_INTERVAL_S = float(interval)
    app = QApplication.instance() or QApplication(["explorer"])
    watch = _FlushWatch("MainWindow")
    settings = Settings(open_settings(Path(tempfile.mkdtemp()) / "explorer.ini"))
    window = MainWindow(opened.corpus, settings, submit=None if load != "none" else lambda work: None)
    window.show()
    _wait_for_first_paint(app, watch)
    watch.close()
    _settle(app)
    reader_first = None
    if gate == "on":  # as explorer.ui.app.run does
        reader_first = ReaderFirst(app)
        reader_first.filter_input(app)
        reader_first.watch(window.state)
    spacing = float(spacing_ms) / 1000
    stop = threading.Event()
    builds = {"timeline": 0, "correspondence": 0}

    def again(name: str, build: Callable[[], object]) -> Callable[[], None]:
        def work() -> None:
            while not stop.is_set():
                build()
                builds[name] += 1
        return work

    switch_intervals = set()
    audits = 0
    if load == "workers":
        in_daemon_thread(again("timeline", lambda: Timeline.of(opened.corpus)))
        in_daemon_thread(again("correspondence", lambda: Correspondence(opened.corpus).edges()))
    state, pane = window.state, window.event_list
    selections = []
    cpu_started = time.process_time()
    for event_id in _sample_ids([e.id for e in opened.corpus.events], SELECTIONS):
        if spacing:
            _settle(app, spacing)  # the reader pauses: the gate opens, the work runs
        if load != "none" and window.audit.done:
            window.audit.rerun()
            audits += 1
        switch_intervals.add(sys.getswitchinterval())
        started = time.perf_counter()
        state.select_event(event_id)
        window.document_pane.render_now()  # what its 40 ms debounce timer would do
        app.processEvents()
        app.processEvents()
        selections.append(time.perf_counter() - started)
        if pane.current_event() != event_id or window.document_pane.shown != state.selection:
            raise RuntimeError(f"{event_id}: the panes did not follow")
    stop.set()
    parked = {"waits": reader_first.gate.waits, "timeouts": reader_first.gate.timeouts} if reader_first else {}
    return {"selection_s": selections, "audits_started": audits, "builds": builds, "parked": parked,
            "switch_intervals": sorted(switch_intervals), "cpu_s": time.process_time() - cpu_started}


def child_floor_window(corpus: str, cache: str, started_at: str, interact: str) -> dict[str, Any]:
    """tools/bench_floor.py's window holding the same corpus: Qt's cost for this much data."""
    import html

    from explorer.core.corpus_cache import open_corpus

    opened = open_corpus(corpus, cache)
    data = opened.corpus
    from PySide6.QtCore import QItemSelectionModel, QSortFilterProxyModel, QStringListModel, Qt
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QApplication

    import explorer.ui  # noqa: F401 - the same PySide6 workaround as the app, for long loops
    sys.path.insert(0, str(REPO / "tools"))
    from bench_floor import build_window

    def document_html(event: Any) -> str:
        docs = [data.document_by_id[d] for d in event.documents]
        return "".join(f"<h2>{html.escape(d.title)}</h2><p>{html.escape(d.summary or '')}</p>" for d in docs)

    app = QApplication.instance() or QApplication(["floor"])
    watch = _FlushWatch("QMainWindow")
    built_at = time.perf_counter()
    titles = [e.title for e in data.events]
    essay = "\n\n".join(p.text for p in data.essay.passages)
    window = build_window(titles, document_html(data.events[0]), essay)
    window.show()
    _wait_for_first_paint(app, watch)
    result: dict[str, Any] = {
        "build_s": time.perf_counter() - built_at,
        "first_paint_s": watch.first - built_at,
        "process_to_first_paint_s": watch.first_monotonic - float(started_at),
    }
    watch.close()
    if interact == "yes":
        _settle(app)
        rows = {e.id: row for row, e in enumerate(data.events)}
        starts, position = {}, 0
        for p in data.essay.passages:
            starts[p.id] = position
            position += len(p.text) + 2
        selections = []
        for event_id in _sample_ids(list(rows), SELECTIONS):
            event = data.event_by_id[event_id]
            started = time.perf_counter()
            index = window.list_model.index(rows[event_id], 0)
            window.event_list.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            window.event_list.scrollTo(index)
            window.document.setHtml(document_html(event))
            cursor = QTextCursor(window.essay.document())
            cursor.setPosition(starts.get(event.passages[0].passage, 0) if event.passages else 0)
            window.essay.setTextCursor(cursor)
            window.essay.ensureCursorVisible()
            app.processEvents()
            app.processEvents()
            selections.append(time.perf_counter() - started)
        proxy = QSortFilterProxyModel(window)
        names = {p.id: p.name for p in data.people}
        proxy.setSourceModel(QStringListModel([
            " ".join((e.display_date(), e.title, e.summary, *(names.get(p, p) for p in e.participants)))
            for e in data.events], window))
        proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        window.event_list.setModel(proxy)
        keystrokes = []
        for text in _keystrokes():
            started = time.perf_counter()
            proxy.setFilterFixedString(text)
            app.processEvents()
            keystrokes.append(time.perf_counter() - started)
        result.update({"selection_s": selections, "keystroke_s": keystrokes})
    result["maxrss_mb"] = _maxrss_mb()
    return result


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {
    "load-yaml": child_load_yaml,
    "yaml-floor": child_yaml_floor,
    "load-cache": child_load_cache,
    "cache-floor": child_cache_floor,
    "window": child_window,
    "floor-window": child_floor_window,
    "first-selection": child_first_selection,
    "selection-load": child_selection_load,
}


# -- the parent ---------------------------------------------------------------------------


def _env(scratch: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "QT_QPA_PLATFORM": "offscreen",
        "EXPLORER_DATA_DIR": str(scratch / "data"),
        "EXPLORER_CONFIG_DIR": str(scratch / "config"),
        "EXPLORER_CACHE_DIR": str(scratch / "cache"),
    })
    env.pop("QT_LOGGING_RULES", None)
    return env


def run_child(role: str, *args: str, env: dict[str, str], timeout: float = 600) -> dict[str, Any]:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", role, *args]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout, cwd=REPO)
    if done.returncode != 0:
        raise RuntimeError(f"{role} {' '.join(args)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def time_to_first_paint(command: list[str], env: dict[str, str], window_class: str, timeout: float = 60) -> float:
    """Seconds from starting *command* to Qt's first flush of a *window_class* window; the process is then ended."""
    env = {**env, **_QT_PAINT_LOG}
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               cwd=tempfile.gettempdir())
    watchdog = threading.Timer(timeout, process.kill)  # a silent hang ends the read below
    watchdog.start()
    try:
        assert process.stderr is not None
        for line in process.stderr:
            found = _FLUSH.match(line)
            if found and found.group(2) == window_class:
                return float(found.group(1)) - started
        raise RuntimeError(f"{command[0]}: no painted {window_class} (exit {process.poll()})")
    finally:
        watchdog.cancel()
        process.kill()
        process.wait()


def _interleaved(runs: int, *measures: Callable[[], float]) -> list[list[float]]:
    """Run each measure *runs* times, taking turns, after one unrecorded warm-up each (disk cache)."""
    for measure in measures:
        measure()
    results: list[list[float]] = [[] for _ in measures]
    for _ in range(runs):
        for i, measure in enumerate(measures):
            results[i].append(measure())
    return results


def ensure_bundles(log: Callable[[str], None]) -> bool:
    """dist/explorer (``make bundle``) and the floor script bundled with the same spec; False if impossible."""
    if not BUNDLE.exists():
        log("building the bundle (make bundle) ...")
        if subprocess.run(["make", "bundle"], cwd=REPO, capture_output=True).returncode != 0:
            return False
    if not FLOOR_BUNDLE.exists() or FLOOR_BUNDLE.stat().st_mtime < FLOOR_SCRIPT.stat().st_mtime:
        if not BUNDLE_PYINSTALLER.exists():
            return False
        log("bundling the floor script with explorer.spec ...")
        env = {**os.environ, "EXPLORER_BUNDLE_SCRIPT": str(FLOOR_SCRIPT), "EXPLORER_BUNDLE_NAME": "bench-floor"}
        built = subprocess.run([str(BUNDLE_PYINSTALLER), "--noconfirm", "--log-level", "ERROR", "--distpath",
                                str(FLOOR_BUNDLE_DIR), "--workpath", str(REPO / "build" / "bench-floor-work"),
                                str(REPO / "explorer.spec")], cwd=REPO, env=env, capture_output=True)
        if built.returncode != 0:
            return False
    return True


def compile_bytecode() -> None:
    """Compile the app's modules (and the floor script's) as an installed app has them: a start-up
    figure then times running the code, not compiling it (PYTHONDONTWRITEBYTECODE may be set)."""
    import compileall

    compileall.compile_dir(REPO / "explorer", quiet=1)
    compileall.compile_file(FLOOR_SCRIPT, quiet=1)


def bench_startup(rows: list[Row], env: dict[str, str], runs: int, with_bundle: bool,
                  log: Callable[[str], None]) -> None:
    python = sys.executable
    compile_bytecode()
    # The real start path: the installed `explorer` command (the CLI's parser, the launcher) on a corpus.
    command = str(Path(python).parent / "explorer")
    pairs = [("start-up to first paint, from source", [command, str(REPO / "data" / "korea-1950")],
              [python, str(FLOOR_SCRIPT)])]
    if with_bundle and ensure_bundles(log):
        pairs.append(("start-up to first paint, bundle", [str(BUNDLE)], [str(FLOOR_BUNDLE)]))
    elif with_bundle:
        log("no bundle: skipping the bundle's start-up")
    for figure, app, floor in pairs:
        log(f"{figure} ({runs} runs each) ...")
        app_times, floor_times = _interleaved(
            runs,
            lambda app=app: time_to_first_paint(app, env, "MainWindow"),
            lambda floor=floor: time_to_first_paint(floor, env, "QMainWindow"),
        )
        median, floor_median = _median(app_times), _median(floor_times)
        rows.append(Row(figure, "default", "s", median, floor=floor_median,
                        goal=f"≤ {STARTUP_GOAL_RATIO}× floor", met=median <= STARTUP_GOAL_RATIO * floor_median,
                        runs=runs, samples=app_times, floor_samples=floor_times))


def bench_scale(rows: list[Row], env: dict[str, str], root: Path, sizes: Sequence[int], runs_for: Callable[[int], int],
                log: Callable[[str], None]) -> None:
    from synthetic import generate_corpus  # tools/synthetic.py: this script's folder is on the path

    cache = str(root / "cache")
    for size in sizes:
        label = f"{size:,}"
        runs = runs_for(size)
        started = time.perf_counter()
        corpus = str(generate_corpus(root / f"corpus-{size}", size).path)
        log(f"{label} events: generated in {time.perf_counter() - started:.1f} s; "
            f"loading from YAML ({runs} runs) ...")
        cold = [run_child("load-yaml", corpus, env=env) for _ in range(runs)]
        cold_floor = [run_child("yaml-floor", corpus, env=env) for _ in range(runs)]
        rows.append(_row("load + validate, YAML (cold)", label, "s", [r["seconds"] for r in cold],
                         [r["seconds"] for r in cold_floor], note="floor: PyYAML C loader, no validation"))
        rows.append(_row("peak memory, YAML load", label, "MB", [r["maxrss_mb"] for r in cold],
                         [r["maxrss_mb"] for r in cold_floor]))
        compiled = run_child("load-cache", corpus, cache, env=env)  # compiles the cache once
        log(f"{label} events: cache compiled ({compiled['outcome']}, {compiled['seconds']:.1f} s); "
            f"opening from it ({runs + 2} runs) ...")
        warm = [run_child("load-cache", corpus, cache, env=env) for _ in range(runs + 2)]
        assert all(r["outcome"] == "hit" for r in warm), warm
        warm_floor = [run_child("cache-floor", corpus, cache, env=env) for _ in range(runs + 2)]
        rows.append(_row("open from compiled cache (warm)", label, "s", [r["seconds"] for r in warm],
                         [r["seconds"] for r in warm_floor], note="floor: read + JSON-decode the tables"))
        rows.append(_row("peak memory, cache open", label, "MB", [r["maxrss_mb"] for r in warm],
                         [r["maxrss_mb"] for r in warm_floor]))

        log(f"{label} events: `explorer CORPUS` to first paint ({runs} runs) ...")
        command = [str(Path(sys.executable).parent / "explorer"), corpus]
        cli = [time_to_first_paint(command, env, "MainWindow", timeout=600) for _ in range(runs)]
        log(f"{label} events: window ({runs} runs, {SELECTIONS} selections, {len(_keystrokes())} keystrokes) ...")
        windows, floors = [], []
        for i in range(runs):
            interact = "yes" if i == 0 else "no"
            windows.append(run_child("window", corpus, cache, repr(time.monotonic()), interact, env=env))
            floors.append(run_child("floor-window", corpus, cache, repr(time.monotonic()), interact, env=env))
        quiet = run_child("window", corpus, cache, repr(time.monotonic()), "yes", "off", env=env)
        goal_here = size == GOALS_AT
        first = _row("first paint: window built → painted", label, "s", [w["first_paint_s"] for w in windows],
                     [f["first_paint_s"] for f in floors])
        if goal_here:
            first.goal, first.met = f"< {FIRST_PAINT_GOAL_S:g} s", first.median < FIRST_PAINT_GOAL_S
        rows.append(first)
        rows.append(_row("process start → first paint (warm cache)", label, "s",
                         [w["process_to_first_paint_s"] for w in windows],
                         [f["process_to_first_paint_s"] for f in floors]))
        through_cli = _row("process start → first paint, explorer CORPUS", label, "s", cli,
                           [f["process_to_first_paint_s"] for f in floors], note="the real start path, warm cache")
        if goal_here:
            through_cli.goal = f"< {CLI_FIRST_PAINT_GOAL_S:g} s"
            through_cli.met = through_cli.median < CLI_FIRST_PAINT_GOAL_S
        rows.append(through_cli)
        selection = _row("selection → 3 panes updated", label, "s", windows[0]["selection_s"],
                         floors[0]["selection_s"], percentile=True)
        if goal_here:
            selection.goal = f"p95 < {SELECTION_P95_GOAL_S * 1000:g} ms"
            selection.met = (selection.p95 or 0) < SELECTION_P95_GOAL_S
        rows.append(selection)
        audit_note = ("the window's audit was still running in its thread" if not windows[0]["audit_done_after"]
                      else "the window's audit had finished" if windows[0]["audit_done_before"]
                      else "the window's audit finished during these")
        selection.note = audit_note
        rows.append(_row("  same, audit thread not started", label, "s", quiet["selection_s"], None,
                         percentile=True, note="the panes' own cost"))
        for key, figure in (("footnote_selection_s", "footnote selection → 3 panes updated"),
                            ("passage_selection_s", "passage selection → 3 panes updated")):
            chosen = _row(figure, label, "s", quiet[key], floors[0]["selection_s"], percentile=True,
                          note="audit thread not started; floor: the floor window's event selection")
            if goal_here:
                chosen.goal = f"p95 < {SELECTION_P95_GOAL_S * 1000:g} ms"
                chosen.met = (chosen.p95 or 0) < SELECTION_P95_GOAL_S
            rows.append(chosen)
        rows.append(_row("  same, with the pane's 40 ms debounce", label, "s", windows[0]["scheduled_selection_s"],
                         None, percentile=True, note="a reader's wait: the detail pane renders 40 ms after a change"))
        keys = _row("filter, per keystroke", label, "s", windows[0]["keystroke_s"], floors[0]["keystroke_s"],
                    percentile=True, note=f"{audit_note}; the first keystroke builds the search text: "
                    f"{windows[0]['keystroke_s'][0] * 1000:.0f} ms")
        if goal_here:
            keys.goal, keys.met = f"< {KEYSTROKE_GOAL_S * 1000:g} ms", (keys.p95 or 0) < KEYSTROKE_GOAL_S
        rows.append(keys)
        rows.append(_row("  same, audit thread not started", label, "s", quiet["keystroke_s"], None,
                         percentile=True, note="the panes' own cost"))
        rows.extend(bench_first_selection(corpus, cache, label, runs, env, goal_here, log))
        memory = _row("peak memory, window open", label, "MB", [w["maxrss_mb"] for w in windows],
                      [f["maxrss_mb"] for f in floors])
        if goal_here:
            memory.goal, memory.met = f"< {MEMORY_GOAL_MB} MB", memory.median < MEMORY_GOAL_MB
        rows.append(memory)


def bench_first_selection(corpus: str, cache: str, label: str, runs: int, env: dict[str, str], goal_here: bool,
                          log: Callable[[str], None], wait: str = "click") -> list[Row]:
    """The first selection of each kind in a window just opened (each its own process)."""
    log(f"{label} events: first selection of each kind, wait {wait} ({runs} runs each) ...")
    rows = []
    for kind in SELECTION_KINDS:
        firsts = [run_child("first-selection", corpus, cache, kind, wait, env=env) for _ in range(runs)]
        built = sum(f["indexes_built_before"] for f in firsts)
        by_it = sorted({name for f in firsts for name in f["built_by_it"]})
        when = (f"{FIRST_CLICK_S:g} s after the first paint" if wait == "click" else
                f"once the window's idle work was done ({max(f['waited_s'] for f in firsts):.1f} s at most)")
        row = _row(f"first {kind} selection after opening" + ", idle done" * (wait == "idle"), label, "s",
                   [f["seconds"] for f in firsts], None, percentile=True,
                   note=f"{when}, audit not started; the indexes were built while idle before it in {built} of "
                   f"{len(firsts)} runs; built by the selection: {', '.join(by_it) or 'none'}")
        if goal_here:
            row.goal = f"p95 < {SELECTION_P95_GOAL_S * 1000:g} ms"
            row.met = (row.p95 or 0) < SELECTION_P95_GOAL_S
        rows.append(row)
    return rows


def bench_focused(rows: list[Row], env: dict[str, str], corpus: str, cache: str, figures: set[str], runs: int,
                  log: Callable[[str], None]) -> None:
    """Only the filter and first-selection figures, over an existing corpus (and its compiled cache):
    quick to repeat while working on one of them."""
    from explorer.core.corpus_cache import open_corpus

    label = f"{len(open_corpus(corpus, cache).corpus.events):,}"
    goal_here = label == f"{GOALS_AT:,}"
    if "filter" in figures:
        log(f"{label} events: window ({runs} runs, {len(_keystrokes())} keystrokes, audit not started) ...")
        quiet = [run_child("window", corpus, cache, repr(time.monotonic()), "yes", "off", env=env)
                 for _ in range(runs)]
        keys = _row("filter, per keystroke", label, "s", [k for q in quiet for k in q["keystroke_s"]], None,
                    percentile=True, note=f"audit thread not started; {runs} windows; the first keystroke: "
                    + ", ".join(f"{q['keystroke_s'][0] * 1000:.0f} ms" for q in quiet))
        if goal_here:
            keys.goal, keys.met = f"< {KEYSTROKE_GOAL_S * 1000:g} ms", (keys.p95 or 0) < KEYSTROKE_GOAL_S
        rows.append(keys)
    if "first-selection" in figures:
        rows.extend(bench_first_selection(corpus, cache, label, runs, env, goal_here, log))
        rows.extend(bench_first_selection(corpus, cache, label, runs, env, goal_here, log, wait="idle"))


#: What runs beside the selections in --selection-load, the switch interval ("": the app's own), whether the
#: work parks while the reader acts (the gate), and the reader's pause between selections (ms), and whether
#: the row carries the goal.
LOADS = (("none", "", "on", "0", "selection, no background work", False),
         ("audit", "", "off", "0", "  audit running, no gate", False),
         ("audit", "", "on", "0", "  audit running, reader first", True),
         ("audit", "", "off", "100", "  audit, 100 ms apart, no gate", False),
         ("audit", "", "on", "100", "  audit, 100 ms apart, reader first", True),
         ("workers", "", "off", "0", "  audit + timeline + letters, no gate", False),
         ("workers", "", "on", "0", "  audit + timeline + letters, reader first", True),
         ("workers", "", "off", "100", "  all, 100 ms apart, no gate", False),
         ("workers", "", "on", "100", "  all, 100 ms apart, reader first", True))


def bench_selection_load(rows: list[Row], env: dict[str, str], corpus: str, cache: str, runs: int,
                         log: Callable[[str], None]) -> None:
    """Event selection to all three panes while the window's workers run (``--child selection-load``):
    with the work parked while the reader acts and without, selections at once or apart, runs interleaved."""
    run_child("load-cache", corpus, cache, env=env)  # compiles the cache once
    samples: dict[int, list[float]] = {n: [] for n in range(len(LOADS))}
    for run in range(runs):
        for n, (load, interval, gate, spacing, figure, _) in enumerate(LOADS):
            log(f"selection under load: run {run + 1}/{runs}, {figure.strip()} ...")
            result = run_child("selection-load", corpus, cache, load, interval, gate, spacing, env=env)
            log(f"  audits started {result['audits_started']}, builds {result['builds']}, "
                f"parked {result['parked']}")
            samples[n] += result["selection_s"]
    for n, (_, _, _, _, figure, goal) in enumerate(LOADS):
        row = _row(figure, "corpus", "s", samples[n], samples[0], percentile=True)
        if goal:
            row.goal = f"p95 < {SELECTION_P95_GOAL_S * 1000:g} ms"
            row.met = (row.p95 or 0) < SELECTION_P95_GOAL_S
        rows.append(row)


def _row(figure: str, size: str, unit: str, samples: list[float], floor: list[float] | None,
         percentile: bool = False, note: str = "") -> Row:
    return Row(figure, size, unit, _median(samples), _p95(samples) if percentile else None,
               _median(floor) if floor else None, _p95(floor) if floor and percentile else None,
               runs=len(samples), samples=samples, floor_samples=floor or [], note=note)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, default=REPO / "bench-results" / "bench.json")
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="event counts, comma-separated")
    parser.add_argument("--startup-runs", type=int, default=10)
    parser.add_argument("--no-bundle", action="store_true", help="skip the bundle's start-up")
    parser.add_argument("--quick", action="store_true", help="few runs, small sizes: for checking the harness")
    parser.add_argument("--only", help="only these figures, comma-separated: filter, first-selection "
                        "(over --corpus, an existing corpus, and --cache)")
    parser.add_argument("--corpus", help="with --only: a corpus folder (e.g. one tools/synthetic.py made)")
    parser.add_argument("--selection-load", metavar="CORPUS",
                        help="only event selection while background work runs, on CORPUS (floor: none running)")
    parser.add_argument("--cache", help="with --only or --selection-load: the compiled cache folder to use "
                        "(default: a new one)")
    parser.add_argument("--runs", type=int, default=3,
                        help="with --only: windows per figure; with --selection-load: runs of each load")
    args = parser.parse_args(argv)
    if args.child:
        role, *rest = args.child
        print(json.dumps(CHILDREN[role](*rest)), flush=True)
        sys.stderr.flush()
        os._exit(0)  # not waiting for the window's background audit, nor tearing Qt down

    began = time.perf_counter()
    sizes = [int(s) for s in args.sizes.split(",") if s]

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - began:6.1f} s] {message}", file=sys.stderr, flush=True)

    def runs_for(size: int) -> int:
        return 1 if args.quick else (3 if size >= 100_000 else 5)

    rows: list[Row] = []
    root = Path(tempfile.mkdtemp(prefix="explorer-bench-"))
    try:
        env = _env(root)
        if args.only:
            if not args.corpus:
                parser.error("--only needs --corpus")
            figures = set(args.only.split(","))
            if figures - {"filter", "first-selection"}:
                parser.error(f"--only: unknown figures {', '.join(sorted(figures - {'filter', 'first-selection'}))}")
            bench_focused(rows, env, str(Path(args.corpus).resolve()), args.cache or str(root / "cache"), figures,
                          args.runs, log)
        elif args.selection_load:
            bench_selection_load(rows, env, args.selection_load, args.cache or str(root / "cache"), args.runs, log)
        else:
            bench_startup(rows, env, 2 if args.quick else args.startup_runs, not args.no_bundle, log)
            bench_scale(rows, env, root, sizes, runs_for, log)
    finally:
        shutil.rmtree(root, ignore_errors=True)
    total = time.perf_counter() - began
    info = machine()
    print(f"\nexplorer bench, {time.strftime('%Y-%m-%d %H:%M')}: {info['cpu']}, {info['cores']} cores, "
          f"{info['memory_gb']} GB; {info['os']}; Python {info['python']}, PySide6 {info['pyside6']}, "
          f"Qt {info['qt']}; {total:.0f} s in all\n")
    print_table(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"machine": info, "seconds": total, "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
                                    "rows": [asdict(r) | {"ratio": r.ratio} for r in rows]}, indent=1),
                        encoding="utf-8")
    print(f"\nwritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
