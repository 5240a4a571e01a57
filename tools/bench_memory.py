"""Resident memory and start-up of the window on a large corpus, through the real ``explorer CORPUS`` path.

Generates a synthetic corpus (default 100,000 events), compiles its cache
once (in a child process), then starts ``python -m explorer CORPUS`` the way a
reader does, with the user's folders sandboxed in a temporary folder, and for
each run notes: process start to the first paint of the main window (Qt's
first flush of its pixels, ``qt.widgets.painting``), the resident memory
(``VmRSS``) then, once it has settled (no growth for 2 s while the process
is idle: the audit and the idle work done), and the process's peak (``VmHWM``). Baseline in the same run, taking
turns with it: the same command on the shipped 26-note corpus.

``--breakdown`` prints where the memory goes instead, in one process: RSS
after each step (imports, the corpus from the cache, the window built and
painted, then what comes after the first paint: the audit's parsed notes and
its findings, the corpus's indexes and the event list's filter texts built
while idle; the audit runs on the GUI thread there, so that each step is
apart) and the deep sizes of the big objects (the corpus by field, each
index, the audit's notes and findings, the filter texts; an object shared
between rows counted once, in the first). Goals (issue 17): resident under
600 MB at first paint and once settled, process start to first paint under
3 s. Figures are printed, not tested.

    .venv/bin/python tools/bench_memory.py [--events 100000] [--runs 3] [--breakdown]
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.append(str(REPO))  # after PYTHONPATH: `PYTHONPATH=OTHER_CHECKOUT` measures that one

#: Qt's log line for a window's pixels flushed to the screen: the class of the window is group 1.
_FLUSH = re.compile(r"qt\.widgets\.painting:? Flushing .* of (\w+)\(0x")
_COMPILE = ("import sys, explorer; from explorer.core.corpus_cache import open_corpus; "
            "print(open_corpus(sys.argv[1]).outcome, explorer.__file__)")
RSS_GOAL_MB, PAINT_GOAL_S = 600, 3.0


def _status(pid: int | str = "self") -> dict[str, int]:
    """VmRSS and VmHWM of a process, in MB."""
    found = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                found[name] = int(value.split()[0]) // 1024
    return found


def _cpu_s(pid: int) -> float:
    """The CPU time a process has used (user and system), in seconds."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _env(scratch: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update({
        "QT_QPA_PLATFORM": "offscreen",
        "QT_LOGGING_RULES": "qt.widgets.painting.debug=true",
        "EXPLORER_DATA_DIR": str(scratch / "data"),
        "EXPLORER_CONFIG_DIR": str(scratch / "config"),
        "EXPLORER_CACHE_DIR": str(scratch / "cache"),
    })
    return env


def run_window(command: list[str], env: dict[str, str], timeout: float = 300, settle: float = 2.0) -> dict[str, Any]:
    """Start *command*, wait for its MainWindow's first paint, then for its memory to settle; end it."""
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                               cwd=tempfile.gettempdir())
    watchdog = threading.Timer(timeout, process.kill)  # a silent hang ends the reads below
    watchdog.start()
    try:
        assert process.stderr is not None
        for line in process.stderr:
            found = _FLUSH.search(line)
            if found and found.group(1) == "MainWindow":
                painted = time.monotonic() - started
                at_paint = _status(process.pid)["VmRSS"]
                break
        else:
            raise RuntimeError(f"{' '.join(command)}: no painted MainWindow (exit {process.poll()})")
        # Keep reading its log, or a full pipe would stop it.
        threading.Thread(target=lambda: [None for _ in process.stderr], daemon=True).start()  # type: ignore
        # Settled: no growth for *settle* s while the process is idle (under 10% of a core), so that a pause in
        # the audit's allocations is not taken for its end.
        last, stable_since, cpu = at_paint, time.monotonic(), _cpu_s(process.pid)
        while time.monotonic() - stable_since < settle and time.monotonic() - started < timeout:
            time.sleep(0.2)  # a measuring tool polling a process it does not control, not a test
            now, cpu_now = _status(process.pid)["VmRSS"], _cpu_s(process.pid)
            if now > last + 2 or cpu_now - cpu > 0.1 * 0.2:
                last, stable_since = max(now, last), time.monotonic()
            cpu = cpu_now
        final = _status(process.pid)
        return {"paint_s": painted, "rss_at_paint_mb": at_paint, "rss_settled_mb": final["VmRSS"],
                "peak_mb": final["VmHWM"]}
    finally:
        watchdog.cancel()
        process.kill()
        process.wait()


