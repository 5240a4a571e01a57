"""The README's speed table, from what ``make bench`` wrote to bench-results/.

Prints a Markdown table: the figures of ``tools/bench.py`` (bench.json) the
README shows, each with its floor and goal, then those of the essay pane
(bench-essay.json), of the whole process's memory (bench-memory.json) and of
book scale (bench-book.json) when they are there.
Paste it over the table under "## Speed" in README.md.

    python tools/bench_table.py [--results bench-results]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]

#: (figure in bench.json, size, what the README calls it)
SHOWN = (
    ("start-up to first paint, from source", "default", "start-up to first paint, `explorer data/korea-1950`"),
    ("start-up to first paint, bundle", "default", "start-up to first paint, bundle"),
    ("load + validate, YAML (cold)", "100,000", "load + validate from YAML, 100,000 events"),
    ("open from compiled cache (warm)", "100,000", "open from the compiled cache, 100,000 events"),
    ("process start → first paint, explorer CORPUS", "100,000", "`explorer CORPUS` to first paint, 100,000 events"),
    ("selection → 3 panes updated", "100,000", "event selection to all three panes, 100,000 events"),
    ("footnote selection → 3 panes updated", "100,000", "note selection to all three panes, 100,000 events"),
    ("passage selection → 3 panes updated", "100,000", "passage selection to all three panes, 100,000 events"),
    ("filter, per keystroke", "100,000", "filter per keystroke, 100,000 events"),
    ("first event selection after opening", "100,000", "first event selection, 1 s after first paint, 100,000 events"),
    ("first footnote selection after opening", "100,000",
     "first note selection, 1 s after first paint, 100,000 events"),
    ("first passage selection after opening", "100,000",
     "first passage selection, 1 s after first paint, 100,000 events"),
    ("peak memory, window open", "100,000", "resident memory, window open, 100,000 events"),
)


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "MB":
        return f"{value:,.0f} MB"
    return f"{value * 1000:.1f} ms" if value < 0.1 else f"{value:.2f} s"


def _goal(row: dict[str, Any]) -> str:
    if not row.get("goal"):
        return ""
    verdict = "met" if row.get("met") else "missed"
    ratio = f" ({row['ratio']:.1f}×)" if row.get("ratio") and "floor" in row["goal"] else ""
    return f"{row['goal']}: {verdict}{ratio}"


def table(results: Path) -> list[str]:
    lines = ["| figure | median (p95) | floor | goal |", "| --- | --- | --- | --- |"]
    bench = json.loads((results / "bench.json").read_text(encoding="utf-8"))
    rows = {(r["figure"], r["size"]): r for r in bench["rows"]}
    for figure, size, name in SHOWN:
        row = rows.get((figure, size))
        if row is None:
            continue
        unit = row["unit"]
        median = _fmt(row["median"], unit) + (f" ({_fmt(row['p95'], unit)})" if row.get("p95") else "")
        floor = _fmt(row.get("floor"), unit) + (f" ({_fmt(row['floor_p95'], unit)})" if row.get("floor_p95") else "")
        lines.append(f"| {name} | {median} | {floor} | {_goal(row)} |")
    essay = results / "bench-essay.json"
    if essay.exists():
        data = json.loads(essay.read_text(encoding="utf-8"))
        for row in data["rows"]:
            lines.append(f"| essay pane, {row['figure']}, {26 * data['times']:,} notes | "
                         f"{_fmt(row['book_p50'], 's')} ({_fmt(row['book_p95'], 's')}) | "
                         f"26 notes: {_fmt(row['essay_p50'], 's')} ({_fmt(row['essay_p95'], 's')}) | "
                         f"p95 < 16 ms: {'met' if row['met'] else 'missed'} |")
    memory = results / "bench-memory.json"
    if memory.exists():
        data = json.loads(memory.read_text(encoding="utf-8"))
        for row in data["rows"]:
            if row["key"] not in ("paint_s", "rss_at_paint_mb", "rss_settled_mb"):
                continue
            verdict = f"{row['goal']}: {'met' if row['met'] else 'missed'}" if row["goal"] else ""
            lines.append(f"| {row['figure']}, `explorer CORPUS`, {data['events']:,} events "
                         f"(`tools/bench_memory.py`) | {_fmt(row['large'], row['unit'])} | "
                         f"26 notes: {_fmt(row['base'], row['unit'])} | {verdict} |")
    book = results / "bench-book.json"
    if book.exists():
        data = json.loads(book.read_text(encoding="utf-8"))
        small, large = data["times"]
        for row in data["rows"]:
            lines.append(f"| book scale, {row['figure']}, {large}× the essay | {_fmt(row['large'], 's')} | "
                         f"{small}×: {_fmt(row['small'], 's')} | ≤ 7× the {small}× time: "
                         f"{'met' if row['met'] else 'missed'} ({row['ratio']:.1f}×) |")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", type=Path, default=REPO / "bench-results")
    args = parser.parse_args(argv)
    if not (args.results / "bench.json").exists():
        print(f"{args.results / 'bench.json'}: not there; run make bench first", file=sys.stderr)
        return 1
    print("\n".join(table(args.results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
