"""The reader goes first: background work parks at its pause points while the gate is closed."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from explorer.core import pausing
from explorer.core.pausing import Gate, paced, pause_point

LONG = 30.0  # a bound no test reaches unless it is broken (the waits are ended by events, not by time)


@pytest.fixture
def gate() -> Iterator[Gate]:
    made = Gate(max_wait=LONG)
    previous = pausing.install(made)
    yield made
    pausing.uninstall(made)
    pausing.install(previous)


class Looping:
    """A worker thread counting steps, with a pause point before each; it reports each step it finishes."""

    def __init__(self, steps: int) -> None:
        self.done = 0
        self.stepped = threading.Event()  # set after each step
        self.go = threading.Event()  # the test lets it take the next step
        self.thread = threading.Thread(target=self._run, args=(steps,), daemon=True)

    def _run(self, steps: int) -> None:
        for _ in range(steps):
            self.go.wait(LONG)
            self.go.clear()
            pause_point()
            self.done += 1
            self.stepped.set()

    def step(self) -> None:
        self.stepped.clear()
        self.go.set()


def test_without_a_gate_pause_point_returns_at_once() -> None:
    assert pausing.installed() is None
    for _ in range(1000):
        pause_point()


def test_a_worker_stops_while_the_gate_is_closed_and_goes_on_when_it_opens(gate: Gate) -> None:
    worker = Looping(3)
    worker.thread.start()
    worker.step()
    assert worker.stepped.wait(LONG)
    assert worker.done == 1
    gate.close()
    worker.step()
    # The worker is parked in the gate's wait: its step does not end while the gate stays closed.
    assert not worker.stepped.wait(0.05)
    assert worker.done == 1
    gate.open()
    assert worker.stepped.wait(LONG)
    assert worker.done == 2
    worker.step()
    assert worker.stepped.wait(LONG)
    worker.thread.join(LONG)
    assert worker.done == 3
    assert gate.waits == 1 and gate.timeouts == 0


def test_a_wait_is_bounded_so_work_always_progresses() -> None:
    gate = Gate(max_wait=0.01)
    previous = pausing.install(gate)
    try:
        gate.close()
        ended = threading.Event()

        def work() -> None:
            for _ in range(3):
                pause_point()
            ended.set()

        threading.Thread(target=work, daemon=True).start()
        assert ended.wait(LONG), "the work stayed parked behind a gate never opened"
        assert gate.timeouts == 3 and not gate.is_open
    finally:
        pausing.uninstall(gate)
        pausing.install(previous)


def test_the_thread_that_made_the_gate_never_waits_on_it(gate: Gate) -> None:
    gate.close()
    for _ in range(100):
        pause_point()  # would take 100 × LONG if it waited
    assert gate.waits == gate.timeouts == 0


def test_uninstall_opens_the_gate_and_lets_a_parked_worker_go(gate: Gate) -> None:
    worker = Looping(1)
    worker.thread.start()
    gate.close()
    worker.step()
    assert not worker.stepped.wait(0.02)
    pausing.uninstall(gate)
    assert pausing.installed() is None and gate.is_open
    assert worker.stepped.wait(LONG)


def test_uninstall_leaves_another_gate_installed(gate: Gate) -> None:
    other = Gate()
    pausing.uninstall(other)
    assert pausing.installed() is gate


def test_paced_yields_every_item_in_order_with_a_pause_point_per_run(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr(pausing, "pause_point", lambda: calls.append(1))
    assert list(paced(range(10), 4)) == list(range(10))
    assert len(calls) == 3  # before items 0, 4 and 8
    assert list(paced([], 4)) == []
    assert list(paced(iter("abc"), 1)) == ["a", "b", "c"]


def test_the_audit_and_builds_park_at_their_pause_points(monkeypatch: pytest.MonkeyPatch) -> None:
    """The background work's loops do call pause points (counted), and its results are the same with them."""
    from explorer.core.audit import run_audit
    from explorer.core.citations import parse_notes
    from explorer.core.correspondence import Correspondence
    from explorer.core.loader import load_corpus
    from explorer.core.timeline import Timeline
    from explorer.core.verification import key_moves, notes_by_key, targets_by_note
    from tests.support.corpora import DEFAULT_CORPUS

    corpus = load_corpus(DEFAULT_CORPUS)
    notes = parse_notes((f.number, f.text) for f in corpus.essay.footnotes)
    targets = targets_by_note(notes, corpus)
    before = (run_audit(corpus, notes), notes_by_key(notes, corpus, targets), key_moves(notes, corpus, targets),
              Timeline.of(corpus).events.items, Correspondence(corpus).edges())

    counts: dict[str, int] = {}
    stage = ["none"]

    def counted() -> None:
        counts[stage[0]] = counts.get(stage[0], 0) + 1

    monkeypatch.setattr(pausing, "pause_point", counted)
    for module in ("explorer.core.citations.ibid", "explorer.core.audit.notes"):
        monkeypatch.setattr(f"{module}.pause_point", counted)
    stage[0] = "parse"
    notes_again = parse_notes((f.number, f.text) for f in corpus.essay.footnotes)
    stage[0] = "targets"
    targets_again = targets_by_note(notes_again, corpus)
    stage[0] = "audit"
    after = (run_audit(corpus, notes_again), notes_by_key(notes_again, corpus, targets_again),
             key_moves(notes_again, corpus, targets_again))
    stage[0] = "timeline"
    timeline = Timeline.of(corpus).events.items
    stage[0] = "letters"
    edges = Correspondence(corpus).edges()
    assert (*after, timeline, edges) == before
    assert counts["parse"] == len(corpus.essay.footnotes)
    assert counts["targets"] == len(notes)
    assert counts["audit"] > len(notes)  # between checks and inside the long ones
    assert counts["timeline"] >= 1 and counts["letters"] >= 1