def compare(corpus: Path, env: dict[str, str], runs: int, json_rows: list[dict[str, Any]] | None = None) -> list[str]:
    """The printed rows; each figure also goes to *json_rows* (for ``--json`` and tools/bench_table.py)."""
    python = sys.executable
    big = [python, "-m", "explorer", str(corpus)]
    base = [python, "-m", "explorer"]  # the shipped corpus
    run_window(big, env), run_window(base, env)  # warm-up: disk cache, compiled bytecode
    results: dict[str, list[dict[str, Any]]] = {"big": [], "base": []}
    for _ in range(runs):
        results["big"].append(run_window(big, env))
        results["base"].append(run_window(base, env))
    rows = [f"{'figure':38s} {'large':>9s} {'26 notes':>9s} {'ratio':>6s}  goal"]
    for key, label, unit, goal in (
        ("paint_s", "process start → first paint", "s", f"< {PAINT_GOAL_S:g} s"),
        ("rss_at_paint_mb", "resident at first paint", "MB", f"< {RSS_GOAL_MB} MB"),
        ("rss_settled_mb", "resident, settled (idle, 2 s no growth)", "MB", f"< {RSS_GOAL_MB} MB"),
        ("peak_mb", "peak resident", "MB", ""),
    ):
        a = statistics.median(r[key] for r in results["big"])
        b = statistics.median(r[key] for r in results["base"])
        limit = PAINT_GOAL_S if unit == "s" else RSS_GOAL_MB
        verdict = ("met" if a < limit else "MISSED") if goal else ""
        shown = (lambda v: f"{v:.2f} s") if unit == "s" else (lambda v: f"{v:,.0f} MB")
        rows.append(f"{label:38s} {shown(a):>9s} {shown(b):>9s} {a / b:6.2f}  {goal} {verdict}")
        if json_rows is not None:
            json_rows.append({"key": key, "figure": label, "unit": unit, "large": a, "base": b, "goal": goal,
                              "met": a < limit if goal else None})
    return rows


# -- --breakdown: where the memory goes, in one process -------------------------------------------


def _deep_size(root: object, seen: set[int]) -> int:
    """Bytes of *root* and everything it holds that *seen* has not counted yet."""
    total, stack = 0, [root]
    while stack:
        value = stack.pop()
        if value is None or isinstance(value, bool) or id(value) in seen:
            continue
        seen.add(id(value))
        total += sys.getsizeof(value)
        if isinstance(value, (str, bytes, int, float)):
            continue
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, (list, tuple, set, frozenset)):
            stack.extend(value)
        elif dataclasses.is_dataclass(value):
            stack.extend(getattr(value, f.name) for f in dataclasses.fields(value))
        for name in getattr(type(value), "__slots__", ()):
            if not dataclasses.is_dataclass(value) and hasattr(value, name):
                stack.append(getattr(value, name))
    return total


