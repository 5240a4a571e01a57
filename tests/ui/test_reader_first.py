"""The reader goes first: a selection or an input parks the background work until the panes have updated."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from explorer.core import pausing
from explorer.ui.audit_job import ReaderFirst

LONG = 30.0  # a wait that ends by an event, never by this bound, in a passing test


@pytest.fixture
def reader_first(qapp) -> Iterator[ReaderFirst]:
    made = ReaderFirst(grace_ms=20)
    made.gate.max_wait = LONG
    yield made
    made.close()
    assert pausing.installed() is None


def test_it_installs_its_gate_while_it_lives(reader_first: ReaderFirst) -> None:
    assert pausing.installed() is reader_first.gate and reader_first.gate.is_open


def test_a_selection_closes_the_gate_before_the_panes_update_and_reopens_it_after(qtbot, window,
                                                                                 reader_first) -> None:
    reader_first.watch(window.state)
    seen_by_panes = []
    window.state.event_selected.connect(lambda _: seen_by_panes.append(reader_first.gate.is_open))
    other = next(e.id for e in window.corpus.events if e.id != window.state.event_id)
    window.state.select_event(other)
    assert seen_by_panes == [False]  # closed while the panes update
    assert not reader_first.gate.is_open
    qtbot.waitUntil(lambda: reader_first.gate.is_open)


def test_history_moves_close_the_gate_too(qtbot, window, reader_first) -> None:
    events = [e.id for e in window.corpus.events][:2]
    window.state.select_event(events[0])
    window.state.select_event(events[1])
    reader_first.watch(window.state)
    window.state.back()
    assert window.state.event_id == events[0] and not reader_first.gate.is_open
    qtbot.waitUntil(lambda: reader_first.gate.is_open)


@pytest.mark.parametrize("action", ["click", "key", "wheel"])
def test_a_click_a_key_or_the_wheel_closes_the_gate(qtbot, qapp, window, reader_first, action) -> None:
    reader_first.filter_input(qapp)
    view = window.event_list.view
    if action == "click":
        QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(5, 5))
    elif action == "key":
        QTest.keyClick(view, Qt.Key.Key_Down)
    else:
        from PySide6.QtCore import QPointF
        from PySide6.QtGui import QWheelEvent

        centre = QPointF(view.viewport().rect().center())
        wheel = QWheelEvent(centre, view.viewport().mapToGlobal(centre), QPoint(), QPoint(0, -120),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                            False)
        qapp.sendEvent(view.viewport(), wheel)
    assert not reader_first.gate.is_open
    qtbot.waitUntil(lambda: reader_first.gate.is_open)


def test_a_worker_parks_during_a_selection_and_goes_on_once_the_panes_have_updated(qtbot, window,
                                                                                    reader_first) -> None:
    reader_first.watch(window.state)
    started, passed = threading.Event(), threading.Event()
    open_when_passed = []

    def work() -> None:
        started.wait(LONG)
        pausing.pause_point()
        open_when_passed.append(reader_first.gate.is_open)
        passed.set()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    other = next(e.id for e in window.corpus.events if e.id != window.state.event_id)
    window.state.select_event(other)
    started.set()
    qtbot.waitUntil(passed.is_set)
    thread.join(LONG)
    assert open_when_passed == [True]  # it went on because the gate opened, not because its wait ran out
    assert reader_first.gate.timeouts == 0


def test_the_gui_thread_never_waits_on_the_gate(window, reader_first) -> None:
    reader_first.gate.close()
    pausing.pause_point()  # a worker would wait LONG here
    assert reader_first.gate.waits == reader_first.gate.timeouts == 0


def test_close_opens_the_gate_and_puts_back_the_one_before(qapp) -> None:
    outer = ReaderFirst()
    inner = ReaderFirst()
    assert pausing.installed() is inner.gate
    inner.reader_acts()
    inner.close()
    assert inner.gate.is_open and pausing.installed() is outer.gate
    outer.close()
    assert pausing.installed() is None


def _steps(record: list[bool], gate: pausing.Gate, count: int) -> Iterator[None]:
    for _ in range(count):
        record.append(gate.is_open)
        yield


def test_idle_work_on_the_gui_thread_waits_while_the_reader_acts(qtbot, reader_first) -> None:
    from explorer.ui.idle_work import IdleWork

    work, opened_at_steps = IdleWork(slice_s=0.0), []
    reader_first.reader_acts()
    work.run(_steps(opened_at_steps, reader_first.gate, 5))
    qtbot.waitUntil(lambda: not work.running)
    assert opened_at_steps == [True] * 5  # not one step while the gate was closed


def test_idle_work_goes_on_behind_a_gate_that_stays_closed(qtbot, reader_first) -> None:
    from explorer.ui.idle_work import IdleWork

    reader_first.reopen_timer.setInterval(60_000)  # the reader never pauses, here
    reader_first.gate.max_wait = 0.05
    work, opened_at_steps = IdleWork(slice_s=0.0), []
    reader_first.reader_acts()
    work.run(_steps(opened_at_steps, reader_first.gate, 3))
    qtbot.waitUntil(lambda: not work.running)
    assert opened_at_steps == [False] * 3
