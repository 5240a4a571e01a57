"""The benchmark harness runs end to end and reports every figure (its numbers are not tested)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.support.corpora import REPO

FIGURES = {
    "start-up to first paint, from source",
    "load + validate, YAML (cold)",
    "peak memory, YAML load",
    "open from compiled cache (warm)",
    "peak memory, cache open",
    "first paint: window built → painted",
    "process start → first paint (warm cache)",
    "selection → 3 panes updated",
    "footnote selection → 3 panes updated",
    "passage selection → 3 panes updated",
    "process start → first paint, explorer CORPUS",
    "filter, per keystroke",
    "first event selection after opening",
    "first footnote selection after opening",
    "first passage selection after opening",
    "peak memory, window open",
}


@pytest.mark.slow
def test_a_quick_run_writes_every_figure(tmp_path) -> None:
    out = tmp_path / "bench.json"
    run = subprocess.run(
        [sys.executable, str(REPO / "tools" / "bench.py"), "--quick", "--no-bundle", "--sizes", "300",
         "--out", str(out)], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert {row["figure"] for row in report["rows"]} >= FIGURES
    assert all(row["median"] > 0 for row in report["rows"])
    assert report["machine"]["cores"] >= 1
    assert "selection → 3 panes updated" in run.stdout and "floor" in run.stdout