def breakdown(corpus_path: Path) -> None:
    """Print RSS after each step of opening a window and of the work after its first paint (the audit, the
    idle indexes and filter texts), then the deep sizes of the big objects."""
    last = [_status()["VmRSS"]]

    def step(name: str) -> None:
        gc.collect()
        now = _status()["VmRSS"]
        print(f"  {name:52s} {now:6,d} MB  (+{now - last[0]:,d})", flush=True)
        last[0] = now

    print("resident after each step (the audit run on the GUI thread, so that each step is apart)")
    step("Python started")
    from PySide6.QtWidgets import QApplication

    from explorer.core.corpus_cache import open_corpus
    from explorer.ui.main_window import MainWindow
    from explorer.ui.settings import Settings, open_settings

    app = QApplication([])
    step("imports, QApplication")
    corpus = open_corpus(corpus_path).corpus
    step("corpus from the cache")
    # The window the app builds, but its audit run in place (a plain call) so that its steps are measured apart.
    window = MainWindow(corpus, Settings(open_settings(Path(os.environ["EXPLORER_CONFIG_DIR"]) / "b.ini")),
                        submit=lambda work: work())
    step("window built")
    window.audit.notes_ready.connect(lambda: step("audit: notes parsed and delivered"))
    window.audit.finished.connect(lambda: step("audit: findings delivered"))
    window.resize(1600, 1000)
    window.show()
    while not window._painted:
        app.processEvents()
    step("window shown and painted")
    while not (window.audit.done and window.corpus is corpus):
        app.processEvents()
    model = window.event_list.model
    for name, done in (("indexes built (idle)", lambda: not window.indexes.running),
                       ("filter texts built (idle)", lambda: model._haystack_rows is not None)):
        while not done():
            app.processEvents()
        step(name)
    for _ in range(20):
        app.processEvents()
    step("settled (events processed)")
    import ctypes
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    step("malloc_trim(0)")

    print("\nthe big objects (deep size; shared objects counted once, in the first row that holds them)")
    seen: set[int] = set()
    sizes = [(name, _deep_size(getattr(corpus, name), seen))
             for name in ("essay", "events", "documents", "people", "sources", "places", "catalog")]
    sizes += [(f"index {f.name}", _deep_size(getattr(corpus, f.name), seen))
              for f in dataclasses.fields(corpus) if not f.init]
    audit = window.audit
    sizes += [("audit: parsed notes", _deep_size(audit.notes, seen)),
              ("audit: notes_of_key", _deep_size(audit.notes_of_key, seen)),
              ("audit: key_moves", _deep_size(audit.key_moves, seen)),
              (f"audit: findings ({len(audit.findings or ())})", _deep_size(audit.findings, seen)),
              ("audit: by key, by footnote", _deep_size((audit._by_key, audit.by_footnote), seen)),
              ("event list: filter texts", _deep_size((model._haystacks, model._haystack_rows), seen)),
              ("event list: dates as shown", _deep_size(model._dates, seen))]
    for name, size in sizes:
        print(f"  {name[:60]:60s} {size / 2**20:7.1f} MB")
    print(f"  {'all':60s} {sum(s for _, s in sizes) / 2**20:7.1f} MB")
    window.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--breakdown", action="store_true", help="where the memory goes, in one process")
    parser.add_argument("--json", type=Path, help="also write the figures here (for tools/bench_table.py)")
    args = parser.parse_args(argv)
    from tools.synthetic import generate_corpus

    with tempfile.TemporaryDirectory(prefix="bench-memory-") as temp:
        scratch = Path(temp)
        env = _env(scratch)
        corpus = generate_corpus(scratch / "corpus", args.events).path
        # Run where the children run (not in the checkout), so PYTHONPATH can point them at another one.
        compiled = subprocess.run([sys.executable, "-c", _COMPILE, str(corpus)], env=env, cwd=tempfile.gettempdir(),
                                  capture_output=True, text=True, check=True)
        outcome, package = compiled.stdout.split()
        assert outcome == "compiled", compiled.stdout
        print(f"{args.events:,} events: the window through `explorer CORPUS` ({Path(package).parent}), "
              "corpus from its compiled cache")
        if args.breakdown:
            os.environ.update({k: v for k, v in env.items() if k.startswith("EXPLORER_") or k == "QT_QPA_PLATFORM"})
            breakdown(corpus)
        else:
            json_rows: list[dict[str, Any]] = []
            for row in compare(corpus, env, args.runs, json_rows):
                print(row)
            if args.json:
                args.json.parent.mkdir(parents=True, exist_ok=True)
                args.json.write_text(json.dumps({"events": args.events, "rows": json_rows}, indent=1) + "\n",
                                     encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
