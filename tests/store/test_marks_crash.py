"""A mark shown as saved survives the app being killed at any moment.

A writer subprocess sets marks in a loop and prints each number once
``set_mark`` has returned; the test kills it (SIGKILL on POSIX) and reopens
the file: every printed mark must be there and the file must be intact.
"""

import os
import random
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from explorer.store.marks import MarkStore

REPO = Path(__file__).resolve().parents[2]
KEYS = 37  # marks are overwritten too, so the update path is exercised

WRITER = f"""
import sys
from pathlib import Path
from explorer.store.marks import MarkStore

start = int(sys.argv[2])
with MarkStore.open(Path(sys.argv[1])) as store:
    versions = {{key: mark.version for key, mark in store.marks("essay").items()}}
    for i in range(start, start + 10_000_000):
        key = f"k{{i % {KEYS}}}"
        versions[key] = store.set_mark(
            "essay", key, ("unchecked", "verified", "disputed")[i % 3],
            note=f"note {{i}} — <i>literal</i>", footnote=i % {KEYS}, label=f"fn {{i}}",
            version=versions.get(key, 0),
        ).version
        print(i, flush=True)
"""


def run_and_kill(db: Path, start: int, delay: float, wait_for_output: bool = True) -> list[int]:
    """Start a writer, kill it ``delay`` s after its first committed mark (or
    after its start), and return the numbers it reported as committed."""
    env = {**os.environ, "EXPLORER_DATA_DIR": str(db.parent / "never-used")}
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db), str(start)],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    committed: list[int] = []
    first = threading.Event()

    def read() -> None:
        for line in proc.stdout:
            if line.endswith("\n"):  # a line cut by the kill was committed too, but is unreadable
                committed.append(int(line))
                first.set()

    reader = threading.Thread(target=read)
    reader.start()
    try:
        if wait_for_output and not first.wait(timeout=30):
            pytest.fail("the writer printed nothing within 30 s")
        time.sleep(delay)
    finally:
        proc.kill()
        proc.wait()
        reader.join()
        stderr = proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
    assert "Traceback" not in stderr, stderr
    return committed


def assert_nothing_lost(db: Path, committed: list[int]) -> None:
    with MarkStore.open(db) as store:
        assert (store.recovered_from, store.read_only) == (None, False)
        notes: dict[str, set[str]] = {}
        latest: dict[str, str] = {}
        for k in range(KEYS):
            history = store.history("essay", f"k{k}")
            notes[f"k{k}"] = {m.note for m in history}
            mark = store.get("essay", f"k{k}")
            if history:
                assert mark == history[-1]
                latest[f"k{k}"] = mark.note
    for i in committed:
        key = f"k{i % KEYS}"
        assert f"note {i} — <i>literal</i>" in notes[key], f"committed mark {i} is lost"
    # The current mark is at least as new as the last one reported saved.
    last_saved: dict[str, int] = {}
    for i in committed:
        last_saved[f"k{i % KEYS}"] = i
    for key, i in last_saved.items():
        assert int(latest[key].split()[1]) >= i
    raw = sqlite3.connect(db)
    try:
        assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        raw.close()


def test_kill_while_writing_loses_no_committed_mark(tmp_path: Path) -> None:
    db = tmp_path / "marks.sqlite3"
    committed = run_and_kill(db, start=0, delay=0.2)
    assert len(committed) > 5, "the writer should have saved several marks before the kill"
    assert_nothing_lost(db, committed)


@pytest.mark.slow
def test_hundred_kills_at_random_moments(tmp_path: Path) -> None:
    rng = random.Random(20240625)
    db = tmp_path / "marks.sqlite3"
    committed: list[int] = []
    for cycle in range(100):
        # Mostly mid-stream; one in five at any point from start-up on,
        # which includes opening, creating the schema and WAL recovery.
        if rng.random() < 0.2:
            new = run_and_kill(db, start=cycle * 1_000_000, delay=rng.uniform(0, 0.15), wait_for_output=False)
        else:
            new = run_and_kill(db, start=cycle * 1_000_000, delay=rng.uniform(0, 0.05))
        committed += new
        assert_nothing_lost(db, committed)
    assert len(committed) > 100
